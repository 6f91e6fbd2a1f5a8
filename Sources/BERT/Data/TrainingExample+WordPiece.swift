import WordPiece

// From the tokenizer to training examples: encodings become examples (word ids kept for
// whole-word masking), labelled rows become classification examples, and the tokenizer's
// special ids configure the masker.

extension TrainingExample {
  /// An example from a tokenizer encoding: ids, token types and word ids, without padding
  /// (the collator pads each batch).
  public init(_ encoding: Encoding, label: Int? = nil) {
    let real = encoding.attentionMask.firstIndex(of: 0) ?? encoding.count
    self.init(
      inputIDs: Array(encoding.ids[..<real]), tokenTypeIDs: Array(encoding.tokenTypeIds[..<real]),
      wordIDs: Array(encoding.wordIds[..<real]), label: label)
  }
}

extension BertTokenizer {
  /// `[CLS] text [SEP]` (or `[CLS] text [SEP] pair [SEP]`) with the label, cut to `maxLength`
  /// tokens as the reference truncates (longest first), for each row.
  public func trainingExamples(_ rows: [LabeledText], maxLength: Int? = nil) -> [TrainingExample] {
    rows.map { TrainingExample(encode($0.text, pair: $0.pair, maxLength: maxLength), label: $0.label) }
  }

  /// A masker with this vocabulary's [MASK] and special ids, and the paper's shares.
  ///
  /// - Returns: nil when the vocabulary has no [MASK] token.
  public func maskedLanguageModelMasker(wholeWordMasking: Bool = false) -> MaskedLanguageModelMasker? {
    maskID.map {
      MaskedLanguageModelMasker(
        maskTokenID: $0, vocabularySize: vocabulary.count, specialTokenIDs: specialTokenIDs,
        wholeWordMasking: wholeWordMasking)
    }
  }
}
