import Foundation
import SafeTensors

// Checkpoints: one folder per save, `<outputDir>/checkpoint-<step>/`:
//
//   model.safetensors        the weights (the model's own layout: for BERT, the reference's
//   config.json              names, so `from_pretrained` loads the folder)
//   vocab.txt, tokenizer_config.json   the Trainer's tokenizer, when it has one
//   optimizer.safetensors    AdamW's moments, `exp_avg.<name>` and `exp_avg_sq.<name>`
//   trainer_state.json       step, epoch, data position, generator state, scheduler step,
//                            log history
//   training_args.json       the settings of the run
//
// The folder is written as `tmp-checkpoint-<step>` and renamed when complete, so a save cut
// short never leaves a folder named like a checkpoint.

extension Trainer {
  /// Writes a checkpoint of the current step into `args.outputDir`.
  ///
  /// - Returns: The checkpoint folder.
  @discardableResult
  public func saveCheckpoint() throws -> URL {
    guard let optimizer else {
      throw TrainingError.checkpoint("nothing to save before train() has started")
    }
    let output = URL(fileURLWithPath: args.outputDir)
    let final = output.appendingPathComponent("checkpoint-\(state.globalStep)")
    let temporary = output.appendingPathComponent("tmp-checkpoint-\(state.globalStep)")
    let files = FileManager.default
    do {
      try? files.removeItem(at: temporary)
      try files.createDirectory(at: temporary, withIntermediateDirectories: true)
      try writeModelFiles(to: temporary)
      try SafeTensorsWriter.write(
        optimizer.stateTensors(), metadata: ["format": "pt", "step": String(optimizer.stepCount)],
        to: temporary.appendingPathComponent("optimizer.safetensors"))
      try Self.writeJSON(state, to: temporary.appendingPathComponent("trainer_state.json"))
      try Self.writeJSON(args, to: temporary.appendingPathComponent("training_args.json"))
      if files.fileExists(atPath: final.path) { try files.removeItem(at: final) }
      try files.moveItem(at: temporary, to: final)
    } catch let error as TrainingError {
      throw error
    } catch {
      throw TrainingError.checkpoint("cannot write \(final.path): \(error)")
    }
    lastCheckpoint = final
    return final
  }

  /// Writes the model files alone (the reference's `save_model`) into `directory`, by default
  /// `args.outputDir`.
  public func saveModel(to directory: URL? = nil) throws {
    let folder = directory ?? URL(fileURLWithPath: args.outputDir)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try writeModelFiles(to: folder)
  }

  /// The model's files, with the tokenizer's beside them when there is one and the model
  /// saves like `save_pretrained`.
  func writeModelFiles(to folder: URL) throws {
    if let tokenizer, let pretrained = model as? any PretrainedModel {
      try pretrained.savePretrained(to: folder, tokenizer: tokenizer)
    } else {
      try model.writeCheckpointFiles(to: folder)
    }
  }

  /// Restores weights, optimizer and state from a checkpoint folder.
  func resume(from checkpoint: URL, optimizer: AdamW) throws {
    let stateURL = checkpoint.appendingPathComponent("trainer_state.json")
    let saved: TrainerState
    do {
      saved = try JSONDecoder().decode(TrainerState.self, from: Data(contentsOf: stateURL))
    } catch let error as TrainingError {
      throw error
    } catch {
      throw TrainingError.checkpoint("cannot read \(stateURL.path): \(error)")
    }
    guard saved.maxSteps == state.maxSteps else {
      throw TrainingError.checkpoint(
        "\(checkpoint.path) belongs to a run of \(saved.maxSteps) steps; these arguments make \(state.maxSteps)"
      )
    }
    try model.readCheckpointFiles(from: checkpoint)
    let optimizerFile = try SafeTensorsFile(
      contentsOf: checkpoint.appendingPathComponent("optimizer.safetensors"))
    guard let stepText = optimizerFile.metadata["step"], let step = Int(stepText) else {
      throw TrainingError.checkpoint("\(optimizerFile.url.path) has no step in its metadata")
    }
    try optimizer.restore(stepCount: step) { name in
      optimizerFile.entry(name) == nil ? nil : try optimizerFile.tensor(name)
    }
    state = saved
    lastCheckpoint = checkpoint
  }

  static func writeJSON<Value: Encodable>(_ value: Value, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(value).write(to: url)
  }
}
