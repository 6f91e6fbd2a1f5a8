import Foundation
import Testing

@testable import Plotting

@Suite(
  "GnuplotStream: commands and data through a pipe",
  .enabled(if: installedGnuplot != nil, "gnuplot is not on the PATH (CI installs gnuplot-nox)"))
struct StreamTests {
  @Test("Inline data and a data block draw a PNG; closing reports status 0 and no errors")
  func drawsThroughPipe() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let stream = try GnuplotStream(gnuplot: installedGnuplot, workingDirectory: folder.url)
    try stream.send("set terminal pngcairo size 640,400")
    try stream.send("set output 'stream.png'")
    try stream.send("plot '-' using 1:2 with lines title 'loss'")
    try stream.sendInline(rows: [[0, 3], [1, 2], [2, 1.5]])
    try stream.sendDataBlock(named: "$points", rows: [[0, 1], [1, 4], [2, 9]])
    try stream.send("stats $points using 2 nooutput")
    try stream.send("set print '-'")  // print to standard output rather than standard error
    try stream.send("print STATS_records, STATS_sum")
    try stream.send("plot $points using 1:2 with linespoints title " + GnuplotSyntax.quoted("x_1^2"))
    let run = stream.close()
    #expect(run.status == 0)
    #expect(run.standardError == "", "\(run.standardError)")
    #expect(run.standardOutput == "3 14.0\n", "\(run.standardOutput)")
    let data = try Data(contentsOf: folder.url.appendingPathComponent("stream.png"))
    #expect(Array(data.prefix(8)) == pngSignature)
    #expect(stream.close() == run)
  }

  @Test("A failing command makes gnuplot exit nonzero with its message; later sends fail, not crash")
  func failingCommand() throws {
    let stream = try GnuplotStream(gnuplot: installedGnuplot)
    try stream.send("set terminal dumb")
    try stream.send("plot $nothing using 1:2")
    let run = stream.close()
    #expect(run.status != 0)
    #expect(run.standardError.contains("nothing"), "\(run.standardError)")
    #expect(throws: PlotError.self) { try stream.send("print 1") }
  }

  @Test("Standard output is collected: the text terminal's drawing")
  func collectsOutput() throws {
    let stream = try GnuplotStream(gnuplot: installedGnuplot)
    try stream.send("set terminal dumb size 60,20")
    try stream.send("plot '-' using 1:2 with lines title 'streamed'")
    try stream.sendInline(rows: [[0, 0], [1, 1]])
    let run = stream.close()
    #expect(run.status == 0)
    #expect(run.standardOutput.contains("streamed"), "\(run.standardOutput)")
  }
}
