import Foundation

// LoadReport: what loading a checkpoint into a model did besides copying tensors.
//
// As the reference's `from_pretrained(..., output_loading_info=True)`: the tensors the model
// needs that the file lacks (initialised instead), the file's tensors the model does not use,
// and, here in addition, the file's tensors read under another spelling of their name.

/// The outcome of loading a checkpoint: initialised, unused and renamed tensors.
public struct LoadReport: Sendable, Equatable {
  /// The class name of the model loaded, e.g. `BertForMaskedLM`.
  public var architecture: String
  /// The weights file read.
  public var file: String
  /// The model's tensors (by their names in the model) that the file does not hold; they were
  /// initialised as the reference's `_init_weights` does, drawing from a generator seeded
  /// with `seed`. In table order.
  public var missing: [String]
  /// The file's tensors the model does not read (a buffer such as the I64
  /// `embeddings.position_ids`, another head's weights, the tied decoder), in file order.
  public var unused: [String]
  /// File name -> model name, for every tensor read under another spelling
  /// (no `bert.` prefix, `LayerNorm.gamma`/`beta`, a tied alias).
  public var renamed: [String: String]
  /// The seed of the generator that initialised the missing tensors.
  public var seed: UInt64

  /// A report of a load with nothing initialised, unused or renamed yet.
  public init(architecture: String, file: String, seed: UInt64) {
    self.architecture = architecture
    self.file = file
    self.missing = []
    self.unused = []
    self.renamed = [:]
    self.seed = seed
  }

  /// Whether every tensor of the model came from the file.
  public var isComplete: Bool { missing.isEmpty }

  /// The warnings to show a user: one for the initialised tensors, one for the unused ones
  /// (none when there are none).
  public var warnings: [String] {
    var lines: [String] = []
    if !missing.isEmpty {
      lines.append(
        "\(architecture): \(Self.count(missing.count)) not in \(file) and newly initialised "
          + "(seed \(seed)): \(missing.joined(separator: ", ")). "
          + "These weights are random: train the model before using what they compute.")
    }
    if !unused.isEmpty {
      lines.append(
        "\(architecture): \(Self.count(unused.count)) of \(file) not used: \(unused.joined(separator: ", "))")
    }
    return lines
  }

  /// Writes `message` to standard error as a warning (the default of the loaders' `warning`).
  public static func printWarning(_ message: String) {
    FileHandle.standardError.write(Data(("warning: " + message + "\n").utf8))
  }

  private static func count(_ n: Int) -> String { n == 1 ? "1 tensor" : "\(n) tensors" }
}
