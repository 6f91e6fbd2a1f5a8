import ArgumentParser
import BERT
import WordPiece

@main
struct BertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bert", abstract: "BERT from the command line: tokenize, encode, fill-mask, logits, info.",
    // One subcommand per line.
    subcommands: [
      TokenizeCommand.self,
      EncodeCommand.self,
      FillMaskCommand.self,
      LogitsCommand.self,
      InfoCommand.self,
    ])
}
