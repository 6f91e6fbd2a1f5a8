import BERT
import Foundation
import NotebookSupport
import Plotting
import Testing
import WordPiece

@testable import Chapter01

/// Chapter 01's vocabulary, tokenization and embeddings, checked against an independent greedy
/// longest-match, the reference tokenizer's ids, and loops in Double.
@Suite("Chapter 01: WordPiece tokens and embeddings")
struct Chapter01Tests {
  static let corpus = notebookCorpus(seed: 42)
  static let tokenizer: BertTokenizer = {
    do {
      return try BertTokenizer(vocabulary: learnVocabulary(corpus.sentences))
    } catch {
      preconditionFailure("the learned vocabulary has no special tokens: \(error)")
    }
  }()

  /// WordPiece by its definition: from the left, the longest piece in the vocabulary ("##" after
  /// the first), or [UNK] for the whole word when some part matches nothing.
  static func greedyPieces(_ word: String, vocabulary: Set<String>) -> [String] {
    let scalars = Array(word.unicodeScalars)
    var pieces: [String] = []
    var start = 0
    while start < scalars.count {
      var end = scalars.count
      var found: String?
      while end > start {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        let piece = (start > 0 ? "##" : "") + String(view)
        if vocabulary.contains(piece) {
          found = piece
          break
        }
        end -= 1
      }
      guard let found else { return ["[UNK]"] }
      pieces.append(found)
      start = end
    }
    return pieces
  }

  static var vocabularySet: Set<String> { Set(tokenizer.vocabulary.tokens) }

  @Test("the learned vocabulary: 400 tokens, BERT's special tokens first, every token of one kind")
  func vocabulary() {
    let tokens = Self.tokenizer.vocabulary.tokens
    #expect(tokens.count == notebookVocabularySize)
    #expect(Array(tokens.prefix(5)) == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    let parts = anatomy(of: Self.tokenizer.vocabulary)
    let all =
      parts.special + parts.initialCharacters + parts.continuationCharacters + parts.wordStarts
      + parts.continuations
    #expect(all.count == tokens.count && Set(all) == Set(tokens))
    #expect(parts.special.count == 5)
    // Every single character of the vocabulary occurs in the corpus.
    let text = Self.corpus.text
    for character in parts.initialCharacters {
      #expect(text.contains(character), "\(character)")
    }
    #expect(parts.continuationCharacters.allSatisfy { $0.count == 3 && $0.hasPrefix("##") })
  }

  @Test("every example word is cut as greedy longest-match cuts it")
  func examplesMatchGreedy() {
    for (text, _) in exampleSentences {
      let sentence = tokenizeSentence(text, with: Self.tokenizer)
      #expect(sentence.tokens.first == "[CLS]" && sentence.tokens.last == "[SEP]")
      #expect(sentence.ids.map { Self.tokenizer.vocabulary.token(of: $0) } == sentence.tokens)
      for (index, word) in sentence.words.enumerated() {
        let pieces = sentence.tokens.indices.filter { sentence.wordIDs[$0] == index }.map {
          sentence.tokens[$0]
        }
        #expect(pieces == Self.greedyPieces(word, vocabulary: Self.vocabularySet), "\(word)")
      }
    }
  }

  @Test("the seed's sentence; the made-up words split into known pieces; unseen characters are [UNK]")
  func outOfVocabulary() throws {
    let corpusWords = Set(Self.corpus.sentences.flatMap { BasicTokenizer().tokenize($0) })
    let seedSentence = tokenizeSentence(exampleSentences[0].text, with: Self.tokenizer)
    #expect(seedSentence.words == ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"])
    #expect(!seedSentence.tokens.contains("[UNK]"))
    #expect(seedSentence.decoded == "the quick brown fox jumps over the lazy dog")

    let madeUp = tokenizeSentence(exampleSentences[2].text, with: Self.tokenizer)
    let split = piecesByWord(madeUp)
    for word in ["foxhounds", "unlovely"] {
      #expect(!corpusWords.contains(word) && Self.tokenizer.vocabulary.id(of: word) == nil, "\(word)")
      let pieces = try #require(split[word])
      #expect(pieces.count >= 2 && !pieces.contains("[UNK]"), "\(word): \(pieces)")
      #expect(pieces.map { $0.replacingOccurrences(of: "##", with: "") }.joined() == word)
    }
    #expect(madeUp.decoded == "the foxhounds were unlovely.")

    let unseen = tokenizeSentence(exampleSentences[3].text, with: Self.tokenizer)
    let text = Self.corpus.text
    for character in ["日", "本", "🦊"] {
      #expect(!text.contains(character))
      #expect(piecesByWord(unseen)[character] == ["[UNK]"], "\(character)")
    }
    #expect(unseen.decoded.contains("[UNK]"))
  }

  /// The words a sentence cuts into several pieces (or [UNK]), with their pieces.
  func piecesByWord(_ sentence: TokenizedSentence) -> [String: [String]] {
    Dictionary(splitWords(sentence).map { ($0.word, $0.pieces) }, uniquingKeysWith: { first, _ in first })
  }

  @Test("the corpus coverage, counted again with greedy longest-match")
  func coverageCounts() {
    let counted = coverage(of: Self.corpus.sentences, by: Self.tokenizer)
    var pieces: [String: [String]] = [:]
    var occurrences = 0
    var total = 0
    for sentence in Self.corpus.sentences {
      for word in BasicTokenizer().tokenize(sentence) {
        let cut = pieces[word] ?? Self.greedyPieces(word, vocabulary: Self.vocabularySet)
        pieces[word] = cut
        occurrences += 1
        total += cut.count
      }
    }
    #expect(counted.words == pieces.count)
    #expect(counted.wholeWords == pieces.filter { $0.value == [$0.key] }.count)
    #expect(counted.unknownWords == 0 && pieces.values.allSatisfy { $0 != ["[UNK]"] })
    #expect(abs(counted.piecesPerWord - Double(total) / Double(occurrences)) < 1e-12)
    #expect(counted.wholeWords < counted.words)
  }

  @Test("with bert-base-uncased's vocab.txt the ids are the reference tokenizer's")
  func bertBaseVocabulary() throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("WordPieceTests/Fixtures/vocab.txt")
    let tokenizer = try BertTokenizer(vocabularyFile: file.path)
    // From transformers' BertTokenizer over the same file.
    let expected: [[Int]] = [
      [101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 102],
      [101, 1996, 4419, 6806, 26698, 2020, 4895, 14301, 26006, 1012, 102],
      [101, 1996, 4419, 2387, 1864, 1876, 1998, 1037, 100, 102],
    ]
    for (text, ids) in zip(
      [exampleSentences[0].text, exampleSentences[2].text, exampleSentences[3].text], expected)
    {
      #expect(tokenizeSentence(text, with: tokenizer).ids == ids, "\(text)")
    }
  }

  // MARK: - Embeddings

  static func doubles(_ tensor: Tensor) -> [[Double]] {
    matrixRows(tensor).map { $0.map(Double.init) }
  }

  @Test("token + position + segment, then LayerNorm: by loops, and equal to BertEmbeddings")
  func embeddings() {
    let pair = Self.tokenizer.encode(exampleSentences[0].text, pair: "The dog sleeps.")
    let steps = embed(pair, vocabularySize: Self.tokenizer.vocabulary.count, seed: 42)
    let t = pair.count
    #expect(steps.sum.shape == [t, embeddingWidth] && steps.normalized.shape == [t, embeddingWidth])
    let firstSeparator = pair.tokens.firstIndex(of: "[SEP]") ?? 0
    #expect(steps.segments == (0..<t).map { $0 <= firstSeparator ? 0 : 1 })
    #expect(steps.positions == Array(0..<t))
    // The three parts add up, element by element.
    let (token, position, segment) = (
      Self.doubles(steps.token), Self.doubles(steps.position), Self.doubles(steps.segment)
    )
    let sum = Self.doubles(steps.sum)
    var worst = 0.0
    for i in 0..<t {
      for h in 0..<embeddingWidth {
        worst = max(worst, abs(sum[i][h] - (token[i][h] + position[i][h] + segment[i][h])))
      }
    }
    #expect(worst < 1e-7, "sum: max difference \(worst)")
    // The same token id looks up the same row; "the" at two positions differs after the sum.
    let theRows = pair.tokens.indices.filter { pair.tokens[$0] == "the" }
    #expect(
      theRows.count >= 2 && token[theRows[0]] == token[theRows[1]] && sum[theRows[0]] != sum[theRows[1]])
    // LayerNorm by its definition, in Double (gamma 1, beta 0 at initialisation).
    let normalized = Self.doubles(steps.normalized)
    for i in 0..<t {
      let mean = sum[i].reduce(0, +) / Double(embeddingWidth)
      let variance = sum[i].reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(embeddingWidth)
      for h in 0..<embeddingWidth {
        let expected = (sum[i][h] - mean) / (variance + 1e-12).squareRoot()
        #expect(abs(normalized[i][h] - expected) < 1e-4, "row \(i), dimension \(h)")
      }
      let stats = meanAndStandardDeviation(matrixRows(steps.normalized)[i])
      #expect(abs(stats.mean) < 1e-5 && abs(stats.standardDeviation - 1) < 1e-4)
    }
    let difference = steps.moduleOutput.maxAbsDifference(steps.normalized)
    #expect(difference < 1e-6, "BertEmbeddings differs by \(difference)")
  }

  @Test("mean and standard deviation by hand: [1, 2, 3, 4] has 2.5 and sqrt(1.25)")
  func statistics() {
    let stats = meanAndStandardDeviation([1, 2, 3, 4])
    #expect(stats.mean == 2.5 && abs(stats.standardDeviation - 1.25.squareRoot()) < 1e-12)
  }

  @Test("the plots hold the embedding vectors and the tokens")
  func plots() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "chapter01-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let pair = Self.tokenizer.encode(exampleSentences[0].text, pair: "The dog sleeps.")
    let steps = embed(pair, vocabularySize: Self.tokenizer.vocabulary.count, seed: 42)
    let written = try writePlots(
      steps, suffix: "", to: folder, using: PlotWriter(rendersImage: false, printsToTerminal: false))
    #expect(written.map(\.script.lastPathComponent) == ["embeddings.gp", "components.gp"])
    let embeddings = try String(contentsOf: written[0].script, encoding: .utf8)
    for value in matrixRows(steps.normalized)[4] {
      #expect(embeddings.contains(GnuplotSyntax.number(Double(value))))
    }
    #expect(embeddings.contains("4 fox"))
    let components = try String(contentsOf: written[1].script, encoding: .utf8)
    for value in matrixRows(steps.segment)[0] {
      #expect(components.contains(GnuplotSyntax.number(Double(value))))
    }
  }
}
