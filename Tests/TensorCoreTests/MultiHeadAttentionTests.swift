import Foundation
import Testing

@testable import TensorCore

@Suite("Ops: multi-head attention with the heads read in place")
struct MultiHeadAttentionTests {
  /// Random q', k, v [B, T, H] and a mask [B, T] that pads the last `b` tokens of item b.
  static func inputs(
    batch: Int, tokens: Int, hidden: Int, seed: UInt64
  ) -> (
    q: Tensor, k: Tensor, v: Tensor, mask: Tensor
  ) {
    var rng = RandomGenerator(seed: seed)
    let shape = [batch, tokens, hidden]
    let keep = (0..<(batch * tokens)).map { Float(($0 % tokens) < tokens - $0 / tokens ? 1 : 0) }
    return (
      rng.normalTensor(shape: shape), rng.normalTensor(shape: shape), rng.normalTensor(shape: shape),
      additiveAttentionMask(Tensor(shape: [batch, tokens], scalars: keep))
    )
  }

  @Test(
    "the in-place version equals the split-and-merge version bit for bit, odd shapes, with and without mask",
    arguments: [(1, 1, 1, 1), (2, 5, 6, 3), (3, 17, 40, 4), (2, 33, 96, 12), (1, 130, 64, 2)])
  func matchesReference(batch: Int, tokens: Int, hidden: Int, heads: Int) {
    let (q, k, v, mask) = Self.inputs(batch: batch, tokens: tokens, hidden: hidden, seed: UInt64(tokens))
    for additiveMask in [nil, mask] {
      let fast = multiHeadAttention(
        scaledQueries: q, keys: k, values: v, headCount: heads, additiveMask: additiveMask)
      let plain = multiHeadAttentionReference(
        scaledQueries: q, keys: k, values: v, headCount: heads, additiveMask: additiveMask)
      #expect(fast.context.shape == [batch, tokens, hidden])
      #expect(fast.probabilities.shape == [batch, heads, tokens, tokens])
      #expect(
        fast.context == plain.context,
        "context differs: max difference \(fast.context.maxAbsDifference(plain.context))")
      #expect(
        fast.probabilities == plain.probabilities,
        "probabilities differ: max difference \(fast.probabilities.maxAbsDifference(plain.probabilities))")
    }
  }

  @Test("the context and probabilities agree with plain loops in Double within 1e-5")
  func matchesLoops() {
    let (batch, tokens, hidden, heads) = (2, 9, 12, 3)
    let headSize = hidden / heads
    let (q, k, v, mask) = Self.inputs(batch: batch, tokens: tokens, hidden: hidden, seed: 7)
    let result = multiHeadAttention(
      scaledQueries: q, keys: k, values: v, headCount: heads, additiveMask: mask)
    var worstProbability: Double = 0
    var worstContext: Double = 0
    for b in 0..<batch {
      let realKeys = tokens - b
      for a in 0..<heads {
        for i in 0..<tokens {
          // Scores over the real keys only: padded keys get weight 0.
          let scores = (0..<realKeys).map { j in
            (0..<headSize).reduce(0.0) { sum, d in
              sum + Double(q[b, i, a * headSize + d]) * Double(k[b, j, a * headSize + d])
            }
          }
          let maximum = scores.max() ?? 0
          let exponentials = scores.map { exp($0 - maximum) }
          let total = exponentials.reduce(0, +)
          let p = (0..<tokens).map { $0 < realKeys ? exponentials[$0] / total : 0 }
          for j in 0..<tokens {
            worstProbability = max(worstProbability, abs(p[j] - Double(result.probabilities[b, a, i, j])))
          }
          for d in 0..<headSize {
            let expected = (0..<tokens).reduce(0.0) { $0 + p[$1] * Double(v[b, $1, a * headSize + d]) }
            worstContext = max(worstContext, abs(expected - Double(result.context[b, i, a * headSize + d])))
          }
        }
      }
    }
    #expect(worstProbability < 1e-5, "probabilities: max difference \(worstProbability)")
    #expect(worstContext < 1e-5, "context: max difference \(worstContext)")
  }

  @Test("the result does not depend on the thread count")
  func threadCountIndependent() {
    let (q, k, v, mask) = Self.inputs(batch: 2, tokens: 21, hidden: 24, seed: 3)
    let saved = Parallel.threadCount
    Parallel.threadCount = 1
    let single = multiHeadAttention(scaledQueries: q, keys: k, values: v, headCount: 4, additiveMask: mask)
    Parallel.threadCount = 3
    let multiple = multiHeadAttention(scaledQueries: q, keys: k, values: v, headCount: 4, additiveMask: mask)
    Parallel.threadCount = saved
    let contextDifference = single.context.maxAbsDifference(multiple.context)
    let probabilityDifference = single.probabilities.maxAbsDifference(multiple.probabilities)
    #expect(single.context == multiple.context, "context: max difference \(contextDifference)")
    #expect(
      single.probabilities == multiple.probabilities, "probabilities: max difference \(probabilityDifference)"
    )
  }
}
