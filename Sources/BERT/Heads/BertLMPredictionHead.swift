// BertLMPredictionHead: the masked-LM head, logits = LayerNorm(GELU(x Wt^T + bt)) E^T + b.
//
// Legend: B batch, T tokens, H hidden, V vocabulary, M predicted positions.
//
//   t      = LayerNorm(GELU(x Wt^T + bt))     [M, H]   (cls.predictions.transform)
//   logits = t E^T + b                        [M, V]   (decoder: E is the word embedding table)
//
// The decoder weight is the word embedding Parameter itself (tied, as in the reference), so
// its gradient adds to the embeddings' gradient; b is the head's own `cls.predictions.bias`.
// The head can decode every position (M = B * T) or only chosen rows, e.g. the masked ones:
// in pre-training only about 15% of the tokens carry a label, so decoding only those rows
// saves most of the [M, V] work and gives the same loss.

/// Which positions the masked-LM head decodes.
public enum MaskedLMPositions: Sendable, Equatable {
  /// Every position: logits [B, T, V], as the reference.
  case all
  /// The positions whose label is not -100: logits [M, V]; the loss equals the reference's.
  case labelled
  /// The given flat positions b * T + t, in this order: logits [M, V] (e.g. the [MASK]
  /// tokens in fill-mask). With labels, only these positions count in the loss.
  case rows([Int])
}

/// The masked-LM prediction head (`cls.predictions`) with its tied decoder.
public struct BertLMPredictionHead: Sendable {
  /// Wt, bt: [H, H], [H] (`cls.predictions.transform.dense`).
  public let transformDense: Linear
  /// The transform's normalisation (`cls.predictions.transform.LayerNorm`).
  public let transformLayerNorm: LayerNormalization
  /// E, [V, H]: the word embedding table, shared with `BertEmbeddings.wordEmbeddings`
  /// (its own `cls.predictions.decoder.weight` only when `tieWordEmbeddings` is false).
  public let decoderWeight: Parameter
  /// Whether `decoderWeight` is the word embedding table.
  public let isTied: Bool
  /// b, [V] (`cls.predictions.bias`).
  public let outputBias: Parameter

  /// What backward needs from a forward pass.
  public struct Cache: Sendable {
    /// The sequence output's shape [B, T, H].
    let sequenceShape: [Int]
    /// The decoded rows (nil: all of them).
    let rows: [Int]?
    /// x at those rows, [M, H].
    let selected: Tensor
    /// x Wt^T + bt, before GELU.
    let preActivation: Tensor
    let layerNorm: LayerNormCache
    /// t, [M, H].
    let transformed: Tensor
    let loss: HeadLoss?
  }

  /// The outputs of a forward pass.
  struct Output {
    /// [B, T, V] for `.all`, else [M, V].
    var logits: Tensor
    /// The flat positions decoded (nil for `.all`).
    var rows: [Int]?
    var loss: HeadLoss?
  }

  /// A zero head whose decoder is `wordEmbeddings` (the encoder's table), or a separate
  /// zero [V, H] weight when `config.tieWordEmbeddings` is false.
  public init(config: BERTConfig, wordEmbeddings: Parameter) {
    let hidden = config.hiddenSize
    precondition(
      config.hiddenAct == "gelu",
      "BertLMPredictionHead: hidden_act \"\(config.hiddenAct)\" is not supported (only \"gelu\")")
    transformDense = Linear(inputSize: hidden, outputSize: hidden)
    transformLayerNorm = LayerNormalization(size: hidden, epsilon: Float(config.layerNormEps))
    isTied = config.tieWordEmbeddings
    decoderWeight = isTied ? wordEmbeddings : Parameter(Tensor(zeros: [config.vocabSize, hidden]))
    outputBias = Parameter(Tensor(zeros: [config.vocabSize]))
  }

  // MARK: - Forward

  /// Logits at the chosen positions of `sequenceOutput` [B, T, H], and the mean
  /// cross-entropy against `labels` [B * T] (-100 ignored) when given.
  func forward(
    _ sequenceOutput: Tensor, labels: [Int]?, positions: MaskedLMPositions, mode: ForwardMode
  ) -> (output: Output, cache: Cache?) {
    let (batch, tokens, hidden) = (sequenceOutput.shape[0], sequenceOutput.shape[1], sequenceOutput.shape[2])
    precondition(
      labels.map { $0.count == batch * tokens } ?? true,
      "BertLMPredictionHead: \(labels?.count ?? 0) labels for \(batch) x \(tokens) tokens")
    let rows: [Int]?
    switch positions {
    case .all: rows = nil
    case .rows(let chosen): rows = chosen
    case .labelled:
      guard let labels else { preconditionFailure("BertLMPredictionHead: .labelled positions need labels") }
      rows = labels.indices.filter { labels[$0] != -100 }
    }
    // x at the chosen rows, [M, H].
    let selected =
      rows.map { gatherRows(sequenceOutput, rows: $0, width: hidden) }
      ?? sequenceOutput.reshaped([batch * tokens, hidden])
    // t = LayerNorm(GELU(x Wt^T + bt))
    let preActivation = transformDense.forward(selected, mode: mode)
    let (transformed, layerNormCache) = transformLayerNorm.forward(gelu(preActivation))
    // logits = t E^T + b
    let logits = linear(
      transformed, weight: decoderWeight, bias: outputBias, keepsPackedWeight: mode.keepsPackedWeights)
    let loss = labels.map { labels in
      HeadLoss.crossEntropy(logits, labels: rows.map { $0.map { labels[$0] } } ?? labels, mode: mode)
    }
    let shaped = rows == nil ? logits.reshaped([batch, tokens, -1]) : logits
    let output = Output(logits: shaped, rows: rows, loss: loss)
    guard mode.keepsCaches else { return (output, nil) }
    let cache = Cache(
      sequenceShape: sequenceOutput.shape, rows: rows, selected: selected, preActivation: preActivation,
      layerNorm: layerNormCache, transformed: transformed, loss: loss)
    return (output, cache)
  }

  // MARK: - Backward

  /// dL/dx [B, T, H] from dL/dlogits (the shape of the forward's logits).
  func backward(_ gradLogits: Tensor, cache: Cache) -> Tensor {
    let vocabulary = outputBias.shape[0]
    let rows2D = gradLogits.reshaped([-1, vocabulary])
    // logits = t E^T + b: dE goes to the shared word embedding table.
    let gradTransformed = linearBackward(
      rows2D, x: cache.transformed, weight: decoderWeight, bias: outputBias)
    // t = LayerNorm(GELU(a))
    let gradActivated = transformLayerNorm.backward(gradTransformed, cache: cache.layerNorm)
    let gradPreActivation = geluBackward(gradActivated, input: cache.preActivation)
    // a = x Wt^T + bt
    let gradSelected = transformDense.backward(gradPreActivation, input: cache.selected)
    // x at the chosen rows.
    guard let rows = cache.rows else { return gradSelected.reshaped(cache.sequenceShape) }
    return scatterRows(gradSelected, rows: rows, shape: cache.sequenceShape)
  }
}
