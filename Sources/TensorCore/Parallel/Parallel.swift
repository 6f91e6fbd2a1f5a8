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
  /// With one thread (or one chunk) it runs inline, in order. Otherwise each thread takes the
  /// next chunk nobody has taken until none are left, so a thread whose CPU is slowed (by
  /// another process, or a virtual machine's neighbours) does fewer of them rather than holding
  /// up the rest. Which thread runs a chunk never changes what the chunk computes.
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
      // The next chunk nobody has taken.
      let next = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: threads) { _ in
        var chunk = next.add(1, ordering: .relaxed).oldValue
        while chunk < chunks {
          shared.value(chunk)
          chunk = next.add(1, ordering: .relaxed).oldValue
        }
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
