import CKernels

/// General matrix multiply, the hot path of every chapter.
///
/// `C = alpha * op(A) * op(B) + beta * C` for row-major Float32 matrices, where op(A) is
/// `m x k` (A stored `k x m` when `transposeA`) and op(B) is `k x n` (B stored `n x k`
/// when `transposeB`). `lda`, `ldb`, `ldc` are the row strides of the stored matrices.
///
/// The work is split across `Parallel.threadCount` threads by blocks of output rows only,
/// so the result is bitwise identical for any thread count.
public enum GEMM {
  /// The fast multiply (the C kernel chosen for this CPU at run time).
  public static func sgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard m > 0, n > 0 else { return }
    let blockRows = 64
    let blocks = (m + blockRows - 1) / blockRows
    Parallel.forEach(chunks: blocks) { block in
      bn_sgemm_rows(
        transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
        block * blockRows, min(m, (block + 1) * blockRows))
    }
  }

  /// The name of the kernel in use ("portable", "avx2-fma", ...).
  public static var kernelName: String { String(cString: bn_sgemm_kernel_name()) }

  /// The teaching version: the plain triple loop, `C[i][j] = sum_p op(A)[i][p] * op(B)[p][j]`.
  ///
  /// Slow, obviously right; tests compare the fast kernel against it.
  public static func naive(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    for i in 0..<m {
      for j in 0..<n {
        var sum: Float = 0
        for p in 0..<k {
          let av = transposeA ? a[p * lda + i] : a[i * lda + p]
          let bv = transposeB ? b[j * ldb + p] : b[p * ldb + j]
          sum += av * bv
        }
        c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j])
      }
    }
  }
}
