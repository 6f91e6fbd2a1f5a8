import Foundation
import Testing

@testable import TensorCore

@Suite("GradientCheck")
struct GradientCheckTests {
  /// L = sum of w * x^3, whose gradient is 3 w x^2.
  let x = Tensor(rows: [[0.5, -1.2, 2], [1.5, -0.3, 0.8]])
  let w = Tensor(rows: [[1, -2, 0.5], [0.25, 3, -1]])
  func cubeLoss(_ inputs: [String: Tensor]) -> Double {
    GradientCheck.weightedSum(multiply(multiply(inputs["x"]!, inputs["x"]!), inputs["x"]!), weights: w)
  }
  var cubeGradient: Tensor {
    multiply(scale(multiply(x, x), by: 3), w)
  }

  @Test("a correct gradient passes well inside the tolerance")
  func correctPasses() {
    let report = GradientCheck.check(inputs: ["x": x], loss: cubeLoss, gradients: ["x": cubeGradient])
    #expect(report.checkedCount == 6)
    // The truncation error of central differences is h^2/6 * 6w = w h^2 here, 1e-4 relative at most.
    #expect(report.worstRelativeError < 1e-3, "\(report)")
  }

  @Test("a wrong element is found: the report names its tensor and index")
  func wrongElementFound() {
    var wrong = cubeGradient
    wrong[1, 2] *= 1.1
    let report = GradientCheck.check(
      inputs: ["x": x, "other": Tensor([1])], loss: cubeLoss, gradients: ["x": wrong, "other": Tensor([0])])
    #expect(!report.passes(), "\(report)")
    #expect(report.worstTensor == "x" && report.worstIndex == [1, 2], "\(report)")
    // 10% too large: |1.1a - a| / (1.1|a| + |a|) = 0.1 / 2.1.
    #expect(abs(report.worstRelativeError - 0.1 / 2.1) < 1e-3, "\(report)")
    #expect(report.description.contains("x[1, 2]"), "\(report)")
  }

  @Test("a sign error reads as relative error 1")
  func signError() {
    let report = GradientCheck.check(
      inputs: ["x": x], loss: cubeLoss, gradients: ["x": scale(cubeGradient, by: -1)])
    #expect(abs(report.worstRelativeError - 1) < 1e-6, "\(report)")
  }

  @Test("large inputs are checked at a seeded sample of distinct elements")
  func sampling() {
    var rng = RandomGenerator(seed: 50)
    let big = rng.normalTensor(shape: [100, 100])
    let weights = rng.normalTensor(shape: [100, 100])
    func check(seed: UInt64) -> GradientCheckReport {
      GradientCheck.check(
        inputs: ["big": big], loss: { GradientCheck.weightedSum(tanh($0["big"]!), weights: weights) },
        gradients: ["big": tanhBackward(weights, output: tanh(big))], sampleCount: 40, seed: seed)
    }
    let first = check(seed: 1)
    #expect(first.checkedCount == 40)
    #expect(first.passes(), "\(first)")
    let again = check(seed: 1)
    #expect(first.worstIndex == again.worstIndex && first.worstRelativeError == again.worstRelativeError)
    var sampler = RandomGenerator(seed: 3)
    let indices = GradientCheck.sampledIndices(count: 1000, sampleCount: 100, rng: &sampler)
    #expect(Set(indices).count == 100 && indices == indices.sorted() && indices.allSatisfy { $0 < 1000 })
    #expect(GradientCheck.sampledIndices(count: 5, sampleCount: 100, rng: &sampler) == [0, 1, 2, 3, 4])
  }

  @Test("the floor turns the relative error into an absolute one near zero")
  func relativeErrorFloor() {
    #expect(GradientCheck.relativeError(analytic: 0, numeric: 0) == 0)
    #expect(abs(GradientCheck.relativeError(analytic: 0, numeric: 2e-6, floor: 1e-3) - 2e-3) < 1e-12)
    #expect(abs(GradientCheck.relativeError(analytic: 1, numeric: 1.02) - 0.02 / 2.02) < 1e-12)
  }

  @Test("multiIndex inverts the row-major offset")
  func multiIndex() {
    #expect(GradientCheck.multiIndex(0, shape: [2, 3, 4]) == [0, 0, 0])
    #expect(GradientCheck.multiIndex(23, shape: [2, 3, 4]) == [1, 2, 3])
    #expect(GradientCheck.multiIndex(13, shape: [2, 3, 4]) == [1, 0, 1])
  }
}
