// EmbeddingTable: row lookup `y[n] = E[ids[n]]` in a learned table.
//
// Shapes: E [V, H] (V rows: vocabulary, positions or token types), ids [N], y [N, H].

/// A learned table of vectors, one row per id.
public struct EmbeddingTable: Sendable {
  /// The table `E`, shape [V, H] (the checkpoint's `*_embeddings.weight`).
  public let weight: Parameter
  /// The id whose row receives no gradient from lookups (torch's `padding_idx`), if any.
  ///
  /// The reference builds the word embeddings with `padding_idx = pad_token_id`: that row
  /// starts at zero and lookups of the padding id do not train it.
  public let paddingIndex: Int?

  /// A zero table of `count` rows of `size` features.
  public init(count: Int, size: Int, paddingIndex: Int? = nil) {
    precondition(
      paddingIndex.map { (0..<count).contains($0) } ?? true,
      "EmbeddingTable: padding index \(paddingIndex ?? -1) outside 0..<\(count)")
    weight = Parameter(Tensor(zeros: [count, size]))
    self.paddingIndex = paddingIndex
  }

  /// The number of rows V.
  public var count: Int { weight.shape[0] }
  /// The row width H.
  public var size: Int { weight.shape[1] }

  // MARK: - Forward

  /// `y[n] = E[ids[n]]`; returns [N, H].
  public func forward(_ ids: [Int]) -> Tensor {
    embeddingLookup(weight.value, ids: ids)
  }

  // MARK: - Backward

  /// Differentiates `y[n] = E[ids[n]]`: dE[ids[n]] += g[n] for every n whose id is not the
  /// padding index.
  ///
  /// The rows are added straight into the gradient (no [V, H] temporary), in order of n,
  /// so the sum is the same on every run.
  public func backward(_ gradOutput: Tensor, ids: [Int]) {
    let width = size
    precondition(
      gradOutput.shape == [ids.count, width],
      "EmbeddingTable.backward: gradient \(gradOutput.shape) for \(ids.count) ids of width \(width)")
    let skipped = paddingIndex ?? -1
    gradOutput.scalars.withUnsafeBufferPointer { source in
      weight.gradient.scalars.withUnsafeMutableBufferPointer { target in
        for (n, id) in ids.enumerated() where id != skipped {
          let from = n * width
          let to = id * width
          for h in 0..<width { target[to + h] += source[from + h] }
        }
      }
    }
  }
}
