import Foundation
import TensorCore
import Testing

@testable import SafeTensors

/// The expected contents of `sorted_f32.safetensors`, written by scripts/make_safetensors_fixtures.py.
private struct SortedFixture: Decodable {
  struct Tensor: Decodable {
    let name: String
    let shape: [Int]
    let float32Bits: [UInt32]
  }
  let metadata: [String: String]
  let tensors: [Tensor]
}

@Suite("SafeTensors: writing")
struct SafeTensorsWriterTests {
  @Test("the bytes equal those of the reference's save_file for the same tensors sorted by name")
  func byteIdenticalToReference() throws {
    let fixture = try snakeCaseDecoder().decode(
      SortedFixture.self, from: Data(contentsOf: try SafeTensorsTests.fixture("sorted_f32.json")))
    let tensors = fixture.tensors.map {
      (name: $0.name, tensor: Tensor(shape: $0.shape, scalars: $0.float32Bits.map(Float.init(bitPattern:))))
    }
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let url = folder.file("written.safetensors")
    try SafeTensorsWriter.write(tensors, metadata: fixture.metadata, to: url)
    let written = try [UInt8](Data(contentsOf: url))
    let reference = try [UInt8](Data(contentsOf: try SafeTensorsTests.fixture("sorted_f32.safetensors")))
    let firstDifference = zip(written, reference).enumerated().first { $0.element.0 != $0.element.1 }?.offset
    #expect(
      written == reference,
      "\(written.count) vs \(reference.count) bytes; first difference at \(firstDifference.map(String.init) ?? "the end")"
    )
  }

  @Test("round trip: names, order, shapes, values (NaN and -0 included) and metadata come back")
  func roundTrip() throws {
    var rng = RandomGenerator(seed: 7)
    let tensors: [(name: String, tensor: Tensor)] = [
      ("bert.embeddings.word_embeddings.weight", rng.normalTensor(shape: [11, 5])),
      ("scalar", Tensor(shape: [], scalars: [-0.0])),
      ("empty", Tensor(zeros: [3, 0])),
      ("specials", Tensor([.nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude])),
      ("a", rng.normalTensor(shape: [2, 3, 4])),
    ]
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let url = folder.file("model.safetensors")
    try SafeTensorsWriter.write(
      tensors, metadata: ["format": "pt", "note": "line\nbreak \"quoted\""], to: url)

    let file = try SafeTensorsFile(contentsOf: url)
    #expect(file.metadata == ["format": "pt", "note": "line\nbreak \"quoted\""])
    // Empty tensors take no bytes, so "scalar" and "empty" may trade places; the rest keeps order.
    #expect(file.entries.map(\.name).filter { $0 != "empty" } == tensors.map(\.name).filter { $0 != "empty" })
    #expect(file.dataOffset % 8 == 0, "data starts at \(file.dataOffset), not 8-byte aligned")
    for (name, tensor) in tensors {
      let read = try file.tensor(name)
      #expect(read.shape == tensor.shape, "\(name)")
      #expect(read.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name)")
      #expect(file.entry(name)?.dtype == .f32)
    }
  }

  @Test("nil metadata writes no __metadata__ key")
  func noMetadata() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let url = folder.file("plain.safetensors")
    try SafeTensorsWriter.write([("x", Tensor([1, 2]))], metadata: nil, to: url)
    let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
    #expect(!text.contains("__metadata__"))
    #expect(try SafeTensorsFile(contentsOf: url).metadata.isEmpty)
  }

  @Test("an existing file is replaced whole and no temporary file is left behind")
  func replacesAtomically() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let url = folder.file("model.safetensors")
    try SafeTensorsWriter.write([("old", Tensor(zeros: [1000]))], to: url)
    try SafeTensorsWriter.write([("new", Tensor([5]))], to: url)
    let file = try SafeTensorsFile(contentsOf: url)
    #expect(file.entries.map(\.name) == ["new"])
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
    #expect(names == ["model.safetensors"], "folder holds \(names)")
  }

  @Test("a duplicate or reserved name throws, naming it, and leaves the old file untouched")
  func rejectsBadNames() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let url = folder.file("model.safetensors")
    try SafeTensorsWriter.write([("kept", Tensor([1]))], to: url)
    for bad in ["twice", "__metadata__"] {
      let tensors = bad == "twice" ? [("twice", Tensor([1])), ("twice", Tensor([2]))] : [(bad, Tensor([1]))]
      #expect {
        try SafeTensorsWriter.write(tensors.map { (name: $0.0, tensor: $0.1) }, to: url)
      } throws: { error in
        let error = error as? SafeTensorsError
        return error?.tensor == bad && error?.file == url.path
      }
    }
    #expect(try SafeTensorsFile(contentsOf: url).entries.map(\.name) == ["kept"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["model.safetensors"])
  }

  @Test("a folder that does not exist throws naming the file")
  func missingFolder() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let url = folder.url.appendingPathComponent("absent/model.safetensors")
    #expect {
      try SafeTensorsWriter.write([("x", Tensor([1]))], to: url)
    } throws: { error in
      (error as? SafeTensorsError)?.file == url.path
    }
  }

  @Test("JSON strings are escaped as serde_json escapes them")
  func escaping() {
    #expect(SafeTensorsWriter.jsonString("a\"b\\c/d") == #""a\"b\\c/d""#)
    #expect(SafeTensorsWriter.jsonString("\n\t\u{01}é") == "\"\\n\\t\\u0001é\"")
  }
}
