// The masked-LM loss: cross-entropy at the masked positions only.
//
// Legend: T tokens, V vocabulary, M masked positions.
//
//   L = -sum over i of y_i ln(ŷ_i)          one position: y one-hot, so L = -ln ŷ(true word)
//   L = (1/M) sum over masked t of -ln softmax(z_t)[label_t]      labels -100 elsewhere
//
// `crossEntropy` (TensorCore) computes the second line from logits z [T, V]; logits z = ln p
// make softmax(z) = p exactly when p sums to 1, so a distribution written by hand can be fed
// to it directly.

import Foundation
import NotebookSupport
import TensorCore

// MARK: - The seed's example

/// The seed's masked sentence.
let seedMaskedSentence = "The quick brown [MASK] jumps over the lazy dog"

/// The word behind the mask.
let seedAnswer = "fox"

/// The distribution the seed supposes a model predicts at the mask.
let seedPrediction: [(word: String, probability: Float)] = [("fox", 0.8), ("dog", 0.1), ("cat", 0.1)]

/// The seed's loss, term by term and through `crossEntropy`.
struct SeedLoss {
  /// y_i ln ŷ_i for each word of the distribution (0 where y_i = 0).
  let terms: [(word: String, label: Int, probability: Float, term: Double)]
  /// -sum of the terms, in Double.
  let byDefinition: Double
  /// `crossEntropy` on logits ln p with the label of `seedAnswer`.
  let fromLogits: Float
}

/// L = -sum y_i ln ŷ_i for the seed's distribution, two ways.
func seedLoss() -> SeedLoss {
  let terms = seedPrediction.map { word, probability in
    let label = word == seedAnswer ? 1 : 0
    return (
      word: word, label: label, probability: probability, term: Double(label) * log(Double(probability))
    )
  }
  let answer = seedPrediction.firstIndex { $0.word == seedAnswer } ?? 0
  let logits = Tensor(shape: [1, seedPrediction.count], scalars: seedPrediction.map { log($0.probability) })
  return SeedLoss(
    terms: terms, byDefinition: -terms.map(\.term).reduce(0, +),
    fromLogits: crossEntropy(logits, labels: [answer]).loss)
}

/// The loss at one mask whose true word got probability `p`: of -sum y_i ln ŷ_i only the true
/// word's term is left, -ln p.
func lossAtMask(trueWordProbability p: Double) -> Double {
  -log(p)
}

// MARK: - Several masked positions

/// The seed's sentence with three words masked, and what a model might predict everywhere.
struct MaskedPositionsExample {
  /// The sentence's words.
  let words: [String]
  /// The masked positions.
  let maskedPositions: [Int]
  /// p(true word) at each masked position.
  let maskedProbabilities: [Float]
  /// p(visible word) at every other position: a model that copies what it sees.
  let copyProbability: Float
  /// The toy vocabulary: the sentence's lower-cased words and "cat".
  let vocabulary: [String]
  /// The label of each position: the word's id where masked, -100 elsewhere.
  let labels: [Int]
  /// Logits [T, V] whose softmax gives those probabilities.
  let logits: Tensor
}

/// The example: "fox" (p 0.8, the seed's), "over" (0.5) and "dog" (0.25) masked; every visible
/// word predicted with probability 0.99.
func maskedPositionsExample() -> MaskedPositionsExample {
  let words = seedMaskedSentence.replacingOccurrences(of: "[MASK]", with: seedAnswer)
    .split(separator: " ").map(String.init)
  let vocabulary =
    words.map { $0.lowercased() }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    + ["cat"]
  let masked = [3, 5, 8]
  let probabilities: [Float] = [0.8, 0.5, 0.25]
  let copy: Float = 0.99
  let ids = words.map { vocabulary.firstIndex(of: $0.lowercased()) ?? 0 }
  // Row t: ln p for the true word, ln((1 - p) / (V - 1)) for each of the others.
  var scalars: [Float] = []
  for (position, id) in ids.enumerated() {
    let p = masked.firstIndex(of: position).map { probabilities[$0] } ?? copy
    let rest = log((1 - p) / Float(vocabulary.count - 1))
    scalars += vocabulary.indices.map { $0 == id ? log(p) : rest }
  }
  return MaskedPositionsExample(
    words: words, maskedPositions: masked, maskedProbabilities: probabilities, copyProbability: copy,
    vocabulary: vocabulary, labels: ids.enumerated().map { masked.contains($0.offset) ? $0.element : -100 },
    logits: Tensor(shape: [ids.count, vocabulary.count], scalars: scalars))
}

/// The losses the chapter compares on the example.
struct MaskedPositionsLosses {
  /// Mean over the masked positions (labels -100 elsewhere): the masked-LM loss.
  let masked: Float
  /// The same after the visible positions' logits are scrambled: unchanged.
  let maskedWithOtherLogits: Float
  /// Mean over every position, as if each were a label.
  let allPositions: Float
}

/// The example's logits with the visible rows scrambled: each one rotated by one place, so its
/// largest value lands on another word (the masked rows are kept).
func scrambledVisibleRows(_ example: MaskedPositionsExample) -> Tensor {
  var scrambled = example.logits
  let width = example.vocabulary.count
  for position in example.words.indices where !example.maskedPositions.contains(position) {
    let row = Array(example.logits.scalars[(position * width)..<((position + 1) * width)])
    scrambled.scalars.replaceSubrange(
      (position * width)..<((position + 1) * width), with: row[1...] + row[..<1])
  }
  return scrambled
}

/// The three losses of the example.
func losses(of example: MaskedPositionsExample) -> MaskedPositionsLosses {
  let masked = crossEntropy(example.logits, labels: example.labels).loss
  let scrambled = scrambledVisibleRows(example)
  let allLabels = example.labels.enumerated().map { position, label in
    label == -100 ? example.vocabulary.firstIndex(of: example.words[position].lowercased()) ?? 0 : label
  }
  return MaskedPositionsLosses(
    masked: masked, maskedWithOtherLogits: crossEntropy(scrambled, labels: example.labels).loss,
    allPositions: crossEntropy(example.logits, labels: allLabels).loss)
}
