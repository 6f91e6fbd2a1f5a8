// Linear: the dense layer y = x W^T + b of every BERT block.
//
// Shapes: x [N, in] (or [..., in]), W [out, in] (torch.nn.Linear's layout, as in the
// checkpoint), b [out], y [N, out] (or [..., out]).

/// A fully connected layer `y = x W^T + b`, holding its weight and bias.
public struct Linear: Sendable {
  /// The weight `W`, shape [out, in] (the checkpoint's `*.weight`).
  public let weight: Parameter
  /// The bias `b`, shape [out] (the checkpoint's `*.bias`).
  public let bias: Parameter

  /// A layer from `inputSize` to `outputSize` features with zero weights (see the model's
  /// `initializeWeights(using:)`).
  public init(inputSize: Int, outputSize: Int) {
    weight = Parameter(Tensor(zeros: [outputSize, inputSize]))
    bias = Parameter(Tensor(zeros: [outputSize]))
  }

  /// The number of input features.
  public var inputSize: Int { weight.shape[1] }
  /// The number of output features.
  public var outputSize: Int { weight.shape[0] }

  // MARK: - Forward

  /// `y = x W^T + b` for `x` [..., in]; returns [..., out]. The result is the same in every
  /// mode; in training the packed weight is not kept (see `ForwardMode.keepsPackedWeights`).
  public func forward(_ input: Tensor, mode: ForwardMode) -> Tensor {
    linear(input, weight: weight, bias: bias, keepsPackedWeight: mode.keepsPackedWeights)
  }

  // MARK: - Backward

  /// Differentiates `y = x W^T + b`: dW += g^T x, db += sum over rows of g; returns dx = g W.
  ///
  /// - Parameters:
  ///   - gradOutput: dL/dy, the shape of `y`.
  ///   - input: the `x` the forward pass saw.
  public func backward(_ gradOutput: Tensor, input: Tensor) -> Tensor {
    linearBackward(gradOutput, x: input, weight: weight, bias: bias)
  }
}
