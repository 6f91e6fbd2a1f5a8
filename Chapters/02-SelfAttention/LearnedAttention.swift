// The same sentence through a whole BERT: the attention of every layer, averaged over its
// heads, for a randomly initialised model and for a trained one of the same configuration.
//
// Legend: L layers, A heads per layer, T tokens ([CLS] sentence [SEP]).
//
//   attentions[l]   [1, A, T, T]   softmax(Q K^T / sqrt(d_k)) of every head of layer l
//   map[l][q][k]    = (1/A) sum over a of attentions[l][0, a, q, k]      [L][T][T]

import BERT
import Foundation
import NotebookSupport
import WordPiece

// MARK: - Models

/// A bare encoder of `config`, initialised as the reference does from `seed`.
func randomEncoder(_ config: BERTConfig, seed: UInt64) -> BertModel {
  var rng = RandomGenerator(seed: seed)
  return BertModel(config: config, addPoolingLayer: false, rng: &rng)
}

/// The bare encoder stored in a checkpoint folder (with or without the `bert.` prefix); its
/// task heads are not read, and a pooler the file lacks is initialised but not used here.
func trainedEncoder(_ checkpoint: PretrainedCheckpoint) throws -> BertModel {
  try checkpoint.load(BertModel.self).model
}

// MARK: - Attention maps

/// The sentence as the model reads it, `[CLS] pieces [SEP]`: ids, tokens, and the word each
/// token comes from (nil for the special tokens).
func encodeSentence(
  _ text: String, with tokenizer: BertTokenizer
) -> (
  ids: [Int], tokens: [String], wordIDs: [Int?]
) {
  let encoding = tokenizer.encode(text)
  return (encoding.ids, encoding.tokens, encoding.wordIds)
}

/// Each layer's attention for one sequence, averaged over the layer's heads: [layer][query][key].
///
/// - Parameters:
///   - model: The encoder.
///   - ids: The sequence, special tokens included.
/// - Returns: L matrices of T x T, each row summing to 1.
func headAveragedAttention(_ model: BertModel, ids: [Int]) -> [[[Float]]] {
  let output = model.predict(BertInput(inputIds: [ids]), outputs: .attentions)
  return (output.attentions ?? []).map { layer in
    let (heads, tokens) = (layer.shape[1], layer.shape[2])
    return (0..<tokens).map { query in
      (0..<tokens).map { key in
        var sum: Float = 0
        for head in 0..<heads { sum += layer[0, head, query, key] }
        return sum / Float(heads)
      }
    }
  }
}

/// The entropy of a distribution in nats, `-sum p ln p` (terms with p = 0 count 0).
func entropy(_ distribution: [Float]) -> Double {
  -distribution.reduce(0.0) { sum, p in p > 0 ? sum + Double(p) * log(Double(p)) : sum }
}

/// The mean entropy of the rows of a matrix, in nats.
func meanRowEntropy(_ rows: [[Float]]) -> Double {
  rows.map(entropy).reduce(0, +) / Double(max(rows.count, 1))
}

/// What the chapter prints about one model's attention.
struct LayerSummary: Equatable {
  /// The layer, counted from 1.
  let layer: Int
  /// The mean entropy of the head-averaged rows, nats.
  let meanEntropy: Double
  /// The token the query token attends to most (head average), and its weight.
  let strongestKey: String
  let strongestWeight: Float
}

/// One summary per layer: mean entropy, and where the query token's attention goes.
func summarize(_ maps: [[[Float]]], tokens: [String], queryIndex: Int) -> [LayerSummary] {
  maps.enumerated().map { layer, map in
    let row = map[queryIndex]
    let best = row.indices.max { row[$0] < row[$1] } ?? 0
    return LayerSummary(
      layer: layer + 1, meanEntropy: meanRowEntropy(map), strongestKey: tokens[best],
      strongestWeight: row[best])
  }
}

/// Prints the summaries as a table.
func printSummaries(_ summaries: [LayerSummary], query: String) {
  print("layer  mean entropy (nats)  \(query) attends most to")
  for summary in summaries {
    print(
      pad(String(summary.layer), 5) + "  " + pad(fixed(summary.meanEntropy), 19) + "  "
        + "\(summary.strongestKey) (\(fixed(summary.strongestWeight, 3)))")
  }
}
