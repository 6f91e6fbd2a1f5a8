// Placeholder portable kernel; the fast kernels replace this file's body.
#include "CKernels.h"

void bn_sgemm_rows(int trans_a, int trans_b, long m, long n, long k, float alpha,
                   const float *a, long lda, const float *b, long ldb, float beta,
                   float *c, long ldc, long row_begin, long row_end) {
  (void)m;
  for (long i = row_begin; i < row_end; i++) {
    for (long j = 0; j < n; j++) {
      float sum = 0;
      for (long p = 0; p < k; p++) {
        float av = trans_a ? a[p * lda + i] : a[i * lda + p];
        float bv = trans_b ? b[j * ldb + p] : b[p * ldb + j];
        sum += av * bv;
      }
      c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j]);
    }
  }
}

const char *bn_sgemm_kernel_name(void) { return "portable"; }
