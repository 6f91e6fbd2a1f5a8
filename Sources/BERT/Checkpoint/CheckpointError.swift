// CheckpointError: a checkpoint folder that does not fit the model it is loaded into.
//
// Problems with the files themselves surface as the readers' errors, which name the file too:
// `BERTConfigError` for config.json (invalid JSON, a field of the wrong type), `SafeTensorsError`
// for model.safetensors (truncated, a header past the end, offsets out of range or overlapping,
// an unknown dtype, a tensor that is not floating point), `WordPieceError` for vocab.txt.

/// A checkpoint whose contents do not match its configuration or the requested model.
///
/// The description names the file, the tensor when one is involved, and what was expected,
/// for example `model.safetensors: tensor "bert.pooler.dense.weight": shape [16, 8] in the
/// file, but config.json implies [16, 16]`.
public struct CheckpointError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What kind of mismatch.
  public enum Kind: Sendable, Equatable {
    /// A tensor's shape differs from the one the configuration implies.
    case shapeMismatch(found: [Int], expected: [Int])
    /// A tensor of the base model (embeddings or an encoder layer) is absent.
    case missingTensor
    /// config.json names an architecture this package does not build.
    case unknownArchitecture(String)
    /// A file or folder cannot be read or written.
    case unreadable
  }

  /// The path of the file at fault.
  public let file: String
  /// The tensor the problem concerns, when it concerns one.
  public let tensor: String?
  /// The kind of mismatch.
  public let kind: Kind
  /// What is wrong and what was expected, in words.
  public let message: String

  /// An error about `file` (and `tensor`, when given).
  public init(file: String, tensor: String? = nil, kind: Kind, message: String) {
    self.file = file
    self.tensor = tensor
    self.kind = kind
    self.message = message
  }

  /// `file: tensor "name": message`, or `file: message`.
  public var description: String {
    if let tensor { return "\(file): tensor \"\(tensor)\": \(message)" }
    return "\(file): \(message)"
  }
}
