// Chapter 04: The masked-LM objective and its loss (seed 2.2 掩码语言模型 and 4.2 掩码语言模型).
//
// Read this file top to bottom: each prose block is followed by the step it describes and by
// what that step prints. The computations live in LossSteps.swift (the loss by hand),
// ModelSteps.swift (masking real sentences, a model's loss and predictions) and Plots.swift.
//
// Run it:  swift run -c release Chapter04 [--seed 42] [--plots plots] [--model DIR]

import ArgumentParser
import BERT
import Foundation
import NotebookSupport
import Plotting
import WordPiece

/// Chapter 04: the masked-language-model objective and its cross-entropy loss.
struct Chapter04: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "Chapter04",
    abstract: "The masked-LM objective: BERT's masking, the cross-entropy at the masks, ln V at the start.")

  @OptionGroup var options: ChapterOptions

  @Option(
    help: ArgumentHelp(
      "A BERT checkpoint folder with a masked-LM head (config.json, model.safetensors, vocab.txt).",
      discussion: "Default: \(notebookCheckpointPath) when chapter 05 has written it."))
  var model: String?

  mutating func run() throws {
    let writer = PlotWriter(rendersImage: !options.noRender, textPreview: options.preview)
    let folder = plotFolder(options.plots)
    printChapterHeading("04", "The masked-LM objective and its loss 掩码语言模型 (seed 2.2 and 4.2)")

    // ------------------------------------------------------------------------------------------
    // 2.2 掩码语言模型 / Masked language model
    //
    // BERT's pretraining task: hide some words of a sentence and train the model to predict
    // them from the words around them, on both sides. To fill the gap in "The quick brown
    // [MASK] jumps over the lazy dog" the model must use "quick brown" before it and "jumps"
    // after it; that is how it learns context and the dependencies between words.
    //
    // 4.2 gives the loss, the cross-entropy between the true word and the predicted
    // distribution:
    //
    //     L = - sum over i of y_i ln(ŷ_i)
    //
    // with y the one-hot vector of the true word and ŷ the model's probabilities.
    // ------------------------------------------------------------------------------------------

    // Step 1. The seed's example: the mask hides "fox" and the model predicts {fox: 0.8,
    // dog: 0.1, cat: 0.1}. Only the true word's term survives the sum: L = -ln 0.8.
    printStep("Step 1: the seed's example, L = -sum y_i ln(ŷ_i)")
    let seed = seedLoss()
    print("\"\(seedMaskedSentence)\", the mask hides \"\(seedAnswer)\"")
    print("word   y   ŷ       y ln ŷ")
    for term in seed.terms {
      print(
        padRight(term.word, 5) + pad(String(term.label), 3) + pad(fixed(term.probability, 1), 5)
          + pad(fixed(term.term), 11))
    }
    print(
      "L = -ln 0.8 = \(fixed(seed.byDefinition)) nats (crossEntropy on logits ln ŷ: \(fixed(seed.fromLogits)))"
    )
    print(
      "had the model said p(fox) = 0.1: L = \(fixed(lossAtMask(trueWordProbability: 0.1))); "
        + "p(fox) = 1: L = 0; the loss only asks how much probability the true word got")

    // Step 2. A sentence has several masks; the loss is the mean over the masked positions.
    // Every other position gets the label -100, which the loss skips.
    //
    // Why only the masked positions? At a visible position the model reads the answer in its
    // input: predicting it is copying, learnable without any context. Counting those positions
    // would reward copying and drown the real task (here, six easy positions at p = 0.99 dilute
    // the loss of the three masks to a third).
    printStep("Step 2: several masks, labels -100 elsewhere")
    let example = maskedPositionsExample()
    let exampleLosses = losses(of: example)
    let inputs = example.words.enumerated().map {
      example.maskedPositions.contains($0.offset) ? "[MASK]" : $0.element
    }
    print("input:  \(inputs.joined(separator: " "))")
    print(
      "labels: \(example.labels.map(String.init).joined(separator: " ")) (ids in the toy vocabulary \(example.vocabulary.joined(separator: " ")))"
    )
    var terms: [String] = []
    for (position, probability) in zip(example.maskedPositions, example.maskedProbabilities) {
      let term = fixed(lossAtMask(trueWordProbability: Double(probability)))
      print(
        "  position \(position) (\(example.words[position])): p = \(fixed(probability, 2)), -ln p = \(term)")
      terms.append(term)
    }
    print("L = (\(terms.joined(separator: " + "))) / \(terms.count) = \(fixed(exampleLosses.masked))")
    print(
      "the visible positions' logits scrambled: L = \(fixed(exampleLosses.maskedWithOtherLogits)) (they do not count)"
    )
    print(
      "if every position counted (visible words at p = \(fixed(example.copyProbability, 2))): "
        + "L = \(fixed(exampleLosses.allPositions))")

    // Step 3. BERT's masking recipe. Of the tokens that are not [CLS], [SEP] or padding, 15%
    // are chosen. Each chosen token becomes [MASK] 80% of the time, a random token 10%, and
    // stays as it was 10%; its label is the original token either way.
    //
    // Aside: why not always [MASK]? Fine-tuning text has no [MASK] tokens. If the model only
    // ever had to predict at [MASK], it could ignore the representation of every real token;
    // the random and unchanged 20% make it keep a good guess for every position.
    printStep("Step 3: BERT's 15% / 80-10-10 masking (seed \(options.seed))")
    let checkpoint = try locateCheckpoint(model).map(PretrainedCheckpoint.init(directory:))
    let corpus = notebookCorpus(seed: options.seed)
    let tokenizer: BertTokenizer
    if let checkpoint {
      tokenizer = try requireTokenizer(checkpoint)
    } else {
      tokenizer = try notebookTokenizer(learnedFrom: corpus)
    }
    let masker = try paperMasker(tokenizer)
    let sentences =
      [seedMaskedSentence.replacingOccurrences(of: "[MASK]", with: seedAnswer)]
      + corpus.sentences.prefix(7)
    let masked = maskSentences(sentences, tokenizer: tokenizer, masker: masker, seed: options.seed)
    for sentence in masked {
      print(sentence.ids.compactMap { tokenizer.vocabulary.token(of: $0) }.joined(separator: " "))
      for position in sentence.masked.maskedPositions {
        let original = tokenizer.vocabulary.token(of: position.originalID) ?? "?"
        let shown = tokenizer.vocabulary.token(of: position.inputID) ?? "?"
        print("  position \(position.position): \(original) -> \(shown) (\(position.replacement.rawValue))")
      }
    }
    let special = tokenizer.specialTokenIDs
    let sample = MaskingTally(masked, specialTokenIDs: special)
    print(
      "these \(masked.count) sentences: \(sample.chosen) of \(sample.candidates) tokens chosen "
        + "(each sentence: round(0.15 x its tokens), at least 1); "
        + "\(sample.mask) [MASK], \(sample.random) random, \(sample.unchanged) unchanged")
    let everything = maskSentences(corpus.sentences, tokenizer: tokenizer, masker: masker, seed: options.seed)
    let tally = MaskingTally(everything, specialTokenIDs: special)
    let shares = tally.shares
    for kind in [MaskReplacement.random, .unchanged]
    where !masked.contains(where: { sentence in
      sentence.masked.maskedPositions.contains { $0.replacement == kind }
    }) {
      if let (sentence, position) = firstReplacement(kind, in: everything) {
        print(
          "  (a \(kind.rawValue) one from further on: \(tokenizer.vocabulary.token(of: position.originalID) ?? "?") -> "
            + "\(tokenizer.vocabulary.token(of: position.inputID) ?? "?") in \"\(tokenizer.decode(sentence.ids, skipSpecialTokens: true))\")"
        )
      }
    }
    print(
      "the whole corpus (\(everything.count) sentences): \(tally.chosen) of \(tally.candidates) chosen "
        + "(\(fixed(shares.chosen * 100, 2))%); [MASK] \(fixed(shares.mask * 100, 2))%, "
        + "random \(fixed(shares.random * 100, 2))%, unchanged \(fixed(shares.unchanged * 100, 2))%")
    print(
      "  (more than 15% chosen: each sentence rounds 0.15 x its tokens to a whole number, at least 1; "
        + "12 tokens give round(1.8) = 2, that is 16.7%)")
    try writeMaskingPlot(tally, to: folder, using: writer)

    // Step 4. Before training, what loss should a model have? Its weights are drawn with
    // standard deviation 0.02, so its logits at a position are all close to 0 (spread
    // s = 0.02 sqrt(H)); softmax of nearly equal logits is nearly uniform, p = 1/V for every
    // token, and -ln(1/V) = ln V. More exactly, the expected loss is about ln V + s^2 / 2.
    // A loss above ln V means a model worse than guessing uniformly; training starts there.
    printStep("Step 4: an untrained model's loss is close to ln V")
    let config = checkpoint?.config ?? standInConfig(vocabularySize: tokenizer.vocabulary.count)
    if checkpoint == nil {
      print(
        "No trained checkpoint at \(notebookCheckpointPath): chapter 05 writes it "
          + "(swift run -c release notebook 05), or pass --model DIR for any BERT folder with a masked-LM head."
      )
      print("Below: a randomly initialised stand-in of chapter 05's shape over the corpus vocabulary.")
    }
    print(
      "config: L = \(config.numHiddenLayers) layers, H = \(config.hiddenSize), "
        + "A = \(config.numAttentionHeads) heads, V = \(config.vocabSize)")
    let untrained = randomMaskedLM(config, seed: options.seed)
    let untrainedLoss = maskedLMLoss(untrained, sentences: masked, padID: tokenizer.padID)
    let lnV = log(Double(config.vocabSize))
    let spread = config.initializerRange * Double(config.hiddenSize).squareRoot()
    print(
      "masked-LM loss of the untrained model on step 3's \(sample.chosen) masks: \(fixed(untrainedLoss.loss))"
    )
    print(
      "ln V = ln \(config.vocabSize) = \(fixed(lnV)); difference \(fixed(Double(untrainedLoss.loss) - lnV))")
    print(
      "logit spread: predicted s = 0.02 x sqrt(\(config.hiddenSize)) = \(fixed(spread)), "
        + "measured \(fixed(untrainedLoss.logitStandardDeviation)); ln V + s^2/2 = \(fixed(lnV + spread * spread / 2))"
    )

    // Step 5. What the models predict at the seed's [MASK]. The untrained model spreads its
    // probability almost evenly (about 1/V each); a trained one puts most of it on a few
    // plausible words.
    printStep("Step 5: the predicted distribution at [MASK]")
    // File names as in chapter 02: `top-k-untrained` for the stand-in, `top-k-notebook-bert*`
    // for chapter 05's checkpoint, `top-k-model*` for a folder given by --model.
    let plotName = checkpoint.map { _ in model == nil ? "top-k-notebook-bert" : "top-k-model" }
    let random = try predictMask(untrained, tokenizer: tokenizer)
    print("\"\(seedMaskedSentence)\": \(random.tokens.joined(separator: " "))")
    printPrediction(random, label: "untrained", vocabularySize: config.vocabSize, seedLoss: seed.byDefinition)
    try writeTopKPlot(
      random, title: "Untrained BERT: top 10 at [MASK] (uniform would be 1/\(config.vocabSize))",
      name: plotName.map { $0 + "-untrained" } ?? "top-k-untrained", to: folder, using: writer)
    if let checkpoint, let plotName {
      let (trained, report) = try checkpoint.load(BertForMaskedLM.self)
      if !report.missing.isEmpty {
        print(
          "note: \(checkpoint.directory.path) lacks \(report.missing.count) tensors of the masked-LM head "
            + "(\(report.missing.prefix(2).joined(separator: ", ")), ...); they are random, and so are its predictions"
        )
      }
      let trainedLoss = maskedLMLoss(trained, sentences: masked, padID: tokenizer.padID)
      print(
        "trained (\(checkpoint.directory.path)): loss on step 3's masks \(fixed(trainedLoss.loss)) (ln V = \(fixed(lnV)))"
      )
      let prediction = try predictMask(trained, tokenizer: tokenizer)
      printPrediction(
        prediction, label: "trained", vocabularySize: config.vocabSize, seedLoss: seed.byDefinition)
      try writeTopKPlot(
        prediction, title: "Trained (\(checkpoint.directory.lastPathComponent)): top 10 at [MASK]",
        name: plotName,
        to: folder, using: writer)
    }
  }

  /// Prints the top predictions and the answer's probability, rank and loss, beside `seedLoss`,
  /// the loss of the seed's model (p = 0.8, step 1).
  func printPrediction(_ prediction: MaskPrediction, label: String, vocabularySize: Int, seedLoss: Double) {
    // Enough decimals to tell the probabilities apart: about 1/V each before training.
    let digits = vocabularySize > 1000 ? 6 : 4
    print("\(label): top \(prediction.top.count) of \(vocabularySize)")
    for (rank, entry) in prediction.top.enumerated() {
      print("  \(pad(String(rank + 1), 2)). \(padRight(entry.token, 12)) \(fixed(entry.probability, digits))")
    }
    if let answer = prediction.answer {
      print(
        "  p(\(seedAnswer)) = \(fixed(answer.probability, digits)), rank \(answer.rank); "
          + "its loss -ln p = \(fixed(lossAtMask(trueWordProbability: Double(answer.probability)))) "
          + "(the seed's model: \(fixed(seedLoss)))"
      )
    }
  }
}

Chapter04.main()
