import Foundation
import SafeTensors
import Testing

@testable import BERT

/// The URL of a committed fixture under Tests/BERTTests/Fixtures.
private func configFixture(_ path: String) throws -> URL {
  try #require(
    Bundle.module.url(forResource: "Fixtures/\(path)", withExtension: nil), "missing fixture \(path)")
}

/// A fresh temporary folder for files a test writes.
private func temporaryFolder() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("bert-config-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// A JSON file's top-level object, parsed by Foundation (an independent reader).
private func jsonObject(_ url: URL) throws -> NSDictionary {
  try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? NSDictionary)
}

/// A decoder for the fixtures' snake_case JSON keys.
private func snakeCaseDecoder() -> JSONDecoder {
  let decoder = JSONDecoder()
  decoder.keyDecodingStrategy = .convertFromSnakeCase
  return decoder
}

/// Parameter counts of BertModel per preset, written by scripts/make_model_fixtures.py from transformers.
private struct ParameterCounts: Decodable {
  struct Preset: Decodable {
    let numHiddenLayers: Int
    let hiddenSize: Int
    let numAttentionHeads: Int
    let intermediateSize: Int
    let withPooler: Int
    let withoutPooler: Int
  }
  let presets: [String: Preset]
}

@Suite("BERTConfig: config.json")
struct BERTConfigFileTests {
  @Test("defaults are the reference's BERT-base values")
  func defaults() {
    let config = BERTConfig()
    #expect(config.vocabSize == 30522 && config.hiddenSize == 768 && config.numHiddenLayers == 12)
    #expect(config.numAttentionHeads == 12 && config.intermediateSize == 3072 && config.hiddenAct == "gelu")
    #expect(config.hiddenDropoutProb == 0.1 && config.attentionProbsDropoutProb == 0.1)
    #expect(
      config.maxPositionEmbeddings == 512 && config.typeVocabSize == 2 && config.initializerRange == 0.02)
    #expect(config.layerNormEps == 1e-12 && config.padTokenId == 0 && config.tieWordEmbeddings)
    #expect(config.numLabels == 2 && config.id2label == [0: "LABEL_0", 1: "LABEL_1"])
    #expect(config.label2id == ["LABEL_0": 0, "LABEL_1": 1])
    #expect(config.architectures == nil && config.problemType == nil && config.classifierDropout == nil)
    #expect(config.attentionHeadSize == 64)
  }

  @Test("a config.json saved by transformers reads with every field")
  func readsReferenceFile() throws {
    let config = try BERTConfig(contentsOf: try configFixture("tiny-token-classification/config.json"))
    #expect(config.vocabSize == 64 && config.hiddenSize == 16 && config.numHiddenLayers == 2)
    #expect(
      config.numAttentionHeads == 2 && config.intermediateSize == 32 && config.maxPositionEmbeddings == 32)
    #expect(config.architectures == ["BertForTokenClassification"])
    #expect(config.numLabels == 3)
    #expect(config.id2label == [0: "O", 1: "B-ANIMAL", 2: "I-ANIMAL"])
    #expect(config.label2id == ["O": 0, "B-ANIMAL": 1, "I-ANIMAL": 2])
    #expect(config.otherFields["use_cache"] == .bool(true))
    #expect(config.otherFields["transformers_version"] == .string("5.24.0"))
    #expect(config.otherFields["bos_token_id"] == .null)
  }

  @Test(
    "numLabels comes from id2label, else num_labels, else 2",
    arguments: [
      ("tiny-sequence-regression/config.json", 1),
      ("tiny-sequence-classification/config.json", 2),
      ("tiny-masked-lm/config.json", 2),
    ])
  func numLabels(path: String, expected: Int) throws {
    #expect(try BERTConfig(contentsOf: try configFixture(path)).numLabels == expected)
  }

  @Test("num_labels without id2label names the classes LABEL_i, as the reference does")
  func numLabelsField() throws {
    let config = try JSONDecoder().decode(BERTConfig.self, from: Data(#"{"num_labels": 4}"#.utf8))
    #expect(config.id2label == [0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2", 3: "LABEL_3"])
    var changed = config
    changed.numLabels = 1
    #expect(changed.id2label == [0: "LABEL_0"] && changed.label2id == ["LABEL_0": 0])
  }

  @Test(
    "read then written, every file of the reference comes back with the same fields and values",
    arguments: [
      "tiny-masked-lm", "tiny-pretraining", "tiny-next-sentence-prediction", "tiny-sequence-classification",
      "tiny-sequence-regression", "tiny-token-classification", "tiny-question-answering",
    ])
  func roundTripKeepsEverything(folder: String) throws {
    let original = try configFixture("\(folder)/config.json")
    let temporary = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: temporary) }
    let written = temporary.appendingPathComponent("config.json")
    let config = try BERTConfig(contentsOf: original)
    try config.write(to: written)
    let before = try jsonObject(original)
    let after = try jsonObject(written)
    let differing = Set(before.allKeys.map { "\($0)" } + after.allKeys.map { "\($0)" })
      .filter { key in
        guard let old = before[key] as? NSObject, let new = after[key] as? NSObject else { return true }
        return !old.isEqual(new)
      }
    #expect(differing.isEmpty, "fields that differ after the round trip: \(differing.sorted())")
    #expect(try BERTConfig(contentsOf: written) == config)
    let text = String(decoding: try Data(contentsOf: written), as: UTF8.self)
    #expect(text.hasSuffix("}\n"))
  }

  @Test("unknown fields of any shape are kept and written back; absent fields take defaults")
  func unknownFieldsKept() throws {
    let json =
      #"{"hidden_size": 32, "num_attention_heads": 4, "custom": {"list": [1, 2.5, null, true, "x"]}}"#
    let config = try JSONDecoder().decode(BERTConfig.self, from: Data(json.utf8))
    #expect(config.hiddenSize == 32 && config.vocabSize == 30522)
    let expected: JSONValue = .object([
      JSONMember(key: "list", value: .array([.integer(1), .number(2.5), .null, .bool(true), .string("x")]))
    ])
    #expect(config.otherFields["custom"] == expected)
    let reread = try JSONDecoder().decode(BERTConfig.self, from: try JSONEncoder().encode(config))
    #expect(reread == config)
  }

  @Test("pad_token_id null means no padding token; absent means 0")
  func padTokenNull() throws {
    let explicit = try JSONDecoder().decode(BERTConfig.self, from: Data(#"{"pad_token_id": null}"#.utf8))
    #expect(explicit.padTokenId == nil)
    let absent = try JSONDecoder().decode(BERTConfig.self, from: Data("{}".utf8))
    #expect(absent.padTokenId == 0)
  }

  // MARK: - Errors

  private func expectConfigError(
    _ text: String, field: String?, containing phrase: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let temporary = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: temporary) }
    let url = temporary.appendingPathComponent("config.json")
    try Data(text.utf8).write(to: url)
    do {
      let config = try BERTConfig(contentsOf: url)
      Issue.record("expected an error, read \(config)", sourceLocation: sourceLocation)
    } catch let error as BERTConfigError {
      #expect(error.file == url.path, sourceLocation: sourceLocation)
      #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
      #expect(error.message.contains(phrase), "\(error)", sourceLocation: sourceLocation)
      #expect(error.description.contains(url.path), sourceLocation: sourceLocation)
    }
  }

  @Test("invalid JSON throws naming the file")
  func invalidJSON() throws {
    try expectConfigError(
      #"{"hidden_size": 16,"#, field: nil, containing: "invalid JSON at line 1, column 20")
  }

  @Test("a field of the wrong type throws naming it")
  func wrongType() throws {
    try expectConfigError(#"{"hidden_size": "big"}"#, field: "hidden_size", containing: "expected Int")
  }

  @Test("an id2label key that is not an integer throws naming the field")
  func badLabelKey() throws {
    try expectConfigError(#"{"id2label": {"zero": "NEG"}}"#, field: "id2label", containing: "not an integer")
  }

  @Test(
    "sizes that cannot build a model throw naming the field",
    arguments: [
      (#"{"hidden_size": 100}"#, "hidden_size", "not a multiple of num_attention_heads 12"),
      (#"{"num_hidden_layers": 0}"#, "num_hidden_layers", "positive"),
      (#"{"hidden_act": "swish"}"#, "hidden_act", "not implemented"),
      (#"{"hidden_dropout_prob": 1.5}"#, "hidden_dropout_prob", "probability"),
      (#"{"pad_token_id": 40000}"#, "pad_token_id", "outside the vocabulary"),
      (#"{"id2label": {"1": "POS"}}"#, "id2label", "expected 0..<1"),
    ])
  func invalidSizes(text: String, field: String, phrase: String) throws {
    try expectConfigError(text, field: field, containing: phrase)
  }

  @Test("a missing file throws naming it")
  func missingFile() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "absent-\(UUID().uuidString).json")
    #expect {
      _ = try BERTConfig(contentsOf: url)
    } throws: { error in
      (error as? BERTConfigError)?.file == url.path
    }
  }
}

@Suite("BERTConfig: presets and parameter count")
struct BERTConfigPresetTests {
  @Test("the presets have the published layers / hidden / heads and intermediate 4 x hidden")
  func presetShapes() {
    let expected: [(BERTConfig, Int, Int, Int)] = [
      (.tiny, 2, 128, 2), (.mini, 4, 256, 4), (.small, 4, 512, 8),
      (.medium, 8, 512, 8), (.base, 12, 768, 12), (.large, 24, 1024, 16),
    ]
    for (config, layers, hidden, heads) in expected {
      #expect(
        config.numHiddenLayers == layers && config.hiddenSize == hidden && config.numAttentionHeads == heads)
      #expect(config.intermediateSize == 4 * hidden)
      #expect(throws: Never.self) { try config.validate() }
    }
    #expect(BERTConfig.base == BERTConfig())
  }

  @Test("BERT-base BertModel has 109,482,240 parameters")
  func baseCount() {
    #expect(BERTConfig.base.parameterCount() == 109_482_240)
  }

  @Test("every preset matches the count transformers reports, with and without the pooler")
  func presetCounts() throws {
    let counts = try snakeCaseDecoder().decode(
      ParameterCounts.self, from: Data(contentsOf: try configFixture("parameter_counts.json")))
    #expect(counts.presets.count == BERTConfig.Preset.allCases.count)
    for preset in BERTConfig.Preset.allCases {
      let reference = try #require(counts.presets[preset.rawValue], "no count for \(preset)")
      let config = preset.config
      #expect(
        config.numHiddenLayers == reference.numHiddenLayers && config.hiddenSize == reference.hiddenSize)
      #expect(config.numAttentionHeads == reference.numAttentionHeads)
      #expect(config.intermediateSize == reference.intermediateSize)
      #expect(config.parameterCount() == reference.withPooler, "\(preset)")
      #expect(config.parameterCount(includePooler: false) == reference.withoutPooler, "\(preset)")
    }
  }
}
