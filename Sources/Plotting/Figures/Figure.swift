// What every kind of plot has in common: it turns into the text of one self-contained gnuplot script.

/// A figure that can be written as a gnuplot script: `LinePlot`, `Heatmap`, `HeatmapGrid`,
/// `BarChart`, `ScatterPlot`.
///
/// The script is deterministic text: the same figure gives the same bytes on every run and machine.
/// It holds its data inline as named data blocks (`$name << EOD ... EOD`), names its image relative
/// to its own folder, and picks the PNG terminal when it runs (`pngcairo`, or `png` where gnuplot
/// lacks cairo). `gnuplot -e "preview=1" <name>.gp` draws it as text instead.
public protocol Figure: Sendable {
  /// The title drawn above the figure.
  var title: String { get }

  /// The script that draws the figure into `output.imageFile`.
  ///
  /// - Parameter output: The file names and image format.
  /// - Returns: The script's text, ending with a line break.
  func script(for output: ScriptOutput) -> String
}

extension Figure {
  /// The script that draws the figure into `<name>.png` (or `.svg`) beside `<name>.gp`.
  ///
  /// - Parameters:
  ///   - name: The file name without extension.
  ///   - format: The image format.
  /// - Returns: The script's text.
  public func script(name: String, format: ImageFormat = .png) -> String {
    script(for: ScriptOutput(name: name, format: format))
  }
}
