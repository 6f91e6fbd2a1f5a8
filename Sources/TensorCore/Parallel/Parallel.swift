import Dispatch
import Foundation
import Synchronization

/// How many threads the numeric core may use, and a deterministic parallel-for.
///
/// Work is always split by output (rows, tiles, batch items), never across a sum, so a
/// result is bitwise the same whatever `threadCount` is. The default is the number of
/// active cores, or the `BERT_THREADS` environment variable when it is set.
public enum Parallel {
  private static let storage = Atomic<Int>(Parallel.defaultThreadCount)

  /// The default: `BERT_THREADS` when set to a positive integer, else the active core count.
  public static var defaultThreadCount: Int {
    if let text = ProcessInfo.processInfo.environment["BERT_THREADS"], let n = Int(text), n > 0 {
      return n
    }
    return max(1, ProcessInfo.processInfo.activeProcessorCount)
  }

  /// The number of threads parallel loops may use (at least 1).
  public static var threadCount: Int {
    get { storage.load(ordering: .relaxed) }
    set { storage.store(max(1, newValue), ordering: .relaxed) }
  }

  /// Runs `body(chunk)` for chunk in 0..<chunks, on up to `threadCount` threads.
  ///
  /// With one thread (or one chunk) it runs inline, in order.
  public static func forEach(chunks: Int, _ body: (Int) -> Void) {
    guard chunks > 0 else { return }
    let threads = min(threadCount, chunks)
    if threads <= 1 {
      for chunk in 0..<chunks { body(chunk) }
      return
    }
    withoutActuallyEscaping(body) { body in
      // The workers only read shared inputs and write disjoint outputs, which is what makes
      // handing the closure to several threads sound.
      let shared = UncheckedSendable(body)
      // Each worker takes a contiguous run of chunks, so the split depends only on the counts.
      DispatchQueue.concurrentPerform(iterations: threads) { worker in
        let start = chunks * worker / threads
        let end = chunks * (worker + 1) / threads
        for chunk in start..<end { shared.value(chunk) }
      }
    }
  }
}

/// A value handed across threads where the caller guarantees the accesses do not race
/// (each thread writes its own part of the output).
public struct UncheckedSendable<Value>: @unchecked Sendable {
  /// The wrapped value.
  public let value: Value
  /// Wraps `value`.
  public init(_ value: Value) { self.value = value }
}
