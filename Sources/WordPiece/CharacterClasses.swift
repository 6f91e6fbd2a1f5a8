import Foundation

// MARK: - Character classes of BERT's basic tokenizer

/// The character classes and per-character mappings that BERT's basic tokenizer uses.
///
/// The definitions are those of the original Python tokenizer (`BertTokenizerLegacy` in transformers 5,
/// `tokenization.py` in google-research/bert), stated on Unicode scalars (Python `str` code points):
///
/// - control (dropped): general category `C*` (Cc, Cf, Cs, Co, Cn) except tab, newline and carriage
///   return; also U+0000 and U+FFFD.
/// - whitespace (becomes a space): space, tab, newline, carriage return and category `Zs`.
/// - separator: whitespace, plus U+2028 and U+2029, which survive cleaning (categories Zl, Zp) but split
///   words because Python's `str.split()` treats them as whitespace.
/// - punctuation (a word of its own): the ASCII symbol ranges 33–47, 58–64, 91–96, 123–126 and category `P*`.
/// - CJK ideograph (spaced out): BERT's eight code-point ranges below.
///
/// Python's `unicodedata` in the reference (Python 3.11) is Unicode 14.0. Code points assigned after
/// `referenceUnicodeVersion` are treated as unassigned (category Cn, hence dropped), as the reference does;
/// the rest of the data (categories, case mappings, decompositions) is the Swift runtime's.
enum CharacterClasses {
  /// The Unicode version of the reference's character database (Python 3.11's `unicodedata`).
  static let referenceUnicodeVersion = (major: 14, minor: 0)

  // MARK: Flags

  static let control: UInt8 = 1
  static let whitespace: UInt8 = 2
  static let separator: UInt8 = 4
  static let punctuation: UInt8 = 8
  static let chinese: UInt8 = 16
  static let nonspacingMark: UInt8 = 32
  static let cased: UInt8 = 64
  static let caseIgnorable: UInt8 = 128

  /// The class flags of one scalar (computed from the Unicode properties; use `flags(_:)`, which is cached).
  static func computeFlags(_ value: UInt32) -> UInt8 {
    guard let scalar = Unicode.Scalar(value) else { return control }
    var flags: UInt8 = 0
    let properties = scalar.properties
    var category = properties.generalCategory
    if let age = properties.age {
      if age.major > referenceUnicodeVersion.major
        || (age.major == referenceUnicodeVersion.major && age.minor > referenceUnicodeVersion.minor)
      {
        category = .unassigned
      }
    }
    let isTabOrNewline = value == 0x09 || value == 0x0A || value == 0x0D
    switch category {
    case .control, .format, .surrogate, .privateUse, .unassigned:
      if !isTabOrNewline { flags |= control }
    default:
      break
    }
    if value == 0 || value == 0xFFFD { flags |= control }
    if value == 0x20 || isTabOrNewline || category == .spaceSeparator {
      flags |= whitespace | separator
    }
    if value == 0x2028 || value == 0x2029 { flags |= separator }
    if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
      || (123...126).contains(value)
    {
      flags |= punctuation
    }
    switch category {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
      .initialPunctuation, .finalPunctuation, .otherPunctuation:
      flags |= punctuation
    case .nonspacingMark:
      flags |= nonspacingMark
    default:
      break
    }
    if isChineseCharacter(value) { flags |= chinese }
    if category != .unassigned {
      if properties.isCased { flags |= cased }
      if properties.isCaseIgnorable { flags |= caseIgnorable }
    }
    return flags
  }

  /// Whether `value` is in one of BERT's CJK ideograph ranges (which do not include Hiragana, Katakana or
  /// Hangul: those scripts separate words with spaces and are tokenized like any other).
  static func isChineseCharacter(_ value: UInt32) -> Bool {
    (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value)
      || (0x20000...0x2A6DF).contains(value) || (0x2A700...0x2B73F).contains(value)
      || (0x2B740...0x2B81F).contains(value) || (0x2B820...0x2CEAF).contains(value)
      || (0xF900...0xFAFF).contains(value) || (0x2F800...0x2FA1F).contains(value)
  }

  /// The class flags of one scalar, from a table for the Basic Multilingual Plane.
  @inline(__always)
  static func flags(_ value: UInt32) -> UInt8 {
    if value < 0x10000 {
      return tables.flags[Int(value)]
    }
    return computeFlags(value)
  }

  // MARK: Per-scalar mappings

  /// Python's `str.lower()` of one scalar, without the final-sigma rule (the caller applies it).
  static func lowercase(_ value: UInt32, into output: inout [UInt32]) {
    if value < 0x10000 {
      tables.lowercase.append(Int(value), into: &output)
      return
    }
    guard let scalar = Unicode.Scalar(value) else { return }
    for mapped in scalar.properties.lowercaseMapping.unicodeScalars { output.append(mapped.value) }
  }

  /// BERT's accent stripping of one scalar: the canonical decomposition (NFD) without the nonspacing marks
  /// (category Mn).
  static func stripAccents(_ value: UInt32, into output: inout [UInt32]) {
    if value < 0x10000 {
      tables.stripped.append(Int(value), into: &output)
      return
    }
    for decomposed in canonicalDecomposition(value) where flags(decomposed) & nonspacingMark == 0 {
      output.append(decomposed)
    }
  }

  /// The canonical decomposition (NFD) of one scalar: Hangul syllables by the Unicode algorithm,
  /// everything else from Foundation where the Unicode data has canonical decompositions.
  static func canonicalDecomposition(_ value: UInt32) -> [UInt32] {
    if (0xAC00...0xD7A3).contains(value) {
      let index = value - 0xAC00
      let leading = 0x1100 + index / 588
      let vowel = 0x1161 + (index % 588) / 28
      let trailing = index % 28
      return trailing == 0 ? [leading, vowel] : [leading, vowel, 0x11A7 + trailing]
    }
    guard mayDecompose(value), let scalar = Unicode.Scalar(value) else { return [value] }
    return String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
  }

  /// Whether `value` is in a block that holds canonical decompositions (all others map to themselves).
  private static func mayDecompose(_ value: UInt32) -> Bool {
    (0xC0..<0x3100).contains(value) || (0xF900..<0xFB50).contains(value)
      || (0x11000..<0x11A00).contains(value) || (0x1D100..<0x1D200).contains(value)
      || (0x2F800..<0x2FB00).contains(value)
  }

  /// NFC of a run of scalars, with each output scalar's span in the input.
  ///
  /// Normalization works per extended grapheme cluster, so that each composed scalar can be traced back to
  /// the input scalars it came from; canonical composition does not cross those clusters.
  static func composeCanonically(_ scalars: [UInt32]) -> (scalars: [UInt32], spans: [Range<Int>]) {
    var text = String.UnicodeScalarView()
    for value in scalars {
      if let scalar = Unicode.Scalar(value) { text.append(scalar) }
    }
    let string = String(text)
    var output: [UInt32] = []
    var spans: [Range<Int>] = []
    var position = 0
    for character in string {
      let source = character.unicodeScalars.map(\.value)
      let composed = String(character).precomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
      output += composed
      spans += alignCluster(source, composed, at: position)
      position += source.count
    }
    return (output, spans)
  }

  /// The span of `source` (starting at `position`) that each scalar of `composed` comes from: scalars
  /// equal at the start and at the end map one to one, the middle maps to the middle.
  private static func alignCluster(_ source: [UInt32], _ composed: [UInt32], at position: Int) -> [Range<Int>]
  {
    var head = 0
    while head < source.count && head < composed.count && source[head] == composed[head] { head += 1 }
    var tail = 0
    while tail < source.count - head && tail < composed.count - head
      && source[source.count - 1 - tail] == composed[composed.count - 1 - tail]
    {
      tail += 1
    }
    var spans: [Range<Int>] = []
    for index in composed.indices {
      if index < head {
        spans.append((position + index)..<(position + index + 1))
      } else if index >= composed.count - tail {
        let sourceIndex = source.count - (composed.count - index)
        spans.append((position + sourceIndex)..<(position + sourceIndex + 1))
      } else {
        let lower = min(head, source.count - 1)
        spans.append((position + lower)..<(position + max(source.count - tail, lower + 1)))
      }
    }
    return spans
  }

  /// Whether a run of scalars is certainly already in NFC without asking Foundation: every scalar is
  /// below U+0300, where nothing combines, or a CJK ideograph of the unified blocks.
  static func isTriviallyComposed(_ scalars: ArraySlice<UInt32>) -> Bool {
    scalars.allSatisfy { $0 < 0x300 || (0x4E00...0x9FFF).contains($0) || (0x3400...0x4DBF).contains($0) }
  }

  // MARK: Tables

  /// Flags and mappings for the Basic Multilingual Plane, built once on first use.
  static let tables = Tables()

  /// A mapping from each BMP scalar to a short sequence of scalars, stored in one pool.
  struct ScalarMap: Sendable {
    var start: [Int32] = [0]
    var pool: [UInt32] = []

    mutating func add(_ values: some Sequence<UInt32>) {
      pool.append(contentsOf: values)
      start.append(Int32(pool.count))
    }

    @inline(__always)
    func append(_ index: Int, into output: inout [UInt32]) {
      let from = Int(start[index])
      let to = Int(start[index + 1])
      if to == from + 1 {
        output.append(pool[from])
      } else {
        output.append(contentsOf: pool[from..<to])
      }
    }
  }

  struct Tables: Sendable {
    var flags: [UInt8]
    var lowercase = ScalarMap()
    var stripped = ScalarMap()

    init() {
      flags = [UInt8](repeating: 0, count: 0x10000)
      for value in 0..<UInt32(0x10000) {
        flags[Int(value)] = CharacterClasses.computeFlags(value)
      }
      for value in 0..<UInt32(0x10000) {
        guard let scalar = Unicode.Scalar(value) else {
          lowercase.add(EmptyCollection())
          stripped.add(EmptyCollection())
          continue
        }
        if value < 0x80 {
          let lowered = (0x41...0x5A).contains(value) ? value + 0x20 : value
          lowercase.add(CollectionOfOne(lowered))
        } else {
          lowercase.add(scalar.properties.lowercaseMapping.unicodeScalars.map(\.value))
        }
        let decomposed = CharacterClasses.canonicalDecomposition(value)
        stripped.add(
          decomposed.filter {
            let mark = $0 < 0x10000 ? flags[Int($0)] : CharacterClasses.computeFlags($0)
            return mark & CharacterClasses.nonspacingMark == 0
          })
      }
    }
  }
}
