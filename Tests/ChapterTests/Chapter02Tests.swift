import BERT
import Foundation
import NotebookSupport
import Plotting
import Testing

@testable import Chapter02

/// Every number chapter 02 prints, recomputed here by plain loops in Double, and its plots.
@Suite("Chapter 02: Self-attention")
struct Chapter02Tests {
  let attention = handAttention(seed: 42)

  // MARK: - Independent computation

  /// `a` [n, m] times `b` [m, p] by the textbook triple loop, in Double.
  static func product(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
    a.map { row in (0..<b[0].count).map { j in row.indices.reduce(0.0) { $0 + row[$1] * b[$1][j] } } }
  }

  static func transpose(_ a: [[Double]]) -> [[Double]] {
    (0..<a[0].count).map { j in a.map { $0[j] } }
  }

  static func softmaxRow(_ row: [Double]) -> [Double] {
    let largest = row.max() ?? 0
    let exponentials = row.map { exp($0 - largest) }
    let total = exponentials.reduce(0, +)
    return exponentials.map { $0 / total }
  }

  static func doubles(_ tensor: Tensor) -> [[Double]] {
    matrixRows(tensor).map { $0.map(Double.init) }
  }

  /// The largest |a - b| over two matrices of equal shape.
  static func maxDifference(_ a: [[Double]], _ b: [[Double]]) -> Double {
    precondition(a.count == b.count && a[0].count == b[0].count, "shapes differ")
    return zip(a, b).map { zip($0, $1).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
  }

  /// The whole head by loops: Q, K, V, scores, weights, contexts.
  var reference: [(name: String, expected: [[Double]], actual: Tensor)] {
    let x = Self.doubles(attention.embeddings)
    let q = Self.product(x, Self.doubles(attention.queryWeight))
    let k = Self.product(x, Self.doubles(attention.keyWeight))
    let v = Self.product(x, Self.doubles(attention.valueWeight))
    let s = Self.product(q, Self.transpose(k)).map { $0.map { $0 / 2 } }  // sqrt(d_k) = sqrt(4) = 2
    let a = s.map(Self.softmaxRow)
    return [
      ("Q", q, attention.queries), ("K", k, attention.keys), ("V", v, attention.values),
      ("scores", s, attention.scores), ("weights", a, attention.weights),
      ("contexts", Self.product(a, v), attention.contexts),
    ]
  }

  @Test("the embeddings are table rows of multiples of 0.1; The and the share one")
  func embeddings() {
    #expect(attention.embeddings.shape == [9, 8])
    #expect(attention.queryWeight.shape == [8, 4] && attention.keys.shape == [9, 4])
    #expect(wordVocabulary.count == 8)
    let drawn =
      attention.embeddings.scalars + attention.queryWeight.scalars + attention.keyWeight.scalars
      + attention.valueWeight.scalars
    for value in drawn {
      #expect(abs(value) <= 1 && abs(value * 10 - (value * 10).rounded()) < 1e-5, "value \(value)")
    }
    #expect(matrixRow(attention.embeddings, 0) == matrixRow(attention.embeddings, 6))
    #expect(sentenceWords[queryPosition] == "fox" && queryPosition == 3)
  }

  @Test("Q, K, V, the scores, the weights and the contexts equal a loop computation to 1e-5")
  func wholeHead() {
    for (name, expected, actual) in reference {
      let difference = Self.maxDifference(expected, Self.doubles(actual))
      #expect(difference < 1e-5, "\(name): max difference \(difference)")
    }
    // The scores are the dot products halved, as printed side by side.
    #expect(attention.scores.maxAbsDifference(scale(attention.dotProducts, by: 0.5)) < 1e-6)
  }

  @Test("the fox row: q_fox, the hand dot product with dog (1.1297), the printed weights, the context vector")
  func foxRow() {
    // Products of tenths make Q and K multiples of 0.01, so the printed two-decimal numbers are
    // exact and the written-out dot product can be redone by hand.
    for value in attention.queries.scalars + attention.keys.scalars {
      #expect(abs(value * 100 - (value * 100).rounded()) < 1e-4, "value \(value)")
    }
    // As printed in steps 2 to 5.
    let foxQuery = matrixRow(attention.queries, 3)
    #expect(fixed(foxQuery, 2) == "[ 0.21, -0.65,  0.11,  0.30]")
    #expect(
      dotProductText(foxQuery, matrixRow(attention.keys, 8))
        == "(0.21)(0.94) + (-0.65)(-1.29) + (0.11)(0.28) + (0.30)(0.21)")
    #expect(fixed(attention.dotProducts[3, 8]) == "1.1297" && fixed(attention.scores[3, 8]) == "0.5648")
    #expect(
      matrixRow(attention.weights, 3).map { fixed($0) } == [
        "0.1653", "0.0705", "0.0702", "0.1052", "0.0659", "0.0642", "0.1653", "0.1148", "0.1786",
      ])
    #expect(fixed(matrixRow(attention.contexts, 3)) == "[-0.5139,  0.7198, -0.4224,  0.6053]")
    let q = matrixRow(attention.queries, 3).map { (Double($0) * 100).rounded() / 100 }
    let k = matrixRow(attention.keys, 8).map { (Double($0) * 100).rounded() / 100 }
    let byHand = zip(q, k).reduce(0.0) { $0 + $1.0 * $1.1 }
    let dot = Double(attention.dotProducts[3, 8])
    #expect(abs(dot - byHand) < 1e-5, "dot \(dot) vs \(byHand)")
    #expect(abs(Double(attention.scores[3, 8]) - byHand / 2) < 1e-5)

    let weights = matrixRow(attention.weights, 3).map(Double.init)
    #expect(abs(weights.reduce(0, +) - 1) < 1e-6)
    // softmax by its definition, from the printed scores of the fox row.
    let scores = matrixRow(attention.scores, 3).map(Double.init)
    let denominator = scores.map { exp($0) }.reduce(0, +)
    for (weight, score) in zip(weights, scores) {
      #expect(abs(weight - exp(score) / denominator) < 1e-6)
    }
    // c_fox = sum of a_j v_j
    let values = Self.doubles(attention.values)
    let context = (0..<4).map { d in weights.indices.reduce(0.0) { $0 + weights[$1] * values[$1][d] } }
    let printed = matrixRow(attention.contexts, 3).map(Double.init)
    #expect(zip(context, printed).allSatisfy { abs($0 - $1) < 1e-5 }, "\(context) vs \(printed)")
    #expect(dotProductText([0.21, -0.65], [0.94, -1.29]) == "(0.21)(0.94) + (-0.65)(-1.29)")
  }

  /// Each row of `rows` as printed by `printMatrix`, with `digits` decimals, one space apart.
  static func printedRows(_ rows: [[Float]], digits: Int) -> [String] {
    rows.map { $0.map { fixed($0, digits) }.joined(separator: " ") }
  }

  @Test("the printed tables to their digits: K and V, the fox row's q_fox.k_j and s_j, all rows of A")
  func printedTables() {
    // Steps 2, 4 and 6 as printed, the labels and the alignment left out.
    #expect(
      Self.printedRows(matrixRows(attention.keys), digits: 2) == [
        "-0.28 -1.46 -2.01 1.02",
        "0.95 0.49 -1.28 -1.57",
        "-1.64 0.35 0.95 -0.90",
        "-0.17 -0.31 -0.70 -0.06",
        "-0.06 0.23 -0.44 -2.18",
        "-0.85 0.67 -0.76 -0.73",
        "-0.28 -1.46 -2.01 1.02",
        "0.25 0.04 2.29 -0.11",
        "0.94 -1.29 0.28 0.21",
      ])
    #expect(
      Self.printedRows(matrixRows(attention.values), digits: 2) == [
        "-0.10 0.42 -1.10 0.77",
        "-0.54 0.19 -0.15 1.71",
        "-1.22 0.45 -1.03 -0.38",
        "-0.83 1.50 -1.38 0.66",
        "-2.12 1.86 -1.09 1.69",
        "-1.61 1.33 -0.96 0.94",
        "-0.10 0.42 -1.10 0.77",
        "0.00 -0.12 1.72 -1.03",
        "-0.15 1.03 0.59 0.75",
      ])
    #expect(
      (0..<9).map { fixed(attention.dotProducts[3, $0]) } == [
        "0.9751", "-0.7308", "-0.7374", "0.0708", "-0.8645",
        "-0.9166", "0.9751", "0.2454", "1.1297",
      ])
    #expect(
      (0..<9).map { fixed(attention.scores[3, $0]) } == [
        "0.4875", "-0.3654", "-0.3687", "0.0354", "-0.4322",
        "-0.4583", "0.4875", "0.1227", "0.5648",
      ])
    #expect(
      Self.printedRows(matrixRows(attention.weights), digits: 3) == [
        "0.183 0.019 0.089 0.096 0.017 0.053 0.183 0.203 0.156",
        "0.060 0.037 0.207 0.080 0.078 0.068 0.060 0.276 0.133",
        "0.173 0.086 0.062 0.100 0.092 0.058 0.173 0.078 0.179",
        "0.165 0.070 0.070 0.105 0.066 0.064 0.165 0.115 0.179",
        "0.173 0.015 0.095 0.071 0.036 0.025 0.173 0.151 0.260",
        "0.203 0.058 0.075 0.100 0.073 0.061 0.203 0.072 0.154",
        "0.183 0.019 0.089 0.096 0.017 0.053 0.183 0.203 0.156",
        "0.058 0.144 0.110 0.086 0.196 0.082 0.058 0.134 0.132",
        "0.088 0.014 0.125 0.069 0.025 0.033 0.088 0.353 0.205",
      ])
  }

  @Test("the seed changes the numbers, and the same seed repeats them")
  func seeds() {
    #expect(handAttention(seed: 42).weights == attention.weights)
    #expect(handAttention(seed: 7).embeddings != attention.embeddings)
  }

  // MARK: - A whole BERT

  /// A small encoder over a vocabulary of 30 ids, for speed.
  static var smallConfig: BERTConfig {
    BERTConfig(
      vocabSize: 30, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 32,
      maxPositionEmbeddings: 16)
  }

  @Test("layer 1's head-averaged map equals softmax(QK^T/sqrt(D)) recomputed from the embeddings")
  func layerOneMap() throws {
    let model = randomEncoder(Self.smallConfig, seed: 3)
    let ids = [2, 5, 7, 11, 13, 3]
    let maps = headAveragedAttention(model, ids: ids)
    #expect(maps.count == 2 && maps[0].count == ids.count)
    // Independent path: x_0 from the model, then layer 1's projections by loops.
    let hidden = try #require(model.predict(BertInput(inputIds: [ids]), outputs: .hiddenStates).hiddenStates)
    let x = Self.doubles(hidden[0].reshaped([ids.count, 16]))
    let selfAttention = model.encoder.layers[0].attention
    func project(_ layer: BERT.Linear) -> [[Double]] {
      let weight = Self.doubles(layer.weight.value)  // [out, in]
      let bias = layer.bias.value.scalars.map(Double.init)
      return Self.product(x, Self.transpose(weight)).map { zip($0, bias).map { $0 + $1 } }
    }
    let q = project(selfAttention.queryProjection)
    let k = project(selfAttention.keyProjection)
    var expected = [[Double]](repeating: [Double](repeating: 0, count: ids.count), count: ids.count)
    for head in 0..<4 {
      let columns = (head * 4)..<((head + 1) * 4)
      for i in ids.indices {
        let scores = ids.indices.map { j in columns.reduce(0.0) { $0 + q[i][$1] * k[j][$1] } / 2 }
        for (j, weight) in Self.softmaxRow(scores).enumerated() { expected[i][j] += weight / 4 }
      }
    }
    let difference = Self.maxDifference(expected, maps[0].map { $0.map(Double.init) })
    #expect(difference < 1e-5, "max difference \(difference)")
  }

  @Test(
    "untrained stand-in, T = 12: entropy 2.4845 (ln T 2.4849); layer 1: fox (0.087); layer 2: [SEP] (0.086)")
  func untrainedAttention() throws {
    let tokenizer = NotebookFixtures.tokenizer
    let config = standInConfig(vocabularySize: tokenizer.vocabulary.count)
    let (ids, tokens, wordIDs) = encodeSentence(sentenceWords.joined(separator: " "), with: tokenizer)
    #expect(
      tokens == [
        "[CLS]", "the", "quick", "brown", "fox", "jum", "##ps", "over", "the", "lazy", "dog", "[SEP]",
      ])
    #expect(tokens.count == 12 && ids.count == 12)
    let foxIndex = try #require(wordIDs.firstIndex(of: queryPosition))
    #expect(foxIndex == 4 && tokens[foxIndex] == "fox")
    let model = randomEncoder(config, seed: 42)
    let maps = headAveragedAttention(model, ids: ids)
    #expect(maps.count == config.numHiddenLayers)
    for row in maps.flatMap({ $0 }) {
      #expect(abs(row.reduce(0, +) - 1) < 1e-5)
    }
    let summaries = summarize(maps, tokens: tokens, queryIndex: foxIndex)
    #expect(summaries.map(\.strongestKey) == ["fox", "[SEP]"])
    #expect(abs(Double(summaries[0].strongestWeight) - 0.087) < 0.0005, "\(summaries[0].strongestWeight)")
    #expect(abs(Double(summaries[1].strongestWeight) - 0.086) < 0.0005, "\(summaries[1].strongestWeight)")
    // Almost uniform: the mean entropy within 0.01 of ln T, and not above it. The printed
    // entropies: 2.4845 in both layers, beside ln 12 = 2.4849.
    let uniform = log(Double(ids.count))
    #expect(abs(uniform - 2.4849) < 0.00005)
    for summary in summaries {
      #expect(
        abs(summary.meanEntropy - uniform) < 0.01,
        "layer \(summary.layer): \(summary.meanEntropy) vs \(uniform)")
      #expect(summary.meanEntropy <= uniform + 1e-9)
      #expect(abs(summary.meanEntropy - 2.4845) < 0.00005, "layer \(summary.layer): \(summary.meanEntropy)")
    }
    // Independently: the heads' weights of the fox row averaged in Double, and the largest found by a loop.
    let attentions = try #require(model.predict(BertInput(inputIds: [ids]), outputs: .attentions).attentions)
    for (layer, summary) in zip(attentions, summaries) {
      let heads = layer.shape[1]
      var best = 0
      var bestWeight = -1.0
      for key in 0..<tokens.count {
        var weight = 0.0
        for head in 0..<heads { weight += Double(layer[0, head, foxIndex, key]) }
        weight /= Double(heads)
        if weight > bestWeight { (best, bestWeight) = (key, weight) }
      }
      #expect(tokens[best] == summary.strongestKey, "layer \(summary.layer)")
      #expect(abs(bestWeight - Double(summary.strongestWeight)) < 1e-6, "layer \(summary.layer)")
    }
  }

  @Test("entropy: ln 4 for four equal weights, 0 for a certain one, by hand")
  func entropyByHand() {
    #expect(abs(entropy([0.25, 0.25, 0.25, 0.25]) - log(4.0)) < 1e-7)
    #expect(entropy([1, 0, 0]) == 0)
    // -(0.5 ln 0.5 + 2 * 0.25 ln 0.25) = 1.5 ln 2
    #expect(abs(entropy([0.5, 0.25, 0.25]) - 1.5 * log(2.0)) < 1e-7)
    let summary = summarize([[[0.5, 0.5], [0.9, 0.1]]], tokens: ["a", "b"], queryIndex: 1)
    let expected = LayerSummary(
      layer: 1, meanEntropy: (log(2.0) + entropy([0.9, 0.1])) / 2, strongestKey: "a", strongestWeight: 0.9)
    #expect(summary == [expected])
  }

  // MARK: - Checkpoints

  /// The tiny masked-LM checkpoint folder of the BERT tests (written by the reference).
  static let tinyCheckpoint = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("BERTTests/Fixtures/tiny-masked-lm")

  @Test("a checkpoint folder loads into a bare encoder, and its tokenizer comes with it")
  func checkpointLoads() throws {
    let checkpoint = try PretrainedCheckpoint(directory: Self.tinyCheckpoint)
    let tokenizer = try requireTokenizer(checkpoint)
    #expect(tokenizer.vocabulary.count == checkpoint.config.vocabSize)
    let model = try trainedEncoder(checkpoint)
    let stored = try checkpoint.weights.tensor("bert.encoder.layer.1.attention.self.key.weight")
    #expect(model.encoder.layers[1].attention.keyProjection.weight.value == stored)
    let maps = headAveragedAttention(model, ids: [2, 10, 11, 12, 3])
    #expect(maps.count == 2 && maps.allSatisfy { $0.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-5 } })
    #expect(locateCheckpoint("some/folder")?.path.hasSuffix("some/folder") == true)
  }

  // MARK: - Plots

  @Test("the plots are written with the chapter's numbers, and identical on a second write")
  func plots() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "chapter02-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let writer = PlotWriter(rendersImage: false, printsToTerminal: false)
    let written = try writeHandPlots(attention, seed: 42, to: folder, using: writer)
    #expect(written.map(\.script.lastPathComponent) == ["fox-weights.gp", "attention-matrix.gp"])
    let bars = try String(contentsOf: written[0].script, encoding: .utf8)
    let map = try String(contentsOf: written[1].script, encoding: .utf8)
    for weight in matrixRow(attention.weights, 3) {
      #expect(bars.contains(GnuplotSyntax.number(Double(weight))))
    }
    for weight in matrixRow(attention.weights, 8) {
      #expect(map.contains(GnuplotSyntax.number(Double(weight))))
    }
    #expect(map.contains("'lazy' 7"))
    let again = try writeHandPlots(attention, seed: 42, to: folder, using: writer)
    #expect(try String(contentsOf: again[1].script, encoding: .utf8) == map)

    let maps: [[[Float]]] = [[[0.75, 0.25], [0.5, 0.5]], [[1, 0], [0.125, 0.875]]]
    let grid = try writeLayerPlot(
      maps, tokens: ["[CLS]", "fox"], title: "t", name: "layers-x", to: folder, using: writer)
    let gridText = try String(contentsOf: grid.script, encoding: .utf8)
    #expect(gridText.contains("0.875") && gridText.contains("layer 2"))
  }

  @Test("grid shapes fill every row")
  func gridShapes() {
    #expect([1, 2, 4, 6, 8, 12, 24, 7].map(gridColumns(forPanels:)) == [1, 2, 4, 6, 4, 6, 6, 7])
  }
}
