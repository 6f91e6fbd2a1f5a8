import Foundation
import Testing
import WordPiece

@testable import BERT

@Suite("Training: BERT heads end to end")
struct TrainingBERTTests {
  // A BERT small enough for seconds: 2 layers, H 16, 2 heads, I 32, 50 tokens.
  // Ids: 0 [PAD], 1 [UNK], 2 [CLS], 3 [SEP], 4 [MASK], 5..<50 words.
  static func config(dropout: Double = 0.1, labels: Int = 2) -> BERTConfig {
    BERTConfig(
      vocabSize: 50, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 32,
      hiddenDropoutProb: dropout, attentionProbsDropoutProb: dropout, maxPositionEmbeddings: 32,
      numLabels: labels)
  }

  static let masker = MaskedLanguageModelMasker(
    maskTokenID: 4, vocabularySize: 50, specialTokenIDs: [0, 1, 2, 3, 4], probability: 0.25)

  /// Sequences of 6 to 12 words alternating between two random words ("x y x y ..."): a
  /// masked word is the word two places away, which the model must learn to copy.
  static func patternExamples(count: Int, seed: UInt64) -> [TrainingExample] {
    var rng = RandomGenerator(seed: seed)
    return (0..<count).map { _ in
      let pair = [5 + rng.integer(below: 45), 5 + rng.integer(below: 45)]
      let words = (0..<(6 + rng.integer(below: 7))).map { pair[$0 % 2] }
      return TrainingExample(inputIDs: [2] + words + [3])
    }
  }

  func arguments(_ folder: URL, maxSteps: Int) -> TrainingArguments {
    TrainingArguments(
      outputDir: folder.path, maxSteps: maxSteps, perDeviceTrainBatchSize: 8, perDeviceEvalBatchSize: 16,
      learningRate: 1e-2, warmupSteps: 5, weightDecay: 0.01, loggingSteps: 5, saveSteps: 1000, seed: 3,
      progress: .none, logTimings: false)
  }

  @Test("BertForMaskedLM learns a pattern: held-out masked-LM loss falls below a third of its start")
  func maskedLMLearns() throws {
    let folder = temporaryFolder("bert-mlm")
    defer { try? FileManager.default.removeItem(at: folder) }
    var rng = RandomGenerator(seed: 1)
    let model = BertForMaskedLM(config: Self.config(dropout: 0), rng: &rng)
    var args = arguments(folder, maxSteps: 500)
    args.saveStrategy = .no
    let trainer = Trainer(
      model: model, args: args, trainDataset: Self.patternExamples(count: 400, seed: 1),
      evalDataset: Self.patternExamples(count: 32, seed: 2),
      dataCollator: MaskedLanguageModelCollator(masker: Self.masker),
      computeMetrics: { ["accuracy": $0.accuracy] })
    let before = try #require(try trainer.evaluate()["eval_loss"])
    try trainer.train()
    let after = try trainer.evaluate()
    let loss = try #require(after["eval_loss"])
    // log(45) = 3.8 for a uniform guess over the words.
    #expect(before > 3, "initial loss \(before)")
    #expect(loss < before / 3, "held-out loss \(loss) after 500 steps, from \(before)")
    #expect((after["eval_accuracy"] ?? 0) > 0.5, "masked-token accuracy \(after["eval_accuracy"] ?? .nan)")
  }

  @Test("BertForMaskedLM: resume is bitwise, the checkpoint is in the reference layout")
  func maskedLMResume() throws {
    let folderA = temporaryFolder("bert-resume-a")
    let folderB = temporaryFolder("bert-resume-b")
    defer {
      try? FileManager.default.removeItem(at: folderA)
      try? FileManager.default.removeItem(at: folderB)
    }
    func make(_ folder: URL) -> (BertForMaskedLM, Trainer) {
      var rng = RandomGenerator(seed: 1)
      let model = BertForMaskedLM(config: Self.config(), rng: &rng)
      var args = arguments(folder, maxSteps: 9)
      args.saveSteps = 4
      let tokenizer = try? BertTokenizer(
        vocabulary: Vocabulary(
          tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + (5..<50).map { "w\($0)" }))
      let trainer = Trainer(
        model: model, args: args, trainDataset: Self.patternExamples(count: 20, seed: 1),
        dataCollator: MaskedLanguageModelCollator(masker: Self.masker), tokenizer: tokenizer)
      return (model, trainer)
    }
    let (modelA, trainerA) = make(folderA)
    try trainerA.train()
    let checkpoint = folderA.appendingPathComponent("checkpoint-4")
    let (modelB, trainerB) = make(folderB)
    try trainerB.train(resumeFrom: checkpoint)
    let a = modelA.namedParameters().flatMap { $0.parameter.value.scalars }
    let b = modelB.namedParameters().flatMap { $0.parameter.value.scalars }
    let differing = bitwiseDifferences(a, b)
    #expect(a.count == b.count && differing == 0, "\(differing) of \(a.count) weights differ after resuming")
    #expect(trainerA.state.logHistory == trainerB.state.logHistory, "log histories differ")

    // The folder loads as from_pretrained does: config.json with the architecture, the
    // tokenizer, every tensor found, none unused, the same weights.
    let (reloaded, report) = try BertForMaskedLM.fromPretrained(
      folderA.appendingPathComponent("checkpoint-9"), warning: { Issue.record("load warning: \($0)") })
    #expect(report.warnings.isEmpty, "\(report.warnings)")
    #expect(reloaded.config.architectures == ["BertForMaskedLM"] && reloaded.config.hiddenSize == 16)
    let reloadedWeights = reloaded.namedParameters().flatMap { $0.parameter.value.scalars }
    #expect(bitwiseDifferences(reloadedWeights, a) == 0, "checkpoint-9 reloads differently")
    let checkpoint9 = try PretrainedCheckpoint(directory: folderA.appendingPathComponent("checkpoint-9"))
    #expect(checkpoint9.tokenizer?.vocabulary.count == 50, "the tokenizer was not saved with the checkpoint")
  }

  @Test("BertForMaskedLM training is the same with 1 and 2 threads")
  func threadIndependent() throws {
    func run(_ threads: Int) throws -> [Float] {
      let folder = temporaryFolder("bert-threads")
      defer { try? FileManager.default.removeItem(at: folder) }
      var rng = RandomGenerator(seed: 1)
      let model = BertForMaskedLM(config: Self.config(), rng: &rng)
      var args = arguments(folder, maxSteps: 4)
      args.saveStrategy = .no
      let trainer = Trainer(
        model: model, args: args, trainDataset: Self.patternExamples(count: 16, seed: 1),
        dataCollator: MaskedLanguageModelCollator(masker: Self.masker))
      let saved = Parallel.threadCount
      Parallel.threadCount = threads
      defer { Parallel.threadCount = saved }
      try trainer.train()
      return model.namedParameters().flatMap { $0.parameter.value.scalars }
    }
    let one = try run(1)
    let two = try run(2)
    let differing = bitwiseDifferences(one, two)
    #expect(differing == 0, "\(differing) of \(one.count) weights differ between 1 and 2 threads")
  }

  @Test("BertForSequenceClassification separates two kinds of sentence")
  func sequenceClassification() throws {
    let folder = temporaryFolder("bert-classify")
    defer { try? FileManager.default.removeItem(at: folder) }
    // Class 1 sentences contain word 7, class 0 sentences word 8, among random words 10..<50.
    var data = RandomGenerator(seed: 4)
    let examples = (0..<192).map { index -> TrainingExample in
      var words = (0..<(3 + data.integer(below: 6))).map { _ in 10 + data.integer(below: 40) }
      words.insert(index % 2 == 1 ? 7 : 8, at: data.integer(below: words.count + 1))
      return TrainingExample(inputIDs: [2] + words + [3], label: index % 2)
    }
    var rng = RandomGenerator(seed: 1)
    let model = BertForSequenceClassification(config: Self.config(dropout: 0), rng: &rng)
    var args = arguments(folder, maxSteps: 200)
    args.saveStrategy = .no
    let trainer = Trainer(
      model: model, args: args, trainDataset: Array(examples.prefix(160)),
      evalDataset: Array(examples.suffix(32)),
      computeMetrics: { prediction in
        let scores = ClassificationMetrics.precisionRecallF1(
          predictions: prediction.predictedLabels, labels: prediction.labelIDs)
        return ["accuracy": prediction.accuracy, "f1": scores.f1]
      })
    try trainer.train()
    let metrics = try trainer.evaluate()
    #expect(metrics["eval_accuracy"] == 1, "held-out accuracy \(metrics["eval_accuracy"] ?? .nan)")
    #expect(metrics["eval_f1"] == 1, "held-out F1 \(metrics["eval_f1"] ?? .nan)")
  }

  @Test("BertForPreTraining trains on next-sentence pairs with masked-LM labels")
  func preTraining() throws {
    let folder = temporaryFolder("bert-pretraining")
    defer { try? FileManager.default.removeItem(at: folder) }
    // Each document alternates its own two words ("x y x", "y x y", ...): a masked word can
    // be copied from the context, and a random B shows other words than A.
    var data = RandomGenerator(seed: 6)
    let documents = (0..<24).map { _ -> [[Int]] in
      let pair = [5 + data.integer(below: 45), 5 + data.integer(below: 45)]
      return (0..<4).map { s in (0..<3).map { pair[(s + $0) % 2] } }
    }
    var rng = RandomGenerator(seed: 2)
    let builder = PretrainingInstanceBuilder(maxSequenceLength: 16, classifierTokenID: 2, separatorTokenID: 3)
    let examples = builder.instances(from: documents, using: &rng)
    #expect(Set(examples.compactMap(\.nextSentenceLabel)) == [0, 1], "both next-sentence labels occur")
    let model = BertForPreTraining(config: Self.config(dropout: 0), rng: &rng)
    var args = arguments(folder, maxSteps: 300)
    args.saveStrategy = .no
    let trainer = Trainer(
      model: model, args: args, trainDataset: examples, evalDataset: examples,
      dataCollator: MaskedLanguageModelCollator(masker: Self.masker))
    let before = try #require(try trainer.evaluate()["eval_loss"])
    try trainer.train()
    let after = try #require(try trainer.evaluate()["eval_loss"])
    #expect(after < before / 2, "masked-LM + next-sentence loss \(before) -> \(after)")
  }
}
