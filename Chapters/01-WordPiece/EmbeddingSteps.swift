// BERT's input layer: token, position and segment embeddings, summed, then LayerNorm.
//
// Legend: T tokens, H hidden size, V vocabulary, P positions, S = 2 segments (sentence A, B).
//
//   E_tok [V, H], E_pos [P, H], E_seg [S, H]                   three learned tables
//   x_t = E_tok[id_t] + E_pos[t] + E_seg[segment_t]            [T, H]
//   e_t = (x_t - mean(x_t)) / sqrt(var(x_t) + eps) * gamma + beta   (LayerNorm, per token)
//
// The tables start as the reference initialises them (normal, standard deviation 0.02; the
// [PAD] row zero; gamma 1, beta 0). Dropout, which follows in training, is left out here.

import BERT
import Foundation
import NotebookSupport
import WordPiece

/// The hidden size of the chapter's small embedding layer (BERT-base has 768).
let embeddingWidth = 16

/// Every intermediate of the embedding layer for one encoded text.
struct EmbeddingSteps: Sendable {
  /// The configuration of the layer.
  let config: BERTConfig
  /// The encoding's tokens, ids, positions and segments, T of each.
  let tokens: [String]
  let ids: [Int]
  let positions: [Int]
  let segments: [Int]
  /// E_tok[id_t], E_pos[t], E_seg[segment_t]: [T, H] each.
  let token: Tensor
  let position: Tensor
  let segment: Tensor
  /// x = the sum of the three, [T, H].
  let sum: Tensor
  /// e = LayerNorm(x), [T, H].
  let normalized: Tensor
  /// The BERT module's `BertEmbeddings` on the same input (no dropout), [T, H].
  let moduleOutput: Tensor
}

/// Runs the embedding layer step by step on `encoding`, with tables drawn from `seed`.
///
/// - Parameters:
///   - encoding: A text (or pair) encoded by BERT's tokenizer.
///   - vocabularySize: V, the rows of the token table.
///   - seed: The seed of the tables.
/// - Returns: Every intermediate, and the module's output for comparison.
func embed(_ encoding: Encoding, vocabularySize: Int, seed: UInt64) -> EmbeddingSteps {
  let config = BERTConfig(
    vocabSize: vocabularySize, hiddenSize: embeddingWidth, numHiddenLayers: 1, numAttentionHeads: 2,
    intermediateSize: 4 * embeddingWidth, maxPositionEmbeddings: 64)
  var rng = RandomGenerator(seed: seed)
  let layer = BertModel(config: config, addPoolingLayer: false, rng: &rng).embeddings
  let positions = Array(encoding.ids.indices)
  // Three lookups: a row of each table per token.
  let token = embeddingLookup(layer.wordEmbeddings.weight.value, ids: encoding.ids)  // [T, H]
  let position = embeddingLookup(layer.positionEmbeddings.weight.value, ids: positions)  // [T, H]
  let segment = embeddingLookup(layer.tokenTypeEmbeddings.weight.value, ids: encoding.tokenTypeIds)  // [T, H]
  // x = E_tok + E_pos + E_seg, then LayerNorm over H.
  let sum = token + segment + position
  let (normalized, _) = layerNorm(
    sum, gamma: layer.layerNorm.gamma.value, beta: layer.layerNorm.beta.value, eps: Float(config.layerNormEps)
  )
  // The same through the module the model uses.
  let input = BertInput(inputIds: [encoding.ids], tokenTypeIds: [encoding.tokenTypeIds])
  var unused = RandomGenerator(seed: 0)
  let moduleOutput = layer.forward(input, mode: .inference, rng: &unused).output
  return EmbeddingSteps(
    config: config, tokens: encoding.tokens, ids: encoding.ids, positions: positions,
    segments: encoding.tokenTypeIds, token: token, position: position, segment: segment, sum: sum,
    normalized: normalized, moduleOutput: moduleOutput.reshaped([encoding.count, embeddingWidth]))
}

/// The mean and the standard deviation (population, as LayerNorm uses) of some numbers.
func meanAndStandardDeviation(_ values: [Float]) -> (mean: Double, standardDeviation: Double) {
  let count = Double(max(values.count, 1))
  let mean = values.reduce(0.0) { $0 + Double($1) } / count
  let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count
  return (mean, variance.squareRoot())
}
