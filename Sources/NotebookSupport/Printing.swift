// Printing helpers shared by the chapters: every number is printed with a fixed number of
// decimals, independent of the locale, so a run prints the same text on every machine.

/// `value` with `digits` decimals ("0.2231"), rounded half away from zero, no locale.
public func fixed(_ value: Double, _ digits: Int = 4) -> String {
  guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let rounded = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
  let negative = value < 0 && rounded != 0
  let whole = Int64(rounded / scale)
  let fraction = Int64(rounded - Double(whole) * scale)
  var text = String(whole)
  if digits > 0 {
    let digitsText = String(fraction)
    text += "." + String(repeating: "0", count: digits - digitsText.count) + digitsText
  }
  return negative ? "-" + text : text
}

/// `value` with `digits` decimals.
public func fixed(_ value: Float, _ digits: Int = 4) -> String { fixed(Double(value), digits) }

/// A vector as `[a, b, c]` with fixed decimals, right-aligned to a common width.
public func fixed(_ values: [Float], _ digits: Int = 4) -> String {
  let texts = values.map { fixed($0, digits) }
  let width = texts.map(\.count).max() ?? 0
  return "[" + texts.map { pad($0, width) }.joined(separator: ", ") + "]"
}

/// `text` right-aligned in `width` columns.
public func pad(_ text: String, _ width: Int) -> String {
  String(repeating: " ", count: max(0, width - text.count)) + text
}

/// `text` left-aligned in `width` columns.
public func padRight(_ text: String, _ width: Int) -> String {
  text + String(repeating: " ", count: max(0, width - text.count))
}

/// A shape as `[B=1, T=9, H=8]` from names and extents.
public func shapeText(_ shape: [Int], names: [String]) -> String {
  precondition(shape.count == names.count, "shapeText: \(shape.count) extents, \(names.count) names")
  return "[" + zip(names, shape).map { "\($0)=\($1)" }.joined(separator: ", ") + "]"
}

/// Prints a chapter's heading: its number, the seed section in Chinese and English.
public func printChapterHeading(_ number: String, _ title: String) {
  let line = String(repeating: "=", count: 78)
  print(line)
  print("Chapter \(number): \(title)")
  print(line)
}

/// Prints a step heading inside a chapter.
public func printStep(_ title: String) {
  print("")
  print("--- \(title) " + String(repeating: "-", count: max(3, 74 - title.count)))
}

/// Prints a labelled matrix with row and column labels and fixed decimals.
public func printMatrix(_ rows: [[Float]], rowLabels: [String], columnLabels: [String], digits: Int = 3) {
  let cells = rows.map { $0.map { fixed($0, digits) } }
  let width = max(
    cells.flatMap { $0 }.map(\.count).max() ?? 0, columnLabels.map(\.count).max() ?? 0)
  let labelWidth = rowLabels.map(\.count).max() ?? 0
  print(padRight("", labelWidth) + "  " + columnLabels.map { pad($0, width) }.joined(separator: " "))
  for (label, row) in zip(rowLabels, cells) {
    print(padRight(label, labelWidth) + "  " + row.map { pad($0, width) }.joined(separator: " "))
  }
}
