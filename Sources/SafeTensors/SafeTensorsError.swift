// SafeTensorsError: every problem with a safetensors file, named by file and tensor.

/// A problem reading or writing a safetensors file.
///
/// The description names the file, the tensor when one is involved, and what was expected,
/// for example `model.safetensors: tensor "pooler.dense.bias": data_offsets [0, 12] hold 12 bytes,
/// but F32 [4] needs 16`.
public struct SafeTensorsError: Error, CustomStringConvertible, Sendable {
  /// The path of the file.
  public let file: String
  /// The tensor the problem concerns, when it concerns one.
  public let tensor: String?
  /// What is wrong and what was expected.
  public let message: String

  /// An error about `file` (and `tensor`, when given).
  public init(file: String, tensor: String? = nil, message: String) {
    self.file = file
    self.tensor = tensor
    self.message = message
  }

  /// `file: tensor "name": message`, or `file: message` when no tensor is involved.
  public var description: String {
    if let tensor {
      return "\(file): tensor \"\(tensor)\": \(message)"
    }
    return "\(file): \(message)"
  }
}
