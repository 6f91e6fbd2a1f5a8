import Foundation

// Learning-rate schedules, as the reference's `get_scheduler` builds them.
//
// The learning rate of step s (s = 0 for the first update) is lr * f(s), with W warmup
// steps and N training steps in all:
//
//   linear               f = s / W during warmup, then (N - s) / (N - W), never below 0
//   cosine               f = s / W during warmup, then (1 + cos(pi * (s - W) / (N - W))) / 2
//   constant             f = 1 (warmup ignored, as the reference's "constant")
//   constant_with_warmup f = s / W during warmup, then 1
//
// As in the reference, the first update uses f(0), which is 0 with warmup: the optimizer
// sees a zero learning rate once, and the rate reaches lr at step W.

/// The shape of a learning-rate schedule, named as the reference's `lr_scheduler_type`.
public enum LearningRateSchedulerType: String, Sendable, Equatable, Codable, CaseIterable {
  /// Linear warmup, then linear decay to 0 at the last step (the reference default).
  case linear
  /// Linear warmup, then a half cosine down to 0.
  case cosine
  /// The same rate throughout.
  case constant
  /// Linear warmup, then constant.
  case constantWithWarmup = "constant_with_warmup"
}

/// A learning rate for every step.
///
/// ```
/// let schedule = LearningRateSchedule(
///   type: .linear, learningRate: 5e-5, warmupSteps: 500, totalSteps: 10_000)
/// schedule.learningRate(at: 250)    // 2.5e-05
/// schedule.learningRate(at: 5250)   // 2.5e-05
/// ```
public struct LearningRateSchedule: Sendable, Equatable, Codable {
  /// The shape.
  public var type: LearningRateSchedulerType
  /// The peak learning rate lr.
  public var learningRate: Double
  /// W, the warmup steps.
  public var warmupSteps: Int
  /// N, the total number of updates.
  public var totalSteps: Int

  /// A schedule of `totalSteps` updates.
  public init(type: LearningRateSchedulerType, learningRate: Double, warmupSteps: Int, totalSteps: Int) {
    self.type = type
    self.learningRate = learningRate
    self.warmupSteps = warmupSteps
    self.totalSteps = totalSteps
  }

  /// f(s), the factor applied to the peak rate at step `step` (0-based).
  public func factor(at step: Int) -> Double {
    let s = Double(step)
    let w = Double(warmupSteps)
    if type != .constant && step < warmupSteps { return s / max(1, w) }
    let remaining = Double(max(1, totalSteps - warmupSteps))
    switch type {
    case .linear:
      return max(0, Double(totalSteps - step) / remaining)
    case .cosine:
      let progress = (s - w) / remaining
      return max(0, 0.5 * (1 + cos(Double.pi * progress)))
    case .constant, .constantWithWarmup:
      return 1
    }
  }

  /// lr * f(s), the learning rate of step `step` (0-based).
  public func learningRate(at step: Int) -> Double {
    learningRate * factor(at: step)
  }
}
