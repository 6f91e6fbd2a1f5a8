// Chapter 02: Self-attention (seed 2.1.1 自注意力机制 and 4.1 自注意力机制).
//
// Read this file top to bottom: each prose block is followed by the step it describes and by
// what that step prints. The computations live in SelfAttention.swift (one hand-sized head),
// LearnedAttention.swift (a whole BERT, random or from a checkpoint folder) and Plots.swift (the
// figures).
//
// Run it:  swift run -c release Chapter02 [--seed 42] [--plots plots] [--model DIR]

import ArgumentParser
import BERT
import Foundation
import NotebookSupport
import Plotting

/// Chapter 02: self-attention on "The quick brown fox jumps over the lazy dog".
struct Chapter02: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "Chapter02",
    abstract: "Self-attention on \"The quick brown fox jumps over the lazy dog\", by hand and in a BERT.")

  @OptionGroup var options: ChapterOptions

  @Option(
    help: ArgumentHelp(
      "A BERT checkpoint folder (config.json, model.safetensors, vocab.txt).",
      discussion: "Default: \(notebookCheckpointPath) when chapter 05 has written it."))
  var model: String?

  mutating func run() throws {
    let writer = PlotWriter(rendersImage: !options.noRender, textPreview: options.preview)
    let folder = plotFolder(options.plots)
    printChapterHeading("02", "Self-attention 自注意力机制 (seed 2.1.1 and 4.1)")

    // ------------------------------------------------------------------------------------------
    // 2.1.1 自注意力机制 / Self-attention
    //
    // Self-attention lets every word of a sentence look at every other word and decide how
    // much each one matters to it. It scores each pair of words by similarity, turns a word's
    // scores into weights that sum to 1, and replaces the word by the weighted mix of all the
    // words: important words count, unrelated ones fade.
    //
    // 4.1 gives the formula:
    //
    //     Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V
    //
    // Q (queries) says what each word is looking for, K (keys) what each word offers to be
    // found by, V (values) what each word passes on once found; d_k is the width of a key.
    // The seed's example: in "The quick brown fox jumps over the lazy dog", follow "fox".
    // ------------------------------------------------------------------------------------------

    // Step 1. The words become vectors. One token per word here, so that the words label the
    // axes (chapter 01 splits text into WordPiece tokens as BERT does). The embedding table and
    // the three projections are drawn from the seed as multiples of 0.1, small enough to redo
    // by hand: d_model = 8, d_k = 4.
    let attention = handAttention(seed: options.seed)
    printStep("Step 1: the words as vectors, X")
    print(
      "T = \(sentenceWords.count) words, \(wordVocabulary.count) distinct (\"The\" and \"the\" share a row); "
        + "X \(shapeText(attention.embeddings.shape, names: ["T", "d_model"]))")
    let dimensions = (1...attention.modelWidth).map { "x\($0)" }
    printMatrix(
      matrixRows(attention.embeddings), rowLabels: sentenceWords, columnLabels: dimensions, digits: 1)

    // Step 2. Three learned matrices project every word into a query, a key and a value:
    //
    //     Q = X W_Q        K = X W_K        V = X W_V        (W_* are d_model x d_k)
    //
    // In a trained model W_Q, W_K, W_V are learned; here they are drawn, so which words end up
    // similar is chance, but every step of the arithmetic is the real one.
    printStep("Step 2: the projections W_Q, W_K, W_V")
    let headColumns = (1...attention.headWidth).map { "k\($0)" }
    let projections = [
      ("W_Q", attention.queryWeight), ("W_K", attention.keyWeight), ("W_V", attention.valueWeight),
    ]
    for (name, weight) in projections {
      print("\(name) \(shapeText(weight.shape, names: ["d_model", "d_k"]))")
      printMatrix(matrixRows(weight), rowLabels: dimensions, columnLabels: headColumns, digits: 1)
    }
    printStep("Step 2: queries, keys and values")
    print(
      "Q \(shapeText(attention.queries.shape, names: ["T", "d_k"])), "
        + "K \(shapeText(attention.keys.shape, names: ["T", "d_k"])), "
        + "V \(shapeText(attention.values.shape, names: ["T", "d_k"]))")
    print("q_fox (row \(queryPosition) of Q) = \(fixed(matrixRow(attention.queries, queryPosition), 2))")
    print("K, one key per word:")
    printMatrix(matrixRows(attention.keys), rowLabels: sentenceWords, columnLabels: headColumns, digits: 2)
    print("V, one value per word:")
    printMatrix(matrixRows(attention.values), rowLabels: sentenceWords, columnLabels: headColumns, digits: 2)

    // Step 3. The score of "fox" against each word j is the dot product of fox's query with
    // j's key, divided by sqrt(d_k) = 2:
    //
    //     s_j = q_fox . k_j / sqrt(d_k)
    //
    // Aside: the division keeps the scores' spread independent of d_k. A dot product of d_k
    // terms grows like sqrt(d_k); unscaled, wide heads would push softmax into a corner where
    // one weight is 1, the rest 0, and the gradients vanish.
    printStep("Step 3: the scores of \"fox\", q_fox . k_j / sqrt(d_k)")
    let lastWord = sentenceWords.count - 1
    let foxQuery = matrixRow(attention.queries, queryPosition)
    let lastKey = matrixRow(attention.keys, lastWord)
    print("by hand, j = \(sentenceWords[lastWord]):")
    print("  q_fox . k_dog = \(dotProductText(foxQuery, lastKey))")
    print(
      "                = \(fixed(attention.dotProducts[queryPosition, lastWord])); / sqrt(4) = "
        + fixed(attention.scores[queryPosition, lastWord]))

    // Step 4. Softmax turns the scores into weights: positive, summing to 1.
    //
    //     a_j = exp(s_j) / sum over i of exp(s_i)
    printStep("Step 4: the weights of \"fox\", softmax of the scores")
    print("word    q_fox.k_j   score s_j   weight a_j")
    for (j, word) in sentenceWords.enumerated() {
      print(
        padRight(word, 6) + pad(fixed(attention.dotProducts[queryPosition, j]), 12)
          + pad(fixed(attention.scores[queryPosition, j]), 12)
          + pad(fixed(attention.weights[queryPosition, j]), 13))
    }
    let foxWeights = matrixRow(attention.weights, queryPosition)
    print("sum of the weights = \(fixed(foxWeights.reduce(0, +)))")

    // Step 5. The context vector of "fox" is the weighted sum of the values: what fox carries
    // into the next layer instead of its own embedding.
    //
    //     c_fox = sum over j of a_j v_j
    printStep("Step 5: the context vector of \"fox\", sum of a_j v_j")
    print(
      "c_fox \(shapeText([attention.headWidth], names: ["d_k"])) = "
        + fixed(matrixRow(attention.contexts, queryPosition)))

    // Step 6. Every word is a query at once: the scores form a T x T matrix, and A V gives all
    // nine context vectors in one product. Row i of A is word i's attention over the sentence.
    //
    // Aside: rows "The" and "the" are identical, and so are their columns. Attention alone does
    // not know word order: the same word gets the same query wherever it stands. BERT adds a
    // position embedding to every token (chapter 01) so that the two differ.
    printStep("Step 6: the whole matrix A = softmax(Q K^T / sqrt(d_k)), rows are queries")
    printMatrix(
      matrixRows(attention.weights), rowLabels: sentenceWords, columnLabels: sentenceWords, digits: 3)
    try writeHandPlots(attention, seed: options.seed, to: folder, using: writer)

    // ------------------------------------------------------------------------------------------
    // The same sentence in a whole BERT. Each layer has A heads computing the formula above
    // with d_k = H / A on the WordPiece tokens, [CLS] and [SEP] included (chapter 03 looks at
    // the heads one by one). Here each layer's map is the mean over its heads.
    //
    // An untrained model starts from weights of standard deviation 0.02: its scores are all
    // near 0, so every weight is near 1/T and every row's entropy near ln T, the largest it can
    // be. Training is what makes attention choose.
    // ------------------------------------------------------------------------------------------
    let sentence = sentenceWords.joined(separator: " ")
    printStep("Step 7: a whole BERT, random against trained")
    let checkpoint = try locateCheckpoint(model).map(PretrainedCheckpoint.init(directory:))
    let tokenizer =
      try checkpoint.map(requireTokenizer)
      ?? notebookTokenizer(learnedFrom: notebookCorpus(seed: options.seed))
    let config = checkpoint?.config ?? standInConfig(vocabularySize: tokenizer.vocabulary.count)
    let (ids, tokens, wordIDs) = encodeSentence(sentence, with: tokenizer)
    // The query: the first piece of "fox" (the whole word when the vocabulary has it).
    let queryIndex = wordIDs.firstIndex(of: queryPosition) ?? 0
    let query = tokens[queryIndex]
    print("tokens: \(tokens.joined(separator: " ")) (T = \(tokens.count)); following \"\(query)\"")
    print(
      "config: L = \(config.numHiddenLayers) layers, H = \(config.hiddenSize), "
        + "A = \(config.numAttentionHeads) heads, V = \(config.vocabSize)")
    if checkpoint == nil {
      print(
        "No trained checkpoint at \(notebookCheckpointPath): chapter 05 writes it "
          + "(swift run -c release notebook 05), or pass --model DIR for any BERT folder.")
      print(
        "Below: a randomly initialised stand-in of chapter 05's shape, over a vocabulary learned "
          + "from the generated corpus as in chapter 01.")
    }
    // File names: the stand-in's plot is `layers-untrained`; chapter 05's checkpoint's are
    // `layers-notebook-bert*`, another folder's `layers-model*`, so that none overwrites another.
    let plotName = checkpoint.map { _ in model == nil ? "layers-notebook-bert" : "layers-model" }
    let untrained = headAveragedAttention(randomEncoder(config, seed: options.seed), ids: ids)
    print(
      "randomly initialised (seed \(options.seed)); uniform attention would have entropy "
        + "ln T = \(fixed(log(Double(tokens.count))))")
    printSummaries(summarize(untrained, tokens: tokens, queryIndex: queryIndex), query: query)
    try writeLayerPlot(
      untrained, tokens: tokens, title: "Untrained BERT (\(config.numHiddenLayers) layers), mean over heads",
      name: plotName.map { $0 + "-untrained" } ?? "layers-untrained", to: folder, using: writer)

    if let checkpoint, let plotName {
      let trained = headAveragedAttention(try trainedEncoder(checkpoint), ids: ids)
      print("trained (\(checkpoint.directory.path)):")
      printSummaries(summarize(trained, tokens: tokens, queryIndex: queryIndex), query: query)
      try writeLayerPlot(
        trained, tokens: tokens, title: "Trained: \(checkpoint.directory.lastPathComponent), mean over heads",
        name: plotName, to: folder, using: writer)
    }
  }
}

Chapter02.main()
