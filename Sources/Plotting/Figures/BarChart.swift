// Bar charts: the top-k predictions at a masked position with their probabilities, class counts.

/// One bar per label, with its value printed at the end of the bar.
///
/// Horizontal bars read best for token predictions (the first label at the top, long labels
/// unrotated); vertical bars suit a few short categories. Highlighted bars take a second colour, for
/// instance the token that was masked out.
///
/// ```swift
/// let chart = BarChart(
///   title: "Predictions for [MASK] in \"the cat [MASK] on the mat\"",
///   labels: ["sat", "was", "lay", "slept", "is"], values: [0.61, 0.12, 0.08, 0.05, 0.03],
///   valueLabel: "probability", highlighted: [0])
/// try chart.write(to: plotsFolder, name: "top-k")
/// ```
public struct BarChart: Figure {
  /// The direction of the bars.
  public enum Orientation: Sendable, Equatable {
    /// Bars grow to the right from the value axis; labels down the left, the first at the top.
    case horizontal
    /// Bars grow upwards; labels along the bottom, the first at the left, rotated 45 degrees.
    case vertical
  }

  /// The title above the chart.
  public var title: String
  /// The label of each bar.
  public var labels: [String]
  /// The value of each bar, as many as `labels`.
  public var values: [Double]
  /// The label of the value axis ("probability").
  public var valueLabel: String
  /// The label of the category axis; empty for none.
  public var categoryLabel: String
  /// The indices (0-based) of bars drawn in the highlight colour.
  public var highlighted: Set<Int>
  /// The direction of the bars.
  public var orientation: Orientation
  /// The gnuplot `sprintf` format of the printed values, such as `"%.3f"`.
  public var valueFormat: String
  /// The image size.
  public var size: PlotSize
  /// The text preview's size.
  public var previewSize: PreviewSize

  /// A bar chart; see the type's documentation for an example.
  public init<Value: BinaryFloatingPoint>(
    title: String, labels: [String], values: [Value], valueLabel: String, categoryLabel: String = "",
    highlighted: Set<Int> = [], orientation: Orientation = .horizontal, valueFormat: String = "%.3f",
    size: PlotSize = .standard, previewSize: PreviewSize = .standard
  ) {
    self.title = title
    self.labels = labels
    self.values = values.map { Double($0) }
    self.valueLabel = valueLabel
    self.categoryLabel = categoryLabel
    self.highlighted = highlighted
    self.orientation = orientation
    self.valueFormat = valueFormat
    self.size = size
    self.previewSize = previewSize
  }

  /// The end of the value axis: 0 and the values, with 15% headroom for the printed values.
  var valueAxisRange: (low: Double, high: Double) {
    let finite = values.filter(\.isFinite)
    let low = min(0, finite.min() ?? 0)
    let high = max(0, finite.max() ?? 1)
    let span = high - low > 0 ? high - low : 1
    return (low < 0 ? low - 0.15 * span : 0, high > 0 ? high + 0.15 * span : 0)
  }

  // MARK: - Script

  public func script(for output: ScriptOutput) -> String {
    precondition(!values.isEmpty, "BarChart '\(title)' has no bars")
    precondition(
      labels.count == values.count, "BarChart '\(title)': \(values.count) values but \(labels.count) labels")
    var script = ScriptBuilder(
      title: title, kind: "bar chart", size: size, preview: previewSize, output: output)
    script.section("Data: one line per bar")
    let rows = values.enumerated().map {
      [Double($0.offset), $0.element, highlighted.contains($0.offset) ? 1 : 0]
    }
    script.dataBlock("$bars", header: ["columns: position, value, highlighted (1) or not (0)"], rows: rows)

    script.section("Look")
    script.title(title)
    script.line("barColor = 0x4292c6")
    script.line("highlightColor = 0xe6550d")
    script.line("set style fill solid 0.9 border rgb \"#ffffff\"")
    script.line("unset key")
    script.line("set border 3 linewidth 1.5")
    script.line("set tics nomirror scale 0.5")
    let axis = valueAxisRange
    let rangeText = "[\(GnuplotSyntax.number(axis.low)):\(GnuplotSyntax.number(axis.high))]"
    let last = GnuplotSyntax.number(Double(values.count) - 0.5)
    let valueFormat = GnuplotSyntax.quoted(self.valueFormat)
    let valueFont = "font \(script.fontSpec(scale: 0.85))"
    script.line("# The printed values sit just past the end of each bar (past zero for negative bars).")
    script.line("pad = \(GnuplotSyntax.number(0.01 * (axis.high - axis.low)))")
    switch orientation {
    case .horizontal:
      script.line("set xlabel \(GnuplotSyntax.quoted(valueLabel))")
      script.line("set ylabel \(GnuplotSyntax.quoted(categoryLabel))")
      script.line("set xrange \(rangeText)")
      script.line("set yrange [\(last):-0.5]  # the first bar at the top")
      script.line("set ytics \(ticList(labels))")
      script.line("set grid xtics linecolor rgb \"#dddddd\"")
      script.section("Plot: boxes from 0 to each value, then the values beside them")
      script.line(
        "plot $bars using ($2 / 2):1:(abs($2) / 2):(0.35):($3 > 0 ? highlightColor : barColor) with boxxyerror linecolor rgb variable, \\"
      )
      script.line(
        "     $bars using ($2 > 0 ? $2 + pad : pad):1:(sprintf(\(valueFormat), $2)) with labels left \(valueFont)"
      )
    case .vertical:
      script.line("set ylabel \(GnuplotSyntax.quoted(valueLabel))")
      script.line("set xlabel \(GnuplotSyntax.quoted(categoryLabel))")
      script.line("set yrange \(rangeText)")
      script.line("set xrange [-0.5:\(last)]")
      script.line("set xtics \(ticList(labels)) rotate by 45 right")
      script.line("set grid ytics linecolor rgb \"#dddddd\"")
      script.line("set boxwidth 0.7")
      script.section("Plot: a box per value, then the values above them")
      script.line(
        "plot $bars using 1:2:($3 > 0 ? highlightColor : barColor) with boxes linecolor rgb variable, \\")
      script.line(
        "     $bars using 1:($2 > 0 ? $2 + pad : pad):(sprintf(\(valueFormat), $2)) with labels center offset 0,0.5 \(valueFont)"
      )
    }
    return script.text
  }
}
