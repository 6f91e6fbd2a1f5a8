// Rows of TSV and CSV text, each with the line it starts on.
//
// TSV as the GLUE files write it: one row per line, fields split at tabs, no quoting.
// CSV as RFC 4180: fields split at commas; a field in double quotes may hold commas, line
// breaks and doubled quotes ("" for "). Lines may end in LF or CRLF.

/// One parsed row and the 1-based line it starts on.
struct DelimitedRow {
  var line: Int
  var fields: [String]
}

enum DelimitedText {
  /// The non-blank lines of TSV text split at tabs.
  static func tsvRows(_ text: String) -> [DelimitedRow] {
    var rows: [DelimitedRow] = []
    for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .enumerated()
    {
      if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
      rows.append(
        DelimitedRow(
          line: index + 1,
          fields: line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)))
    }
    return rows
  }

  /// The records of CSV text; blank lines between records are skipped.
  ///
  /// - Throws: `DataFileError.malformedRow` for a quote left open at the end of the text or
  ///   text after a closing quote, naming `file` and the line.
  static func csvRows(_ text: String, file: String) throws -> [DelimitedRow] {
    var rows: [DelimitedRow] = []
    var fields: [String] = []
    var field = ""
    var line = 1
    var rowStart = 1
    var inQuotes = false
    var afterQuote = false  // just closed a quoted field: only a separator may follow
    var rowHasContent = false
    var characters = Array(text.unicodeScalars)
    if characters.last != "\n" { characters.append("\n") }
    var i = 0
    while i < characters.count {
      let c = characters[i]
      if inQuotes {
        if c == "\"" {
          if i + 1 < characters.count && characters[i + 1] == "\"" {
            field.unicodeScalars.append("\"")
            i += 1
          } else {
            inQuotes = false
            afterQuote = true
          }
        } else {
          if c == "\n" { line += 1 }
          field.unicodeScalars.append(c)
        }
      } else if c == "," {
        fields.append(field)
        field = ""
        afterQuote = false
        rowHasContent = true
      } else if c == "\n" || c == "\r" {
        if c == "\r" && i + 1 < characters.count && characters[i + 1] == "\n" { i += 1 }
        if rowHasContent || !field.isEmpty || afterQuote {
          fields.append(field)
          rows.append(DelimitedRow(line: rowStart, fields: fields))
        }
        fields = []
        field = ""
        afterQuote = false
        rowHasContent = false
        line += 1
        rowStart = line
      } else if afterQuote {
        throw DataFileError.malformedRow(file: file, line: line, reason: "text after a closing quote")
      } else if c == "\"" && field.isEmpty {
        inQuotes = true
        rowHasContent = true
      } else {
        field.unicodeScalars.append(c)
      }
      i += 1
    }
    if inQuotes {
      throw DataFileError.malformedRow(file: file, line: rowStart, reason: "a quoted field is never closed")
    }
    return rows
  }
}
