import Foundation

/// A dataset file that cannot be used, with the file, the line and what was expected.
public enum DataFileError: Error, Equatable, CustomStringConvertible {
  /// The file cannot be read or is not UTF-8.
  case unreadable(file: String, reason: String)
  /// The extension names no known format (.tsv, .csv, .jsonl).
  case unknownFormat(file: String)
  /// A row lacks a column the caller asked for.
  case missingColumn(file: String, line: Int, column: String, available: [String])
  /// A row that cannot be parsed (wrong field count, open quote, invalid JSON, wrong type).
  case malformedRow(file: String, line: Int, reason: String)
  /// A label that is neither a known label name nor a valid class index.
  case unknownLabel(file: String, line: Int, label: String, known: [String])

  /// `file:line: message`, like a compiler diagnostic.
  public var description: String {
    switch self {
    case .unreadable(let file, let reason):
      return "\(file): cannot read: \(reason)"
    case .unknownFormat(let file):
      return "\(file): unknown dataset format (expected a .tsv, .csv or .jsonl file)"
    case .missingColumn(let file, let line, let column, let available):
      return "\(file):\(line): missing column \"\(column)\" (columns: \(available.joined(separator: ", ")))"
    case .malformedRow(let file, let line, let reason):
      return "\(file):\(line): malformed row: \(reason)"
    case .unknownLabel(let file, let line, let label, let known):
      let expected =
        known.isEmpty
        ? "a class index 0, 1, ... (pass label names to use names)"
        : "one of \(known.joined(separator: ", ")) or an index below \(known.count)"
      return "\(file):\(line): unknown label \"\(label)\" (expected \(expected))"
    }
  }
}

/// The text of a file, or an error naming it.
func readUTF8(_ url: URL) throws -> String {
  do {
    let data = try Data(contentsOf: url)
    guard let text = String(data: data, encoding: .utf8) else {
      throw DataFileError.unreadable(file: url.path, reason: "not valid UTF-8")
    }
    return text
  } catch let error as DataFileError {
    throw error
  } catch {
    throw DataFileError.unreadable(file: url.path, reason: error.localizedDescription)
  }
}
