// Sentence embeddings: one vector per sequence from the encoder's token vectors, as
// sentence-transformers builds them for all-MiniLM-L6-v2 (mean pooling, then normalisation).
//
// Legend: B batch, T tokens, H hidden.
//
//   mean[b]      = sum over t of mask[b, t] x[b, t] / max(sum over t of mask[b, t], 1e-9)   [B, H]
//   embedding[b] = mean[b] / max(|mean[b]|_2, 1e-12)                                        [B, H]
//
// Padding does not count: the mask is the attention mask. The sums run in Double.

/// Mean pooling over the tokens the attention mask keeps, then L2 normalisation.
///
/// Two embeddings compare by their dot product, which is then their cosine similarity.
///
/// - Parameters:
///   - lastHiddenState: x, [B, T, H].
///   - attentionMask: [B * T], 1 for a token, 0 for padding (`BertInput.attentionMask`).
/// - Returns: [B, H], each row of unit length (or zero when the row's mean is zero).
public func sentenceEmbeddings(lastHiddenState: Tensor, attentionMask: [Int]) -> Tensor {
  precondition(
    lastHiddenState.rank == 3,
    "sentenceEmbeddings: hidden states \(lastHiddenState.shape), expected [B, T, H]")
  let (batch, tokens, hidden) = (lastHiddenState.shape[0], lastHiddenState.shape[1], lastHiddenState.shape[2])
  precondition(
    attentionMask.count == batch * tokens,
    "sentenceEmbeddings: \(attentionMask.count) mask entries for hidden states \(lastHiddenState.shape)")
  var result = Tensor(zeros: [batch, hidden])
  for b in 0..<batch {
    var sum = [Double](repeating: 0, count: hidden)
    var count: Double = 0
    for t in 0..<tokens where attentionMask[b * tokens + t] != 0 {
      let row = (b * tokens + t) * hidden
      for h in 0..<hidden { sum[h] += Double(lastHiddenState.scalars[row + h]) }
      count += 1
    }
    // mean = sum / count, then divided by its norm.
    let mean = sum.map { $0 / max(count, 1e-9) }
    let norm = max(mean.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
    for h in 0..<hidden { result.scalars[b * hidden + h] = Float(mean[h] / norm) }
  }
  return result
}
