import Foundation

// MARK: - Vocabulary

/// A WordPiece vocabulary: token ↔ id, as in BERT's `vocab.txt` (one token per line, id = line number − 1).
///
/// Word-initial pieces are stored as they are (`un`); pieces that continue a word carry the `##` prefix
/// (`##aff`). A token that appears on two lines keeps the id of the later line for `id(of:)`, as Python's
/// `load_vocab` does (a dictionary filled line by line), while `token(of:)` still answers for both ids.
///
/// `"unaffable"` with bert-base-uncased's vocabulary: `una` (id 14477), `##ffa` (20961), `##ble` (3468).
public struct Vocabulary: Sendable {
  /// Every token, indexed by id (a duplicated token appears at each of its lines).
  public let tokens: [String]
  /// Where the vocabulary came from (a file path, or a description), quoted in errors.
  public let origin: String
  /// Whole tokens, for word-initial pieces.
  let wordStarts: TokenTable
  /// Tokens with the `##` prefix, keyed without it, for pieces that continue a word.
  let continuations: TokenTable

  /// The prefix of pieces that continue a word.
  public static let continuationPrefix = "##"

  /// Creates a vocabulary from tokens in id order.
  ///
  /// - Parameters:
  ///   - tokens: the tokens; the id of a token is its index (the last index, for a duplicate).
  ///   - origin: where they came from, quoted in errors and warnings.
  public init(tokens: [String], origin: String = "vocabulary") {
    self.tokens = tokens
    self.origin = origin
    var wordStarts = TokenTable(capacity: tokens.count)
    var continuations = TokenTable(capacity: tokens.count / 4)
    for (id, token) in tokens.enumerated() {
      let bytes = Array(token.utf8)
      wordStarts.insert(bytes, value: Int32(id))
      if bytes.count > 2 && bytes[0] == UInt8(ascii: "#") && bytes[1] == UInt8(ascii: "#") {
        continuations.insert(bytes[2...], value: Int32(id))
      }
    }
    self.wordStarts = wordStarts
    self.continuations = continuations
  }

  /// The number of ids (lines), including duplicated tokens.
  public var count: Int { tokens.count }

  /// The id of `token`, or `nil` if it is not in the vocabulary.
  public func id(of token: String) -> Int? {
    let id = wordStarts.lookup(token.utf8)
    return id >= 0 ? Int(id) : nil
  }

  /// The token with id `id`, or `nil` if the id is out of range.
  public func token(of id: Int) -> String? {
    tokens.indices.contains(id) ? tokens[id] : nil
  }

  /// Whether token `id` continues a word (starts with `##`); whole-word masking groups such pieces with
  /// the piece before them.
  public func isContinuation(_ id: Int) -> Bool {
    guard let token = token(of: id) else { return false }
    return token.utf8.count > 2 && token.hasPrefix(Self.continuationPrefix)
  }

  // MARK: Special tokens

  /// BERT's five special tokens.
  public enum SpecialToken: String, CaseIterable, Sendable {
    case pad = "[PAD]"
    case unknown = "[UNK]"
    case classifier = "[CLS]"
    case separator = "[SEP]"
    case mask = "[MASK]"
  }

  /// The id of a special token, or `nil` if the vocabulary lacks it.
  public func id(of special: SpecialToken) -> Int? { id(of: special.rawValue) }

  /// The id of a special token that the caller needs.
  ///
  /// - Throws: `WordPieceError.missingSpecialToken` naming the token and the vocabulary's file.
  public func requireID(of special: SpecialToken) throws -> Int {
    guard let id = id(of: special) else {
      throw WordPieceError.missingSpecialToken(token: special.rawValue, file: origin)
    }
    return id
  }

  /// `[PAD]`'s id, if present.
  public var padID: Int? { id(of: .pad) }
  /// `[UNK]`'s id, if present.
  public var unknownID: Int? { id(of: .unknown) }
  /// `[CLS]`'s id, if present.
  public var classifierID: Int? { id(of: .classifier) }
  /// `[SEP]`'s id, if present.
  public var separatorID: Int? { id(of: .separator) }
  /// `[MASK]`'s id, if present.
  public var maskID: Int? { id(of: .mask) }

  // MARK: vocab.txt

  /// Loads a `vocab.txt`: one token per line, the id of a token is its line number − 1.
  ///
  /// Lines end at `\n`, `\r\n` or `\r`, and only the terminator is removed (Python's `rstrip("\n")` after
  /// universal-newline reading), so a token may contain spaces.
  ///
  /// - Parameters:
  ///   - path: the file.
  ///   - warning: called once per duplicated token, with a message naming the file and the lines.
  /// - Throws: `WordPieceError.cannotRead`, `WordPieceError.invalidUTF8` naming the line, and
  ///   `WordPieceError.missingSpecialToken` if `[UNK]` is absent (every tokenizer needs it).
  public static func load(
    contentsOf path: String, warning: (String) -> Void = Vocabulary.printWarning
  ) throws -> Vocabulary {
    let lines = try TextFile.lines(atPath: path)
    var firstLine: [String: Int] = [:]
    for (index, token) in lines.enumerated() {
      if let earlier = firstLine[token] {
        warning(
          "\(path): token \(debugQuoted(token)) appears on lines \(earlier + 1) and \(index + 1); "
            + "id \(index) (line \(index + 1)) is used")
      }
      firstLine[token] = index
    }
    let vocabulary = Vocabulary(tokens: lines, origin: path)
    _ = try vocabulary.requireID(of: .unknown)
    return vocabulary
  }

  /// Writes the tokens in id order, one per line, each followed by `\n` (the format `load` reads).
  ///
  /// - Throws: `WordPieceError.cannotWrite`, or `WordPieceError.invalidArgument` if a token contains a line
  ///   break (it could not be read back as one line).
  public func save(to path: String) throws {
    var text = ""
    text.reserveCapacity(tokens.reduce(0) { $0 + $1.utf8.count + 1 })
    for (id, token) in tokens.enumerated() {
      if token.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
        throw WordPieceError.invalidArgument("\(path): token \(id) contains a line break and cannot be saved")
      }
      text += token
      text += "\n"
    }
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    } catch {
      throw WordPieceError.cannotWrite(file: path, reason: "\(error)")
    }
  }

  /// Writes a warning to standard error.
  public static func printWarning(_ message: String) {
    FileHandle.standardError.write(Data(("warning: " + message + "\n").utf8))
  }
}

/// `token` in double quotes, with invisible characters escaped.
func debugQuoted(_ token: String) -> String {
  token.debugDescription
}
