// Chapter 01: WordPiece tokens and embeddings (seed 2.3 词嵌入).
//
// Read this file top to bottom: each prose block is followed by the step it describes and by
// what that step prints. The computations live in WordPieceSteps.swift (the vocabulary and the
// tokenizer), EmbeddingSteps.swift (BERT's input layer) and Plots.swift (the figures).
//
// Run it:  swift run -c release Chapter01 [--seed 42] [--plots plots] [--vocab vocab.txt]

import ArgumentParser
import Foundation
import NotebookSupport
import Plotting
import WordPiece

/// Chapter 01: a WordPiece vocabulary learned from the corpus, and BERT's embedding layer.
struct Chapter01: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "Chapter01",
    abstract: "WordPiece tokens and embeddings: learn a vocabulary, cut text into pieces, look them up.")

  @OptionGroup var options: ChapterOptions

  @Option(help: "Use this vocab.txt (e.g. bert-base-uncased's) instead of learning one from the corpus.")
  var vocab: String?

  mutating func run() throws {
    let writer = PlotWriter(rendersImage: !options.noRender, textPreview: options.preview)
    printChapterHeading("01", "WordPiece tokens and embeddings 词嵌入 (seed 2.3)")

    // ------------------------------------------------------------------------------------------
    // 2.3 词嵌入 / Word embeddings
    //
    // A word embedding maps each word to a vector in a space of a few hundred dimensions. BERT
    // does not embed whole words: WordPiece cuts words into sub-word units and embeds each unit.
    // A fixed vocabulary of pieces can then spell any word made of known characters, including
    // words never seen in training (out-of-vocabulary words), which helps the model generalise.
    //
    // This chapter learns a small WordPiece vocabulary from the notebook's generated corpus,
    // cuts sentences into pieces with it, and turns the pieces into BERT's input vectors:
    //
    //     e_t = LayerNorm(E_tok[id_t] + E_pos[t] + E_seg[segment_t])
    // ------------------------------------------------------------------------------------------

    // Step 1. The corpus: documents of simple English generated from a seeded grammar
    // (NotebookSupport's PretrainingCorpus): opinions about films and meals, animal stories of
    // the "quick brown fox" family, sentences with relative clauses. Chapter 05 pretrains on
    // text from the same generator.
    printStep("Step 1: the corpus")
    let corpus = notebookCorpus(seed: options.seed)
    let sentences = corpus.sentences
    let wordCount = countWords(in: sentences)
    print(
      "\(corpus.documents.count) documents, \(sentences.count) sentences, \(wordCount) words "
        + "(generated, seed \(options.seed)); the first three sentences:")
    for sentence in sentences.prefix(3) { print("  \(sentence)") }

    // Step 2. Learning the vocabulary, as the tokenizers library's WordPiece trainer does:
    // start from the special tokens and every character (each also as a continuation, "##x"),
    // then repeatedly merge the most frequent adjacent pair of pieces into a new piece, until
    // the vocabulary has the size asked for. Frequent words end up whole; rare words stay in
    // pieces.
    printStep("Step 2: a WordPiece vocabulary of \(notebookVocabularySize) tokens")
    let tokenizer: BertTokenizer
    if let vocab {
      tokenizer = try BertTokenizer(vocabularyFile: vocab)
      print("--vocab \(vocab): \(tokenizer.vocabulary.count) tokens (the corpus only measures it)")
    } else {
      // WordPieceTrainer, through NotebookSupport's notebookTokenizer / trainTokenizer (StandIn.swift),
      // which chapters 01, 02, 04 and 05 share.
      tokenizer = try notebookTokenizer(learnedFrom: corpus)
      print("learned from the corpus: \(tokenizer.vocabulary.count) tokens")
    }
    let parts = anatomy(of: tokenizer.vocabulary)
    let kinds = [
      ("special tokens", parts.special, ""), ("single characters", parts.initialCharacters, ""),
      ("##characters", parts.continuationCharacters, ""),
      ("longer word starts", parts.wordStarts, "first learned: "),
      ("longer ##pieces", parts.continuations, "first learned: "),
    ]
    for (kind, tokens, note) in kinds {
      print(
        "  \(padRight(kind, 19))\(pad(String(tokens.count), 5))  \(note)\(tokens.prefix(12).joined(separator: " "))"
      )
    }
    let covered = coverage(of: sentences, by: tokenizer)
    print(
      "on the corpus: \(covered.wholeWords) of \(covered.words) distinct words are one token, "
        + "\(covered.unknownWords) are [UNK], \(fixed(covered.piecesPerWord, 3)) pieces per word")

    // Step 3. Tokenizing. BERT's tokenizer lower-cases, splits off punctuation, and cuts each
    // word greedily from the left into the longest pieces of the vocabulary. [CLS] opens every
    // sequence and [SEP] closes it. A word whose characters the vocabulary lacks cannot be cut
    // at all and becomes [UNK].
    //
    // Aside: "foxhounds" and "unlovely" never occur in the corpus, yet the vocabulary spells
    // them from pieces it learned from other words. That is the seed's point about
    // out-of-vocabulary words: a word-level vocabulary would have had nothing but [UNK].
    printStep("Step 3: text into pieces and ids")
    for (text, shows) in exampleSentences {
      let sentence = tokenizeSentence(text, with: tokenizer)
      print("\"\(text)\" (\(shows))")
      print("  tokens: \(sentence.tokens.joined(separator: " "))")
      print("  ids:    \(sentence.ids.map(String.init).joined(separator: " "))")
      for (word, pieces) in splitWords(sentence) {
        print("  \(word) -> \(pieces.joined(separator: " "))")
      }
      print("  decoded: \(sentence.decoded)")
    }

    // Step 4. The embedding layer. Each token id selects a row of the token table E_tok, each
    // position t a row of the position table E_pos, each segment (0 for the first sentence, 1
    // for the second of a pair) a row of E_seg. BERT adds the three and normalises each token's
    // vector to mean 0 and variance 1 (then scales by gamma and shifts by beta, 1 and 0 at
    // the start):
    //
    //     x_t = E_tok[id_t] + E_pos[t] + E_seg[segment_t]        e_t = LayerNorm(x_t)
    //
    // Aside: position and segment embeddings are what tell BERT where a token stands and
    // which sentence it belongs to; attention alone does not know the order (chapter 02).
    printStep("Step 4: token, position and segment embeddings, summed and normalised")
    let pair = tokenizer.encode(exampleSentences[0].text, pair: "The dog sleeps.")
    let steps = embed(pair, vocabularySize: tokenizer.vocabulary.count, seed: options.seed)
    let (t, h) = (pair.count, steps.config.hiddenSize)
    print("pair: \(pair.tokens.joined(separator: " "))")
    print("segments: \(steps.segments.map(String.init).joined(separator: " "))")
    print(
      "tables: E_tok \(shapeText([steps.config.vocabSize, h], names: ["V", "H"])), "
        + "E_pos \(shapeText([steps.config.maxPositionEmbeddings, h], names: ["P", "H"])), "
        + "E_seg \(shapeText([steps.config.typeVocabSize, h], names: ["S", "H"])) "
        + "(normal, standard deviation 0.02, seed \(options.seed))")
    print(
      "lookups: token, position, segment \(shapeText([t, h], names: ["T", "H"])) each; "
        + "sum x \(shapeText(steps.sum.shape, names: ["T", "H"])); e = LayerNorm(x) "
        + shapeText(steps.normalized.shape, names: ["T", "H"]))
    let fox = pair.tokens.firstIndex(of: "fox") ?? 1
    let shown = 8
    print(
      "the row of \"\(pair.tokens[fox])\" (position \(fox), segment \(steps.segments[fox])), first \(shown) of \(h) dimensions:"
    )
    let rows = [steps.token, steps.position, steps.segment, steps.sum, steps.normalized].map {
      Array(matrixRows($0)[fox].prefix(shown))
    }
    printMatrix(
      rows, rowLabels: ["E_tok[id]", "E_pos[t]", "E_seg[s]", "x = sum", "e = LayerNorm(x)"],
      columnLabels: (1...shown).map { "h\($0)" }, digits: 4)
    let before = meanAndStandardDeviation(matrixRows(steps.sum)[fox])
    let after = meanAndStandardDeviation(matrixRows(steps.normalized)[fox])
    print("x: mean \(fixed(before.mean)), standard deviation \(fixed(before.standardDeviation))")
    print("e: mean \(fixed(after.mean)), standard deviation \(fixed(after.standardDeviation))")
    print(
      "the BERT module's BertEmbeddings on the same input: max difference "
        + fixed(steps.moduleOutput.maxAbsDifference(steps.normalized), 6))
    // With --vocab the plots get their own names, so the default run's are kept.
    try writePlots(steps, suffix: vocab == nil ? "" : "-vocab", to: plotFolder(options.plots), using: writer)
  }
}

Chapter01.main()
