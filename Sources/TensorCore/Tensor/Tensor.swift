import Foundation

// Tensor: the one array type of BertNotebook.
//
// Legend used across the core (as in the BERT paper and llm.c):
//   B batch size, T tokens per sequence, H hidden size, A attention heads,
//   D head size (H / A), I intermediate size, V vocabulary size.
//
// A tensor is Float32, row-major (the last index varies fastest), with a shape.
// Storage is a Swift array, so a tensor is a value: copies are cheap until one
// side writes (copy-on-write), and `reshaped` never copies.

/// A row-major Float32 array with a shape.
///
/// Element `[i0, i1, ..., ik]` lives at `scalars[((i0 * s1 + i1) * s2 + i2) ...]`.
/// Shape mismatches are programmer errors and stop with a message that names both shapes.
public struct Tensor: Sendable, Equatable {
  /// The extent of each dimension, outermost first.
  public private(set) var shape: [Int]
  /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
  public var scalars: [Float]

  /// A tensor of the given shape holding `scalars` in row-major order.
  public init(shape: [Int], scalars: [Float]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
    precondition(
      shape.reduce(1, *) == scalars.count,
      "Tensor: shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
    self.shape = shape
    self.scalars = scalars
  }

  /// A tensor of the given shape filled with `value`.
  public init(repeating value: Float, shape: [Int]) {
    self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
  }

  /// A tensor of zeros.
  public init(zeros shape: [Int]) {
    self.init(repeating: 0, shape: shape)
  }

  /// A rank-1 tensor.
  public init(_ scalars: [Float]) {
    self.init(shape: [scalars.count], scalars: scalars)
  }

  /// A rank-2 tensor from rows of equal length.
  public init(rows: [[Float]]) {
    let columns = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == columns }, "Tensor(rows:): rows differ in length")
    self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
  }

  /// The number of elements.
  public var count: Int { scalars.count }

  /// The number of dimensions.
  public var rank: Int { shape.count }

  /// The same elements seen with another shape of equal element count (no copy).
  ///
  /// One dimension may be -1; it is inferred.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    var resolved = newShape
    if let inferred = newShape.firstIndex(of: -1) {
      let known = newShape.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
      precondition(known > 0 && count % known == 0, "reshape: cannot infer -1 in \(newShape) from \(shape)")
      resolved[inferred] = count / known
    }
    precondition(
      resolved.reduce(1, *) == count,
      "reshape: shape \(shape) (\(count) scalars) cannot become \(newShape)")
    var copy = self
    copy.shape = resolved
    return copy
  }

  /// The row-major offset of a multi-index.
  @inlinable
  public func offset(_ index: [Int]) -> Int {
    precondition(
      index.count == shape.count, "Tensor index \(index) has rank \(index.count), shape is \(shape)")
    var offset = 0
    for (i, n) in zip(index, shape) {
      precondition(i >= 0 && i < n, "Tensor index \(index) out of range for shape \(shape)")
      offset = offset * n + i
    }
    return offset
  }

  /// The element at a multi-index.
  public subscript(_ index: Int...) -> Float {
    get { scalars[offset(index)] }
    set { scalars[offset(index)] = newValue }
  }

  /// Rows `range` of the leading dimension, as a new tensor.
  public func slice(rows range: Range<Int>) -> Tensor {
    precondition(rank >= 1, "slice(rows:) on a scalar")
    precondition(range.lowerBound >= 0 && range.upperBound <= shape[0], "slice \(range) out of \(shape)")
    let inner = count / max(shape[0], 1)
    var newShape = shape
    newShape[0] = range.count
    return Tensor(
      shape: newShape, scalars: Array(scalars[(range.lowerBound * inner)..<(range.upperBound * inner)]))
  }

  /// Row `i` of the leading dimension (shape without the leading dimension).
  public func row(_ i: Int) -> Tensor {
    let sliced = slice(rows: i..<(i + 1))
    return sliced.reshaped(Array(shape.dropFirst()))
  }

  /// The largest absolute elementwise difference to `other` (shapes must match).
  public func maxAbsDifference(_ other: Tensor) -> Float {
    precondition(shape == other.shape, "maxAbsDifference: shapes \(shape) and \(other.shape) differ")
    var worst: Float = 0
    for i in 0..<count { worst = max(worst, abs(scalars[i] - other.scalars[i])) }
    return worst
  }
}

extension Tensor: CustomStringConvertible {
  /// A short summary: shape and the first few values.
  public var description: String {
    let head = scalars.prefix(6).map { String(format: "%.4f", Double($0)) }.joined(separator: ", ")
    return "Tensor\(shape)[\(head)\(count > 6 ? ", ..." : "")]"
  }
}

/// Stops with a message naming both shapes when they differ.
@inlinable
public func checkSameShape(_ a: Tensor, _ b: Tensor, _ operation: String) {
  precondition(a.shape == b.shape, "\(operation): shapes \(a.shape) and \(b.shape) differ")
}
