// The chapter's figures, written under plots/06-fine-tuning/.
//
//   loss.gp               training and dev loss of the pretrained run and of the control
//   confusion-matrix.gp   the pretrained run's test confusion matrix
//   seeds.gp              mean test accuracy of each recipe over the seeds, all sentences and
//                         held-out words alone

import BERT
import Foundation
import Plotting

/// The chapter's plot folder under `root` (the `--plots` option).
func plotFolder(_ root: String) -> URL {
  URL(fileURLWithPath: root).appendingPathComponent("06-fine-tuning")
}

/// (step, value) of the records of a log that hold `key`.
func series(_ history: [LogRecord], _ key: String) -> (steps: [Int], values: [Double]) {
  let points = history.compactMap { record in record[key].map { (record.step, $0) } }
  return (points.map(\.0), points.map(\.1))
}

/// Writes the loss curves of the pretrained run and of the control.
@discardableResult
func writeLossPlot(
  pretrained: FineTuningRun, control: FineTuningRun, to folder: URL, using writer: PlotWriter
)
  throws -> WrittenPlot
{
  var lines: [LinePlot.Series] = []
  for (name, run) in [("pretrained", pretrained), ("random init", control)] {
    let training = series(run.history, "loss")
    let dev = series(run.history, "eval_loss")
    lines.append(.init(name: "\(name): training", x: training.steps, y: training.values))
    lines.append(.init(name: "\(name): dev", x: dev.steps, y: dev.values, showsPoints: true))
  }
  let plot = LinePlot(
    title: "Fine-tuning loss (seed \(pretrained.recipe.seed))", xLabel: "step",
    yLabel: "cross-entropy (nats)",
    series: lines)
  return try writer.write(plot, to: folder, name: "loss")
}

/// Writes a test confusion matrix as a heatmap of counts.
@discardableResult
func writeConfusionMatrix(
  _ evaluation: Evaluation, labelNames: [String], title: String, to folder: URL, using writer: PlotWriter
) throws -> WrittenPlot {
  let map = Heatmap(
    title: "Test confusion matrix (\(title))", values: evaluation.confusionMatrix.map { $0.map(Double.init) },
    rowLabels: labelNames, columnLabels: labelNames, xLabel: "predicted class", yLabel: "true class",
    colorBarLabel: "sentences", cellValues: .always, cellValueFormat: "%.0f")
  return try writer.write(map, to: folder, name: "confusion-matrix")
}

/// Writes the mean test accuracy of every recipe, all sentences and held-out words alone.
@discardableResult
func writeComparisonPlot(
  _ comparison: [RecipeComparison], hasHeldOutWords: Bool, to folder: URL, using writer: PlotWriter
) throws -> WrittenPlot {
  var labels: [String] = []
  var values: [Double] = []
  for recipe in comparison {
    labels.append(recipe.name)
    values.append(recipe.accuracy.mean)
    if hasHeldOutWords {
      labels.append(recipe.name + ": held-out words")
      values.append(recipe.heldOutAccuracy.mean)
    }
  }
  let seeds = comparison.first?.accuracy.values.count ?? 0
  let chart = BarChart(
    title: "Test accuracy, mean over \(seeds) seeds", labels: labels, values: values, valueLabel: "accuracy",
    highlighted: Set(labels.indices.filter { labels[$0].hasPrefix("pretrained") }))
  return try writer.write(chart, to: folder, name: "seeds")
}
