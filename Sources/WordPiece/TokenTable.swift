// MARK: - Byte-keyed hash table

/// An open-addressing hash table from UTF-8 byte strings to token ids.
///
/// Keys live back to back in one byte buffer and are looked up by a pointer and a length, so the WordPiece
/// matcher can ask "is `bytes[a..<b]` a token?" without building a `String`. The hash is FNV-1a, which is
/// computed byte by byte: the matcher hashes every prefix of a word once and then probes the prefixes
/// from the longest down.
struct TokenTable: Sendable {
  private var keyBytes: [UInt8] = []
  private var keyStart: [Int32] = []
  private var keyLength: [Int32] = []
  private var keyHash: [UInt64] = []
  private var values: [Int32] = []
  /// Entry index + 1 for each slot, 0 when empty.
  private var slots: [Int32]
  private var shift: UInt64
  /// The length in bytes of the longest key.
  private(set) var maxKeyLength = 0

  /// The number of distinct keys.
  var count: Int { values.count }

  init(capacity: Int) {
    var bits: UInt64 = 4
    while (1 << bits) < max(capacity, 8) * 2 { bits += 1 }
    slots = [Int32](repeating: 0, count: 1 << Int(bits))
    shift = 64 - bits
  }

  static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
  static let prime: UInt64 = 0x0000_0100_0000_01b3

  /// One FNV-1a step.
  @inline(__always)
  static func hash(_ state: UInt64, _ byte: UInt8) -> UInt64 {
    (state ^ UInt64(byte)) &* prime
  }

  @inline(__always)
  private func slot(for hash: UInt64) -> Int {
    Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> shift)
  }

  /// Inserts `key` with `value`, replacing the value of an equal key (the later line of a vocabulary wins).
  mutating func insert<Key: Collection<UInt8>>(_ key: Key, value: Int32) {
    var hash = Self.offsetBasis
    for byte in key { hash = Self.hash(hash, byte) }
    let bytes = Array(key)
    let existing = bytes.withUnsafeBufferPointer { lookup($0.baseAddress, count: $0.count, hash: hash) }
    if existing >= 0 {
      var index = slot(for: hash)
      while true {
        let entry = Int(slots[index]) - 1
        if entry >= 0 && keyHash[entry] == hash && equalKey(entry, bytes) {
          values[entry] = value
          return
        }
        index = (index + 1) & (slots.count - 1)
      }
    }
    if (values.count + 1) * 2 > slots.count { grow() }
    keyStart.append(Int32(keyBytes.count))
    keyLength.append(Int32(bytes.count))
    keyBytes.append(contentsOf: bytes)
    keyHash.append(hash)
    values.append(value)
    maxKeyLength = max(maxKeyLength, bytes.count)
    place(entry: values.count - 1)
  }

  private func equalKey(_ entry: Int, _ bytes: [UInt8]) -> Bool {
    let start = Int(keyStart[entry])
    return Int(keyLength[entry]) == bytes.count
      && keyBytes[start..<(start + bytes.count)].elementsEqual(bytes)
  }

  private mutating func place(entry: Int) {
    var index = slot(for: keyHash[entry])
    while slots[index] != 0 { index = (index + 1) & (slots.count - 1) }
    slots[index] = Int32(entry + 1)
  }

  private mutating func grow() {
    slots = [Int32](repeating: 0, count: slots.count * 2)
    shift -= 1
    for entry in values.indices { place(entry: entry) }
  }

  /// The value of the key `base[0..<count]` whose FNV-1a hash is `hash`, or -1.
  @inline(__always)
  func lookup(_ base: UnsafePointer<UInt8>?, count: Int, hash: UInt64) -> Int32 {
    slots.withUnsafeBufferPointer { slots in
      keyBytes.withUnsafeBufferPointer { keys in
        var index = slot(for: hash)
        let mask = slots.count - 1
        while true {
          let entry = Int(slots[index]) - 1
          if entry < 0 { return -1 }
          if keyHash[entry] == hash && Int(keyLength[entry]) == count {
            let start = Int(keyStart[entry])
            var equal = true
            if count > 0, let base, let keyBase = keys.baseAddress {
              equal = memcmpBytes(keyBase + start, base, count)
            }
            if equal { return values[entry] }
          }
          index = (index + 1) & mask
        }
      }
    }
  }

  /// The value of `key`, or -1.
  func lookup(_ key: some Collection<UInt8>) -> Int32 {
    var hash = Self.offsetBasis
    for byte in key { hash = Self.hash(hash, byte) }
    let bytes = Array(key)
    return bytes.withUnsafeBufferPointer { lookup($0.baseAddress, count: $0.count, hash: hash) }
  }
}

/// Whether `count` bytes at `a` and `b` are equal.
@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
  var index = 0
  while index + 8 <= count {
    let x = UnsafeRawPointer(a + index).loadUnaligned(as: UInt64.self)
    let y = UnsafeRawPointer(b + index).loadUnaligned(as: UInt64.self)
    if x != y { return false }
    index += 8
  }
  while index < count {
    if a[index] != b[index] { return false }
    index += 1
  }
  return true
}
