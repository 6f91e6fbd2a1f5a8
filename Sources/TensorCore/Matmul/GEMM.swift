import CKernels

/// General matrix multiply, the hot path of every chapter.
///
/// `C = alpha * op(A) * op(B) + beta * C` for row-major Float32 matrices, where op(A) is
/// `m x k` (A stored `k x m` when `transposeA`) and op(B) is `k x n` (B stored `n x k`
/// when `transposeB`). `lda`, `ldb`, `ldc` are the row strides of the stored matrices.
/// When `beta == 0`, C is only written, never read.
///
/// The fast path is a packed, cache-blocked C kernel (Sources/CKernels) picked once at run
/// time for this CPU: AVX-512 or AVX2+FMA on x86-64 when present, else a portable kernel the
/// compiler vectorises (NEON on arm64). The work is split across `Parallel.threadCount`
/// threads by output tiles (blocks of rows, and of columns when there are few rows), never
/// along the sum over `k`, and every element is computed by the same operations in the same
/// order wherever its tile falls, so the result is bitwise identical for any thread count.
public enum GEMM {
  // MARK: - Kernels

  /// One of the C kernels (see Sources/CKernels/include/CKernels.h).
  public struct Kernel: Sendable, Hashable, CustomStringConvertible {
    /// The kernel's identifier in CKernels.
    let id: Int32

    /// The kernels this CPU can run, slowest first; the portable kernel is always there.
    public static let available: [Kernel] = (0..<Int32(BN_SGEMM_KERNEL_COUNT))
      .filter { bn_sgemm_kernel_available($0) != 0 }
      .map { Kernel(id: $0) }

    /// The fastest kernel this CPU can run, the one `GEMM.sgemm` uses.
    public static let best = Kernel(id: bn_sgemm_best_kernel())

    /// The kernel's name: "portable", "avx2-fma" or "avx512".
    public var name: String { String(cString: bn_sgemm_kernel_name(id)) }

    /// Rows of C one micro-kernel call produces (its register tile height).
    public var tileRows: Int { bn_sgemm_kernel_tile_rows(id) }

    /// Columns of C one micro-kernel call produces (its register tile width).
    public var tileColumns: Int { bn_sgemm_kernel_tile_cols(id) }

    public var description: String { name }
  }

  /// The name of the kernel `sgemm` uses on this CPU ("portable", "avx2-fma", "avx512").
  public static var kernelName: String { Kernel.best.name }

  // MARK: - Fast multiply

  /// The fast multiply, with the best kernel for this CPU.
  ///
  /// With a `bias` (n floats) the product is `C = alpha * op(A) * op(B) + bias` on every row
  /// and `beta` is not used: bitwise C filled with the bias and `beta = 1`, without that pass.
  public static func sgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    bias: UnsafePointer<Float>? = nil, beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    sgemm(
      kernel: .best, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
      alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, bias: bias, beta: beta, c: c, ldc: ldc)
  }

  /// The fast multiply with a chosen kernel (one of `Kernel.available`), for tests and
  /// benchmarks that compare kernels.
  public static func sgemm(
    kernel: Kernel, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    bias: UnsafePointer<Float>? = nil, beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    precondition(m >= 0 && n >= 0 && k >= 0, "GEMM: negative size m=\(m) n=\(n) k=\(k)")
    precondition(
      lda >= (transposeA ? m : k) && ldb >= (transposeB ? k : n) && ldc >= n,
      "GEMM: leading dimensions lda=\(lda) ldb=\(ldb) ldc=\(ldc) too small for m=\(m) n=\(n) k=\(k)")
    precondition(
      Kernel.available.contains(kernel), "GEMM: kernel \(kernel.name) does not run on this CPU")
    guard m > 0, n > 0 else { return }
    let split = TileSplit(m: m, n: n, k: k, kernel: kernel, threads: Parallel.threadCount)
    let transA: Int32 = transposeA ? 1 : 0
    let transB: Int32 = transposeB ? 1 : 0
    split.forEachTile { rows, columns in
      bn_sgemm_tile(
        kernel.id, transA, transB, k, alpha, a, lda, b, ldb, bias, beta, c, ldc,
        rows.lowerBound, rows.upperBound, columns.lowerBound, columns.upperBound)
    }
  }

  // MARK: - Teaching version

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

// MARK: - Splitting the output across threads

/// How the `m x n` output is cut into `rowBlocks x columnBlocks` tiles: one per thread, or
/// finer blocks of rows when B comes packed already.
///
/// Tile edges fall on whole register tiles of the kernel. The split only decides who computes
/// what; every element's value is the same whatever it is, so it may depend on the thread count.
struct TileSplit {
  /// The output's rows and columns.
  let m: Int
  let n: Int
  /// Number of tiles down the rows and across the columns.
  let rowBlocks: Int
  let columnBlocks: Int
  /// Tile edges fall on multiples of these (the kernel's register tile).
  let rowUnit: Int
  let columnUnit: Int

  /// Below this many multiply-adds the work runs on the calling thread: waking other threads
  /// costs more than it saves.
  static let minimumParallelWork = 1 << 18

  /// With B packed already: the most blocks of rows per thread, and the fewest register tiles
  /// in a block.
  static let blocksPerThread = 8
  static let minimumTilesPerBlock = 4

  /// - Parameter packedB: Whether B comes packed already (`PackedMatrix`). Then blocks of rows
  ///   share no packing work, and a rows-only split is cut finer than one block per thread
  ///   (up to `blocksPerThread` per thread, each at least `minimumTilesPerBlock` register tiles
  ///   high), which `Parallel.forEach` hands to whichever thread is free, so a thread on a
  ///   slowed CPU does fewer of them.
  init(m: Int, n: Int, k: Int, kernel: GEMM.Kernel, threads: Int, packedB: Bool = false) {
    self.m = m
    self.n = n
    rowUnit = kernel.tileRows
    columnUnit = kernel.tileColumns
    let rowTiles = (m + rowUnit - 1) / rowUnit
    let columnTiles = (n + columnUnit - 1) / columnUnit
    guard threads > 1, m * n * max(k, 1) >= Self.minimumParallelWork else {
      rowBlocks = 1
      columnBlocks = 1
      return
    }
    // Try every grid of at most `threads` tiles (one per thread) that the register tiles
    // allow; cost = the largest tile's multiply-adds plus its packing (its rows of A and its
    // columns of B, each packed about once), in multiply-add equivalents. A grid with fewer
    // tiles wins only when it is strictly cheaper.
    var best = (rows: 1, columns: 1, cost: Int.max)
    for rows in 1...min(threads, rowTiles) {
      for columns in 1...min(threads / rows, columnTiles) {
        let tileM = (rowTiles + rows - 1) / rows * rowUnit
        let tileN = (columnTiles + columns - 1) / columns * columnUnit
        let cost = tileM * tileN * k + 16 * (tileM + tileN) * k
        if cost < best.cost { best = (rows, columns, cost) }
      }
    }
    rowBlocks =
      packedB && best.columns == 1
      ? max(best.rows, min(threads * Self.blocksPerThread, rowTiles / Self.minimumTilesPerBlock)) : best.rows
    columnBlocks = best.columns
  }

  /// Runs `body(rows, columns)` for every tile of the output, on the threads.
  func forEachTile(_ body: (_ rows: Range<Int>, _ columns: Range<Int>) -> Void) {
    Parallel.forEach(chunks: rowBlocks * columnBlocks) { chunk in
      body(
        range(chunk / columnBlocks, of: rowBlocks, size: m, unit: rowUnit),
        range(chunk % columnBlocks, of: columnBlocks, size: n, unit: columnUnit))
    }
  }

  /// The part of `0..<size` that block `index` of `blocks` covers, cut at multiples of `unit`.
  func range(_ index: Int, of blocks: Int, size: Int, unit: Int) -> Range<Int> {
    let tiles = (size + unit - 1) / unit
    let lower = min(size, tiles * index / blocks * unit)
    let upper = min(size, tiles * (index + 1) / blocks * unit)
    return lower..<upper
  }
}
