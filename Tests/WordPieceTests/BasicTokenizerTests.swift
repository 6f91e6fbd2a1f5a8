import Testing

@testable import WordPiece

@Suite("WordPiece: basic tokenization rules")
struct BasicTokenizerTests {
  @Test("Cleaning, CJK spacing, accents, punctuation and final sigma (hand-checked)")
  func rules() {
    let uncased = BasicTokenizer(neverSplit: ["[MASK]"])
    #expect(uncased.tokenize("Héllo,  WORLD!") == ["hello", ",", "world", "!"])
    #expect(uncased.tokenize("a\u{0}b\u{200B}c\td") == ["abc", "d"])
    #expect(uncased.tokenize("北京abc") == ["北", "京", "abc"])
    #expect(uncased.tokenize("x[MASK]y [mask]") == ["x", "[MASK]", "y", "[", "mask", "]"])
    // Python's str.lower(): a capital sigma at the end of a word becomes the final form.
    #expect(
      uncased.tokenize("ΟΔΟΣ ΣΑ").map { Array($0.unicodeScalars) } == [
        Array("οδος".unicodeScalars), Array("σα".unicodeScalars),
      ])
    // U+2028 splits words (Python's str.split) without being a token.
    #expect(uncased.tokenize("a\u{2028}b") == ["a", "b"])
    let cased = BasicTokenizer(lowercase: false)
    #expect(cased.tokenize("Héllo WORLD") == ["Héllo", "WORLD"])
    // NFC: e + combining acute becomes é.
    #expect(cased.tokenize("e\u{301}").map { Array($0.unicodeScalars) } == [["\u{E9}"]])
  }

  @Test("Word spans count Unicode scalars of the original text")
  func spans() {
    let words = BasicTokenizer().wordsWithSpans("😀 Café\u{301}!")
    #expect(words.map(\.word) == ["😀", "cafe", "!"])
    // The dropped combining accent (scalar 6) is left out of the span, as the Rust tokenizer does.
    #expect(words.map(\.span) == [0..<1, 2..<6, 7..<8])
  }
}
