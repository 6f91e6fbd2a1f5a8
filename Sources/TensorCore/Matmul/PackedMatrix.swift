import CKernels
import Synchronization

// A matrix packed once as the B operand of GEMM.sgemm, for weights used in many products.
//
// Every product packs its B operand into micro-panels before the micro-kernel runs (see
// Sources/CKernels/sgemm_internal.h). For a weight matrix that is the same in every forward
// pass, that packing is the same work each time, and with few rows of A (a batch of 128 tokens)
// it is a large part of the product: the weight is read from memory, transposed and written
// again before any arithmetic. Packed once, the product reads the panels directly. The result is
// bitwise the same as with the matrix packed on the fly.

/// op(B), k x n, packed in the layout of one GEMM kernel.
public final class PackedMatrix: @unchecked Sendable {
  /// The kernel whose layout this is.
  public let kernel: GEMM.Kernel
  /// Rows of op(B), the summed dimension of the products.
  public let k: Int
  /// Columns of op(B), the columns of the products.
  public let n: Int
  /// The packed panels, 64-byte aligned (the kernels load them with aligned loads).
  let storage: UnsafeMutablePointer<Float>

  /// Packs op(B): B stored k x n (row stride `ldb`), or n x k when `transposeB`, as a
  /// weight `[out, in]` is for `x W^T`. The columns are split across `Parallel.threadCount` threads.
  public convenience init(
    transposeB: Bool, k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int, kernel: GEMM.Kernel = .best
  ) {
    precondition(ldb >= (transposeB ? k : n), "PackedMatrix: ldb=\(ldb) too small for k=\(k) n=\(n)")
    self.init(k: k, n: n, kernel: kernel)
    pack(transposeB: transposeB, b: b, ldb: ldb)
  }

  /// Packs a weight `[n, k]` (out x in) as the B^T operand of `x W^T`.
  public convenience init(transposing weight: Tensor, kernel: GEMM.Kernel = .best) {
    precondition(weight.rank == 2, "PackedMatrix: weight \(weight.shape) should be [out, in]")
    let (n, k) = (weight.shape[0], weight.shape[1])
    self.init(k: k, n: n, kernel: kernel)
    weight.scalars.withUnsafeBufferPointer { buffer in
      if let base = buffer.baseAddress { pack(transposeB: true, b: base, ldb: max(k, 1)) }
    }
  }

  /// Room for the packed form of a k x n op(B), not yet filled.
  private init(k: Int, n: Int, kernel: GEMM.Kernel) {
    precondition(k >= 0 && n >= 0, "PackedMatrix: negative size k=\(k) n=\(n)")
    self.kernel = kernel
    self.k = k
    self.n = n
    let count = max(1, bn_sgemm_packed_b_count(kernel.id, k, n))
    storage = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.size, alignment: 64)
      .bindMemory(to: Float.self, capacity: count)
  }

  /// Fills the storage from B, column ranges of whole register tiles on separate threads.
  private func pack(transposeB: Bool, b: UnsafePointer<Float>, ldb: Int) {
    guard k > 0, n > 0 else { return }
    let (kernel, k, n, storage) = (kernel, k, n, storage)
    let unit = kernel.tileColumns
    let tiles = (n + unit - 1) / unit
    let chunks = min(Parallel.threadCount, tiles)
    let trans: Int32 = transposeB ? 1 : 0
    Parallel.forEach(chunks: chunks) { chunk in
      let begin = tiles * chunk / chunks * unit
      let end = min(n, tiles * (chunk + 1) / chunks * unit)
      bn_sgemm_pack_b(kernel.id, trans, k, n, b, ldb, storage, begin, end)
    }
  }

  deinit { storage.deallocate() }
}

extension GEMM {
  /// `C = alpha * op(A) * B + beta * C` with B packed beforehand; bitwise the result of
  /// `sgemm` with the unpacked B. A is m x k (stored k x m when `transposeA`).
  ///
  /// With a `bias` (n floats) the product is `C = alpha * op(A) * B + bias` on every row and
  /// `beta` is not used, as in the unpacked `sgemm`. The output tiles are split over the threads,
  /// in finer blocks of rows than one per thread (see `TileSplit`).
  public static func sgemm(
    transposeA: Bool, m: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, packedB: PackedMatrix,
    bias: UnsafePointer<Float>? = nil, beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    let (n, k, kernel) = (packedB.n, packedB.k, packedB.kernel)
    precondition(m >= 0, "GEMM: negative size m=\(m)")
    precondition(
      lda >= (transposeA ? m : k) && ldc >= n,
      "GEMM: lda=\(lda) ldc=\(ldc) too small for m=\(m) n=\(n) k=\(k)")
    guard m > 0, n > 0 else { return }
    let split = TileSplit(m: m, n: n, k: k, kernel: kernel, threads: Parallel.threadCount, packedB: true)
    let transA: Int32 = transposeA ? 1 : 0
    let packed = UnsafePointer(packedB.storage)
    split.forEachTile { rows, columns in
      bn_sgemm_tile_packed_b(
        kernel.id, transA, k, n, alpha, a, lda, packed, bias, beta, c, ldc, rows.lowerBound, rows.upperBound,
        columns.lowerBound, columns.upperBound)
    }
    withExtendedLifetime(packedB) {}
  }
}

// MARK: - A parameter's packed form

/// The packed form of a parameter's value as a `linear` weight, made on first use by a `linear`
/// that keeps it (not in training) and dropped whenever the value changes (`Parameter.value`'s
/// accessors call `invalidate()`).
public final class PackedWeightCache: Sendable {
  private let packed = Mutex<PackedMatrix?>(nil)

  /// An empty cache.
  public init() {}

  /// Drops the packed form.
  public func invalidate() {
    packed.withLock { $0 = nil }
  }

  /// The packed form of `weight` [out, in] as the B^T operand of `x W^T`, packing it when
  /// there is none.
  func matrix(for weight: Tensor) -> PackedMatrix {
    if let cached = cached(for: weight) { return cached }
    let made = PackedMatrix(transposing: weight)
    packed.withLock { $0 = made }
    return made
  }

  /// The packed form of `weight` if one is held, else nil (nothing is packed).
  func cached(for weight: Tensor) -> PackedMatrix? {
    guard let cached = packed.withLock({ $0 }), cached.k == weight.shape[1], cached.n == weight.shape[0]
    else {
      return nil
    }
    return cached
  }

}
