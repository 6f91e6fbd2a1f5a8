import Foundation

// A finite-difference gradient checker: every backward pass in BertNotebook is tested by
// nudging its inputs and watching the loss move.
//
// For each checked element x[i] of each named input it evaluates the loss at x[i] + h and
// x[i] - h and compares the central difference
//
//     numeric = (L(x + h e_i) - L(x - h e_i)) / (2h)
//
// with the analytic gradient[i] from the backward pass under test.
//
// Why Float32 inputs with h = 1e-2 and a tolerance of 1e-2 work
// --------------------------------------------------------------
// The operations run in Float32 (unit roundoff u = 2^-24 ≈ 6e-8). The central difference
// has two errors:
//   - truncation, h^2 / 6 * |L'''|: about 2e-5 for h = 1e-2 and curvature of order 1;
//   - rounding, about u * |y| / h for each output y that the nudge changes: about 6e-6 for
//     outputs of order 1 (a few times that when a whole softmax or layer-norm row moves).
// h = 1e-2 balances the two for inputs of order 1 (h = 1e-3 makes rounding ten times
// worse, h = 1e-1 makes truncation a hundred times worse), and both stay near 1e-4 relative,
// so a tolerance of 1e-2 leaves two orders of magnitude of margin, while a wrong backward
// pass (a missing term, a transposed index, a wrong sign) gives errors of order 0.1 to 1.
//
// Two details keep the rounding at that level:
//   - The loss closure returns Double. A loss rounded to Float would carry an error of
//     u * |L| / (2h), 3e-6 * |L|, and L sums many outputs; in Double the untouched outputs
//     are bitwise equal in both evaluations and cancel exactly. `weightedSum` turns an output
//     tensor into such a loss.
//   - The denominator is the step actually taken, (x + h) - (x - h) as stored in Float,
//     not 2h, which x + h rounds away from.
//
// Relative error: |a - n| / max(|a| + |n|, floor). The sum in the denominator treats both
// estimates alike and bounds the error by 1 (a sign error reads 1). The floor keeps
// gradients that are zero or nearly so (masked keys, dropped units, ignored rows, where the
// numeric estimate is pure rounding noise) from dividing noise by noise: below the floor the
// test becomes absolute, |a - n| <= tolerance * floor.

/// The worst disagreement a gradient check found, and where.
public struct GradientCheckReport: Sendable, CustomStringConvertible {
  /// The largest relative error, |a - n| / max(|a| + |n|, floor), over all checked elements.
  public let worstRelativeError: Double
  /// The input tensor holding the worst element ("" when nothing was checked).
  public let worstTensor: String
  /// The multi-index of the worst element in `worstTensor`.
  public let worstIndex: [Int]
  /// The analytic gradient at the worst element.
  public let worstAnalytic: Double
  /// The central-difference estimate at the worst element.
  public let worstNumeric: Double
  /// How many elements were checked, over all inputs.
  public let checkedCount: Int

  /// Whether the worst relative error is at most `tolerance`.
  public func passes(tolerance: Double = GradientCheck.defaultTolerance) -> Bool {
    worstRelativeError <= tolerance
  }

  /// One line naming the worst element, both gradients there, and the number of checks.
  public var description: String {
    let index = worstIndex.map(String.init).joined(separator: ", ")
    return "worst relative error \(formatted(worstRelativeError)) at \(worstTensor)[\(index)] "
      + "(analytic \(formatted(worstAnalytic)), numeric \(formatted(worstNumeric))), "
      + "\(checkedCount) elements checked"
  }

  private func formatted(_ value: Double) -> String {
    String(format: "%.3e", locale: nil, value)
  }
}

/// Central-difference checks of analytic gradients.
public enum GradientCheck {
  /// The default step h (see the file's notes for the choice).
  public static let defaultStep: Float = 1e-2
  /// The default relative-error tolerance for Float32 operations.
  public static let defaultTolerance: Double = 1e-2
  /// The default floor of the relative error's denominator.
  public static let defaultFloor: Double = 1e-3
  /// The default number of elements checked per input; smaller inputs are checked in full.
  public static let defaultSampleCount = 256

  /// Compares `gradients` with central differences of `loss` at `inputs`.
  ///
  /// ```
  /// let x = rng.normalTensor(shape: [3, 5])
  /// let w = rng.normalTensor(shape: [3, 5])
  /// let report = GradientCheck.check(
  ///   inputs: ["x": x],
  ///   loss: { GradientCheck.weightedSum(softmax($0["x"] ?? x), weights: w) },
  ///   gradients: ["x": softmaxBackward(w, output: softmax(x))])
  /// #expect(report.passes(), "\(report)")
  /// ```
  ///
  /// - Parameters:
  ///   - inputs: The tensors to differentiate, by name.
  ///   - loss: A scalar loss of the inputs, in Double (see the file's notes); it receives
  ///     `inputs` with one element nudged.
  ///   - gradients: dloss/dinput from the backward pass, one per input, same names and shapes.
  ///   - step: h, added to and subtracted from each checked element.
  ///   - sampleCount: An input with more elements than this is checked at this many
  ///     distinct elements drawn with `seed`; smaller inputs are checked in full.
  ///   - seed: Seeds the sample, so a check is the same on every run.
  ///   - floor: The floor of the relative error's denominator.
  /// - Returns: The worst relative error and where it occurred. Inputs are visited in
  ///   name order, and the first of equal errors is kept.
  public static func check(
    inputs: [String: Tensor],
    loss: ([String: Tensor]) -> Double,
    gradients: [String: Tensor],
    step: Float = defaultStep,
    sampleCount: Int = defaultSampleCount,
    seed: UInt64 = 0,
    floor: Double = defaultFloor
  ) -> GradientCheckReport {
    precondition(
      Set(inputs.keys) == Set(gradients.keys),
      "GradientCheck: inputs \(inputs.keys.sorted()) and gradients \(gradients.keys.sorted()) differ")
    var rng = RandomGenerator(seed: seed)
    var probe = inputs
    var worst = (error: -1.0, name: "", offset: 0, analytic: 0.0, numeric: 0.0)
    var checkedCount = 0
    for name in inputs.keys.sorted() {
      guard let input = inputs[name], let gradient = gradients[name] else { continue }
      checkSameShape(input, gradient, "GradientCheck '\(name)'")
      for i in sampledIndices(count: input.count, sampleCount: sampleCount, rng: &rng) {
        let original = input.scalars[i]
        let (up, down) = (original + step, original - step)
        probe[name]?.scalars[i] = up
        let lossUp = loss(probe)
        probe[name]?.scalars[i] = down
        let lossDown = loss(probe)
        probe[name]?.scalars[i] = original
        let numeric = (lossUp - lossDown) / (Double(up) - Double(down))
        let analytic = Double(gradient.scalars[i])
        let error = relativeError(analytic: analytic, numeric: numeric, floor: floor)
        checkedCount += 1
        if error > worst.error {
          worst = (error, name, i, analytic, numeric)
        }
      }
    }
    let shape = inputs[worst.name]?.shape ?? []
    return GradientCheckReport(
      worstRelativeError: max(worst.error, 0), worstTensor: worst.name,
      worstIndex: worst.name.isEmpty ? [] : multiIndex(worst.offset, shape: shape),
      worstAnalytic: worst.analytic, worstNumeric: worst.numeric, checkedCount: checkedCount)
  }

  /// `|analytic - numeric| / max(|analytic| + |numeric|, floor)`, between 0 and 1 above the floor.
  public static func relativeError(analytic: Double, numeric: Double, floor: Double = defaultFloor) -> Double
  {
    abs(analytic - numeric) / max(abs(analytic) + abs(numeric), floor)
  }

  /// The scalar `sum over i of output[i] * weights[i]`, accumulated in Double.
  ///
  /// With random weights this turns any operation's output into a loss whose gradient with
  /// respect to the output is `weights`, so a backward pass is checked for every output
  /// element at once: pass `weights` as its output gradient.
  public static func weightedSum(_ output: Tensor, weights: Tensor) -> Double {
    checkSameShape(output, weights, "GradientCheck.weightedSum")
    var total: Double = 0
    output.scalars.withUnsafeBufferPointer { y in
      weights.scalars.withUnsafeBufferPointer { w in
        for i in 0..<y.count { total += Double(y[i]) * Double(w[i]) }
      }
    }
    return total
  }

  // MARK: - Sampling

  /// Every index when `count <= sampleCount`, else `sampleCount` distinct indices drawn from
  /// `rng`, in increasing order.
  static func sampledIndices(count: Int, sampleCount: Int, rng: inout RandomGenerator) -> [Int] {
    guard count > sampleCount else { return Array(0..<count) }
    var chosen = Set<Int>()
    var order: [Int] = []
    while order.count < sampleCount {
      let index = rng.integer(below: count)
      if chosen.insert(index).inserted { order.append(index) }
    }
    return order.sorted()
  }

  /// The multi-index of row-major offset `offset` in `shape`.
  static func multiIndex(_ offset: Int, shape: [Int]) -> [Int] {
    var remainder = offset
    var index = [Int](repeating: 0, count: shape.count)
    for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
      index[axis] = remainder % shape[axis]
      remainder /= shape[axis]
    }
    return index
  }
}
