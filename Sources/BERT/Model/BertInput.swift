// BertInput: a batch of token sequences as the model reads them.
//
// Shapes: B sequences of T tokens each, stored row-major as flat [B * T] arrays
// (`inputIds[b * T + t]`). Shorter sentences are padded to T and marked 0 in
// `attentionMask`, exactly like the reference tokenizer's `padding=True` output.

/// The token ids, segment ids, attention mask and positions of a batch of B x T tokens.
public struct BertInput: Sendable, Equatable {
  /// B, the number of sequences.
  public let batchSize: Int
  /// T, the number of tokens per sequence (after padding).
  public let sequenceLength: Int
  /// Vocabulary ids, [B * T] row-major.
  public var inputIds: [Int]
  /// Segment ids (0 for sentence A, 1 for sentence B), [B * T]; zeros when not given.
  public var tokenTypeIds: [Int]
  /// 1 for a real token, 0 for padding, [B * T]; ones when not given.
  public var attentionMask: [Int]
  /// Position ids, [B * T]; 0, 1, ..., T-1 in every row when not given (the reference default).
  public var positionIds: [Int]

  /// A batch from flat row-major arrays of B * T entries.
  public init(
    batchSize: Int, sequenceLength: Int, inputIds: [Int], tokenTypeIds: [Int]? = nil,
    attentionMask: [Int]? = nil, positionIds: [Int]? = nil
  ) {
    let count = batchSize * sequenceLength
    precondition(
      batchSize > 0 && sequenceLength > 0, "BertInput: empty batch \(batchSize) x \(sequenceLength)")
    precondition(
      inputIds.count == count, "BertInput: \(inputIds.count) input ids for \(batchSize) x \(sequenceLength)")
    self.batchSize = batchSize
    self.sequenceLength = sequenceLength
    self.inputIds = inputIds
    self.tokenTypeIds = tokenTypeIds ?? [Int](repeating: 0, count: count)
    self.attentionMask = attentionMask ?? [Int](repeating: 1, count: count)
    self.positionIds = positionIds ?? (0..<count).map { $0 % sequenceLength }
    precondition(
      self.tokenTypeIds.count == count,
      "BertInput: \(self.tokenTypeIds.count) token type ids for \(count) tokens")
    precondition(
      self.attentionMask.count == count,
      "BertInput: \(self.attentionMask.count) mask entries for \(count) tokens")
    precondition(
      self.positionIds.count == count, "BertInput: \(self.positionIds.count) position ids for \(count) tokens"
    )
  }

  /// A batch from rows of equal length (one row per sequence).
  public init(inputIds: [[Int]], tokenTypeIds: [[Int]]? = nil, attentionMask: [[Int]]? = nil) {
    let length = inputIds.first?.count ?? 0
    precondition(inputIds.allSatisfy { $0.count == length }, "BertInput: rows of input ids differ in length")
    self.init(
      batchSize: inputIds.count, sequenceLength: length, inputIds: inputIds.flatMap { $0 },
      tokenTypeIds: tokenTypeIds?.flatMap { $0 }, attentionMask: attentionMask?.flatMap { $0 })
  }

  /// B * T, the number of token positions.
  public var tokenCount: Int { batchSize * sequenceLength }

  /// Whether some position is padding (a 0 in the attention mask).
  public var hasPadding: Bool { attentionMask.contains(0) }

  /// The additive attention mask [B, T]: 0 where a key may be attended to, the most
  /// negative Float where it is padding; nil when nothing is padded.
  ///
  /// The reference (transformers 5, eager attention) builds the same numbers:
  /// `torch.where(mask, 0, torch.finfo(float32).min)`, added to the scores before the
  /// softmax, so a padded key gets probability exactly 0 (its exponential underflows).
  /// With no padding the reference skips the mask, and so do we.
  public var additiveAttentionMask: Tensor? {
    guard hasPadding else { return nil }
    let blocked = -Float.greatestFiniteMagnitude
    return Tensor(shape: [batchSize, sequenceLength], scalars: attentionMask.map { $0 == 0 ? blocked : 0 })
  }

  /// Checks every id against the table sizes of a config, throwing on the first bad one.
  ///
  /// - Throws: `BertInputError` naming the array, the position and the allowed range.
  public func validate(against config: BERTConfig) throws {
    try Self.check(inputIds, "input_ids", below: config.vocabSize)
    try Self.check(tokenTypeIds, "token_type_ids", below: config.typeVocabSize)
    try Self.check(positionIds, "position_ids", below: config.maxPositionEmbeddings)
    if let index = attentionMask.firstIndex(where: { $0 != 0 && $0 != 1 }) {
      throw BertInputError.outOfRange(
        field: "attention_mask", index: index, value: attentionMask[index], range: 0..<2)
    }
  }

  private static func check(_ ids: [Int], _ field: String, below bound: Int) throws {
    if let index = ids.firstIndex(where: { $0 < 0 || $0 >= bound }) {
      throw BertInputError.outOfRange(field: field, index: index, value: ids[index], range: 0..<bound)
    }
  }
}

/// A batch that does not fit the model it is given to.
public enum BertInputError: Error, Equatable, CustomStringConvertible {
  /// `field[index]` holds `value`, outside `range`.
  case outOfRange(field: String, index: Int, value: Int, range: Range<Int>)

  /// A message naming the field, the position and the allowed range.
  public var description: String {
    switch self {
    case .outOfRange(let field, let index, let value, let range):
      return "\(field)[\(index)] = \(value) is outside \(range.lowerBound)..<\(range.upperBound)"
    }
  }
}
