/*
 * The fast kernels: what mlptrain's training loop and mlppredict's scorer
 * run.  Each is a fused, unrolled or vectorised rearrangement of a reference
 * function in model.h and gives its results bit for bit (the same
 * floating-point operations in the same order); tests/unit/test_model.c
 * proves it, on the generic and on the AVX2 loops.  The maths, and the code
 * to read to learn it, are in model.h and model.c; nothing here is needed to
 * understand what the network computes.
 */
#ifndef KERNELS_H
#define KERNELS_H

#include <stddef.h>

#include "model.h"

/*
 * Step 1, the forward pass from an (already standardised) input x (N_0):
 * bit for bit model_forward's a, z and result; returns z[L] (N_L) inside ws.
 */
const double *kernel_forward(const struct model *m, struct work *ws, const double *x);
/*
 * Steps 2 to 5, backpropagation and the SGD step together after a forward
 * pass (training without a gradient buffer): the same weights and ws->delta,
 * bit for bit, as model_backward followed by model_sgd_step.
 */
void kernel_train_step(struct model *m, struct work *ws, const double *t, double eta);
/* The weights of a model laid out for kernel_forward_packed; opaque. */
struct packed;

/*
 * The weights of m rearranged for scoring (units in blocks of 4, column by
 * column), for a model that no longer changes; NULL when out of memory.
 * Free with packed_free.
 */
struct packed *kernel_pack(const struct model *m);
/* Frees pk; NULL is fine. */
void packed_free(struct packed *pk);
/*
 * The forward pass from kernel_pack's layout: bit for bit model_forward's
 * a, z and result, for layers 1 to L (x is read where it is: z[0] is not
 * written).
 */
const double *kernel_forward_packed(const struct model *m, const struct packed *pk, struct work *ws,
    const double *x);
/* model_standardize_part(m, x, from, to), bit for bit, with vectors. */
void kernel_standardize(const struct model *m, double *x, size_t from, size_t to);
/*
 * model_loss from the last forward pass's z[L] as well as a[L], with one
 * logarithm per output where model_loss takes an exp and a log1p:
 * softplus(a) = a - log(z) for a > 0, -log1p(-z) for a <= 0 (model_loss's
 * formula below a = -700, where z has lost its precision or is 0).  Not bit
 * for bit model_loss: within 1e-15 relative of it (about 4e-16 from the exact
 * value, model_loss 2e-16); for the per-row sums of the training loop.
 */
double kernel_loss(const struct model *m, const struct work *ws, const double *t);
/*
 * Picks the inner loops: want < 0 the best the CPU has, 0 the generic ones,
 * 1 AVX2 when the CPU has it.  Returns what is used: 0 generic, 1 AVX2.  The
 * results are bit-identical either way.  Called by itself on first use.
 */
int kernel_simd(int want);

#endif
