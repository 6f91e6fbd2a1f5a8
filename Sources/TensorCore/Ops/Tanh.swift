import Foundation

// The hyperbolic tangent, the activation of BERT's pooler (`pooler.dense` then tanh).

// MARK: - Forward

/// `y = tanh(x) = (e^x - e^-x) / (e^x + e^-x)`, elementwise; any shape (the pooler's [B, H]).
public func tanh(_ x: Tensor) -> Tensor {
  mapScalars(x) { Foundation.tanh($0) }
}

// MARK: - Backward

/// The gradient of `tanh` from its output y and G = dL/dy: `dx = G * (1 - y^2)`.
public func tanhBackward(_ gradOutput: Tensor, output: Tensor) -> Tensor {
  checkSameShape(gradOutput, output, "tanhBackward")
  return zipScalars(gradOutput, output) { gradient, value in gradient * (1 - value * value) }
}
