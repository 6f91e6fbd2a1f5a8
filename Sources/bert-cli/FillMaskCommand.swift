import ArgumentParser
import BERT
import Foundation

/// `bert fill-mask`: the masked-LM head's best guesses for the [MASK] of a text.
///
/// ```sh
/// bert fill-mask --model bert-base-uncased --top-k 2 "Paris is the [MASK] of France."
/// [{"score":0.99,"token":3007,"token_str":"capital","sequence":"paris is the capital of france."},...]
/// ```
struct FillMaskCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fill-mask",
    abstract: "Guess the [MASK] token of a text with the masked-LM head.",
    discussion: """
      Prints a JSON array shaped like the output of the reference's fill-mask pipeline: \
      [{"score", "token", "token_str", "sequence"}, ...], best first. With several [MASK] tokens it \
      prints one such array per mask, inside an array. A checkpoint without a masked-LM head (a bare \
      encoder) gets a newly initialised one, and a warning says so: its guesses are random.
      """)

  @OptionGroup var options: ModelOptions

  @Option(help: "How many guesses per [MASK].")
  var topK = 5

  @Argument(help: "The text, with one or more [MASK] tokens.")
  var text: String

  func validate() throws {
    if topK < 1 { throw ValidationError("--top-k must be at least 1, got \(topK)") }
  }

  func run() throws {
    let checkpoint = try options.checkpoint()
    let tokenizer = try checkpoint.requireTokenizer()
    let model = try checkpoint.loadWarning(BertForMaskedLM.self)
    let predictions = try fillMask(text, model: model, tokenizer: tokenizer, topK: topK)
    print(Self.json(predictions))
  }

  /// The pipeline's JSON: one array of guesses, or an array of them for several masks.
  static func json(_ predictions: [[FillMaskPrediction]]) -> String {
    let arrays = predictions.map { guesses in
      "["
        + guesses.map { guess in
          "{\"score\":\(JSONText.number(guess.score)),\"token\":\(guess.token),"
            + "\"token_str\":\(JSONText.string(guess.tokenString)),\"sequence\":\(JSONText.string(guess.sequence))}"
        }.joined(separator: ",") + "]"
    }
    return arrays.count == 1 ? arrays[0] : "[" + arrays.joined(separator: ",") + "]"
  }
}
