import Foundation
import Testing

@testable import TensorCore

// Weights packed once (Matmul/PackedMatrix.swift) and `linear` on parameters
// (Ops/Linear+Parameter.swift) against the products that pack on every call.

@Suite("GEMM with B packed once, and linear on parameters")
struct PackedMatrixTests {
  /// C = op(A) B^T with B packed on the fly and with B packed beforehand, for `threads` threads.
  func products(
    m: Int, k: Int, n: Int, transposeA: Bool, threads: Int, kernel: GEMM.Kernel
  ) -> ([Float], [Float]) {
    var rng = RandomGenerator(seed: UInt64(m * 31 + k * 7 + n))
    let a = rng.normalTensor(shape: [m * k]).scalars
    let b = rng.normalTensor(shape: [n * k]).scalars
    var plain = [Float](repeating: .nan, count: m * n)
    var packed = [Float](repeating: .nan, count: m * n)
    let saved = Parallel.threadCount
    defer { Parallel.threadCount = saved }
    Parallel.threadCount = threads
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        guard let a = a.baseAddress, let b = b.baseAddress else { return }
        let matrix = PackedMatrix(transposeB: true, k: k, n: n, b: b, ldb: k, kernel: kernel)
        plain.withUnsafeMutableBufferPointer { c in
          guard let c = c.baseAddress else { return }
          GEMM.sgemm(
            kernel: kernel, transposeA: transposeA, transposeB: true, m: m, n: n, k: k, a: a,
            lda: transposeA ? m : k, b: b, ldb: k, c: c, ldc: n)
        }
        packed.withUnsafeMutableBufferPointer { c in
          guard let c = c.baseAddress else { return }
          GEMM.sgemm(
            transposeA: transposeA, m: m, a: a, lda: transposeA ? m : k, packedB: matrix, c: c, ldc: n)
        }
      }
    }
    return (plain, packed)
  }

  @Test(
    "bitwise the same as packing on every call, for every kernel, shape and thread count",
    arguments: [(1, 768, 700), (37, 50, 70), (128, 769, 300), (200, 1000, 33), (13, 5, 1), (1030, 40, 70)])
  func sameAsUnpacked(shape: (Int, Int, Int)) {
    let (m, k, n) = shape
    for kernel in GEMM.Kernel.available {
      for threads in [1, 2, 3] {
        for transposeA in [false, true] {
          let (plain, packed) = products(
            m: m, k: k, n: n, transposeA: transposeA, threads: threads, kernel: kernel)
          #expect(plain == packed, "\(kernel) \(m)x\(k)x\(n) transposeA \(transposeA), \(threads) threads")
        }
      }
    }
  }

  @Test("with B packed once, many rows are cut into finer blocks than one per thread; few rows are not")
  func finerRowBlocks() {
    let kernel = GEMM.Kernel.best
    let unit = kernel.tileRows
    // MiniLM's 8 x 128 tokens: rows-only, 8 blocks per thread (each at least 4 register tiles).
    let many = TileSplit(m: 1024, n: 384, k: 384, kernel: kernel, threads: 2, packedB: true)
    let manyOnTheFly = TileSplit(m: 1024, n: 384, k: 384, kernel: kernel, threads: 2)
    #expect(many.columnBlocks == 1 && manyOnTheFly.columnBlocks == 1)
    #expect(manyOnTheFly.rowBlocks == 2)
    #expect(many.rowBlocks == min(2 * TileSplit.blocksPerThread, (1024 + unit - 1) / unit / 4))
    #expect(many.rowBlocks > 2)
    // The blocks cover the rows once, in order, at whole register tiles.
    let ranges = (0..<many.rowBlocks).map { many.range($0, of: many.rowBlocks, size: 1024, unit: unit) }
    #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == 1024)
    #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    #expect(ranges.dropLast().allSatisfy { $0.count % unit == 0 && $0.count >= 4 * unit })
    // BERT-base at batch 1: 128 rows are split across the columns, one tile per thread.
    let few = TileSplit(m: 128, n: 768, k: 768, kernel: kernel, threads: 2, packedB: true)
    #expect(few.rowBlocks * few.columnBlocks == 2, "\(few.rowBlocks) x \(few.columnBlocks)")
    // One thread: one block.
    #expect(TileSplit(m: 1024, n: 384, k: 384, kernel: kernel, threads: 1, packedB: true).rowBlocks == 1)
  }

  @Test(
    "GEMM with a bias, B packed once or not: bitwise C filled with the bias and beta = 1, for every kernel, shape and thread count",
    arguments: [(1, 768, 700), (37, 50, 70), (128, 769, 300), (13, 5, 1), (4, 0, 9)])
  func biasAsFirstTerm(shape: (Int, Int, Int)) {
    let (m, k, n) = shape
    var rng = RandomGenerator(seed: UInt64(m * 13 + k * 5 + n))
    let a = rng.normalTensor(shape: [m * k]).scalars
    let b = rng.normalTensor(shape: [n * k]).scalars
    let bias = rng.normalTensor(shape: [n]).scalars
    let saved = Parallel.threadCount
    defer { Parallel.threadCount = saved }
    for kernel in GEMM.Kernel.available {
      for threads in [1, 2, 3] {
        Parallel.threadCount = threads
        var filled = (0..<m).flatMap { _ in bias }
        var fused = [Float](repeating: .nan, count: m * n)
        var unpacked = [Float](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { a in
          b.withUnsafeBufferPointer { b in
            bias.withUnsafeBufferPointer { bias in
              // A zero-size operand still needs an address.
              let aBase = a.baseAddress ?? UnsafePointer(bias.baseAddress!)
              let bBase = b.baseAddress ?? UnsafePointer(bias.baseAddress!)
              let matrix = PackedMatrix(
                transposeB: true, k: k, n: n, b: bBase, ldb: max(k, 1), kernel: kernel)
              filled.withUnsafeMutableBufferPointer { c in
                GEMM.sgemm(
                  transposeA: false, m: m, a: aBase, lda: max(k, 1), packedB: matrix, beta: 1,
                  c: c.baseAddress!,
                  ldc: n)
              }
              fused.withUnsafeMutableBufferPointer { c in
                GEMM.sgemm(
                  transposeA: false, m: m, a: aBase, lda: max(k, 1), packedB: matrix, bias: bias.baseAddress!,
                  c: c.baseAddress!, ldc: n)
              }
              unpacked.withUnsafeMutableBufferPointer { c in
                GEMM.sgemm(
                  kernel: kernel, transposeA: false, transposeB: true, m: m, n: n, k: k, a: aBase,
                  lda: max(k, 1),
                  b: bBase, ldb: max(k, 1), bias: bias.baseAddress!, c: c.baseAddress!, ldc: n)
              }
            }
          }
        }
        #expect(fused == filled, "\(kernel) \(m)x\(k)x\(n), \(threads) threads, B packed once")
        #expect(unpacked == filled, "\(kernel) \(m)x\(k)x\(n), \(threads) threads, B packed on the fly")
      }
    }
  }

  @Test("linear on parameters matches linear on tensors, and follows a changed weight")
  func linearOnParameters() {
    var rng = RandomGenerator(seed: 9)
    let x = rng.normalTensor(shape: [3, 40, 800])
    let weight = Parameter(rng.normalTensor(shape: [500, 800]))
    let bias = Parameter(rng.normalTensor(shape: [500]))
    let expected = linear(x, weight: weight.value, bias: bias.value)
    let actual = linear(x, weight: weight, bias: bias)
    #expect(actual.shape == [3, 40, 500])
    let difference = actual.maxAbsDifference(expected)
    // Only where the bias joins the sum of 800 products differs: a few ulp of values near 30.
    #expect(difference <= 2e-5, "max difference \(difference)")
    #expect(linear(x, weight: weight, bias: nil) == linear(x, weight: weight.value, bias: nil))

    // A new value (assigned, or changed in place as an optimizer does) is packed again.
    weight.value = rng.normalTensor(shape: [500, 800])
    #expect(linear(x, weight: weight, bias: nil) == linear(x, weight: weight.value, bias: nil))
    weight.value.scalars.withUnsafeMutableBufferPointer { w in
      for i in w.indices { w[i] *= -0.5 }
    }
    #expect(linear(x, weight: weight, bias: nil) == linear(x, weight: weight.value, bias: nil))
  }

  @Test(
    "an in-place change of a parameter's value keeps its storage (no copy), and a kept-off pack is not stored"
  )
  func inPlaceValueAndUnkeptPack() {
    var rng = RandomGenerator(seed: 10)
    let x = rng.normalTensor(shape: [7, 64])
    let weight = Parameter(rng.normalTensor(shape: [48, 64]))
    let before = weight.value.scalars.withUnsafeBufferPointer { $0.baseAddress }
    weight.value.scalars.withUnsafeMutableBufferPointer { w in
      for i in w.indices { w[i] *= 2 }
    }
    let after = weight.value.scalars.withUnsafeBufferPointer { $0.baseAddress }
    #expect(before == after, "an optimizer's in-place update copied the weights")

    // Training keeps no packed weight (the product packs as it goes); the products, with and
    // without a bias, are those of the kept pack.
    let bias = Parameter(rng.normalTensor(shape: [48]))
    let unkept = [
      linear(x, weight: weight, bias: nil, keepsPackedWeight: false),
      linear(x, weight: weight, bias: bias, keepsPackedWeight: false),
    ]
    #expect(weight.packedWeights.cached(for: weight.value) == nil)
    let kept = [linear(x, weight: weight, bias: nil), linear(x, weight: weight, bias: bias)]
    #expect(weight.packedWeights.cached(for: weight.value) != nil)
    #expect(unkept == kept)
  }

  @Test("linear backward on parameters: the tensor gradients bitwise, into a zero or a used gradient")
  func linearBackwardOnParameters() {
    var rng = RandomGenerator(seed: 11)
    // 900 rows: more than one K block of the weight gradient's sum over rows.
    let x = rng.normalTensor(shape: [3, 300, 96])
    let gradOutput = rng.normalTensor(shape: [3, 300, 80])
    let weight = Parameter(rng.normalTensor(shape: [80, 96]))
    let bias = Parameter(rng.normalTensor(shape: [80]))
    let reference = linearBackward(gradOutput, x: x, weight: weight.value)
    #expect(weight.gradientIsZero)
    let gradInput = linearBackward(gradOutput, x: x, weight: weight, bias: bias)
    #expect(!weight.gradientIsZero)
    #expect(gradInput == reference.gradInput)
    #expect(weight.gradient == reference.gradWeight)
    #expect(bias.gradient == reference.gradBias)
    // A second pass adds onto the first through a temporary, as accumulate does.
    _ = linearBackward(gradOutput, x: x, weight: weight, bias: bias)
    var twice = reference.gradWeight
    twice.scalars.withUnsafeMutableBufferPointer { g in
      reference.gradWeight.scalars.withUnsafeBufferPointer { d in
        for i in g.indices { g[i] += d[i] }
      }
    }
    #expect(weight.gradient == twice)
    // Zeroed in place, the next pass writes straight into the gradient again.
    weight.zeroGradientInPlace()
    #expect(weight.gradientIsZero && weight.gradient.scalars.allSatisfy { $0 == 0 })
    _ = linearBackward(gradOutput, x: x, weight: weight, bias: nil)
    #expect(weight.gradient == reference.gradWeight)
  }
}
