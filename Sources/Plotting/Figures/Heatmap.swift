// Heatmaps with labels on both axes: attention maps (query tokens x key tokens), confusion matrices.

/// A matrix drawn as coloured cells, with a label for each row and column and a colour bar.
///
/// Row 0 is drawn at the top, as the matrix is written; cells are square. Each value is also printed
/// in its cell when the matrix is small (both sides at most 12 under `.automatic`), white on dark
/// cells and black on light ones.
///
/// ```swift
/// let tokens = ["[CLS]", "the", "cat", "sat", "[SEP]"]
/// let map = Heatmap(
///   title: "Layer 1, head 3", values: attentionWeights,  // [query][key]
///   rowLabels: tokens, columnLabels: tokens,
///   xLabel: "key token", yLabel: "query token", colorBarLabel: "attention weight",
///   valueRange: 0...1)
/// try map.write(to: plotsFolder, name: "attention-layer1-head3")
/// ```
public struct Heatmap: Figure {
  /// When to print each value in its cell.
  public enum CellValues: Sendable, Equatable {
    /// Print them when the matrix has at most 12 rows and at most 12 columns.
    case automatic
    /// Always print them.
    case always
    /// Never print them.
    case never
  }

  /// The title above the heatmap.
  public var title: String
  /// The values, `values[row][column]`; every row has as many values as there are column labels.
  public var values: [[Double]]
  /// The label of each row, drawn top to bottom along the y axis.
  public var rowLabels: [String]
  /// The label of each column, drawn left to right along the x axis (rotated 45 degrees).
  public var columnLabels: [String]
  /// The label of the x axis.
  public var xLabel: String
  /// The label of the y axis.
  public var yLabel: String
  /// The label of the colour bar: what the colours measure.
  public var colorBarLabel: String
  /// The values at the two ends of the colour scale; `nil` for the smallest and largest value (for
  /// `.blueWhiteRed`, a range symmetric about zero).
  public var valueRange: ClosedRange<Double>?
  /// The colour map.
  public var palette: Palette
  /// When to print the values in the cells.
  public var cellValues: CellValues
  /// The gnuplot `sprintf` format of the printed values, such as `"%.2f"`, or `"%.0f"` for counts.
  public var cellValueFormat: String
  /// The image size; `nil` for a size that fits the matrix with square cells.
  public var size: PlotSize?
  /// The text preview's size.
  public var previewSize: PreviewSize

  /// A heatmap; see the type's documentation for an example.
  public init<Value: BinaryFloatingPoint>(
    title: String, values: [[Value]], rowLabels: [String], columnLabels: [String],
    xLabel: String = "", yLabel: String = "", colorBarLabel: String = "",
    valueRange: ClosedRange<Double>? = nil, palette: Palette = .blues, cellValues: CellValues = .automatic,
    cellValueFormat: String = "%.2f", size: PlotSize? = nil, previewSize: PreviewSize = .standard
  ) {
    self.title = title
    self.values = values.map { $0.map { Double($0) } }
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.colorBarLabel = colorBarLabel
    self.valueRange = valueRange
    self.palette = palette
    self.cellValues = cellValues
    self.cellValueFormat = cellValueFormat
    self.size = size
    self.previewSize = previewSize
  }

  /// The number of rows.
  var rowCount: Int { values.count }
  /// The number of columns.
  var columnCount: Int { columnLabels.count }

  /// Stops with a message naming both counts when the labels do not fit the matrix.
  func checkShape() {
    precondition(!values.isEmpty && !columnLabels.isEmpty, "Heatmap '\(title)' has no cells")
    precondition(
      rowLabels.count == values.count,
      "Heatmap '\(title)': \(values.count) rows of values but \(rowLabels.count) row labels")
    for (index, row) in values.enumerated() {
      precondition(
        row.count == columnLabels.count,
        "Heatmap '\(title)': row \(index) has \(row.count) values but there are \(columnLabels.count) column labels"
      )
    }
  }

  /// Whether the values are printed in the cells.
  var printsCellValues: Bool {
    switch cellValues {
    case .always: return true
    case .never: return false
    case .automatic: return rowCount <= 12 && columnCount <= 12
    }
  }

  /// The colour range in use: `valueRange`, or one computed from the values.
  var colorRange: ClosedRange<Double> {
    valueRange ?? Self.automaticRange(of: values.flatMap { $0 }, palette: palette)
  }

  /// The smallest to the largest finite value (for a diverging palette, -m...m with m the largest
  /// magnitude), widened to a unit range when all values are equal.
  static func automaticRange(of values: [Double], palette: Palette) -> ClosedRange<Double> {
    let finite = values.filter(\.isFinite)
    guard var low = finite.min(), var high = finite.max() else { return 0...1 }
    if palette == .blueWhiteRed {
      high = max(abs(low), abs(high))
      low = -high
    }
    if low == high {
      low -= 0.5
      high += 0.5
    }
    return low...high
  }

  /// The image size in use: `size`, or square cells of at most 110 px that fit 1000 x 800 px, plus
  /// room for the labels and the colour bar.
  var imageSize: PlotSize {
    if let size { return size }
    let cell = min(110, max(24, min(1000 / columnCount, 800 / rowCount)))
    return PlotSize(width: cell * columnCount + 620, height: cell * rowCount + 420)
  }

  // MARK: - Script

  public func script(for output: ScriptOutput) -> String {
    checkShape()
    var script = ScriptBuilder(
      title: title, kind: "heatmap", size: imageSize, preview: previewSize, output: output)
    script.section("Data: one line per row (top to bottom), one number per column (left to right)")
    script.dataBlock("$cells", header: [], rows: values)
    script.section("Look")
    script.title(title)
    script.line("set xlabel \(GnuplotSyntax.quoted(xLabel))")
    script.line("set ylabel \(GnuplotSyntax.quoted(yLabel))")
    appendColorScale(to: &script, range: colorRange, label: colorBarLabel)
    appendRanges(to: &script)
    script.line(columnTicsCommand(script, scale: 0.9))
    script.line(rowTicsCommand(script, scale: 0.9))
    script.line("unset key")
    if printsCellValues {
      appendCellValueFunctions(to: &script)
    }
    script.section("Plot")
    script.line(plotCommand(block: "$cells", printsValues: printsCellValues, valueScale: 0.75))
    return script.text
  }

  /// The colour scale: `low`/`high` variables, the palette, and the colour bar's label.
  func appendColorScale(to script: inout ScriptBuilder, range: ClosedRange<Double>, label: String) {
    script.line("low = \(GnuplotSyntax.number(range.lowerBound))")
    script.line("high = \(GnuplotSyntax.number(range.upperBound))")
    script.line("set cbrange [low:high]")
    script.line(palette.command)
    if !label.isEmpty {
      script.line("set cblabel \(GnuplotSyntax.quoted(label))")
    }
  }

  /// The ranges: row 0 on top, square cells.
  func appendRanges(to script: inout ScriptBuilder) {
    script.line("set xrange [-0.5:\(GnuplotSyntax.number(Double(columnCount) - 0.5))]")
    script.line("set yrange [\(GnuplotSyntax.number(Double(rowCount) - 0.5)):-0.5]  # row 0 at the top")
    script.line("set size ratio -1  # square cells")
    script.line("set tics scale 0")
  }

  /// `set xtics (...)` with the column labels, rotated, in a font of `scale` times the base size.
  func columnTicsCommand(_ script: ScriptBuilder, scale: Double) -> String {
    "set xtics \(ticList(columnLabels)) rotate by 45 right font \(script.fontSpec(scale: scale))"
  }

  /// `set ytics (...)` with the row labels, in a font of `scale` times the base size.
  func rowTicsCommand(_ script: ScriptBuilder, scale: Double) -> String {
    "set ytics \(ticList(rowLabels)) font \(script.fontSpec(scale: scale))"
  }

  /// `position(v)`, where `v` falls in the colour range, and `dark(v)`, whether its cell needs white text.
  func appendCellValueFunctions(to script: inout ScriptBuilder) {
    script.line("# Printed values: white on dark cells, black on light ones.")
    script.line("position(v) = (v - low) / (high - low)")
    script.line("dark(v) = \(palette.darkCellCondition(position: "position(v)"))")
  }

  /// The `plot` command for one matrix: the image, and the printed values when asked.
  func plotCommand(block: String, printsValues: Bool, valueScale: Double) -> String {
    var clauses = ["\(block) matrix with image pixels"]
    if printsValues {
      let format = GnuplotSyntax.quoted(cellValueFormat)
      let font = "font \",\(Int((Double(ScriptFont.size) * valueScale).rounded()))\""
      clauses.append(
        "\(block) matrix using 1:2:(dark($3) ? sprintf(\(format), $3) : \"\") with labels textcolor rgb \"#ffffff\" \(font)"
      )
      clauses.append(
        "\(block) matrix using 1:2:(dark($3) ? \"\" : sprintf(\(format), $3)) with labels textcolor rgb \"#000000\" \(font)"
      )
    }
    return "plot " + clauses.joined(separator: ", \\\n     ")
  }
}
