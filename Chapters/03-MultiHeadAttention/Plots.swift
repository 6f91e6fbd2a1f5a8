// The chapter's figures, written under plots/03-multi-head-attention/.
//
//   heads.gp      each head's 9 x 9 attention map, side by side on one colour scale (the
//                 smallest to the largest weight of all heads)
//   entropy.gp    each head's entropy for "fox" and averaged over the queries, beside ln T

import Foundation
import NotebookSupport
import Plotting

/// The chapter's plot folder under `root` (the `--plots` option).
func plotFolder(_ root: String) -> URL {
  URL(fileURLWithPath: root).appendingPathComponent("03-multi-head-attention")
}

/// Writes the grid of head maps and the entropy chart.
///
/// - Returns: What was written: the grid, then the chart.
@discardableResult
func writePlots(
  _ attention: MultiHeadAttention, entropies: [HeadEntropy], seed: UInt64, to folder: URL,
  using writer: PlotWriter
) throws -> [WrittenPlot] {
  let panels = (0..<attention.headCount).map { head in
    Heatmap(
      title: "head \(head + 1)", values: attention.map(head: head), rowLabels: sentenceWords,
      columnLabels: sentenceWords, cellValues: .never)
  }
  let grid = HeatmapGrid(
    title: "\(attention.headCount) heads of d_k = \(attention.headWidth), same words (seed \(seed))",
    panels: [panels], colorBarLabel: "attention weight")
  let uniform = log(Double(sentenceWords.count))
  let labels =
    entropies.map { "head \($0.head), \(queryWord)" } + entropies.map { "head \($0.head), mean" }
    + ["uniform, ln \(sentenceWords.count)"]
  let values = entropies.map(\.query) + entropies.map(\.meanOverQueries) + [uniform]
  let chart = BarChart(
    title: "Entropy of each head's attention (nats): lower is more focused", labels: labels, values: values,
    valueLabel: "entropy (nats)", highlighted: [values.count - 1], valueFormat: "%.4f")
  return [
    try writer.write(grid, to: folder, name: "heads"),
    try writer.write(chart, to: folder, name: "entropy"),
  ]
}
