import Foundation
import Testing

@testable import SafeTensors

/// A fresh empty folder under the system temporary folder, removed by `remove()`.
struct TemporaryFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("safetensors-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> URL { url.appendingPathComponent(name) }

  func remove() { try? FileManager.default.removeItem(at: url) }

  /// Writes raw bytes to `name` and returns its URL.
  func write(_ bytes: [UInt8], to name: String = "test.safetensors") throws -> URL {
    let destination = file(name)
    try Data(bytes).write(to: destination)
    return destination
  }

  /// Writes a file made of the 8-byte length of `header`, `header` and `buffer`.
  func write(header: String, buffer: [UInt8], to name: String = "test.safetensors") throws -> URL {
    try write(safetensorsBytes(header: header, buffer: buffer), to: name)
  }
}

/// The bytes of a safetensors file with this header text and data buffer.
func safetensorsBytes(header: String, buffer: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
  let headerBytes = Array(header.utf8)
  var length = (declaredLength ?? UInt64(headerBytes.count)).littleEndian
  return withUnsafeBytes(of: &length) { Array($0) } + headerBytes + buffer
}

/// The URL of a committed fixture.
func fixture(_ name: String) throws -> URL {
  try #require(
    Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil), "missing fixture \(name)")
}

/// Opens `url`, expecting a `SafeTensorsError`, and returns it.
func openingError(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) -> SafeTensorsError? {
  do {
    let file = try SafeTensorsFile(contentsOf: url)
    Issue.record(
      "expected an error, but the file opened with \(file.entries.count) tensors",
      sourceLocation: sourceLocation)
    return nil
  } catch let error as SafeTensorsError {
    #expect(
      error.file == url.path, "the error names \(error.file), not the file", sourceLocation: sourceLocation)
    return error
  } catch {
    Issue.record(
      "expected SafeTensorsError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    return nil
  }
}

/// Little-endian bytes of Float32 values.
func float32Bytes(_ values: [Float]) -> [UInt8] {
  values.flatMap { value -> [UInt8] in
    let bits = value.bitPattern
    return (0..<4).map { UInt8((bits >> (8 * $0)) & 0xFF) }
  }
}

/// A decoder for the fixtures' snake_case JSON keys.
func snakeCaseDecoder() -> JSONDecoder {
  let decoder = JSONDecoder()
  decoder.keyDecodingStrategy = .convertFromSnakeCase
  return decoder
}
