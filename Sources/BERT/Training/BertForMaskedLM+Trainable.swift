// BertForMaskedLM in the Trainer: masked-LM loss on the collator's labels, decoding only the
// labelled rows (about 15% of the tokens), which gives the reference's loss at a fraction of
// the cost of its every-position decoder.

extension BertForMaskedLM: TrainableModel {
  /// Forward (dropout on) and backward on `batch.tokenLabels`; returns the mean loss.
  public func trainingStep(on batch: Batch, rng: inout RandomGenerator) -> Float {
    let (output, cache) = forward(
      batch.bertInput, labels: batch.tokenLabels, positions: .labelled, mode: .training, rng: &rng)
    let loss = requireLoss(output.loss, "BertForMaskedLM.trainingStep")
    if let cache { backward(cache: cache) }
    return loss
  }

  /// The loss and the logits of the labelled rows [M, V], with their labels.
  public func evaluationStep(on batch: Batch) -> EvaluationStep {
    var unused = RandomGenerator(seed: 0)
    let output = forward(
      batch.bertInput, labels: batch.tokenLabels, positions: .labelled, mode: .inference, rng: &unused
    ).output
    let rows = output.predictedRows ?? Array(0..<(batch.batchSize * batch.sequenceLength))
    let labels = batch.tokenLabels.map { labels in rows.map { labels[$0] } }
    return EvaluationStep(
      loss: output.loss, predictions: output.logits.reshaped([rows.count, config.vocabSize]), labels: labels)
  }
}
