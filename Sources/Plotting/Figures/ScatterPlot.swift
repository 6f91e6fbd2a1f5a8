// Scatter plots with labelled points: 2-D projections of token embeddings.

/// Points in the plane, in groups of one colour each, with a text label beside each point.
///
/// The labels are `set label` commands rather than a data column, so they take the same escaping as
/// every other text in the script and survive `_`, quotes, `##ing` or CJK characters unchanged.
///
/// ```swift
/// let plot = ScatterPlot(
///   title: "Token embeddings, first two principal components",
///   xLabel: "component 1", yLabel: "component 2",
///   groups: [
///     .init(name: "animals", x: [0.9, 1.1], y: [0.2, 0.4], labels: ["cat", "dog"]),
///     .init(name: "subwords", x: [-0.7], y: [1.3], labels: ["##ing"]),
///   ])
/// try plot.write(to: plotsFolder, name: "embeddings")
/// ```
public struct ScatterPlot: Figure {
  /// Points of one colour, named in the legend.
  public struct Group: Sendable, Equatable {
    /// The name in the legend.
    public var name: String
    /// The x coordinates.
    public var x: [Double]
    /// The y coordinates, as many as `x`.
    public var y: [Double]
    /// A label per point, as many as `x`, or none at all.
    public var labels: [String]

    /// A group of points (x[i], y[i]) labelled labels[i].
    public init<Value: BinaryFloatingPoint>(name: String, x: [Value], y: [Value], labels: [String] = []) {
      self.name = name
      self.x = x.map { Double($0) }
      self.y = y.map { Double($0) }
      self.labels = labels
      precondition(x.count == y.count, "Scatter group '\(name)': \(x.count) x values but \(y.count) y values")
      precondition(
        labels.isEmpty || labels.count == x.count,
        "Scatter group '\(name)': \(x.count) points but \(labels.count) labels")
    }
  }

  /// The title above the plot.
  public var title: String
  /// The label of the x axis.
  public var xLabel: String
  /// The label of the y axis.
  public var yLabel: String
  /// The groups of points, with the colours of `SeriesColors` in this order.
  public var groups: [Group]
  /// Whether both axes use the same scale (for projections, where distances should look right).
  public var equalAxes: Bool
  /// The image size.
  public var size: PlotSize
  /// The text preview's size.
  public var previewSize: PreviewSize

  /// A scatter plot; see the type's documentation for an example.
  public init(
    title: String, xLabel: String, yLabel: String, groups: [Group], equalAxes: Bool = false,
    size: PlotSize = .standard, previewSize: PreviewSize = .standard
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.groups = groups
    self.equalAxes = equalAxes
    self.size = size
    self.previewSize = previewSize
  }

  // MARK: - Script

  public func script(for output: ScriptOutput) -> String {
    precondition(!groups.isEmpty, "ScatterPlot '\(title)' has no groups")
    for group in groups {
      precondition(!group.x.isEmpty, "ScatterPlot '\(title)': group '\(group.name)' has no points")
    }
    var script = ScriptBuilder(
      title: title, kind: "scatter plot", size: size, preview: previewSize, output: output)
    let names = GnuplotSyntax.uniqueDataBlockNames(from: groups.map(\.name), fallbackPrefix: "group")
    script.section("Data: one block per group; columns: x, y")
    for (group, name) in zip(groups, names) {
      script.blank()
      script.dataBlock(
        name, header: ["group: " + oneLine(group.name)], rows: zip(group.x, group.y).map { [$0, $1] })
    }

    script.section("Look")
    script.title(title)
    script.axes(xLabel: xLabel, yLabel: yLabel)
    script.line("set key outside right top spacing 1.3")
    script.line("set offsets graph 0.08, graph 0.08, graph 0.08, graph 0.08  # room for the labels")
    if equalAxes {
      script.line("set size ratio -1")
    }
    for index in groups.indices {
      script.line(
        "set style line \(index + 1) linecolor rgb \"\(SeriesColors.color(index))\" pointtype 7 pointsize 2")
    }

    if groups.contains(where: { !$0.labels.isEmpty }) {
      script.section("Point labels, just right of each point")
      var number = 1
      for group in groups {
        for (label, (x, y)) in zip(group.labels, zip(group.x, group.y)) {
          script.line(
            "set label \(number) \(GnuplotSyntax.quoted(label)) at \(GnuplotSyntax.number(x)), \(GnuplotSyntax.number(y)) offset char 1, char 0.3 font \(script.fontSpec(scale: 0.85))"
          )
          number += 1
        }
      }
    }

    script.section("Plot")
    let clauses = zip(groups, names).enumerated().map { index, pair in
      "\(pair.1) using 1:2 with points linestyle \(index + 1) title \(GnuplotSyntax.quoted(pair.0.name))"
    }
    script.line("plot " + clauses.joined(separator: ", \\\n     "))
    return script.text
  }
}
