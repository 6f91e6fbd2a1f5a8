// BertResidualOutput: y = LayerNorm(Dropout(x W^T + b) + residual), the tail of both sublayers.
//
// Legend: B batch, T tokens, H hidden, I intermediate; N the input width (H or I).
// Shapes: x [B, T, N], W [H, N], b [H], residual [B, T, H], y [B, T, H].
//
// Every encoder layer has two of these, the reference's `BertSelfOutput` and `BertOutput`,
// which differ only in the input width:
//   after attention      N = H, checkpoint `attention.output.dense`, `attention.output.LayerNorm`,
//                        residual = the layer's input
//   after the expansion  N = I, checkpoint `output.dense`, `output.LayerNorm`,
//                        residual = the attention sublayer's output

/// A projection back to H, dropout, a residual connection and LayerNorm.
public struct BertResidualOutput: Sendable {
  /// W, b: [H, N], [H] (`*.dense`).
  public let dense: Linear
  /// The normalisation of the residual sum (`*.LayerNorm`).
  public let layerNorm: LayerNormalization
  /// Dropout with `hiddenDropoutProb`.
  public let dropout: Dropout

  /// What backward needs from a forward pass.
  public struct Cache: Sendable {
    /// x, [B, T, N]; nil when the caller keeps the means to form it again (see BertLayer).
    let input: Tensor?
    let dropoutMask: DropoutMask?
    let layerNorm: LayerNormCache
  }

  /// Zero weights from `inputSize` (N) features to `config.hiddenSize`.
  public init(inputSize: Int, config: BERTConfig) {
    dense = Linear(inputSize: inputSize, outputSize: config.hiddenSize)
    layerNorm = LayerNormalization(size: config.hiddenSize, epsilon: Float(config.layerNormEps))
    dropout = Dropout(probability: Float(config.hiddenDropoutProb))
  }

  // MARK: - Forward

  /// `y = LayerNorm(Dropout(x W^T + b) + residual)`.
  ///
  /// - Parameter keepsInput: Whether the cache holds x for backward; with false, backward
  ///   must be given x again.
  public func forward(
    _ input: Tensor, residual: Tensor, mode: ForwardMode, rng: inout RandomGenerator, keepsInput: Bool = true
  ) -> (output: Tensor, cache: Cache?) {
    var (sum, mask) = dropout.forward(dense.forward(input, mode: mode), mode: mode, rng: &rng)
    sum += residual
    let (output, layerNormCache) = layerNorm.forward(sum)
    guard mode.keepsCaches else { return (output, nil) }
    return (output, Cache(input: keepsInput ? input : nil, dropoutMask: mask, layerNorm: layerNormCache))
  }

  // MARK: - Backward

  /// Returns (dL/dx, dL/dresidual) from dL/dy.
  ///
  /// - Parameter input: x, when the forward pass did not keep it.
  public func backward(
    _ gradOutput: Tensor, cache: Cache, input: Tensor? = nil
  ) -> (gradInput: Tensor, gradResidual: Tensor) {
    guard let input = input ?? cache.input else {
      preconditionFailure("BertResidualOutput.backward: the forward pass kept no input and none was given")
    }
    // y = LayerNorm(sum)
    let gradSum = layerNorm.backward(gradOutput, cache: cache.layerNorm)
    // sum = Dropout(x W^T + b) + residual: the residual receives gradSum unchanged.
    let gradDense = dropout.backward(gradSum, mask: cache.dropoutMask)
    let gradInput = dense.backward(gradDense, input: input)
    return (gradInput, gradSum)
  }
}
