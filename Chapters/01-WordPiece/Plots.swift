// The chapter's figures, written under plots/01-wordpiece/.
//
//   embeddings.gp    e = LayerNorm(token + position + segment): one row per token, one column per
//                    dimension (the vectors BERT's first layer reads)
//   components.gp    the three looked-up rows and their sum, side by side on one colour scale
//
// With `--vocab` the files are embeddings-vocab.gp and components-vocab.gp, so the default run's
// plots are never overwritten by another vocabulary's.

import Foundation
import NotebookSupport
import Plotting

/// The chapter's plot folder under `root` (the `--plots` option).
func plotFolder(_ root: String) -> URL {
  URL(fileURLWithPath: root).appendingPathComponent("01-wordpiece")
}

/// Writes the two embedding figures.
///
/// - Parameters:
///   - steps: The embedding layer's intermediates.
///   - suffix: Appended to the file names ("" for the learned vocabulary).
/// - Returns: What was written: the embeddings, then the components.
@discardableResult
func writePlots(
  _ steps: EmbeddingSteps, suffix: String, to folder: URL, using writer: PlotWriter
) throws
  -> [WrittenPlot]
{
  let dimensions = (1...steps.config.hiddenSize).map { "h\($0)" }
  let rowLabels = steps.tokens.enumerated().map { "\($0.offset) \($0.element)" }
  let embeddings = Heatmap(
    title: "Input embeddings e = LayerNorm(token + position + segment), H = \(steps.config.hiddenSize)",
    values: matrixRows(steps.normalized), rowLabels: rowLabels, columnLabels: dimensions,
    xLabel: "dimension", yLabel: "position and token", colorBarLabel: "value", palette: .blueWhiteRed,
    cellValues: .never)
  let parts = [
    ("token E_tok[id]", steps.token), ("position E_pos[t]", steps.position),
    ("segment E_seg[s]", steps.segment), ("sum x", steps.sum),
  ]
  let panels = parts.map { title, tensor in
    Heatmap(
      title: title, values: matrixRows(tensor), rowLabels: rowLabels, columnLabels: dimensions,
      palette: .blueWhiteRed, cellValues: .never)
  }
  let grid = HeatmapGrid(
    title: "The three lookups and their sum, before LayerNorm", panels: [panels], colorBarLabel: "value",
    palette: .blueWhiteRed)
  return [
    try writer.write(embeddings, to: folder, name: "embeddings" + suffix),
    try writer.write(grid, to: folder, name: "components" + suffix),
  ]
}
