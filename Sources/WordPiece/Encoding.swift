// MARK: - Encoding

/// A text (or a pair of texts) encoded for BERT: `[CLS] a [SEP]` or `[CLS] a [SEP] b [SEP]`, plus padding.
///
/// All arrays have one entry per position (length T):
///
/// | position       | `[CLS]` | a₁ … aₙ | `[SEP]` | b₁ … bₘ | `[SEP]` | `[PAD]` … |
/// |----------------|---------|---------|---------|---------|---------|-----------|
/// | tokenTypeIds   | 0       | 0       | 0       | 1       | 1       | 0         |
/// | attentionMask  | 1       | 1       | 1       | 1       | 1       | 0         |
/// | specialTokensMask | 1    | 0       | 1       | 0       | 1       | 1         |
/// | sequenceIds    | nil     | 0       | nil     | 1       | nil     | nil       |
///
/// `offsets` are spans of **Unicode scalars** of the original text (for a pair, of the text the token came
/// from): the same numbers as the reference's `return_offsets_mapping`, which counts Python `str` code
/// points. Special and padding tokens have the empty span `0..<0`. To slice a Swift `String`, walk its
/// `unicodeScalars` view.
public struct Encoding: Equatable, Sendable {
  /// Token ids.
  public var ids: [Int]
  /// The token of each id.
  public var tokens: [String]
  /// Segment ids: 0 for the first text and its special tokens, 1 for the second text and its `[SEP]`.
  public var tokenTypeIds: [Int]
  /// 1 for real tokens, 0 for padding.
  public var attentionMask: [Int]
  /// 1 for `[CLS]`, `[SEP]` and `[PAD]`, 0 for tokens of the texts.
  public var specialTokensMask: [Int]
  /// The span of original Unicode scalars each token came from (`0..<0` for special tokens).
  public var offsets: [Range<Int>]
  /// The index of the word (basic token: a word or a punctuation mark) each piece belongs to, counted
  /// from 0 in each text; `nil` for special tokens. Pieces of one word share its index.
  public var wordIds: [Int?]
  /// Which text each token came from (0 or 1); `nil` for special tokens.
  public var sequenceIds: [Int?]

  /// The number of positions.
  public var count: Int { ids.count }

  /// Whether each position starts a word (the first piece of a word, not `##…`): whole-word masking picks
  /// words by these positions.
  public var wordStarts: [Bool] {
    ids.indices.map { index in
      guard let word = wordIds[index] else { return false }
      return index == 0 || wordIds[index - 1] != word || sequenceIds[index - 1] != sequenceIds[index]
    }
  }
}

/// How to shorten texts that do not fit in `maxLength` (with their special tokens).
public enum TruncationStrategy: Sendable {
  /// Do not truncate.
  case doNotTruncate
  /// Remove tokens from the end of the longer text (the reference's `longest_first`).
  case longestFirst
  /// Remove tokens from the end of the first text only.
  case onlyFirst
  /// Remove tokens from the end of the second text only (no effect on a single text).
  case onlySecond
}

/// Whether and how far to pad.
public enum PaddingStrategy: Sendable {
  /// No padding.
  case doNotPad
  /// Pad every encoding of a batch to the longest one (a single encoding is left as it is).
  case longest
  /// Pad to `maxLength`.
  case maxLength
}

// MARK: - The tokens of one text

/// The pieces of one text before special tokens are added.
struct EncodedText {
  var ids: [Int] = []
  var tokens: [String] = []
  var offsets: [Range<Int>] = []
  var wordIds: [Int] = []

  var count: Int { ids.count }

  /// Keeps the first `count` tokens.
  mutating func keepFirst(_ count: Int) {
    let kept = max(0, count)
    guard kept < ids.count else { return }
    ids.removeSubrange(kept...)
    tokens.removeSubrange(kept...)
    offsets.removeSubrange(kept...)
    wordIds.removeSubrange(kept...)
  }

  /// Removes `count` tokens from the end (all of them if there are fewer).
  mutating func removeLast(upTo count: Int) {
    guard count > 0 else { return }
    keepFirst(ids.count - count)
  }
}

// MARK: - Truncation

extension TruncationStrategy {
  /// Removes `excess` tokens from `first` and `second` as the reference's `truncate_sequences` does
  /// (right side).
  ///
  /// `longestFirst` with a pair: the longer text first loses the difference in length (at most `excess`);
  /// the rest is split in two, the first text losing the smaller half (the longer one, if it was the
  /// longer text). One text: `longestFirst` and `onlyFirst` remove from its end; `onlySecond` does nothing.
  func truncate(_ first: inout EncodedText, _ second: inout EncodedText?, excess: Int) {
    guard excess > 0 else { return }
    switch self {
    case .doNotTruncate:
      return
    case .onlyFirst:
      first.removeLast(upTo: excess)
    case .longestFirst:
      guard var pair = second else {
        first.removeLast(upTo: excess)
        return
      }
      let difference = min(abs(pair.count - first.count), excess)
      let rest = excess - difference
      if first.count > pair.count {
        first.removeLast(upTo: difference + rest / 2)
        pair.removeLast(upTo: rest - rest / 2)
      } else {
        first.removeLast(upTo: rest / 2)
        pair.removeLast(upTo: difference + rest - rest / 2)
      }
      second = pair
    case .onlySecond:
      guard var pair = second, pair.count > 0 else { return }
      pair.removeLast(upTo: excess)
      second = pair
    }
  }
}

// MARK: - Padding

extension Encoding {
  /// Pads on the right to `length` positions with `[PAD]` (id `padID`), type 0, attention 0.
  mutating func pad(to length: Int, padID: Int, padToken: String) {
    let missing = length - ids.count
    guard missing > 0 else { return }
    ids += repeatElement(padID, count: missing)
    tokens += repeatElement(padToken, count: missing)
    tokenTypeIds += repeatElement(0, count: missing)
    attentionMask += repeatElement(0, count: missing)
    specialTokensMask += repeatElement(1, count: missing)
    offsets += repeatElement(0..<0, count: missing)
    wordIds += repeatElement(nil, count: missing)
    sequenceIds += repeatElement(nil, count: missing)
  }
}
