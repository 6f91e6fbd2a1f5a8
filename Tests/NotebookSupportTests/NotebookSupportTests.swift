import Testing

@testable import NotebookSupport

@Suite("Fixed-precision printing")
struct FixedPrintingTests {
  @Test("rounds half away from zero with the requested decimals")
  func rounding() {
    #expect(fixed(0.223_143_55, 4) == "0.2231")
    #expect(fixed(-1.5, 0) == "-2")
    #expect(fixed(2.5, 0) == "3")
    #expect(fixed(0.000_04, 4) == "0.0000")
    #expect(fixed(-0.000_04, 4) == "0.0000")
    #expect(fixed(10.005, 1) == "10.0")
    #expect(fixed(123.456, 2) == "123.46")
    #expect(fixed(Double.nan) == "nan")
  }

  @Test("vectors are right-aligned to one width")
  func vectors() {
    #expect(fixed([1, -0.5, 10], 1) == "[ 1.0, -0.5, 10.0]")
  }
}

@Suite("Generated corpus and sentiment data")
struct GeneratedDataTests {
  @Test("the same seed gives the same corpus, another seed another")
  func determinism() {
    let a = PretrainingCorpus(documentCount: 50, seed: 1)
    let b = PretrainingCorpus(documentCount: 50, seed: 1)
    let c = PretrainingCorpus(documentCount: 50, seed: 2)
    #expect(a.text == b.text)
    #expect(a.text != c.text)
  }

  @Test("the corpus holds the fox sentence family and every held-out word")
  func corpusContents() {
    let corpus = PretrainingCorpus(documentCount: 2000, seed: 42)
    let words = Set(corpus.sentences.flatMap { $0.split(separator: " ").map(String.init) })
    for word in Lexicon.heldOutWords { #expect(words.contains(word), "\(word) missing from the corpus") }
    let foxSentences = corpus.sentences.filter { $0.contains("quick brown") }
    #expect(!foxSentences.isEmpty)
    // "quick brown" always goes with the fox family.
    #expect(foxSentences.allSatisfy { $0.contains("quick brown fox") })
    #expect(corpus.sentences.contains("the quick brown fox jumps over the lazy dog ."))
  }

  @Test("held-out words never occur in the training or dev splits, and half the test split uses them")
  func heldOutSplit() {
    let data = SentimentDataset(seed: 7)
    let heldOut = Lexicon.heldOutWords
    for example in data.train + data.dev {
      let words = Set(example.text.split(separator: " ").map(String.init))
      #expect(words.isDisjoint(with: heldOut), "\(example.text) uses a held-out word")
    }
    let heldOutTest = data.test.filter(\.usesHeldOutWord)
    #expect(heldOutTest.count == data.test.count / 2)
    for example in heldOutTest {
      let words = Set(example.text.split(separator: " ").map(String.init))
      #expect(!words.isDisjoint(with: heldOut), "\(example.text) has no held-out word")
    }
    #expect(data.train.filter { $0.label == 1 }.count == data.train.count / 2)
  }
}
