import Foundation

// Evaluation and prediction: the model in inference mode over a dataset in its own order.
//
// Batches of perDeviceEvalBatchSize examples, not shuffled. A masked-LM collator draws its
// positions from a generator seeded with `args.seed` afresh for every call, so two
// evaluations of the same weights see the same masks, and training's generator is untouched.
// The loss is the mean of the batch losses weighted by batch size, as the reference's.

/// The predictions and labels of an evaluation, handed to `computeMetrics`.
public struct EvalPrediction: Sendable {
  /// One row of scores per prediction, [N, C].
  public var predictions: Tensor
  /// The label of each row, N of them (`ignoredLabel` rows are dropped before metrics).
  public var labelIDs: [Int]

  /// Predictions and their labels.
  public init(predictions: Tensor, labelIDs: [Int]) {
    self.predictions = predictions
    self.labelIDs = labelIDs
  }

  /// The highest-scoring class of each row.
  public var predictedLabels: [Int] { ClassificationMetrics.argmax(predictions) }

  /// The share of rows whose highest score is their label.
  public var accuracy: Double {
    ClassificationMetrics.accuracy(predictions: predictedLabels, labels: labelIDs)
  }
}

/// What `predict(_:)` returns.
public struct PredictionOutput: Sendable {
  /// The scores, [N, C].
  public var predictions: Tensor
  /// The labels of the rows, when the dataset has labels.
  public var labelIDs: [Int]?
  /// `test_loss` and the computed metrics with the `test_` prefix.
  public var metrics: [String: Double]
}

extension Trainer {
  /// Evaluates on `dataset` (the eval dataset by default) and logs the metrics.
  ///
  /// - Returns: `<prefix>_loss` and the `computeMetrics` values, each named `<prefix>_<name>`.
  /// - Throws: `TrainingError.invalidArguments` when there is no dataset.
  @discardableResult
  public func evaluate(
    _ dataset: [TrainingExample]? = nil, metricKeyPrefix: String = "eval"
  ) throws
    -> [String: Double]
  {
    guard let dataset = dataset ?? evalDataset, !dataset.isEmpty else {
      throw TrainingError.invalidArguments("evaluate needs a non-empty dataset (none given, no evalDataset)")
    }
    let output = run(dataset, collectPredictions: computeMetrics != nil, metricKeyPrefix: metricKeyPrefix)
    var record = LogRecord(step: state.globalStep, epoch: state.epoch)
    for name in output.metrics.keys.sorted() {
      record.set(name, output.metrics[name] ?? .nan)
    }
    log(record)
    return output.metrics
  }

  /// Runs the model on `dataset` and returns every prediction row, with metrics when the
  /// dataset has labels.
  public func predict(_ dataset: [TrainingExample], metricKeyPrefix: String = "test") -> PredictionOutput {
    run(dataset, collectPredictions: true, metricKeyPrefix: metricKeyPrefix)
  }

  /// The evaluation loop.
  func run(
    _ dataset: [TrainingExample], collectPredictions: Bool, metricKeyPrefix: String
  ) -> PredictionOutput {
    var rng = RandomGenerator(seed: args.seed)
    let sampler = EpochSampler(
      count: dataset.count, batchSize: args.perDeviceEvalBatchSize, seed: args.seed, shuffle: false)
    var lossSum = 0.0
    var lossCount = 0
    var rows: [Float] = []
    var columns: Int?
    var labels: [Int] = []
    var allLabelled = true
    for indices in sampler.batches(epoch: 0) {
      let batch = dataCollator.collate(indices.map { dataset[$0] }, using: &rng)
      let step = model.evaluationStep(on: batch)
      if let loss = step.loss {
        lossSum += Double(loss) * Double(batch.batchSize)
        lossCount += batch.batchSize
      }
      guard collectPredictions, let predictions = step.predictions else { continue }
      precondition(
        predictions.rank == 2, "evaluationStep: predictions must be [N, C], got \(predictions.shape)")
      precondition(
        columns == nil || columns == predictions.shape[1],
        "evaluationStep: predictions have \(predictions.shape[1]) columns, earlier batches \(columns ?? 0)")
      columns = predictions.shape[1]
      rows.append(contentsOf: predictions.scalars)
      if let stepLabels = step.labels {
        labels.append(contentsOf: stepLabels)
      } else {
        allLabelled = false
      }
    }
    let width = columns ?? 0
    let predictions = Tensor(shape: [width == 0 ? 0 : rows.count / width, width], scalars: rows)
    var metrics: [String: Double] = [:]
    if lossCount > 0 { metrics["\(metricKeyPrefix)_loss"] = lossSum / Double(lossCount) }
    let labelIDs = allLabelled && labels.count == predictions.shape[0] ? labels : nil
    if let computeMetrics, let labelIDs {
      let kept = labelIDs.indices.filter { labelIDs[$0] != ignoredLabel }
      let keptRows = Tensor(
        shape: [kept.count, width],
        scalars: kept.flatMap { predictions.scalars[($0 * width)..<(($0 + 1) * width)] })
      for (name, value) in computeMetrics(
        EvalPrediction(predictions: keptRows, labelIDs: kept.map { labelIDs[$0] }))
      {
        metrics["\(metricKeyPrefix)_\(name)"] = value
      }
    }
    return PredictionOutput(predictions: predictions, labelIDs: labelIDs, metrics: metrics)
  }
}
