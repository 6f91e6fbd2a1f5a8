// The linear (fully connected) layer in the PyTorch and Hugging Face layout:
// the weight is stored [out, in], so a checkpoint's `*.dense.weight` loads as is.
//
// Legend: R rows (all leading dimensions of x flattened, e.g. B * T), I in-features,
// O out-features.

// MARK: - Forward

/// The affine map `y = x · weight^T + bias` applied to the last dimension of `x`.
///
///     y[r, o] = sum over i of x[r, i] * weight[o, i]  +  bias[o]
///
/// - Parameters:
///   - x: [..., I], e.g. hidden states [B, T, H].
///   - weight: [O, I], as `nn.Linear` stores it.
///   - bias: [O], or nil for no bias.
/// - Returns: [..., O], the leading dimensions of `x` kept.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
  let (inputRows, outputShape) = linearShapes(x, weight: weight)
  var y = matmul(inputRows, weight, transposeB: true)
  if let bias {
    addBiasInPlace(&y, bias)
  }
  return y.reshaped(outputShape)
}

// MARK: - Backward

/// The gradients of `linear(x, weight:bias:)` given G = dL/dy [..., O].
///
///     dx = G · weight          [R, O] x [O, I] -> [R, I], reshaped like x
///     dweight = G^T · x        [O, R] x [R, I] -> [O, I]
///     dbias = sum over rows of G   -> [O]   (Double accumulation, see `addBiasBackward`)
///
/// `gradBias` is returned whether or not the forward pass had a bias; ignore it if not.
public func linearBackward(
  _ gradOutput: Tensor, x: Tensor, weight: Tensor
) -> (gradInput: Tensor, gradWeight: Tensor, gradBias: Tensor) {
  let (inputRows, outputShape) = linearShapes(x, weight: weight)
  precondition(
    gradOutput.shape == outputShape,
    "linearBackward: gradOutput \(gradOutput.shape) differs from the output shape \(outputShape)")
  let gradRows = gradOutput.reshaped([inputRows.shape[0], weight.shape[0]])
  let gradInput = matmul(gradRows, weight).reshaped(x.shape)
  let gradWeight = matmul(gradRows, inputRows, transposeA: true)
  return (gradInput, gradWeight, addBiasBackward(gradRows))
}

// MARK: - Shapes

/// `x` seen as rows [R, I], and the output shape [..., O]; checks that the weight fits.
private func linearShapes(_ x: Tensor, weight: Tensor) -> (inputRows: Tensor, outputShape: [Int]) {
  precondition(
    weight.rank == 2 && x.rank >= 1 && x.shape[x.rank - 1] == weight.shape[1],
    "linear: input \(x.shape) does not fit weight \(weight.shape) (expected [..., in] and [out, in])")
  let inFeatures = weight.shape[1]
  let rows = inFeatures == 0 ? 0 : x.count / inFeatures
  return (x.reshaped([rows, inFeatures]), Array(x.shape.dropLast()) + [weight.shape[0]])
}
