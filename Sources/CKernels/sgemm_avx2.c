// AVX2 + FMA SGEMM kernel: a 6 x 16 tile of C in 12 ymm accumulators.
//
// Compiled with function-level target attributes so the rest of the library stays
// baseline x86-64; sgemm.c calls it only when the CPU reports AVX2 and FMA.
//
// Per step p of the reduction: two 8-float loads of the packed B row, then for each of the
// 6 rows one broadcast of A and two FMAs: 12 accumulators + 2 B values + 1 broadcast use
// 15 of the 16 ymm registers, so the accumulators never spill.

#if defined(__x86_64__)

#include <immintrin.h>

#include "sgemm_internal.h"

#define MR 6
#define NR 16
#define TARGET __attribute__((target("avx2,fma")))

// MARK: - Write-back

/// Writes one row of the tile: C = t + bias (with a bias), else C = t (beta == 0) or
/// C = t + beta * C, t = alpha * acc.
static inline __attribute__((always_inline)) TARGET void
store_row(float *c, __m256 acc0, __m256 acc1, __m256i mask0, __m256i mask1, float alpha,
          float beta, const float *bias) {
  if (alpha != 1) {
    __m256 va = _mm256_set1_ps(alpha);
    acc0 = _mm256_mul_ps(va, acc0);
    acc1 = _mm256_mul_ps(va, acc1);
  }
  if (bias) {
    acc0 = _mm256_add_ps(acc0, _mm256_maskload_ps(bias, mask0));
    acc1 = _mm256_add_ps(acc1, _mm256_maskload_ps(bias + 8, mask1));
  } else if (beta != 0) {
    __m256 vb = _mm256_set1_ps(beta);
    acc0 = _mm256_add_ps(acc0, _mm256_mul_ps(vb, _mm256_maskload_ps(c, mask0)));
    acc1 = _mm256_add_ps(acc1, _mm256_mul_ps(vb, _mm256_maskload_ps(c + 8, mask1)));
  }
  _mm256_maskstore_ps(c, mask0, acc0);
  _mm256_maskstore_ps(c + 8, mask1, acc1);
}

// MARK: - Micro-kernel

#define DECLARE_ROW(i)                                                                       \
  __m256 c##i##0 = _mm256_setzero_ps();                                                      \
  __m256 c##i##1 = _mm256_setzero_ps();

#define UPDATE_ROW(i)                                                                        \
  {                                                                                          \
    __m256 ai = _mm256_broadcast_ss(pa + i);                                                 \
    c##i##0 = _mm256_fmadd_ps(ai, b0, c##i##0);                                              \
    c##i##1 = _mm256_fmadd_ps(ai, b1, c##i##1);                                              \
  }

#define STORE_ROW(i)                                                                         \
  if (i < rows) store_row(c + i * ldc, c##i##0, c##i##1, mask0, mask1, alpha, beta, bias);

TARGET static void micro_kernel(long kc, const float *pa, const float *pb, float *c, long ldc,
                                long rows, long cols, float alpha, float beta,
                                const float *bias) {
  DECLARE_ROW(0) DECLARE_ROW(1) DECLARE_ROW(2) DECLARE_ROW(3) DECLARE_ROW(4) DECLARE_ROW(5)
  // Ask for the tile of C now, so that it has arrived by the write-back.
  for (long i = 0; i < rows; i++) {
    _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch((const char *)(c + i * ldc + NR - 1), _MM_HINT_T0);
  }
  for (long p = 0; p < kc; p++) {
    __m256 b0 = _mm256_load_ps(pb);
    __m256 b1 = _mm256_load_ps(pb + 8);
    UPDATE_ROW(0) UPDATE_ROW(1) UPDATE_ROW(2) UPDATE_ROW(3) UPDATE_ROW(4) UPDATE_ROW(5)
    pa += MR;
    pb += NR;
  }
  // Lane j of the masks is all ones when column j (or 8 + j) is inside the tile.
  __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  __m256i mask0 = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)cols), lanes);
  __m256i mask1 = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)cols - 8), lanes);
  STORE_ROW(0) STORE_ROW(1) STORE_ROW(2) STORE_ROW(3) STORE_ROW(4) STORE_ROW(5)
}

// MARK: - Packing

/// Transposes the 8 x 8 block held in r[0..7] (row i in r[i]) in place, so that r[q] holds
/// column q: pairs of rows, then quads within 128-bit lanes, then the two lanes.
static inline __attribute__((always_inline)) TARGET void transpose8(__m256 r[8]) {
  __m256 t[8];
  for (int i = 0; i < 4; i++) {
    t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  // Lane L of r[4i + j] becomes column 4L + j of rows 4i..4i+3.
  for (int i = 0; i < 2; i++) {
    r[4 * i + 0] = _mm256_shuffle_ps(t[4 * i + 0], t[4 * i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    r[4 * i + 1] = _mm256_shuffle_ps(t[4 * i + 0], t[4 * i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    r[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    r[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int j = 0; j < 4; j++) {
    t[j] = _mm256_permute2f128_ps(r[j], r[4 + j], 0x20);
    t[4 + j] = _mm256_permute2f128_ps(r[j], r[4 + j], 0x31);
  }
  for (int q = 0; q < 8; q++) r[q] = t[q];
}

/// The transposing copy of packing (see bn_rows_to_lanes), up to 8 lanes: 8 values of p at
/// a time go through one 8 x 8 transpose; masked loads and stores take the edges.
TARGET static void rows_to_lanes(const float *src, long ld, long rows, long kc, float *out,
                                 long stride, long lanes) {
  const __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i lane_mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)lanes), index);
  for (long p = 0; p < kc; p += 8) {
    const long count = kc - p < 8 ? kc - p : 8;
    const __m256i load_mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), index);
    __m256 r[8];
    for (int i = 0; i < 8; i++) {
      r[i] = i < rows ? _mm256_maskload_ps(src + i * ld + p, load_mask) : _mm256_setzero_ps();
    }
    transpose8(r);
    for (int q = 0; q < count; q++) _mm256_maskstore_ps(out + (p + q) * stride, lane_mask, r[q]);
  }
}

const bn_sgemm_kernel_desc bn_sgemm_avx2 = {
    .name = "avx2-fma",
    .mr = MR,
    .nr = NR,
    .kc = 256,
    .mc = 120,
    .nc = 2048,
    .micro = micro_kernel,
    .rows_to_lanes = rows_to_lanes,
    .lanes_per_call = 8,
};

#endif
