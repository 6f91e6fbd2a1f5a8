// BertEmbeddings: the input layer, e = Dropout(LayerNorm(word[id] + tokenType[segment] + position[t])).
//
// Legend: B batch, T tokens, H hidden, V vocabulary, P max positions, S token types.
// Shapes: ids [B * T]; word table [V, H], position table [P, H], token type table [S, H];
// output [B, T, H].

/// Word, position and segment embeddings summed, normalised and dropped out.
public struct BertEmbeddings: Sendable {
  /// Word vectors [V, H] (`embeddings.word_embeddings.weight`); the padding id's row is not
  /// trained by lookups. The masked-LM decoder shares this parameter.
  public let wordEmbeddings: EmbeddingTable
  /// Learned absolute positions [P, H] (`embeddings.position_embeddings.weight`).
  public let positionEmbeddings: EmbeddingTable
  /// Segment vectors [S, H] (`embeddings.token_type_embeddings.weight`).
  public let tokenTypeEmbeddings: EmbeddingTable
  /// Normalisation of the sum (`embeddings.LayerNorm`).
  public let layerNorm: LayerNormalization
  /// Dropout with `hiddenDropoutProb`.
  public let dropout: Dropout

  /// What backward needs from a forward pass.
  public struct Cache: Sendable {
    let input: BertInput
    let layerNorm: LayerNormCache
    let dropoutMask: DropoutMask?
  }

  /// Zero tables shaped by `config` (see `initializeWeights(using:)` on the model).
  public init(config: BERTConfig) {
    let hidden = config.hiddenSize
    wordEmbeddings = EmbeddingTable(count: config.vocabSize, size: hidden, paddingIndex: config.padTokenId)
    positionEmbeddings = EmbeddingTable(count: config.maxPositionEmbeddings, size: hidden)
    tokenTypeEmbeddings = EmbeddingTable(count: config.typeVocabSize, size: hidden)
    layerNorm = LayerNormalization(size: hidden, epsilon: Float(config.layerNormEps))
    dropout = Dropout(probability: Float(config.hiddenDropoutProb))
  }

  // MARK: - Forward

  /// `e = Dropout(LayerNorm(word[ids] + tokenType[segments] + position[positions]))`, [B, T, H].
  ///
  /// The sum is taken in the reference's order: words plus token types, then plus positions.
  public func forward(
    _ input: BertInput, mode: ForwardMode, rng: inout RandomGenerator
  ) -> (output: Tensor, cache: Cache?) {
    var sum = wordEmbeddings.forward(input.inputIds)  // [B*T, H]
    sum += tokenTypeEmbeddings.forward(input.tokenTypeIds)
    sum += positionEmbeddings.forward(input.positionIds)
    let (normalised, layerNormCache) = layerNorm.forward(sum)
    let (output, mask) = dropout.forward(normalised, mode: mode, rng: &rng)
    let shaped = output.reshaped([input.batchSize, input.sequenceLength, wordEmbeddings.size])
    guard mode.keepsCaches else { return (shaped, nil) }
    return (shaped, Cache(input: input, layerNorm: layerNormCache, dropoutMask: mask))
  }

  // MARK: - Backward

  /// Differentiates the forward pass; the ids have no gradient, so nothing is returned.
  ///
  /// - Parameter gradOutput: dL/de, [B, T, H].
  public func backward(_ gradOutput: Tensor, cache: Cache) {
    let rows = gradOutput.reshaped([cache.input.tokenCount, wordEmbeddings.size])
    // e = Dropout(n)
    let gradNormalised = dropout.backward(rows, mask: cache.dropoutMask)
    // n = LayerNorm(sum)
    let gradSum = layerNorm.backward(gradNormalised, cache: cache.layerNorm)
    // sum = word[ids] + tokenType[segments] + position[positions]: each table gets gradSum.
    wordEmbeddings.backward(gradSum, ids: cache.input.inputIds)
    tokenTypeEmbeddings.backward(gradSum, ids: cache.input.tokenTypeIds)
    positionEmbeddings.backward(gradSum, ids: cache.input.positionIds)
  }
}
