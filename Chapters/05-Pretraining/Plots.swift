// The chapter's figures, written under plots/05-pretraining/.
//
//   loss.gp                 training loss (smoothed), held-out loss, the unigram-entropy baseline
//   fill-mask-before.gp     the top 5 for "The quick brown [MASK] ..." before training
//   fill-mask-after.gp      the same after training, "fox" highlighted
//   trainer_log.jsonl       the Trainer's log the loss plot is drawn from (no timings in it)

import Foundation
import NotebookSupport
import Plotting

/// The chapter's plot folder under `root` (the `--plots` option).
func plotFolder(_ root: String) -> URL {
  URL(fileURLWithPath: root).appendingPathComponent("05-pretraining")
}

/// Writes the loss curves with the baseline as a horizontal line.
@discardableResult
func writeLossPlot(
  _ run: PretrainingRun, baseline: Double, nextSentence: Bool, to folder: URL, using writer: PlotWriter
) throws -> WrittenPlot {
  let training = run.trainingLosses
  let heldOut = run.heldOutLosses
  let lastStep = max(training.last?.step ?? 0, heldOut.last?.step ?? 0)
  let plot = LinePlot(
    title: nextSentence ? "Pretraining loss: masked LM + next sentence" : "Masked-LM loss",
    xLabel: "step", yLabel: "cross-entropy (nats)",
    series: [
      .init(name: "training", x: training.map(\.step), y: training.map(\.loss)),
      .init(name: "held-out", x: heldOut.map(\.step), y: heldOut.map(\.loss), showsPoints: true),
      .init(
        name: "unigram entropy (no context)", x: [0, lastStep], y: [baseline, baseline]),
    ],
    smoothingWindow: Double(max(1, lastStep / 20)))
  return try writer.write(plot, to: folder, name: "loss")
}

/// Writes the two fill-mask bar charts (top 5 before and after training).
@discardableResult
func writeFillMaskPlots(
  before: FillMaskResult, after: FillMaskResult, to folder: URL, using writer: PlotWriter
) throws -> [WrittenPlot] {
  func chart(_ result: FillMaskResult, _ when: String) -> BarChart {
    let top = result.top(5)
    return BarChart(
      title: "\(foxSentence) -- \(when)", labels: top.map(\.token), values: top.map(\.probability),
      valueLabel: "probability", highlighted: Set(top.indices.filter { top[$0].token == foxWord }))
  }
  return [
    try writer.write(chart(before, "before training"), to: folder, name: "fill-mask-before"),
    try writer.write(chart(after, "after training"), to: folder, name: "fill-mask-after"),
  ]
}
