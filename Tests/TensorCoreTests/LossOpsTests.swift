import Foundation
import Testing

@testable import TensorCore

@Suite("Ops: embedding lookup and losses")
struct LossOpsTests {
  @Test("embedding lookup copies rows; its backward adds the rows of repeated ids")
  func embeddingKnown() {
    let table = Tensor(rows: [[0, 0.5], [1, 1.5], [2, 2.5]])
    let ids = [2, 0, 2]
    expectClose(embeddingLookup(table, ids: ids), [2, 2.5, 0, 0.5, 2, 2.5], tolerance: 0)
    let gradient = Tensor(rows: [[1, 10], [2, 20], [3, 30]])
    let gradTable = embeddingBackward(gradient, ids: ids, vocabularySize: 3)
    // Row 2 collects rows 0 and 2 of the gradient; row 1 was never looked up.
    expectClose(gradTable, [2, 20, 0, 0, 4, 40], tolerance: 0)
    let batched = embeddingBackward(gradient.reshaped([1, 3, 2]), ids: ids, vocabularySize: 3)
    #expect(batched == gradTable)
    // Accumulating into an existing gradient adds to what is there.
    var accumulated = Tensor(repeating: 1, shape: [3, 2])
    embeddingBackward(gradient, ids: ids, accumulatingInto: &accumulated)
    expectClose(accumulated, [3, 21, 1, 1, 5, 41], tolerance: 0)
  }

  @Test("embedding gradient")
  func embeddingGradient() {
    var rng = RandomGenerator(seed: 40)
    let table = rng.normalTensor(shape: [6, 4])
    let ids = [1, 3, 1, 5, 0, 1]
    let weights = rng.normalTensor(shape: [6, 4])
    expectGradients(
      ["table": table], gradients: ["table": embeddingBackward(weights, ids: ids, vocabularySize: 6)]
    ) {
      GradientCheck.weightedSum(embeddingLookup($0["table"]!, ids: ids), weights: weights)
    }
  }

  @Test("cross-entropy: -ln 0.8 and -ln 0.2 averaged over the counted rows, ignored rows left out")
  func crossEntropyKnown() {
    // Row 0 gives its label probability 4/5 = 0.8, row 1 gives 1/5 = 0.2, row 2 is ignored.
    let logits = Tensor(rows: [[log(4), 0], [0, log(4)], [5, 5]])
    let (loss, cache) = crossEntropy(logits, labels: [0, 0, -100])
    let expected = (-log(0.8) - log(0.2)) / 2
    #expect(abs(Double(loss) - expected) < 1e-6, "loss \(loss), expected \(expected)")
    #expect(cache.countedRows == 2)
    // (p - onehot) / 2 on counted rows, zero on the ignored row.
    expectClose(crossEntropyBackward(cache), [-0.1, 0.1, -0.4, 0.4, 0, 0], tolerance: 1e-6)
    expectClose(crossEntropyBackward(cache, gradLoss: 2), [-0.2, 0.2, -0.8, 0.8, 0, 0], tolerance: 1e-6)
  }

  @Test("cross-entropy with every row ignored is 0 with a zero gradient; huge logits stay finite")
  func crossEntropyEdges() {
    let (loss, cache) = crossEntropy(Tensor(rows: [[1, 2], [3, 4]]), labels: [-100, -100])
    #expect(loss == 0 && cache.countedRows == 0)
    #expect(crossEntropyBackward(cache).scalars == [0, 0, 0, 0])
    let (large, _) = crossEntropy(Tensor(rows: [[1000, 0]]), labels: [1])
    #expect(abs(large - 1000) < 1e-3, "loss \(large)")
    let (custom, _) = crossEntropy(Tensor(rows: [[log(4), 0], [1, 2]]), labels: [0, 7], ignoreIndex: 7)
    #expect(abs(Double(custom) + log(0.8)) < 1e-6, "loss \(custom)")
  }

  @Test("cross-entropy gradient, with an ignored row and a gradLoss factor")
  func crossEntropyGradient() {
    var rng = RandomGenerator(seed: 41)
    let logits = rng.normalTensor(shape: [2, 2, 6])
    let labels = [2, -100, 5, 0]
    let (_, cache) = crossEntropy(logits, labels: labels)
    expectGradients(["logits": logits], gradients: ["logits": crossEntropyBackward(cache, gradLoss: 3)]) {
      3 * Double(crossEntropy($0["logits"]!, labels: labels).loss)
    }
  }

  @Test("cross-entropy keeps the logits, not a copy: its probabilities are softmax, its gradient p - onehot")
  func crossEntropyCacheKeepsLogits() {
    var rng = RandomGenerator(seed: 42)
    let logits = rng.normalTensor(shape: [5, 300], standardDeviation: 3)
    let labels = [7, -100, 299, 0, 150]
    let (_, cache) = crossEntropy(logits, labels: labels)
    #expect(cache.logits == logits)
    #expect(cache.probabilities == softmax(logits))
    // (p - 1[v == label]) / 4 on the counted rows, 0 on the ignored one, from softmax itself.
    let p = softmax(logits).scalars
    var expected = [Float](repeating: 0, count: p.count)
    for (row, label) in labels.enumerated() where label >= 0 {
      for v in 0..<300 { expected[row * 300 + v] = p[row * 300 + v] * 0.25 }
      expected[row * 300 + label] = (p[row * 300 + label] - 1) * 0.25
    }
    #expect(crossEntropyBackward(cache).scalars == expected)
  }

  @Test("cross-entropy with its gradient in one pass: the loss and gradient of the two apart, bitwise")
  func crossEntropyWithGradientMatches() {
    var rng = RandomGenerator(seed: 43)
    let logits = rng.normalTensor(shape: [6, 1000], standardDeviation: 4)
    for (labels, ignoreIndex) in [
      ([3, -100, 999, 0, 500, -100], -100), ([1, 2, 0, 0, 2, 1], 2), ([7, 7, 7, 7, 7, 7], 7),
    ] {
      let (loss, cache) = crossEntropy(logits, labels: labels, ignoreIndex: ignoreIndex)
      let both = crossEntropyWithGradient(logits, labels: labels, ignoreIndex: ignoreIndex, gradLoss: 0.5)
      #expect(both.loss == loss)
      #expect(both.gradient == crossEntropyBackward(cache, gradLoss: 0.5))
    }
  }

  @Test("an ignoreIndex that is also a class: its rows count in neither the loss nor the gradient")
  func ignoreIndexInsideTheClasses() {
    var rng = RandomGenerator(seed: 44)
    let logits = rng.normalTensor(shape: [4, 3])
    let labels = [2, 0, 1, 0]
    let (loss, cache) = crossEntropy(logits, labels: labels, ignoreIndex: 0)
    let gradient = crossEntropyBackward(cache)
    #expect(gradient.scalars[3..<6].allSatisfy { $0 == 0 } && gradient.scalars[9..<12].allSatisfy { $0 == 0 })
    expectGradients(["logits": logits], gradients: ["logits": gradient]) {
      Double(crossEntropy($0["logits"]!, labels: labels, ignoreIndex: 0).loss)
    }
    let both = crossEntropyWithGradient(logits, labels: labels, ignoreIndex: 0)
    #expect(both.loss == loss && both.gradient == gradient)
  }

  @Test("mean squared error by hand and its gradient")
  func meanSquaredErrorKnown() {
    // Differences [0, 2, -2]: loss 8 / 3, gradient 2 * difference / 3.
    let (loss, gradient) = meanSquaredError(
      Tensor(shape: [3, 1], scalars: [1, 2, 3]), targets: Tensor([1, 0, 5]))
    #expect(abs(loss - 8.0 / 3) < 1e-6, "loss \(loss)")
    expectClose(gradient, [0, 4.0 / 3, -4.0 / 3], tolerance: 1e-6)
    #expect(gradient.shape == [3, 1])
    var rng = RandomGenerator(seed: 42)
    let predictions = rng.normalTensor(shape: [5])
    let targets = rng.normalTensor(shape: [5])
    expectGradients(
      ["predictions": predictions],
      gradients: ["predictions": meanSquaredError(predictions, targets: targets).gradPredictions]
    ) {
      Double(meanSquaredError($0["predictions"]!, targets: targets).loss)
    }
  }
}
