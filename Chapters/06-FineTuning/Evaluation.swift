// Step 4 (seed 3.2 and 8.3, 模型评估 / evaluation): accuracy, precision, recall, F1 and the
// confusion matrix on the test split, with scikit-learn's definitions.
//
//   M[i][j] = test sentences of true class i predicted as class j          (C x C)
//   accuracy  = (M[0][0] + M[1][1]) / N
//   precision = M[1][1] / (M[0][1] + M[1][1])    of the sentences called positive, the share that are
//   recall    = M[1][1] / (M[1][0] + M[1][1])    of the positive sentences, the share found
//   F1        = 2 precision recall / (precision + recall)

import BERT
import Foundation
import NotebookSupport
import WordPiece

/// The predictions of a classifier on a split, and the scores that follow from them.
struct Evaluation: Sendable {
  /// The predicted class of each example.
  let predictions: [Int]
  /// The true class of each example.
  let labels: [Int]
  /// softmax(logits) of each example, one probability per class.
  let probabilities: [[Double]]
  /// The number of classes.
  let classCount: Int

  /// The evaluation of `logits` [N, C] against `labels`.
  init(logits: Tensor, labels: [Int]) {
    precondition(
      logits.rank == 2 && logits.shape[0] == labels.count,
      "Evaluation: logits \(logits.shape), \(labels.count) labels")
    let classes = logits.shape[1]
    classCount = classes
    self.labels = labels
    predictions = ClassificationMetrics.argmax(logits)
    probabilities = (0..<labels.count).map { row in
      softmax(Array(logits.scalars[(row * classes)..<((row + 1) * classes)]))
    }
  }

  /// M[true][predicted].
  var confusionMatrix: [[Int]] {
    ClassificationMetrics.confusionMatrix(predictions: predictions, labels: labels, classCount: classCount)
  }

  /// The share of correct predictions.
  var accuracy: Double { ClassificationMetrics.accuracy(predictions: predictions, labels: labels) }

  /// Precision, recall and F1 of the positive class (class 1) for two classes, macro-averaged
  /// over the classes otherwise.
  var scores: PrecisionRecallF1 {
    ClassificationMetrics.precisionRecallF1(
      predictions: predictions, labels: labels, average: classCount == 2 ? .binary() : .macro,
      classCount: classCount)
  }

  /// The accuracy over the examples where `included` is true (0 when there are none).
  func accuracy(where included: [Bool]) -> Double {
    let kept = included.indices.filter { included[$0] }
    return ClassificationMetrics.accuracy(
      predictions: kept.map { predictions[$0] }, labels: kept.map { labels[$0] })
  }
}

/// The class probabilities of each of `texts` (seed 6.1: sentiment analysis of new sentences).
func classify(
  _ texts: [String], model: BertForSequenceClassification, tokenizer: BertTokenizer, maxLength: Int
)
  -> [[Double]]
{
  texts.map { text in
    let ids = tokenizer.encode(text, maxLength: maxLength).ids
    return softmax(model.predict(BertInput(inputIds: [ids])).logits.scalars)
  }
}

// MARK: - Over seeds

/// The mean, the smallest, the largest and the sample standard deviation of some values.
struct SeedSummary: Sendable, Equatable {
  /// The values, one per seed.
  let values: [Double]

  /// The arithmetic mean.
  var mean: Double { values.reduce(0, +) / Double(max(values.count, 1)) }
  /// The smallest value.
  var minimum: Double { values.min() ?? 0 }
  /// The largest value.
  var maximum: Double { values.max() ?? 0 }
  /// sqrt(sum (x - mean)^2 / (n - 1)); 0 for fewer than two values.
  var standardDeviation: Double {
    guard values.count > 1 else { return 0 }
    let mean = mean
    return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
  }

  /// "0.8650 (0.8400-0.8900, sd 0.0187)".
  var text: String {
    "\(fixed(mean)) (\(fixed(minimum))-\(fixed(maximum)), sd \(fixed(standardDeviation)))"
  }
}

/// The seed summaries of one recipe (one initialisation, frozen or not).
struct RecipeComparison: Sendable, Equatable {
  /// Where the weights started.
  let initialization: Initialization
  /// Whether the word embeddings were frozen.
  let freezesWordEmbeddings: Bool
  /// Test accuracy over the seeds.
  let accuracy: SeedSummary
  /// Accuracy on the test sentences with held-out words, over the seeds.
  let heldOutAccuracy: SeedSummary
  /// Accuracy on the test sentences with seen words, over the seeds.
  let seenAccuracy: SeedSummary

  /// "pretrained" or "random", with ", frozen embeddings".
  var name: String {
    FineTuningRecipe(initialization: initialization, freezesWordEmbeddings: freezesWordEmbeddings, seed: 0)
      .name
  }
}

/// The runs grouped by recipe, in the order unfrozen then frozen, pretrained then random; the
/// seeds of a group in run order.
func compareRecipes(_ runs: [FineTuningRun], data: TaskData) -> [RecipeComparison] {
  let heldOut = data.test.map(\.usesHeldOutWord)
  let seen = heldOut.map { !$0 }
  return [false, true].flatMap { freezes in
    Initialization.allCases.compactMap { initialization -> RecipeComparison? in
      let group = runs.filter {
        $0.recipe.initialization == initialization && $0.recipe.freezesWordEmbeddings == freezes
      }
      guard !group.isEmpty else { return nil }
      return RecipeComparison(
        initialization: initialization, freezesWordEmbeddings: freezes,
        accuracy: SeedSummary(values: group.map(\.test.accuracy)),
        heldOutAccuracy: SeedSummary(values: group.map { $0.test.accuracy(where: heldOut) }),
        seenAccuracy: SeedSummary(values: group.map { $0.test.accuracy(where: seen) }))
    }
  }
}
