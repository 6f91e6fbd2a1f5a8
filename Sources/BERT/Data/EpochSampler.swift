// Epoch order: which examples form which batch, seeded per epoch.
//
// Epoch e visits the examples in the order of a permutation drawn from a generator seeded
// with `seed + e`, cut into consecutive batches (the last one may be short, as the reference's
// default `drop_last=False`). Because each epoch's order depends only on (seed, e), a
// checkpoint needs only the epoch and the batch index to find its place again.

/// The seeded per-epoch batching of a dataset of `count` examples.
///
/// ```
/// let sampler = EpochSampler(count: 10, batchSize: 4, seed: 42)
/// sampler.batches(epoch: 0)   // three lists of indices: 4, 4 and 2 of them
/// ```
public struct EpochSampler: Sendable, Equatable {
  /// The number of examples.
  public var count: Int
  /// Examples per batch.
  public var batchSize: Int
  /// The seed the per-epoch permutations come from.
  public var seed: UInt64
  /// Whether to shuffle (training) or keep the dataset order (evaluation).
  public var shuffle: Bool

  /// A sampler over `count` examples.
  public init(count: Int, batchSize: Int, seed: UInt64, shuffle: Bool = true) {
    precondition(batchSize > 0, "EpochSampler: batch size must be positive, got \(batchSize)")
    self.count = count
    self.batchSize = batchSize
    self.seed = seed
    self.shuffle = shuffle
  }

  /// Batches per epoch: ceil(count / batchSize).
  public var batchesPerEpoch: Int { (count + batchSize - 1) / batchSize }

  /// The order of the examples in epoch `epoch`.
  public func order(epoch: Int) -> [Int] {
    guard shuffle else { return Array(0..<count) }
    var rng = RandomGenerator(seed: seed &+ UInt64(epoch))
    return rng.permutation(count)
  }

  /// The batches of epoch `epoch`, as lists of example indices.
  public func batches(epoch: Int) -> [[Int]] {
    let order = order(epoch: epoch)
    return stride(from: 0, to: count, by: batchSize).map { Array(order[$0..<min(count, $0 + batchSize)]) }
  }
}
