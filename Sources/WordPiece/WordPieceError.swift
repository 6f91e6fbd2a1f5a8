/// An error from reading a vocabulary or text file, or from a tokenizer call with impossible arguments.
///
/// Every case names the file (or `<stdin>`, or the vocabulary's origin) and, where there is one, the
/// 1-based line, so a message can be acted on without a debugger.
public enum WordPieceError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be opened or read.
  case cannotRead(file: String, reason: String)
  /// The bytes of a line are not valid UTF-8.
  case invalidUTF8(file: String, line: Int)
  /// A special token that the operation needs is not in the vocabulary.
  case missingSpecialToken(token: String, file: String)
  /// The file could not be written.
  case cannotWrite(file: String, reason: String)
  /// An argument is out of its domain (a negative length, a vocabulary size below the special tokens).
  case invalidArgument(String)

  public var description: String {
    switch self {
    case .cannotRead(let file, let reason):
      return "\(file): cannot read: \(reason)"
    case .invalidUTF8(let file, let line):
      return "\(file):\(line): invalid UTF-8 (expected UTF-8 text)"
    case .missingSpecialToken(let token, let file):
      return "\(file): the vocabulary has no \(token) token, which is needed here"
    case .cannotWrite(let file, let reason):
      return "\(file): cannot write: \(reason)"
    case .invalidArgument(let message):
      return message
    }
  }
}
