// ForwardMode: what a forward pass keeps and whether it drops units.
//
// A forward pass either prepares for backward (it keeps a cache of the activations each
// backward needs) or only computes outputs (inference: nothing is kept). Dropout is on only
// in training, as in the reference (`model.train()` versus `model.eval()`).

/// How a forward pass runs: with or without dropout, with or without caches for backward.
///
/// | mode          | dropout | caches for backward | reference equivalent            |
/// |---------------|---------|---------------------|---------------------------------|
/// | `.training`   | yes     | yes                 | `model.train()`                 |
/// | `.evaluation` | no      | yes                 | `model.eval()`, gradients on    |
/// | `.inference`  | no      | no                  | `model.eval()` + `torch.no_grad`|
///
/// `.evaluation` gives a deterministic function whose gradients backward computes: the
/// gradient checks use it.
public enum ForwardMode: Sendable, Equatable {
  /// Dropout on, caches kept: a training step.
  case training
  /// Dropout off, caches kept: a deterministic forward that backward can differentiate.
  case evaluation
  /// Dropout off, no caches: outputs only.
  case inference

  /// Whether dropout layers drop units (only in `.training`).
  public var appliesDropout: Bool { self == .training }

  /// Whether modules return the cache their backward needs (not in `.inference`).
  public var keepsCaches: Bool { self != .inference }

  /// Whether dense layers keep their packed weights for the next pass (not in `.training`:
  /// the optimizer changes the weights after every step, so the packed copies would only add
  /// their size, the decoder's V x H among them, to the step's peak memory).
  public var keepsPackedWeights: Bool { self != .training }
}
