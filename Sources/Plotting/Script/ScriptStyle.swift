// The choices every figure shares: the image format and size, the fonts, the colours.

// MARK: - Output

/// The kind of image a script writes.
public enum ImageFormat: String, Sendable, CaseIterable {
  /// A PNG image, through the cairo terminal (`pngcairo`), or the libgd one (`png`) where gnuplot was
  /// built without cairo. The script picks between them when it runs.
  case png
  /// An SVG drawing (`svg` terminal), for documents that scale.
  case svg

  /// The file name extension, without its dot.
  public var fileExtension: String { rawValue }
}

/// The size of an image in pixels (PNG) or SVG user units.
public struct PlotSize: Sendable, Equatable {
  /// The width.
  public var width: Int
  /// The height.
  public var height: Int

  /// A size of `width` by `height`.
  public init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }

  /// 1600 x 1000, the default for line, bar and scatter plots: sharp on a projector.
  public static let standard = PlotSize(width: 1600, height: 1000)
}

/// The size of the characters in the text preview (gnuplot's `dumb` terminal).
public struct PreviewSize: Sendable, Equatable {
  /// Columns of characters.
  public var columns: Int
  /// Lines of characters.
  public var lines: Int

  /// A preview of `columns` by `lines` characters.
  public init(columns: Int, lines: Int) {
    self.columns = columns
    self.lines = lines
  }

  /// 100 x 32 characters, which fits a common terminal window.
  public static let standard = PreviewSize(columns: 100, lines: 32)
}

// MARK: - Colours

/// A colour map for heatmaps, from the lowest value to the highest.
public enum Palette: String, Sendable, CaseIterable {
  /// White to dark blue: for values that only grow, such as attention weights or counts.
  case blues
  /// Blue through white to red, white at the middle of the range: for signed values such as weights
  /// or differences. Pair it with a range centred on zero.
  case blueWhiteRed

  /// The stops, as (position in 0...1, `#rrggbb`), for `set palette defined`.
  var stops: [(position: Double, color: String)] {
    switch self {
    case .blues:
      return [
        (0, "#ffffff"), (0.125, "#eff3ff"), (0.25, "#c6dbef"), (0.375, "#9ecae1"),
        (0.5, "#6baed6"), (0.625, "#4292c6"), (0.75, "#2171b5"), (0.875, "#08519c"), (1, "#08306b"),
      ]
    case .blueWhiteRed:
      return [
        (0, "#08306b"), (0.2, "#2171b5"), (0.4, "#9ecae1"), (0.5, "#ffffff"),
        (0.6, "#fcae91"), (0.8, "#de2d26"), (1, "#67000d"),
      ]
    }
  }

  /// Whether a cell at `position` (0...1) of the colour range is dark enough to need white text, as a
  /// gnuplot expression.
  func darkCellCondition(position: String) -> String {
    switch self {
    case .blues: return "\(position) > 0.55"
    case .blueWhiteRed: return "\(position) < 0.2 || \(position) > 0.8"
    }
  }

  /// The `set palette defined (...)` command.
  var command: String {
    let stopsText = stops.map { "\(GnuplotSyntax.number($0.position)) \"\($0.color)\"" }
    return "set palette defined (" + stopsText.joined(separator: ", ") + ")"
  }
}

/// The colours of the series of line and scatter plots, in order: the Okabe-Ito set, which stays
/// distinct for readers with colour-vision deficiencies. Series past the eighth reuse them.
enum SeriesColors {
  static let all = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442",
  ]

  /// The colour of series `index` (0-based).
  static func color(_ index: Int) -> String { all[index % all.count] }

  /// `color` mixed with white, `amount` of the way (0: unchanged, 1: white), as `#rrggbb`.
  static func tint(_ color: String, amount: Double) -> String {
    let hex = color.dropFirst()
    var channels: [Int] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      channels.append(Int(hex[index..<next], radix: 16) ?? 0)
      index = next
    }
    let mixed = channels.map { Int((Double($0) + (255 - Double($0)) * amount).rounded()) }
    return "#" + mixed.map { hexByte($0) }.joined()
  }

  /// Two lowercase hex digits.
  static func hexByte(_ value: Int) -> String {
    let text = String(value, radix: 16)
    return text.count < 2 ? "0" + text : text
  }
}

// MARK: - Text

/// The font of every figure. DejaVu Sans ships with gnuplot's Debian packages' dependencies; pango
/// finds CJK glyphs in a fallback font when one is installed.
enum ScriptFont {
  static let family = "DejaVu Sans"
  /// The base size in points for the PNG and SVG terminals, sized for a projector at 1600 px wide.
  static let size = 20
}
