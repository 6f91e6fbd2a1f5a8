import Testing

@testable import SafeTensors

@Suite("SafeTensors: F16 and BF16 to Float32")
struct FloatConversionTests {
  #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
  @Test("all 65,536 binary16 patterns match the standard library's Float16 conversion")
  func halfExhaustive() {
    var mismatches: [String] = []
    for bits in UInt16.min...UInt16.max {
      let got = floatFromHalfBits(bits)
      let want = Float(Float16(bitPattern: bits))
      let same = got.isNaN ? (want.isNaN && got.sign == want.sign) : got.bitPattern == want.bitPattern
      if !same { mismatches.append("0x\(String(bits, radix: 16)): got \(got), expected \(want)") }
    }
    #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(3))")
  }
  #endif

  @Test("binary16 by hand: one, the extremes, the smallest subnormal, infinities, NaN, negative zero")
  func halfByHand() {
    #expect(floatFromHalfBits(0x3C00) == 1)
    #expect(floatFromHalfBits(0xC000) == -2)
    #expect(floatFromHalfBits(0x7BFF) == 65504)
    #expect(floatFromHalfBits(0x0400) == 0x1p-14)
    #expect(floatFromHalfBits(0x0001) == 0x1p-24)
    #expect(floatFromHalfBits(0x03FF) == 1023 * 0x1p-24)
    #expect(floatFromHalfBits(0x7C00) == .infinity)
    #expect(floatFromHalfBits(0xFC00) == -.infinity)
    #expect(floatFromHalfBits(0x7E00).isNaN)
    #expect(floatFromHalfBits(0x8000).bitPattern == (-0.0 as Float).bitPattern)
  }

  @Test("bfloat16 is the top half of a binary32, every pattern")
  func bfloat16Exhaustive() {
    var mismatches = 0
    for bits in UInt16.min...UInt16.max where floatFromBFloat16Bits(bits).bitPattern != UInt32(bits) << 16 {
      mismatches += 1
    }
    #expect(mismatches == 0)
    #expect(floatFromBFloat16Bits(0x3F80) == 1)
    #expect(floatFromBFloat16Bits(0x0001) == 0x1p-133)
    #expect(floatFromBFloat16Bits(0xFF80) == -.infinity)
  }
}
