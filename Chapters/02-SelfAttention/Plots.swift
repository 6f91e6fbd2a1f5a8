// The chapter's figures, written under plots/02-self-attention/.
//
//   fox-weights.gp          the softmax weights of "fox" over the nine words (bar chart)
//   attention-matrix.gp     the whole 9 x 9 attention matrix of the hand-sized head
//   layers-untrained.gp     without a checkpoint: a randomly initialised stand-in, each layer's map
//                           averaged over heads
//   layers-notebook-bert.gp with chapter 05's checkpoint: the trained model's maps, and
//                           layers-notebook-bert-untrained.gp for a randomly initialised model of
//                           the same configuration (layers-model*.gp for a folder given by --model)

import Foundation
import NotebookSupport
import Plotting

/// The chapter's plot folder under `root` (the `--plots` option).
func plotFolder(_ root: String) -> URL {
  URL(fileURLWithPath: root).appendingPathComponent("02-self-attention")
}

/// Writes the two figures of the hand-sized head.
///
/// - Returns: What was written, in order: the bar chart, then the heatmap.
@discardableResult
func writeHandPlots(
  _ attention: HandAttention, seed: UInt64, to folder: URL, using writer: PlotWriter
)
  throws -> [WrittenPlot]
{
  let bars = BarChart(
    title: "Attention weights of \"\(queryWord)\": softmax(q_fox K^T / sqrt(4)) (seed \(seed))",
    labels: sentenceWords, values: matrixRow(attention.weights, queryPosition),
    valueLabel: "attention weight",
    categoryLabel: "key word", highlighted: [queryPosition], orientation: .vertical)
  let map = Heatmap(
    title: "Self-attention A = softmax(Q K^T / sqrt(d_k)), one head, d_k = 4 (seed \(seed))",
    values: matrixRows(attention.weights), rowLabels: sentenceWords, columnLabels: sentenceWords,
    xLabel: "key word (attended to)", yLabel: "query word (attending)", colorBarLabel: "attention weight")
  return [
    try writer.write(bars, to: folder, name: "fox-weights"),
    try writer.write(map, to: folder, name: "attention-matrix"),
  ]
}

/// Writes one model's head-averaged maps as a grid, one panel per layer.
///
/// - Parameters:
///   - maps: [layer][query][key].
///   - tokens: The sequence's tokens, for both axes.
///   - title: The page title.
///   - name: The file name without extension.
/// - Returns: What was written.
@discardableResult
func writeLayerPlot(
  _ maps: [[[Float]]], tokens: [String], title: String, name: String, to folder: URL, using writer: PlotWriter
) throws -> WrittenPlot {
  let columns = gridColumns(forPanels: maps.count)
  let panels = maps.enumerated().map { layer, map in
    Heatmap(
      title: "layer \(layer + 1)", values: map, rowLabels: tokens, columnLabels: tokens, valueRange: 0...1,
      cellValues: .never)
  }
  let rows = stride(from: 0, to: panels.count, by: columns).map { Array(panels[$0..<($0 + columns)]) }
  let grid = HeatmapGrid(title: title, panels: rows, colorBarLabel: "attention weight", valueRange: 0...1)
  return try writer.write(grid, to: folder, name: name)
}

/// Columns of a grid of `count` panels that fills every row: all in one row up to 6, else the
/// largest divisor of `count` from 2 to 6 (one row again when there is none).
func gridColumns(forPanels count: Int) -> Int {
  guard count > 6 else { return max(count, 1) }
  return (2...6).last { count % $0 == 0 } ?? count
}
