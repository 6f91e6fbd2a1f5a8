// Conversions of the 16-bit float formats to Float32, bit by bit.
//
//   binary16 (F16):  s eeeee mmmmmmmmmm            value = (-1)^s 2^(e-15) (1 + m/2^10), e in 1...30
//                                                  e = 0: subnormal (-1)^s m 2^-24; e = 31: inf or NaN
//   bfloat16 (BF16): s eeeeeeee mmmmmmm            the top half of a binary32: append 16 zero bits
//   binary32:        s eeeeeeee mmmmmmmmmmmmmmmmmmmmmmm   bias 127
//
// Both conversions are exact: every F16 and BF16 value is representable in Float32.
// NaN payloads are kept (shifted into the top of the binary32 mantissa).

/// The Float32 value of a binary16 bit pattern.
///
/// Worked example: 0x3C00 is s = 0, e = 15, m = 0, so 2^0 (1 + 0) = 1.0; 0x0001, the smallest
/// subnormal, is 1 x 2^-24 ~ 5.96e-8; 0x7C00 is +infinity.
func floatFromHalfBits(_ bits: UInt16) -> Float {
  let sign = UInt32(bits & 0x8000) << 16
  let exponent = UInt32((bits >> 10) & 0x1F)
  let mantissa = UInt32(bits & 0x03FF)
  switch exponent {
  case 0:
    // Zero or subnormal: m x 2^-24, exact in binary32.
    let magnitude = Float(mantissa) * 0x1p-24
    return sign == 0 ? magnitude : -magnitude
  case 0x1F:
    // Infinity (m = 0) or NaN (m != 0): all-ones binary32 exponent.
    return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
  default:
    // Normal: rebias the exponent from 15 to 127 and widen the mantissa from 10 to 23 bits.
    return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
  }
}

/// The Float32 value of a bfloat16 bit pattern: the same bits followed by 16 zero bits.
func floatFromBFloat16Bits(_ bits: UInt16) -> Float {
  Float(bitPattern: UInt32(bits) << 16)
}
