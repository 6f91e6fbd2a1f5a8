// Steps 2 and 3 (seed 3.2 and 5.1): the pretrained model with a new head, and its training.
//
// Legend: B batch, T tokens, H hidden, C classes.
//
//   from_pretrained: every tensor of chapter 05's checkpoint whose name the classifier has is
//     copied (bert.embeddings.*, bert.encoder.*); the pooler and the classifier, which an MLM
//     checkpoint lacks, are initialised from the seed; cls.predictions.* is left unused
//   logits = Dropout(tanh(x_L[:, 0] Wp^T + bp)) Wc^T + bc        [B, C]
//   loss   = mean cross-entropy against the labels
//
// The control builds the same classifier with every weight drawn at random: what fine-tuning
// alone can do without pretraining.

import BERT
import Foundation
import NotebookSupport
import WordPiece

// MARK: - Settings

/// The sizes and settings of the chapter's runs.
struct FineTuningSize: Sendable, Equatable {
  /// Training sentences of the generated data.
  var trainCount: Int
  /// Dev sentences of the generated data.
  var devCount: Int
  /// Test sentences of the generated data.
  var testCount: Int
  /// How many seeds every comparison is run with (the chapter's seed and the ones after it).
  var seedCount: Int
  /// The peak learning rate.
  var learningRate: Double
  /// The longest example in tokens.
  var maxLength: Int

  /// The chapter's default run.
  static let standard = FineTuningSize(
    trainCount: 400, devCount: 100, testCount: 400, seedCount: 5, learningRate: 1e-3, maxLength: 32)

  /// A run of a few seconds, for tests.
  static let quick = FineTuningSize(
    trainCount: 64, devCount: 16, testCount: 32, seedCount: 2, learningRate: 1e-3, maxLength: 32)

  /// The seeds of the comparisons: `seed`, `seed + 1`, ...
  func seeds(from seed: UInt64) -> [UInt64] { (0..<UInt64(seedCount)).map { seed &+ $0 } }
}

/// The updates of a run: `examples` in batches of `batchSize` (the last one may be short), as
/// the Trainer's `EpochSampler` cuts them, an update a batch, `epochs` times over.
func trainingUpdates(examples: Int, batchSize: Int, epochs: Int) -> (perEpoch: Int, total: Int) {
  let perEpoch = EpochSampler(count: examples, batchSize: batchSize, seed: 0).batchesPerEpoch
  return (perEpoch, epochs * perEpoch)
}

/// The seed's `warmup_steps=500`, scaled to a run of `totalSteps` updates.
///
/// The seed's example is the usual one of its kind: fine-tuning on IMDb's 25,000 reviews, 16 per
/// batch, 3 epochs, that is 3 x 1,563 = 4,689 updates, of which 500 warm up (10.7%). The same share
/// of our run: round(totalSteps x 500 / 4,689), at least 1.
func scaledWarmupSteps(totalSteps: Int) -> Int {
  max(1, Int((Double(totalSteps) * 500 / 4689).rounded()))
}

/// The seed's batch size per device in training, and its epochs.
let seedTrainBatchSize = 16
let seedEpochs = 3

/// The chapter's TrainingArguments (its step 3): the seed's, with its warmup scaled to the
/// updates of `trainCount` examples, the learning rate of `size`, a loss line and a dev
/// evaluation every 5 steps, `seed`, and no progress bar nor timings (so logs are reproducible).
func chapterTrainingArguments(size: FineTuningSize, trainCount: Int, seed: UInt64) -> TrainingArguments {
  let updates = trainingUpdates(examples: trainCount, batchSize: seedTrainBatchSize, epochs: seedEpochs)
  return TrainingArguments(
    outputDir: "./results",
    numTrainEpochs: Double(seedEpochs),
    perDeviceTrainBatchSize: seedTrainBatchSize,
    perDeviceEvalBatchSize: 64,
    learningRate: size.learningRate,
    warmupSteps: scaledWarmupSteps(totalSteps: updates.total),  // the seed's 500, scaled to the run's updates
    weightDecay: 0.01,
    loggingDir: "./logs",
    loggingSteps: 5, evalStrategy: .steps, evalSteps: 5, seed: seed, progress: .none,
    logTimings: false)
}

// MARK: - The two starting points

/// How a run starts: from chapter 05's weights, or from random ones.
enum Initialization: String, Sendable, CaseIterable {
  /// `from_pretrained`: the checkpoint's encoder, a new head.
  case pretrained
  /// Every weight drawn at random (the control).
  case random
}

/// The checkpoint's configuration for a classifier of `labelNames.count` classes.
func classifierConfig(_ config: BERTConfig, labelNames: [String]) -> BERTConfig {
  var config = config
  config.numLabels = labelNames.count
  config.id2label = Dictionary(uniqueKeysWithValues: labelNames.enumerated().map { ($0.offset, $0.element) })
  config.label2id = Dictionary(uniqueKeysWithValues: labelNames.enumerated().map { ($0.element, $0.offset) })
  config.architectures = ["BertForSequenceClassification"]
  return config
}

/// A sequence classifier: from the checkpoint (tensors it lacks initialised from `seed`), or
/// wholly random from `seed`.
///
/// - Returns: The model, and for the pretrained start the load report (what was initialised
///   and what was not used).
func makeClassifier(
  _ initialization: Initialization, checkpoint: PretrainedCheckpoint, labelNames: [String], seed: UInt64
) throws -> (model: BertForSequenceClassification, report: LoadReport?) {
  let config = classifierConfig(checkpoint.config, labelNames: labelNames)
  switch initialization {
  case .pretrained:
    let (model, report) = try checkpoint.load(BertForSequenceClassification.self, config: config, seed: seed)
    return (model, report)
  case .random:
    var rng = RandomGenerator(seed: seed)
    return (BertForSequenceClassification(config: config, rng: &rng), nil)
  }
}

// MARK: - Freezing the word embeddings

/// A classifier whose word embedding table does not train (seed 8.2: adjusting the model to
/// the task): AdamW never sees the table, as `requires_grad = False` does in PyTorch.
///
/// A word absent from the training split gets no gradient anyway, but every word it shares
/// contexts with does: training moves the seen words away from the places pretraining gave
/// them, and the held-out words, left behind, no longer sit next to their seen cousins.
/// Freezing the table keeps the whole vocabulary in pretraining's geometry.
final class FrozenWordEmbeddings: TrainableModel {
  /// The classifier.
  let model: BertForSequenceClassification
  /// The name of the table left out.
  static let frozenName = "bert.embeddings.word_embeddings.weight"

  /// Wraps `model`.
  init(_ model: BertForSequenceClassification) { self.model = model }

  /// Every parameter but the word embeddings.
  func namedParameters() -> [(name: String, parameter: Parameter)] {
    model.namedParameters().filter { $0.name != Self.frozenName }
  }

  /// The classifier's step; the table's gradient is dropped.
  func trainingStep(on batch: Batch, rng: inout RandomGenerator) -> Float {
    let loss = model.trainingStep(on: batch, rng: &rng)
    model.bert.embeddings.wordEmbeddings.weight.zeroGradientInPlace()
    return loss
  }

  /// The classifier's evaluation.
  func evaluationStep(on batch: Batch) -> EvaluationStep { model.evaluationStep(on: batch) }

  /// The whole classifier, table included, as the reference saves it.
  func writeCheckpointFiles(to directory: URL) throws { try model.writeCheckpointFiles(to: directory) }

  /// Reads the whole classifier back.
  func readCheckpointFiles(from directory: URL) throws { try model.readCheckpointFiles(from: directory) }
}

// MARK: - A run

/// One fine-tuning run's recipe.
struct FineTuningRecipe: Sendable, Equatable {
  /// Where the weights start.
  var initialization: Initialization
  /// Whether the word embeddings are frozen.
  var freezesWordEmbeddings: Bool
  /// The seed of the new weights, the data order and dropout.
  var seed: UInt64

  /// A short name: "pretrained", "random", with ", frozen embeddings".
  var name: String {
    initialization.rawValue + (freezesWordEmbeddings ? ", frozen embeddings" : "")
  }
}

/// What a fine-tuning run leaves behind.
struct FineTuningRun {
  /// The recipe.
  let recipe: FineTuningRecipe
  /// The trained classifier.
  let model: BertForSequenceClassification
  /// The Trainer's log: training losses, dev evaluations.
  let history: [LogRecord]
  /// The load report of a pretrained start.
  let report: LoadReport?
  /// The test-split evaluation.
  let test: Evaluation
}

/// A file-name form of a recipe: "pretrained-frozen-seed-42".
func runName(_ recipe: FineTuningRecipe) -> String {
  recipe.initialization.rawValue + (recipe.freezesWordEmbeddings ? "-frozen" : "") + "-seed-\(recipe.seed)"
}

/// The seed's arguments adapted to one run: its seed, its relative folders resolved against
/// `workFolder` (the current folder by default, as in Python), and for the comparison runs a
/// folder of their own each and no checkpoints.
func runArguments(
  _ args: TrainingArguments, recipe: FineTuningRecipe, workFolder: URL, isMain: Bool
)
  -> TrainingArguments
{
  func resolve(_ path: String, _ subfolder: String?) -> String {
    let base = URL(fileURLWithPath: path, relativeTo: workFolder)
    return (subfolder.map { base.appendingPathComponent($0) } ?? base).standardizedFileURL.path
  }
  var args = args
  let subfolder = isMain ? nil : runName(recipe)
  args.outputDir = resolve(args.outputDir, subfolder)
  args.loggingDir = resolve(args.loggingDir ?? "./logs", subfolder)
  args.seed = recipe.seed
  if !isMain { args.saveStrategy = .no }
  return args
}

/// Fine-tunes one recipe with `args` and evaluates the result on the test split.
///
/// - Parameter start: the classifier to train and its load report; by default it is made from the
///   recipe with `makeClassifier`.
/// - Throws: The loader's and the Trainer's errors.
func fineTune(
  _ recipe: FineTuningRecipe, args: TrainingArguments, checkpoint: PretrainedCheckpoint, data: TaskData,
  tokenizer: BertTokenizer, maxLength: Int,
  start: (model: BertForSequenceClassification, report: LoadReport?)? = nil
) throws -> FineTuningRun {
  let (model, report) =
    try start
    ?? makeClassifier(
      recipe.initialization, checkpoint: checkpoint, labelNames: data.labelNames, seed: recipe.seed)
  let trainable: any TrainableModel = recipe.freezesWordEmbeddings ? FrozenWordEmbeddings(model) : model
  let trainer = Trainer(
    model: trainable, args: args,
    trainDataset: trainingExamples(data.train, tokenizer: tokenizer, maxLength: maxLength),
    evalDataset: trainingExamples(data.dev, tokenizer: tokenizer, maxLength: maxLength),
    computeMetrics: { ["accuracy": $0.accuracy] })
  try trainer.train()
  let prediction = trainer.predict(trainingExamples(data.test, tokenizer: tokenizer, maxLength: maxLength))
  return FineTuningRun(
    recipe: recipe, model: model, history: trainer.state.logHistory, report: report,
    test: Evaluation(logits: prediction.predictions, labels: data.test.map(\.label)))
}
