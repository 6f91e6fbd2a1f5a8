// Embedding lookup: the first step of BERT, a row of a table per token id (word pieces,
// positions and token types each have a table).
//
// Legend: V table rows (vocabulary size, max positions or type count), H hidden size,
// N the number of ids looked up (B * T for a batch).

// MARK: - Forward

/// Row `ids[i]` of the table for each i: `y[i, h] = table[ids[i], h]`.
///
/// - Parameters:
///   - table: [V, H], e.g. `embeddings.word_embeddings.weight`.
///   - ids: N ids, each in 0..<V.
/// - Returns: [N, H]; reshape to [B, T, H] for a batch.
public func embeddingLookup(_ table: Tensor, ids: [Int]) -> Tensor {
  precondition(table.rank == 2, "embeddingLookup: table \(table.shape) should be [V, H]")
  let (vocabularySize, hidden) = (table.shape[0], table.shape[1])
  checkIDs(ids, vocabularySize: vocabularySize, "embeddingLookup")
  var output = Tensor(zeros: [ids.count, hidden])
  table.scalars.withUnsafeBufferPointer { t in
    output.scalars.withUnsafeMutableBufferPointer { y in
      for (i, id) in ids.enumerated() {
        for h in 0..<hidden { y[i * hidden + h] = t[id * hidden + h] }
      }
    }
  }
  return output
}

// MARK: - Backward

/// The table gradient of `embeddingLookup`: a scatter-add of the output gradient rows.
///
///     dtable[v, h] = sum over i with ids[i] == v of G[i, h]
///
/// An id that appears several times collects the sum of its rows; rows of ids that never
/// appear stay zero. The rows are added in the order of `ids`, so the result is the same on every run.
///
/// - Parameters:
///   - gradOutput: G, [N, H] (or any shape with N * H elements and last dimension H, e.g. [B, T, H]).
///   - ids: The N ids of the forward pass.
///   - vocabularySize: V, the number of table rows.
/// - Returns: [V, H].
public func embeddingBackward(_ gradOutput: Tensor, ids: [Int], vocabularySize: Int) -> Tensor {
  var gradTable = Tensor(zeros: [vocabularySize, gradOutput.shape.last ?? 0])
  embeddingBackward(gradOutput, ids: ids, accumulatingInto: &gradTable)
  return gradTable
}

/// The scatter-add of `embeddingBackward` into an existing table gradient, in place.
///
/// For a large table (30522 x 768 word pieces) this avoids a fresh [V, H] tensor per step:
/// pass the parameter's gradient, e.g. `accumulatingInto: &wordEmbeddings.gradient`.
///
/// - Parameters:
///   - gradOutput: G, [N, H] (or any shape with N * H elements and last dimension H).
///   - ids: The N ids of the forward pass.
///   - gradTable: [V, H]; row `ids[i]` gets row i of G added, in the order of `ids`.
public func embeddingBackward(_ gradOutput: Tensor, ids: [Int], accumulatingInto gradTable: inout Tensor) {
  let hidden = gradOutput.shape.last ?? 0
  precondition(
    gradOutput.count == ids.count * hidden && gradTable.rank == 2 && gradTable.shape[1] == hidden,
    "embeddingBackward: gradOutput \(gradOutput.shape) should hold \(ids.count) rows of the "
      + "table gradient \(gradTable.shape)'s width")
  checkIDs(ids, vocabularySize: gradTable.shape[0], "embeddingBackward")
  gradOutput.scalars.withUnsafeBufferPointer { g in
    gradTable.scalars.withUnsafeMutableBufferPointer { d in
      for (i, id) in ids.enumerated() {
        for h in 0..<hidden { d[id * hidden + h] += g[i * hidden + h] }
      }
    }
  }
}

// MARK: - Checks

/// Stops with the position and value of the first id outside 0..<vocabularySize.
private func checkIDs(_ ids: [Int], vocabularySize: Int, _ operation: String) {
  if let position = ids.firstIndex(where: { $0 < 0 || $0 >= vocabularySize }) {
    preconditionFailure(
      "\(operation): id \(ids[position]) at position \(position) is outside the table's 0..<\(vocabularySize)"
    )
  }
}
