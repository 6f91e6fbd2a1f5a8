import Foundation
import Testing

@testable import TensorCore

// MARK: - Helpers shared by the operation tests

/// Expects `actual` to hold `expected` elementwise within `tolerance`, naming the max difference.
func expectClose(
  _ actual: Tensor, _ expected: [Float], tolerance: Float,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    actual.count == expected.count, "\(actual.shape) has \(actual.count) elements, expected \(expected.count)"
  )
  guard actual.count == expected.count else { return }
  let difference = actual.maxAbsDifference(Tensor(shape: actual.shape, scalars: expected))
  #expect(
    difference <= tolerance, "max difference \(difference) > \(tolerance): \(actual.scalars) vs \(expected)",
    sourceLocation: sourceLocation)
}

/// Runs a gradient check and expects it to pass the default tolerance, printing the report.
func expectGradients(
  _ inputs: [String: Tensor], gradients: [String: Tensor],
  sourceLocation: SourceLocation = #_sourceLocation,
  loss: ([String: Tensor]) -> Double
) {
  let report = GradientCheck.check(inputs: inputs, loss: loss, gradients: gradients)
  #expect(report.checkedCount > 0, "nothing was checked", sourceLocation: sourceLocation)
  #expect(report.passes(), "\(report)", sourceLocation: sourceLocation)
}

// MARK: - Matrix products

@Suite("Ops: matmul and linear")
struct MatmulOpsTests {
  let a = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
  let b = Tensor(rows: [[7, 8], [9, 10], [11, 12]])
  /// a · b worked by hand: [1*7 + 2*9 + 3*11, ...].
  let product: [Float] = [58, 64, 139, 154]

  /// The transpose of a rank-2 tensor, written out element by element.
  func transposed(_ x: Tensor) -> Tensor {
    var y = Tensor(zeros: [x.shape[1], x.shape[0]])
    for i in 0..<x.shape[0] {
      for j in 0..<x.shape[1] { y[j, i] = x[i, j] }
    }
    return y
  }

  @Test("a 2x3 by 3x2 product, with every operand layout")
  func knownProduct() {
    expectClose(matmul(a, b), product, tolerance: 0)
    expectClose(matmul(transposed(a), b, transposeA: true), product, tolerance: 0)
    expectClose(matmul(a, transposed(b), transposeB: true), product, tolerance: 0)
    expectClose(
      matmul(transposed(a), transposed(b), transposeA: true, transposeB: true), product, tolerance: 0)
    #expect(matmul(a, b).shape == [2, 2])
  }

  @Test("batched products equal the product of each batch item")
  func batchedMatchesItems() {
    var rng = RandomGenerator(seed: 1)
    let x = rng.normalTensor(shape: [2, 3, 4, 5])
    let y = rng.normalTensor(shape: [2, 3, 6, 5])
    let scores = matmul(x, y, transposeB: true)
    #expect(scores.shape == [2, 3, 4, 6])
    let xItems = x.reshaped([6, 4, 5])
    let yItems = y.reshaped([6, 6, 5])
    let scoreItems = scores.reshaped([6, 4, 6])
    for item in 0..<6 {
      let expected = matmul(xItems.row(item), yItems.row(item), transposeB: true)
      #expect(scoreItems.row(item) == expected, "batch item \(item) differs")
    }
  }

  @Test(
    "matmul gradients for all four transpose combinations",
    arguments: [(false, false), (true, false), (false, true), (true, true)])
  func matmulGradients(transposeA: Bool, transposeB: Bool) {
    var rng = RandomGenerator(seed: 2)
    let a = rng.normalTensor(shape: transposeA ? [4, 3] : [3, 4])
    let b = rng.normalTensor(shape: transposeB ? [5, 4] : [4, 5])
    let weights = rng.normalTensor(shape: [3, 5])
    let (gradA, gradB) = matmulBackward(weights, a, b, transposeA: transposeA, transposeB: transposeB)
    expectGradients(["a": a, "b": b], gradients: ["a": gradA, "b": gradB]) {
      GradientCheck.weightedSum(
        matmul($0["a"]!, $0["b"]!, transposeA: transposeA, transposeB: transposeB), weights: weights)
    }
  }

  @Test("batched matmul gradients, as in attention (Q K^T and P V)")
  func batchedGradients() {
    var rng = RandomGenerator(seed: 3)
    let query = rng.normalTensor(shape: [2, 2, 3, 4])
    let key = rng.normalTensor(shape: [2, 2, 5, 4])
    let weights = rng.normalTensor(shape: [2, 2, 3, 5])
    let (gradQuery, gradKey) = matmulBackward(weights, query, key, transposeB: true)
    expectGradients(["q": query, "k": key], gradients: ["q": gradQuery, "k": gradKey]) {
      GradientCheck.weightedSum(matmul($0["q"]!, $0["k"]!, transposeB: true), weights: weights)
    }
    let probabilities = rng.normalTensor(shape: [2, 2, 3, 5])
    let value = rng.normalTensor(shape: [2, 2, 5, 4])
    let contextWeights = rng.normalTensor(shape: [2, 2, 3, 4])
    let (gradP, gradV) = matmulBackward(contextWeights, probabilities, value)
    expectGradients(["p": probabilities, "v": value], gradients: ["p": gradP, "v": gradV]) {
      GradientCheck.weightedSum(matmul($0["p"]!, $0["v"]!), weights: contextWeights)
    }
  }

  @Test("linear: x W^T + b by hand, with and without bias")
  func linearKnown() {
    let x = Tensor(rows: [[1, 2], [3, -1]])
    let weight = Tensor(rows: [[1, 0], [0, 1], [1, 1]])
    let bias = Tensor([0.5, -1, 0])
    expectClose(linear(x, weight: weight, bias: bias), [1.5, 1, 3, 3.5, -2, 2], tolerance: 0)
    expectClose(linear(x, weight: weight, bias: nil), [1, 2, 3, 3, -1, 2], tolerance: 0)
    #expect(linear(x.reshaped([1, 2, 2]), weight: weight, bias: bias).shape == [1, 2, 3])
  }

  @Test("linear gradients for input, weight and bias on a [B, T, in] input")
  func linearGradients() {
    var rng = RandomGenerator(seed: 4)
    let x = rng.normalTensor(shape: [2, 3, 4])
    let weight = rng.normalTensor(shape: [5, 4])
    let bias = rng.normalTensor(shape: [5])
    let weights = rng.normalTensor(shape: [2, 3, 5])
    let grads = linearBackward(weights, x: x, weight: weight)
    #expect(grads.gradInput.shape == [2, 3, 4])
    expectGradients(
      ["x": x, "weight": weight, "bias": bias],
      gradients: ["x": grads.gradInput, "weight": grads.gradWeight, "bias": grads.gradBias]
    ) {
      GradientCheck.weightedSum(linear($0["x"]!, weight: $0["weight"]!, bias: $0["bias"]!), weights: weights)
    }
  }
}

// MARK: - Elementwise operations and reductions

@Suite("Ops: elementwise and reductions")
struct ElementwiseOpsTests {
  @Test("add, addBias, multiply, scale and += by hand")
  func knownAnswers() {
    let x = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
    let y = Tensor(rows: [[0.5, -1, 2], [0, 1, -6]])
    expectClose(add(x, y), [1.5, 1, 5, 4, 6, 0], tolerance: 0)
    expectClose(x + y, [1.5, 1, 5, 4, 6, 0], tolerance: 0)
    expectClose(addBias(x, Tensor([10, 20, 30])), [11, 22, 33, 14, 25, 36], tolerance: 0)
    expectClose(addBiasBackward(x), [5, 7, 9], tolerance: 0)
    expectClose(multiply(x, y), [0.5, -2, 6, 0, 5, -36], tolerance: 0)
    expectClose(scale(x, by: -0.5), [-0.5, -1, -1.5, -2, -2.5, -3], tolerance: 0)
    var accumulator = x
    accumulator += y
    accumulator += y
    expectClose(accumulator, [2, 0, 7, 4, 7, -6], tolerance: 0)
  }

  @Test("addBiasBackward on threads sums each column's rows in order, as one loop does")
  func addBiasBackwardOnThreads() {
    var rng = RandomGenerator(seed: 7)
    let saved = Parallel.threadCount
    defer { Parallel.threadCount = saved }
    for (rows, length) in [(3, 5), (304, 30_522), (2048, 128)] {
      let g = rng.normalTensor(shape: [rows, length])
      var sums = [Double](repeating: 0, count: length)
      for r in 0..<rows {
        for n in 0..<length { sums[n] += Double(g.scalars[r * length + n]) }
      }
      let plain = sums.map { Float($0) }
      for threads in [1, 2, 3] {
        Parallel.threadCount = threads
        let fast = addBiasBackward(g)
        #expect(
          fast.shape == [length] && fast.scalars == plain,
          "\(rows) x \(length), \(threads) threads: max difference \(fast.maxAbsDifference(Tensor(plain)))")
      }
    }
  }

  @Test("splitHeads, mergeHeads and Parameter.accumulate on threads equal their index formulas")
  func headsAndAccumulateOnThreads() {
    var rng = RandomGenerator(seed: 8)
    let saved = Parallel.threadCount
    defer { Parallel.threadCount = saved }
    let (batch, tokens, heads, headSize) = (37, 19, 3, 5)
    let x = rng.normalTensor(shape: [batch, tokens, heads * headSize])
    var expected = [Float](repeating: 0, count: x.count)
    for b in 0..<batch {
      for t in 0..<tokens {
        for a in 0..<heads {
          for d in 0..<headSize {
            expected[((b * heads + a) * tokens + t) * headSize + d] =
              x.scalars[((b * tokens + t) * heads + a) * headSize + d]
          }
        }
      }
    }
    let delta = rng.normalTensor(shape: [300, 200])
    let start = rng.normalTensor(shape: [300, 200])
    let sum = zip(start.scalars, delta.scalars).map { $0 + $1 }
    for threads in [1, 2, 3] {
      Parallel.threadCount = threads
      let split = splitHeads(x, headCount: heads)
      #expect(split.shape == [batch, heads, tokens, headSize], "\(threads) threads: \(split.shape)")
      #expect(split.scalars == expected, "\(threads) threads")
      #expect(mergeHeads(split) == x, "\(threads) threads")
      let parameter = Parameter(Tensor(zeros: [300, 200]))
      parameter.accumulate(start)
      parameter.accumulate(delta)
      #expect(parameter.gradient.scalars == sum, "\(threads) threads")
    }
  }

  @Test("sum and mean by hand, and accumulated in Double")
  func reductions() {
    let x = Tensor([1, 2, 3, 4])
    #expect(sum(x) == 10)
    #expect(mean(x) == 2.5)
    // A running Float sum of a million 0.1s drifts to about 100958; Double stays at 100000.
    let tenths = Tensor(repeating: 0.1, shape: [1_000_000])
    #expect(abs(sum(tenths) - 100_000) < 0.01, "sum \(sum(tenths))")
    #expect(abs(mean(tenths) - 0.1) < 1e-7, "mean \(mean(tenths))")
    #expect(sum(Tensor(zeros: [0])) == 0)
  }

  @Test("add, addBias, multiply and scale gradients")
  func gradients() {
    var rng = RandomGenerator(seed: 5)
    let x = rng.normalTensor(shape: [2, 3, 4])
    let y = rng.normalTensor(shape: [2, 3, 4])
    let bias = rng.normalTensor(shape: [4])
    let weights = rng.normalTensor(shape: [2, 3, 4])
    expectGradients(["x": x, "y": y], gradients: ["x": weights, "y": weights]) {
      GradientCheck.weightedSum(add($0["x"]!, $0["y"]!), weights: weights)
    }
    expectGradients(["x": x, "bias": bias], gradients: ["x": weights, "bias": addBiasBackward(weights)]) {
      GradientCheck.weightedSum(addBias($0["x"]!, $0["bias"]!), weights: weights)
    }
    let (gradX, gradY) = multiplyBackward(weights, x, y)
    expectGradients(["x": x, "y": y], gradients: ["x": gradX, "y": gradY]) {
      GradientCheck.weightedSum(multiply($0["x"]!, $0["y"]!), weights: weights)
    }
    expectGradients(["x": x], gradients: ["x": scale(weights, by: 0.125)]) {
      GradientCheck.weightedSum(scale($0["x"]!, by: 0.125), weights: weights)
    }
  }

  @Test("sum and mean gradients are ones and 1/n")
  func reductionGradients() {
    var rng = RandomGenerator(seed: 6)
    let x = rng.normalTensor(shape: [3, 4])
    expectGradients(["x": x], gradients: ["x": Tensor(repeating: 1, shape: [3, 4])]) { Double(sum($0["x"]!)) }
    expectGradients(["x": x], gradients: ["x": Tensor(repeating: 1.0 / 12, shape: [3, 4])]) {
      Double(mean($0["x"]!))
    }
  }
}

// MARK: - Thread-count independence

@Suite("Ops: results do not depend on the thread count")
struct ThreadCountOpsTests {
  @Test("softmax, layer norm, GELU, cross-entropy and batched matmul are bitwise equal on 1 and 4 threads")
  func bitwiseEqual() {
    var rng = RandomGenerator(seed: 7)
    let x = rng.normalTensor(shape: [96, 700])
    let gamma = rng.normalTensor(shape: [700])
    let beta = rng.normalTensor(shape: [700])
    let labels = (0..<96).map { $0 % 5 == 0 ? -100 : $0 * 7 }
    let heads = rng.normalTensor(shape: [4, 3, 64, 32])
    func run() -> [Tensor] {
      let (loss, cache) = crossEntropy(x, labels: labels)
      let (normalized, _) = layerNorm(x, gamma: gamma, beta: beta, eps: 1e-12)
      return [
        softmax(x), normalized, gelu(x), cache.probabilities, Tensor([loss]),
        matmul(heads, heads, transposeB: true),
      ]
    }
    let saved = Parallel.threadCount
    Parallel.threadCount = 1
    let single = run()
    Parallel.threadCount = 4
    let multiple = run()
    Parallel.threadCount = saved
    for (index, (one, many)) in zip(single, multiple).enumerated() {
      #expect(one == many, "result \(index) differs: max difference \(one.maxAbsDifference(many))")
    }
  }
}

@Suite("Parallel.forEach")
struct ParallelForEachTests {
  @Test("every chunk runs exactly once, for more chunks than threads and fewer")
  func eachChunkOnce() {
    let saved = Parallel.threadCount
    defer { Parallel.threadCount = saved }
    for threads in [1, 2, 3, 8] {
      Parallel.threadCount = threads
      for chunks in [1, 2, 5, 1000] {
        let runs = UnsafeMutablePointer<Int>.allocate(capacity: chunks)
        defer { runs.deallocate() }
        runs.initialize(repeating: 0, count: chunks)
        // Each chunk writes only its own counter, as every caller's chunks write their own output.
        Parallel.forEach(chunks: chunks) { runs[$0] += 1 }
        let counts = (0..<chunks).map { runs[$0] }
        #expect(counts.allSatisfy { $0 == 1 }, "\(threads) threads, \(chunks) chunks: \(Set(counts))")
      }
    }
  }
}
