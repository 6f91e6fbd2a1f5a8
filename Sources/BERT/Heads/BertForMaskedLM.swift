// BertForMaskedLM: the encoder (no pooler) and the masked-LM head.
//
// Legend: B batch, T tokens, H hidden, V vocabulary, M decoded positions.
// logits [B, T, V] (or [M, V] at chosen positions); loss = mean cross-entropy over the
// labelled positions (labels [B * T], -100 for "not predicted"), as the reference.

/// BERT with the masked-language-model head (the reference's `BertForMaskedLM`).
///
/// ```
/// let model = BertForMaskedLM(config: .tiny, rng: &rng)
/// let (output, cache) = model.forward(batch, labels: labels, positions: .labelled, mode: .training, rng: &rng)
/// model.backward(cache: cache!, gradLoss: 1)   // gradients in every parameter
/// ```
public final class BertForMaskedLM: Sendable {
  /// The hyperparameters.
  public let config: BERTConfig
  /// The encoder, without a pooler (`bert.*`).
  public let bert: BertModel
  /// The prediction head, its decoder tied to `bert.embeddings.wordEmbeddings` (`cls.predictions.*`).
  public let predictions: BertLMPredictionHead

  /// The outputs of a forward pass.
  public struct Output: Sendable {
    /// [B, T, V] for `.all`, else [M, V] in the order of `predictedRows`.
    public var logits: Tensor
    /// The flat positions b * T + t that `logits` rows belong to (nil for `.all`).
    public var predictedRows: [Int]?
    /// Mean cross-entropy over the labelled positions, when labels were given.
    public var loss: Float?
    /// x_0 ... x_L when requested.
    public var hiddenStates: [Tensor]?
    /// Per layer [B, A, T, T] when requested.
    public var attentions: [Tensor]?
  }

  /// What backward needs from a forward pass.
  public struct Cache: Sendable {
    let bert: BertModel.Cache
    let head: BertLMPredictionHead.Cache
  }

  /// A model with zero parameters (for a loader, or `initializeWeights(using:)`).
  public init(config: BERTConfig) {
    self.config = config
    bert = BertModel(config: config, addPoolingLayer: false)
    predictions = BertLMPredictionHead(config: config, wordEmbeddings: bert.embeddings.wordEmbeddings.weight)
  }

  /// A model initialised as the reference does.
  public convenience init(config: BERTConfig, rng: inout RandomGenerator) {
    self.init(config: config)
    initializeWeights(using: &rng)
  }

  // MARK: - Forward

  /// Logits at `positions`, and the loss when `labels` ([B * T], -100 ignored) are given.
  public func forward(
    _ input: BertInput, labels: [Int]? = nil, positions: MaskedLMPositions = .all, mode: ForwardMode,
    outputs: BertOptionalOutputs = [], rng: inout RandomGenerator
  ) -> (output: Output, cache: Cache?) {
    let (encoded, bertCache) = bert.forward(input, mode: mode, outputs: outputs, rng: &rng)
    let (head, headCache) = predictions.forward(
      encoded.lastHiddenState, labels: labels, positions: positions, mode: mode)
    let output = Output(
      logits: head.logits, predictedRows: head.rows, loss: head.loss?.value,
      hiddenStates: encoded.hiddenStates, attentions: encoded.attentions)
    guard let bertCache, let headCache else { return (output, nil) }
    return (output, Cache(bert: bertCache, head: headCache))
  }

  /// The outputs of an inference pass.
  public func predict(
    _ input: BertInput, positions: MaskedLMPositions = .all, outputs: BertOptionalOutputs = []
  ) -> Output {
    var unused = RandomGenerator(seed: 0)
    return forward(input, positions: positions, mode: .inference, outputs: outputs, rng: &unused).output
  }

  // MARK: - Backward

  /// Accumulates gradients from dL/dlogits (the shape of `Output.logits`).
  public func backward(gradLogits: Tensor, cache: Cache) {
    let gradSequence = predictions.backward(gradLogits, cache: cache.head)
    bert.backward(gradLastHiddenState: gradSequence, cache: cache.bert)
  }

  /// Accumulates the gradients of `gradLoss * loss` (the forward pass must have had labels).
  public func backward(cache: Cache, gradLoss: Float = 1) {
    let gradLogits = HeadLoss.logitsGradient(cache.head.loss, scaledBy: gradLoss, "BertForMaskedLM.backward")
    backward(gradLogits: gradLogits, cache: cache)
  }
}
