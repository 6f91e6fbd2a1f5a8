import Foundation
import Testing

@testable import Plotting

@Suite("Writing scripts: names, folders, the command that renders them")
struct WriterTests {
  @Test("Without gnuplot the script is still written, with the command that renders it")
  func withoutGnuplot() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let target = folder.url.appendingPathComponent("02-attention")
    let writer = PlotWriter(printsToTerminal: false, gnuplot: nil)
    let written = try writer.write(TestFigures.heatmap, to: target, name: "attention")
    #expect(!written.isRendered)
    #expect(written.preview == nil)
    #expect(written.script.lastPathComponent == "attention.gp")
    #expect(written.image.lastPathComponent == "attention.png")
    let onDisk = try String(contentsOf: written.script, encoding: .utf8)
    #expect(onDisk == TestFigures.heatmap.script(name: "attention"))
    #expect(!FileManager.default.fileExists(atPath: written.image.path))
    let command = PlotWriter.renderCommand(for: written.script, currentDirectory: folder.url)
    #expect(command == "cd 02-attention && gnuplot attention.gp")
    #expect(PlotWriter.renderCommand(for: written.script, currentDirectory: target) == "gnuplot attention.gp")
    #expect(written.summary.hasSuffix("render it with: \(written.renderCommand)"))
  }

  @Test("The render command quotes folders the shell would split, and uses absolute paths outside")
  func renderCommandQuoting() {
    let script = URL(fileURLWithPath: "/data/my plots/loss.gp")
    #expect(
      PlotWriter.renderCommand(for: script, currentDirectory: URL(fileURLWithPath: "/data"))
        == "cd 'my plots' && gnuplot loss.gp")
    #expect(
      PlotWriter.renderCommand(
        for: URL(fileURLWithPath: "/srv/plots/loss.gp"), currentDirectory: URL(fileURLWithPath: "/home"))
        == "cd /srv/plots && gnuplot loss.gp")
  }

  @Test(
    "Names that cannot be file names in a script are refused",
    arguments: ["", "a/b", "it's", "x y", ".hidden", "-e", "中文"])
  func invalidNames(name: String) throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    #expect(throws: PlotError.invalidName(name)) {
      try PlotWriter(printsToTerminal: false, gnuplot: nil).write(
        TestFigures.barChart, to: folder.url, name: name)
    }
  }

  @Test("renderAll without gnuplot says so")
  func renderAllWithoutGnuplot() throws {
    #expect(throws: PlotError.gnuplotNotFound) {
      try PlotRenderer.renderAll(under: URL(fileURLWithPath: "/nonexistent"), gnuplot: nil)
    }
  }

  @Test("gnuplot is found on the PATH only where an executable file of that name is")
  func locate() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    #expect(Gnuplot.onPath(environment: ["PATH": folder.url.path]) == nil)
    #expect(Gnuplot.onPath(environment: [:]) == nil)
    let fake = folder.url.appendingPathComponent("gnuplot")
    try Data("#!/bin/sh\n".utf8).write(to: fake)
    #expect(Gnuplot.onPath(environment: ["PATH": folder.url.path]) == nil)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
    #expect(
      Gnuplot.onPath(environment: ["PATH": "/nonexistent:" + folder.url.path])?.executable.path == fake.path)
  }
}
