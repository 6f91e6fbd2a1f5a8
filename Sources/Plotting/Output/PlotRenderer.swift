// Regenerating every image under plots/ from the scripts the chapters wrote.

import Foundation

/// Renders the gnuplot scripts already written under a folder, such as `plots/`.
///
/// The `notebook --render-plots` command calls `renderAll(under:)` on the package's `plots/` folder:
///
/// ```swift
/// let results = try PlotRenderer.renderAll(under: URL(fileURLWithPath: "plots"))
/// for result in results { print(result.summary) }
/// if results.contains(where: { !$0.succeeded }) { throw ExitCode.failure }
/// ```
public enum PlotRenderer {
  /// The outcome of rendering one script.
  public struct Result: Sendable, Equatable {
    /// The `.gp` file.
    public var script: URL
    /// gnuplot's exit status and output.
    public var run: GnuplotRun

    /// Whether gnuplot exited with status 0.
    public var succeeded: Bool { run.status == 0 }

    /// One line for the terminal (plus gnuplot's messages when there were any).
    public var summary: String {
      let path = WrittenPlot.displayPath(script)
      let head = succeeded ? "rendered \(path)" : "FAILED \(path) (gnuplot exit status \(run.status))"
      let messages = run.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
      return messages.isEmpty ? head : head + "\n" + messages
    }
  }

  /// Every `.gp` file under `directory`, at any depth, in path order.
  ///
  /// - Parameter directory: The folder to search.
  /// - Returns: The scripts; empty when the folder does not exist.
  public static func scripts(under directory: URL) -> [URL] {
    guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
    else {
      return []
    }
    var found: [URL] = []
    for case let url as URL in enumerator where url.pathExtension == "gp" {
      found.append(url.standardizedFileURL)
    }
    return found.sorted { $0.path < $1.path }
  }

  /// Renders every `.gp` script under `directory` (at any depth, in path order), each with gnuplot
  /// running in the script's own folder so that its image lands beside it.
  ///
  /// A script that fails does not stop the others; look at each result's `succeeded`.
  ///
  /// - Parameters:
  ///   - directory: The folder, usually the package's `plots/`.
  ///   - gnuplot: The program; by default the one on the PATH.
  /// - Returns: One result per script.
  /// - Throws: `PlotError.gnuplotNotFound` when there is no gnuplot, `.cannotStart` when it cannot
  ///   be started.
  public static func renderAll(under directory: URL, gnuplot: Gnuplot? = Gnuplot.onPath()) throws -> [Result]
  {
    guard let gnuplot else { throw PlotError.gnuplotNotFound }
    return try scripts(under: directory).map { script in
      Result(script: script, run: try gnuplot.run(scriptFile: script))
    }
  }
}
