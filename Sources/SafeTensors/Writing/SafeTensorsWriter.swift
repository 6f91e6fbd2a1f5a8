import Foundation
import TensorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// SafeTensorsWriter: F32 checkpoints in the layout the reference library writes.
//
// The header is compact JSON (`__metadata__` first, then the tensors in the order given), padded
// with spaces to a multiple of 8 bytes so the data buffer starts aligned, as the reference does.
// Given the tensors sorted by name, as the reference sorts tensors of one dtype, the bytes are
// identical to those of `safetensors.torch.save_file`.
//
// The file appears whole or not at all: the bytes go to a temporary file in the same folder,
// which is flushed to disk and then renamed over the destination.

/// Writes Float32 tensors to a safetensors file.
public enum SafeTensorsWriter {
  /// Writes F32 tensors, in the given order, to `url`, replacing any file there.
  ///
  /// - Parameters:
  ///   - tensors: names and tensors; names must be unique and must not be `__metadata__`.
  ///   - metadata: the header's `__metadata__` map (keys written sorted), or nil for none.
  ///     Hugging Face loaders expect `["format": "pt"]`.
  ///   - url: the destination file.
  /// - Throws: `SafeTensorsError` for a duplicate or reserved name, or when the folder cannot
  ///   be written.
  public static func write(
    _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String]? = ["format": "pt"], to url: URL
  ) throws {
    let path = url.path
    let header = try headerBytes(
      for: tensors.map { (name: $0.name, shape: $0.tensor.shape) }, metadata: metadata, file: path)

    let folder = url.deletingLastPathComponent().path
    let temporaryPath =
      folder + "/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard descriptor >= 0 else {
      throw SafeTensorsError(file: path, message: "cannot create \(temporaryPath): \(lastSystemError())")
    }
    var renamed = false
    defer {
      if !renamed { unlink(temporaryPath) }
    }
    do {
      defer { close(descriptor) }
      var prefix = UInt64(header.count).littleEndian
      try withUnsafeBytes(of: &prefix) { try writeBytes($0, to: descriptor, path: path) }
      try header.withUnsafeBytes { try writeBytes($0, to: descriptor, path: path) }
      for (_, tensor) in tensors {
        try writeLittleEndian(tensor.scalars, to: descriptor, path: path)
      }
      guard fsync(descriptor) == 0 else {
        throw SafeTensorsError(file: path, message: "cannot flush \(temporaryPath): \(lastSystemError())")
      }
    }
    guard rename(temporaryPath, path) == 0 else {
      throw SafeTensorsError(
        file: path, message: "cannot rename \(temporaryPath) over it: \(lastSystemError())")
    }
    renamed = true
  }

  // MARK: - Header

  /// The padded header for F32 tensors of these names and shapes, stored back to back.
  static func headerBytes(
    for tensors: [(name: String, shape: [Int])], metadata: [String: String]?, file: String
  ) throws(SafeTensorsError) -> [UInt8] {
    var json = "{"
    var members: [String] = []
    if let metadata {
      let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0] ?? ""))" }
      members.append("\(jsonString(SafeTensorsLayout.metadataKey)):{\(pairs.joined(separator: ","))}")
    }
    var seen: Set<String> = []
    var offset = 0
    for (name, shape) in tensors {
      guard name != SafeTensorsLayout.metadataKey else {
        throw SafeTensorsError(file: file, tensor: name, message: "this name is reserved for the metadata")
      }
      guard seen.insert(name).inserted else {
        throw SafeTensorsError(file: file, tensor: name, message: "given twice; tensor names must be unique")
      }
      let end = offset + shape.reduce(1, *) * MemoryLayout<Float>.size
      let dimensions = shape.map(String.init).joined(separator: ",")
      members.append(
        "\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(dimensions)],\"data_offsets\":[\(offset),\(end)]}"
      )
      offset = end
    }
    json += members.joined(separator: ",") + "}"
    var bytes = Array(json.utf8)
    let padding =
      (SafeTensorsLayout.headerAlignment - bytes.count % SafeTensorsLayout.headerAlignment)
      % SafeTensorsLayout.headerAlignment
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
    return bytes
  }

  /// `text` as a JSON string literal, escaped as serde_json escapes (quote, backslash and
  /// control characters; everything else verbatim).
  static func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case "\u{08}": result += "\\b"
      case "\u{0C}": result += "\\f"
      case "\u{00}"..<"\u{20}":
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }

  // MARK: - Output

  private static func writeLittleEndian(_ scalars: [Float], to descriptor: Int32, path: String) throws {
    #if _endian(little)
    try scalars.withUnsafeBytes { try writeBytes($0, to: descriptor, path: path) }
    #else
    let swapped = scalars.map { $0.bitPattern.littleEndian }
    try swapped.withUnsafeBytes { try writeBytes($0, to: descriptor, path: path) }
    #endif
  }

  private static func writeBytes(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws {
    if let failure = writeAll(bytes, to: descriptor) {
      throw SafeTensorsError(file: path, message: "cannot write: \(failure)")
    }
  }
}
