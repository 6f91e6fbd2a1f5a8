import Foundation
import Testing

@testable import BERT

@Suite("Training: AdamW, schedules and clipping")
struct TrainingOptimizerTests {
  /// The worst |actual - expected| over two arrays.
  func worst(_ actual: [Float], _ expected: [Double]) -> Double {
    zip(actual, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
  }

  @Test("two AdamW steps match the formulas worked by hand")
  func adamWMatchesHandComputation() {
    let w = Parameter(Tensor([1.0, -2.0, 0.5, 0.25]))
    let b = Parameter(Tensor([0.1, -0.1]))
    let optimizer = AdamW(parameters: [("dense.weight", w), ("dense.bias", b)], weightDecay: 0.1)
    let lr = 0.01

    // Step 1: m = 0.1 g, v = 0.001 g^2; after bias correction m^ = g, v^ = g^2, so the
    // step is lr * g / (|g| + eps): nearly lr * sign(g), and exactly 0 where g = 0.
    // The weight (not the bias) first shrinks by 1 - lr * wd = 0.999.
    let g1w: [Double] = [0.1, -0.3, 0, 2]
    let g1b: [Double] = [0.5, -0.05]
    w.gradient = Tensor(g1w.map(Float.init))
    b.gradient = Tensor(g1b.map(Float.init))
    optimizer.step(learningRate: lr)
    let w1: [Double] = [
      1.0 * 0.999 - 0.01 * 0.1 / (0.1 + 1e-8),
      -2.0 * 0.999 + 0.01 * 0.3 / (0.3 + 1e-8),
      0.5 * 0.999,
      0.25 * 0.999 - 0.01 * 2 / (2 + 1e-8),
    ]
    let b1: [Double] = [0.1 - 0.01 * 0.5 / (0.5 + 1e-8), -0.1 + 0.01 * 0.05 / (0.05 + 1e-8)]
    #expect(worst(w.value.scalars, w1) < 1e-7, "step 1 weight: max difference \(worst(w.value.scalars, w1))")
    #expect(worst(b.value.scalars, b1) < 1e-7, "step 1 bias: max difference \(worst(b.value.scalars, b1))")

    // Step 2: m2 = 0.9 m1 + 0.1 g2, v2 = 0.999 v1 + 0.001 g2^2, corrections 1 - 0.9^2 = 0.19
    // and 1 - 0.999^2 = 0.001999.
    let g2w: [Double] = [-0.2, -0.3, 1, 0.5]
    w.gradient = Tensor(g2w.map(Float.init))
    b.gradient = Tensor([0, 0])
    optimizer.step(learningRate: lr)
    var w2: [Double] = []
    for i in 0..<4 {
      let m2 = 0.9 * (0.1 * g1w[i]) + 0.1 * g2w[i]
      let v2 = 0.999 * (0.001 * g1w[i] * g1w[i]) + 0.001 * g2w[i] * g2w[i]
      w2.append(w1[i] * 0.999 - lr / 0.19 * m2 / ((v2 / 0.001999).squareRoot() + 1e-8))
    }
    var b2: [Double] = []
    for i in 0..<2 {
      let m2 = 0.9 * (0.1 * g1b[i])
      let v2 = 0.999 * (0.001 * g1b[i] * g1b[i])
      b2.append(b1[i] - lr / 0.19 * m2 / ((v2 / 0.001999).squareRoot() + 1e-8))
    }
    #expect(worst(w.value.scalars, w2) < 1e-6, "step 2 weight: max difference \(worst(w.value.scalars, w2))")
    #expect(worst(b.value.scalars, b2) < 1e-6, "step 2 bias: max difference \(worst(b.value.scalars, b2))")
    #expect(optimizer.stepCount == 2)
  }

  @Test("biases and LayerNorm weights are not decayed, everything else is")
  func weightDecayRule() {
    let decayed = [
      "bert.embeddings.word_embeddings.weight", "bert.encoder.layer.0.attention.self.query.weight",
      "cls.predictions.transform.dense.weight", "classifier.weight",
    ]
    let exempt = [
      "bert.embeddings.LayerNorm.weight", "bert.encoder.layer.3.output.LayerNorm.bias",
      "bert.encoder.layer.0.attention.self.query.bias", "cls.predictions.bias",
      "cls.predictions.transform.LayerNorm.weight",
    ]
    for name in decayed { #expect(AdamW.isDecayedByDefault(name), "\(name) should be decayed") }
    for name in exempt { #expect(!AdamW.isDecayedByDefault(name), "\(name) should not be decayed") }
  }

  @Test("AdamW updates the weights where they are: no copy of any parameter per step")
  func adamWInPlace() {
    var rng = RandomGenerator(seed: 8)
    let p = Parameter(rng.normalTensor(shape: [1000]))
    let optimizer = AdamW(parameters: [("w", p)], weightDecay: 0.01)
    let storage = p.value.scalars.withUnsafeBufferPointer { $0.baseAddress }
    let start = p.value.scalars.map { $0 }  // new storage: nothing else holds the weights'
    p.gradient = rng.normalTensor(shape: [1000])
    optimizer.step(learningRate: 1e-3)
    #expect(p.value.scalars != start, "the step changed nothing")
    #expect(
      p.value.scalars.withUnsafeBufferPointer { $0.baseAddress } == storage, "the step copied the weights")
  }

  @Test("AdamW gives the same weights with 1 and 2 threads")
  func adamWThreadIndependent() {
    func run() -> [Float] {
      var rng = RandomGenerator(seed: 7)
      let p = Parameter(rng.normalTensor(shape: [300_000]))
      let optimizer = AdamW(parameters: [("w", p)], weightDecay: 0.01)
      for _ in 0..<3 {
        p.gradient = rng.normalTensor(shape: [300_000])
        optimizer.step(learningRate: 1e-3)
      }
      return p.value.scalars
    }
    let saved = Parallel.threadCount
    Parallel.threadCount = 1
    let one = run()
    Parallel.threadCount = 2
    let two = run()
    Parallel.threadCount = saved
    #expect(one == two, "weights differ between 1 and 2 threads")
  }

  @Test("learning rate at chosen steps of each schedule")
  func schedules() {
    func check(_ type: LearningRateSchedulerType, warmup: Int, total: Int, _ expected: [Int: Double]) {
      let schedule = LearningRateSchedule(
        type: type, learningRate: 2e-4, warmupSteps: warmup, totalSteps: total)
      for (step, factor) in expected.sorted(by: { $0.key < $1.key }) {
        let actual = schedule.learningRate(at: step)
        #expect(
          abs(actual - 2e-4 * factor) < 1e-15,
          "\(type) step \(step): \(actual), expected \(2e-4 * factor)")
      }
    }
    // Linear: s / 10 during warmup, then (110 - s) / 100.
    check(
      .linear, warmup: 10, total: 110,
      [0: 0, 1: 0.1, 5: 0.5, 10: 1, 35: 0.75, 60: 0.5, 109: 0.01, 110: 0, 200: 0])
    // Cosine: (1 + cos(pi (s - 10) / 100)) / 2 after warmup; a quarter of the way it is
    // (1 + cos(pi / 4)) / 2 = (1 + sqrt(2) / 2) / 2.
    check(
      .cosine, warmup: 10, total: 110, [5: 0.5, 10: 1, 35: (1 + 2.0.squareRoot() / 2) / 2, 60: 0.5, 110: 0])
    check(.constant, warmup: 10, total: 110, [0: 1, 5: 1, 110: 1])
    check(.constantWithWarmup, warmup: 10, total: 110, [0: 0, 4: 0.4, 10: 1, 100: 1])
    // No warmup: linear starts at the peak.
    check(.linear, warmup: 0, total: 4, [0: 1, 1: 0.75, 2: 0.5, 3: 0.25])
  }

  @Test("warmupRatio gives ceil(ratio * total) steps; warmupSteps wins")
  func warmupRatio() {
    #expect(TrainingArguments(warmupRatio: 0.1).warmupSteps(totalSteps: 95) == 10)
    #expect(TrainingArguments(warmupSteps: 3, warmupRatio: 0.1).warmupSteps(totalSteps: 95) == 3)
  }

  @Test("clipping scales to the global norm and reports the norm before")
  func clipping() {
    // Gradients (3, 4) and (12): global norm sqrt(9 + 16 + 144) = 13.
    let a = Parameter(Tensor([0, 0]))
    let b = Parameter(Tensor([0]))
    a.gradient = Tensor([3, 4])
    b.gradient = Tensor([12])
    let norm = GradientClipping.clip([a, b], maxNorm: 1)
    #expect(abs(norm - 13) < 1e-12, "norm \(norm), expected 13")
    let c = Float(1 / (13 + 1e-6))
    let expected: [Float] = [3 * c, 4 * c, 12 * c]
    let actual = a.gradient.scalars + b.gradient.scalars
    let difference = zip(actual, expected).map { abs($0 - $1) }.max() ?? 1
    #expect(difference < 1e-7, "clipped gradients differ by \(difference)")

    // Below the limit nothing changes.
    a.gradient = Tensor([0.3, 0.4])
    b.gradient = Tensor([0])
    let small = GradientClipping.clip([a, b], maxNorm: 1)
    #expect(abs(small - 0.5) < 1e-7, "norm \(small), expected 0.5")
    #expect(a.gradient.scalars == [0.3, 0.4], "gradients under the limit changed: \(a.gradient.scalars)")
  }
}
