// BertModel: the bare encoder, embeddings -> L layers -> (optional) pooler.
//
// Legend: B batch, T tokens, H hidden, A heads, L layers.
//
//   x_0    = Embeddings(ids, segments, positions)        [B, T, H]
//   x_l+1  = Layer_l(x_l, mask)                           [B, T, H]
//   pooled = tanh(x_L[:, 0] Wp^T + bp)                    [B, H]
//
// Checkpoint names: `embeddings.*`, `encoder.layer.{l}.*`, `pooler.*` (a bare `BertModel`
// checkpoint has no prefix; inside the task models they sit under `bert.`). See
// Checkpoint/ParameterNames.swift for the full table.

/// The BERT encoder with its embeddings and, optionally, the [CLS] pooler.
///
/// ```
/// var rng = RandomGenerator(seed: 42)
/// let model = BertModel(config: .tiny, rng: &rng)
/// let input = BertInput(inputIds: [[101, 7592, 102, 0]], attentionMask: [[1, 1, 1, 0]])
/// let output = model.predict(input, outputs: .all)
/// output.lastHiddenState      // [1, 4, 128]
/// output.attentions?[0]       // [1, 2, 4, 4]
/// ```
public final class BertModel: Sendable {
  /// The hyperparameters the model was built with.
  public let config: BERTConfig
  /// The input layer (`embeddings`).
  public let embeddings: BertEmbeddings
  /// The stack of layers (`encoder`).
  public let encoder: BertEncoder
  /// The [CLS] pooler (`pooler`); nil in the heads that do not use it (masked LM, token
  /// classification, question answering), as in the reference's `add_pooling_layer=False`.
  public let pooler: BertPooler?

  /// The outputs of a forward pass.
  public struct Output: Sendable {
    /// x_L, [B, T, H].
    public var lastHiddenState: Tensor
    /// tanh(x_L[:, 0] Wp^T + bp), [B, H]; nil without a pooler.
    public var pooledOutput: Tensor?
    /// x_0, ..., x_L (L + 1 tensors [B, T, H]) when `.hiddenStates` was requested.
    public var hiddenStates: [Tensor]?
    /// Per layer, [B, A, T, T], when `.attentions` was requested.
    public var attentions: [Tensor]?
  }

  /// What backward needs from a forward pass.
  public struct Cache: Sendable {
    let embeddings: BertEmbeddings.Cache
    let encoder: BertEncoder.Cache
    let pooler: BertPooler.Cache?
  }

  /// A model with every parameter zero, ready for a checkpoint loader or for
  /// `initializeWeights(using:)`.
  public init(config: BERTConfig, addPoolingLayer: Bool = true) {
    self.config = config
    embeddings = BertEmbeddings(config: config)
    encoder = BertEncoder(config: config)
    pooler = addPoolingLayer ? BertPooler(config: config) : nil
  }

  /// A model initialised as the reference's `_init_weights` does (see `initializeWeights(using:)`).
  public convenience init(config: BERTConfig, addPoolingLayer: Bool = true, rng: inout RandomGenerator) {
    self.init(config: config, addPoolingLayer: addPoolingLayer)
    initializeWeights(using: &rng)
  }

  // MARK: - Forward

  /// Runs the encoder on a batch.
  ///
  /// - Parameters:
  ///   - input: B sequences of T tokens.
  ///   - mode: `.training` (dropout, caches), `.evaluation` (caches) or `.inference` (neither).
  ///   - outputs: the optional hidden states and attention probabilities to return.
  ///   - rng: the generator dropout draws from (untouched outside training).
  /// - Returns: the outputs, and the cache for `backward` (nil in `.inference`).
  public func forward(
    _ input: BertInput, mode: ForwardMode, outputs: BertOptionalOutputs = [],
    rng: inout RandomGenerator
  ) -> (output: Output, cache: Cache?) {
    let (embedded, embeddingsCache) = embeddings.forward(input, mode: mode, rng: &rng)
    let (encoded, encoderCache) = encoder.forward(
      embedded, additiveMask: input.additiveAttentionMask, mode: mode, outputs: outputs, rng: &rng)
    let pooled = pooler?.forward(encoded.lastHiddenState, mode: mode)
    let output = Output(
      lastHiddenState: encoded.lastHiddenState, pooledOutput: pooled?.output,
      hiddenStates: encoded.hiddenStates, attentions: encoded.attentions)
    guard let embeddingsCache, let encoderCache else { return (output, nil) }
    return (output, Cache(embeddings: embeddingsCache, encoder: encoderCache, pooler: pooled?.cache))
  }

  /// The outputs of an inference pass (no dropout, nothing kept for backward).
  public func predict(_ input: BertInput, outputs: BertOptionalOutputs = []) -> Output {
    // Every pass frees and allocates the same large activations again: keep them in the heap.
    AllocatorTuning.keepFreedMemoryForReuseOnce()
    var unused = RandomGenerator(seed: 0)
    return forward(input, mode: .inference, outputs: outputs, rng: &unused).output
  }

  // MARK: - Backward

  /// Accumulates every parameter's gradient from the gradients of the outputs.
  ///
  /// - Parameters:
  ///   - gradLastHiddenState: dL/dx_L [B, T, H], or nil when the loss does not read it.
  ///   - gradPooledOutput: dL/dpooled [B, H], or nil (must be nil without a pooler).
  ///   - cache: from a `.training` or `.evaluation` forward pass.
  public func backward(gradLastHiddenState: Tensor?, gradPooledOutput: Tensor? = nil, cache: Cache) {
    let shape = [cache.embeddings.input.batchSize, cache.embeddings.input.sequenceLength, config.hiddenSize]
    var grad = gradLastHiddenState ?? Tensor(zeros: shape)
    precondition(grad.shape == shape, "BertModel.backward: gradient \(grad.shape), output is \(shape)")
    // pooled = tanh(x_L[:, 0] Wp^T + bp): x_L also feeds the pooler.
    if let gradPooledOutput {
      guard let pooler, let poolerCache = cache.pooler else {
        preconditionFailure("BertModel.backward: a pooled-output gradient for a model without a pooler")
      }
      grad += pooler.backward(gradPooledOutput, cache: poolerCache)
    }
    // x_L = Encoder(x_0)
    let gradEmbedded = encoder.backward(grad, cache: cache.encoder)
    // x_0 = Embeddings(ids)
    embeddings.backward(gradEmbedded, cache: cache.embeddings)
  }
}
