// Chapter 05: Pretraining (seed 1.2 预训练模型的崛起 and 3.1 预训练阶段).
//
// Read this file top to bottom: each prose block is followed by the step it describes and by
// what that step prints. The computations live in Corpus.swift (data and vocabulary),
// Pretraining.swift (model and training), FillMask.swift, Checkpoint.swift and Plots.swift.
//
// Run it:  swift run -c release Chapter05 [--seed 42] [--quick] [--corpus FILE] [--output DIR]
//                                         [--next-sentence]

import ArgumentParser
import BERT
import Foundation
import NotebookSupport
import Plotting
import WordPiece

/// Chapter 05: pretrain a small BERT from scratch and save it for the chapters that follow.
struct Chapter05: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "Chapter05",
    abstract: "Pretrain a small BERT with masked-LM on a generated corpus and save it as a checkpoint.")

  @OptionGroup var options: ChapterOptions

  @Flag(help: "A run of a few seconds with a tiny corpus and model (for tests).")
  var quick = false

  @Option(
    help: ArgumentHelp(
      "Pretrain on your own plain-text file instead of the generated corpus.",
      discussion: "One sentence per line, a blank line between documents (google-research/bert's format)."))
  var corpus: String?

  @Option(help: "Where to save the checkpoint folder.")
  var output: String = notebookCheckpointPath

  @Flag(help: "Also train next-sentence prediction (BertForPreTraining) on sentence pairs.")
  var nextSentence = false

  mutating func run() throws {
    let writer = PlotWriter(rendersImage: !options.noRender, textPreview: options.preview)
    let folder = plotFolder(options.plots)
    let size = quick ? PretrainingSize.quick : PretrainingSize.standard
    let clock = ContinuousClock()
    let start = clock.now
    printChapterHeading("05", "Pretraining 预训练 (seed 1.2 and 3.1)")

    // ------------------------------------------------------------------------------------------
    // 1.2 预训练模型的崛起 / The rise of pretrained models
    //
    // A pretrained model first learns general language from a large amount of unlabelled text,
    // then is fine-tuned on a small labelled task (chapter 06). The labels of pretraining come
    // from the text itself: hide a word, ask for it back.
    //
    // 3.1 预训练阶段 / The pretraining stage, in four steps:
    //   1. data preparation: collect text, clean it;
    //   2. model construction: build the Transformer, initialise its parameters;
    //   3. masked-language-model training: hide some words, predict them;
    //   4. parameter optimisation: gradient descent on the loss.
    //
    // Aside: BERT-base read 3.3 billion words for days on 16 TPU chips. Here a BERT of BERT-Tiny's
    // shape reads a generated corpus for a few minutes on two cores, which is enough for it to
    // learn which word a context calls for.
    // ------------------------------------------------------------------------------------------

    // Step 1. Data preparation. The default corpus is generated from the seed by a small
    // grammar (NotebookSupport's PretrainingCorpus): opinions dense in positive or negative
    // words, animal sentences of the "quick brown fox" family with number agreement, relative
    // clauses. A blank line separates documents; the last 5% of the documents are held out,
    // to measure the loss on text the model never trains on.
    printStep("Step 1: data preparation")
    let split = try loadCorpus(size: size)
    let trainingSentences = split.trainingSentences
    print("source: \(split.source)")
    print(
      "documents: \(split.training.count) for training, \(split.heldOut.count) held out; "
        + "sentences: \(trainingSentences.count) and \(split.heldOutSentences.count)")
    print("the first sentences:")
    for sentence in trainingSentences.prefix(4) { print("  \(sentence)") }

    // Step 1b. The vocabulary. WordPiece (seed 2.3) is learned from the training sentences
    // (chapter 01 shows how): frequent words become one token, rare ones split into pieces.
    // BERT's five special tokens come first.
    printStep("Step 1b: a WordPiece vocabulary learned from the corpus")
    let tokenizer = try trainTokenizer(trainingSentences, size: size.vocabularySize)
    let coverage = wordCoverage(trainingSentences, tokenizer: tokenizer)
    print(
      "V = \(tokenizer.vocabulary.count) word pieces; \(coverage.whole) of the corpus's \(coverage.words) "
        + "distinct words are one piece")
    let probe = foxSentence.replacingOccurrences(of: "[MASK]", with: foxWord)
    print("\"\(probe)\" -> \(tokenizer.encode(probe).tokens.joined(separator: " "))")

    // The examples: one sentence each, [CLS] pieces [SEP] (with --next-sentence, pairs of
    // sentences as in the original recipe).
    let training: [TrainingExample]
    let heldOut: [TrainingExample]
    if nextSentence {
      training = sentencePairExamples(
        split.training, tokenizer: tokenizer, maxSequenceLength: 2 * size.maxSequenceLength,
        seed: options.seed)
      heldOut = sentencePairExamples(
        split.heldOut, tokenizer: tokenizer, maxSequenceLength: 2 * size.maxSequenceLength, seed: options.seed
      )
    } else {
      training = sentenceExamples(
        trainingSentences, tokenizer: tokenizer, maxSequenceLength: size.maxSequenceLength)
      heldOut = sentenceExamples(
        split.heldOutSentences, tokenizer: tokenizer, maxSequenceLength: size.maxSequenceLength)
    }
    let tokenCount = training.reduce(0) { $0 + $1.count }
    print("examples: \(training.count) for training (\(tokenCount) tokens), \(heldOut.count) held out")

    // The baseline. A model that ignores the context can at best predict every masked token
    // with its corpus frequency p(w); its loss is then the unigram entropy
    //
    //     H = - sum over w of p(w) ln p(w)
    //
    // Training must go below H to show it reads the context. (With next-sentence prediction
    // the loss adds the next-sentence cross-entropy, whose context-free value is ln 2.)
    let baseline = unigramEntropy(training, specialTokenIDs: tokenizer.specialTokenIDs)
    let uniform = log(Double(tokenizer.vocabulary.count))
    print("unigram entropy H = \(fixed(baseline)) nats (a uniform guess costs ln V = \(fixed(uniform)))")
    let lossBaseline = nextSentence ? baseline + log(2.0) : baseline

    // Step 2. Model construction: a config, then the model it describes, with every weight
    // drawn from normal(0, 0.02) as the reference's `_init_weights` does.
    printStep("Step 2: the model from a config")
    let config = size.config(vocabularySize: tokenizer.vocabulary.count)
    let model = PretrainingModel(config: config, nextSentence: nextSentence, seed: options.seed)
    print(
      "\(nextSentence ? "BertForPreTraining" : "BertForMaskedLM"): L = \(config.numHiddenLayers) layers, "
        + "H = \(config.hiddenSize), A = \(config.numAttentionHeads) heads, I = \(config.intermediateSize), "
        + "V = \(config.vocabSize), positions = \(config.maxPositionEmbeddings)")
    print("parameters: \(model.parameterized.parameterCount) (the decoder shares the word embeddings)")

    // Before training, the masked-LM head's output is close to uniform: every word piece gets
    // about 1/V.
    let before = try fillMask(foxSentence, model: model, tokenizer: tokenizer)
    printFillMask(before, title: "before training")

    // Steps 3 and 4. Masked-language-model training and parameter optimisation (seed 2.2, 4.2).
    // Every batch, 15% of the non-special tokens are chosen afresh; 80% of them become [MASK],
    // 10% a random token, 10% stay as they are, and the model must give back the original:
    //
    //     L = - (1/M) sum over the M chosen positions of ln p(original token | context)
    //
    // AdamW updates the weights with a learning rate that warms up linearly, then decays to 0.
    printStep("Steps 3 and 4: masked-LM training with AdamW")
    print(
      "batch \(size.batchSize), \(size.steps) steps, peak learning rate \(size.learningRate), "
        + "warmup \(size.warmupSteps) steps, weight decay 0.01, held-out loss every \(size.evalSteps) steps")
    let masker = try paperMasker(tokenizer)
    let trainingStart = clock.now
    let run = try pretrain(
      model, training: training, heldOut: heldOut, masker: masker, size: size, seed: options.seed,
      loggingDir: folder,
      outputDir: FileManager.default.temporaryDirectory.appendingPathComponent("chapter05"),
      progress: .automatic)
    let trainingTime = clock.now - trainingStart
    print("step   held-out loss")
    for (step, loss) in run.heldOutLosses { print(pad(String(step), 4) + "   " + fixed(loss)) }
    print(
      "held-out loss \(fixed(run.initialHeldOutLoss)) -> \(fixed(run.finalHeldOutLoss)); "
        + "baseline \(fixed(lossBaseline)); mean training loss \(fixed(run.meanTrainingLoss))")
    try writeLossPlot(run, baseline: lossBaseline, nextSentence: nextSentence, to: folder, using: writer)

    // Fill-mask after training.
    let after = try fillMask(foxSentence, model: model, tokenizer: tokenizer)
    printFillMask(after, title: "after training")
    try writeFillMaskPlots(before: before, after: after, to: folder, using: writer)

    // What the word vectors learned about sentiment. No sentence of the corpus carries a
    // label, but positive words keep company with positive words. A masked adjective is easier
    // to guess once the model knows the polarity of the other adjectives around it, so
    // training pulls the vectors of one polarity together. Chapter 06 fine-tunes a classifier
    // on the seen words only (good, awful, ...); the held-out words (superb, dreadful, ...) are
    // in this corpus but not in its labelled data. For each, how much nearer it sits to the
    // seen positive adjectives than to the seen negative ones (the sign is what matters):
    //
    //     lean(w) = cos(E[w], mean of E[seen positive]) - cos(E[w], mean of E[seen negative])
    //
    // Aside: fill-mask does not show this yet. Asked for "what a superb film , the acting was
    // very [MASK] .", the model still spreads its guesses over adjectives of both polarities;
    // the polarity is a small direction in the vectors, not yet a decision.
    printStep("What the word vectors learned about sentiment")
    if let leans = polarityLeans(embeddings: model.wordEmbeddings, vocabulary: tokenizer.vocabulary) {
      printPolarityLeans(leans)
    } else {
      print("the vocabulary lacks the generated corpus's seen adjectives: nothing to measure")
    }

    // Save.
    printStep("The checkpoint")
    let outputFolder = URL(fileURLWithPath: output)
    try saveCheckpoint(model, tokenizer: tokenizer, to: outputFolder)
    print("saved \(checkpointFiles.joined(separator: ", ")) in \(output)")
    fflush(nil)  // what was printed first, when the output is piped
    FileHandle.standardError.write(
      Data("chapter 05: training \(trainingTime), whole chapter \(clock.now - start)\n".utf8))
  }

  /// The documents: the user's file, or the generated corpus.
  func loadCorpus(size: PretrainingSize) throws -> CorpusSplit {
    if let corpus {
      let url = URL(fileURLWithPath: corpus)
      return try CorpusSplit(
        documents: PlainTextCorpus.documents(contentsOf: url), heldOutShare: size.heldOutShare, source: corpus
      )
    }
    let generated = PretrainingCorpus(documentCount: size.documentCount, seed: options.seed)
    return try CorpusSplit(
      documents: generated.documents, heldOutShare: size.heldOutShare,
      source: "generated, \(size.documentCount) documents from seed \(options.seed)")
  }

  /// Prints each held-out word's lean and how many lean the right way.
  func printPolarityLeans(_ leans: [PolarityLean]) {
    print(padRight("word", 12) + padRight("polarity", 10) + pad("lean", 8))
    for lean in leans {
      let value = lean.lean.map { fixed($0) } ?? "(split into pieces)"
      print(padRight(lean.word, 12) + padRight(lean.isPositive ? "positive" : "negative", 10) + pad(value, 8))
    }
    let measured = leans.filter { $0.lean != nil }
    print(
      "\(measured.filter(\.leansRightWay).count) of \(measured.count) whole-word held-out words lean the right way"
    )
  }

  /// Prints the top five of a fill-mask prediction and the rank of "fox".
  func printFillMask(_ result: FillMaskResult, title: String) {
    print("\"\(foxSentence)\", \(title):")
    for candidate in result.top(5) {
      print("  " + padRight(candidate.token, 12) + fixed(candidate.probability))
    }
    if let fox = result.rank(of: foxWord) {
      print("  \"\(foxWord)\" ranks \(fox.rank) of \(result.ranking.count), p = \(fixed(fox.probability))")
    }
  }
}

Chapter05.main()
