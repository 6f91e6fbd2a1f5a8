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
  var y = Tensor(zeros: [batch, headCount, tokens, headSize])
  copyHeads(from: x, to: &y, batch: batch, tokens: tokens, heads: headCount, headSize: headSize, split: true)
  return y
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
  var y = Tensor(zeros: [batch, tokens, heads * headSize])
  copyHeads(from: x, to: &y, batch: batch, tokens: tokens, heads: heads, headSize: headSize, split: false)
  return y
}

// MARK: - Copy

/// Copies each (b, a, t) run of D elements between the [B, T, A*D] and [B, A, T, D] layouts.
private func copyHeads(
  from source: Tensor, to destination: inout Tensor, batch: Int, tokens: Int, heads: Int, headSize: Int,
  split: Bool
) {
  source.scalars.withUnsafeBufferPointer { s in
    destination.scalars.withUnsafeMutableBufferPointer { d in
      for b in 0..<batch {
        for a in 0..<heads {
          for t in 0..<tokens {
            let merged = ((b * tokens + t) * heads + a) * headSize
            let separate = ((b * heads + a) * tokens + t) * headSize
            for i in 0..<headSize {
              if split {
                d[separate + i] = s[merged + i]
              } else {
                d[merged + i] = s[separate + i]
              }
            }
          }
        }
      }
    }
  }
}
