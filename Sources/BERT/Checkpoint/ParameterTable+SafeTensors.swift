import Foundation
import SafeTensors

// Assigning a model's parameters from a safetensors file, strictly, by the parameter table.
//
// This is the minimal path the reference-logit tests use: every key of the table must be in
// the file under exactly that name, with exactly the expected shape. The checkpoint loader
// (folders, aliases, missing and unused tensors, warnings) builds on the same table.

extension ParameterizedModel {
  /// Sets every parameter from the tensor of the same name in `file`.
  ///
  /// - Returns: the file's tensors the table does not name (e.g. `embeddings.position_ids`).
  /// - Throws: `SafeTensorsError` naming the file and the tensor when a tensor is missing,
  ///   cannot be read as Float32, or has a shape other than the table's.
  @discardableResult
  func assignParameters(from file: SafeTensorsFile) throws -> [String] {
    let table = parameterTable()
    for entry in table {
      guard file.entry(entry.name) != nil else {
        throw SafeTensorsError(file: file.url.path, tensor: entry.name, message: "missing")
      }
      let value = try file.tensor(entry.name)
      guard value.shape == entry.expectedShape else {
        throw SafeTensorsError(
          file: file.url.path, tensor: entry.name,
          message: "shape \(value.shape), the config needs \(entry.expectedShape)")
      }
      entry.parameter.value = value
    }
    let named = Set(table.map(\.name))
    return file.entries.map(\.name).filter { !named.contains($0) }
  }
}
