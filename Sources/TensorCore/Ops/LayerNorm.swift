import CKernels
import Foundation

// Layer normalisation over the last dimension, as BERT applies it after every sublayer
// (`LayerNorm` in the checkpoint: `weight` is gamma, `bias` is beta; eps = 1e-12).
//
// Legend: R rows (all leading dimensions flattened, e.g. B * T), H the normalised dimension.
//
// Numerics: the mean and the variance of each row are accumulated in Double, the variance
// in a second pass over (x - mean)^2, which stays accurate when the mean is large
// compared with the spread (the one-pass E[x^2] - E[x]^2 cancels catastrophically there).

/// What `layerNormBackward` needs from the forward pass.
public struct LayerNormCache: Sendable {
  /// x̂ = (x - mean) / sqrt(var + eps), shaped like the input [..., H].
  public let normalized: Tensor
  /// 1 / sqrt(var + eps) of each row, [R].
  public let inverseStandardDeviation: [Float]

  /// A cache from its two parts (the forward pass builds it).
  public init(normalized: Tensor, inverseStandardDeviation: [Float]) {
    self.normalized = normalized
    self.inverseStandardDeviation = inverseStandardDeviation
  }
}

// MARK: - Forward

/// Layer norm of every row: `y = (x - mean) / sqrt(var + eps) * gamma + beta`.
///
///     mean = (1/H) sum over h of x[h]
///     var  = (1/H) sum over h of (x[h] - mean)^2      (biased, as PyTorch)
///
/// Example: the row [1, 2, 3, 4] has mean 2.5 and variance 1.25, so x̂ = [-1.342, -0.447, 0.447, 1.342].
///
/// - Parameters:
///   - x: [..., H].
///   - gamma: [H], the scale (`LayerNorm.weight`).
///   - beta: [H], the shift (`LayerNorm.bias`).
///   - eps: Added to the variance; BERT uses 1e-12.
/// - Returns: y [..., H] and the cache for the backward pass.
///
/// The fast version: each row in one C call (Sources/CKernels/vector_math.c), the sums in 16
/// Double lanes; `layerNormReference` is the plain loop it is tested against.
public func layerNorm(
  _ x: Tensor, gamma: Tensor, beta: Tensor, eps: Float
) -> (output: Tensor, cache: LayerNormCache) {
  let (rows, length) = rowsAndLength(x)
  precondition(
    gamma.shape == [length] && beta.shape == [length],
    "layerNorm: gamma \(gamma.shape) and beta \(beta.shape) should both be [\(length)] for input \(x.shape)")
  var normalized = [Float](repeating: 0, count: x.count)
  var output = [Float](repeating: 0, count: x.count)
  var inverseStandardDeviation = [Float](repeating: 0, count: rows)
  x.scalars.withUnsafeBufferPointer { x in
    gamma.scalars.withUnsafeBufferPointer { g in
      beta.scalars.withUnsafeBufferPointer { b in
        normalized.withUnsafeMutableBufferPointer { n in
          output.withUnsafeMutableBufferPointer { y in
            inverseStandardDeviation.withUnsafeMutableBufferPointer { inverseStd in
              guard length > 0, let x = x.baseAddress, let g = g.baseAddress, let b = b.baseAddress,
                let n = n.baseAddress, let y = y.baseAddress
              else { return }
              forEachRowBlock(rowCount: rows, rowLength: length) { block in
                for r in block {
                  let start = r * length
                  inverseStd[r] = bn_vec_layer_norm_row(
                    x + start, g, b, Double(eps), n + start, y + start, length)
                }
              }
            }
          }
        }
      }
    }
  }
  return (
    Tensor(shape: x.shape, scalars: output),
    LayerNormCache(
      normalized: Tensor(shape: x.shape, scalars: normalized),
      inverseStandardDeviation: inverseStandardDeviation)
  )
}

/// The teaching version of `layerNorm`: the two passes over each row in plain loops.
public func layerNormReference(
  _ x: Tensor, gamma: Tensor, beta: Tensor, eps: Float
) -> (output: Tensor, cache: LayerNormCache) {
  let (rows, length) = rowsAndLength(x)
  precondition(
    gamma.shape == [length] && beta.shape == [length],
    "layerNorm: gamma \(gamma.shape) and beta \(beta.shape) should both be [\(length)] for input \(x.shape)")
  var normalized = x
  var output = x
  var inverseStandardDeviation = [Float](repeating: 0, count: rows)
  gamma.scalars.withUnsafeBufferPointer { g in
    beta.scalars.withUnsafeBufferPointer { b in
      normalized.scalars.withUnsafeMutableBufferPointer { n in
        output.scalars.withUnsafeMutableBufferPointer { y in
          inverseStandardDeviation.withUnsafeMutableBufferPointer { inverseStd in
            forEachRowBlock(rowCount: rows, rowLength: length) { block in
              for r in block {
                let start = r * length
                var sum: Double = 0
                for h in 0..<length { sum += Double(n[start + h]) }
                let mean = sum / Double(length)
                var squares: Double = 0
                for h in 0..<length {
                  let deviation = Double(n[start + h]) - mean
                  squares += deviation * deviation
                }
                let inverse = 1 / (squares / Double(length) + Double(eps)).squareRoot()
                inverseStd[r] = Float(inverse)
                for h in 0..<length {
                  let value = Float((Double(n[start + h]) - mean) * inverse)
                  n[start + h] = value
                  y[start + h] = value * g[h] + b[h]
                }
              }
            }
          }
        }
      }
    }
  }
  return (output, LayerNormCache(normalized: normalized, inverseStandardDeviation: inverseStandardDeviation))
}

// MARK: - Backward

/// The gradients of `layerNorm` given G = dL/dy.
///
/// With x̂ the normalised row and s = 1 / sqrt(var + eps) (both from the cache):
///
///     dgamma[h] = sum over rows of G[h] * x̂[h]
///     dbeta[h]  = sum over rows of G[h]
///     g[h]      = G[h] * gamma[h]                              (the gradient reaching x̂)
///     dx[h]     = s * (g[h] - mean(g) - x̂[h] * mean(g * x̂))
///
/// The last line is the derivative of x̂ = (x - mean) * s through both the mean and s.
/// Row means and the column sums over rows accumulate in Double.
///
/// - Returns: dx [..., H], dgamma [H], dbeta [H].
public func layerNormBackward(
  _ gradOutput: Tensor, cache: LayerNormCache, gamma: Tensor
) -> (gradInput: Tensor, gradGamma: Tensor, gradBeta: Tensor) {
  checkSameShape(gradOutput, cache.normalized, "layerNormBackward")
  let (rows, length) = rowsAndLength(gradOutput)
  precondition(gamma.shape == [length], "layerNormBackward: gamma \(gamma.shape) should be [\(length)]")
  var gradInput = gradOutput
  gradOutput.scalars.withUnsafeBufferPointer { dy in
    cache.normalized.scalars.withUnsafeBufferPointer { n in
      gamma.scalars.withUnsafeBufferPointer { g in
        cache.inverseStandardDeviation.withUnsafeBufferPointer { inverseStd in
          gradInput.scalars.withUnsafeMutableBufferPointer { dx in
            forEachRowBlock(rowCount: rows, rowLength: length) { block in
              for r in block {
                let start = r * length
                var gradSum: Double = 0
                var gradDotNormalized: Double = 0
                for h in 0..<length {
                  let gradNormalized = Double(dy[start + h] * g[h])
                  gradSum += gradNormalized
                  gradDotNormalized += gradNormalized * Double(n[start + h])
                }
                let meanGrad = Float(gradSum / Double(length))
                let meanGradDotNormalized = Float(gradDotNormalized / Double(length))
                for h in 0..<length {
                  let gradNormalized = dy[start + h] * g[h]
                  dx[start + h] =
                    inverseStd[r] * (gradNormalized - meanGrad - n[start + h] * meanGradDotNormalized)
                }
              }
            }
          }
        }
      }
    }
  }
  // The parameter gradients are column sums over rows, like a bias gradient.
  let gradGamma = addBiasBackward(multiply(gradOutput, cache.normalized))
  return (gradInput, gradGamma, addBiasBackward(gradOutput))
}
