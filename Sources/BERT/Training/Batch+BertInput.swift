// From the training stack's Batch to the model's BertInput, and the checkpoint layout the
// BERT task models share when the Trainer saves them.

import Foundation

extension Batch {
  /// The ids, segments and attention mask as the model reads them (positions 0..<T).
  public var bertInput: BertInput {
    BertInput(
      batchSize: batchSize, sequenceLength: sequenceLength, inputIds: inputIDs, tokenTypeIds: tokenTypeIDs,
      attentionMask: attentionMask)
  }
}

extension TrainableModel where Self: PretrainedModel {
  /// The reference's layout, by `savePretrained(to:)`: `model.safetensors` with the Hugging
  /// Face keys (tied decoder not repeated) and `config.json` naming the architecture, so
  /// `from_pretrained` loads the folder.
  public func writeCheckpointFiles(to directory: URL) throws {
    try savePretrained(to: directory)
  }

  /// The mean loss of a forward pass that must have had labels (a programmer error otherwise).
  func requireLoss(_ loss: Float?, _ context: String) -> Float {
    guard let loss else { preconditionFailure("\(context): the batch has no labels for this head") }
    return loss
  }
}
