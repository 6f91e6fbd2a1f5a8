// BertForPreTraining in the Trainer: masked-LM loss plus next-sentence loss, as the
// reference sums them; the masked-LM decoder runs at the labelled rows only.

extension BertForPreTraining: TrainableModel {
  /// Forward (dropout on) and backward on the token and next-sentence labels; returns the
  /// summed loss.
  public func trainingStep(on batch: Batch, rng: inout RandomGenerator) -> Float {
    let (output, cache) = forward(
      batch.bertInput, labels: batch.tokenLabels, nextSentenceLabels: batch.nextSentenceLabels,
      positions: .labelled, mode: .training, rng: &rng)
    let loss = requireLoss(output.loss, "BertForPreTraining.trainingStep")
    if let cache { backward(cache: cache) }
    return loss
  }

  /// The summed loss, and the next-sentence logits [B, 2] with their labels (the rows
  /// metrics such as accuracy read).
  public func evaluationStep(on batch: Batch) -> EvaluationStep {
    var unused = RandomGenerator(seed: 0)
    let output = forward(
      batch.bertInput, labels: batch.tokenLabels, nextSentenceLabels: batch.nextSentenceLabels,
      positions: .labelled, mode: .inference, rng: &unused
    ).output
    return EvaluationStep(
      loss: output.loss, predictions: output.seqRelationshipLogits, labels: batch.nextSentenceLabels)
  }
}
