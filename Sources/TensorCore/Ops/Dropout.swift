// Dropout in its inverted form, as PyTorch and BERT apply it during training: each element
// is kept with probability 1 - p and scaled by 1 / (1 - p), so the expected output equals
// the input and evaluation needs no rescaling (it simply skips dropout).

// MARK: - Forward

/// Zeroes each element with probability `probability` and scales the rest by 1 / (1 - p).
///
///     mask[i] = 0 if u[i] < p else 1 / (1 - p),   u[i] uniform on [0, 1) from `rng`
///     y[i] = x[i] * mask[i]
///
/// The uniforms are drawn in row-major order, one per element, so a seed fixes the mask
/// whatever the thread count. With p == 0 the output is x and the mask is all ones, and
/// no random number is drawn.
///
/// - Parameters:
///   - x: Any shape.
///   - probability: p, in [0, 1); BERT uses 0.1.
///   - rng: The generator; it advances by `x.count` draws (none when p == 0).
/// - Returns: y and the mask, both shaped like x.
public func dropout(
  _ x: Tensor, probability: Float, rng: inout RandomGenerator
) -> (output: Tensor, mask: Tensor) {
  precondition(probability >= 0 && probability < 1, "dropout: probability \(probability) is not in [0, 1)")
  guard probability > 0 else { return (x, Tensor(repeating: 1, shape: x.shape)) }
  let keptScale = 1 / (1 - probability)
  let count = x.count
  let maskScalars = [Float](unsafeUninitializedCapacity: count) { m, initialized in
    defer { initialized = count }
    guard let m = m.baseAddress else { return }
    rng.forEachUniform(count: count) { i, u in m[i] = u < probability ? 0 : keptScale }
  }
  let mask = Tensor(shape: x.shape, scalars: maskScalars)
  return (multiply(x, mask), mask)
}

// MARK: - Backward

/// The gradient of `dropout` given G = dL/dy and the forward mask: `dx = G * mask`.
public func dropoutBackward(_ gradOutput: Tensor, mask: Tensor) -> Tensor {
  checkSameShape(gradOutput, mask, "dropoutBackward")
  return multiply(gradOutput, mask)
}
