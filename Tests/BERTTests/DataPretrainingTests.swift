import Foundation
import Testing

@testable import BERT

@Suite("Data: next-sentence pairs and truncation")
struct DataPretrainingTests {
  /// Documents whose tokens say where they come from: token 10000 d + 100 s + k is the k-th
  /// token of sentence s of document d.
  static func documents(count: Int, seed: UInt64) -> [[[Int]]] {
    var rng = RandomGenerator(seed: seed)
    return (0..<count).map { d in
      (0..<(2 + rng.integer(below: 8))).map { s in
        (0..<(3 + rng.integer(below: 12))).map { k in 10_000 * (d + 1) + 100 * s + k }
      }
    }
  }

  static func document(of token: Int) -> Int { token / 10_000 - 1 }
  static func sentence(of token: Int) -> Int { token % 10_000 / 100 }

  @Test("pairs: [CLS] A [SEP] B [SEP], within the budget, half of them random, IsNext really next")
  func pairs() {
    let builder = PretrainingInstanceBuilder(maxSequenceLength: 48, classifierTokenID: 1, separatorTokenID: 2)
    var rng = RandomGenerator(seed: 7)
    let documents = Self.documents(count: 200, seed: 3)
    let examples = builder.instances(from: documents, using: &rng)
    var randomCount = 0
    var multiSentenceChunks = 0
    for example in examples {
      let ids = example.inputIDs
      #expect(ids.count <= 48, "length \(ids.count) over 48")
      #expect(ids.first == 1 && ids.last == 2, "ends: \(ids)")
      let separators = ids.indices.filter { ids[$0] == 2 }
      #expect(separators.count == 2, "two [SEP]: \(ids)")
      let a = Array(ids[1..<separators[0]])
      let b = Array(ids[(separators[0] + 1)..<separators[1]])
      #expect(!a.isEmpty && !b.isEmpty, "empty segment in \(ids)")
      #expect(
        example.tokenTypeIDs == [Int](repeating: 0, count: a.count + 2)
          + [Int](repeating: 1, count: b.count + 1),
        "token types \(example.tokenTypeIDs)")
      // A is contiguous text of one document.
      #expect(Set(a.map(Self.document)).count == 1, "A spans documents")
      let label = example.nextSentenceLabel
      if label == 1 {
        randomCount += 1
        #expect(Self.document(of: b[0]) != Self.document(of: a[0]), "random B from A's own document")
      } else {
        #expect(label == 0)
        multiSentenceChunks += 1
        // B continues A: same document, every B token after every A token (token ids grow
        // through a document), and B starts a sentence after A's last one.
        #expect(Set(b.map(Self.document)) == Set(a.map(Self.document)), "IsNext B from another document")
        #expect((b.min() ?? 0) > (a.max() ?? 0), "B does not follow A")
        #expect(Self.sentence(of: b[0]) > Self.sentence(of: a[a.count - 1]), "B shares A's last sentence")
      }
    }
    // Chunks of one sentence are always random, so the share is 0.5 plus their share; the
    // documents here have 2 to 9 sentences, so it stays close to one half.
    let share = Double(randomCount) / Double(examples.count)
    #expect(examples.count > 300, "\(examples.count) instances")
    #expect(share > 0.45 && share < 0.65, "random share \(share) of \(examples.count)")
  }

  @Test("short-sequence targets and single-segment mode")
  func singleSegment() {
    let builder = PretrainingInstanceBuilder(
      maxSequenceLength: 32, shortSequenceProbability: 0, nextSentencePrediction: false, classifierTokenID: 1,
      separatorTokenID: 2)
    var rng = RandomGenerator(seed: 1)
    let examples = builder.instances(from: Self.documents(count: 50, seed: 4), using: &rng)
    for example in examples {
      #expect(example.inputIDs.count <= 32)
      #expect(example.inputIDs.first == 1 && example.inputIDs.last == 2)
      #expect(example.inputIDs.filter { $0 == 2 }.count == 1, "one segment: \(example.inputIDs)")
      #expect(example.nextSentenceLabel == nil && example.tokenTypeIDs.allSatisfy { $0 == 0 })
    }
    // Every token appears at most once (chunks do not overlap without NSP).
    let tokens = examples.flatMap { $0.inputIDs.filter { $0 >= 10_000 } }
    #expect(Set(tokens).count == tokens.count, "a token appears in two instances")
  }

  @Test("truncation removes from the longer side, at the front or the back")
  func truncation() {
    var rng = RandomGenerator(seed: 11)
    var frontRemovals = 0
    var backRemovals = 0
    for _ in 0..<200 {
      var a = Array(0..<30)
      var b = Array(100..<110)
      PretrainingInstanceBuilder.truncatePair(&a, &b, budget: 25, using: &rng)
      // 15 tokens must go, all from A, which stays the longer side (30 -> 15 against B's 10).
      #expect(a.count == 15 && b.count == 10, "lengths \(a.count) + \(b.count)")
      #expect(a == Array(a[0]...(a[a.count - 1])), "A is no longer contiguous: \(a)")
      frontRemovals += a[0]
      backRemovals += 29 - a[a.count - 1]
    }
    // 3000 removals, each front or back with probability 1/2.
    let share = Double(frontRemovals) / Double(frontRemovals + backRemovals)
    #expect(abs(share - 0.5) < 0.05, "front share \(share)")
    var a = [1, 2, 3]
    var b = [4, 5, 6]
    PretrainingInstanceBuilder.truncatePair(&a, &b, budget: 5, using: &rng)
    #expect(a.count == 2 && b.count == 3, "a tie trims A first: \(a) \(b)")
  }

  @Test("plain text: blank lines separate documents")
  func plainText() {
    let text = "  The fox runs.\nIt jumps.\n\n\n\nA dog sleeps.\r\n   \nLast one.\n"
    let documents = PlainTextCorpus.documents(in: text)
    #expect(documents == [["The fox runs.", "It jumps."], ["A dog sleeps."], ["Last one."]], "\(documents)")
  }
}
