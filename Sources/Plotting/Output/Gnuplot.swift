// Finding the gnuplot program and running it on a script, with its output and errors captured.

import Foundation

// MARK: - Errors

/// What can go wrong when writing or rendering a plot.
public enum PlotError: Error, Equatable, CustomStringConvertible {
  /// A plot name that cannot be a file name in a script (allowed: letters, digits, `.`, `_`, `-`).
  case invalidName(String)
  /// gnuplot is not on the PATH.
  case gnuplotNotFound
  /// gnuplot could not be started.
  case cannotStart(executable: String, reason: String)
  /// gnuplot stopped with a nonzero status while running `script`.
  case gnuplotFailed(script: String, status: Int32, standardError: String)
  /// A file or folder could not be written.
  case cannotWrite(path: String, reason: String)

  public var description: String {
    switch self {
    case .invalidName(let name):
      return "Plot name '\(name)' must be non-empty and use only letters, digits, '.', '_' and '-'"
    case .gnuplotNotFound:
      return "gnuplot is not on the PATH (install it with: apt-get install gnuplot-nox)"
    case .cannotStart(let executable, let reason):
      return "Cannot start \(executable): \(reason)"
    case .gnuplotFailed(let script, let status, let standardError):
      return "gnuplot exited with status \(status) on \(script):\n\(standardError)"
    case .cannotWrite(let path, let reason):
      return "Cannot write \(path): \(reason)"
    }
  }
}

// MARK: - The program

/// The gnuplot program, found on the PATH or given by path.
public struct Gnuplot: Sendable, Equatable {
  /// The executable file.
  public var executable: URL

  /// The gnuplot at `executable`.
  public init(executable: URL) {
    self.executable = executable
  }

  /// The first executable file named `gnuplot` in the folders of the PATH, or nil.
  ///
  /// - Parameter environment: The environment whose `PATH` is searched.
  /// - Returns: The program, or nil when it is not installed.
  public static func onPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> Gnuplot? {
    let folders = (environment["PATH"] ?? "").split(separator: ":")
    for folder in folders {
      let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("gnuplot")
      if FileManager.default.isExecutableFile(atPath: candidate.path) {
        return Gnuplot(executable: candidate)
      }
    }
    return nil
  }

  /// Runs the script `scriptFile` with the working directory set to its folder, so that the image
  /// names inside it resolve beside it.
  ///
  /// - Parameters:
  ///   - scriptFile: The `.gp` file.
  ///   - definitions: Commands run before the script (gnuplot's `-e`), such as `preview=1`.
  /// - Returns: The exit status and what gnuplot printed.
  /// - Throws: `PlotError.cannotStart` when the program cannot be started.
  public func run(scriptFile: URL, definitions: [String] = []) throws -> GnuplotRun {
    let arguments = definitions.flatMap { ["-e", $0] } + [scriptFile.lastPathComponent]
    return try run(arguments: arguments, in: scriptFile.deletingLastPathComponent())
  }

  /// Runs gnuplot with `arguments` in `directory`, its standard input closed.
  func run(arguments: [String], in directory: URL) throws -> GnuplotRun {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let inputPipe = Pipe()
    process.standardInput = inputPipe
    let output = PipeCollector()
    let errors = PipeCollector()
    process.standardOutput = output.pipe
    process.standardError = errors.pipe
    do {
      try process.run()
    } catch {
      throw PlotError.cannotStart(executable: executable.path, reason: "\(error)")
    }
    output.start()
    errors.start()
    try? inputPipe.fileHandleForWriting.close()
    process.waitUntilExit()
    return GnuplotRun(
      status: process.terminationStatus, standardOutput: output.finish(), standardError: errors.finish())
  }
}

/// The outcome of one gnuplot run.
public struct GnuplotRun: Sendable, Equatable {
  /// The exit status: 0 when every command succeeded.
  public var status: Int32
  /// What gnuplot printed on standard output (the text preview, `print` commands).
  public var standardOutput: String
  /// What gnuplot printed on standard error (errors and warnings).
  public var standardError: String
}

// MARK: - Reading a pipe while the program runs

/// Reads everything a child process writes to one pipe, on a thread of its own, so that a full pipe
/// never blocks the child.
final class PipeCollector: @unchecked Sendable {
  let pipe = Pipe()
  private let lock = NSLock()
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  /// Starts reading until the pipe's end of file.
  func start() {
    // The child holds its own copy of the write end; close ours so that end of file arrives.
    try? pipe.fileHandleForWriting.close()
    let handle = pipe.fileHandleForReading
    let thread = Thread { [self] in
      while let chunk = try? handle.read(upToCount: 65536), !chunk.isEmpty {
        lock.lock()
        data.append(chunk)
        lock.unlock()
      }
      done.signal()
    }
    thread.start()
  }

  /// Waits for end of file and returns what was read, as UTF-8 text.
  func finish() -> String {
    done.wait()
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: data, as: UTF8.self)
  }
}
