import Foundation
import Testing

@testable import WordPiece
@testable import bert

@Suite("WordPiece: bert tokenize")
struct CommandLineTests {
  @Test("Each stdin line becomes {\"tokens\": [...], \"ids\": [...]} with [CLS] and [SEP] ids")
  func jsonLines() throws {
    let command = try TokenizeCommand.parse(["--vocab", Fixtures.vocabularyPath, "--max-length", "5"])
    #expect(command.maxLength == 5 && !command.cased)
    let tokenizer = try Fixtures.tokenizer()
    var lines: [String] = []
    try TokenizeCommand.tokenizeLines(
      of: Array("unaffable\n\"quoted\"\t\\\n\nlong text here to be cut\n".utf8), name: "<stdin>",
      tokenizer: tokenizer, maxLength: nil
    ) { lines.append($0) }
    #expect(lines.count == 4)
    #expect(lines[0] == ###"{"tokens":["una","##ffa","##ble"],"ids":[101,14477,20961,3468,102]}"###)
    #expect(lines[1] == #"{"tokens":["\"","quoted","\"","\\"],"ids":[101,1000,9339,1000,1032,102]}"#)
    #expect(lines[2] == #"{"tokens":[],"ids":[101,102]}"#)
    let cut = TokenizeCommand.jsonLine(for: "long text here to be cut", tokenizer: tokenizer, maxLength: 5)
    #expect(cut == #"{"tokens":["long","text","here"],"ids":[101,2146,3793,2182,102]}"#)
    // Ids from the Python reference tokenizer with bert-base-uncased. Every line is valid JSON.
    for line in lines {
      #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(line.utf8)) }
    }
  }

  @Test("Bad input is an error naming <stdin> and the line; bad arguments are rejected")
  func errors() throws {
    let tokenizer = try Fixtures.tokenizer()
    var lines: [String] = []
    #expect(throws: WordPieceError.invalidUTF8(file: "<stdin>", line: 2)) {
      try TokenizeCommand.tokenizeLines(
        of: [0x61, 0x0A, 0xFF, 0x0A], name: "<stdin>", tokenizer: tokenizer, maxLength: nil
      ) { lines.append($0) }
    }
    #expect(lines.count == 1)
    #expect(throws: (any Error).self) {
      try TokenizeCommand.parse(["--vocab", "v.txt", "--max-length", "1"])
    }
    #expect(throws: (any Error).self) { try TokenizeCommand.parse([]) }
    #expect(TokenizeCommand.jsonString("a\u{1}\n\"\\é") == #""a\u0001\n\"\\é""#)
  }
}
