// MARK: - Training a WordPiece vocabulary

/// Learns a WordPiece vocabulary from a corpus, as the `tokenizers` library's `WordPieceTrainer` does.
///
/// That trainer is a byte-pair-encoding (BPE) trainer whose pieces after the first in a word carry the
/// `##` prefix; the learned vocabulary is then used by greedy longest-match WordPiece. Step by step:
///
/// 1. Count words: every text goes through `basicTokenizer` (BERT's normalization and splitting).
/// 2. The special tokens come first, in the given order (ids 0, 1, …).
/// 3. The alphabet: every Unicode scalar of the words, weighted by word counts, plus `initialAlphabet`
///    (which always stays). With `limitAlphabet`, only that many scalars are kept: the least frequent go.
///    The kept scalars are added in code-point order.
/// 4. Each word becomes its scalars, the first as is and the others with the prefix (`##e`); a scalar
///    dropped from the alphabet is left out. New `##x` tokens are added as they are first met.
/// 5. Merges: count every adjacent pair of symbols (weighted by word counts); repeatedly take the most
///    frequent pair (ties: the smaller pair of ids), append `a + b` without `b`'s prefix (`##i` + `##ng` →
///    `##ing`, `th` + `##e` → `the`) as a new token, and merge it in the words that contain it. Stop when
///    the vocabulary has `vocabularySize` tokens or the best pair occurs fewer than `minimumFrequency`
///    times (or never).
///
/// What matches the reference exactly: the special tokens and alphabet (their ids too), the counting,
/// the merge rule and its bookkeeping (including the lazy re-queuing of pairs whose count changed), and
/// the stopping rules. What cannot: the reference visits the words in hash-map order, which changes from
/// run to run, so the ids of `##x` tokens (and through the tie-break on ids, the choice between equally
/// frequent pairs) vary between its own runs; here words are visited in order of first appearance, so
/// the result is the same on every run. Ties in `limitAlphabet` (equally frequent scalars at the cut)
/// are resolved by dropping the higher code points first. `max_token_length` and `end_of_word_suffix`
/// are not offered.
public struct WordPieceTrainer: Sendable {
  /// The target number of tokens, special tokens and alphabet included.
  public var vocabularySize: Int
  /// Pairs seen fewer times than this are not merged.
  public var minimumFrequency: Int
  /// Tokens placed first, in this order.
  public var specialTokens: [String]
  /// Keep at most this many scalars in the alphabet.
  public var limitAlphabet: Int?
  /// Scalars always in the alphabet, even if the corpus lacks them.
  public var initialAlphabet: [Unicode.Scalar]
  /// The prefix of pieces that continue a word.
  public var continuingSubwordPrefix: String
  /// Splits texts into the words that are counted.
  public var basicTokenizer: BasicTokenizer

  /// Creates a trainer with the reference's defaults (30,000 tokens, no minimum frequency) and BERT's
  /// special tokens.
  public init(
    vocabularySize: Int = 30_000, minimumFrequency: Int = 0,
    specialTokens: [String] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], limitAlphabet: Int? = nil,
    initialAlphabet: [Unicode.Scalar] = [], continuingSubwordPrefix: String = "##",
    basicTokenizer: BasicTokenizer = BasicTokenizer()
  ) {
    self.vocabularySize = vocabularySize
    self.minimumFrequency = minimumFrequency
    self.specialTokens = specialTokens
    self.limitAlphabet = limitAlphabet
    self.initialAlphabet = initialAlphabet
    self.continuingSubwordPrefix = continuingSubwordPrefix
    self.basicTokenizer = basicTokenizer
  }

  // MARK: Counting words

  /// The words of `texts` with their counts, in order of first appearance.
  public func countWords(_ texts: some Sequence<String>) -> [(word: String, count: Int)] {
    var index: [String: Int] = [:]
    var counts: [(word: String, count: Int)] = []
    for text in texts {
      for word in basicTokenizer.tokenize(text) {
        if let position = index[word] {
          counts[position].count += 1
        } else {
          index[word] = counts.count
          counts.append((word, 1))
        }
      }
    }
    return counts
  }

  /// Trains on `texts` (see the type's description).
  public func train(_ texts: some Sequence<String>) -> Vocabulary {
    train(wordCounts: countWords(texts))
  }

  // MARK: Training

  /// Trains on counted words (see the type's description).
  public func train(wordCounts: [(word: String, count: Int)]) -> Vocabulary {
    var state = TrainingState()
    for token in specialTokens { state.add(token) }
    addAlphabet(wordCounts, to: &state)

    // Words as symbol ids.
    var words: [[Int32]] = []
    words.reserveCapacity(wordCounts.count)
    for (word, _) in wordCounts {
      var symbols: [Int32] = []
      for (position, scalar) in word.unicodeScalars.enumerated() {
        let single = String(scalar)
        guard state.ids[single] != nil else { continue }
        symbols.append(state.add(position == 0 ? single : continuingSubwordPrefix + single))
      }
      words.append(symbols)
    }
    let counts = wordCounts.map(\.count)

    // Pair counts and where each pair occurs.
    var pairCounts: [Pair: Int] = [:]
    var wherePairs: [Pair: Set<Int>] = [:]
    for (index, symbols) in words.enumerated() where symbols.count > 1 {
      for position in 0..<(symbols.count - 1) {
        let pair = Pair(first: symbols[position], second: symbols[position + 1])
        pairCounts[pair, default: 0] += counts[index]
        wherePairs[pair, default: []].insert(index)
      }
    }
    var queue = MergeQueue()
    for (pair, positions) in wherePairs where pairCounts[pair, default: 0] > 0 {
      queue.push(MergeCandidate(pair: pair, count: pairCounts[pair, default: 0], words: positions))
    }
    wherePairs.removeAll()

    while state.tokens.count < vocabularySize, var top = queue.pop() {
      let current = pairCounts[top.pair, default: 0]
      if top.count != current {
        top.count = current
        queue.push(top)
        continue
      }
      if top.count < 1 || minimumFrequency > top.count { break }
      var second = state.tokens[Int(top.pair.second)]
      if second.hasPrefix(continuingSubwordPrefix) {
        second = String(second.dropFirst(continuingSubwordPrefix.count))
      }
      let merged = state.add(state.tokens[Int(top.pair.first)] + second)
      for index in top.words {
        for (pair, change) in Self.merge(top.pair, into: merged, in: &words[index]) {
          pairCounts[pair, default: 0] += change * counts[index]
          if change > 0 { wherePairs[pair, default: []].insert(index) }
        }
      }
      for (pair, positions) in wherePairs where pairCounts[pair, default: 0] > 0 {
        queue.push(MergeCandidate(pair: pair, count: pairCounts[pair, default: 0], words: positions))
      }
      wherePairs.removeAll()
    }
    return Vocabulary(tokens: state.tokens, origin: "trained vocabulary")
  }

  /// Adds the alphabet (step 3) to the vocabulary.
  private func addAlphabet(_ wordCounts: [(word: String, count: Int)], to state: inout TrainingState) {
    var frequency: [Unicode.Scalar: Int] = [:]
    for (word, count) in wordCounts {
      for scalar in word.unicodeScalars { frequency[scalar, default: 0] += count }
    }
    for scalar in initialAlphabet { frequency[scalar] = Int.max }
    var kept = frequency.map { (scalar: $0.key, count: $0.value) }
    if let limit = limitAlphabet, kept.count > limit {
      kept.sort { $0.count != $1.count ? $0.count < $1.count : $0.scalar.value > $1.scalar.value }
      kept.removeFirst(kept.count - limit)
    }
    kept.sort { $0.scalar.value < $1.scalar.value }
    for entry in kept { state.add(String(entry.scalar)) }
  }

  /// Replaces every occurrence of `pair` in `symbols`, left to right, by `merged`, and returns the
  /// changes to the neighbouring pairs' counts (−1 for pairs destroyed, +1 for pairs created).
  static func merge(_ pair: Pair, into merged: Int32, in symbols: inout [Int32]) -> [(Pair, Int)] {
    var changes: [(Pair, Int)] = []
    var index = 0
    while index < symbols.count {
      if symbols[index] == pair.first && index + 1 < symbols.count && symbols[index + 1] == pair.second {
        if index > 0 {
          changes.append((Pair(first: symbols[index - 1], second: pair.first), -1))
          changes.append((Pair(first: symbols[index - 1], second: merged), 1))
        }
        symbols.replaceSubrange(index...(index + 1), with: [merged])
        if index < symbols.count - 1 {
          changes.append((Pair(first: pair.second, second: symbols[index + 1]), -1))
          changes.append((Pair(first: merged, second: symbols[index + 1]), 1))
        }
      }
      index += 1
    }
    return changes
  }
}

// MARK: - Bookkeeping

/// Two adjacent symbols (token ids).
struct Pair: Hashable, Comparable, Sendable {
  var first: Int32
  var second: Int32

  static func < (lhs: Pair, rhs: Pair) -> Bool {
    lhs.first != rhs.first ? lhs.first < rhs.first : lhs.second < rhs.second
  }
}

/// The growing vocabulary.
private struct TrainingState {
  var tokens: [String] = []
  var ids: [String: Int32] = [:]

  /// The id of `token`, adding it at the end if new.
  @discardableResult
  mutating func add(_ token: String) -> Int32 {
    if let id = ids[token] { return id }
    let id = Int32(tokens.count)
    tokens.append(token)
    ids[token] = id
    return id
  }
}

/// A pair with the count it had when queued and the words where it was seen.
struct MergeCandidate {
  var pair: Pair
  var count: Int
  var words: Set<Int>

  /// Whether `self` is merged before `other`: higher count first, then the smaller pair.
  func precedes(_ other: MergeCandidate) -> Bool {
    count != other.count ? count > other.count : pair < other.pair
  }
}

/// A binary max-heap of merge candidates.
struct MergeQueue {
  private var heap: [MergeCandidate] = []

  mutating func push(_ candidate: MergeCandidate) {
    heap.append(candidate)
    var child = heap.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard heap[child].precedes(heap[parent]) else { break }
      heap.swapAt(child, parent)
      child = parent
    }
  }

  mutating func pop() -> MergeCandidate? {
    guard !heap.isEmpty else { return nil }
    heap.swapAt(0, heap.count - 1)
    let top = heap.removeLast()
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var best = parent
      if left < heap.count && heap[left].precedes(heap[best]) { best = left }
      if right < heap.count && heap[right].precedes(heap[best]) { best = right }
      if best == parent { break }
      heap.swapAt(parent, best)
      parent = best
    }
    return top
  }
}
