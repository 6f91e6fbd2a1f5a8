import Foundation
import NotebookSupport
import Plotting
import TensorCore
import Testing

@testable import Chapter03

/// Every number chapter 03 prints, recomputed here head by head with plain loops in Double.
@Suite("Chapter 03: Multi-head attention")
struct Chapter03Tests {
  let attention = multiHeadAttention(seed: 42)

  static func doubles(_ tensor: Tensor) -> [[Double]] {
    matrixRows(tensor).map { $0.map(Double.init) }
  }

  static func product(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
    a.map { row in (0..<b[0].count).map { j in row.indices.reduce(0.0) { $0 + row[$1] * b[$1][j] } } }
  }

  static func softmaxRow(_ row: [Double]) -> [Double] {
    let largest = row.max() ?? 0
    let exponentials = row.map { exp($0 - largest) }
    let total = exponentials.reduce(0, +)
    return exponentials.map { $0 / total }
  }

  /// The largest |a - b| over two matrices of equal shape.
  static func maxDifference(_ a: [[Double]], _ b: [[Float]]) -> Double {
    zip(a, b).map { zip($0, $1).map { abs($0 - Double($1)) }.max() ?? 0 }.max() ?? 0
  }

  /// Head `head` of `attention` by loops: its map [T][T] and its output [T][d_k].
  static func head(_ attention: MultiHeadAttention, _ head: Int) -> (map: [[Double]], output: [[Double]]) {
    let x = doubles(attention.embeddings)
    let columns = (head * attention.headWidth)..<((head + 1) * attention.headWidth)
    // Only this head's columns of W_Q, W_K, W_V: its subspace.
    func projected(_ weight: Tensor) -> [[Double]] {
      product(x, doubles(weight).map { Array($0[columns]) })
    }
    let q = projected(attention.queryWeight)
    let k = projected(attention.keyWeight)
    let v = projected(attention.valueWeight)
    let scale = Double(attention.headWidth).squareRoot()
    let map = q.map { qi in softmaxRow(k.map { kj in zip(qi, kj).reduce(0.0) { $0 + $1.0 * $1.1 } / scale }) }
    return (map, product(map, v))
  }

  @Test("Q = X W_Q [T=9, d_model=8] by loops; q_fox = [0.23, 0.27 | 0.68, -0.62 | 0.45, 0.63 | -0.07, -0.40]")
  func queries() {
    #expect(attention.queries.shape == [9, 8])
    let q = Self.product(Self.doubles(attention.embeddings), Self.doubles(attention.queryWeight))
    let difference = Self.maxDifference(q, matrixRows(attention.queries))
    #expect(difference < 1e-5, "Q: max difference \(difference)")
    // Products of tenths: the printed two decimals are the whole value.
    let printed = [0.23, 0.27, 0.68, -0.62, 0.45, 0.63, -0.07, -0.40]
    for (d, value) in printed.enumerated() {
      #expect(abs(Double(attention.queries[3, d]) - value) < 1e-5, "q_fox[\(d)] = \(attention.queries[3, d])")
      #expect(abs(q[3][d] - value) < 1e-6, "by loops, q_fox[\(d)] = \(q[3][d])")
    }
  }

  @Test("each head's map equals softmax(Q_a K_a^T / sqrt(2)) from its own columns, to 1e-5")
  func headMaps() {
    #expect(attention.headCount == 4 && attention.headWidth == 2)
    #expect(attention.headQueries.shape == [1, 4, 9, 2] && attention.weights.shape == [1, 4, 9, 9])
    for head in 0..<4 {
      let difference = Self.maxDifference(Self.head(attention, head).map, attention.map(head: head))
      #expect(difference < 1e-5, "head \(head + 1): max difference \(difference)")
      // The query pieces printed in step 1 are Q's columns of this head.
      for d in 0..<2 {
        #expect(attention.headQueries[0, head, 3, d] == attention.queries[3, head * 2 + d])
      }
    }
  }

  @Test("the concatenation puts the heads side by side, and O = C W_O, to 1e-5")
  func concatenationAndOutput() {
    let heads = (0..<4).map { Self.head(attention, $0).output }
    let concatenated = (0..<9).map { t in heads.flatMap { $0[t] } }
    let output = Self.product(concatenated, Self.doubles(attention.outputWeight))
    for (expected, actual) in [(concatenated, attention.concatenated), (output, attention.output)] {
      let difference = Self.maxDifference(expected, matrixRows(actual))
      #expect(difference < 1e-5, "max difference \(difference)")
    }
  }

  @Test("the shapes: C_a [B=1, h=4, T=9, d_k=2], C [T=9, d_model=8], O [T=9, d_model=8]")
  func outputShapes() {
    #expect(attention.headOutputs.shape == [1, 4, 9, 2])
    #expect(attention.concatenated.shape == [9, 8])
    #expect(attention.output.shape == [9, 8])
    #expect(
      shapeText(attention.headOutputs.shape, names: ["B", "h", "T", "d_k"]) == "[B=1, h=4, T=9, d_k=2]")
  }

  /// -sum p ln p of one row of an attention map, by a loop.
  static func rowEntropy(_ row: [Double]) -> Double {
    var sum = 0.0
    for p in row { sum -= p * log(p) }
    return sum
  }

  @Test(
    "the heads' entropies, by loops: fox row 2.1888, 1.8882, 2.0922, 2.1381; they differ, none exceeds ln 9")
  func entropies() throws {
    let entropies = headEntropies(attention, queryPosition: 3)
    // As printed: the "fox" row and the mean over the 9 queries, head by head.
    #expect(entropies.map(\.head) == [1, 2, 3, 4])
    #expect(entropies.map { fixed($0.query) } == ["2.1888", "1.8882", "2.0922", "2.1381"])
    #expect(entropies.map { fixed($0.meanOverQueries) } == ["2.1637", "1.8338", "2.0415", "1.9784"])
    for (head, printed) in entropies.enumerated() {
      let map = Self.head(attention, head).map
      #expect(abs(printed.query - Self.rowEntropy(map[3])) < 1e-5, "head \(head + 1) fox")
      let mean = map.map(Self.rowEntropy).reduce(0, +) / 9
      #expect(abs(printed.meanOverQueries - mean) < 1e-5, "head \(head + 1) mean")
      #expect(printed.query <= log(9.0) + 1e-9 && printed.meanOverQueries <= log(9.0) + 1e-9)
    }
    let foxEntropies = entropies.map(\.query)
    let spread = try #require(foxEntropies.max()) - #require(foxEntropies.min())
    #expect(spread > 0.1, "the heads' fox entropies differ by only \(spread)")
    #expect(abs(entropy([0.5, 0.5]) - log(2.0)) < 1e-12)
  }

  @Test("multiply-adds: 8, 4, 2 and 1 heads all count 3600 = 1728 + 1296 + 576")
  func multiplyAdds() {
    // By hand: 3*9*8*8 = 1728, 2*9*9*8 = 1296, 9*8*8 = 576.
    let byHand = MultiplyAddCount(projections: 1728, scores: 648, weightedSums: 648, output: 576)
    #expect(byHand.total == 3600)
    #expect(attentionMultiplyAdds(tokens: 9, width: 8) == byHand)
    for heads in [1, 2, 4, 8] {
      #expect(multiHeadAttention(seed: 42, headCount: heads).multiplyAdds == byHand, "\(heads) heads")
    }
    // BERT-base at T = 128: 3*128*768^2 + 2*128^2*768 + 128*768^2, worked out by hand.
    #expect(attentionMultiplyAdds(tokens: 128, width: 768).total == 226_492_416 + 25_165_824 + 75_497_472)
    #expect(attentionMultiplyAdds(tokens: 128, width: 768).total == 327_155_712)
  }

  @Test("one head of the full width, a different map from the same weights: fox row 1.9788, mean 1.9519")
  func fullWidthHead() {
    let single = multiHeadAttention(seed: 42, headCount: 1)
    // The map by loops with all 8 columns.
    let map = Self.head(single, 0).map
    #expect(single.queries == attention.queries)
    #expect(Self.maxDifference(map, single.map(head: 0)) < 1e-5)
    #expect(single.map(head: 0) != attention.map(head: 0))
    // Its entropies, as printed, and -sum p ln p over the loops' map.
    let entropies = headEntropies(single, queryPosition: 3)
    #expect(entropies.count == 1 && entropies[0].head == 1)
    #expect(abs(entropies[0].query - 1.9788) < 0.00005, "fox row \(entropies[0].query)")
    #expect(abs(entropies[0].meanOverQueries - 1.9519) < 0.00005, "mean \(entropies[0].meanOverQueries)")
    let rows = map.map(Self.rowEntropy)
    #expect(abs(entropies[0].query - rows[3]) < 1e-5)
    #expect(abs(entropies[0].meanOverQueries - rows.reduce(0, +) / 9) < 1e-5)
  }

  /// Each row of `rows` as printed by `printMatrix`, with `digits` decimals, one space apart.
  static func printedRows(_ rows: [[Float]], digits: Int) -> [String] {
    rows.map { $0.map { fixed($0, digits) }.joined(separator: " ") }
  }

  @Test("the printed maps to their digits: each head's fox row and all its rows, c_fox and o_fox")
  func printedMaps() {
    // Step 2 as printed, the labels and the alignment left out.
    #expect(
      Self.printedRows((0..<4).map { attention.map(head: $0)[3] }, digits: 3) == [
        "0.102 0.111 0.125 0.118 0.093 0.112 0.102 0.142 0.095",
        "0.050 0.135 0.062 0.037 0.086 0.029 0.050 0.261 0.290",
        "0.047 0.071 0.159 0.142 0.136 0.179 0.047 0.151 0.069",
        "0.091 0.086 0.128 0.091 0.078 0.083 0.091 0.210 0.144",
      ])
    #expect(
      Self.printedRows(attention.map(head: 0), digits: 3) == [
        "0.111 0.148 0.118 0.104 0.076 0.108 0.111 0.150 0.073",
        "0.094 0.094 0.133 0.127 0.097 0.113 0.094 0.146 0.102",
        "0.137 0.142 0.083 0.087 0.123 0.103 0.137 0.075 0.113",
        "0.102 0.111 0.125 0.118 0.093 0.112 0.102 0.142 0.095",
        "0.125 0.116 0.091 0.097 0.133 0.107 0.125 0.078 0.128",
        "0.085 0.080 0.141 0.136 0.097 0.114 0.085 0.154 0.106",
        "0.111 0.148 0.118 0.104 0.076 0.108 0.111 0.150 0.073",
        "0.149 0.118 0.051 0.065 0.186 0.088 0.149 0.032 0.163",
        "0.146 0.149 0.071 0.077 0.133 0.099 0.146 0.059 0.119",
      ])
    #expect(
      Self.printedRows(attention.map(head: 1), digits: 3) == [
        "0.110 0.161 0.053 0.068 0.105 0.055 0.110 0.104 0.234",
        "0.059 0.180 0.013 0.019 0.063 0.011 0.059 0.087 0.509",
        "0.140 0.089 0.103 0.147 0.102 0.161 0.140 0.055 0.063",
        "0.050 0.135 0.062 0.037 0.086 0.029 0.050 0.261 0.290",
        "0.027 0.146 0.008 0.008 0.041 0.004 0.027 0.111 0.628",
        "0.023 0.116 0.029 0.013 0.054 0.008 0.023 0.315 0.420",
        "0.110 0.161 0.053 0.068 0.105 0.055 0.110 0.104 0.234",
        "0.082 0.067 0.198 0.132 0.098 0.159 0.082 0.129 0.053",
        "0.056 0.149 0.049 0.036 0.086 0.026 0.056 0.213 0.330",
      ])
    #expect(
      Self.printedRows(attention.map(head: 2), digits: 3) == [
        "0.169 0.134 0.070 0.066 0.077 0.053 0.169 0.089 0.171",
        "0.170 0.120 0.084 0.108 0.093 0.103 0.170 0.063 0.090",
        "0.275 0.106 0.044 0.095 0.058 0.086 0.275 0.018 0.042",
        "0.047 0.071 0.159 0.142 0.136 0.179 0.047 0.151 0.069",
        "0.247 0.123 0.053 0.081 0.065 0.069 0.247 0.035 0.080",
        "0.053 0.087 0.140 0.096 0.121 0.102 0.053 0.214 0.134",
        "0.169 0.134 0.070 0.066 0.077 0.053 0.169 0.089 0.171",
        "0.198 0.135 0.062 0.066 0.071 0.052 0.198 0.068 0.149",
        "0.234 0.136 0.031 0.028 0.039 0.017 0.234 0.053 0.227",
      ])
    #expect(
      Self.printedRows(attention.map(head: 3), digits: 3) == [
        "0.202 0.223 0.200 0.056 0.035 0.033 0.202 0.035 0.015",
        "0.062 0.055 0.107 0.076 0.063 0.071 0.062 0.309 0.194",
        "0.034 0.038 0.010 0.123 0.354 0.301 0.034 0.010 0.095",
        "0.091 0.086 0.128 0.091 0.078 0.083 0.091 0.210 0.144",
        "0.067 0.065 0.064 0.117 0.148 0.151 0.067 0.126 0.195",
        "0.161 0.175 0.120 0.103 0.100 0.093 0.161 0.044 0.044",
        "0.202 0.223 0.200 0.056 0.035 0.033 0.202 0.035 0.015",
        "0.042 0.040 0.035 0.115 0.182 0.185 0.042 0.105 0.255",
        "0.102 0.096 0.171 0.076 0.053 0.057 0.102 0.235 0.108",
      ])
    // Step 4.
    #expect(
      groupedText(matrixRow(attention.concatenated, 3), groups: 4, digits: 4)
        == "[1.5176, 0.0286 | 0.4546, -0.4285 | 1.2213, -0.0329 | 0.0111, -0.7745]")
    #expect(
      fixed(matrixRow(attention.output, 3))
        == "[ 0.6109, -0.0705,  1.5074, -0.2088, -2.4102,  0.5291, -0.2279, -1.6633]")
  }

  @Test("grouped printing of a row")
  func grouped() {
    #expect(groupedText([0.25, -0.5, 1, 2], groups: 2) == "[0.25, -0.50 | 1.00, 2.00]")
  }

  @Test("the plots hold every head's weights and the entropies")
  func plots() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "chapter03-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let entropies = headEntropies(attention, queryPosition: 3)
    let written = try writePlots(
      attention, entropies: entropies, seed: 42, to: folder,
      using: PlotWriter(rendersImage: false, printsToTerminal: false))
    #expect(written.map(\.script.lastPathComponent) == ["heads.gp", "entropy.gp"])
    let grid = try String(contentsOf: written[0].script, encoding: .utf8)
    for head in 0..<4 {
      #expect(grid.contains("head \(head + 1)"))
      for weight in attention.map(head: head)[3] {
        #expect(grid.contains(GnuplotSyntax.number(Double(weight))))
      }
    }
    let chart = try String(contentsOf: written[1].script, encoding: .utf8)
    for entropy in entropies {
      #expect(chart.contains(GnuplotSyntax.number(entropy.query)))
    }
    #expect(chart.contains(GnuplotSyntax.number(log(9.0))))
  }
}
