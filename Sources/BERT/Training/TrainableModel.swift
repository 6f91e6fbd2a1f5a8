import Foundation
import SafeTensors

// TrainableModel: what the Trainer needs from a model, and nothing more.
//
//   namedParameters   the tensors AdamW updates, named as in the checkpoint
//   trainingStep      forward + backward on one batch, dropout on: gradients added, loss returned
//   evaluationStep    forward only, dropout off: loss and the outputs metrics read
//
// Checkpoint files default to `model.safetensors` holding `namedParameters()` (plus a
// `config.json` when the model gives one); models with a richer layout (tied weights, the
// reference's key names) provide their own.

/// The outputs of a forward pass without gradients, for evaluation and prediction.
public struct EvaluationStep: Sendable {
  /// The mean loss of the batch, when it has labels.
  public var loss: Float?
  /// One row of scores per prediction, [N, C]: per example (classification) or per
  /// labelled position (masked LM).
  public var predictions: Tensor?
  /// The label of each prediction row, N of them.
  public var labels: [Int]?

  /// Outputs of one evaluation batch.
  public init(loss: Float?, predictions: Tensor? = nil, labels: [Int]? = nil) {
    self.loss = loss
    self.predictions = predictions
    self.labels = labels
  }
}

/// A model the Trainer can train: parameters, a training step and an evaluation step.
public protocol TrainableModel: AnyObject {
  /// Every trainable parameter once, with its checkpoint name, in a fixed order.
  func namedParameters() -> [(name: String, parameter: Parameter)]

  /// Runs forward and backward on `batch` in training mode and returns the mean loss.
  ///
  /// Adds d(loss)/d(parameter) into each parameter's gradient (the Trainer zeroes them
  /// before each step). Dropout draws from `rng`.
  func trainingStep(on batch: Batch, rng: inout RandomGenerator) -> Float

  /// Runs forward without dropout or gradients.
  func evaluationStep(on batch: Batch) -> EvaluationStep

  /// The `config.json` of a checkpoint, or nil when the model has none.
  func checkpointConfiguration() throws -> Data?

  /// Writes the model's files of a checkpoint into `directory` (which exists).
  func writeCheckpointFiles(to directory: URL) throws

  /// Reads weights back from a folder `writeCheckpointFiles(to:)` wrote.
  func readCheckpointFiles(from directory: URL) throws
}

extension TrainableModel {
  /// No configuration file by default.
  public func checkpointConfiguration() throws -> Data? { nil }

  /// `model.safetensors` with every named parameter (sorted by name, as the reference
  /// writes), and `config.json` when there is one.
  public func writeCheckpointFiles(to directory: URL) throws {
    let tensors = namedParameters().map { (name: $0.name, tensor: $0.parameter.value) }.sorted {
      $0.name < $1.name
    }
    try SafeTensorsWriter.write(tensors, to: directory.appendingPathComponent("model.safetensors"))
    if let configuration = try checkpointConfiguration() {
      try configuration.write(to: directory.appendingPathComponent("config.json"), options: .atomic)
    }
  }

  /// Reads every named parameter from `model.safetensors`.
  ///
  /// - Throws: `TrainingError.checkpoint` naming a missing or misshapen tensor, or the
  ///   reader's error for a bad file.
  public func readCheckpointFiles(from directory: URL) throws {
    let url = directory.appendingPathComponent("model.safetensors")
    let file = try SafeTensorsFile(contentsOf: url)
    for (name, parameter) in namedParameters() {
      guard file.entry(name) != nil else {
        throw TrainingError.checkpoint("\(url.path) lacks tensor \(name)")
      }
      let tensor = try file.tensor(name)
      guard tensor.shape == parameter.shape else {
        throw TrainingError.checkpoint(
          "\(url.path): tensor \(name) has shape \(tensor.shape), the model expects \(parameter.shape)")
      }
      parameter.value = tensor
    }
  }
}
