// BertPooler: a sentence vector from the first token, pooled = tanh(x[:, 0] Wp^T + bp).
//
// Legend: B batch, T tokens, H hidden. Shapes: x [B, T, H], x[:, 0] [B, H], pooled [B, H].
// Checkpoint names: `pooler.dense.weight` [H, H], `pooler.dense.bias` [H].

/// The [CLS] pooler that feeds next-sentence prediction and sequence classification.
public struct BertPooler: Sendable {
  /// Wp, bp: [H, H], [H] (`pooler.dense`).
  public let dense: Linear

  /// What backward needs from a forward pass.
  public struct Cache: Sendable {
    let sequenceLength: Int
    /// x[:, 0], [B, H].
    let firstTokens: Tensor
    /// pooled, [B, H].
    let output: Tensor
  }

  /// Zero weights shaped by `config`.
  public init(config: BERTConfig) {
    dense = Linear(inputSize: config.hiddenSize, outputSize: config.hiddenSize)
  }

  // MARK: - Forward

  /// `pooled = tanh(x[:, 0] Wp^T + bp)`, [B, H].
  public func forward(_ hiddenStates: Tensor, mode: ForwardMode) -> (output: Tensor, cache: Cache?) {
    let firstTokens = firstTokenRows(hiddenStates)
    let output = tanh(dense.forward(firstTokens, mode: mode))
    guard mode.keepsCaches else { return (output, nil) }
    return (output, Cache(sequenceLength: hiddenStates.shape[1], firstTokens: firstTokens, output: output))
  }

  // MARK: - Backward

  /// dL/dx [B, T, H] (zero except at t = 0) from dL/dpooled [B, H].
  public func backward(_ gradOutput: Tensor, cache: Cache) -> Tensor {
    // pooled = tanh(z)
    let gradPreActivation = tanhBackward(gradOutput, output: cache.output)
    // z = x[:, 0] Wp^T + bp
    let gradFirstTokens = dense.backward(gradPreActivation, input: cache.firstTokens)
    // x[:, 0]: back to position 0 of each sequence.
    let batch = gradFirstTokens.shape[0]
    return scatterRows(
      gradFirstTokens, rows: firstTokenIndices(batch: batch, tokens: cache.sequenceLength),
      shape: [batch, cache.sequenceLength, dense.inputSize])
  }

  /// x[:, 0] of x [B, T, H], as [B, H].
  func firstTokenRows(_ hiddenStates: Tensor) -> Tensor {
    let (batch, tokens) = (hiddenStates.shape[0], hiddenStates.shape[1])
    return gatherRows(
      hiddenStates, rows: firstTokenIndices(batch: batch, tokens: tokens), width: hiddenStates.shape[2])
  }

  /// The flat row b * T of each sequence's first token.
  private func firstTokenIndices(batch: Int, tokens: Int) -> [Int] {
    (0..<batch).map { $0 * tokens }
  }
}
