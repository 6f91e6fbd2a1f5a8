// BertLayer: one Transformer encoder block (post-LayerNorm, as in the BERT paper).
//
// Legend: B batch, T tokens, H hidden, A heads, I intermediate.
//
//   c = SelfAttention(x, mask)                     [B, T, H]
//   a = LayerNorm(Dropout(c Wo^T + bo) + x)        [B, T, H]   (attentionOutput)
//   h = GELU(a Wi^T + bi)                          [B, T, I]   (intermediate)
//   y = LayerNorm(Dropout(h Wo2^T + bo2) + a)      [B, T, H]   (output)
//
// Checkpoint names under `encoder.layer.{i}.`: `attention.self.*`, `attention.output.*`,
// `intermediate.*`, `output.*`.

/// One encoder block: self-attention and the feed-forward network, each with a residual.
public struct BertLayer: Sendable {
  /// Multi-head self-attention (`attention.self`).
  public let attention: BertSelfAttention
  /// Projection, residual and LayerNorm after attention (`attention.output`, N = H).
  public let attentionOutput: BertResidualOutput
  /// The GELU expansion (`intermediate`).
  public let intermediate: BertIntermediate
  /// Projection, residual and LayerNorm after the expansion (`output`, N = I).
  public let output: BertResidualOutput

  /// What backward needs from a forward pass.
  public struct Cache: Sendable {
    let attention: BertSelfAttention.Cache
    let attentionOutput: BertResidualOutput.Cache
    let intermediate: BertIntermediate.Cache
    let output: BertResidualOutput.Cache
  }

  /// Zero weights shaped by `config`.
  public init(config: BERTConfig) {
    attention = BertSelfAttention(config: config)
    attentionOutput = BertResidualOutput(inputSize: config.hiddenSize, config: config)
    intermediate = BertIntermediate(config: config)
    output = BertResidualOutput(inputSize: config.intermediateSize, config: config)
  }

  // MARK: - Forward

  /// The block's output y [B, T, H] and the attention probabilities [B, A, T, T].
  public func forward(
    _ input: Tensor, additiveMask: Tensor?, mode: ForwardMode, rng: inout RandomGenerator
  ) -> (output: Tensor, probabilities: Tensor, cache: Cache?) {
    let (context, probabilities, attentionCache) = attention.forward(
      input, additiveMask: additiveMask, mode: mode, rng: &rng)
    let (attended, attentionOutputCache) = attentionOutput.forward(
      context, residual: input, mode: mode, rng: &rng)
    let (expanded, intermediateCache) = intermediate.forward(attended, mode: mode)
    // h = GELU(...) [B, T, I] is the widest activation of the block. Backward needs it once
    // (for the weight gradient of the output dense layer) and forms it again from the
    // pre-activations the intermediate cache holds, rather than keeping a second [B, T, I].
    let (result, outputCache) = output.forward(
      expanded, residual: attended, mode: mode, rng: &rng, keepsInput: false)
    guard let attentionCache, let attentionOutputCache, let intermediateCache, let outputCache else {
      return (result, probabilities, nil)
    }
    let cache = Cache(
      attention: attentionCache, attentionOutput: attentionOutputCache, intermediate: intermediateCache,
      output: outputCache)
    return (result, probabilities, cache)
  }

  // MARK: - Backward

  /// dL/dx [B, T, H] from dL/dy [B, T, H].
  public func backward(_ gradOutput: Tensor, cache: Cache) -> Tensor {
    // y = LayerNorm(Dropout(h Wo2^T + bo2) + a)
    let (gradExpanded, gradAttendedResidual) = output.backward(
      gradOutput, cache: cache.output, input: intermediate.output(from: cache.intermediate))
    // h = GELU(a Wi^T + bi); a also fed the residual above.
    var gradAttended = intermediate.backward(gradExpanded, cache: cache.intermediate)
    gradAttended += gradAttendedResidual
    // a = LayerNorm(Dropout(c Wo^T + bo) + x)
    let (gradContext, gradInputResidual) = attentionOutput.backward(
      gradAttended, cache: cache.attentionOutput)
    // c = SelfAttention(x); x also fed the residual above.
    var gradInput = attention.backward(gradContext, cache: cache.attention)
    gradInput += gradInputResidual
    return gradInput
  }
}
