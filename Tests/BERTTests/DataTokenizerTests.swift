import Foundation
import Testing
import WordPiece

@testable import BERT

@Suite("Data: examples from the WordPiece tokenizer")
struct DataTokenizerTests {
  // "the unaffable fox" -> [CLS] the un ##aff ##able fox [SEP], as in the tokenizer's own docs.
  static let tokenizer: BertTokenizer? = try? BertTokenizer(
    vocabulary: Vocabulary(tokens: [
      "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "fox", "un", "##aff", "##able",
    ]))

  @Test("an encoding becomes an example with its word ids; whole-word masking keeps un ##aff ##able together")
  func encodingToExample() throws {
    let tokenizer = try #require(Self.tokenizer)
    let example = TrainingExample(tokenizer.encode("the unaffable fox"), label: 1)
    #expect(example.inputIDs == [2, 5, 7, 8, 9, 6, 3])
    #expect(example.wordIDs == [nil, 0, 1, 1, 1, 2, nil])
    #expect(example.tokenTypeIDs == [0, 0, 0, 0, 0, 0, 0] && example.label == 1)

    let masker = try #require(tokenizer.maskedLanguageModelMasker(wholeWordMasking: true))
    #expect(
      masker.maskTokenID == 4 && masker.specialTokenIDs == [0, 1, 2, 3, 4] && masker.vocabularySize == 10)
    // Four times the sentence: 20 candidates, so 3 are chosen and the three-piece word fits
    // (with fewer, the exact count skips it, as the reference does).
    let long = TrainingExample(
      tokenizer.encode(Array(repeating: "the unaffable fox", count: 4).joined(separator: " ")))
    var rng = RandomGenerator(seed: 8)
    var sawWord = false
    for _ in 0..<200 {
      let chosen = Set(
        masker.mask(long.inputIDs, wordIDs: long.wordIDs, using: &rng).maskedPositions.map(\.position))
      #expect(chosen.count <= 3, "chose \(chosen.count)")
      let pieces = chosen.intersection([2, 3, 4]).count
      #expect(pieces == 0 || pieces == 3, "un ##aff ##able split: \(chosen.sorted())")
      sawWord = sawWord || pieces == 3
    }
    #expect(sawWord, "the three-piece word was never chosen")
  }

  @Test("labelled rows become examples, pairs with token types, cut to maxLength")
  func labelledRows() throws {
    let tokenizer = try #require(Self.tokenizer)
    let rows = [
      LabeledText(text: "the fox", label: 0), LabeledText(text: "the fox", pair: "unaffable fox", label: 1),
    ]
    let examples = tokenizer.trainingExamples(rows, maxLength: 7)
    #expect(examples[0].inputIDs == [2, 5, 6, 3] && examples[0].label == 0)
    // [CLS] the fox [SEP] un ##aff ##able fox [SEP] is 9 tokens; longest first trims B to 2.
    #expect(examples[1].inputIDs == [2, 5, 6, 3, 7, 8, 3], "\(examples[1].inputIDs)")
    #expect(examples[1].tokenTypeIDs == [0, 0, 0, 0, 1, 1, 1] && examples[1].label == 1)
  }
}
