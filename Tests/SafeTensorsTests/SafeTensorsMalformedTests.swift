import Foundation
import Testing

@testable import SafeTensors

/// One test per way a file can be broken: each must throw a `SafeTensorsError` that names the
/// file, the tensor when one is at fault, and what was expected.
@Suite("SafeTensors: malformed files are rejected with a named error")
struct SafeTensorsMalformedTests {
  /// Two F32 tensors of two elements, "a" then "b", and their 16 data bytes.
  static let goodHeader =
    #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#
  static let goodBuffer = float32Bytes([1, 2, 3, 4])

  private func expectError(
    header: String, buffer: [UInt8] = goodBuffer, tensor: String?, containing phrase: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let url = try folder.write(header: header, buffer: buffer)
    try expectError(url, tensor: tensor, containing: phrase, sourceLocation: sourceLocation)
  }

  private func expectError(
    _ url: URL, tensor: String?, containing phrase: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let error = try #require(
      openingError(url, sourceLocation: sourceLocation), sourceLocation: sourceLocation)
    #expect(
      error.tensor == tensor, "error names tensor \(error.tensor ?? "none"): \(error)",
      sourceLocation: sourceLocation)
    #expect(
      error.message.contains(phrase), "message lacks \"\(phrase)\": \(error)", sourceLocation: sourceLocation)
    #expect(error.description.contains(url.path), sourceLocation: sourceLocation)
  }

  @Test("the well-formed file these cases break does open")
  func control() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let file = try SafeTensorsFile(
      contentsOf: try folder.write(header: Self.goodHeader, buffer: Self.goodBuffer))
    #expect(try file.tensor("b").scalars == [3, 4])
  }

  // MARK: - Length prefix

  @Test("a file shorter than the 8-byte header length", arguments: [0, 1, 7])
  func shorterThanLengthPrefix(size: Int) throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let url = try folder.write([UInt8](repeating: 0x10, count: size))
    try expectError(url, tensor: nil, containing: "fewer than the 8-byte header length")
  }

  @Test("a header length past the end of the file")
  func headerLengthPastEnd() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let bytes = safetensorsBytes(header: Self.goodHeader, buffer: Self.goodBuffer, declaredLength: 4096)
    try expectError(try folder.write(bytes), tensor: nil, containing: "runs past the end of the file")
  }

  @Test("a header length over the reference's 100 MB limit")
  func headerLengthTooLarge() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let bytes = safetensorsBytes(header: Self.goodHeader, buffer: [], declaredLength: UInt64.max)
    try expectError(try folder.write(bytes), tensor: nil, containing: "exceeds the limit")
  }

  // MARK: - Data buffer

  @Test("a data buffer shorter than the offsets (truncated file)")
  func truncatedBuffer() throws {
    try expectError(
      header: Self.goodHeader, buffer: Array(Self.goodBuffer.prefix(11)), tensor: "b",
      containing: "run past the end of the data buffer")
  }

  @Test("offsets out of range of a complete file")
  func offsetsOutOfRange() throws {
    let header =
      #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[1000,1008]}}"#
    try expectError(header: header, tensor: "b", containing: "run past the end of the data buffer")
  }

  @Test("offsets whose end comes before their begin")
  func offsetsReversed() throws {
    let header = #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#
    try expectError(header: header, tensor: "a", containing: "end before they begin")
  }

  @Test("overlapping offsets")
  func overlappingOffsets() throws {
    let header =
      #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[3],"data_offsets":[4,16]}}"#
    try expectError(header: header, tensor: "b", containing: "overlap tensor \"a\"")
  }

  @Test("the same bytes claimed by two tensors")
  func aliasedOffsets() throws {
    let header =
      #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
    try expectError(header: header, tensor: "b", containing: "overlap tensor \"a\"")
  }

  @Test("a gap between tensors")
  func gapBetweenTensors() throws {
    let header =
      #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#
    try expectError(header: header, tensor: "b", containing: "tensors must be contiguous")
  }

  @Test("trailing bytes that belong to no tensor")
  func trailingBytes() throws {
    try expectError(
      header: Self.goodHeader, buffer: Self.goodBuffer + [0, 0, 0, 0], tensor: nil,
      containing: "4 bytes that belong to no tensor")
  }

  @Test("a size that does not match dtype and shape")
  func sizeMismatch() throws {
    let header =
      #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F16","shape":[2],"data_offsets":[8,16]}}"#
    try expectError(header: header, tensor: "b", containing: "hold 8 bytes, but F16 [2] needs 4")
  }

  @Test("a shape whose byte size overflows")
  func shapeOverflow() throws {
    let header = #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}}"#
    try expectError(header: header, tensor: "a", containing: "too large")
  }

  @Test("a packed 4-bit tensor that ends mid-byte")
  func packedMisaligned() throws {
    let header = #"{"a":{"dtype":"F4","shape":[3],"data_offsets":[0,16]}}"#
    try expectError(header: header, tensor: "a", containing: "byte boundary")
  }

  // MARK: - Header JSON

  @Test("an unknown dtype")
  func unknownDType() throws {
    let header =
      #"{"a":{"dtype":"F17","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#
    try expectError(
      header: header, tensor: "a", containing: "unknown dtype \"F17\"; expected one of F64, F32")
  }

  @Test("invalid JSON, reported by line and column")
  func invalidJSON() throws {
    let header = "{\"a\":{\"dtype\":\"F32\",\n\"shape\":[2] \"data_offsets\":[0,8]}}"
    try expectError(
      header: header, buffer: Array(Self.goodBuffer.prefix(8)), tensor: nil, containing: "line 2, column 13")
  }

  @Test("a header that is not UTF-8")
  func notUTF8() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let header: [UInt8] = Array(#"{"a":"#.utf8) + [0xFF, 0xFE] + Array("}".utf8)
    var length = UInt64(header.count).littleEndian
    let url = try folder.write(withUnsafeBytes(of: &length) { Array($0) } + header)
    try expectError(url, tensor: nil, containing: "not valid UTF-8")
  }

  @Test("a header that is a JSON array, not an object")
  func headerNotObject() throws {
    try expectError(header: "[]", buffer: [], tensor: nil, containing: "expected a JSON object")
  }

  @Test("a tensor entry that is not an object")
  func entryNotObject() throws {
    try expectError(header: #"{"a":[0,8]}"#, buffer: [], tensor: "a", containing: "expected an object")
  }

  @Test("a duplicate tensor name")
  func duplicateTensor() throws {
    let header =
      #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#
    try expectError(header: header, tensor: nil, containing: "duplicate key \"a\"")
  }

  @Test("a duplicate field inside a tensor entry")
  func duplicateField() throws {
    let header = #"{"a":{"dtype":"F32","dtype":"U8","shape":[2],"data_offsets":[0,8]}}"#
    try expectError(
      header: header, buffer: Array(Self.goodBuffer.prefix(8)), tensor: nil,
      containing: "duplicate key \"dtype\"")
  }

  @Test("a duplicate metadata key")
  func duplicateMetadataKey() throws {
    let header = #"{"__metadata__":{"format":"pt","format":"np"}}"#
    try expectError(header: header, buffer: [], tensor: nil, containing: "duplicate key \"format\"")
  }

  @Test("a missing field", arguments: ["dtype", "shape", "data_offsets"])
  func missingField(field: String) throws {
    let fields = [#""dtype":"F32""#, #""shape":[2]"#, #""data_offsets":[0,8]"#]
    let kept = fields.filter { !$0.hasPrefix("\"\(field)\"") }
    let header = #"{"a":{"# + kept.joined(separator: ",") + "}}"
    try expectError(
      header: header, buffer: Array(Self.goodBuffer.prefix(8)), tensor: "a",
      containing: "missing field \"\(field)\"")
  }

  @Test(
    "fields of the wrong type",
    arguments: [
      (#""dtype":32,"shape":[2],"data_offsets":[0,8]"#, "\"dtype\" is an integer"),
      (#""dtype":"F32","shape":[-2],"data_offsets":[0,8]"#, "\"shape\" must be"),
      (#""dtype":"F32","shape":[2.0],"data_offsets":[0,8]"#, "\"shape\" must be"),
      (#""dtype":"F32","shape":[2],"data_offsets":[0,8,8]"#, "\"data_offsets\" must be"),
      (#""dtype":"F32","shape":[2],"data_offsets":"0-8""#, "\"data_offsets\" must be"),
    ])
  func wrongFieldType(fields: String, phrase: String) throws {
    try expectError(
      header: #"{"a":{"# + fields + "}}", buffer: Array(Self.goodBuffer.prefix(8)), tensor: "a",
      containing: phrase)
  }

  @Test("metadata values that are not strings")
  func metadataNotStrings() throws {
    try expectError(
      header: #"{"__metadata__":{"format":1}}"#, buffer: [], tensor: nil, containing: "expected a string")
    try expectError(
      header: #"{"__metadata__":["pt"]}"#, buffer: [], tensor: nil,
      containing: "expected an object of strings")
  }

  // MARK: - The file itself

  @Test("a missing file")
  func missingFile() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    try expectError(folder.file("absent.safetensors"), tensor: nil, containing: "cannot open")
  }

  @Test("a folder instead of a file")
  func folderInsteadOfFile() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    try expectError(folder.url, tensor: nil, containing: "not a regular file")
  }
}
