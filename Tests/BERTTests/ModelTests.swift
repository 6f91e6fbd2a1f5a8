import Foundation
import Testing

@testable import BERT

// Behaviour of the model outside its gradients: modes, dropout, optional outputs, padding,
// the parameter table, parameter counts and initialisation.

@Suite("Model: modes, outputs, parameters")
struct ModelTests {
  // MARK: - Modes

  @Test("Inference gives the evaluation outputs bitwise and keeps no cache")
  func inferenceMatchesEvaluation() {
    var rng = RandomGenerator(seed: 1)
    let model = BertModel(config: tinyConfig(), rng: &rng)
    let (evaluated, evaluationCache) = model.forward(
      paddedBatch(), mode: .evaluation, outputs: .all, rng: &rng)
    let (inferred, inferenceCache) = model.forward(paddedBatch(), mode: .inference, outputs: .all, rng: &rng)
    #expect(evaluationCache != nil)
    #expect(inferenceCache == nil)
    #expect(inferred.lastHiddenState == evaluated.lastHiddenState)
    #expect(inferred.pooledOutput == evaluated.pooledOutput)
    #expect(inferred.attentions == evaluated.attentions)
    #expect(model.predict(paddedBatch()).lastHiddenState == evaluated.lastHiddenState)
  }

  @Test("Dropout: the same seed gives the same outputs and gradients, another seed does not")
  func dropoutIsReproducible() {
    var initRNG = RandomGenerator(seed: 2)
    let model = BertForSequenceClassification(config: tinyConfig(), rng: &initRNG)
    let labels = SequenceClassificationLabels.classes([1, 0])
    func trainingStep(seed: UInt64) -> (logits: Tensor, gradients: [Tensor]) {
      var rng = RandomGenerator(seed: seed)
      model.zeroGradients()
      let (output, cache) = model.forward(paddedBatch(), labels: labels, mode: .training, rng: &rng)
      if let cache { model.backward(cache: cache) }
      return (output.logits, model.parameterTable().map(\.parameter.gradient))
    }
    let first = trainingStep(seed: 7)
    let again = trainingStep(seed: 7)
    let other = trainingStep(seed: 8)
    var unused = RandomGenerator(seed: 0)
    let evaluated = model.forward(paddedBatch(), mode: .evaluation, rng: &unused).output.logits
    #expect(first.logits == again.logits)
    #expect(first.gradients == again.gradients)
    #expect(first.logits.maxAbsDifference(other.logits) > 1e-4, "another seed drops other units")
    #expect(first.logits.maxAbsDifference(evaluated) > 1e-4, "training applies dropout")
  }

  // MARK: - Optional outputs and padding

  @Test(
    "Hidden states: embeddings then every layer; attentions: [B, A, T, T] rows summing to 1, 0 on padding")
  func optionalOutputs() {
    var rng = RandomGenerator(seed: 3)
    let config = tinyConfig()
    let model = BertModel(config: config, rng: &rng)
    let input = paddedBatch()
    let output = model.predict(input, outputs: .all)
    let hiddenStates = output.hiddenStates ?? []
    let attentions = output.attentions ?? []
    #expect(hiddenStates.count == config.numHiddenLayers + 1)
    #expect(attentions.count == config.numHiddenLayers)
    let embedded = model.embeddings.forward(input, mode: .inference, rng: &rng).output
    #expect(hiddenStates.first == embedded)
    #expect(hiddenStates.last == output.lastHiddenState)
    for probabilities in attentions {
      #expect(probabilities.shape == [2, 2, 7, 7])
      for row in 0..<(probabilities.count / 7) {
        let values = probabilities.scalars[(row * 7)..<((row + 1) * 7)]
        let total = values.reduce(0, +)
        #expect(abs(total - 1) < 1e-5, "row \(row) sums to \(total)")
        // Rows 14..<28 belong to the second sequence, whose keys 5 and 6 are padding.
        if row >= 14 { #expect(values.suffix(2).allSatisfy { $0 == 0 }, "row \(row): \(Array(values))") }
      }
    }
    let plain = model.predict(input)
    #expect(plain.hiddenStates == nil && plain.attentions == nil)
  }

  @Test("Tokens at padded positions do not change the outputs at real positions")
  func paddingIsIsolated() {
    var rng = RandomGenerator(seed: 4)
    let model = BertModel(config: tinyConfig(), rng: &rng)
    var changed = paddedBatch()
    changed.inputIds[12] = 44
    changed.inputIds[13] = 19
    let before = model.predict(paddedBatch()).lastHiddenState
    let after = model.predict(changed).lastHiddenState
    let hidden = 16
    var worst: Float = 0
    for position in 0..<12 {  // every real token of both sequences
      for h in 0..<hidden {
        worst = max(worst, abs(before.scalars[position * hidden + h] - after.scalars[position * hidden + h]))
      }
    }
    #expect(worst <= 1e-6, "real positions moved by \(worst)")
    #expect(before.maxAbsDifference(after) > 1e-3, "the padded positions themselves change")
  }

  // MARK: - Heads

  @Test("Masked LM at the labelled positions: the same loss, gradients and logit rows as at all positions")
  func maskedLMPositions() {
    var rng = RandomGenerator(seed: 5)
    let model = BertForMaskedLM(config: tinyConfig(), rng: &rng)
    let labels = ModelGradientTests.maskedLMLabels
    func run(_ positions: MaskedLMPositions) -> (output: BertForMaskedLM.Output, gradients: [Tensor]) {
      model.zeroGradients()
      let (output, cache) = model.forward(
        paddedBatch(), labels: labels, positions: positions, mode: .evaluation, rng: &rng)
      if let cache { model.backward(cache: cache) }
      return (output, model.parameterTable().map(\.parameter.gradient))
    }
    let all = run(.all)
    let labelled = run(.labelled)
    let rows = [12, 3, 1]
    let chosen = model.predict(paddedBatch(), positions: .rows(rows))
    #expect(all.output.logits.shape == [2, 7, 50])
    #expect(labelled.output.predictedRows == [1, 3, 6, 9, 10])
    #expect(labelled.output.logits.shape == [5, 50])
    #expect(abs((all.output.loss ?? 0) - (labelled.output.loss ?? 1)) <= 1e-6)
    let worst = zip(all.gradients, labelled.gradients).map { $0.maxAbsDifference($1) }.max() ?? 0
    #expect(worst <= 1e-6, "gradients differ by \(worst)")
    let allRows = all.output.logits.reshaped([14, 50])
    let picked = Tensor(rows: rows.map { Array(allRows.row($0).scalars) })
    #expect(chosen.logits.maxAbsDifference(picked) <= 1e-6)
  }

  @Test("Each head's loss equals its definition computed in Double")
  func lossesMatchDefinitions() {
    var rng = RandomGenerator(seed: 6)
    let input = paddedBatch()
    let mlmLabels = ModelGradientTests.maskedLMLabels
    let preTraining = BertForPreTraining(config: tinyConfig(), rng: &rng)
    let pre = preTraining.forward(
      input, labels: mlmLabels, nextSentenceLabels: [1, 0], mode: .inference, rng: &rng
    ).output
    let expectedPre =
      referenceCrossEntropy(pre.predictionLogits, labels: mlmLabels)
      + referenceCrossEntropy(pre.seqRelationshipLogits, labels: [1, 0])
    #expect(abs(Double(pre.loss ?? 0) - expectedPre) <= 1e-5 * expectedPre)
    let question = BertForQuestionAnswering(config: tinyConfig(), rng: &rng)
    let qa = question.forward(
      input, startPositions: [-3, 2], endPositions: [20, 5], mode: .inference, rng: &rng
    ).output
    // Clamped to 0...7: start -3 -> 0 counts, end 20 -> 7 is ignored.
    let expectedQA =
      (referenceCrossEntropy(qa.startLogits, labels: [0, 2])
        + referenceCrossEntropy(qa.endLogits, labels: [-100, 5])) / 2
    #expect(abs(Double(qa.loss ?? 0) - expectedQA) <= 1e-5 * expectedQA)
    let tokens = BertForTokenClassification(config: tinyConfig(numLabels: 3), rng: &rng)
    let tokenLabels = [0, 1, 2, -100, 1, 0, 2, 1, -100, 0, 2, 1, -100, -100]
    let tagged = tokens.forward(input, labels: tokenLabels, mode: .inference, rng: &rng).output
    let expectedTokens = referenceCrossEntropy(tagged.logits, labels: tokenLabels)
    #expect(abs(Double(tagged.loss ?? 0) - expectedTokens) <= 1e-5 * expectedTokens)
    let multi = BertForSequenceClassification(config: tinyConfig(numLabels: 3), rng: &rng)
    let targets: [Float] = [1, 0, 1, 0, 1, 1]
    let multiOutput = multi.forward(input, labels: .targets(targets), mode: .inference, rng: &rng).output
    let expectedMulti = referenceBinaryCrossEntropy(multiOutput.logits, targets: targets)
    #expect(abs(Double(multiOutput.loss ?? 0) - expectedMulti) <= 1e-5 * expectedMulti)
    #expect(multi.problemType(for: .targets(targets)) == .multiLabel)
    #expect(multi.problemType(for: .classes([0, 1])) == .singleLabel)
  }

  @Test("The padding id's word embedding starts at zero and lookups do not train it (torch padding_idx)")
  func paddingRow() {
    var rng = RandomGenerator(seed: 7)
    let model = BertForSequenceClassification(config: tinyConfig(padTokenId: 0), rng: &rng)
    let table = model.bert.embeddings.wordEmbeddings.weight
    #expect(table.value.row(0).scalars.allSatisfy { $0 == 0 })
    let (_, cache) = model.forward(paddedBatch(), labels: .classes([1, 0]), mode: .evaluation, rng: &rng)
    if let cache { model.backward(cache: cache) }
    #expect(table.gradient.row(0).scalars.allSatisfy { $0 == 0 }, "id 0 sits at two padded positions")
    #expect(table.gradient.row(17).scalars.contains { $0 != 0 }, "id 17 is a real token")
  }

  // MARK: - Parameters

  @Test("The parameter table: the reference's names in its order, shapes as the config says")
  func parameterTable() {
    var rng = RandomGenerator(seed: 8)
    let model = BertForPreTraining(config: tinyConfig(), rng: &rng)
    let table = model.parameterTable()
    // transformers 5.24: [n for n, _ in BertForPreTraining(config).named_parameters()], with
    // the 16 names of each layer written once as a pattern.
    let layer = [
      "attention.self.query.weight", "attention.self.query.bias", "attention.self.key.weight",
      "attention.self.key.bias", "attention.self.value.weight", "attention.self.value.bias",
      "attention.output.dense.weight", "attention.output.dense.bias", "attention.output.LayerNorm.weight",
      "attention.output.LayerNorm.bias", "intermediate.dense.weight", "intermediate.dense.bias",
      "output.dense.weight", "output.dense.bias", "output.LayerNorm.weight", "output.LayerNorm.bias",
    ]
    let expected =
      [
        "bert.embeddings.word_embeddings.weight", "bert.embeddings.position_embeddings.weight",
        "bert.embeddings.token_type_embeddings.weight", "bert.embeddings.LayerNorm.weight",
        "bert.embeddings.LayerNorm.bias",
      ] + (0..<2).flatMap { l in layer.map { "bert.encoder.layer.\(l).\($0)" } }
      + [
        "bert.pooler.dense.weight", "bert.pooler.dense.bias", "cls.predictions.bias",
        "cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
        "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias",
        "cls.seq_relationship.weight", "cls.seq_relationship.bias",
      ]
    #expect(table.map(\.name) == expected)
    for entry in table { #expect(entry.parameter.shape == entry.expectedShape, "\(entry.name)") }
    #expect(
      Set(table.map { ObjectIdentifier($0.parameter) }).count == table.count, "no parameter listed twice")
    let tied = model.parameter(named: "cls.predictions.decoder.weight")
    #expect(tied === model.bert.embeddings.wordEmbeddings.weight)
    #expect(model.parameter(named: "cls.predictions.decoder.bias") === model.predictions.outputBias)
    #expect(model.namedParameters().map(\.name) == expected)

    var untiedConfig = tinyConfig()
    untiedConfig.tieWordEmbeddings = false
    let untied = BertForMaskedLM(config: untiedConfig)
    #expect(untied.parameterTable().last?.name == "cls.predictions.decoder.weight")
    #expect(untied.predictions.decoderWeight !== untied.bert.embeddings.wordEmbeddings.weight)
  }

  @Test("Parameter counts equal the reference's for every head")
  func parameterCounts() {
    // transformers 5.24: sum(p.numel() for p in Model(config).parameters()) on the tiny
    // test configuration (V 50, H 16, L 2, A 2, I 32, P 16).
    let config = tinyConfig()
    #expect(BertModel(config: config).parameterCount == 5840)
    #expect(BertModel(config: config, addPoolingLayer: false).parameterCount == 5840 - 272)
    #expect(BertForMaskedLM(config: config).parameterCount == 5922)
    #expect(BertForPreTraining(config: config).parameterCount == 6228)
    #expect(BertForNextSentencePrediction(config: config).parameterCount == 5874)
    #expect(BertForSequenceClassification(config: config).parameterCount == 5874)
    #expect(BertForSequenceClassification(config: tinyConfig(numLabels: 3)).parameterCount == 5891)
    #expect(BertForTokenClassification(config: tinyConfig(numLabels: 3)).parameterCount == 5619)
    #expect(BertForQuestionAnswering(config: config).parameterCount == 5602)
    #expect(BertModel(config: config).parameterCount == config.parameterCount())
  }

  @Test(
    "Preset BertModel counts match the reference's counts and the config's formula",
    arguments: [
      BERTConfig.Preset.tiny, .mini,
    ])
  func presetParameterCounts(preset: BERTConfig.Preset) throws {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/parameter_counts", withExtension: "json"))
    let document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
    let presets = document?["presets"] as? [String: [String: Any]]
    let reference = try #require(presets?[preset.rawValue]?["with_pooler"] as? Int)
    let model = BertModel(config: preset.config)
    #expect(model.parameterCount == reference)
    #expect(model.parameterCount == preset.config.parameterCount())
  }

  // MARK: - Initialisation

  @Test("Initialisation as _init_weights: normal(0, 0.02) weights, zero biases, LayerNorm 1 and 0, seeded")
  func initialisation() {
    var config = tinyConfig(padTokenId: 0)
    config.vocabSize = 4000
    config.hiddenSize = 64
    var rng = RandomGenerator(seed: 9)
    let model = BertForPreTraining(config: config, rng: &rng)
    var again = RandomGenerator(seed: 9)
    let twin = BertForPreTraining(config: config, rng: &again)
    var other = RandomGenerator(seed: 10)
    let different = BertForPreTraining(config: config, rng: &other)
    for (entry, twinEntry) in zip(model.parameterTable(), twin.parameterTable()) {
      #expect(entry.parameter.value == twinEntry.parameter.value, "\(entry.name) differs for the same seed")
      switch entry.initialization {
      case .zeros: #expect(entry.parameter.value.scalars.allSatisfy { $0 == 0 }, "\(entry.name)")
      case .ones: #expect(entry.parameter.value.scalars.allSatisfy { $0 == 1 }, "\(entry.name)")
      case .normal, .normalWithZeroRow: break
      }
    }
    let words = model.bert.embeddings.wordEmbeddings.weight.value
    #expect(words.row(0).scalars.allSatisfy { $0 == 0 }, "padding row")
    let values = words.scalars.dropFirst(64).map(Double.init)
    let mean = values.reduce(0, +) / Double(values.count)
    let deviation = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    // 255,936 samples: the standard error of the deviation is about 0.02 / sqrt(2 n) = 3e-5.
    #expect(abs(mean) < 2e-4 && abs(deviation - 0.02) < 2e-4, "mean \(mean), deviation \(deviation)")
    #expect(
      model.bert.encoder.layers[0].attention.queryProjection.weight.value
        != different.bert.encoder.layers[0].attention.queryProjection.weight.value)
    let gammas = model.parameterTable().filter { $0.initialization == .ones }.count
    #expect(gammas == 1 + 2 * 2 + 1, "LayerNorm gammas: embeddings, two per layer, the MLM transform")
  }

  @Test("Input validation names the field, the position and the range")
  func inputValidation() {
    var input = paddedBatch()
    input.inputIds[3] = 50
    #expect(throws: BertInputError.outOfRange(field: "input_ids", index: 3, value: 50, range: 0..<50)) {
      try input.validate(against: tinyConfig())
    }
    #expect(throws: Never.self) { try paddedBatch().validate(against: tinyConfig()) }
  }
}
