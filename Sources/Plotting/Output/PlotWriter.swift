// Writing a figure's script into a folder of plots/, then rendering it where gnuplot is installed.

import Foundation

/// Writes figures as `<name>.gp` scripts and, where gnuplot is on the PATH, renders them into
/// `<name>.png` (or `.svg`) beside the script.
///
/// Rendering runs gnuplot in the script's folder, exactly as a student would by hand, so the image
/// name inside the script is relative to that folder and the plot regenerates from anywhere. Where
/// gnuplot is missing, the script is still written and the writer tells the one command that renders
/// it. Writing the same figure twice gives byte-identical scripts.
///
/// ```swift
/// let writer = PlotWriter(textPreview: options.preview)
/// let written = try writer.write(lossPlot, to: URL(fileURLWithPath: "plots/04-pretraining"), name: "loss")
/// // prints: wrote plots/04-pretraining/loss.gp and loss.png
/// ```
public struct PlotWriter: Sendable {
  /// The image format.
  public var format: ImageFormat
  /// Whether the writer runs gnuplot to make the image (when gnuplot is found).
  public var rendersImage: Bool
  /// Whether the writer also draws the plot as text (gnuplot's `dumb` terminal), for a classroom
  /// without a display; it is printed when `printsToTerminal` is on and returned in `WrittenPlot`.
  public var textPreview: Bool
  /// Whether the writer prints, to standard output, one line per plot saying what it wrote (or the
  /// command that renders it), gnuplot's warnings, and the text preview.
  public var printsToTerminal: Bool
  /// The gnuplot program, or nil when none is installed.
  public var gnuplot: Gnuplot?

  /// A writer; by default it renders PNG images with the gnuplot on the PATH and prints a summary.
  public init(
    format: ImageFormat = .png, rendersImage: Bool = true, textPreview: Bool = false,
    printsToTerminal: Bool = true,
    gnuplot: Gnuplot? = Gnuplot.onPath()
  ) {
    self.format = format
    self.rendersImage = rendersImage
    self.textPreview = textPreview
    self.printsToTerminal = printsToTerminal
    self.gnuplot = gnuplot
  }

  /// Writes `figure` as `<directory>/<name>.gp`, creating the folder, then renders it when gnuplot is
  /// installed and asked for.
  ///
  /// - Parameters:
  ///   - figure: What to draw.
  ///   - directory: The folder, such as `plots/02-attention`.
  ///   - name: The file name without extension: letters, digits, `.`, `_`, `-`.
  /// - Returns: The files and whether the image was made.
  /// - Throws: `PlotError.invalidName`, `.cannotWrite`, `.cannotStart`, or `.gnuplotFailed` with
  ///   gnuplot's error output when the script does not render.
  @discardableResult
  public func write(_ figure: any Figure, to directory: URL, name: String) throws -> WrittenPlot {
    try Self.checkName(name)
    let output = ScriptOutput(name: name, format: format)
    let scriptURL = directory.appendingPathComponent(output.scriptFile)
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try Data(figure.script(for: output).utf8).write(to: scriptURL, options: .atomic)
    } catch {
      throw PlotError.cannotWrite(path: scriptURL.path, reason: error.localizedDescription)
    }
    var written = WrittenPlot(
      script: scriptURL, image: directory.appendingPathComponent(output.imageFile), isRendered: false,
      renderCommand: Self.renderCommand(for: scriptURL), preview: nil, warnings: "")
    if let gnuplot {
      if rendersImage {
        let run = try gnuplot.run(scriptFile: scriptURL)
        guard run.status == 0 else {
          throw PlotError.gnuplotFailed(
            script: scriptURL.path, status: run.status, standardError: run.standardError)
        }
        written.isRendered = true
        written.warnings = run.standardError
      }
      if textPreview {
        let run = try gnuplot.run(scriptFile: scriptURL, definitions: ["preview=1"])
        guard run.status == 0 else {
          throw PlotError.gnuplotFailed(
            script: scriptURL.path, status: run.status, standardError: run.standardError)
        }
        written.preview = run.standardOutput
      }
    }
    if printsToTerminal {
      print(written.summary)
      for text in [written.warnings, written.preview ?? ""] where !text.isEmpty {
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
      }
    }
    return written
  }

  /// Checks that `name` is usable as a file name inside a script.
  static func checkName(_ name: String) throws {
    let allowed = name.unicodeScalars.allSatisfy {
      $0.isASCII
        && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0))
    }
    guard !name.isEmpty, allowed, !name.hasPrefix("."), !name.hasPrefix("-") else {
      throw PlotError.invalidName(name)
    }
  }

  /// The shell command that renders `script`: `cd <folder> && gnuplot <name>.gp`, with the folder
  /// relative to the current directory when it lies inside it.
  ///
  /// - Parameters:
  ///   - script: The `.gp` file.
  ///   - currentDirectory: The folder the command will be typed in.
  /// - Returns: The command.
  public static func renderCommand(
    for script: URL, currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  ) -> String {
    let folder = script.deletingLastPathComponent().standardizedFileURL.path
    let current = currentDirectory.standardizedFileURL.path
    let gnuplotCommand = "gnuplot " + shellQuoted(script.lastPathComponent)
    if folder == current {
      return gnuplotCommand
    }
    let prefix = current.hasSuffix("/") ? current : current + "/"
    let shown = folder.hasPrefix(prefix) ? String(folder.dropFirst(prefix.count)) : folder
    return "cd \(shellQuoted(shown)) && \(gnuplotCommand)"
  }

  /// `text` as one shell word: unchanged when it is made of safe characters, single-quoted otherwise.
  static func shellQuoted(_ text: String) -> String {
    let safe = text.unicodeScalars.allSatisfy {
      $0.isASCII
        && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
          || "._-/+=:,@%".unicodeScalars.contains($0))
    }
    return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}

/// What `PlotWriter.write` produced.
public struct WrittenPlot: Sendable, Equatable {
  /// The script, `<name>.gp`.
  public var script: URL
  /// The image the script draws, `<name>.png` or `.svg`, beside it.
  public var image: URL
  /// Whether gnuplot ran and made the image.
  public var isRendered: Bool
  /// The one shell command that renders the script.
  public var renderCommand: String
  /// The text preview, when one was asked for and gnuplot is installed.
  public var preview: String?
  /// What gnuplot printed on standard error while rendering, when it still succeeded.
  public var warnings: String

  /// One line for the terminal: what was written, or how to render it.
  public var summary: String {
    let scriptPath = Self.displayPath(script)
    if isRendered {
      return "wrote \(scriptPath) and \(image.lastPathComponent)"
    }
    return "wrote \(scriptPath); render it with: \(renderCommand)"
  }

  /// `url`'s path relative to the current directory when it lies inside it.
  static func displayPath(_ url: URL) -> String {
    let path = url.standardizedFileURL.path
    let current = FileManager.default.currentDirectoryPath
    let prefix = current.hasSuffix("/") ? current : current + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }
}

extension Figure {
  /// Writes this figure as `<directory>/<name>.gp` and renders it with `writer`; see `PlotWriter`.
  ///
  /// - Parameters:
  ///   - directory: The folder, such as `plots/02-attention`.
  ///   - name: The file name without extension.
  ///   - writer: The writer; by default PNG, rendered when gnuplot is installed, with a summary line.
  /// - Returns: The files and whether the image was made.
  /// - Throws: See `PlotWriter.write(_:to:name:)`.
  @discardableResult
  public func write(
    to directory: URL, name: String, using writer: PlotWriter = PlotWriter()
  ) throws -> WrittenPlot {
    try writer.write(self, to: directory, name: name)
  }
}
