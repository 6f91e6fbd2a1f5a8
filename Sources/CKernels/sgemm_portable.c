// Portable SGEMM kernel: plain C that the compiler vectorises for the target it builds for
// (NEON on arm64, SSE2 on baseline x86-64).
//
// The tile is sized for the register file: 8 x 12 on arm64 (24 of the 32 q registers hold
// the accumulators; clang turns the update into lane-indexed fmla), 4 x 8 on x86-64 (8 of the
// 16 xmm registers: without FMA each update also needs a scratch register for the product,
// and a 6 x 8 tile spills), 4 x 4 elsewhere.

#include <stddef.h>

#include "sgemm_internal.h"

#if defined(__aarch64__)
#define MR 8
#define NR 12
#elif defined(__x86_64__)
#define MR 4
#define NR 8
#else
#define MR 4
#define NR 4
#endif

// One fused multiply-add where the hardware has it (always on arm64), else multiply then
// add; the choice is made at compile time, so every tile rounds the same way.
#if defined(__aarch64__) || defined(__FMA__)
#define MULTIPLY_ADD(a, b, c) __builtin_fmaf((a), (b), (c))
#else
#define MULTIPLY_ADD(a, b, c) ((a) * (b) + (c))
#endif

// MARK: - Micro-kernel

static void micro_kernel(long kc, const float *restrict pa, const float *restrict pb,
                         float *restrict c, long ldc, long rows, long cols, float alpha,
                         float beta, const float *restrict bias) {
  float acc[MR][NR] = {{0}};
  for (long p = 0; p < kc; p++) {
    for (int i = 0; i < MR; i++) {
      float ai = pa[p * MR + i];
      for (int j = 0; j < NR; j++) acc[i][j] = MULTIPLY_ADD(ai, pb[p * NR + j], acc[i][j]);
    }
  }
  // Write-back: C = t + bias[j] (with a bias), else C = t (beta == 0) or C = t + beta * C,
  // t = alpha * acc.
  for (long i = 0; i < rows; i++) {
    float *row = c + i * ldc;
    for (long j = 0; j < cols; j++) {
      float t = alpha * acc[i][j];
      row[j] = bias ? t + bias[j] : beta == 0 ? t : t + beta * row[j];
    }
  }
}

const bn_sgemm_kernel_desc bn_sgemm_portable = {
    .name = "portable",
    .mr = MR,
    .nr = NR,
    .kc = 256,
    .mc = 120,
    .nc = 2048,
    .micro = micro_kernel,
    .rows_to_lanes = NULL,
    .lanes_per_call = 0,
};
