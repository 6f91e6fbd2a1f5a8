import Foundation
import Testing

@testable import BERT

@Suite("Data: classification files and their errors")
struct DataFileTests {
  /// Writes `text` to a fresh file named `name` and returns its URL.
  func write(_ text: String, _ name: String) throws -> URL {
    let url = temporaryFolder("data-file").appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
  }

  /// The error `body` throws, as a DataFileError.
  func error(_ body: () throws -> Void) -> DataFileError? {
    do {
      try body()
      return nil
    } catch {
      return error as? DataFileError
    }
  }

  @Test("TSV with label names, integer labels and a sentence pair")
  func tsv() throws {
    let url = try write("id\tsentence\tlabel\r\n1\ta fine film\tpositive\r\n2\tdull\t0\r\n\r\n", "train.tsv")
    let rows = try TextClassificationFile.read(
      url, textColumn: "sentence", labelNames: ["negative", "positive"])
    #expect(
      rows == [
        LabeledText(text: "a fine film", label: 1, line: 2), LabeledText(text: "dull", label: 0, line: 3),
      ])
    let pairs = try write("premise\thypothesis\tlabel\nA man sleeps.\tA person rests.\t1\n", "pairs.tsv")
    let pairRows = try TextClassificationFile.read(pairs, textColumn: "premise", pairColumn: "hypothesis")
    #expect(pairRows.first?.pair == "A person rests." && pairRows.first?.label == 1)
  }

  @Test("CSV quoting: commas, doubled quotes and line breaks inside quotes")
  func csv() throws {
    let text = "text,label\n\"Good, really \"\"good\"\"\",1\r\n\"two\nlines\",0\nplain,1\n"
    let rows = try TextClassificationFile.read(try write(text, "data.csv"))
    #expect(rows.map(\.text) == ["Good, really \"good\"", "two\nlines", "plain"])
    #expect(rows.map(\.label) == [1, 0, 1])
    #expect(rows.map(\.line) == [2, 3, 5], "rows start on lines \(rows.map(\.line))")
  }

  @Test("JSON Lines with string and number labels")
  func jsonl() throws {
    let text = "{\"text\": \"great\", \"label\": \"pos\"}\n\n{\"text\": \"awful\", \"label\": 0}\n"
    let rows = try TextClassificationFile.read(try write(text, "data.jsonl"), labelNames: ["neg", "pos"])
    #expect(
      rows == [LabeledText(text: "great", label: 1, line: 1), LabeledText(text: "awful", label: 0, line: 3)])
  }

  @Test("errors name the file and the line")
  func errors() throws {
    let missing = try write("sentence\tlabel\nok\t1\n", "missing.tsv")
    let missingError = error { _ = try TextClassificationFile.read(missing, textColumn: "text") }
    #expect(
      missingError
        == .missingColumn(file: missing.path, line: 1, column: "text", available: ["sentence", "label"]))
    #expect(
      missingError?.description == "\(missing.path):1: missing column \"text\" (columns: sentence, label)")

    let short = try write("text,label\nfine,1\nno label here\n", "short.csv")
    let shortError = error { _ = try TextClassificationFile.read(short) }
    #expect(shortError == .malformedRow(file: short.path, line: 3, reason: "1 fields where the header has 2"))

    let open = try write("text,label\nfine,1\n\"never closed,0\n", "open.csv")
    #expect(
      error { _ = try TextClassificationFile.read(open) }
        == .malformedRow(file: open.path, line: 3, reason: "a quoted field is never closed"))

    let unknown = try write(
      "{\"text\": \"a\", \"label\": \"pos\"}\n{\"text\": \"b\", \"label\": \"neutral\"}\n", "labels.jsonl")
    let unknownError = error { _ = try TextClassificationFile.read(unknown, labelNames: ["neg", "pos"]) }
    #expect(
      unknownError == .unknownLabel(file: unknown.path, line: 2, label: "neutral", known: ["neg", "pos"]))
    #expect(unknownError?.description.hasPrefix("\(unknown.path):2: unknown label \"neutral\"") == true)

    let jsonMissing = try write("{\"text\": \"a\", \"label\": 1}\n{\"label\": 0}\n", "nolabel.jsonl")
    #expect(
      error { _ = try TextClassificationFile.read(jsonMissing) }
        == .missingColumn(file: jsonMissing.path, line: 2, column: "text", available: ["label"]))

    let invalid = try write("{\"text\": \"a\", \"label\": 1}\n{\"text\": \n", "broken.jsonl")
    #expect(
      error { _ = try TextClassificationFile.read(invalid) }
        == .malformedRow(file: invalid.path, line: 2, reason: "invalid JSON"))

    let noNames = try write("text\tlabel\nfine\tpositive\n", "names.tsv")
    #expect(
      error { _ = try TextClassificationFile.read(noNames) }
        == .unknownLabel(file: noNames.path, line: 2, label: "positive", known: []))

    let outOfRange = try write("text\tlabel\nfine\t2\n", "range.tsv")
    #expect(
      error { _ = try TextClassificationFile.read(outOfRange, labelNames: ["a", "b"]) }
        == .unknownLabel(file: outOfRange.path, line: 2, label: "2", known: ["a", "b"]))

    let format = try write("x", "data.parquet")
    #expect(error { _ = try TextClassificationFile.read(format) } == .unknownFormat(file: format.path))
    let absent = URL(fileURLWithPath: "/nonexistent/train.tsv")
    if case .unreadable(let file, _) = error({ _ = try TextClassificationFile.read(absent) }) {
      #expect(file == absent.path)
    } else {
      Issue.record("a missing file did not give .unreadable")
    }
  }
}
