// Multi-head attention worked by hand: "The quick brown fox jumps over the lazy dog" with
// d_model = 8 split into h = 4 heads of d_k = 2.
//
// Legend: T = 9 tokens (one per word), D = 8 model width (d_model), h heads, d_k = D / h.
//
//   Q = X W_Q, K = X W_K, V = X W_V             [T, D]      (W_* are [D, D])
//   Q_a = columns a*d_k ..< (a+1)*d_k of Q      [T, d_k]    (the same for K_a and V_a)
//   A_a = softmax(Q_a K_a^T / sqrt(d_k))        [T, T]      one map per head
//   C_a = A_a V_a                               [T, d_k]
//   C   = [C_1 | C_2 | ... | C_h]               [T, D]      concatenation
//   O   = C W_O                                 [T, D]      (W_O is [D, D])
//
// The embeddings are chapter 02's (the same seed draws the same table first); the projections
// are D x D here because the h heads together cover all D columns.

import Foundation
import NotebookSupport
import TensorCore

// MARK: - Counting the work

/// Multiply-adds of an attention layer, by the kind of product.
struct MultiplyAddCount: Equatable {
  /// X W_Q, X W_K, X W_V.
  var projections = 0
  /// Q_a K_a^T for every head.
  var scores = 0
  /// A_a V_a for every head.
  var weightedSums = 0
  /// C W_O.
  var output = 0

  /// All of them.
  var total: Int { projections + scores + weightedSums + output }
}

/// The multiply-adds of self-attention over T tokens of width d, whatever the number of heads:
///
///     3 T d^2  (Q, K, V)  +  2 T^2 d  (scores and weighted sums)  +  T d^2  (W_O)
///
/// With h heads of d/h each, the scores cost h * T^2 * (d/h) = T^2 d: the same as one head of d.
func attentionMultiplyAdds(tokens t: Int, width d: Int) -> MultiplyAddCount {
  MultiplyAddCount(projections: 3 * t * d * d, scores: t * t * d, weightedSums: t * t * d, output: t * d * d)
}

/// `matmul`, adding the multiply-adds it does (batch x M x N x K) to `count`.
func countedMatmul(_ a: Tensor, _ b: Tensor, transposeB: Bool = false, into count: inout Int) -> Tensor {
  let product = matmul(a, b, transposeB: transposeB)
  count += product.count * a.shape[a.rank - 1]  // each output element is a sum of K products
  return product
}

// MARK: - h heads, by hand

/// Every intermediate of multi-head attention over the sentence.
struct MultiHeadAttention {
  /// h.
  let headCount: Int
  /// X, [T, D].
  let embeddings: Tensor
  /// W_Q, W_K, W_V, W_O, each [D, D].
  let queryWeight: Tensor
  let keyWeight: Tensor
  let valueWeight: Tensor
  let outputWeight: Tensor
  /// Q = X W_Q, [T, D] (K and V alike).
  let queries: Tensor
  let keys: Tensor
  let values: Tensor
  /// Q split into heads, [1, h, T, d_k] (K and V alike).
  let headQueries: Tensor
  let headKeys: Tensor
  let headValues: Tensor
  /// A_a = softmax(Q_a K_a^T / sqrt(d_k)), [1, h, T, T].
  let weights: Tensor
  /// C_a = A_a V_a, [1, h, T, d_k].
  let headOutputs: Tensor
  /// C = [C_1 | ... | C_h], [T, D].
  let concatenated: Tensor
  /// O = C W_O, [T, D].
  let output: Tensor
  /// The multiply-adds the computation did.
  let multiplyAdds: MultiplyAddCount

  /// d_model.
  var modelWidth: Int { embeddings.shape[1] }
  /// d_k = d_model / h.
  var headWidth: Int { modelWidth / headCount }

  /// Head `head`'s attention map as rows, [T][T].
  func map(head: Int) -> [[Float]] {
    let t = embeddings.shape[0]
    return (0..<t).map { query in (0..<t).map { key in weights[0, head, query, key] } }
  }
}

/// Multi-head attention over `sentenceWords` with `headCount` heads, everything drawn from `seed`.
///
/// The table is drawn first (as in chapter 02, so X is the same), then W_Q, W_K, W_V and W_O.
/// Any `headCount` dividing `modelWidth` uses the same weights, so h = 1 is the full-width head.
///
/// - Parameters:
///   - seed: The seed of the embeddings and the projections.
///   - modelWidth: d_model.
///   - headCount: h; must divide `modelWidth`.
/// - Returns: Every intermediate, and the multiply-adds counted.
func multiHeadAttention(seed: UInt64, modelWidth: Int = 8, headCount: Int = 4) -> MultiHeadAttention {
  precondition(
    modelWidth % headCount == 0, "multiHeadAttention: \(headCount) heads do not divide \(modelWidth)")
  var rng = RandomGenerator(seed: seed)
  let table = tenthsTensor(rows: wordVocabulary.count, columns: modelWidth, rng: &rng)
  let queryWeight = tenthsTensor(rows: modelWidth, columns: modelWidth, rng: &rng)
  let keyWeight = tenthsTensor(rows: modelWidth, columns: modelWidth, rng: &rng)
  let valueWeight = tenthsTensor(rows: modelWidth, columns: modelWidth, rng: &rng)
  let outputWeight = tenthsTensor(rows: modelWidth, columns: modelWidth, rng: &rng)
  let ids = sentenceWords.map { word in wordVocabulary.firstIndex(of: word.lowercased()) ?? 0 }
  let x = embeddingLookup(table, ids: ids)  // [T, D]
  let tokens = ids.count
  var count = MultiplyAddCount()
  // Q = X W_Q, K = X W_K, V = X W_V: full width, [T, D].
  let queries = countedMatmul(x, queryWeight, into: &count.projections)
  let keys = countedMatmul(x, keyWeight, into: &count.projections)
  let values = countedMatmul(x, valueWeight, into: &count.projections)
  // The h subspaces: head a takes columns a*d_k ..< (a+1)*d_k, [1, h, T, d_k].
  let headQueries = splitHeads(queries.reshaped([1, tokens, modelWidth]), headCount: headCount)
  let headKeys = splitHeads(keys.reshaped([1, tokens, modelWidth]), headCount: headCount)
  let headValues = splitHeads(values.reshaped([1, tokens, modelWidth]), headCount: headCount)
  // A_a = softmax(Q_a K_a^T / sqrt(d_k)) for every head at once, [1, h, T, T].
  let headWidth = modelWidth / headCount
  let scores = countedMatmul(headQueries, headKeys, transposeB: true, into: &count.scores)
  let weights = softmax(scale(scores, by: 1 / Float(headWidth).squareRoot()))
  // C_a = A_a V_a, [1, h, T, d_k]; C = [C_1 | ... | C_h], [T, D].
  let headOutputs = countedMatmul(weights, headValues, into: &count.weightedSums)
  let concatenated = mergeHeads(headOutputs).reshaped([tokens, modelWidth])
  // O = C W_O, [T, D].
  let output = countedMatmul(concatenated, outputWeight, into: &count.output)
  return MultiHeadAttention(
    headCount: headCount, embeddings: x, queryWeight: queryWeight, keyWeight: keyWeight,
    valueWeight: valueWeight, outputWeight: outputWeight, queries: queries, keys: keys, values: values,
    headQueries: headQueries, headKeys: headKeys, headValues: headValues, weights: weights,
    headOutputs: headOutputs, concatenated: concatenated, output: output, multiplyAdds: count)
}

// MARK: - How the heads differ

/// The entropy of a distribution in nats, `-sum p ln p` (terms with p = 0 count 0): ln T for
/// uniform attention over T tokens, 0 for attention on one token.
func entropy(_ distribution: [Float]) -> Double {
  -distribution.reduce(0.0) { sum, p in p > 0 ? sum + Double(p) * log(Double(p)) : sum }
}

/// Each head's entropy for one query, and averaged over every query.
struct HeadEntropy: Equatable {
  /// The head, counted from 1.
  let head: Int
  /// The entropy of the query word's row, nats.
  let query: Double
  /// The mean entropy of all rows, nats.
  let meanOverQueries: Double
}

/// The entropies of every head of `attention` for the query at `position`.
func headEntropies(_ attention: MultiHeadAttention, queryPosition position: Int) -> [HeadEntropy] {
  (0..<attention.headCount).map { head in
    let rows = attention.map(head: head)
    return HeadEntropy(
      head: head + 1, query: entropy(rows[position]),
      meanOverQueries: rows.map(entropy).reduce(0, +) / Double(rows.count))
  }
}

// MARK: - Printing

/// A row split into h groups for printing: "[a, b | c, d | ...]".
func groupedText(_ values: [Float], groups: Int, digits: Int = 2) -> String {
  let size = values.count / groups
  let texts = (0..<groups).map { group in
    values[(group * size)..<((group + 1) * size)].map { fixed($0, digits) }.joined(separator: ", ")
  }
  return "[" + texts.joined(separator: " | ") + "]"
}
