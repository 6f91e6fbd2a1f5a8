// BertForNextSentencePrediction: the encoder with the next-sentence head only.
//
// Legend: B batch, H hidden. logits [B, 2] from the pooled [CLS] vector; loss = mean
// cross-entropy against labels [B] (0: B follows A, 1: B is random).

/// BERT with the next-sentence head (the reference's `BertForNextSentencePrediction`).
public final class BertForNextSentencePrediction: Sendable {
  /// The hyperparameters.
  public let config: BERTConfig
  /// The encoder with its pooler (`bert.*`).
  public let bert: BertModel
  /// The next-sentence head (`cls.seq_relationship.*`).
  public let nextSentence: NextSentencePredictionHead

  /// The outputs of a forward pass: logits, loss, optional hidden states and attentions.
  public typealias Output = BertClassifierOutput

  /// What backward needs from a forward pass.
  public struct Cache: Sendable {
    let bert: BertModel.Cache
    let head: NextSentencePredictionHead.Cache
  }

  /// A model with zero parameters (for a loader, or `initializeWeights(using:)`).
  public init(config: BERTConfig) {
    self.config = config
    bert = BertModel(config: config)
    nextSentence = NextSentencePredictionHead(config: config)
  }

  /// A model initialised as the reference does.
  public convenience init(config: BERTConfig, rng: inout RandomGenerator) {
    self.init(config: config)
    initializeWeights(using: &rng)
  }

  // MARK: - Forward

  /// The logits [B, 2], and the loss when `labels` [B] are given.
  public func forward(
    _ input: BertInput, labels: [Int]? = nil, mode: ForwardMode, outputs: BertOptionalOutputs = [],
    rng: inout RandomGenerator
  ) -> (output: Output, cache: Cache?) {
    let (encoded, bertCache) = bert.forward(input, mode: mode, outputs: outputs, rng: &rng)
    guard let pooled = encoded.pooledOutput else {
      preconditionFailure("BertForNextSentencePrediction: no pooler")
    }
    let (logits, loss, headCache) = nextSentence.forward(pooled, labels: labels, mode: mode)
    let output = Output(
      logits: logits, loss: loss?.value, hiddenStates: encoded.hiddenStates, attentions: encoded.attentions)
    guard let bertCache, let headCache else { return (output, nil) }
    return (output, Cache(bert: bertCache, head: headCache))
  }

  /// The outputs of an inference pass.
  public func predict(_ input: BertInput, outputs: BertOptionalOutputs = []) -> Output {
    var unused = RandomGenerator(seed: 0)
    return forward(input, mode: .inference, outputs: outputs, rng: &unused).output
  }

  // MARK: - Backward

  /// Accumulates gradients from dL/dlogits [B, 2].
  public func backward(gradLogits: Tensor, cache: Cache) {
    let gradPooled = nextSentence.backward(gradLogits, cache: cache.head)
    bert.backward(gradLastHiddenState: nil, gradPooledOutput: gradPooled, cache: cache.bert)
  }

  /// Accumulates the gradients of `gradLoss * loss` (the forward pass must have had labels).
  public func backward(cache: Cache, gradLoss: Float = 1) {
    let context = "BertForNextSentencePrediction.backward"
    backward(gradLogits: HeadLoss.logitsGradient(cache.head.loss, scaledBy: gradLoss, context), cache: cache)
  }
}
