import Foundation
import Testing

@testable import BERT

@Suite("Training: Trainer, logs, checkpoints, resume and the NaN stop")
struct TrainingTrainerTests {
  // Vocabulary of the token tests: 0 [PAD], 1 [CLS], 2 [SEP], 3 [MASK], 4..<24 words.
  static let vocabularySize = 24

  /// Sixteen short sequences whose class is whether token 4 occurs.
  static func classificationExamples() -> [TrainingExample] {
    var rng = RandomGenerator(seed: 3)
    return (0..<16).map { index in
      let words = (0..<(3 + index % 4)).map { _ in 5 + rng.integer(below: 19) }
      let label = index % 2
      return TrainingExample(inputIDs: [1] + (label == 1 ? [4] : []) + words + [2], label: label)
    }
  }

  /// Token sequences for masked-LM training.
  static func languageExamples(count: Int = 24) -> [TrainingExample] {
    var rng = RandomGenerator(seed: 5)
    return (0..<count).map { _ in
      TrainingExample(
        inputIDs: [1] + (0..<(6 + rng.integer(below: 6))).map { _ in 4 + rng.integer(below: 20) } + [2])
    }
  }

  static let masker = MaskedLanguageModelMasker(
    maskTokenID: 3, vocabularySize: vocabularySize, specialTokenIDs: [0, 1, 2, 3], probability: 0.3)

  func arguments(
    _ folder: URL, maxSteps: Int, saveSteps: Int = 500, loggingSteps: Int = 2
  ) -> TrainingArguments {
    TrainingArguments(
      outputDir: folder.path, maxSteps: maxSteps, perDeviceTrainBatchSize: 4, perDeviceEvalBatchSize: 5,
      learningRate: 0.05, warmupSteps: 2, weightDecay: 0.01, loggingSteps: loggingSteps, saveSteps: saveSteps,
      seed: 11, progress: .none, logTimings: false)
  }

  @Test("a tiny model overfits one batch to near-zero loss")
  func overfitsOneBatch() throws {
    let folder = temporaryFolder("overfit")
    defer { try? FileManager.default.removeItem(at: folder) }
    let examples = Array(Self.classificationExamples().prefix(8))
    let model = TinyModel(vocabularySize: Self.vocabularySize, classCount: 2, featureCount: 8, seed: 1)
    var args = arguments(folder, maxSteps: 300)
    args.perDeviceTrainBatchSize = 8
    args.learningRate = 0.1
    args.weightDecay = 0
    args.saveStrategy = .no
    args.loggingSteps = 100
    let trainer = Trainer(
      model: model, args: args, trainDataset: examples, evalDataset: examples,
      computeMetrics: { ["accuracy": $0.accuracy] })
    let initial = try trainer.evaluate()["eval_loss"] ?? .nan
    try trainer.train()
    let metrics = try trainer.evaluate()
    let final = metrics["eval_loss"] ?? .nan
    #expect(initial > 0.3, "initial loss \(initial) should be far from 0")
    #expect(final < 0.01, "loss after 300 steps on one batch: \(final)")
    #expect(metrics["eval_accuracy"] == 1, "accuracy \(metrics["eval_accuracy"] ?? .nan)")
  }

  @Test("log lines: one JSON object per logging step, fields in order, learning rate from the schedule")
  func logFile() throws {
    let folder = temporaryFolder("log")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = TinyModel(vocabularySize: Self.vocabularySize, classCount: 2, featureCount: 4, seed: 1)
    var args = arguments(folder, maxSteps: 6)
    args.saveStrategy = .no
    let trainer = Trainer(model: model, args: args, trainDataset: Self.classificationExamples())
    try trainer.train()
    let text = try String(
      contentsOf: folder.appendingPathComponent("logs/trainer_log.jsonl"), encoding: .utf8)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.count == 3, "6 steps logged every 2 give 3 lines, got \(lines.count)")
    for (index, line) in lines.enumerated() {
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        "line \(index + 1) is not JSON")
      let step = 2 * (index + 1)
      #expect(object["step"] as? Int == step)
      #expect(object["tokens_per_second"] == nil, "timings are off, yet: \(line)")
      // Step s (1-based) used the rate of schedule step s - 1: linear, 2 warmup steps of 6.
      let expectedRate = trainer.schedule.learningRate(at: step - 1)
      let rate = try #require(object["learning_rate"] as? Double)
      #expect(abs(rate - expectedRate) < 1e-15, "step \(step): rate \(rate), expected \(expectedRate)")
      #expect(line.hasPrefix("{\"step\": \(step), \"epoch\": "), "field order: \(line)")
      #expect(line.contains("\"loss\": ") && line.contains("\"grad_norm\": "), "fields: \(line)")
    }
    // 16 examples in batches of 4: step 4 ends the first epoch.
    #expect(trainer.state.logHistory[1].epoch == 1.0, "epoch at step 4: \(trainer.state.logHistory[1].epoch)")
  }

  @Test("same seed, same losses and weights, with 1 or 2 threads")
  func deterministic() throws {
    func run(threads: Int) throws -> ([Float], [LogRecord]) {
      let folder = temporaryFolder("determinism")
      defer { try? FileManager.default.removeItem(at: folder) }
      let model = TinyModel(
        vocabularySize: Self.vocabularySize, classCount: Self.vocabularySize, featureCount: 6,
        dropoutProbability: 0.2, seed: 2)
      var args = arguments(folder, maxSteps: 8)
      args.saveStrategy = .no
      let trainer = Trainer(
        model: model, args: args, trainDataset: Self.languageExamples(),
        dataCollator: MaskedLanguageModelCollator(masker: Self.masker))
      let saved = Parallel.threadCount
      Parallel.threadCount = threads
      defer { Parallel.threadCount = saved }
      try trainer.train()
      return (model.allScalars, trainer.state.logHistory)
    }
    let (weightsA, logA) = try run(threads: 1)
    let (weightsB, logB) = try run(threads: 2)
    let differing = bitwiseDifferences(weightsA, weightsB)
    #expect(differing == 0, "\(differing) of \(weightsA.count) weights differ between 1 and 2 threads")
    #expect(logA == logB, "log histories differ between runs")
  }

  @Test("resuming from a checkpoint gives bitwise the same final weights and log")
  func resumeIsBitwise() throws {
    let folderA = temporaryFolder("resume-a")
    let folderB = temporaryFolder("resume-b")
    defer {
      try? FileManager.default.removeItem(at: folderA)
      try? FileManager.default.removeItem(at: folderB)
    }
    func makeTrainer(_ folder: URL) -> (TinyModel, Trainer) {
      let model = TinyModel(
        vocabularySize: Self.vocabularySize, classCount: Self.vocabularySize, featureCount: 6,
        dropoutProbability: 0.2, seed: 2)
      // 24 examples in batches of 4: 6 steps per epoch, so the run crosses epochs and the
      // checkpoint at step 5 sits mid-epoch and between two log lines (every 2 steps).
      let args = arguments(folder, maxSteps: 14, saveSteps: 5)
      let trainer = Trainer(
        model: model, args: args, trainDataset: Self.languageExamples(),
        dataCollator: MaskedLanguageModelCollator(masker: Self.masker))
      return (model, trainer)
    }
    let (modelA, trainerA) = makeTrainer(folderA)
    try trainerA.train()
    let checkpoint = folderA.appendingPathComponent("checkpoint-5")
    for file in ["model.safetensors", "config.json", "optimizer.safetensors", "trainer_state.json"] {
      #expect(
        FileManager.default.fileExists(atPath: checkpoint.appendingPathComponent(file).path),
        "missing \(file)")
    }
    let folders = try FileManager.default.contentsOfDirectory(atPath: folderA.path).sorted()
    #expect(
      folders == ["checkpoint-10", "checkpoint-14", "checkpoint-5", "logs"], "output folder: \(folders)")

    // A fresh model (different initial weights) resumed from step 5.
    let (modelB, trainerB) = makeTrainer(folderB)
    modelB.embedding.value = Tensor(zeros: modelB.embedding.shape)
    try trainerB.train(resumeFrom: checkpoint)
    let differing = bitwiseDifferences(modelA.allScalars, modelB.allScalars)
    #expect(
      differing == 0,
      "\(differing) of \(modelA.allScalars.count) resumed weights differ from the uninterrupted run")
    #expect(trainerA.state.logHistory == trainerB.state.logHistory, "log histories differ")
    let logA = try String(
      contentsOf: folderA.appendingPathComponent("logs/trainer_log.jsonl"), encoding: .utf8)
    let logB = try String(
      contentsOf: folderB.appendingPathComponent("logs/trainer_log.jsonl"), encoding: .utf8)
    #expect(logA == logB, "log files differ:\n\(logA)\n---\n\(logB)")
    #expect(trainerB.optimizer?.stepCount == 14)
  }

  @Test("a NaN loss stops training, names the step and keeps the last good checkpoint")
  func nanStop() throws {
    let folder = temporaryFolder("nan")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = TinyModel(vocabularySize: Self.vocabularySize, classCount: 2, featureCount: 4, seed: 1)
    model.nanAtCall = 7
    let trainer = Trainer(
      model: model, args: arguments(folder, maxSteps: 10, saveSteps: 5),
      trainDataset: Self.classificationExamples())
    let checkpoint = folder.appendingPathComponent("checkpoint-5")
    var weightsBefore: [Float] = []
    do {
      try trainer.train()
      Issue.record("training went on past a NaN loss")
    } catch let error as TrainingError {
      guard case .nonFiniteLoss(let step, _, let last) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(step == 7, "stopped at step \(step)")
      #expect(last == checkpoint.path, "last checkpoint \(last ?? "none")")
      #expect(error.description.contains("step 7") && error.description.contains("checkpoint-5"), "\(error)")
      weightsBefore = model.allScalars
    }
    #expect(trainer.state.globalStep == 6, "state after the stop: step \(trainer.state.globalStep)")
    let folders = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(folders == ["checkpoint-5", "logs"], "output folder: \(folders)")

    // The bad step left the weights alone: they equal step 6 of a clean run of the same
    // schedule, read back from its checkpoint at step 6.
    let cleanFolder = temporaryFolder("nan-clean")
    defer { try? FileManager.default.removeItem(at: cleanFolder) }
    let clean = TinyModel(vocabularySize: Self.vocabularySize, classCount: 2, featureCount: 4, seed: 1)
    let cleanTrainer = Trainer(
      model: clean, args: arguments(cleanFolder, maxSteps: 10, saveSteps: 6),
      trainDataset: Self.classificationExamples())
    try cleanTrainer.train()
    try clean.readCheckpointFiles(from: cleanFolder.appendingPathComponent("checkpoint-6"))
    let changed = bitwiseDifferences(weightsBefore, clean.allScalars)
    #expect(!weightsBefore.isEmpty && changed == 0, "\(changed) weights changed by the NaN step")

    // And the checkpoint loads.
    let reloaded = TinyModel(vocabularySize: Self.vocabularySize, classCount: 2, featureCount: 4, seed: 9)
    try reloaded.readCheckpointFiles(from: checkpoint)
    #expect(reloaded.bias.value.count == 2)
  }

  @Test("evaluate and predict: loss weighted by batch, metrics prefixed, rows in dataset order")
  func evaluateAndPredict() throws {
    let folder = temporaryFolder("evaluate")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = TinyModel(vocabularySize: Self.vocabularySize, classCount: 2, featureCount: 4, seed: 1)
    let examples = Self.classificationExamples()
    let trainer = Trainer(
      model: model, args: arguments(folder, maxSteps: 1), evalDataset: examples,
      computeMetrics: { ["accuracy": $0.accuracy] })
    let metrics = try trainer.evaluate()
    // The mean loss over the 16 examples, computed one example at a time.
    var total = 0.0
    var correct = 0
    for example in examples {
      let batch = PaddingCollator().pad([example])
      let step = model.evaluationStep(on: batch)
      total += Double(step.loss ?? .nan)
      if ClassificationMetrics.argmax(try #require(step.predictions)) == [example.label ?? -1] {
        correct += 1
      }
    }
    let loss = try #require(metrics["eval_loss"])
    #expect(abs(loss - total / 16) < 1e-6, "eval_loss \(loss), expected \(total / 16)")
    #expect(metrics["eval_accuracy"] == Double(correct) / 16)
    let output = trainer.predict(examples)
    #expect(output.predictions.shape == [16, 2])
    #expect(output.labelIDs == examples.map { $0.label ?? -1 })
    #expect(output.metrics["test_accuracy"] == Double(correct) / 16)
  }

  @Test("bad arguments and an empty dataset are errors, not crashes")
  func badArguments() {
    let model = TinyModel(vocabularySize: Self.vocabularySize, classCount: 2, featureCount: 4, seed: 1)
    let folder = temporaryFolder("bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    var args = arguments(folder, maxSteps: 3)
    args.perDeviceTrainBatchSize = 0
    #expect(throws: TrainingError.self) {
      try Trainer(model: model, args: args, trainDataset: Self.classificationExamples()).train()
    }
    var evaluating = arguments(folder, maxSteps: 3)
    evaluating.evalStrategy = .epoch
    #expect(throws: TrainingError.invalidArguments("evalStrategy is epoch but there is no evalDataset")) {
      try Trainer(model: model, args: evaluating, trainDataset: Self.classificationExamples()).train()
    }
    #expect(throws: TrainingError.emptyDataset) {
      try Trainer(model: model, args: arguments(folder, maxSteps: 3)).train()
    }
  }
}
