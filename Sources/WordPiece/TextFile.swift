import Foundation

/// Reads UTF-8 text files line by line, the way Python's `open(path, encoding="utf-8").readlines()` does.
///
/// Lines end at `\n`, `\r\n` or a lone `\r` (Python's universal newlines); the terminator is not part of
/// the line, and a final terminator does not start an empty last line. Bytes that are not valid UTF-8
/// are an error naming the file and the 1-based line, never a replacement character: a vocabulary with
/// a corrupted line must not load as a different vocabulary.
public enum TextFile {
  /// Reads the whole file at `path` and splits it into lines.
  ///
  /// - Throws: `WordPieceError.cannotRead` if the file cannot be read, `WordPieceError.invalidUTF8` with the
  ///   first bad line.
  public static func lines(atPath path: String) throws -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else {
      let reason =
        FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"
      throw WordPieceError.cannotRead(file: path, reason: reason)
    }
    return try lines(of: [UInt8](data), name: path)
  }

  /// Splits `bytes` into UTF-8 lines; `name` is the file name quoted in errors.
  ///
  /// - Throws: `WordPieceError.invalidUTF8` naming `name` and the first bad line.
  public static func lines(of bytes: [UInt8], name: String) throws -> [String] {
    var result: [String] = []
    try forEachLine(of: bytes, name: name) { result.append($0) }
    return result
  }

  /// Calls `body` with each UTF-8 line of `bytes` in order (see `lines(of:name:)`).
  public static func forEachLine(
    of bytes: [UInt8], name: String, _ body: (String) throws -> Void
  ) throws {
    var lineNumber = 0
    var start = 0
    var index = 0
    let count = bytes.count
    while start < count {
      lineNumber += 1
      index = start
      while index < count && bytes[index] != 0x0A && bytes[index] != 0x0D { index += 1 }
      let line = bytes[start..<index]
      guard let text = String(validating: line, as: UTF8.self) else {
        throw WordPieceError.invalidUTF8(file: name, line: lineNumber)
      }
      try body(text)
      if index < count && bytes[index] == 0x0D && index + 1 < count && bytes[index + 1] == 0x0A {
        index += 1
      }
      start = index + 1
    }
  }
}
