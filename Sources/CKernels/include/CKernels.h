#ifndef BERTNOTEBOOK_CKERNELS_H
#define BERTNOTEBOOK_CKERNELS_H

/// The SGEMM kernels, by identifier. Which ones run depends on the CPU
/// (see bn_sgemm_kernel_available); BN_SGEMM_PORTABLE always runs.
enum {
  BN_SGEMM_PORTABLE = 0,  ///< plain C, vectorised by the compiler (NEON on arm64)
  BN_SGEMM_AVX2_FMA = 1,  ///< x86-64 with AVX2 and FMA, 6 x 16 register tile
  BN_SGEMM_AVX512 = 2,    ///< x86-64 with AVX-512F, 12 x 32 register tile
  BN_SGEMM_KERNEL_COUNT = 3
};

/// 1 when `kernel` is a known identifier and this CPU can run it, else 0.
int bn_sgemm_kernel_available(int kernel);

/// The fastest kernel this CPU can run (checked once with __builtin_cpu_supports on x86-64).
int bn_sgemm_best_kernel(void);

/// The kernel's name ("portable", "avx2-fma", "avx512"), or "" for an unknown identifier.
const char *bn_sgemm_kernel_name(int kernel);

/// The kernel's register tile: rows and columns of C one micro-kernel call produces.
/// Splitting work at multiples of these keeps every thread on whole tiles.
long bn_sgemm_kernel_tile_rows(int kernel);
long bn_sgemm_kernel_tile_cols(int kernel);

/// C = alpha * op(A) * op(B) + beta * C on the output tile rows [row_begin, row_end) x
/// columns [col_begin, col_end), all matrices row-major Float32.
///
/// op(A) is m x k (A stored k x m when trans_a), op(B) is k x n (B stored n x k when
/// trans_b); lda, ldb, ldc are the row strides of the stored matrices. When beta == 0, C is
/// not read. Tiles may be computed in any order and on any thread: each element of C gets
/// the same operations, in the same order, whatever tile it falls in, so results are
/// bitwise independent of how the output is split. `kernel` must be available.
///
/// With a `bias` (n floats; NULL for none) the result is C = alpha * op(A) * op(B) + bias on
/// every row, and `beta` is not used: bit for bit what filling every row of C with the bias
/// and calling with beta = 1 gives, since the first K block's write-back computes C = t + bias
/// (t = alpha * the block's sum) and C is never filled in a separate pass.
void bn_sgemm_tile(int kernel, int trans_a, int trans_b, long k, float alpha, const float *a,
                   long lda, const float *b, long ldb, const float *bias, float beta, float *c,
                   long ldc, long row_begin, long row_end, long col_begin, long col_end);

/// B packed once for many products (a weight matrix used again and again): the number of
/// floats the packed form of a k x n op(B) takes for `kernel`.
long bn_sgemm_packed_b_count(int kernel, long k, long n);

/// Packs columns [col_begin, col_end) of op(B) (k x n; B stored n x k when trans_b) into
/// `packed` (bn_sgemm_packed_b_count floats, 64-byte aligned), in the layout bn_sgemm_tile
/// packs B block by block. col_begin and col_end must be multiples of the kernel's tile
/// columns (or col_end = n), so that disjoint ranges can be packed on different threads.
void bn_sgemm_pack_b(int kernel, int trans_b, long k, long n, const float *b, long ldb,
                     float *packed, long col_begin, long col_end);

/// bn_sgemm_tile with B already packed by bn_sgemm_pack_b (same kernel, k and n): the same
/// result, bit for bit, without packing B again. col_begin must be a multiple of the kernel's
/// tile columns.
///
/// `bias` and `beta` as in bn_sgemm_tile.
void bn_sgemm_tile_packed_b(int kernel, int trans_a, long k, long n, float alpha, const float *a,
                            long lda, const float *packed_b, const float *bias, float beta,
                            float *c, long ldc, long row_begin, long row_end, long col_begin,
                            long col_end);

// Vectorised exp, erf, GELU, softmax and layer-norm rows, column sums and the AdamW update.
#include "CKernelsVectorMath.h"

#endif
