/// The words of a text after BERT's basic tokenization, packed for the WordPiece matcher.
///
/// All words sit back to back in one UTF-8 buffer (`bytes`); each word is a byte range. For every byte,
/// `originStart` and `originEnd` give the span of Unicode scalars of the original text that the byte's
/// scalar came from, so that a word piece `bytes[a..<b]` maps back to `originStart[a]..<originEnd[b - 1]`.
/// The buffers are reused from text to text to keep the hot path free of allocations.
struct PreTokenizedText {
  /// One word: a byte range of `bytes`, its length in scalars, and the special token it is (or -1).
  struct Word {
    var start: Int32
    var end: Int32
    var scalarCount: Int32
    var special: Int32
  }

  var bytes: [UInt8] = []
  var originStart: [Int32] = []
  var originEnd: [Int32] = []
  var words: [Word] = []

  /// Empties the buffers, keeping their storage.
  mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    originStart.removeAll(keepingCapacity: true)
    originEnd.removeAll(keepingCapacity: true)
    words.removeAll(keepingCapacity: true)
  }

  /// Drops the words and bytes added after `wordCount` words and `byteCount` bytes.
  mutating func rollBack(wordCount: Int, byteCount: Int) {
    words.removeSubrange(wordCount...)
    bytes.removeSubrange(byteCount...)
    originStart.removeSubrange(byteCount...)
    originEnd.removeSubrange(byteCount...)
  }

  /// Appends the UTF-8 bytes of `value`, each with the origin span `start..<end`.
  @inline(__always)
  mutating func appendScalar(_ value: UInt32, originStart start: Int32, originEnd end: Int32) {
    if value < 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: value))
      originStart.append(start)
      originEnd.append(end)
      return
    }
    guard let scalar = Unicode.Scalar(value) else { return }
    for byte in scalar.utf8 {
      bytes.append(byte)
      originStart.append(start)
      originEnd.append(end)
    }
  }

  /// The text of word `index` (after normalization).
  func text(ofWord index: Int) -> String {
    let word = words[index]
    return String(decoding: bytes[Int(word.start)..<Int(word.end)], as: UTF8.self)
  }

  /// The span of original scalars that word `index` came from.
  func span(ofWord index: Int) -> Range<Int> {
    let word = words[index]
    guard word.end > word.start else { return 0..<0 }
    return Int(originStart[Int(word.start)])..<Int(originEnd[Int(word.end) - 1])
  }
}
