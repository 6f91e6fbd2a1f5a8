// Chapter 06: Fine-tuning (seed 3.2 微调阶段, 5.1 使用Hugging Face Transformers库进行BERT微调,
// 6.1 情感分析, 8.2 如何微调BERT模型, 8.3 如何评估BERT模型的性能).
//
// Read this file top to bottom: each prose block is followed by the step it describes and by
// what that step prints. The computations live in TaskData.swift, FineTuning.swift,
// Evaluation.swift and Plots.swift.
//
// Run it:  swift run -c release Chapter06 [--seed 42] [--quick] [--model DIR]
//                                         [--train FILE --test FILE [--dev FILE]]

import ArgumentParser
import BERT
import Foundation
import NotebookSupport
import Plotting
import WordPiece

/// Chapter 06: fine-tune chapter 05's BERT for sentiment, against the same model from scratch.
struct Chapter06: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "Chapter06",
    abstract:
      "Fine-tune chapter 05's pretrained BERT for sentiment analysis, with a control from random weights.")

  @OptionGroup var options: ChapterOptions

  @Flag(help: "A run of a few seconds with a tiny dataset (for tests).")
  var quick = false

  @Option(help: "The pretrained checkpoint folder (config.json, model.safetensors, vocab.txt).")
  var model: String = notebookCheckpointPath

  @Option(help: "Your own training file (.tsv, .csv or .jsonl with a header or keys naming the columns).")
  var train: String?

  @Option(help: "Your own dev file (default: the last tenth of the training file).")
  var dev: String?

  @Option(help: "Your own test file.")
  var test: String?

  @Option(help: "The column holding the text in your files.")
  var textColumn = "text"

  @Option(help: "The column holding the label in your files.")
  var labelColumn = "label"

  @Option(help: "Your class names in index order, comma-separated (labels may then be written as names).")
  var labelNames: String?

  @Option(help: "The folder the seed's ./results and ./logs are made in.")
  var workFolder = "."

  mutating func run() throws {
    let writer = PlotWriter(rendersImage: !options.noRender, textPreview: options.preview)
    let folder = plotFolder(options.plots)
    let size = quick ? FineTuningSize.quick : FineTuningSize.standard
    let clock = ContinuousClock()
    let start = clock.now
    printChapterHeading("06", "Fine-tuning 微调 (seed 3.2, 5.1, 6.1, 8.2 and 8.3)")

    // ------------------------------------------------------------------------------------------
    // 3.2 微调阶段 / The fine-tuning stage, in four steps:
    //   1. task data preparation: collect labelled examples of the task, clean them;
    //   2. model fine-tuning: load the pretrained BERT, adjust its structure to the task;
    //   3. task training: train on the task data;
    //   4. evaluation: measure the result on test data (accuracy, recall, ...).
    //
    // The pretrained model is chapter 05's: it has read a corpus full of opinions, but never a
    // label. The question of this chapter: does that reading help a classifier trained on only
    // 400 labelled sentences?
    // ------------------------------------------------------------------------------------------

    // Step 1. Task data. Sentiment analysis (6.1): is a short review positive or negative? The
    // training split uses only the *seen* polarity words; half of the test split uses *held-out*
    // words that only chapter 05's corpus contains.
    printStep("Step 1: task data")
    let data = try loadTaskData(size: size)
    print("source: \(data.source)")
    print(
      "classes: \(data.labelNames.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", "))")
    print("train \(data.train.count), dev \(data.dev.count), test \(data.test.count)")
    for example in data.train.prefix(4) { print("  \(data.labelNames[example.label]): \(example.text)") }
    if data.hasHeldOutWords {
      let heldOut = data.test.filter(\.usesHeldOutWord)
      print(
        "held-out words (never in train or dev): \(Lexicon.heldOutWords.sorted().joined(separator: ", "))")
      print("test sentences using them: \(heldOut.count), e.g.")
      for example in heldOut.prefix(2) { print("  \(data.labelNames[example.label]): \(example.text)") }
    }

    // Step 2. Model fine-tuning: the seed loads the pretrained model with a two-class head,
    //
    //     model = BertForSequenceClassification.from_pretrained(model_name, num_labels=2)
    //
    // Every tensor of the checkpoint whose name the classifier has is copied. Chapter 05 saved a
    // masked-LM model, which has no pooler and no classifier: from_pretrained initialises those
    // from the seed and warns; the masked-LM head (cls.predictions.*) is left unused. 8.2 calls
    // this "adjusting the model structure to the task".
    printStep("Step 2: from_pretrained with a new two-class head")
    let checkpoint = try openCheckpoint()
    guard let tokenizer = checkpoint.tokenizer else {
      throw TaskDataError.noCheckpoint("\(model) has no vocab.txt")
    }
    let config = checkpoint.config
    print(
      "\(model): \(checkpoint.config.architectures?.first ?? "BertModel"), L = \(config.numHiddenLayers), "
        + "H = \(config.hiddenSize), A = \(config.numAttentionHeads), V = \(config.vocabSize)")
    let first = data.test.first { $0.usesHeldOutWord } ?? data.test[0]
    print("\"\(first.text)\" -> \(tokenizer.encode(first.text).tokens.joined(separator: " "))")
    let pretrained = try makeClassifier(
      .pretrained, checkpoint: checkpoint, labelNames: data.labelNames, seed: options.seed)
    if let report = pretrained.report {
      print("newly initialised (seed \(options.seed)): \(report.missing.joined(separator: ", "))")
      print("not used: \(report.unused.joined(separator: ", "))")
    }

    // Step 3. Task training, as the seed's code (5.1), argument for argument:
    //
    //     training_args = TrainingArguments(
    //         output_dir="./results", num_train_epochs=3, per_device_train_batch_size=16,
    //         per_device_eval_batch_size=64, warmup_steps=500, weight_decay=0.01,
    //         logging_dir="./logs")
    //     trainer = Trainer(model=model, args=training_args,
    //                       train_dataset=train_dataset, eval_dataset=eval_dataset)
    //     trainer.train()
    //
    // Two values change with the size of the task:
    // - warmup_steps: 500 warmup steps are about 11% of the seed's usual run (IMDb, 4,689
    //   updates); 400 sentences make 3 x 25 = 75 updates, and 11% of them is 8.
    // - learning_rate (not in the seed, so 5e-5): right for BERT-base's 110 million weights, but
    //   a 2-layer model of H 128 in 75 updates needs larger steps: 1e-3.
    // Not in the seed either: a loss line every 5 steps and a dev evaluation every 5 steps, so
    // there are curves to draw; a fixed seed; no progress bar.
    printStep("Step 3: the seed's Trainer")
    let updates = trainingUpdates(
      examples: data.train.count, batchSize: seedTrainBatchSize, epochs: seedEpochs)
    let trainingArgs = chapterTrainingArguments(size: size, trainCount: data.train.count, seed: options.seed)
    print(
      "output_dir \(trainingArgs.outputDir), num_train_epochs \(seedEpochs), "
        + "per_device_train_batch_size \(trainingArgs.perDeviceTrainBatchSize), "
        + "per_device_eval_batch_size \(trainingArgs.perDeviceEvalBatchSize), "
        + "warmup_steps \(trainingArgs.warmupSteps) (the seed's 500, scaled), weight_decay \(trainingArgs.weightDecay), "
        + "logging_dir \(trainingArgs.loggingDir ?? ""), learning_rate \(trainingArgs.learningRate)")
    print("updates: \(seedEpochs) epochs x \(updates.perEpoch) batches = \(updates.total)")
    let work = URL(fileURLWithPath: workFolder, isDirectory: true)
    let seeds = size.seeds(from: options.seed)
    func run(
      _ recipe: FineTuningRecipe, start: (model: BertForSequenceClassification, report: LoadReport?)? = nil
    ) throws -> FineTuningRun {
      try fineTune(
        recipe, args: runArguments(trainingArgs, recipe: recipe, workFolder: work, isMain: start != nil),
        checkpoint: checkpoint, data: data, tokenizer: tokenizer, maxLength: size.maxLength, start: start)
    }
    let main = try run(
      FineTuningRecipe(initialization: .pretrained, freezesWordEmbeddings: false, seed: options.seed),
      start: pretrained)
    printLog(main.history)
    let mainArgs = runArguments(trainingArgs, recipe: main.recipe, workFolder: work, isMain: true)
    print(
      "the Trainer wrote its log to \(mainArgs.loggingDir ?? "") and its last checkpoint under \(mainArgs.outputDir)"
    )

    // Step 4. Evaluation (8.3: accuracy, recall, ...) on the test split. The confusion matrix
    // M[true][predicted] holds every count the scores come from:
    //
    //     accuracy  = (M[0][0] + M[1][1]) / N
    //     precision = M[1][1] / (M[0][1] + M[1][1])     recall = M[1][1] / (M[1][0] + M[1][1])
    //     F1        = 2 precision recall / (precision + recall)
    printStep("Step 4: evaluation on the test split")
    printEvaluation(main.test, data: data)
    try writeConfusionMatrix(
      main.test, labelNames: data.labelNames, title: "pretrained, seed \(options.seed)", to: folder,
      using: writer)

    // The control: the same code from random weights. Whatever the pretrained model does
    // better, it owes to pretraining.
    printStep("The control: the same fine-tuning from random weights")
    let control = try run(
      FineTuningRecipe(initialization: .random, freezesWordEmbeddings: false, seed: options.seed))
    printEvaluation(control.test, data: data)
    try writeLossPlot(pretrained: main, control: control, to: folder, using: writer)

    // 8.2 如何微调BERT模型 / How to fine-tune BERT: "adjust the model structure to the task".
    // One adjustment often proposed for a small labelled set: freeze the word embeddings.
    // Fine-tuning moves the vectors of the words it sees (good, awful, ...) but never those of
    // the held-out words (superb, dreadful, ...), which no training sentence contains; frozen,
    // the whole table keeps pretraining's geometry, and the held-out words stay beside their
    // seen cousins (chapter 05 measured how they lean). AdamW then trains everything but the
    // table (PyTorch's requires_grad = False). Whether that pays is a question for the data:
    // the table below answers it, and the spread of the frozen rows is part of the answer
    // (with the table fixed, some seeds fit the training sentences poorly).
    //
    // One seed proves little: the new head, the data order and dropout all come from it. Each
    // recipe runs with several seeds; the mean comes with its range and standard deviation.
    printStep("8.2: pretrained against random, with and without frozen word embeddings, \(seeds.count) seeds")
    var runs: [FineTuningRun] = [main, control]
    for freezes in [false, true] {
      for initialization in Initialization.allCases {
        for seed in seeds {
          let recipe = FineTuningRecipe(
            initialization: initialization, freezesWordEmbeddings: freezes, seed: seed)
          if runs.contains(where: { $0.recipe == recipe }) { continue }
          runs.append(try run(recipe))
        }
      }
    }
    let comparison = compareRecipes(runs, data: data)
    printComparison(comparison, hasHeldOutWords: data.hasHeldOutWords)
    try writeComparisonPlot(comparison, hasHeldOutWords: data.hasHeldOutWords, to: folder, using: writer)

    // 6.1 情感分析 / Sentiment analysis: the fine-tuned model on sentences it has never seen,
    // each with its class probabilities softmax(logits). The model: step 3's (pretrained, the
    // chapter's seed). The held-out adjectives are where pretraining shows; the held-out verbs
    // are harder: with the default seed "adored" is split into word pieces by this small
    // vocabulary, and verbs are rarer than adjectives in the corpus, so pretraining taught less
    // about them.
    printStep("6.1: sentiment analysis of new sentences")
    let sentences = data.hasHeldOutWords ? newSentences : data.test.prefix(6).map(\.text)
    let probabilities = classify(
      sentences, model: main.model, tokenizer: tokenizer, maxLength: size.maxLength)
    let width = (sentences.map(\.count).max() ?? 0) + 2
    print(padRight("sentence", width) + data.labelNames.map { pad("p(\($0))", 14) }.joined())
    for (sentence, row) in zip(sentences, probabilities) {
      print(padRight(sentence, width) + row.map { pad(fixed($0), 14) }.joined())
    }
    fflush(nil)  // what was printed first, when the output is piped
    FileHandle.standardError.write(Data("chapter 06: \(clock.now - start)\n".utf8))
  }

  /// The generated data, or the user's files.
  func loadTaskData(size: FineTuningSize) throws -> TaskData {
    guard let train else {
      return TaskData(
        trainCount: size.trainCount, devCount: size.devCount, testCount: size.testCount, seed: options.seed)
    }
    guard let test else { throw ValidationError("--train needs --test too") }
    return try TaskData(
      trainFile: train, devFile: dev, testFile: test, textColumn: textColumn, labelColumn: labelColumn,
      labelNames: labelNames.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
  }

  /// The checkpoint folder, with a message saying how to make it when it is missing.
  func openCheckpoint() throws -> PretrainedCheckpoint {
    let url = URL(fileURLWithPath: model)
    guard FileManager.default.fileExists(atPath: url.appendingPathComponent("model.safetensors").path) else {
      throw TaskDataError.noCheckpoint(
        "\(model) has no model.safetensors: run chapter 05 first (swift run -c release Chapter05), or pass --model DIR"
      )
    }
    return try PretrainedCheckpoint(directory: url)
  }
}

/// Sentences the model has never seen, half with held-out words.
let newSentences = [
  "the acting was wonderful and the music was great .",
  "what a boring film , the ending was awful .",
  "the hotel was superb .",
  "honestly , the food was dreadful .",
  "i adored this album .",
  "i loathed this show .",
]

Chapter06.main()
