import ArgumentParser
import Foundation
import WordPiece

/// `bert tokenize`: WordPiece-tokenizes standard input, one text per line, into JSON lines.
///
/// ```sh
/// echo "unaffable" | bert tokenize --vocab vocab.txt
/// {"tokens":["una","##ffa","##ble"],"ids":[101,14477,20961,3468,102]}
/// ```
struct TokenizeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tokenize",
    abstract:
      "Tokenize standard input, one text per line, into JSON lines {\"tokens\": [...], \"ids\": [...]}.",
    discussion: """
      `tokens` are the word pieces of the line; `ids` are the encoded ids with [CLS] and [SEP]. With \
      --max-length, both are truncated so that `ids` has at most that many entries.
      """)

  @Option(help: "The vocabulary file (vocab.txt, one token per line).")
  var vocab: String

  @Flag(help: "Keep case and accents (a cased checkpoint); lower-casing is on by default.")
  var cased = false

  @Option(help: "Truncate each encoding to this many ids, [CLS] and [SEP] included (at least 2).")
  var maxLength: Int?

  func validate() throws {
    if let maxLength, maxLength < 2 {
      throw ValidationError("--max-length must be at least 2 (room for [CLS] and [SEP]), got \(maxLength)")
    }
  }

  func run() throws {
    let tokenizer = try BertTokenizer(vocabularyFile: vocab, lowercase: !cased)
    let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
    var buffer = ""
    defer { FileHandle.standardOutput.write(Data(buffer.utf8)) }
    try Self.tokenizeLines(of: input, name: "<stdin>", tokenizer: tokenizer, maxLength: maxLength) { line in
      buffer += line
      buffer += "\n"
      if buffer.utf8.count > 1 << 16 {
        FileHandle.standardOutput.write(Data(buffer.utf8))
        buffer.removeAll(keepingCapacity: true)
      }
    }
  }

  /// Tokenizes each UTF-8 line of `input` and hands `output` one JSON object per line.
  ///
  /// - Throws: `WordPieceError.invalidUTF8` naming `name` and the line, after the lines before it.
  static func tokenizeLines(
    of input: [UInt8], name: String, tokenizer: BertTokenizer, maxLength: Int?, output: (String) -> Void
  ) throws {
    try TextFile.forEachLine(of: input, name: name) { text in
      output(jsonLine(for: text, tokenizer: tokenizer, maxLength: maxLength))
    }
  }

  /// `{"tokens":[...],"ids":[...]}` for one text, keys in that order.
  static func jsonLine(for text: String, tokenizer: BertTokenizer, maxLength: Int?) -> String {
    let encoding = tokenizer.encode(text, maxLength: maxLength, truncation: .longestFirst)
    let pieces = encoding.tokens.indices.filter { encoding.specialTokensMask[$0] == 0 }
    var line = "{\"tokens\":["
    line += pieces.map { jsonString(encoding.tokens[$0]) }.joined(separator: ",")
    line += "],\"ids\":["
    line += encoding.ids.map(String.init).joined(separator: ",")
    line += "]}"
    return line
  }

  /// `text` as a JSON string literal: UTF-8 kept as it is; quotes, backslashes and control characters
  /// escaped. (Foundation's `JSONEncoder` does not promise an order of keys.)
  static func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}
