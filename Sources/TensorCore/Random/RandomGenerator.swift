import Foundation

// Seeded randomness: every random number in BertNotebook comes from here, so a seed
// gives the same numbers on every machine, every run, and with any thread count.
//
// Algorithm: xoshiro256** (Blackman and Vigna, 2018) for the stream, with its 256-bit
// state filled from the 64-bit seed by SplitMix64, exactly as the authors recommend.
// Floats use the top 24 bits (uniform on [0, 1) with spacing 2^-24); normals use the
// Box–Muller transform in Double, one pair per two uniforms, the second value cached.

/// SplitMix64: a 64-bit generator used to expand a seed into xoshiro256** state.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  /// The internal counter.
  public var state: UInt64

  /// A generator starting at `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// The seeded generator of BertNotebook: xoshiro256** seeded by SplitMix64.
///
/// ```
/// var rng = RandomGenerator(seed: 42)
/// let u = rng.uniform()          // Float in [0, 1)
/// let z = rng.normal(mean: 0, standardDeviation: 0.02)
/// let p = rng.permutation(10)    // a shuffled 0..<10
/// ```
/// The whole state is the four words in `state` plus the cached normal, so it can be
/// saved in a checkpoint and restored (`RandomGenerator(state:)`).
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
  /// The four 64-bit words of xoshiro256** state.
  public var state: [UInt64]
  /// The second value of the last Box–Muller pair, not yet returned.
  public var cachedNormal: Double?

  /// A generator whose state is filled from `seed` by four SplitMix64 outputs.
  public init(seed: UInt64) {
    var seeder = SplitMix64(seed: seed)
    state = [seeder.next(), seeder.next(), seeder.next(), seeder.next()]
    cachedNormal = nil
  }

  /// A generator with an explicit state (from a checkpoint).
  public init(state: [UInt64], cachedNormal: Double? = nil) {
    precondition(state.count == 4 && state.contains { $0 != 0 }, "xoshiro256** needs 4 words, not all zero")
    self.state = state
    self.cachedNormal = cachedNormal
  }

  @inline(__always)
  private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// The four state words, held outside the array for a run of draws.
  typealias Words = (UInt64, UInt64, UInt64, UInt64)

  /// One xoshiro256** step on `s`: returns the output and advances the state.
  @inline(__always)
  private static func advance(_ s: inout Words) -> UInt64 {
    let result = rotl(s.1 &* 5, 7) &* 9
    let t = s.1 << 17
    s.2 ^= s.0
    s.3 ^= s.1
    s.1 ^= s.2
    s.0 ^= s.3
    s.2 ^= t
    s.3 = rotl(s.3, 45)
    return result
  }

  /// The next 64 random bits (xoshiro256**).
  public mutating func next() -> UInt64 {
    var words = (state[0], state[1], state[2], state[3])
    let result = Self.advance(&words)
    store(words)
    return result
  }

  /// Passes `count` uniforms to `body` with their indices, the same values in the same order as
  /// `count` calls of `uniform()`; the state stays in registers for the whole run.
  @inline(__always)
  mutating func forEachUniform(count: Int, _ body: (Int, Float) -> Void) {
    var words = (state[0], state[1], state[2], state[3])
    for index in 0..<count { body(index, Float(Self.advance(&words) >> 40) * 0x1.0p-24) }
    store(words)
  }

  /// Writes the words back into `state` (in place, no new array).
  @inline(__always)
  private mutating func store(_ words: Words) {
    state[0] = words.0
    state[1] = words.1
    state[2] = words.2
    state[3] = words.3
  }

  /// A Float uniform on [0, 1): the top 24 bits of `next()` times 2^-24.
  public mutating func uniform() -> Float {
    Float(next() >> 40) * 0x1.0p-24
  }

  /// A Double uniform on [0, 1): the top 53 bits of `next()` times 2^-53.
  public mutating func uniformDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A Float uniform on [low, high).
  public mutating func uniform(_ low: Float, _ high: Float) -> Float {
    low + (high - low) * uniform()
  }

  /// A normal sample by Box–Muller: z0 = sqrt(-2 ln u1) cos(2 pi u2), z1 = ... sin(...).
  ///
  /// u1 is taken from (0, 1] so the logarithm is finite. The pair's second value is
  /// returned by the next call.
  public mutating func normal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
    if let z = cachedNormal {
      cachedNormal = nil
      return mean + standardDeviation * Float(z)
    }
    let u1 = 1 - uniformDouble()
    let u2 = uniformDouble()
    let radius = (-2 * Foundation.log(u1)).squareRoot()
    let angle = 2 * Double.pi * u2
    cachedNormal = radius * Foundation.sin(angle)
    return mean + standardDeviation * Float(radius * Foundation.cos(angle))
  }

  /// A uniformly random integer in 0..<upperBound, without modulo bias (Lemire's method).
  public mutating func integer(below upperBound: Int) -> Int {
    precondition(upperBound > 0, "integer(below:) needs a positive bound, got \(upperBound)")
    return Int(next(upperBound: UInt64(upperBound)))
  }

  /// A random permutation of 0..<n (Fisher–Yates, from the last index down).
  public mutating func permutation(_ n: Int) -> [Int] {
    var values = Array(0..<n)
    shuffle(&values)
    return values
  }

  /// Shuffles `values` in place (Fisher–Yates, from the last index down).
  public mutating func shuffle<T>(_ values: inout [T]) {
    guard values.count > 1 else { return }
    for i in stride(from: values.count - 1, to: 0, by: -1) {
      let j = integer(below: i + 1)
      values.swapAt(i, j)
    }
  }

  /// A tensor of normal samples, filled in row-major order.
  public mutating func normalTensor(shape: [Int], mean: Float = 0, standardDeviation: Float = 1) -> Tensor {
    let n = shape.reduce(1, *)
    var scalars = [Float](repeating: 0, count: n)
    for i in 0..<n { scalars[i] = normal(mean: mean, standardDeviation: standardDeviation) }
    return Tensor(shape: shape, scalars: scalars)
  }

  /// A tensor of uniform samples on [low, high), filled in row-major order.
  public mutating func uniformTensor(shape: [Int], low: Float = 0, high: Float = 1) -> Tensor {
    let n = shape.reduce(1, *)
    var scalars = [Float](repeating: 0, count: n)
    for i in 0..<n { scalars[i] = uniform(low, high) }
    return Tensor(shape: shape, scalars: scalars)
  }
}
