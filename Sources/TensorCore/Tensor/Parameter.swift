/// A trainable tensor and the gradient accumulated for it.
///
/// A class, so that a model, its optimizer and a checkpoint loader all see the same
/// storage: the loader writes `value`, backward passes add into `gradient`, and the
/// optimizer reads both. `gradient` always has the shape of `value`.
public final class Parameter: @unchecked Sendable {
  /// The current weights.
  ///
  /// An optimizer updates them in place (`value.scalars.withUnsafeMutableBufferPointer`): the
  /// `_modify` accessor lends the stored tensor itself, where a `didSet` observer would make
  /// every in-place update go through a copy of the whole tensor. A test checks that the
  /// storage stays put across an AdamW step.
  public var value: Tensor {
    get { storedValue }
    set {
      storedValue = newValue
      valueDidChange()
    }
    _modify {
      defer { valueDidChange() }
      yield &storedValue
    }
  }
  private var storedValue: Tensor

  /// Keeps the gradient's shape and drops the packed copy after `value` changes.
  private func valueDidChange() {
    if storedGradient.shape != storedValue.shape { zeroGradient() }
    packedWeights.invalidate()
  }
  /// `value` packed for the matrix products of `linear`, made on first use by a `linear` that
  /// keeps it (inference and evaluation, not training) and dropped whenever `value` changes
  /// (see Matmul/PackedMatrix.swift).
  public let packedWeights = PackedWeightCache()
  /// The gradient of the loss with respect to `value`, summed over backward passes since
  /// the last `zeroGradient()`.
  public var gradient: Tensor {
    get { storedGradient }
    set {
      storedGradient = newValue
      gradientIsZero = false
    }
    _modify {
      gradientIsZero = false
      yield &storedGradient
    }
  }
  private var storedGradient: Tensor

  /// True from `zeroGradient()` (or `zeroGradientInPlace()`) until the gradient is next
  /// written: then a product can be summed straight into it (`accumulateProduct`), with no
  /// temporary the size of the weight.
  public private(set) var gradientIsZero = true

  /// A parameter holding `value`, with a zero gradient.
  public init(_ value: Tensor) {
    self.storedValue = value
    self.storedGradient = Tensor(zeros: value.shape)
  }

  /// The shape of the weights.
  public var shape: [Int] { value.shape }

  /// Sets the gradient to zero, in new storage.
  public func zeroGradient() {
    storedGradient = Tensor(zeros: value.shape)
    gradientIsZero = true
  }

  /// Sets the gradient to zero in its present storage (no new allocation): what a training
  /// loop does before every step.
  public func zeroGradientInPlace() {
    storedGradient.scalars.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    gradientIsZero = true
  }

  /// Adds `delta` into the gradient (shapes must match).
  public func accumulate(_ delta: Tensor) {
    checkSameShape(gradient, delta, "Parameter.accumulate")
    gradient.scalars.withUnsafeMutableBufferPointer { g in
      delta.scalars.withUnsafeBufferPointer { d in
        guard let g = g.baseAddress, let d = d.baseAddress else { return }
        forEachRowBlock(rowCount: delta.count, rowLength: 1) { block in
          for i in block { g[i] += d[i] }
        }
      }
    }
  }

  /// Adds `op(A) · op(B)` (m x n, the weight's shape) into the gradient: the weight gradient
  /// of a dense layer, dW = G^T X.
  ///
  /// While the gradient is zero the product is summed straight into it (GEMM with beta = 1
  /// on zeros): bitwise the `accumulate(matmul(...))` result, since 0 + t = t + 0 for every
  /// partial sum t, but without a temporary the size of the weight (for the masked-LM decoder,
  /// V x H floats). Otherwise the product is formed apart and added, as `accumulate` does.
  public func accumulateProduct(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
  ) {
    guard gradientIsZero else {
      accumulate(matmul(a, b, transposeA: transposeA, transposeB: transposeB))
      return
    }
    let dims = MatmulDimensions(a, b, transposeA: transposeA, transposeB: transposeB)
    precondition(
      dims.batch == 1 && dims.outputShape == storedGradient.shape,
      "Parameter.accumulateProduct: product \(dims.outputShape) does not fit the gradient \(storedGradient.shape)"
    )
    guard dims.m > 0, dims.n > 0, dims.k > 0 else { return }
    let (lda, ldb) = (transposeA ? dims.m : dims.k, transposeB ? dims.k : dims.n)
    a.scalars.withUnsafeBufferPointer { a in
      b.scalars.withUnsafeBufferPointer { b in
        storedGradient.scalars.withUnsafeMutableBufferPointer { c in
          guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else { return }
          GEMM.sgemm(
            transposeA: transposeA, transposeB: transposeB, m: dims.m, n: dims.n, k: dims.k, a: a, lda: lda,
            b: b, ldb: ldb, beta: 1, c: c, ldc: dims.n)
        }
      }
    }
    gradientIsZero = false
  }
}
