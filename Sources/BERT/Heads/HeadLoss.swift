import Foundation

// HeadLoss: a loss over a head's logits, with the gradient backward will need.
//
// Every head's loss is a function of its logits alone, so the forward pass computes the
// loss and, when it keeps caches, dLoss/dlogits for a unit upstream gradient. A backward
// from the loss then only scales that gradient.

/// A loss value and, when kept for backward, its gradient with respect to the logits.
struct HeadLoss: Sendable {
  /// The loss.
  let value: Float
  /// dLoss/dlogits, the shape of the logits; nil in `.inference`.
  let gradient: Tensor?

  /// Mean cross-entropy of `logits` [N, C] against `labels` [N], skipping `ignoreIndex`
  /// (PyTorch's `CrossEntropyLoss`, mean over the labels that count).
  static func crossEntropy(
    _ logits: Tensor, labels: [Int], ignoreIndex: Int = -100, mode: ForwardMode
  ) -> HeadLoss {
    guard mode.keepsCaches else {
      return HeadLoss(
        value: TensorCore.crossEntropy(logits, labels: labels, ignoreIndex: ignoreIndex).loss, gradient: nil)
    }
    let (value, gradient) = crossEntropyWithGradient(logits, labels: labels, ignoreIndex: ignoreIndex)
    return HeadLoss(value: value, gradient: gradient)
  }

  /// Mean squared error of `predictions` against `targets` of the same shape (`MSELoss`).
  static func meanSquared(_ predictions: Tensor, targets: Tensor, mode: ForwardMode) -> HeadLoss {
    let (value, gradient) = meanSquaredError(predictions, targets: targets)
    return HeadLoss(value: value, gradient: mode.keepsCaches ? gradient : nil)
  }

  /// Mean binary cross-entropy of sigmoid(`logits`) against `targets` in [0, 1]
  /// (`BCEWithLogitsLoss`): mean of max(x, 0) - x y + log(1 + exp(-|x|)).
  ///
  /// Its gradient is (sigmoid(x) - y) / count.
  static func binaryCrossEntropy(_ logits: Tensor, targets: Tensor, mode: ForwardMode) -> HeadLoss {
    checkSameShape(logits, targets, "binaryCrossEntropy")
    let count = Float(logits.count)
    var total: Double = 0
    var gradient = Tensor(zeros: logits.shape)
    for i in 0..<logits.count {
      let (x, y) = (Double(logits.scalars[i]), Double(targets.scalars[i]))
      total += max(x, 0) - x * y + log1p(exp(-abs(x)))
      gradient.scalars[i] = Float(1 / (1 + exp(-x)) - y) / count
    }
    return HeadLoss(value: Float(total / Double(count)), gradient: mode.keepsCaches ? gradient : nil)
  }

  /// dL/dlogits of `gradLoss * loss` (usually gradLoss = 1); stops when no gradient was kept.
  static func logitsGradient(_ loss: HeadLoss?, scaledBy gradLoss: Float, _ context: String) -> Tensor {
    guard let gradient = loss?.gradient else {
      preconditionFailure("\(context): no loss gradient kept (labels missing, or an .inference pass)")
    }
    return gradLoss == 1 ? gradient : scale(gradient, by: gradLoss)
  }
}
