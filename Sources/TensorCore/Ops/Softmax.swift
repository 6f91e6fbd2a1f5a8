import CKernels
import Foundation

// Softmax over the last dimension, plain and with the additive attention mask.
//
// Legend: B batch, A heads, Tq query positions, Tk key positions; a "row" is the last
// dimension, over which the probabilities sum to 1.
//
// Numerics: each row subtracts its maximum before exponentiating (softmax is unchanged by a
// shift, and every exponent is then <= 0, so nothing overflows); the exponentials are
// Float32, their sum is accumulated in Double and rounded once, so the denominator of a
// 30522-wide vocabulary row is as exact as a Float can hold.

// MARK: - Forward

/// The softmax of every row: `y[i] = exp(x[i] - m) / sum over j of exp(x[j] - m)`, m the row maximum.
///
/// Example: softmax([1, 2, 3]) = [0.0900, 0.2447, 0.6652].
/// A row whose elements are all -infinity (nothing to attend to) comes out as zeros.
///
/// - Parameter x: [..., N].
/// - Returns: [..., N], each row non-negative and summing to 1.
public func softmax(_ x: Tensor) -> Tensor {
  let (rows, length) = rowsAndLength(x)
  // Each row is read from x and written to y in one pass (no copy of x first).
  let scalars = [Float](unsafeUninitializedCapacity: x.count) { output, initialized in
    x.scalars.withUnsafeBufferPointer { input in
      guard let source = input.baseAddress, let target = output.baseAddress, length > 0 else { return }
      forEachRowBlock(rowCount: rows, rowLength: length) { block in
        for r in block {
          var maximum: Float = 0
          _ = bn_vec_softmax_row(source + r * length, target + r * length, length, &maximum)
        }
      }
    }
    initialized = x.count
  }
  return Tensor(shape: x.shape, scalars: scalars)
}

/// The attention weights: the scores plus an additive mask over keys, then `softmax`.
///
///     y[b, a, q, k] = softmax over k of (scores[b, a, q, k] + additiveMask[b, k])
///
/// The mask holds 0 for keys to attend to and a large negative number for padding (see
/// `additiveAttentionMask`), so padded keys get weight 0 (exactly 0 once the shifted
/// exponent underflows). The mask is the same for every head and query. Its gradient is
/// not needed; the scores' gradient is `softmaxBackward(gradOutput, output: y)`, because
/// adding a constant does not change the derivative.
///
/// - Parameters:
///   - scores: [B, A, Tq, Tk], e.g. Q K^T / sqrt(D).
///   - additiveMask: [B, Tk], or nil for no mask.
/// - Returns: [B, A, Tq, Tk].
public func maskedSoftmax(_ scores: Tensor, additiveMask: Tensor?) -> Tensor {
  guard let additiveMask else { return softmax(scores) }
  precondition(scores.rank == 4, "maskedSoftmax: scores \(scores.shape) should be [B, A, Tq, Tk]")
  let (batch, keys) = (scores.shape[0], scores.shape[3])
  precondition(
    additiveMask.shape == [batch, keys],
    "maskedSoftmax: mask \(additiveMask.shape) should be [B, Tk] = \([batch, keys]) for scores \(scores.shape)"
  )
  let rowsPerBatch = scores.shape[1] * scores.shape[2]
  let scalars = [Float](unsafeUninitializedCapacity: scores.count) { output, initialized in
    scores.scalars.withUnsafeBufferPointer { input in
      additiveMask.scalars.withUnsafeBufferPointer { maskBuffer in
        guard let x = input.baseAddress, let mask = maskBuffer.baseAddress, let v = output.baseAddress,
          keys > 0
        else { return }
        forEachRowBlock(rowCount: batch * rowsPerBatch, rowLength: keys) { block in
          withUnsafeTemporaryAllocation(of: Float.self, capacity: keys) { scratch in
            guard let scratch = scratch.baseAddress else { return }
            for r in block {
              maskedSoftmaxRow(
                x + r * keys, mask: mask + (r / rowsPerBatch) * keys, scratch: scratch, output: v + r * keys,
                length: keys)
            }
          }
        }
      }
    }
    initialized = scores.count
  }
  return Tensor(shape: scores.shape, scalars: scalars)
}

/// The additive mask for `maskedSoftmax` from a 0/1 attention mask, as the reference builds it.
///
///     additive[b, k] = (1 - attentionMask[b, k]) * (-Float.greatestFiniteMagnitude)
///
/// That is 0 where the mask is 1 (a real token) and the most negative Float where it is 0
/// (padding), like Hugging Face's `(1 - mask) * torch.finfo(float32).min`.
///
/// - Parameter attentionMask: [B, T] of 0 and 1.
/// - Returns: [B, T].
public func additiveAttentionMask(_ attentionMask: Tensor) -> Tensor {
  mapScalars(attentionMask) { (1 - $0) * -Float.greatestFiniteMagnitude }
}

// MARK: - Backward

/// The gradient of `softmax` (and of `maskedSoftmax`) from its output y and G = dL/dy.
///
///     dx[i] = y[i] * (G[i] - sum over j of G[j] * y[j])
///
/// This is the Jacobian diag(y) - y y^T applied to G, row by row; the dot product sums in Double.
///
/// - Parameters:
///   - gradOutput: G, [..., N].
///   - output: y, the forward result, [..., N].
/// - Returns: [..., N].
public func softmaxBackward(_ gradOutput: Tensor, output: Tensor) -> Tensor {
  checkSameShape(gradOutput, output, "softmaxBackward")
  var gradInput = gradOutput
  let (rows, length) = rowsAndLength(output)
  output.scalars.withUnsafeBufferPointer { y in
    gradInput.scalars.withUnsafeMutableBufferPointer { g in
      forEachRowBlock(rowCount: rows, rowLength: length) { block in
        for r in block {
          let row = (r * length)..<((r + 1) * length)
          var dot: Double = 0
          for i in row { dot += Double(g[i]) * Double(y[i]) }
          let projection = Float(dot)
          for i in row { g[i] = y[i] * (g[i] - projection) }
        }
      }
    }
  }
  return gradInput
}

// MARK: - Row kernel

/// One row of `maskedSoftmax`: `output = softmax(scores + mask)` over `length` elements, the
/// masked row staged in `scratch` (`length` floats). `output` may be `scores` itself.
///
/// The row kernel vectorises only when its input and output are different memory, hence the
/// scratch row even without a mask (nil: the scores are copied unchanged).
@inline(__always)
func maskedSoftmaxRow(
  _ scores: UnsafePointer<Float>, mask: UnsafePointer<Float>?, scratch: UnsafeMutablePointer<Float>,
  output: UnsafeMutablePointer<Float>, length: Int
) {
  if let mask {
    for k in 0..<length { scratch[k] = scores[k] + mask[k] }
  } else {
    scratch.update(from: scores, count: length)
  }
  var maximum: Float = 0
  _ = bn_vec_softmax_row(scratch, output, length, &maximum)
}

/// Replaces `v[row]` by its softmax; returns the row maximum m and `sum of exp(v - m)`
/// (Double), which cross-entropy turns into log-sum-exp.
///
/// A row of all -infinity becomes zeros, with sum 0. The fast version: the steps of
/// `softmaxRowInPlaceReference` with a vectorised exp and the sum in 16 Double lanes
/// (Sources/CKernels/vector_math.c).
@inline(__always)
func softmaxRowInPlace(
  _ v: UnsafeMutableBufferPointer<Float>, _ row: Range<Int>
) -> (maximum: Float, sumOfExponentials: Double) {
  guard !row.isEmpty, let base = v.baseAddress else { return (-.infinity, 0) }
  var maximum: Float = 0
  let sum = bn_vec_softmax_row(base + row.lowerBound, base + row.lowerBound, row.count, &maximum)
  return (maximum, sum)
}

/// The teaching version of `softmaxRowInPlace`: max, then `Foundation.exp` and a Double sum
/// element by element, then the scaling.
func softmaxRowInPlaceReference(
  _ v: UnsafeMutableBufferPointer<Float>, _ row: Range<Int>
) -> (maximum: Float, sumOfExponentials: Double) {
  var maximum = -Float.infinity
  for i in row { maximum = max(maximum, v[i]) }
  guard maximum > -Float.infinity else {
    for i in row { v[i] = 0 }
    return (maximum, 0)
  }
  var sum: Double = 0
  for i in row {
    let e = Foundation.exp(v[i] - maximum)
    v[i] = e
    sum += Double(e)
  }
  let inverse = Float(1 / sum)
  for i in row { v[i] *= inverse }
  return (maximum, sum)
}
