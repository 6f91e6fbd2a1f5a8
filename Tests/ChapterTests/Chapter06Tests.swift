import BERT
import Foundation
import NotebookSupport
import Plotting
import Testing
import WordPiece

@testable import Chapter06

/// Chapter 06 at its quick size: the warmup formula, the generated and the user's task data, the
/// scores against their confusion matrix, from_pretrained's report, and a seeded fine-tuning run.
@Suite("Chapter 06: Fine-tuning")
struct Chapter06Tests {
  /// A small masked-LM checkpoint in a temporary folder, over a vocabulary of the generated corpus.
  struct TinyCheckpoint {
    let masked: BertForMaskedLM
    let checkpoint: PretrainedCheckpoint
    let tokenizer: BertTokenizer
  }

  static let labelNames = ["negative", "positive"]
  static let size = FineTuningSize.quick
  static let data = TaskData(
    trainCount: size.trainCount, devCount: size.devCount, testCount: size.testCount, seed: 42)
  /// The updates of a quick run, as the chapter counts them (`updateCount` counts them apart).
  static let updates = trainingUpdates(examples: size.trainCount, batchSize: 16, epochs: 3).total

  /// A new, empty folder under the temporary directory; the caller removes it.
  static func temporaryFolder(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "chapter06-\(name)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// Runs `body` with a BertForMaskedLM of 1 layer, H 16, saved with `savePretrained` and opened
  /// as chapter 06 opens chapter 05's checkpoint; the folder is removed afterwards.
  static func withTinyCheckpoint<Value>(_ body: (TinyCheckpoint) throws -> Value) throws -> Value {
    let root = try temporaryFolder("checkpoint")
    defer { try? FileManager.default.removeItem(at: root) }
    let sentences = PretrainingCorpus(documentCount: 100, seed: 42).sentences
    let tokenizer = try trainTokenizer(sentences, size: 150)
    let config = BERTConfig(
      vocabSize: tokenizer.vocabulary.count, hiddenSize: 16, numHiddenLayers: 1, numAttentionHeads: 2,
      intermediateSize: 32, maxPositionEmbeddings: 64)
    var rng = RandomGenerator(seed: 5)
    let masked = BertForMaskedLM(config: config, rng: &rng)
    let folder = root.appendingPathComponent("notebook-bert")
    try masked.savePretrained(to: folder, tokenizer: tokenizer)
    let checkpoint = try Chapter06.parse(["--model", folder.path]).openCheckpoint()
    return try body(
      TinyCheckpoint(masked: masked, checkpoint: checkpoint, tokenizer: tokenizer))
  }

  /// The chapter's TrainingArguments (its step 3) for the quick data, as the chapter builds them.
  static let trainingArguments = chapterTrainingArguments(size: size, trainCount: size.trainCount, seed: 42)

  /// One comparison run of the chapter, its folders under `work`.
  static func tune(
    _ initialization: Initialization, seed: UInt64, _ tiny: TinyCheckpoint, work: URL
  ) throws -> FineTuningRun {
    let recipe = FineTuningRecipe(initialization: initialization, freezesWordEmbeddings: false, seed: seed)
    return try fineTune(
      recipe, args: runArguments(trainingArguments, recipe: recipe, workFolder: work, isMain: false),
      checkpoint: tiny.checkpoint, data: data, tokenizer: tiny.tokenizer, maxLength: size.maxLength)
  }

  /// The tensors of a model by name.
  static func tensors(_ model: some PretrainedModel) -> [String: Tensor] {
    Dictionary(uniqueKeysWithValues: model.checkpointTensors().map { ($0.name, $0.tensor) })
  }

  /// [N, 2] logits whose row i is (0, ln 3) when `predictions[i]` is 1 and (ln 3, 0) when it is 0,
  /// so each row's softmax is (1/4, 3/4) or (3/4, 1/4).
  static func binaryLogits(_ predictions: [Int]) -> Tensor {
    let large = Float(log(3.0))
    return Tensor(
      shape: [predictions.count, 2], scalars: predictions.flatMap { $0 == 1 ? [0, large] : [large, 0] })
  }

  /// Accuracy, and precision, recall and F1 of class 1, from the cells of a 2 x 2 matrix M[true][predicted].
  static func binaryScores(_ m: [[Int]]) -> (accuracy: Double, precision: Double, recall: Double, f1: Double)
  {
    let n = Double(m[0][0] + m[0][1] + m[1][0] + m[1][1])
    let truePositive = Double(m[1][1])
    let precision = m[0][1] + m[1][1] > 0 ? truePositive / Double(m[0][1] + m[1][1]) : 0
    let recall = m[1][0] + m[1][1] > 0 ? truePositive / Double(m[1][0] + m[1][1]) : 0
    let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    return (Double(m[0][0] + m[1][1]) / n, precision, recall, f1)
  }

  /// Checks an evaluation's accuracy, precision, recall and F1 against its own confusion matrix,
  /// and the matrix against a count of (label, prediction) pairs.
  static func expectScoresFromMatrix(
    _ evaluation: Evaluation, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var counted = [[0, 0], [0, 0]]
    for (label, prediction) in zip(evaluation.labels, evaluation.predictions) {
      counted[label][prediction] += 1
    }
    let matrix = evaluation.confusionMatrix
    #expect(matrix == counted, "matrix \(matrix), counted \(counted)", sourceLocation: sourceLocation)
    let expected = binaryScores(matrix)
    expectScores(
      evaluation, accuracy: expected.accuracy, precision: expected.precision, recall: expected.recall,
      f1: expected.f1, sourceLocation: sourceLocation)
  }

  /// Checks an evaluation's accuracy and its precision, recall and F1 against expected values, to 1e-12.
  static func expectScores(
    _ evaluation: Evaluation, accuracy: Double, precision: Double, recall: Double, f1: Double,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let scores = evaluation.scores
    let checks: [(name: String, actual: Double, expected: Double)] = [
      ("accuracy", evaluation.accuracy, accuracy), ("precision", scores.precision, precision),
      ("recall", scores.recall, recall), ("F1", scores.f1, f1),
    ]
    for check in checks {
      #expect(
        abs(check.actual - check.expected) < 1e-12,
        "\(check.name) \(check.actual), expected \(check.expected)",
        sourceLocation: sourceLocation)
    }
  }

  /// The words of a generated sentence (lower case, separated by single spaces).
  static func words(_ text: String) -> Set<String> { Set(text.split(separator: " ").map(String.init)) }

  // MARK: - Settings

  @Test("warmup: the seed's 500 of 4,689 updates scaled, round(75 x 500 / 4689) = 8, at least 1")
  func warmup() {
    #expect(scaledWarmupSteps(totalSteps: 75) == 8)  // 7.997
    #expect(scaledWarmupSteps(totalSteps: 4689) == 500)
    #expect(scaledWarmupSteps(totalSteps: 12) == 1)  // 1.28
    #expect(scaledWarmupSteps(totalSteps: 1) == 1)  // 0.107, raised to 1
    #expect(scaledWarmupSteps(totalSteps: 0) == 1)
    #expect(scaledWarmupSteps(totalSteps: 1200) == 128)  // 127.95
    var size = Self.size
    size.seedCount = 3
    #expect(size.seeds(from: 42) == [42, 43, 44])
    #expect(size.seeds(from: UInt64.max) == [UInt64.max, 0, 1])
  }

  @Test("the chapter's arguments: the seed's, warmup 8 of 75 updates at the standard size, 1 of 12 quick")
  func chapterArguments() {
    let standard = chapterTrainingArguments(
      size: .standard, trainCount: FineTuningSize.standard.trainCount, seed: 7)
    #expect(standard.outputDir == "./results" && standard.loggingDir == "./logs")
    #expect(standard.numTrainEpochs == 3 && standard.perDeviceTrainBatchSize == 16)
    #expect(standard.perDeviceEvalBatchSize == 64 && standard.weightDecay == 0.01)
    #expect(standard.learningRate == 0.001 && standard.warmupSteps == 8 && standard.seed == 7)
    #expect(standard.loggingSteps == 5 && standard.evalStrategy == .steps && standard.evalSteps == 5)
    #expect(!standard.logTimings)
    // As printed: "warmup_steps 8 (the seed's 500, scaled), ... learning_rate 0.001".
    #expect("\(standard.weightDecay) \(standard.learningRate)" == "0.01 0.001")
    #expect(Self.trainingArguments.warmupSteps == scaledWarmupSteps(totalSteps: Self.updates))
    #expect(Self.trainingArguments.warmupSteps == 1 && Self.trainingArguments.seed == 42)
  }

  @Test("updates: 3 epochs x ceil(64 / 16) batches = 12 at the quick size, counted by a loop")
  func updateCount() {
    #expect(Self.data.train.count == 64)
    let updates = trainingUpdates(examples: Self.data.train.count, batchSize: 16, epochs: 3)
    #expect(updates.perEpoch == 4 && updates.total == 12)
    // The batches of one epoch by a loop: 16 examples at a time, the last batch what is left.
    var batches = 0
    var start = 0
    while start < Self.data.train.count {
      batches += 1
      start += 16
    }
    #expect(updates.perEpoch == batches && updates.total == 3 * batches)
    // The default size's 400 sentences: the printed 3 x 25 = 75; a short last batch still counts.
    let standard = trainingUpdates(examples: FineTuningSize.standard.trainCount, batchSize: 16, epochs: 3)
    #expect(standard.perEpoch == 25 && standard.total == 75)
    #expect(trainingUpdates(examples: 65, batchSize: 16, epochs: 3).total == 15)
  }

  @Test("runArguments: the seed's ./results and ./logs under the work folder, a subfolder per comparison run")
  func runFolders() throws {
    let folder = try Self.temporaryFolder("work")
    defer { try? FileManager.default.removeItem(at: folder) }
    // As main.swift makes it from --work-folder (an existing folder).
    let work = URL(fileURLWithPath: folder.path)
    let recipe = FineTuningRecipe(initialization: .random, freezesWordEmbeddings: true, seed: 7)
    #expect(runName(recipe) == "random-frozen-seed-7")
    #expect(recipe.name == "random, frozen embeddings")
    let comparison = runArguments(Self.trainingArguments, recipe: recipe, workFolder: work, isMain: false)
    #expect(comparison.outputDir == folder.path + "/results/random-frozen-seed-7")
    #expect(comparison.loggingDir == folder.path + "/logs/random-frozen-seed-7")
    #expect(comparison.seed == 7 && comparison.saveStrategy == .no)
    let main = runArguments(Self.trainingArguments, recipe: recipe, workFolder: work, isMain: true)
    #expect(main.outputDir == folder.path + "/results" && main.loggingDir == folder.path + "/logs")
    #expect(main.saveStrategy == Self.trainingArguments.saveStrategy && main.seed == 7)
  }

  // MARK: - Step 1: task data

  @Test(
    "the generated splits (64/16/32 at the quick size): balanced, held-out words in half the test split only")
  func generatedData() {
    let data = Self.data
    let size = Self.size
    #expect(data.labelNames == Self.labelNames)
    #expect(data.train.count == size.trainCount && data.dev.count == size.devCount)
    #expect(data.test.count == size.testCount && size.testCount % 4 == 0)
    for (name, split) in [("train", data.train), ("dev", data.dev), ("test", data.test)] {
      let positives = split.filter { $0.label == 1 }.count
      #expect(positives * 2 == split.count, "\(name): \(positives) positive of \(split.count)")
    }
    let heldOut = data.test.filter(\.usesHeldOutWord)
    #expect(
      heldOut.count * 2 == data.test.count && heldOut.filter { $0.label == 1 }.count * 4 == data.test.count)
    #expect(data.hasHeldOutWords)
    #expect(Lexicon.heldOutWords.count == 10)
    for example in data.train + data.dev {
      let found = Self.words(example.text).intersection(Lexicon.heldOutWords)
      #expect(found.isEmpty && !example.usesHeldOutWord, "\(example.text) uses \(found)")
    }
    for example in data.test {
      let found = Self.words(example.text).intersection(Lexicon.heldOutWords)
      #expect(found.count == (example.usesHeldOutWord ? 1 : 0), "\(example.text): \(found)")
    }
    // The label is the polarity of the sentence's one polarity word.
    let positive = Set(Lexicon.positiveSeen + Lexicon.positiveHeldOut + Lexicon.positiveVerbs)
    let negative = Set(Lexicon.negativeSeen + Lexicon.negativeHeldOut + Lexicon.negativeVerbs)
    for example in data.train + data.dev + data.test {
      let words = Self.words(example.text)
      let (ofLabel, ofOther) = example.label == 1 ? (positive, negative) : (negative, positive)
      #expect(
        words.intersection(ofLabel).count == 1 && words.intersection(ofOther).isEmpty,
        "label \(example.label): \(example.text)")
    }
    let again = TaskData(
      trainCount: size.trainCount, devCount: size.devCount, testCount: size.testCount, seed: 42)
    #expect(again.train == data.train && again.dev == data.dev && again.test == data.test)
    let other = TaskData(
      trainCount: size.trainCount, devCount: size.devCount, testCount: size.testCount, seed: 43)
    #expect(other.train != data.train)
  }

  /// Writes `text` as `name` in `folder` and returns the path.
  static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test("the user's files: TSV with label names, CSV with quotes, JSONL, indices without names")
  func userFiles() throws {
    let folder = try Self.temporaryFolder("files")
    defer { try? FileManager.default.removeItem(at: folder) }
    let rows = (0..<20).map { "review number \($0)\t\($0 % 2 == 0 ? "negative" : "positive")" }
    let train = try Self.write(
      (["text\tlabel"] + rows).joined(separator: "\n") + "\n", "train.tsv", in: folder)
    let test = try Self.write(
      "label,text\npositive,\"good, really good .\"\n0,plain text\n1,\"a \"\"quoted\"\" word\"\n", "test.csv",
      in: folder)
    let dev = try Self.write(
      "{\"text\": \"fine .\", \"label\": 1}\n\n{\"label\": \"negative\", \"text\": \"bad .\"}\n", "dev.jsonl",
      in: folder)

    // No dev file: the last tenth (2 of 20) of the training file is the dev split. The option's
    // names are split at commas and trimmed.
    let data = try Chapter06.parse(["--train", train, "--test", test, "--label-names", "negative, positive"])
      .loadTaskData(size: Self.size)
    #expect(data.labelNames == Self.labelNames)
    #expect(data.train.map(\.text) == (0..<18).map { "review number \($0)" })
    #expect(data.train.map(\.label) == (0..<18).map { $0 % 2 })
    #expect(data.dev.map(\.text) == ["review number 18", "review number 19"])
    #expect(data.test.map(\.text) == ["good, really good .", "plain text", "a \"quoted\" word"])
    #expect(data.test.map(\.label) == [1, 0, 1])
    #expect(!data.hasHeldOutWords && !(data.train + data.dev + data.test).contains(where: \.usesHeldOutWord))
    #expect(data.source.contains(train) && data.source.contains(test))

    let withDev = try TaskData(
      trainFile: train, devFile: dev, testFile: test, textColumn: "text", labelColumn: "label",
      labelNames: Self.labelNames)
    #expect(withDev.train.count == 20 && withDev.test.count == 3)
    #expect(withDev.dev.map(\.text) == ["fine .", "bad ."] && withDev.dev.map(\.label) == [1, 0])
    #expect(withDev.source.contains(dev))

    // Labels as indices without names: LABEL_0 ... up to the largest class, at least two.
    let indexed = try Self.write("label\tsentence\n1\tyes .\n0\tno .\n", "indexed.tsv", in: folder)
    let three = try Self.write("label\tsentence\n2\tmaybe .\n", "three.tsv", in: folder)
    let zeros = try Self.write("label\tsentence\n0\tnothing .\n", "zeros.tsv", in: folder)
    for (file, names) in [
      (indexed, ["LABEL_0", "LABEL_1"]), (three, ["LABEL_0", "LABEL_1", "LABEL_2"]),
      (zeros, ["LABEL_0", "LABEL_1"]),
    ] {
      let indices = try TaskData(
        trainFile: file, devFile: file, testFile: file, textColumn: "sentence", labelColumn: "label",
        labelNames: nil)
      #expect(indices.labelNames == names, "\(file): \(indices.labelNames)")
    }
  }

  @Test("a bad file throws an error naming the file and the line")
  func userFileErrors() throws {
    let folder = try Self.temporaryFolder("errors")
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = try Self.write("text\tlabel\nfine .\tpositive\nbad .\tnegative\n", "good.tsv", in: folder)
    let noText = try Self.write("sentence\tlabel\nfine .\tpositive\n", "no-text.tsv", in: folder)
    let neutral = try Self.write("label,text\npositive,ok .\nneutral,hmm .\n", "neutral.csv", in: folder)
    let noLabel = try Self.write(
      "{\"text\": \"a\", \"label\": 1}\n{\"text\": \"b\"}\n", "no-label.jsonl", in: folder)
    let named = try Self.write(
      "{\"text\": \"a\", \"label\": 1}\n\n{\"text\": \"b\", \"label\": \"negative\"}\n", "named.jsonl",
      in: folder)
    // (training file, test file, label names, the error, where it points)
    let cases: [(train: String, test: String, names: [String]?, error: DataFileError, at: String)] = [
      (
        noText, good, Self.labelNames,
        .missingColumn(file: noText, line: 1, column: "text", available: ["sentence", "label"]),
        "\(noText):1:"
      ),
      (
        good, neutral, Self.labelNames,
        .unknownLabel(file: neutral, line: 3, label: "neutral", known: Self.labelNames), "\(neutral):3:"
      ),
      (
        good, noLabel, Self.labelNames,
        .missingColumn(file: noLabel, line: 2, column: "label", available: ["text"]), "\(noLabel):2:"
      ),
      // Without label names a label must be an index.
      (named, named, nil, .unknownLabel(file: named, line: 3, label: "negative", known: []), "\(named):3:"),
    ]
    for (train, test, names, expected, location) in cases {
      #expect {
        try TaskData(
          trainFile: train, devFile: good, testFile: test, textColumn: "text", labelColumn: "label",
          labelNames: names)
      } throws: { error in
        error as? DataFileError == expected && "\(error)".hasPrefix(location)
      }
    }
    // Five training rows and no dev file: a tenth of five is no dev example.
    let five = try Self.write(
      "text\tlabel\n" + (0..<5).map { "row \($0)\tpositive\n" }.joined(), "five.tsv", in: folder)
    #expect {
      try TaskData(
        trainFile: five, devFile: nil, testFile: good, textColumn: "text", labelColumn: "label",
        labelNames: Self.labelNames)
    } throws: { error in
      "\(error)".contains(five) && "\(error)".contains("0 dev")
    }
    #expect {
      try Chapter06.parse(["--train", good]).loadTaskData(size: Self.size)
    } throws: { error in
      "\(error)".contains("--test")
    }
  }

  // MARK: - Step 4: evaluation

  @Test("two classes by hand: M = [[1, 2], [1, 2]], accuracy 1/2, precision 1/2, recall 2/3, F1 4/7")
  func binaryEvaluation() {
    let predictions = [1, 1, 1, 0, 1, 0]
    let labels = [1, 0, 0, 1, 1, 0]
    let evaluation = Evaluation(logits: Self.binaryLogits(predictions), labels: labels)
    #expect(evaluation.predictions == predictions && evaluation.classCount == 2)
    #expect(evaluation.confusionMatrix == [[1, 2], [1, 2]])
    Self.expectScores(
      evaluation, accuracy: 0.5, precision: 0.5, recall: 2.0 / 3, f1: 4.0 / 7)
    Self.expectScoresFromMatrix(evaluation)
    // softmax(0, ln 3) = (1/4, 3/4).
    for (row, prediction) in zip(evaluation.probabilities, predictions) {
      let expected = prediction == 1 ? [0.25, 0.75] : [0.75, 0.25]
      let difference = zip(row, expected).map { abs($0 - $1) }.max() ?? 1
      #expect(difference < 1e-6, "\(row), max difference \(difference)")
    }
    // Rows 0, 1, 4, 5: predictions 1, 1, 1, 0 against 1, 0, 1, 0.
    #expect(evaluation.accuracy(where: [true, true, false, false, true, true]) == 0.75)
    #expect(evaluation.accuracy(where: [Bool](repeating: false, count: 6)) == 0)
  }

  @Test("three classes by hand: macro precision 2/3, recall 13/18, F1 59/90 (the mean of per-class F1)")
  func macroEvaluation() {
    let predictions = [0, 1, 2, 2, 1, 0]
    let labels = [0, 1, 2, 1, 1, 2]
    let logits = Tensor(
      shape: [6, 3], scalars: predictions.flatMap { p in (0..<3).map { $0 == p ? Float(1) : Float(-1) } })
    let evaluation = Evaluation(logits: logits, labels: labels)
    #expect(evaluation.confusionMatrix == [[1, 0, 0], [0, 2, 1], [1, 0, 1]])
    // Per class: precision 1/2, 1, 1/2; recall 1, 2/3, 1/2; F1 2/3, 4/5, 1/2.
    Self.expectScores(
      evaluation, accuracy: 4.0 / 6, precision: 2.0 / 3, recall: 13.0 / 18, f1: 59.0 / 90)
  }

  @Test("a seed summary: mean, range and sample standard deviation by hand")
  func seedSummary() {
    let summary = SeedSummary(values: [0.5, 1.0, 0.75])
    // Deviations -0.25, 0.25, 0: sqrt(0.125 / 2) = 0.25.
    #expect(summary.mean == 0.75 && summary.minimum == 0.5 && summary.maximum == 1)
    #expect(abs(summary.standardDeviation - 0.25) < 1e-15)
    #expect(summary.text == "0.7500 (0.5000-1.0000, sd 0.2500)")
    #expect(SeedSummary(values: [0.625]).standardDeviation == 0)
    #expect(SeedSummary(values: []).mean == 0)
  }

  // MARK: - Step 2: from_pretrained

  @Test("from an MLM checkpoint: the pooler and classifier are new, cls.predictions.* is unused")
  func loadReport() throws {
    try Self.withTinyCheckpoint { tiny in
      let config = classifierConfig(tiny.checkpoint.config, labelNames: Self.labelNames)
      #expect(config.numLabels == 2 && config.architectures == ["BertForSequenceClassification"])
      #expect(
        config.id2label == [0: "negative", 1: "positive"]
          && config.label2id == ["negative": 0, "positive": 1])
      #expect(config.hiddenSize == 16 && config.vocabSize == tiny.tokenizer.vocabulary.count)

      let (model, report) = try makeClassifier(
        .pretrained, checkpoint: tiny.checkpoint, labelNames: Self.labelNames, seed: 7)
      let loaded = try #require(report)
      // As the reference's from_pretrained warns for BertForSequenceClassification from a
      // BertForMaskedLM checkpoint (which saves no pooler and no decoder weight).
      let missing = [
        "bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias",
      ]
      let unused = [
        "cls.predictions.bias", "cls.predictions.transform.dense.weight",
        "cls.predictions.transform.dense.bias",
        "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias",
      ]
      #expect(Set(loaded.missing) == Set(missing), "missing \(loaded.missing)")
      #expect(loaded.missing.count == missing.count)
      #expect(Set(loaded.unused) == Set(unused), "unused \(loaded.unused)")
      #expect(loaded.unused.count == unused.count && loaded.seed == 7)
      #expect(loaded.architecture == "BertForSequenceClassification")

      // Every other tensor is the checkpoint's, bit for bit.
      let pretrained = Self.tensors(tiny.masked)
      let classifier = Self.tensors(model)
      let shared = classifier.keys.filter { pretrained[$0] != nil }
      #expect(shared.count + missing.count == classifier.count)
      for name in shared.sorted() {
        let difference = try #require(classifier[name]).maxAbsDifference(try #require(pretrained[name]))
        #expect(difference == 0, "\(name): max difference \(difference)")
      }
      #expect(model.classifier.weight.value.shape == [2, 16])

      // The new head comes from the seed.
      let same = try makeClassifier(
        .pretrained, checkpoint: tiny.checkpoint, labelNames: Self.labelNames, seed: 7)
      let other = try makeClassifier(
        .pretrained, checkpoint: tiny.checkpoint, labelNames: Self.labelNames, seed: 8)
      #expect(same.model.classifier.weight.value.scalars == model.classifier.weight.value.scalars)
      #expect(other.model.classifier.weight.value.scalars != model.classifier.weight.value.scalars)

      // The control: every weight random, no report, nothing of the checkpoint.
      let random = try makeClassifier(
        .random, checkpoint: tiny.checkpoint, labelNames: Self.labelNames, seed: 7)
      #expect(random.report == nil && random.model.config.numLabels == 2)
      let name = "bert.embeddings.word_embeddings.weight"
      let table = try #require(Self.tensors(random.model)[name])
      #expect(table.maxAbsDifference(try #require(pretrained[name])) > 0)
    }
  }

  @Test("openCheckpoint: a folder without model.safetensors says to run chapter 05")
  func missingCheckpoint() throws {
    let folder = try Self.temporaryFolder("missing")
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect {
      try Chapter06.parse(["--model", folder.path]).openCheckpoint()
    } throws: { error in
      "\(error)".contains(folder.path) && "\(error)".contains("run chapter 05 first")
    }
  }

  // MARK: - Step 3: fine-tuning

  @Test("a quick run: seeded, the updates the chapter counts, logged every 5 steps, scores from its matrix")
  func fineTuningRun() throws {
    let work = try Self.temporaryFolder("work")
    let again = try Self.temporaryFolder("again")
    defer {
      for folder in [work, again] { try? FileManager.default.removeItem(at: folder) }
    }
    try Self.withTinyCheckpoint { tiny in
      let first = try Self.tune(.pretrained, seed: 42, tiny, work: work)
      let second = try Self.tune(.pretrained, seed: 42, tiny, work: again)
      #expect(first.history == second.history)
      #expect(first.test.predictions == second.test.predictions)
      #expect(first.test.probabilities == second.test.probabilities)
      let log = "logs/pretrained-seed-42/trainer_log.jsonl"
      let bytes = try [work, again].map { try Data(contentsOf: $0.appendingPathComponent(log)) }
      #expect(bytes[0] == bytes[1] && !bytes[0].isEmpty)
      #expect(first.report?.missing.count == 4 && first.recipe.seed == 42)

      // The Trainer, given the chapter's arguments and the quick training split, plans the
      // updates the chapter prints.
      let trainer = Trainer(
        model: first.model, args: Self.trainingArguments,
        trainDataset: trainingExamples(
          Self.data.train, tokenizer: tiny.tokenizer, maxLength: Self.size.maxLength))
      #expect(trainer.totalSteps == Self.updates)

      // Losses and dev scores every 5 updates (at 5 and 10 of the quick size's 12).
      let logged = Array(stride(from: 5, through: Self.updates, by: 5))
      #expect(first.history.filter { $0["loss"] != nil }.map(\.step) == logged)
      #expect(first.history.filter { $0["eval_loss"] != nil }.map(\.step) == logged)
      #expect(first.history.compactMap { $0["eval_accuracy"] }.allSatisfy { (0...1).contains($0) })

      #expect(first.test.labels == Self.data.test.map(\.label))
      Self.expectScoresFromMatrix(first.test)
      // The probabilities of the batched prediction, one sentence at a time.
      let classified = classify(
        Self.data.test.map(\.text), model: first.model, tokenizer: tiny.tokenizer,
        maxLength: Self.size.maxLength)
      let difference =
        zip(classified, first.test.probabilities).map { zip($0, $1).map { abs($0 - $1) }.max() ?? 1 }.max()
        ?? 1
      #expect(difference < 1e-5, "max difference \(difference)")
      #expect(classified.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-12 && $0.count == 2 })

      // Another seed and the control, grouped by recipe.
      let otherSeed = try Self.tune(.pretrained, seed: 43, tiny, work: work)
      let control = try Self.tune(.random, seed: 42, tiny, work: work)
      #expect(control.report == nil)
      Self.expectScoresFromMatrix(control.test)
      let comparison = compareRecipes([control, first, otherSeed], data: Self.data)
      #expect(comparison.map(\.name) == ["pretrained", "random"])
      #expect(comparison.map(\.freezesWordEmbeddings) == [false, false])
      #expect(comparison[0].accuracy.values == [first.test.accuracy, otherSeed.test.accuracy])
      #expect(comparison[1].accuracy.values == [control.test.accuracy])
      for (recipe, runs) in zip(comparison, [[first, otherSeed], [control]]) {
        let heldOut = runs.map { run in
          let rows = Self.data.test.indices.filter { Self.data.test[$0].usesHeldOutWord }
          return Double(rows.filter { run.test.predictions[$0] == Self.data.test[$0].label }.count)
            / Double(rows.count)
        }
        #expect(recipe.heldOutAccuracy.values == heldOut, "\(recipe.name): \(recipe.heldOutAccuracy.values)")
        // As many held-out as seen sentences: the two accuracies average to the whole.
        for (index, run) in runs.enumerated() {
          let mean = (recipe.heldOutAccuracy.values[index] + recipe.seenAccuracy.values[index]) / 2
          #expect(abs(mean - run.test.accuracy) < 1e-12)
        }
      }
    }
  }

  // MARK: - Plots

  @Test("the plots: the confusion matrix's cells, both runs' curves, the recipes' means")
  func plots() throws {
    let root = try Self.temporaryFolder("plots")
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = plotFolder(root.path)
    #expect(folder.path == root.appendingPathComponent("06-fine-tuning").path)
    let writer = PlotWriter(rendersImage: false, printsToTerminal: false)

    // M = [[13, 7], [5, 11]]: 13 true negatives, 7 false positives, 5 false negatives, 11 true positives.
    let labels = [Int](repeating: 0, count: 20) + [Int](repeating: 1, count: 16)
    let predictions =
      [Int](repeating: 0, count: 13) + [Int](repeating: 1, count: 7) + [Int](repeating: 0, count: 5)
      + [Int](repeating: 1, count: 11)
    let evaluation = Evaluation(logits: Self.binaryLogits(predictions), labels: labels)
    let matrix = try writeConfusionMatrix(
      evaluation, labelNames: Self.labelNames, title: "test", to: folder, using: writer)
    let matrixText = try String(contentsOf: matrix.script, encoding: .utf8)
    #expect(matrix.script.lastPathComponent == "confusion-matrix.gp" && !matrix.isRendered)
    #expect(matrixText.contains("\n13 7\n5 11\n"), "the cells of [[13, 7], [5, 11]]")
    #expect(matrixText.contains("negative") && matrixText.contains("positive"))

    func run(_ initialization: Initialization, _ losses: [Double]) -> FineTuningRun {
      var history: [LogRecord] = []
      for (index, loss) in losses.enumerated() {
        var record = LogRecord(step: 5 * (index / 2 + 1), epoch: 1)
        record.set(index % 2 == 0 ? "loss" : "eval_loss", loss)
        history.append(record)
      }
      let config = classifierConfig(
        BERTConfig(
          vocabSize: 8, hiddenSize: 4, numHiddenLayers: 1, numAttentionHeads: 1, intermediateSize: 8),
        labelNames: Self.labelNames)
      return FineTuningRun(
        recipe: FineTuningRecipe(initialization: initialization, freezesWordEmbeddings: false, seed: 42),
        model: BertForSequenceClassification(config: config), history: history, report: nil, test: evaluation)
    }
    let pretrained = run(.pretrained, [0.6875, 0.65625, 0.40625, 0.4375])
    let control = run(.random, [0.71875, 0.703125, 0.6796875, 0.69140625])
    let loss = try writeLossPlot(pretrained: pretrained, control: control, to: folder, using: writer)
    let lossText = try String(contentsOf: loss.script, encoding: .utf8)
    for value in [0.6875, 0.65625, 0.40625, 0.4375, 0.71875, 0.703125, 0.6796875, 0.69140625] {
      #expect(lossText.contains(GnuplotSyntax.number(value)), "loss.gp lacks \(value)")
    }
    #expect(lossText.contains("random init: dev") && lossText.contains("pretrained: training"))

    let comparison = [
      RecipeComparison(
        initialization: .pretrained, freezesWordEmbeddings: false, accuracy: SeedSummary(values: [0.8125]),
        heldOutAccuracy: SeedSummary(values: [0.5625]), seenAccuracy: SeedSummary(values: [1])),
      RecipeComparison(
        initialization: .random, freezesWordEmbeddings: true, accuracy: SeedSummary(values: [0.59375]),
        heldOutAccuracy: SeedSummary(values: [0.46875]), seenAccuracy: SeedSummary(values: [0.71875])),
    ]
    let seeds = try writeComparisonPlot(comparison, hasHeldOutWords: true, to: folder, using: writer)
    let seedsText = try String(contentsOf: seeds.script, encoding: .utf8)
    for value in [0.8125, 0.5625, 0.59375, 0.46875] {
      #expect(seedsText.contains(GnuplotSyntax.number(value)), "seeds.gp lacks \(value)")
    }
    #expect(seedsText.contains("random, frozen embeddings: held-out words"))
    let withoutHeldOut = try writeComparisonPlot(
      comparison, hasHeldOutWords: false, to: folder, using: writer)
    let plainText = try String(contentsOf: withoutHeldOut.script, encoding: .utf8)
    #expect(!plainText.contains("held-out words") && !plainText.contains(GnuplotSyntax.number(0.46875)))
  }
}
