#if canImport(Glibc)
import Glibc
#endif

// Keeping freed memory for the next step.
//
// A training step allocates the same large activations and gradients every time (the
// masked-LM logits alone are M x V floats, tens of MB) and frees them at the end. glibc serves
// blocks above its mmap threshold (128 KB, adapted up to 32 MB) with fresh mmap calls and
// returns them on free, so every step pays for zeroed pages again: on Tiny, page faults and
// their clearing were about a fifth of the step. Raising the threshold and the trim limit
// keeps those blocks in the heap, where the next step reuses them. The peak resident memory
// stays about the same (the same blocks are reused), but is no longer given back between
// steps. Elsewhere than glibc this does nothing.

/// Tunes the C allocator of this process for the repeated large allocations of training
/// (`Trainer.train()` calls it; the training benchmark too, to time the same thing) and of
/// inference (`BertModel.predict` calls it once: a MiniLM-shaped pass over 8 x 128 tokens
/// otherwise takes about 12,000 page faults, a quarter of its time).
public enum AllocatorTuning {
  /// `keepFreedMemoryForReuse()` on the first call, nothing on later ones.
  public static func keepFreedMemoryForReuseOnce() { _ = applied }

  /// Set up on first use (thread-safe, as every static constant is).
  private static let applied: Void = keepFreedMemoryForReuse()

  /// Large blocks come from the heap and freed memory stays there (glibc's `mallopt`).
  public static func keepFreedMemoryForReuse() {
    #if canImport(Glibc)
    // mallopt is in <malloc.h>, which Swift's Glibc module leaves out: look it up instead.
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(nil, "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
    let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
    _ = mallopt(mmapThreshold, 1 << 30)
    _ = mallopt(trimThreshold, 1 << 30)
    #endif
  }
}
