import ArgumentParser
import Foundation
import NotebookSupport
import Plotting

/// Runs the chapters in order, or one of them, or lists them.
///
/// Each chapter is its own executable, built beside this one (the package makes `notebook`
/// depend on every chapter target, so `swift run -c release notebook` builds them all).
/// Running them as separate processes keeps each chapter a plain program a student can
/// also run alone: `swift run -c release Chapter02 --seed 7`.
@main
struct NotebookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "notebook",
    abstract: "Runs the BertNotebook chapters in order.",
    discussion: """
      With no argument every chapter runs in order with its embedded defaults.
      `notebook 04` runs chapter 04. The options below are passed on to every chapter that \
      runs.
      """)

  @Argument(help: "Chapter numbers to run (default: all, in order).")
  var chapters: [String] = []

  @Flag(help: "List the chapters and exit.")
  var list = false

  @Flag(help: "Render every gnuplot script under the plots folder again (no chapter runs).")
  var renderPlots = false

  @OptionGroup var options: ChapterOptions

  /// The options as arguments for a chapter executable.
  var chapterArguments: [String] {
    var arguments = ["--seed", String(options.seed), "--plots", options.plots]
    if options.preview { arguments.append("--preview") }
    if options.noRender { arguments.append("--no-render") }
    return arguments
  }

  mutating func run() throws {
    if renderPlots {
      try renderEveryPlot()
      return
    }
    if list || ChapterCatalog.all.isEmpty {
      printList()
      return
    }
    let selected: [ChapterEntry]
    if chapters.isEmpty {
      selected = ChapterCatalog.all
    } else {
      selected = try chapters.map { key in
        guard let entry = ChapterCatalog.chapter(key) else {
          throw ValidationError("No chapter \(key). `notebook --list` shows the chapters.")
        }
        return entry
      }
    }
    let folder = executableFolder()
    for entry in selected {
      let binary = folder.appendingPathComponent(entry.executable)
      guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        throw ValidationError(
          "Chapter \(entry.number) is not built at \(binary.path). Build it with `swift build -c release`.")
      }
      let started = Date()
      let process = Process()
      process.executableURL = binary
      process.arguments = chapterArguments
      try process.run()
      process.waitUntilExit()
      guard process.terminationStatus == 0 else {
        throw ExitCode(process.terminationStatus)
      }
      let seconds = Date().timeIntervalSince(started)
      print("[notebook] chapter \(entry.number) finished in \(fixed(seconds, 1)) s\n")
    }
  }

  /// Renders every `.gp` script under the plots folder; fails if any script fails.
  func renderEveryPlot() throws {
    let folder = URL(fileURLWithPath: options.plots)
    guard Gnuplot.onPath() != nil else {
      print("gnuplot is not installed, so nothing can be rendered.")
      print("Install it (Debian: apt-get install gnuplot-nox), then run: notebook --render-plots")
      throw ExitCode.failure
    }
    let results = try PlotRenderer.renderAll(under: folder)
    for result in results { print(result.summary) }
    let failures = results.filter { !$0.succeeded }.count
    print("rendered \(results.count - failures) of \(results.count) scripts under \(folder.path)")
    if failures > 0 { throw ExitCode.failure }
  }

  /// Prints the chapters with their titles.
  func printList() {
    if ChapterCatalog.all.isEmpty {
      print("No chapters yet.")
      return
    }
    for entry in ChapterCatalog.all {
      print("\(entry.number)  \(padRight(entry.title, 44))  \(entry.summary)")
    }
  }

  /// The folder this executable lives in (where the chapter executables are built too).
  func executableFolder() -> URL {
    let path =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: path).deletingLastPathComponent()
  }
}
