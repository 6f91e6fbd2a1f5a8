import ArgumentParser
import BERT
import Foundation
import WordPiece

// What the model subcommands share: the --model folder, loading it with the report's warnings on
// standard error, reading standard input, and writing numbers and tensors as JSON.

/// `--model DIR`: a checkpoint folder in the reference layout (config.json, model.safetensors, vocab.txt).
struct ModelOptions: ParsableArguments {
  @Option(help: "The checkpoint folder: config.json, model.safetensors and vocab.txt.")
  var model: String

  /// The folder, read and checked (weights mapped, not yet loaded).
  func checkpoint() throws -> PretrainedCheckpoint {
    try PretrainedCheckpoint(directory: URL(fileURLWithPath: model))
  }
}

extension PretrainedCheckpoint {
  /// Loads `type`, writing the report's warnings (initialised and unused tensors) to standard error.
  func loadWarning<Model: PretrainedModel>(_ type: Model.Type) throws -> Model {
    let (model, report) = try load(type)
    report.warnings.forEach(LoadReport.printWarning)
    return model
  }

  /// The tokenizer, or an error naming the folder when it has no vocab.txt.
  func requireTokenizer() throws -> BertTokenizer {
    guard let tokenizer else {
      throw ValidationError(
        "\(directory.appendingPathComponent("vocab.txt").path): no vocabulary in the folder")
    }
    return tokenizer
  }
}

// MARK: - Output

/// Collects output lines and writes them to standard output in large pieces.
struct OutputBuffer {
  private var text = ""

  /// Adds `line` and a newline, flushing when the buffer is large.
  mutating func append(_ line: String) {
    text += line
    text += "\n"
    if text.utf8.count > 1 << 16 { flush() }
  }

  /// Writes what is buffered.
  mutating func flush() {
    FileHandle.standardOutput.write(Data(text.utf8))
    text.removeAll(keepingCapacity: true)
  }
}

/// JSON text for numbers and tensors, written by hand so that keys keep their order.
enum JSONText {
  /// A Float as the shortest decimal that reads back as the same Float (`1e-05`, `0.25`).
  /// JSON has no NaN or infinity; they are written as null.
  static func number(_ value: Float) -> String {
    value.isFinite ? "\(value)" : "null"
  }

  /// `values` as nested JSON arrays of `shape` (a bare number for shape []).
  static func array(_ values: ArraySlice<Float>, shape: [Int]) -> String {
    guard let first = shape.first else { return number(values.first ?? 0) }
    let rest = Array(shape.dropFirst())
    let width = rest.reduce(1, *)
    var parts: [String] = []
    parts.reserveCapacity(first)
    for i in 0..<first {
      let start = values.startIndex + i * width
      parts.append(rest.isEmpty ? number(values[start]) : array(values[start..<(start + width)], shape: rest))
    }
    return "[" + parts.joined(separator: ",") + "]"
  }

  /// A tensor as nested JSON arrays.
  static func array(_ tensor: Tensor) -> String {
    array(tensor.scalars[...], shape: tensor.shape)
  }

  /// Integers as a JSON array.
  static func array(_ values: [Int]) -> String {
    "[" + values.map(String.init).joined(separator: ",") + "]"
  }

  /// A string literal (see `TokenizeCommand.jsonString`).
  static func string(_ text: String) -> String {
    TokenizeCommand.jsonString(text)
  }
}
