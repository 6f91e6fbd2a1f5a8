import Foundation
import Testing

@testable import BERT

@Suite("Data: masked-LM masking and the collator")
struct DataMaskingTests {
  // A BERT-like vocabulary: 0 [PAD], 100 [UNK], 101 [CLS], 102 [SEP], 103 [MASK], 1000 words.
  static let specials: Set<Int> = [0, 100, 101, 102, 103]
  static let masker = MaskedLanguageModelMasker(
    maskTokenID: 103, vocabularySize: 1000, specialTokenIDs: specials)

  /// [CLS] w... [SEP] with `words` word ids drawn from 1000..<2000 (never special).
  static func sequence(words: Int, rng: inout RandomGenerator) -> [Int] {
    [101] + (0..<words).map { _ in 1000 + rng.integer(below: 1000) } + [102]
  }

  @Test("a seeded batch: 15% of the non-special tokens, labels only there, same choice for the same seed")
  func seededChoices() {
    var data = RandomGenerator(seed: 1)
    // Lengths 20, 7, 41 words, plus an [UNK] inside the third: never chosen.
    var examples = [20, 7, 41].map { TrainingExample(inputIDs: Self.sequence(words: $0, rng: &data)) }
    examples[2].inputIDs[5] = 100
    let collator = MaskedLanguageModelCollator(masker: Self.masker)
    var rng = RandomGenerator(seed: 42)
    let batch = collator.collate(examples, using: &rng)
    var again = RandomGenerator(seed: 42)
    #expect(collator.collate(examples, using: &again) == batch, "the same seed chose differently")
    var other = RandomGenerator(seed: 43)
    #expect(collator.collate(examples, using: &other) != batch, "another seed chose the same")

    let choices = try! #require(batch.maskedPositions)
    let labels = try! #require(batch.tokenLabels)
    #expect(batch.sequenceLength == 43, "padded to the longest: \(batch.sequenceLength)")
    for (b, example) in examples.enumerated() {
      let candidates = example.inputIDs.filter { !Self.specials.contains($0) }.count
      let expected = max(1, Int((0.15 * Double(candidates)).rounded()))
      #expect(
        choices[b].count == expected,
        "row \(b): \(choices[b].count) chosen of \(candidates), expected \(expected)")
      let positions = choices[b].map(\.position)
      #expect(
        positions == positions.sorted() && Set(positions).count == positions.count, "positions \(positions)")
      for choice in choices[b] {
        #expect(
          !Self.specials.contains(example.inputIDs[choice.position]),
          "special token chosen at \(choice.position)")
        #expect(choice.originalID == example.inputIDs[choice.position])
        let seen = batch.inputIDs[b * 43 + choice.position]
        #expect(seen == choice.inputID, "row \(b) position \(choice.position): model sees \(seen)")
        switch choice.replacement {
        case .mask: #expect(seen == 103)
        case .unchanged: #expect(seen == choice.originalID)
        case .random: #expect((0..<1000).contains(seen))
        }
      }
      for t in 0..<43 {
        let label = labels[b * 43 + t]
        if let choice = choices[b].first(where: { $0.position == t }) {
          #expect(label == choice.originalID, "row \(b) position \(t): label \(label)")
        } else {
          #expect(label == ignoredLabel, "row \(b) position \(t): label \(label) where nothing was chosen")
        }
        #expect(batch.attentionMask[b * 43 + t] == (t < example.count ? 1 : 0))
        if t >= example.count { #expect(batch.inputIDs[b * 43 + t] == 0, "padding is [PAD]") }
      }
    }
  }

  @Test("80/10/10 over many samples, within 1 point; random tokens cover the vocabulary")
  func replacementShares() {
    var rng = RandomGenerator(seed: 2024)
    var counts: [MaskReplacement: Int] = [:]
    var randomIDs: [Int] = []
    for _ in 0..<2000 {
      let ids = Self.sequence(words: 100, rng: &rng)
      for choice in Self.masker.mask(ids, using: &rng).maskedPositions {
        counts[choice.replacement, default: 0] += 1
        if choice.replacement == .random { randomIDs.append(choice.inputID) }
      }
    }
    // 2000 rows x 15 tokens = 30,000 chosen; the standard error of a share near 0.8 is
    // sqrt(0.8 * 0.2 / 30000) = 0.0023, so 0.01 is over 4 standard errors.
    let total = Double(counts.values.reduce(0, +))
    #expect(total == 30_000, "chosen \(total)")
    for (kind, share) in [(MaskReplacement.mask, 0.8), (.random, 0.1), (.unchanged, 0.1)] {
      let actual = Double(counts[kind] ?? 0) / total
      #expect(abs(actual - share) < 0.01, "\(kind): \(actual), expected \(share) +- 0.01")
    }
    // Uniform over 0..<1000: mean 499.5, standard error 289 / sqrt(3000) = 5.3.
    let mean = Double(randomIDs.reduce(0, +)) / Double(randomIDs.count)
    #expect(abs(mean - 499.5) < 25, "mean random id \(mean)")
    #expect(randomIDs.allSatisfy { (0..<1000).contains($0) })
  }

  @Test("Bernoulli selection chooses 15% on average; maxPredictions caps the exact count")
  func bernoulliAndCap() {
    var bernoulli = Self.masker
    bernoulli.selection = .bernoulli
    var rng = RandomGenerator(seed: 9)
    var chosen = 0
    for _ in 0..<1000 {
      chosen += bernoulli.mask(Self.sequence(words: 100, rng: &rng), using: &rng).maskedPositions.count
    }
    // 100,000 candidates, standard error sqrt(0.15 * 0.85 / 1e5) = 0.0011.
    let share = Double(chosen) / 100_000
    #expect(abs(share - 0.15) < 0.005, "chosen share \(share)")
    var capped = Self.masker
    capped.maxPredictions = 5
    #expect(capped.mask(Self.sequence(words: 100, rng: &rng), using: &rng).maskedPositions.count == 5)
    // A sequence of specials only has nothing to choose.
    #expect(Self.masker.mask([101, 102], using: &rng).maskedPositions.isEmpty)
  }

  @Test("whole-word masking takes every piece of a word or none")
  func wholeWords() {
    var masker = Self.masker
    masker.wholeWordMasking = true
    var rng = RandomGenerator(seed: 5)
    for selection in [MaskedLanguageModelMasker.Selection.exactCount, .bernoulli] {
      masker.selection = selection
      var sawMultiPieceWord = false
      for _ in 0..<300 {
        // 30 words of 1 to 3 pieces; word ids nil on [CLS] and [SEP].
        var ids = [101]
        var wordIDs: [Int?] = [nil]
        for word in 0..<30 {
          for _ in 0..<(1 + rng.integer(below: 3)) {
            ids.append(1000 + rng.integer(below: 1000))
            wordIDs.append(word)
          }
        }
        ids.append(102)
        wordIDs.append(nil)
        let chosen = Set(masker.mask(ids, wordIDs: wordIDs, using: &rng).maskedPositions.map(\.position))
        for word in 0..<30 {
          let pieces = wordIDs.indices.filter { wordIDs[$0] == word }
          let taken = pieces.filter { chosen.contains($0) }.count
          #expect(
            taken == 0 || taken == pieces.count,
            "\(selection): word \(word) partly chosen: \(taken) of \(pieces.count)")
          if taken > 1 { sawMultiPieceWord = true }
        }
        if selection == .exactCount {
          let target = Int((0.15 * Double(ids.count - 2)).rounded())
          #expect(
            chosen.count <= target && chosen.count >= target - 2, "\(chosen.count) chosen, target \(target)")
        }
      }
      #expect(sawMultiPieceWord, "\(selection): no multi-piece word was ever chosen")
    }
  }

  @Test("the padding collator stacks labels and pads token labels with -100")
  func paddingCollator() {
    let examples = [
      TrainingExample(
        inputIDs: [101, 7, 102], tokenTypeIDs: [0, 0, 0], label: 1, tokenLabels: [-100, 3, -100]),
      TrainingExample(
        inputIDs: [101, 8, 9, 102, 10, 102], tokenTypeIDs: [0, 0, 0, 0, 1, 1], label: 0,
        tokenLabels: [-100, 1, 2, -100, 4, -100]),
    ]
    var rng = RandomGenerator(seed: 1)
    let batch = PaddingCollator().collate(examples, using: &rng)
    #expect(batch.batchSize == 2 && batch.sequenceLength == 6)
    #expect(batch.inputIDs == [101, 7, 102, 0, 0, 0, 101, 8, 9, 102, 10, 102])
    #expect(batch.tokenTypeIDs == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
    #expect(batch.attentionMask == [1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    #expect(batch.labels == [1, 0])
    #expect(batch.tokenLabels == [-100, 3, -100, -100, -100, -100, -100, 1, 2, -100, 4, -100])
    #expect(batch.realTokenCount == 9)
    #expect(rng == RandomGenerator(seed: 1), "padding drew random numbers")
  }

  @Test("epoch order: a seeded permutation per epoch, every example once")
  func epochSampler() {
    let sampler = EpochSampler(count: 10, batchSize: 4, seed: 42)
    let first = sampler.batches(epoch: 0)
    #expect(first.map(\.count) == [4, 4, 2])
    #expect(first.flatMap { $0 }.sorted() == Array(0..<10))
    #expect(sampler.batches(epoch: 0) == first, "epoch 0 is not reproducible")
    #expect(sampler.order(epoch: 1) != sampler.order(epoch: 0), "epochs 0 and 1 have the same order")
    #expect(EpochSampler(count: 5, batchSize: 2, seed: 1, shuffle: false).order(epoch: 3) == [0, 1, 2, 3, 4])
  }
}
