import Foundation

// AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, 2019), step for step as
// `torch.optim.AdamW`, the optimizer the reference Trainer builds.
//
// For each parameter p with gradient g, at step t = 1, 2, ... with learning rate lr:
//
//   p  = p * (1 - lr * weight_decay)                 decoupled decay (not added to g)
//   m  = m + (1 - beta1) * (g - m)                   first moment   (= beta1 m + (1 - beta1) g)
//   v  = beta2 * v + (1 - beta2) * g * g             second moment
//   p  = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
//
// The bias corrections 1 - beta^t and the step size are computed in Double, as torch does
// for them in Python floats; the elementwise work is in Float, as torch's float32 tensors.
//
// Biases and LayerNorm weights are not decayed: the reference Trainer leaves out every
// parameter whose name contains "bias" or belongs to a LayerNorm (`get_decay_parameter_names`).
//
// The update is elementwise, so it is split over threads in fixed chunks: the result is the
// same for any thread count. Each chunk runs TensorCore's `AdamWUpdate`, a vectorised C loop
// of the Float operations above (its readable form is `AdamWUpdate.updated`).

/// The AdamW optimizer over named parameters, with its moment estimates.
///
/// ```
/// let optimizer = AdamW(parameters: model.namedParameters(), weightDecay: 0.01)
/// // after backward has filled the gradients:
/// optimizer.step(learningRate: 5e-5)
/// ```
public final class AdamW {
  /// The parameters, with their checkpoint names, in update order.
  public let parameters: [(name: String, parameter: Parameter)]
  /// beta1, the decay rate of the first moment (0.9).
  public let beta1: Double
  /// beta2, the decay rate of the second moment (0.999).
  public let beta2: Double
  /// eps, added to the denominator (1e-8).
  public let epsilon: Double
  /// The decoupled weight decay coefficient.
  public let weightDecay: Double
  /// Whether each parameter is decayed (false for biases and LayerNorm weights).
  public let decays: [Bool]
  /// m, the first-moment estimates (`exp_avg`), one per parameter, shaped like it.
  public internal(set) var firstMoments: [[Float]]
  /// v, the second-moment estimates (`exp_avg_sq`), one per parameter, shaped like it.
  public internal(set) var secondMoments: [[Float]]
  /// t, the number of steps taken.
  public internal(set) var stepCount: Int = 0

  /// An optimizer with zero moments.
  ///
  /// - Parameters:
  ///   - parameters: The named parameters to update (each once).
  ///   - beta1: The first-moment decay (the reference's `adam_beta1`).
  ///   - beta2: The second-moment decay (`adam_beta2`).
  ///   - epsilon: The denominator's guard (`adam_epsilon`).
  ///   - weightDecay: The decoupled decay coefficient (`weight_decay`).
  ///   - isDecayed: Which names are decayed; by default all but biases and LayerNorm weights.
  public init(
    parameters: [(name: String, parameter: Parameter)], beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-8, weightDecay: Double = 0,
    isDecayed: (String) -> Bool = AdamW.isDecayedByDefault
  ) {
    self.parameters = parameters
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.decays = parameters.map { isDecayed($0.name) }
    self.firstMoments = parameters.map { [Float](repeating: 0, count: $0.parameter.value.count) }
    self.secondMoments = parameters.map { [Float](repeating: 0, count: $0.parameter.value.count) }
  }

  /// The reference Trainer's rule: no decay for names containing "bias" or a LayerNorm
  /// ("LayerNorm", "layernorm", "layer_norm"), decay for everything else.
  public static func isDecayedByDefault(_ name: String) -> Bool {
    let lowered = name.lowercased()
    return !(lowered.contains("bias") || lowered.contains("layernorm") || lowered.contains("layer_norm"))
  }

  // MARK: - Step

  /// Updates every parameter from its gradient with learning rate `learningRate`.
  public func step(learningRate: Double) {
    stepCount += 1
    let t = Double(stepCount)
    let stepSize = Float(learningRate / (1 - pow(beta1, t)))
    let correction2Root = Float((1 - pow(beta2, t)).squareRoot())
    // 1 - beta in Double first, as torch forms these scalars: Float(1 - 0.9) is 0.1, while
    // 1 - Float(0.9) is 0.100000024.
    func rule(decay: Float) -> AdamWUpdate {
      AdamWUpdate(
        decay: decay, oneMinusBeta1: Float(1 - beta1), beta2: Float(beta2), oneMinusBeta2: Float(1 - beta2),
        stepSize: stepSize, correction2Root: correction2Root, epsilon: Float(epsilon))
    }
    let (decayed, undecayed) = (rule(decay: Float(1 - learningRate * weightDecay)), rule(decay: 1))
    for index in parameters.indices {
      let parameter = parameters[index].parameter
      let update = decays[index] ? decayed : undecayed
      let count = parameter.value.count
      parameter.gradient.scalars.withUnsafeBufferPointer { g in
        parameter.value.scalars.withUnsafeMutableBufferPointer { p in
          firstMoments[index].withUnsafeMutableBufferPointer { m in
            secondMoments[index].withUnsafeMutableBufferPointer { v in
              guard let p = p.baseAddress, let g = g.baseAddress, let m = m.baseAddress, let v = v.baseAddress
              else { return }
              forEachChunk(count: count) { range in
                let start = range.lowerBound
                update.apply(
                  parameter: p + start, gradient: g + start, firstMoment: m + start, secondMoment: v + start,
                  count: range.count)
              }
            }
          }
        }
      }
    }
  }

  // MARK: - State

  /// The moments as named tensors, for a checkpoint: `exp_avg.<name>` and `exp_avg_sq.<name>`.
  public func stateTensors() -> [(name: String, tensor: Tensor)] {
    var tensors: [(name: String, tensor: Tensor)] = []
    for (index, entry) in parameters.enumerated() {
      let shape = entry.parameter.shape
      tensors.append(("exp_avg.\(entry.name)", Tensor(shape: shape, scalars: firstMoments[index])))
      tensors.append(("exp_avg_sq.\(entry.name)", Tensor(shape: shape, scalars: secondMoments[index])))
    }
    return tensors
  }

  /// Restores the moments and the step count saved by `stateTensors()`.
  ///
  /// - Parameter tensor: Looks a tensor up by name (nil when absent).
  /// - Throws: `TrainingError.checkpoint` naming a missing or misshapen tensor.
  public func restore(stepCount: Int, tensor: (String) throws -> Tensor?) throws {
    for (index, entry) in parameters.enumerated() {
      for (prefix, isFirst) in [("exp_avg", true), ("exp_avg_sq", false)] {
        let name = "\(prefix).\(entry.name)"
        guard let saved = try tensor(name) else {
          throw TrainingError.checkpoint("optimizer state lacks \(name)")
        }
        guard saved.shape == entry.parameter.shape else {
          throw TrainingError.checkpoint(
            "optimizer tensor \(name) has shape \(saved.shape), the parameter \(entry.parameter.shape)")
        }
        if isFirst { firstMoments[index] = saved.scalars } else { secondMoments[index] = saved.scalars }
      }
    }
    self.stepCount = stepCount
  }
}

/// Runs `body` over 0..<count in fixed chunks, in parallel when there are several.
///
/// The chunks depend only on `count`, so elementwise work and per-chunk partial sums are the
/// same for any thread count.
func forEachChunk(count: Int, chunkSize: Int = 1 << 15, _ body: (Range<Int>) -> Void) {
  let chunks = (count + chunkSize - 1) / chunkSize
  if chunks <= 1 {
    body(0..<count)
    return
  }
  Parallel.forEach(chunks: chunks) { chunk in
    body((chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize))
  }
}
