// The linear layer on parameters: the fast path of every dense layer's forward pass.
//
// Legend: R rows (all leading dimensions of x flattened), I in-features, O out-features.
//
// Two things differ from `linear(_:weight:bias:)` on plain tensors, not the arithmetic:
//   - in inference the weight is packed for the matrix product once and kept with the
//     parameter until its value changes (Matmul/PackedMatrix.swift), instead of being packed
//     in every call; training, whose weights change every step, packs as the product goes;
//   - the bias joins inside the GEMM (the first K block writes C = t + bias), which saves
//     zeroing the output and a second pass to add the bias.
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
///   - keepsPackedWeight: Whether the weight is packed and kept with the parameter for the
///     next call (inference); training passes false, as its weights change after every step.
/// - Returns: [..., O].
public func linear(
  _ x: Tensor, weight: Parameter, bias: Parameter?, keepsPackedWeight: Bool = true
) -> Tensor {
  let w = weight.value
  let (rows, inFeatures, outFeatures) = linearSizes(x, weight: w, "linear")
  let biasValue = bias?.value
  if let biasValue {
    precondition(
      biasValue.shape == [outFeatures], "linear: bias \(biasValue.shape) should be [\(outFeatures)]")
  }
  // Inference packs the weight once and keeps it with the parameter. Training, whose weights
  // change after every step, uses a packed form only if one is kept already; else the product
  // packs W block by block as it goes (the same result), and no V x H copy of the decoder
  // stays allocated for the step.
  let packed = keepsPackedWeight ? weight.packedWeights.matrix(for: w) : weight.packedWeights.cached(for: w)
  let count = rows * outFeatures
  let scalars = [Float](unsafeUninitializedCapacity: count) { output, initialized in
    defer { initialized = count }
    guard let c = output.baseAddress else { return }
    x.scalars.withUnsafeBufferPointer { a in
      guard let a = a.baseAddress, rows > 0, inFeatures > 0 else {
        // No products: y = bias in every row (or 0).
        if let biasValue {
          biasValue.scalars.withUnsafeBufferPointer { b in
            for r in 0..<rows { (c + r * outFeatures).initialize(from: b.baseAddress!, count: outFeatures) }
          }
        } else {
          c.initialize(repeating: 0, count: count)
        }
        return
      }
      // y = x W^T + bias: the GEMM adds the bias in its write-back, so y is written once.
      func product(bias: UnsafePointer<Float>?) {
        if let packed {
          GEMM.sgemm(
            transposeA: false, m: rows, a: a, lda: inFeatures, packedB: packed, bias: bias, c: c,
            ldc: outFeatures)
        } else {
          w.scalars.withUnsafeBufferPointer { b in
            GEMM.sgemm(
              transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures, a: a,
              lda: inFeatures,
              b: b.baseAddress!, ldb: inFeatures, bias: bias, c: c, ldc: outFeatures)
          }
        }
      }
      if let biasValue {
        biasValue.scalars.withUnsafeBufferPointer { product(bias: $0.baseAddress!) }
      } else {
        product(bias: nil)
      }
    }
  }
  return Tensor(shape: Array(x.shape.dropLast()) + [outFeatures], scalars: scalars)
}

// MARK: - Backward

/// Differentiates `linear(_:weight:bias:)`: adds dW = G^T x into the weight's gradient and
/// db = the column sums of G into the bias's, and returns dx = G W.
///
/// The same products as `linearBackward(_:x:weight:)` on plain tensors followed by
/// `accumulate`, so the same gradients; dW goes straight into a zero gradient
/// (`Parameter.accumulateProduct`) instead of through a temporary the size of the weight.
///
/// - Parameters:
///   - gradOutput: G = dL/dy, [..., O].
///   - x: The forward pass's input, [..., I].
/// - Returns: dL/dx, shaped like `x`.
public func linearBackward(_ gradOutput: Tensor, x: Tensor, weight: Parameter, bias: Parameter?) -> Tensor {
  let w = weight.value
  let (rows, inFeatures, outFeatures) = linearSizes(x, weight: w, "linearBackward")
  precondition(
    gradOutput.shape == Array(x.shape.dropLast()) + [outFeatures],
    "linearBackward: gradOutput \(gradOutput.shape) differs from the output shape \(Array(x.shape.dropLast()) + [outFeatures])"
  )
  let gradRows = gradOutput.reshaped([rows, outFeatures])
  let gradInput = matmul(gradRows, w).reshaped(x.shape)
  weight.accumulateProduct(gradRows, x.reshaped([rows, inFeatures]), transposeA: true)
  bias?.accumulate(addBiasBackward(gradRows))
  return gradInput
}

/// R (the rows of x), I and O; stops unless x is [..., I] and the weight [O, I].
private func linearSizes(
  _ x: Tensor, weight w: Tensor, _ name: String
) -> (rows: Int, inFeatures: Int, outFeatures: Int) {
  precondition(
    w.rank == 2 && x.rank >= 1 && x.shape[x.rank - 1] == w.shape[1],
    "\(name): input \(x.shape) does not fit weight \(w.shape) (expected [..., in] and [out, in])")
  let (outFeatures, inFeatures) = (w.shape[0], w.shape[1])
  return (inFeatures == 0 ? 0 : x.count / inFeatures, inFeatures, outFeatures)
}
