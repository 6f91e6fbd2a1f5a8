import ArgumentParser
import BERT
import Foundation

/// `bert info`: what a checkpoint folder holds and what loading it does.
///
/// ```sh
/// bert info --model all-MiniLM-L6-v2
/// ```
struct InfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info",
    abstract: "Describe a checkpoint: its config, parameter count, and missing or unused tensors.",
    discussion: """
      Prints a JSON object: the architecture loaded (config.json's, or --architecture), the config, the \
      number of parameters, the tensors the file holds, those the model needed but the file lacks \
      ("missing", which loading initialises), those the model does not use ("unused"), and those read \
      under another name ("renamed": how many, by kind of renaming).
      """)

  @OptionGroup var options: ModelOptions

  @Option(help: "Load as this architecture instead of config.json's, e.g. BertForMaskedLM.")
  var architecture: String?

  func run() throws {
    print(try Self.describe(try options.checkpoint(), architecture: architecture))
  }

  /// The description of `checkpoint` loaded as `architecture` (config.json's when nil).
  static func describe(_ checkpoint: PretrainedCheckpoint, architecture name: String?) throws -> String {
    let architecture: BertArchitecture
    if let name {
      guard let chosen = BertArchitecture(rawValue: name) else {
        throw ValidationError(
          "--architecture \(name) is not one of "
            + BertArchitecture.allCases.map(\.rawValue).joined(separator: ", "))
      }
      architecture = chosen
    } else {
      architecture = try checkpoint.architecture
    }
    let (model, report) = try checkpoint.load(architecture.modelType)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let config = String(decoding: try encoder.encode(checkpoint.config), as: UTF8.self)
    let list = { (names: [String]) in "[" + names.map(JSONText.string).joined(separator: ", ") + "]" }
    let renamed = renamings(report.renamed).map { "\(JSONText.string($0.key)): \($0.count)" }
    let fields = [
      ("folder", JSONText.string(checkpoint.directory.path)),
      ("architecture", JSONText.string(architecture.rawValue)),
      ("config", config),
      ("parameters", "\(model.parameterCount)"),
      ("tensors_in_file", "\(checkpoint.weights.entries.count)"),
      ("vocabulary", checkpoint.tokenizer.map { "\($0.vocabulary.count)" } ?? "null"),
      ("missing", list(report.missing)),
      ("unused", list(report.unused)),
      ("renamed", "{" + renamed.joined(separator: ", ") + "}"),
    ]
    return "{\n" + fields.map { "  \(JSONText.string($0)): \($1)" }.joined(separator: ",\n") + "\n}"
  }

  /// The renamings of a load, summarised: the tensors that only gained or lost the `bert.` prefix
  /// counted together, every other renaming (`LayerNorm.gamma`, tied aliases) by name.
  static func renamings(_ renamed: [String: String]) -> [(key: String, count: Int)] {
    var counts: [String: Int] = [:]
    for (file, model) in renamed {
      let key: String
      if model == "bert." + file {
        key = "names without the bert. prefix"
      } else if file == "bert." + model {
        key = "names with a bert. prefix"
      } else {
        key = "\(file) -> \(model)"
      }
      counts[key, default: 0] += 1
    }
    return counts.keys.sorted().map { ($0, counts[$0] ?? 0) }
  }
}
