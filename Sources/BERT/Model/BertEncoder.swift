// BertEncoder: the stack of L encoder blocks, x_{l+1} = Layer_l(x_l).
//
// Legend: B batch, T tokens, H hidden, A heads, L layers.
// Shapes: x_0 (the embeddings) [B, T, H]; every x_l [B, T, H]; probabilities [B, A, T, T] per layer.
// Checkpoint names: `encoder.layer.{l}.*` for l in 0..<L.

/// L encoder blocks applied in order.
public struct BertEncoder: Sendable {
  /// The blocks, `encoder.layer.0` first.
  public let layers: [BertLayer]

  /// What backward needs from a forward pass: one cache per layer.
  public struct Cache: Sendable {
    let layers: [BertLayer.Cache]
  }

  /// The result of a forward pass.
  public struct Output: Sendable {
    /// x_L [B, T, H].
    public var lastHiddenState: Tensor
    /// x_0 (the input), x_1, ..., x_L, each [B, T, H], when requested.
    public var hiddenStates: [Tensor]?
    /// The attention probabilities of each layer, [B, A, T, T], when requested.
    public var attentions: [Tensor]?
  }

  /// `config.numHiddenLayers` zero blocks.
  public init(config: BERTConfig) {
    layers = (0..<config.numHiddenLayers).map { _ in BertLayer(config: config) }
  }

  // MARK: - Forward

  /// Runs every layer on `input` [B, T, H], collecting the optional outputs.
  public func forward(
    _ input: Tensor, additiveMask: Tensor?, mode: ForwardMode, outputs: BertOptionalOutputs,
    rng: inout RandomGenerator
  ) -> (output: Output, cache: Cache?) {
    var hidden = input
    var hiddenStates: [Tensor]? = outputs.contains(.hiddenStates) ? [input] : nil
    var attentions: [Tensor]? = outputs.contains(.attentions) ? [] : nil
    var caches: [BertLayer.Cache] = []
    caches.reserveCapacity(mode.keepsCaches ? layers.count : 0)
    for layer in layers {
      let (next, probabilities, cache) = layer.forward(
        hidden, additiveMask: additiveMask, mode: mode, rng: &rng)
      hidden = next
      hiddenStates?.append(next)
      attentions?.append(probabilities)
      if let cache { caches.append(cache) }
    }
    let output = Output(lastHiddenState: hidden, hiddenStates: hiddenStates, attentions: attentions)
    return (output, mode.keepsCaches ? Cache(layers: caches) : nil)
  }

  // MARK: - Backward

  /// dL/dx_0 from dL/dx_L, through the layers in reverse.
  public func backward(_ gradOutput: Tensor, cache: Cache) -> Tensor {
    var grad = gradOutput
    // x_{l+1} = Layer_l(x_l), last layer first.
    for (layer, layerCache) in zip(layers, cache.layers).reversed() {
      grad = layer.backward(grad, cache: layerCache)
    }
    return grad
  }
}

/// Extra outputs a forward pass can return, as the reference's `output_hidden_states` and
/// `output_attentions`.
public struct BertOptionalOutputs: OptionSet, Sendable {
  /// The raw bits.
  public let rawValue: Int
  /// A set from raw bits.
  public init(rawValue: Int) { self.rawValue = rawValue }

  /// The embeddings output and every layer's output, L + 1 tensors [B, T, H].
  public static let hiddenStates = BertOptionalOutputs(rawValue: 1)
  /// Every layer's attention probabilities per head, L tensors [B, A, T, T].
  public static let attentions = BertOptionalOutputs(rawValue: 2)
  /// Both.
  public static let all: BertOptionalOutputs = [.hiddenStates, .attentions]
}
