import Foundation
import Testing

@testable import BERT
@testable import bert

// The model subcommands of `bert`: fill-mask against transformers' pipeline, logits against the
// reference outputs of every tiny head, encode on MiniLM against sentence-transformers' pooling,
// info, and the built binary's exit status and standard error on bad input.

@Suite("bert encode, fill-mask, logits, info")
struct CommandLineTests {
  /// A JSON document parsed by Foundation.
  func parse(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
  }

  /// Nested JSON numbers flattened.
  func numbers(_ value: Any?) -> [Float] {
    if let number = value as? Double { return [Float(number)] }
    if let list = value as? [Any] { return list.flatMap(numbers) }
    return []
  }

  // MARK: - fill-mask

  @Test("fill-mask gives the pipeline's guesses, token strings and sequences (one mask and two)")
  func fillMaskAgainstPipeline() throws {
    let reference = try #require(
      try parse(
        String(
          contentsOf: try CheckpointFiles.fixture("fill-mask").appendingPathComponent("reference.json"),
          encoding: .utf8)) as? [String: Any])
    let topK = try #require(reference["top_k"] as? Int)
    let cases = try #require(reference["cases"] as? [[String: Any]])
    let checkpoint = try PretrainedCheckpoint(directory: try CheckpointFiles.fixture("tiny-masked-lm"))
    let (model, _) = try checkpoint.load(BertForMaskedLM.self)
    let tokenizer = try #require(checkpoint.tokenizer)
    var worst: Float = 0
    for testCase in cases {
      let text = try #require(testCase["text"] as? String)
      let printed = FillMaskCommand.json(try fillMask(text, model: model, tokenizer: tokenizer, topK: topK))
      let actual = try parse(printed)
      // One mask: an array of guesses; several: an array of such arrays, as the pipeline.
      let expectedGroups =
        (testCase["predictions"] as? [[[String: Any]]]) ?? [testCase["predictions"] as? [[String: Any]] ?? []]
      let actualGroups = (actual as? [[[String: Any]]]) ?? [actual as? [[String: Any]] ?? []]
      #expect(actualGroups.count == expectedGroups.count, "\(text): \(actualGroups.count) masks")
      #expect((actual as? [[String: Any]] != nil) == (expectedGroups.count == 1), "\(text): nesting differs")
      for (guesses, expectedGuesses) in zip(actualGroups, expectedGroups) {
        #expect(
          guesses.map { $0["token"] as? Int } == expectedGuesses.map { $0["token"] as? Int },
          "\(text): tokens")
        #expect(
          guesses.map { $0["token_str"] as? String } == expectedGuesses.map { $0["token_str"] as? String })
        #expect(
          guesses.map { $0["sequence"] as? String } == expectedGuesses.map { $0["sequence"] as? String })
        for (guess, expected) in zip(guesses, expectedGuesses) {
          let difference = abs(
            Float(guess["score"] as? Double ?? 0) - Float(expected["score"] as? Double ?? 1))
          worst = max(worst, difference)
          #expect(difference <= 1e-6, "\(text): score differs by \(difference)")
        }
      }
    }
    print("fill-mask against the pipeline: max |score difference| \(worst)")
  }

  @Test("fill-mask without a [MASK] in the text is an error saying so")
  func fillMaskWithoutMask() throws {
    let checkpoint = try PretrainedCheckpoint(directory: try CheckpointFiles.fixture("tiny-masked-lm"))
    let (model, _) = try checkpoint.load(BertForMaskedLM.self)
    let tokenizer = try #require(checkpoint.tokenizer)
    #expect(throws: FillMaskError.noMask(text: "the cat sat")) {
      _ = try fillMask("the cat sat", model: model, tokenizer: tokenizer)
    }
  }

  // MARK: - logits

  @Test(
    "logits: every tiny head's outputs for the reference batch, by the checkpoint's architectures",
    arguments: 0..<7)
  func logitsOfEveryHead(index: Int) throws {
    let folder = tinyCheckpointFolders[index].folder
    let directory = try CheckpointFiles.fixture(folder)
    let reference = try #require(
      try parse(String(contentsOf: directory.appendingPathComponent("reference.json"), encoding: .utf8))
        as? [String: Any])
    let inputs = try #require(reference["inputs"] as? [String: Any])
    let line = String(decoding: try JSONSerialization.data(withJSONObject: inputs), as: UTF8.self)
    let checkpoint = try PretrainedCheckpoint(directory: directory)
    let (model, _) = try checkpoint.load(try checkpoint.architecture.modelType)
    let output = try #require(
      try parse(LogitsCommand.outputs(forLine: line, model: model, name: "line 1")) as? [String: Any])
    let expected = try #require(reference["outputs"] as? [String: Any])
    #expect(Set(output.keys) == Set(expected.keys), "\(folder): keys \(output.keys.sorted())")
    for (key, value) in expected {
      let (a, e) = (numbers(output[key]), numbers(value))
      #expect(a.count == e.count, "\(folder) \(key): \(a.count) numbers, reference \(e.count)")
      let difference = zip(a, e).map { abs($0 - $1) }.max() ?? .infinity
      #expect(difference <= 1e-5, "\(folder) \(key): max difference \(difference)")
    }
  }

  @Test("logits: one sequence in gives one sequence out; bad lines are errors naming the line")
  func logitsShapesAndErrors() throws {
    let checkpoint = try PretrainedCheckpoint(
      directory: try CheckpointFiles.fixture("tiny-question-answering"))
    let (model, _) = try checkpoint.load(BertForQuestionAnswering.self)
    let single = try #require(
      try parse(LogitsCommand.outputs(forLine: "{\"input_ids\": [2, 7, 19, 3]}", model: model, name: "l1"))
        as? [String: Any])
    #expect(
      (single["start_logits"] as? [Double])?.count == 4 && (single["end_logits"] as? [Double])?.count == 4)
    let batch = try #require(
      try parse(LogitsCommand.outputs(forLine: "{\"input_ids\": [[2, 7, 19, 3]]}", model: model, name: "l1"))
        as? [String: Any])
    #expect(
      (batch["start_logits"] as? [[Double]])?.map { $0.map(Float.init) } == [numbers(single["start_logits"])])

    for (line, fragment) in [
      ("{\"input_ids\": [2, 7", "invalid JSON"),
      ("{\"input_ids\": [2, 700, 3]}", "input_ids[1] = 700"),
      ("{\"input_ids\": [2, 7, 3], \"attention_mask\": [1, 1]}", "attention_mask"),
      ("{\"ids\": [2]}", "no \"input_ids\""),
    ] {
      let error = #expect(throws: (any Error).self) {
        _ = try LogitsCommand.outputs(forLine: line, model: model, name: "<stdin>:3")
      }
      let message = error.map { "\($0)" } ?? ""
      #expect(message.contains("<stdin>:3") && message.contains(fragment), "\(line): \(message)")
    }
  }

  // MARK: - encode

  @Test("encode: batches padded to the longest give exactly the vectors of sentences run alone")
  func encodeBatchesAreExact() throws {
    let checkpoint = try PretrainedCheckpoint(directory: try CheckpointFiles.fixture("tiny-pretraining"))
    let (model, _) = try checkpoint.load(BertModel.self)
    let tokenizer = try #require(checkpoint.tokenizer)
    let sentences = ["the cat sat on the mat .", "a dog", "she saw a big red bird in the tree with he"]
    var batched: [String] = []
    try EncodeCommand.encode(sentences, model: model, tokenizer: tokenizer, maxLength: nil, batchSize: 8) {
      batched.append($0)
    }
    var alone: [String] = []
    try EncodeCommand.encode(sentences, model: model, tokenizer: tokenizer, maxLength: nil, batchSize: 1) {
      alone.append($0)
    }
    #expect(batched == alone)
    for (line, sentence) in zip(batched, sentences) {
      let object = try #require(try parse(line) as? [String: Any])
      #expect(object["ids"] as? [Int] == tokenizer.encode(sentence).ids)
      #expect((object["last_hidden_state"] as? [[Double]])?.count == tokenizer.encode(sentence).ids.count)
      let embedding = numbers(object["sentence_embedding"])
      let norm = embedding.reduce(0) { $0 + Double($1 * $1) }.squareRoot()
      #expect(embedding.count == 16 && abs(norm - 1) < 1e-5, "norm \(norm)")
    }
  }

  @Test(
    "encode on all-MiniLM-L6-v2: the reference sentences' vectors and embeddings",
    .enabled(
      if: CheckpointFiles.hasMiniLM, "the all-MiniLM-L6-v2 checkpoint is absent (scripts/fetch_test_model.sh)"
    ))
  func encodeMiniLM() throws {
    let checkpoint = try PretrainedCheckpoint(directory: try #require(CheckpointFiles.miniLMFolder))
    let (model, _) = try checkpoint.load(BertModel.self)
    let tokenizer = try #require(checkpoint.tokenizer)
    let minilm = try CheckpointFiles.fixture("minilm")
    let document = try #require(
      try parse(String(contentsOf: minilm.appendingPathComponent("reference.json"), encoding: .utf8))
        as? [String: Any])
    let sentences = try #require(document["sentences"] as? [String])
    let expected = try #require(document["sentence_embeddings"] as? [[Double]])
    var lines: [String] = []
    try EncodeCommand.encode(sentences, model: model, tokenizer: tokenizer, maxLength: nil, batchSize: 4) {
      lines.append($0)
    }
    #expect(lines.count == sentences.count)
    for (index, (line, reference)) in zip(lines, expected).enumerated() {
      let embedding = numbers((try parse(line) as? [String: Any])?["sentence_embedding"])
      let cosine = zip(embedding, reference).reduce(0.0) { $0 + Double($1.0) * $1.1 }
      #expect(cosine >= 0.99999, "sentence \(index): cosine \(cosine)")
    }
  }

  // MARK: - info

  @Test("info: the config, the parameter count, and what loading as another head would initialise")
  func info() throws {
    let checkpoint = try PretrainedCheckpoint(directory: try CheckpointFiles.fixture("tiny-masked-lm"))
    let reference = try #require(
      try parse(
        String(contentsOf: checkpoint.directory.appendingPathComponent("reference.json"), encoding: .utf8))
        as? [String: Any])
    let own = try #require(try parse(InfoCommand.describe(checkpoint, architecture: nil)) as? [String: Any])
    #expect(own["architecture"] as? String == "BertForMaskedLM")
    #expect(own["parameters"] as? Int == reference["parameter_count"] as? Int)
    #expect((own["config"] as? [String: Any])?["hidden_size"] as? Int == 16)
    #expect((own["missing"] as? [String])?.isEmpty == true && (own["unused"] as? [String])?.isEmpty == true)
    #expect(own["vocabulary"] as? Int == 64)
    let other = try #require(
      try parse(InfoCommand.describe(checkpoint, architecture: "BertForTokenClassification"))
        as? [String: Any])
    #expect(other["missing"] as? [String] == ["classifier.weight", "classifier.bias"])
    #expect((other["unused"] as? [String])?.count == 5)
  }

  // MARK: - The binary

  /// The `bert` executable next to the test resources, when the build made it.
  static var executable: URL? {
    let url = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("bert")
    return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
  }

  /// Runs `bert` with `arguments` and `input` on standard input.
  func run(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String, error: String)
  {
    guard let executable = Self.executable else {
      throw CheckpointError(file: "bert", kind: .unreadable, message: "the executable was not built")
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let error = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: output, as: UTF8.self),
      String(decoding: error, as: UTF8.self)
    )
  }

  @Test(
    "the binary: results on standard output, warnings and errors on standard error, non-zero exit on errors",
    .enabled(if: CommandLineTests.executable != nil, "the bert executable was not built next to the tests"))
  func executableRun() throws {
    let tiny = try CheckpointFiles.fixture("tiny-masked-lm").path
    let filled = try run(["fill-mask", "--model", tiny, "--top-k", "2", "the cat sat on the [MASK] ."])
    #expect(filled.status == 0 && filled.error.isEmpty, "\(filled.error)")
    #expect((try parse(filled.output) as? [[String: Any]])?.count == 2)

    // A bare encoder's checkpoint has no masked-LM head: it is initialised, and stderr says so.
    let qa = try CheckpointFiles.fixture("tiny-question-answering").path
    let fresh = try run(["fill-mask", "--model", qa, "the [MASK] sat"])
    #expect(fresh.status == 0)
    #expect(
      fresh.error.contains("warning: BertForMaskedLM: 5 tensors not in") && fresh.error.contains("random"))
    #expect(fresh.error.contains("qa_outputs.weight"), "the unused QA head is listed: \(fresh.error)")

    let logits = try run(
      ["logits", "--model", qa], input: "{\"input_ids\": [2, 7, 3]}\n\n{\"input_ids\": [2, 9, 3]}\n")
    #expect(logits.status == 0 && logits.output.split(separator: "\n").count == 2, "\(logits.error)")

    let missing = try run(["info", "--model", "/nonexistent/checkpoint"])
    #expect(missing.status != 0 && missing.output.isEmpty)
    #expect(missing.error.contains("/nonexistent/checkpoint/config.json"), "\(missing.error)")

    let bad = try run(["logits", "--model", qa], input: "{\"input_ids\": [2, 7, 3]}\nnot json\n")
    #expect(bad.status != 0 && bad.error.contains("<stdin>:2"), "\(bad.error)")
  }
}
