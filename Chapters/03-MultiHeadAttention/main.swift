// Chapter 03: Multi-head attention (seed 2.1.2 多头注意力机制).
//
// Read this file top to bottom: each prose block is followed by the step it describes and by
// what that step prints. The computation lives in MultiHeadAttention.swift, the figures in
// Plots.swift.
//
// Run it:  swift run -c release Chapter03 [--seed 42] [--plots plots]

import ArgumentParser
import Foundation
import NotebookSupport
import Plotting

/// Chapter 03: multi-head attention on "The quick brown fox jumps over the lazy dog".
struct Chapter03: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "Chapter03",
    abstract: "Multi-head attention: h heads in h subspaces, concatenated, at the cost of one head.")

  @OptionGroup var options: ChapterOptions

  mutating func run() throws {
    let writer = PlotWriter(rendersImage: !options.noRender, textPreview: options.preview)
    printChapterHeading("03", "Multi-head attention 多头注意力机制 (seed 2.1.2)")

    // ------------------------------------------------------------------------------------------
    // 2.1.2 多头注意力机制 / Multi-head attention
    //
    // One attention map can express one way in which words relate. To capture several (which
    // adjective goes with which noun, who does what to whom, what is next to what), the
    // Transformer runs self-attention in several different subspaces at once and concatenates
    // the results:
    //
    //     head_a = softmax(Q_a K_a^T / sqrt(d_k)) V_a        a = 1 .. h,  d_k = d_model / h
    //     MultiHead(X) = [head_1 | head_2 | ... | head_h] W_O
    //
    // where Q_a, K_a, V_a are the a-th block of d_k columns of Q = X W_Q, K = X W_K, V = X W_V.
    // The same sentence as chapter 02 with the same embeddings X [T=9, d_model=8], now with
    // h = 4 heads of d_k = 2.
    // ------------------------------------------------------------------------------------------
    let attention = multiHeadAttention(seed: options.seed)
    let (h, dk, d) = (attention.headCount, attention.headWidth, attention.modelWidth)

    // Step 1. The projections are d_model x d_model: all h heads' columns side by side. Q's
    // row for "fox" splits into h pieces of d_k numbers, one per head.
    printStep("Step 1: one projection, split into \(h) subspaces")
    print(
      "X \(shapeText(attention.embeddings.shape, names: ["T", "d_model"])), "
        + "W_Q, W_K, W_V, W_O \(shapeText(attention.queryWeight.shape, names: ["d_model", "d_model"])) "
        + "(multiples of 0.1, seed \(options.seed))")
    print("Q = X W_Q \(shapeText(attention.queries.shape, names: ["T", "d_model"]))")
    print(
      "split into heads: Q_a \(shapeText(attention.headQueries.shape, names: ["B", "h", "T", "d_k"])), "
        + "head a takes columns a*d_k ..< (a+1)*d_k")
    print("q_fox = \(groupedText(matrixRow(attention.queries, queryPosition), groups: h))")
    for head in 0..<h {
      let piece = (0..<dk).map { attention.headQueries[0, head, queryPosition, $0] }
      print("  head \(head + 1): q_fox = \(fixed(piece, 2))")
    }

    // Step 2. Each head runs chapter 02's attention in its own subspace. The same words, the
    // same embeddings; only the d_k columns differ, and so does what each head attends to.
    printStep("Step 2: each head's attention, softmax(Q_a K_a^T / sqrt(\(dk)))")
    print("the row of \"fox\" in each head:")
    let foxRows = (0..<h).map { attention.map(head: $0)[queryPosition] }
    printMatrix(foxRows, rowLabels: (1...h).map { "head \($0)" }, columnLabels: sentenceWords, digits: 3)
    for head in 0..<h {
      print("head \(head + 1), all queries:")
      printMatrix(attention.map(head: head), rowLabels: sentenceWords, columnLabels: sentenceWords, digits: 3)
    }

    // Step 3. How differently do the heads attend? The entropy of a row, -sum p ln p, is ln T
    // when the weights are uniform (ln 9 = 2.1972 nats) and 0 when one word takes all the weight.
    //
    // Aside: entropy is one number per row; two heads can have the same entropy and look at
    // different words. The maps of step 2 (and the grid plot) show where, the entropy how
    // sharply.
    printStep("Step 3: entropy of each head's distribution (nats)")
    let entropies = headEntropies(attention, queryPosition: queryPosition)
    print("head   \"fox\" row   mean over the 9 queries")
    for entropy in entropies {
      print(
        pad(String(entropy.head), 4) + pad(fixed(entropy.query), 12) + pad(fixed(entropy.meanOverQueries), 25)
      )
    }
    print("uniform attention over 9 words: ln 9 = \(fixed(log(Double(sentenceWords.count))))")
    let single = multiHeadAttention(seed: options.seed, headCount: 1)
    let singleEntropy = headEntropies(single, queryPosition: queryPosition)[0]
    print(
      "one full-width head (d_k = \(d), the same W_Q, W_K, W_V): \"fox\" row \(fixed(singleEntropy.query)), "
        + "mean \(fixed(singleEntropy.meanOverQueries))")
    try writePlots(
      attention, entropies: entropies, seed: options.seed, to: plotFolder(options.plots), using: writer)

    // Step 4. Each head's output C_a = A_a V_a has d_k columns; side by side they are d_model
    // wide again, and W_O mixes them back into one vector per word.
    printStep("Step 4: concatenate the heads and project with W_O")
    print(
      "C_a = A_a V_a \(shapeText(attention.headOutputs.shape, names: ["B", "h", "T", "d_k"])) -> "
        + "C = [C_1 | ... | C_\(h)] \(shapeText(attention.concatenated.shape, names: ["T", "d_model"]))")
    print("c_fox = \(groupedText(matrixRow(attention.concatenated, queryPosition), groups: h, digits: 4))")
    print(
      "O = C W_O \(shapeText(attention.output.shape, names: ["T", "d_model"])); "
        + "o_fox = \(fixed(matrixRow(attention.output, queryPosition)))")

    // Step 5. What do h heads cost? Each head works in d_k = d/h dimensions, so its scores cost
    // T^2 d/h multiply-adds, and h of them cost T^2 d, exactly one full-width head's price.
    // The projections are the same d x d matrices either way. In all:
    //
    //     3 T d^2 (Q, K, V)  +  2 T^2 d (scores, weighted sums)  +  T d^2 (W_O)
    //
    // Below, the counts are tallied from the products the computation actually ran, for the
    // 4 heads above and for the one head of d_k = 8 with the same weights.
    printStep("Step 5: multiply-adds, \(h) heads against one full-width head")
    let t = sentenceWords.count
    let formula = attentionMultiplyAdds(tokens: t, width: d)
    print("formula: 3*T*d*d + 2*T*T*d + T*d*d with T = \(t), d = \(d)")
    print(
      "       = 3*\(t)*\(d)*\(d) + 2*\(t)*\(t)*\(d) + \(t)*\(d)*\(d) = \(formula.projections) + "
        + "\(formula.scores + formula.weightedSums) + \(formula.output) = \(formula.total)")
    print("counted             Q,K,V   scores   A V   W_O   total")
    let counts = [
      ("\(h) heads of d_k = \(dk)", attention.multiplyAdds), ("1 head of d_k = \(d)", single.multiplyAdds),
    ]
    for (name, count) in counts {
      print(
        padRight(name, 18) + pad(String(count.projections), 7) + pad(String(count.scores), 9)
          + pad(String(count.weightedSums), 6) + pad(String(count.output), 6) + pad(String(count.total), 8))
    }
    let base = attentionMultiplyAdds(tokens: 128, width: 768)
    print("BERT-base, T = 128, d = 768, any h: \(base.total) multiply-adds per layer's attention")

    // Aside: the heads are not free in every sense. Each head's softmax runs over T x T
    // numbers, so h heads exponentiate h T^2 numbers where one head does T^2; that is small
    // beside the multiply-adds while T is much less than d, and part of why long sequences
    // are expensive either way.
  }
}

Chapter03.main()
