// The words of the embedded corpus, by class.
//
// The corpus is generated, not downloaded: a small grammar over these lists writes as many
// sentences as a chapter asks for, from a seed. Word classes, number agreement, long-range
// agreement across a relative clause, the "quick brown fox" family and polarity-dense
// opinions are all in it, so a small BERT has real structure to learn.
//
// The sentiment words are split in two. The *seen* words occur both in the pretraining
// corpus and in the fine-tuning training split; the *held-out* words occur in the
// pretraining corpus and in the fine-tuning test split only. A classifier can learn what a
// held-out word means only from pretraining, which is the point chapter 06 measures.

/// The word lists of the generated corpus.
public enum Lexicon {
  // MARK: - Animals and the "quick brown fox" family

  /// Adjective pairs that go with one animal almost always ("quick brown" -> "fox").
  public static let animalFamilies: [(adjectives: String, animal: String, plural: String)] = [
    ("quick brown", "fox", "foxes"),
    ("lazy", "dog", "dogs"),
    ("small white", "rabbit", "rabbits"),
    ("big black", "bear", "bears"),
    ("tiny grey", "mouse", "mice"),
    ("wise old", "owl", "owls"),
    ("fat orange", "cat", "cats"),
    ("slow green", "turtle", "turtles"),
  ]

  /// Verbs of motion for the fox sentences, with their plural forms.
  public static let motionVerbs: [(singular: String, plural: String)] = [
    ("jumps over", "jump over"), ("runs past", "run past"), ("leaps over", "leap over"),
    ("hides from", "hide from"), ("walks around", "walk around"), ("looks at", "look at"),
  ]

  /// Places for the agreement sentences.
  public static let places = ["the park", "the river", "the barn", "the forest", "the garden", "the hill"]

  /// Intransitive verbs with singular and plural forms.
  public static let intransitiveVerbs: [(singular: String, plural: String)] = [
    ("sleeps", "sleep"), ("runs", "run"), ("eats", "eat"), ("plays", "play"), ("sings", "sing"),
    ("waits", "wait"),
  ]

  /// Adjectives that describe how an animal feels (long-range agreement sentences).
  public static let states = ["tired", "hungry", "happy", "sleepy", "afraid", "calm"]

  /// Past-tense verbs for relative clauses ("the fox that the dogs chased").
  public static let pastVerbs = ["chased", "saw", "followed", "watched", "found", "heard"]

  /// Adverbs that end the agreement sentences.
  public static let adverbs = ["quietly", "all day", "every morning", "again", "alone", "happily"]

  // MARK: - Opinions

  /// Things people have opinions about.
  public static let topics = [
    "film", "movie", "book", "meal", "show", "song", "hotel", "game", "play", "album", "restaurant", "story",
  ]

  /// Parts of a thing that an opinion can be about.
  public static let aspects = [
    "acting", "plot", "ending", "music", "food", "service", "writing", "cast", "room", "story", "sound",
    "staff",
  ]

  /// Positive adjectives the fine-tuning training split uses.
  public static let positiveSeen = [
    "good", "great", "wonderful", "excellent", "lovely", "brilliant", "pleasant", "amazing", "fantastic",
    "beautiful", "enjoyable", "charming",
  ]

  /// Negative adjectives the fine-tuning training split uses.
  public static let negativeSeen = [
    "bad", "awful", "terrible", "horrible", "poor", "boring", "dull", "nasty", "ugly", "painful",
    "disappointing", "miserable",
  ]

  /// Positive adjectives that only pretraining and the fine-tuning test split contain.
  public static let positiveHeldOut = ["superb", "splendid", "marvelous", "delightful"]

  /// Negative adjectives that only pretraining and the fine-tuning test split contain.
  public static let negativeHeldOut = ["dreadful", "tedious", "bland", "mediocre"]

  /// Verbs of liking, the first `seenVerbCount` seen in fine-tuning, the rest held out.
  public static let positiveVerbs = ["loved", "enjoyed", "liked", "adored"]

  /// Verbs of disliking, the first `seenVerbCount` seen in fine-tuning, the rest held out.
  public static let negativeVerbs = ["hated", "disliked", "regretted", "loathed"]

  /// How many verbs of each list the fine-tuning training split uses.
  public static let seenVerbCount = 3

  /// Words that intensify an adjective.
  public static let intensifiers = ["very", "really", "truly", "quite", "so"]

  /// Every held-out word (adjectives and verbs).
  public static var heldOutWords: Set<String> {
    Set(
      positiveHeldOut + negativeHeldOut + positiveVerbs.dropFirst(seenVerbCount)
        + negativeVerbs.dropFirst(seenVerbCount))
  }
}
