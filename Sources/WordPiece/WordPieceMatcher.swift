// MARK: - Greedy longest-match-first WordPiece

/// One word piece: its id and the byte range of the word buffer it covers.
struct WordPieceSpan {
  var id: Int32
  var start: Int32
  var end: Int32
  var word: Int32
}

/// WordPiece as in BERT: split a word into the longest vocabulary pieces, left to right.
///
/// At each position the longest prefix of the rest of the word that is a token wins; after the first
/// piece, candidates are looked up with the `##` prefix. If some position has no candidate at all, or the
/// word has more than `maxInputCharactersPerWord` Unicode scalars (100, as in the reference), the whole
/// word becomes `[UNK]`.
///
/// `"unaffable"` with bert-base-uncased: the longest token that starts the word is `una`; of the rest,
/// `ffable`, the longest `##` token that starts it is `##ffa`; then `##ble`: `una ##ffa ##ble`.
///
/// Pieces are found by hashing every prefix of the remaining bytes once (FNV-1a is incremental) and probing
/// from the longest prefix that ends on a scalar boundary, so no `String` is built per candidate.
struct WordPieceMatcher {
  let vocabulary: Vocabulary
  let unknownID: Int32
  let maxInputCharactersPerWord: Int
  private var prefixHashes: [UInt64]

  init(vocabulary: Vocabulary, unknownID: Int, maxInputCharactersPerWord: Int) {
    self.vocabulary = vocabulary
    self.unknownID = Int32(unknownID)
    self.maxInputCharactersPerWord = maxInputCharactersPerWord
    prefixHashes = [UInt64](
      repeating: 0,
      count: max(vocabulary.wordStarts.maxKeyLength, vocabulary.continuations.maxKeyLength, 1))
  }

  /// Appends the pieces of the word `bytes[start..<end]` (of `scalarCount` scalars) to `pieces`.
  mutating func match(
    _ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, scalarCount: Int, word: Int32,
    into pieces: inout [WordPieceSpan]
  ) {
    let unknown = WordPieceSpan(id: unknownID, start: Int32(start), end: Int32(end), word: word)
    guard scalarCount <= maxInputCharactersPerWord, let base = bytes.baseAddress else {
      pieces.append(unknown)
      return
    }
    let firstPiece = pieces.count
    var position = start
    prefixHashes.withUnsafeMutableBufferPointer { hashes in
      while position < end {
        let isFirst = position == start
        let limit = min(
          end - position,
          isFirst ? vocabulary.wordStarts.maxKeyLength : vocabulary.continuations.maxKeyLength)
        var hash = TokenTable.offsetBasis
        for offset in 0..<limit {
          hash = TokenTable.hash(hash, base[position + offset])
          hashes[offset] = hash
        }
        var length = limit
        var found: Int32 = -1
        while length > 0 {
          let next = position + length
          if next == end || base[next] & 0xC0 != 0x80 {
            // The tables are used in place: copying one would retain and release its six arrays.
            found =
              isFirst
              ? vocabulary.wordStarts.lookup(base + position, count: length, hash: hashes[length - 1])
              : vocabulary.continuations.lookup(base + position, count: length, hash: hashes[length - 1])
            if found >= 0 { break }
          }
          length -= 1
        }
        if found < 0 {
          pieces.removeSubrange(firstPiece...)
          pieces.append(unknown)
          return
        }
        pieces.append(
          WordPieceSpan(id: found, start: Int32(position), end: Int32(position + length), word: word))
        position += length
      }
    }
  }
}
