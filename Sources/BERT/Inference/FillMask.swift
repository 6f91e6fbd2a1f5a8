import WordPiece

// Fill-mask: the masked-LM head's guesses for each [MASK] of a text, as the reference's
// `fill-mask` pipeline returns them.
//
// Legend: T tokens, V vocabulary, K guesses per mask.
//
//   ids    = [CLS] pieces(text) [SEP]                        [T]
//   p      = softmax(logits[m])  at each [MASK] position m   [V]
//   guesses = the K largest p, highest first                 [K]
//
// For each guess the pipeline also gives the text with the guess in place of the [MASK],
// decoded from the ids without special tokens (with them, when there are several masks, so
// that the others stay visible), and the guess decoded alone (`token_str`, "##" kept).

/// One guess for one [MASK]: the reference pipeline's `score`, `token`, `token_str`, `sequence`.
public struct FillMaskPrediction: Sendable, Equatable {
  /// p, the probability of the token at the mask.
  public var score: Float
  /// The token's id.
  public var token: Int
  /// The token decoded alone, e.g. `paris` or `##s`.
  public var tokenString: String
  /// The text with the token in place of the mask, decoded.
  public var sequence: String
}

/// A text that fill-mask cannot run on.
public enum FillMaskError: Error, Equatable, CustomStringConvertible {
  /// The vocabulary has no `[MASK]` token.
  case noMaskToken(vocabulary: String)
  /// The text has no `[MASK]`.
  case noMask(text: String)
  /// The text needs more positions than the model has.
  case tooLong(tokens: Int, maximum: Int)

  /// What is wrong, naming the vocabulary or the text.
  public var description: String {
    switch self {
    case .noMaskToken(let vocabulary): return "\(vocabulary): the vocabulary has no [MASK] token"
    case .noMask(let text): return "the text has no [MASK] token to fill: \"\(text)\""
    case .tooLong(let tokens, let maximum):
      return "the text is \(tokens) tokens long with [CLS] and [SEP]; the model takes at most \(maximum)"
    }
  }
}

/// The `topK` most likely tokens for every [MASK] of `text`, best first.
///
/// Ties in probability go to the lower id.
///
/// - Returns: one list per [MASK], in text order.
/// - Throws: `FillMaskError` when the vocabulary has no [MASK], the text has none, or the text
///   is longer than the model's positions.
public func fillMask(
  _ text: String, model: BertForMaskedLM, tokenizer: BertTokenizer, topK: Int = 5
) throws -> [[FillMaskPrediction]] {
  guard let maskID = tokenizer.maskID else {
    throw FillMaskError.noMaskToken(vocabulary: tokenizer.vocabulary.origin)
  }
  let ids = tokenizer.encode(text).ids
  let positions = ids.indices.filter { ids[$0] == maskID }
  guard !positions.isEmpty else { throw FillMaskError.noMask(text: text) }
  guard ids.count <= model.config.maxPositionEmbeddings else {
    throw FillMaskError.tooLong(tokens: ids.count, maximum: model.config.maxPositionEmbeddings)
  }
  // logits at the masks only, [M, V].
  let logits = model.predict(BertInput(inputIds: [ids]), positions: .rows(positions)).logits
  let probabilities = softmax(logits)
  let vocabulary = probabilities.shape[1]
  let single = positions.count == 1
  return positions.enumerated().map { row, position in
    let scores = probabilities.scalars[(row * vocabulary)..<((row + 1) * vocabulary)]
    let best = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
      .prefix(max(0, min(topK, vocabulary)))
    return best.map { index in
      let token = index - row * vocabulary
      var filled = ids
      filled[position] = token
      // As the pipeline: padding removed, special tokens skipped only when there is one mask.
      let sequence = tokenizer.decode(filled.filter { $0 != tokenizer.padID }, skipSpecialTokens: single)
      return FillMaskPrediction(
        score: scores[index], token: token, tokenString: tokenizer.decode([token]), sequence: sequence)
    }
  }
}
