// The published BERT sizes and the parameter count of a BertModel, by formula.

extension BERTConfig {
  /// The published sizes (layers / hidden / heads), intermediate = 4 x hidden, other fields
  /// at the reference defaults. Tiny to Medium are Google's compact BERTs (Turc et al., 2019).
  public enum Preset: String, CaseIterable, Sendable {
    /// 2 layers, H 128, 2 heads: 4.4 M parameters.
    case tiny
    /// 4 layers, H 256, 4 heads: 11.2 M parameters.
    case mini
    /// 4 layers, H 512, 8 heads: 28.8 M parameters.
    case small
    /// 8 layers, H 512, 8 heads: 41.4 M parameters.
    case medium
    /// 12 layers, H 768, 12 heads: 109.5 M parameters (BERT-base).
    case base
    /// 24 layers, H 1024, 16 heads: 335.1 M parameters (BERT-large).
    case large

    /// (layers, hidden size, heads).
    public var shape: (layers: Int, hidden: Int, heads: Int) {
      switch self {
      case .tiny: return (2, 128, 2)
      case .mini: return (4, 256, 4)
      case .small: return (4, 512, 8)
      case .medium: return (8, 512, 8)
      case .base: return (12, 768, 12)
      case .large: return (24, 1024, 16)
      }
    }

    /// The configuration of this size.
    public var config: BERTConfig {
      let (layers, hidden, heads) = shape
      return BERTConfig(
        hiddenSize: hidden, numHiddenLayers: layers, numAttentionHeads: heads, intermediateSize: 4 * hidden)
    }
  }

  /// BERT-Tiny: 2 layers, H 128, 2 heads.
  public static let tiny = Preset.tiny.config
  /// BERT-Mini: 4 layers, H 256, 4 heads.
  public static let mini = Preset.mini.config
  /// BERT-Small: 4 layers, H 512, 8 heads.
  public static let small = Preset.small.config
  /// BERT-Medium: 8 layers, H 512, 8 heads.
  public static let medium = Preset.medium.config
  /// BERT-Base: 12 layers, H 768, 12 heads (the reference defaults).
  public static let base = Preset.base.config
  /// BERT-Large: 24 layers, H 1024, 16 heads.
  public static let large = Preset.large.config

  // MARK: - Parameter count

  /// Parameters of the embeddings: word V H + position P H + token type T H + LayerNorm 2 H.
  public var embeddingParameterCount: Int {
    (vocabSize + maxPositionEmbeddings + typeVocabSize) * hiddenSize + 2 * hiddenSize
  }

  /// Parameters of one transformer layer:
  /// query, key, value and attention output 4 (H H + H), LayerNorm 2 H,
  /// intermediate H I + I, output I H + H, LayerNorm 2 H; in all 4 H^2 + 2 H I + 9 H + I.
  public var layerParameterCount: Int {
    let (h, i) = (hiddenSize, intermediateSize)
    return 4 * (h * h + h) + 2 * h + (h * i + i) + (i * h + h) + 2 * h
  }

  /// Parameters of the pooler: dense H H + H.
  public var poolerParameterCount: Int { hiddenSize * hiddenSize + hiddenSize }

  /// The trainable parameters of the reference `BertModel` built from this configuration
  /// (no task head; buffers such as `position_ids` are not parameters).
  ///
  /// embeddings + L x layer + pooler; for BERT-base 23,837,184 + 12 x 7,087,872 + 590,592
  /// = 109,482,240.
  ///
  /// - Parameter includePooler: whether to count the pooler (`add_pooling_layer`).
  public func parameterCount(includePooler: Bool = true) -> Int {
    embeddingParameterCount + numHiddenLayers * layerParameterCount
      + (includePooler ? poolerParameterCount : 0)
  }
}
