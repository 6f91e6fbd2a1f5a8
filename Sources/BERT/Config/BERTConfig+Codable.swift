import Foundation
import SafeTensors

// BERTConfig <-> config.json: the reference field names, defaults for absent fields, unknown
// fields kept.

extension BERTConfig {
  /// The `config.json` names of the modelled fields.
  enum CodingKeys: String, CodingKey, CaseIterable {
    case vocabSize = "vocab_size"
    case hiddenSize = "hidden_size"
    case numHiddenLayers = "num_hidden_layers"
    case numAttentionHeads = "num_attention_heads"
    case intermediateSize = "intermediate_size"
    case hiddenAct = "hidden_act"
    case hiddenDropoutProb = "hidden_dropout_prob"
    case attentionProbsDropoutProb = "attention_probs_dropout_prob"
    case maxPositionEmbeddings = "max_position_embeddings"
    case typeVocabSize = "type_vocab_size"
    case initializerRange = "initializer_range"
    case layerNormEps = "layer_norm_eps"
    case padTokenId = "pad_token_id"
    case tieWordEmbeddings = "tie_word_embeddings"
    case architectures
    case id2label
    case label2id
    case numLabels = "num_labels"
    case problemType = "problem_type"
    case classifierDropout = "classifier_dropout"
    case modelType = "model_type"
  }

  /// Reads a configuration; absent fields take the reference defaults, unknown ones go to
  /// `otherFields`.
  ///
  /// The number of labels comes from `id2label` when present, else from `num_labels`, else 2.
  ///
  /// - Throws: `DecodingError` when a modelled field has the wrong type or `id2label` has a
  ///   key that is not an integer.
  public init(from decoder: any Decoder) throws {
    let defaults = BERTConfig()
    let container = try decoder.container(keyedBy: CodingKeys.self)
    func value<Value: Decodable>(_ key: CodingKeys, _ fallback: Value) throws -> Value {
      try container.decodeIfPresent(Value.self, forKey: key) ?? fallback
    }
    vocabSize = try value(.vocabSize, defaults.vocabSize)
    hiddenSize = try value(.hiddenSize, defaults.hiddenSize)
    numHiddenLayers = try value(.numHiddenLayers, defaults.numHiddenLayers)
    numAttentionHeads = try value(.numAttentionHeads, defaults.numAttentionHeads)
    intermediateSize = try value(.intermediateSize, defaults.intermediateSize)
    hiddenAct = try value(.hiddenAct, defaults.hiddenAct)
    hiddenDropoutProb = try value(.hiddenDropoutProb, defaults.hiddenDropoutProb)
    attentionProbsDropoutProb = try value(.attentionProbsDropoutProb, defaults.attentionProbsDropoutProb)
    maxPositionEmbeddings = try value(.maxPositionEmbeddings, defaults.maxPositionEmbeddings)
    typeVocabSize = try value(.typeVocabSize, defaults.typeVocabSize)
    initializerRange = try value(.initializerRange, defaults.initializerRange)
    layerNormEps = try value(.layerNormEps, defaults.layerNormEps)
    // An explicit null means "no padding token"; an absent field means the default 0.
    padTokenId =
      container.contains(.padTokenId)
      ? try container.decodeIfPresent(Int.self, forKey: .padTokenId) : defaults.padTokenId
    tieWordEmbeddings = try value(.tieWordEmbeddings, defaults.tieWordEmbeddings)
    architectures = try container.decodeIfPresent([String].self, forKey: .architectures)
    problemType = try container.decodeIfPresent(String.self, forKey: .problemType)
    classifierDropout = try container.decodeIfPresent(Double.self, forKey: .classifierDropout)
    modelType = try value(.modelType, defaults.modelType)

    if let named = try container.decodeIfPresent([String: String].self, forKey: .id2label) {
      var labels: [Int: String] = [:]
      for (key, label) in named {
        guard let index = Int(key) else {
          throw DecodingError.dataCorruptedError(
            forKey: .id2label, in: container, debugDescription: "id2label key \"\(key)\" is not an integer")
        }
        labels[index] = label
      }
      id2label = labels
    } else {
      id2label = Self.defaultLabels(count: try value(.numLabels, 2))
    }
    label2id =
      try container.decodeIfPresent([String: Int].self, forKey: .label2id) ?? Self.inverse(of: id2label)

    let known = Set(CodingKeys.allCases.map(\.rawValue))
    let everything = try decoder.container(keyedBy: JSONKey.self)
    var others: [String: JSONValue] = [:]
    for key in everything.allKeys where !known.contains(key.stringValue) {
      others[key.stringValue] = try everything.decode(JSONValue.self, forKey: key)
    }
    otherFields = others
  }

  /// Writes every modelled field under its reference name, then `otherFields`.
  ///
  /// As the reference does, `id2label` and `label2id` are left out when they are the default
  /// two labels `LABEL_0`, `LABEL_1`, and `architectures` and `problem_type` when nil.
  public func encode(to encoder: any Encoder) throws {
    var others = encoder.container(keyedBy: JSONKey.self)
    for (key, value) in otherFields { try others.encode(value, forKey: JSONKey(key)) }

    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(vocabSize, forKey: .vocabSize)
    try container.encode(hiddenSize, forKey: .hiddenSize)
    try container.encode(numHiddenLayers, forKey: .numHiddenLayers)
    try container.encode(numAttentionHeads, forKey: .numAttentionHeads)
    try container.encode(intermediateSize, forKey: .intermediateSize)
    try container.encode(hiddenAct, forKey: .hiddenAct)
    try container.encode(hiddenDropoutProb, forKey: .hiddenDropoutProb)
    try container.encode(attentionProbsDropoutProb, forKey: .attentionProbsDropoutProb)
    try container.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
    try container.encode(typeVocabSize, forKey: .typeVocabSize)
    try container.encode(initializerRange, forKey: .initializerRange)
    try container.encode(layerNormEps, forKey: .layerNormEps)
    try container.encode(padTokenId, forKey: .padTokenId)
    try container.encode(tieWordEmbeddings, forKey: .tieWordEmbeddings)
    try container.encodeIfPresent(architectures, forKey: .architectures)
    if id2label != Self.defaultLabels(count: 2) || label2id != Self.inverse(of: id2label) {
      let named = Dictionary(uniqueKeysWithValues: id2label.map { (String($0.key), $0.value) })
      try container.encode(named, forKey: .id2label)
      try container.encode(label2id, forKey: .label2id)
    }
    try container.encodeIfPresent(problemType, forKey: .problemType)
    try container.encode(classifierDropout, forKey: .classifierDropout)
    try container.encode(modelType, forKey: .modelType)
  }
}
