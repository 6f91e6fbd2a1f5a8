// What pretraining learned about sentiment words, read off the word-embedding table.
//
// Legend: V vocabulary size, H hidden width; E [V, H] the word embeddings (tied to the
// masked-LM decoder).
//
//   c+   = mean of E[w] over the seen positive adjectives (good, great, ...)      [H]
//   c-   = mean of E[w] over the seen negative adjectives (bad, awful, ...)       [H]
//   lean(w) = cos(E[w], c+) - cos(E[w], c-)
//
// A word whose lean has the sign of its polarity sits nearer the words of its own side. Chapter
// 06 fine-tunes on the seen words only; a held-out word with the right lean is one the
// classifier can get right without ever seeing it labelled.

import BERT
import Foundation
import NotebookSupport
import TensorCore
import WordPiece

/// One held-out word's position between the two polarities.
struct PolarityLean: Sendable, Equatable {
  /// The word.
  let word: String
  /// Its polarity in the generated corpus.
  let isPositive: Bool
  /// cos(E[w], c+) - cos(E[w], c-), or nil when the vocabulary splits the word into pieces.
  let lean: Double?

  /// Whether the lean has the sign of the word's polarity (false for a split word).
  var leansRightWay: Bool { lean.map { isPositive ? $0 > 0 : $0 < 0 } ?? false }
}

/// The held-out polarity words (adjectives and verbs) and their polarity, positive first.
let heldOutPolarityWords: [(word: String, isPositive: Bool)] =
  (Lexicon.positiveHeldOut + Lexicon.positiveVerbs.dropFirst(Lexicon.seenVerbCount)).map { ($0, true) }
  + (Lexicon.negativeHeldOut + Lexicon.negativeVerbs.dropFirst(Lexicon.seenVerbCount)).map { ($0, false) }

/// The lean of every held-out polarity word in the word-embedding table `embeddings` [V, H], or
/// nil when the vocabulary has none of the seen adjectives of one side (a user's own corpus).
func polarityLeans(embeddings: Tensor, vocabulary: Vocabulary) -> [PolarityLean]? {
  let width = embeddings.shape[1]
  func vector(_ word: String) -> [Double]? {
    guard let id = vocabulary.id(of: word) else { return nil }
    return (0..<width).map { Double(embeddings.scalars[id * width + $0]) }
  }
  func centroid(_ words: [String]) -> [Double]? {
    let vectors = words.compactMap(vector)
    guard !vectors.isEmpty else { return nil }
    return (0..<width).map { d in vectors.reduce(0) { $0 + $1[d] } / Double(vectors.count) }
  }
  guard let positive = centroid(Lexicon.positiveSeen), let negative = centroid(Lexicon.negativeSeen) else {
    return nil
  }
  return heldOutPolarityWords.map { entry in
    PolarityLean(
      word: entry.word, isPositive: entry.isPositive,
      lean: vector(entry.word).map { cosine($0, positive) - cosine($0, negative) })
  }
}

/// cos(a, b) = a.b / (|a| |b|).
func cosine(_ a: [Double], _ b: [Double]) -> Double {
  let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
  let norms = (a.reduce(0) { $0 + $1 * $1 } * b.reduce(0) { $0 + $1 * $1 }).squareRoot()
  return norms > 0 ? dot / norms : 0
}

extension PretrainingModel {
  /// The word-embedding table E [V, H].
  var wordEmbeddings: Tensor {
    switch self {
    case .maskedLM(let model): return model.bert.embeddings.wordEmbeddings.weight.value
    case .withNextSentence(let model): return model.bert.embeddings.wordEmbeddings.weight.value
    }
  }
}
