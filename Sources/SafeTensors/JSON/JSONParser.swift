// JSONParser: a strict RFC 8259 reader for untrusted headers.
//
// Why not Foundation's JSONSerialization or JSONDecoder: the safetensors spec forbids duplicate
// keys, and those readers silently keep one of them. This parser reports them, keeps members in
// document order, bounds nesting depth (so a hostile header cannot exhaust the stack), and says
// where a problem is by line and column.

/// A syntax error in a JSON text, with its position.
public struct JSONSyntaxError: Error, CustomStringConvertible, Sendable {
  /// What was found and what was expected.
  public let message: String
  /// The 1-based line of the problem.
  public let line: Int
  /// The 1-based column (in bytes) of the problem.
  public let column: Int

  /// "invalid JSON at line L, column C: message".
  public var description: String { "invalid JSON at line \(line), column \(column): \(message)" }
}

extension JSONValue {
  /// Parses a UTF-8 JSON text strictly: one value, whitespace around it, no duplicate keys,
  /// nesting at most 128 deep.
  ///
  /// - Throws: `JSONSyntaxError` with the line and column of the first problem.
  public init(parsing bytes: [UInt8]) throws(JSONSyntaxError) {
    self = try JSONParser.parse(bytes)
  }
}

/// Parses one JSON value from UTF-8 bytes, allowing whitespace around it and nothing else.
struct JSONParser {
  /// The deepest nesting of arrays and objects accepted (the limit serde_json uses).
  static let maximumDepth = 128

  private let bytes: [UInt8]
  private var position = 0
  private var depth = 0

  /// Parses `bytes` as a single JSON value.
  ///
  /// - Throws: `JSONSyntaxError` naming the line and column of the first problem, including
  ///   a duplicate key in any object.
  static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
    var parser = JSONParser(bytes: bytes)
    parser.skipWhitespace()
    let value = try parser.parseValue()
    parser.skipWhitespace()
    if parser.position != bytes.count {
      throw parser.error("unexpected \(parser.describeCurrent()) after the value")
    }
    return value
  }

  private init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  // MARK: - Values

  private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
    guard position < bytes.count else { throw error("unexpected end of text, expected a value") }
    switch bytes[position] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"):
      try expectLiteral("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expectLiteral("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expectLiteral("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw error("unexpected \(describeCurrent()), expected a value")
    }
  }

  private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
    try enterNesting()
    position += 1  // "{"
    var members: [JSONMember] = []
    var seen: Set<String> = []
    skipWhitespace()
    if peek(UInt8(ascii: "}")) {
      position += 1
      depth -= 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard peek(UInt8(ascii: "\"")) else {
        throw error("unexpected \(describeCurrent()), expected a key string")
      }
      let keyPosition = position
      let key = try parseString()
      if !seen.insert(key).inserted {
        throw error("duplicate key \"\(key)\"", at: keyPosition)
      }
      skipWhitespace()
      guard peek(UInt8(ascii: ":")) else { throw error("unexpected \(describeCurrent()), expected ':'") }
      position += 1
      skipWhitespace()
      members.append(JSONMember(key: key, value: try parseValue()))
      skipWhitespace()
      if peek(UInt8(ascii: ",")) {
        position += 1
      } else if peek(UInt8(ascii: "}")) {
        position += 1
        depth -= 1
        return .object(members)
      } else {
        throw error("unexpected \(describeCurrent()), expected ',' or '}'")
      }
    }
  }

  private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
    try enterNesting()
    position += 1  // "["
    var elements: [JSONValue] = []
    skipWhitespace()
    if peek(UInt8(ascii: "]")) {
      position += 1
      depth -= 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try parseValue())
      skipWhitespace()
      if peek(UInt8(ascii: ",")) {
        position += 1
      } else if peek(UInt8(ascii: "]")) {
        position += 1
        depth -= 1
        return .array(elements)
      } else {
        throw error("unexpected \(describeCurrent()), expected ',' or ']'")
      }
    }
  }

  private mutating func enterNesting() throws(JSONSyntaxError) {
    depth += 1
    if depth > Self.maximumDepth {
      throw error("arrays and objects nested deeper than \(Self.maximumDepth) levels")
    }
  }

  // MARK: - Strings

  private mutating func parseString() throws(JSONSyntaxError) -> String {
    position += 1  // opening quote
    var utf8: [UInt8] = []
    while true {
      guard position < bytes.count else { throw error("unterminated string") }
      let byte = bytes[position]
      switch byte {
      case UInt8(ascii: "\""):
        position += 1
        return String(decoding: utf8, as: UTF8.self)
      case UInt8(ascii: "\\"):
        try parseEscape(into: &utf8)
      case 0..<0x20:
        throw error("control character 0x\(String(byte, radix: 16)) inside a string must be escaped")
      default:
        utf8.append(byte)
        position += 1
      }
    }
  }

  private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONSyntaxError) {
    position += 1  // backslash
    guard position < bytes.count else { throw error("unterminated escape") }
    let escaped = bytes[position]
    position += 1
    switch escaped {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
    case UInt8(ascii: "b"): utf8.append(0x08)
    case UInt8(ascii: "f"): utf8.append(0x0C)
    case UInt8(ascii: "n"): utf8.append(0x0A)
    case UInt8(ascii: "r"): utf8.append(0x0D)
    case UInt8(ascii: "t"): utf8.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = try parseHexQuad()
      if (0xD800..<0xDC00).contains(scalar) {
        // A high surrogate must be followed by an escaped low surrogate.
        guard peek(UInt8(ascii: "\\")), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
        else { throw error("lone surrogate \\u\(String(scalar, radix: 16)) in string") }
        position += 2
        let low = try parseHexQuad()
        guard (0xDC00..<0xE000).contains(low) else {
          throw error("surrogate \\u\(String(scalar, radix: 16)) not followed by a low surrogate")
        }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00..<0xE000).contains(scalar) {
        throw error("lone surrogate \\u\(String(scalar, radix: 16)) in string")
      }
      guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid escape \\u\(scalar)") }
      UTF8.encode(unicode) { utf8.append($0) }
    default:
      throw error("invalid escape \\\(Character(Unicode.Scalar(escaped)))", at: position - 2)
    }
  }

  private mutating func parseHexQuad() throws(JSONSyntaxError) -> UInt32 {
    guard position + 4 <= bytes.count else { throw error("\\u escape needs four hex digits") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[position]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw error("\\u escape needs four hex digits")
      }
      value = value * 16 + UInt32(digit)
      position += 1
    }
    return value
  }

  // MARK: - Numbers and literals

  private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
    let start = position
    var isInteger = true
    if peek(UInt8(ascii: "-")) { position += 1 }
    if peek(UInt8(ascii: "0")) {
      position += 1
    } else {
      guard skipDigits() > 0 else { throw error("a number needs a digit after '-'") }
    }
    if peek(UInt8(ascii: ".")) {
      isInteger = false
      position += 1
      guard skipDigits() > 0 else { throw error("a number needs digits after '.'") }
    }
    if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
      isInteger = false
      position += 1
      if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { position += 1 }
      guard skipDigits() > 0 else { throw error("a number needs digits in its exponent") }
    }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    if isInteger, let value = Int(text) { return .integer(value) }
    guard let value = Double(text) else { throw error("number \(text) is not representable", at: start) }
    return .number(value)
  }

  /// Skips decimal digits and returns how many there were.
  private mutating func skipDigits() -> Int {
    let start = position
    while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
      position += 1
    }
    return position - start
  }

  private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
    let count = literal.utf8CodeUnitCount
    let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
    guard position + count <= bytes.count, bytes[position..<(position + count)].elementsEqual(expected) else {
      throw error("unexpected \(describeCurrent()), expected a value")
    }
    position += count
  }

  // MARK: - Helpers

  private func peek(_ byte: UInt8) -> Bool {
    position < bytes.count && bytes[position] == byte
  }

  private mutating func skipWhitespace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x09, 0x0A, 0x0D: position += 1
      default: return
      }
    }
  }

  private func describeCurrent() -> String {
    guard position < bytes.count else { return "end of text" }
    let byte = bytes[position]
    if (0x21..<0x7F).contains(byte) { return "'\(Character(Unicode.Scalar(byte)))'" }
    return "byte 0x\(String(byte, radix: 16))"
  }

  private func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
    let offset = min(offset ?? position, bytes.count)
    var line = 1
    var lineStart = 0
    for index in 0..<offset where bytes[index] == 0x0A {
      line += 1
      lineStart = index + 1
    }
    return JSONSyntaxError(message: message, line: line, column: offset - lineStart + 1)
  }
}
