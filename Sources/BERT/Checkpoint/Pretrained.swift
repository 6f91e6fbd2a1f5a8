import Foundation
import SafeTensors
import WordPiece

// Loading a checkpoint folder in the reference layout, as `from_pretrained` does.
//
//   config.json              the hyperparameters (and `architectures`, the class saved)
//   model.safetensors        the weights, memory-mapped: each tensor is copied once, into its
//                            parameter, and the mapping is never copied whole
//   vocab.txt                the WordPiece vocabulary (optional for loading weights)
//   tokenizer_config.json    `do_lower_case`, `strip_accents`, `tokenize_chinese_chars` (optional)
//
// Names. Every parameter is looked up under its name in the parameter table
// (Checkpoint/ParameterNames.swift), then under the other spellings checkpoints use:
//   - without the `bert.` prefix (a bare encoder saved as `BertModel`, e.g. all-MiniLM-L6-v2),
//     or with it when loading a `BertModel` from a task model's file;
//   - a tied alias (`cls.predictions.decoder.bias` for `cls.predictions.bias`);
//   - each of those with the older `LayerNorm.gamma` / `LayerNorm.beta` for `weight` / `bias`.
// The first spelling present wins; the other spellings present are reported unused.
//
// What is required. The embeddings and every encoder layer must be in the file: without them
// the model is not the checkpoint at all, so their absence is an error. The pooler and the
// heads may be absent (an MLM checkpoint has no pooler and no classifier): they are
// initialised as the reference initialises them, from a seeded generator, and listed in the
// report's `missing` and its warning. Tensors of the file the model does not read (the I64
// `embeddings.position_ids` buffer, another head's weights, the tied decoder weight) are
// listed in `unused`.
//
// A tensor whose shape differs from the one the configuration implies is an error naming the
// file, the tensor and both shapes; any other problem with the files is the readers' error,
// which names the file (and the tensor).

/// A checkpoint folder: its configuration, its weights file (mapped, header checked) and,
/// when it has a `vocab.txt`, its tokenizer.
///
/// ```swift
/// let checkpoint = try PretrainedCheckpoint(directory: URL(fileURLWithPath: "all-MiniLM-L6-v2"))
/// let (model, report) = try checkpoint.load(BertModel.self)
/// report.unused                                  // ["embeddings.position_ids"]
/// let ids = checkpoint.tokenizer?.encode("A man is playing a guitar.").ids
/// ```
public struct PretrainedCheckpoint: Sendable {
  /// The folder.
  public let directory: URL
  /// `config.json`, read and validated.
  public let config: BERTConfig
  /// `model.safetensors`, mapped and its header validated.
  public let weights: SafeTensorsFile
  /// The tokenizer over `vocab.txt`, nil when the folder has none.
  public let tokenizer: BertTokenizer?

  /// The seed that initialises missing tensors unless another is given.
  public static let defaultSeed: UInt64 = 0

  /// Reads the folder's config.json, maps model.safetensors and reads vocab.txt when present.
  ///
  /// - Throws: `BERTConfigError` naming config.json (missing, invalid JSON, a bad field),
  ///   `SafeTensorsError` naming model.safetensors (missing, truncated, a bad header),
  ///   `WordPieceError` for an unreadable vocab.txt, `CheckpointError` for an invalid
  ///   tokenizer_config.json.
  public init(directory: URL) throws {
    self.directory = directory
    config = try BERTConfig(contentsOf: directory.appendingPathComponent("config.json"))
    weights = try SafeTensorsFile(contentsOf: directory.appendingPathComponent("model.safetensors"))
    let vocabulary = directory.appendingPathComponent("vocab.txt")
    if FileManager.default.fileExists(atPath: vocabulary.path) {
      let options = try TokenizerOptions(file: directory.appendingPathComponent("tokenizer_config.json"))
      tokenizer = try BertTokenizer(
        vocabulary: Vocabulary.load(contentsOf: vocabulary.path), lowercase: options.lowercase,
        stripAccents: options.stripAccents, tokenizeChineseCharacters: options.tokenizeChineseCharacters)
    } else {
      tokenizer = nil
    }
  }

  /// The architecture config.json names (`BertModel` when it names none).
  ///
  /// - Throws: `CheckpointError` (`.unknownArchitecture`) naming config.json.
  public var architecture: BertArchitecture {
    get throws {
      try BertArchitecture(config: config, file: directory.appendingPathComponent("config.json").path)
    }
  }

  // MARK: - Loading

  /// Builds a `Model` from the folder's weights.
  ///
  /// - Parameters:
  ///   - type: the model type, e.g. `BertForMaskedLM.self`; it need not be the one saved
  ///     (a sequence classifier loads from an MLM checkpoint, its classifier initialised).
  ///   - config: the configuration to build with instead of config.json's, e.g. with another
  ///     `numLabels` for a new classifier; the tensors must still fit it.
  ///   - seed: seeds the initialisation of the tensors the file lacks.
  /// - Returns: the model, and what was initialised, left unused or renamed.
  /// - Throws: `CheckpointError` for a tensor whose shape does not fit the configuration or a
  ///   missing embedding or encoder tensor; `SafeTensorsError` naming the tensor when one the
  ///   model needs is not floating point.
  public func load<Model: PretrainedModel>(
    _ type: Model.Type, config: BERTConfig? = nil, seed: UInt64 = defaultSeed
  ) throws -> (model: Model, report: LoadReport) {
    let model = Model.untrained(config: config ?? self.config)
    var report = LoadReport(architecture: Model.architectureName, file: weights.url.path, seed: seed)
    var used: Set<String> = []
    var missing: [ParameterTableEntry] = []
    let aliases = model.tiedParameterAliases
    for entry in model.parameterTable() {
      let spellings = Self.spellings(
        of: entry.name, prefix: Model.baseModelPrefix,
        aliases: aliases.filter { $0.name == entry.name }.map(\.alias))
      guard let name = spellings.first(where: { weights.entry($0) != nil }) else {
        guard Self.isOptional(entry.name, prefix: Model.baseModelPrefix) else {
          throw CheckpointError(
            file: weights.url.path, tensor: entry.name, kind: .missingTensor,
            message:
              "missing, and \(Model.architectureName) cannot do without it (also looked for "
              + spellings.dropFirst().joined(separator: ", ") + ")")
        }
        missing.append(entry)
        continue
      }
      try assign(name, to: entry)
      used.insert(name)
      if name != entry.name { report.renamed[name] = entry.name }
    }
    var rng = RandomGenerator(seed: seed)
    for entry in missing {
      entry.parameter.value = entry.initialization.initialValue(
        shape: entry.expectedShape, standardDeviation: Float(model.config.initializerRange), rng: &rng)
    }
    report.missing = missing.map(\.name)
    report.unused = weights.entries.map(\.name).filter { !used.contains($0) }
    return (model, report)
  }

  /// Reads tensor `name` of the file into `entry`'s parameter after checking its shape.
  private func assign(_ name: String, to entry: ParameterTableEntry) throws {
    let shape = weights.entry(name)?.shape ?? []
    guard shape == entry.expectedShape else {
      throw CheckpointError(
        file: weights.url.path, tensor: name,
        kind: .shapeMismatch(found: shape, expected: entry.expectedShape),
        message:
          "shape \(shape) in the file, but \(directory.appendingPathComponent("config.json").path) "
          + "implies \(entry.expectedShape)" + (name == entry.name ? "" : " for \(entry.name)"))
    }
    entry.parameter.value = try weights.tensor(name)
  }

  // MARK: - Names

  /// The names `name` may have in a file, in the order they are tried (see the top of this file).
  static func spellings(of name: String, prefix: String, aliases: [String]) -> [String] {
    var names = [name]
    if prefix.isEmpty {
      names.append("bert." + name)
    } else if name.hasPrefix(prefix) {
      names.append(String(name.dropFirst(prefix.count)))
    }
    names += aliases
    return names + names.compactMap(olderLayerNormSpelling)
  }

  /// `...LayerNorm.gamma` for `...LayerNorm.weight`, `...LayerNorm.beta` for `...LayerNorm.bias`.
  static func olderLayerNormSpelling(_ name: String) -> String? {
    for (current, older) in [("LayerNorm.weight", "LayerNorm.gamma"), ("LayerNorm.bias", "LayerNorm.beta")]
    where name.hasSuffix(current) {
      return String(name.dropLast(current.count)) + older
    }
    return nil
  }

  /// Whether a parameter may be absent from a file: everything outside the embeddings and the
  /// encoder layers (the pooler and the heads).
  static func isOptional(_ name: String, prefix: String) -> Bool {
    let local = name.hasPrefix(prefix) ? name.dropFirst(prefix.count) : name[...]
    let inBaseModel = name.hasPrefix(prefix) || prefix.isEmpty
    return !(inBaseModel && (local.hasPrefix("embeddings.") || local.hasPrefix("encoder.")))
  }
}

// MARK: - Loading from a folder in one call

extension PretrainedModel {
  /// Loads a checkpoint folder as the reference's `from_pretrained`: reads it, builds the
  /// model, and hands each warning of the report (initialised or unused tensors) to `warning`.
  ///
  /// - Parameters:
  ///   - directory: the folder with config.json and model.safetensors.
  ///   - seed: seeds the initialisation of the tensors the file lacks.
  ///   - warning: receives the report's warnings; by default they go to standard error.
  /// - Throws: the errors of `PretrainedCheckpoint.init(directory:)` and `load(_:config:seed:)`.
  public static func fromPretrained(
    _ directory: URL, seed: UInt64 = PretrainedCheckpoint.defaultSeed,
    warning: (String) -> Void = LoadReport.printWarning
  ) throws -> (model: Self, report: LoadReport) {
    let (model, report) = try PretrainedCheckpoint(directory: directory).load(Self.self, seed: seed)
    report.warnings.forEach(warning)
    return (model, report)
  }
}

// MARK: - tokenizer_config.json

/// The tokenizer settings a checkpoint's tokenizer_config.json may hold, with the reference's
/// defaults when the file or a field is absent.
struct TokenizerOptions {
  /// `do_lower_case` (true).
  var lowercase = true
  /// `strip_accents` (nil: follow `do_lower_case`).
  var stripAccents: Bool?
  /// `tokenize_chinese_chars` (true).
  var tokenizeChineseCharacters = true

  /// Reads `file` when it exists.
  ///
  /// - Throws: `CheckpointError` naming the file when it is not a JSON object.
  init(file: URL) throws {
    guard FileManager.default.fileExists(atPath: file.path) else { return }
    let object: [String: Any]
    do {
      let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: file))
      guard let dictionary = parsed as? [String: Any] else {
        throw CheckpointError(file: file.path, kind: .unreadable, message: "expected a JSON object")
      }
      object = dictionary
    } catch let error as CheckpointError {
      throw error
    } catch {
      throw CheckpointError(
        file: file.path, kind: .unreadable, message: "invalid JSON: \(error.localizedDescription)")
    }
    lowercase = object["do_lower_case"] as? Bool ?? true
    stripAccents = object["strip_accents"] as? Bool
    tokenizeChineseCharacters = object["tokenize_chinese_chars"] as? Bool ?? true
  }
}
