// PretrainedModel: the model types a checkpoint folder loads into and saves from.
//
// Each type knows its Hugging Face class name (written to `architectures` in config.json, read
// back to choose the type) and where the bare encoder sits in its parameter names (`bert.` in
// the task models, nothing in `BertModel`). Checkpoint/Pretrained.swift does the loading,
// Checkpoint/PretrainedModel+Save.swift the saving.

/// A model with a parameter table that can be built empty from a configuration, loaded from a
/// checkpoint folder and saved to one.
public protocol PretrainedModel: ParameterizedModel {
  /// The reference's class name, e.g. `BertForMaskedLM` (config.json's `architectures`).
  static var architectureName: String { get }
  /// The prefix of the encoder's parameter names: `bert.` in the task models, empty in `BertModel`.
  static var baseModelPrefix: String { get }
  /// A model of this type with every parameter zero, shaped by `config`.
  static func untrained(config: BERTConfig) -> Self
  /// The outputs of an inference pass under the reference's output names, in its order:
  /// `logits` for most heads, `start_logits` and `end_logits` for question answering,
  /// `prediction_logits` and `seq_relationship_logits` for pre-training,
  /// `last_hidden_state` and `pooler_output` for the bare encoder.
  func namedOutputs(_ input: BertInput) -> [(name: String, tensor: Tensor)]
}

// MARK: - The model types

extension BertModel: PretrainedModel {
  public static var architectureName: String { "BertModel" }
  public static var baseModelPrefix: String { "" }
  /// With the pooler, as the reference's `BertModel` (`add_pooling_layer=True`).
  public static func untrained(config: BERTConfig) -> BertModel { BertModel(config: config) }
  public func namedOutputs(_ input: BertInput) -> [(name: String, tensor: Tensor)] {
    let output = predict(input)
    return [("last_hidden_state", output.lastHiddenState)]
      + (output.pooledOutput.map { [("pooler_output", $0)] } ?? [])
  }
}

extension BertForMaskedLM: PretrainedModel {
  public static var architectureName: String { "BertForMaskedLM" }
  public static var baseModelPrefix: String { "bert." }
  public static func untrained(config: BERTConfig) -> BertForMaskedLM { BertForMaskedLM(config: config) }
  public func namedOutputs(_ input: BertInput) -> [(name: String, tensor: Tensor)] {
    [("logits", predict(input).logits)]
  }
}

extension BertForPreTraining: PretrainedModel {
  public static var architectureName: String { "BertForPreTraining" }
  public static var baseModelPrefix: String { "bert." }
  public static func untrained(config: BERTConfig) -> BertForPreTraining {
    BertForPreTraining(config: config)
  }
  public func namedOutputs(_ input: BertInput) -> [(name: String, tensor: Tensor)] {
    let output = predict(input)
    return [
      ("prediction_logits", output.predictionLogits),
      ("seq_relationship_logits", output.seqRelationshipLogits),
    ]
  }
}

extension BertForNextSentencePrediction: PretrainedModel {
  public static var architectureName: String { "BertForNextSentencePrediction" }
  public static var baseModelPrefix: String { "bert." }
  public static func untrained(config: BERTConfig) -> BertForNextSentencePrediction {
    BertForNextSentencePrediction(config: config)
  }
  public func namedOutputs(_ input: BertInput) -> [(name: String, tensor: Tensor)] {
    [("logits", predict(input).logits)]
  }
}

extension BertForSequenceClassification: PretrainedModel {
  public static var architectureName: String { "BertForSequenceClassification" }
  public static var baseModelPrefix: String { "bert." }
  public static func untrained(config: BERTConfig) -> BertForSequenceClassification {
    BertForSequenceClassification(config: config)
  }
  public func namedOutputs(_ input: BertInput) -> [(name: String, tensor: Tensor)] {
    [("logits", predict(input).logits)]
  }
}

extension BertForTokenClassification: PretrainedModel {
  public static var architectureName: String { "BertForTokenClassification" }
  public static var baseModelPrefix: String { "bert." }
  public static func untrained(config: BERTConfig) -> BertForTokenClassification {
    BertForTokenClassification(config: config)
  }
  public func namedOutputs(_ input: BertInput) -> [(name: String, tensor: Tensor)] {
    [("logits", predict(input).logits)]
  }
}

extension BertForQuestionAnswering: PretrainedModel {
  public static var architectureName: String { "BertForQuestionAnswering" }
  public static var baseModelPrefix: String { "bert." }
  public static func untrained(config: BERTConfig) -> BertForQuestionAnswering {
    BertForQuestionAnswering(config: config)
  }
  public func namedOutputs(_ input: BertInput) -> [(name: String, tensor: Tensor)] {
    let output = predict(input)
    return [("start_logits", output.startLogits), ("end_logits", output.endLogits)]
  }
}

// MARK: - Choosing a type by name

/// The architectures this package builds, by the reference's class names.
public enum BertArchitecture: String, CaseIterable, Sendable {
  /// The bare encoder with its pooler.
  case model = "BertModel"
  /// Masked-language-model head.
  case maskedLM = "BertForMaskedLM"
  /// Masked-LM and next-sentence heads.
  case preTraining = "BertForPreTraining"
  /// Next-sentence head.
  case nextSentencePrediction = "BertForNextSentencePrediction"
  /// A classifier (or a regressor) on the pooled [CLS].
  case sequenceClassification = "BertForSequenceClassification"
  /// A classifier on every token.
  case tokenClassification = "BertForTokenClassification"
  /// Start and end logits for extractive question answering.
  case questionAnswering = "BertForQuestionAnswering"

  /// The Swift type of this architecture.
  public var modelType: any PretrainedModel.Type {
    switch self {
    case .model: return BertModel.self
    case .maskedLM: return BertForMaskedLM.self
    case .preTraining: return BertForPreTraining.self
    case .nextSentencePrediction: return BertForNextSentencePrediction.self
    case .sequenceClassification: return BertForSequenceClassification.self
    case .tokenClassification: return BertForTokenClassification.self
    case .questionAnswering: return BertForQuestionAnswering.self
    }
  }

  /// The architecture config.json names first in `architectures`, or `BertModel` when it names none.
  ///
  /// - Parameter file: the config's path, named in the error.
  /// - Throws: `CheckpointError` (`.unknownArchitecture`) for a class this package does not build.
  public init(config: BERTConfig, file: String = "config.json") throws {
    guard let name = config.architectures?.first else {
      self = .model
      return
    }
    guard let architecture = BertArchitecture(rawValue: name) else {
      throw CheckpointError(
        file: file, kind: .unknownArchitecture(name),
        message:
          "field \"architectures\": \"\(name)\" is not built here; expected one of "
          + Self.allCases.map(\.rawValue).joined(separator: ", "))
    }
    self = architecture
  }
}
