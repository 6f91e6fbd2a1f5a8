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

  /// Expects `block` among `lines` as consecutive lines, exactly as printed.
  static func expectBlock(
    _ block: [String], in lines: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let found = lines.indices.contains { start in
      start + block.count <= lines.count && Array(lines[start..<(start + block.count)]) == block
    }
    #expect(found, "not printed as such:\n\(block.joined(separator: "\n"))", sourceLocation: sourceLocation)
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

  @Test("05: the model, the schedule, and the held-out loss every 100 of the 2400 steps")
  func pretrainingRun() throws {
    let lines = try Self.lines("Chapter05")
    Self.expectBlock(
      ["BertForMaskedLM: L = 2 layers, H = 128, A = 2 heads, I = 512, V = 400, positions = 64"], in: lines)
    Self.expectBlock(
      [
        "batch 64, 2400 steps, peak learning rate 0.001, warmup 100 steps, weight decay 0.01, "
          + "held-out loss every 100 steps"
      ], in: lines)
    Self.expectBlock(
      [
        "step   held-out loss",
        "   0   6.0414", " 100   3.5555", " 200   2.2333", " 300   1.7394", " 400   1.5333", " 500   1.3771",
        " 600   1.2373", " 700   1.0882", " 800   0.9956", " 900   0.9566", "1000   0.9075", "1100   0.8579",
        "1200   0.8252", "1300   0.8090", "1400   0.7979", "1500   0.7724", "1600   0.7571", "1700   0.7510",
        "1800   0.7461", "1900   0.7365", "2000   0.7343", "2100   0.7309", "2200   0.7224", "2300   0.7215",
        "2400   0.7196",
      ], in: lines)
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

  @Test("05: the leans as printed; 9 of the 9 whole-word held-out adjectives lean toward their polarity")
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
    Self.expectBlock(
      [
        "word        polarity      lean",
        "superb      positive    0.0281",
        "splendid    positive    0.0012",
        "marvelous   positive    0.0249",
        "delightful  positive    0.0326",
        "adored      positive  (split into pieces)",
        "dreadful    negative   -0.0447",
        "tedious     negative   -0.0358",
        "bland       negative   -0.0467",
        "mediocre    negative   -0.0164",
        "loathed     negative   -0.0179",
      ], in: lines)
  }

  @Test("05: the corpus, the vocabulary and the examples: 5700/300 documents, 134 of 171 words whole")
  func pretrainingData() throws {
    let lines = try Self.lines("Chapter05")
    Self.expectBlock(
      [
        "source: generated, 6000 documents from seed 42",
        "documents: 5700 for training, 300 held out; sentences: 24623 and 1331",
      ], in: lines)
    Self.expectBlock(
      [
        "V = 400 word pieces; 134 of the corpus's 171 distinct words are one piece",
        "\"The quick brown fox jumps over the lazy dog.\" -> [CLS] the quick brown fox jumps over the lazy dog . [SEP]",
        "examples: 24623 for training (341451 tokens), 1331 held out",
      ], in: lines)
  }

  @Test("05: fill-mask's top five, near uniform before training and led by \"fox\" after")
  func fillMaskTopFive() throws {
    let lines = try Self.lines("Chapter05")
    Self.expectBlock(
      [
        "\"The quick brown [MASK] jumps over the lazy dog.\", before training:",
        "  ##ain       0.0055", "  ##ange      0.0046", "  qu          0.0045", "  ##ov        0.0044",
        "  wh          0.0042",
      ], in: lines)
    Self.expectBlock(
      [
        "\"The quick brown [MASK] jumps over the lazy dog.\", after training:",
        "  fox         0.9714", "  mouse       0.0097", "  turtle      0.0074", "  owl         0.0051",
        "  foxes       0.0043",
      ], in: lines)
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
    #expect(trainedRows.map(Self.numbers) == [[1, 1.8335, 0.447], [2, 1.7839, 0.381]])
    #expect(trainedRows[0].contains("quick (0.447)") && trainedRows[1].contains("brown (0.381)"))
    for (before, after) in zip(untrainedRows, trainedRows) {
      #expect(Self.numbers(after)[1] < Self.numbers(before)[1] - 0.5, "\(before) / \(after)")
    }
  }

  @Test(
    "02: the checkpoint's vocabulary reads T = 11 tokens; ln T = 2.3979; untrained, fox looks at the, then over"
  )
  func checkpointTokens() throws {
    let lines = try Self.lines("Chapter02")
    Self.expectBlock(
      [
        "tokens: [CLS] the quick brown fox jumps over the lazy dog [SEP] (T = 11); following \"fox\"",
        "config: L = 2 layers, H = 128, A = 2 heads, V = 400",
        "randomly initialised (seed 42); uniform attention would have entropy ln T = 2.3979",
        "layer  mean entropy (nats)  fox attends most to",
        "    1               2.3976  the (0.094)",
        "    2               2.3976  over (0.096)",
      ], in: lines)
  }

  // MARK: - Chapter 04

  @Test("04: the top ten at [MASK] untrained and trained; trained, loss 0.6735 on step 3's masks, p 0.9721")
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
    // The top ten at the [MASK]: about 1/V each untrained, "fox" far ahead trained.
    Self.expectBlock(
      [
        "untrained: top 10 of 400",
        "   1. ##ain        0.0055", "   2. ##ange       0.0046", "   3. qu           0.0045",
        "   4. ##ov         0.0044", "   5. wh           0.0042", "   6. is           0.0042",
        "   7. rabbits      0.0041", "   8. hid          0.0041", "   9. laz          0.0039",
        "  10. game         0.0039",
      ], in: lines)
    Self.expectBlock(
      [
        "trained: top 10 of 400",
        "   1. fox          0.9721", "   2. mouse        0.0092", "   3. turtle       0.0070",
        "   4. owl          0.0054", "   5. foxes        0.0041", "   6. over         0.0004",
        "   7. quick        0.0003", "   8. lazy         0.0003", "   9. ##d          0.0001",
        "  10. rabbit       0.0001",
      ], in: lines)
  }

  @Test(
    "04: with the checkpoint's vocabulary: 15 of 98 chosen, the corpus's shares, the untrained loss 6.0159")
  func checkpointMasking() throws {
    let lines = try Self.lines("Chapter04")
    Self.expectBlock(
      [
        "these 8 sentences: 15 of 98 tokens chosen (each sentence: round(0.15 x its tokens), at least 1); "
          + "12 [MASK], 2 random, 1 unchanged",
        "the whole corpus (8675 sentences): 17295 of 103094 chosen (16.78%); [MASK] 79.71%, random 10.24%, "
          + "unchanged 10.05%",
      ], in: lines)
    Self.expectBlock(
      [
        "config: L = 2 layers, H = 128, A = 2 heads, V = 400",
        "masked-LM loss of the untrained model on step 3's 15 masks: 6.0159",
        "ln V = ln 400 = 5.9915; difference 0.0244",
        "logit spread: predicted s = 0.02 x sqrt(128) = 0.2263, measured 0.2338; ln V + s^2/2 = 6.0171",
      ], in: lines)
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
  }

  @Test("06: the checkpoint, the Trainer's log, both models' test scores, the 8.2 table, the 6.1 sentences")
  func fineTuningFigures() throws {
    let lines = try Self.lines("Chapter06")
    let checkpoint = try Self.run.get().checkpoint
    Self.expectBlock(
      [
        "\(checkpoint): BertForMaskedLM, L = 2, H = 128, A = 2, V = 400"
      ], in: lines)
    Self.expectBlock(
      [
        "output_dir ./results, num_train_epochs 3, per_device_train_batch_size 16, per_device_eval_batch_size 64, "
          + "warmup_steps 8 (the seed's 500, scaled), weight_decay 0.01, logging_dir ./logs, learning_rate 0.001",
        "updates: 3 epochs x 25 batches = 75",
      ], in: lines)
    Self.expectBlock(["train 400, dev 100, test 400"], in: lines)
    #expect(
      try Self.line(lines, startingWith: "test sentences using them:")
        == "test sentences using them: 200, e.g.")
    Self.expectBlock(
      [
        "step  epoch  training loss  dev loss  dev accuracy",
        "   5   0.20         0.7034    0.6947        0.4800",
        "  10   0.40         0.7078    0.6929        0.5000",
        "  15   0.60         0.6997    0.6857        0.5400",
        "  20   0.80         0.6849    0.6826        0.5000",
        "  25   1.00         0.7006    0.6607        0.5900",
        "  30   1.20         0.6676    0.6621        0.6200",
        "  35   1.40         0.7022    0.6454        0.6600",
        "  40   1.60         0.6227    0.6172        0.7900",
        "  45   1.80         0.5995    0.5126        0.8100",
        "  50   2.00         0.5493    0.4458        0.7600",
        "  55   2.20         0.4222    0.2992        0.9100",
        "  60   2.40         0.4459    0.2316        0.9900",
        "  65   2.60         0.3143    0.1674        1.0000",
        "  70   2.80         0.2379    0.1407        1.0000",
        "  75   3.00         0.1600    0.1310        1.0000",
      ], in: lines)
    Self.expectBlock(
      [
        "accuracy 0.8550, precision 0.8287, recall 0.8950, F1 0.8606 (class positive)",
        "confusion matrix (rows: true class, columns: predicted):",
        "          negative positive",
        "negative       163       37",
        "positive        21      179",
        "accuracy on seen words 1.0000, on held-out words 0.7100",
      ], in: lines)
    Self.expectBlock(
      [
        "accuracy 0.6825, precision 0.6637, recall 0.7400, F1 0.6998 (class positive)",
        "confusion matrix (rows: true class, columns: predicted):",
        "          negative positive",
        "negative       125       75",
        "positive        52      148",
        "accuracy on seen words 0.9850, on held-out words 0.3800",
      ], in: lines)
    Self.expectBlock(
      [
        "pretrained                      0.8755 (0.8525-0.9150, sd 0.0272)",
        "  held-out words only           0.7510 (0.7050-0.8300, sd 0.0545)",
        "random                          0.7275 (0.6675-0.7800, sd 0.0495)",
        "  held-out words only           0.4580 (0.3350-0.5600, sd 0.0957)",
        "pretrained, frozen embeddings   0.7480 (0.4975-0.9375, sd 0.1816)",
        "  held-out words only           0.6780 (0.4250-0.8800, sd 0.1870)",
        "random, frozen embeddings       0.5700 (0.4775-0.7675, sd 0.1210)",
        "  held-out words only           0.4880 (0.2600-0.6750, sd 0.1479)",
      ], in: lines)
    // 6.1: the seen-word sentences and "superb"/"dreadful" come out right; "adored" and
    // "loathed" (the chapter's caveat) do not.
    Self.expectBlock(
      [
        "the acting was wonderful and the music was great .          0.1067        0.8933",
        "what a boring film , the ending was awful .                 0.8423        0.1577",
        "the hotel was superb .                                      0.1314        0.8686",
        "honestly , the food was dreadful .                          0.8883        0.1117",
        "i adored this album .                                       0.9009        0.0991",
        "i loathed this show .                                       0.4033        0.5967",
      ], in: lines)
  }
}

/// The chapters' default run in a temporary folder: chapter 05 writes its checkpoint there, and
/// 02, 04 and 06 read it.
struct DefaultRun {
  /// Each chapter's standard output, by executable name.
  let outputs: [String: String]
  /// The folder chapter 05 wrote its checkpoint to (removed after the run), as the chapters print it.
  let checkpoint: String

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
    checkpoint = model
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
