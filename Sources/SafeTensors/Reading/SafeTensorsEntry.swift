// SafeTensorsEntry: one tensor's line of the header.

/// One tensor of a safetensors file, as its header describes it.
public struct SafeTensorsEntry: Sendable, Equatable {
  /// The tensor's name, e.g. `bert.encoder.layer.0.attention.self.query.weight`.
  public let name: String
  /// The element type.
  public let dtype: SafeTensorsDType
  /// The extent of each dimension, outermost first (`[]` for a scalar).
  public let shape: [Int]
  /// The header's `data_offsets`: the bytes of the tensor, relative to the start of the data
  /// buffer (add `SafeTensorsFile.dataOffset` for a position in the file).
  public let byteRange: Range<Int>

  /// A description of one tensor.
  public init(name: String, dtype: SafeTensorsDType, shape: [Int], byteRange: Range<Int>) {
    self.name = name
    self.dtype = dtype
    self.shape = shape
    self.byteRange = byteRange
  }

  /// The number of elements, the product of `shape` (1 for a scalar).
  public var elementCount: Int { shape.reduce(1, *) }
}
