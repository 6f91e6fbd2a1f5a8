// Steps 2-4 (seed 3.1): the model from a config, masked-LM training, parameter optimisation.
//
// Legend: B batch, T tokens, H hidden, V vocabulary, M masked positions.
//
//   config  = BERT-Tiny's shape (2 layers, H 128, 2 heads, I 512) over our V word pieces
//   model   = BertForMaskedLM(config), weights ~ normal(0, 0.02) as the reference initialises
//   step    = mask 15% of the tokens (80% [MASK], 10% random, 10% kept), predict them:
//             loss = mean over the M masked positions of -ln p(original token)
//             AdamW with a linear warmup and decay, gradient norm clipped to 1
//
// With `--next-sentence`, the model is BertForPreTraining and the loss adds the
// next-sentence cross-entropy (the original BERT's two tasks).

import BERT
import Foundation
import NotebookSupport

// MARK: - Sizes

/// Every size of a run: the corpus, the vocabulary, the model and the training schedule.
struct PretrainingSize: Sendable, Equatable {
  /// Documents of the generated corpus.
  var documentCount: Int
  /// The share of documents held out for the held-out loss.
  var heldOutShare: Double
  /// The vocabulary's size, special tokens included.
  var vocabularySize: Int
  /// The longest example, [CLS] and [SEP] included.
  var maxSequenceLength: Int
  /// H, the hidden width.
  var hiddenSize: Int
  /// L, the number of layers.
  var layerCount: Int
  /// A, the number of attention heads.
  var headCount: Int
  /// Examples per step.
  var batchSize: Int
  /// Update steps.
  var steps: Int
  /// AdamW's peak learning rate.
  var learningRate: Double
  /// Steps of linear warmup from 0 to the peak.
  var warmupSteps: Int
  /// Steps between training-loss log lines.
  var loggingSteps: Int
  /// Steps between held-out evaluations.
  var evalSteps: Int

  /// The chapter's default run: a few minutes on two cores.
  ///
  /// Aside: for the same minutes, 2,400 steps of 64 sentences teach more than 1,200 steps of
  /// 128. Both runs reach about the same held-out loss and both put "fox" first, but only the
  /// one with more steps learns which adjectives share a polarity (the word vectors of
  /// "superb" and "dreadful" move towards "great" and "awful"), and that is what chapter 06
  /// needs: with 1,200 steps of 128 the pretrained classifier lost to the random control.
  static let standard = PretrainingSize(
    documentCount: 6000, heldOutShare: 0.05, vocabularySize: notebookVocabularySize, maxSequenceLength: 24,
    hiddenSize: 128, layerCount: 2, headCount: 2, batchSize: 64, steps: 2400, learningRate: 1e-3,
    warmupSteps: 100, loggingSteps: 10, evalSteps: 100)

  /// A run of a few seconds, for tests.
  static let quick = PretrainingSize(
    documentCount: 300, heldOutShare: 0.1, vocabularySize: 200, maxSequenceLength: 24, hiddenSize: 32,
    layerCount: 1, headCount: 2, batchSize: 32, steps: 120, learningRate: 3e-3, warmupSteps: 10,
    loggingSteps: 5, evalSteps: 40)

  /// The model's configuration over a vocabulary of `vocabularySize` tokens.
  func config(vocabularySize: Int) -> BERTConfig {
    BERTConfig(
      vocabSize: vocabularySize, hiddenSize: hiddenSize, numHiddenLayers: layerCount,
      numAttentionHeads: headCount, intermediateSize: 4 * hiddenSize,
      maxPositionEmbeddings: max(64, maxSequenceLength))
  }
}

// MARK: - The model

/// The model being pretrained: the masked-LM head alone, or with the next-sentence head.
enum PretrainingModel {
  /// `BertForMaskedLM` (the default).
  case maskedLM(BertForMaskedLM)
  /// `BertForPreTraining`: masked LM and next-sentence prediction.
  case withNextSentence(BertForPreTraining)

  /// A freshly initialised model of `config`, drawn from `seed`.
  init(config: BERTConfig, nextSentence: Bool, seed: UInt64) {
    var rng = RandomGenerator(seed: seed)
    self =
      nextSentence
      ? .withNextSentence(BertForPreTraining(config: config, rng: &rng))
      : .maskedLM(BertForMaskedLM(config: config, rng: &rng))
  }

  /// The model as the Trainer sees it.
  var trainable: any TrainableModel {
    switch self {
    case .maskedLM(let model): return model
    case .withNextSentence(let model): return model
    }
  }

  /// The model as a table of named parameters.
  var parameterized: any ParameterizedModel {
    switch self {
    case .maskedLM(let model): return model
    case .withNextSentence(let model): return model
    }
  }

  /// The masked-LM logits [M, V] at the flat positions `rows` of `input`, in inference mode.
  func maskedLMLogits(_ input: BertInput, rows: [Int]) -> Tensor {
    switch self {
    case .maskedLM(let model): return model.predict(input, positions: .rows(rows)).logits
    case .withNextSentence(let model): return model.predict(input, positions: .rows(rows)).predictionLogits
    }
  }
}

// MARK: - Training

/// What a pretraining run leaves behind.
struct PretrainingRun: Sendable {
  /// The held-out loss of the untrained model.
  let initialHeldOutLoss: Double
  /// Every log record: training losses every `loggingSteps`, held-out losses every `evalSteps`.
  let history: [LogRecord]
  /// The mean training loss over the whole run.
  let meanTrainingLoss: Double

  /// (step, loss) of the training-loss records.
  var trainingLosses: [(step: Int, loss: Double)] {
    history.compactMap { record in record["loss"].map { (record.step, $0) } }
  }

  /// (step, loss) of the held-out evaluations, the untrained model's at step 0 first.
  var heldOutLosses: [(step: Int, loss: Double)] {
    [(0, initialHeldOutLoss)] + history.compactMap { record in record["eval_loss"].map { (record.step, $0) } }
  }

  /// The last held-out loss.
  var finalHeldOutLoss: Double { heldOutLosses.last?.loss ?? initialHeldOutLoss }
}

/// Trains `model` on `training` for `size.steps` steps, evaluating on `heldOut` every
/// `size.evalSteps`, with the Trainer of the BERT module.
///
/// - Parameters:
///   - loggingDir: where `trainer_log.jsonl` is written (it holds no timings, so a rerun writes
///     the same bytes).
///   - outputDir: the Trainer's output folder (nothing is saved there: saving is off).
/// - Returns: The log history and the losses.
func pretrain(
  _ model: PretrainingModel, training: [TrainingExample], heldOut: [TrainingExample],
  masker: MaskedLanguageModelMasker,
  size: PretrainingSize, seed: UInt64, loggingDir: URL, outputDir: URL, progress: ProgressStyle
) throws -> PretrainingRun {
  let args = TrainingArguments(
    outputDir: outputDir.path, maxSteps: size.steps, perDeviceTrainBatchSize: size.batchSize,
    perDeviceEvalBatchSize: 256, learningRate: size.learningRate, warmupSteps: size.warmupSteps,
    weightDecay: 0.01, loggingDir: loggingDir.path, loggingSteps: size.loggingSteps, evalStrategy: .steps,
    evalSteps: size.evalSteps, saveStrategy: .no, seed: seed, progress: progress, logTimings: false)
  let trainer = Trainer(
    model: model.trainable, args: args, trainDataset: training, evalDataset: heldOut,
    dataCollator: MaskedLanguageModelCollator(masker: masker))
  let initial = try trainer.evaluate()["eval_loss"] ?? .nan
  let output = try trainer.train()
  return PretrainingRun(
    initialHeldOutLoss: initial, history: trainer.state.logHistory, meanTrainingLoss: output.trainingLoss)
}
