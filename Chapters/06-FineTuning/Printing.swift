// What the chapter prints about a run: its log, its scores, the comparison over seeds.

import BERT
import Foundation
import NotebookSupport

/// Prints the Trainer's log: training loss every 5 steps, dev loss and accuracy.
func printLog(_ history: [LogRecord]) {
  print("step  epoch  training loss  dev loss  dev accuracy")
  var lines: [Int: (training: Double?, dev: Double?, accuracy: Double?, epoch: Double)] = [:]
  for record in history {
    var line = lines[record.step] ?? (nil, nil, nil, record.epoch)
    if let loss = record["loss"] { line.training = loss }
    if let loss = record["eval_loss"] { line.dev = loss }
    if let accuracy = record["eval_accuracy"] { line.accuracy = accuracy }
    lines[record.step] = line
  }
  for step in lines.keys.sorted() {
    guard let line = lines[step] else { continue }
    print(
      pad(String(step), 4) + pad(fixed(line.epoch, 2), 7) + pad(line.training.map { fixed($0) } ?? "", 15)
        + pad(line.dev.map { fixed($0) } ?? "", 10) + pad(line.accuracy.map { fixed($0) } ?? "", 14))
  }
}

/// Prints accuracy, precision, recall, F1 and the confusion matrix, and with held-out words
/// the accuracy on seen and held-out sentences apart.
func printEvaluation(_ evaluation: Evaluation, data: TaskData) {
  let scores = evaluation.scores
  let averaging = evaluation.classCount == 2 ? "class \(data.labelNames[1])" : "macro average"
  print(
    "accuracy \(fixed(evaluation.accuracy)), precision \(fixed(scores.precision)), recall \(fixed(scores.recall)), "
      + "F1 \(fixed(scores.f1)) (\(averaging))")
  print("confusion matrix (rows: true class, columns: predicted):")
  printMatrix(
    evaluation.confusionMatrix.map { $0.map(Float.init) }, rowLabels: data.labelNames,
    columnLabels: data.labelNames,
    digits: 0)
  if data.hasHeldOutWords {
    let heldOut = data.test.map(\.usesHeldOutWord)
    print(
      "accuracy on seen words \(fixed(evaluation.accuracy(where: heldOut.map { !$0 }))), "
        + "on held-out words \(fixed(evaluation.accuracy(where: heldOut)))")
  }
}

/// Prints one line per recipe and the gains of pretraining.
func printComparison(_ comparison: [RecipeComparison], hasHeldOutWords: Bool) {
  print("recipe                          test accuracy: mean (min-max, sd)")
  for recipe in comparison {
    print(padRight(recipe.name, 32) + recipe.accuracy.text)
    if hasHeldOutWords {
      print(padRight("  held-out words only", 32) + recipe.heldOutAccuracy.text)
    }
  }
  for freezes in [false, true] {
    let group = comparison.filter { $0.freezesWordEmbeddings == freezes }
    guard let pretrained = group.first(where: { $0.initialization == .pretrained }),
      let random = group.first(where: { $0.initialization == .random })
    else { continue }
    var line =
      "gain of pretraining\(freezes ? ", frozen embeddings" : ""): "
      + "\(fixed(100 * (pretrained.accuracy.mean - random.accuracy.mean), 1)) points"
    if hasHeldOutWords {
      line +=
        " (held-out words \(fixed(100 * (pretrained.heldOutAccuracy.mean - random.heldOutAccuracy.mean), 1)))"
    }
    print(line)
  }
}
