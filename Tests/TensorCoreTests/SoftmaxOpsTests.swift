import Foundation
import Testing

@testable import TensorCore

@Suite("Ops: softmax and attention")
struct SoftmaxOpsTests {
  @Test("softmax of [1, 2, 3], and of the same row shifted by 1000")
  func knownSoftmax() {
    // e^k / (e + e^2 + e^3) for k = 1, 2, 3.
    let expected: [Float] = [0.090_030_573, 0.244_728_471, 0.665_240_956]
    expectClose(softmax(Tensor([1, 2, 3])), expected, tolerance: 1e-7)
    // Without subtracting the row maximum, e^1000 would overflow to infinity.
    expectClose(
      softmax(Tensor(rows: [[1000, 1001, 1002], [-3, -2, -1]])), expected + expected, tolerance: 1e-7)
  }

  @Test("a row of -infinity (nothing to attend to) gives zeros, not NaN")
  func allMasked() {
    let y = softmax(Tensor([-Float.infinity, -Float.infinity]))
    #expect(y.scalars == [0, 0])
  }

  @Test("masked softmax gives padded keys zero weight, per batch item, for every head and query")
  func maskedKnown() {
    // B = 2, A = 2, Tq = 1, Tk = 4.
    let scores = Tensor(shape: [2, 2, 1, 4], scalars: [1, 2, 3, 4, 0, 0, 0, 0, 5, 1, 2, 3, 0, 0, 0, 0])
    let mask = additiveAttentionMask(Tensor(rows: [[1, 1, 0, 1], [1, 0, 0, 0]]))
    let y = maskedSoftmax(scores, additiveMask: mask)
    // Batch 0, head 0: softmax over keys 0, 1, 3 of scores 1, 2, 4; key 2 is padding.
    let total = exp(Float(-3)) + exp(Float(-2)) + 1
    let head0: [Float] = [exp(-3) / total, exp(-2) / total, 0, 1 / total]
    let head1: [Float] = [1.0 / 3, 1.0 / 3, 0, 1.0 / 3]
    // Batch 1: only key 0 is real, so it takes all the weight whatever the scores.
    let onlyFirst: [Float] = [1, 0, 0, 0]
    expectClose(y, head0 + head1 + onlyFirst + onlyFirst, tolerance: 1e-6)
    #expect(y[0, 0, 0, 2] == 0 && y[1, 1, 0, 3] == 0, "padded keys must get exactly zero weight")
    #expect(maskedSoftmax(scores, additiveMask: nil) == softmax(scores))
  }

  @Test("additiveAttentionMask maps 1 to 0 and 0 to the most negative Float")
  func additiveMask() {
    let mask = additiveAttentionMask(Tensor(rows: [[1, 0]]))
    #expect(mask.scalars == [0, -Float.greatestFiniteMagnitude])
  }

  @Test("softmax gradient")
  func softmaxGradient() {
    var rng = RandomGenerator(seed: 10)
    let x = rng.normalTensor(shape: [3, 7], standardDeviation: 2)
    let weights = rng.normalTensor(shape: [3, 7])
    expectGradients(["x": x], gradients: ["x": softmaxBackward(weights, output: softmax(x))]) {
      GradientCheck.weightedSum(softmax($0["x"]!), weights: weights)
    }
  }

  @Test("masked softmax gradient through softmaxBackward, zero on padded keys")
  func maskedGradient() {
    var rng = RandomGenerator(seed: 11)
    let scores = rng.normalTensor(shape: [2, 3, 4, 5])
    let mask = additiveAttentionMask(Tensor(rows: [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]))
    let weights = rng.normalTensor(shape: [2, 3, 4, 5])
    let gradient = softmaxBackward(weights, output: maskedSoftmax(scores, additiveMask: mask))
    expectGradients(["scores": scores], gradients: ["scores": gradient]) {
      GradientCheck.weightedSum(maskedSoftmax($0["scores"]!, additiveMask: mask), weights: weights)
    }
    #expect(gradient[0, 2, 1, 3] == 0 && gradient[0, 0, 3, 4] == 0)
  }

  @Test("splitHeads moves head a's columns a*D..<(a+1)*D into their own [T, D] block")
  func splitKnown() {
    // B = 1, T = 2, A = 2, D = 2: token 0 is [0, 1 | 2, 3], token 1 is [4, 5 | 6, 7].
    let x = Tensor(shape: [1, 2, 4], scalars: [0, 1, 2, 3, 4, 5, 6, 7])
    let heads = splitHeads(x, headCount: 2)
    #expect(heads.shape == [1, 2, 2, 2])
    #expect(heads.scalars == [0, 1, 4, 5, 2, 3, 6, 7])
    #expect(mergeHeads(heads) == x)
  }

  @Test("mergeHeads undoes splitHeads on a random [B, T, H]")
  func roundTrip() {
    var rng = RandomGenerator(seed: 12)
    let x = rng.normalTensor(shape: [2, 5, 12])
    #expect(mergeHeads(splitHeads(x, headCount: 3)) == x)
    let heads = rng.normalTensor(shape: [2, 4, 3, 2])
    #expect(splitHeads(mergeHeads(heads), headCount: 4) == heads)
  }

  @Test("splitHeads and mergeHeads gradients are each other")
  func headGradients() {
    var rng = RandomGenerator(seed: 13)
    let x = rng.normalTensor(shape: [2, 3, 6])
    let headWeights = rng.normalTensor(shape: [2, 3, 3, 2])
    expectGradients(["x": x], gradients: ["x": mergeHeads(headWeights)]) {
      GradientCheck.weightedSum(splitHeads($0["x"]!, headCount: 3), weights: headWeights)
    }
    let heads = rng.normalTensor(shape: [2, 3, 3, 2])
    let mergedWeights = rng.normalTensor(shape: [2, 3, 6])
    expectGradients(["heads": heads], gradients: ["heads": splitHeads(mergedWeights, headCount: 3)]) {
      GradientCheck.weightedSum(mergeHeads($0["heads"]!), weights: mergedWeights)
    }
  }
}
