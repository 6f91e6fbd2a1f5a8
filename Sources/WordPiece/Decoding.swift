// MARK: - Decoding

extension BertTokenizer {
  /// Turns ids back into text, as the reference's `decode` does.
  ///
  /// The tokens are joined with spaces, `" ##"` is removed (so `una ##ffa ##ble` → `unaffable`), the ends
  /// are trimmed, and the spaces the tokenizer put before punctuation are cleaned up: `" ."`, `" ?"`,
  /// `" !"`, `" ,"` lose their space, `" ' "` becomes `"'"`, and `" n't"`, `" 'm"`, `" 's"`, `" 've"`,
  /// `" 're"` are joined to the word before. Lower-casing and stripped accents are not undone.
  ///
  /// - Parameters:
  ///   - ids: token ids; an id outside the vocabulary decodes as `[UNK]`.
  ///   - skipSpecialTokens: leave out `[CLS]`, `[SEP]`, `[PAD]`, `[UNK]` and `[MASK]`.
  public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
    let special = specialTokenIDs
    let unknownToken = vocabulary.tokens[unknownID]
    var tokens: [String] = []
    tokens.reserveCapacity(ids.count)
    for id in ids where !(skipSpecialTokens && special.contains(id)) {
      tokens.append(vocabulary.token(of: id) ?? unknownToken)
    }
    let joined = Self.replaceScalars(tokens.joined(separator: " "), " ##", with: "")
    return Self.cleanUpTokenizationSpaces(Self.trimPythonWhitespace(joined))
  }

  /// The reference's `clean_up_tokenization`: removes the spaces before punctuation and contractions.
  public static func cleanUpTokenizationSpaces(_ text: String) -> String {
    var text = text
    for (pattern, replacement) in [
      (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
      (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ] {
      text = replaceScalars(text, pattern, with: replacement)
    }
    return text
  }

  /// Python's `str.replace`: every non-overlapping occurrence of `pattern`, left to right, compared
  /// scalar by scalar (Swift's `replacing` would compare whole characters).
  static func replaceScalars(_ text: String, _ pattern: String, with replacement: String) -> String {
    let source = Array(text.unicodeScalars)
    let target = Array(pattern.unicodeScalars)
    guard !target.isEmpty, source.count >= target.count else { return text }
    var output = String.UnicodeScalarView()
    var index = 0
    while index < source.count {
      if index + target.count <= source.count && source[index..<(index + target.count)].elementsEqual(target)
      {
        output.append(contentsOf: replacement.unicodeScalars)
        index += target.count
      } else {
        output.append(source[index])
        index += 1
      }
    }
    return String(output)
  }

  /// Python's `str.strip()`: removes whitespace (Python's `isspace`) from both ends.
  static func trimPythonWhitespace(_ text: String) -> String {
    let scalars = text.unicodeScalars
    func isSpace(_ scalar: Unicode.Scalar) -> Bool {
      scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }
    guard let first = scalars.firstIndex(where: { !isSpace($0) }),
      let last = scalars.lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(scalars[first...last])
  }
}
