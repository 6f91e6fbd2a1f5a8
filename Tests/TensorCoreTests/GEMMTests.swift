import TensorCore
import Testing

// MARK: - A stored problem

/// One multiply `C = alpha op(A) op(B) + beta C` with its operands stored row-major, each row
/// padded past its width so a kernel that confuses the width with the stride gets caught.
struct GEMMProblem {
  let m: Int
  let n: Int
  let k: Int
  let transposeA: Bool
  let transposeB: Bool
  let alpha: Float
  let beta: Float
  let lda: Int
  let ldb: Int
  let ldc: Int
  let a: [Float]
  let b: [Float]
  /// C before the multiply. Row padding holds `padding`, which no kernel may overwrite.
  let c: [Float]

  /// The value in the padding of C's rows.
  static let padding: Float = -12345

  init(
    m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, alpha: Float = 1, beta: Float = 0,
    extraStride: Int = 3, seed: UInt64 = 1
  ) {
    self.m = m
    self.n = n
    self.k = k
    self.transposeA = transposeA
    self.transposeB = transposeB
    self.alpha = alpha
    self.beta = beta
    // Stored shapes: A is m x k (k x m when transposed), B is k x n (n x k when transposed).
    let aRows = transposeA ? k : m
    let bRows = transposeB ? n : k
    lda = (transposeA ? m : k) + extraStride
    ldb = (transposeB ? k : n) + extraStride
    ldc = n + extraStride
    var rng = RandomGenerator(seed: seed)
    a = (0..<(aRows * lda)).map { _ in rng.uniform(-1, 1) }
    b = (0..<(bRows * ldb)).map { _ in rng.uniform(-1, 1) }
    // With beta == 0, C must not be read: fill it with NaN so reading it would show.
    let ldc = ldc
    c = (0..<(m * ldc)).map { index in
      index % ldc >= n ? Self.padding : beta == 0 ? .nan : rng.uniform(-1, 1)
    }
  }

  /// C after the fast multiply with `kernel`.
  func fast(kernel: GEMM.Kernel = .best) -> [Float] {
    multiply { a, b, c in
      GEMM.sgemm(
        kernel: kernel, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
        alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
  }

  /// C after the teaching triple loop.
  func naive() -> [Float] {
    multiply { a, b, c in
      GEMM.naive(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
        a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
  }

  /// A copy of C after `routine` updated it from pointers to A, B and the copy.
  private func multiply(
    _ routine: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
  ) -> [Float] {
    var out = c
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        out.withUnsafeMutableBufferPointer { out in
          routine(a.baseAddress!, b.baseAddress!, out.baseAddress!)
        }
      }
    }
    return out
  }

  /// The size of the terms summed into C[i][j]: |alpha| sum_p |op(A)[i][p] op(B)[p][j]| plus
  /// |beta C[i][j]|. Rounding errors of any summation order are bounded by a multiple of it.
  func magnitude(_ i: Int, _ j: Int) -> Float {
    var sum: Float = 0
    for p in 0..<k {
      let av = transposeA ? a[p * lda + i] : a[i * lda + p]
      let bv = transposeB ? b[j * ldb + p] : b[p * ldb + j]
      sum += abs(av * bv)
    }
    return abs(alpha) * sum + (beta == 0 ? 0 : abs(beta * c[i * ldc + j]))
  }

  var label: String {
    "\(m)x\(n)x\(k) op(A)\(transposeA ? "=A^T" : "=A") op(B)\(transposeB ? "=B^T" : "=B") "
      + "alpha=\(alpha) beta=\(beta)"
  }
}

// MARK: - Fast kernels against the triple loop

@Suite("GEMM: fast kernels match the triple loop")
struct GEMMKernelTests {
  /// (m, n, k): tiny, odd, single row, none a multiple of any register tile (12 x 32, 6 x 16,
  /// 4 x 8, 8 x 12); then several K blocks (k > 256), several row blocks (m > 480), several
  /// column blocks (n > 2048), and an empty sum (k = 0, C = beta C).
  static let shapes: [(m: Int, n: Int, k: Int)] = [
    (1, 1, 1), (7, 13, 5), (1, 300, 17), (65, 33, 129), (13, 70, 600), (500, 37, 20),
    (3, 2100, 9), (25, 47, 0),
  ]

  /// (alpha, beta): the plain product, scaled and accumulated, and a pure accumulation.
  static let scalings: [(alpha: Float, beta: Float)] = [(1, 0), (0.5, -1.5), (1, 1)]

  /// Tolerance: |fast - naive| <= 1e-5 * magnitude(i, j) (see `GEMMProblem.magnitude`).
  ///
  /// Both sides sum the same k products in Float32, in different orders and with or without
  /// fused multiply-adds, so they differ by rounding alone. Each rounding is at most
  /// u = 2^-24 ~ 6e-8 of the running sum, and random-signed errors grow like sqrt(k) u:
  /// about 1.5e-6 of the magnitude for k = 600, the largest k here. 1e-5 leaves a wide margin
  /// for that, while a wrong index, a missing or doubled term, or a mishandled alpha or beta
  /// moves an element by a sizeable fraction of its magnitude and fails.
  static let relativeTolerance: Float = 1e-5

  @Test("odd shapes, all four transposes, alpha and beta, padded strides", arguments: GEMM.Kernel.available)
  func matchesNaive(kernel: GEMM.Kernel) {
    for shape in Self.shapes {
      for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
        for scaling in Self.scalings {
          let problem = GEMMProblem(
            m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA, transposeB: transposeB,
            alpha: scaling.alpha, beta: scaling.beta)
          expectMatch(problem.fast(kernel: kernel), problem.naive(), problem, kernel: kernel)
        }
      }
    }
  }

  /// Checks every element against the tolerance and that C's row padding is untouched.
  func expectMatch(_ fast: [Float], _ naive: [Float], _ problem: GEMMProblem, kernel: GEMM.Kernel) {
    var worst: (ratio: Float, i: Int, j: Int) = (0, 0, 0)
    var paddingWritten = 0
    for i in 0..<problem.m {
      for j in 0..<problem.ldc {
        let index = i * problem.ldc + j
        if j >= problem.n {
          if fast[index] != GEMMProblem.padding { paddingWritten += 1 }
          continue
        }
        let scale = max(problem.magnitude(i, j), Float.leastNormalMagnitude)
        let ratio = abs(fast[index] - naive[index]) / scale
        // A NaN (C read although beta == 0) must count as a failure.
        if !(ratio <= worst.ratio) { worst = (ratio.isNaN ? .infinity : ratio, i, j) }
      }
    }
    #expect(
      worst.ratio <= Self.relativeTolerance,
      """
      \(kernel.name) \(problem.label): worst relative difference \(worst.ratio) at \
      C[\(worst.i)][\(worst.j)] > \(Self.relativeTolerance)
      """)
    #expect(paddingWritten == 0, "\(kernel.name) \(problem.label): wrote \(paddingWritten) padding elements")
  }
}

// MARK: - Determinism and kernel choice

@Suite("GEMM: threads and kernel choice")
struct GEMMThreadingTests {
  /// Runs `problem` with `threads` threads, restoring the thread count afterwards.
  func run(_ problem: GEMMProblem, threads: Int) -> [Float] {
    let saved = Parallel.threadCount
    defer { Parallel.threadCount = saved }
    Parallel.threadCount = threads
    return problem.fast()
  }

  /// 300 x 200 x 500 is split by rows between threads; 20 x 700 x 300 has too few rows
  /// for that, so it is split by columns.
  @Test("bitwise identical results with 1, 2 and 3 threads")
  func threadCountDoesNotChangeResults() {
    for shape in [(m: 300, n: 200, k: 500), (m: 20, n: 700, k: 300)] {
      for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
        let problem = GEMMProblem(
          m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA, transposeB: transposeB,
          alpha: 0.75, beta: 0.5, seed: 7)
        let single = run(problem, threads: 1)
        for threads in [2, 3] {
          let multi = run(problem, threads: threads)
          let differing = zip(single, multi).filter { $0.0.bitPattern != $0.1.bitPattern }.count
          #expect(
            differing == 0,
            "\(problem.label): \(differing) elements differ between 1 and \(threads) threads")
        }
      }
    }
  }

  /// The first m rows of a 2-tile-high product, computed as a product of m rows: the rows of a
  /// short tile at the bottom edge (the AVX-512 kernel has 4-, 8- and 12-row forms) must equal the
  /// same rows computed inside a full tile.
  @Test(
    "a row of C is bitwise the same in a full tile and in a short edge tile", arguments: GEMM.Kernel.available
  )
  func edgeTilesMatchFullTiles(kernel: GEMM.Kernel) {
    let (n, k) = (70, 400)  // k past one K block, n past two column tiles
    let height = 2 * kernel.tileRows
    var rng = RandomGenerator(seed: 11)
    let a = (0..<(height * k)).map { _ in rng.uniform(-1, 1) }
    let b = (0..<(k * n)).map { _ in rng.uniform(-1, 1) }
    let bias = (0..<n).map { _ in rng.uniform(-1, 1) }
    func product(rows: Int, bias withBias: Bool) -> [Float] {
      var c = [Float](repeating: .nan, count: rows * n)
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          bias.withUnsafeBufferPointer { bias in
            c.withUnsafeMutableBufferPointer { c in
              GEMM.sgemm(
                kernel: kernel, transposeA: false, transposeB: false, m: rows, n: n, k: k, alpha: 0.5,
                a: a.baseAddress!, lda: k, b: b.baseAddress!, ldb: n,
                bias: withBias ? bias.baseAddress : nil, c: c.baseAddress!, ldc: n)
            }
          }
        }
      }
      return c
    }
    for withBias in [false, true] {
      let full = product(rows: height, bias: withBias)
      for rows in 1..<height {
        let short = product(rows: rows, bias: withBias)
        let differing = zip(short, full).filter { $0.0.bitPattern != $0.1.bitPattern }.count
        #expect(
          differing == 0, "\(kernel.name), \(rows) rows, bias \(withBias): \(differing) elements differ")
      }
    }
  }

  @Test("the kernel in use is named and runs on this CPU")
  func kernelName() {
    #expect(!GEMM.kernelName.isEmpty)
    #expect(GEMM.Kernel.available.contains(GEMM.Kernel.best), "best kernel \(GEMM.kernelName) not available")
    #expect(GEMM.Kernel.available.map(\.name).contains("portable"))
  }
}
