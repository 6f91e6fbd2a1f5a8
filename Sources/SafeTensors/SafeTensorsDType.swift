// SafeTensorsDType: the element types a safetensors header may name.
//
// The list and the widths follow the reference library (huggingface/safetensors, `Dtype`).
// Every one of them is recognised, so a file holding, say, the I64 `embeddings.position_ids`
// buffer opens fine; `SafeTensorsFile.tensor(_:)` converts the floating-point ones of
// 16, 32 and 64 bits to Float32.

/// The element type of a tensor, spelled as in the header (`"F32"`, `"BF16"`, ...).
public enum SafeTensorsDType: String, Sendable, CaseIterable {
  /// IEEE 754 binary64.
  case f64 = "F64"
  /// IEEE 754 binary32.
  case f32 = "F32"
  /// IEEE 754 binary16: 1 sign bit, 5 exponent bits, 10 mantissa bits.
  case f16 = "F16"
  /// bfloat16: the top 16 bits of a binary32 (1 sign, 8 exponent, 7 mantissa bits).
  case bf16 = "BF16"
  /// 8-bit float with 5 exponent and 2 mantissa bits.
  case f8E5M2 = "F8_E5M2"
  /// 8-bit float with 4 exponent and 3 mantissa bits.
  case f8E4M3 = "F8_E4M3"
  /// 8-bit scale factor (exponent only) of the OCP microscaling formats.
  case f8E8M0 = "F8_E8M0"
  /// 8-bit float, E4M3 without negative zero or infinities.
  case f8E4M3FNUZ = "F8_E4M3FNUZ"
  /// 8-bit float, E5M2 without negative zero or infinities.
  case f8E5M2FNUZ = "F8_E5M2FNUZ"
  /// 6-bit float with 2 exponent and 3 mantissa bits, packed.
  case f6E2M3 = "F6_E2M3"
  /// 6-bit float with 3 exponent and 2 mantissa bits, packed.
  case f6E3M2 = "F6_E3M2"
  /// 4-bit float, packed two to a byte.
  case f4 = "F4"
  /// A complex number of two binary32 parts.
  case c64 = "C64"
  /// Signed 64-bit integer.
  case i64 = "I64"
  /// Signed 32-bit integer.
  case i32 = "I32"
  /// Signed 16-bit integer.
  case i16 = "I16"
  /// Signed 8-bit integer.
  case i8 = "I8"
  /// Unsigned 64-bit integer.
  case u64 = "U64"
  /// Unsigned 32-bit integer.
  case u32 = "U32"
  /// Unsigned 16-bit integer.
  case u16 = "U16"
  /// Unsigned 8-bit integer.
  case u8 = "U8"
  /// Boolean, one byte each (0 or 1).
  case bool = "BOOL"

  /// The width of one element in bits (4 and 6 for the packed formats).
  public var bitWidth: Int {
    switch self {
    case .f4: return 4
    case .f6E2M3, .f6E3M2: return 6
    case .bool, .u8, .i8, .f8E5M2, .f8E4M3, .f8E8M0, .f8E4M3FNUZ, .f8E5M2FNUZ: return 8
    case .i16, .u16, .f16, .bf16: return 16
    case .i32, .u32, .f32: return 32
    case .i64, .u64, .f64, .c64: return 64
    }
  }

  /// Whether `SafeTensorsFile.tensor(_:)` converts this type to Float32 (F64, F32, F16, BF16).
  public var isConvertibleToFloat: Bool {
    switch self {
    case .f64, .f32, .f16, .bf16: return true
    default: return false
    }
  }

  /// Whether `SafeTensorsFile.integerScalars(_:)` reads this type (the integers and BOOL).
  public var isInteger: Bool {
    switch self {
    case .i64, .i32, .i16, .i8, .u64, .u32, .u16, .u8, .bool: return true
    default: return false
    }
  }
}
