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
  static let corpus = NotebookFixtures.corpus
  static let tokenizer = NotebookFixtures.tokenizer

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

  static let vocabularySet = Set(tokenizer.vocabulary.tokens)

  /// The chapter's pair: its first example sentence and "The dog sleeps.".
  static let pair = tokenizer.encode(exampleSentences[0].text, pair: "The dog sleeps.")
  /// The embedding layer run on `pair`, its tables drawn from seed 42 as the chapter draws them.
  static let steps = embed(pair, vocabularySize: tokenizer.vocabulary.count, seed: 42)

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

  @Test("the corpus: 2000 documents, 8675 sentences, 94848 words, the words counted again by spaces")
  func corpusCounts() {
    #expect(Self.corpus.documents.count == 2000)
    var sentences = 0
    for document in Self.corpus.documents { sentences += document.count }
    #expect(Self.corpus.sentences.count == 8675 && sentences == 8675)
    #expect(countWords(in: Self.corpus.sentences) == 94848)
    // The generator writes lower-case words with the punctuation already set apart by spaces,
    // so splitting at the spaces finds the words the basic tokenizer finds.
    var words = 0
    for sentence in Self.corpus.sentences { words += sentence.split(separator: " ").count }
    #expect(words == 94848)
  }

  /// The tokens of `vocabulary` by kind, counted by a loop over Unicode scalars: bracketed
  /// special tokens, single scalars, "##" and one scalar, longer word starts, longer "##" pieces.
  static func kindCounts(_ vocabulary: [String]) -> [Int] {
    var counts = [0, 0, 0, 0, 0]
    for token in vocabulary {
      let scalars = Array(token.unicodeScalars)
      if scalars.count > 2 && scalars.first == "[" && scalars.last == "]" {
        counts[0] += 1
      } else if scalars.count > 2 && scalars[0] == "#" && scalars[1] == "#" {
        counts[scalars.count == 3 ? 2 : 4] += 1
      } else {
        counts[scalars.count == 1 ? 1 : 3] += 1
      }
    }
    return counts
  }

  @Test("the vocabulary's anatomy: 5 special, 28 characters, 25 ##characters, 225 word starts, 117 ##pieces")
  func vocabularyAnatomyCounts() {
    let parts = anatomy(of: Self.tokenizer.vocabulary)
    let counts = [
      parts.special.count, parts.initialCharacters.count, parts.continuationCharacters.count,
      parts.wordStarts.count, parts.continuations.count,
    ]
    #expect(counts == [5, 28, 25, 225, 117])
    #expect(Self.kindCounts(Self.tokenizer.vocabulary.tokens) == counts)
    // The alphabet from the corpus itself: every character of its words stands alone, and
    // every character found after a word's first one also continues ("##x").
    var alphabet: Set<Character> = []
    var continuing: Set<Character> = []
    for sentence in Self.corpus.sentences {
      for word in BasicTokenizer().tokenize(sentence) {
        alphabet.formUnion(word)
        continuing.formUnion(word.dropFirst())
      }
    }
    #expect(Set(parts.initialCharacters) == Set(alphabet.map(String.init)))
    #expect(Set(parts.continuationCharacters) == Set(continuing.map { "##\($0)" }))
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

  @Test("the example sentences' ids in the learned vocabulary, as printed")
  func exampleIDs() {
    let printed: [[Int]] = [
      [2, 59, 168, 169, 124, 320, 195, 150, 59, 190, 126, 3],
      [2, 59, 376, 144, 59, 126, 266, 60, 70, 312, 26, 33, 73, 36, 6, 3],
      [2, 59, 124, 37, 138, 42, 119, 73, 27, 45, 38, 100, 327, 6, 3],
      [2, 59, 124, 106, 57, 1, 1, 68, 7, 1, 3],
    ]
    #expect(exampleSentences.map { tokenizeSentence($0.text, with: Self.tokenizer).ids } == printed)
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
    // As printed: 133 of 171 whole, 1.086 pieces per word.
    #expect(counted.words == 171 && counted.wholeWords == 133)
    #expect(abs(counted.piecesPerWord - 1.086) < 0.0005, "\(counted.piecesPerWord)")
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
    let pair = Self.pair
    let steps = Self.steps
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

  @Test("the tables E_tok [V=400, H=16], E_pos [P=64, H=16], E_seg [S=2, H=16]; the pair is T = 18 tokens")
  func embeddingShapes() {
    let first = exampleSentences[0].text
    let pair = Self.pair
    let steps = Self.steps
    // [CLS] A [SEP] and B [SEP]: the two encodings less the second [CLS].
    #expect(pair.count == 18)
    #expect(
      pair.count == Self.tokenizer.encode(first).count + Self.tokenizer.encode("The dog sleeps.").count - 1)
    let config = steps.config
    #expect(config.vocabSize == 400 && config.hiddenSize == 16)
    #expect(config.maxPositionEmbeddings == 64 && config.typeVocabSize == 2)
    // The tables a model of that configuration has.
    var rng = RandomGenerator(seed: 42)
    let layer = BertModel(config: config, addPoolingLayer: false, rng: &rng).embeddings
    #expect(layer.wordEmbeddings.weight.value.shape == [400, 16])
    #expect(layer.positionEmbeddings.weight.value.shape == [64, 16])
    #expect(layer.tokenTypeEmbeddings.weight.value.shape == [2, 16])
    for tensor in [steps.token, steps.position, steps.segment, steps.sum, steps.normalized] {
      #expect(tensor.shape == [18, 16])
    }
    #expect(shapeText([config.vocabSize, config.hiddenSize], names: ["V", "H"]) == "[V=400, H=16]")
  }

  @Test("the row of fox as printed; before LayerNorm mean 0.0086, standard deviation 0.0286, by a loop")
  func foxRowStatistics() {
    let pair = Self.pair
    let steps = Self.steps
    let fox = 4
    #expect(pair.tokens[fox] == "fox")
    // The table as printed: the first 8 of 16 dimensions of E_tok, E_pos, E_seg, x and e.
    let table = [steps.token, steps.position, steps.segment, steps.sum, steps.normalized].map { tensor in
      matrixRows(tensor)[fox].prefix(8).map { fixed($0) }
    }
    #expect(
      table == [
        ["0.0244", "-0.0012", "0.0093", "-0.0319", "-0.0204", "-0.0276", "0.0155", "-0.0023"],
        ["-0.0409", "-0.0012", "0.0150", "-0.0120", "0.0212", "0.0054", "0.0145", "-0.0216"],
        ["0.0088", "-0.0070", "0.0066", "0.0165", "0.0459", "0.0087", "0.0133", "-0.0056"],
        ["-0.0076", "-0.0093", "0.0309", "-0.0274", "0.0467", "-0.0134", "0.0432", "-0.0295"],
        ["-0.5681", "-0.6270", "0.7803", "-1.2592", "1.3338", "-0.7702", "1.2110", "-1.3342"],
      ])
    let stats = meanAndStandardDeviation(matrixRows(steps.sum)[fox])
    #expect(abs(stats.mean - 0.0086) < 0.00005, "mean \(stats.mean)")
    #expect(abs(stats.standardDeviation - 0.0286) < 0.00005, "standard deviation \(stats.standardDeviation)")
    // From the three looked-up rows, added in Double.
    var x: [Double] = []
    for h in 0..<embeddingWidth {
      x.append(Double(steps.token[fox, h]) + Double(steps.position[fox, h]) + Double(steps.segment[fox, h]))
    }
    var sum = 0.0
    for value in x { sum += value }
    let mean = sum / Double(x.count)
    var squares = 0.0
    for value in x { squares += (value - mean) * (value - mean) }
    let standardDeviation = (squares / Double(x.count)).squareRoot()
    #expect(abs(stats.mean - mean) < 1e-7 && abs(stats.standardDeviation - standardDeviation) < 1e-7)
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
    let steps = Self.steps
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
