/*
 * The network of lecture 11: forward pass, backpropagation, SGD step.
 * The weights live in one block (w_mem) with a view per layer (w[l]), and the
 * gradient uses the same layout, so the update is one flat loop.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

int
model_check_sizes(const size_t *n, int count, char *err, size_t errlen)
{
	size_t total = 0;
	int l;

	if (count < 2) {
		snprintf(err, errlen, "needs at least two layer sizes (inputs and outputs), got %d", count);
		return -1;
	}
	if (count - 1 > MODEL_MAX_LAYERS) {
		snprintf(err, errlen, "has %d layers, at most %d allowed", count, MODEL_MAX_LAYERS + 1);
		return -1;
	}
	for (l = 0; l < count; l++)
		if (n[l] < 1 || n[l] > MODEL_MAX_UNITS) {
			snprintf(err, errlen, "layer %d has %zu units, expected 1 to %d", l, n[l], MODEL_MAX_UNITS);
			return -1;
		}
	for (l = 1; l < count; l++) {
		total += n[l] * (n[l - 1] + 1);	/* each term < 2^41: no overflow */
		if (total > MODEL_MAX_WEIGHTS) {
			snprintf(err, errlen, "needs more than %zu weights", MODEL_MAX_WEIGHTS);
			return -1;
		}
	}
	return 0;
}

/*
 * n zeroed doubles starting on a 64-byte cache line: where the weights and
 * activations fall relative to cache lines then does not depend on what
 * was allocated before them, and neither does the speed of the vector loops.
 */
static double *
zeroed_lines(size_t n)
{
	void *p;

	if (n > SIZE_MAX / sizeof(double) || posix_memalign(&p, 64, n * sizeof(double)) != 0)
		return NULL;
	return memset(p, 0, n * sizeof(double));
}

struct model *
model_new(const size_t *n, int L)
{
	struct model *m;
	size_t off = 0;
	int l;

	if ((m = calloc(1, sizeof *m)) == NULL)
		return NULL;
	m->L = L;
	m->n = malloc(((size_t)L + 1) * sizeof *m->n);
	m->w = calloc((size_t)L + 1, sizeof *m->w);
	if (m->n == NULL || m->w == NULL)
		goto fail;
	memcpy(m->n, n, ((size_t)L + 1) * sizeof *n);
	for (l = 1; l <= L; l++)
		m->nweights += n[l] * (n[l - 1] + 1);
	if ((m->w_mem = zeroed_lines(m->nweights)) == NULL)
		goto fail;
	for (l = 1; l <= L; l++) {
		m->w[l] = m->w_mem + off;
		off += n[l] * (n[l - 1] + 1);
	}
	return m;
fail:
	model_free(m);
	return NULL;
}

static void
free_names(char **names, size_t count)
{
	size_t i;

	if (names == NULL)
		return;
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

void
model_free(struct model *m)
{
	if (m == NULL)
		return;
	if (m->features != NULL)
		free_names(m->features, m->n[0]);
	if (m->targets != NULL)
		free_names(m->targets, m->n[m->L]);
	if (m->classes != NULL)
		free_names(m->classes, 2);
	free(m->info.weight_column);
	free(m->info.bad);
	free(m->info.val_file);
	free(m->mean);
	free(m->std);
	free(m->w_mem);
	free(m->w);
	free(m->n);
	free(m);
}

void
model_init_glorot(struct model *m, struct rng *r)
{
	size_t k, count;
	double b;
	int l;

	for (l = 1; l <= m->L; l++) {
		b = sqrt(2.0 / (double)(m->n[l - 1] + m->n[l]));
		count = m->n[l] * (m->n[l - 1] + 1);
		for (k = 0; k < count; k++)
			m->w[l][k] = b * (2.0 * rng_uniform(r) - 1.0);
	}
}

int
model_set_standardize(struct model *m, const double *mean, const double *std)
{
	size_t n0 = m->n[0];

	free(m->mean);
	free(m->std);
	m->mean = malloc(n0 * sizeof *m->mean);
	m->std = malloc(n0 * sizeof *m->std);
	if (m->mean == NULL || m->std == NULL) {
		free(m->mean);
		free(m->std);
		m->mean = m->std = NULL;
		return -1;
	}
	memcpy(m->mean, mean, n0 * sizeof *mean);
	memcpy(m->std, std, n0 * sizeof *std);
	return 0;
}

struct work *
work_new(const struct model *m)
{
	struct work *ws;
	size_t total = 0, off = 0;
	int l;

	if ((ws = calloc(1, sizeof *ws)) == NULL)
		return NULL;
	ws->a = calloc((size_t)m->L + 1, sizeof *ws->a);
	ws->z = calloc((size_t)m->L + 1, sizeof *ws->z);
	ws->delta = calloc((size_t)m->L + 1, sizeof *ws->delta);
	for (l = 0; l <= m->L; l++)
		total += 3 * m->n[l];
	ws->mem = zeroed_lines(total);
	if (ws->a == NULL || ws->z == NULL || ws->delta == NULL || ws->mem == NULL) {
		work_free(ws);
		return NULL;
	}
	for (l = 0; l <= m->L; l++) {
		ws->a[l] = ws->mem + off;
		ws->z[l] = ws->a[l] + m->n[l];
		ws->delta[l] = ws->z[l] + m->n[l];
		off += 3 * m->n[l];
	}
	return ws;
}

void
work_free(struct work *ws)
{
	if (ws == NULL)
		return;
	free(ws->mem);
	free(ws->a);
	free(ws->z);
	free(ws->delta);
	free(ws);
}

double
sigmoid(double a)
{
	return 1.0 / (1.0 + exp(-a));
}

void
model_standardize(const struct model *m, double *out, const double *x)
{
	size_t j;

	if (m->mean == NULL) {
		memmove(out, x, m->n[0] * sizeof *x);
		return;
	}
	for (j = 0; j < m->n[0]; j++)
		out[j] = (x[j] - m->mean[j]) / m->std[j];
}

/*
 * The hot loops, each written once (the *_body functions) and compiled twice:
 * for any x86-64 (or any other machine) and, on x86-64 with GCC, for AVX2 as
 * well, picked at run time (model_simd).  Both versions do the same
 * floating-point operations in the same order, with no fused multiply-add
 * (AVX2 alone does not enable FMA), so they give bit-identical results: the
 * vectors only run several independent sums side by side.
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
typedef double v4d __attribute__((vector_size(32)));
#define V4_LOAD(v, p) memcpy(&(v), (p), sizeof(v4d))
#define V4_STORE(p, v) memcpy((p), &(v), sizeof(v4d))
#define HAVE_V4D 1
#else
#define HOT_INLINE static
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

/*
 * Forward pass of one layer from packed weights: units in blocks of 4, each
 * block stored column by column (4 intercepts, then 4 weights of input 1,
 * ...), so that one vector holds 4 units' sums, each summed in increasing j
 * exactly as forward_layer_body sums it.  Four blocks at a time.
 */
HOT_INLINE void
forward_packed_body(const double *restrict pw, size_t nout, size_t nin, const double *restrict zin,
    double *restrict a)
{
	size_t nb = (nout + 3) / 4, b = 0, j, u, cols = nin + 1;
	double out[16];

#ifdef HAVE_V4D
	for (; b + 4 <= nb; b += 4) {
		const double *p0 = pw + b * 4 * cols, *p1 = p0 + 4 * cols, *p2 = p1 + 4 * cols, *p3 = p2 + 4 * cols;
		v4d s0, s1, s2, s3, w0, w1, w2, w3, zv;

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
		V4_STORE(out, s0);
		V4_STORE(out + 4, s1);
		V4_STORE(out + 8, s2);
		V4_STORE(out + 12, s3);
		for (u = 0; u < 16 && b * 4 + u < nout; u++)
			a[b * 4 + u] = out[u];
	}
#endif
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
 * update_layer_body for a small layer, with the rest of model_train_step's
 * work on it: acc_j starts at 0 and gets delta_i w_ij (i increasing, each
 * weight read before its update), then, when dprev is not NULL,
 * dprev_j = z_j (1 - z_j) acc_j.
 */
HOT_INLINE void
train_small_body(double *restrict w, size_t nout, const size_t nin, const double *restrict zin,
    const double *restrict delta, double eta, double *restrict dprev, const int want_acc)
{
	size_t i, j, stride = nin + 1;
	double d;
#ifdef HAVE_V4D
	/* the first nv * 4 inputs in vectors, the rest (< 4) one by one */
	const size_t nv = nin / 4;
	v4d zv[SMALL_MAX / 4], av[SMALL_MAX / 4], ve = { eta, eta, eta, eta }, vd, wv, t;
	double zr[4] = { 0, 0, 0, 0 }, acc[4] = { 0, 0, 0, 0 };
	size_t v;

	UNROLL
	for (v = 0; v < nv; v++) {
		V4_LOAD(zv[v], zin + 4 * v);
		av[v] = (v4d){ 0, 0, 0, 0 };
	}
	UNROLL
	for (j = 4 * nv; j < nin; j++) {
		zr[j - 4 * nv] = zin[j];
		acc[j - 4 * nv] = 0;
	}
	for (i = 0; i < nout; i++) {
		double *restrict wi = w + i * stride + 1;

		d = delta[i];
		vd = (v4d){ d, d, d, d };
		w[i * stride] -= eta * d;	/* the intercept: z_0 = 1 */
		UNROLL
		for (v = 0; v < nv; v++) {
			V4_LOAD(wv, wi + 4 * v);
			if (want_acc)
				av[v] += vd * wv;
			wv -= ve * (vd * zv[v]);
			V4_STORE(wi + 4 * v, wv);
		}
		UNROLL
		for (j = 4 * nv; j < nin; j++) {
			if (want_acc)
				acc[j - 4 * nv] += d * wi[j];
			wi[j] -= eta * (d * zr[j - 4 * nv]);
		}
	}
	if (want_acc) {
		UNROLL
		for (v = 0; v < nv; v++) {
			t = zv[v] * ((v4d){ 1, 1, 1, 1 } - zv[v]) * av[v];
			V4_STORE(dprev + 4 * v, t);
		}
		UNROLL
		for (j = 4 * nv; j < nin; j++)
			dprev[j] = zr[j - 4 * nv] * (1.0 - zr[j - 4 * nv]) * acc[j - 4 * nv];
	}
#else
	double zr[SMALL_MAX], acc[SMALL_MAX];

	UNROLL
	for (j = 0; j < nin; j++) {
		zr[j] = zin[j];
		acc[j] = 0;
	}
	for (i = 0; i < nout; i++) {
		double *restrict wi = w + i * stride + 1;

		d = delta[i];
		w[i * stride] -= eta * d;
		UNROLL
		for (j = 0; j < nin; j++) {
			if (want_acc)
				acc[j] += d * wi[j];
			wi[j] -= eta * (d * zr[j]);
		}
	}
	if (want_acc)
		UNROLL
		for (j = 0; j < nin; j++)
			dprev[j] = zr[j] * (1.0 - zr[j]) * acc[j];
#endif
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
 * The whole forward pass (model_forward), one layer after the other: small
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
 * Steps 2 to 5 (model_train_step): delta^(L) = y - t, then for l = L down to
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

struct kernels {
	void (*forward_packed)(const double *, size_t, size_t, const double *, double *);
	void (*forward_net)(const struct model *, struct work *, const double *);
	void (*train_net)(struct model *, struct work *, const double *, double);
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

static const struct kernels kernels_generic = {
	forward_packed_generic, forward_net_generic, train_net_generic
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

static const struct kernels kernels_avx2 = {
	forward_packed_avx2, forward_net_avx2, train_net_avx2
};
#endif

static const struct kernels *kern;

int
model_simd(int want)
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
		model_simd(-1);
	return kern;
}

/*
 * Step 1 of the lecture: a^(l) and z^(l) for every layer, with w[l] laid out
 * as the kernel `layer` reads it (model rows, or packed blocks).
 */
static const double *
forward_with(const struct model *m, double *const *w,
    void (*layer)(const double *, size_t, size_t, const double *, double *),
    struct work *ws, const double *x)
{
	size_t i;
	int l;

	memcpy(ws->z[0], x, m->n[0] * sizeof *x);
	for (l = 1; l <= m->L; l++) {
		layer(w[l], m->n[l], m->n[l - 1], ws->z[l - 1], ws->a[l]);
		for (i = 0; i < m->n[l]; i++)
			ws->z[l][i] = sigmoid(ws->a[l][i]);
	}
	return ws->z[m->L];
}

const double *
model_forward(const struct model *m, struct work *ws, const double *x)
{
	const struct kernels *k = kernels();

	k->forward_net(m, ws, x);
	return ws->z[m->L];
}

struct packed {
	int L;
	double **w;		/* (L+1): w[l] the packed block of layer l; w[0] unused */
	double *mem;
};

struct packed *
model_pack(const struct model *m)
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

const double *
model_forward_packed(const struct model *m, const struct packed *pk, struct work *ws, const double *x)
{
	return forward_with(m, pk->w, kernels()->forward_packed, ws, x);
}

/* -t log sigma(a) - (1-t) log(1 - sigma(a)) = softplus(a) - t a, never log(0). */
double
model_loss(const struct model *m, const struct work *ws, const double *t)
{
	const double *a = ws->a[m->L];
	double sum = 0, softplus;
	size_t i;

	for (i = 0; i < m->n[m->L]; i++) {
		softplus = fmax(a[i], 0.0) + log1p(exp(-fabs(a[i])));
		sum += softplus - t[i] * a[i];
	}
	return sum;
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
model_loss_fast(const struct model *m, const struct work *ws, const double *t)
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

size_t
model_hits(const struct model *m, const struct work *ws, const double *t)
{
	const double *y = ws->z[m->L];
	size_t i, hits = 0;

	for (i = 0; i < m->n[m->L]; i++)
		hits += (y[i] >= 0.5) == (t[i] >= 0.5);
	return hits;
}

/*
 * Steps 2 to 4 of the lecture, walking the forward pass in reverse:
 *   delta^(L)     = y - t
 *   delta_i^(l-1) = sigma'(a_i^(l-1)) sum_j delta_j^(l) w_ji^(l),  sigma'(a) = z (1 - z)
 *   dL/dw_ij^(l)  = delta_i^(l) z_j^(l-1),  z_0^(l-1) = 1 for the intercept
 * The weights are not touched here, so every delta uses the forward pass's weights.
 */
void
model_backward(const struct model *m, struct work *ws, const double *t, double *grad)
{
	size_t i, j, nin, off = m->nweights;
	const double *w, *zin;
	double *g, sum, z;
	int l;

	for (i = 0; i < m->n[m->L]; i++)
		ws->delta[m->L][i] = ws->z[m->L][i] - t[i];

	for (l = m->L; l >= 1; l--) {
		nin = m->n[l - 1];
		zin = ws->z[l - 1];
		off -= m->n[l] * (nin + 1);
		for (i = 0; i < m->n[l]; i++) {
			g = grad + off + i * (nin + 1);
			g[0] = ws->delta[l][i];
			for (j = 0; j < nin; j++)
				g[j + 1] = ws->delta[l][i] * zin[j];
		}
		if (l == 1)
			break;
		for (j = 0; j < nin; j++) {
			sum = 0;
			for (i = 0; i < m->n[l]; i++) {
				w = m->w[l] + i * (nin + 1);
				sum += ws->delta[l][i] * w[j + 1];	/* delta_i^(l) w_ij^(l) */
			}
			z = zin[j];
			ws->delta[l - 1][j] = z * (1.0 - z) * sum;
		}
	}
}

/* Step 5 of the lecture: w <- w - eta dL/dw. */
void
model_sgd_step(struct model *m, const double *grad, double eta)
{
	size_t k;

	for (k = 0; k < m->nweights; k++)
		m->w_mem[k] -= eta * grad[k];
}

/*
 * Steps 2 to 5 in one pass over the weights, after model_forward: for l = L
 * down to 1, each row i of W^(l) first adds delta_i^(l) w_ij^(l) to the sum
 * for delta_j^(l-1) (i increasing, as model_backward sums), then is updated,
 * w_ij^(l) -= eta (delta_i^(l) z_j^(l-1)).  Every weight is read for the
 * back-propagated sum before it is overwritten, and layer l-1 is updated only
 * after its deltas are known, so every delta uses the forward pass's weights
 * and the result is bit for bit model_backward followed by model_sgd_step.
 */
void
model_train_step(struct model *m, struct work *ws, const double *t, double eta)
{
	const struct kernels *k = kernels();

	k->train_net(m, ws, t, eta);
}

int
model_finite(const struct model *m)
{
	size_t k;

	for (k = 0; k < m->nweights; k++)
		if (!isfinite(m->w_mem[k]))
			return 0;
	return 1;
}
