import Foundation
import TensorCore

// SafeTensorsFile: a checked, memory-mapped safetensors file.
//
// Opening a file maps it and validates the whole header (Format.swift lists the rules), so
// every later read stays inside the file. Tensors are converted to Float32 on request, one at a
// time; the mapping itself is never copied.

/// A safetensors file, memory-mapped read-only, its header fully validated.
///
/// ```swift
/// let file = try SafeTensorsFile(contentsOf: url)
/// for entry in file.entries where file.isFloatingPoint(entry.name) {
///   let weights = try file.tensor(entry.name)   // Float32, shape entry.shape
/// }
/// ```
public final class SafeTensorsFile: @unchecked Sendable {
  /// Where the file is.
  public let url: URL
  /// The header's `__metadata__` map (empty when there is none).
  public let metadata: [String: String]
  /// The tensors in file order (by position in the data buffer).
  public let entries: [SafeTensorsEntry]
  /// The position in the file of the first byte of the data buffer (8 + header length).
  public let dataOffset: Int

  private let mapping: MappedFile
  private let indexByName: [String: Int]

  /// Maps the file at `url` and validates its header.
  ///
  /// - Throws: `SafeTensorsError` naming the file (and the tensor, when one is at fault) for a
  ///   file that is missing, truncated, has a header length past its end, invalid JSON,
  ///   an unknown dtype, offsets out of range, overlapping or leaving gaps, or a size that
  ///   does not match dtype and shape.
  public convenience init(contentsOf url: URL) throws {
    try self.init(mapping: try MappedFile(path: url.path), url: url)
  }

  /// Validates the header of `mapping`, the contents of `url`.
  init(mapping: MappedFile, url: URL) throws(SafeTensorsError) {
    let path = url.path
    let prefix = SafeTensorsLayout.lengthPrefixSize
    guard mapping.count >= prefix else {
      throw SafeTensorsError(
        file: path,
        message: "the file holds \(mapping.count) bytes, fewer than the \(prefix)-byte header length")
    }
    let headerLength = mapping.withBytes(in: 0..<prefix) {
      UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))
    }
    guard headerLength <= UInt64(SafeTensorsLayout.maximumHeaderSize) else {
      throw SafeTensorsError(
        file: path,
        message:
          "header length \(headerLength) exceeds the limit of \(SafeTensorsLayout.maximumHeaderSize) bytes")
    }
    let headerEnd = prefix + Int(headerLength)
    guard headerEnd <= mapping.count else {
      throw SafeTensorsError(
        file: path,
        message:
          "header length \(headerLength) runs past the end of the file, which holds \(mapping.count) bytes")
    }
    let headerBytes = mapping.withBytes(in: prefix..<headerEnd) { [UInt8]($0) }
    let header = try SafeTensorsHeader(
      bytes: headerBytes, bufferLength: mapping.count - headerEnd, file: path)

    self.url = url
    self.mapping = mapping
    self.dataOffset = headerEnd
    self.metadata = header.metadata
    self.entries = header.entries
    self.indexByName = Dictionary(uniqueKeysWithValues: header.entries.enumerated().map { ($1.name, $0) })
  }

  // MARK: - Looking up

  /// The entry named `name`, or nil.
  public func entry(_ name: String) -> SafeTensorsEntry? {
    indexByName[name].map { entries[$0] }
  }

  /// Whether `name` exists and holds F64, F32, F16 or BF16 values, the types `tensor(_:)` converts.
  public func isFloatingPoint(_ name: String) -> Bool {
    entry(name)?.dtype.isConvertibleToFloat ?? false
  }

  // MARK: - Reading

  /// The tensor `name` as Float32, with its shape.
  ///
  /// F32 is copied as is; F16 and BF16 are widened exactly (subnormals, infinities and NaN
  /// included); F64 is rounded to the nearest Float32.
  ///
  /// - Throws: `SafeTensorsError` naming the tensor when there is none of that name or its
  ///   dtype is not a floating-point type of 16 or more bits.
  public func tensor(_ name: String) throws -> Tensor {
    let entry = try requireEntry(name)
    let count = entry.elementCount
    let scalars: [Float]
    switch entry.dtype {
    case .f32:
      scalars = readFloat32(entry, count: count)
    case .f16:
      scalars = readElements(entry, count: count, width: 2) { floatFromHalfBits(UInt16(littleEndian: $0)) }
    case .bf16:
      scalars = readElements(entry, count: count, width: 2) {
        floatFromBFloat16Bits(UInt16(littleEndian: $0))
      }
    case .f64:
      scalars = readElements(entry, count: count, width: 8) {
        Float(Double(bitPattern: UInt64(littleEndian: $0)))
      }
    default:
      throw SafeTensorsError(
        file: url.path, tensor: name,
        message: "dtype \(entry.dtype.rawValue) is not a floating-point type that converts to Float32"
          + " (F64, F32, F16, BF16)")
    }
    return Tensor(shape: entry.shape, scalars: scalars)
  }

  /// The elements of integer or BOOL tensor `name`, in row-major order, as Int64.
  ///
  /// - Throws: `SafeTensorsError` naming the tensor when there is none of that name, its dtype
  ///   is not an integer type or BOOL, or a U64 element exceeds `Int64.max`.
  public func integerScalars(_ name: String) throws -> [Int64] {
    let entry = try requireEntry(name)
    let count = entry.elementCount
    switch entry.dtype {
    case .i64:
      return readElements(entry, count: count, width: 8) { Int64(littleEndian: Int64(bitPattern: $0)) }
    case .i32:
      return readElements(entry, count: count, width: 4) {
        Int64(Int32(bitPattern: UInt32(littleEndian: $0)))
      }
    case .i16:
      return readElements(entry, count: count, width: 2) {
        Int64(Int16(bitPattern: UInt16(littleEndian: $0)))
      }
    case .i8:
      return readElements(entry, count: count, width: 1) { (byte: UInt8) in Int64(Int8(bitPattern: byte)) }
    case .u32: return readElements(entry, count: count, width: 4) { Int64(UInt32(littleEndian: $0)) }
    case .u16: return readElements(entry, count: count, width: 2) { Int64(UInt16(littleEndian: $0)) }
    case .u8: return readElements(entry, count: count, width: 1) { (byte: UInt8) in Int64(byte) }
    case .bool: return readElements(entry, count: count, width: 1) { (byte: UInt8) in byte == 0 ? 0 : 1 }
    case .u64:
      let values: [UInt64] = readElements(entry, count: count, width: 8) { UInt64(littleEndian: $0) }
      guard let tooLarge = values.first(where: { $0 > UInt64(Int64.max) }) else {
        return values.map { Int64($0) }
      }
      throw SafeTensorsError(
        file: url.path, tensor: name, message: "U64 element \(tooLarge) does not fit in Int64")
    default:
      throw SafeTensorsError(
        file: url.path, tensor: name, message: "dtype \(entry.dtype.rawValue) is not an integer type or BOOL")
    }
  }

  private func requireEntry(_ name: String) throws(SafeTensorsError) -> SafeTensorsEntry {
    guard let entry = entry(name) else {
      throw SafeTensorsError(file: url.path, tensor: name, message: "no tensor of this name in the file")
    }
    return entry
  }

  /// The F32 elements of `entry`: one copy on little-endian machines, else element by element.
  private func readFloat32(_ entry: SafeTensorsEntry, count: Int) -> [Float] {
    #if _endian(little)
    let range = (dataOffset + entry.byteRange.lowerBound)..<(dataOffset + entry.byteRange.upperBound)
    return mapping.withBytes(in: range) { bytes in
      [Float](unsafeUninitializedCapacity: count) { output, initialized in
        UnsafeMutableRawBufferPointer(output).copyMemory(from: bytes)
        initialized = count
      }
    }
    #else
    return readElements(entry, count: count, width: 4) { Float(bitPattern: UInt32(littleEndian: $0)) }
    #endif
  }

  /// Reads `count` little-endian elements of `width` bytes from the entry's bytes (which the
  /// header check guarantees hold exactly that many) and converts each with `convert`.
  private func readElements<Raw: FixedWidthInteger, Element>(
    _ entry: SafeTensorsEntry, count: Int, width: Int, _ convert: (Raw) -> Element
  ) -> [Element] {
    precondition(MemoryLayout<Raw>.size == width && entry.byteRange.count == count * width)
    let range = (dataOffset + entry.byteRange.lowerBound)..<(dataOffset + entry.byteRange.upperBound)
    return mapping.withBytes(in: range) { bytes in
      [Element](unsafeUninitializedCapacity: count) { output, initialized in
        for i in 0..<count {
          output[i] = convert(bytes.loadUnaligned(fromByteOffset: i * width, as: Raw.self))
        }
        initialized = count
      }
    }
  }
}
