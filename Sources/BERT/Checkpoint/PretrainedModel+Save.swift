import Foundation
import SafeTensors
import WordPiece

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Saving a model as the reference's `save_pretrained` does, so that `from_pretrained` (here
// and in transformers) loads the folder back.
//
//   config.json          the configuration, `architectures` set to the model's class name
//   model.safetensors    every parameter once, F32, under the reference's names, sorted by
//                        name as the reference's writer orders them; tied weights are written
//                        once, so neither `cls.predictions.decoder.weight` nor
//                        `cls.predictions.decoder.bias` appears (the reference does not save
//                        them either), metadata {"format": "pt"}
//   vocab.txt            the tokenizer's vocabulary, when a tokenizer is given
//   tokenizer_config.json  its `do_lower_case`, `strip_accents` and `tokenize_chinese_chars`
//
// The files are written into a temporary folder next to the destination. A new destination
// is that folder renamed; into an existing folder each file is renamed in turn (each rename
// replaces one file whole), and files of other names there are left alone.

extension PretrainedModel {
  /// The tensors `savePretrained` writes: (reference name, value), sorted by name.
  public func checkpointTensors() -> [(name: String, tensor: Tensor)] {
    parameterTable().map { (name: $0.name, tensor: $0.parameter.value) }.sorted { $0.name < $1.name }
  }

  /// Writes config.json, model.safetensors and, with a tokenizer, vocab.txt and
  /// tokenizer_config.json into `directory` (created when absent).
  ///
  /// - Throws: `CheckpointError` naming the folder or file that cannot be written, or the
  ///   writers' errors.
  public func savePretrained(to directory: URL, tokenizer: BertTokenizer? = nil) throws {
    let files = FileManager.default
    let destination = directory.standardizedFileURL
    var isFolder: ObjCBool = false
    let exists = files.fileExists(atPath: destination.path, isDirectory: &isFolder)
    if exists && !isFolder.boolValue {
      throw CheckpointError(
        file: destination.path, kind: .unreadable, message: "is a file; a checkpoint is saved into a folder")
    }
    let parent = destination.deletingLastPathComponent()
    let staging = parent.appendingPathComponent(
      ".\(destination.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)."
        + "\(UInt32.random(in: 0...UInt32.max)).tmp")
    do {
      try files.createDirectory(at: staging, withIntermediateDirectories: true)
    } catch {
      throw CheckpointError(
        file: staging.path, kind: .unreadable, message: "cannot create: \(error.localizedDescription)")
    }
    defer { try? files.removeItem(at: staging) }

    var configuration = config
    configuration.architectures = [Self.architectureName]
    try configuration.write(to: staging.appendingPathComponent("config.json"))
    try SafeTensorsWriter.write(
      checkpointTensors(), metadata: ["format": "pt"], to: staging.appendingPathComponent("model.safetensors")
    )
    if let tokenizer {
      try tokenizer.vocabulary.save(to: staging.appendingPathComponent("vocab.txt").path)
      try Self.writeTokenizerConfig(tokenizer, to: staging.appendingPathComponent("tokenizer_config.json"))
    }

    do {
      if !exists {
        try files.moveItem(at: staging, to: destination)
        return
      }
      for name in try files.contentsOfDirectory(atPath: staging.path) {
        let target = destination.appendingPathComponent(name)
        if rename(staging.appendingPathComponent(name).path, target.path) != 0 {
          throw CheckpointError(
            file: target.path, kind: .unreadable,
            message: "cannot move into place: \(String(cString: strerror(errno)))")
        }
      }
    } catch let error as CheckpointError {
      throw error
    } catch {
      throw CheckpointError(
        file: destination.path, kind: .unreadable, message: "cannot write: \(error.localizedDescription)")
    }
  }

  /// tokenizer_config.json with the settings `PretrainedCheckpoint` reads back (and the
  /// reference's tokenizer class, so transformers builds the same tokenizer).
  static func writeTokenizerConfig(_ tokenizer: BertTokenizer, to url: URL) throws {
    let basic = tokenizer.basicTokenizer
    var object: [String: Any] = [
      "tokenizer_class": "BertTokenizer",
      "do_lower_case": basic.lowercase,
      "tokenize_chinese_chars": basic.tokenizeChineseCharacters,
      "strip_accents": basic.stripAccents.map { $0 as Any } ?? NSNull(),
    ]
    for special in Vocabulary.SpecialToken.allCases where tokenizer.vocabulary.id(of: special) != nil {
      object[special.configKey] = special.rawValue
    }
    do {
      let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
      try (data + Data("\n".utf8)).write(to: url, options: .atomic)
    } catch {
      throw CheckpointError(
        file: url.path, kind: .unreadable, message: "cannot write: \(error.localizedDescription)")
    }
  }
}

extension Vocabulary.SpecialToken {
  /// The key of this token in tokenizer_config.json (`unk_token`, `cls_token`, ...).
  fileprivate var configKey: String {
    switch self {
    case .pad: return "pad_token"
    case .unknown: return "unk_token"
    case .classifier: return "cls_token"
    case .separator: return "sep_token"
    case .mask: return "mask_token"
    }
  }
}
