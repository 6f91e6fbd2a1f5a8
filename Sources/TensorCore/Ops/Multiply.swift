// Multiplication: elementwise (Hadamard) products and scaling by a constant.

// MARK: - Forward

/// The elementwise product `y[i] = a[i] * b[i]` of two tensors of the same shape.
public func multiply(_ a: Tensor, _ b: Tensor) -> Tensor {
  checkSameShape(a, b, "multiply")
  return zipScalars(a, b) { $0 * $1 }
}

/// Every element times `factor`: `y[i] = factor * x[i]`, e.g. the attention scores by 1 / sqrt(D).
///
/// Backward: `dx = factor * dy`, that is `scale(gradOutput, by: factor)`.
public func scale(_ x: Tensor, by factor: Float) -> Tensor {
  mapScalars(x) { factor * $0 }
}

// MARK: - Backward

/// The gradients of `multiply(a, b)` given G = dL/dy: `da = G * b`, `db = G * a`.
public func multiplyBackward(_ gradOutput: Tensor, _ a: Tensor, _ b: Tensor) -> (gradA: Tensor, gradB: Tensor)
{
  checkSameShape(a, b, "multiplyBackward")
  checkSameShape(gradOutput, a, "multiplyBackward")
  return (zipScalars(gradOutput, b) { $0 * $1 }, zipScalars(gradOutput, a) { $0 * $1 })
}
