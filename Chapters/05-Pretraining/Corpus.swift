// Step 1 (seed 3.1, 数据准备 / data preparation): the corpus, its split, the vocabulary, and the
// examples the model trains on.
//
// Legend: D documents, S sentences, V vocabulary size, T tokens of an example.
//
//   documents ──split──> training documents | held-out documents (the last ones)
//   training sentences ──WordPieceTrainer──> vocab.txt (V word pieces, 5 special tokens first)
//   sentence ──tokenizer──> [CLS] pieces [SEP]   (one example, at most maxSequenceLength tokens)

import BERT
import Foundation
import NotebookSupport
import WordPiece

/// The documents of a run, split into training and held-out parts.
struct CorpusSplit: Sendable {
  /// Where the text came from ("generated, seed 42" or a file path).
  let source: String
  /// The documents the model trains on (and the vocabulary is learned from).
  let training: [[String]]
  /// The documents kept aside to measure the loss on text the model never saw.
  let heldOut: [[String]]

  /// Splits `documents`: the last `heldOutShare` of them (at least one) are held out.
  ///
  /// - Throws: `ChapterError.tooLittleText` when there are fewer than two documents.
  init(documents: [[String]], heldOutShare: Double, source: String) throws {
    guard documents.count >= 2 else {
      throw ChapterError.tooLittleText(
        "\(source) has \(documents.count) document(s); the chapter needs at least 2 (a blank line separates documents)"
      )
    }
    let heldOutCount = min(
      documents.count - 1, max(1, Int((Double(documents.count) * heldOutShare).rounded())))
    self.source = source
    training = Array(documents.dropLast(heldOutCount))
    heldOut = Array(documents.suffix(heldOutCount))
  }

  /// The training sentences, in order.
  var trainingSentences: [String] { training.flatMap { $0 } }
  /// The held-out sentences, in order.
  var heldOutSentences: [String] { heldOut.flatMap { $0 } }
}

/// An error the chapter reports instead of crashing.
enum ChapterError: Error, CustomStringConvertible {
  /// The input text is too small to train on.
  case tooLittleText(String)
  /// The vocabulary lacks a token the chapter needs.
  case missingToken(String)

  var description: String {
    switch self {
    case .tooLittleText(let message), .missingToken(let message): return message
    }
  }
}

// MARK: - Vocabulary

/// How many distinct words (after BERT's lower-casing and punctuation splitting) `sentences` hold,
/// and how many of them the vocabulary has as one whole token.
func wordCoverage(_ sentences: [String], tokenizer: BertTokenizer) -> (words: Int, whole: Int) {
  var words = Set<String>()
  for sentence in sentences { words.formUnion(tokenizer.basicTokenizer.tokenize(sentence)) }
  let whole = words.filter { tokenizer.vocabulary.id(of: $0) != nil }.count
  return (words.count, whole)
}

// MARK: - Examples

/// One masked-LM example per sentence: `[CLS] pieces [SEP]`, cut to `maxSequenceLength` tokens.
///
/// The corpus's sentences are short (about 12 pieces), so a sentence is a whole example; the
/// original recipe packs sentences into 128- or 512-token rows, which `PretrainingInstanceBuilder`
/// does for the next-sentence option.
func sentenceExamples(
  _ sentences: [String], tokenizer: BertTokenizer, maxSequenceLength: Int
)
  -> [TrainingExample]
{
  sentences.compactMap { sentence in
    let encoding = tokenizer.encode(sentence, maxLength: maxSequenceLength)
    guard encoding.count > 2 else { return nil }
    return TrainingExample(inputIDs: encoding.ids, wordIDs: encoding.wordIds)
  }
}

/// Sentence-pair examples with next-sentence labels, google-research/bert's recipe.
func sentencePairExamples(
  _ documents: [[String]], tokenizer: BertTokenizer, maxSequenceLength: Int, seed: UInt64
) -> [TrainingExample] {
  let tokenized = documents.map { $0.map { tokenizer.tokenIDs($0) } }
  let builder = PretrainingInstanceBuilder(
    maxSequenceLength: maxSequenceLength, nextSentencePrediction: true,
    classifierTokenID: tokenizer.classifierID, separatorTokenID: tokenizer.separatorID)
  var rng = RandomGenerator(seed: seed)
  return builder.instances(from: tokenized, using: &rng)
}

// MARK: - The baseline

/// The unigram entropy of the tokens a masked-LM loss is measured on (every token but the
/// special ones), in nats:
///
///     H = - sum_w p(w) ln p(w),    p(w) = count(w) / N
///
/// A model that ignores the context can do no better than predicting p(w) everywhere, which
/// costs H per prediction; a loss below H means the model reads the context.
func unigramEntropy(_ examples: [TrainingExample], specialTokenIDs: Set<Int>) -> Double {
  var counts: [Int: Int] = [:]
  var total = 0
  for example in examples {
    for id in example.inputIDs where !specialTokenIDs.contains(id) {
      counts[id, default: 0] += 1
      total += 1
    }
  }
  guard total > 0 else { return 0 }
  return counts.keys.sorted().reduce(0.0) { entropy, id in
    let p = Double(counts[id] ?? 0) / Double(total)
    return entropy - p * log(p)
  }
}
