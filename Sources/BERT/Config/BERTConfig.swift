import Foundation
import SafeTensors

// BERTConfig: the hyperparameters of a BERT model, read from and written to `config.json`.
//
// Field names and defaults are those of the reference implementation (Hugging Face
// `BertConfig`, BERT-base); in `config.json` they are spelled in snake_case (`hidden_size`).
// Fields this struct does not model (`use_cache`, `transformers_version`, ...) are kept in
// `otherFields` and written back unchanged, so a read-then-write round trip loses nothing.
//
// Legend: V vocabulary, H hidden size, L layers, A attention heads, I intermediate size,
// P maximum positions, T token types.

/// The configuration of a BERT model, with the reference defaults (BERT-base, uncased).
public struct BERTConfig: Codable, Sendable, Equatable {
  // MARK: - Sizes

  /// V: the number of WordPiece tokens, rows of the word embedding table.
  public var vocabSize: Int
  /// H: the width of every hidden state (and of each embedding).
  public var hiddenSize: Int
  /// L: the number of transformer layers in the encoder.
  public var numHiddenLayers: Int
  /// A: the number of attention heads per layer; each has H / A dimensions.
  public var numAttentionHeads: Int
  /// I: the width of the feed-forward layer inside each transformer layer (4 H in BERT).
  public var intermediateSize: Int
  /// P: the number of learned position embeddings, the longest sequence the model takes.
  public var maxPositionEmbeddings: Int
  /// T: the number of segment (token type) embeddings: 2, sentence A and sentence B.
  public var typeVocabSize: Int

  // MARK: - Layers

  /// The activation of the feed-forward layer: "gelu", the exact erf form.
  public var hiddenAct: String
  /// Dropout probability after embeddings, attention output and feed-forward output.
  public var hiddenDropoutProb: Double
  /// Dropout probability on the attention probabilities.
  public var attentionProbsDropoutProb: Double
  /// Standard deviation of the normal initialisation of weights (biases start at 0).
  public var initializerRange: Double
  /// The epsilon added to the variance in every LayerNorm.
  public var layerNormEps: Double
  /// The id of `[PAD]`; its word embedding row starts at zero and receives no gradient.
  /// nil: no padding row.
  public var padTokenId: Int?
  /// Whether the masked-LM decoder shares its weight with the word embeddings.
  public var tieWordEmbeddings: Bool

  // MARK: - Task heads

  /// The class names the checkpoint was saved with, e.g. ["BertForMaskedLM"]; nil if unknown.
  public var architectures: [String]?
  /// Class index to label name for classification heads; its count is `numLabels`.
  public var id2label: [Int: String]
  /// Label name to class index, the inverse of `id2label`.
  public var label2id: [String: Int]
  /// "regression", "single_label_classification" or "multi_label_classification"; nil lets
  /// the sequence-classification head decide from `numLabels` (1 means regression).
  public var problemType: String?
  /// Dropout before the classification heads; nil means `hiddenDropoutProb`.
  public var classifierDropout: Double?
  /// The model family, "bert"; loaders use it to pick the architecture.
  public var modelType: String

  // MARK: - Fields not modelled

  /// Every other field of `config.json`, kept as read and written back unchanged.
  public var otherFields: [String: JSONValue]

  // MARK: - Creating

  /// A configuration; every argument defaults to the reference value (BERT-base).
  public init(
    vocabSize: Int = 30522,
    hiddenSize: Int = 768,
    numHiddenLayers: Int = 12,
    numAttentionHeads: Int = 12,
    intermediateSize: Int = 3072,
    hiddenAct: String = "gelu",
    hiddenDropoutProb: Double = 0.1,
    attentionProbsDropoutProb: Double = 0.1,
    maxPositionEmbeddings: Int = 512,
    typeVocabSize: Int = 2,
    initializerRange: Double = 0.02,
    layerNormEps: Double = 1e-12,
    padTokenId: Int? = 0,
    tieWordEmbeddings: Bool = true,
    architectures: [String]? = nil,
    numLabels: Int = 2,
    problemType: String? = nil,
    classifierDropout: Double? = nil
  ) {
    self.vocabSize = vocabSize
    self.hiddenSize = hiddenSize
    self.numHiddenLayers = numHiddenLayers
    self.numAttentionHeads = numAttentionHeads
    self.intermediateSize = intermediateSize
    self.hiddenAct = hiddenAct
    self.hiddenDropoutProb = hiddenDropoutProb
    self.attentionProbsDropoutProb = attentionProbsDropoutProb
    self.maxPositionEmbeddings = maxPositionEmbeddings
    self.typeVocabSize = typeVocabSize
    self.initializerRange = initializerRange
    self.layerNormEps = layerNormEps
    self.padTokenId = padTokenId
    self.tieWordEmbeddings = tieWordEmbeddings
    self.architectures = architectures
    self.id2label = Self.defaultLabels(count: numLabels)
    self.label2id = Self.inverse(of: id2label)
    self.problemType = problemType
    self.classifierDropout = classifierDropout
    self.modelType = "bert"
    self.otherFields = [:]
  }

  /// The number of classes of the classification heads, the size of `id2label`.
  ///
  /// Setting it to a different count replaces the labels with `LABEL_0`, `LABEL_1`, ...,
  /// as the reference does.
  public var numLabels: Int {
    get { id2label.count }
    set {
      guard newValue != id2label.count else { return }
      id2label = Self.defaultLabels(count: newValue)
      label2id = Self.inverse(of: id2label)
    }
  }

  /// D = H / A: the width of one attention head.
  public var attentionHeadSize: Int { hiddenSize / max(numAttentionHeads, 1) }

  /// `LABEL_0` ... `LABEL_{count-1}`, the reference's names for unnamed classes.
  static func defaultLabels(count: Int) -> [Int: String] {
    Dictionary(uniqueKeysWithValues: (0..<max(count, 0)).map { ($0, "LABEL_\($0)") })
  }

  static func inverse(of labels: [Int: String]) -> [String: Int] {
    Dictionary(labels.map { ($0.value, $0.key) }, uniquingKeysWith: { first, second in min(first, second) })
  }
}
