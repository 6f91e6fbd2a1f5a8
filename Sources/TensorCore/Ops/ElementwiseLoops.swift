// Elementwise loops shared by the operations: a function applied to every element of one
// or two tensors, in blocks of elements spread over threads (each element is computed by
// the same code whatever the split, so the result does not depend on the thread count).

/// A tensor shaped like `x` with `y[i] = transform(x[i])`.
@inline(__always)
func mapScalars(_ x: Tensor, _ transform: (Float) -> Float) -> Tensor {
  var y = x
  y.scalars.withUnsafeMutableBufferPointer { v in
    forEachRowBlock(rowCount: v.count, rowLength: 1) { block in
      for i in block { v[i] = transform(v[i]) }
    }
  }
  return y
}

/// A tensor shaped like `a` with `y[i] = combine(a[i], b[i])`; the element counts must match.
@inline(__always)
func zipScalars(_ a: Tensor, _ b: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
  precondition(a.count == b.count, "elementwise: \(a.shape) and \(b.shape) differ in size")
  var y = a
  b.scalars.withUnsafeBufferPointer { bv in
    y.scalars.withUnsafeMutableBufferPointer { yv in
      forEachRowBlock(rowCount: yv.count, rowLength: 1) { block in
        for i in block { yv[i] = combine(yv[i], bv[i]) }
      }
    }
  }
  return y
}
