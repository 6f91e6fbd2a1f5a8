import Testing

@testable import SafeTensors

@Suite("SafeTensors: the strict JSON parser")
struct JSONParserTests {
  private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
    try JSONParser.parse(Array(text.utf8))
  }

  @Test("values, members in document order, integers kept apart from other numbers")
  func values() throws {
    let value = try parse(#" {"z": [1, -2, 3.5, 1e2, true, false, null], "a": {"k": "v"}} "#)
    guard case .object(let members) = value else {
      Issue.record("expected an object, got \(value)")
      return
    }
    #expect(members.map(\.key) == ["z", "a"])
    #expect(
      value["z"]
        == .array([.integer(1), .integer(-2), .number(3.5), .number(100), .bool(true), .bool(false), .null]))
    #expect(value["a"]?["k"] == .string("v"))
  }

  @Test("escapes, surrogate pairs and raw UTF-8 decode to the right text")
  func strings() throws {
    #expect(try parse(#""a\"\\\/\b\f\n\r\t""#) == .string("a\"\\/\u{08}\u{0C}\n\r\t"))
    #expect(try parse(#""\u00e9\ud83d\ude00""#) == .string("é😀"))
    #expect(try parse("\"é😀\"") == .string("é😀"))
  }

  @Test(
    "malformed texts are errors with a position",
    arguments: [
      (#"{"a":1,"a":2}"#, "duplicate key"),
      (#"{"a":1,}"#, "expected a key string"),
      (#"[1 2]"#, "expected ',' or ']'"),
      (#"{"a" 1}"#, "expected ':'"),
      (#""\ud800""#, "lone surrogate"),
      (#""\q""#, "invalid escape"),
      ("\"a\u{01}\"", "control character"),
      (#"01"#, "after the value"),
      (#"-"#, "needs a digit"),
      (#"1."#, "digits after '.'"),
      (#"tru"#, "expected a value"),
      (#"{"a":1} x"#, "after the value"),
      (#""open"#, "unterminated string"),
      ("", "unexpected end of text"),
    ])
  func malformed(text: String, phrase: String) {
    do {
      let value = try parse(text)
      Issue.record("\(text) parsed as \(value)")
    } catch {
      #expect(error.message.contains(phrase), "\(text): \(error)")
      #expect(error.line >= 1 && error.column >= 1)
    }
  }

  @Test("nesting deeper than the limit is an error, not a stack overflow")
  func depthLimit() throws {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: JSONSyntaxError.self) { try parse(deep) }
    let limit = JSONParser.maximumDepth
    let allowed = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
    #expect(throws: Never.self) { try parse(allowed) }
  }

  @Test("integers too large for Int become numbers, so offsets reject them")
  func hugeIntegers() throws {
    #expect(try parse("18446744073709551616") == .number(18_446_744_073_709_551_616))
  }
}
