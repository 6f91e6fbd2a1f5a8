import Foundation
import Testing

@testable import Plotting

@Suite("Gallery: plots/gallery holds what the module writes today")
struct GalleryTests {
  /// The package's plots/gallery folder, found from this file's place in the source tree.
  static let galleryFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("plots/gallery")

  // PLOTTING_WRITE_GALLERY=1 rewrites plots/gallery (scripts, and images where gnuplot is installed)
  // after an intended change to the module or the examples.
  @Test("Each gallery script in plots/gallery is the one PlotGallery writes")
  func galleryIsCurrent() throws {
    if ProcessInfo.processInfo.environment["PLOTTING_WRITE_GALLERY"] == "1" {
      try PlotGallery.write(to: Self.galleryFolder, using: PlotWriter(printsToTerminal: false))
    }
    for example in PlotGallery.figures {
      let url = Self.galleryFolder.appendingPathComponent("\(example.name).gp")
      let committed = try String(contentsOf: url, encoding: .utf8)
      #expect(
        committed == example.figure.script(name: example.name), "plots/gallery/\(example.name).gp is stale")
      #expect(
        FileManager.default.fileExists(
          atPath: Self.galleryFolder.appendingPathComponent("\(example.name).png").path),
        "plots/gallery/\(example.name).png is missing")
    }
  }
}
