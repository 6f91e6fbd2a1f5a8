import Foundation
import SafeTensors

// Reading and writing config.json files, with errors that name the file and the field.

/// A `config.json` that cannot be read or does not describe a usable BERT.
public struct BERTConfigError: Error, CustomStringConvertible, Sendable {
  /// The path of the file.
  public let file: String
  /// The field at fault (its `config.json` name), when one is.
  public let field: String?
  /// What is wrong and what was expected.
  public let message: String

  /// An error about `file` (and `field`, when given).
  public init(file: String, field: String? = nil, message: String) {
    self.file = file
    self.field = field
    self.message = message
  }

  /// `file: field "name": message`, or `file: message`.
  public var description: String {
    if let field { return "\(file): field \"\(field)\": \(message)" }
    return "\(file): \(message)"
  }
}

extension BERTConfig {
  /// Reads `config.json` at `url` and checks it describes a model this package can build.
  ///
  /// - Throws: `BERTConfigError` naming the file (and field) when the file is missing, is not
  ///   valid JSON, a field has the wrong type, or `validate()` fails.
  public init(contentsOf url: URL) throws {
    let path = url.path
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw BERTConfigError(file: path, message: "cannot read: \(error.localizedDescription)")
    }
    do {
      self = try JSONDecoder().decode(BERTConfig.self, from: data)
    } catch let error as DecodingError {
      if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
        // Not JSON at all: the strict parser says where.
        do {
          _ = try JSONValue(parsing: [UInt8](data))
        } catch {
          throw BERTConfigError(file: path, message: "\(error)")
        }
      }
      throw Self.describe(error, file: path)
    } catch {
      throw BERTConfigError(file: path, message: "\(error)")
    }
    try validate(file: path)
  }

  /// Writes the configuration as `config.json` at `url`: pretty-printed, keys sorted, as the
  /// reference writes it. The file is replaced whole (written aside, then renamed).
  ///
  /// - Throws: `BERTConfigError` naming the file when it cannot be written.
  public func write(to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      var data = try encoder.encode(self)
      data.append(UInt8(ascii: "\n"))
      try data.write(to: url, options: .atomic)
    } catch {
      throw BERTConfigError(file: url.path, message: "cannot write: \(error.localizedDescription)")
    }
  }

  // MARK: - Checks

  /// The activations the feed-forward layer implements.
  public static let supportedActivations: Set<String> = ["gelu"]

  /// Checks that the sizes can build a model: positive sizes, H divisible by A, a supported
  /// activation, dropout probabilities in [0, 1), at least one label, the padding id in the vocabulary.
  ///
  /// - Parameter file: the path named in errors.
  /// - Throws: `BERTConfigError` naming the first field at fault.
  public func validate(file: String = "config.json") throws {
    func failure(_ key: CodingKeys, _ message: String) -> BERTConfigError {
      BERTConfigError(file: file, field: key.rawValue, message: message)
    }
    let positive: [(CodingKeys, Int)] = [
      (.vocabSize, vocabSize), (.hiddenSize, hiddenSize), (.numHiddenLayers, numHiddenLayers),
      (.numAttentionHeads, numAttentionHeads), (.intermediateSize, intermediateSize),
      (.maxPositionEmbeddings, maxPositionEmbeddings), (.typeVocabSize, typeVocabSize),
    ]
    for (key, size) in positive where size <= 0 {
      throw failure(key, "is \(size), expected a positive integer")
    }
    guard hiddenSize % numAttentionHeads == 0 else {
      throw failure(
        .hiddenSize, "\(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)")
    }
    guard Self.supportedActivations.contains(hiddenAct) else {
      throw failure(
        .hiddenAct,
        "\"\(hiddenAct)\" is not implemented; expected one of \(Self.supportedActivations.sorted())")
    }
    let probabilities: [(CodingKeys, Double?)] = [
      (.hiddenDropoutProb, hiddenDropoutProb), (.attentionProbsDropoutProb, attentionProbsDropoutProb),
      (.classifierDropout, classifierDropout),
    ]
    for case (let key, let probability?) in probabilities where !(0..<1).contains(probability) {
      throw failure(key, "is \(probability), expected a probability in [0, 1)")
    }
    guard numLabels >= 1, id2label.keys.sorted() == Array(0..<numLabels) else {
      throw failure(.id2label, "has keys \(id2label.keys.sorted()), expected 0..<\(max(numLabels, 1))")
    }
    if let padTokenId, !(0..<vocabSize).contains(padTokenId) {
      throw failure(.padTokenId, "is \(padTokenId), outside the vocabulary 0..<\(vocabSize)")
    }
  }

  /// A decoding error as a `BERTConfigError` naming the field and what was wrong.
  private static func describe(_ error: DecodingError, file: String) -> BERTConfigError {
    func fieldName(_ path: [any CodingKey]) -> String? {
      path.isEmpty ? nil : path.map(\.stringValue).joined(separator: ".")
    }
    switch error {
    case .typeMismatch(let type, let context):
      return BERTConfigError(
        file: file, field: fieldName(context.codingPath),
        message: "expected \(type) (\(context.debugDescription))")
    case .valueNotFound(let type, let context):
      return BERTConfigError(
        file: file, field: fieldName(context.codingPath), message: "expected \(type), found null")
    case .keyNotFound(let key, let context):
      return BERTConfigError(
        file: file, field: fieldName(context.codingPath + [key]), message: "missing")
    case .dataCorrupted(let context):
      let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
      let detail = [context.debugDescription, underlying].compactMap { $0 }.joined(separator: " ")
      return BERTConfigError(
        file: file, field: fieldName(context.codingPath),
        message: context.codingPath.isEmpty ? "invalid JSON: \(detail)" : detail)
    @unknown default:
      return BERTConfigError(file: file, message: "\(error)")
    }
  }
}
