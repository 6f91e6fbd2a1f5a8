import Foundation
import SafeTensors
import Testing

@testable import BERT

// The model against Hugging Face transformers on tiny random-weight checkpoints.
//
// scripts/make_model_fixtures.py saved one checkpoint per head with save_pretrained
// (config.json, model.safetensors) and wrote, for a padded batch of sentence pairs, the
// reference outputs, loss and last hidden state (reference.json) and the gradient of that
// loss for every parameter (reference_gradients.safetensors), all in eval mode. Here the
// parameters are assigned by the parameter table and everything is compared.

@Suite("Model against the reference checkpoints")
struct ReferenceCheckpointTests {
  /// The tolerance on logits, losses and hidden states (Float32 on both sides).
  static let outputTolerance: Float = 1e-5
  /// The tolerance on gradients, relative to the largest gradient of the tensor.
  static let gradientTolerance: Float = 1e-4

  /// A fixture folder: the config, the assigned weights' file and the reference document.
  struct Fixture {
    let folder: URL
    let config: BERTConfig
    let weights: SafeTensorsFile
    let gradients: SafeTensorsFile
    let reference: [String: Any]

    init(_ name: String) throws {
      let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
      folder = root.appendingPathComponent(name)
      config = try BERTConfig(contentsOf: folder.appendingPathComponent("config.json"))
      weights = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
      gradients = try SafeTensorsFile(
        contentsOf: folder.appendingPathComponent("reference_gradients.safetensors"))
      let data = try Data(contentsOf: folder.appendingPathComponent("reference.json"))
      reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The padded batch of the reference.
    var input: BertInput {
      get throws {
        let inputs = try #require(reference["inputs"] as? [String: [[Int]]])
        return BertInput(
          inputIds: try #require(inputs["input_ids"]), tokenTypeIds: inputs["token_type_ids"],
          attentionMask: inputs["attention_mask"])
      }
    }

    /// A label array of the reference, flattened.
    func labels(_ key: String) throws -> [Int] {
      let labels = try #require(reference["labels"] as? [String: Any])
      if let rows = labels[key] as? [[Int]] { return rows.flatMap { $0 } }
      return try #require(labels[key] as? [Int])
    }

    /// A float label array of the reference (regression targets).
    func floatLabels(_ key: String) throws -> [Float] {
      let labels = try #require(reference["labels"] as? [String: Any])
      return try #require(labels[key] as? [Double]).map(Float.init)
    }

    /// A float array of the reference (nested lists flattened), under `outputs` or at the top.
    func values(_ key: String) throws -> [Float] {
      let outputs = reference["outputs"] as? [String: Any]
      let value = try #require(outputs?[key] ?? reference[key], "no \(key) in \(folder.lastPathComponent)")
      return flatten(value)
    }

    var loss: Float {
      get throws { Float(try #require(reference["loss"] as? Double)) }
    }

    private func flatten(_ value: Any) -> [Float] {
      if let number = value as? Double { return [Float(number)] }
      if let list = value as? [Any] { return list.flatMap(flatten) }
      return []
    }

    /// Assigns the checkpoint to `model` and checks the count and the names.
    func load(into model: some ParameterizedModel) throws {
      let unused = try model.assignParameters(from: weights)
      #expect(unused.isEmpty, "unused tensors \(unused)")
      #expect(model.parameterCount == reference["parameter_count"] as? Int)
      let names = try #require(reference["parameter_names"] as? [String])
      #expect(Set(model.namedParameters().map(\.name)) == Set(names))
    }

    /// Compares every parameter's gradient with the reference's.
    func expectGradients(of model: some ParameterizedModel) throws {
      var worst: Float = 0
      defer { print("\(folder.lastPathComponent) gradients: worst difference / largest = \(worst)") }
      for entry in model.parameterTable() {
        let expected = try gradients.tensor(entry.name)
        let scale = max(expected.scalars.map(abs).max() ?? 0, 1e-3)
        let difference = entry.parameter.gradient.maxAbsDifference(expected)
        worst = max(worst, difference / scale)
        #expect(
          difference <= ReferenceCheckpointTests.gradientTolerance * scale,
          "\(folder.lastPathComponent) \(entry.name): gradient differs by \(difference) (largest \(scale))")
      }
    }
  }

  /// Expects `actual` to match the reference's `key` elementwise within the output tolerance.
  func expectClose(_ actual: Tensor, _ fixture: Fixture, _ key: String) throws {
    let expected = try fixture.values(key)
    let label = "\(fixture.folder.lastPathComponent) \(key)"
    #expect(
      actual.count == expected.count, "\(label): \(actual.count) values, reference has \(expected.count)")
    guard actual.count == expected.count else { return }
    let difference = actual.maxAbsDifference(Tensor(shape: actual.shape, scalars: expected))
    print("\(label): max difference \(difference)")
    #expect(difference <= Self.outputTolerance, "\(label): max difference \(difference)")
  }

  @Test("BertForMaskedLM: logits, loss, hidden state and gradients")
  func maskedLM() throws {
    let fixture = try Fixture("tiny-masked-lm")
    let model = BertForMaskedLM(config: fixture.config)
    try fixture.load(into: model)
    let labels = try fixture.labels("labels")
    var rng = RandomGenerator(seed: 0)
    let (output, cache) = model.forward(
      try fixture.input, labels: labels, mode: .evaluation, outputs: .hiddenStates, rng: &rng)
    try expectClose(output.logits, fixture, "logits")
    try expectClose(output.hiddenStates?.last ?? Tensor([]), fixture, "last_hidden_state")
    #expect(abs((output.loss ?? 0) - (try fixture.loss)) <= Self.outputTolerance)
    if let cache { model.backward(cache: cache) }
    try fixture.expectGradients(of: model)
  }

  @Test("BertForPreTraining: both heads' logits, summed loss and gradients")
  func preTraining() throws {
    let fixture = try Fixture("tiny-pretraining")
    let model = BertForPreTraining(config: fixture.config)
    try fixture.load(into: model)
    var rng = RandomGenerator(seed: 0)
    let (output, cache) = model.forward(
      try fixture.input, labels: try fixture.labels("labels"),
      nextSentenceLabels: try fixture.labels("next_sentence_label"),
      positions: .labelled, mode: .evaluation, rng: &rng)
    let full = model.predict(try fixture.input)
    try expectClose(full.predictionLogits, fixture, "prediction_logits")
    try expectClose(output.seqRelationshipLogits, fixture, "seq_relationship_logits")
    #expect(abs((output.loss ?? 0) - (try fixture.loss)) <= Self.outputTolerance)
    if let cache { model.backward(cache: cache) }
    try fixture.expectGradients(of: model)
  }

  @Test("BertForNextSentencePrediction: logits, pooled output, loss and gradients")
  func nextSentencePrediction() throws {
    let fixture = try Fixture("tiny-next-sentence-prediction")
    let model = BertForNextSentencePrediction(config: fixture.config)
    try fixture.load(into: model)
    var rng = RandomGenerator(seed: 0)
    let (output, cache) = model.forward(
      try fixture.input, labels: try fixture.labels("labels"), mode: .evaluation, rng: &rng)
    try expectClose(output.logits, fixture, "logits")
    try expectClose(
      model.bert.predict(try fixture.input).pooledOutput ?? Tensor([]), fixture, "pooler_output")
    #expect(abs((output.loss ?? 0) - (try fixture.loss)) <= Self.outputTolerance)
    if let cache { model.backward(cache: cache) }
    try fixture.expectGradients(of: model)
  }

  @Test(
    "BertForSequenceClassification: classification and regression",
    arguments: [
      "tiny-sequence-classification", "tiny-sequence-regression",
    ])
  func sequenceClassification(folder: String) throws {
    let fixture = try Fixture(folder)
    let model = BertForSequenceClassification(config: fixture.config)
    try fixture.load(into: model)
    let labels: SequenceClassificationLabels =
      fixture.config.numLabels == 1
      ? .targets(try fixture.floatLabels("labels")) : .classes(try fixture.labels("labels"))
    var rng = RandomGenerator(seed: 0)
    let (output, cache) = model.forward(try fixture.input, labels: labels, mode: .evaluation, rng: &rng)
    try expectClose(output.logits, fixture, "logits")
    #expect(abs((output.loss ?? 0) - (try fixture.loss)) <= Self.outputTolerance)
    if let cache { model.backward(cache: cache) }
    try fixture.expectGradients(of: model)
  }

  @Test("BertForQuestionAnswering: start and end logits, loss and gradients")
  func questionAnswering() throws {
    let fixture = try Fixture("tiny-question-answering")
    let model = BertForQuestionAnswering(config: fixture.config)
    try fixture.load(into: model)
    var rng = RandomGenerator(seed: 0)
    let (output, cache) = model.forward(
      try fixture.input, startPositions: try fixture.labels("start_positions"),
      endPositions: try fixture.labels("end_positions"), mode: .evaluation, rng: &rng)
    try expectClose(output.startLogits, fixture, "start_logits")
    try expectClose(output.endLogits, fixture, "end_logits")
    #expect(abs((output.loss ?? 0) - (try fixture.loss)) <= Self.outputTolerance)
    if let cache { model.backward(cache: cache) }
    try fixture.expectGradients(of: model)
  }
}
