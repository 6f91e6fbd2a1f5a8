@_exported import TensorCore

/// The BERT model, its heads, checkpoints and training stack.
public enum BERTInfo {}
