import ArgumentParser
import BERT
import Foundation
import WordPiece

/// `bert logits`: the head's outputs for each JSON line of ids on standard input.
///
/// ```sh
/// echo '{"input_ids": [2, 7, 19, 3], "attention_mask": [1, 1, 1, 1]}' | bert logits --model tiny-qa
/// {"start_logits":[...],"end_logits":[...]}
/// ```
struct LogitsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "logits",
    abstract: "Run the checkpoint's head on JSON lines of ids; print its outputs as JSON lines.",
    discussion: """
      Each input line is {"input_ids": [...], "attention_mask": [...], "token_type_ids": [...]} (the last \
      two optional, all ones and all zeros by default), one sequence, or a batch as lists of equal-length \
      lists. The head is the first of config.json's "architectures" (BertModel when it names none), and the \
      output keys are the reference's: "logits"; "start_logits" and "end_logits" for question answering; \
      "prediction_logits" and "seq_relationship_logits" for pre-training; "last_hidden_state" and \
      "pooler_output" for the bare encoder. A batch in gives a batch out.
      """)

  @OptionGroup var options: ModelOptions

  func run() throws {
    let checkpoint = try options.checkpoint()
    let model = try checkpoint.loadWarning(try checkpoint.architecture.modelType)
    let lines = try TextFile.lines(
      of: [UInt8](FileHandle.standardInput.readDataToEndOfFile()), name: "<stdin>")
    var output = OutputBuffer()
    defer { output.flush() }
    for (index, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
      output.append(try Self.outputs(forLine: line, model: model, name: "<stdin>:\(index + 1)"))
    }
  }

  /// The JSON line of outputs for one JSON line of inputs.
  ///
  /// - Throws: `ValidationError` naming `name` (the line) for bad JSON or ids that do not fit the model.
  static func outputs(forLine line: String, model: any PretrainedModel, name: String) throws -> String {
    let (input, batched) = try parse(line, name: name)
    do {
      try input.validate(against: model.config)
    } catch {
      throw ValidationError("\(name): \(error)")
    }
    let parts = model.namedOutputs(input).map { output in
      let tensor = output.tensor
      let shape = batched ? tensor.shape : Array(tensor.shape.dropFirst())
      return "\(JSONText.string(output.name)):" + JSONText.array(tensor.scalars[...], shape: shape)
    }
    return "{" + parts.joined(separator: ",") + "}"
  }

  /// The batch of one line, and whether the line gave a batch (lists of lists) or one sequence.
  static func parse(_ line: String, name: String) throws -> (input: BertInput, batched: Bool) {
    let object: [String: Any]
    do {
      guard let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw ValidationError("\(name): expected a JSON object with \"input_ids\"")
      }
      object = parsed
    } catch let error as ValidationError {
      throw error
    } catch {
      throw ValidationError("\(name): invalid JSON (\(error.localizedDescription))")
    }
    func rows(_ key: String) throws -> [[Int]]? {
      guard let value = object[key] else { return nil }
      if let row = value as? [Int] { return [row] }
      if let rows = value as? [[Int]] { return rows }
      throw ValidationError("\(name): \"\(key)\" must be a list of integers or a list of such lists")
    }
    guard let ids = try rows("input_ids") else { throw ValidationError("\(name): no \"input_ids\"") }
    let batched = object["input_ids"] is [[Int]]
    let length = ids.first?.count ?? 0
    guard length > 0, ids.allSatisfy({ $0.count == length }) else {
      throw ValidationError("\(name): \"input_ids\" must be non-empty rows of equal length")
    }
    let mask = try rows("attention_mask")
    let types = try rows("token_type_ids")
    for (key, value) in [("attention_mask", mask), ("token_type_ids", types)] {
      if let value, value.count != ids.count || value.contains(where: { $0.count != length }) {
        throw ValidationError("\(name): \"\(key)\" must have the shape of \"input_ids\"")
      }
    }
    return (BertInput(inputIds: ids, tokenTypeIds: types, attentionMask: mask), batched)
  }
}
