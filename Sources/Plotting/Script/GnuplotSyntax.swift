// The three pieces of gnuplot syntax every script needs, written so that the same input always gives
// the same bytes: string literals that show their text literally in enhanced-text mode, numbers in a
// fixed, locale-free format, and data-block names.

// MARK: - String literals

/// Spelling text, numbers and names the way a gnuplot script needs them.
public enum GnuplotSyntax {
  /// The characters that gnuplot's enhanced-text mode gives a meaning: superscript `^`, subscript `_`,
  /// phantom `@`, space `&`, overprint `~`, grouping `{` `}`.
  static let enhancedTextSpecials: Set<Character> = ["^", "_", "@", "&", "~", "{", "}"]

  /// A gnuplot string literal whose text is drawn exactly as given, in enhanced-text mode.
  ///
  /// The literal is single-quoted, where gnuplot reads every character as itself except `''` (one
  /// quote). Enhanced-text mode then reads `^ _ @ & ~ { }` as markup and `\` as an escape, but only in
  /// a string that contains one of `^ _ @ & ~ { }`; the cairo terminals leave other strings alone while
  /// the SVG terminal always reads the escapes. So when the text has any of the seven characters or a
  /// backslash, each of them gets a backslash in front, and a text with a backslash but none of the
  /// seven also gets an empty group `{}` at its end, which every terminal then reads the same way.
  /// A line break becomes a gnuplot `"\n"` joined on with the `.` operator; other control characters
  /// become spaces.
  ///
  /// Worked examples: `[MASK]` → `'[MASK]'`; `##ing` → `'##ing'`; `it's` → `'it''s'`;
  /// `d_k` → `'d\_k'`; `C:\dir` → `'C:\\dir{}'`.
  ///
  /// - Parameter text: Any text: tokens, titles, axis labels, CJK characters.
  /// - Returns: The gnuplot expression, quotes included.
  public static func quoted(_ text: String) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return lines.map { quotedLine(String($0)) }.joined(separator: #"."\n"."#)
  }

  /// One line of `quoted(_:)`.
  static func quotedLine(_ line: String) -> String {
    let hasSpecial = line.contains { enhancedTextSpecials.contains($0) }
    let hasBackslash = line.contains("\\")
    let escapes = hasSpecial || hasBackslash
    var body = ""
    for character in line {
      if character == "'" {
        body += "''"
      } else if escapes && (character == "\\" || enhancedTextSpecials.contains(character)) {
        body += "\\" + String(character)
      } else if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) {
        body += " "
      } else {
        body.append(character)
      }
    }
    if hasBackslash && !hasSpecial {
      body += "{}"
    }
    return "'" + body + "'"
  }

  // MARK: - Numbers

  /// A number as gnuplot reads it, the same on every machine and in every locale.
  ///
  /// Whole numbers of magnitude below 10^15 are written in full (`1200`, `-3`); other finite values
  /// with six significant digits like C's `%.6g` (`0.333333`, `1.5e-07`, `2.5e+20`), without trailing
  /// zeros. Infinities and NaN become `NaN`, which gnuplot treats as a missing value. The digits come
  /// from Swift's shortest round-trip spelling of the value, rounded half-up in decimal, so no C
  /// locale is consulted.
  ///
  /// - Parameter value: The number to write.
  /// - Returns: Its text, for a data block or a command.
  public static func number(_ value: Double) -> String {
    guard value.isFinite else { return "NaN" }
    if value == 0 { return "0" }
    if value == value.rounded() && abs(value) < 1e15 {
      return String(Int64(value))
    }
    return significantDigits(value, count: 6)
  }

  /// `value` (finite, nonzero) with `count` significant digits, in `%g` style.
  static func significantDigits(_ value: Double, count: Int) -> String {
    var (digits, exponent) = decimalDigits(of: abs(value))
    if digits.count > count {
      let roundsUp = digits[count] >= 5
      digits.removeSubrange(count...)
      if roundsUp {
        var index = count - 1
        while index >= 0 && digits[index] == 9 {
          digits[index] = 0
          index -= 1
        }
        if index >= 0 {
          digits[index] += 1
        } else {
          digits.insert(1, at: 0)
          digits.removeLast()
          exponent += 1
        }
      }
    }
    while digits.count > 1 && digits.last == 0 {
      digits.removeLast()
    }
    let sign = value < 0 ? "-" : ""
    let text = digits.map(String.init).joined()
    if exponent < -4 || exponent >= count {
      let mantissa = text.count > 1 ? String(text.prefix(1)) + "." + text.dropFirst() : text
      let exponentSign = exponent < 0 ? "-" : "+"
      let exponentDigits = String(abs(exponent))
      let paddedExponent = exponentDigits.count < 2 ? "0" + exponentDigits : exponentDigits
      return sign + mantissa + "e" + exponentSign + paddedExponent
    }
    if exponent < 0 {
      return sign + "0." + String(repeating: "0", count: -exponent - 1) + text
    }
    if text.count <= exponent + 1 {
      return sign + text + String(repeating: "0", count: exponent + 1 - text.count)
    }
    let integerPart = text.prefix(exponent + 1)
    return sign + integerPart + "." + text.dropFirst(exponent + 1)
  }

  /// The decimal digits of a positive finite `value` (no leading zeros) and the power of ten of the
  /// first one, read from Swift's shortest round-trip description (`"0.00125"`, `"1.5e-07"`).
  static func decimalDigits(of value: Double) -> (digits: [Int], exponent: Int) {
    let description = value.description
    let parts = description.split(separator: "e", maxSplits: 1)
    let mantissa = parts[0]
    let writtenExponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    let pointIndex = mantissa.firstIndex(of: ".")
    let integerDigits = pointIndex.map { mantissa[..<$0] } ?? mantissa[...]
    var digits = mantissa.compactMap { $0.wholeNumberValue }
    var exponent = integerDigits.count - 1 + writtenExponent
    while digits.count > 1 && digits.first == 0 {
      digits.removeFirst()
      exponent -= 1
    }
    return (digits, exponent)
  }

  // MARK: - Names

  /// A data-block name (`$training_loss`) made from any text: lowercase ASCII letters, digits and
  /// single underscores, starting with a letter; `fallback` when nothing is left.
  ///
  /// - Parameters:
  ///   - text: A series or panel name.
  ///   - fallback: The name to use when `text` has no ASCII letters or digits.
  /// - Returns: The name with its leading `$`.
  public static func dataBlockName(from text: String, fallback: String) -> String {
    var name = ""
    for scalar in text.lowercased().unicodeScalars {
      if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) {
        name.unicodeScalars.append(scalar)
      } else if !name.isEmpty && !name.hasSuffix("_") {
        name += "_"
      }
    }
    while name.hasSuffix("_") {
      name.removeLast()
    }
    if let first = name.unicodeScalars.first, !first.properties.isAlphabetic {
      name = "data_" + name
    }
    return "$" + (name.isEmpty ? fallback : name)
  }

  /// Names for several data blocks: `dataBlockName(from:fallback:)` of each text, with `_2`, `_3`, …
  /// added to repeats so that every name is different.
  static func uniqueDataBlockNames(from texts: [String], fallbackPrefix: String) -> [String] {
    var used: Set<String> = []
    var names: [String] = []
    for (index, text) in texts.enumerated() {
      let base = dataBlockName(from: text, fallback: "\(fallbackPrefix)\(index + 1)")
      var name = base
      var suffix = 2
      while used.contains(name) {
        name = "\(base)_\(suffix)"
        suffix += 1
      }
      used.insert(name)
      names.append(name)
    }
    return names
  }
}
