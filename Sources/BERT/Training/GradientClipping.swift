import Foundation

// Clipping by global norm, as `torch.nn.utils.clip_grad_norm_` (what the reference Trainer
// calls with max_grad_norm = 1.0):
//
//   total = sqrt(sum over all parameters and elements of g^2)
//   c     = min(1, max_norm / (total + 1e-6))
//   g     = c * g                       for every gradient
//
// The direction of the whole gradient is kept; only its length is capped. The sum of
// squares is formed in Double, over fixed chunks added in order, so it is the same for any
// thread count (torch forms per-tensor norms in float32, then their norm).

/// Global-norm gradient clipping.
public enum GradientClipping {
  /// The L2 norm of all gradients together, sqrt(sum g^2).
  public static func globalNorm(_ parameters: [Parameter]) -> Double {
    var sumOfSquares = 0.0
    for parameter in parameters {
      parameter.gradient.scalars.withUnsafeBufferPointer { g in
        sumOfSquares += chunkedSumOfSquares(g)
      }
    }
    return sumOfSquares.squareRoot()
  }

  /// Scales all gradients so their global norm is at most `maxNorm`; returns the norm before.
  ///
  /// A non-finite norm is returned as is and the gradients are left alone, so the caller can
  /// stop (torch would multiply every gradient by NaN).
  @discardableResult
  public static func clip(_ parameters: [Parameter], maxNorm: Double) -> Double {
    let total = globalNorm(parameters)
    guard total.isFinite else { return total }
    let coefficient = Float(maxNorm / (total + 1e-6))
    guard coefficient < 1 else { return total }
    for parameter in parameters {
      let count = parameter.gradient.count
      parameter.gradient.scalars.withUnsafeMutableBufferPointer { g in
        guard let g = g.baseAddress else { return }
        forEachChunk(count: count) { range in
          for i in range { g[i] *= coefficient }
        }
      }
    }
    return total
  }

  /// sum x^2 in Double over fixed chunks, partial sums added in chunk order.
  static func chunkedSumOfSquares(_ values: UnsafeBufferPointer<Float>) -> Double {
    let chunkSize = 1 << 15
    let chunks = (values.count + chunkSize - 1) / chunkSize
    var partials = [Double](repeating: 0, count: chunks)
    partials.withUnsafeMutableBufferPointer { partials in
      guard let partials = partials.baseAddress, let x = values.baseAddress else { return }
      forEachChunk(count: values.count, chunkSize: chunkSize) { range in
        var sum = 0.0
        for i in range { sum += Double(x[i]) * Double(x[i]) }
        partials[range.lowerBound / chunkSize] = sum
      }
    }
    return partials.reduce(0, +)
  }
}
