// BertForPreTraining: the encoder with both pre-training heads, masked LM and next sentence.
//
// Legend: B batch, T tokens, H hidden, V vocabulary, M decoded positions.
// prediction logits [B, T, V] (or [M, V]); next-sentence logits [B, 2];
// loss = masked-LM loss + next-sentence loss (a plain sum, as the reference), given both labels.

/// BERT with the masked-LM and next-sentence heads (the reference's `BertForPreTraining`).
public final class BertForPreTraining: Sendable {
  /// The hyperparameters.
  public let config: BERTConfig
  /// The encoder with its pooler (`bert.*`).
  public let bert: BertModel
  /// The masked-LM head (`cls.predictions.*`), decoder tied to the word embeddings.
  public let predictions: BertLMPredictionHead
  /// The next-sentence head (`cls.seq_relationship.*`).
  public let nextSentence: NextSentencePredictionHead

  /// The outputs of a forward pass.
  public struct Output: Sendable {
    /// Masked-LM logits: [B, T, V] for `.all`, else [M, V] in the order of `predictedRows`.
    public var predictionLogits: Tensor
    /// The flat positions of `predictionLogits` rows (nil for `.all`).
    public var predictedRows: [Int]?
    /// Next-sentence logits [B, 2].
    public var seqRelationshipLogits: Tensor
    /// Masked-LM loss + next-sentence loss, when both labels were given.
    public var loss: Float?
    /// The masked-LM loss alone, when its labels were given.
    public var maskedLMLoss: Float?
    /// The next-sentence loss alone, when its labels were given.
    public var nextSentenceLoss: Float?
    /// x_0 ... x_L when requested.
    public var hiddenStates: [Tensor]?
    /// Per layer [B, A, T, T] when requested.
    public var attentions: [Tensor]?
  }

  /// What backward needs from a forward pass.
  public struct Cache: Sendable {
    let bert: BertModel.Cache
    let predictions: BertLMPredictionHead.Cache
    let nextSentence: NextSentencePredictionHead.Cache
  }

  /// A model with zero parameters (for a loader, or `initializeWeights(using:)`).
  public init(config: BERTConfig) {
    self.config = config
    bert = BertModel(config: config)
    predictions = BertLMPredictionHead(config: config, wordEmbeddings: bert.embeddings.wordEmbeddings.weight)
    nextSentence = NextSentencePredictionHead(config: config)
  }

  /// A model initialised as the reference does.
  public convenience init(config: BERTConfig, rng: inout RandomGenerator) {
    self.init(config: config)
    initializeWeights(using: &rng)
  }

  // MARK: - Forward

  /// Both heads' logits, and the losses for the labels given.
  ///
  /// - Parameters:
  ///   - labels: masked-LM targets [B * T], -100 where nothing is predicted.
  ///   - nextSentenceLabels: [B], 0 when sentence B follows A, 1 when it is random.
  public func forward(
    _ input: BertInput, labels: [Int]? = nil, nextSentenceLabels: [Int]? = nil,
    positions: MaskedLMPositions = .all, mode: ForwardMode, outputs: BertOptionalOutputs = [],
    rng: inout RandomGenerator
  ) -> (output: Output, cache: Cache?) {
    let (encoded, bertCache) = bert.forward(input, mode: mode, outputs: outputs, rng: &rng)
    let (masked, predictionsCache) = predictions.forward(
      encoded.lastHiddenState, labels: labels, positions: positions, mode: mode)
    guard let pooled = encoded.pooledOutput else { preconditionFailure("BertForPreTraining: no pooler") }
    let (relationship, nextSentenceLoss, nextSentenceCache) = nextSentence.forward(
      pooled, labels: nextSentenceLabels, mode: mode)
    let total = masked.loss.flatMap { mlm in nextSentenceLoss.map { mlm.value + $0.value } }
    let output = Output(
      predictionLogits: masked.logits, predictedRows: masked.rows, seqRelationshipLogits: relationship,
      loss: total, maskedLMLoss: masked.loss?.value, nextSentenceLoss: nextSentenceLoss?.value,
      hiddenStates: encoded.hiddenStates, attentions: encoded.attentions)
    guard let bertCache, let predictionsCache, let nextSentenceCache else { return (output, nil) }
    return (output, Cache(bert: bertCache, predictions: predictionsCache, nextSentence: nextSentenceCache))
  }

  /// The outputs of an inference pass.
  public func predict(
    _ input: BertInput, positions: MaskedLMPositions = .all, outputs: BertOptionalOutputs = []
  ) -> Output {
    var unused = RandomGenerator(seed: 0)
    return forward(input, positions: positions, mode: .inference, outputs: outputs, rng: &unused).output
  }

  // MARK: - Backward

  /// Accumulates gradients from dL/dpredictionLogits and dL/dseqRelationshipLogits.
  public func backward(gradPredictionLogits: Tensor, gradSeqRelationshipLogits: Tensor, cache: Cache) {
    let gradSequence = predictions.backward(gradPredictionLogits, cache: cache.predictions)
    let gradPooled = nextSentence.backward(gradSeqRelationshipLogits, cache: cache.nextSentence)
    bert.backward(gradLastHiddenState: gradSequence, gradPooledOutput: gradPooled, cache: cache.bert)
  }

  /// Accumulates the gradients of `gradLoss * (mlm loss + nsp loss)` (both labels needed).
  public func backward(cache: Cache, gradLoss: Float = 1) {
    // loss = mlm + nsp: each term receives gradLoss.
    let context = "BertForPreTraining.backward"
    backward(
      gradPredictionLogits: HeadLoss.logitsGradient(cache.predictions.loss, scaledBy: gradLoss, context),
      gradSeqRelationshipLogits: HeadLoss.logitsGradient(
        cache.nextSentence.loss, scaledBy: gradLoss, context),
      cache: cache)
  }
}
