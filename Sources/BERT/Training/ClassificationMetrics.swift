// Classification metrics, with scikit-learn's definitions (what the reference examples use).
//
// With C classes, the confusion matrix M[i][j] counts examples of true class i predicted
// as class j. For a class k:
//
//   precision_k = M[k][k] / sum_i M[i][k]      (0 when nothing was predicted as k)
//   recall_k    = M[k][k] / sum_j M[k][j]      (0 when no example is of class k)
//   F1_k        = 2 precision_k recall_k / (precision_k + recall_k)   (0 when both are 0)
//
//   binary average: the scores of the positive class (class 1 by default)
//   macro average:  the unweighted mean over the C classes
//   accuracy:       sum_k M[k][k] / N

/// Precision, recall and F1 of one averaging.
public struct PrecisionRecallF1: Sendable, Equatable {
  /// The share of predicted positives that are right.
  public var precision: Double
  /// The share of real positives that were found.
  public var recall: Double
  /// The harmonic mean of precision and recall.
  public var f1: Double
}

/// How per-class scores are combined.
public enum MetricAverage: Sendable, Equatable {
  /// The scores of one class (scikit-learn's `average="binary"`, pos_label).
  case binary(positiveLabel: Int = 1)
  /// The unweighted mean over classes (`average="macro"`).
  case macro
}

/// Accuracy, precision, recall, F1 and the confusion matrix of predicted classes.
///
/// ```
/// let predicted = [1, 0, 1, 1]
/// let labels = [1, 0, 0, 1]
/// ClassificationMetrics.accuracy(predictions: predicted, labels: labels)          // 0.75
/// ClassificationMetrics.precisionRecallF1(predictions: predicted, labels: labels) // p 2/3, r 1, f1 0.8
/// ```
public enum ClassificationMetrics {
  /// The share of predictions equal to their label (0 for no examples).
  public static func accuracy(predictions: [Int], labels: [Int]) -> Double {
    precondition(
      predictions.count == labels.count, "accuracy: \(predictions.count) predictions, \(labels.count) labels")
    guard !labels.isEmpty else { return 0 }
    return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
  }

  /// M[true][predicted], C x C; C defaults to one more than the largest class seen.
  public static func confusionMatrix(predictions: [Int], labels: [Int], classCount: Int? = nil) -> [[Int]] {
    precondition(
      predictions.count == labels.count,
      "confusionMatrix: \(predictions.count) predictions, \(labels.count) labels")
    let count = classCount ?? ((predictions + labels).max().map { $0 + 1 } ?? 0)
    var matrix = [[Int]](repeating: [Int](repeating: 0, count: count), count: count)
    for (predicted, label) in zip(predictions, labels) {
      precondition(
        (0..<count).contains(predicted) && (0..<count).contains(label),
        "confusionMatrix: class \(max(predicted, label)) outside 0..<\(count)")
      matrix[label][predicted] += 1
    }
    return matrix
  }

  /// Precision, recall and F1, binary (positive class 1) or macro-averaged.
  public static func precisionRecallF1(
    predictions: [Int], labels: [Int], average: MetricAverage = .binary(), classCount: Int? = nil
  ) -> PrecisionRecallF1 {
    var count = classCount ?? ((predictions + labels).max().map { $0 + 1 } ?? 0)
    if case .binary(let positive) = average { count = max(count, positive + 1) }
    let matrix = confusionMatrix(predictions: predictions, labels: labels, classCount: count)
    switch average {
    case .binary(let positive):
      return scores(matrix, positive)
    case .macro:
      guard count > 0 else { return PrecisionRecallF1(precision: 0, recall: 0, f1: 0) }
      let perClass = (0..<count).map { scores(matrix, $0) }
      let n = Double(count)
      return PrecisionRecallF1(
        precision: perClass.map(\.precision).reduce(0, +) / n,
        recall: perClass.map(\.recall).reduce(0, +) / n,
        f1: perClass.map(\.f1).reduce(0, +) / n)
    }
  }

  /// The scores of class `k` from the confusion matrix (0 where a denominator is 0).
  static func scores(_ matrix: [[Int]], _ k: Int) -> PrecisionRecallF1 {
    let truePositives = Double(matrix[k][k])
    let predicted = Double(matrix.reduce(0) { $0 + $1[k] })
    let actual = Double(matrix[k].reduce(0, +))
    let precision = predicted > 0 ? truePositives / predicted : 0
    let recall = actual > 0 ? truePositives / actual : 0
    let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    return PrecisionRecallF1(precision: precision, recall: recall, f1: f1)
  }

  /// The index of the largest value in each row of a [N, C] tensor (the first on a tie).
  public static func argmax(_ logits: Tensor) -> [Int] {
    precondition(logits.rank == 2, "argmax: expected [N, C] logits, got \(logits.shape)")
    let columns = logits.shape[1]
    return (0..<logits.shape[0]).map { row in
      var best = 0
      for column in 1..<max(columns, 1)
      where logits.scalars[row * columns + column] > logits.scalars[row * columns + best] {
        best = column
      }
      return best
    }
  }
}
