// Collators: from a list of examples to one padded batch.
//
// Legend: B examples, T = the longest example of the batch.
//
//   input_ids       [B, T]  example ids, then the pad id
//   token_type_ids  [B, T]  example types, then 0
//   attention_mask  [B, T]  1 on real tokens, 0 on padding
//   labels          [B] per example, or [B, T] per token with -100 on padding
//
// Padding to the longest example of each batch, not to a fixed length, is the reference's
// `padding=True` / `DataCollatorWithPadding`: short batches cost short compute.

/// Turns examples into a batch; may draw random numbers (masking).
public protocol DataCollator: Sendable {
  /// The batch of `examples`, padded to the longest.
  ///
  /// - Parameters:
  ///   - examples: At least one example.
  ///   - rng: The generator random choices come from (the trainer's, so they are checkpointed).
  func collate(_ examples: [TrainingExample], using rng: inout RandomGenerator) -> Batch
}

/// Pads examples to the longest and stacks their targets (`DataCollatorWithPadding`).
public struct PaddingCollator: DataCollator, Equatable {
  /// The id written into padded positions ([PAD], 0 in BERT vocabularies).
  public var padTokenID: Int

  /// A collator padding with `padTokenID`.
  public init(padTokenID: Int = 0) {
    self.padTokenID = padTokenID
  }

  /// The padded batch; draws nothing from `rng`.
  public func collate(_ examples: [TrainingExample], using rng: inout RandomGenerator) -> Batch {
    pad(examples)
  }

  /// Pads `examples` (their own ids and token labels) to the longest.
  public func pad(_ examples: [TrainingExample], maskedPositions: [[MaskedPosition]]? = nil) -> Batch {
    precondition(!examples.isEmpty, "collate: no examples")
    let batchSize = examples.count
    let length = examples.map(\.count).max() ?? 0
    var ids = [Int](repeating: padTokenID, count: batchSize * length)
    var types = [Int](repeating: 0, count: batchSize * length)
    var mask = [Int](repeating: 0, count: batchSize * length)
    let hasTokenLabels = examples.contains { $0.tokenLabels != nil }
    var tokenLabels = hasTokenLabels ? [Int](repeating: ignoredLabel, count: batchSize * length) : nil
    for (b, example) in examples.enumerated() {
      let start = b * length
      for t in 0..<example.count {
        ids[start + t] = example.inputIDs[t]
        types[start + t] = example.tokenTypeIDs[t]
        mask[start + t] = 1
        if let labels = example.tokenLabels { tokenLabels?[start + t] = labels[t] }
      }
    }
    return Batch(
      batchSize: batchSize, sequenceLength: length, inputIDs: ids, tokenTypeIDs: types, attentionMask: mask,
      labels: Self.stacked(examples.map(\.label), "label"), tokenLabels: tokenLabels,
      nextSentenceLabels: Self.stacked(examples.map(\.nextSentenceLabel), "next-sentence label"),
      maskedPositions: maskedPositions)
  }

  /// All values, or nil when none is set; a batch mixing both is a programmer error.
  private static func stacked(_ values: [Int?], _ what: String) -> [Int]? {
    let present = values.compactMap { $0 }
    if present.isEmpty { return nil }
    precondition(present.count == values.count, "collate: some examples have a \(what) and some do not")
    return present
  }
}

/// Masks each example afresh, then pads (`DataCollatorForLanguageModeling` with `mlm=True`).
///
/// Every call draws new positions, so an example is masked differently each epoch (the
/// "dynamic masking" of RoBERTa and the reference Trainer). The batch keeps the choices in
/// `maskedPositions`, and its `tokenLabels` hold the original ids there and -100 elsewhere.
public struct MaskedLanguageModelCollator: DataCollator, Equatable {
  /// How positions are chosen and replaced.
  public var masker: MaskedLanguageModelMasker
  /// The padding collator applied after masking.
  public var padding: PaddingCollator

  /// A collator masking with `masker` and padding with `padTokenID`.
  public init(masker: MaskedLanguageModelMasker, padTokenID: Int = 0) {
    self.masker = masker
    self.padding = PaddingCollator(padTokenID: padTokenID)
  }

  /// Masks every example in order with draws from `rng`, then pads.
  public func collate(_ examples: [TrainingExample], using rng: inout RandomGenerator) -> Batch {
    var masked: [TrainingExample] = []
    var choices: [[MaskedPosition]] = []
    masked.reserveCapacity(examples.count)
    for example in examples {
      let result = masker.mask(example.inputIDs, wordIDs: example.wordIDs, using: &rng)
      var copy = example
      copy.inputIDs = result.inputIDs
      copy.tokenLabels = result.labels
      masked.append(copy)
      choices.append(result.maskedPositions)
    }
    return padding.pad(masked, maskedPositions: choices)
  }
}
