// Row selection: pick rows of a matrix by index, and send gradients back to them.
//
// Shapes: x [N, W], rows [M] (indices into 0..<N), selected [M, W].
// Used for the [CLS] rows the pooler reads and the masked positions the MLM head decodes.

/// `y[m] = x[rows[m]]` for x [N, W] (any rank, rows along the leading N = count / W); returns [M, W].
func gatherRows(_ input: Tensor, rows: [Int], width: Int) -> Tensor {
  let available = input.count / width
  var selected = [Float](repeating: 0, count: rows.count * width)
  input.scalars.withUnsafeBufferPointer { source in
    selected.withUnsafeMutableBufferPointer { target in
      for (m, row) in rows.enumerated() {
        precondition(row >= 0 && row < available, "gatherRows: row \(row) outside 0..<\(available)")
        for w in 0..<width { target[m * width + w] = source[row * width + w] }
      }
    }
  }
  return Tensor(shape: [rows.count, width], scalars: selected)
}

/// Differentiates `y[m] = x[rows[m]]`: dx[rows[m]] += g[m]; returns dx of shape `shape`.
func scatterRows(_ gradSelected: Tensor, rows: [Int], shape: [Int]) -> Tensor {
  let width = gradSelected.shape[1]
  var grad = Tensor(zeros: shape)
  gradSelected.scalars.withUnsafeBufferPointer { source in
    grad.scalars.withUnsafeMutableBufferPointer { target in
      for (m, row) in rows.enumerated() {
        for w in 0..<width { target[row * width + w] += source[m * width + w] }
      }
    }
  }
  return grad
}
