import Foundation
import Testing

@testable import SafeTensors

/// The expected contents of `dtypes.safetensors`, written by scripts/make_safetensors_fixtures.py.
private struct DTypesFixture: Decodable {
  struct Tensor: Decodable {
    let dtype: String
    let shape: [Int]
    let float32Bits: [UInt32]?
    let values: [Int64]?
  }
  let metadata: [String: String]
  let fileOrder: [String]
  let tensors: [String: Tensor]
}

@Suite("SafeTensors: reading files written by the reference library")
struct SafeTensorsReaderTests {
  private let fixture: DTypesFixture
  private let file: SafeTensorsFile

  init() throws {
    fixture = try snakeCaseDecoder().decode(
      DTypesFixture.self, from: Data(contentsOf: try SafeTensorsTests.fixture("dtypes.json")))
    file = try SafeTensorsFile(contentsOf: try SafeTensorsTests.fixture("dtypes.safetensors"))
  }

  @Test("header: metadata, names, dtypes and shapes, entries in file order")
  func header() {
    #expect(file.metadata == fixture.metadata)
    #expect(file.entries.map(\.name) == fixture.fileOrder)
    for entry in file.entries {
      let expected = fixture.tensors[entry.name]
      #expect(entry.dtype.rawValue == expected?.dtype, "\(entry.name)")
      #expect(entry.shape == expected?.shape, "\(entry.name)")
      #expect(file.entry(entry.name) == entry)
    }
    #expect(file.dataOffset % 8 == 0, "the reference pads the header to 8 bytes; data at \(file.dataOffset)")
    #expect(file.entry("absent") == nil)
  }

  @Test(
    "F32, F16, BF16 and F64 convert to the Float32 values torch computes, bit for bit",
    arguments: ["f32", "f16", "bf16", "f64"])
  func floatingPoint(name: String) throws {
    #expect(file.isFloatingPoint(name))
    let tensor = try file.tensor(name)
    let expected = try #require(fixture.tensors[name]?.float32Bits)
    #expect(tensor.shape == fixture.tensors[name]?.shape)
    let bits = tensor.scalars.map(\.bitPattern)
    for (index, (got, want)) in zip(bits, expected).enumerated() {
      let bothNaN = Float(bitPattern: got).isNaN && Float(bitPattern: want).isNaN
      #expect(
        got == want || bothNaN,
        "\(name)[\(index)]: got \(Float(bitPattern: got)) (0x\(String(got, radix: 16))), expected \(Float(bitPattern: want)) (0x\(String(want, radix: 16)))"
      )
    }
    #expect(bits.count == expected.count)
  }

  @Test(
    "I64, I32, U8 and BOOL read as integers with their exact values", arguments: ["i64", "i32", "u8", "bool"])
  func integers(name: String) throws {
    #expect(!file.isFloatingPoint(name))
    #expect(try file.integerScalars(name) == fixture.tensors[name]?.values)
  }

  @Test("tensor(_:) of an integer tensor throws naming it")
  func integerAsFloatThrows() {
    #expect {
      _ = try file.tensor("i64")
    } throws: { error in
      let error = error as? SafeTensorsError
      return error?.tensor == "i64" && error?.message.contains("I64") == true
    }
  }

  @Test("reading an absent tensor throws naming it")
  func absentTensorThrows() {
    #expect(!file.isFloatingPoint("nope"))
    #expect {
      _ = try file.tensor("nope")
    } throws: { error in
      (error as? SafeTensorsError)?.tensor == "nope"
    }
    #expect {
      _ = try file.integerScalars("nope")
    } throws: { error in
      (error as? SafeTensorsError)?.tensor == "nope"
    }
  }

  @Test("integerScalars(_:) of a float tensor throws naming it")
  func floatAsIntegerThrows() {
    #expect {
      _ = try file.integerScalars("f16")
    } throws: { error in
      (error as? SafeTensorsError)?.tensor == "f16"
    }
  }
}

@Suite("SafeTensors: what the reference accepts, accepted")
struct SafeTensorsAcceptanceTests {
  @Test("an empty header with no data opens with no tensors")
  func emptyFile() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let file = try SafeTensorsFile(contentsOf: try folder.write(header: "{}", buffer: []))
    #expect(file.entries.isEmpty)
    #expect(file.metadata.isEmpty)
  }

  @Test("scalars, empty tensors, extra fields, null metadata and whitespace padding are accepted")
  func edgeCases() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let header = """
       {"__metadata__": null,
        "scalar": {"dtype": "F32", "shape": [], "data_offsets": [0, 4], "comment": "ignored"},
        "empty": {"dtype": "BF16", "shape": [0, 7], "data_offsets": [4, 4]}}\("   ")
      """
    let file = try SafeTensorsFile(contentsOf: try folder.write(header: header, buffer: float32Bytes([2.5])))
    #expect(file.metadata.isEmpty)
    #expect(try file.tensor("scalar").scalars == [2.5])
    #expect(try file.tensor("scalar").shape == [])
    let empty = try file.tensor("empty")
    #expect(empty.shape == [0, 7] && empty.scalars.isEmpty)
  }

  @Test("entries come in data order whatever the header order; unaligned data reads correctly")
  func fileOrder() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    // A 3-byte-off header leaves the data unaligned.
    let header =
      #"{"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
    let file = try SafeTensorsFile(
      contentsOf: try folder.write(header: header, buffer: float32Bytes([1, -3])))
    #expect(file.entries.map(\.name) == ["a", "b"])
    #expect(file.entries.map(\.byteRange) == [0..<4, 4..<8])
    #expect(try file.tensor("a").scalars == [1])
    #expect(try file.tensor("b").scalars == [-3])
  }

  @Test("every dtype of the reference is recognised", arguments: SafeTensorsDType.allCases)
  func recognisedDType(dtype: SafeTensorsDType) throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    // 8 elements are a whole number of bytes for every width, the 4- and 6-bit ones included.
    let bytes = 8 * dtype.bitWidth / 8
    let header = #"{"t":{"dtype":"\#(dtype.rawValue)","shape":[2,4],"data_offsets":[0,\#(bytes)]}}"#
    let file = try SafeTensorsFile(
      contentsOf: try folder.write(header: header, buffer: [UInt8](repeating: 0, count: bytes)))
    #expect(file.entry("t")?.dtype == dtype)
    #expect(file.isFloatingPoint("t") == [.f64, .f32, .f16, .bf16].contains(dtype))
  }
}
