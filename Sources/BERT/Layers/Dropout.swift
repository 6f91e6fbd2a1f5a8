// Dropout: in training, zero each unit with probability p and scale the rest by 1 / (1 - p).
//
// Shapes: any; the mask has the shape of the input. Outside `.training` it is the identity.

/// Inverted dropout with a fixed probability, active only in `ForwardMode.training`.
public struct Dropout: Sendable {
  /// The probability p of zeroing a unit.
  public let probability: Float

  /// Dropout with probability `probability` (0 turns it off).
  public init(probability: Float) {
    precondition(
      probability >= 0 && probability < 1, "Dropout: probability must be in [0, 1), got \(probability)")
    self.probability = probability
  }

  // MARK: - Forward

  /// `y = x * mask` with mask in {0, 1 / (1 - p)} when `mode` applies dropout, else `y = x`.
  ///
  /// Returns the mask for backward (nil when nothing was dropped), one byte per element
  /// (TensorCore's DropoutMask.swift): the same draws and output as `dropout`, in a quarter
  /// of the memory of its Float mask.
  public func forward(
    _ input: Tensor, mode: ForwardMode, rng: inout RandomGenerator
  ) -> (output: Tensor, mask: DropoutMask?) {
    guard mode.appliesDropout, probability > 0 else { return (input, nil) }
    let (output, mask) = compactDropout(input, probability: probability, rng: &rng)
    return (output, mask)
  }

  // MARK: - Backward

  /// Differentiates `y = x * mask`: dx = g * mask (dx = g when nothing was dropped).
  public func backward(_ gradOutput: Tensor, mask: DropoutMask?) -> Tensor {
    guard let mask else { return gradOutput }
    return mask.apply(to: gradOutput)
  }
}
