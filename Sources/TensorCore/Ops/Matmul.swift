import CKernels

// Matrix products, plain and batched: every projection and both attention products.
//
// Legend: M rows of the result, N its columns, K the summed (inner) dimension,
// Bt batch items (B * A for attention scores, with A heads).
//
// op(a) is `a` or its transpose: a stored [K, M] with `transposeA` is read as [M, K].
// Transposes are never materialised; `GEMM.sgemm` reads the stored layout directly.

// MARK: - Forward

/// The matrix product `op(a) · op(b)`, each operand transposed on request.
///
///     C[i, j] = sum over p of op(a)[i, p] * op(b)[p, j]
///
/// Shapes:
/// - rank 2: a [M, K] (or [K, M] with `transposeA`), b [K, N] (or [N, K] with `transposeB`)
///   gives [M, N];
/// - rank 3 or more: the leading dimensions are batch dimensions and must be equal,
///   [Bt, M, K] x [Bt, K, N] -> [Bt, M, N]; for attention [B, A, T, D] x [B, A, T, D] with
///   `transposeB` gives the scores [B, A, T, T].
///
/// The sums run in the GEMM kernels in Float32, one multiply per batch item. With few items
/// `GEMM.sgemm` spreads each item's output tiles over the threads; with many (the B * A heads of
/// attention) whole items go to the threads, each multiplied on one thread (never both, which
/// would oversubscribe the cores). Each element is computed the same way either way, so the
/// result does not depend on the thread count.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
  let dims = MatmulDimensions(a, b, transposeA: transposeA, transposeB: transposeB)
  guard dims.batch > 0, dims.m > 0, dims.n > 0, dims.k > 0 else { return Tensor(zeros: dims.outputShape) }
  // GEMM with beta = 0 writes every element of C, so it starts uninitialised (no zeroing pass).
  let count = dims.batch * dims.m * dims.n
  let scalars = [Float](unsafeUninitializedCapacity: count) { cBuffer, initialized in
    a.scalars.withUnsafeBufferPointer { aBuffer in
      b.scalars.withUnsafeBufferPointer { bBuffer in
        guard let aBase = aBuffer.baseAddress, let bBase = bBuffer.baseAddress,
          let cBase = cBuffer.baseAddress
        else { return }
        let (lda, ldb) = (transposeA ? dims.m : dims.k, transposeB ? dims.k : dims.n)
        // Many items (attention: B * A heads): whole items per thread, each one multiply on
        // one thread. Few items: one after the other, each split across the threads.
        guard dims.batch >= 2 * Parallel.threadCount, Parallel.threadCount > 1 else {
          for item in 0..<dims.batch {
            GEMM.sgemm(
              transposeA: transposeA, transposeB: transposeB, m: dims.m, n: dims.n, k: dims.k,
              a: aBase + item * dims.m * dims.k, lda: lda, b: bBase + item * dims.k * dims.n, ldb: ldb,
              c: cBase + item * dims.m * dims.n, ldc: dims.n)
          }
          return
        }
        let kernel = GEMM.Kernel.best.id
        let (transA, transB): (Int32, Int32) = (transposeA ? 1 : 0, transposeB ? 1 : 0)
        Parallel.forEach(chunks: dims.batch) { item in
          bn_sgemm_tile(
            kernel, transA, transB, dims.k, 1, aBase + item * dims.m * dims.k, lda,
            bBase + item * dims.k * dims.n, ldb, nil, 0, cBase + item * dims.m * dims.n, dims.n, 0, dims.m, 0,
            dims.n)
        }
      }
    }
    initialized = count
  }
  return Tensor(shape: dims.outputShape, scalars: scalars)
}

// MARK: - Backward

/// The gradients of `matmul(a, b, transposeA:transposeB:)` with respect to `a` and `b`.
///
/// With C = op(a) op(b) and G = dL/dC:
///
///     d op(a) = G · op(b)^T        d op(b) = op(a)^T · G
///
/// and a transposed operand gets the transpose of its op gradient, so each case is one
/// more `matmul` with the right flags (no transpose is ever copied):
///
///     C = a b        ->  da = G b^T      db = a^T G
///     C = a^T b      ->  da = b G^T      db = a G
///     C = a b^T      ->  da = G b        db = G^T a
///     C = a^T b^T    ->  da = b^T G^T    db = G^T a^T
///
/// - Returns: Gradients with the shapes of `a` and `b`.
public func matmulBackward(
  _ gradOutput: Tensor, _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
) -> (gradA: Tensor, gradB: Tensor) {
  let dims = MatmulDimensions(a, b, transposeA: transposeA, transposeB: transposeB)
  precondition(
    gradOutput.shape == dims.outputShape,
    "matmulBackward: gradOutput \(gradOutput.shape) differs from the product's shape \(dims.outputShape)")
  switch (transposeA, transposeB) {
  case (false, false):
    return (matmul(gradOutput, b, transposeB: true), matmul(a, gradOutput, transposeA: true))
  case (true, false):
    return (matmul(b, gradOutput, transposeB: true), matmul(a, gradOutput))
  case (false, true):
    return (matmul(gradOutput, b), matmul(gradOutput, a, transposeA: true))
  case (true, true):
    return (
      matmul(b, gradOutput, transposeA: true, transposeB: true),
      matmul(gradOutput, a, transposeA: true, transposeB: true)
    )
  }
}

// MARK: - Shapes

/// The dimensions of `op(a) · op(b)`, checked once for forward and backward.
struct MatmulDimensions {
  /// The leading (batch) dimensions shared by both operands.
  let batchShape: [Int]
  /// The number of batch items (the product of `batchShape`, 1 for rank 2).
  let batch: Int
  /// Rows of op(a) and of the result.
  let m: Int
  /// Columns of op(b) and of the result.
  let n: Int
  /// The summed dimension: columns of op(a), rows of op(b).
  let k: Int

  /// The result's shape: `batchShape + [m, n]`.
  var outputShape: [Int] { batchShape + [m, n] }

  /// Reads the dimensions, stopping with both shapes named when they do not fit.
  init(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) {
    precondition(
      a.rank >= 2 && a.rank == b.rank,
      "matmul: operands \(a.shape) and \(b.shape) need the same rank, at least 2")
    let rank = a.rank
    batchShape = Array(a.shape.prefix(rank - 2))
    precondition(
      batchShape == Array(b.shape.prefix(rank - 2)),
      "matmul: batch dimensions of \(a.shape) and \(b.shape) differ")
    batch = batchShape.reduce(1, *)
    m = transposeA ? a.shape[rank - 1] : a.shape[rank - 2]
    k = transposeA ? a.shape[rank - 2] : a.shape[rank - 1]
    n = transposeB ? b.shape[rank - 2] : b.shape[rank - 1]
    let innerB = transposeB ? b.shape[rank - 1] : b.shape[rank - 2]
    precondition(
      k == innerB,
      "matmul: inner dimensions differ: a \(a.shape)\(transposeA ? " transposed" : "") "
        + "times b \(b.shape)\(transposeB ? " transposed" : "")")
  }
}
