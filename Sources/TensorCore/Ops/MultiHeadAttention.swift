import CKernels

// Scaled dot-product attention of every head at once, for inference.
//
// Legend: B batch, T tokens, A heads, D head size, H = A * D hidden size.
//
//   scores[b, a]  = q'[b, :, head a] k[b, :, head a]^T       [T, T]   (q' = q / sqrt(D), scaled before)
//   p[b, a]       = softmax over keys of (scores[b, a] + mask[b])
//   context[b, :, head a] = p[b, a] v[b, :, head a]          [T, D]
//
// The plain way (`multiHeadAttentionReference`) copies q, k and v into [B, A, T, D], runs
// the two batched products and the masked softmax, and copies the context back to [B, T, H].
// This one never copies a head: head a of q, k or v is the [T, D] matrix starting at column
// a * D of the [T, H] block of sequence b, read with leading dimension H, and the context is
// written the same way. Each (b, a) pair runs all three steps on one thread while its scores
// are still in cache. The products and softmax rows are the same calls on the same numbers,
// so the two agree bit for bit (tested), for any thread count.

// MARK: - Forward

/// The attention context [B, T, H] and probabilities [B, A, T, T] of every head, read in place.
///
///     p[b, a, i, j]       = softmax over j of (sum over d of q'[b, i, a D + d] k[b, j, a D + d]
///                           + additiveMask[b, j])
///     context[b, i, a D + d] = sum over j of p[b, a, i, j] v[b, j, a D + d]
///
/// - Parameters:
///   - scaledQueries: q / sqrt(D), [B, T, H].
///   - keys: k, [B, T, H].
///   - values: v, [B, T, H].
///   - headCount: A; must divide H.
///   - additiveMask: [B, T] added to every query's scores (see `additiveAttentionMask`), or nil.
/// - Returns: The context [B, T, H] and the probabilities [B, A, T, T].
public func multiHeadAttention(
  scaledQueries: Tensor, keys: Tensor, values: Tensor, headCount: Int, additiveMask: Tensor?
) -> (context: Tensor, probabilities: Tensor) {
  let shape = scaledQueries.shape
  precondition(
    shape.count == 3 && keys.shape == shape && values.shape == shape && headCount > 0
      && shape[2] % headCount == 0,
    "multiHeadAttention: queries \(shape), keys \(keys.shape) and values \(values.shape) should all be "
      + "[B, T, H] with H divisible by \(headCount) heads")
  let (batch, tokens, hidden) = (shape[0], shape[1], shape[2])
  if let additiveMask {
    precondition(
      additiveMask.shape == [batch, tokens],
      "multiHeadAttention: mask \(additiveMask.shape) should be [B, T] = \([batch, tokens])")
  }
  let headSize = hidden / headCount
  let probabilityCount = batch * headCount * tokens * tokens
  guard tokens > 0, headSize > 0 else {
    return (Tensor(zeros: shape), Tensor(zeros: [batch, headCount, tokens, tokens]))
  }
  var context: [Float] = []
  let probabilities = [Float](unsafeUninitializedCapacity: probabilityCount) { pBuffer, initialized in
    context = [Float](unsafeUninitializedCapacity: batch * tokens * hidden) { cBuffer, contextInitialized in
      withBasePointers(scaledQueries, keys, values, additiveMask) { q, k, v, mask in
        guard let p = pBuffer.baseAddress, let c = cBuffer.baseAddress else { return }
        let kernel = GEMM.Kernel.best.id
        Parallel.forEach(chunks: batch * headCount) { item in
          let (b, a) = (item / headCount, item % headCount)
          // Head a of sequence b: column a * D of its [T, H] block, rows H apart.
          let head = b * tokens * hidden + a * headSize
          let itemProbabilities = p + item * tokens * tokens
          // scores = q' k^T: [T, D] times [D, T] (k read transposed), into the probabilities.
          bn_sgemm_tile(
            kernel, 0, 1, headSize, 1, q + head, hidden, k + head, hidden, nil, 0, itemProbabilities, tokens,
            0, tokens, 0, tokens)
          // p = softmax(scores + mask), row by row.
          withUnsafeTemporaryAllocation(of: Float.self, capacity: tokens) { scratch in
            guard let scratch = scratch.baseAddress else { return }
            for row in 0..<tokens {
              let scores = itemProbabilities + row * tokens
              maskedSoftmaxRow(
                scores, mask: mask.map { $0 + b * tokens }, scratch: scratch, output: scores, length: tokens)
            }
          }
          // context = p v: [T, T] times [T, D], written at head a's columns.
          bn_sgemm_tile(
            kernel, 0, 0, tokens, 1, itemProbabilities, tokens, v + head, hidden, nil, 0, c + head, hidden, 0,
            tokens, 0, headSize)
        }
      }
      contextInitialized = batch * tokens * hidden
    }
    initialized = probabilityCount
  }
  return (
    Tensor(shape: shape, scalars: context),
    Tensor(shape: [batch, headCount, tokens, tokens], scalars: probabilities)
  )
}

/// The teaching version of `multiHeadAttention`: heads split into [B, A, T, D], two batched
/// products and the masked softmax, the heads merged back.
public func multiHeadAttentionReference(
  scaledQueries: Tensor, keys: Tensor, values: Tensor, headCount: Int, additiveMask: Tensor?
) -> (context: Tensor, probabilities: Tensor) {
  let (batch, tokens, hidden) = (scaledQueries.shape[0], scaledQueries.shape[1], scaledQueries.shape[2])
  let headSize = hidden / headCount
  let headed = [batch * headCount, tokens, headSize]
  let q = splitHeads(scaledQueries, headCount: headCount).reshaped(headed)
  let k = splitHeads(keys, headCount: headCount).reshaped(headed)
  let v = splitHeads(values, headCount: headCount).reshaped(headed)
  let scores = matmul(q, k, transposeB: true).reshaped([batch, headCount, tokens, tokens])
  let probabilities = maskedSoftmax(scores, additiveMask: additiveMask)
  let heads = matmul(probabilities.reshaped([batch * headCount, tokens, tokens]), v)
  let context = mergeHeads(heads.reshaped([batch, headCount, tokens, headSize]))
  return (context.reshaped([batch, tokens, hidden]), probabilities)
}

// MARK: - Pointers

/// Runs `body` with the base addresses of three tensors and an optional fourth (empty tensors
/// have none: `body` is then not run).
private func withBasePointers(
  _ first: Tensor, _ second: Tensor, _ third: Tensor, _ fourth: Tensor?,
  _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>?) -> Void
) {
  first.scalars.withUnsafeBufferPointer { a in
    second.scalars.withUnsafeBufferPointer { b in
      third.scalars.withUnsafeBufferPointer { c in
        guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else { return }
        guard let fourth else { return body(a, b, c, nil) }
        fourth.scalars.withUnsafeBufferPointer { d in
          guard let d = d.baseAddress else { return }
          body(a, b, c, d)
        }
      }
    }
  }
}
