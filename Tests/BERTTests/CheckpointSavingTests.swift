import Foundation
import SafeTensors
import Testing
import WordPiece

@testable import BERT

// Saving as save_pretrained does: the reference's file layout and names (checked against the
// files transformers wrote for the tiny heads), and save -> load giving the same model.

@Suite("Checkpoints: saving folders like save_pretrained")
struct CheckpointSavingTests {
  /// A padded batch of the tiny vocabulary (64 tokens, 32 positions).
  static let batch = BertInput(
    inputIds: [[2, 7, 19, 33, 3, 11, 40, 3], [2, 5, 60, 3, 21, 3, 0, 0]],
    tokenTypeIds: [[0, 0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 1, 1, 0, 0]],
    attentionMask: [[1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 0, 0]])

  @Test("the saved file holds the tensors transformers saves, under its names, bit for bit", arguments: 0..<7)
  func sameLayoutAsTheReference(index: Int) throws {
    let (folder, architecture) = tinyCheckpointFolders[index]
    let source = try PretrainedCheckpoint(directory: try CheckpointFiles.fixture(folder))
    let (model, _) = try source.load(architecture.modelType)
    let target = try CheckpointFiles.scratchFolder("save").appendingPathComponent(folder)
    try model.savePretrained(to: target, tokenizer: source.tokenizer)

    let saved = try SafeTensorsFile(contentsOf: target.appendingPathComponent("model.safetensors"))
    #expect(saved.entries.map(\.name) == source.weights.entries.map(\.name).sorted())
    #expect(saved.entries.allSatisfy { $0.dtype == .f32 })
    #expect(saved.metadata == ["format": "pt"])
    #expect(
      saved.entry("cls.predictions.decoder.weight") == nil
        && saved.entry("cls.predictions.decoder.bias") == nil)
    for entry in source.weights.entries {
      #expect(
        try saved.tensor(entry.name) == (try source.weights.tensor(entry.name)), "\(entry.name) differs")
    }
    let config = try BERTConfig(contentsOf: target.appendingPathComponent("config.json"))
    #expect(config == source.config, "config.json read back differs from the reference's")
    #expect(config.architectures == [architecture.rawValue])
    let vocabulary = try String(contentsOf: target.appendingPathComponent("vocab.txt"), encoding: .utf8)
    #expect(
      vocabulary
        == (try String(contentsOf: source.directory.appendingPathComponent("vocab.txt"), encoding: .utf8)))
  }

  @Test(
    "save then load gives the same outputs, bit for bit, for every architecture",
    arguments: BertArchitecture.allCases)
  func roundTrip(architecture: BertArchitecture) throws {
    var config = tinyConfig(numLabels: 3, padTokenId: 0)
    config.vocabSize = 64
    config.maxPositionEmbeddings = 32
    let model = architecture.modelType.untrained(config: config)
    randomizeForGradientCheck(model, seed: 11)
    let folder = try CheckpointFiles.scratchFolder("roundtrip").appendingPathComponent("model")
    try model.savePretrained(to: folder)
    let checkpoint = try PretrainedCheckpoint(directory: folder)
    #expect(try checkpoint.architecture == architecture)
    #expect(checkpoint.tokenizer == nil)
    let (loaded, report) = try checkpoint.load(architecture.modelType)
    #expect(report.missing.isEmpty && report.unused.isEmpty && report.renamed.isEmpty)
    #expect(
      loaded.config
        == {
          var saved = config
          saved.architectures = [architecture.rawValue]
          return saved
        }())
    let before = model.namedOutputs(Self.batch)
    let after = loaded.namedOutputs(Self.batch)
    #expect(before.map(\.name) == after.map(\.name))
    for (original, reloaded) in zip(before, after) {
      let difference = original.tensor.maxAbsDifference(reloaded.tensor)
      #expect(
        original.tensor == reloaded.tensor, "\(architecture) \(original.name): max difference \(difference)")
    }
  }

  @Test("saving into an existing folder replaces the model's files and keeps the others")
  func existingFolder() throws {
    let folder = try CheckpointFiles.scratchFolder("existing")
    let notes = folder.appendingPathComponent("README.md")
    try Data("notes\n".utf8).write(to: notes)
    var rng = RandomGenerator(seed: 3)
    let first = BertForQuestionAnswering(config: tinyConfig(), rng: &rng)
    let second = BertForQuestionAnswering(config: tinyConfig(), rng: &rng)
    try first.savePretrained(to: folder)
    try second.savePretrained(to: folder)
    #expect(try Data(contentsOf: notes) == Data("notes\n".utf8))
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(names == ["README.md", "config.json", "model.safetensors"], "left behind: \(names)")
    let (loaded, _) = try PretrainedCheckpoint(directory: folder).load(BertForQuestionAnswering.self)
    #expect(loaded.qaOutputs.weight.value == second.qaOutputs.weight.value)
    let siblings = try FileManager.default.contentsOfDirectory(
      atPath: folder.deletingLastPathComponent().path)
    #expect(!siblings.contains { $0.hasPrefix(".\(folder.lastPathComponent).") }, "a staging folder was left")
  }

  @Test("the tokenizer is saved with its settings and read back")
  func tokenizer() throws {
    let vocabulary = Vocabulary(tokens: [
      "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "Hello", "hello", "world",
    ])
    let cased = try BertTokenizer(vocabulary: vocabulary, lowercase: false)
    var rng = RandomGenerator(seed: 4)
    var config = tinyConfig()
    config.vocabSize = vocabulary.count
    let folder = try CheckpointFiles.scratchFolder("tokenizer").appendingPathComponent("model")
    try BertForMaskedLM(config: config, rng: &rng).savePretrained(to: folder, tokenizer: cased)
    let reloaded = try #require(try PretrainedCheckpoint(directory: folder).tokenizer)
    #expect(reloaded.vocabulary.tokens == vocabulary.tokens)
    #expect(reloaded.basicTokenizer.lowercase == false)
    #expect(reloaded.encode("Hello world").ids == [2, 5, 7, 3])
  }

  @Test("saving over a file is an error naming it")
  func overAFile() throws {
    let file = try CheckpointFiles.scratchFolder("file").appendingPathComponent("model")
    try Data("x".utf8).write(to: file)
    var rng = RandomGenerator(seed: 5)
    let error = #expect(throws: CheckpointError.self) {
      try BertModel(config: tinyConfig(), rng: &rng).savePretrained(to: file)
    }
    #expect(error?.file == file.standardizedFileURL.path)
  }
}
