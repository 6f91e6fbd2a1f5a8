import BERT
import Foundation
import NotebookSupport
import Plotting
import TensorCore
import Testing
import WordPiece

@testable import Chapter05

/// Chapter 05 at its quick size: the corpus split and the vocabulary against direct counts, the
/// unigram-entropy baseline against its definition, the pretraining run against the baseline,
/// the fill-mask ranking, the checkpoint round trip and the plots.
@Suite("Chapter 05: Pretraining")
struct Chapter05Tests {
  /// What the chapter computes before and during training, at `PretrainingSize.quick`.
  struct QuickRun: Sendable {
    let split: CorpusSplit
    let tokenizer: BertTokenizer
    let training: [TrainingExample]
    let heldOut: [TrainingExample]
    let model: PretrainingModel
    let run: PretrainingRun
    /// The bytes of the Trainer's trainer_log.jsonl.
    let log: Data
  }

  static let size = PretrainingSize.quick

  /// One quick run with seed 42, shared by the tests that read a trained model.
  static let quick = Result { try pretrainQuick(seed: 42) }

  /// A fresh folder under the temporary directory; the caller removes it.
  static func temporaryFolder(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("chapter05-\(name)-\(UUID().uuidString)")
  }

  /// The chapter's corpus for `arguments` (e.g. `--seed 42` or `--corpus FILE`), at the quick size.
  static func corpus(_ arguments: [String]) throws -> CorpusSplit {
    try Chapter05.parse(arguments).loadCorpus(size: size)
  }

  /// The chapter's steps 1 to 4 at the quick size, as main.swift runs them without --next-sentence.
  static func pretrainQuick(seed: UInt64) throws -> QuickRun {
    let folder = temporaryFolder("run")
    defer { try? FileManager.default.removeItem(at: folder) }
    let split = try corpus(["--seed", String(seed)])
    let tokenizer = try trainTokenizer(split.trainingSentences, size: size.vocabularySize)
    let training = sentenceExamples(
      split.trainingSentences, tokenizer: tokenizer, maxSequenceLength: size.maxSequenceLength)
    let heldOut = sentenceExamples(
      split.heldOutSentences, tokenizer: tokenizer, maxSequenceLength: size.maxSequenceLength)
    let model = PretrainingModel(
      config: size.config(vocabularySize: tokenizer.vocabulary.count), nextSentence: false, seed: seed)
    let masker = try paperMasker(tokenizer)
    let logs = folder.appendingPathComponent("logs")
    let run = try pretrain(
      model, training: training, heldOut: heldOut, masker: masker, size: size, seed: seed, loggingDir: logs,
      outputDir: folder.appendingPathComponent("output"), progress: .none)
    let log = try Data(contentsOf: logs.appendingPathComponent("trainer_log.jsonl"))
    return QuickRun(
      split: split, tokenizer: tokenizer, training: training, heldOut: heldOut, model: model, run: run,
      log: log)
  }

  /// The masked-LM logits [T, V] of every position of `text`.
  static func logits(_ model: PretrainingModel, _ tokenizer: BertTokenizer, _ text: String) -> Tensor {
    let ids = tokenizer.encode(text).ids
    return model.maskedLMLogits(BertInput(inputIds: [ids]), rows: Array(ids.indices))
  }

  // MARK: - Step 1: the corpus

  @Test(
    "the generated corpus: the last documents held out (30 of 300 at the quick size), the same for a seed")
  func generatedSplit() throws {
    let split = try Self.corpus(["--seed", "42"])
    let documents = PretrainingCorpus(documentCount: Self.size.documentCount, seed: 42).documents
    // The quick size: 300 documents, 10% held out, so 30.
    let heldOut = Int((Double(Self.size.documentCount) * Self.size.heldOutShare).rounded())
    #expect(split.heldOut.count == heldOut, "held out \(split.heldOut.count)")
    #expect(split.training.count == documents.count - heldOut, "training \(split.training.count)")
    #expect(split.training + split.heldOut == documents)
    #expect(split.trainingSentences == split.training.flatMap { $0 })
    #expect(split.heldOutSentences.count == split.heldOut.reduce(0) { $0 + $1.count })
    #expect(split.trainingSentences.count + split.heldOutSentences.count == documents.joined().count)
    #expect(split.source.contains("seed 42"))
    let again = try Self.corpus(["--seed", "42"])
    #expect(again.training == split.training && again.heldOut == split.heldOut)
    let other = try Self.corpus(["--seed", "43"])
    #expect(other.training != split.training)
  }

  @Test(
    "the stand-in of chapters 02 and 04: L = 2 layers, H = 128, A = 2 heads, V = 400, this chapter's shape")
  func standInShape() {
    let standIn = standInConfig(vocabularySize: notebookVocabularySize)
    // As the chapters print it: "config: L = 2 layers, H = 128, A = 2 heads, V = 400".
    #expect(
      "config: L = \(standIn.numHiddenLayers) layers, H = \(standIn.hiddenSize), "
        + "A = \(standIn.numAttentionHeads) heads, V = \(standIn.vocabSize)"
        == "config: L = 2 layers, H = 128, A = 2 heads, V = 400")
    // The shape this chapter pretrains at its standard size, over the same vocabulary size.
    let pretrained = PretrainingSize.standard.config(vocabularySize: notebookVocabularySize)
    #expect(PretrainingSize.standard.vocabularySize == notebookVocabularySize)
    #expect(
      standIn.numHiddenLayers == pretrained.numHiddenLayers && standIn.hiddenSize == pretrained.hiddenSize)
    #expect(standIn.numAttentionHeads == pretrained.numAttentionHeads)
    #expect(standIn.intermediateSize == pretrained.intermediateSize)
    #expect(standIn.maxPositionEmbeddings == pretrained.maxPositionEmbeddings)
    #expect(standIn.vocabSize == pretrained.vocabSize)
  }

  @Test("the share is rounded, at least one document and at most all but one is held out")
  func heldOutCounts() throws {
    let documents = (0..<10).map { ["sentence \($0) ."] }
    // 10 x 0.05 = 0.5 rounds to 1; 10 x 0.26 = 2.6 rounds to 3; 10 x 0.01 = 0.1 is raised to 1;
    // 10 x 1.0 = 10 is lowered to 9, so one document still trains.
    for (share, expected) in [(0.05, 1), (0.26, 3), (0.01, 1), (1.0, 9)] {
      let split = try CorpusSplit(documents: documents, heldOutShare: share, source: "ten")
      #expect(split.heldOut.count == expected, "share \(share): \(split.heldOut.count) held out")
      #expect(split.training.count + split.heldOut.count == 10)
      #expect(split.heldOut == Array(documents.suffix(expected)))
    }
    #expect {
      try CorpusSplit(documents: [["only one ."]], heldOutShare: 0.1, source: "tiny.txt")
    } throws: { error in
      "\(error)".contains("tiny.txt") && "\(error)".contains("1 document")
    }
  }

  @Test("--corpus FILE: documents separated by blank lines, the last one held out")
  func userCorpus() throws {
    let folder = Self.temporaryFolder("corpus")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("corpus.txt")
    try "the cat sleeps .\nthe dog runs .\n\n\nthe fox jumps .\n\n  the owl sings .  \nthe bear eats .\n"
      .write(to: file, atomically: true, encoding: .utf8)
    let split = try Self.corpus(["--corpus", file.path])
    // Three documents; 3 x 0.1 = 0.3 rounds to 0, raised to 1.
    #expect(split.training == [["the cat sleeps .", "the dog runs ."], ["the fox jumps ."]])
    #expect(split.heldOut == [["the owl sings .", "the bear eats ."]])
    #expect(split.source == file.path)
    let single = folder.appendingPathComponent("single.txt")
    try "one document .\nstill the same one .\n".write(to: single, atomically: true, encoding: .utf8)
    #expect {
      try Self.corpus(["--corpus", single.path])
    } throws: { error in
      "\(error)".contains(single.path)
    }
  }

  // MARK: - Step 1b: the vocabulary and the examples

  @Test("the tokenizer: the five special tokens first, V word pieces in all (200 at the quick size)")
  func tokenizer() throws {
    let quick = try Self.quick.get()
    let tokens = quick.tokenizer.vocabulary.tokens
    #expect(Array(tokens.prefix(5)) == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    #expect(tokens.count == Self.size.vocabularySize, "V = \(tokens.count)")
    #expect(Set(tokens).count == tokens.count)
    #expect(quick.tokenizer.specialTokenIDs == [0, 1, 2, 3, 4])
    #expect(
      quick.tokenizer.maskID == 4 && quick.tokenizer.classifierID == 2 && quick.tokenizer.separatorID == 3)
  }

  @Test("wordCoverage counts the distinct space-separated words and those that are one vocabulary entry")
  func coverage() throws {
    let quick = try Self.quick.get()
    let sentences = quick.split.trainingSentences
    // The corpus is lower case with words and punctuation separated by single spaces, so the
    // words are the space-separated fields.
    let words = Set(sentences.flatMap { $0.split(separator: " ").map(String.init) })
    let entries = Set(quick.tokenizer.vocabulary.tokens)
    let whole = words.filter { entries.contains($0) }.count
    let coverage = wordCoverage(sentences, tokenizer: quick.tokenizer)
    #expect(coverage.words == words.count, "\(coverage.words) words, counted \(words.count)")
    #expect(coverage.whole == whole, "\(coverage.whole) whole, counted \(whole)")
    #expect(whole > 0 && whole < words.count)
    #expect(wordCoverage(["Fox, fox... FOX!"], tokenizer: quick.tokenizer).words == 4)
  }

  @Test("one example per sentence: [CLS] pieces [SEP], at most maxSequenceLength tokens")
  func examples() throws {
    let quick = try Self.quick.get()
    let tokenizer = quick.tokenizer
    let sentences = quick.split.trainingSentences
    let longest = Self.size.maxSequenceLength
    #expect(quick.training.count == sentences.count)
    #expect(quick.heldOut.count == quick.split.heldOutSentences.count)
    for (sentence, example) in zip(sentences, quick.training) {
      let pieces = tokenizer.tokenIDs(sentence)
      #expect(example.count <= longest)
      if pieces.count <= longest - 2 {
        #expect(
          example.inputIDs == [tokenizer.classifierID] + pieces + [tokenizer.separatorID], "\(sentence)")
      } else {
        #expect(
          example.inputIDs == [tokenizer.classifierID] + pieces.prefix(longest - 2) + [tokenizer.separatorID])
      }
    }
    #expect(sentenceExamples([""], tokenizer: tokenizer, maxSequenceLength: longest).isEmpty)
  }

  // MARK: - The baseline

  @Test("unigram entropy by hand: two tokens of each of two words is ln 2, four words once each is ln 4")
  func entropyByHand() {
    let special: Set<Int> = [2, 3]
    let pairs = [TrainingExample(inputIDs: [2, 5, 6, 5, 3]), TrainingExample(inputIDs: [2, 6, 3])]
    let four = [TrainingExample(inputIDs: [2, 5, 6, 7, 8, 3])]
    #expect(abs(unigramEntropy(pairs, specialTokenIDs: special) - log(2.0)) < 1e-12)
    #expect(abs(unigramEntropy(four, specialTokenIDs: special) - log(4.0)) < 1e-12)
    #expect(unigramEntropy([TrainingExample(inputIDs: [2, 3])], specialTokenIDs: special) == 0)
  }

  @Test("unigram entropy of the corpus = ln N - (1/N) sum c ln c from the token counts, in (0, ln V)")
  func entropyOfCorpus() throws {
    let quick = try Self.quick.get()
    let special = quick.tokenizer.specialTokenIDs
    var counts = [Int](repeating: 0, count: quick.tokenizer.vocabulary.count)
    for example in quick.training {
      for id in example.inputIDs where !special.contains(id) { counts[id] += 1 }
    }
    let n = Double(counts.reduce(0, +))
    let expected = log(n) - counts.reduce(0.0) { $0 + ($1 > 0 ? Double($1) * log(Double($1)) : 0) } / n
    let entropy = unigramEntropy(quick.training, specialTokenIDs: special)
    #expect(abs(entropy - expected) < 1e-9, "H \(entropy), by counts \(expected)")
    let lnV = log(Double(quick.tokenizer.vocabulary.count))
    #expect(entropy > 0 && entropy < lnV, "H \(entropy), ln V \(lnV)")
  }

  // MARK: - Steps 2 to 4: the run

  @Test("the quick run: the held-out loss starts near ln V and ends below its start and below the baseline")
  func quickRunLearns() throws {
    let quick = try Self.quick.get()
    let run = quick.run
    let baseline = unigramEntropy(quick.training, specialTokenIDs: quick.tokenizer.specialTokenIDs)
    let lnV = log(Double(quick.tokenizer.vocabulary.count))
    // Untrained, every logit is near 0 (weights of spread 0.02), so the loss is near ln V.
    #expect(abs(run.initialHeldOutLoss - lnV) < 0.1, "initial \(run.initialHeldOutLoss), ln V \(lnV)")
    // Evaluations at step 0 and every evalSteps (0, 40, 80, 120 at the quick size); a training
    // loss every loggingSteps (5).
    let size = Self.size
    #expect(
      run.heldOutLosses.map(\.step) == [0]
        + Array(stride(from: size.evalSteps, through: size.steps, by: size.evalSteps)))
    #expect(
      run.trainingLosses.map(\.step)
        == Array(stride(from: size.loggingSteps, through: size.steps, by: size.loggingSteps)))
    #expect(run.finalHeldOutLoss == run.heldOutLosses.last?.loss)
    #expect(
      run.finalHeldOutLoss < run.initialHeldOutLoss,
      "held-out \(run.initialHeldOutLoss) -> \(run.finalHeldOutLoss)")
    #expect(run.finalHeldOutLoss < baseline, "final held-out \(run.finalHeldOutLoss), baseline \(baseline)")
    // Each logged loss is the mean of its loggingSteps steps; the windows are equal (5 steps, 24
    // of them at the quick size), so their mean is the mean over all the steps.
    #expect(size.steps % size.loggingSteps == 0)
    let mean = run.trainingLosses.map(\.loss).reduce(0, +) / Double(run.trainingLosses.count)
    #expect(abs(run.meanTrainingLoss - mean) < 1e-9, "mean \(run.meanTrainingLoss), of the logged \(mean)")
  }

  @Test("the same seed trains to the same losses and writes the same log bytes")
  func quickRunIsDeterministic() throws {
    let first = try Self.quick.get()
    let second = try Self.pretrainQuick(seed: 42)
    #expect(second.run.initialHeldOutLoss == first.run.initialHeldOutLoss)
    #expect(second.run.history == first.run.history)
    #expect(second.run.meanTrainingLoss == first.run.meanTrainingLoss)
    #expect(second.log == first.log && !first.log.isEmpty)
    let difference = Self.logits(second.model, second.tokenizer, foxSentence).maxAbsDifference(
      Self.logits(first.model, first.tokenizer, foxSentence))
    #expect(difference == 0, "max difference \(difference)")
  }

  // MARK: - Fill-mask

  @Test("fill-mask: a distribution over V, sorted, and the rank of fox consistent with it")
  func fillMaskRanking() throws {
    let quick = try Self.quick.get()
    let tokenizer = quick.tokenizer
    let result = try fillMask(foxSentence, model: quick.model, tokenizer: tokenizer)
    let probabilities = result.ranking.map(\.probability)
    #expect(result.ranking.count == tokenizer.vocabulary.count)
    #expect(Set(result.ranking.map(\.id)) == Set(0..<tokenizer.vocabulary.count))
    #expect(result.ranking.allSatisfy { tokenizer.vocabulary.tokens[$0.id] == $0.token })
    #expect(probabilities.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(zip(probabilities, probabilities.dropFirst()).allSatisfy { $0 >= $1 })
    #expect(abs(probabilities.reduce(0, +) - 1) < 1e-9)
    let top = result.top(5)
    #expect(top == Array(result.ranking.prefix(5)))
    #expect(top.map(\.probability).reduce(0, +) <= 1)
    #expect(result.tokens == tokenizer.encode(foxSentence).tokens)
    #expect(result.tokens.filter { $0 == "[MASK]" }.count == 1)

    let fox = try #require(result.rank(of: foxWord))
    #expect(result.ranking[fox.rank - 1].token == foxWord)
    let above = probabilities.filter { $0 > fox.probability }.count
    #expect(fox.rank == above + 1, "rank \(fox.rank), \(above) tokens more probable")
    #expect(result.rank(of: "no-such-piece") == nil)

    // The probabilities from the whole-sequence logits, softmax in Double by hand.
    guard case .maskedLM(let model) = quick.model else {
      Issue.record("the quick run trains BertForMaskedLM")
      return
    }
    let ids = tokenizer.encode(foxSentence).ids
    let position = try #require(ids.firstIndex(of: tokenizer.maskID ?? -1))
    let logits = model.predict(BertInput(inputIds: [ids])).logits  // [1, T, V]
    let v = tokenizer.vocabulary.count
    let row = logits.scalars[(position * v)..<((position + 1) * v)].map(Double.init)
    let largest = row.max() ?? 0
    let total = row.reduce(0) { $0 + exp($1 - largest) }
    let worst = result.ranking.map { abs($0.probability - exp(row[$0.id] - largest) / total) }.max() ?? 1
    #expect(worst < 1e-6, "max difference \(worst)")
  }

  @Test("fill-mask needs exactly one [MASK]")
  func fillMaskErrors() throws {
    let quick = try Self.quick.get()
    for (text, count) in [("the quick brown fox .", 0), ("the [MASK] brown [MASK] .", 2)] {
      #expect {
        try fillMask(text, model: quick.model, tokenizer: quick.tokenizer)
      } throws: { error in
        "\(error)".contains("it has \(count)")
      }
    }
  }

  // MARK: - The checkpoint

  @Test("the checkpoint folder has its four files and reloads to identical masked-LM logits")
  func checkpointRoundTrip() throws {
    let quick = try Self.quick.get()
    let root = Self.temporaryFolder("checkpoint")
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = root.appendingPathComponent("notebook-bert")
    try saveCheckpoint(quick.model, tokenizer: quick.tokenizer, to: folder)
    for name in ["config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"] {
      #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name)")
    }
    #expect(checkpointFiles == ["config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"])
    let vocab = try String(contentsOf: folder.appendingPathComponent("vocab.txt"), encoding: .utf8)
    #expect(vocab.split(separator: "\n").map(String.init) == quick.tokenizer.vocabulary.tokens)
    let config = try String(contentsOf: folder.appendingPathComponent("config.json"), encoding: .utf8)
    #expect(config.contains("\"BertForMaskedLM\""))

    let (model, tokenizer) = try loadCheckpoint(from: folder)
    guard case .maskedLM = model else {
      Issue.record("a BertForMaskedLM checkpoint must load as .maskedLM")
      return
    }
    #expect(tokenizer.vocabulary.tokens == quick.tokenizer.vocabulary.tokens)
    for text in [foxSentence, quick.split.heldOutSentences[0]] {
      let difference = Self.logits(model, tokenizer, text).maxAbsDifference(
        Self.logits(quick.model, quick.tokenizer, text))
      #expect(difference <= 1e-6, "\(text): max difference \(difference)")
    }

    // Without vocab.txt the folder is not a chapter checkpoint.
    let bare = root.appendingPathComponent("bare")
    guard case .maskedLM(let trained) = quick.model else { return }
    try trained.savePretrained(to: bare)
    #expect {
      try loadCheckpoint(from: bare)
    } throws: { error in
      "\(error)".contains("vocab.txt") && "\(error)".contains(bare.lastPathComponent)
    }
  }

  // MARK: - Plots

  @Test("polarity leans by hand: cosines to the seen centroids, the sign, and a word split into pieces")
  func polarityLeansByHand() throws {
    // A vocabulary of the seen adjectives, two held-out ones, and H = 2 vectors set by hand:
    // every seen positive word at (1, 0), every seen negative one at (0, 1).
    let seen = Lexicon.positiveSeen + Lexicon.negativeSeen
    let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + seen + ["superb", "dreadful"]
    var scalars = [Float](repeating: 0, count: 2 * tokens.count)
    for (offset, word) in seen.enumerated() {
      let row = 5 + offset
      scalars[2 * row + (Lexicon.positiveSeen.contains(word) ? 0 : 1)] = 1
    }
    // superb = (3, 1): cos to (1, 0) is 3/sqrt(10), to (0, 1) is 1/sqrt(10).
    let superb = tokens.count - 2
    (scalars[2 * superb], scalars[2 * superb + 1]) = (3, 1)
    // dreadful = (1, -2): cos to (1, 0) is 1/sqrt(5), to (0, 1) is -2/sqrt(5); it leans the wrong way.
    let dreadful = tokens.count - 1
    (scalars[2 * dreadful], scalars[2 * dreadful + 1]) = (1, -2)
    let table = Tensor(shape: [tokens.count, 2], scalars: scalars)
    let leans = try #require(polarityLeans(embeddings: table, vocabulary: Vocabulary(tokens: tokens)))

    #expect(leans.map(\.word) == heldOutPolarityWords.map(\.word))
    let bySuperb = try #require(leans.first { $0.word == "superb" })
    let superbLean = try #require(bySuperb.lean)
    #expect(abs(superbLean - 2 / 10.0.squareRoot()) < 1e-12, "lean(superb) = \(superbLean)")
    #expect(bySuperb.isPositive && bySuperb.leansRightWay)
    let byDreadful = try #require(leans.first { $0.word == "dreadful" })
    let dreadfulLean = try #require(byDreadful.lean)
    #expect(abs(dreadfulLean - 3 / 5.0.squareRoot()) < 1e-12, "lean(dreadful) = \(dreadfulLean)")
    #expect(!byDreadful.isPositive && !byDreadful.leansRightWay)
    // Words the vocabulary lacks have no lean and never count as leaning the right way.
    let missing = leans.filter { $0.word != "superb" && $0.word != "dreadful" }
    #expect(missing.allSatisfy { $0.lean == nil && !$0.leansRightWay })

    // Without the seen adjectives (a user's own corpus) there is nothing to measure.
    let bare = Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "superb"])
    #expect(polarityLeans(embeddings: Tensor(zeros: [6, 2]), vocabulary: bare) == nil)
  }

  @Test("the plots: loss.gp with both curves and the baseline, the fill-mask charts with the top 5")
  func plots() throws {
    let root = Self.temporaryFolder("plots")
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = plotFolder(root.path)
    #expect(folder.path == root.appendingPathComponent("05-pretraining").path)
    let writer = PlotWriter(rendersImage: false, printsToTerminal: false)

    var history: [LogRecord] = []
    for (step, loss) in [(5, 4.875), (10, 4.3125), (15, 3.6875), (20, 3.25)] {
      var record = LogRecord(step: step, epoch: Double(step) / 20)
      record.set("loss", loss)
      history.append(record)
    }
    var evaluation = LogRecord(step: 20, epoch: 1)
    evaluation.set("eval_loss", 3.4375)
    history.append(evaluation)
    let run = PretrainingRun(initialHeldOutLoss: 5.3125, history: history, meanTrainingLoss: 4)
    let loss = try writeLossPlot(run, baseline: 3.90625, nextSentence: false, to: folder, using: writer)
    #expect(loss.script == folder.appendingPathComponent("loss.gp") && !loss.isRendered)
    let lossText = try String(contentsOf: loss.script, encoding: .utf8)
    for value in [4.875, 4.3125, 3.6875, 3.25, 5.3125, 3.4375, 3.90625] {
      #expect(lossText.contains(GnuplotSyntax.number(value)), "loss.gp lacks \(value)")
    }
    #expect(lossText.contains("unigram entropy") && lossText.contains("held-out"))

    func result(_ probabilities: [Double]) -> FillMaskResult {
      let words = ["fox", "dog", "cat", "owl", "bear", "mouse"]
      return FillMaskResult(
        tokens: ["[CLS]", "[MASK]", "[SEP]"],
        ranking: zip(words, probabilities).enumerated().map {
          FillMaskCandidate(token: $0.element.0, id: $0.offset, probability: $0.element.1)
        })
    }
    let before = result([0.1875, 0.171875, 0.15625, 0.140625, 0.125, 0.109375])
    let after = result([0.8125, 0.0625, 0.046875, 0.03125, 0.015625, 0.0078125])
    let charts = try writeFillMaskPlots(before: before, after: after, to: folder, using: writer)
    #expect(charts.map(\.script.lastPathComponent) == ["fill-mask-before.gp", "fill-mask-after.gp"])
    for (chart, candidates) in zip(charts, [before, after]) {
      let text = try String(contentsOf: chart.script, encoding: .utf8)
      for candidate in candidates.top(5) {
        #expect(text.contains(GnuplotSyntax.number(candidate.probability)) && text.contains(candidate.token))
      }
      #expect(!text.contains("mouse"), "\(chart.script.lastPathComponent) shows the sixth candidate")
    }

    // A second run writes the same bytes.
    let first = try [loss.script, charts[0].script, charts[1].script].map { try Data(contentsOf: $0) }
    try writeLossPlot(run, baseline: 3.90625, nextSentence: false, to: folder, using: writer)
    try writeFillMaskPlots(before: before, after: after, to: folder, using: writer)
    let second = try [loss.script, charts[0].script, charts[1].script].map { try Data(contentsOf: $0) }
    #expect(first == second)
  }
}
