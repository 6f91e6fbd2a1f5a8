// Dropout with its mask kept in bytes: what a training step stores for backward.
//
// `dropout(_:probability:rng:)` returns its mask as a Float tensor of 0 and 1 / (1 - p), the
// plain form to read and test. Backward needs the mask of every dropout until the step ends,
// and in a BERT layer three of them are as large as the activations they drop (the attention
// probabilities' is [B, A, T, T]): as Floats they were about a sixth of a step's memory.
// Here each element's mask is one byte, kept (1) or dropped (0), and the Float factor is
// formed again where it is used. The uniforms are the same draws in the same order and every
// product is the same `x * factor`, so outputs and gradients are bitwise those of `dropout`.

/// Which elements a dropout kept, one byte each, and the factor 1 / (1 - p) of the kept ones.
public struct DropoutMask: Sendable, Equatable {
  /// The shape of the tensor the mask was drawn for.
  public let shape: [Int]
  /// 1 / (1 - p), the factor on kept elements.
  public let keptScale: Float
  /// 1 where the element was kept, 0 where it was dropped, in row-major order.
  public let kept: [UInt8]

  /// The mask in the Float form `dropout` returns: 0 or `keptScale` per element.
  public var tensor: Tensor {
    Tensor(shape: shape, scalars: kept.map { $0 != 0 ? keptScale : 0 })
  }

  /// `x * mask`, elementwise: the forward output for `x`, or the backward gradient for `dL/dy`.
  public func apply(to x: Tensor) -> Tensor {
    precondition(x.shape == shape, "DropoutMask.apply: tensor \(x.shape) does not fit the mask \(shape)")
    let count = x.count
    let scale = keptScale
    let scalars = [Float](unsafeUninitializedCapacity: count) { y, initialized in
      defer { initialized = count }
      x.scalars.withUnsafeBufferPointer { x in
        kept.withUnsafeBufferPointer { kept in
          guard let y = y.baseAddress, let x = x.baseAddress, let kept = kept.baseAddress else { return }
          forEachRowBlock(rowCount: count, rowLength: 1) { block in
            for i in block { y[i] = x[i] * (kept[i] != 0 ? scale : 0) }
          }
        }
      }
    }
    return Tensor(shape: shape, scalars: scalars)
  }
}

/// `dropout(_:probability:rng:)` with the mask kept as bytes: the same draws, the same output.
///
/// - Parameters:
///   - x: Any shape.
///   - probability: p, in [0, 1).
///   - rng: The generator; it advances by `x.count` draws (none when p == 0).
/// - Returns: y, shaped like x, and the mask.
public func compactDropout(
  _ x: Tensor, probability: Float, rng: inout RandomGenerator
) -> (output: Tensor, mask: DropoutMask) {
  precondition(probability >= 0 && probability < 1, "dropout: probability \(probability) is not in [0, 1)")
  let count = x.count
  guard probability > 0 else {
    return (x, DropoutMask(shape: x.shape, keptScale: 1, kept: [UInt8](repeating: 1, count: count)))
  }
  let kept = [UInt8](unsafeUninitializedCapacity: count) { m, initialized in
    defer { initialized = count }
    guard let m = m.baseAddress else { return }
    rng.forEachUniform(count: count) { i, u in m[i] = u < probability ? 0 : 1 }
  }
  let mask = DropoutMask(shape: x.shape, keptScale: 1 / (1 - probability), kept: kept)
  return (mask.apply(to: x), mask)
}
