import Foundation

// The pretraining file format of google-research/bert: one sentence per line, a blank line
// between documents. Sentences of one document are consecutive, which is what gives the
// next-sentence task its signal; documents never share a pair (except as a random B).

/// Documents of sentences read from plain text.
public enum PlainTextCorpus {
  /// The documents of a text: lines trimmed, blank lines as separators, empty documents dropped.
  ///
  /// ```
  /// PlainTextCorpus.documents(in: "a b.\nc d.\n\ne f.\n")   // [["a b.", "c d."], ["e f."]]
  /// ```
  public static func documents(in text: String) -> [[String]] {
    var documents: [[String]] = [[]]
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      let sentence = line.trimmingCharacters(in: .whitespacesAndNewlines)
      if sentence.isEmpty {
        if !(documents.last?.isEmpty ?? true) { documents.append([]) }
      } else {
        documents[documents.count - 1].append(sentence)
      }
    }
    return documents.filter { !$0.isEmpty }
  }

  /// The documents of a UTF-8 file.
  ///
  /// - Throws: `DataFileError.unreadable` naming the file.
  public static func documents(contentsOf url: URL) throws -> [[String]] {
    documents(in: try readUTF8(url))
  }
}
