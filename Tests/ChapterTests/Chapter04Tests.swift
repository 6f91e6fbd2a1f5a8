import BERT
import Foundation
import NotebookSupport
import Plotting
import Testing
import WordPiece

@testable import Chapter04

/// Chapter 04's losses against hand-computed values, its masking against the masker and the
/// 80/10/10 recipe, and the untrained model's loss against ln V.
@Suite("Chapter 04: The masked-LM objective and its loss")
struct Chapter04Tests {
  static let corpus = NotebookFixtures.corpus
  static let tokenizer = NotebookFixtures.tokenizer

  /// The chapter's eight sentences: the seed's, unmasked, and the corpus's first seven.
  static let sentences =
    [seedMaskedSentence.replacingOccurrences(of: "[MASK]", with: seedAnswer)] + corpus.sentences.prefix(7)
  /// BERT's masker over the notebook's vocabulary.
  static let masker = Result { try paperMasker(tokenizer) }
  /// The eight sentences masked as the chapter's step 3 masks them (seed 42).
  static let sample = Result {
    try maskSentences(sentences, tokenizer: tokenizer, masker: masker.get(), seed: 42)
  }
  /// The stand-in of the chapter's steps 4 and 5: chapter 05's shape, random weights from seed 42.
  static let standIn = randomMaskedLM(standInConfig(vocabularySize: tokenizer.vocabulary.count), seed: 42)
  /// What the stand-in predicts at the seed's [MASK] (step 5).
  static let standInPrediction = Result { try predictMask(standIn, tokenizer: tokenizer) }

  // MARK: - The loss by hand

  @Test("the seed's example: L = -ln 0.8 = 0.2231")
  func seedExample() {
    let loss = seedLoss()
    #expect(abs(loss.byDefinition - 0.22314355) < 1e-7)
    #expect(abs(Double(loss.fromLogits) - 0.22314355) < 1e-6)
    #expect(fixed(loss.byDefinition) == "0.2231")
    #expect(loss.terms.map(\.label) == [1, 0, 0] && loss.terms[1].term == 0 && loss.terms[2].term == 0)
    #expect(seedPrediction.map(\.probability).reduce(0, +) == 1)
  }

  @Test("three masks: L = (-ln 0.8 - ln 0.5 - ln 0.25) / 3 = ln 10 / 3; the visible rows do not count")
  func severalMasks() {
    let example = maskedPositionsExample()
    let losses = losses(of: example)
    // 0.8 x 0.5 x 0.25 = 0.1, so the three terms add up to ln 10.
    #expect(abs(Double(losses.masked) - log(10.0) / 3) < 1e-5, "\(losses.masked)")
    #expect(abs(Double(losses.masked) - 0.767528) < 1e-5)
    #expect(losses.maskedWithOtherLogits == losses.masked)
    // Every position counted: the three masks plus six visible words at p = 0.99.
    #expect(abs(Double(losses.allPositions) - (log(10.0) - 6 * log(0.99)) / 9) < 1e-5)
    #expect(example.labels.filter { $0 != -100 }.count == 3)
    // As printed: the labels line and the three terms -ln p.
    #expect(example.labels.map(String.init).joined(separator: " ") == "-100 -100 -100 3 -100 5 -100 -100 7")
    let terms = example.maskedProbabilities.map { fixed(lossAtMask(trueWordProbability: Double($0))) }
    #expect(terms == ["0.2231", "0.6931", "1.3863"])
    // The logits give the intended probabilities.
    let probabilities = softmax(example.logits)
    let width = example.vocabulary.count
    for (position, p) in zip(example.maskedPositions, example.maskedProbabilities) {
      let label = example.labels[position]
      #expect(abs(probabilities.scalars[position * width + label] - p) < 1e-6)
    }
  }

  @Test("p(fox) = 0.1 costs L = -ln 0.1 = ln 10 = 2.3026, as crossEntropy finds; p(fox) = 1 costs 0")
  func unlikelyAnswer() {
    let loss = lossAtMask(trueWordProbability: 0.1)
    #expect(abs(loss - 2.3026) < 0.00005, "\(loss)")
    #expect(abs(loss - log(10.0)) < 1e-12)
    // The seed's three words with fox at 0.1 and the rest shared, through the loss on logits ln p.
    let logits = Tensor(shape: [1, 3], scalars: [log(Float(0.1)), log(Float(0.45)), log(Float(0.45))])
    #expect(abs(Double(crossEntropy(logits, labels: [0]).loss) - loss) < 1e-6)
    #expect(lossAtMask(trueWordProbability: 1) == 0)
  }

  @Test("the scramble rotates every visible row by one place and keeps the masked ones")
  func scrambledRows() {
    let example = maskedPositionsExample()
    let scrambled = scrambledVisibleRows(example)
    #expect(scrambled.shape == example.logits.shape)
    let width = example.vocabulary.count
    #expect(width == 9)
    var changed: [Int] = []
    for position in example.words.indices {
      let row = Array(example.logits.scalars[(position * width)..<((position + 1) * width)])
      let after = Array(scrambled.scalars[(position * width)..<((position + 1) * width)])
      if example.maskedPositions.contains(position) {
        #expect(after == row, "masked position \(position)")
      } else {
        #expect(after == (0..<width).map { row[($0 + 1) % width] }, "visible position \(position)")
      }
      if after != row { changed.append(position) }
    }
    // A row holds ln 0.99 at its word's column and one smaller value elsewhere: rotated, its
    // largest value sits on another word, in every visible row.
    #expect(changed == example.words.indices.filter { !example.maskedPositions.contains($0) })
    #expect(changed.count == 6)
    // Counted at every position, the scrambled rows would cost -ln(0.01 / 8) each instead of
    // -ln 0.99: the loss of the masks alone is the one that does not move.
    let allLabels = example.words.map { example.vocabulary.firstIndex(of: $0.lowercased()) ?? -1 }
    let expected = (log(10.0) - 6 * log(0.01 / 8)) / 9
    let allPositions = Double(crossEntropy(scrambled, labels: allLabels).loss)
    #expect(abs(allPositions - expected) < 1e-5, "\(allPositions) vs \(expected)")
    #expect(abs(Double(losses(of: example).maskedWithOtherLogits) - 0.7675) < 0.00005)
  }

  // MARK: - Masking

  @Test("the chapter's masking is the masker's, draw for draw, and follows the recipe")
  func maskingFollowsTheRecipe() throws {
    let masker = try Self.masker.get()
    let masked = try Self.sample.get()
    var rng = RandomGenerator(seed: 42)
    let special = Self.tokenizer.specialTokenIDs
    let maskID = try #require(Self.tokenizer.maskID)
    for (sentence, result) in zip(Self.sentences, masked) {
      let ids = Self.tokenizer.encode(sentence).ids
      #expect(result.ids == ids)
      #expect(result.masked == masker.mask(ids, using: &rng))
      // 15%: round(0.15 x candidates), at least one.
      let candidates = ids.filter { !special.contains($0) }.count
      #expect(result.masked.maskedPositions.count == max(1, Int((0.15 * Double(candidates)).rounded())))
      for position in result.masked.maskedPositions {
        #expect(!special.contains(ids[position.position]))
        #expect(position.originalID == ids[position.position])
        #expect(result.masked.labels[position.position] == ids[position.position])
        switch position.replacement {
        case .mask: #expect(position.inputID == maskID)
        case .unchanged: #expect(position.inputID == position.originalID)
        case .random: #expect((0..<Self.tokenizer.vocabulary.count).contains(position.inputID))
        }
        #expect(result.masked.inputIDs[position.position] == position.inputID)
      }
      let chosen = Set(result.masked.maskedPositions.map(\.position))
      for index in ids.indices where !chosen.contains(index) {
        #expect(result.masked.labels[index] == -100 && result.masked.inputIDs[index] == ids[index])
      }
    }
  }

  @Test("the eight sentences: 16 of 101 tokens chosen, 14 [MASK], 0 random, 2 unchanged, counted by a loop")
  func sampleTally() throws {
    let masked = try Self.sample.get()
    let special = Self.tokenizer.specialTokenIDs
    let tally = MaskingTally(masked, specialTokenIDs: special)
    #expect(masked.count == 8)
    #expect(tally.candidates == 101 && tally.chosen == 16)
    #expect(tally.mask == 14 && tally.random == 0 && tally.unchanged == 2)
    let maskID = try #require(Self.tokenizer.maskID)
    var counts = (candidates: 0, chosen: 0, mask: 0, random: 0, unchanged: 0)
    for sentence in masked {
      for id in sentence.ids where !special.contains(id) { counts.candidates += 1 }
      for (index, label) in sentence.masked.labels.enumerated() where label != -100 {
        counts.chosen += 1
        // What the model reads there: [MASK], the token itself, or another one.
        let input = sentence.masked.inputIDs[index]
        if input == maskID {
          counts.mask += 1
        } else if input == sentence.ids[index] {
          counts.unchanged += 1
        } else {
          counts.random += 1
        }
      }
    }
    #expect(counts.candidates == 101 && counts.chosen == 16)
    #expect(counts.mask == 14 && counts.random == 0 && counts.unchanged == 2)
  }

  @Test("the corpus: 17283 of 102959 chosen; 13810 [MASK], 1739 random, 1734 unchanged: near 80/10/10")
  func corpusCounts() throws {
    let everything = try maskSentences(
      Self.corpus.sentences, tokenizer: Self.tokenizer, masker: Self.masker.get(), seed: 42)
    let special = Self.tokenizer.specialTokenIDs
    let tally = MaskingTally(everything, specialTokenIDs: special)
    #expect(everything.count == 8675)
    #expect(tally.chosen == 17283 && tally.candidates == 102959)
    #expect(tally.mask == 13810 && tally.random == 1739 && tally.unchanged == 1734)
    // The tally against the masker's records and the sentences' tokens.
    let records = everything.flatMap(\.masked.maskedPositions)
    #expect(tally.chosen == records.count)
    #expect(tally.mask == records.filter { $0.replacement == .mask }.count)
    #expect(tally.random == records.filter { $0.replacement == .random }.count)
    #expect(tally.unchanged == records.filter { $0.replacement == .unchanged }.count)
    #expect(tally.random + tally.unchanged + tally.mask == tally.chosen)
    #expect(tally.candidates == everything.reduce(0) { $0 + $1.ids.filter { !special.contains($0) }.count })
    // The chosen share is the sum of each sentence's rounded 15%.
    let expectedChosen = everything.reduce(0) { sum, sentence in
      sum + max(1, Int((0.15 * Double(sentence.ids.filter { !special.contains($0) }.count)).rounded()))
    }
    #expect(tally.chosen == expectedChosen)
    // With about 17,000 draws, each share is within 0.02 of the recipe (more than 5 standard errors).
    let shares = tally.shares
    #expect(tally.chosen > 10_000)
    #expect(
      abs(shares.mask - 0.8) < 0.02 && abs(shares.random - 0.1) < 0.02 && abs(shares.unchanged - 0.1) < 0.02)
    // The printed percentages: 16.79% chosen; 79.91% [MASK], 10.06% random, 10.03% unchanged.
    let printed = [
      (shares.chosen, 16.79), (shares.mask, 79.91), (shares.random, 10.06), (shares.unchanged, 10.03),
    ]
    for (share, percent) in printed {
      #expect(abs(share * 100 - percent) < 0.005, "\(share * 100)% printed as \(percent)%")
    }
    let random = try #require(firstReplacement(.random, in: everything))
    #expect(random.1.replacement == .random)
  }

  @Test("a padded batch: padding has attention 0 and label -100")
  func padding() {
    let masker = MaskedLanguageModelMasker(
      maskTokenID: 4, vocabularySize: 20, specialTokenIDs: [0, 1, 2, 3, 4])
    var rng = RandomGenerator(seed: 1)
    let short = [2, 10, 3]
    let long = [2, 10, 11, 12, 13, 14, 3]
    let sentences = [short, long].map { MaskedSentence(ids: $0, masked: masker.mask($0, using: &rng)) }
    let (input, labels) = batch(sentences, padID: 0)
    #expect(input.batchSize == 2 && input.sequenceLength == 7)
    #expect(input.inputIds == sentences[0].masked.inputIDs + [0, 0, 0, 0] + sentences[1].masked.inputIDs)
    #expect(input.attentionMask == [1, 1, 1, 0, 0, 0, 0] + [Int](repeating: 1, count: 7))
    #expect(labels == sentences[0].masked.labels + [-100, -100, -100, -100] + sentences[1].masked.labels)
  }

  // MARK: - The untrained model

  @Test(
    "the stand-in's loss on 16 masks, 6.0250, is within 0.1 of ln V and 0.05 of ln V + s^2/2; spread 0.2313")
  func untrainedLoss() throws {
    let masked = try Self.sample.get()
    #expect(masked.reduce(0) { $0 + $1.masked.maskedPositions.count } == 16)
    let config = standInConfig(vocabularySize: Self.tokenizer.vocabulary.count)
    let model = Self.standIn
    let result = maskedLMLoss(model, sentences: masked, padID: Self.tokenizer.padID)
    let lnV = log(Double(config.vocabSize))
    let spread = 0.02 * Double(config.hiddenSize).squareRoot()
    #expect(abs(Double(result.loss) - lnV) < 0.1, "loss \(result.loss), ln V \(lnV)")
    #expect(abs(Double(result.loss) - (lnV + spread * spread / 2)) < 0.05)
    #expect(abs(result.logitStandardDeviation - spread) < 0.15 * spread, "\(result.logitStandardDeviation)")
    // As printed.
    #expect(abs(Double(result.loss) - 6.0250) < 0.00005, "\(result.loss)")
    #expect(abs(Double(result.loss) - log(400) - 0.0336) < 0.00005)
    #expect(abs(result.logitStandardDeviation - 0.2313) < 0.00005, "\(result.logitStandardDeviation)")

    // The same loss from every position's logits, by log-softmax in Double at the labelled rows.
    let (input, labels) = batch(masked, padID: Self.tokenizer.padID)
    let logits = model.predict(input).logits  // [B, T, V]
    let v = config.vocabSize
    var total = 0.0
    var count = 0
    for (row, label) in labels.enumerated() where label != -100 {
      let z = logits.scalars[(row * v)..<((row + 1) * v)].map(Double.init)
      let largest = z.max() ?? 0
      let logSum = largest + log(z.reduce(0) { $0 + exp($1 - largest) })
      total += logSum - z[label]
      count += 1
    }
    #expect(abs(total / Double(count) - Double(result.loss)) < 1e-4)
  }

  @Test("the prediction at [MASK]: a sorted distribution, nearly uniform untrained; p(fox) 0.0020, rank 312")
  func predictionAtMask() throws {
    let config = standInConfig(vocabularySize: Self.tokenizer.vocabulary.count)
    let prediction = try Self.standInPrediction.get()
    #expect(prediction.tokens[prediction.maskIndex] == "[MASK]")
    #expect(abs(prediction.probabilities.reduce(0, +) - 1) < 1e-5)
    #expect(prediction.top.count == 10)
    #expect(zip(prediction.top, prediction.top.dropFirst()).allSatisfy { $0.probability >= $1.probability })
    #expect(prediction.top[0].probability == prediction.probabilities.max())
    let answer = try #require(prediction.answer)
    #expect(answer.rank == prediction.probabilities.filter { $0 > answer.probability }.count + 1)
    // As printed.
    #expect(answer.rank == 312 && abs(Double(answer.probability) - 0.0020) < 0.00005)
    #expect(abs(lossAtMask(trueWordProbability: Double(answer.probability)) - 6.1985) < 0.00005)
    // Untrained: no token gets more than three times the uniform 1/V.
    #expect(prediction.top[0].probability < 3 / Float(config.vocabSize))
    // The top ten as printed, in the chapter's format.
    let printed = prediction.top.enumerated().map { rank, entry in
      "  \(pad(String(rank + 1), 2)). \(padRight(entry.token, 12)) \(fixed(entry.probability, 4))"
    }
    #expect(
      printed == [
        "   1. ##lendid     0.0055", "   2. mous         0.0046", "   3. ##ov         0.0045",
        "   4. qu           0.0044", "   5. st           0.0042", "   6. is           0.0041",
        "   7. rabbits      0.0041", "   8. hor          0.0041", "   9. ##own        0.0039",
        "  10. [SEP]        0.0039",
      ])
  }

  @Test("a checkpoint folder's masked-LM head predicts at the mask")
  func checkpointPrediction() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("BERTTests/Fixtures/tiny-masked-lm")
    let checkpoint = try PretrainedCheckpoint(directory: folder)
    let (model, report) = try checkpoint.load(BertForMaskedLM.self)
    #expect(report.missing.isEmpty)
    let tokenizer = try #require(checkpoint.tokenizer)
    let prediction = try predictMask(model, tokenizer: tokenizer)
    #expect(abs(prediction.probabilities.reduce(0, +) - 1) < 1e-5)
    #expect(prediction.probabilities.count == checkpoint.config.vocabSize)
    #expect(locateCheckpoint(folder.path) == folder)
  }

  // MARK: - Plots

  @Test("the plots hold the shares and the top predictions")
  func plots() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "chapter04-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let writer = PlotWriter(rendersImage: false, printsToTerminal: false)
    var tally = MaskingTally()
    tally.candidates = 200
    tally.chosen = 30
    tally.mask = 24
    tally.random = 3
    tally.unchanged = 3
    let shares = try writeMaskingPlot(tally, to: folder, using: writer)
    let sharesText = try String(contentsOf: shares.script, encoding: .utf8)
    #expect(sharesText.contains("0.15") && sharesText.contains("0.8") && !sharesText.contains("%)"))
    let prediction = try Self.standInPrediction.get()
    let top = try writeTopKPlot(prediction, title: "t", name: "top-k-test", to: folder, using: writer)
    let topText = try String(contentsOf: top.script, encoding: .utf8)
    for entry in prediction.top {
      #expect(topText.contains(GnuplotSyntax.number(Double(entry.probability))))
    }
  }
}
