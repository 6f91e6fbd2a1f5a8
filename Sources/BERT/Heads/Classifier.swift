// Classifier: logits = Dropout(x) W^T + b on top of the encoder, and what the heads built on
// it share.
//
// Shapes: x [N, H] (pooled [B, H] or tokens [B, T, H]), W [C, H], b [C], logits [N, C].
// Sequence and token classification use it with their dropout; next-sentence prediction
// and question answering are the same linear map without dropout.

/// The outputs of a head with one logits tensor (next sentence, sequence and token classification).
public struct BertClassifierOutput: Sendable {
  /// [B, C] for a sequence, [B, T, C] for tokens.
  public var logits: Tensor
  /// The loss for the labels given.
  public var loss: Float?
  /// x_0 ... x_L when requested.
  public var hiddenStates: [Tensor]?
  /// Per layer [B, A, T, T] when requested.
  public var attentions: [Tensor]?
}

/// What backward needs from a forward pass of sequence or token classification.
public struct BertClassifierCache: Sendable {
  let bert: BertModel.Cache
  let classifier: DroppedLinearCache
  let loss: HeadLoss?
}

/// What backward needs from `droppedLinearForward`.
struct DroppedLinearCache: Sendable {
  /// Dropout(x), the input of the linear layer.
  let dropped: Tensor
  let mask: DropoutMask?
}

/// `logits = Dropout(x) W^T + b`.
func droppedLinearForward(
  _ input: Tensor, dropout: Dropout, linear: Linear, mode: ForwardMode, rng: inout RandomGenerator
) -> (logits: Tensor, cache: DroppedLinearCache?) {
  let (dropped, mask) = dropout.forward(input, mode: mode, rng: &rng)
  let logits = linear.forward(dropped, mode: mode)
  return (logits, mode.keepsCaches ? DroppedLinearCache(dropped: dropped, mask: mask) : nil)
}

/// Differentiates `logits = Dropout(x) W^T + b`; returns dL/dx.
func droppedLinearBackward(
  _ gradLogits: Tensor, dropout: Dropout, linear: Linear, cache: DroppedLinearCache
) -> Tensor {
  // logits = d W^T + b
  let gradDropped = linear.backward(gradLogits, input: cache.dropped)
  // d = Dropout(x)
  return dropout.backward(gradDropped, mask: cache.mask)
}
