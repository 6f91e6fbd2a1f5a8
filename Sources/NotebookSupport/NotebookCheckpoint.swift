import Foundation

// Where chapter 05 leaves the small BERT it pretrains, for chapters 02, 04 and 06 to read.

/// Chapter 05's checkpoint folder, relative to the package root.
public let notebookCheckpointPath = "models/notebook-bert"

/// The checkpoint folder to read: `path` (a `--model` option) when given, else chapter 05's
/// folder when it holds a model, else nil.
public func locateCheckpoint(_ path: String?) -> URL? {
  if let path { return URL(fileURLWithPath: path) }
  let folder = URL(fileURLWithPath: notebookCheckpointPath)
  let weights = folder.appendingPathComponent("model.safetensors").path
  return FileManager.default.fileExists(atPath: weights) ? folder : nil
}
