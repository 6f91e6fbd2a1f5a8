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
  /// 1 - lr * weight_decay, or 1 for a parameter that is not decayed.
  public var decay: Float
  /// 1 - beta1.
  public var oneMinusBeta1: Float
  /// beta2.
  public var beta2: Float
  /// 1 - beta2.
  public var oneMinusBeta2: Float
  /// lr / (1 - beta1^t).
  public var stepSize: Float
  /// sqrt(1 - beta2^t).
  public var correction2Root: Float
  /// eps.
  public var epsilon: Float

  public init(
    decay: Float, oneMinusBeta1: Float, beta2: Float, oneMinusBeta2: Float, stepSize: Float,
    correction2Root: Float, epsilon: Float
  ) {
    self.decay = decay
    self.oneMinusBeta1 = oneMinusBeta1
    self.beta2 = beta2
    self.oneMinusBeta2 = oneMinusBeta2
    self.stepSize = stepSize
    self.correction2Root = correction2Root
    self.epsilon = epsilon
  }

  /// The teaching version: one element's new value and moments.
  public func updated(
    parameter p: Float, gradient g: Float, firstMoment m: Float, secondMoment v: Float
  ) -> (parameter: Float, firstMoment: Float, secondMoment: Float) {
    let m = m + oneMinusBeta1 * (g - m)
    let v = v * beta2 + oneMinusBeta2 * g * g
    let p = p * decay - stepSize * (m / (v.squareRoot() / correction2Root + epsilon))
    return (p, m, v)
  }

  /// The fast version: updates `count` elements in place (`bn_vec_adamw`). The four buffers
  /// must not overlap.
  public func apply(
    parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
    firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>, count: Int
  ) {
    var constants = bn_adamw_constants(
      decay: decay, one_minus_beta1: oneMinusBeta1, beta2: beta2, one_minus_beta2: oneMinusBeta2,
      step_size: stepSize, correction2_root: correction2Root, eps: epsilon)
    bn_vec_adamw(parameter, gradient, firstMoment, secondMoment, count, &constants)
  }
}
