import Foundation
import Testing

@testable import BERT

// Finite-difference checks of every backward pass of the model and its heads.
//
// Each test builds a head on the tiny configuration, redraws its parameters at a scale
// where every term matters (see `randomizeForGradientCheck`), runs one `.evaluation` forward
// pass (dropout off, caches kept) on a batch with padding, calls the head's loss backward,
// and compares the gradient of every parameter tensor with central differences of the same
// loss recomputed in Double from its definition (so the Float loss the model reports is
// not part of the numeric side). See `checkModelGradients` for the two comparisons, element
// by element and along random directions, and why Float32 allows each tolerance.
//
// A wrong backward pass (a missing residual, a transposed weight, a forgotten mask or
// gamma) shows errors of order 0.1 to 1, far above both tolerances.

@Suite("Model gradients on the tiny configuration")
struct ModelGradientTests {
  /// Element by element (see `checkModelGradients` for why Float32 allows no less); the
  /// worst errors seen are about 5e-3.
  static let elementwiseTolerance = 1e-2
  /// Along random directions; the worst errors seen are below 1e-3.
  static let directionalTolerance = 2e-3

  /// Masked-LM targets for `paddedBatch()` ([B * T]): a few positions, none on padding.
  static let maskedLMLabels = [-100, 17, -100, 33, -100, -100, 3, -100, -100, 11, 46, -100, -100, -100]

  /// Expects the check to pass and every tensor to receive a gradient.
  ///
  /// The attention key biases are the exception: their gradient is zero in exact arithmetic
  /// (the softmax ignores a shift common to all keys), so only rounding remains.
  func expectClean(_ result: ModelGradientCheck, _ label: String) {
    #expect(
      result.elementwise.passes(tolerance: Self.elementwiseTolerance), "\(label): \(result.elementwise)")
    #expect(
      result.directional.passes(tolerance: Self.directionalTolerance), "\(label): \(result.directional)")
    let unexpected = result.zeroGradientTensors.filter { !$0.hasSuffix("attention.self.key.bias") }
    #expect(unexpected.isEmpty, "\(label): tensors with an all-zero gradient: \(unexpected)")
  }

  @Test(
    "BertForMaskedLM: decoder at every position and at the labelled ones",
    arguments: [
      MaskedLMPositions.all, .labelled,
    ])
  func maskedLM(positions: MaskedLMPositions) {
    var rng = RandomGenerator(seed: 11)
    let model = BertForMaskedLM(config: tinyConfig(), rng: &rng)
    let (input, labels) = (paddedBatch(), Self.maskedLMLabels)
    let result = checkModelGradients(
      model,
      forwardAndBackward: {
        let (_, cache) = model.forward(
          input, labels: labels, positions: positions, mode: .evaluation, rng: &rng)
        if let cache { model.backward(cache: cache) }
      },
      loss: {
        let output = model.forward(input, labels: labels, positions: positions, mode: .evaluation, rng: &rng)
          .output
        let rowLabels = output.predictedRows.map { $0.map { labels[$0] } } ?? labels
        return referenceCrossEntropy(output.logits, labels: rowLabels)
      })
    expectClean(result, "BertForMaskedLM \(positions)")
  }

  @Test("BertForPreTraining: loss = masked LM + next sentence")
  func preTraining() {
    var rng = RandomGenerator(seed: 12)
    let model = BertForPreTraining(config: tinyConfig(), rng: &rng)
    let (input, labels, nextSentence) = (paddedBatch(), Self.maskedLMLabels, [0, 1])
    let result = checkModelGradients(
      model,
      forwardAndBackward: {
        let (_, cache) = model.forward(
          input, labels: labels, nextSentenceLabels: nextSentence, positions: .labelled, mode: .evaluation,
          rng: &rng)
        if let cache { model.backward(cache: cache) }
      },
      loss: {
        let output = model.forward(input, mode: .evaluation, rng: &rng).output
        return referenceCrossEntropy(output.predictionLogits, labels: labels)
          + referenceCrossEntropy(output.seqRelationshipLogits, labels: nextSentence)
      })
    expectClean(result, "BertForPreTraining")
  }

  @Test("BertForNextSentencePrediction")
  func nextSentencePrediction() {
    var rng = RandomGenerator(seed: 13)
    let model = BertForNextSentencePrediction(config: tinyConfig(), rng: &rng)
    let (input, labels) = (paddedBatch(), [1, 0])
    let result = checkModelGradients(
      model,
      forwardAndBackward: {
        let (_, cache) = model.forward(input, labels: labels, mode: .evaluation, rng: &rng)
        if let cache { model.backward(cache: cache) }
      },
      loss: {
        referenceCrossEntropy(
          model.forward(input, mode: .evaluation, rng: &rng).output.logits, labels: labels)
      })
    expectClean(result, "BertForNextSentencePrediction")
  }

  @Test(
    "BertForSequenceClassification: single-label, regression and multi-label losses",
    arguments: [
      (3, SequenceClassificationLabels.classes([2, 0])),
      (1, .targets([0.7, -1.2])),
      (3, .targets([1, 0, 1, 0, 0, 1])),
    ])
  func sequenceClassification(numLabels: Int, labels: SequenceClassificationLabels) {
    var rng = RandomGenerator(seed: 14)
    let model = BertForSequenceClassification(config: tinyConfig(numLabels: numLabels), rng: &rng)
    let input = paddedBatch()
    let result = checkModelGradients(
      model,
      forwardAndBackward: {
        let (_, cache) = model.forward(input, labels: labels, mode: .evaluation, rng: &rng)
        if let cache { model.backward(cache: cache) }
      },
      loss: {
        let logits = model.forward(input, mode: .evaluation, rng: &rng).output.logits
        switch labels {
        case .classes(let classes): return referenceCrossEntropy(logits, labels: classes)
        case .targets(let targets) where numLabels == 1:
          return referenceMeanSquaredError(logits, targets: targets)
        case .targets(let targets): return referenceBinaryCrossEntropy(logits, targets: targets)
        }
      })
    expectClean(result, "BertForSequenceClassification \(numLabels) \(labels)")
  }

  @Test("BertForTokenClassification: padding and -100 labels ignored")
  func tokenClassification() {
    var rng = RandomGenerator(seed: 15)
    let model = BertForTokenClassification(config: tinyConfig(numLabels: 4), rng: &rng)
    let input = paddedBatch()
    let labels = [-100, 1, 3, 0, 2, 2, -100, -100, 0, 1, 3, -100, -100, -100]
    let result = checkModelGradients(
      model,
      forwardAndBackward: {
        let (_, cache) = model.forward(input, labels: labels, mode: .evaluation, rng: &rng)
        if let cache { model.backward(cache: cache) }
      },
      loss: {
        referenceCrossEntropy(
          model.forward(input, mode: .evaluation, rng: &rng).output.logits, labels: labels)
      })
    expectClean(result, "BertForTokenClassification")
  }

  @Test("BertForQuestionAnswering: mean of start and end losses, out-of-range positions ignored")
  func questionAnswering() {
    var rng = RandomGenerator(seed: 16)
    let model = BertForQuestionAnswering(config: tinyConfig(), rng: &rng)
    let input = paddedBatch()
    // The second example's end lies past the sequence: clamped to T = 7 and ignored.
    let (starts, ends) = ([2, 1], [4, 9])
    let result = checkModelGradients(
      model,
      forwardAndBackward: {
        let (_, cache) = model.forward(
          input, startPositions: starts, endPositions: ends, mode: .evaluation, rng: &rng)
        if let cache { model.backward(cache: cache) }
      },
      loss: {
        let output = model.forward(input, mode: .evaluation, rng: &rng).output
        let start = referenceCrossEntropy(output.startLogits, labels: starts)
        let end = referenceCrossEntropy(output.endLogits, labels: [4, -100])
        return (start + end) / 2
      })
    expectClean(result, "BertForQuestionAnswering")
  }
}
