import Foundation
import Testing

@testable import Plotting

@Suite("Gnuplot syntax: escaped text, fixed numbers, data-block names")
struct GnuplotSyntaxTests {
  // Expected literals worked out by hand from gnuplot's rules: single quotes read every character
  // literally except '' (one quote); enhanced text needs \ before ^ _ @ & ~ { } and before \ itself
  // once the string has any of those seven or a backslash, plus {} when only a backslash is there.
  static let quotingCases: [(text: String, literal: String)] = [
    ("[MASK]", "'[MASK]'"),
    ("##ing", "'##ing'"),
    ("it's", "'it''s'"),
    ("say \"hi\"", "'say \"hi\"'"),
    ("d_k", #"'d\_k'"#),
    ("a^2 {x} @ & ~", #"'a\^2 \{x\} \@ \& \~'"#),
    (#"a_b\c"#, #"'a\_b\\c'"#),
    (#"C:\dir"#, #"'C:\\dir{}'"#),
    ("100% #1", "'100% #1'"),
    ("中文 トークン", "'中文 トークン'"),
    ("two\nlines", #"'two'."\n".'lines'"#),
    ("tab\there", "'tab here'"),
    ("", "''"),
  ]

  @Test("Labels become single-quoted literals that enhanced text draws unchanged", arguments: quotingCases)
  func quoting(text: String, expected: String) {
    #expect(GnuplotSyntax.quoted(text) == expected)
  }

  // Expected spellings worked out by hand as C's %.6g would print the written decimal, with whole
  // numbers in full.
  static let numberCases: [(value: Double, text: String)] = [
    (0.0, "0"), (-0.0, "0"), (1200, "1200"), (-3, "-3"), (0.5, "0.5"), (1.0 / 3, "0.333333"),
    (2.0 / 3, "0.666667"), (-2.0 / 3, "-0.666667"), (1.5e-7, "1.5e-07"), (2.5e20, "2.5e+20"),
    (123456.7, "123457"), (999999.5, "1e+06"), (0.0001, "0.0001"), (0.00001234, "1.234e-05"),
    (1e15, "1e+15"), (123456789012345, "123456789012345"), (9.9999996, "10"), (1.000005, "1.00001"),
    (0.000999999, "0.000999999"), (12.5, "12.5"), (Double.nan, "NaN"), (Double.infinity, "NaN"),
    (-Double.infinity, "NaN"),
  ]

  @Test("Numbers have six significant digits, whole numbers in full, no locale", arguments: numberCases)
  func numbers(value: Double, expected: String) {
    #expect(GnuplotSyntax.number(value) == expected)
  }

  @Test("A Float widened to Double is written as the Float's short decimal")
  func floatValues() {
    #expect(GnuplotSyntax.number(Double(Float(0.1))) == "0.1")
    #expect(GnuplotSyntax.number(Double(Float(0.7))) == "0.7")
    #expect(GnuplotSyntax.number(Double(Float(3.14159265))) == "3.14159")
  }

  // Away from decimal ties, the C library's %.6g is the reference (a test process keeps the "C"
  // locale).
  @Test("Numbers away from ties match C's %.6g")
  func matchesPrintf() {
    let values = [
      3.14159265358979, 2.718281828459, 7.77777777e-5, 12345.678, 6.02214076e23, -0.000123456789,
      0.1 + 0.2, 1e-300, 98765.4321, -42.4242424,
    ]
    for value in values {
      var buffer = [CChar](repeating: 0, count: 64)
      _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.6g", $0) }
      let reference = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      #expect(GnuplotSyntax.number(value) == reference, "\(value)")
    }
  }

  @Test("Data-block names are ASCII identifiers, made unique")
  func dataBlockNames() {
    #expect(GnuplotSyntax.dataBlockName(from: "Training loss", fallback: "series1") == "$training_loss")
    #expect(GnuplotSyntax.dataBlockName(from: "held-out (every 100)", fallback: "x") == "$held_out_every_100")
    #expect(GnuplotSyntax.dataBlockName(from: "中文", fallback: "series3") == "$series3")
    #expect(GnuplotSyntax.dataBlockName(from: "2nd run", fallback: "x") == "$data_2nd_run")
    let names = GnuplotSyntax.uniqueDataBlockNames(
      from: ["loss", "Loss", "loss!", "中文"], fallbackPrefix: "series")
    #expect(names == ["$loss", "$loss_2", "$loss_3", "$series4"])
  }

  @Test("Series colours mix with white channel by channel")
  func tint() {
    // #0072b2 = (0, 114, 178); halfway to white: (127.5, 184.5, 216.5) rounded half away from zero.
    #expect(SeriesColors.tint("#0072b2", amount: 0.5) == "#80b9d9")
    #expect(SeriesColors.tint("#0072b2", amount: 0) == "#0072b2")
    #expect(SeriesColors.tint("#0072b2", amount: 1) == "#ffffff")
  }
}
