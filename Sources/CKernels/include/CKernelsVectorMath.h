#ifndef BERTNOTEBOOK_CKERNELS_VECTOR_MATH_H
#define BERTNOTEBOOK_CKERNELS_VECTOR_MATH_H

// The work the model spends time on outside the matrix products: exp (softmax), erf (GELU),
// the softmax and layer norm of a row, the column sums of a bias gradient, and the AdamW
// update. Plain C loops that the compiler vectorises, built for
// AVX-512, AVX2+FMA or the baseline and chosen once at run time like the SGEMM kernels; every
// variant performs the same IEEE operations per element (the target builds with
// -ffp-contract=off), so the results do not depend on which one runs.
//
// Accuracy: exp within 2 ulp of the correctly rounded value on [-87, 88], exactly 0 below
// -87.3 (where expf would return a subnormal or 0); erf within 3e-7 absolute (Abramowitz and
// Stegun 7.1.26, as PyTorch's vectorised erf, and a Taylor series below |x| = 0.5); GELU within
// 5e-7 absolute.

/// y[i] = exp(x[i]) for i < n; y may be x.
void bn_vec_exp(const float *x, float *y, long n);

/// y[i] = erf(x[i]) for i < n; y may be x.
void bn_vec_erf(const float *x, float *y, long n);

/// y[i] = x[i] * (1 + erf(x[i] / sqrt(2))) / 2 (the exact GELU) for i < n; y may be x.
void bn_vec_gelu(const float *x, float *y, long n);

/// dx[i] = g[i] * (Phi(x[i]) + x[i] * phi(x[i])), the gradient of GELU; dx may be g or x.
void bn_vec_gelu_backward(const float *g, const float *x, float *dx, long n);

/// The softmax of x[0..<n] (n > 0) into y (which may be x): m = max x, y[i] = exp(x[i] - m) / s
/// with s = sum of exp(x[i] - m) accumulated in double (16 lanes, then in order). A row of all
/// -infinity gives zeros with s = 0. Writes m to *maximum and returns s.
double bn_vec_softmax_row(const float *x, float *y, long n, float *maximum);

/// Layer normalisation of one row of n > 0 values: mean and variance (biased, second pass over
/// (x - mean)^2) accumulated in double, 16 lanes each; s = 1 / sqrt(variance + eps) in double;
/// normalized[i] = (float)((x[i] - mean) * s), y[i] = normalized[i] * gamma[i] + beta[i].
/// Returns (float)s. x must not overlap the outputs.
float bn_vec_layer_norm_row(const float *x, const float *gamma, const float *beta, double eps,
                            float *normalized, float *y, long n);

/// The column sums of a row-major matrix: sums[j] += (double)g[r * ld + j] for j < cols, the
/// rows r = 0..<rows added in order (the bias gradient of a layer). g must not overlap sums.
void bn_vec_add_columns(const float *g, long ld, long rows, long cols, double *sums);

/// The per-step constants of an AdamW update (see bn_vec_adamw).
typedef struct {
  float decay;             // 1 - lr * weight_decay, or 1 for a parameter without decay
  float one_minus_beta1;   // 1 - beta1
  float beta2;
  float one_minus_beta2;   // 1 - beta2
  float step_size;         // lr / (1 - beta1^t)
  float correction2_root;  // sqrt(1 - beta2^t)
  float eps;
} bn_adamw_constants;

/// One AdamW step over n elements, in Float, for each i in order of operations:
/// m = m + (1 - beta1) (g - m); v = v beta2 + ((1 - beta2) g) g;
/// p = p decay - step_size (m / (sqrt(v) / correction2_root + eps)).
/// p, g, m and v must not overlap.
void bn_vec_adamw(float *p, const float *g, float *m, float *v, long n,
                  const bn_adamw_constants *constants);

/// Which variant runs: 2 AVX-512, 1 AVX2+FMA, 0 baseline.
int bn_vec_level(void);

#endif
