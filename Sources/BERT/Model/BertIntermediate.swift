// BertIntermediate: the widening half of the feed-forward block, h = GELU(x Wi^T + bi).
//
// Legend: B batch, T tokens, H hidden, I intermediate (4 H in the published sizes).
// Shapes: x [B, T, H], Wi [I, H], bi [I], h [B, T, I].
// GELU is the exact one, x * Phi(x) with the normal CDF Phi (the config's `hidden_act` "gelu").

/// The feed-forward expansion with GELU (`intermediate.dense` in the checkpoint).
public struct BertIntermediate: Sendable {
  /// The expansion Wi, bi: [I, H], [I] (`intermediate.dense`).
  public let dense: Linear

  /// What backward needs from a forward pass.
  public struct Cache: Sendable {
    let input: Tensor
    /// x Wi^T + bi, before GELU.
    let preActivation: Tensor
  }

  /// Zero weights shaped by `config`.
  public init(config: BERTConfig) {
    precondition(
      config.hiddenAct == "gelu",
      "BertIntermediate: hidden_act \"\(config.hiddenAct)\" is not supported (only \"gelu\")")
    dense = Linear(inputSize: config.hiddenSize, outputSize: config.intermediateSize)
  }

  // MARK: - Forward

  /// `h = GELU(x Wi^T + bi)`, [B, T, I].
  public func forward(_ input: Tensor, mode: ForwardMode) -> (output: Tensor, cache: Cache?) {
    let preActivation = dense.forward(input, mode: mode)
    let output = gelu(preActivation)
    guard mode.keepsCaches else { return (output, nil) }
    return (output, Cache(input: input, preActivation: preActivation))
  }

  /// h = GELU(x Wi^T + bi) of the forward pass, formed again from its cache: the same
  /// values, since GELU of the same pre-activations gives the same results.
  public func output(from cache: Cache) -> Tensor {
    gelu(cache.preActivation)
  }

  // MARK: - Backward

  /// Differentiates `h = GELU(x Wi^T + bi)`; returns dL/dx [B, T, H].
  public func backward(_ gradOutput: Tensor, cache: Cache) -> Tensor {
    // h = GELU(a)
    let gradPreActivation = geluBackward(gradOutput, input: cache.preActivation)
    // a = x Wi^T + bi
    return dense.backward(gradPreActivation, input: cache.input)
  }
}
