// Vectorised exp, erf, GELU, softmax and layer-norm rows, column sums and the AdamW update
// (see include/CKernelsVectorMath.h).
//
// Each routine is written once, as always-inline loops with no branches in their bodies, and
// instantiated three times: with AVX-512 and with AVX2+FMA target attributes (the compiler
// vectorises the loops for that width) and for the baseline. The dispatcher picks the widest
// the CPU has, once.
//
// exp(x): n = round(x / ln 2), r = x - n ln 2 (ln 2 in two parts so r is exact), then
// exp(r) by its degree-6 minimax polynomial on [-ln2/2, ln2/2] (Cephes' expf coefficients),
// times 2^n built in the exponent bits.
//
// erf(x) = sign(x) (1 - t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) exp(-x^2)), t = 1 / (1 + p |x|)
// (Abramowitz and Stegun 7.1.26, |error| <= 1.5e-7, the formula of PyTorch's vectorised erf) for
// |x| >= 0.5, and its Taylor series below, where that formula cancels.

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "CKernelsVectorMath.h"

#define INLINE static inline __attribute__((always_inline))

// MARK: - Scalar building blocks (inlined into the vector loops)

INLINE float bits_to_float(int32_t bits) {
  float value;
  memcpy(&value, &bits, sizeof value);
  return value;
}

INLINE float exp_core(float x) {
  const float lowest = -87.33654f;  // below this expf is subnormal or 0: return 0
  const float highest = 88.0f;
  float clamped = x < lowest ? lowest : (x > highest ? highest : x);
  // n = round(x / ln 2): adding and subtracting 1.5 * 2^23 rounds to the nearest integer.
  const float magic = 12582912.0f;
  float n = (clamped * 1.44269504088896341f + magic) - magic;
  float r = clamped - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float r2 = r * r;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  float y = p * r2 + r + 1.0f;
  float scale = bits_to_float(((int32_t)n + 127) << 23);
  y = y * scale;
  return x < lowest ? 0.0f : y;
}

INLINE float erf_core(float x) {
  float a = x < 0 ? -x : x;
  // |x| >= 0.5: Abramowitz and Stegun 7.1.26.
  float t = 1.0f / (1.0f + 0.3275911f * a);
  float p = 1.061405429f;
  p = p * t + -1.453152027f;
  p = p * t + 1.421413741f;
  p = p * t + -0.284496736f;
  p = p * t + 0.254829592f;
  float far = 1.0f - p * t * exp_core(-(a * a));
  // |x| < 0.5: the Taylor series 2/sqrt(pi) (x - x^3/3 + x^5/10 - ... + x^13/9360), where the
  // formula above would lose its accuracy to the cancellation in 1 - (nearly 1).
  float a2 = a * a;
  float q = 1.0f / 9360.0f;
  q = q * a2 + -1.0f / 1320.0f;
  q = q * a2 + 1.0f / 216.0f;
  q = q * a2 + -1.0f / 42.0f;
  q = q * a2 + 1.0f / 10.0f;
  q = q * a2 + -1.0f / 3.0f;
  q = q * a2 + 1.0f;
  float near = 1.12837916709551257f * a * q;
  float y = a < 0.5f ? near : far;
  return x < 0 ? -y : y;
}

INLINE float gelu_core(float x) {
  return x * 0.5f * (1.0f + erf_core(x * 0.70710678118654752f));
}

INLINE float gelu_backward_core(float g, float x) {
  float cumulative = 0.5f * (1.0f + erf_core(x * 0.70710678118654752f));
  float density = exp_core(-0.5f * x * x) * 0.39894228040143268f;
  return g * (cumulative + x * density);
}

// MARK: - Loops

INLINE void exp_loop(const float *x, float *y, long n) {
  for (long i = 0; i < n; i++) y[i] = exp_core(x[i]);
}

INLINE void erf_loop(const float *x, float *y, long n) {
  for (long i = 0; i < n; i++) y[i] = erf_core(x[i]);
}

INLINE void gelu_loop(const float *x, float *y, long n) {
  for (long i = 0; i < n; i++) y[i] = gelu_core(x[i]);
}

INLINE void gelu_backward_loop(const float *g, const float *x, float *dx, long n) {
  for (long i = 0; i < n; i++) dx[i] = gelu_backward_core(g[i], x[i]);
}

#define LANES 16

INLINE double softmax_row(const float *x, float *v, long n, float *maximum) {
  // m = max v, in 16 lanes then across them (max is exact, so the grouping does not matter).
  float lanes[LANES];
  for (int j = 0; j < LANES; j++) lanes[j] = -INFINITY;
  long blocked = n - n % LANES;
  for (long i = 0; i < blocked; i += LANES) {
    for (int j = 0; j < LANES; j++) lanes[j] = x[i + j] > lanes[j] ? x[i + j] : lanes[j];
  }
  float m = -INFINITY;
  for (int j = 0; j < LANES; j++) m = lanes[j] > m ? lanes[j] : m;
  for (long i = blocked; i < n; i++) m = x[i] > m ? x[i] : m;
  *maximum = m;
  if (m == -INFINITY) {
    for (long i = 0; i < n; i++) v[i] = 0;
    return 0;
  }
  // v = exp(x - m); s = sum in double, lane j holding the elements i = j (mod 16) in order.
  double sums[LANES];
  for (int j = 0; j < LANES; j++) sums[j] = 0;
  // The block's exponentials go to a local first: with v[i + j] stored between the loads of
  // x (v may be x), the compiler could not widen the loop, and it ran one element at a time.
  for (long i = 0; i < blocked; i += LANES) {
    float e[LANES];
    for (int j = 0; j < LANES; j++) e[j] = exp_core(x[i + j] - m);
    for (int j = 0; j < LANES; j++) v[i + j] = e[j];
    for (int j = 0; j < LANES; j++) sums[j] += (double)e[j];
  }
  for (long i = blocked; i < n; i++) {
    float e = exp_core(x[i] - m);
    v[i] = e;
    sums[i - blocked] += (double)e;
  }
  double s = 0;
  for (int j = 0; j < LANES; j++) s += sums[j];
  float inverse = (float)(1.0 / s);
  for (long i = 0; i < n; i++) v[i] *= inverse;
  return s;
}

INLINE float layer_norm_row(const float *x, const float *gamma, const float *beta, double eps,
                           float *normalized, float *y, long n) {
  // mean and variance in double, 16 lanes each (lane j holds i = j mod 16, in order), the
  // variance in a second pass over (x - mean)^2.
  long blocked = n - n % LANES;
  double sums[LANES];
  for (int j = 0; j < LANES; j++) sums[j] = 0;
  for (long i = 0; i < blocked; i += LANES) {
    for (int j = 0; j < LANES; j++) sums[j] += (double)x[i + j];
  }
  for (long i = blocked; i < n; i++) sums[i - blocked] += (double)x[i];
  double total = 0;
  for (int j = 0; j < LANES; j++) total += sums[j];
  double mean = total / (double)n;
  for (int j = 0; j < LANES; j++) sums[j] = 0;
  for (long i = 0; i < blocked; i += LANES) {
    for (int j = 0; j < LANES; j++) {
      double deviation = (double)x[i + j] - mean;
      sums[j] += deviation * deviation;
    }
  }
  for (long i = blocked; i < n; i++) {
    double deviation = (double)x[i] - mean;
    sums[i - blocked] += deviation * deviation;
  }
  double squares = 0;
  for (int j = 0; j < LANES; j++) squares += sums[j];
  double inverse = 1.0 / sqrt(squares / (double)n + eps);
  for (long i = 0; i < n; i++) {
    float value = (float)(((double)x[i] - mean) * inverse);
    normalized[i] = value;
    y[i] = value * gamma[i] + beta[i];
  }
  return (float)inverse;
}

// MARK: - Column sums

// sums[j] += g[r * ld + j] in double for every row r in order: the bias gradient. Blocks of
// 1024 columns, so that their sums (8 KB) stay in L1 while each row adds its run of the block;
// every column still adds its rows in order, as the plain double loop does.
INLINE void add_columns_loop(const float *restrict g, long ld, long rows, long cols,
                             double *restrict sums) {
  for (long j0 = 0; j0 < cols; j0 += 1024) {
    const long width = cols - j0 < 1024 ? cols - j0 : 1024;
    double *restrict s = sums + j0;
    for (long r = 0; r < rows; r++) {
      const float *restrict row = g + r * ld + j0;
      for (long j = 0; j < width; j++) s[j] += (double)row[j];
    }
  }
}

// MARK: - AdamW

// One AdamW update per element, in the operations and order of TensorCore's readable
// AdamWUpdate.updated: Float throughout, nothing fused (the target builds with
// -ffp-contract=off), and sqrt and division correctly rounded in every variant.
INLINE void adamw_loop(float *restrict p, const float *restrict g, float *restrict m,
                       float *restrict v, long n, const bn_adamw_constants *k) {
  const float decay = k->decay, one_minus_beta1 = k->one_minus_beta1, beta2 = k->beta2;
  const float one_minus_beta2 = k->one_minus_beta2, step_size = k->step_size;
  const float correction2_root = k->correction2_root, eps = k->eps;
  for (long i = 0; i < n; i++) {
    const float gi = g[i];
    const float pi = p[i] * decay;
    const float mi = m[i] + one_minus_beta1 * (gi - m[i]);
    const float vi = v[i] * beta2 + one_minus_beta2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    // __builtin_elementwise_sqrt is sqrt without errno, so the loop vectorises.
    p[i] = pi - step_size * (mi / (__builtin_elementwise_sqrt(vi) / correction2_root + eps));
  }
}

// MARK: - Variants

#define DEFINE_VARIANT(suffix, attributes)                                                     \
  attributes static void exp_##suffix(const float *x, float *y, long n) { exp_loop(x, y, n); } \
  attributes static void erf_##suffix(const float *x, float *y, long n) { erf_loop(x, y, n); } \
  attributes static void gelu_##suffix(const float *x, float *y, long n) { gelu_loop(x, y, n); } \
  attributes static void gelu_backward_##suffix(const float *g, const float *x, float *dx,     \
                                                long n) {                                      \
    gelu_backward_loop(g, x, dx, n);                                                           \
  }                                                                                            \
  attributes static double softmax_##suffix(const float *x, float *y, long n, float *maximum) { \
    return softmax_row(x, y, n, maximum);                                                         \
  }                                                                                            \
  attributes static void add_columns_##suffix(const float *g, long ld, long rows, long cols,     \
                                              double *sums) {                                  \
    add_columns_loop(g, ld, rows, cols, sums);                                                 \
  }                                                                                            \
  attributes static float layer_norm_##suffix(const float *x, const float *gamma,              \
                                              const float *beta, double eps, float *normalized, \
                                              float *y, long n) {                              \
    return layer_norm_row(x, gamma, beta, eps, normalized, y, n);                              \
  }                                                                                            \
  attributes static void adamw_##suffix(float *p, const float *g, float *m, float *v, long n,   \
                                        const bn_adamw_constants *k) {                         \
    adamw_loop(p, g, m, v, n, k);                                                              \
  }

DEFINE_VARIANT(baseline, )
#if defined(__x86_64__)
DEFINE_VARIANT(avx2, __attribute__((target("avx2,fma"))))
DEFINE_VARIANT(avx512, __attribute__((target("avx512f,avx512dq"))))
#endif

// MARK: - Dispatch

static int detect_level(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return 2;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
  return 0;
}

int bn_vec_level(void) {
  static int level = -1;
  int known = __atomic_load_n(&level, __ATOMIC_RELAXED);
  if (known < 0) {
    known = detect_level();
    __atomic_store_n(&level, known, __ATOMIC_RELAXED);
  }
  return known;
}

#if defined(__x86_64__)
#define DISPATCH(name, ...)                                 \
  switch (bn_vec_level()) {                                 \
  case 2: return name##_avx512(__VA_ARGS__);                \
  case 1: return name##_avx2(__VA_ARGS__);                  \
  default: return name##_baseline(__VA_ARGS__);             \
  }
#else
#define DISPATCH(name, ...) return name##_baseline(__VA_ARGS__);
#endif

void bn_vec_exp(const float *x, float *y, long n) { DISPATCH(exp, x, y, n) }
void bn_vec_erf(const float *x, float *y, long n) { DISPATCH(erf, x, y, n) }
void bn_vec_gelu(const float *x, float *y, long n) { DISPATCH(gelu, x, y, n) }
void bn_vec_gelu_backward(const float *g, const float *x, float *dx, long n) {
  DISPATCH(gelu_backward, g, x, dx, n)
}
double bn_vec_softmax_row(const float *x, float *y, long n, float *maximum) {
  DISPATCH(softmax, x, y, n, maximum)
}
float bn_vec_layer_norm_row(const float *x, const float *gamma, const float *beta, double eps,
                            float *normalized, float *y, long n) {
  DISPATCH(layer_norm, x, gamma, beta, eps, normalized, y, n)
}
void bn_vec_add_columns(const float *g, long ld, long rows, long cols, double *sums) {
  DISPATCH(add_columns, g, ld, rows, cols, sums)
}
void bn_vec_adamw(float *p, const float *g, float *m, float *v, long n,
                  const bn_adamw_constants *constants) {
  DISPATCH(adamw, p, g, m, v, n, constants)
}
