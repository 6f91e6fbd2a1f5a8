// Pretraining instances: sentence pairs for next-sentence prediction, cut to a token budget.
//
// The recipe of google-research/bert `create_instances_from_document`, step by step:
//
//   budget = maxSequenceLength - 3          (room for [CLS], [SEP], [SEP])
//   target = budget, or with probability shortSequenceProbability (0.1) a random length
//            in 2...budget, so the model also sees short inputs as in fine-tuning
//   Walk the document's sentences, gathering a chunk until it reaches `target` tokens or
//   the document ends. Then:
//     A = the first k sentences of the chunk, k uniform in 1...(chunk - 1) (k = 1 if the
//         chunk has one sentence)
//     B = with probability 0.5, or always when the chunk has one sentence: sentences of a
//         random other document from a random start, until B reaches target - |A| tokens
//         (label 1, "NotNext"); the chunk's unused sentences are walked again;
//         otherwise the rest of the chunk (label 0, "IsNext")
//   Truncate the pair to `budget`: while |A| + |B| > budget, drop one token from the
//   longer side (A on a tie), from its front or its back with equal chance.
//   tokens      = [CLS] A [SEP] B [SEP]
//   token types =  0    0   0   1   1
//
// Without next-sentence prediction, a chunk becomes one segment, [CLS] chunk [SEP], cut to
// maxSequenceLength - 2 the same way.
//
// Masking is not done here: the masked-LM collator draws fresh positions every time a batch
// is made (the reference Trainer's dynamic masking), where the original fixed them here.

/// Builds pretraining examples from documents of tokenized sentences, seeded.
///
/// ```
/// let builder = PretrainingInstanceBuilder(
///   maxSequenceLength: 64, classifierTokenID: 101, separatorTokenID: 102)
/// var rng = RandomGenerator(seed: 12345)
/// let examples = builder.instances(from: documents, using: &rng)   // documents: [[[Int]]]
/// examples[0].nextSentenceLabel   // 0 (B follows A) or 1 (B is random)
/// ```
public struct PretrainingInstanceBuilder: Sendable, Equatable {
  /// The longest example, special tokens included.
  public var maxSequenceLength: Int
  /// The chance of aiming for a shorter example (the reference's `short_seq_prob`, 0.1).
  public var shortSequenceProbability: Double
  /// Whether to build sentence pairs with next-sentence labels, or single segments.
  public var nextSentencePrediction: Bool
  /// The id of [CLS].
  public var classifierTokenID: Int
  /// The id of [SEP].
  public var separatorTokenID: Int

  /// A builder with the reference's defaults.
  public init(
    maxSequenceLength: Int = 128, shortSequenceProbability: Double = 0.1, nextSentencePrediction: Bool = true,
    classifierTokenID: Int, separatorTokenID: Int
  ) {
    precondition(
      maxSequenceLength - (nextSentencePrediction ? 3 : 2) >= 2,
      "PretrainingInstanceBuilder: maxSequenceLength \(maxSequenceLength) leaves no room for tokens")
    self.maxSequenceLength = maxSequenceLength
    self.shortSequenceProbability = shortSequenceProbability
    self.nextSentencePrediction = nextSentencePrediction
    self.classifierTokenID = classifierTokenID
    self.separatorTokenID = separatorTokenID
  }

  /// All instances of all documents, document by document, in order.
  ///
  /// - Parameters:
  ///   - documents: Documents, each a list of sentences, each a list of token ids (without
  ///     special tokens). Empty sentences and documents are skipped.
  ///   - rng: The generator of every random choice.
  public func instances(from documents: [[[Int]]], using rng: inout RandomGenerator) -> [TrainingExample] {
    let documents = documents.map { $0.filter { !$0.isEmpty } }.filter { !$0.isEmpty }
    var examples: [TrainingExample] = []
    for index in documents.indices {
      examples.append(contentsOf: instances(ofDocument: index, in: documents, using: &rng))
    }
    return examples
  }

  /// The instances of one document (`create_instances_from_document`).
  func instances(
    ofDocument documentIndex: Int, in documents: [[[Int]]], using rng: inout RandomGenerator
  ) -> [TrainingExample] {
    let document = documents[documentIndex]
    let budget = maxSequenceLength - (nextSentencePrediction ? 3 : 2)
    var target = budget
    if rng.uniformDouble() < shortSequenceProbability {
      target = 2 + rng.integer(below: budget - 1)
    }
    var examples: [TrainingExample] = []
    var chunk: [[Int]] = []
    var chunkLength = 0
    var i = 0
    while i < document.count {
      chunk.append(document[i])
      chunkLength += document[i].count
      if i == document.count - 1 || chunkLength >= target {
        if nextSentencePrediction {
          let (a, b, isRandom, unused) = pair(
            from: chunk, target: target, documentIndex: documentIndex, documents: documents, rng: &rng)
          i -= unused
          examples.append(example(a, b, isRandomNext: isRandom, budget: budget, rng: &rng))
        } else {
          examples.append(example(chunk.flatMap { $0 }, nil, isRandomNext: false, budget: budget, rng: &rng))
        }
        chunk = []
        chunkLength = 0
      }
      i += 1
    }
    return examples
  }

  /// Splits a chunk into A and B; returns how many chunk sentences went unused.
  private func pair(
    from chunk: [[Int]], target: Int, documentIndex: Int, documents: [[[Int]]], rng: inout RandomGenerator
  ) -> (a: [Int], b: [Int], isRandom: Bool, unused: Int) {
    let aEnd = chunk.count >= 2 ? 1 + rng.integer(below: chunk.count - 1) : 1
    let a = chunk[0..<aEnd].flatMap { $0 }
    var b: [Int] = []
    if chunk.count == 1 || rng.uniformDouble() < 0.5 {
      let targetB = target - a.count
      // Ten tries for another document, as the reference; a one-document corpus keeps its own.
      var randomIndex = 0
      for _ in 0..<10 {
        randomIndex = rng.integer(below: documents.count)
        if randomIndex != documentIndex { break }
      }
      let randomDocument = documents[randomIndex]
      let start = rng.integer(below: randomDocument.count)
      for sentence in randomDocument[start...] {
        b.append(contentsOf: sentence)
        if b.count >= targetB { break }
      }
      return (a, b, true, chunk.count - aEnd)
    }
    b = chunk[aEnd...].flatMap { $0 }
    return (a, b, false, 0)
  }

  /// [CLS] A [SEP] (B [SEP]) with token types, after truncation to `budget`.
  private func example(
    _ a: [Int], _ b: [Int]?, isRandomNext: Bool, budget: Int, rng: inout RandomGenerator
  ) -> TrainingExample {
    var a = a
    var b = b ?? []
    Self.truncatePair(&a, &b, budget: budget, using: &rng)
    var ids = [classifierTokenID] + a + [separatorTokenID]
    var types = [Int](repeating: 0, count: ids.count)
    if nextSentencePrediction {
      ids += b + [separatorTokenID]
      types += [Int](repeating: 1, count: b.count + 1)
    }
    return TrainingExample(
      inputIDs: ids, tokenTypeIDs: types,
      nextSentenceLabel: nextSentencePrediction ? (isRandomNext ? 1 : 0) : nil)
  }

  /// Drops tokens until |a| + |b| <= budget: one at a time from the longer side (a on a
  /// tie), from its front or back with equal chance (`truncate_seq_pair`).
  public static func truncatePair(
    _ a: inout [Int], _ b: inout [Int], budget: Int, using rng: inout RandomGenerator
  ) {
    while a.count + b.count > budget {
      let fromFront = rng.uniformDouble() < 0.5
      if a.count >= b.count {
        if fromFront { a.removeFirst() } else { a.removeLast() }
      } else {
        if fromFront { b.removeFirst() } else { b.removeLast() }
      }
    }
  }
}
