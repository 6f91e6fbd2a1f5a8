// AVX-512 SGEMM kernel: a 12 x 32 tile of C in 24 zmm accumulators.
//
// Compiled with function-level target attributes so the rest of the library stays
// baseline x86-64; sgemm.c calls it only when the CPU reports AVX-512F.
//
// Per step p of the reduction: two 16-float loads of the packed B row, then for each of the
// 12 rows one broadcast of A (folded into the FMA as a {1to16} memory operand) and two FMAs.
// That is 24 FMAs (768 flops) for 2 loads and 12 broadcasts, leaving 6 zmm registers free,
// so the accumulators never spill.

#if defined(__x86_64__)

#include <immintrin.h>

#include "sgemm_internal.h"

#define MR 12
#define NR 32
#define TARGET __attribute__((target("avx512f")))

// MARK: - Write-back

/// Writes one row of the tile: C = t + bias (with a bias), else C = t (beta == 0) or
/// C = t + beta * C, t = alpha * acc.
static inline __attribute__((always_inline)) TARGET void
store_row(float *c, __m512 acc0, __m512 acc1, __mmask16 mask0, __mmask16 mask1, float alpha,
          float beta, const float *bias) {
  if (alpha != 1) {
    __m512 va = _mm512_set1_ps(alpha);
    acc0 = _mm512_mul_ps(va, acc0);
    acc1 = _mm512_mul_ps(va, acc1);
  }
  if (bias) {
    acc0 = _mm512_add_ps(acc0, _mm512_maskz_loadu_ps(mask0, bias));
    acc1 = _mm512_add_ps(acc1, _mm512_maskz_loadu_ps(mask1, bias + 16));
  } else if (beta != 0) {
    __m512 vb = _mm512_set1_ps(beta);
    acc0 = _mm512_add_ps(acc0, _mm512_mul_ps(vb, _mm512_maskz_loadu_ps(mask0, c)));
    acc1 = _mm512_add_ps(acc1, _mm512_mul_ps(vb, _mm512_maskz_loadu_ps(mask1, c + 16)));
  }
  _mm512_mask_storeu_ps(c, mask0, acc0);
  _mm512_mask_storeu_ps(c + 16, mask1, acc1);
}

// MARK: - Micro-kernel

#define DECLARE_ROW(i)                                                                       \
  __m512 c##i##0 = _mm512_setzero_ps();                                                      \
  __m512 c##i##1 = _mm512_setzero_ps();

#define UPDATE_ROW(i)                                                                        \
  if (i < ROWS) {                                                                            \
    __m512 ai = _mm512_set1_ps(pa[i]);                                                       \
    c##i##0 = _mm512_fmadd_ps(ai, b0, c##i##0);                                              \
    c##i##1 = _mm512_fmadd_ps(ai, b1, c##i##1);                                              \
  }

#define STORE_ROW(i)                                                                         \
  if (i < ROWS && i < rows)                                                                  \
    store_row(c + i * ldc, c##i##0, c##i##1, mask0, mask1, alpha, beta, bias);

/// The micro-kernel for the first ROWS rows of the packed A micro-panel (ROWS is 4, 8 or 12, a
/// constant once inlined): the rows past ROWS are neither multiplied nor stored. Every row it
/// computes goes through the same operations as in the full tile.
static inline __attribute__((always_inline)) TARGET void
micro_rows(const long ROWS, long kc, const float *pa, const float *pb, float *c, long ldc,
           long rows, long cols, float alpha, float beta, const float *bias) {
  DECLARE_ROW(0) DECLARE_ROW(1) DECLARE_ROW(2) DECLARE_ROW(3) DECLARE_ROW(4) DECLARE_ROW(5)
  DECLARE_ROW(6) DECLARE_ROW(7) DECLARE_ROW(8) DECLARE_ROW(9) DECLARE_ROW(10) DECLARE_ROW(11)
  // Ask for the tile of C now, so that it has arrived by the write-back (with a wide C, every
  // row of the tile is a different, uncached part of memory).
  for (long i = 0; i < rows; i++) {
    _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch((const char *)(c + i * ldc + 16), _MM_HINT_T0);
    _mm_prefetch((const char *)(c + i * ldc + NR - 1), _MM_HINT_T0);
  }
  // The next B micro-panel follows this one in the packed block: ask for it line by line while
  // this one is multiplied, so that a block larger than the caches streams in ahead of use.
  const float *next_b = pb + kc * NR;
  for (long p = 0; p < kc; p++) {
    __m512 b0 = _mm512_load_ps(pb);
    __m512 b1 = _mm512_load_ps(pb + 16);
    _mm_prefetch((const char *)(next_b + p * NR), _MM_HINT_T1);
    _mm_prefetch((const char *)(next_b + p * NR + 16), _MM_HINT_T1);
    UPDATE_ROW(0) UPDATE_ROW(1) UPDATE_ROW(2) UPDATE_ROW(3) UPDATE_ROW(4) UPDATE_ROW(5)
    UPDATE_ROW(6) UPDATE_ROW(7) UPDATE_ROW(8) UPDATE_ROW(9) UPDATE_ROW(10) UPDATE_ROW(11)
    pa += MR;
    pb += NR;
  }
  __mmask16 mask0 = cols >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << cols) - 1);
  __mmask16 mask1 = cols >= 32   ? (__mmask16)0xFFFF
                    : cols > 16 ? (__mmask16)((1u << (cols - 16)) - 1)
                                : (__mmask16)0;
  STORE_ROW(0) STORE_ROW(1) STORE_ROW(2) STORE_ROW(3) STORE_ROW(4) STORE_ROW(5)
  STORE_ROW(6) STORE_ROW(7) STORE_ROW(8) STORE_ROW(9) STORE_ROW(10) STORE_ROW(11)
}

/// A tile at the bottom edge of C has fewer than 12 rows (128 tokens are 10 full tiles and 8
/// rows): it runs the 4- or 8-row form rather than multiplying padding.
TARGET static void micro_kernel(long kc, const float *pa, const float *pb, float *c, long ldc,
                                long rows, long cols, float alpha, float beta,
                                const float *bias) {
  if (rows <= 4) {
    micro_rows(4, kc, pa, pb, c, ldc, rows, cols, alpha, beta, bias);
  } else if (rows <= 8) {
    micro_rows(8, kc, pa, pb, c, ldc, rows, cols, alpha, beta, bias);
  } else {
    micro_rows(MR, kc, pa, pb, c, ldc, rows, cols, alpha, beta, bias);
  }
}

// MARK: - Packing

/// Transposes the 16 x 16 block held in r[0..15] (row i in r[i]) in place, so that r[q]
/// holds column q. Four rounds of shuffles: pairs of rows, then quads within 128-bit lanes,
/// then lanes between row groups.
static inline __attribute__((always_inline)) TARGET void transpose16(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 8; i++) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  // Lane L of r[4i + j] becomes column 4L + j of rows 4i..4i+3.
  for (int i = 0; i < 4; i++) {
    r[4 * i + 0] = _mm512_shuffle_ps(t[4 * i + 0], t[4 * i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    r[4 * i + 1] = _mm512_shuffle_ps(t[4 * i + 0], t[4 * i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    r[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    r[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int j = 0; j < 4; j++) {
    t[j] = _mm512_shuffle_f32x4(r[j], r[4 + j], 0x88);
    t[4 + j] = _mm512_shuffle_f32x4(r[j], r[4 + j], 0xdd);
    t[8 + j] = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0x88);
    t[12 + j] = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0xdd);
  }
  for (int j = 0; j < 4; j++) {
    r[j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0x88);
    r[8 + j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0xdd);
    r[4 + j] = _mm512_shuffle_f32x4(t[4 + j], t[12 + j], 0x88);
    r[12 + j] = _mm512_shuffle_f32x4(t[4 + j], t[12 + j], 0xdd);
  }
}

/// The transposing copy of packing (see bn_rows_to_lanes), up to 16 lanes: 16 values of p
/// at a time go through one 16 x 16 transpose; masked loads and stores take the edges.
TARGET static void rows_to_lanes(const float *src, long ld, long rows, long kc, float *out,
                                 long stride, long lanes) {
  const __mmask16 lane_mask = (__mmask16)((1u << lanes) - 1);
  for (long p = 0; p < kc; p += 16) {
    const long count = kc - p < 16 ? kc - p : 16;
    const __mmask16 load_mask = (__mmask16)((1u << count) - 1);
    __m512 r[16];
    for (int i = 0; i < 16; i++) {
      r[i] = i < rows ? _mm512_maskz_loadu_ps(load_mask, src + i * ld + p) : _mm512_setzero_ps();
    }
    transpose16(r);
    for (int q = 0; q < count; q++) _mm512_mask_storeu_ps(out + (p + q) * stride, lane_mask, r[q]);
  }
}

// Cache blocks: a kc x 32 B micro-panel fills about the 48 KB L1 of recent Xeons (it is
// re-read for every A micro-panel of the block and the L2 prefetcher keeps up with the
// excess), the 480 x kc A block sits in a 2 MB L2. Picked from runs of kc 192..1024 and
// mc 240..960 on this machine's Xeon (kc 384-512 with mc 480 came out ahead).
const bn_sgemm_kernel_desc bn_sgemm_avx512 = {
    .name = "avx512",
    .mr = MR,
    .nr = NR,
    .kc = 384,
    .mc = 480,
    .nc = 4096,
    .micro = micro_kernel,
    .rows_to_lanes = rows_to_lanes,
    .lanes_per_call = 16,
};

#endif
