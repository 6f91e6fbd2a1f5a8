import Foundation

// TrainingArguments: the reference Trainer's settings, with its names in Swift's camelCase
// and its defaults (transformers 5). The seed's fine-tuning example reads:
//
//   let args = TrainingArguments(
//     outputDir: "./results", numTrainEpochs: 3, perDeviceTrainBatchSize: 16,
//     perDeviceEvalBatchSize: 64, warmupSteps: 500, weightDecay: 0.01, loggingDir: "./logs")
//
// Where this differs from the reference:
// - `outputDir` defaults to "trainer_output", as transformers 5 does when it is not given
//   (the seed's example passes "./results").
// - `loggingDir` names where the JSON-lines log goes (transformers 5 dropped the field and
//   sends logs to reporting integrations; 4.x wrote TensorBoard files there). Default:
//   `<outputDir>/logs`, where 4.x used a folder named after the date and host.
// - `warmupRatio` is kept beside `warmupSteps` (transformers 5 folds it into a fractional
//   `warmup_steps`); `warmupSteps` wins when both are set, as in 4.x.
// - `progress` and `logTimings` replace `disable_tqdm`: the progress display and whether
//   time-dependent numbers go into the log file (off for logs that are committed).
// - One device: "per device" batch sizes are the batch sizes.

/// When something happens during training: never, every so many steps, or each epoch.
public enum IntervalStrategy: String, Sendable, Equatable, Codable {
  /// Never.
  case no
  /// Every `evalSteps` / `saveSteps` / `loggingSteps` steps.
  case steps
  /// At the end of each epoch.
  case epoch
}

/// How training progress is shown on standard error.
public enum ProgressStyle: String, Sendable, Equatable, Codable {
  /// A live bar on a terminal, plain lines otherwise.
  case automatic
  /// A live bar redrawn in place.
  case bar
  /// One plain line per logging step.
  case lines
  /// Nothing (quiet; for tests).
  case none
}

/// The settings of a training run, named and defaulted as the reference's `TrainingArguments`.
public struct TrainingArguments: Sendable, Equatable, Codable {
  /// Where checkpoints and the final model go (`output_dir`).
  public var outputDir: String
  /// Epochs to train, possibly fractional (`num_train_epochs`, 3).
  public var numTrainEpochs: Double
  /// Total update steps; when positive it overrides `numTrainEpochs` (`max_steps`, -1).
  public var maxSteps: Int
  /// Examples per training step (`per_device_train_batch_size`, 8).
  public var perDeviceTrainBatchSize: Int
  /// Examples per evaluation batch (`per_device_eval_batch_size`, 8).
  public var perDeviceEvalBatchSize: Int
  /// The peak learning rate of AdamW (`learning_rate`, 5e-5).
  public var learningRate: Double
  /// Linear warmup steps (`warmup_steps`, 0).
  public var warmupSteps: Int
  /// Warmup as a share of all steps, used when `warmupSteps` is 0 (`warmup_ratio`, 0).
  public var warmupRatio: Double
  /// AdamW's decoupled weight decay (`weight_decay`, 0).
  public var weightDecay: Double
  /// Where `trainer_log.jsonl` is written; nil means `<outputDir>/logs`.
  public var loggingDir: String?
  /// Steps between log lines (`logging_steps`, 500).
  public var loggingSteps: Int
  /// Whether to log after the first step too (`logging_first_step`, false).
  public var loggingFirstStep: Bool
  /// When to evaluate on the eval dataset (`eval_strategy`, no).
  public var evalStrategy: IntervalStrategy
  /// Steps between evaluations; nil means `loggingSteps` (`eval_steps`).
  public var evalSteps: Int?
  /// When to save a checkpoint (`save_strategy`, steps).
  public var saveStrategy: IntervalStrategy
  /// Steps between checkpoints (`save_steps`, 500).
  public var saveSteps: Int
  /// The seed of shuffling, masking and dropout (`seed`, 42).
  public var seed: UInt64
  /// The global gradient norm is clipped to this (`max_grad_norm`, 1.0); 0 turns clipping off.
  public var maxGradNorm: Double
  /// The learning-rate schedule (`lr_scheduler_type`, linear).
  public var lrSchedulerType: LearningRateSchedulerType
  /// AdamW's beta1 (`adam_beta1`, 0.9).
  public var adamBeta1: Double
  /// AdamW's beta2 (`adam_beta2`, 0.999).
  public var adamBeta2: Double
  /// AdamW's epsilon (`adam_epsilon`, 1e-8).
  public var adamEpsilon: Double
  /// How progress is shown on standard error.
  public var progress: ProgressStyle
  /// Whether the log file records tokens per second (time-dependent, so not reproducible).
  public var logTimings: Bool

  /// Settings with the reference's defaults for everything not given.
  public init(
    outputDir: String = "trainer_output", numTrainEpochs: Double = 3, maxSteps: Int = -1,
    perDeviceTrainBatchSize: Int = 8, perDeviceEvalBatchSize: Int = 8, learningRate: Double = 5e-5,
    warmupSteps: Int = 0, warmupRatio: Double = 0, weightDecay: Double = 0, loggingDir: String? = nil,
    loggingSteps: Int = 500, loggingFirstStep: Bool = false, evalStrategy: IntervalStrategy = .no,
    evalSteps: Int? = nil, saveStrategy: IntervalStrategy = .steps, saveSteps: Int = 500, seed: UInt64 = 42,
    maxGradNorm: Double = 1.0, lrSchedulerType: LearningRateSchedulerType = .linear, adamBeta1: Double = 0.9,
    adamBeta2: Double = 0.999, adamEpsilon: Double = 1e-8, progress: ProgressStyle = .automatic,
    logTimings: Bool = true
  ) {
    self.outputDir = outputDir
    self.numTrainEpochs = numTrainEpochs
    self.maxSteps = maxSteps
    self.perDeviceTrainBatchSize = perDeviceTrainBatchSize
    self.perDeviceEvalBatchSize = perDeviceEvalBatchSize
    self.learningRate = learningRate
    self.warmupSteps = warmupSteps
    self.warmupRatio = warmupRatio
    self.weightDecay = weightDecay
    self.loggingDir = loggingDir
    self.loggingSteps = loggingSteps
    self.loggingFirstStep = loggingFirstStep
    self.evalStrategy = evalStrategy
    self.evalSteps = evalSteps
    self.saveStrategy = saveStrategy
    self.saveSteps = saveSteps
    self.seed = seed
    self.maxGradNorm = maxGradNorm
    self.lrSchedulerType = lrSchedulerType
    self.adamBeta1 = adamBeta1
    self.adamBeta2 = adamBeta2
    self.adamEpsilon = adamEpsilon
    self.progress = progress
    self.logTimings = logTimings
  }

  /// The folder of the log file.
  public var resolvedLoggingDir: URL {
    URL(fileURLWithPath: loggingDir ?? (outputDir as NSString).appendingPathComponent("logs"))
  }

  /// Warmup steps for a run of `totalSteps`: `warmupSteps`, or ceil(ratio * total).
  public func warmupSteps(totalSteps: Int) -> Int {
    warmupSteps > 0 ? warmupSteps : Int((warmupRatio * Double(totalSteps)).rounded(.up))
  }

  /// Checks the settings, naming the first bad one.
  ///
  /// - Throws: `TrainingError.invalidArguments`.
  public func validate() throws {
    func require(_ condition: Bool, _ message: String) throws {
      if !condition { throw TrainingError.invalidArguments(message) }
    }
    try require(
      perDeviceTrainBatchSize > 0, "perDeviceTrainBatchSize must be positive, got \(perDeviceTrainBatchSize)")
    try require(
      perDeviceEvalBatchSize > 0, "perDeviceEvalBatchSize must be positive, got \(perDeviceEvalBatchSize)")
    try require(maxSteps > 0 || numTrainEpochs > 0, "set numTrainEpochs or maxSteps to a positive number")
    try require(loggingSteps > 0, "loggingSteps must be positive, got \(loggingSteps)")
    try require(saveStrategy != .steps || saveSteps > 0, "saveSteps must be positive, got \(saveSteps)")
    try require((evalSteps ?? loggingSteps) > 0, "evalSteps must be positive, got \(evalSteps ?? 0)")
    try require(warmupSteps >= 0, "warmupSteps must not be negative, got \(warmupSteps)")
    try require(warmupRatio >= 0 && warmupRatio <= 1, "warmupRatio must be in [0, 1], got \(warmupRatio)")
    try require(learningRate >= 0, "learningRate must not be negative, got \(learningRate)")
  }
}
