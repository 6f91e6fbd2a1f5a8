import Foundation
import TensorCore
import Testing

/// The notebook's default run, end to end, as a teacher runs it: chapter 05 pretrains at its
/// standard size (about two minutes on two cores) and saves its checkpoint, then chapters 02, 04
/// and 06 read that checkpoint. The other chapter tests run the chapters' code at the quick size;
/// these check the numbers of the default run that the chapters' prose and the README quote and
/// draw conclusions from, as the chapters print them: each claim (training makes the loss fall
/// below the baseline, "fox" first, attention that chooses, the gain of pretraining) and its
/// figures to the printed digits. Runs are seeded and bitwise the same on every machine with
/// the same GEMM kernel, so a changed figure means changed arithmetic, which the prose must
/// follow. The figures are the AVX-512 kernel's, as are the committed plots: another kernel
/// blocks its sums differently and prints other last digits, so there the suite is skipped.
///
/// The chapters run as the built executables, each in its own process, with their plots and the
/// checkpoint in a temporary folder.
@Suite(
  "The notebook's default run: the figures the prose and the README quote",
  .serialized,
  .enabled(if: DefaultRun.executablesBuilt, "the chapter executables were not built next to the tests"),
  .enabled(if: GEMM.kernelName == "avx512", "the quoted figures are those of the AVX-512 GEMM kernel"))
struct DefaultRunTests {
  /// The run, made once by the first test that asks for it.
  static let run = Result { try DefaultRun() }

  /// The lines of `chapter`'s standard output.
  static func lines(_ chapter: String) throws -> [String] {
    let run = try Self.run.get()
    return try #require(run.outputs[chapter], "no output of \(chapter)").split(separator: "\n").map(
      String.init)
  }

  /// The one line of `lines` that starts with `prefix` (after leading spaces).
  static func line(_ lines: [String], startingWith prefix: String) throws -> String {
    let matching = lines.filter { $0.drop { $0 == " " }.hasPrefix(prefix) }
    #expect(matching.count == 1, "\(matching.count) lines start with \"\(prefix)\"")
    return try #require(matching.first, "no line starts with \"\(prefix)\"")
  }

  /// The decimal numbers in `text`, in order ("6.0414 -> 0.7196" gives [6.0414, 0.7196]).
  static func numbers(_ text: String) -> [Double] {
    text.split { !($0.isNumber || $0 == "." || $0 == "-") }.compactMap { Double($0) }
  }

  // MARK: - Chapter 05

  @Test("05: the held-out loss falls from about ln V to below the unigram baseline: 6.0414 -> 0.7196")
  func pretrainingLoss() throws {
    let lines = try Self.lines("Chapter05")
    #expect(
      try Self.line(lines, startingWith: "parameters:")
        == "parameters: 473616 (the decoder shares the word embeddings)")
    let entropy = try Self.line(lines, startingWith: "unigram entropy")
    #expect(entropy == "unigram entropy H = 4.4547 nats (a uniform guess costs ln V = 5.9915)")
    let loss = try Self.line(lines, startingWith: "held-out loss")
    #expect(loss == "held-out loss 6.0414 -> 0.7196; baseline 4.4547; mean training loss 1.2878")
    let values = Self.numbers(loss)
    try #require(values.count == 4)
    // Before training, near ln V; after, far below the context-free baseline.
    #expect(abs(values[0] - log(400)) < 0.1 && values[1] < values[2] / 2)
  }

  @Test("05: \"fox\" goes from rank 353 (p 0.0019) to first (p 0.9714) at the seed's [MASK]")
  func foxBeforeAndAfter() throws {
    let ranks = try Self.lines("Chapter05").filter { $0.contains("\"fox\" ranks") }
    #expect(
      ranks == [
        "  \"fox\" ranks 353 of 400, p = 0.0019",
        "  \"fox\" ranks 1 of 400, p = 0.9714",
      ])
  }

  @Test("05: 9 of the 9 whole-word held-out adjectives lean toward their polarity")
  func polarityLeans() throws {
    let lines = try Self.lines("Chapter05")
    #expect(
      try Self.line(lines, startingWith: "9 of 9") == "9 of 9 whole-word held-out words lean the right way")
    // The table between its header and that count: each measured lean has its polarity's sign.
    let header = try #require(lines.firstIndex { $0.hasPrefix("word ") })
    let count = try #require(lines.firstIndex { $0.hasPrefix("9 of 9") })
    let leans = lines[(header + 1)..<count].compactMap { line -> (positive: Bool, lean: Double)? in
      guard let lean = Self.numbers(line).last else { return nil }  // a word split into pieces
      return (line.contains(" positive "), lean)
    }
    #expect(leans.count == 9)
    #expect(leans.allSatisfy { $0.positive == ($0.lean > 0) })
  }

  // MARK: - Chapter 02

  @Test(
    "02: trained attention chooses: entropies 1.8335 and 1.7839 against 2.3976 untrained; fox to quick, brown"
  )
  func trainedAttention() throws {
    let lines = try Self.lines("Chapter02")
    let trained = try #require(lines.firstIndex { $0.hasPrefix("trained (") })
    let untrained = try #require(lines.firstIndex { $0.hasPrefix("randomly initialised") })
    // The two tables: a header, then one row per layer.
    let untrainedRows = Array(lines[(untrained + 2)...(untrained + 3)])
    let trainedRows = Array(lines[(trained + 2)...(trained + 3)])
    #expect(untrainedRows.map(Self.numbers) == [[1, 2.3976, 0.094], [2, 2.3976, 0.096]])
    #expect(trainedRows.map(Self.numbers) == [[1, 1.8335, 0.447], [2, 1.7839, 0.381]])
    #expect(trainedRows[0].contains("quick (0.447)") && trainedRows[1].contains("brown (0.381)"))
    for (before, after) in zip(untrainedRows, trainedRows) {
      #expect(Self.numbers(after)[1] < Self.numbers(before)[1] - 0.5, "\(before) / \(after)")
    }
  }

  // MARK: - Chapter 04

  @Test("04: the trained model's loss on step 3's masks is 0.6735, and it puts p 0.9721 on \"fox\"")
  func trainedMaskedLM() throws {
    let lines = try Self.lines("Chapter04")
    let loss = try Self.line(lines, startingWith: "trained (")
    #expect(loss.hasSuffix("loss on step 3's masks 0.6735 (ln V = 5.9915)"))
    // The untrained stand-in, then the trained model, at the seed's [MASK].
    #expect(
      lines.filter { $0.hasPrefix("  p(fox)") } == [
        "  p(fox) = 0.0019, rank 351; its loss -ln p = 6.2883 (the seed's model: 0.2231)",
        "  p(fox) = 0.9721, rank 1; its loss -ln p = 0.0283 (the seed's model: 0.2231)",
      ])
  }

  // MARK: - Chapter 06

  @Test("06: pretraining gains 14.8 points of test accuracy (29.3 on held-out words) over the random control")
  func gainOfPretraining() throws {
    let lines = try Self.lines("Chapter06")
    let gains = lines.filter { $0.hasPrefix("gain of pretraining") }
    #expect(
      gains == [
        "gain of pretraining: 14.8 points (held-out words 29.3)",
        "gain of pretraining, frozen embeddings: 17.8 points (held-out words 19.0)",
      ])
    let pretrained = try Self.line(lines, startingWith: "pretrained ")
    let random = try Self.line(lines, startingWith: "random ")
    #expect(Self.numbers(pretrained).first == 0.8755 && Self.numbers(random).first == 0.7275)
  }
}

/// The chapters' default run in a temporary folder: chapter 05 writes its checkpoint there, and
/// 02, 04 and 06 read it.
struct DefaultRun {
  /// Each chapter's standard output, by executable name.
  let outputs: [String: String]

  /// The folder of the built executables: the test binary's own.
  static var buildFolder: URL {
    let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let path =
      FileManager.default.fileExists(atPath: binary.path)
      ? binary : URL(fileURLWithPath: CommandLine.arguments[0])
    return path.deletingLastPathComponent()
  }

  static var executablesBuilt: Bool {
    ["Chapter02", "Chapter04", "Chapter05", "Chapter06"].allSatisfy {
      FileManager.default.isExecutableFile(atPath: buildFolder.appendingPathComponent($0).path)
    }
  }

  init() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "default-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = folder.appendingPathComponent("notebook-bert").path
    let common = ["--plots", folder.appendingPathComponent("plots").path, "--no-render"]
    var outputs: [String: String] = [:]
    let log = folder.appendingPathComponent("stderr.txt")
    outputs["Chapter05"] = try Self.run("Chapter05", common + ["--output", model], log: log)
    outputs["Chapter02"] = try Self.run("Chapter02", common + ["--model", model], log: log)
    outputs["Chapter04"] = try Self.run("Chapter04", common + ["--model", model], log: log)
    outputs["Chapter06"] = try Self.run(
      "Chapter06", common + ["--model", model, "--work-folder", folder.path], log: log)
    self.outputs = outputs
  }

  /// Runs the executable `name` with `arguments` and returns its standard output; throws with
  /// the end of its standard error when it fails. Standard error (the Trainer's progress lines)
  /// goes to `log`, a file, which nobody needs to read while the chapter runs.
  static func run(_ name: String, _ arguments: [String], log: URL) throws -> String {
    let process = Process()
    process.executableURL = buildFolder.appendingPathComponent(name)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
      throw DefaultRunError(chapter: name, status: -1, error: "cannot create \(log.path)")
    }
    let errorFile = try FileHandle(forWritingTo: log)
    defer { try? errorFile.close() }
    process.standardError = errorFile
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let error = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
      throw DefaultRunError(chapter: name, status: process.terminationStatus, error: error)
    }
    return text
  }
}

/// A chapter of the default run that exited with an error.
struct DefaultRunError: Error, CustomStringConvertible {
  let chapter: String
  let status: Int32
  let error: String
  var description: String { "\(chapter) exited with status \(status): \(error.suffix(2000))" }
}
