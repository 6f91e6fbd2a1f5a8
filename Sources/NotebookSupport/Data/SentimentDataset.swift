import TensorCore

/// One labelled sentence of the sentiment dataset.
public struct LabeledSentence: Sendable, Equatable {
  /// The sentence, lower case, words and punctuation separated by spaces.
  public let text: String
  /// 1 for positive, 0 for negative.
  public let label: Int
  /// Whether its polarity word is one of the held-out words (never in the training split).
  public let usesHeldOutWord: Bool
}

/// The generated sentiment dataset for fine-tuning, small on purpose.
///
/// Each sentence carries exactly one polarity word, so its label is decided by that word.
/// The training and dev splits use only the *seen* words of `Lexicon`; half of the test
/// split uses only *held-out* words, which the pretraining corpus contains but the
/// training split never shows: only a pretrained model can know what they mean.
public struct SentimentDataset: Sendable {
  /// Training split (seen words only).
  public let train: [LabeledSentence]
  /// Development split (seen words only), for evaluation during training.
  public let dev: [LabeledSentence]
  /// Test split: half seen words, half held-out words.
  public let test: [LabeledSentence]

  /// The label names, index = label.
  public static let labelNames = ["negative", "positive"]

  /// Generates the splits from `seed`: `trainCount`, `devCount` and `testCount` sentences,
  /// each split balanced between the labels.
  public init(trainCount: Int = 400, devCount: Int = 100, testCount: Int = 400, seed: UInt64) {
    var generator = SentenceGenerator(seed: seed)
    train = (0..<trainCount).map { generator.labeledSentence(label: $0 % 2, heldOut: false) }
    dev = (0..<devCount).map { generator.labeledSentence(label: $0 % 2, heldOut: false) }
    test = (0..<testCount).map { generator.labeledSentence(label: $0 % 2, heldOut: $0 % 4 >= 2) }
  }
}

extension SentenceGenerator {
  /// A short review with exactly one polarity word.
  mutating func labeledSentence(label: Int, heldOut: Bool) -> LabeledSentence {
    let positive = label == 1
    let adjectives =
      heldOut
      ? (positive ? Lexicon.positiveHeldOut : Lexicon.negativeHeldOut)
      : (positive ? Lexicon.positiveSeen : Lexicon.negativeSeen)
    let verbs = positive ? Lexicon.positiveVerbs : Lexicon.negativeVerbs
    let verb =
      heldOut
      ? pick(Array(verbs.dropFirst(Lexicon.seenVerbCount))) : pick(Array(verbs.prefix(Lexicon.seenVerbCount)))
    let adjective = pick(adjectives)
    let topic = pick(Lexicon.topics)
    let aspect = pick(Lexicon.aspects)
    let text: String
    switch rng.integer(below: 5) {
    case 0: text = "the \(topic) was \(adjective) ."
    case 1: text = "a \(pick(Lexicon.intensifiers)) \(adjective) \(topic) ."
    case 2: text = "i \(verb) this \(topic) ."
    case 3: text = "the \(aspect) of the \(topic) felt \(adjective) ."
    default: text = "honestly , the \(aspect) was \(adjective) ."
    }
    return LabeledSentence(text: text, label: label, usesHeldOutWord: heldOut)
  }
}
