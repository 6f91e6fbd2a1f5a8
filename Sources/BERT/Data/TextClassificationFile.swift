import Foundation

// Labelled text for sequence classification, from TSV, CSV or JSON Lines files.
//
//   TSV / CSV: a header row names the columns; every row has one field per column.
//   JSONL:     one JSON object per line; its keys are the columns.
//
// The caller names the text column, an optional second-text column (sentence pairs, as
// in MRPC or MNLI) and the label column. A label is a class name from `labelNames` or a
// class index; without names, labels must be indices 0, 1, ... Every error names the
// file and the line.

/// One labelled text (or text pair).
public struct LabeledText: Sendable, Equatable {
  /// The text (sentence A).
  public var text: String
  /// The second text (sentence B), when the task reads pairs.
  public var pair: String?
  /// The class index.
  public var label: Int
  /// The line of the file the row starts on.
  public var line: Int

  /// A labelled text.
  public init(text: String, pair: String? = nil, label: Int, line: Int = 0) {
    self.text = text
    self.pair = pair
    self.label = label
    self.line = line
  }
}

/// Reads labelled text files for classification.
///
/// ```
/// let rows = try TextClassificationFile.read(
///   URL(fileURLWithPath: "train.tsv"), textColumn: "sentence", labelColumn: "label",
///   labelNames: ["negative", "positive"])
/// rows[0]   // LabeledText(text: "a gripping film", pair: nil, label: 1, line: 2)
/// ```
public struct TextClassificationFile: Sendable, Equatable {
  /// A file layout.
  public enum Format: String, Sendable, CaseIterable {
    /// Tab-separated, header row, no quoting.
    case tsv
    /// Comma-separated, header row, RFC 4180 quoting.
    case csv
    /// One JSON object per line.
    case jsonl

    /// The format an extension names (.tsv, .csv, .jsonl or .json), or nil.
    public init?(fileExtension: String) {
      switch fileExtension.lowercased() {
      case "tsv": self = .tsv
      case "csv": self = .csv
      case "jsonl", "json": self = .jsonl
      default: return nil
      }
    }
  }

  /// The column holding the text.
  public var textColumn: String
  /// The column holding the second text, if any.
  public var pairColumn: String?
  /// The column holding the label.
  public var labelColumn: String
  /// Class names in index order; nil when labels are written as indices.
  public var labelNames: [String]?

  /// A reader of the given columns.
  public init(
    textColumn: String = "text", pairColumn: String? = nil, labelColumn: String = "label",
    labelNames: [String]? = nil
  ) {
    self.textColumn = textColumn
    self.pairColumn = pairColumn
    self.labelColumn = labelColumn
    self.labelNames = labelNames
  }

  /// Reads a file; the format comes from the extension unless given.
  ///
  /// - Throws: `DataFileError` naming the file and line of the first problem.
  public static func read(
    _ url: URL, format: Format? = nil, textColumn: String = "text", pairColumn: String? = nil,
    labelColumn: String = "label", labelNames: [String]? = nil
  ) throws -> [LabeledText] {
    let reader = TextClassificationFile(
      textColumn: textColumn, pairColumn: pairColumn, labelColumn: labelColumn, labelNames: labelNames)
    guard let format = format ?? Format(fileExtension: url.pathExtension) else {
      throw DataFileError.unknownFormat(file: url.path)
    }
    return try reader.parse(try readUTF8(url), format: format, file: url.path)
  }

  /// Parses text in `format`; `file` is the name errors carry.
  public func parse(_ text: String, format: Format, file: String) throws -> [LabeledText] {
    switch format {
    case .tsv: return try parseTable(DelimitedText.tsvRows(text), file: file)
    case .csv: return try parseTable(DelimitedText.csvRows(text, file: file), file: file)
    case .jsonl: return try parseJSONLines(text, file: file)
    }
  }

  // MARK: - Tables

  private func parseTable(_ rows: [DelimitedRow], file: String) throws -> [LabeledText] {
    guard let header = rows.first else { return [] }
    let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
    func index(of column: String) throws -> Int {
      guard let index = columns.firstIndex(of: column) else {
        throw DataFileError.missingColumn(file: file, line: header.line, column: column, available: columns)
      }
      return index
    }
    let textIndex = try index(of: textColumn)
    let pairIndex = try pairColumn.map { try index(of: $0) }
    let labelIndex = try index(of: labelColumn)
    return try rows.dropFirst().map { row in
      guard row.fields.count == columns.count else {
        throw DataFileError.malformedRow(
          file: file, line: row.line,
          reason: "\(row.fields.count) fields where the header has \(columns.count)")
      }
      return LabeledText(
        text: row.fields[textIndex], pair: pairIndex.map { row.fields[$0] },
        label: try label(
          row.fields[labelIndex].trimmingCharacters(in: .whitespaces), file: file, line: row.line),
        line: row.line)
    }
  }

  // MARK: - JSON Lines

  private func parseJSONLines(_ text: String, file: String) throws -> [LabeledText] {
    var examples: [LabeledText] = []
    for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .enumerated()
    {
      let lineNumber = index + 1
      let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
      if line.isEmpty { continue }
      let object: [String: Any]
      do {
        guard let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
          throw DataFileError.malformedRow(file: file, line: lineNumber, reason: "not a JSON object")
        }
        object = parsed
      } catch let error as DataFileError {
        throw error
      } catch {
        throw DataFileError.malformedRow(file: file, line: lineNumber, reason: "invalid JSON")
      }
      func field(_ column: String) throws -> Any {
        guard let value = object[column] else {
          throw DataFileError.missingColumn(
            file: file, line: lineNumber, column: column, available: object.keys.sorted())
        }
        return value
      }
      func string(_ column: String) throws -> String {
        guard let value = try field(column) as? String else {
          throw DataFileError.malformedRow(
            file: file, line: lineNumber, reason: "\"\(column)\" is not a string")
        }
        return value
      }
      let rawLabel = try field(labelColumn)
      let labelText: String
      if let value = rawLabel as? String {
        labelText = value
      } else if let value = rawLabel as? NSNumber, let integer = Int(exactly: value.doubleValue) {
        labelText = String(integer)
      } else {
        throw DataFileError.unknownLabel(
          file: file, line: lineNumber, label: "\(rawLabel)", known: labelNames ?? [])
      }
      examples.append(
        LabeledText(
          text: try string(textColumn), pair: try pairColumn.map { try string($0) },
          label: try label(labelText, file: file, line: lineNumber), line: lineNumber))
    }
    return examples
  }

  // MARK: - Labels

  /// A class name's index, or a written index (checked against the names when given).
  func label(_ text: String, file: String, line: Int) throws -> Int {
    if let names = labelNames {
      if let index = names.firstIndex(of: text) { return index }
      if let index = Int(text), names.indices.contains(index) { return index }
    } else if let index = Int(text), index >= 0 {
      return index
    }
    throw DataFileError.unknownLabel(file: file, line: line, label: text, known: labelNames ?? [])
  }
}
