import CKernels

// The elementwise part of an AdamW step (the optimizer itself, with its moments and the
// rule's derivation, is BERT's `AdamW`). Every element of every parameter goes through it on
// every step, so it runs as a vectorised C loop; `updated` is the readable form, and the
// tests check that the two agree bit for bit.

/// The constants of one AdamW step for one parameter, and the update they define.
///
/// For each element, in Float and in this order:
///
///     m = m + (1 - beta1) * (g - m)
///     v = v * beta2 + (1 - beta2) * g * g
///     p = p * decay - stepSize * (m / (sqrt(v) / correction2Root + epsilon))
public struct AdamWUpdate: Sendable {
  /// The constants as the C loop takes them.
  private let constants: bn_adamw_constants

  /// - Parameters:
  ///   - decay: 1 - lr * weight_decay, or 1 for a parameter that is not decayed.
  ///   - oneMinusBeta1: 1 - beta1.
  ///   - beta2: beta2.
  ///   - oneMinusBeta2: 1 - beta2.
  ///   - stepSize: lr / (1 - beta1^t).
  ///   - correction2Root: sqrt(1 - beta2^t).
  ///   - epsilon: eps.
  public init(
    decay: Float, oneMinusBeta1: Float, beta2: Float, oneMinusBeta2: Float, stepSize: Float,
    correction2Root: Float, epsilon: Float
  ) {
    constants = bn_adamw_constants(
      decay: decay, one_minus_beta1: oneMinusBeta1, beta2: beta2, one_minus_beta2: oneMinusBeta2,
      step_size: stepSize, correction2_root: correction2Root, eps: epsilon)
  }

  /// The teaching version: one element's new value and moments.
  public func updated(
    parameter p: Float, gradient g: Float, firstMoment m: Float, secondMoment v: Float
  ) -> (parameter: Float, firstMoment: Float, secondMoment: Float) {
    let k = constants
    let m = m + k.one_minus_beta1 * (g - m)
    let v = v * k.beta2 + k.one_minus_beta2 * g * g
    let p = p * k.decay - k.step_size * (m / (v.squareRoot() / k.correction2_root + k.eps))
    return (p, m, v)
  }

  /// The fast version: updates `count` elements in place (`bn_vec_adamw`). The four buffers
  /// must not overlap.
  public func apply(
    parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
    firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>, count: Int
  ) {
    withUnsafePointer(to: constants) { constants in
      bn_vec_adamw(parameter, gradient, firstMoment, secondMoment, count, constants)
    }
  }
}
