import Foundation
import SafeTensors
import Testing

@testable import BERT

// Loading checkpoint folders as from_pretrained does: every head from the reference's own
// files, the other spellings of names, tensors initialised or left unused, and one test per
// kind of bad input, each expecting an error that names the file and the tensor.

/// The tiny reference folders and the architecture each was saved as.
let tinyCheckpointFolders: [(folder: String, architecture: BertArchitecture)] = [
  ("tiny-masked-lm", .maskedLM),
  ("tiny-pretraining", .preTraining),
  ("tiny-next-sentence-prediction", .nextSentencePrediction),
  ("tiny-sequence-classification", .sequenceClassification),
  ("tiny-sequence-regression", .sequenceClassification),
  ("tiny-token-classification", .tokenClassification),
  ("tiny-question-answering", .questionAnswering),
]

@Suite("Checkpoints: loading folders like from_pretrained")
struct CheckpointLoadingTests {
  /// Expects every parameter of `model` to equal, bit for bit, the file's tensor it was read from.
  func expectParameters(
    of model: some ParameterizedModel, equalTo file: SafeTensorsFile, renamed: [String: String] = [:]
  ) throws {
    let fileName = Dictionary(uniqueKeysWithValues: renamed.map { ($1, $0) })
    for entry in model.parameterTable() {
      let expected = try file.tensor(fileName[entry.name] ?? entry.name)
      #expect(entry.parameter.value == expected, "\(entry.name) differs from the file's tensor")
    }
  }

  @Test("every head loads from the reference's own folder: nothing missing, nothing unused", arguments: 0..<7)
  func referenceFolders(index: Int) throws {
    let (folder, architecture) = tinyCheckpointFolders[index]
    let checkpoint = try PretrainedCheckpoint(directory: try CheckpointFiles.fixture(folder))
    #expect(try checkpoint.architecture == architecture)
    #expect(checkpoint.tokenizer?.vocabulary.count == 64)
    let (model, report) = try checkpoint.load(architecture.modelType)
    #expect(report.missing.isEmpty, "\(folder): missing \(report.missing)")
    #expect(report.unused.isEmpty, "\(folder): unused \(report.unused)")
    #expect(report.renamed.isEmpty && report.warnings.isEmpty)
    #expect(type(of: model).architectureName == architecture.rawValue)
    try expectParameters(of: model, equalTo: checkpoint.weights)
  }

  /// tiny-pretraining's encoder as a bare `BertModel` file with the older names: no `bert.`
  /// prefix, `LayerNorm.gamma`/`beta`, and the I64 `embeddings.position_ids` buffer.
  func bareEncoderFolder() throws -> URL {
    let folder = try CheckpointFiles.copyOfFixture("tiny-pretraining")
    let weights = folder.appendingPathComponent("model.safetensors")
    var tensors = try CheckpointFiles.rawTensors(of: weights).filter { $0.name.hasPrefix("bert.") }
    for index in tensors.indices {
      tensors[index].name = String(tensors[index].name.dropFirst("bert.".count))
        .replacingOccurrences(of: "LayerNorm.weight", with: "LayerNorm.gamma")
        .replacingOccurrences(of: "LayerNorm.bias", with: "LayerNorm.beta")
    }
    tensors.append(
      .init(
        name: "embeddings.position_ids", dtype: "I64", shape: [1, 32],
        bytes: CheckpointFiles.int64Bytes(Array(0..<32))))
    try CheckpointFiles.writeRaw(tensors, to: weights)
    return folder
  }

  @Test("a bare encoder's names, the old LayerNorm spelling and an I64 buffer")
  func bareEncoder() throws {
    let checkpoint = try PretrainedCheckpoint(directory: try bareEncoderFolder())
    let (model, report) = try checkpoint.load(BertModel.self)
    #expect(report.missing.isEmpty)
    #expect(report.unused == ["embeddings.position_ids"])
    #expect(report.renamed["embeddings.LayerNorm.gamma"] == "embeddings.LayerNorm.weight")
    #expect(
      report.renamed["encoder.layer.1.output.LayerNorm.beta"] == "encoder.layer.1.output.LayerNorm.bias")
    #expect(report.renamed.count == 2 + 2 * 2 * 2, "renamed \(report.renamed)")
    try expectParameters(of: model, equalTo: checkpoint.weights, renamed: report.renamed)

    // The same encoder inside the masked-LM model: `bert.` is added back, the head is new.
    let (masked, maskedReport) = try checkpoint.load(BertForMaskedLM.self)
    #expect(
      maskedReport.missing == [
        "cls.predictions.bias", "cls.predictions.transform.dense.weight",
        "cls.predictions.transform.dense.bias",
        "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias",
      ])
    #expect(
      Set(maskedReport.unused) == ["embeddings.position_ids", "pooler.dense.weight", "pooler.dense.bias"])
    #expect(
      masked.bert.embeddings.wordEmbeddings.weight.value == model.embeddings.wordEmbeddings.weight.value)
    let warnings = maskedReport.warnings.joined(separator: "\n")
    #expect(warnings.contains("5 tensors not in") && warnings.contains("newly initialised"))
    #expect(warnings.contains("cls.predictions.transform.dense.weight"))
    #expect(warnings.contains("3 tensors of") && warnings.contains("embeddings.position_ids"))
  }

  @Test("a classifier from a masked-LM checkpoint: pooler and classifier initialised from the seed")
  func classifierFromMaskedLM() throws {
    let checkpoint = try PretrainedCheckpoint(directory: try CheckpointFiles.fixture("tiny-masked-lm"))
    var config = checkpoint.config
    config.id2label = [0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"]
    config.label2id = ["LABEL_0": 0, "LABEL_1": 1, "LABEL_2": 2]
    let (model, report) = try checkpoint.load(BertForSequenceClassification.self, config: config, seed: 7)
    #expect(
      report.missing == [
        "bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias",
      ])
    #expect(report.unused.count == 5 && report.unused.allSatisfy { $0.hasPrefix("cls.predictions.") })
    #expect(model.classifier.weight.shape == [3, 16])
    #expect(model.classifier.bias.value.scalars.allSatisfy { $0 == 0 })
    #expect(model.bert.pooler?.dense.bias.value.scalars.allSatisfy { $0 == 0 } == true)
    // normal(0, initializer_range = 0.02): the sample deviation of 256 + 48 draws.
    let drawn = (model.bert.pooler?.dense.weight.value.scalars ?? []) + model.classifier.weight.value.scalars
    let deviation = (drawn.reduce(0) { $0 + Double($1 * $1) } / Double(drawn.count)).squareRoot()
    #expect(abs(deviation - 0.02) < 0.003, "initialised weights have deviation \(deviation), expected 0.02")

    let (again, _) = try checkpoint.load(BertForSequenceClassification.self, config: config, seed: 7)
    let (other, _) = try checkpoint.load(BertForSequenceClassification.self, config: config, seed: 8)
    #expect(again.classifier.weight.value == model.classifier.weight.value)
    #expect(other.classifier.weight.value != model.classifier.weight.value)
  }

  @Test("a masked-LM model from a pre-training checkpoint leaves the next-sentence head and pooler unused")
  func maskedLMFromPreTraining() throws {
    let checkpoint = try PretrainedCheckpoint(directory: try CheckpointFiles.fixture("tiny-pretraining"))
    let (model, report) = try checkpoint.load(BertForMaskedLM.self)
    #expect(report.missing.isEmpty)
    #expect(
      Set(report.unused) == [
        "bert.pooler.dense.weight", "bert.pooler.dense.bias", "cls.seq_relationship.weight",
        "cls.seq_relationship.bias",
      ])
    try expectParameters(of: model, equalTo: checkpoint.weights)
  }

  @Test("a tied decoder in the file is unused; its bias alone stands in for cls.predictions.bias")
  func tiedDecoder() throws {
    let folder = try CheckpointFiles.copyOfFixture("tiny-masked-lm")
    let weights = folder.appendingPathComponent("model.safetensors")
    let original = try CheckpointFiles.rawTensors(of: weights)
    let embeddings = try #require(original.first { $0.name == "bert.embeddings.word_embeddings.weight" })
    let bias = try #require(original.first { $0.name == "cls.predictions.bias" })
    var withDecoder = original
    withDecoder.append(
      .init(name: "cls.predictions.decoder.weight", dtype: "F32", shape: [64, 16], bytes: embeddings.bytes))
    withDecoder.append(
      .init(name: "cls.predictions.decoder.bias", dtype: "F32", shape: [64], bytes: bias.bytes))
    try CheckpointFiles.writeRaw(withDecoder, to: weights)
    let (_, report) = try PretrainedCheckpoint(directory: folder).load(BertForMaskedLM.self)
    #expect(Set(report.unused) == ["cls.predictions.decoder.weight", "cls.predictions.decoder.bias"])
    #expect(report.missing.isEmpty)

    var biasUnderDecoderName = original.filter { $0.name != "cls.predictions.bias" }
    biasUnderDecoderName.append(
      .init(name: "cls.predictions.decoder.bias", dtype: "F32", shape: [64], bytes: bias.bytes))
    try CheckpointFiles.writeRaw(biasUnderDecoderName, to: weights)
    let checkpoint = try PretrainedCheckpoint(directory: folder)
    let (model, renamedReport) = try checkpoint.load(BertForMaskedLM.self)
    #expect(renamedReport.renamed == ["cls.predictions.decoder.bias": "cls.predictions.bias"])
    #expect(renamedReport.missing.isEmpty && renamedReport.unused.isEmpty)
    #expect(
      model.predictions.outputBias.value == (try checkpoint.weights.tensor("cls.predictions.decoder.bias")))
  }

  @Test("fromPretrained hands the report's warnings to its warning callback")
  func fromPretrainedWarnings() throws {
    var warnings: [String] = []
    let (_, report) = try BertForQuestionAnswering.fromPretrained(
      try CheckpointFiles.fixture("tiny-masked-lm"), warning: { warnings.append($0) })
    #expect(report.missing == ["qa_outputs.weight", "qa_outputs.bias"])
    #expect(warnings == report.warnings && warnings.count == 2)
  }
}

// MARK: - Bad input

@Suite("Checkpoints: bad input is a thrown error naming the file and the tensor")
struct CheckpointBadInputTests {
  /// A scratch copy of tiny-masked-lm and the path of its weights.
  func scratch() throws -> (folder: URL, weights: URL) {
    let folder = try CheckpointFiles.copyOfFixture("tiny-masked-lm")
    return (folder, folder.appendingPathComponent("model.safetensors"))
  }

  /// Loads `folder` as a masked-LM model, expecting `Failure`; returns its description.
  func loadError<Failure: Error>(_ folder: URL, _ failure: Failure.Type) throws -> String {
    let error = #expect(throws: Failure.self) {
      _ = try PretrainedCheckpoint(directory: folder).load(BertForMaskedLM.self)
    }
    let description = error.map { "\($0)" } ?? ""
    print("error: \(description)")
    return description
  }

  @Test("a truncated file")
  func truncated() throws {
    let (folder, weights) = try scratch()
    let data = try Data(contentsOf: weights)
    try data.prefix(data.count - 100).write(to: weights)
    let message = try loadError(folder, SafeTensorsError.self)
    #expect(message.contains(weights.path) && message.contains("truncated"))
    #expect(message.contains("tensor \""), "the error should name the tensor cut short: \(message)")
  }

  @Test("a header length past the end of the file")
  func headerPastTheEnd() throws {
    let (folder, weights) = try scratch()
    var data = [UInt8](try Data(contentsOf: weights))
    withUnsafeBytes(of: UInt64(data.count).littleEndian) { data.replaceSubrange(0..<8, with: $0) }
    try Data(data).write(to: weights)
    let message = try loadError(folder, SafeTensorsError.self)
    #expect(message.contains(weights.path) && message.contains("runs past the end of the file"))
  }

  @Test("offsets out of range")
  func offsetsOutOfRange() throws {
    let (folder, weights) = try scratch()
    let tensors = try CheckpointFiles.rawTensors(of: weights)
    let last = try #require(tensors.last?.name)
    try CheckpointFiles.writeRaw(tensors, to: weights) { header in
      var entry = header[last] as? [String: Any] ?? [:]
      let offsets = entry["data_offsets"] as? [Int] ?? [0, 0]
      entry["data_offsets"] = [offsets[0], offsets[1] + 4096]
      header[last] = entry
    }
    let message = try loadError(folder, SafeTensorsError.self)
    #expect(message.contains(weights.path) && message.contains("\"\(last)\""))
    #expect(message.contains("past the end of the data buffer"))
  }

  @Test("overlapping offsets")
  func overlappingOffsets() throws {
    let (folder, weights) = try scratch()
    let tensors = try CheckpointFiles.rawTensors(of: weights)
    let (first, second) = (tensors[0].name, tensors[1].name)
    try CheckpointFiles.writeRaw(tensors, to: weights) { header in
      var entry = header[second] as? [String: Any] ?? [:]
      let offsets = entry["data_offsets"] as? [Int] ?? [0, 0]
      entry["data_offsets"] = [offsets[0] - 4, offsets[1] - 4]
      header[second] = entry
    }
    let message = try loadError(folder, SafeTensorsError.self)
    #expect(message.contains(weights.path) && message.contains("overlap"))
    #expect(message.contains("\"\(second)\"") && message.contains("\"\(first)\""))
  }

  @Test("an unknown dtype")
  func unknownDType() throws {
    let (folder, weights) = try scratch()
    try CheckpointFiles.writeRaw(try CheckpointFiles.rawTensors(of: weights), to: weights) { header in
      var entry = header["bert.embeddings.LayerNorm.weight"] as? [String: Any] ?? [:]
      entry["dtype"] = "F12"
      header["bert.embeddings.LayerNorm.weight"] = entry
    }
    let message = try loadError(folder, SafeTensorsError.self)
    #expect(message.contains(weights.path) && message.contains("\"bert.embeddings.LayerNorm.weight\""))
    #expect(message.contains("unknown dtype \"F12\""))
  }

  @Test("a tensor the model needs stored as integers")
  func integerTensor() throws {
    let (folder, weights) = try scratch()
    var tensors = try CheckpointFiles.rawTensors(of: weights)
    let index = try #require(tensors.firstIndex { $0.name == "bert.embeddings.LayerNorm.bias" })
    tensors[index].dtype = "I32"
    try CheckpointFiles.writeRaw(tensors, to: weights)
    let message = try loadError(folder, SafeTensorsError.self)
    #expect(message.contains(weights.path) && message.contains("\"bert.embeddings.LayerNorm.bias\""))
    #expect(message.contains("I32"))
  }

  @Test("a shape that does not match the config")
  func shapeMismatch() throws {
    let (folder, weights) = try scratch()
    var tensors = try CheckpointFiles.rawTensors(of: weights)
    let index = try #require(
      tensors.firstIndex { $0.name == "bert.encoder.layer.1.intermediate.dense.weight" })
    tensors[index].shape = [16, 32]  // the same 512 floats, transposed shape: config implies [32, 16]
    try CheckpointFiles.writeRaw(tensors, to: weights)
    let error = #expect(throws: CheckpointError.self) {
      _ = try PretrainedCheckpoint(directory: folder).load(BertForMaskedLM.self)
    }
    #expect(error?.kind == .shapeMismatch(found: [16, 32], expected: [32, 16]))
    #expect(error?.tensor == "bert.encoder.layer.1.intermediate.dense.weight")
    let message = error.map { "\($0)" } ?? ""
    print("error: \(message)")
    #expect(message.contains(weights.path) && message.contains("[16, 32]") && message.contains("[32, 16]"))
    #expect(message.contains("config.json"))
  }

  @Test("a missing tensor of the encoder")
  func missingRequiredTensor() throws {
    let (folder, weights) = try scratch()
    let tensors = try CheckpointFiles.rawTensors(of: weights).filter {
      $0.name != "bert.encoder.layer.0.attention.self.key.weight"
    }
    try CheckpointFiles.writeRaw(tensors, to: weights)
    let error = #expect(throws: CheckpointError.self) {
      _ = try PretrainedCheckpoint(directory: folder).load(BertForMaskedLM.self)
    }
    #expect(error?.kind == .missingTensor)
    let message = error.map { "\($0)" } ?? ""
    print("error: \(message)")
    #expect(
      message.contains(weights.path) && message.contains("\"bert.encoder.layer.0.attention.self.key.weight\"")
    )
    #expect(message.contains("encoder.layer.0.attention.self.key.weight"), "lists the other spellings tried")
  }

  @Test("invalid JSON in config.json")
  func invalidJSON() throws {
    let (folder, _) = try scratch()
    let config = folder.appendingPathComponent("config.json")
    try Data("{\"hidden_size\": 16,\n\"num_hidden_layers\": }\n".utf8).write(to: config)
    let message = try loadError(folder, BERTConfigError.self)
    #expect(message.contains(config.path))
  }

  @Test("an architecture this package does not build")
  func unknownArchitecture() throws {
    let (folder, _) = try scratch()
    let config = folder.appendingPathComponent("config.json")
    let text = try String(contentsOf: config, encoding: .utf8)
    try text.replacingOccurrences(of: "\"BertForMaskedLM\"", with: "\"BertForMultipleChoice\"")
      .write(to: config, atomically: true, encoding: .utf8)
    let checkpoint = try PretrainedCheckpoint(directory: folder)
    let error = #expect(throws: CheckpointError.self) { _ = try checkpoint.architecture }
    #expect(error?.kind == .unknownArchitecture("BertForMultipleChoice"))
    #expect(error.map { "\($0)" }?.contains(config.path) == true)
  }

  @Test("a folder without model.safetensors")
  func missingWeights() throws {
    let (folder, weights) = try scratch()
    try FileManager.default.removeItem(at: weights)
    let message = try loadError(folder, SafeTensorsError.self)
    #expect(message.contains(weights.path))
  }
}
