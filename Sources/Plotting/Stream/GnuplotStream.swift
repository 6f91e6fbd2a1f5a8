// Talking to a running gnuplot through a pipe, in the spirit of the C++ library gnuplot-iostream:
// commands and data go in as they are produced, and the plot updates without a script file.

import Foundation

/// A gnuplot process that reads commands and data from a pipe.
///
/// Commands are sent as lines; data go either inline after a `plot '-'` (each block ends with `e`)
/// or as a named data block that later commands can plot again. Close the stream to let gnuplot
/// finish and to collect its exit status and messages.
///
/// ```swift
/// let stream = try GnuplotStream(workingDirectory: plotsFolder)
/// try stream.send("set terminal pngcairo size 800,500")
/// try stream.send("set output 'live.png'")
/// try stream.send("plot '-' using 1:2 with lines title 'loss'")
/// try stream.sendInline(rows: losses.enumerated().map { [Double($0.offset), Double($0.element)] })
/// let run = try stream.close()  // run.status == 0 when every command succeeded
/// ```
///
/// Writing to gnuplot after it has exited fails with an error rather than the SIGPIPE signal: the
/// stream sets SIGPIPE to be ignored for the whole process when it starts.
public final class GnuplotStream {
  private let process: Process
  private let input: FileHandle
  private let output = PipeCollector()
  private let errors = PipeCollector()
  private var result: GnuplotRun?

  /// Starts gnuplot reading commands from this stream.
  ///
  /// - Parameters:
  ///   - gnuplot: The program; by default the one on the PATH.
  ///   - workingDirectory: The folder that relative file names in commands refer to.
  /// - Throws: `PlotError.gnuplotNotFound`, or `.cannotStart`.
  public init(gnuplot: Gnuplot? = Gnuplot.onPath(), workingDirectory: URL? = nil) throws {
    guard let gnuplot else { throw PlotError.gnuplotNotFound }
    signal(SIGPIPE, SIG_IGN)
    process = Process()
    process.executableURL = gnuplot.executable
    if let workingDirectory {
      process.currentDirectoryURL = workingDirectory
    }
    let inputPipe = Pipe()
    process.standardInput = inputPipe
    process.standardOutput = output.pipe
    process.standardError = errors.pipe
    input = inputPipe.fileHandleForWriting
    do {
      try process.run()
    } catch {
      throw PlotError.cannotStart(executable: gnuplot.executable.path, reason: "\(error)")
    }
    try? inputPipe.fileHandleForReading.close()
    output.start()
    errors.start()
  }

  deinit {
    if result == nil {
      try? input.close()
      process.waitUntilExit()
    }
  }

  // MARK: - Sending

  /// Sends `commands` followed by a line break.
  ///
  /// - Parameter commands: One or more gnuplot command lines.
  /// - Throws: `PlotError.cannotWrite` when gnuplot has exited or the stream is closed.
  public func send(_ commands: String) throws {
    guard result == nil else {
      throw PlotError.cannotWrite(path: "gnuplot's standard input", reason: "the stream is closed")
    }
    do {
      try input.write(contentsOf: Data((commands + "\n").utf8))
    } catch {
      throw PlotError.cannotWrite(path: "gnuplot's standard input", reason: "\(error)")
    }
  }

  /// Sends rows of numbers for a `plot '-'` (or `splot '-'`) clause, then the `e` that ends them.
  ///
  /// - Parameter rows: One line per row, numbers written by `GnuplotSyntax.number`.
  /// - Throws: See `send(_:)`.
  public func sendInline(rows: [[Double]]) throws {
    try send(Self.rowsText(rows) + "e")
  }

  /// Sends rows of numbers as the named data block `name` (`$name << EOD ... EOD`), which later
  /// commands can plot as often as they like.
  ///
  /// - Parameters:
  ///   - name: The block's name, with its `$`, as made by `GnuplotSyntax.dataBlockName`.
  ///   - rows: The numbers.
  /// - Throws: See `send(_:)`.
  public func sendDataBlock(named name: String, rows: [[Double]]) throws {
    try send("\(name) << EOD\n" + Self.rowsText(rows) + "EOD")
  }

  /// Rows of numbers as lines, each ending in a line break.
  static func rowsText(_ rows: [[Double]]) -> String {
    rows.map { $0.map(GnuplotSyntax.number).joined(separator: " ") + "\n" }.joined()
  }

  // MARK: - Closing

  /// Ends the input, waits for gnuplot to finish every command, and returns its exit status and
  /// output. Closing again returns the same result.
  ///
  /// - Returns: The run; its status is nonzero when a command failed.
  public func close() -> GnuplotRun {
    if let result { return result }
    try? input.close()
    process.waitUntilExit()
    let run = GnuplotRun(
      status: process.terminationStatus, standardOutput: output.finish(), standardError: errors.finish())
    result = run
    return run
  }
}
