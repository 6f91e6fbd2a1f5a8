#ifndef BERTNOTEBOOK_CKERNELS_H
#define BERTNOTEBOOK_CKERNELS_H

#include <stddef.h>

/// C = alpha * op(A) * op(B) + beta * C, all row-major Float32.
/// op(A) is m x k (A is k x m when trans_a), op(B) is k x n (B is n x k when trans_b).
/// Rows [row_begin, row_end) of C only, so callers can split work by output rows.
void bn_sgemm_rows(int trans_a, int trans_b, long m, long n, long k, float alpha,
                   const float *a, long lda, const float *b, long ldb, float beta,
                   float *c, long ldc, long row_begin, long row_end);

/// The name of the kernel that bn_sgemm_rows uses on this CPU ("portable", "avx2-fma", ...).
const char *bn_sgemm_kernel_name(void);

#endif
