import Foundation
import WordPiece

// Trainer: the reference's training loop, step for step.
//
//   for each epoch e:                           (order: a permutation seeded by seed + e)
//     for each batch of perDeviceTrainBatchSize examples:
//       zero the gradients
//       batch = collator(examples)              (masking draws from the trainer's generator)
//       loss  = model.trainingStep(batch)       (forward + backward, dropout from the same generator)
//       stop with an error if the loss or the gradient norm is NaN or infinite
//       norm  = clip the global gradient norm to maxGradNorm
//       AdamW step with lr = schedule(step)     (step 0 first)
//       log every loggingSteps, evaluate every evalSteps, save every saveSteps
//   save at the end (when saving is on), as the reference does
//
// Every random draw comes from one generator seeded with `args.seed` (plus the per-epoch
// shuffling seeds), and a checkpoint stores that generator, the data position, AdamW's
// moments and the step: resuming from it replays the rest of the run bit for bit.

/// The state of a run that a checkpoint stores (`trainer_state.json`).
public struct TrainerState: Sendable, Equatable, Codable {
  /// Updates done.
  public var globalStep: Int = 0
  /// The total updates of the run.
  public var maxSteps: Int = 0
  /// The epoch reached, fractional.
  public var epoch: Double = 0
  /// The epoch the next batch belongs to (0-based).
  public var epochIndex: Int = 0
  /// The index of the next batch within its epoch.
  public var batchIndex: Int = 0
  /// Every log record so far, training and evaluation.
  public var logHistory: [LogRecord] = []
  /// The generator of masking and dropout.
  public var rng: RandomGenerator
  /// The losses summed since the last log line, and how many steps they cover.
  var pendingLossSum: Double = 0
  var pendingLossSteps: Int = 0
  /// The losses summed over the whole run, for the mean training loss.
  var totalLossSum: Double = 0

  init(seed: UInt64) {
    rng = RandomGenerator(seed: seed)
  }

  /// Keys of `trainer_state.json`; the generator's words are written as hex strings, since
  /// JSON numbers cannot hold every 64-bit value.
  enum CodingKeys: String, CodingKey {
    case globalStep = "global_step"
    case maxSteps = "max_steps"
    case epoch
    case epochIndex = "epoch_index"
    case batchIndex = "batch_index"
    case logHistory = "log_history"
    case rngState = "rng_state"
    case rngCachedNormal = "rng_cached_normal"
    case pendingLossSum = "pending_loss_sum"
    case pendingLossSteps = "pending_loss_steps"
    case totalLossSum = "total_loss_sum"
  }

  /// Reads a state written by `encode(to:)`.
  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    globalStep = try container.decode(Int.self, forKey: .globalStep)
    maxSteps = try container.decode(Int.self, forKey: .maxSteps)
    epoch = try container.decode(Double.self, forKey: .epoch)
    epochIndex = try container.decode(Int.self, forKey: .epochIndex)
    batchIndex = try container.decode(Int.self, forKey: .batchIndex)
    logHistory = try container.decode([LogRecord].self, forKey: .logHistory)
    let words = try container.decode([String].self, forKey: .rngState).compactMap { UInt64($0, radix: 16) }
    guard words.count == 4, words.contains(where: { $0 != 0 }) else {
      throw TrainingError.checkpoint("rng_state must be four hexadecimal words, not all zero")
    }
    let cached = try container.decodeIfPresent(String.self, forKey: .rngCachedNormal)
      .flatMap { UInt64($0, radix: 16) }.map { Double(bitPattern: $0) }
    rng = RandomGenerator(state: words, cachedNormal: cached)
    pendingLossSum = try container.decode(Double.self, forKey: .pendingLossSum)
    pendingLossSteps = try container.decode(Int.self, forKey: .pendingLossSteps)
    totalLossSum = try container.decode(Double.self, forKey: .totalLossSum)
  }

  /// Writes the state; Doubles are exact (JSON numbers in shortest round-trip form).
  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(globalStep, forKey: .globalStep)
    try container.encode(maxSteps, forKey: .maxSteps)
    try container.encode(epoch, forKey: .epoch)
    try container.encode(epochIndex, forKey: .epochIndex)
    try container.encode(batchIndex, forKey: .batchIndex)
    try container.encode(logHistory, forKey: .logHistory)
    try container.encode(rng.state.map { String($0, radix: 16) }, forKey: .rngState)
    try container.encodeIfPresent(
      rng.cachedNormal.map { String($0.bitPattern, radix: 16) }, forKey: .rngCachedNormal)
    try container.encode(pendingLossSum, forKey: .pendingLossSum)
    try container.encode(pendingLossSteps, forKey: .pendingLossSteps)
    try container.encode(totalLossSum, forKey: .totalLossSum)
  }
}

/// What `train()` returns.
public struct TrainOutput: Sendable, Equatable {
  /// Updates done in all (before and after a resume).
  public var globalStep: Int
  /// The mean training loss over all steps.
  public var trainingLoss: Double
  /// `train_loss`, `epoch` and, when measured, `train_runtime` and `train_tokens_per_second`.
  public var metrics: [String: Double]
}

/// Trains and evaluates a model, as the reference's `Trainer`.
///
/// ```
/// let args = TrainingArguments(
///   outputDir: "./results", numTrainEpochs: 3, perDeviceTrainBatchSize: 16,
///   perDeviceEvalBatchSize: 64, warmupSteps: 500, weightDecay: 0.01, loggingDir: "./logs")
/// let trainer = Trainer(
///   model: model, args: args, trainDataset: train, evalDataset: dev,
///   computeMetrics: { prediction in ["accuracy": prediction.accuracy] })
/// try trainer.train()
/// let metrics = try trainer.evaluate()   // ["eval_loss": ..., "eval_accuracy": ...]
/// ```
public final class Trainer {
  /// The model being trained.
  public let model: any TrainableModel
  /// The settings.
  public var args: TrainingArguments
  /// The examples of training.
  public var trainDataset: [TrainingExample]
  /// The examples `evaluate()` uses by default.
  public var evalDataset: [TrainingExample]?
  /// Turns examples into batches (padding, and masking for masked LM).
  public var dataCollator: any DataCollator
  /// The tokenizer saved beside the weights in checkpoints (the reference's `processing_class`),
  /// so a checkpoint folder loads with its vocabulary.
  public var tokenizer: BertTokenizer?
  /// Metrics from the predictions and labels of an evaluation, named without the prefix.
  public var computeMetrics: ((EvalPrediction) -> [String: Double])?
  /// The state of the current or last run.
  public internal(set) var state: TrainerState
  /// The optimizer of the current or last run.
  public internal(set) var optimizer: AdamW?
  /// The folder of the last checkpoint written or resumed from.
  public internal(set) var lastCheckpoint: URL?

  var logWriter: LogFileWriter?
  var progress: ProgressReporter?

  /// A trainer; nothing runs until `train()`, `evaluate()` or `predict(_:)`.
  public init(
    model: any TrainableModel, args: TrainingArguments, trainDataset: [TrainingExample] = [],
    evalDataset: [TrainingExample]? = nil, dataCollator: any DataCollator = PaddingCollator(),
    tokenizer: BertTokenizer? = nil, computeMetrics: ((EvalPrediction) -> [String: Double])? = nil
  ) {
    self.model = model
    self.args = args
    self.trainDataset = trainDataset
    self.evalDataset = evalDataset
    self.dataCollator = dataCollator
    self.tokenizer = tokenizer
    self.computeMetrics = computeMetrics
    self.state = TrainerState(seed: args.seed)
  }

  /// The number of updates a run makes: `maxSteps`, or ceil(epochs * batches per epoch).
  public var totalSteps: Int {
    if args.maxSteps > 0 { return args.maxSteps }
    return Int((args.numTrainEpochs * Double(trainSampler.batchesPerEpoch)).rounded(.up))
  }

  var trainSampler: EpochSampler {
    EpochSampler(count: trainDataset.count, batchSize: args.perDeviceTrainBatchSize, seed: args.seed)
  }

  /// The learning-rate schedule of the run.
  public var schedule: LearningRateSchedule {
    LearningRateSchedule(
      type: args.lrSchedulerType, learningRate: args.learningRate,
      warmupSteps: args.warmupSteps(totalSteps: totalSteps), totalSteps: totalSteps)
  }

  // MARK: - Training

  /// Trains from the start, or from a checkpoint folder written by an earlier run.
  ///
  /// - Parameter checkpoint: A `checkpoint-<step>` folder; the run continues from its step
  ///   with its weights, optimizer moments, generator and data position, and ends exactly
  ///   as the uninterrupted run would have.
  /// - Returns: The step count and the mean training loss.
  /// - Throws: `TrainingError.nonFiniteLoss` / `.nonFiniteGradient` naming the step (the
  ///   weights stay as before that step; earlier checkpoints are kept), `.invalidArguments`,
  ///   `.emptyDataset`, or a checkpoint error.
  @discardableResult
  public func train(resumeFrom checkpoint: URL? = nil) throws -> TrainOutput {
    try args.validate()
    guard !trainDataset.isEmpty else { throw TrainingError.emptyDataset }
    if args.evalStrategy != .no && (evalDataset?.isEmpty ?? true) {
      throw TrainingError.invalidArguments(
        "evalStrategy is \(args.evalStrategy.rawValue) but there is no evalDataset")
    }
    AllocatorTuning.keepFreedMemoryForReuse()
    let sampler = trainSampler
    let totalSteps = totalSteps
    let schedule = schedule
    let named = model.namedParameters()
    let parameters = named.map(\.parameter)
    let optimizer = AdamW(
      parameters: named, beta1: args.adamBeta1, beta2: args.adamBeta2, epsilon: args.adamEpsilon,
      weightDecay: args.weightDecay)
    self.optimizer = optimizer
    state = TrainerState(seed: args.seed)
    state.maxSteps = totalSteps
    lastCheckpoint = nil
    if let checkpoint {
      try resume(from: checkpoint, optimizer: optimizer)
    }
    let writer = try LogFileWriter(directory: args.resolvedLoggingDir, history: state.logHistory)
    logWriter = writer
    let reporter = ProgressReporter(style: args.progress, totalSteps: totalSteps)
    progress = reporter
    defer {
      reporter.finish()
      progress = nil
    }

    let firstStep = state.globalStep
    var windowStart = reporter.elapsed
    var windowTokens = 0
    var runTokens = 0
    var batches = sampler.batches(epoch: state.epochIndex)
    while state.globalStep < totalSteps {
      let examples = batches[state.batchIndex].map { trainDataset[$0] }
      for parameter in parameters { parameter.zeroGradientInPlace() }
      let batch = dataCollator.collate(examples, using: &state.rng)
      let loss = model.trainingStep(on: batch, rng: &state.rng)
      let step = state.globalStep + 1
      guard loss.isFinite else {
        throw TrainingError.nonFiniteLoss(step: step, loss: loss, lastCheckpoint: lastCheckpoint?.path)
      }
      let norm =
        args.maxGradNorm > 0
        ? GradientClipping.clip(parameters, maxNorm: args.maxGradNorm)
        : GradientClipping.globalNorm(parameters)
      guard norm.isFinite else {
        throw TrainingError.nonFiniteGradient(step: step, norm: norm, lastCheckpoint: lastCheckpoint?.path)
      }
      let learningRate = schedule.learningRate(at: state.globalStep)
      optimizer.step(learningRate: learningRate)

      state.globalStep = step
      state.batchIndex += 1
      state.epoch = Double(state.epochIndex) + Double(state.batchIndex) / Double(batches.count)
      let epochEnded = state.batchIndex == batches.count
      if epochEnded {
        state.epochIndex += 1
        state.batchIndex = 0
        batches = sampler.batches(epoch: state.epochIndex)
      }
      state.pendingLossSum += Double(loss)
      state.pendingLossSteps += 1
      state.totalLossSum += Double(loss)
      windowTokens += batch.realTokenCount
      runTokens += batch.realTokenCount

      let now = reporter.elapsed
      let tokensPerSecond = Double(windowTokens) / max(now - windowStart, 1e-9)
      reporter.stepFinished(
        step: step, firstStep: firstStep, loss: state.pendingLossSum / Double(state.pendingLossSteps),
        tokensPerSecond: tokensPerSecond)

      // Log, then evaluate, then save, as the reference's `_maybe_log_save_evaluate`.
      if step % args.loggingSteps == 0 || (args.loggingFirstStep && step == 1) {
        var record = LogRecord(step: step, epoch: state.epoch)
        record.set("loss", state.pendingLossSum / Double(state.pendingLossSteps))
        record.set("learning_rate", learningRate)
        record.set("grad_norm", norm)
        if args.logTimings { record.set("tokens_per_second", tokensPerSecond) }
        log(record, firstStep: firstStep)
        state.pendingLossSum = 0
        state.pendingLossSteps = 0
        windowStart = now
        windowTokens = 0
      }
      let evaluateNow =
        (args.evalStrategy == .steps && step % (args.evalSteps ?? args.loggingSteps) == 0)
        || (args.evalStrategy == .epoch && epochEnded)
      if evaluateNow, evalDataset != nil {
        _ = try evaluate()
      }
      let saveNow =
        (args.saveStrategy == .steps && step % args.saveSteps == 0)
        || (args.saveStrategy == .epoch && epochEnded) || (args.saveStrategy != .no && step == totalSteps)
      if saveNow {
        try saveCheckpoint()
      }
    }

    let runtime = reporter.elapsed
    var metrics: [String: Double] = [
      "train_loss": state.totalLossSum / Double(max(state.globalStep, 1)), "epoch": state.epoch,
    ]
    if args.logTimings {
      metrics["train_runtime"] = runtime
      metrics["train_tokens_per_second"] = Double(runTokens) / max(runtime, 1e-9)
    }
    return TrainOutput(
      globalStep: state.globalStep, trainingLoss: metrics["train_loss"] ?? 0, metrics: metrics)
  }

  /// Adds a record to the history and the log file, and shows it in line mode.
  func log(_ record: LogRecord, firstStep: Int? = nil) {
    state.logHistory.append(record)
    logWriter?.append(record)
    progress?.logged(record, firstStep: firstStep ?? state.globalStep)
  }
}
