import Foundation
import Testing

@testable import Plotting

/// The gnuplot on the PATH, if any; tests that run it are skipped without it.
let installedGnuplot = Gnuplot.onPath()

@Suite(
  "Rendering with gnuplot: every script draws, labels survive",
  .enabled(if: installedGnuplot != nil, "gnuplot is not on the PATH (CI installs gnuplot-nox)"))
struct RenderingTests {
  let gnuplot = installedGnuplot ?? Gnuplot(executable: URL(fileURLWithPath: "/usr/bin/gnuplot"))

  /// A writer that renders with this gnuplot and prints nothing.
  func writer(_ format: ImageFormat = .png) -> PlotWriter {
    PlotWriter(format: format, printsToTerminal: false, gnuplot: gnuplot)
  }

  @Test(
    "Every test script renders with status 0, nothing on stderr, and an image",
    arguments: TestFigures.all.map(\.name))
  func rendersFixture(name: String) throws {
    let fixture = try #require(TestFigures.all.first { $0.name == name })
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    for format in [ImageFormat.png, .svg] {
      let written = try writer(format).write(fixture.figure, to: folder.url, name: name)
      #expect(written.isRendered)
      #expect(written.warnings == "", "\(name).\(format.fileExtension): \(written.warnings)")
      try expectImage(at: written.image, format: format)
    }
    // The text preview draws to standard output and writes no file.
    let preview = try gnuplot.run(
      scriptFile: folder.url.appendingPathComponent("\(name).gp"), definitions: ["preview=1"])
    #expect(preview.status == 0)
    #expect(preview.standardError == "", "\(preview.standardError)")
    #expect(preview.standardOutput.split(separator: "\n").count >= 20, "preview of \(name) is too short")
  }

  @Test("Every gallery script renders with status 0, nothing on stderr, and a PNG")
  func rendersGallery() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    for written in try PlotGallery.write(to: folder.url, using: writer()) {
      #expect(written.isRendered)
      #expect(written.warnings == "", "\(written.script.lastPathComponent): \(written.warnings)")
      try expectImage(at: written.image, format: .png)
    }
  }

  @Test("Where gnuplot lacks cairo, the libgd PNG terminal draws the same scripts")
  func libgdFallback() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    for fixture in TestFigures.all {
      let script = fixture.figure.script(name: fixture.name)
      let withoutCairo = script.replacingOccurrences(
        of: "strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0", with: "0")
      #expect(withoutCairo != script)
      let url = folder.url.appendingPathComponent("\(fixture.name).gp")
      try Data(withoutCairo.utf8).write(to: url)
      let run = try gnuplot.run(scriptFile: url)
      #expect(run.status == 0)
      #expect(run.standardError == "", "\(fixture.name): \(run.standardError)")
      try expectImage(at: folder.url.appendingPathComponent("\(fixture.name).png"), format: .png)
    }
  }

  @Test("Quotes, backslashes, markup characters, [MASK], ##ing and CJK are drawn literally (SVG text)")
  func labelsSurviveInSVG() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let figure = TestFigures.awkwardScatter
    let written = try writer(.svg).write(figure, to: folder.url, name: "labels")
    #expect(written.warnings == "")
    let texts = Self.svgTexts(try String(contentsOf: written.image, encoding: .utf8))
    for label in TestFigures.awkwardLabels + [figure.title, "x_label", "y^label", "group_1"] {
      #expect(texts.contains(label), "'\(label)' is not drawn as one text; drawn: \(texts.sorted())")
    }
  }

  @Test("Labels survive in the text preview too")
  func labelsSurviveInPreview() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let written = try PlotWriter(textPreview: true, printsToTerminal: false, gnuplot: gnuplot).write(
      TestFigures.awkwardScatter, to: folder.url, name: "labels")
    let preview = try #require(written.preview)
    for label in TestFigures.awkwardLabels {
      #expect(preview.contains(label), "'\(label)' is missing from the preview:\n\(preview)")
    }
  }

  @Test("renderAll renders every script under a folder, in path order, each in its own folder")
  func renderAll() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let scriptsOnly = PlotWriter(rendersImage: false, printsToTerminal: false, gnuplot: gnuplot)
    try scriptsOnly.write(TestFigures.barChart, to: folder.url.appendingPathComponent("02-b"), name: "bars")
    try scriptsOnly.write(TestFigures.heatmap, to: folder.url.appendingPathComponent("01-a"), name: "map")
    let results = try PlotRenderer.renderAll(under: folder.url, gnuplot: gnuplot)
    #expect(results.map { $0.script.lastPathComponent } == ["map.gp", "bars.gp"])
    #expect(results.allSatisfy { $0.succeeded && $0.run.standardError.isEmpty })
    try expectImage(at: folder.url.appendingPathComponent("01-a/map.png"), format: .png)
    try expectImage(at: folder.url.appendingPathComponent("02-b/bars.png"), format: .png)
  }

  @Test("A script gnuplot rejects fails with its error message")
  func failure() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let url = folder.url.appendingPathComponent("broken.gp")
    try Data("set terminal dumb\nplot $missing using 1:2\n".utf8).write(to: url)
    let results = try PlotRenderer.renderAll(under: folder.url, gnuplot: gnuplot)
    let result = try #require(results.first)
    #expect(!result.succeeded)
    #expect(result.run.standardError.contains("missing"), "\(result.run.standardError)")
    #expect(result.summary.hasPrefix("FAILED "))
  }

  // MARK: - Helpers

  /// Checks that `url` holds a non-empty image of `format`: the PNG signature, or an SVG root element.
  func expectImage(at url: URL, format: ImageFormat) throws {
    let data = try Data(contentsOf: url)
    switch format {
    case .png:
      #expect(data.count > 1000, "\(url.lastPathComponent) has only \(data.count) bytes")
      #expect(Array(data.prefix(8)) == pngSignature, "\(url.lastPathComponent) lacks the PNG signature")
    case .svg:
      let text = String(decoding: data, as: UTF8.self)
      #expect(text.contains("<svg") && text.contains("</svg>"), "\(url.lastPathComponent) is not SVG")
    }
  }

  /// The text of each `<text>` element of an SVG drawing, its `<tspan>` pieces joined and XML
  /// entities decoded.
  static func svgTexts(_ svg: String) -> Set<String> {
    var texts: Set<String> = []
    var rest = svg[...]
    while let start = rest.range(of: "<text"),
      let end = rest.range(of: "</text>", range: start.upperBound..<rest.endIndex)
    {
      let element = rest[start.upperBound..<end.lowerBound]
      var content = ""
      var insideTag = true  // the rest of the opening <text ...> tag comes first
      for character in element {
        if character == "<" {
          insideTag = true
        } else if character == ">" {
          insideTag = false
        } else if !insideTag {
          content.append(character)
        }
      }
      for (entity, character) in [
        ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&#39;", "'"), ("&amp;", "&"),
      ] {
        content = content.replacingOccurrences(of: entity, with: character)
      }
      texts.insert(content)
      rest = rest[end.upperBound...]
    }
    return texts
  }
}
