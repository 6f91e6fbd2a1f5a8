import CKernels

// Addition: of two tensors of one shape, and of a bias vector broadcast over rows.
//
// Legend: N the last dimension (the bias length); R all leading dimensions flattened.

// MARK: - Forward

/// The elementwise sum `a + b` of two tensors of the same shape.
///
/// Backward: the gradient flows unchanged to both operands (dL/da = dL/db = dL/dy).
public func add(_ a: Tensor, _ b: Tensor) -> Tensor {
  checkSameShape(a, b, "add")
  var y = a
  y += b
  return y
}

/// The bias broadcast over rows: `y[..., n] = x[..., n] + bias[n]`.
///
/// - Parameters:
///   - x: [..., N].
///   - bias: [N].
/// - Returns: [..., N].
public func addBias(_ x: Tensor, _ bias: Tensor) -> Tensor {
  var y = x
  addBiasInPlace(&y, bias)
  return y
}

// MARK: - Backward

/// The bias gradient of `addBias`: the output gradient summed over every dimension but the last.
///
///     dbias[n] = sum over rows r of G[r, n]
///
/// Each column sums in Double and is rounded to Float once, so the result does not drift
/// with the number of rows (a batch of B * T = 4096 rows adds 4096 terms per column).
/// The x gradient of `addBias` is G itself.
///
/// - Parameter gradOutput: G, [..., N].
/// - Returns: [N].
public func addBiasBackward(_ gradOutput: Tensor) -> Tensor {
  let (rows, length) = rowsAndLength(gradOutput)
  var sums = [Double](repeating: 0, count: length)
  gradOutput.scalars.withUnsafeBufferPointer { g in
    sums.withUnsafeMutableBufferPointer { s in
      // Column ranges on separate threads; each column still sums its rows in order.
      let chunks = rows * length >= elementsPerRowBlock ? min(Parallel.threadCount, length) : 1
      guard let sums = s.baseAddress, let g = g.baseAddress else { return }
      Parallel.forEach(chunks: chunks) { chunk in
        let columns = (length * chunk / chunks)..<(length * (chunk + 1) / chunks)
        // bn_vec_add_columns streams the rows in blocks of columns (Sources/CKernels).
        bn_vec_add_columns(g + columns.lowerBound, length, rows, columns.count, sums + columns.lowerBound)
      }
    }
  }
  return Tensor(sums.map { Float($0) })
}

// MARK: - In place

/// Adds `bias` [N] to every row of `x` [..., N] in place.
func addBiasInPlace(_ x: inout Tensor, _ bias: Tensor) {
  precondition(
    bias.rank == 1 && x.rank >= 1 && x.shape[x.rank - 1] == bias.count,
    "addBias: bias \(bias.shape) does not fit the last dimension of \(x.shape)")
  let (rows, length) = rowsAndLength(x)
  bias.scalars.withUnsafeBufferPointer { b in
    x.scalars.withUnsafeMutableBufferPointer { y in
      for r in 0..<rows {
        for n in 0..<length { y[r * length + n] += b[n] }
      }
    }
  }
}
