import Foundation

/// Why training stopped or could not start.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
  /// The loss of a step was NaN or infinite; the weights are those before that step.
  case nonFiniteLoss(step: Int, loss: Float, lastCheckpoint: String?)
  /// The gradient norm of a step was NaN or infinite; the weights are those before that step.
  case nonFiniteGradient(step: Int, norm: Double, lastCheckpoint: String?)
  /// A setting that cannot work.
  case invalidArguments(String)
  /// The training dataset is empty.
  case emptyDataset
  /// A checkpoint folder that cannot be written or read back.
  case checkpoint(String)

  /// A message naming the step and the checkpoint to resume from, or what is wrong.
  public var description: String {
    switch self {
    case .nonFiniteLoss(let step, let loss, let checkpoint):
      return "training stopped: the loss is \(loss) at step \(step)" + Self.resumeHint(checkpoint)
    case .nonFiniteGradient(let step, let norm, let checkpoint):
      return "training stopped: the gradient norm is \(norm) at step \(step)" + Self.resumeHint(checkpoint)
    case .invalidArguments(let message):
      return "invalid training arguments: \(message)"
    case .emptyDataset:
      return "the training dataset is empty"
    case .checkpoint(let message):
      return "checkpoint: \(message)"
    }
  }

  private static func resumeHint(_ checkpoint: String?) -> String {
    guard let checkpoint else { return "; no checkpoint was saved before it" }
    return "; the last good checkpoint is \(checkpoint)"
  }
}
