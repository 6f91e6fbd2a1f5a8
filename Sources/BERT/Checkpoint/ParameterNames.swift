// ParameterNames: the one table from Swift parameters to Hugging Face checkpoint keys.
//
// One line per tensor: key, parameter, expected shape, initialisation. Legend: V vocabulary,
// H hidden, I intermediate, P max positions (pos), S token types, C labels, L layers.
//
// The order is the reference's `named_parameters()` order, so initialisation, optimizers
// and saved files walk the parameters the same way every time. A bare `BertModel` has no
// prefix (as in all-MiniLM-L6-v2's model.safetensors); inside a task model it sits under
// `bert.`. Loaders also accept the older `LayerNorm.gamma` / `LayerNorm.beta` spelling and
// keys without `bert.`; the table itself uses the current names only.
//
// Tied weights: the masked-LM decoder reads `bert.embeddings.word_embeddings.weight`, and
// its bias is `cls.predictions.bias`. The reference's state dict also shows them as
// `cls.predictions.decoder.weight` and `cls.predictions.decoder.bias` but does not save
// those keys; they appear here only as aliases.

// MARK: - Encoder

extension BertModel: ParameterizedModel {
  /// Embeddings, every layer, then the pooler (when present), with no prefix.
  public func parameterTable() -> [ParameterTableEntry] {
    parameterTable(prefix: "")
  }

  /// The table with `prefix` before every key (`bert.` inside the task models).
  func parameterTable(prefix p: String) -> [ParameterTableEntry] {
    let c = config
    let (h, i) = (c.hiddenSize, c.intermediateSize)
    let (v, pos, s) = (c.vocabSize, c.maxPositionEmbeddings, c.typeVocabSize)
    let (word, position, segment) = (
      embeddings.wordEmbeddings, embeddings.positionEmbeddings, embeddings.tokenTypeEmbeddings
    )
    let (norm, padding) = (embeddings.layerNorm, word.paddingIndex)
    var table: [ParameterTableEntry] = [
      .init("\(p)embeddings.word_embeddings.weight", word.weight, [v, h], .normalWithZeroRow(padding)),
      .init("\(p)embeddings.position_embeddings.weight", position.weight, [pos, h], .normal),
      .init("\(p)embeddings.token_type_embeddings.weight", segment.weight, [s, h], .normal),
      .init("\(p)embeddings.LayerNorm.weight", norm.gamma, [h], .ones),
      .init("\(p)embeddings.LayerNorm.bias", norm.beta, [h], .zeros),
    ]
    for (l, layer) in encoder.layers.enumerated() {
      let q = "\(p)encoder.layer.\(l)."
      table += [
        .init("\(q)attention.self.query.weight", layer.attention.queryProjection.weight, [h, h], .normal),
        .init("\(q)attention.self.query.bias", layer.attention.queryProjection.bias, [h], .zeros),
        .init("\(q)attention.self.key.weight", layer.attention.keyProjection.weight, [h, h], .normal),
        .init("\(q)attention.self.key.bias", layer.attention.keyProjection.bias, [h], .zeros),
        .init("\(q)attention.self.value.weight", layer.attention.valueProjection.weight, [h, h], .normal),
        .init("\(q)attention.self.value.bias", layer.attention.valueProjection.bias, [h], .zeros),
        .init("\(q)attention.output.dense.weight", layer.attentionOutput.dense.weight, [h, h], .normal),
        .init("\(q)attention.output.dense.bias", layer.attentionOutput.dense.bias, [h], .zeros),
        .init("\(q)attention.output.LayerNorm.weight", layer.attentionOutput.layerNorm.gamma, [h], .ones),
        .init("\(q)attention.output.LayerNorm.bias", layer.attentionOutput.layerNorm.beta, [h], .zeros),
        .init("\(q)intermediate.dense.weight", layer.intermediate.dense.weight, [i, h], .normal),
        .init("\(q)intermediate.dense.bias", layer.intermediate.dense.bias, [i], .zeros),
        .init("\(q)output.dense.weight", layer.output.dense.weight, [h, i], .normal),
        .init("\(q)output.dense.bias", layer.output.dense.bias, [h], .zeros),
        .init("\(q)output.LayerNorm.weight", layer.output.layerNorm.gamma, [h], .ones),
        .init("\(q)output.LayerNorm.bias", layer.output.layerNorm.beta, [h], .zeros),
      ]
    }
    if let pooler {
      table += [
        .init("\(p)pooler.dense.weight", pooler.dense.weight, [h, h], .normal),
        .init("\(p)pooler.dense.bias", pooler.dense.bias, [h], .zeros),
      ]
    }
    return table
  }
}

// MARK: - Heads

extension BertLMPredictionHead {
  /// `cls.predictions.*`: the output bias first, then the transform (the reference's order).
  /// The tied decoder weight is the word embedding table, listed under the encoder; an
  /// untied one comes last.
  func parameterTable(config c: BERTConfig) -> [ParameterTableEntry] {
    let h = c.hiddenSize
    let decoder = ParameterTableEntry(
      "cls.predictions.decoder.weight", decoderWeight, [c.vocabSize, h], .normal)
    let untiedDecoder = isTied ? [] : [decoder]
    return [
      .init("cls.predictions.bias", outputBias, [c.vocabSize], .zeros),
      .init("cls.predictions.transform.dense.weight", transformDense.weight, [h, h], .normal),
      .init("cls.predictions.transform.dense.bias", transformDense.bias, [h], .zeros),
      .init("cls.predictions.transform.LayerNorm.weight", transformLayerNorm.gamma, [h], .ones),
      .init("cls.predictions.transform.LayerNorm.bias", transformLayerNorm.beta, [h], .zeros),
    ] + untiedDecoder
  }

  /// The decoder keys the reference ties to other parameters (the weight only when tied).
  var tiedAliases: [(alias: String, name: String)] {
    let bias = [(alias: "cls.predictions.decoder.bias", name: "cls.predictions.bias")]
    guard isTied else { return bias }
    return [(alias: "cls.predictions.decoder.weight", name: "bert.embeddings.word_embeddings.weight")] + bias
  }
}

extension NextSentencePredictionHead {
  /// `cls.seq_relationship.*`.
  func parameterTable(config c: BERTConfig) -> [ParameterTableEntry] {
    [
      .init("cls.seq_relationship.weight", sequenceRelationship.weight, [2, c.hiddenSize], .normal),
      .init("cls.seq_relationship.bias", sequenceRelationship.bias, [2], .zeros),
    ]
  }
}

// MARK: - Task models

extension BertForMaskedLM: ParameterizedModel {
  /// `bert.*` (no pooler), then `cls.predictions.*`.
  public func parameterTable() -> [ParameterTableEntry] {
    bert.parameterTable(prefix: "bert.") + predictions.parameterTable(config: config)
  }

  /// `cls.predictions.decoder.{weight,bias}`, tied to the word embeddings and the output bias.
  public var tiedParameterAliases: [(alias: String, name: String)] { predictions.tiedAliases }
}

extension BertForPreTraining: ParameterizedModel {
  /// `bert.*`, `cls.predictions.*`, then `cls.seq_relationship.*`.
  public func parameterTable() -> [ParameterTableEntry] {
    bert.parameterTable(prefix: "bert.") + predictions.parameterTable(config: config)
      + nextSentence.parameterTable(config: config)
  }

  /// `cls.predictions.decoder.{weight,bias}`, tied to the word embeddings and the output bias.
  public var tiedParameterAliases: [(alias: String, name: String)] { predictions.tiedAliases }
}

extension BertForNextSentencePrediction: ParameterizedModel {
  /// `bert.*`, then `cls.seq_relationship.*`.
  public func parameterTable() -> [ParameterTableEntry] {
    bert.parameterTable(prefix: "bert.") + nextSentence.parameterTable(config: config)
  }
}

extension BertForSequenceClassification: ParameterizedModel {
  /// `bert.*`, then `classifier.*` [C, H], [C].
  public func parameterTable() -> [ParameterTableEntry] {
    let (c, h) = (config.numLabels, config.hiddenSize)
    return bert.parameterTable(prefix: "bert.") + [
      .init("classifier.weight", classifier.weight, [c, h], .normal),
      .init("classifier.bias", classifier.bias, [c], .zeros),
    ]
  }
}

extension BertForTokenClassification: ParameterizedModel {
  /// `bert.*` (no pooler), then `classifier.*` [C, H], [C].
  public func parameterTable() -> [ParameterTableEntry] {
    let (c, h) = (config.numLabels, config.hiddenSize)
    return bert.parameterTable(prefix: "bert.") + [
      .init("classifier.weight", classifier.weight, [c, h], .normal),
      .init("classifier.bias", classifier.bias, [c], .zeros),
    ]
  }
}

extension BertForQuestionAnswering: ParameterizedModel {
  /// `bert.*` (no pooler), then `qa_outputs.*` [2, H], [2] (start and end).
  public func parameterTable() -> [ParameterTableEntry] {
    bert.parameterTable(prefix: "bert.") + [
      .init("qa_outputs.weight", qaOutputs.weight, [2, config.hiddenSize], .normal),
      .init("qa_outputs.bias", qaOutputs.bias, [2], .zeros),
    ]
  }
}
