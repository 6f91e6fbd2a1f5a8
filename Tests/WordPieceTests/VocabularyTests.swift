import Foundation
import Testing

@testable import WordPiece

@Suite("WordPiece: vocabulary files and bad input")
struct VocabularyTests {
  static func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wordpiece-tests-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
  }

  @Test("bert-base-uncased's vocab.txt loads with its special ids, and saves back byte for byte")
  func loadAndSave() throws {
    let path = try Fixtures.vocabularyPath
    let vocabulary = try Vocabulary.load(contentsOf: path)
    #expect(vocabulary.count == 30522)
    #expect(vocabulary.padID == 0 && vocabulary.unknownID == 100 && vocabulary.classifierID == 101)
    #expect(vocabulary.separatorID == 102 && vocabulary.maskID == 103)
    #expect(vocabulary.id(of: "##ing") == 2075 && vocabulary.token(of: 2075) == "##ing")
    #expect(vocabulary.token(of: 30522) == nil && vocabulary.token(of: -1) == nil)
    let copy = try Self.temporaryFile("copy.txt", [])
    try vocabulary.save(to: copy)
    let original = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == original)
  }

  @Test("Duplicates warn with both line numbers and the later line's id wins")
  func duplicates() throws {
    let path = try Self.temporaryFile("dup.txt", Array("[PAD]\n[UNK]\nhello\n[CLS]\nhello\r\n[SEP]\n".utf8))
    var warnings: [String] = []
    let vocabulary = try Vocabulary.load(contentsOf: path) { warnings.append($0) }
    #expect(warnings.count == 1)
    #expect(warnings.first?.contains("lines 3 and 5") == true && warnings.first?.contains(path) == true)
    #expect(vocabulary.id(of: "hello") == 4 && vocabulary.token(of: 2) == "hello")
    #expect(vocabulary.count == 6 && vocabulary.separatorID == 5)
  }

  @Test("A vocabulary without [UNK], [CLS], [SEP] or [PAD] is an error naming the file")
  func missingSpecialTokens() throws {
    let noUnknown = try Self.temporaryFile("no-unk.txt", Array("[PAD]\n[CLS]\n[SEP]\nhello\n".utf8))
    #expect(throws: WordPieceError.missingSpecialToken(token: "[UNK]", file: noUnknown)) {
      try Vocabulary.load(contentsOf: noUnknown)
    }
    let noSeparator = try Self.temporaryFile("no-sep.txt", Array("[PAD]\n[UNK]\n[CLS]\nhello\n".utf8))
    #expect(throws: WordPieceError.missingSpecialToken(token: "[SEP]", file: noSeparator)) {
      try BertTokenizer(vocabularyFile: noSeparator)
    }
    let noMask = try BertTokenizer(
      vocabulary: Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]"], origin: "small"))
    #expect(noMask.maskID == nil)
    #expect(throws: WordPieceError.missingSpecialToken(token: "[MASK]", file: "small")) {
      try noMask.vocabulary.requireID(of: .mask)
    }
    let error = WordPieceError.missingSpecialToken(token: "[UNK]", file: noUnknown)
    #expect(error.description.contains(noUnknown) && error.description.contains("[UNK]"))
  }

  @Test("Invalid UTF-8 is an error naming the file and the line")
  func invalidUTF8() throws {
    let path = try Self.temporaryFile("bad.txt", Array("[PAD]\n[UNK]\n".utf8) + [0x61, 0xFF, 0x62, 0x0A])
    #expect(throws: WordPieceError.invalidUTF8(file: path, line: 3)) {
      try Vocabulary.load(contentsOf: path)
    }
    #expect(throws: WordPieceError.invalidUTF8(file: "<stdin>", line: 2)) {
      try TextFile.lines(of: [0x61, 0x0D, 0xC3, 0x28], name: "<stdin>")
    }
    #expect(WordPieceError.invalidUTF8(file: path, line: 3).description.hasPrefix("\(path):3:"))
    #expect(throws: WordPieceError.self) { try Vocabulary.load(contentsOf: path + ".missing") }
  }

  @Test("Lines end at \\n, \\r\\n or \\r, as Python's universal newlines")
  func lineEndings() throws {
    #expect(try TextFile.lines(of: Array("a\nb\r\nc\rd".utf8), name: "x") == ["a", "b", "c", "d"])
    #expect(try TextFile.lines(of: Array("a\n\nb\n".utf8), name: "x") == ["a", "", "b"])
    #expect(try TextFile.lines(of: [], name: "x") == [])
  }

  @Test("Random bytes through the file path never crash: they load or throw, and what loads tokenizes")
  func randomBytes() throws {
    let tokenizer = try Fixtures.tokenizer()
    var state: UInt64 = 0x1234_5678
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    var loaded = 0
    var rejected = 0
    for round in 0..<300 {
      let count = Int(next() % 200)
      // Half the rounds draw from all bytes, half mostly from UTF-8 lead/continuation bytes and ASCII.
      let bytes = (0..<count).map { _ -> UInt8 in
        round % 2 == 0
          ? UInt8(truncatingIfNeeded: next())
          : [0x41, 0x20, 0xC3, 0xA9, 0xE4, 0xB8, 0xAD, 0xF0, 0x9F, 0x98, 0x80, 0x0A, 0x5B][Int(next() % 13)]
      }
      let path = try Self.temporaryFile("random-\(round).txt", bytes)
      do {
        for line in try TextFile.lines(atPath: path) {
          let encoding = tokenizer.encode(line, pair: line, maxLength: 16)
          #expect(encoding.ids.count <= 16 && encoding.ids.first == tokenizer.classifierID)
          _ = tokenizer.decode(encoding.ids)
        }
        loaded += 1
      } catch let error as WordPieceError {
        guard case .invalidUTF8(let file, _) = error else {
          Issue.record("unexpected error \(error)")
          continue
        }
        #expect(file == path)
        rejected += 1
      }
    }
    #expect(loaded > 0 && rejected > 0, "loaded \(loaded), rejected \(rejected)")
  }
}
