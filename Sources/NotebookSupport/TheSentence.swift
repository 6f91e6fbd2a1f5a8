import TensorCore

// The seed's sentence, as chapters 02 and 03 work through it by hand, and the small numbers
// they draw for it.

/// The seed's sentence, one token per word, so that the words themselves label the axes.
public let sentenceWords = ["The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"]

/// The word whose attention the seed follows.
public let queryWord = "fox"

/// The position of `queryWord` in `sentenceWords`.
public let queryPosition = sentenceWords.firstIndex(of: queryWord) ?? 0

/// The word vocabulary of the sentence: its lower-cased words in order of first appearance
/// ("The" and "the" are one word, as in an uncased vocabulary).
public let wordVocabulary: [String] = sentenceWords.map { $0.lowercased() }.reduce(into: []) { words, word in
  if !words.contains(word) { words.append(word) }
}

/// A [rows, columns] tensor of multiples of 0.1 between -1 and 1, drawn from `rng`, so that a
/// reader can redo a product with pencil and paper.
public func tenthsTensor(rows: Int, columns: Int, rng: inout RandomGenerator) -> Tensor {
  let scalars = (0..<(rows * columns)).map { _ in Float(rng.integer(below: 21) - 10) / 10 }
  return Tensor(shape: [rows, columns], scalars: scalars)
}
