// Reductions of a whole tensor to one number (losses, diagnostics, tests).
//
// Both accumulate in Double and round to Float once, so the result does not depend on the
// tensor's size in the way a running Float sum of millions of terms would.

/// The sum of all elements, `sum over i of x[i]` (0 for an empty tensor).
///
/// Backward: every element gets the output gradient.
public func sum(_ x: Tensor) -> Float {
  Float(doubleSum(x))
}

/// The mean of all elements, `sum(x) / x.count`.
///
/// Backward: every element gets the output gradient / count. An empty tensor has no mean
/// and stops with a message.
public func mean(_ x: Tensor) -> Float {
  precondition(x.count > 0, "mean: tensor \(x.shape) has no elements")
  return Float(doubleSum(x) / Double(x.count))
}

/// The sum of all elements accumulated in Double, in row-major order.
func doubleSum(_ x: Tensor) -> Double {
  var total: Double = 0
  x.scalars.withUnsafeBufferPointer { v in
    for value in v { total += Double(value) }
  }
  return total
}
