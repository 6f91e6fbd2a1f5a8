import CKernels
import Foundation
import Testing

@testable import TensorCore

// The vectorised exp, erf, GELU and softmax rows (Sources/CKernels/vector_math.c) against the
// plain versions beside them and against Foundation's libm, in Double.

@Suite("Ops: vectorised exp, erf, GELU and softmax against the plain versions")
struct VectorMathTests {
  /// `count` values evenly spaced over `range`, ends included.
  func grid(_ range: ClosedRange<Float>, count: Int) -> [Float] {
    (0..<count).map {
      range.lowerBound + (range.upperBound - range.lowerBound) * Float($0) / Float(count - 1)
    }
  }

  /// The C kernel `kernel` applied to `x`.
  func apply(
    _ x: [Float], _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
  ) -> [Float] {
    var y = [Float](repeating: 0, count: x.count)
    x.withUnsafeBufferPointer { input in
      y.withUnsafeMutableBufferPointer { output in
        if let source = input.baseAddress, let target = output.baseAddress { kernel(source, target, x.count) }
      }
    }
    return y
  }

  @Test("exp within 2 ulp on [-87, 88], exactly 0 below -87.34, 1 at 0")
  func exp() {
    let x = grid(-87.3...88, count: 200_001)
    let y = apply(x) { bn_vec_exp($0, $1, $2) }
    var worst: Double = 0
    for (value, result) in zip(x, y) {
      let exact = Foundation.exp(Double(value))
      let ulp = Double(Float(exact).ulp)
      worst = max(worst, abs(Double(result) - exact) / ulp)
    }
    print("vectorised exp: worst error \(worst) ulp")
    #expect(worst <= 2, "worst error \(worst) ulp")
    #expect(apply([0, -87.4, -1000, -.infinity]) { bn_vec_exp($0, $1, $2) } == [1, 0, 0, 0])
  }

  @Test("erf within 3.5e-7 absolute, odd, and 1 far out")
  func erf() {
    let x = grid(-6...6, count: 120_001)
    let y = apply(x) { bn_vec_erf($0, $1, $2) }
    let worst = zip(x, y).map { abs(Double($1) - Foundation.erf(Double($0))) }.max() ?? .infinity
    print("vectorised erf: worst absolute error \(worst)")
    #expect(worst <= 3.5e-7, "worst error \(worst)")
    let negated = apply(x.map { -$0 }) { bn_vec_erf($0, $1, $2) }
    #expect(zip(y, negated).allSatisfy { $0 == -$1 }, "erf(-x) must be -erf(x)")
    #expect(apply([10, -10]) { bn_vec_erf($0, $1, $2) } == [1, -1])
  }

  @Test("gelu and its backward match the plain versions and the exact values in Double")
  func gelu() {
    var rng = RandomGenerator(seed: 3)
    let x = rng.normalTensor(shape: [64, 513], mean: 0, standardDeviation: 3)
    let g = rng.normalTensor(shape: [64, 513])
    let fast = TensorCore.gelu(x)
    let plain = geluReference(x)
    let exact = x.scalars.map { Double($0) * 0.5 * (1 + Foundation.erf(Double($0) / 2.0.squareRoot())) }
    let worstFast = zip(fast.scalars, exact).map { abs(Double($0) - $1) }.max() ?? .infinity
    let worstPlain = zip(plain.scalars, exact).map { abs(Double($0) - $1) }.max() ?? .infinity
    print("gelu: worst error fast \(worstFast), plain \(worstPlain)")
    #expect(worstFast <= 5e-7, "fast gelu: worst error \(worstFast)")
    let backward = geluBackward(g, input: x)
    let backwardPlain = geluBackwardReference(g, input: x)
    let difference = backward.maxAbsDifference(backwardPlain)
    #expect(difference <= 2e-6, "geluBackward: max difference \(difference) from the plain version")
    #expect(fast.shape == x.shape && backward.shape == x.shape)
  }

  @Test("softmax rows match the plain version; padded keys still get exactly 0")
  func softmaxRows() {
    var rng = RandomGenerator(seed: 4)
    for length in [1, 7, 16, 33, 128, 30_522] {
      var x = rng.normalTensor(shape: [3, length], mean: 0, standardDeviation: 4)
      x.scalars[length / 2] = -.greatestFiniteMagnitude
      let fast = softmax(x)
      var plain = x
      var sums: [(Double, Double)] = []
      plain.scalars.withUnsafeMutableBufferPointer { v in
        var copy = x.scalars
        copy.withUnsafeMutableBufferPointer { w in
          for r in 0..<3 {
            let row = (r * length)..<((r + 1) * length)
            sums.append(
              (
                softmaxRowInPlaceReference(v, row).sumOfExponentials,
                softmaxRowInPlace(w, row).sumOfExponentials
              ))
          }
        }
      }
      let difference = fast.maxAbsDifference(plain)
      #expect(difference <= 1e-7, "length \(length): max difference \(difference)")
      #expect(sums.allSatisfy { abs($0.0 - $0.1) <= 1e-6 * $0.0 }, "length \(length): sums \(sums)")
      #expect(length == 1 || fast.scalars[length / 2] == 0)
    }
  }

  @Test("layerNorm matches the plain version, output and cache")
  func layerNormRows() {
    var rng = RandomGenerator(seed: 6)
    for length in [1, 5, 16, 384, 769] {
      let x = rng.normalTensor(shape: [7, length], mean: 3, standardDeviation: 2)
      let gamma = rng.normalTensor(shape: [length], mean: 1, standardDeviation: 0.2)
      let beta = rng.normalTensor(shape: [length])
      let fast = layerNorm(x, gamma: gamma, beta: beta, eps: 1e-12)
      let plain = layerNormReference(x, gamma: gamma, beta: beta, eps: 1e-12)
      let difference = max(
        fast.output.maxAbsDifference(plain.output),
        fast.cache.normalized.maxAbsDifference(plain.cache.normalized))
      #expect(difference <= 1e-6, "length \(length): max difference \(difference)")
      let inverse = zip(fast.cache.inverseStandardDeviation, plain.cache.inverseStandardDeviation)
      #expect(
        inverse.allSatisfy { abs($0 - $1) <= 1e-6 * abs($1) }, "length \(length): inverse deviations differ")
    }
  }

  @Test("softmax rows are the exp kernel's exp(x - max) over their sum in 16 Double lanes, bit for bit")
  func softmaxRowsExact() {
    var rng = RandomGenerator(seed: 6)
    for length in [5, 16, 33, 30_522] {
      let x = rng.normalTensor(shape: [length], mean: 0, standardDeviation: 4).scalars
      let maximum = x.max() ?? 0
      let shifted = x.map { $0 - maximum }
      var exponentials = [Float](repeating: 0, count: length)
      shifted.withUnsafeBufferPointer { d in
        exponentials.withUnsafeMutableBufferPointer { e in
          if let d = d.baseAddress, let e = e.baseAddress { bn_vec_exp(d, e, length) }
        }
      }
      // Lane j sums the elements i = j (mod 16) in order; the lanes are then added in order.
      var lanes = [Double](repeating: 0, count: 16)
      for (i, e) in exponentials.enumerated() { lanes[i % 16] += Double(e) }
      let sum = lanes.reduce(0, +)
      let inverse = Float(1 / sum)
      let expected = exponentials.map { $0 * inverse }
      var row = x
      let result = row.withUnsafeMutableBufferPointer { softmaxRowInPlace($0, 0..<length) }
      let mismatches = zip(row, expected).count { $0.bitPattern != $1.bitPattern }
      #expect(mismatches == 0, "length \(length): \(mismatches) elements differ")
      #expect(result.maximum == maximum && result.sumOfExponentials == sum, "length \(length): \(result)")
    }
  }

  @Test("the same results with one thread and with four")
  func threadCounts() {
    var rng = RandomGenerator(seed: 5)
    let x = rng.normalTensor(shape: [300, 700])
    let saved = Parallel.threadCount
    defer { Parallel.threadCount = saved }
    Parallel.threadCount = 1
    let (one, oneSoftmax) = (TensorCore.gelu(x), softmax(x))
    Parallel.threadCount = 4
    #expect(TensorCore.gelu(x) == one && softmax(x) == oneSoftmax)
  }

  @Test("the AdamW kernel gives the readable update's bits, tails and special values included")
  func adamWUpdate() {
    // Steps 1 and 1000 of lr 5e-5 with betas 0.9/0.999, decayed and not.
    let steps: [(t: Double, decay: Float)] = [(1, Float(1 - 5e-5 * 0.01)), (1000, 1)]
    var rng = RandomGenerator(seed: 11)
    for (t, decay) in steps {
      let update = AdamWUpdate(
        decay: decay, oneMinusBeta1: Float(1 - 0.9), beta2: 0.999, oneMinusBeta2: Float(1 - 0.999),
        stepSize: Float(5e-5 / (1 - Foundation.pow(0.9, t))),
        correction2Root: Float((1 - Foundation.pow(0.999, t)).squareRoot()), epsilon: 1e-8)
      // 1037 elements: whole vectors and a tail; zero, tiny and huge gradients among them.
      let count = 1037
      var p = rng.normalTensor(shape: [count], mean: 0, standardDeviation: 0.02).scalars
      var g = rng.normalTensor(shape: [count], mean: 0, standardDeviation: 1e-3).scalars
      var m = rng.normalTensor(shape: [count], mean: 0, standardDeviation: 1e-4).scalars
      var v = rng.normalTensor(shape: [count], mean: 0, standardDeviation: 1e-6).scalars.map { $0 * $0 }
      g[0] = 0
      g[1] = 1e-30
      g[2] = 3e15
      m[3] = 0
      v[3] = 0
      let before = p
      let expected = (0..<count).map {
        update.updated(parameter: p[$0], gradient: g[$0], firstMoment: m[$0], secondMoment: v[$0])
      }
      p.withUnsafeMutableBufferPointer { p in
        g.withUnsafeBufferPointer { g in
          m.withUnsafeMutableBufferPointer { m in
            v.withUnsafeMutableBufferPointer { v in
              update.apply(
                parameter: p.baseAddress!, gradient: g.baseAddress!, firstMoment: m.baseAddress!,
                secondMoment: v.baseAddress!, count: count)
            }
          }
        }
      }
      let mismatches = (0..<count).filter {
        p[$0].bitPattern != expected[$0].parameter.bitPattern
          || m[$0].bitPattern != expected[$0].firstMoment.bitPattern
          || v[$0].bitPattern != expected[$0].secondMoment.bitPattern
      }
      #expect(
        mismatches.isEmpty, "step \(t): \(mismatches.count) elements differ, first \(mismatches.prefix(3))")
      #expect(p.allSatisfy { $0.isFinite }, "step \(t): p must stay finite")
      #expect(
        zip(p, before).allSatisfy { $0 != $1 }, "step \(t): every element has a moment, so every p moves")
    }
  }
}
