import CKernels
import Foundation

// Cross-entropy over logits: the loss of masked-language-model pre-training (V = vocabulary,
// one row per token, unmasked tokens labelled -100) and of classification heads (V = labels).
//
// Legend: N rows (tokens or examples), V classes.
//
// Numerics: each row's loss is log-sum-exp minus the label's logit,
//     -log softmax(z)[y] = m + log(sum over v of exp(z[v] - m)) - z[y],   m = max z,
// so no probability is ever logged (a tiny p would lose its digits). The exponentials'
// sum, the row losses and their mean are accumulated in Double.

/// What `crossEntropyBackward` needs from the forward pass.
///
/// The logits themselves, not their softmax: the caller holds the logits anyway (a head
/// returns them), while an [N, V] table of probabilities kept until backward would be a
/// second copy of them, 37 MB for a masked-LM batch of 300 rows over 30,522 tokens. Backward
/// forms each softmax row again with the same kernel, so it gets the same values.
public struct CrossEntropyCache: Sendable {
  /// The logits of the forward pass, [N, V] (or [..., V]).
  public let logits: Tensor
  /// The labels of the forward pass, one per row (`ignoreIndex` for rows that do not count).
  public let labels: [Int]
  /// The number of rows whose label is not `ignoreIndex`; the loss is their mean.
  public let countedRows: Int
  /// The label of rows that do not count (their gradient is zero).
  public let ignoreIndex: Int

  /// A cache from its parts (the forward pass builds it).
  init(logits: Tensor, labels: [Int], ignoreIndex: Int = -100) {
    self.logits = logits
    self.labels = labels
    self.countedRows = labels.count { $0 != ignoreIndex }
    self.ignoreIndex = ignoreIndex
  }

  /// softmax(logits) row by row, shaped like the logits [N, V].
  public var probabilities: Tensor { softmax(logits) }
}

// MARK: - Forward

/// The mean negative log-likelihood of the labels under softmax(logits), skipping ignored rows.
///
///     loss = (1 / C) * sum over counted rows n of -log softmax(logits[n])[labels[n]]
///
/// where C is the number of rows with `labels[n] != ignoreIndex`; with C == 0 the loss is 0.
///
/// Example: logits [[ln 4, 0], [0, ln 4], [5, 5]] with labels [0, 0, -100] give
/// probabilities 0.8 and 0.2 to the labels of the two counted rows, so the loss is
/// (-ln 0.8 - ln 0.2) / 2 = 0.9163.
///
/// - Parameters:
///   - logits: [N, V] (or [..., V], e.g. [B, T, V], with one label per row).
///   - labels: N labels, each in 0..<V or equal to `ignoreIndex`.
///   - ignoreIndex: The label of rows that do not count; -100, as the reference implementation.
/// - Returns: The loss and the cache for the backward pass.
public func crossEntropy(
  _ logits: Tensor, labels: [Int], ignoreIndex: Int = -100
) -> (loss: Float, cache: CrossEntropyCache) {
  let (rows, classes, _) = checkedRowsAndClasses(logits, labels: labels, ignoreIndex: ignoreIndex)
  var rowLosses = [Double](repeating: 0, count: rows)
  // Each counted row's softmax goes through one scratch row per block: only its maximum and
  // sum are needed here (backward forms the row again).
  logits.scalars.withUnsafeBufferPointer { z in
    rowLosses.withUnsafeMutableBufferPointer { losses in
      guard let z = z.baseAddress, classes > 0 else { return }
      forEachRowBlock(rowCount: rows, rowLength: classes) { block in
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: classes)
        defer { scratch.deallocate() }
        for r in block where labels[r] != ignoreIndex {
          var maximum: Float = 0
          let sum = bn_vec_softmax_row(z + r * classes, scratch, classes, &maximum)
          losses[r] = rowLoss(maximum: maximum, sum: sum, labelLogit: z[r * classes + labels[r]])
        }
      }
    }
  }
  let cache = CrossEntropyCache(logits: logits, labels: labels, ignoreIndex: ignoreIndex)
  let loss = cache.countedRows == 0 ? 0 : rowLosses.reduce(0, +) / Double(cache.countedRows)
  return (Float(loss), cache)
}

/// The rows and classes of `logits`, and the rows that count (whose label is not
/// `ignoreIndex`); stops unless there is one label per row, each a class or `ignoreIndex`.
private func checkedRowsAndClasses(
  _ logits: Tensor, labels: [Int], ignoreIndex: Int
) -> (rows: Int, classes: Int, countedRows: Int) {
  let (rows, classes) = rowsAndLength(logits)
  precondition(
    logits.rank >= 2 && rows == labels.count,
    "crossEntropy: logits \(logits.shape) should be [N, V] with N = \(labels.count) labels")
  var countedRows = 0
  for (row, label) in labels.enumerated() where label != ignoreIndex {
    precondition(
      label >= 0 && label < classes,
      "crossEntropy: label \(label) of row \(row) is outside 0..<\(classes) and is not \(ignoreIndex)")
    countedRows += 1
  }
  return (rows, classes, countedRows)
}

// MARK: - Backward

/// The gradient of `crossEntropy` with respect to the logits, times `gradLoss`.
///
///     dlogits[n, v] = gradLoss / C * (softmax(logits[n])[v] - 1[v == labels[n]])   for counted rows
///     dlogits[n, v] = 0                                                              for ignored rows
///
/// - Returns: Shaped like the logits.
public func crossEntropyBackward(_ cache: CrossEntropyCache, gradLoss: Float = 1) -> Tensor {
  let logits = cache.logits
  guard cache.countedRows > 0 else { return Tensor(zeros: logits.shape) }
  let factor = gradLoss / Float(cache.countedRows)
  let labels = cache.labels
  return Tensor(
    shape: logits.shape,
    scalars: gradientRows(logits, labels: labels, ignoreIndex: cache.ignoreIndex, factor: factor, losses: nil)
  )
}

/// One row's loss from its softmax's maximum m and sum s = sum of exp(z - m):
/// -ln p(label) = m + ln s - z[label], in Double.
private func rowLoss(maximum: Float, sum: Double, labelLogit: Float) -> Double {
  Double(maximum) + Foundation.log(sum) - Double(labelLogit)
}

/// dlogits row by row into new storage: the softmax row p (the forward pass's kernel, so the
/// same values), then (p - 1[v == label]) * factor in place; rows labelled `ignoreIndex` (or
/// outside 0..<V) are zero, as they are left out of the loss. With `losses`, each counted
/// row also gets its loss there, from the row's maximum and sum.
private func gradientRows(
  _ logits: Tensor, labels: [Int], ignoreIndex: Int, factor: Float, losses: UnsafeMutablePointer<Double>?
) -> [Float] {
  let (rows, classes) = rowsAndLength(logits)
  let count = rows * classes
  return [Float](unsafeUninitializedCapacity: count) { g, initialized in
    defer { initialized = count }
    logits.scalars.withUnsafeBufferPointer { z in
      guard let g = g.baseAddress, let z = z.baseAddress, classes > 0 else { return }
      forEachRowBlock(rowCount: rows, rowLength: classes) { block in
        for r in block {
          let row = g + r * classes
          let label = labels[r]
          guard label != ignoreIndex && label >= 0 && label < classes else {
            row.update(repeating: 0, count: classes)
            continue
          }
          var maximum: Float = 0
          let sum = bn_vec_softmax_row(z + r * classes, row, classes, &maximum)
          if let losses {
            losses[r] = rowLoss(maximum: maximum, sum: sum, labelLogit: z[r * classes + label])
          }
          let labelled = row[label]
          for i in 0..<classes { row[i] *= factor }
          row[label] = (labelled - 1) * factor
        }
      }
    }
  }
}

// MARK: - Both at once

/// `crossEntropy` and then `crossEntropyBackward(_:gradLoss:)`, in one pass over the logits:
/// the same loss and the same gradient, bit for bit.
///
/// A training step wants both right away. Apart, the softmax of every row is computed twice
/// (once for the loss, once for the gradient); here each row's softmax is written where its
/// gradient goes, its maximum and sum give the row's loss, and the row is then turned into
/// (p - 1[v == label]) * gradLoss / C in place.
///
/// - Returns: The loss and dloss/dlogits times `gradLoss`, shaped like the logits.
public func crossEntropyWithGradient(
  _ logits: Tensor, labels: [Int], ignoreIndex: Int = -100, gradLoss: Float = 1
) -> (loss: Float, gradient: Tensor) {
  let (rows, _, countedRows) = checkedRowsAndClasses(logits, labels: labels, ignoreIndex: ignoreIndex)
  guard countedRows > 0 else { return (0, Tensor(zeros: logits.shape)) }
  let factor = gradLoss / Float(countedRows)
  var rowLosses = [Double](repeating: 0, count: rows)
  let scalars = rowLosses.withUnsafeMutableBufferPointer { losses in
    gradientRows(logits, labels: labels, ignoreIndex: ignoreIndex, factor: factor, losses: losses.baseAddress)
  }
  let loss = rowLosses.reduce(0, +) / Double(countedRows)
  return (Float(loss), Tensor(shape: logits.shape, scalars: scalars))
}
