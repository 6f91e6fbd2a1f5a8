// MappedFile: a read-only memory map of a whole file.
//
// The kernel pages the file in on demand and can drop those pages again, so a 400 MB checkpoint
// costs no anonymous memory until tensors are converted out of it.
// Caveat of every memory map: if another process truncates the file while it is mapped,
// touching the lost pages stops the process (SIGBUS). Checkpoints are not edited in place.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a file, mapped read-only for the lifetime of the object (or, for tests, a
/// private copy of bytes held in memory).
final class MappedFile: @unchecked Sendable {
  /// The first byte, or nil for an empty file.
  private let base: UnsafeRawPointer?
  /// The size of the file in bytes.
  let count: Int
  /// Whether `base` is a memory map (else an allocation of our own).
  private let isMapped: Bool

  /// Maps the file at `path`.
  ///
  /// - Throws: `SafeTensorsError` when the file cannot be opened, is not a regular file,
  ///   or cannot be mapped.
  init(path: String) throws(SafeTensorsError) {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw SafeTensorsError(file: path, message: "cannot open: \(lastSystemError())")
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw SafeTensorsError(file: path, message: "cannot read file status: \(lastSystemError())")
    }
    guard (status.st_mode & S_IFMT) == S_IFREG else {
      throw SafeTensorsError(file: path, message: "not a regular file")
    }
    count = Int(status.st_size)
    isMapped = true
    guard count > 0 else {
      base = nil
      return
    }
    let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0)
    guard let address, address != MAP_FAILED else {
      throw SafeTensorsError(file: path, message: "cannot map \(count) bytes: \(lastSystemError())")
    }
    base = UnsafeRawPointer(address)
  }

  /// A private copy of `bytes`, read through the same interface as a mapped file.
  init(copying bytes: [UInt8]) {
    count = bytes.count
    isMapped = false
    let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
    storage.copyBytes(from: bytes)
    base = UnsafeRawPointer(storage.baseAddress)
  }

  deinit {
    guard let base else { return }
    if isMapped {
      munmap(UnsafeMutableRawPointer(mutating: base), count)
    } else {
      base.deallocate()
    }
  }

  /// Calls `body` with the bytes in `range` (which must lie inside the file).
  func withBytes<Result>(
    in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) rethrows -> Result {
    precondition(
      range.lowerBound >= 0 && range.upperBound <= count, "MappedFile: \(range) outside 0..<\(count)")
    guard let base else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
    return try body(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
  }
}
