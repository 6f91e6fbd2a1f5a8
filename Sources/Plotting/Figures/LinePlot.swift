// Line plots with several series: training and held-out loss by step, the learning rate, accuracy.

/// Curves of y against x, one per series, with optional moving-average smoothing and a log-scale y
/// axis.
///
/// With a smoothing window of W, each series is drawn twice: its raw values as a thin pale line and
/// their moving mean as a thick line, the way training curves are usually read. The mean at point i
/// is over the points j <= i with x[j] > x[i] - W: the last W steps when x counts steps, so a loss
/// logged every step and one evaluated every 100 steps are smoothed over the same stretch of
/// training. The data block keeps both columns so a student can plot either.
///
/// ```swift
/// let plot = LinePlot(
///   title: "Masked-LM loss", xLabel: "step", yLabel: "cross-entropy",
///   series: [
///     .init(name: "training", x: steps, y: trainingLosses),
///     .init(name: "held-out", x: evaluationSteps, y: heldOutLosses, showsPoints: true),
///   ],
///   smoothingWindow: 20)
/// try plot.write(to: plotsFolder, name: "loss")
/// ```
public struct LinePlot: Figure {
  /// One curve.
  public struct Series: Sendable, Equatable {
    /// The name in the legend.
    public var name: String
    /// The x values.
    public var x: [Double]
    /// The y values, as many as `x`.
    public var y: [Double]
    /// Whether each point is marked, for sparse series such as an evaluation every 100 steps.
    public var showsPoints: Bool

    /// A series of points (x[i], y[i]).
    public init<X: Sequence, Y: Sequence>(name: String, x: X, y: Y, showsPoints: Bool = false)
    where X.Element: BinaryFloatingPoint, Y.Element: BinaryFloatingPoint {
      self.name = name
      self.x = x.map { Double($0) }
      self.y = y.map { Double($0) }
      self.showsPoints = showsPoints
      precondition(
        self.x.count == self.y.count,
        "Series '\(name)': \(self.x.count) x values but \(self.y.count) y values")
    }

    /// A series of points (x[i], y[i]) with whole-number x, such as training steps.
    public init<X: Sequence, Y: Sequence>(name: String, x: X, y: Y, showsPoints: Bool = false)
    where X.Element: BinaryInteger, Y.Element: BinaryFloatingPoint {
      self.init(name: name, x: x.map { Double($0) }, y: y, showsPoints: showsPoints)
    }

    /// A series of points (i, y[i]) for i = 0, 1, 2, ...
    public init<Y: Sequence>(name: String, y: Y, showsPoints: Bool = false)
    where Y.Element: BinaryFloatingPoint {
      let values = y.map { Double($0) }
      self.init(name: name, x: values.indices.map { Double($0) }, y: values, showsPoints: showsPoints)
    }
  }

  /// The title above the plot.
  public var title: String
  /// The label of the x axis.
  public var xLabel: String
  /// The label of the y axis.
  public var yLabel: String
  /// The curves, drawn in this order, with the colours of `SeriesColors` in this order.
  public var series: [Series]
  /// The width, in units of x, of the moving mean drawn over each series; `nil` for none.
  public var smoothingWindow: Double?
  /// Whether the y axis is logarithmic (every y must then be positive).
  public var logScaleY: Bool
  /// The image size.
  public var size: PlotSize
  /// The text preview's size.
  public var previewSize: PreviewSize

  /// A line plot; see the type's documentation for an example.
  public init(
    title: String, xLabel: String, yLabel: String, series: [Series], smoothingWindow: Double? = nil,
    logScaleY: Bool = false, size: PlotSize = .standard, previewSize: PreviewSize = .standard
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
    self.smoothingWindow = smoothingWindow
    self.logScaleY = logScaleY
    self.size = size
    self.previewSize = previewSize
  }

  /// The smoothing window in use, or nil when there is none.
  var window: Double? {
    guard let smoothingWindow, smoothingWindow > 0 else { return nil }
    return smoothingWindow
  }

  /// The moving mean of `y` over a window of `width` in x.
  ///
  /// m[i] is the mean of y[j] over the points j <= i with x[j] > x[i] - width, found with a running
  /// sum; x must not decrease. For x = 0, 1, 2, ... and a whole `width` N this is the mean of the last
  /// N values (fewer at the start).
  ///
  /// - Parameters:
  ///   - x: The x values, in order.
  ///   - y: The y values, as many as `x`.
  ///   - width: The window's width, greater than 0.
  /// - Returns: The mean at each point.
  public static func movingMean(x: [Double], y: [Double], width: Double) -> [Double] {
    precondition(width > 0, "Smoothing window must be greater than 0, got \(width)")
    precondition(x.count == y.count, "Moving mean: \(x.count) x values but \(y.count) y values")
    var means: [Double] = []
    means.reserveCapacity(y.count)
    var start = 0
    var sum = 0.0
    for index in y.indices {
      precondition(index == 0 || x[index] >= x[index - 1], "Moving mean: x decreases at index \(index)")
      sum += y[index]
      while x[start] <= x[index] - width {
        sum -= y[start]
        start += 1
      }
      means.append(sum / Double(index - start + 1))
    }
    return means
  }

  // MARK: - Script

  public func script(for output: ScriptOutput) -> String {
    precondition(!series.isEmpty, "LinePlot '\(title)' has no series")
    for item in series {
      precondition(!item.x.isEmpty, "LinePlot '\(title)': series '\(item.name)' has no points")
    }
    var script = ScriptBuilder(
      title: title, kind: "line plot", size: size, preview: previewSize, output: output)
    let names = GnuplotSyntax.uniqueDataBlockNames(from: series.map(\.name), fallbackPrefix: "series")

    script.section("Data: one block per series")
    for (item, name) in zip(series, names) {
      script.blank()
      var header = ["series: " + oneLine(item.name), "columns: x, y"]
      var rows = zip(item.x, item.y).map { [$0, $1] }
      if let window {
        header[1] += ", mean of y over the x in (x - \(GnuplotSyntax.number(window)), x]"
        let means = Self.movingMean(x: item.x, y: item.y, width: window)
        rows = zip(rows, means).map { $0 + [$1] }
      }
      script.dataBlock(name, header: header, rows: rows)
    }

    script.section("Look")
    script.title(title)
    script.axes(xLabel: xLabel, yLabel: yLabel)
    script.line("set key top right spacing 1.3")
    if logScaleY {
      script.line("set logscale y")
    }
    if let window {
      script.line(
        "set key title \(GnuplotSyntax.quoted("thick: moving mean over \(GnuplotSyntax.number(window))"))")
    }
    for index in series.indices {
      let color = SeriesColors.color(index)
      script.line(
        "set style line \(index + 1) linecolor rgb \"\(color)\" linewidth 4 pointtype 7 pointsize 1.5")
      if window != nil {
        let pale = SeriesColors.tint(color, amount: 0.65)
        script.line("set style line \(index + 101) linecolor rgb \"\(pale)\" linewidth 1.5")
      }
    }

    script.section("Plot")
    var clauses: [String] = []
    for (index, (item, name)) in zip(series, names).enumerated() {
      let style = item.showsPoints ? "linespoints" : "lines"
      let title = "title \(GnuplotSyntax.quoted(item.name))"
      if window != nil {
        clauses.append("\(name) using 1:2 with lines linestyle \(index + 101) notitle")
        clauses.append("\(name) using 1:3 with \(style) linestyle \(index + 1) \(title)")
      } else {
        clauses.append("\(name) using 1:2 with \(style) linestyle \(index + 1) \(title)")
      }
    }
    script.line("plot " + clauses.joined(separator: ", \\\n     "))
    return script.text
  }
}
