// BERT's masking recipe applied to real sentences, and what a model makes of the masks.
//
// Legend: B sentences, T tokens (padded), V vocabulary, H hidden size, M masked positions.
//
//   masking: 15% of the non-special tokens are chosen; each becomes [MASK] (80%), a random
//            token (10%) or stays (10%); labels are the original ids there, -100 elsewhere
//   loss:    BertForMaskedLM's mean cross-entropy over the M labelled positions
//   untrained: logits z_v = t . E_v with t LayerNorm'd (|t|^2 = H) and E ~ normal(0, 0.02^2),
//            so z ~ normal(0, s^2) with s = 0.02 sqrt(H): softmax is nearly uniform and the loss
//            is about ln V + s^2 / 2

import ArgumentParser
import BERT
import Foundation
import NotebookSupport
import WordPiece

// MARK: - Models

/// A masked-LM model of `config` initialised as the reference does, from `seed`.
func randomMaskedLM(_ config: BERTConfig, seed: UInt64) -> BertForMaskedLM {
  var rng = RandomGenerator(seed: seed)
  return BertForMaskedLM(config: config, rng: &rng)
}

// MARK: - Masking

/// One sentence before and after masking (BERT's masker, `paperMasker`, is NotebookSupport's).
struct MaskedSentence: Sendable {
  /// The encoding's ids, `[CLS] ... [SEP]`.
  let ids: [Int]
  /// What the masker returned.
  let masked: MaskedSequence
}

/// Encodes each sentence and masks it, all draws from one generator seeded with `seed`, in order.
func maskSentences(
  _ sentences: [String], tokenizer: BertTokenizer, masker: MaskedLanguageModelMasker, seed: UInt64
) -> [MaskedSentence] {
  var rng = RandomGenerator(seed: seed)
  return sentences.map { sentence in
    let ids = tokenizer.encode(sentence).ids
    return MaskedSentence(ids: ids, masked: masker.mask(ids, using: &rng))
  }
}

/// Counts of what the masker did over many sentences.
struct MaskingTally: Equatable {
  /// Non-special tokens.
  var candidates = 0
  /// Tokens chosen for prediction.
  var chosen = 0
  /// Of the chosen: replaced by [MASK], by a random token, left unchanged.
  var mask = 0
  var random = 0
  var unchanged = 0

  /// Adds one masked sentence.
  mutating func add(_ sentence: MaskedSentence, specialTokenIDs: Set<Int>) {
    candidates += sentence.ids.filter { !specialTokenIDs.contains($0) }.count
    chosen += sentence.masked.maskedPositions.count
    for position in sentence.masked.maskedPositions {
      switch position.replacement {
      case .mask: mask += 1
      case .random: random += 1
      case .unchanged: unchanged += 1
      }
    }
  }

  /// The tally of `sentences`.
  init(_ sentences: [MaskedSentence] = [], specialTokenIDs: Set<Int> = []) {
    for sentence in sentences { add(sentence, specialTokenIDs: specialTokenIDs) }
  }

  /// chosen / candidates, and the three shares of the chosen.
  var shares: (chosen: Double, mask: Double, random: Double, unchanged: Double) {
    let c = Double(max(chosen, 1))
    return (
      Double(chosen) / Double(max(candidates, 1)), Double(mask) / c, Double(random) / c, Double(unchanged) / c
    )
  }
}

/// The first chosen position of `sentences` replaced in way `kind`, with its sentence.
func firstReplacement(
  _ kind: MaskReplacement, in sentences: [MaskedSentence]
) -> (MaskedSentence, MaskedPosition)? {
  for sentence in sentences {
    if let position = sentence.masked.maskedPositions.first(where: { $0.replacement == kind }) {
      return (sentence, position)
    }
  }
  return nil
}

// MARK: - The loss of a model

/// The masked sentences as one padded batch with their labels.
func batch(_ sentences: [MaskedSentence], padID: Int) -> (input: BertInput, labels: [Int]) {
  let length = sentences.map(\.ids.count).max() ?? 0
  func padded(_ row: [Int], with value: Int) -> [Int] {
    row + [Int](repeating: value, count: length - row.count)
  }
  let input = BertInput(
    inputIds: sentences.map { padded($0.masked.inputIDs, with: padID) },
    attentionMask: sentences.map { padded([Int](repeating: 1, count: $0.ids.count), with: 0) })
  return (input, sentences.flatMap { padded($0.masked.labels, with: -100) })
}

/// A model's masked-LM loss on the batch, and the standard deviation of its logits there.
func maskedLMLoss(
  _ model: BertForMaskedLM, sentences: [MaskedSentence], padID: Int
) -> (
  loss: Float, logitStandardDeviation: Double
) {
  let (input, labels) = batch(sentences, padID: padID)
  var unused = RandomGenerator(seed: 0)
  let output = model.forward(input, labels: labels, positions: .labelled, mode: .inference, rng: &unused)
    .output
  let logits = output.logits.scalars
  let mean = logits.reduce(0.0) { $0 + Double($1) } / Double(max(logits.count, 1))
  let variance =
    logits.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(max(logits.count, 1))
  return (output.loss ?? 0, variance.squareRoot())
}

// MARK: - Predictions at the mask

/// What a model predicts at the [MASK] of the seed's sentence.
struct MaskPrediction: Sendable {
  /// The sentence's tokens.
  let tokens: [String]
  /// The position of [MASK].
  let maskIndex: Int
  /// softmax of the logits at the mask, [V].
  let probabilities: [Float]
  /// The `k` most probable tokens, most probable first, with their probabilities.
  let top: [(token: String, probability: Float)]
  /// The answer's probability and rank (1 = most probable), when the vocabulary has it whole.
  let answer: (probability: Float, rank: Int)?
}

/// The prediction of `model` at the [MASK] of `text`.
func predictMask(
  _ model: BertForMaskedLM, tokenizer: BertTokenizer, text: String = seedMaskedSentence,
  answer: String = seedAnswer,
  k: Int = 10
) throws -> MaskPrediction {
  let encoding = tokenizer.encode(text)
  guard let maskID = tokenizer.maskID, let maskIndex = encoding.ids.firstIndex(of: maskID) else {
    throw ValidationError("\"\(text)\" has no [MASK] token with this vocabulary")
  }
  let logits = model.predict(BertInput(inputIds: [encoding.ids]), positions: .rows([maskIndex])).logits
  let probabilities = softmax(logits).scalars
  let order = probabilities.indices.sorted {
    probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1)
  }
  let top = order.prefix(k).map { (tokenizer.vocabulary.token(of: $0) ?? "?", probabilities[$0]) }
  let answerRank = tokenizer.vocabulary.id(of: answer).flatMap { id in
    order.firstIndex(of: id).map { (probabilities[id], $0 + 1) }
  }
  return MaskPrediction(
    tokens: encoding.tokens, maskIndex: maskIndex, probabilities: probabilities, top: top, answer: answerRank)
}
