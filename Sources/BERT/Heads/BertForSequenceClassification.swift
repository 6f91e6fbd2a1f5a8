// BertForSequenceClassification: a label (or a score) for each sequence, from the pooled [CLS].
//
// Legend: B batch, H hidden, C labels (`numLabels`).
// logits = Dropout(pooled) Wc^T + bc, [B, C]. The loss follows the reference's problem type
// (`config.problemType`, or when it is nil):
//   C = 1                     regression, mean squared error of logits[:, 0] against scores [B]
//   C > 1, integer labels     single-label classification, mean cross-entropy against labels [B]
//   C > 1, float targets      multi-label classification, mean binary cross-entropy against [B, C]

/// The labels of a sequence-classification batch.
public enum SequenceClassificationLabels: Sendable, Equatable {
  /// Class indices [B] (with `numLabels` 1 they are used as regression targets, as the reference).
  case classes([Int])
  /// Float targets: [B] scores for regression (`numLabels` 1), or [B * C] 0/1 targets for
  /// multi-label classification.
  case targets([Float])
}

/// The reference's `problem_type` values for sequence classification.
public enum SequenceClassificationProblem: Sendable, Equatable {
  /// Mean squared error (`"regression"`).
  case regression
  /// Cross-entropy over C classes (`"single_label_classification"`).
  case singleLabel
  /// Binary cross-entropy per class (`"multi_label_classification"`).
  case multiLabel
}

/// BERT with a classifier on the pooled output (the reference's `BertForSequenceClassification`).
public final class BertForSequenceClassification: Sendable {
  /// The hyperparameters (`numLabels` is C).
  public let config: BERTConfig
  /// The encoder with its pooler (`bert.*`).
  public let bert: BertModel
  /// Dropout on the pooled vector (`classifierDropout`, else `hiddenDropoutProb`, as the reference).
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
    bert = BertModel(config: config)
    dropout = Dropout(probability: Float(config.classifierDropout ?? config.hiddenDropoutProb))
    classifier = Linear(inputSize: config.hiddenSize, outputSize: config.numLabels)
  }

  /// A model initialised as the reference does.
  public convenience init(config: BERTConfig, rng: inout RandomGenerator) {
    self.init(config: config)
    initializeWeights(using: &rng)
  }

  // MARK: - Forward

  /// The logits [B, C], and the loss when labels are given.
  public func forward(
    _ input: BertInput, labels: SequenceClassificationLabels? = nil, mode: ForwardMode,
    outputs: BertOptionalOutputs = [], rng: inout RandomGenerator
  ) -> (output: Output, cache: Cache?) {
    let (encoded, bertCache) = bert.forward(input, mode: mode, outputs: outputs, rng: &rng)
    guard let pooled = encoded.pooledOutput else {
      preconditionFailure("BertForSequenceClassification: no pooler")
    }
    // logits = Dropout(pooled) Wc^T + bc
    let (logits, classifierCache) = droppedLinearForward(
      pooled, dropout: dropout, linear: classifier, mode: mode, rng: &rng)
    let loss = labels.map { problemLoss(logits, labels: $0, mode: mode) }
    let output = Output(
      logits: logits, loss: loss?.value, hiddenStates: encoded.hiddenStates, attentions: encoded.attentions)
    guard let bertCache, let classifierCache else { return (output, nil) }
    return (output, Cache(bert: bertCache, classifier: classifierCache, loss: loss))
  }

  /// The loss of the problem type: `config.problemType` when set, else the reference's rule
  /// (one label: regression; integer labels: single-label; float targets: multi-label).
  private func problemLoss(
    _ logits: Tensor, labels: SequenceClassificationLabels, mode: ForwardMode
  ) -> HeadLoss {
    let (batch, classes) = (logits.shape[0], logits.shape[1])
    let context = "BertForSequenceClassification"
    switch problemType(for: labels) {
    case .regression:
      // MSE over [B] (one label, the reference squeezes both sides) or [B, C].
      let values: [Float]
      switch labels {
      case .classes(let indices): values = indices.map(Float.init)
      case .targets(let targets): values = targets
      }
      precondition(
        values.count == batch * classes, "\(context): \(values.count) targets for logits \(logits.shape)")
      return HeadLoss.meanSquared(logits, targets: Tensor(shape: logits.shape, scalars: values), mode: mode)
    case .singleLabel:
      guard case .classes(let indices) = labels, indices.count == batch else {
        preconditionFailure(
          "\(context): single-label classification needs \(batch) class indices, got \(labels)")
      }
      return HeadLoss.crossEntropy(logits, labels: indices, mode: mode)
    case .multiLabel:
      guard case .targets(let targets) = labels, targets.count == batch * classes else {
        preconditionFailure(
          "\(context): multi-label classification needs \(batch) x \(classes) targets, got \(labels)")
      }
      return HeadLoss.binaryCrossEntropy(
        logits, targets: Tensor(shape: logits.shape, scalars: targets), mode: mode)
    }
  }

  /// The reference's `problem_type`: the config's value, else inferred from C and the labels.
  func problemType(for labels: SequenceClassificationLabels) -> SequenceClassificationProblem {
    switch config.problemType {
    case "regression": return .regression
    case "single_label_classification": return .singleLabel
    case "multi_label_classification": return .multiLabel
    default:
      if config.numLabels == 1 { return .regression }
      if case .classes = labels { return .singleLabel }
      return .multiLabel
    }
  }

  /// The outputs of an inference pass.
  public func predict(_ input: BertInput, outputs: BertOptionalOutputs = []) -> Output {
    var unused = RandomGenerator(seed: 0)
    return forward(input, mode: .inference, outputs: outputs, rng: &unused).output
  }

  // MARK: - Backward

  /// Accumulates gradients from dL/dlogits [B, C].
  public func backward(gradLogits: Tensor, cache: Cache) {
    let gradPooled = droppedLinearBackward(
      gradLogits, dropout: dropout, linear: classifier, cache: cache.classifier)
    bert.backward(gradLastHiddenState: nil, gradPooledOutput: gradPooled, cache: cache.bert)
  }

  /// Accumulates the gradients of `gradLoss * loss` (the forward pass must have had labels).
  public func backward(cache: Cache, gradLoss: Float = 1) {
    let context = "BertForSequenceClassification.backward"
    backward(gradLogits: HeadLoss.logitsGradient(cache.loss, scaledBy: gradLoss, context), cache: cache)
  }
}
