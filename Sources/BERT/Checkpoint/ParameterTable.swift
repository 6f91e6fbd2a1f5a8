// ParameterTable: the named, shaped list of a model's parameters, and what follows from it.
//
// Every model type lists its parameters once, in Checkpoint/ParameterNames.swift, with the
// Hugging Face key, the expected shape and how `_init_weights` initialises it. Everything
// that walks the parameters (initialisation, counting, zeroing gradients, optimizers,
// checkpoint loading and saving) reads that list, in its order.

/// One parameter of a model: its checkpoint key, the parameter, its expected shape and its
/// initialisation.
public struct ParameterTableEntry: Sendable {
  /// The Hugging Face key, e.g. `bert.encoder.layer.0.attention.self.query.weight`.
  public let name: String
  /// The parameter the key reads into and writes from.
  public let parameter: Parameter
  /// The shape the config implies (a checkpoint tensor must have exactly this shape).
  public let expectedShape: [Int]
  /// How the reference initialises it.
  public let initialization: ParameterInitialization

  /// An entry (used by the table in ParameterNames.swift).
  public init(
    _ name: String, _ parameter: Parameter, _ expectedShape: [Int], _ initialization: ParameterInitialization
  ) {
    self.name = name
    self.parameter = parameter
    self.expectedShape = expectedShape
    self.initialization = initialization
  }
}

/// A model whose parameters are listed in a table with their checkpoint names.
///
/// Conformers: `BertModel` and every `BertFor...` task model.
public protocol ParameterizedModel: AnyObject, Sendable {
  /// The hyperparameters the model was built with.
  var config: BERTConfig { get }
  /// Every parameter once, in a fixed order (the reference's `named_parameters()` order).
  func parameterTable() -> [ParameterTableEntry]
  /// Checkpoint keys that name a parameter of the table under another name (tied weights):
  /// (alias, name in the table). The reference does not save these keys when the weights are tied.
  var tiedParameterAliases: [(alias: String, name: String)] { get }
}

extension ParameterizedModel {
  /// No tied weights by default.
  public var tiedParameterAliases: [(alias: String, name: String)] { [] }

  /// (Hugging Face key, parameter) for every parameter, in table order.
  public func namedParameters() -> [(name: String, parameter: Parameter)] {
    parameterTable().map { ($0.name, $0.parameter) }
  }

  /// The parameter stored under `name` in a checkpoint (a tied alias resolves to its target).
  public func parameter(named name: String) -> Parameter? {
    let target = tiedParameterAliases.first { $0.alias == name }?.name ?? name
    return parameterTable().first { $0.name == target }?.parameter
  }

  /// The number of trainable scalars (tied weights counted once, as the reference does).
  public var parameterCount: Int {
    parameterTable().reduce(0) { $0 + $1.parameter.value.count }
  }

  /// Sets every gradient to zero.
  public func zeroGradients() {
    for entry in parameterTable() { entry.parameter.zeroGradient() }
  }

  /// Initialises every parameter as the reference's `_init_weights`, in table order.
  ///
  /// Linear and embedding weights ~ normal(0, `initializerRange`), the padding id's row of
  /// the word embeddings 0, biases 0, LayerNorm gamma 1 and beta 0, the MLM output bias 0.
  /// The same seed gives the same weights on every machine.
  public func initializeWeights(using rng: inout RandomGenerator) {
    for entry in parameterTable() {
      entry.parameter.value = entry.initialization.initialValue(
        shape: entry.expectedShape, standardDeviation: Float(config.initializerRange), rng: &rng)
    }
  }
}

/// How the reference's `_init_weights` fills a parameter.
public enum ParameterInitialization: Sendable, Hashable {
  /// normal(0, initializer_range): linear and embedding weights.
  case normal
  /// normal(0, initializer_range), then the given row zeroed: an embedding with `padding_idx`.
  case normalWithZeroRow(Int?)
  /// All zeros: biases, LayerNorm beta, the MLM output bias.
  case zeros
  /// All ones: LayerNorm gamma.
  case ones

  /// A freshly initialised tensor of `shape`; draws from `rng` only for the normal cases.
  public func initialValue(shape: [Int], standardDeviation: Float, rng: inout RandomGenerator) -> Tensor {
    switch self {
    case .zeros:
      return Tensor(zeros: shape)
    case .ones:
      return Tensor(repeating: 1, shape: shape)
    case .normal:
      return rng.normalTensor(shape: shape, mean: 0, standardDeviation: standardDeviation)
    case .normalWithZeroRow(let row):
      var value = rng.normalTensor(shape: shape, mean: 0, standardDeviation: standardDeviation)
      if let row {
        let width = shape.dropFirst().reduce(1, *)
        for i in (row * width)..<((row + 1) * width) { value.scalars[i] = 0 }
      }
      return value
    }
  }
}
