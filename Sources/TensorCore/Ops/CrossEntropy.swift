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
public struct CrossEntropyCache: Sendable {
  /// softmax(logits) row by row, shaped like the logits [N, V].
  public let probabilities: Tensor
  /// The labels of the forward pass, one per row (`ignoreIndex` for rows that do not count).
  public let labels: [Int]
  /// The number of rows whose label is not `ignoreIndex`; the loss is their mean.
  public let countedRows: Int

  /// A cache from its parts (the forward pass builds it).
  public init(probabilities: Tensor, labels: [Int], countedRows: Int) {
    self.probabilities = probabilities
    self.labels = labels
    self.countedRows = countedRows
  }
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
  let (rows, classes) = rowsAndLength(logits)
  precondition(
    logits.rank >= 2 && rows == labels.count,
    "crossEntropy: logits \(logits.shape) should be [N, V] with N = \(labels.count) labels")
  for (row, label) in labels.enumerated() where label != ignoreIndex {
    precondition(
      label >= 0 && label < classes,
      "crossEntropy: label \(label) of row \(row) is outside 0..<\(classes) and is not \(ignoreIndex)")
  }
  var rowLosses = [Double](repeating: 0, count: rows)
  // The softmax rows are written straight from the logits into new storage (no copy first).
  let count = rows * classes
  let probabilityScalars = [Float](unsafeUninitializedCapacity: count) { p, initialized in
    defer { initialized = count }
    logits.scalars.withUnsafeBufferPointer { z in
      rowLosses.withUnsafeMutableBufferPointer { losses in
        guard let z = z.baseAddress, let p = p.baseAddress, classes > 0 else { return }
        forEachRowBlock(rowCount: rows, rowLength: classes) { block in
          for r in block {
            var maximum: Float = 0
            let sum = bn_vec_softmax_row(z + r * classes, p + r * classes, classes, &maximum)
            let label = labels[r]
            if label != ignoreIndex {
              losses[r] = Double(maximum) + Foundation.log(sum) - Double(z[r * classes + label])
            }
          }
        }
      }
    }
  }
  let probabilities = Tensor(shape: logits.shape, scalars: probabilityScalars)
  let countedRows = labels.count { $0 != ignoreIndex }
  let loss = countedRows == 0 ? 0 : rowLosses.reduce(0, +) / Double(countedRows)
  return (
    Float(loss), CrossEntropyCache(probabilities: probabilities, labels: labels, countedRows: countedRows)
  )
}

// MARK: - Backward

/// The gradient of `crossEntropy` with respect to the logits, times `gradLoss`.
///
///     dlogits[n, v] = gradLoss / C * (softmax(logits[n])[v] - 1[v == labels[n]])   for counted rows
///     dlogits[n, v] = 0                                                              for ignored rows
///
/// - Returns: Shaped like the logits.
public func crossEntropyBackward(_ cache: CrossEntropyCache, gradLoss: Float = 1) -> Tensor {
  let probabilities = cache.probabilities
  let (rows, classes) = rowsAndLength(probabilities)
  guard cache.countedRows > 0 else { return Tensor(zeros: probabilities.shape) }
  let factor = gradLoss / Float(cache.countedRows)
  let labels = cache.labels
  // One pass from the probabilities into new storage: (p - 1[v == label]) * factor.
  let count = rows * classes
  let scalars = [Float](unsafeUninitializedCapacity: count) { g, initialized in
    defer { initialized = count }
    probabilities.scalars.withUnsafeBufferPointer { p in
      guard let g = g.baseAddress, let p = p.baseAddress, classes > 0 else { return }
      forEachRowBlock(rowCount: rows, rowLength: classes) { block in
        for r in block {
          let row = (r * classes)..<((r + 1) * classes)
          let label = labels[r]
          guard label >= 0 && label < classes else {
            for i in row { g[i] = 0 }
            continue
          }
          for i in row { g[i] = p[i] * factor }
          let labelled = r * classes + label
          g[labelled] = (p[labelled] - 1) * factor
        }
      }
    }
  }
  return Tensor(shape: probabilities.shape, scalars: scalars)
}
