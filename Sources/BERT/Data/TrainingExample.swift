// TrainingExample and Batch: what datasets hold and what a collator hands to a model.
//
// Legend: B examples in a batch, T tokens per row after padding (the longest example).
//
// An example is one tokenized sequence of any length with the targets its task needs; a
// batch is B examples padded to a common T and stored as flat row-major [B * T] arrays,
// the layout the model reads (`inputIDs[b * T + t]`).

/// The ignored label: positions with this label add nothing to a loss (the reference's -100).
public let ignoredLabel = -100

/// One tokenized sequence and its targets, before padding.
///
/// Which targets are set depends on the task:
/// - masked LM: none (a `MaskedLanguageModelCollator` draws the masked positions per batch);
///   `wordIDs` enables whole-word masking;
/// - pretraining with next-sentence prediction: `nextSentenceLabel`;
/// - sequence classification: `label`;
/// - token-level tasks or fixed masks: `tokenLabels`, one per token, `ignoredLabel` to skip.
public struct TrainingExample: Sendable, Equatable, Codable {
  /// Vocabulary ids, [CLS] and [SEP] included.
  public var inputIDs: [Int]
  /// Segment ids (0 for sentence A, 1 for sentence B), one per token.
  public var tokenTypeIDs: [Int]
  /// The word each token belongs to (nil for special tokens); pieces of one word share an id.
  public var wordIDs: [Int?]?
  /// The class of the whole sequence (classification).
  public var label: Int?
  /// One target per token, `ignoredLabel` where there is none.
  public var tokenLabels: [Int]?
  /// 0 when segment B really follows segment A, 1 when it is random (the reference's convention).
  public var nextSentenceLabel: Int?

  /// An example; `tokenTypeIDs` defaults to all zeros.
  public init(
    inputIDs: [Int], tokenTypeIDs: [Int]? = nil, wordIDs: [Int?]? = nil, label: Int? = nil,
    tokenLabels: [Int]? = nil, nextSentenceLabel: Int? = nil
  ) {
    let tokenTypes = tokenTypeIDs ?? [Int](repeating: 0, count: inputIDs.count)
    precondition(
      tokenTypes.count == inputIDs.count,
      "TrainingExample: \(tokenTypes.count) token types for \(inputIDs.count) tokens")
    precondition(
      wordIDs == nil || wordIDs?.count == inputIDs.count,
      "TrainingExample: \(wordIDs?.count ?? 0) word ids for \(inputIDs.count) tokens")
    precondition(
      tokenLabels == nil || tokenLabels?.count == inputIDs.count,
      "TrainingExample: \(tokenLabels?.count ?? 0) token labels for \(inputIDs.count) tokens")
    self.inputIDs = inputIDs
    self.tokenTypeIDs = tokenTypes
    self.wordIDs = wordIDs
    self.label = label
    self.tokenLabels = tokenLabels
    self.nextSentenceLabel = nextSentenceLabel
  }

  /// The number of tokens.
  public var count: Int { inputIDs.count }
}

/// B examples padded to T tokens: flat row-major [B * T] arrays and per-example targets.
public struct Batch: Sendable, Equatable {
  /// B, the number of examples.
  public var batchSize: Int
  /// T, the tokens per row (the longest example of the batch).
  public var sequenceLength: Int
  /// Vocabulary ids, [B * T], padded with the pad id.
  public var inputIDs: [Int]
  /// Segment ids, [B * T], padded with 0.
  public var tokenTypeIDs: [Int]
  /// 1 for a real token, 0 for padding, [B * T].
  public var attentionMask: [Int]
  /// Sequence labels, [B] (classification).
  public var labels: [Int]?
  /// Token targets, [B * T], `ignoredLabel` at padding and unmasked positions (masked LM).
  public var tokenLabels: [Int]?
  /// Next-sentence labels, [B].
  public var nextSentenceLabels: [Int]?
  /// For masked LM batches: per example, the positions chosen and what each became.
  public var maskedPositions: [[MaskedPosition]]?

  /// A batch from its arrays (shapes are checked).
  public init(
    batchSize: Int, sequenceLength: Int, inputIDs: [Int], tokenTypeIDs: [Int], attentionMask: [Int],
    labels: [Int]? = nil, tokenLabels: [Int]? = nil, nextSentenceLabels: [Int]? = nil,
    maskedPositions: [[MaskedPosition]]? = nil
  ) {
    let count = batchSize * sequenceLength
    precondition(
      inputIDs.count == count && tokenTypeIDs.count == count && attentionMask.count == count,
      "Batch: \(batchSize) x \(sequenceLength) needs \(count) ids, types and mask entries, got "
        + "\(inputIDs.count), \(tokenTypeIDs.count), \(attentionMask.count)")
    precondition(labels == nil || labels?.count == batchSize, "Batch: labels must have \(batchSize) entries")
    precondition(
      tokenLabels == nil || tokenLabels?.count == count, "Batch: token labels must have \(count) entries")
    precondition(
      nextSentenceLabels == nil || nextSentenceLabels?.count == batchSize,
      "Batch: next-sentence labels must have \(batchSize) entries")
    self.batchSize = batchSize
    self.sequenceLength = sequenceLength
    self.inputIDs = inputIDs
    self.tokenTypeIDs = tokenTypeIDs
    self.attentionMask = attentionMask
    self.labels = labels
    self.tokenLabels = tokenLabels
    self.nextSentenceLabels = nextSentenceLabels
    self.maskedPositions = maskedPositions
  }

  /// The number of real (unpadded) tokens: what tokens per second counts.
  public var realTokenCount: Int { attentionMask.reduce(0, +) }

  /// Row `b` of a flat [B * T] array.
  public func row(_ b: Int, of values: [Int]) -> ArraySlice<Int> {
    values[(b * sequenceLength)..<((b + 1) * sequenceLength)]
  }
}
