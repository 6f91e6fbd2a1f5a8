// The safetensors file format, as this module reads and writes it.
//
//   bytes 0..<8         N, the header length, an unsigned 64-bit little-endian integer
//   bytes 8..<8+N       the header: UTF-8 JSON, one object
//                         { "__metadata__": { "format": "pt", ... },          (optional, str -> str)
//                           "bert.pooler.dense.bias": { "dtype": "F32",
//                                                       "shape": [768],
//                                                       "data_offsets": [begin, end] },
//                           ... }
//                       padded at the end with spaces (0x20) so the data starts 8-byte aligned
//   bytes 8+N..<EOF     the data buffer; [begin, end) above is relative to its first byte
//
// Elements are little-endian and row-major. The rules a reader enforces, after the reference
// library (huggingface/safetensors `Metadata::validate` and `read_metadata`), with the spec's
// ban on duplicate keys added:
//   - the file holds at least the 8 length bytes; N is at most 100,000,000 and 8 + N <= file size;
//   - the header is valid UTF-8 JSON, an object, without duplicate keys;
//   - each tensor has "dtype" (a known name), "shape" (non-negative integers) and
//     "data_offsets" (two non-negative integers, begin <= end); other fields are ignored;
//   - sorted by offset, the tensors tile the data buffer exactly: the first begins at 0, each
//     begins where the previous ends (no gap, no overlap), and the last ends at the end of file;
//   - end - begin equals the element count times the element width (no overflow).

/// Constants of the safetensors layout.
enum SafeTensorsLayout {
  /// The bytes of the header-length prefix.
  static let lengthPrefixSize = 8
  /// The largest header the reference accepts, in bytes.
  static let maximumHeaderSize = 100_000_000
  /// The alignment of the data buffer that writers pad the header to.
  static let headerAlignment = 8
  /// The reserved header key of the string-to-string metadata.
  static let metadataKey = "__metadata__"
}
