/*
 * The kernels that training and scoring run: the forward pass over all
 * layers (kernel_forward), backpropagation and the SGD step fused into one
 * pass over the weights (kernel_train_step), the packed layout mlppredict
 * scores with (kernel_pack, kernel_forward_packed), and the epoch's running
 * loss (kernel_loss).  Each gives bit for bit what the reference functions of
 * model.c give (model_forward, model_backward + model_sgd_step), and
 * tests/unit/test_model.c proves it; read the maths there, not here.  This
 * file is about speed: the same sums in the same order, arranged for the
 * machine.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

/*
 * The hot loops, each written once (the *_body functions) and compiled twice:
 * for any x86-64 (or any other machine) and, on x86-64 with GCC, for AVX2 as
 * well, picked at run time (kernel_simd).  Both versions do the same
 * floating-point operations in the same order, with no fused multiply-add
 * (AVX2 alone does not enable FMA), so they give bit-identical results: the
 * vectors only run several independent sums side by side.  The loops written
 * with GCC's vector types (under HAVE_V4D) have a scalar path for other
 * compilers that gives the same bits; -DMLP_NO_VECTORS builds that path,
 * -DMLP_NO_SIMD the generic copy alone.
 *
 *  - forward_layer: a_i = w_i0 + sum_j w_ij z_j, every sum in increasing j,
 *    eight (then four) units at a time, so that as many independent sums
 *    are in flight;
 *  - update_layer: one pass over the weight matrix of layer l that, row by
 *    row (i increasing), first adds delta_i w_ij to acc_j (the sum that
 *    becomes delta_j^(l-1)) and then writes w_ij -= eta (delta_i z_j): each
 *    weight is read for the back-propagated sum before it is updated.
 */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && !defined(MLP_NO_SIMD)
#define MLP_X86_SIMD 1
#endif

#if defined(__GNUC__)
#define HOT_INLINE static inline __attribute__((always_inline))
#else
#define HOT_INLINE static
#endif

#if defined(__GNUC__) && !defined(MLP_NO_VECTORS)
typedef double v4d __attribute__((vector_size(32)));
typedef long long v4mask __attribute__((vector_size(32)));	/* what comparing two v4d gives */
#define V4_LOAD(v, p) memcpy(&(v), (p), sizeof(v4d))
#define V4_STORE(p, v) memcpy((p), &(v), sizeof(v4d))
#define HAVE_V4D 1
#endif

HOT_INLINE void
forward_layer_body(const double *restrict w, size_t nout, size_t nin, const double *restrict zin,
    double *restrict a)
{
	size_t i = 0, j, stride = nin + 1;

	for (; i + 8 <= nout; i += 8) {
		const double *w0 = w + i * stride;
		double s0 = w0[0], s1 = w0[stride], s2 = w0[2 * stride], s3 = w0[3 * stride];
		double s4 = w0[4 * stride], s5 = w0[5 * stride], s6 = w0[6 * stride], s7 = w0[7 * stride], zj;

		for (j = 1; j <= nin; j++) {
			zj = zin[j - 1];
			s0 += w0[j] * zj;
			s1 += w0[stride + j] * zj;
			s2 += w0[2 * stride + j] * zj;
			s3 += w0[3 * stride + j] * zj;
			s4 += w0[4 * stride + j] * zj;
			s5 += w0[5 * stride + j] * zj;
			s6 += w0[6 * stride + j] * zj;
			s7 += w0[7 * stride + j] * zj;
		}
		a[i] = s0;
		a[i + 1] = s1;
		a[i + 2] = s2;
		a[i + 3] = s3;
		a[i + 4] = s4;
		a[i + 5] = s5;
		a[i + 6] = s6;
		a[i + 7] = s7;
	}
	for (; i + 4 <= nout; i += 4) {
		const double *w0 = w + i * stride, *w1 = w0 + stride, *w2 = w1 + stride, *w3 = w2 + stride;
		double s0 = w0[0], s1 = w1[0], s2 = w2[0], s3 = w3[0], zj;

		for (j = 0; j < nin; j++) {
			zj = zin[j];
			s0 += w0[j + 1] * zj;
			s1 += w1[j + 1] * zj;
			s2 += w2[j + 1] * zj;
			s3 += w3[j + 1] * zj;
		}
		a[i] = s0;
		a[i + 1] = s1;
		a[i + 2] = s2;
		a[i + 3] = s3;
	}
	for (; i < nout; i++) {
		const double *wi = w + i * stride;
		double s = wi[0];

		for (j = 0; j < nin; j++)
			s += wi[j + 1] * zin[j];
		a[i] = s;
	}
}

/* acc (nin) must hold zeros when it is not NULL. */
HOT_INLINE void
update_layer_body(double *restrict w, size_t nout, size_t nin, const double *restrict zin,
    const double *restrict delta, double eta, double *restrict acc)
{
	size_t i, j, stride = nin + 1;

	for (i = 0; i < nout; i++) {
		double *restrict wi = w + i * stride + 1, d = delta[i];

		w[i * stride] -= eta * d;	/* the intercept: z_0 = 1 */
		j = 0;
#ifdef HAVE_V4D
		{
			v4d vd = { d, d, d, d }, ve = { eta, eta, eta, eta }, wv, zv, av;

			if (acc != NULL)
				for (; j + 4 <= nin; j += 4) {
					V4_LOAD(wv, wi + j);
					V4_LOAD(zv, zin + j);
					V4_LOAD(av, acc + j);
					av += vd * wv;
					wv -= ve * (vd * zv);
					V4_STORE(acc + j, av);
					V4_STORE(wi + j, wv);
				}
			else
				for (; j + 4 <= nin; j += 4) {
					V4_LOAD(wv, wi + j);
					V4_LOAD(zv, zin + j);
					wv -= ve * (vd * zv);
					V4_STORE(wi + j, wv);
				}
		}
#endif
		if (acc != NULL)
			for (; j < nin; j++) {
				acc[j] += d * wi[j];
				wi[j] -= eta * (d * zin[j]);
			}
		else
			for (; j < nin; j++)
				wi[j] -= eta * (d * zin[j]);
	}
}

#ifdef HAVE_V4D
/* Four vectors to o[0..15]. */
HOT_INLINE void
store4(double *o, v4d s0, v4d s1, v4d s2, v4d s3)
{
	V4_STORE(o, s0);
	V4_STORE(o + 4, s1);
	V4_STORE(o + 8, s2);
	V4_STORE(o + 12, s3);
}
#endif

/*
 * Forward pass of one layer from packed weights: units in blocks of 4, each
 * block stored column by column (4 intercepts, then 4 weights of input 1,
 * ...), so that one vector holds 4 units' sums, each summed in increasing j
 * exactly as forward_layer_body sums it.  Eight blocks at a time (eight
 * independent sums in flight hide the latency of an addition), then four,
 * then one.
 */
HOT_INLINE void
forward_packed_body(const double *restrict pw, size_t nout, size_t nin, const double *restrict zin,
    double *restrict a)
{
	size_t nb = (nout + 3) / 4, b = 0, j, u, cols = nin + 1;
	double out[32];

#ifdef HAVE_V4D
	for (; b + 8 <= nb; b += 8) {
		const double *p0 = pw + b * 4 * cols, *p1 = p0 + 4 * cols, *p2 = p1 + 4 * cols, *p3 = p2 + 4 * cols;
		const double *p4 = p3 + 4 * cols, *p5 = p4 + 4 * cols, *p6 = p5 + 4 * cols, *p7 = p6 + 4 * cols;
		v4d s0, s1, s2, s3, s4, s5, s6, s7, w, zv;
		double *o;
		int fits;

		V4_LOAD(s0, p0);
		V4_LOAD(s1, p1);
		V4_LOAD(s2, p2);
		V4_LOAD(s3, p3);
		V4_LOAD(s4, p4);
		V4_LOAD(s5, p5);
		V4_LOAD(s6, p6);
		V4_LOAD(s7, p7);
		for (j = 1; j <= nin; j++) {
			double zj = zin[j - 1];

			zv = (v4d){ zj, zj, zj, zj };
			V4_LOAD(w, p0 + 4 * j);
			s0 += w * zv;
			V4_LOAD(w, p1 + 4 * j);
			s1 += w * zv;
			V4_LOAD(w, p2 + 4 * j);
			s2 += w * zv;
			V4_LOAD(w, p3 + 4 * j);
			s3 += w * zv;
			V4_LOAD(w, p4 + 4 * j);
			s4 += w * zv;
			V4_LOAD(w, p5 + 4 * j);
			s5 += w * zv;
			V4_LOAD(w, p6 + 4 * j);
			s6 += w * zv;
			V4_LOAD(w, p7 + 4 * j);
			s7 += w * zv;
		}
		fits = b * 4 + 32 <= nout;	/* the sums straight into a when they all fit */
		o = a + b * 4;
		if (!fits)
			o = out;
		store4(o, s0, s1, s2, s3);
		store4(o + 16, s4, s5, s6, s7);
		if (!fits)
			memcpy(a + b * 4, o, (nout - b * 4) * sizeof *a);
	}
	for (; b + 4 <= nb; b += 4) {
		const double *p0 = pw + b * 4 * cols, *p1 = p0 + 4 * cols, *p2 = p1 + 4 * cols, *p3 = p2 + 4 * cols;
		v4d s0, s1, s2, s3, w0, w1, w2, w3, zv;
		double *o;
		int fits;

		V4_LOAD(s0, p0);
		V4_LOAD(s1, p1);
		V4_LOAD(s2, p2);
		V4_LOAD(s3, p3);
		for (j = 1; j <= nin; j++) {
			double zj = zin[j - 1];

			zv = (v4d){ zj, zj, zj, zj };
			V4_LOAD(w0, p0 + 4 * j);
			V4_LOAD(w1, p1 + 4 * j);
			V4_LOAD(w2, p2 + 4 * j);
			V4_LOAD(w3, p3 + 4 * j);
			s0 += w0 * zv;
			s1 += w1 * zv;
			s2 += w2 * zv;
			s3 += w3 * zv;
		}
		fits = b * 4 + 16 <= nout;
		o = a + b * 4;
		if (!fits)
			o = out;
		store4(o, s0, s1, s2, s3);
		if (!fits)
			memcpy(a + b * 4, o, (nout - b * 4) * sizeof *a);
	}
	for (; b < nb; b++) {
		const double *p0 = pw + b * 4 * cols;
		v4d s0, w0, zv;

		V4_LOAD(s0, p0);
		for (j = 1; j + 3 <= nin; j += 4) {	/* (four steps a turn, in the same order) */
			zv = (v4d){ zin[j - 1], zin[j - 1], zin[j - 1], zin[j - 1] };
			V4_LOAD(w0, p0 + 4 * j);
			s0 += w0 * zv;
			zv = (v4d){ zin[j], zin[j], zin[j], zin[j] };
			V4_LOAD(w0, p0 + 4 * j + 4);
			s0 += w0 * zv;
			zv = (v4d){ zin[j + 1], zin[j + 1], zin[j + 1], zin[j + 1] };
			V4_LOAD(w0, p0 + 4 * j + 8);
			s0 += w0 * zv;
			zv = (v4d){ zin[j + 2], zin[j + 2], zin[j + 2], zin[j + 2] };
			V4_LOAD(w0, p0 + 4 * j + 12);
			s0 += w0 * zv;
		}
		for (; j <= nin; j++) {
			double zj = zin[j - 1];

			zv = (v4d){ zj, zj, zj, zj };
			V4_LOAD(w0, p0 + 4 * j);
			s0 += w0 * zv;
		}
		V4_STORE(out, s0);
		for (u = 0; u < 4 && b * 4 + u < nout; u++)
			a[b * 4 + u] = out[u];
	}
#else
	for (; b < nb; b++) {
		const double *p0 = pw + b * 4 * cols;

		for (u = 0; u < 4; u++)
			out[u] = p0[u];
		for (j = 1; j <= nin; j++)
			for (u = 0; u < 4; u++)
				out[u] += p0[4 * j + u] * zin[j - 1];
		for (u = 0; u < 4 && b * 4 + u < nout; u++)
			a[b * 4 + u] = out[u];
	}
#endif
}

/*
 * Small layers, N_{l-1} <= SMALL_MAX inputs (the 4-8-1 kind of network, where
 * the loop overhead of the general kernels costs more than the arithmetic):
 * the same sums in the same order with the width a compile-time constant
 * (each kernel below is a switch over nin calling these bodies), so the
 * inner loops unroll completely and z^(l-1) stays in registers.
 *
 * forward_small_body: a_i = w_i0 + sum_j w_ij z_j (j increasing) for every
 * unit, then z_i = sigma(a_i); copies zin to zsave unless that is NULL.
 */
#define SMALL_MAX 8
#if defined(__GNUC__)
#define UNROLL _Pragma("GCC unroll 8")	/* -O2 would keep short loops of constant length */
#else
#define UNROLL
#endif

HOT_INLINE void
forward_small_body(const double *restrict w, size_t nout, const size_t nin, const double *restrict zin,
    double *restrict a, double *restrict z, double *restrict zsave)
{
	double zr[SMALL_MAX], s;
	size_t i, j, stride = nin + 1;

	UNROLL
	for (j = 0; j < nin; j++)
		zr[j] = zin[j];
	if (zsave != NULL) {
		UNROLL
		for (j = 0; j < nin; j++)
			zsave[j] = zr[j];
	}
	for (i = 0; i < nout; i++) {
		const double *wi = w + i * stride;

		s = wi[0];
		UNROLL
		for (j = 0; j < nin; j++)
			s += wi[j + 1] * zr[j];
		a[i] = s;
	}
	/* after the sums, so that no register they use is live across exp() */
	for (i = 0; i < nout; i++)
		z[i] = 1.0 / (1.0 + exp(-a[i]));
}

/*
 * update_layer_body for a small layer, with the rest of kernel_train_step's
 * work on it: acc_j starts at 0 and gets delta_i w_ij (i increasing, each
 * weight read before its update), then, when want_acc (dprev not NULL),
 * dprev_j = z_j (1 - z_j) acc_j.  The first nv * 4 inputs go in vectors (the
 * statements under HAVE_V4D), the rest one by one in zr and acc; without
 * vectors nv is 0 and every input goes one by one, with the same operations
 * on each, so both give the same bits.
 */
HOT_INLINE void
train_small_body(double *restrict w, size_t nout, const size_t nin, const double *restrict zin,
    const double *restrict delta, double eta, double *restrict dprev, const int want_acc)
{
	size_t i, j, stride = nin + 1;
	double d, zr[SMALL_MAX] = { 0 }, acc[SMALL_MAX] = { 0 };
#ifdef HAVE_V4D
	const size_t nv = nin / 4;
	v4d zv[SMALL_MAX / 4], av[SMALL_MAX / 4], ve = { eta, eta, eta, eta }, vd, wv, t;
	size_t v;

	UNROLL
	for (v = 0; v < nv; v++) {
		V4_LOAD(zv[v], zin + 4 * v);
		av[v] = (v4d){ 0, 0, 0, 0 };
	}
#else
	const size_t nv = 0;
#endif
	UNROLL
	for (j = 4 * nv; j < nin; j++) {
		zr[j] = zin[j];
		acc[j] = 0;
	}
	for (i = 0; i < nout; i++) {
		double *restrict wi = w + i * stride + 1;

		d = delta[i];
		w[i * stride] -= eta * d;	/* the intercept: z_0 = 1 */
#ifdef HAVE_V4D
		vd = (v4d){ d, d, d, d };
		UNROLL
		for (v = 0; v < nv; v++) {
			V4_LOAD(wv, wi + 4 * v);
			if (want_acc)
				av[v] += vd * wv;
			wv -= ve * (vd * zv[v]);
			V4_STORE(wi + 4 * v, wv);
		}
#endif
		UNROLL
		for (j = 4 * nv; j < nin; j++) {
			if (want_acc)
				acc[j] += d * wi[j];
			wi[j] -= eta * (d * zr[j]);
		}
	}
	if (!want_acc)
		return;
#ifdef HAVE_V4D
	UNROLL
	for (v = 0; v < nv; v++) {
		t = zv[v] * ((v4d){ 1, 1, 1, 1 } - zv[v]) * av[v];
		V4_STORE(dprev + 4 * v, t);
	}
#endif
	UNROLL
	for (j = 4 * nv; j < nin; j++)
		dprev[j] = zr[j] * (1.0 - zr[j]) * acc[j];
}

/* A switch over the small widths, each case with a constant nin. */
#define SMALL_SWITCH(CALL) \
	switch (nin) { \
	case 1: CALL(1); break; \
	case 2: CALL(2); break; \
	case 3: CALL(3); break; \
	case 4: CALL(4); break; \
	case 5: CALL(5); break; \
	case 6: CALL(6); break; \
	case 7: CALL(7); break; \
	default: CALL(8); break; \
	}
#define FORWARD_SMALL(N) forward_small_body(wl, nout, (N), zin, al, zl, zsave)
#define TRAIN_SMALL(N) \
	do { \
		if (dprev != NULL) \
			train_small_body(wl, nout, (N), zin, dl, eta, dprev, 1); \
		else \
			train_small_body(wl, nout, (N), zin, dl, eta, NULL, 0); \
	} while (0)

/*
 * The whole forward pass (kernel_forward), one layer after the other: small
 * layers as above, others by forward_layer_body then z_i = sigma(a_i).
 * Layer 1 reads x itself; z^(0) gets a copy for the train step.
 */
HOT_INLINE void
forward_net_body(const struct model *m, struct work *ws, const double *x)
{
	const size_t *n = m->n;
	double *const *a = ws->a, *const *z = ws->z;
	const double *zin = x;
	double *al, *zl, *zsave;
	const double *wl;
	size_t i, nin, nout;
	int l, L = m->L;

	if (n[0] > SMALL_MAX)
		memcpy(z[0], x, n[0] * sizeof *x);
	for (l = 1; l <= L; l++) {
		nin = n[l - 1];
		nout = n[l];
		wl = m->w[l];
		al = a[l];
		zl = z[l];
		if (nin <= SMALL_MAX) {
			zsave = l == 1 ? z[0] : NULL;
			SMALL_SWITCH(FORWARD_SMALL)
		} else {
			forward_layer_body(wl, nout, nin, zin, al);
			for (i = 0; i < nout; i++)
				zl[i] = 1.0 / (1.0 + exp(-al[i]));	/* sigmoid() */
		}
		zin = zl;
	}
}

/*
 * Steps 2 to 5 (kernel_train_step): delta^(L) = y - t, then for l = L down to
 * 1 one pass over W^(l) (train_small_body, or update_layer_body and the
 * z (1 - z) factor), giving delta^(l-1) on the way for l > 1.
 */
HOT_INLINE void
train_net_body(struct model *m, struct work *ws, const double *t, double eta)
{
	const size_t *n = m->n;
	double *const *delta = ws->delta;
	const double *const *z = (const double *const *)ws->z;
	double *wl, *dl, *dprev, zj;
	const double *zin;
	size_t i, j, nin, nout;
	int l, L = m->L;

	for (i = 0; i < n[L]; i++)
		delta[L][i] = z[L][i] - t[i];
	for (l = L; l >= 1; l--) {
		nin = n[l - 1];
		nout = n[l];
		wl = m->w[l];
		dl = delta[l];
		zin = z[l - 1];
		dprev = l > 1 ? delta[l - 1] : NULL;
		if (nin <= SMALL_MAX) {
			SMALL_SWITCH(TRAIN_SMALL)
			continue;
		}
		if (dprev == NULL) {
			update_layer_body(wl, nout, nin, zin, dl, eta, NULL);
			continue;
		}
		for (j = 0; j < nin; j++)
			dprev[j] = 0;
		update_layer_body(wl, nout, nin, zin, dl, eta, dprev);
		for (j = 0; j < nin; j++) {
			zj = zin[j];
			dprev[j] = zj * (1.0 - zj) * dprev[j];
		}
	}
}

/*
 * z_i = 1 / (1 + exp(-a_i)) for the n units of a layer, sigmoid() of each:
 * the exponentials one by one (libm's), the additions and divisions four
 * at a time, the same operations on the same values.  (The four
 * exponentials go into the vector as values, not through z: a vector load
 * of four fresh scalar stores would wait for them.)
 */
HOT_INLINE void
logistic_body(double *restrict z, const double *restrict a, size_t n)
{
	size_t i = 0;

#ifdef HAVE_V4D
	for (; i + 4 <= n; i += 4) {
		const v4d one = { 1.0, 1.0, 1.0, 1.0 };
		v4d e = { exp(-a[i]), exp(-a[i + 1]), exp(-a[i + 2]), exp(-a[i + 3]) };

		e = one / (one + e);
		V4_STORE(z + i, e);
	}
#endif
	for (; i < n; i++)
		z[i] = 1.0 / (1.0 + exp(-a[i]));
}

/*
 * z_j = (x_j - mean_j) / std_j for j = from .. to-1, in place, four at a
 * time: model_standardize_part's arithmetic, and its formula by halves for
 * the rare z that overflows (x_j - mean_j beyond the largest double), on
 * the four values again from the start.  The x_j, which the parser has
 * just stored one by one, are loaded one by one: a vector load of them
 * would wait for the stores (no store forwarding across them).
 */
HOT_INLINE void
standardize_body(double *restrict x, const double *restrict mean, const double *restrict sd, size_t from,
    size_t to)
{
	size_t j = from;
	double z;

#ifdef HAVE_V4D
	for (; j + 4 <= to; j += 4) {
		const v4d inf = { HUGE_VAL, HUGE_VAL, HUGE_VAL, HUGE_VAL };
		v4d xv = { x[j], x[j + 1], x[j + 2], x[j + 3] }, mv, sv, zv;
		v4mask over;
		size_t k;

		V4_LOAD(mv, mean + j);
		V4_LOAD(sv, sd + j);
		zv = (xv - mv) / sv;
		over = (zv == inf) | (zv == -inf);
		if ((over[0] | over[1] | over[2] | over[3]) == 0) {
			V4_STORE(x + j, zv);
			continue;
		}
		for (k = j; k < j + 4; k++) {
			z = (x[k] - mean[k]) / sd[k];
			x[k] = isinf(z) ? (x[k] * 0.5 - mean[k] * 0.5) / (sd[k] * 0.5) : z;
		}
	}
#endif
	for (; j < to; j++) {
		z = (x[j] - mean[j]) / sd[j];
		x[j] = isinf(z) ? (x[j] * 0.5 - mean[j] * 0.5) / (sd[j] * 0.5) : z;
	}
}

struct kernels {
	void (*forward_packed)(const double *, size_t, size_t, const double *, double *);
	void (*forward_net)(const struct model *, struct work *, const double *);
	void (*train_net)(struct model *, struct work *, const double *, double);
	void (*logistic)(double *, const double *, size_t);
	void (*standardize)(double *, const double *, const double *, size_t, size_t);
};

static void
forward_packed_generic(const double *pw, size_t nout, size_t nin, const double *zin, double *a)
{
	forward_packed_body(pw, nout, nin, zin, a);
}

static void
forward_net_generic(const struct model *m, struct work *ws, const double *x)
{
	forward_net_body(m, ws, x);
}

static void
train_net_generic(struct model *m, struct work *ws, const double *t, double eta)
{
	train_net_body(m, ws, t, eta);
}

static void
logistic_generic(double *z, const double *a, size_t n)
{
	logistic_body(z, a, n);
}

static void
standardize_generic(double *x, const double *mean, const double *sd, size_t from, size_t to)
{
	standardize_body(x, mean, sd, from, to);
}

static const struct kernels kernels_generic = {
	forward_packed_generic, forward_net_generic, train_net_generic, logistic_generic, standardize_generic
};

#ifdef MLP_X86_SIMD
__attribute__((target("avx2"))) static void
forward_packed_avx2(const double *pw, size_t nout, size_t nin, const double *zin, double *a)
{
	forward_packed_body(pw, nout, nin, zin, a);
}

__attribute__((target("avx2"))) static void
forward_net_avx2(const struct model *m, struct work *ws, const double *x)
{
	forward_net_body(m, ws, x);
}

__attribute__((target("avx2"))) static void
train_net_avx2(struct model *m, struct work *ws, const double *t, double eta)
{
	train_net_body(m, ws, t, eta);
}

__attribute__((target("avx2"))) static void
logistic_avx2(double *z, const double *a, size_t n)
{
	logistic_body(z, a, n);
}

__attribute__((target("avx2"))) static void
standardize_avx2(double *x, const double *mean, const double *sd, size_t from, size_t to)
{
	standardize_body(x, mean, sd, from, to);
}

static const struct kernels kernels_avx2 = {
	forward_packed_avx2, forward_net_avx2, train_net_avx2, logistic_avx2, standardize_avx2
};
#endif

static const struct kernels *kern;

int
kernel_simd(int want)
{
#ifdef MLP_X86_SIMD
	int have;

	__builtin_cpu_init();
	have = __builtin_cpu_supports("avx2") ? 1 : 0;
	if (want == 0)
		have = 0;
	kern = have ? &kernels_avx2 : &kernels_generic;
	return have;
#else
	(void)want;
	kern = &kernels_generic;
	return 0;
#endif
}

static const struct kernels *
kernels(void)
{
	if (kern == NULL)
		kernel_simd(-1);
	return kern;
}

const double *
kernel_forward(const struct model *m, struct work *ws, const double *x)
{
	const struct kernels *k = kernels();

	k->forward_net(m, ws, x);
	return ws->z[m->L];
}

/*
 * Steps 2 to 5 in one pass over the weights, after the forward pass: for
 * l = L down to 1, each row i of W^(l) first adds delta_i^(l) w_ij^(l) to the
 * sum for delta_j^(l-1) (i increasing, as model_backward sums), then is
 * updated, w_ij^(l) -= eta (delta_i^(l) z_j^(l-1)).  Every weight is read for
 * the back-propagated sum before it is overwritten, and layer l-1 is updated
 * only after its deltas are known, so every delta uses the forward pass's
 * weights and the result is bit for bit model_backward followed by
 * model_sgd_step.
 */
void
kernel_train_step(struct model *m, struct work *ws, const double *t, double eta)
{
	const struct kernels *k = kernels();

	k->train_net(m, ws, t, eta);
}

struct packed {
	int L;
	double **w;		/* (L+1): w[l] the packed block of layer l; w[0] unused */
	double *mem;
};

struct packed *
kernel_pack(const struct model *m)
{
	struct packed *pk;
	size_t total = 0, off = 0, i, j, nin, cols;
	int l;

	if ((pk = calloc(1, sizeof *pk)) == NULL)
		return NULL;
	pk->L = m->L;
	for (l = 1; l <= m->L; l++)
		total += (m->n[l] + 3) / 4 * 4 * (m->n[l - 1] + 1);
	pk->w = calloc((size_t)m->L + 1, sizeof *pk->w);
	pk->mem = calloc(total, sizeof *pk->mem);
	if (pk->w == NULL || pk->mem == NULL) {
		packed_free(pk);
		return NULL;
	}
	for (l = 1; l <= m->L; l++) {
		nin = m->n[l - 1];
		cols = nin + 1;
		pk->w[l] = pk->mem + off;
		for (i = 0; i < m->n[l]; i++)
			for (j = 0; j < cols; j++)
				pk->w[l][i / 4 * 4 * cols + 4 * j + i % 4] = m->w[l][i * cols + j];
		off += (m->n[l] + 3) / 4 * 4 * cols;
	}
	return pk;
}

void
packed_free(struct packed *pk)
{
	if (pk == NULL)
		return;
	free(pk->w);
	free(pk->mem);
	free(pk);
}

/* Step 1 of the lecture from the packed blocks: a^(l), then z^(l), layer by layer. */
const double *
kernel_forward_packed(const struct model *m, const struct packed *pk, struct work *ws, const double *x)
{
	const struct kernels *k = kernels();
	int l;

	for (l = 1; l <= m->L; l++) {
		k->forward_packed(pk->w[l], m->n[l], m->n[l - 1], l == 1 ? x : ws->z[l - 1], ws->a[l]);
		k->logistic(ws->z[l], ws->a[l], m->n[l]);	/* sigmoid() of each */
	}
	return ws->z[m->L];
}

void
kernel_standardize(const struct model *m, double *x, size_t from, size_t to)
{
	const struct kernels *k = kernels();

	if (m->mean != NULL)
		k->standardize(x, m->mean, m->std, from, to);
}

/*
 * With z = sigma(a) as the forward pass computed it: for a > 0,
 * softplus(a) = a + log(1 + e^-a) = a - log(z), z in (1/2, 1]; for a <= 0,
 * softplus(a) = log(1 + e^a) = -log(1 - z) = -log1p(-z), z in (0, 1/2], the
 * relative error of z passing to the result about unchanged (at most 1/log 2
 * times, at a = 0).  Below a = -700, z = 1 / (1 + e^-a) nears the subnormal
 * range (0 from a = -709.8 on): model_loss's formula, also for a NaN.
 */
double
kernel_loss(const struct model *m, const struct work *ws, const double *t)
{
	const double *a = ws->a[m->L], *z = ws->z[m->L];
	size_t i, n = m->n[m->L];
	double sum = 0, softplus;

	for (i = 0; i < n; i++) {
		if (a[i] > 0)
			softplus = a[i] - log(z[i]);
		else if (a[i] >= -700)
			softplus = -log1p(-z[i]);
		else
			softplus = fmax(a[i], 0.0) + log1p(exp(-fabs(a[i])));
		sum += softplus - t[i] * a[i];
	}
	return sum;
}
