/// A trainable tensor and the gradient accumulated for it.
///
/// A class, so that a model, its optimizer and a checkpoint loader all see the same
/// storage: the loader writes `value`, backward passes add into `gradient`, and the
/// optimizer reads both. `gradient` always has the shape of `value`.
public final class Parameter: @unchecked Sendable {
  /// The current weights.
  public var value: Tensor {
    didSet {
      if gradient.shape != value.shape { gradient = Tensor(zeros: value.shape) }
      packedWeights.invalidate()
    }
  }
  /// `value` packed for the matrix products of `linear`, made on first use and dropped
  /// whenever `value` changes (see Matmul/PackedMatrix.swift).
  public let packedWeights = PackedWeightCache()
  /// The gradient of the loss with respect to `value`, summed over backward passes since
  /// the last `zeroGradient()`.
  public var gradient: Tensor

  /// A parameter holding `value`, with a zero gradient.
  public init(_ value: Tensor) {
    self.value = value
    self.gradient = Tensor(zeros: value.shape)
  }

  /// The shape of the weights.
  public var shape: [Int] { value.shape }

  /// Sets the gradient to zero.
  public func zeroGradient() {
    gradient = Tensor(zeros: value.shape)
  }

  /// Adds `delta` into the gradient (shapes must match).
  public func accumulate(_ delta: Tensor) {
    checkSameShape(gradient, delta, "Parameter.accumulate")
    gradient.scalars.withUnsafeMutableBufferPointer { g in
      delta.scalars.withUnsafeBufferPointer { d in
        guard let g = g.baseAddress, let d = d.baseAddress else { return }
        forEachRowBlock(rowCount: delta.count, rowLength: 1) { block in
          for i in block { g[i] += d[i] }
        }
      }
    }
  }
}
