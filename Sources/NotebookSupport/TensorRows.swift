import Foundation
import TensorCore

// Tensors as rows of numbers, the form `printMatrix` and the plots take, and the softmax of
// one row of logits as the chapters print it.

/// The rows of a rank-2 tensor as arrays.
public func matrixRows(_ tensor: Tensor) -> [[Float]] {
  precondition(tensor.rank == 2, "matrixRows: \(tensor.shape) is not a matrix")
  let columns = tensor.shape[1]
  return (0..<tensor.shape[0]).map { Array(tensor.scalars[($0 * columns)..<(($0 + 1) * columns)]) }
}

/// Row `index` of a rank-2 tensor as an array.
public func matrixRow(_ tensor: Tensor, _ index: Int) -> [Float] {
  tensor.row(index).scalars
}

/// The softmax of a row of logits, in Double: p_i = exp(z_i - max z) / sum_j exp(z_j - max z).
public func softmax(_ logits: [Float]) -> [Double] {
  let largest = Double(logits.max() ?? 0)
  let exponentials = logits.map { exp(Double($0) - largest) }
  let total = exponentials.reduce(0, +)
  return exponentials.map { $0 / total }
}
