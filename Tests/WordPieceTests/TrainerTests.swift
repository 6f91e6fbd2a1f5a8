import Foundation
import Testing

@testable import WordPiece

@Suite("WordPiece: training a vocabulary like the tokenizers library's WordPieceTrainer")
struct TrainerTests {
  struct Setting: Decodable {
    var vocabSize: Int
    var minFrequency: Int
    var limitAlphabet: Int?
    var lowercase: Bool
    var specialTokens: [String]
    var vocabularies: [[String]]

    enum CodingKeys: String, CodingKey {
      case lowercase, vocabularies
      case vocabSize = "vocab_size"
      case minFrequency = "min_frequency"
      case limitAlphabet = "limit_alphabet"
      case specialTokens = "special_tokens"
    }
  }

  /// The reference numbers `##x` tokens in hash-map order, which changes from run to run; the fixture
  /// holds several of its runs. Special tokens and the alphabet must match exactly, the vocabulary size
  /// too, and every token must be one that some reference run learned (and every token that all runs
  /// learned must be there).
  @Test("Special tokens, alphabet and learned tokens match the reference's runs on a small corpus")
  func matchesReference() throws {
    let settings = try Fixtures.decode([Setting].self, from: "trainer_reference.json")
    let corpus = try TextFile.lines(atPath: Fixtures.url("trainer_corpus.txt").path)
    #expect(settings.count == 3 && corpus.count > 1000)
    for setting in settings {
      let trainer = WordPieceTrainer(
        vocabularySize: setting.vocabSize, minimumFrequency: setting.minFrequency,
        specialTokens: setting.specialTokens, limitAlphabet: setting.limitAlphabet,
        basicTokenizer: BasicTokenizer(lowercase: setting.lowercase))
      let tokens = trainer.train(corpus).tokens
      let label =
        "vocab \(setting.vocabSize), min \(setting.minFrequency), limit \(setting.limitAlphabet ?? -1)"
      let reference = setting.vocabularies[0]
      #expect(tokens.count == reference.count, "\(label)")
      let fixedCount = reference.firstIndex { $0.hasPrefix("##") } ?? 0
      #expect(fixedCount > setting.specialTokens.count)
      #expect(Array(tokens.prefix(fixedCount)) == Array(reference.prefix(fixedCount)), "\(label)")
      let all = setting.vocabularies.map(Set.init)
      let union = all.reduce(Set<String>()) { $0.union($1) }
      let intersection = all.dropFirst().reduce(all[0]) { $0.intersection($1) }
      let ours = Set(tokens)
      #expect(ours.count == tokens.count, "\(label): duplicate tokens")
      #expect(
        ours.isSubset(of: union),
        "\(label): not learned by the reference: \(ours.subtracting(union).sorted())")
      #expect(
        intersection.isSubset(of: ours),
        "\(label): learned by every reference run but missing: \(intersection.subtracting(ours).sorted())")
    }
  }

  @Test("A trained vocabulary tokenizes: out-of-vocabulary words split into pieces or [UNK], deterministic")
  func trainedVocabularyTokenizes() throws {
    let corpus = Array(repeating: "the cat sat on the mat with the hat", count: 20) + ["a bat and a rat"]
    let trainer = WordPieceTrainer(vocabularySize: 60)
    let vocabulary = trainer.train(corpus)
    #expect(vocabulary.tokens == trainer.train(corpus).tokens)
    #expect(Array(vocabulary.tokens.prefix(5)) == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    let tokenizer = try BertTokenizer(vocabulary: vocabulary)
    #expect(tokenizer.tokenize("the cat") == ["the", "cat"])
    // "chat" was never seen: it is built from pieces; "z" is outside the alphabet: [UNK].
    #expect(tokenizer.tokenize("chat").count > 1)
    #expect(tokenizer.tokenize("zzz") == ["[UNK]"])
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("trained-vocab.txt").path
    try vocabulary.save(to: path)
    #expect(try Vocabulary.load(contentsOf: path).tokens == vocabulary.tokens)
  }

  @Test("Merging a pair updates the neighbouring pair counts (hand-computed)")
  func mergeBookkeeping() {
    // h e l l o with (l, l) → ll: (e, l) −1, (e, ll) +1, (l, o) −1, (ll, o) +1.
    var word: [Int32] = [0, 1, 2, 2, 3]
    let changes = WordPieceTrainer.merge(Pair(first: 2, second: 2), into: 4, in: &word)
    #expect(word == [0, 1, 4, 3])
    #expect(
      changes.map { [Int($0.0.first), Int($0.0.second), $0.1] } == [
        [1, 2, -1], [1, 4, 1], [2, 3, -1], [4, 3, 1],
      ])
  }
}
