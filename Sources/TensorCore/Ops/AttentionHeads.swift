// Splitting the hidden dimension into attention heads and merging them back.
//
// Legend: B batch, T tokens, A heads, D head size, H = A * D hidden size.
// Head a owns the hidden columns a*D ..< (a+1)*D, as in the reference implementation's
// `view(B, T, A, D).permute(0, 2, 1, 3)`.

// MARK: - Split

/// The heads of a hidden-state tensor, each as its own [T, D] matrix.
///
///     y[b, a, t, d] = x[b, t, a * D + d]
///
/// Backward: `mergeHeads` of the gradient (the permutation's inverse).
///
/// - Parameters:
///   - x: [B, T, H].
///   - headCount: A; must divide H.
/// - Returns: [B, A, T, D].
public func splitHeads(_ x: Tensor, headCount: Int) -> Tensor {
  precondition(
    x.rank == 3 && headCount > 0 && x.shape[2] % headCount == 0,
    "splitHeads: input \(x.shape) should be [B, T, H] with H divisible by \(headCount) heads")
  let (batch, tokens, headSize) = (x.shape[0], x.shape[1], x.shape[2] / headCount)
  return copyHeads(
    from: x, to: [batch, headCount, tokens, headSize], batch: batch, tokens: tokens, heads: headCount,
    headSize: headSize, split: true)
}

// MARK: - Merge

/// The heads concatenated back along the hidden dimension; the inverse of `splitHeads`.
///
///     y[b, t, a * D + d] = x[b, a, t, d]
///
/// Backward: `splitHeads` of the gradient with A heads.
///
/// - Parameter x: [B, A, T, D].
/// - Returns: [B, T, A * D].
public func mergeHeads(_ x: Tensor) -> Tensor {
  precondition(x.rank == 4, "mergeHeads: input \(x.shape) should be [B, A, T, D]")
  let (batch, heads, tokens, headSize) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
  return copyHeads(
    from: x, to: [batch, tokens, heads * headSize], batch: batch, tokens: tokens, heads: heads,
    headSize: headSize, split: false)
}

// MARK: - Copy

/// Copies each (b, a, t) run of D elements between the [B, T, A*D] and [B, A, T, D] layouts
/// into new storage of `shape`, the examples of the batch on separate threads.
private func copyHeads(
  from source: Tensor, to shape: [Int], batch: Int, tokens: Int, heads: Int, headSize: Int, split: Bool
) -> Tensor {
  let count = source.count
  let scalars = [Float](unsafeUninitializedCapacity: count) { output, initialized in
    defer { initialized = count }
    source.scalars.withUnsafeBufferPointer { input in
      guard let s = input.baseAddress, let d = output.baseAddress, count > 0 else { return }
      forEachRowBlock(rowCount: batch, rowLength: count / batch) { examples in
        for b in examples {
          for a in 0..<heads {
            for t in 0..<tokens {
              let merged = ((b * tokens + t) * heads + a) * headSize
              let separate = ((b * heads + a) * tokens + t) * headSize
              if split {
                (d + separate).initialize(from: s + merged, count: headSize)
              } else {
                (d + merged).initialize(from: s + separate, count: headSize)
              }
            }
          }
        }
      }
    }
  }
  return Tensor(shape: shape, scalars: scalars)
}
