// BertSelfAttention: multi-head scaled dot-product attention over the tokens of each sequence.
//
// Legend: B batch, T tokens, H hidden, A heads, D head size (H / A).
//
//   q, k, v = x Wq^T + bq, x Wk^T + bk, x Wv^T + bv      [B, T, H] each, split to [B, A, T, D]
//   scores  = (q / sqrt(D)) k^T + mask                    [B, A, T, T]
//   p       = softmax(scores) over the keys               [B, A, T, T]
//   context = Dropout(p) v                                [B, A, T, D], merged to [B, T, H]
//
// The mask is the additive [B, T] mask of `BertInput.additiveAttentionMask` (0 keep, the most
// negative Float for padding), broadcast over heads and queries. The matrix products run for
// all (batch, head) pairs at once as batched matmuls over B * A.

/// Multi-head self-attention (`attention.self` in the checkpoint).
public struct BertSelfAttention: Sendable {
  /// The query projection Wq, bq: [H, H], [H] (`attention.self.query`).
  public let queryProjection: Linear
  /// The key projection Wk, bk: [H, H], [H] (`attention.self.key`).
  public let keyProjection: Linear
  /// The value projection Wv, bv: [H, H], [H] (`attention.self.value`).
  public let valueProjection: Linear
  /// A, the number of heads.
  public let headCount: Int
  /// Dropout on the attention probabilities (`attentionProbsDropoutProb`).
  public let dropout: Dropout

  /// What backward needs from a forward pass.
  public struct Cache: Sendable {
    /// x [B, T, H].
    let input: Tensor
    /// q / sqrt(D), k, v as [B * A, T, D].
    let scaledQueries: Tensor
    let keys: Tensor
    let values: Tensor
    /// p = softmax(scores) [B, A, T, T], before dropout.
    let probabilities: Tensor
    /// The dropout mask on p (nil outside training). Dropout(p), the p that multiplied v, is
    /// formed again from p and the mask in backward rather than kept: the same products, so
    /// the same values, and one [B, A, T, T] tensor less held per layer.
    let dropoutMask: DropoutMask?
  }

  /// Zero projections shaped by `config`.
  public init(config: BERTConfig) {
    let hidden = config.hiddenSize
    precondition(
      hidden % config.numAttentionHeads == 0,
      "BertSelfAttention: hidden size \(hidden) is not a multiple of \(config.numAttentionHeads) heads")
    queryProjection = Linear(inputSize: hidden, outputSize: hidden)
    keyProjection = Linear(inputSize: hidden, outputSize: hidden)
    valueProjection = Linear(inputSize: hidden, outputSize: hidden)
    headCount = config.numAttentionHeads
    dropout = Dropout(probability: Float(config.attentionProbsDropoutProb))
  }

  /// D, the width of one head.
  public var headSize: Int { queryProjection.outputSize / headCount }

  /// 1 / sqrt(D), the factor on the scores (the reference's `scaling = D ** -0.5`).
  var scoreScale: Float { Float(1 / Double(headSize).squareRoot()) }

  // MARK: - Forward

  /// The attention context [B, T, H] of `input` [B, T, H], and the probabilities [B, A, T, T]
  /// (after dropout, as the reference reports them; without dropout outside training).
  ///
  /// - Parameters:
  ///   - additiveMask: [B, T], added to every query's scores; nil for no padding.
  public func forward(
    _ input: Tensor, additiveMask: Tensor?, mode: ForwardMode, rng: inout RandomGenerator
  ) -> (context: Tensor, probabilities: Tensor, cache: Cache?) {
    let (batch, tokens, hidden) = (input.shape[0], input.shape[1], input.shape[2])
    guard mode.keepsCaches else {
      // Inference (no dropout, nothing kept for backward): the same arithmetic with the heads
      // read in place (TensorCore's MultiHeadAttention.swift), no [B, A, T, D] copies.
      let (context, probabilities) = multiHeadAttention(
        scaledQueries: scale(queryProjection.forward(input, mode: mode), by: scoreScale),
        keys: keyProjection.forward(input, mode: mode),
        values: valueProjection.forward(input, mode: mode), headCount: headCount, additiveMask: additiveMask)
      return (context, probabilities, nil)
    }
    let headed = [batch * headCount, tokens, headSize]
    // q, k, v = x W^T + b, split into heads: [B, A, T, D] seen as [B * A, T, D].
    let queries = splitHeads(queryProjection.forward(input, mode: mode), headCount: headCount).reshaped(
      headed)
    let keys = splitHeads(keyProjection.forward(input, mode: mode), headCount: headCount).reshaped(headed)
    let values = splitHeads(valueProjection.forward(input, mode: mode), headCount: headCount).reshaped(headed)
    // scores = (q / sqrt(D)) k^T: [B * A, T, T]. Scaling q ([B*A, T, D]) rather than the
    // scores ([B*A, T, T]) is T / D times less work; the result differs from the reference's
    // (q k^T) / sqrt(D) only by rounding.
    let scaledQueries = scale(queries, by: scoreScale)
    let scores = matmul(scaledQueries, keys, transposeA: false, transposeB: true)
    // p = softmax(scores + mask) over the keys.
    let probabilities = maskedSoftmax(
      scores.reshaped([batch, headCount, tokens, tokens]), additiveMask: additiveMask)
    let (dropped, mask) = dropout.forward(probabilities, mode: mode, rng: &rng)
    let droppedProbabilities = dropped.reshaped([batch * headCount, tokens, tokens])
    // context = Dropout(p) v: [B * A, T, D], merged back to [B, T, H].
    let heads = matmul(droppedProbabilities, values, transposeA: false, transposeB: false)
    let context = mergeHeads(heads.reshaped([batch, headCount, tokens, headSize]))
      .reshaped([batch, tokens, hidden])
    // The reference reports the probabilities after dropout (the same in evaluation).
    let reported = dropped
    guard mode.keepsCaches else { return (context, reported, nil) }
    let cache = Cache(
      input: input, scaledQueries: scaledQueries, keys: keys, values: values, probabilities: probabilities,
      dropoutMask: mask)
    return (context, reported, cache)
  }

  // MARK: - Backward

  /// dL/dx [B, T, H] from dL/dcontext [B, T, H]; accumulates into the three projections.
  public func backward(_ gradContext: Tensor, cache: Cache) -> Tensor {
    let (batch, tokens) = (cache.input.shape[0], cache.input.shape[1])
    let headed = [batch * headCount, tokens, headSize]
    // context = merge(heads): split the gradient back into heads.
    let gradHeads = splitHeads(gradContext, headCount: headCount).reshaped(headed)
    // heads = Dropout(p) v
    let droppedProbabilities = (cache.dropoutMask?.apply(to: cache.probabilities) ?? cache.probabilities)
      .reshaped([batch * headCount, tokens, tokens])
    let (gradDropped, gradValues) = matmulBackward(
      gradHeads, droppedProbabilities, cache.values, transposeA: false, transposeB: false)
    // Dropout(p)
    let gradProbabilities = dropout.backward(
      gradDropped.reshaped([batch, headCount, tokens, tokens]), mask: cache.dropoutMask)
    // p = softmax(scores + mask): the mask is a constant.
    let gradScores = softmaxBackward(gradProbabilities, output: cache.probabilities)
    // scores = q' k^T with q' = q / sqrt(D)
    let (gradScaledQueries, gradKeys) = matmulBackward(
      gradScores.reshaped([batch * headCount, tokens, tokens]), cache.scaledQueries, cache.keys,
      transposeA: false, transposeB: true)
    let gradQueries = scale(gradScaledQueries, by: scoreScale)
    // q, k, v = split(x W^T + b): merge the heads, then through each projection; x feeds all three.
    let merged = [batch, headCount, tokens, headSize]
    var gradInput = queryProjection.backward(
      mergeHeads(gradQueries.reshaped(merged)), input: cache.input)
    gradInput += keyProjection.backward(mergeHeads(gradKeys.reshaped(merged)), input: cache.input)
    gradInput += valueProjection.backward(mergeHeads(gradValues.reshaped(merged)), input: cache.input)
    return gradInput
  }
}
