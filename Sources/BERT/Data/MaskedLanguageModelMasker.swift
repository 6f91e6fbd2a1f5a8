// Masked-LM masking: which tokens the model must recover, and what it sees in their place.
//
// As in the BERT paper (section 3.1, appendix A.1) and its two reference implementations:
//
//   1. Candidates are the tokens that are neither special ([CLS], [SEP], [PAD], [UNK],
//      [MASK]) nor padding (padding is added after masking, so it is never a candidate).
//   2. 15% of them are chosen:
//        .exactCount (google-research/bert `create_masked_lm_predictions`, the default):
//          exactly max(1, round(0.15 * candidates)) tokens, capped by `maxPredictions`;
//          candidates are shuffled and taken in that order;
//        .bernoulli (Hugging Face `DataCollatorForLanguageModeling`): each candidate
//          independently with probability 0.15, so the count varies from row to row.
//      With whole-word masking the unit is a word (all its ## pieces): words are shuffled
//      and taken whole while they fit the count (exactCount), or a word's first piece is
//      drawn and the rest follows it (bernoulli), as each reference does.
//   3. Each chosen token independently becomes [MASK] with probability 0.8, a random token
//      with 0.1, and stays unchanged with 0.1. The random token is drawn uniformly from the
//      whole vocabulary, special tokens included, as both references do.
//   4. The label of a chosen position is its original id; every other label is -100.
//
// One uniform number decides each chosen token (u < 0.8 mask, u < 0.9 random, else keep),
// where the Google code draws two; the distribution is the same.

/// What a chosen position became.
public enum MaskReplacement: String, Sendable, Equatable, Codable {
  /// Replaced by [MASK] (80%).
  case mask
  /// Replaced by a random vocabulary id (10%).
  case random
  /// Left as it was (10%); the model must still predict it.
  case unchanged
}

/// One position chosen for prediction.
public struct MaskedPosition: Sendable, Equatable, Codable {
  /// The index of the token in its sequence.
  public var position: Int
  /// The id that was there, which is the label.
  public var originalID: Int
  /// The id the model sees.
  public var inputID: Int
  /// Which of the three replacements was drawn.
  public var replacement: MaskReplacement

  /// A record of one choice.
  public init(position: Int, originalID: Int, inputID: Int, replacement: MaskReplacement) {
    self.position = position
    self.originalID = originalID
    self.inputID = inputID
    self.replacement = replacement
  }
}

/// A sequence after masking.
public struct MaskedSequence: Sendable, Equatable {
  /// The ids the model reads.
  public var inputIDs: [Int]
  /// The original id at chosen positions, `ignoredLabel` (-100) elsewhere.
  public var labels: [Int]
  /// The chosen positions in increasing order, with what each became.
  public var maskedPositions: [MaskedPosition]
}

/// Draws the masked-LM positions of a sequence, seeded.
///
/// ```
/// let masker = MaskedLanguageModelMasker(
///   maskTokenID: 103, vocabularySize: 30522, specialTokenIDs: [0, 100, 101, 102, 103])
/// var rng = RandomGenerator(seed: 42)
/// let masked = masker.mask([101, 1996, 4248, 2829, 4419, 102], using: &rng)
/// masked.maskedPositions   // e.g. [position 3: 2829 -> 103 (mask)]
/// masked.labels            // [-100, -100, -100, 2829, -100, -100]
/// ```
public struct MaskedLanguageModelMasker: Sendable, Equatable {
  /// How the chosen count is drawn.
  public enum Selection: String, Sendable, Equatable, Codable {
    /// Exactly max(1, round(p * candidates)), as google-research/bert.
    case exactCount
    /// Each candidate with probability p, as Hugging Face's collator.
    case bernoulli
  }

  /// The id of [MASK].
  public var maskTokenID: Int
  /// V, the size of the vocabulary random replacements are drawn from.
  public var vocabularySize: Int
  /// Ids never chosen ([PAD], [UNK], [CLS], [SEP], [MASK]).
  public var specialTokenIDs: Set<Int>
  /// The share of candidates chosen (the reference's `mlm_probability`, 0.15).
  public var probability: Double
  /// The share of chosen tokens replaced by [MASK] (0.8).
  public var maskReplaceProbability: Double
  /// The share of chosen tokens replaced by a random token (0.1); the rest stay.
  public var randomReplaceProbability: Double
  /// Whether all pieces of a word are chosen together (needs word ids).
  public var wholeWordMasking: Bool
  /// How the count is drawn.
  public var selection: Selection
  /// An upper bound on chosen tokens per sequence (`max_predictions_per_seq`; exactCount only).
  public var maxPredictions: Int?

  /// A masker with the paper's shares (15%; 80/10/10).
  public init(
    maskTokenID: Int, vocabularySize: Int, specialTokenIDs: Set<Int>, probability: Double = 0.15,
    maskReplaceProbability: Double = 0.8, randomReplaceProbability: Double = 0.1,
    wholeWordMasking: Bool = false, selection: Selection = .exactCount, maxPredictions: Int? = nil
  ) {
    precondition(vocabularySize > 0, "MaskedLanguageModelMasker: empty vocabulary")
    precondition(
      probability >= 0 && probability <= 1, "MaskedLanguageModelMasker: probability \(probability)")
    precondition(
      maskReplaceProbability >= 0 && randomReplaceProbability >= 0
        && maskReplaceProbability + randomReplaceProbability <= 1,
      "MaskedLanguageModelMasker: replacement shares \(maskReplaceProbability) + \(randomReplaceProbability) > 1"
    )
    self.maskTokenID = maskTokenID
    self.vocabularySize = vocabularySize
    self.specialTokenIDs = specialTokenIDs
    self.probability = probability
    self.maskReplaceProbability = maskReplaceProbability
    self.randomReplaceProbability = randomReplaceProbability
    self.wholeWordMasking = wholeWordMasking
    self.selection = selection
    self.maxPredictions = maxPredictions
  }

  // MARK: - Masking

  /// Chooses positions of `inputIDs` and replaces them.
  ///
  /// - Parameters:
  ///   - inputIDs: One unpadded sequence, special tokens included.
  ///   - wordIDs: The word of each token (nil for special tokens), used by whole-word
  ///     masking; without them every token is its own word.
  ///   - rng: The generator all draws come from, in a fixed order.
  /// - Returns: The new ids, the labels, and the choices in increasing position order.
  public func mask(
    _ inputIDs: [Int], wordIDs: [Int?]? = nil, using rng: inout RandomGenerator
  ) -> MaskedSequence {
    precondition(
      wordIDs == nil || wordIDs?.count == inputIDs.count,
      "mask: \(wordIDs?.count ?? 0) word ids for \(inputIDs.count) tokens")
    let words = candidateWords(inputIDs, wordIDs: wordIDs)
    let candidateCount = words.reduce(0) { $0 + $1.count }
    var chosen: [Int] = []
    switch selection {
    case .exactCount:
      var target = candidateCount == 0 ? 0 : max(1, Int((probability * Double(candidateCount)).rounded()))
      if let maxPredictions { target = min(target, maxPredictions) }
      var order = words
      rng.shuffle(&order)
      for word in order {
        if chosen.count >= target { break }
        // A whole word that would overshoot the count is skipped, as the reference does.
        if chosen.count + word.count > target { continue }
        chosen.append(contentsOf: word)
      }
    case .bernoulli:
      for word in words where rng.uniformDouble() < probability {
        chosen.append(contentsOf: word)
      }
    }
    chosen.sort()

    var output = inputIDs
    var labels = [Int](repeating: ignoredLabel, count: inputIDs.count)
    var records: [MaskedPosition] = []
    records.reserveCapacity(chosen.count)
    for position in chosen {
      let original = inputIDs[position]
      let u = rng.uniformDouble()
      let replacement: MaskReplacement
      let newID: Int
      if u < maskReplaceProbability {
        (replacement, newID) = (.mask, maskTokenID)
      } else if u < maskReplaceProbability + randomReplaceProbability {
        (replacement, newID) = (.random, rng.integer(below: vocabularySize))
      } else {
        (replacement, newID) = (.unchanged, original)
      }
      output[position] = newID
      labels[position] = original
      records.append(
        MaskedPosition(position: position, originalID: original, inputID: newID, replacement: replacement))
    }
    return MaskedSequence(inputIDs: output, labels: labels, maskedPositions: records)
  }

  /// The candidate positions grouped into words: runs of consecutive non-special tokens with
  /// the same word id when whole-word masking is on, single tokens otherwise.
  func candidateWords(_ inputIDs: [Int], wordIDs: [Int?]?) -> [[Int]] {
    var words: [[Int]] = []
    var previousWord: Int?
    for (position, id) in inputIDs.enumerated() {
      guard !specialTokenIDs.contains(id) else {
        previousWord = nil
        continue
      }
      let word = wholeWordMasking ? wordIDs?[position] : nil
      if let word, word == previousWord, !words.isEmpty {
        words[words.count - 1].append(position)
      } else {
        words.append([position])
      }
      previousWord = word
    }
    return words
  }
}
