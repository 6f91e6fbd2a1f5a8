import Foundation
import Testing

@testable import TensorCore

@Suite("Ops: GELU, tanh and dropout")
struct ActivationOpsTests {
  @Test("GELU at 0, ±1 and 2 against erf values")
  func geluKnown() {
    // Φ(1) = (1 + erf(1/√2)) / 2 = 0.8413447461, Φ(2) = 0.9772498681.
    let y = gelu(Tensor([0, 1, -1, 2]))
    expectClose(y, [0, 0.841_344_746, -0.158_655_254, 1.954_499_736], tolerance: 1e-6)
    // d/dx x Φ(x) = Φ(x) + x φ(x): 0.5 at 0; 0.8413447 + 0.2419707 at 1.
    let slope = geluBackward(Tensor([1, 1]), input: Tensor([0, 1]))
    expectClose(slope, [0.5, 1.083_315_471], tolerance: 1e-6)
  }

  @Test("tanh and its gradient 1 - tanh^2 at known points")
  func tanhKnown() {
    let y = tanh(Tensor([0, 1, -0.5]))
    expectClose(y, [0, 0.761_594_156, -0.462_117_157], tolerance: 1e-7)
    expectClose(
      tanhBackward(Tensor([2, 2, 2]), output: y), [2, 0.839_948_683, 1.572_896_261], tolerance: 1e-6)
  }

  @Test("GELU and tanh gradients")
  func gradients() {
    var rng = RandomGenerator(seed: 30)
    let x = rng.normalTensor(shape: [4, 6], standardDeviation: 2)
    let weights = rng.normalTensor(shape: [4, 6])
    expectGradients(["x": x], gradients: ["x": geluBackward(weights, input: x)]) {
      GradientCheck.weightedSum(gelu($0["x"]!), weights: weights)
    }
    expectGradients(["x": x], gradients: ["x": tanhBackward(weights, output: tanh(x))]) {
      GradientCheck.weightedSum(tanh($0["x"]!), weights: weights)
    }
  }

  @Test("dropout keeps about 1 - p of the elements, scales them by 1 / (1 - p), and is seeded")
  func dropoutStatistics() {
    let x = Tensor(repeating: 1, shape: [100_000])
    var rng = RandomGenerator(seed: 31)
    let (y, mask) = dropout(x, probability: 0.1, rng: &rng)
    let kept = mask.scalars.count { $0 != 0 }
    // The kept fraction has standard deviation sqrt(0.9 * 0.1 / 100000) ≈ 0.00095; allow 5 of them.
    #expect(abs(Double(kept) / 100_000 - 0.9) < 0.005, "kept fraction \(Double(kept) / 100_000)")
    #expect(mask.scalars.allSatisfy { $0 == 0 || $0 == 1 / Float(0.9) })
    #expect(y == multiply(x, mask))
    #expect(abs(mean(y) - 1) < 0.01, "mean \(mean(y)) should stay near the input's 1")
    var same = RandomGenerator(seed: 31)
    #expect(dropout(x, probability: 0.1, rng: &same).mask == mask)
    #expect(same == rng, "the generator advances by one draw per element")
    var other = RandomGenerator(seed: 32)
    #expect(dropout(x, probability: 0.1, rng: &other).mask != mask)
  }

  @Test("compact dropout: the same draws and output as dropout, the mask in bytes, applied bitwise the same")
  func compactDropoutMatches() {
    var rng = RandomGenerator(seed: 34)
    let x = rng.normalTensor(shape: [37, 129])
    let gradOutput = rng.normalTensor(shape: [37, 129])
    var plain = RandomGenerator(seed: 35)
    var compact = plain
    let (y, mask) = dropout(x, probability: 0.1, rng: &plain)
    let (compactY, compactMask) = compactDropout(x, probability: 0.1, rng: &compact)
    #expect(compact == plain, "both draw one uniform per element")
    #expect(compactY == y)
    #expect(compactMask.tensor == mask)
    #expect(compactMask.kept.count == x.count && compactMask.kept.allSatisfy { $0 == 0 || $0 == 1 })
    #expect(compactMask.apply(to: gradOutput) == dropoutBackward(gradOutput, mask: mask))
    var unchanged = RandomGenerator(seed: 36)
    let before = unchanged
    let (same, ones) = compactDropout(x, probability: 0, rng: &unchanged)
    #expect(same == x && ones.tensor == Tensor(repeating: 1, shape: x.shape) && unchanged == before)
  }

  @Test("dropout with p = 0 returns x and a mask of ones, drawing nothing")
  func noDropout() {
    var rng = RandomGenerator(seed: 33)
    let x = Tensor([1, -2, 3])
    let (y, mask) = dropout(x, probability: 0, rng: &rng)
    #expect(y == x)
    #expect(mask.scalars == [1, 1, 1])
    #expect(rng == RandomGenerator(seed: 33))
  }

  @Test("dropout gradient with the mask the seed gives")
  func dropoutGradient() {
    var rng = RandomGenerator(seed: 34)
    let x = rng.normalTensor(shape: [5, 6])
    let weights = rng.normalTensor(shape: [5, 6])
    let start = rng
    var forward = start
    let (_, mask) = dropout(x, probability: 0.3, rng: &forward)
    expectGradients(["x": x], gradients: ["x": dropoutBackward(weights, mask: mask)]) {
      var replay = start
      return GradientCheck.weightedSum(
        dropout($0["x"]!, probability: 0.3, rng: &replay).output, weights: weights)
    }
  }
}
