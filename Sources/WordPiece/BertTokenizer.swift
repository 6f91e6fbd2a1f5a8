// MARK: - BERT's tokenizer

/// BERT's tokenizer: basic tokenization, then WordPiece, then `[CLS]`/`[SEP]`, truncation and padding.
///
/// It reproduces the original Python tokenizer (`BertTokenizerLegacy` in transformers 5, the
/// `tokenization.py` of google-research/bert), token for token and id for id; see `BasicTokenizer` for the
/// normalization steps and where it departs from the Rust `tokenizers` library (it follows Python: final
/// capital sigma, unassigned code points, NFC of cased text).
///
/// ```swift
/// let tokenizer = try BertTokenizer(vocabularyFile: "vocab.txt")   // bert-base-uncased
/// tokenizer.tokenize("unaffable")                  // ["una", "##ffa", "##ble"]
/// tokenizer.encode("Hello, world!").ids            // [101, 7592, 1010, 2088, 999, 102]
/// ```
///
/// Left out (the reference has them, BERT's uses do not need them): a stride with overflowing tokens,
/// truncation and padding on the left, `pad_to_multiple_of`, added tokens beyond the five special ones,
/// and switching basic tokenization off. Texts are limited to 2³¹ − 1 UTF-8 bytes.
public struct BertTokenizer: Sendable {
  /// The vocabulary.
  public let vocabulary: Vocabulary
  /// The normalization and word splitting before WordPiece.
  public let basicTokenizer: BasicTokenizer
  /// Words with more Unicode scalars than this become `[UNK]` (100 in the reference).
  public let maxInputCharactersPerWord: Int
  /// Ids of `[PAD]`, `[UNK]`, `[CLS]` and `[SEP]`.
  public let padID: Int
  public let unknownID: Int
  public let classifierID: Int
  public let separatorID: Int
  /// `[MASK]`'s id, if the vocabulary has it (masked-language-model training needs it).
  public let maskID: Int?
  /// The id of each `basicTokenizer.neverSplit` token (`[UNK]`'s if it is missing).
  let neverSplitIDs: [Int]

  /// Creates a tokenizer over `vocabulary`.
  ///
  /// - Parameters:
  ///   - vocabulary: the WordPiece vocabulary.
  ///   - lowercase: lower-case and strip accents (an uncased checkpoint); `false` for a cased one.
  ///   - stripAccents: strip accents; `nil` follows `lowercase`.
  ///   - tokenizeChineseCharacters: put spaces around CJK ideographs.
  ///   - maxInputCharactersPerWord: longer words become `[UNK]`.
  /// - Throws: `WordPieceError.missingSpecialToken` naming the vocabulary's file if `[UNK]`, `[CLS]`,
  ///   `[SEP]` or `[PAD]` is missing.
  public init(
    vocabulary: Vocabulary, lowercase: Bool = true, stripAccents: Bool? = nil,
    tokenizeChineseCharacters: Bool = true, maxInputCharactersPerWord: Int = 100
  ) throws {
    self.vocabulary = vocabulary
    unknownID = try vocabulary.requireID(of: .unknown)
    classifierID = try vocabulary.requireID(of: .classifier)
    separatorID = try vocabulary.requireID(of: .separator)
    padID = try vocabulary.requireID(of: .pad)
    maskID = vocabulary.id(of: .mask)
    self.maxInputCharactersPerWord = maxInputCharactersPerWord
    // The reference never splits its special tokens, in this order: unk, sep, pad, cls, mask.
    let specials: [Vocabulary.SpecialToken] = [.unknown, .separator, .pad, .classifier, .mask]
    basicTokenizer = BasicTokenizer(
      lowercase: lowercase, stripAccents: stripAccents,
      tokenizeChineseCharacters: tokenizeChineseCharacters, neverSplit: specials.map(\.rawValue))
    let unknownID = unknownID
    neverSplitIDs = specials.map { vocabulary.id(of: $0) ?? unknownID }
  }

  /// Loads `vocab.txt` and creates a tokenizer (see `init(vocabulary:lowercase:...)`).
  ///
  /// - Throws: the errors of `Vocabulary.load` and of `init(vocabulary:...)`.
  public init(
    vocabularyFile path: String, lowercase: Bool = true,
    warning: (String) -> Void = Vocabulary.printWarning
  ) throws {
    try self.init(vocabulary: Vocabulary.load(contentsOf: path, warning: warning), lowercase: lowercase)
  }

  /// The ids of the special tokens (`[PAD]`, `[UNK]`, `[CLS]`, `[SEP]`, and `[MASK]` if present).
  public var specialTokenIDs: Set<Int> {
    var ids: Set<Int> = [padID, unknownID, classifierID, separatorID]
    if let maskID { ids.insert(maskID) }
    return ids
  }

  // MARK: Tokenizing

  /// The word pieces of `text`, without special tokens: `"unaffable"` → `["una", "##ffa", "##ble"]`.
  public func tokenize(_ text: String) -> [String] {
    encodeText(text).tokens
  }

  /// The ids of the word pieces of `text`, without special tokens.
  public func tokenIDs(_ text: String) -> [Int] {
    encodeText(text).ids
  }

  /// Runs basic tokenization and WordPiece on one text.
  func encodeText(_ text: String) -> EncodedText {
    var words = PreTokenizedText()
    words.bytes.reserveCapacity(text.utf8.count)
    basicTokenizer.split(text, into: &words)
    var pieces: [WordPieceSpan] = []
    pieces.reserveCapacity(words.words.count + words.words.count / 4)
    var matcher = WordPieceMatcher(
      vocabulary: vocabulary, unknownID: unknownID, maxInputCharactersPerWord: maxInputCharactersPerWord)
    words.bytes.withUnsafeBufferPointer { bytes in
      for (index, word) in words.words.enumerated() {
        if word.special >= 0 {
          pieces.append(
            WordPieceSpan(
              id: Int32(neverSplitIDs[Int(word.special)]), start: word.start, end: word.end,
              word: Int32(index)))
        } else {
          matcher.match(
            bytes, start: Int(word.start), end: Int(word.end), scalarCount: Int(word.scalarCount),
            word: Int32(index), into: &pieces)
        }
      }
    }
    var result = EncodedText()
    result.ids.reserveCapacity(pieces.count)
    result.tokens.reserveCapacity(pieces.count)
    result.offsets.reserveCapacity(pieces.count)
    result.wordIds.reserveCapacity(pieces.count)
    let tokens = vocabulary.tokens
    for piece in pieces {
      result.ids.append(Int(piece.id))
      result.tokens.append(tokens[Int(piece.id)])
      result.offsets.append(
        Int(words.originStart[Int(piece.start)])..<Int(words.originEnd[Int(piece.end) - 1]))
      result.wordIds.append(Int(piece.word))
    }
    return result
  }

  // MARK: Encoding

  /// Encodes a text or a pair of texts: `[CLS] a [SEP]` or `[CLS] a [SEP] b [SEP]`.
  ///
  /// - Parameters:
  ///   - text: the first text.
  ///   - pair: the second text, if any.
  ///   - maxLength: the length to truncate to (special tokens included) and, with `.maxLength` padding,
  ///     to pad to; `nil` for no limit.
  ///   - truncation: how to shorten the texts when they do not fit (as the reference, the special tokens
  ///     are always kept, so a `maxLength` below 2 or 3 is exceeded).
  ///   - padding: `.maxLength` pads to `maxLength`; `.longest` has no effect on one encoding.
  /// - Returns: the encoding; see `Encoding` for the layout.
  public func encode(
    _ text: String, pair: String? = nil, maxLength: Int? = nil,
    truncation: TruncationStrategy = .longestFirst, padding: PaddingStrategy = .doNotPad
  ) -> Encoding {
    var first = encodeText(text)
    var second = pair.map { encodeText($0) }
    if let maxLength {
      let total = first.count + (second?.count ?? 0) + (second == nil ? 2 : 3)
      truncation.truncate(&first, &second, excess: total - maxLength)
    }
    var encoding = assemble(first, second)
    if padding == .maxLength, let maxLength {
      encoding.pad(to: maxLength, padID: padID, padToken: vocabulary.tokens[padID])
    }
    return encoding
  }

  /// Encodes many texts (or pairs) with the same settings; `.longest` pads them all to the longest.
  ///
  /// - Precondition: `pairs`, if given, has one entry per text.
  public func encodeBatch(
    _ texts: [String], pairs: [String]? = nil, maxLength: Int? = nil,
    truncation: TruncationStrategy = .longestFirst, padding: PaddingStrategy = .doNotPad
  ) -> [Encoding] {
    precondition(
      pairs == nil || pairs?.count == texts.count,
      "encodeBatch: \(texts.count) texts but \(pairs?.count ?? 0) pairs")
    var encodings = texts.indices.map { index in
      encode(
        texts[index], pair: pairs?[index], maxLength: maxLength, truncation: truncation,
        padding: padding == .maxLength ? .maxLength : .doNotPad)
    }
    if padding == .longest {
      let longest = encodings.map(\.count).max() ?? 0
      for index in encodings.indices {
        encodings[index].pad(to: longest, padID: padID, padToken: vocabulary.tokens[padID])
      }
    }
    return encodings
  }

  /// Adds the special tokens around one or two encoded texts.
  func assemble(_ first: EncodedText, _ second: EncodedText?) -> Encoding {
    let classifierToken = vocabulary.tokens[classifierID]
    let separatorToken = vocabulary.tokens[separatorID]
    var encoding = Encoding(
      ids: [classifierID] + first.ids + [separatorID],
      tokens: [classifierToken] + first.tokens + [separatorToken],
      tokenTypeIds: [Int](repeating: 0, count: first.count + 2),
      attentionMask: [Int](repeating: 1, count: first.count + 2),
      specialTokensMask: [1] + [Int](repeating: 0, count: first.count) + [1],
      offsets: [0..<0] + first.offsets + [0..<0],
      wordIds: [nil] + first.wordIds.map { $0 } + [nil],
      sequenceIds: [nil] + [Int?](repeating: 0, count: first.count) + [nil])
    if let second {
      encoding.ids += second.ids + [separatorID]
      encoding.tokens += second.tokens + [separatorToken]
      encoding.tokenTypeIds += [Int](repeating: 1, count: second.count + 1)
      encoding.attentionMask += [Int](repeating: 1, count: second.count + 1)
      encoding.specialTokensMask += [Int](repeating: 0, count: second.count) + [1]
      encoding.offsets += second.offsets + [0..<0]
      encoding.wordIds += second.wordIds.map { $0 } + [nil]
      encoding.sequenceIds += [Int?](repeating: 1, count: second.count) + [nil]
    }
    return encoding
  }
}
