// SGEMM driver: kernel choice, per-thread packing buffers and the cache-blocking loops.
// The loop structure and packed layouts are described in sgemm_internal.h.

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "CKernels.h"
#include "sgemm_internal.h"

// MARK: - Kernel choice

static const bn_sgemm_kernel_desc *kernel_desc(int kernel) {
  switch (kernel) {
  case BN_SGEMM_PORTABLE:
    return &bn_sgemm_portable;
#if defined(__x86_64__)
  case BN_SGEMM_AVX2_FMA:
    return &bn_sgemm_avx2;
  case BN_SGEMM_AVX512:
    return &bn_sgemm_avx512;
#endif
  default:
    return NULL;
  }
}

int bn_sgemm_kernel_available(int kernel) {
  switch (kernel) {
  case BN_SGEMM_PORTABLE:
    return 1;
#if defined(__x86_64__)
  case BN_SGEMM_AVX2_FMA:
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  case BN_SGEMM_AVX512:
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
#endif
  default:
    return 0;
  }
}

int bn_sgemm_best_kernel(void) {
  for (int kernel = BN_SGEMM_KERNEL_COUNT - 1; kernel > 0; kernel--) {
    if (bn_sgemm_kernel_available(kernel)) return kernel;
  }
  return BN_SGEMM_PORTABLE;
}

const char *bn_sgemm_kernel_name(int kernel) {
  const bn_sgemm_kernel_desc *desc = kernel_desc(kernel);
  return desc ? desc->name : "";
}

long bn_sgemm_kernel_tile_rows(int kernel) {
  const bn_sgemm_kernel_desc *desc = kernel_desc(kernel);
  return desc ? desc->mr : 1;
}

long bn_sgemm_kernel_tile_cols(int kernel) {
  const bn_sgemm_kernel_desc *desc = kernel_desc(kernel);
  return desc ? desc->nr : 1;
}

// MARK: - Per-thread packing buffers
//
// Each thread keeps its two packing buffers between calls (grown when a call needs more),
// so the hot path never allocates; they are freed when the thread exits.

typedef struct {
  float *buffer[2];
  size_t capacity[2];
} workspace;

static pthread_key_t workspace_key;
static pthread_once_t workspace_once = PTHREAD_ONCE_INIT;

static void free_workspace(void *pointer) {
  workspace *space = pointer;
  free(space->buffer[0]);
  free(space->buffer[1]);
  free(space);
}

static void make_workspace_key(void) {
  if (pthread_key_create(&workspace_key, free_workspace) != 0) {
    fprintf(stderr, "CKernels: cannot create the SGEMM workspace key\n");
    abort();
  }
}

/// This thread's buffer `slot` (0 for A, 1 for B), with room for at least `count` floats,
/// aligned to 64 bytes.
static float *reserve(int slot, size_t count) {
  pthread_once(&workspace_once, make_workspace_key);
  workspace *space = pthread_getspecific(workspace_key);
  if (!space) {
    space = calloc(1, sizeof(workspace));
    if (!space || pthread_setspecific(workspace_key, space) != 0) {
      fprintf(stderr, "CKernels: cannot allocate the SGEMM workspace\n");
      abort();
    }
  }
  if (space->capacity[slot] < count) {
    free(space->buffer[slot]);
    size_t bytes = (count * sizeof(float) + 63) / 64 * 64;
    space->buffer[slot] = aligned_alloc(64, bytes);
    if (!space->buffer[slot]) {
      fprintf(stderr, "CKernels: cannot allocate %zu bytes of SGEMM packing buffer\n", bytes);
      abort();
    }
    space->capacity[slot] = count;
  }
  return space->buffer[slot];
}

// MARK: - Blocking loops

static long min_long(long x, long y) { return x < y ? x : y; }
static long round_up(long x, long multiple) { return (x + multiple - 1) / multiple * multiple; }

/// The K block: k split into equal blocks no larger than the kernel's kc. It depends on k
/// alone, so the order of the sum over k never depends on the output split.
static long k_block(long k, long kc_max) {
  long blocks = (k + kc_max - 1) / kc_max;
  return (k + blocks - 1) / blocks;
}

/// Packs `count` lanes of panels, `width` lanes each (zero padded), and `kc` steps of p:
/// packed[panel * kc * width + p * width + i] = element (lane0 + panel * width + i, p0 + p),
/// where element (lane, p) is src[lane * ld + p] when `along_rows`, else src[p * ld + lane].
///
/// A is packed with lanes = rows of op(A) (along_rows when A is not transposed), B with
/// lanes = columns of op(B) (along_rows when B is transposed). The along-rows case is a
/// transpose and goes to the kernel's SIMD routine when it has one.
static void pack_panels(const bn_sgemm_kernel_desc *desc, int along_rows, const float *src,
                        long ld, long lane0, long count, long p0, long kc, float *packed,
                        long width) {
  const long panel_size = kc * width;
  if (!along_rows) {
    // Each step of p is a contiguous run of the stored row: read it once, left to right,
    // and deal it out to the panels.
    for (long p = 0; p < kc; p++) {
      const float *run = src + (p0 + p) * ld + lane0;
      float *out = packed + p * width;
      long l0 = 0;
      for (; l0 + width <= count; l0 += width, out += panel_size) {
        for (long i = 0; i < width; i++) out[i] = run[l0 + i];
      }
      if (l0 < count) {
        for (long i = 0; i < count - l0; i++) out[i] = run[l0 + i];
        for (long i = count - l0; i < width; i++) out[i] = 0;
      }
    }
    return;
  }
  for (long l0 = 0; l0 < count; l0 += width, packed += panel_size) {
    const long valid = min_long(width, count - l0);
    const float *rows = src + (lane0 + l0) * ld + p0;
    if (desc->rows_to_lanes) {
      const long step = desc->lanes_per_call;
      for (long h = 0; h < width; h += step) {
        const long filled = valid - h < 0 ? 0 : min_long(step, valid - h);
        desc->rows_to_lanes(filled > 0 ? rows + h * ld : rows, ld, filled, kc, packed + h, width,
                            min_long(step, width - h));
      }
    } else {
      for (long p = 0; p < kc; p++) {
        for (long i = 0; i < valid; i++) packed[p * width + i] = rows[i * ld + p];
        for (long i = valid; i < width; i++) packed[p * width + i] = 0;
      }
    }
  }
}

/// The tile loops; B comes packed whole in `prepacked_b` (see bn_sgemm_pack_b) when it is not
/// NULL, else each block of it is packed here.
static void sgemm_tile(int kernel, int trans_a, int trans_b, long k, float alpha, const float *a,
                       long lda, const float *b, long ldb, const float *prepacked_b,
                       long packed_width, const float *bias, float beta, float *c, long ldc,
                       long row_begin, long row_end, long col_begin, long col_end) {
  if (row_end <= row_begin || col_end <= col_begin) return;
  if (k <= 0) {
    // No products to sum: the same write-back with acc = 0.
    for (long i = row_begin; i < row_end; i++) {
      for (long j = col_begin; j < col_end; j++) {
        float t = alpha * 0.0f;
        c[i * ldc + j] = bias ? t + bias[j] : beta == 0 ? t : t + beta * c[i * ldc + j];
      }
    }
    return;
  }
  const bn_sgemm_kernel_desc *desc = kernel_desc(kernel);
  if (!desc) desc = &bn_sgemm_portable;
  const long mr = desc->mr, nr = desc->nr;
  const long kc_step = k_block(k, desc->kc);
  const long mc_step = desc->mc / mr * mr;
  const long nc_step = desc->nc / nr * nr;
  float *packed_a =
      reserve(0, (size_t)(kc_step * min_long(mc_step, round_up(row_end - row_begin, mr))));
  float *packed_b =
      prepacked_b ? NULL
                  : reserve(1, (size_t)(kc_step * min_long(nc_step, round_up(col_end - col_begin, nr))));

  for (long jc = col_begin; jc < col_end; jc += nc_step) {
    const long nc = min_long(nc_step, col_end - jc);
    for (long pc = 0; pc < k; pc += kc_step) {
      const long kc = min_long(kc_step, k - pc);
      const float beta_block = pc == 0 ? beta : 1;
      if (prepacked_b) {
        // Block pc of the whole packed B starts at pc * packed_width; panel jc / nr within it.
        packed_b = (float *)prepacked_b + pc * packed_width + jc * kc;
      } else {
        pack_panels(desc, trans_b, b, ldb, jc, nc, pc, kc, packed_b, nr);
      }
      for (long ic = row_begin; ic < row_end; ic += mc_step) {
        const long mc = min_long(mc_step, row_end - ic);
        pack_panels(desc, !trans_a, a, lda, ic, mc, pc, kc, packed_a, mr);
        for (long jr = 0; jr < nc; jr += nr) {
          // The first K block adds the bias in its write-back (C = t + bias, bitwise C filled
          // with the bias and then C = t + 1 * C); later blocks add onto C.
          const float *tile_bias = bias && pc == 0 ? bias + jc + jr : NULL;
          for (long ir = 0; ir < mc; ir += mr) {
            desc->micro(kc, packed_a + ir * kc, packed_b + jr * kc, c + (ic + ir) * ldc + jc + jr,
                        ldc, min_long(mr, mc - ir), min_long(nr, nc - jr), alpha, beta_block,
                        tile_bias);
          }
        }
      }
    }
  }
}

void bn_sgemm_tile(int kernel, int trans_a, int trans_b, long k, float alpha, const float *a,
                   long lda, const float *b, long ldb, const float *bias, float beta, float *c,
                   long ldc, long row_begin, long row_end, long col_begin, long col_end) {
  sgemm_tile(kernel, trans_a, trans_b, k, alpha, a, lda, b, ldb, NULL, 0, bias, beta, c, ldc,
             row_begin, row_end, col_begin, col_end);
}

// MARK: - B packed once

long bn_sgemm_packed_b_count(int kernel, long k, long n) {
  const bn_sgemm_kernel_desc *desc = kernel_desc(kernel);
  if (!desc) desc = &bn_sgemm_portable;
  return k * round_up(n, desc->nr);
}

void bn_sgemm_pack_b(int kernel, int trans_b, long k, long n, const float *b, long ldb,
                     float *packed, long col_begin, long col_end) {
  const bn_sgemm_kernel_desc *desc = kernel_desc(kernel);
  if (!desc) desc = &bn_sgemm_portable;
  const long kc_step = k_block(k, desc->kc);
  const long width = round_up(n, desc->nr);
  for (long pc = 0; pc < k; pc += kc_step) {
    const long kc = min_long(kc_step, k - pc);
    // The panels of columns [col_begin, col_end) of K block pc, as bn_sgemm_tile packs them.
    pack_panels(desc, trans_b, b, ldb, col_begin, col_end - col_begin, pc, kc,
                packed + pc * width + col_begin * kc, desc->nr);
  }
}

void bn_sgemm_tile_packed_b(int kernel, int trans_a, long k, long n, float alpha, const float *a,
                            long lda, const float *packed_b, const float *bias, float beta,
                            float *c, long ldc, long row_begin, long row_end, long col_begin,
                            long col_end) {
  const bn_sgemm_kernel_desc *desc = kernel_desc(kernel);
  if (!desc) desc = &bn_sgemm_portable;
  sgemm_tile(kernel, trans_a, 0, k, alpha, a, lda, NULL, 0, packed_b, round_up(n, desc->nr), bias,
             beta, c, ldc, row_begin, row_end, col_begin, col_end);
}
