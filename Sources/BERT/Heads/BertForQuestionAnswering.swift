// BertForQuestionAnswering: extractive QA, a start and an end score for every token.
//
// Legend: B batch, T tokens, H hidden.
//   logits       = x_L Wqa^T + bqa        [B, T, 2]
//   start, end   = logits[..., 0], logits[..., 1]   [B, T] each
//   loss         = (CE(start, s) + CE(end, e)) / 2
// As the reference, the positions s, e [B] are clamped to 0...T and a position equal to T
// (out of the sequence) is ignored by the cross-entropy.

/// BERT with the span head (the reference's `BertForQuestionAnswering`).
public final class BertForQuestionAnswering: Sendable {
  /// The hyperparameters.
  public let config: BERTConfig
  /// The encoder, without a pooler (`bert.*`).
  public let bert: BertModel
  /// Wqa, bqa: [2, H], [2] (`qa_outputs`): row 0 scores starts, row 1 ends.
  public let qaOutputs: Linear

  /// The outputs of a forward pass.
  public struct Output: Sendable {
    /// [B, T].
    public var startLogits: Tensor
    /// [B, T].
    public var endLogits: Tensor
    /// The mean of the start and end cross-entropies, when positions were given.
    public var loss: Float?
    /// x_0 ... x_L when requested.
    public var hiddenStates: [Tensor]?
    /// Per layer [B, A, T, T] when requested.
    public var attentions: [Tensor]?
  }

  /// What backward needs from a forward pass.
  public struct Cache: Sendable {
    let bert: BertModel.Cache
    let sequenceOutput: Tensor
    let startLoss: HeadLoss?
    let endLoss: HeadLoss?
  }

  /// A model with zero parameters (for a loader, or `initializeWeights(using:)`).
  public init(config: BERTConfig) {
    self.config = config
    bert = BertModel(config: config, addPoolingLayer: false)
    qaOutputs = Linear(inputSize: config.hiddenSize, outputSize: 2)
  }

  /// A model initialised as the reference does.
  public convenience init(config: BERTConfig, rng: inout RandomGenerator) {
    self.init(config: config)
    initializeWeights(using: &rng)
  }

  // MARK: - Forward

  /// The start and end logits, and the loss when both `startPositions` and `endPositions` [B] are given.
  public func forward(
    _ input: BertInput, startPositions: [Int]? = nil, endPositions: [Int]? = nil, mode: ForwardMode,
    outputs: BertOptionalOutputs = [], rng: inout RandomGenerator
  ) -> (output: Output, cache: Cache?) {
    let (encoded, bertCache) = bert.forward(input, mode: mode, outputs: outputs, rng: &rng)
    let (batch, tokens) = (input.batchSize, input.sequenceLength)
    // logits = x_L Wqa^T + bqa, split into the two columns.
    let logits = qaOutputs.forward(encoded.lastHiddenState, mode: mode)
    var startLogits = Tensor(zeros: [batch, tokens])
    var endLogits = Tensor(zeros: [batch, tokens])
    for n in 0..<(batch * tokens) {
      startLogits.scalars[n] = logits.scalars[2 * n]
      endLogits.scalars[n] = logits.scalars[2 * n + 1]
    }
    var startLoss: HeadLoss?
    var endLoss: HeadLoss?
    if let startPositions, let endPositions {
      // Positions outside the sequence become T, which the cross-entropy ignores.
      let clamp = { (positions: [Int]) in positions.map { min(max($0, 0), tokens) } }
      startLoss = HeadLoss.crossEntropy(
        startLogits, labels: clamp(startPositions), ignoreIndex: tokens, mode: mode)
      endLoss = HeadLoss.crossEntropy(endLogits, labels: clamp(endPositions), ignoreIndex: tokens, mode: mode)
    }
    let total = startLoss.flatMap { start in endLoss.map { (start.value + $0.value) / 2 } }
    let output = Output(
      startLogits: startLogits, endLogits: endLogits, loss: total, hiddenStates: encoded.hiddenStates,
      attentions: encoded.attentions)
    guard let bertCache else { return (output, nil) }
    let cache = Cache(
      bert: bertCache, sequenceOutput: encoded.lastHiddenState, startLoss: startLoss, endLoss: endLoss)
    return (output, cache)
  }

  /// The outputs of an inference pass.
  public func predict(_ input: BertInput, outputs: BertOptionalOutputs = []) -> Output {
    var unused = RandomGenerator(seed: 0)
    return forward(input, mode: .inference, outputs: outputs, rng: &unused).output
  }

  // MARK: - Backward

  /// Accumulates gradients from dL/dstartLogits and dL/dendLogits, [B, T] each.
  public func backward(gradStartLogits: Tensor, gradEndLogits: Tensor, cache: Cache) {
    checkSameShape(gradStartLogits, gradEndLogits, "BertForQuestionAnswering.backward")
    // start, end = logits[..., 0], logits[..., 1]: interleave back into [B, T, 2].
    var gradLogits = Tensor(zeros: gradStartLogits.shape + [2])
    for n in 0..<gradStartLogits.count {
      gradLogits.scalars[2 * n] = gradStartLogits.scalars[n]
      gradLogits.scalars[2 * n + 1] = gradEndLogits.scalars[n]
    }
    // logits = x_L Wqa^T + bqa
    let gradSequence = qaOutputs.backward(gradLogits, input: cache.sequenceOutput)
    bert.backward(gradLastHiddenState: gradSequence, cache: cache.bert)
  }

  /// Accumulates the gradients of `gradLoss * loss` (the forward pass must have had positions).
  public func backward(cache: Cache, gradLoss: Float = 1) {
    // loss = (start + end) / 2: each term receives gradLoss / 2.
    let context = "BertForQuestionAnswering.backward"
    backward(
      gradStartLogits: HeadLoss.logitsGradient(cache.startLoss, scaledBy: gradLoss / 2, context),
      gradEndLogits: HeadLoss.logitsGradient(cache.endLoss, scaledBy: gradLoss / 2, context), cache: cache)
  }
}
