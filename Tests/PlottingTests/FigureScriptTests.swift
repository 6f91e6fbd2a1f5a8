import Foundation
import Testing

@testable import Plotting

@Suite("Figure scripts: golden text, determinism, the pieces of each kind")
struct FigureScriptTests {
  /// The folder of the golden files in the source tree, for regenerating them.
  static let sourceGoldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden")

  /// The golden script of `name`, from the test bundle.
  static func golden(_ name: String) throws -> String? {
    guard let url = Bundle.module.url(forResource: "Golden/\(name)", withExtension: "gp") else { return nil }
    return try String(contentsOf: url, encoding: .utf8)
  }

  // The golden files were written by this module once, then read line by line and rendered (see
  // Golden/README.md); this test holds later changes to them. Set PLOTTING_UPDATE_GOLDEN=1 to
  // rewrite them after an intended change, then review the diff.
  @Test("Each kind of figure emits its golden script", arguments: TestFigures.all.map(\.name))
  func goldenScript(name: String) throws {
    let fixture = try #require(TestFigures.all.first { $0.name == name })
    let script = fixture.figure.script(name: name, format: fixture.format)
    if ProcessInfo.processInfo.environment["PLOTTING_UPDATE_GOLDEN"] == "1" {
      let url = Self.sourceGoldenFolder.appendingPathComponent("\(name).gp")
      try Data(script.utf8).write(to: url)
    }
    let expected = try #require(try Self.golden(name), "Golden/\(name).gp is missing")
    if script != expected {
      let scriptLines = script.split(separator: "\n", omittingEmptySubsequences: false)
      let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
      let firstDifference = zip(scriptLines, expectedLines).enumerated().first {
        $0.element.0 != $0.element.1
      }
      Issue.record(
        """
        \(name).gp differs from its golden file at line \((firstDifference?.offset ?? min(scriptLines.count, expectedLines.count)) + 1):
        got:      \(firstDifference.map { String($0.element.0) } ?? "(\(scriptLines.count) lines)")
        expected: \(firstDifference.map { String($0.element.1) } ?? "(\(expectedLines.count) lines)")
        """)
    }
  }

  @Test("The same figure gives the same bytes, and writing twice leaves identical files")
  func deterministic() throws {
    for fixture in TestFigures.all {
      #expect(fixture.figure.script(name: "a") == fixture.figure.script(name: "a"), "\(fixture.name)")
    }
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let writer = PlotWriter(rendersImage: false, printsToTerminal: false, gnuplot: nil)
    try writer.write(PlotGallery.loss, to: folder.url, name: "loss")
    let first = try Data(contentsOf: folder.url.appendingPathComponent("loss.gp"))
    try writer.write(PlotGallery.loss, to: folder.url, name: "loss")
    let second = try Data(contentsOf: folder.url.appendingPathComponent("loss.gp"))
    #expect(first == second)
  }

  @Test("Every script names its image relative to its own folder and picks the terminal at run time")
  func outputSection() {
    let png = TestFigures.barChart.script(name: "top-k")
    #expect(png.contains("  set output \"top-k.png\"\n"))
    #expect(
      png.contains(
        "if (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) {\n    set terminal pngcairo size 1600,1000"))
    #expect(
      png.contains(
        "  } else {\n    # This gnuplot was built without cairo: use the libgd PNG terminal.\n    set terminal png size 1600,1000"
      ))
    #expect(png.contains("if (exists(\"preview\") && preview) {\n  set terminal dumb size 100,32 enhanced\n"))
    let svg = TestFigures.barChart.script(name: "top-k", format: .svg)
    #expect(svg.contains("  set terminal svg size 1600,1000"))
    #expect(svg.contains("  set output \"top-k.svg\"\n"))
    #expect(!svg.contains("pngcairo"))
  }

  // m[i] = mean of y[j] for x[j] in (x[i] - w, x[i]], worked by hand.
  @Test("The moving mean covers the last window of x")
  func movingMean() {
    let steps = LinePlot.movingMean(x: [0, 1, 2, 3, 4], y: [4, 2, 6, 0, 10], width: 3)
    #expect(steps == [4, 3, 4, 8.0 / 3, 16.0 / 3])
    let sparse = LinePlot.movingMean(x: [0, 100, 200, 300], y: [1, 3, 5, 7], width: 150)
    #expect(sparse == [1, 2, 4, 6])
    let one = LinePlot.movingMean(x: [0, 100, 200], y: [1, 3, 5], width: 50)
    #expect(one == [1, 3, 5])
  }

  @Test("Heatmaps print their values only when they are small, unless told")
  func cellValues() {
    let small = TestFigures.heatmap
    #expect(small.printsCellValues)
    #expect(small.script(name: "a").contains("sprintf('%.2f', $3)"))
    let labels = (0..<13).map { "t\($0)" }
    var large = Heatmap(
      title: "Large", values: Array(repeating: Array(repeating: 0.5, count: 13), count: 13),
      rowLabels: labels,
      columnLabels: labels)
    #expect(!large.printsCellValues)
    #expect(!large.script(name: "a").contains("sprintf"))
    large.cellValues = .always
    #expect(large.script(name: "a").contains("sprintf"))
    var small2 = small
    small2.cellValues = .never
    #expect(!small2.script(name: "a").contains("sprintf"))
  }

  @Test("Automatic colour ranges span the values, symmetric about zero for the diverging palette")
  func colorRanges() {
    #expect(Heatmap.automaticRange(of: [0.25, 3, -1, .nan], palette: .blues) == -1...3)
    #expect(Heatmap.automaticRange(of: [0.25, 3, -1], palette: .blueWhiteRed) == -3...3)
    #expect(Heatmap.automaticRange(of: [2, 2], palette: .blues) == 1.5...2.5)
    #expect(TestFigures.heatmapDiverging.script(name: "a").contains("low = -4\nhigh = 4\n"))
  }

  @Test("Scatter labels are set-label commands with the escaped text at each point")
  func scatterLabels() {
    let script = TestFigures.scatterPlot.script(name: "a")
    #expect(script.contains("set label 1 'it''s' at 1, 0.5 offset"))
    #expect(script.contains("set label 2 '中文' at -1, 0.25 offset"))
    #expect(script.contains("set label 3 '##ing' at 0, -1 offset"))
    #expect(!script.contains("set label 4"))
  }
}
