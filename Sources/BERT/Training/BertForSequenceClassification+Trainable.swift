// BertForSequenceClassification in the Trainer: cross-entropy on the batch's class labels
// (mean squared error when the config has one label, as the reference).

extension BertForSequenceClassification: TrainableModel {
  /// Forward (dropout on) and backward on `batch.labels`; returns the mean loss.
  public func trainingStep(on batch: Batch, rng: inout RandomGenerator) -> Float {
    let (output, cache) = forward(
      batch.bertInput, labels: batch.labels.map { .classes($0) }, mode: .training, rng: &rng)
    let loss = requireLoss(output.loss, "BertForSequenceClassification.trainingStep")
    if let cache { backward(cache: cache) }
    return loss
  }

  /// The loss (when labelled) and the logits [B, C] with the labels.
  public func evaluationStep(on batch: Batch) -> EvaluationStep {
    var unused = RandomGenerator(seed: 0)
    let output = forward(
      batch.bertInput, labels: batch.labels.map { .classes($0) }, mode: .inference, rng: &unused
    ).output
    return EvaluationStep(loss: output.loss, predictions: output.logits, labels: batch.labels)
  }
}
