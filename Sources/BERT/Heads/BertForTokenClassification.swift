// BertForTokenClassification: a label for every token (named entities, parts of speech).
//
// Legend: B batch, T tokens, H hidden, C labels (`numLabels`).
// logits = Dropout(x_L) Wc^T + bc, [B, T, C]; loss = mean cross-entropy over the tokens whose
// label (in [B * T]) is not -100, as the reference.

/// BERT with a per-token classifier (the reference's `BertForTokenClassification`).
public final class BertForTokenClassification: Sendable {
  /// The hyperparameters (`numLabels` is C).
  public let config: BERTConfig
  /// The encoder, without a pooler (`bert.*`).
  public let bert: BertModel
  /// Dropout on the token vectors (`classifierDropout`, else `hiddenDropoutProb`, as the reference).
  public let dropout: Dropout
  /// Wc, bc: [C, H], [C] (`classifier`).
  public let classifier: Linear

  /// The outputs of a forward pass: logits, loss, optional hidden states and attentions.
  public typealias Output = BertClassifierOutput

  /// What backward needs from a forward pass.
  public typealias Cache = BertClassifierCache

  /// A model with zero parameters (for a loader, or `initializeWeights(using:)`).
  public init(config: BERTConfig) {
    self.config = config
    bert = BertModel(config: config, addPoolingLayer: false)
    dropout = Dropout(probability: Float(config.classifierDropout ?? config.hiddenDropoutProb))
    classifier = Linear(inputSize: config.hiddenSize, outputSize: config.numLabels)
  }

  /// A model initialised as the reference does.
  public convenience init(config: BERTConfig, rng: inout RandomGenerator) {
    self.init(config: config)
    initializeWeights(using: &rng)
  }

  // MARK: - Forward

  /// The logits [B, T, C], and the loss when `labels` [B * T] (-100 ignored) are given.
  public func forward(
    _ input: BertInput, labels: [Int]? = nil, mode: ForwardMode, outputs: BertOptionalOutputs = [],
    rng: inout RandomGenerator
  ) -> (output: Output, cache: Cache?) {
    let (encoded, bertCache) = bert.forward(input, mode: mode, outputs: outputs, rng: &rng)
    // logits = Dropout(x_L) Wc^T + bc
    let (logits, classifierCache) = droppedLinearForward(
      encoded.lastHiddenState, dropout: dropout, linear: classifier, mode: mode, rng: &rng)
    let loss = labels.map { labels in
      precondition(
        labels.count == input.tokenCount,
        "BertForTokenClassification: \(labels.count) labels for \(input.tokenCount) tokens")
      return HeadLoss.crossEntropy(logits.reshaped([input.tokenCount, -1]), labels: labels, mode: mode)
    }
    let output = Output(
      logits: logits, loss: loss?.value, hiddenStates: encoded.hiddenStates, attentions: encoded.attentions)
    guard let bertCache, let classifierCache else { return (output, nil) }
    return (output, Cache(bert: bertCache, classifier: classifierCache, loss: loss))
  }

  /// The outputs of an inference pass.
  public func predict(_ input: BertInput, outputs: BertOptionalOutputs = []) -> Output {
    var unused = RandomGenerator(seed: 0)
    return forward(input, mode: .inference, outputs: outputs, rng: &unused).output
  }

  // MARK: - Backward

  /// Accumulates gradients from dL/dlogits [B, T, C].
  public func backward(gradLogits: Tensor, cache: Cache) {
    let gradSequence = droppedLinearBackward(
      gradLogits, dropout: dropout, linear: classifier, cache: cache.classifier)
    bert.backward(gradLastHiddenState: gradSequence, cache: cache.bert)
  }

  /// Accumulates the gradients of `gradLoss * loss` (the forward pass must have had labels).
  public func backward(cache: Cache, gradLoss: Float = 1) {
    let context = "BertForTokenClassification.backward"
    let gradLogits = HeadLoss.logitsGradient(cache.loss, scaledBy: gradLoss, context)
    backward(
      gradLogits: gradLogits.reshaped(cache.classifier.dropped.shape.dropLast() + [config.numLabels]),
      cache: cache)
  }
}
