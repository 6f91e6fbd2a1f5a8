import ArgumentParser
import Foundation

@main
struct NotebookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "notebook", abstract: "Runs the BertNotebook chapters in order.")
}
