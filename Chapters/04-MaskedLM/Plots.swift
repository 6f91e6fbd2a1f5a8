// The chapter's figures, written under plots/04-masked-lm/.
//
//   masking-shares.gp       what BERT's recipe did to the corpus's chosen tokens, against 80/10/10
//   top-k-untrained.gp      without a checkpoint: the 10 most probable tokens at the [MASK] of the
//                           seed's sentence, from a randomly initialised stand-in
//   top-k-notebook-bert.gp  with chapter 05's checkpoint: the trained model's, and
//                           top-k-notebook-bert-untrained.gp for a random model of its shape
//                           (top-k-model*.gp for a folder given by --model)

import Foundation
import Plotting

/// The chapter's plot folder under `root` (the `--plots` option).
func plotFolder(_ root: String) -> URL {
  URL(fileURLWithPath: root).appendingPathComponent("04-masked-lm")
}

/// Writes the bar chart of the masking shares.
@discardableResult
func writeMaskingPlot(_ tally: MaskingTally, to folder: URL, using writer: PlotWriter) throws -> WrittenPlot {
  let shares = tally.shares
  let chart = BarChart(
    title: "BERT's masking on the corpus: \(tally.chosen) of \(tally.candidates) tokens chosen",
    labels: [
      "chosen / all tokens (0.15)", "[MASK] / chosen (0.8)", "random / chosen (0.1)",
      "unchanged / chosen (0.1)",
    ],
    values: [shares.chosen, shares.mask, shares.random, shares.unchanged], valueLabel: "share",
    valueFormat: "%.4f")
  return try writer.write(chart, to: folder, name: "masking-shares")
}

/// Writes the bar chart of a model's top predictions at the mask, the answer highlighted.
@discardableResult
func writeTopKPlot(
  _ prediction: MaskPrediction, title: String, name: String, to folder: URL, using writer: PlotWriter
)
  throws -> WrittenPlot
{
  let highlighted = Set(prediction.top.indices.filter { prediction.top[$0].token == seedAnswer })
  let chart = BarChart(
    title: title, labels: prediction.top.map(\.token), values: prediction.top.map(\.probability),
    valueLabel: "probability at [MASK]", categoryLabel: "predicted token", highlighted: highlighted,
    valueFormat: "%.4f")
  return try writer.write(chart, to: folder, name: name)
}
