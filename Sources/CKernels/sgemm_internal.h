// Private declarations shared by the SGEMM driver (sgemm.c) and its kernels.
//
// The multiply follows the GotoBLAS/BLIS blocking. For one output tile the loops are
//
//   for jc in columns, step NC           B block  kc x NC   packed once, lives in L2/L3
//     for pc in 0..<k, step KC           (KC depends on k only, never on the threads)
//       pack op(B)[pc.., jc..]
//       for ic in rows, step MC          A block  MC x kc   packed, lives in L2
//         pack op(A)[ic.., pc..]
//         for jr in the block, step NR   B micro-panel  kc x NR   stays in L1
//           for ir in the block, step MR A micro-panel  MR x kc   streams from L2
//             micro-kernel: an MR x NR tile of C held in registers, kc rank-1 updates
//
// Packed layouts (zero padded to whole micro-panels, so the micro-kernel never branches):
//   A block: for each MR-row micro-panel, kc columns of MR consecutive values:
//            packed[panel * kc * MR + p * MR + i] = op(A)[row0 + panel * MR + i][p0 + p]
//   B block: for each NR-column micro-panel, kc rows of NR consecutive values:
//            packed[panel * kc * NR + p * NR + j] = op(B)[p0 + p][col0 + panel * NR + j]
//
// Every element of C sees the same sequence of operations wherever its tile falls: the
// micro-kernel sums p = 0..<kc in order with one fused multiply-add per step (plain
// multiply and add in the portable kernel on CPUs without FMA), and the write-back
// computes t = alpha * acc, then C = t when this is the first K block and beta == 0,
// else C = t + beta' * C with beta' = beta for the first K block and 1 afterwards; with a
// bias the first K block writes C = t + bias[j], which is what C = t + 1 * C gives when C
// holds the bias.
// Write-back uses separate multiply and add (the target builds with -ffp-contract=off),
// so a partial tile at a matrix or thread edge rounds exactly like a full tile.

#ifndef BERTNOTEBOOK_SGEMM_INTERNAL_H
#define BERTNOTEBOOK_SGEMM_INTERNAL_H

/// Updates the C tile at `c` (row stride `ldc`) with the product of a packed A micro-panel
/// (MR x kc) and a packed B micro-panel (kc x NR); only `rows` x `cols` of it are written.
/// With a `bias` (the tile's `cols` values of it) the write-back is C = t + bias[j] and C is
/// not read: bitwise C = t + 1 * C with C holding the bias, since 1 * x = x.
typedef void (*bn_micro_kernel)(long kc, const float *pa, const float *pb, float *c,
                                long ldc, long rows, long cols, float alpha, float beta,
                                const float *bias);

/// Copies rows of a row-major matrix down the lanes of a packed panel:
/// out[p * stride + i] = src[i * ld + p] for p < kc and i < rows, and 0 for rows <= i < lanes
/// (rows <= lanes <= the kernel's `lanes_per_call`). This is the transposing half of packing
/// (op(A) = A, op(B) = B^T), the one worth SIMD shuffles; `src` is not read when rows == 0.
typedef void (*bn_rows_to_lanes)(const float *src, long ld, long rows, long kc, float *out,
                                 long stride, long lanes);

/// One kernel family: its register tile, its cache blocks and its routines.
typedef struct {
  const char *name;
  long mr, nr;              // register tile of C
  long kc, mc, nc;          // cache blocks (kc is the largest K block)
  bn_micro_kernel micro;
  bn_rows_to_lanes rows_to_lanes;  // NULL: plain loops
  long lanes_per_call;             // most lanes rows_to_lanes fills in one call
} bn_sgemm_kernel_desc;

extern const bn_sgemm_kernel_desc bn_sgemm_portable;
#if defined(__x86_64__)
extern const bn_sgemm_kernel_desc bn_sgemm_avx2;
extern const bn_sgemm_kernel_desc bn_sgemm_avx512;
#endif

#endif
