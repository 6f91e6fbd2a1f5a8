// LayerNormalization: y = gamma * (x - mean) / sqrt(var + eps) + beta over the last axis.
//
// Shapes: x [N, H] (or [..., H]), gamma [H], beta [H], y like x.
// Checkpoint names: `*.LayerNorm.weight` is gamma, `*.LayerNorm.bias` is beta (older
// checkpoints spell them `gamma` and `beta`).

/// Layer normalisation over the hidden axis with a learned scale and shift.
public struct LayerNormalization: Sendable {
  /// The scale `gamma`, shape [H] (the checkpoint's `LayerNorm.weight`).
  public let gamma: Parameter
  /// The shift `beta`, shape [H] (the checkpoint's `LayerNorm.bias`).
  public let beta: Parameter
  /// The `eps` added to the variance (the config's `layerNormEps`).
  public let epsilon: Float

  /// A layer over `size` features with gamma 0 and beta 0 until initialised (gamma 1, beta 0).
  public init(size: Int, epsilon: Float) {
    gamma = Parameter(Tensor(zeros: [size]))
    beta = Parameter(Tensor(zeros: [size]))
    self.epsilon = epsilon
  }

  // MARK: - Forward

  /// `y = gamma * (x - mean) / sqrt(var + eps) + beta`; returns y and what backward needs.
  public func forward(_ input: Tensor) -> (output: Tensor, cache: LayerNormCache) {
    layerNorm(input, gamma: gamma.value, beta: beta.value, eps: epsilon)
  }

  // MARK: - Backward

  /// Differentiates `y = gamma * xhat + beta`: dgamma += sum(g * xhat), dbeta += sum(g);
  /// returns dx.
  public func backward(_ gradOutput: Tensor, cache: LayerNormCache) -> Tensor {
    let gradients = layerNormBackward(gradOutput, cache: cache, gamma: gamma.value)
    gamma.accumulate(gradients.gradGamma)
    beta.accumulate(gradients.gradBeta)
    return gradients.gradInput
  }
}
