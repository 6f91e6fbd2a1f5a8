// From the training stack's Batch to the model's BertInput, and the checkpoint layout the
// BERT task models share when the Trainer saves them.

import Foundation
import SafeTensors

extension Batch {
  /// The ids, segments and attention mask as the model reads them (positions 0..<T).
  public var bertInput: BertInput {
    BertInput(
      batchSize: batchSize, sequenceLength: sequenceLength, inputIds: inputIDs, tokenTypeIds: tokenTypeIDs,
      attentionMask: attentionMask)
  }
}

extension TrainableModel where Self: ParameterizedModel {
  /// The reference's layout: `model.safetensors` with the Hugging Face keys (sorted, tied
  /// decoder not repeated) and `config.json` naming the architecture, so `from_pretrained`
  /// loads the folder.
  public func writeCheckpointFiles(to directory: URL) throws {
    let tensors = namedParameters().map { (name: $0.name, tensor: $0.parameter.value) }.sorted {
      $0.name < $1.name
    }
    try SafeTensorsWriter.write(tensors, to: directory.appendingPathComponent("model.safetensors"))
    var configuration = config
    configuration.architectures = [String(describing: Self.self)]
    try configuration.write(to: directory.appendingPathComponent("config.json"))
  }

  /// The mean loss of a forward pass that must have had labels (a programmer error otherwise).
  func requireLoss(_ loss: Float?, _ context: String) -> Float {
    guard let loss else { preconditionFailure("\(context): the batch has no labels for this head") }
    return loss
  }
}
