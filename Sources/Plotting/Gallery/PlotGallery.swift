// One example of each kind of figure, with made-up but plausible data, for plots/gallery/ and the
// README. The data come from a seeded generator, so the scripts are the same on every run.

import Foundation

/// One example of each kind of figure, as written to `plots/gallery/`.
///
/// The numbers are illustrative, made by a seeded generator to look like what the chapters draw
/// (a training run, attention maps, predictions at a masked position, a projection of embeddings);
/// the chapters' own plots carry the model's real numbers.
public enum PlotGallery {
  /// The examples as (file name, figure), in the order the README shows them.
  public static var figures: [(name: String, figure: any Figure)] {
    [
      ("loss", loss),
      ("attention", attention),
      ("attention-grid", attentionGrid),
      ("top-k", topK),
      ("embeddings", embeddings),
    ]
  }

  /// Writes every example into `directory` with `writer`.
  ///
  /// - Parameters:
  ///   - directory: The folder, usually `plots/gallery`.
  ///   - writer: The writer.
  /// - Returns: What each write produced.
  /// - Throws: See `PlotWriter.write(_:to:name:)`.
  @discardableResult
  public static func write(to directory: URL, using writer: PlotWriter = PlotWriter()) throws -> [WrittenPlot]
  {
    try figures.map { try writer.write($0.figure, to: directory, name: $0.name) }
  }

  // MARK: - The examples

  /// Training loss every step and held-out loss every 100 steps, smoothed over 50 steps.
  static var loss: LinePlot {
    var random = SplitMix64(seed: 1)
    let steps = Array(0..<2000)
    let training = steps.map { step -> Double in
      let mean = 1.9 + 8.5 * exp(-Double(step) / 260) + 0.6 * exp(-Double(step) / 1400)
      return mean * (1 + 0.09 * random.normal())
    }
    let evaluationSteps = Array(stride(from: 0, through: 2000, by: 100))
    let heldOut = evaluationSteps.map { step in
      2.15 + 8.3 * exp(-Double(step) / 270) + 0.55 * exp(-Double(step) / 1500) + 0.03 * random.normal()
    }
    return LinePlot(
      title: "Masked-LM loss (illustrative data)", xLabel: "training step", yLabel: "cross-entropy (nats)",
      series: [
        .init(name: "training", x: steps, y: training),
        .init(name: "held-out", x: evaluationSteps, y: heldOut, showsPoints: true),
      ],
      smoothingWindow: 50)
  }

  /// The tokens of the attention examples.
  static let sentenceTokens = ["[CLS]", "the", "cat", "[MASK]", "on", "the", "mat", "##s", "[SEP]"]

  /// Attention of one query over the keys: a peak at `focus`, some weight on [CLS] and [SEP], noise.
  static func attentionMatrix(pattern: Int, random: inout SplitMix64) -> [[Double]] {
    let count = sentenceTokens.count
    return (0..<count).map { query in
      let logits = (0..<count).map { key -> Double in
        var logit = 0.6 * random.normal()
        switch pattern % 4 {
        case 0: logit += key == max(query - 1, 0) ? 3.2 : 0  // the previous token
        case 1: logit += key == min(query + 1, count - 1) ? 3.0 : 0  // the next token
        case 2: logit += key == count - 1 ? 2.8 : 0  // [SEP]
        default: logit += key == query ? 2.6 : 0  // itself
        }
        if key == 0 { logit += 1.0 }
        return logit
      }
      let largest = logits.max() ?? 0
      let exponentials = logits.map { exp($0 - largest) }
      let total = exponentials.reduce(0, +)
      return exponentials.map { $0 / total }
    }
  }

  /// One attention map with its weights printed.
  static var attention: Heatmap {
    var random = SplitMix64(seed: 2)
    return Heatmap(
      title: "Layer 3, head 5: attention to the previous token (illustrative data)",
      values: attentionMatrix(pattern: 0, random: &random), rowLabels: sentenceTokens,
      columnLabels: sentenceTokens, xLabel: "key token", yLabel: "query token",
      colorBarLabel: "attention weight", valueRange: 0...1)
  }

  /// Four layers of six heads.
  static var attentionGrid: HeatmapGrid {
    var random = SplitMix64(seed: 3)
    let weights = (0..<4).map { layer in
      (0..<6).map { head in attentionMatrix(pattern: layer + head, random: &random) }
    }
    return HeatmapGrid.attention(
      title: "Attention of every head, layers 1-4 (illustrative data)", tokens: sentenceTokens,
      weights: weights)
  }

  /// The ten most probable tokens at a masked position, the masked-out one highlighted.
  static var topK: BarChart {
    BarChart(
      title: "Top 10 predictions for [MASK] in \"the cat [MASK] on the mats\" (illustrative data)",
      labels: ["sat", "was", "slept", "lay", "sits", "is", "stood", "##s", "it's", "坐"],
      values: [0.412, 0.173, 0.121, 0.087, 0.052, 0.031, 0.018, 0.011, 0.007, 0.004],
      valueLabel: "probability", categoryLabel: "predicted token", highlighted: [0])
  }

  /// Token embeddings projected onto two axes, in four groups.
  static var embeddings: ScatterPlot {
    var random = SplitMix64(seed: 4)
    func group(_ name: String, center: (Double, Double), labels: [String]) -> ScatterPlot.Group {
      let x = labels.map { _ in center.0 + 0.7 * random.normal() }
      let y = labels.map { _ in center.1 + 0.7 * random.normal() }
      return ScatterPlot.Group(name: name, x: x, y: y, labels: labels)
    }
    return ScatterPlot(
      title: "Token embeddings, first two principal components (illustrative data)",
      xLabel: "component 1", yLabel: "component 2",
      groups: [
        group("animals", center: (3, 2), labels: ["cat", "dog", "horse", "mouse", "猫", "狗"]),
        group("verbs", center: (-2.5, 2.5), labels: ["sat", "ran", "was", "is", "lay"]),
        group("subwords", center: (1, -2.5), labels: ["##s", "##ing", "##ed", "##able", "un"]),
        group("special tokens", center: (-3, -1.5), labels: ["[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]"]),
      ])
  }
}

// MARK: - Seeded numbers

/// SplitMix64, a small seeded generator, so that the gallery's data are the same on every run.
struct SplitMix64 {
  private var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  /// The next 64 random bits.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform number in [0, 1), from the top 53 bits.
  mutating func uniform() -> Double {
    Double(next() >> 11) / 9_007_199_254_740_992
  }

  /// A standard normal number (Box-Muller).
  mutating func normal() -> Double {
    let u = max(uniform(), 1e-300)
    let v = uniform()
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
  }
}
