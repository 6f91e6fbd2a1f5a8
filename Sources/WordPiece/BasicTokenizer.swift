// MARK: - Basic tokenization

/// BERT's basic tokenization: cleans the text and splits it into words and punctuation, before WordPiece.
///
/// The steps are those of the original Python tokenizer (`BasicTokenizer` of `BertTokenizerLegacy` in
/// transformers 5), applied to the Unicode scalars (Python `str` code points) of the text:
///
/// 1. Special tokens (`neverSplit`, e.g. `[MASK]`) found verbatim anywhere in the raw text are cut out first
///    and kept whole, as the reference's added-token trie does: `"a[MASK]b"` → `a`, `[MASK]`, `b`.
/// 2. Cleaning: U+0000, U+FFFD and control characters (category C*, except tab, newline and carriage
///    return) are dropped; tab, newline, carriage return and `Zs` spaces become spaces.
/// 3. Every CJK ideograph (BERT's code-point ranges) is surrounded by spaces, so it becomes a word.
/// 4. NFC, then the text is split on whitespace (Python's `str.split()`, which also splits at U+2028 and
///    U+2029). A chunk equal to a special token is kept whole.
/// 5. Uncased (`lowercase`): `str.lower()` (full case mapping, with the final-sigma rule: `ΟΔΟΣ` → `οδος`),
///    then accents are stripped (NFD, drop nonspacing marks Mn), unless `stripAccents` is `false`.
/// 6. Every punctuation character (ASCII symbols and category P*) becomes a word of its own.
///
/// Worked example (uncased): `"Héllo,  WORLD!"` → `hello`, `,`, `world`, `!`.
///
/// Where the reference implementations disagree, this follows the Python one: a final capital sigma
/// lower-cases to `ς` (the Rust `tokenizers` library gives `σ`), unassigned code points are dropped (Rust
/// keeps them, usually as `[UNK]`), and cased text is put in NFC (Rust leaves it as it is). Code points
/// assigned after Unicode 14.0 (the data of Python 3.11's `unicodedata`, which made the reference
/// fixtures) count as unassigned; other character properties are the Swift runtime's.
public struct BasicTokenizer: Sendable {
  /// Lower-cases the text (and, unless `stripAccents` is `false`, strips accents): an uncased model.
  public let lowercase: Bool
  /// Strips accents; `nil` follows `lowercase`, as in the original BERT.
  public let stripAccents: Bool?
  /// Puts spaces around CJK ideographs.
  public let tokenizeChineseCharacters: Bool
  /// Tokens that are never split or lower-cased (BERT's special tokens).
  public let neverSplit: [String]

  /// `neverSplit` as UTF-8 bytes and as scalars.
  let neverSplitBytes: [[UInt8]]
  let neverSplitScalars: [[UInt32]]
  /// The class of each byte value (see `ByteClass`), with `ByteClass.specialStart` set on the first bytes
  /// of the `neverSplit` tokens.
  let byteClasses: [UInt8]
  /// Each ASCII byte after case folding (identity when cased).
  let asciiFolding: [UInt8]

  /// Whether accents are stripped (Python: `strip_accents is not False` when lower-casing, else
  /// `strip_accents` itself).
  var stripsAccents: Bool { lowercase ? stripAccents != false : stripAccents == true }

  /// Creates a basic tokenizer.
  ///
  /// - Parameters:
  ///   - lowercase: lower-case and (by default) strip accents, as for an uncased checkpoint.
  ///   - stripAccents: strip accents; `nil` follows `lowercase`.
  ///   - tokenizeChineseCharacters: put spaces around CJK ideographs.
  ///   - neverSplit: special tokens kept whole.
  public init(
    lowercase: Bool = true, stripAccents: Bool? = nil, tokenizeChineseCharacters: Bool = true,
    neverSplit: [String] = []
  ) {
    self.lowercase = lowercase
    self.stripAccents = stripAccents
    self.tokenizeChineseCharacters = tokenizeChineseCharacters
    let tokens = neverSplit.filter { !$0.isEmpty }
    self.neverSplit = tokens
    neverSplitBytes = tokens.map { Array($0.utf8) }
    neverSplitScalars = tokens.map { $0.unicodeScalars.map(\.value) }
    var classes = [UInt8](repeating: ByteClass.nonASCII, count: 256)
    var folding = [UInt8](repeating: 0, count: 256)
    for byte in 0..<128 {
      let flags = CharacterClasses.computeFlags(UInt32(byte))
      if flags & CharacterClasses.control != 0 {
        classes[byte] = ByteClass.drop
      } else if flags & CharacterClasses.separator != 0 {
        classes[byte] = ByteClass.separator
      } else if flags & CharacterClasses.punctuation != 0 {
        classes[byte] = ByteClass.punctuation
      } else {
        classes[byte] = ByteClass.word
      }
      folding[byte] = lowercase && (65...90).contains(byte) ? UInt8(byte + 32) : UInt8(byte)
    }
    for token in neverSplitBytes {
      if let first = token.first { classes[Int(first)] |= ByteClass.specialStart }
    }
    byteClasses = classes
    asciiFolding = folding
  }

  /// The words and punctuation of `text`, after normalization.
  ///
  /// `BasicTokenizer().tokenize("Héllo,  WORLD!")` is `["hello", ",", "world", "!"]`.
  public func tokenize(_ text: String) -> [String] {
    var output = PreTokenizedText()
    split(text, into: &output)
    return output.words.indices.map { output.text(ofWord: $0) }
  }

  /// The words of `text` with the span of original Unicode scalars each came from.
  public func wordsWithSpans(_ text: String) -> [(word: String, span: Range<Int>)] {
    var output = PreTokenizedText()
    split(text, into: &output)
    return output.words.indices.map { (output.text(ofWord: $0), output.span(ofWord: $0)) }
  }

  /// Appends the words of `text` to `output`.
  func split(_ text: String, into output: inout PreTokenizedText) {
    var text = text
    text.withUTF8 { input in
      var scanner = Scanner(tokenizer: self, input: input)
      scanner.run(into: &output)
    }
  }
}

// MARK: - Byte classes

/// The class of a byte in the ASCII fast path.
enum ByteClass {
  static let word: UInt8 = 0
  static let separator: UInt8 = 1
  static let drop: UInt8 = 2
  static let punctuation: UInt8 = 3
  static let nonASCII: UInt8 = 4
  /// Set when the byte starts one of the never-split tokens.
  static let specialStart: UInt8 = 0x80
}

// MARK: - Scanner

/// One pass over the UTF-8 bytes of a text.
///
/// Runs of ASCII are handled byte by byte (classify, fold case, append). A whitespace-delimited chunk that
/// contains any other scalar is scanned again as scalars and normalized as a whole, because NFC and the
/// final-sigma rule look at neighbouring characters.
private struct Scanner {
  let tokenizer: BasicTokenizer
  let input: UnsafeBufferPointer<UInt8>
  var position = 0
  var scalarIndex: Int32 = 0

  // The current whitespace-delimited chunk.
  var chunkStartByte = 0
  var chunkStartScalar: Int32 = 0
  var chunkWordCount = 0
  var chunkByteCount = 0
  var chunkHadDrop = false

  // The current word of the ASCII fast path.
  var wordOpen = false
  var wordStartByte: Int32 = 0
  var wordScalarCount: Int32 = 0

  // Scratch buffers of the general path.
  var scalars: [UInt32] = []
  var origins: [Int32] = []
  var normalized: [UInt32] = []
  var normalizedStart: [Int32] = []
  var normalizedEnd: [Int32] = []
  var lowered: [UInt32] = []

  init(tokenizer: BasicTokenizer, input: UnsafeBufferPointer<UInt8>) {
    self.tokenizer = tokenizer
    self.input = input
  }

  mutating func run(into output: inout PreTokenizedText) {
    beginChunk(&output)
    let classes = tokenizer.byteClasses
    let folding = tokenizer.asciiFolding
    while position < input.count {
      let byte = input[position]
      let byteClass = classes[Int(byte)]
      if byteClass & ByteClass.specialStart != 0, let special = matchSpecial(at: position) {
        closeChunk(&output, end: position)
        emitRawSpecial(special, &output)
        beginChunk(&output)
        continue
      }
      switch byteClass & 0x7F {
      case ByteClass.word:
        if !wordOpen { openWord(&output) }
        output.bytes.append(folding[Int(byte)])
        output.originStart.append(scalarIndex)
        output.originEnd.append(scalarIndex + 1)
        wordScalarCount += 1
        advance(1)
      case ByteClass.punctuation:
        closeWord(&output)
        openWord(&output)
        output.bytes.append(byte)
        output.originStart.append(scalarIndex)
        output.originEnd.append(scalarIndex + 1)
        wordScalarCount = 1
        closeWord(&output)
        advance(1)
      case ByteClass.separator:
        closeChunk(&output, end: position)
        advance(1)
        beginChunk(&output)
      case ByteClass.drop:
        chunkHadDrop = true
        advance(1)
      default:
        let (value, length) = decodeScalar(at: position)
        let flags = CharacterClasses.flags(value)
        if flags & CharacterClasses.control != 0 {
          chunkHadDrop = true
          advance(length)
        } else if flags & CharacterClasses.separator != 0 {
          closeChunk(&output, end: position)
          advance(length)
          beginChunk(&output)
        } else if flags & CharacterClasses.chinese != 0 && tokenizer.tokenizeChineseCharacters {
          closeChunk(&output, end: position)
          scalars.removeAll(keepingCapacity: true)
          origins.removeAll(keepingCapacity: true)
          scalars.append(value)
          origins.append(scalarIndex)
          advance(length)
          normalizeChunk(&output)
          beginChunk(&output)
        } else {
          // Start the chunk over on the general path.
          closeWord(&output)
          output.rollBack(wordCount: chunkWordCount, byteCount: chunkByteCount)
          position = chunkStartByte
          scalarIndex = chunkStartScalar
          collectChunk()
          normalizeChunk(&output)
          beginChunk(&output)
        }
      }
    }
    closeChunk(&output, end: position)
  }

  // MARK: Positions

  @inline(__always)
  mutating func advance(_ byteCount: Int) {
    position += byteCount
    scalarIndex += 1
  }

  /// Decodes the scalar starting at `index` (the input is valid UTF-8: it comes from a `String`).
  @inline(__always)
  func decodeScalar(at index: Int) -> (value: UInt32, length: Int) {
    let lead = UInt32(input[index])
    if lead < 0x80 { return (lead, 1) }
    if lead < 0xE0 {
      return (((lead & 0x1F) << 6) | (UInt32(input[index + 1]) & 0x3F), 2)
    }
    if lead < 0xF0 {
      let value =
        ((lead & 0x0F) << 12) | ((UInt32(input[index + 1]) & 0x3F) << 6)
        | (UInt32(input[index + 2]) & 0x3F)
      return (value, 3)
    }
    let value =
      ((lead & 0x07) << 18) | ((UInt32(input[index + 1]) & 0x3F) << 12)
      | ((UInt32(input[index + 2]) & 0x3F) << 6) | (UInt32(input[index + 3]) & 0x3F)
    return (value, 4)
  }

  /// The index of the longest never-split token whose bytes start at `index`, if any.
  func matchSpecial(at index: Int) -> Int? {
    var best: Int?
    var bestLength = 0
    for (tokenIndex, token) in tokenizer.neverSplitBytes.enumerated()
    where token.count > bestLength && index + token.count <= input.count {
      var matches = true
      for offset in 0..<token.count where input[index + offset] != token[offset] {
        matches = false
        break
      }
      if matches {
        best = tokenIndex
        bestLength = token.count
      }
    }
    return best
  }

  // MARK: Words and chunks

  mutating func beginChunk(_ output: inout PreTokenizedText) {
    chunkStartByte = position
    chunkStartScalar = scalarIndex
    chunkWordCount = output.words.count
    chunkByteCount = output.bytes.count
    chunkHadDrop = false
  }

  mutating func openWord(_ output: inout PreTokenizedText) {
    wordOpen = true
    wordStartByte = Int32(output.bytes.count)
    wordScalarCount = 0
  }

  mutating func closeWord(_ output: inout PreTokenizedText, special: Int32 = -1) {
    guard wordOpen else { return }
    wordOpen = false
    let end = Int32(output.bytes.count)
    if end > wordStartByte {
      output.words.append(
        .init(start: wordStartByte, end: end, scalarCount: wordScalarCount, special: special))
    }
  }

  /// Ends the chunk at byte `end`; a chunk whose dropped control characters hid a special token
  /// (`"[MA\u{200B}SK]"`) becomes that special token, as in the reference.
  mutating func closeChunk(_ output: inout PreTokenizedText, end: Int) {
    closeWord(&output)
    guard chunkHadDrop, !tokenizer.neverSplit.isEmpty else { return }
    let savedPosition = position
    let savedScalar = scalarIndex
    position = chunkStartByte
    scalarIndex = chunkStartScalar
    scalars.removeAll(keepingCapacity: true)
    origins.removeAll(keepingCapacity: true)
    while position < end {
      let (value, length) = decodeScalar(at: position)
      if CharacterClasses.flags(value) & CharacterClasses.control == 0 {
        scalars.append(value)
        origins.append(scalarIndex)
      }
      advance(length)
    }
    position = savedPosition
    scalarIndex = savedScalar
    if let special = tokenizer.neverSplitScalars.firstIndex(of: scalars), let first = origins.first,
      let last = origins.last
    {
      output.rollBack(wordCount: chunkWordCount, byteCount: chunkByteCount)
      emitSpecial(special, start: first, end: last + 1, &output)
    }
  }

  /// Collects the cleaned scalars of the chunk starting at `position`, up to the next separator, CJK
  /// ideograph, special token or the end of the text.
  mutating func collectChunk() {
    scalars.removeAll(keepingCapacity: true)
    origins.removeAll(keepingCapacity: true)
    chunkHadDrop = false
    let classes = tokenizer.byteClasses
    while position < input.count {
      if classes[Int(input[position])] & ByteClass.specialStart != 0, matchSpecial(at: position) != nil {
        return
      }
      let (value, length) = decodeScalar(at: position)
      let flags = CharacterClasses.flags(value)
      if flags & CharacterClasses.separator != 0
        || (flags & CharacterClasses.chinese != 0 && tokenizer.tokenizeChineseCharacters)
      {
        return
      }
      if flags & CharacterClasses.control == 0 {
        scalars.append(value)
        origins.append(scalarIndex)
      }
      advance(length)
    }
  }

  mutating func emitRawSpecial(_ special: Int, _ output: inout PreTokenizedText) {
    let length = tokenizer.neverSplitScalars[special].count
    emitSpecial(special, start: scalarIndex, end: scalarIndex + Int32(length), &output)
    position += tokenizer.neverSplitBytes[special].count
    scalarIndex += Int32(length)
  }

  mutating func emitSpecial(_ special: Int, start: Int32, end: Int32, _ output: inout PreTokenizedText) {
    openWord(&output)
    for byte in tokenizer.neverSplitBytes[special] {
      output.bytes.append(byte)
      output.originStart.append(start)
      output.originEnd.append(end)
    }
    wordScalarCount = Int32(tokenizer.neverSplitScalars[special].count)
    closeWord(&output, special: Int32(special))
  }

  // MARK: General path

  /// Normalizes the chunk in `scalars`/`origins` (NFC or accent stripping, lower-casing) and splits it at
  /// punctuation into words.
  mutating func normalizeChunk(_ output: inout PreTokenizedText) {
    guard !scalars.isEmpty else { return }
    if let special = tokenizer.neverSplitScalars.firstIndex(of: scalars), let first = origins.first,
      let last = origins.last
    {
      emitSpecial(special, start: first, end: last + 1, &output)
      return
    }
    let lowercase = tokenizer.lowercase
    normalized.removeAll(keepingCapacity: true)
    normalizedStart.removeAll(keepingCapacity: true)
    normalizedEnd.removeAll(keepingCapacity: true)
    if tokenizer.stripsAccents {
      // NFD(lower(NFC(x))) = NFD(lower(x)): the reference's NFC step needs no work here.
      for index in scalars.indices {
        lowered.removeAll(keepingCapacity: true)
        Self.lowerCase(scalars, at: index, lowercase: lowercase, into: &lowered)
        for value in lowered {
          let before = normalized.count
          CharacterClasses.stripAccents(value, into: &normalized)
          for _ in before..<normalized.count {
            normalizedStart.append(origins[index])
            normalizedEnd.append(origins[index] + 1)
          }
        }
      }
    } else {
      var composed = scalars
      var spanStart = origins
      var spanEnd = origins.map { $0 + 1 }
      if !CharacterClasses.isTriviallyComposed(scalars[...]) {
        let result = CharacterClasses.composeCanonically(scalars)
        composed = result.scalars
        spanStart = result.spans.map { origins[$0.lowerBound] }
        spanEnd = result.spans.map { origins[$0.upperBound - 1] + 1 }
      }
      for index in composed.indices {
        lowered.removeAll(keepingCapacity: true)
        Self.lowerCase(composed, at: index, lowercase: lowercase, into: &lowered)
        for value in lowered {
          normalized.append(value)
          normalizedStart.append(spanStart[index])
          normalizedEnd.append(spanEnd[index])
        }
      }
    }
    for index in normalized.indices {
      let value = normalized[index]
      if CharacterClasses.flags(value) & CharacterClasses.punctuation != 0 {
        closeWord(&output)
        openWord(&output)
        output.appendScalar(value, originStart: normalizedStart[index], originEnd: normalizedEnd[index])
        wordScalarCount = 1
        closeWord(&output)
      } else {
        if !wordOpen { openWord(&output) }
        output.appendScalar(value, originStart: normalizedStart[index], originEnd: normalizedEnd[index])
        wordScalarCount += 1
      }
    }
    closeWord(&output)
  }

  /// Appends Python's `str.lower()` of `text[index]` (or the scalar itself when cased) to `output`.
  ///
  /// Static, so that calling it with the scanner's own buffers does not copy the scanner.
  static func lowerCase(_ text: [UInt32], at index: Int, lowercase: Bool, into output: inout [UInt32]) {
    let value = text[index]
    guard lowercase else {
      output.append(value)
      return
    }
    if value == 0x3A3 {
      output.append(Self.isFinalSigma(text, at: index) ? 0x3C2 : 0x3C3)
    } else {
      CharacterClasses.lowercase(value, into: &output)
    }
  }

  /// Unicode's Final_Sigma condition as Python's `str.lower()` tests it: a cased letter before (skipping
  /// case-ignorable characters) and none after.
  static func isFinalSigma(_ text: [UInt32], at index: Int) -> Bool {
    var before = index - 1
    while before >= 0 && CharacterClasses.flags(text[before]) & CharacterClasses.caseIgnorable != 0 {
      before -= 1
    }
    guard before >= 0, CharacterClasses.flags(text[before]) & CharacterClasses.cased != 0 else {
      return false
    }
    var after = index + 1
    while after < text.count && CharacterClasses.flags(text[after]) & CharacterClasses.caseIgnorable != 0 {
      after += 1
    }
    return after == text.count || CharacterClasses.flags(text[after]) & CharacterClasses.cased == 0
  }
}
