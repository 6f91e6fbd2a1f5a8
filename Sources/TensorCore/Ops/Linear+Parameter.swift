// The linear layer on parameters: the fast path of every dense layer's forward pass.
//
// Legend: R rows (all leading dimensions of x flattened), I in-features, O out-features.
//
// Two things differ from `linear(_:weight:bias:)` on plain tensors, not the arithmetic:
//   - the weight is packed for the matrix product once and kept with the parameter until its
//     value changes (Matmul/PackedMatrix.swift), instead of being packed in every call;
//   - the bias is written into the output first and the product added onto it (GEMM with
//     beta = 1), which saves zeroing the output and a second pass to add the bias.
// The sums are the same products in the same order; only where the bias joins them differs,
// so the two agree to rounding (tested), and this one is deterministic for any thread count.

/// `y = x · weight^T + bias` with the weight and bias held in parameters.
///
///     y[r, o] = bias[o] + sum over i of x[r, i] * weight[o, i]
///
/// - Parameters:
///   - x: [..., I].
///   - weight: [O, I], as `nn.Linear` stores it.
///   - bias: [O], or nil for no bias.
/// - Returns: [..., O].
public func linear(_ x: Tensor, weight: Parameter, bias: Parameter?) -> Tensor {
  let w = weight.value
  precondition(
    w.rank == 2 && x.rank >= 1 && x.shape[x.rank - 1] == w.shape[1],
    "linear: input \(x.shape) does not fit weight \(w.shape) (expected [..., in] and [out, in])")
  let (outFeatures, inFeatures) = (w.shape[0], w.shape[1])
  let rows = inFeatures == 0 ? 0 : x.count / inFeatures
  let biasValue = bias?.value
  if let biasValue {
    precondition(
      biasValue.shape == [outFeatures], "linear: bias \(biasValue.shape) should be [\(outFeatures)]")
  }
  let packed = weight.packedWeights.matrix(for: w)
  let count = rows * outFeatures
  let scalars = [Float](unsafeUninitializedCapacity: count) { output, initialized in
    defer { initialized = count }
    guard let c = output.baseAddress else { return }
    if let biasValue {
      // y = bias in every row, then y += x W^T.
      biasValue.scalars.withUnsafeBufferPointer { b in
        guard let source = b.baseAddress else { return }
        forEachRowBlock(rowCount: rows, rowLength: outFeatures) { block in
          for r in block { (c + r * outFeatures).initialize(from: source, count: outFeatures) }
        }
      }
    } else if inFeatures == 0 {
      c.initialize(repeating: 0, count: count)
    }
    x.scalars.withUnsafeBufferPointer { a in
      guard let a = a.baseAddress, rows > 0, inFeatures > 0 else { return }
      GEMM.sgemm(
        transposeA: false, m: rows, a: a, lda: inFeatures, packedB: packed, beta: biasValue == nil ? 0 : 1,
        c: c, ldc: outFeatures)
    }
  }
  return Tensor(shape: Array(x.shape.dropLast()) + [outFeatures], scalars: scalars)
}
