import Foundation
import TensorCore
import Testing

@testable import SafeTensors

@Suite("SafeTensors: damaged files throw or load, never crash")
struct SafeTensorsFuzzTests {
  private static let name = "fuzz.safetensors"

  /// Opens a file holding `bytes` (a real file when `folder` is given, else an in-memory copy
  /// read through the same code) and, when it opens, reads every tensor.
  /// Returns whether all of it worked; an error other than `SafeTensorsError` is a failure.
  private func load(_ bytes: [UInt8], folder: TemporaryFolder? = nil, case label: String) throws -> Bool {
    do {
      let file: SafeTensorsFile
      if let folder {
        file = try SafeTensorsFile(contentsOf: try folder.write(bytes, to: Self.name))
      } else {
        file = try SafeTensorsFile(mapping: MappedFile(copying: bytes), url: URL(fileURLWithPath: Self.name))
      }
      for entry in file.entries {
        if entry.dtype.isConvertibleToFloat {
          #expect(try file.tensor(entry.name).count == entry.elementCount, "\(label)")
        } else if entry.dtype.isInteger, entry.dtype != .u64 {
          #expect(try file.integerScalars(entry.name).count == entry.elementCount, "\(label)")
        }
      }
      return true
    } catch is SafeTensorsError {
      return false
    } catch {
      Issue.record("\(label): \(type(of: error)) instead of SafeTensorsError: \(error)")
      return false
    }
  }

  /// `original` with 1 to 3 random bits flipped, mostly in the header where a flip changes meaning.
  private func flipped(_ original: [UInt8], headerEnd: Int, rng: inout RandomGenerator) -> [UInt8] {
    var bytes = original
    for _ in 0...rng.integer(below: 3) {
      let position =
        rng.integer(below: 4) == 0 ? rng.integer(below: bytes.count) : rng.integer(below: headerEnd)
      bytes[position] ^= UInt8(1 << rng.integer(below: 8))
    }
    return bytes
  }

  @Test("every truncation of a reference file is rejected; 5,000 seeded bit flips throw or load")
  func truncationsAndFlips() throws {
    let original = try [UInt8](Data(contentsOf: try SafeTensorsTests.fixture("dtypes.safetensors")))
    let headerEnd = 8 + Int(original.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })

    var wronglyLoaded: [Int] = []
    for length in 0..<original.count
    where try load(Array(original.prefix(length)), case: "truncated to \(length)") {
      wronglyLoaded.append(length)
    }
    #expect(wronglyLoaded.isEmpty, "truncations to these lengths loaded: \(wronglyLoaded)")

    var rng = RandomGenerator(seed: 2024)
    var outcomes = (loaded: 0, rejected: 0)
    for trial in 0..<5000 {
      let bytes = flipped(original, headerEnd: headerEnd, rng: &rng)
      if try load(bytes, case: "trial \(trial)") { outcomes.loaded += 1 } else { outcomes.rejected += 1 }
    }
    #expect(outcomes.loaded > 0 && outcomes.rejected > 0, "outcomes \(outcomes): both kinds expected")
  }

  @Test("the same through real files: 40 truncations and 60 bit flips")
  func throughFiles() throws {
    let original = try [UInt8](Data(contentsOf: try SafeTensorsTests.fixture("dtypes.safetensors")))
    let headerEnd = 8 + Int(original.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    var rng = RandomGenerator(seed: 99)
    for _ in 0..<40 {
      let length = rng.integer(below: original.count)
      #expect(try !load(Array(original.prefix(length)), folder: folder, case: "truncated to \(length)"))
    }
    for trial in 0..<60 {
      _ = try load(
        flipped(original, headerEnd: headerEnd, rng: &rng), folder: folder, case: "file trial \(trial)")
    }
  }
}
