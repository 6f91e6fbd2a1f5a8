// Mean squared error: the loss of a regression head (a classifier with `num_labels == 1`,
// e.g. the STS-B similarity score), as Hugging Face's `MSELoss` applies it.

/// The mean of the squared differences and its gradient with respect to the predictions.
///
///     loss = (1 / n) * sum over i of (p[i] - t[i])^2        dloss/dp[i] = 2 (p[i] - t[i]) / n
///
/// The sum is accumulated in Double. With no element the loss and the gradient are zero.
///
/// - Parameters:
///   - predictions: Any shape, e.g. [B, 1].
///   - targets: The same number of elements, e.g. [B] (shapes may differ by unit
///     dimensions, as the reference squeezes both).
/// - Returns: The loss and a gradient shaped like `predictions`.
public func meanSquaredError(_ predictions: Tensor, targets: Tensor) -> (loss: Float, gradPredictions: Tensor)
{
  precondition(
    predictions.count == targets.count,
    "meanSquaredError: predictions \(predictions.shape) and targets \(targets.shape) differ in size")
  let difference = zipScalars(predictions, targets) { $0 - $1 }
  let count = max(predictions.count, 1)
  let loss = doubleSum(multiply(difference, difference)) / Double(count)
  return (Float(loss), scale(difference, by: 2 / Float(count)))
}
