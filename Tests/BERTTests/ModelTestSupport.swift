import Foundation
import Testing

@testable import BERT

// Shared pieces of the model tests: the tiny configuration, a padded batch, losses computed
// independently in Double, and a gradient check over every parameter of a model.

/// The tiny configuration of the gradient checks: 2 layers, hidden 16, 2 heads,
/// intermediate 32, vocabulary 50, 16 positions.
///
/// `padTokenId` is nil by default: with a padding index the reference deliberately leaves
/// that row of the word embeddings out of the lookup gradient, which is not the derivative a
/// finite difference measures (the padded positions still read the row). That rule has its
/// own test.
func tinyConfig(numLabels: Int = 2, padTokenId: Int? = nil, problemType: String? = nil) -> BERTConfig {
  BERTConfig(
    vocabSize: 50, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 32,
    maxPositionEmbeddings: 16, padTokenId: padTokenId, numLabels: numLabels, problemType: problemType)
}

/// Two sequences of 7 tokens; the second is padded after 5 (mask 0 at its last two positions).
func paddedBatch() -> BertInput {
  BertInput(
    inputIds: [[2, 17, 5, 33, 9, 41, 3], [2, 28, 11, 46, 3, 0, 0]],
    tokenTypeIds: [[0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 0, 0]],
    attentionMask: [[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0, 0]])
}

// MARK: - Losses in Double, written from their definitions

/// Mean over counted rows of logsumexp(logits[n]) - logits[n][label], in Double.
func referenceCrossEntropy(_ logits: Tensor, labels: [Int], ignoreIndex: Int = -100) -> Double {
  let classes = logits.shape[logits.rank - 1]
  var total: Double = 0
  var counted = 0
  for (n, label) in labels.enumerated() where label != ignoreIndex {
    let row = (0..<classes).map { Double(logits.scalars[n * classes + $0]) }
    let maximum = row.max() ?? 0
    let logSumExp = maximum + log(row.reduce(0) { $0 + exp($1 - maximum) })
    total += logSumExp - row[label]
    counted += 1
  }
  return counted == 0 ? 0 : total / Double(counted)
}

/// Mean of (prediction - target)^2, in Double.
func referenceMeanSquaredError(_ predictions: Tensor, targets: [Float]) -> Double {
  zip(predictions.scalars, targets).reduce(0) { $0 + pow(Double($1.0) - Double($1.1), 2) }
    / Double(targets.count)
}

/// Mean of -[y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))], in Double.
func referenceBinaryCrossEntropy(_ logits: Tensor, targets: [Float]) -> Double {
  zip(logits.scalars, targets).reduce(0) { total, pair in
    let (x, y) = (Double(pair.0), Double(pair.1))
    let p = 1 / (1 + exp(-x))
    return total - (y * log(p) + (1 - y) * log(1 - p))
  } / Double(targets.count)
}

// MARK: - Gradient check over a model's parameters

/// The floor of the relative error's denominator in the model checks.
///
/// Some gradients are exactly zero in exact arithmetic: the attention key bias adds q . b to
/// every score of a query, which the softmax ignores. Their numeric estimate is rounding
/// noise of about 1e-5 (the loss is of order 1 and moves by ~1e-7 relative per evaluation,
/// divided by 2h = 2e-2), so they are compared in absolute terms below 1e-2: |a - n| <= 1e-4.
/// Every other checked gradient is well above the floor.
let gradientCheckFloor = 1e-2

/// Redraws every parameter for a gradient check: normal(0, 0.15), LayerNorm gammas normal(1, 0.15).
///
/// The reference initialisation (std 0.02, biases 0, gammas 1) is a poor point to check at:
/// the embedding sum then has a standard deviation near 0.03, so a step of 1e-2 moves the
/// first LayerNorm far outside its linear range, and zero biases and unit gammas would hide
/// a backward pass that forgets to multiply by gamma or mixes up a bias. At 0.3 the softmax
/// and LayerNorm curvature makes the central difference's truncation error reach 1e-2 (the
/// error grew ninefold when the step tripled); at 0.15 every activation is of order 1, every
/// parameter matters, and the truncation error stays near 1e-3.
func randomizeForGradientCheck(_ model: some ParameterizedModel, seed: UInt64) {
  var rng = RandomGenerator(seed: seed)
  for entry in model.parameterTable() {
    let mean: Float = entry.initialization == .ones ? 1 : 0
    entry.parameter.value = rng.normalTensor(shape: entry.expectedShape, mean: mean, standardDeviation: 0.15)
  }
}

/// The result of the two checks of a model's gradients.
struct ModelGradientCheck {
  /// Element by element: up to `sampleCount` elements of every tensor.
  var elementwise: GradientCheckReport
  /// Directional derivatives: `directionCount` random unit directions per tensor.
  var directional: GradientCheckReport
  /// Tensors whose analytic gradient is all zero.
  var zeroGradientTensors: [String]
}

/// Checks the gradients a model's backward pass accumulated against central differences of
/// `loss`, over every tensor of its parameter table, in two ways.
///
/// 1. Element by element (`GradientCheck.check` on the parameters themselves), step 1e-2.
///    This finds a wrong element anywhere, but in Float32 it is only good to a few 1e-3
///    relative: the truncation error (h^2 / 6 times the third derivative) is largest on rows
///    shared by many tokens (a token-type row moves 9 tokens at once), and a smaller step
///    trades it for the rounding of the Float32 forward pass (about 1e-7 of the loss,
///    divided by 2h), which at h = 3e-3 already reaches 1e-2 on first-layer attention weights.
/// 2. Along random directions: for each tensor W and unit vectors u_1..u_k (normal entries,
///    normalised), the check runs on the k scalars t_j of W + sum t_j u_j, whose analytic
///    derivatives are <dL/dW, u_j>. A step of 1e-2 along a unit direction moves each of the
///    n elements by about 1e-2 / sqrt(n), so truncation nearly vanishes, while the derivative
///    <g, u> is of the size of |g|, about sqrt(n) times a single element: the same rounding
///    noise is a far smaller fraction of it. Any error in a backward pass that changes the
///    gradient's direction or length shows up here, to a much tighter tolerance.
///
/// - Parameters:
///   - model: the model; its parameters are redrawn (`randomizeForGradientCheck`), its
///     gradients zeroed, then `forwardAndBackward` fills them.
///   - forwardAndBackward: one `.evaluation` forward pass with labels and `backward(cache:)`.
///   - loss: the same loss recomputed in Double from an `.evaluation` forward pass.
func checkModelGradients(
  _ model: some ParameterizedModel, sampleCount: Int = 96, directionCount: Int = 4,
  forwardAndBackward: () -> Void, loss: @escaping () -> Double
) -> ModelGradientCheck {
  let table = model.parameterTable()
  randomizeForGradientCheck(model, seed: 5)
  model.zeroGradients()
  forwardAndBackward()
  var values: [String: Tensor] = [:]
  var gradients: [String: Tensor] = [:]
  for entry in table {
    values[entry.name] = entry.parameter.value
    gradients[entry.name] = entry.parameter.gradient
  }
  let zero = table.filter { $0.parameter.gradient.scalars.allSatisfy { $0 == 0 } }.map(\.name)

  // 1. Element by element.
  let elementwise = GradientCheck.check(
    inputs: values,
    loss: { probe in
      for entry in table {
        if let value = probe[entry.name] { entry.parameter.value = value }
      }
      return loss()
    },
    gradients: gradients, step: 1e-2, sampleCount: sampleCount, floor: gradientCheckFloor)

  // 2. Along random unit directions.
  var rng = RandomGenerator(seed: 77)
  var directions: [String: [Tensor]] = [:]
  var coordinates: [String: Tensor] = [:]
  var projections: [String: Tensor] = [:]
  for entry in table {
    let units = (0..<directionCount).map { _ in
      let u = rng.normalTensor(shape: entry.expectedShape)
      return scale(u, by: Float(1 / GradientCheck.weightedSum(u, weights: u).squareRoot()))
    }
    directions[entry.name] = units
    coordinates[entry.name] = Tensor(zeros: [directionCount])
    projections[entry.name] = Tensor(
      units.map { Float(GradientCheck.weightedSum(entry.parameter.gradient, weights: $0)) })
  }
  let directional = GradientCheck.check(
    inputs: coordinates,
    loss: { probe in
      for entry in table {
        guard var value = values[entry.name], let t = probe[entry.name], let units = directions[entry.name]
        else { continue }
        for (j, u) in units.enumerated() where t.scalars[j] != 0 { value += scale(u, by: t.scalars[j]) }
        entry.parameter.value = value
      }
      return loss()
    },
    gradients: projections, step: 1e-2, floor: gradientCheckFloor)

  for entry in table {
    if let value = values[entry.name] { entry.parameter.value = value }
  }
  print("gradient check \(type(of: model)) elementwise: \(elementwise)")
  print("gradient check \(type(of: model)) directional: \(directional)")
  return ModelGradientCheck(elementwise: elementwise, directional: directional, zeroGradientTensors: zero)
}
