// The few POSIX calls the reader and writer make, in one place.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The text of the current `errno`, e.g. "No such file or directory".
func lastSystemError() -> String {
  String(cString: strerror(errno))
}

/// Writes every byte of `bytes` to `descriptor`, retrying short writes and interrupted calls.
///
/// - Returns: nil on success, or the system's error text.
func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> String? {
  guard let start = bytes.baseAddress else { return nil }
  var written = 0
  while written < bytes.count {
    let result = write(descriptor, start + written, bytes.count - written)
    if result < 0 {
      if errno == EINTR { continue }
      return lastSystemError()
    }
    written += result
  }
  return nil
}
