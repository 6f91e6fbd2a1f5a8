import Foundation
import Testing

@testable import BERT

@Suite("Training: metrics")
struct TrainingMetricsTests {
  // Ten examples of three classes, counted by hand:
  //   labels      0 0 0 1 1 1 1 2 2 2
  //   predictions 0 0 1 1 1 2 1 2 0 2
  // Confusion (rows true, columns predicted): [[2,1,0],[0,3,1],[1,0,2]].
  let labels = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2]
  let predictions = [0, 0, 1, 1, 1, 2, 1, 2, 0, 2]

  @Test("confusion matrix and accuracy")
  func confusionAndAccuracy() {
    let matrix = ClassificationMetrics.confusionMatrix(predictions: predictions, labels: labels)
    #expect(matrix == [[2, 1, 0], [0, 3, 1], [1, 0, 2]], "confusion matrix \(matrix)")
    let accuracy = ClassificationMetrics.accuracy(predictions: predictions, labels: labels)
    #expect(abs(accuracy - 0.7) < 1e-12, "accuracy \(accuracy), expected 7/10")
  }

  @Test("macro precision, recall and F1")
  func macro() {
    // Per class: precision 2/3, 3/4, 2/3; recall 2/3, 3/4, 2/3; F1 equal to both.
    let scores = ClassificationMetrics.precisionRecallF1(
      predictions: predictions, labels: labels, average: .macro)
    let expected = (2.0 / 3 + 3.0 / 4 + 2.0 / 3) / 3
    #expect(abs(scores.precision - expected) < 1e-12, "precision \(scores.precision), expected \(expected)")
    #expect(abs(scores.recall - expected) < 1e-12, "recall \(scores.recall), expected \(expected)")
    #expect(abs(scores.f1 - expected) < 1e-12, "f1 \(scores.f1), expected \(expected)")
  }

  @Test("binary precision, recall and F1 of class 1")
  func binary() {
    // labels 1 1 0 1 0 0, predictions 1 0 1 1 0 0: TP 2, FP 1, FN 1.
    let scores = ClassificationMetrics.precisionRecallF1(
      predictions: [1, 0, 1, 1, 0, 0], labels: [1, 1, 0, 1, 0, 0])
    #expect(abs(scores.precision - 2.0 / 3) < 1e-12, "precision \(scores.precision)")
    #expect(abs(scores.recall - 2.0 / 3) < 1e-12, "recall \(scores.recall)")
    #expect(abs(scores.f1 - 2.0 / 3) < 1e-12, "f1 \(scores.f1)")
    // Nothing predicted positive: precision and F1 are 0, not NaN (scikit-learn's zero_division=0).
    let none = ClassificationMetrics.precisionRecallF1(predictions: [0, 0], labels: [1, 0])
    #expect(none.precision == 0 && none.recall == 0 && none.f1 == 0, "\(none)")
  }

  @Test("argmax and EvalPrediction accuracy")
  func argmax() {
    let logits = Tensor(rows: [[0.1, 2, -1], [3, 3, 0], [-5, -4, -3]])
    #expect(ClassificationMetrics.argmax(logits) == [1, 0, 2])
    let prediction = EvalPrediction(predictions: logits, labelIDs: [1, 1, 2])
    #expect(abs(prediction.accuracy - 2.0 / 3) < 1e-12, "accuracy \(prediction.accuracy)")
  }

  @Test("SQuAD normalisation, exact match and token F1")
  func spans() {
    #expect(SpanMetrics.normalize("  The Eiffel-Tower, in PARIS!  ") == "eiffeltower in paris")
    #expect(SpanMetrics.normalize("an apple a day") == "apple day")
    #expect(SpanMetrics.exactMatch(prediction: "the Eiffel Tower.", groundTruths: ["Eiffel Tower"]) == 1)
    #expect(SpanMetrics.exactMatch(prediction: "Eiffel", groundTruths: ["Eiffel Tower"]) == 0)
    // "in eiffel tower" vs "eiffel tower": 2 shared tokens, P = 2/3, R = 1, F1 = 0.8.
    let f1 = SpanMetrics.f1(prediction: "in the Eiffel Tower", groundTruths: ["Eiffel Tower"])
    #expect(abs(f1 - 0.8) < 1e-12, "f1 \(f1), expected 0.8")
    // The best reference counts; repeated tokens count once per occurrence.
    let best = SpanMetrics.f1(prediction: "paris paris", groundTruths: ["london", "paris"])
    #expect(abs(best - 2.0 / 3) < 1e-12, "f1 \(best): P = 1/2, R = 1, F1 = 2/3")
    #expect(SpanMetrics.f1(prediction: "the", groundTruths: ["a"]) == 1, "both normalise to empty")
    #expect(SpanMetrics.f1(prediction: "x", groundTruths: ["the"]) == 0)
  }
}
