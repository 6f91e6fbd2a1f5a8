import TensorCore

/// The generated pretraining corpus: documents of lower-case sentences, words and
/// punctuation separated by single spaces.
///
/// Three kinds of document, drawn with fixed shares:
/// - opinions (55%): one topic, one polarity, 3 to 6 sentences with two or more words of
///   that polarity each, held-out words among them, so words of one polarity share contexts;
/// - animal stories (35%): the "quick brown fox" family (an adjective pair that almost
///   always goes with one animal), number agreement across a prepositional phrase
///   ("the fox near the dogs sleeps"), motion verbs;
/// - relative clauses (10%): long-range agreement ("the foxes that the dog chased are tired").
///
/// Sentences of a document belong together, so the next-sentence task has real signal.
public struct PretrainingCorpus: Sendable {
  /// The documents, each a list of sentences.
  public let documents: [[String]]

  /// Generates `documentCount` documents from `seed`.
  public init(documentCount: Int, seed: UInt64) {
    var generator = SentenceGenerator(seed: seed)
    var documents: [[String]] = []
    documents.reserveCapacity(documentCount)
    for _ in 0..<documentCount { documents.append(generator.document()) }
    self.documents = documents
  }

  /// All sentences in order.
  public var sentences: [String] { documents.flatMap { $0 } }

  /// The corpus as plain text: one sentence per line, documents separated by a blank line
  /// (the file format the pretraining chapter also reads from a user's file).
  public var text: String {
    documents.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
  }
}

/// The grammar behind the corpus and the sentiment dataset.
struct SentenceGenerator {
  var rng: RandomGenerator

  init(seed: UInt64) { rng = RandomGenerator(seed: seed) }

  mutating func pick<T>(_ values: [T]) -> T { values[rng.integer(below: values.count)] }

  mutating func chance(_ probability: Float) -> Bool { rng.uniform() < probability }

  // MARK: - Documents

  mutating func document() -> [String] {
    let kind = rng.uniform()
    if kind < 0.55 { return opinionDocument() }
    if kind < 0.90 { return (0..<(3 + rng.integer(below: 4))).map { _ in animalSentence() } }
    return (0..<(2 + rng.integer(below: 3))).map { _ in relativeClauseSentence() }
  }

  // MARK: - Opinions

  /// An adjective of one polarity; a third of the time one of the held-out words.
  mutating func polarAdjective(positive: Bool) -> String {
    if chance(1.0 / 3.0) {
      return pick(positive ? Lexicon.positiveHeldOut : Lexicon.negativeHeldOut)
    }
    return pick(positive ? Lexicon.positiveSeen : Lexicon.negativeSeen)
  }

  /// Two different adjectives of one polarity.
  mutating func adjectivePair(positive: Bool) -> (String, String) {
    let first = polarAdjective(positive: positive)
    var second = polarAdjective(positive: positive)
    while second == first { second = polarAdjective(positive: positive) }
    return (first, second)
  }

  mutating func opinionDocument() -> [String] {
    let positive = chance(0.5)
    let topic = pick(Lexicon.topics)
    return (0..<(3 + rng.integer(below: 4))).map { _ in opinionSentence(topic: topic, positive: positive) }
  }

  mutating func opinionSentence(topic: String, positive: Bool) -> String {
    let (a, b) = adjectivePair(positive: positive)
    let aspect = pick(Lexicon.aspects)
    let verb = pick(positive ? Lexicon.positiveVerbs : Lexicon.negativeVerbs)
    let intensifier = pick(Lexicon.intensifiers)
    switch rng.integer(below: 6) {
    case 0: return "the \(topic) was \(intensifier) \(a) and the \(aspect) was \(b) ."
    case 1: return "i \(verb) the \(topic) , it was \(a) and \(b) ."
    case 2: return "what a \(a) \(topic) , the \(aspect) was \(intensifier) \(b) ."
    case 3:
      let c = polarAdjective(positive: positive)
      return "the \(aspect) of this \(topic) is \(a) , \(b) and \(c) ."
    case 4: return "everyone said the \(topic) was \(a) , and the \(aspect) was \(b) ."
    default: return "we \(verb) the \(aspect) , a \(a) \(topic) with a \(b) \(pick(Lexicon.aspects)) ."
    }
  }

  // MARK: - Animals

  mutating func animalSentence() -> String {
    let subject = pick(Lexicon.animalFamilies)
    var object = pick(Lexicon.animalFamilies)
    while object.animal == subject.animal { object = pick(Lexicon.animalFamilies) }
    let motion = pick(Lexicon.motionVerbs)
    let verb = pick(Lexicon.intransitiveVerbs)
    switch rng.integer(below: 5) {
    case 0, 1:
      // The family sentence: "the quick brown fox jumps over the lazy dog ."
      return
        "the \(subject.adjectives) \(subject.animal) \(motion.singular) the \(object.adjectives) \(object.animal) ."
    case 2:
      return
        "the \(subject.adjectives) \(subject.plural) \(motion.plural) the \(object.adjectives) \(object.animal) ."
    case 3:
      // Agreement with the head noun, across an attractor of the other number.
      if chance(0.5) {
        return "the \(subject.animal) near the \(object.plural) \(verb.singular) \(pick(Lexicon.adverbs)) ."
      }
      return "the \(subject.plural) near the \(object.animal) \(verb.plural) \(pick(Lexicon.adverbs)) ."
    default:
      if chance(0.5) {
        return "the \(subject.adjectives) \(subject.animal) \(verb.singular) in \(pick(Lexicon.places)) ."
      }
      return "the \(subject.adjectives) \(subject.plural) \(verb.plural) in \(pick(Lexicon.places)) ."
    }
  }

  /// Long-range agreement: the verb agrees with the head noun, not the nearer one.
  mutating func relativeClauseSentence() -> String {
    let head = pick(Lexicon.animalFamilies)
    var other = pick(Lexicon.animalFamilies)
    while other.animal == head.animal { other = pick(Lexicon.animalFamilies) }
    let headPlural = chance(0.5)
    let otherPlural = chance(0.5)
    let verb = pick(Lexicon.pastVerbs)
    let state = pick(Lexicon.states)
    let headWord = headPlural ? head.plural : head.animal
    let otherWord = otherPlural ? other.plural : other.animal
    return "the \(headWord) that the \(otherWord) \(verb) \(headPlural ? "are" : "is") \(state) ."
  }
}
