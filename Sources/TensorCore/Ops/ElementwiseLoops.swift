// Elementwise loops shared by the operations: a function applied to every element of one
// or two tensors, in blocks of elements spread over threads (each element is computed by
// the same code whatever the split, so the result does not depend on the thread count).

/// A tensor shaped like `x` with `y[i] = transform(x[i])`.
///
/// Written straight into a new buffer through plain pointers (no copy of `x` first).
@inline(__always)
func mapScalars(_ x: Tensor, _ transform: (Float) -> Float) -> Tensor {
  elementwiseKernel(x) { input, output, count in
    for i in 0..<count { output[i] = transform(input[i]) }
  }
}

/// A tensor shaped like `a` with `y[i] = combine(a[i], b[i])`; the element counts must match.
@inline(__always)
func zipScalars(_ a: Tensor, _ b: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
  elementwiseKernel(a, b) { first, second, output, count in
    for i in 0..<count { output[i] = combine(first[i], second[i]) }
  }
}

/// A tensor shaped like `x` from a C kernel that maps `count` inputs to `count` outputs,
/// called on blocks of elements spread over threads; the output is written, never read.
@inline(__always)
func elementwiseKernel(
  _ x: Tensor, _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
) -> Tensor {
  let count = x.count
  let scalars = [Float](unsafeUninitializedCapacity: count) { output, initialized in
    x.scalars.withUnsafeBufferPointer { input in
      guard let source = input.baseAddress, let target = output.baseAddress else { return }
      forEachRowBlock(rowCount: count, rowLength: 1) { block in
        kernel(source + block.lowerBound, target + block.lowerBound, block.count)
      }
    }
    initialized = count
  }
  return Tensor(shape: x.shape, scalars: scalars)
}

/// `elementwiseKernel` for a kernel of two inputs of the same size.
@inline(__always)
func elementwiseKernel(
  _ a: Tensor, _ b: Tensor,
  _ kernel: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
) -> Tensor {
  precondition(a.count == b.count, "elementwise: \(a.shape) and \(b.shape) differ in size")
  let count = a.count
  let scalars = [Float](unsafeUninitializedCapacity: count) { output, initialized in
    a.scalars.withUnsafeBufferPointer { first in
      b.scalars.withUnsafeBufferPointer { second in
        guard let a = first.baseAddress, let b = second.baseAddress, let target = output.baseAddress else {
          return
        }
        forEachRowBlock(rowCount: count, rowLength: 1) { block in
          kernel(a + block.lowerBound, b + block.lowerBound, target + block.lowerBound, block.count)
        }
      }
    }
    initialized = count
  }
  return Tensor(shape: a.shape, scalars: scalars)
}
