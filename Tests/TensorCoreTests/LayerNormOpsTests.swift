import Foundation
import Testing

@testable import TensorCore

@Suite("Ops: layer norm")
struct LayerNormOpsTests {
  @Test("the row [1, 2, 3, 4]: mean 2.5, variance 1.25, then gamma and beta")
  func knownRow() {
    let x = Tensor([1, 2, 3, 4])
    let gamma = Tensor([1, 1, 2, 0.5])
    let beta = Tensor([0, 0, 0, 1])
    let (y, cache) = layerNorm(x, gamma: gamma, beta: beta, eps: 1e-12)
    // (x - 2.5) / sqrt(1.25): ±1.5 and ±0.5 divided by 1.118034.
    let normalized: [Float] = [-1.341_640_8, -0.447_213_6, 0.447_213_6, 1.341_640_8]
    expectClose(cache.normalized, normalized, tolerance: 1e-6)
    expectClose(y, [-1.341_640_8, -0.447_213_6, 0.894_427_2, 1.670_820_4], tolerance: 1e-6)
    #expect(abs(cache.inverseStandardDeviation[0] - 0.894_427_2) < 1e-6)
  }

  @Test("eps is added to the variance: with eps = 1 the row [1, 2, 3, 4] is divided by sqrt(2.25) = 1.5")
  func epsilon() {
    let (y, _) = layerNorm(
      Tensor([1, 2, 3, 4]), gamma: Tensor([1, 1, 1, 1]), beta: Tensor(zeros: [4]), eps: 1)
    expectClose(y, [-1, -1.0 / 3, 1.0 / 3, 1], tolerance: 1e-6)
  }

  @Test("a constant row normalises to zero, leaving beta; a large offset does not cost accuracy")
  func constantAndOffset() {
    let (constant, _) = layerNorm(
      Tensor([7, 7, 7]), gamma: Tensor([1, 2, 3]), beta: Tensor([0.5, -1, 2]), eps: 1e-12)
    expectClose(constant, [0.5, -1, 2], tolerance: 0)
    // Float spacing near 1000 is 6e-5, so the inputs are 1000.1 etc. within that; the two-pass
    // variance keeps the result near the offset-free row (E[x^2] - E[x]^2 would lose it all).
    let (shifted, _) = layerNorm(
      Tensor([1000.1, 1000.2, 1000.3, 1000.4]), gamma: Tensor([1, 1, 1, 1]), beta: Tensor(zeros: [4]),
      eps: 1e-12)
    expectClose(shifted, [-1.341_640_8, -0.447_213_6, 0.447_213_6, 1.341_640_8], tolerance: 2e-3)
  }

  @Test("layer norm gradients for input, gamma and beta on a [B, T, H] input")
  func gradients() {
    var rng = RandomGenerator(seed: 20)
    let x = rng.normalTensor(shape: [2, 3, 8], mean: 0.5, standardDeviation: 2)
    let gamma = rng.normalTensor(shape: [8], mean: 1, standardDeviation: 0.5)
    let beta = rng.normalTensor(shape: [8])
    let weights = rng.normalTensor(shape: [2, 3, 8])
    let (_, cache) = layerNorm(x, gamma: gamma, beta: beta, eps: 1e-12)
    let grads = layerNormBackward(weights, cache: cache, gamma: gamma)
    expectGradients(
      ["x": x, "gamma": gamma, "beta": beta],
      gradients: ["x": grads.gradInput, "gamma": grads.gradGamma, "beta": grads.gradBeta]
    ) {
      GradientCheck.weightedSum(
        layerNorm($0["x"]!, gamma: $0["gamma"]!, beta: $0["beta"]!, eps: 1e-12).output, weights: weights)
    }
  }
}
