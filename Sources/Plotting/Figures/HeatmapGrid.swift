// Grids of heatmaps on one page: attention of every head in every layer for one sentence.

/// Rows x columns of heatmaps on one page (gnuplot's `multiplot`), with one shared colour scale.
///
/// Each panel is a `Heatmap` (all of one shape); the grid draws its values, its title and, along the
/// bottom row and the left column, the column labels of the bottom-left panel and the row labels of
/// the first panel of each row. Panel axis labels, colour bars and printed values are left
/// out: there is no room for them. The colour range is shared so that panels compare: `valueRange`,
/// or the smallest to the largest value of all panels.
///
/// ```swift
/// // weights[layer][head][query][key], from the model's attention probabilities
/// let grid = HeatmapGrid.attention(
///   title: "Attention of every head", tokens: tokens, weights: weights)
/// try grid.write(to: plotsFolder, name: "attention-all-heads")
/// ```
public struct HeatmapGrid: Figure {
  /// The title above the page.
  public var title: String
  /// The panels, `panels[row][column]`; every row has the same number of panels.
  public var panels: [[Heatmap]]
  /// The label of the shared colour bar.
  public var colorBarLabel: String
  /// The values at the two ends of the shared colour scale; `nil` for the range of all values.
  public var valueRange: ClosedRange<Double>?
  /// The colour map of every panel.
  public var palette: Palette
  /// Whether the bottom row shows column labels and the left column shows row labels.
  public var showsLabels: Bool
  /// The side of one panel in pixels.
  public var panelSide: Int
  /// The text preview's size.
  public var previewSize: PreviewSize

  /// A grid of panels; see the type's documentation for an example.
  public init(
    title: String, panels: [[Heatmap]], colorBarLabel: String = "", valueRange: ClosedRange<Double>? = nil,
    palette: Palette = .blues, showsLabels: Bool = true, panelSide: Int = 300,
    previewSize: PreviewSize = PreviewSize(columns: 160, lines: 60)
  ) {
    self.title = title
    self.panels = panels
    self.colorBarLabel = colorBarLabel
    self.valueRange = valueRange
    self.palette = palette
    self.showsLabels = showsLabels
    self.panelSide = panelSide
    self.previewSize = previewSize
  }

  /// Every head of every layer for one sentence: a row per layer, a column per head, each panel
  /// titled `L<layer> H<head>` (counted from 1), on a 0...1 scale labelled "attention weight".
  ///
  /// - Parameters:
  ///   - title: The page title.
  ///   - tokens: The sentence's tokens, for the query (row) and key (column) labels.
  ///   - weights: `weights[layer][head][query][key]`, each query's weights summing to 1.
  /// - Returns: The grid.
  public static func attention<Value: BinaryFloatingPoint>(
    title: String, tokens: [String], weights: [[[[Value]]]]
  ) -> HeatmapGrid {
    let panels = weights.enumerated().map { layer, heads in
      heads.enumerated().map { head, matrix in
        Heatmap(
          title: "L\(layer + 1) H\(head + 1)", values: matrix, rowLabels: tokens, columnLabels: tokens,
          valueRange: 0...1, cellValues: .never)
      }
    }
    return HeatmapGrid(
      title: title, panels: panels, colorBarLabel: "attention weight", valueRange: 0...1)
  }

  var rowCount: Int { panels.count }
  var columnCount: Int { panels.first?.count ?? 0 }

  /// Room around the panels, in pixels: left (row labels), right (colour bar), bottom (column
  /// labels), top (page title).
  var margins: (left: Int, right: Int, bottom: Int, top: Int) {
    showsLabels ? (190, 240, 130, 130) : (60, 240, 60, 130)
  }

  /// The page size: the panels plus the margins.
  var imageSize: PlotSize {
    PlotSize(
      width: panelSide * columnCount + margins.left + margins.right,
      height: panelSide * rowCount + margins.bottom + margins.top)
  }

  // MARK: - Script

  public func script(for output: ScriptOutput) -> String {
    precondition(rowCount > 0 && columnCount > 0, "HeatmapGrid '\(title)' has no panels")
    for (index, row) in panels.enumerated() {
      precondition(
        row.count == columnCount,
        "HeatmapGrid '\(title)': row \(index) has \(row.count) panels but row 0 has \(columnCount)")
      for panel in row {
        panel.checkShape()
        precondition(
          panel.rowCount == panels[0][0].rowCount && panel.columnCount == panels[0][0].columnCount,
          "HeatmapGrid '\(title)': panel '\(panel.title)' is \(panel.rowCount) x \(panel.columnCount) but panel '\(panels[0][0].title)' is \(panels[0][0].rowCount) x \(panels[0][0].columnCount)"
        )
      }
    }
    let size = imageSize
    var script = ScriptBuilder(
      title: title, kind: "grid of heatmaps", size: size, preview: previewSize, output: output)
    let blockNames = panels.indices.map { row in
      panels[row].indices.map { column in "$panel_\(row + 1)_\(column + 1)" }
    }

    script.section("Data: one block per panel ($panel_<row>_<column>), one line per matrix row")
    for (row, column) in panelPositions {
      let panel = panels[row][column]
      script.blank()
      script.dataBlock(
        blockNames[row][column], header: ["panel: " + oneLine(panel.title)], rows: panel.values)
    }

    script.section("Look shared by every panel")
    let range =
      valueRange
      ?? Heatmap.automaticRange(
        of: panels.flatMap { $0.flatMap { $0.values.flatMap { $0 } } }, palette: palette)
    var shared = panels[0][0]
    shared.palette = palette
    shared.appendColorScale(to: &script, range: range, label: colorBarLabel)
    shared.appendRanges(to: &script)
    script.line("unset key")
    script.line("unset colorbox")
    script.line("unset xtics")
    script.line("unset ytics")
    let width = Double(size.width)
    let height = Double(size.height)
    let left = GnuplotSyntax.number(Double(margins.left) / width)
    let right = GnuplotSyntax.number(1 - Double(margins.right) / width)
    let bottom = GnuplotSyntax.number(Double(margins.bottom) / height)
    let top = GnuplotSyntax.number(1 - Double(margins.top) / height)
    let titleText =
      title.isEmpty ? "" : " title \(GnuplotSyntax.quoted(title)) font \(script.fontSpec(scale: 1.4))"
    script.line(
      "set multiplot layout \(rowCount),\(columnCount)\(titleText) margins \(left),\(right),\(bottom),\(top) spacing \(GnuplotSyntax.number(12 / width)),\(GnuplotSyntax.number(48 / height))"
    )

    script.section("Panels, row by row; row labels on the left column, column labels on the bottom row")
    var showsRowTics = false
    var showsColumnTics = false
    for (row, column) in panelPositions {
      let panel = panels[row][column]
      script.blank()
      if row == rowCount - 1 && column == columnCount - 1 {
        let x = GnuplotSyntax.number(1 - Double(margins.right - 50) / width)
        let y = GnuplotSyntax.number(Double(margins.bottom) / height)
        let barHeight = GnuplotSyntax.number(Double(panelSide * rowCount) / height)
        let barWidth = GnuplotSyntax.number(30 / width)
        script.line("# The shared colour bar, drawn with the last panel, right of the grid.")
        script.line(
          "set colorbox user origin screen \(x), screen \(y) size screen \(barWidth), screen \(barHeight)")
      }
      script.line(
        "set title \(GnuplotSyntax.quoted(panel.title)) font \(script.fontSpec(scale: 0.8)) offset 0,-0.6")
      let wantsRowTics = showsLabels && column == 0
      if wantsRowTics != showsRowTics {
        script.line(wantsRowTics ? panel.rowTicsCommand(script, scale: 0.6) : "unset ytics")
        showsRowTics = wantsRowTics
      }
      let wantsColumnTics = showsLabels && row == rowCount - 1
      if wantsColumnTics != showsColumnTics {
        script.line(wantsColumnTics ? panel.columnTicsCommand(script, scale: 0.6) : "unset xtics")
        showsColumnTics = wantsColumnTics
      }
      script.line(panel.plotCommand(block: blockNames[row][column], printsValues: false, valueScale: 0))
    }
    script.blank()
    script.line("unset multiplot")
    return script.text
  }

  /// (row, column) of every panel, row by row.
  var panelPositions: [(Int, Int)] {
    panels.indices.flatMap { row in panels[row].indices.map { (row, $0) } }
  }
}
