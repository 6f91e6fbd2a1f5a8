// NextSentencePredictionHead: is sentence B the real continuation of sentence A?
//
// Legend: B batch, H hidden. logits = pooled Ws^T + bs, [B, 2]; class 0 means "B follows A"
// (IsNext), class 1 "B is random" (NotNext), as in the reference.
// Checkpoint names: `cls.seq_relationship.weight` [2, H], `cls.seq_relationship.bias` [2].

/// The next-sentence classifier on the pooled [CLS] vector (`cls.seq_relationship`).
public struct NextSentencePredictionHead: Sendable {
  /// Ws, bs: [2, H], [2].
  public let sequenceRelationship: Linear

  /// What backward needs from a forward pass.
  struct Cache: Sendable {
    let pooled: Tensor
    let loss: HeadLoss?
  }

  /// A zero head.
  public init(config: BERTConfig) {
    sequenceRelationship = Linear(inputSize: config.hiddenSize, outputSize: 2)
  }

  // MARK: - Forward

  /// `logits = pooled Ws^T + bs` [B, 2], and the cross-entropy against `labels` [B] when given.
  func forward(
    _ pooled: Tensor, labels: [Int]?, mode: ForwardMode
  ) -> (logits: Tensor, loss: HeadLoss?, cache: Cache?) {
    let logits = sequenceRelationship.forward(pooled, mode: mode)
    let loss = labels.map { HeadLoss.crossEntropy(logits, labels: $0, mode: mode) }
    return (logits, loss, mode.keepsCaches ? Cache(pooled: pooled, loss: loss) : nil)
  }

  // MARK: - Backward

  /// dL/dpooled [B, H] from dL/dlogits [B, 2].
  func backward(_ gradLogits: Tensor, cache: Cache) -> Tensor {
    // logits = pooled Ws^T + bs
    sequenceRelationship.backward(gradLogits, input: cache.pooled)
  }
}
