// Small conveniences for accumulating tensors, used by backward passes
// (a gradient that reaches a tensor along two paths is the sum of both).

extension Tensor {
  /// Adds `rhs` elementwise into `lhs`; the shapes must be equal.
  public static func += (lhs: inout Tensor, rhs: Tensor) {
    checkSameShape(lhs, rhs, "+=")
    rhs.scalars.withUnsafeBufferPointer { r in
      lhs.scalars.withUnsafeMutableBufferPointer { l in
        guard let right = r.baseAddress, let left = l.baseAddress else { return }
        // Blocks of elements over the threads (the residual sums of every encoder layer).
        forEachRowBlock(rowCount: l.count, rowLength: 1) { block in
          for i in block { left[i] += right[i] }
        }
      }
    }
  }

  /// The elementwise sum of two tensors of the same shape (the same as `add(lhs, rhs)`).
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
    var sum = lhs
    sum += rhs
    return sum
  }
}
