// Self-attention worked by hand: one head over "The quick brown fox jumps over the lazy dog".
//
// Legend: T = 9 tokens (one per word), D = 8 model width (d_model), K = 4 head width (d_k).
//
//   X      = the words' embeddings                 [T, D]
//   Q      = X W_Q,  K = X W_K,  V = X W_V          [T, K]   (W_Q, W_K, W_V are [D, K])
//   S      = Q K^T / sqrt(d_k)                      [T, T]
//   A      = softmax(S), row by row                 [T, T]   (each row sums to 1)
//   C      = A V                                    [T, K]   (one context vector per word)
//
// Every number is drawn from the seed as a multiple of 0.1 in [-1, 1], so a reader can redo a
// product with pencil and paper; d_k = 4 makes the scale sqrt(d_k) = 2.
//
// The sentence (`sentenceWords`, `queryWord`, `wordVocabulary`) and `tenthsTensor` are shared
// with chapter 03: Sources/NotebookSupport/TheSentence.swift.

import NotebookSupport
import TensorCore

// MARK: - One head, by hand

/// Every intermediate of one attention head over the sentence.
struct HandAttention {
  /// The embedding table, one row per word of `wordVocabulary`, [V, D].
  let embeddingTable: Tensor
  /// X, the sentence's embeddings (row t is the table row of word t), [T, D].
  let embeddings: Tensor
  /// W_Q, [D, K].
  let queryWeight: Tensor
  /// W_K, [D, K].
  let keyWeight: Tensor
  /// W_V, [D, K].
  let valueWeight: Tensor
  /// Q = X W_Q, [T, K].
  let queries: Tensor
  /// K = X W_K, [T, K].
  let keys: Tensor
  /// V = X W_V, [T, K].
  let values: Tensor
  /// Q K^T before scaling, [T, T].
  let dotProducts: Tensor
  /// S = Q K^T / sqrt(d_k), [T, T].
  let scores: Tensor
  /// A = softmax(S) row by row, [T, T].
  let weights: Tensor
  /// C = A V, [T, K].
  let contexts: Tensor

  /// d_model.
  var modelWidth: Int { embeddings.shape[1] }
  /// d_k.
  var headWidth: Int { queries.shape[1] }
}

/// One attention head over `sentenceWords`, everything drawn from `seed`.
///
/// The table is drawn first (V rows of D), then W_Q, W_K and W_V (D rows of K each).
///
/// - Parameters:
///   - seed: The seed of the embeddings and the projections.
///   - modelWidth: d_model, D.
///   - headWidth: d_k, K.
/// - Returns: Every intermediate of the computation.
func handAttention(seed: UInt64, modelWidth: Int = 8, headWidth: Int = 4) -> HandAttention {
  var rng = RandomGenerator(seed: seed)
  let table = tenthsTensor(rows: wordVocabulary.count, columns: modelWidth, rng: &rng)
  let queryWeight = tenthsTensor(rows: modelWidth, columns: headWidth, rng: &rng)
  let keyWeight = tenthsTensor(rows: modelWidth, columns: headWidth, rng: &rng)
  let valueWeight = tenthsTensor(rows: modelWidth, columns: headWidth, rng: &rng)
  // X: row t is the table row of word t.
  let ids = sentenceWords.map { word in wordVocabulary.firstIndex(of: word.lowercased()) ?? 0 }
  let x = embeddingLookup(table, ids: ids)  // [T, D]
  // Q = X W_Q, K = X W_K, V = X W_V
  let queries = matmul(x, queryWeight)  // [T, K]
  let keys = matmul(x, keyWeight)
  let values = matmul(x, valueWeight)
  // S = Q K^T / sqrt(d_k)
  let dotProducts = matmul(queries, keys, transposeB: true)  // [T, T]
  let scores = scale(dotProducts, by: 1 / Float(headWidth).squareRoot())
  // A = softmax(S); C = A V
  let weights = softmax(scores)
  let contexts = matmul(weights, values)  // [T, K]
  return HandAttention(
    embeddingTable: table, embeddings: x, queryWeight: queryWeight, keyWeight: keyWeight,
    valueWeight: valueWeight, queries: queries, keys: keys, values: values, dotProducts: dotProducts,
    scores: scores, weights: weights, contexts: contexts)
}

// MARK: - Printing

/// The written-out dot product of two vectors with two decimals: "(0.53)(-0.21) + ...".
func dotProductText(_ a: [Float], _ b: [Float]) -> String {
  zip(a, b).map { "(\(fixed($0, 2)))(\(fixed($1, 2)))" }.joined(separator: " + ")
}
