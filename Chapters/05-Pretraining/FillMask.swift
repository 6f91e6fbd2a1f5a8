// Fill-mask: what the model puts in place of [MASK] (seed 4.2's example).
//
//   "The quick brown [MASK] jumps over the lazy dog."
//   ──tokenizer──> [CLS] the quick brown [MASK] jumps over the lazy dog . [SEP]
//   logits at the [MASK] row, [1, V] ──softmax──> p(w | context) for every word piece w
//
// The seed's example writes the answer as {"fox": 0.8, "dog": 0.1, "cat": 0.1}: the loss at
// that position is -ln p("fox"). The pipeline below prints the model's own numbers.

import BERT
import Foundation
import NotebookSupport
import WordPiece

/// The sentence of the seed's example, with the masked word.
let foxSentence = "The quick brown [MASK] jumps over the lazy dog."
/// The word the seed masks out.
let foxWord = "fox"

/// One candidate for a masked position.
struct FillMaskCandidate: Sendable, Equatable {
  /// The word piece.
  let token: String
  /// Its id.
  let id: Int
  /// p(token | context), the softmax of the logits at the masked row.
  let probability: Double
}

/// The full prediction at a masked position: every token's probability, best first.
struct FillMaskResult: Sendable {
  /// The word pieces the model reads, [CLS] and [SEP] included.
  let tokens: [String]
  /// Every vocabulary entry with its probability, highest first (ties by id).
  let ranking: [FillMaskCandidate]

  /// The `k` most probable tokens.
  func top(_ k: Int) -> [FillMaskCandidate] { Array(ranking.prefix(k)) }

  /// The 1-based rank and the probability of `token`, or nil when it is not in the vocabulary.
  func rank(of token: String) -> (rank: Int, probability: Double)? {
    guard let index = ranking.firstIndex(where: { $0.token == token }) else { return nil }
    return (index + 1, ranking[index].probability)
  }
}

/// Fills the one [MASK] of `text` with every vocabulary entry, ranked by probability.
///
/// - Throws: `ChapterError.missingToken` when the vocabulary has no [MASK] or `text` has no
///   [MASK] or more than one.
func fillMask(_ text: String, model: PretrainingModel, tokenizer: BertTokenizer) throws -> FillMaskResult {
  guard let maskID = tokenizer.maskID else {
    throw ChapterError.missingToken("the vocabulary has no [MASK] token")
  }
  let encoding = tokenizer.encode(text)
  let positions = encoding.ids.indices.filter { encoding.ids[$0] == maskID }
  guard positions.count == 1, let position = positions.first else {
    throw ChapterError.missingToken("\"\(text)\" must hold exactly one [MASK], it has \(positions.count)")
  }
  let logits = model.maskedLMLogits(BertInput(inputIds: [encoding.ids]), rows: [position])
  let probabilities = softmax(logits.scalars)
  let vocabulary = tokenizer.vocabulary.tokens
  let ranking = probabilities.indices.map {
    FillMaskCandidate(token: vocabulary[$0], id: $0, probability: probabilities[$0])
  }.sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.id < $1.id }
  return FillMaskResult(tokens: encoding.tokens, ranking: ranking)
}
