// Row blocks: how the operations spread work over threads.
//
// An operation over a tensor seen as rows (softmax, layer norm, cross-entropy, GELU) hands
// contiguous blocks of whole rows to `Parallel.forEach`. Every row is computed by the same
// code in the same order whatever the split, so results are bitwise identical for any
// thread count. Small tensors run inline, where a thread hand-off would cost more than it saves.

/// About how many elements one block should hold before a hand-off to another thread pays.
let elementsPerRowBlock = 1 << 14

/// Runs `body(rows)` over `0..<rowCount` in contiguous blocks of whole rows, in parallel
/// when there is more than one block.
///
/// - Parameters:
///   - rowCount: The number of rows.
///   - rowLength: The elements per row, used to size blocks to about `elementsPerRowBlock`.
///   - body: Called once per block with its row range; blocks never overlap.
@inline(__always)
func forEachRowBlock(rowCount: Int, rowLength: Int, _ body: (Range<Int>) -> Void) {
  let rowsPerBlock = max(1, elementsPerRowBlock / max(rowLength, 1))
  let blockCount = (rowCount + rowsPerBlock - 1) / rowsPerBlock
  guard blockCount > 1 else {
    body(0..<rowCount)
    return
  }
  Parallel.forEach(chunks: blockCount) { block in
    body((block * rowsPerBlock)..<min(rowCount, (block + 1) * rowsPerBlock))
  }
}

/// The last dimension of `x` (its row length) and the number of rows before it.
///
/// A rank-0 tensor is one row of one element.
@inline(__always)
func rowsAndLength(_ x: Tensor) -> (rows: Int, length: Int) {
  let length = x.shape.last ?? 1
  return (length == 0 ? 0 : x.count / length, length)
}
