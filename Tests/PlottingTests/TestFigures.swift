import Foundation

@testable import Plotting

/// Small figures of every kind, with labels that exercise the escaping, shared by the golden tests
/// and the rendering tests.
enum TestFigures {
  /// Every text that gnuplot could misread: quotes, backslashes, enhanced-text markup, WordPiece
  /// pieces, special tokens, CJK.
  static let awkwardLabels = [
    "it's", "say \"hi\"", #"back\slash"#, "#hash", "@at", "under_score", "x^2", "{brace}", "~tilde", "a&b",
    "[MASK]", "##ing", "中文",
  ]

  static let tokens = ["[CLS]", "it's", "##ing", "[MASK]"]

  static var linePlot: LinePlot {
    LinePlot(
      title: "Loss of run_1 (log scale)", xLabel: "step", yLabel: "loss",
      series: [
        .init(name: "training_loss", x: [0, 1, 2, 3, 4, 5], y: [8.0, 4.0, 2.0, 1.0, 0.5, 0.25]),
        .init(name: "held-out", x: [0, 2, 4], y: [9.0, 3.0, 1.0], showsPoints: true),
      ],
      smoothingWindow: 2, logScaleY: true)
  }

  static var linePlotPlain: LinePlot {
    LinePlot(
      title: "Learning rate", xLabel: "step", yLabel: "learning rate",
      series: [.init(name: "warm-up then linear decay", y: [0.0, 5e-5, 1e-4, 7.5e-5, 5e-5, 2.5e-5, 0.0])])
  }

  static var heatmap: Heatmap {
    Heatmap(
      title: "Attention, layer 1 head 2",
      values: [[0.5, 0.25, 0.125, 0.125], [0.1, 0.7, 0.1, 0.1], [0, 0, 1, 0]],
      rowLabels: ["[CLS]", "x_1", "中文"], columnLabels: tokens, xLabel: "key", yLabel: "query",
      colorBarLabel: "attention weight", valueRange: 0...1)
  }

  static var heatmapDiverging: Heatmap {
    Heatmap(
      title: "Weight differences", values: [[-2, 1], [0.5, 4]], rowLabels: ["a", "b"],
      columnLabels: ["c", "d"],
      colorBarLabel: "difference", palette: .blueWhiteRed, cellValueFormat: "%+.1f")
  }

  static var heatmapGrid: HeatmapGrid {
    let matrix: [[Float]] = [[0.75, 0.25], [0.5, 0.5]]
    return HeatmapGrid.attention(
      title: "Every head", tokens: ["[CLS]", "##ing"], weights: [[matrix, matrix], [matrix, matrix]])
  }

  static var barChart: BarChart {
    BarChart(
      title: "Top 3 for [MASK]", labels: ["sat", "##s", "it's"], values: [0.5, 0.3, 0.125],
      valueLabel: "probability", highlighted: [1])
  }

  static var barChartVertical: BarChart {
    BarChart(
      title: "Change in loss", labels: ["up_1", "down"], values: [0.25, -0.5], valueLabel: "change",
      categoryLabel: "run", orientation: .vertical, valueFormat: "%+.2f")
  }

  static var scatterPlot: ScatterPlot {
    ScatterPlot(
      title: "Embeddings", xLabel: "component 1", yLabel: "component 2",
      groups: [
        .init(name: "words", x: [1.0, -1.0], y: [0.5, 0.25], labels: ["it's", "中文"]),
        .init(name: "pieces", x: [0.0], y: [-1.0], labels: ["##ing"]),
        .init(name: "unlabelled", x: [2.0], y: [2.0]),
      ],
      equalAxes: true)
  }

  /// A scatter plot with one point per awkward label, for checking what gnuplot draws.
  static var awkwardScatter: ScatterPlot {
    let count = awkwardLabels.count
    return ScatterPlot(
      title: "title " + awkwardLabels.joined(separator: " "), xLabel: "x_label", yLabel: "y^label",
      groups: [
        .init(
          name: "group_1", x: (0..<count).map { Double($0) }, y: (0..<count).map { Double($0 % 3) },
          labels: awkwardLabels)
      ],
      size: PlotSize(width: 1600, height: 1000), previewSize: PreviewSize(columns: 400, lines: 40))
  }

  /// Every fixture with the name of its golden file and its image format.
  static var all: [(name: String, figure: any Figure, format: ImageFormat)] {
    [
      ("line-plot", linePlot, .png),
      ("line-plot-plain", linePlotPlain, .svg),
      ("heatmap", heatmap, .png),
      ("heatmap-diverging", heatmapDiverging, .png),
      ("heatmap-grid", heatmapGrid, .png),
      ("bar-chart", barChart, .png),
      ("bar-chart-vertical", barChartVertical, .svg),
      ("scatter-plot", scatterPlot, .png),
    ]
  }
}

/// A fresh folder under the temporary directory, removed by `remove()`.
struct TemporaryFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("plotting-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func remove() {
    try? FileManager.default.removeItem(at: url)
  }
}

/// The first bytes of every PNG file.
let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
