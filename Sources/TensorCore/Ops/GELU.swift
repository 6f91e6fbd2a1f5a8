import CKernels
import Foundation

// GELU, the activation of BERT's feed-forward layers, in the exact erf form that the
// original BERT and Hugging Face's `hidden_act = "gelu"` use (not the tanh approximation).
//
// Φ is the standard normal distribution function and φ its density:
//     Φ(x) = (1 + erf(x / sqrt(2))) / 2        φ(x) = exp(-x^2 / 2) / sqrt(2π)

/// 1 / sqrt(2).
private let inverseSquareRootOfTwo: Float = 0.70710678118654752
/// 1 / sqrt(2π).
private let inverseSquareRootOfTwoPi: Float = 0.39894228040143268

// MARK: - Forward

/// The Gaussian error linear unit `y = x Φ(x) = x * 0.5 * (1 + erf(x / sqrt(2)))`, elementwise.
///
/// Examples: gelu(0) = 0, gelu(1) = 0.8413, gelu(-1) = -0.1587.
/// Any shape; in BERT the intermediate activations [B, T, I].
///
/// The fast version: the same formula with a vectorised erf (Sources/CKernels/vector_math.c,
/// within 5e-7 of the exact GELU); `geluReference` is the plain one it is tested against.
public func gelu(_ x: Tensor) -> Tensor {
  elementwiseKernel(x) { input, output, count in bn_vec_gelu(input, output, count) }
}

/// The teaching version of `gelu`: one `Foundation.erf` per element.
public func geluReference(_ x: Tensor) -> Tensor {
  mapScalars(x) { value in
    value * 0.5 * (1 + Foundation.erf(value * inverseSquareRootOfTwo))
  }
}

// MARK: - Backward

/// The gradient of `gelu` from its input x and G = dL/dy.
///
///     d/dx [x Φ(x)] = Φ(x) + x φ(x),   so   dx = G * (Φ(x) + x φ(x))
///
/// Vectorised as `gelu`; `geluBackwardReference` is the plain version.
public func geluBackward(_ gradOutput: Tensor, input: Tensor) -> Tensor {
  checkSameShape(gradOutput, input, "geluBackward")
  return elementwiseKernel(gradOutput, input) { gradient, value, output, count in
    bn_vec_gelu_backward(gradient, value, output, count)
  }
}

/// The teaching version of `geluBackward`: `Foundation.erf` and `Foundation.exp` per element.
public func geluBackwardReference(_ gradOutput: Tensor, input: Tensor) -> Tensor {
  checkSameShape(gradOutput, input, "geluBackward")
  return zipScalars(gradOutput, input) { gradient, value in
    let cumulative = 0.5 * (1 + Foundation.erf(value * inverseSquareRootOfTwo))
    let density = Foundation.exp(-0.5 * value * value) * inverseSquareRootOfTwoPi
    return gradient * (cumulative + value * density)
  }
}
