// Small conveniences for accumulating tensors, used by backward passes
// (a gradient that reaches a tensor along two paths is the sum of both).

extension Tensor {
  /// Adds `rhs` elementwise into `lhs`; the shapes must be equal.
  public static func += (lhs: inout Tensor, rhs: Tensor) {
    checkSameShape(lhs, rhs, "+=")
    rhs.scalars.withUnsafeBufferPointer { r in
      lhs.scalars.withUnsafeMutableBufferPointer { l in
        for i in 0..<l.count { l[i] += r[i] }
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
