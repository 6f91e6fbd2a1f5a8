// The parts every script shares: a header that says how to run it, the output section that picks the
// terminal when gnuplot runs, named inline data blocks, and commented sections.

// MARK: - What a script writes

/// Where a script sends its image: `<name>.<format>` in the folder gnuplot runs in, which is the
/// script's own folder (`<name>.gp`).
public struct ScriptOutput: Sendable, Equatable {
  /// The file name without extension, shared by the script and its image.
  public var name: String
  /// The image format.
  public var format: ImageFormat

  /// The output of the script `<name>.gp`: the image `<name>.<format>` beside it.
  public init(name: String, format: ImageFormat = .png) {
    self.name = name
    self.format = format
  }

  /// The script's file name, `<name>.gp`.
  public var scriptFile: String { name + ".gp" }
  /// The image's file name, `<name>.png` or `<name>.svg`, relative to the script's folder.
  public var imageFile: String { name + "." + format.fileExtension }
}

// MARK: - Builder

/// Collects the lines of one script.
struct ScriptBuilder {
  private(set) var lines: [String] = []

  /// Starts a script with its header, the encoding and the output section.
  ///
  /// - Parameters:
  ///   - title: The figure's title, for the first comment line.
  ///   - kind: What the figure is ("line plot", "heatmap"), for the same line.
  ///   - size: The image size.
  ///   - preview: The size of the text preview.
  ///   - output: The script's and the image's file names.
  init(title: String, kind: String, size: PlotSize, preview: PreviewSize, output: ScriptOutput) {
    let oneLineTitle = oneLine(title)
    let capitalizedKind = kind.prefix(1).uppercased() + kind.dropFirst()
    comment(oneLineTitle.isEmpty ? capitalizedKind : "\(capitalizedKind): \(oneLineTitle)")
    lines.append("#")
    comment("Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD")
    comment("blocks below, so this file is all gnuplot needs. Run it in this folder:")
    comment("  gnuplot \(output.scriptFile)                  writes \(output.imageFile)")
    comment("  gnuplot -e \"preview=1\" \(output.scriptFile)   draws the plot as text in the terminal")
    blank()
    line("set encoding utf8")
    section("Output")
    let font = "font \"\(ScriptFont.family),\(ScriptFont.size)\""
    let sizeText = "size \(size.width),\(size.height)"
    line("if (exists(\"preview\") && preview) {")
    line("  set terminal dumb size \(preview.columns),\(preview.lines) enhanced")
    line("} else {")
    switch output.format {
    case .png:
      line("  if (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) {")
      line("    set terminal pngcairo \(sizeText) enhanced \(font) background \"#ffffff\"")
      line("  } else {")
      line("    # This gnuplot was built without cairo: use the libgd PNG terminal.")
      line("    set terminal png \(sizeText) enhanced \(font) background \"#ffffff\"")
      line("  }")
    case .svg:
      line("  set terminal svg \(sizeText) enhanced \(font) background \"#ffffff\"")
    }
    line("  set output \(Self.fileName(output.imageFile))")
    line("}")
  }

  /// A file name as a double-quoted gnuplot string (no enhanced-text escapes: it is not drawn).
  static func fileName(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      + "\""
  }

  // MARK: Lines

  /// Appends one command line.
  mutating func line(_ text: String) {
    lines.append(text)
  }

  /// Appends a comment line (`# text`); line breaks in `text` start new comment lines.
  mutating func comment(_ text: String) {
    for part in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lines.append(part.isEmpty ? "#" : "# " + part)
    }
  }

  /// Appends an empty line.
  mutating func blank() {
    lines.append("")
  }

  /// Starts a section: an empty line and `# --- title`.
  mutating func section(_ title: String) {
    blank()
    lines.append("# --- " + title)
  }

  /// Appends a named data block, one row per line, numbers separated by spaces.
  ///
  /// - Parameters:
  ///   - name: The block's name, with its `$`.
  ///   - header: Comment lines that say what the columns are.
  ///   - rows: The numbers.
  mutating func dataBlock(_ name: String, header: [String], rows: [[Double]]) {
    lines.append("\(name) << EOD")
    for text in header {
      lines.append("# " + text)
    }
    for row in rows {
      lines.append(row.map(GnuplotSyntax.number).joined(separator: " "))
    }
    lines.append("EOD")
  }

  /// A `set title` command for `title` (nothing when it is empty).
  mutating func title(_ title: String, fontScale: Double = 1.3) {
    guard !title.isEmpty else { return }
    line("set title \(GnuplotSyntax.quoted(title)) font \(fontSpec(scale: fontScale))")
  }

  /// The look of plots with x and y axes: axis labels, left and bottom borders only, a light grid.
  mutating func axes(xLabel: String, yLabel: String) {
    line("set xlabel \(GnuplotSyntax.quoted(xLabel))")
    line("set ylabel \(GnuplotSyntax.quoted(yLabel))")
    line("set border 3 linewidth 1.5")
    line("set tics nomirror")
    line("set grid linecolor rgb \"#dddddd\" linewidth 1")
  }

  /// A font specification `",<points>"` at `scale` times the base size.
  func fontSpec(scale: Double) -> String {
    "\",\(Int((Double(ScriptFont.size) * scale).rounded()))\""
  }

  /// The script's text, ending with a line break.
  var text: String { lines.joined(separator: "\n") + "\n" }
}

// MARK: - Text helpers

/// `text` on one line, for a comment: line breaks become spaces.
func oneLine(_ text: String) -> String {
  text.split(whereSeparator: \.isNewline).joined(separator: " ")
}

/// `set xtics (...)`-style list: each label at its 0-based position.
func ticList(_ labels: [String]) -> String {
  "(" + labels.enumerated().map { "\(GnuplotSyntax.quoted($0.element)) \($0.offset)" }.joined(separator: ", ")
    + ")"
}
