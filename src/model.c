/*
 * The network of lecture 11, the reference to read: layout, initialisation,
 * forward pass, backpropagation, SGD step and loss, each written as the
 * lecture writes it.  The weights live in one block (w_mem) with a view per
 * layer (w[l]), and the gradient uses the same layout, so the update is one
 * flat loop.  Not the fast path: training and scoring run the kernels of
 * kernels.c, which the tests prove bit-identical to the functions here.
 */
#define _DEFAULT_SOURCE	/* madvise; NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
#include <sys/mman.h>

#include <math.h>
#include <stdint.h>
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

#define HUGE_PAGE ((size_t)2 << 20)
#define HUGE_FROM ((size_t)256 << 10)	/* bytes of weights from which they get huge pages */

/*
 * Moves the weights of m, when they are 256 KiB or more, into whole 2 MiB
 * pages that the kernel is asked to make huge pages (Linux: madvise
 * MADV_HUGEPAGE; elsewhere, or with transparent huge pages off, just
 * aligned memory); m's views follow.  For training, which reads and
 * writes every weight for each row, so they must stay in the core's L2
 * cache: that cache is indexed by physical address, and 4 KiB pages land
 * wherever the kernel finds room, so that in some runs too many of them
 * fall on the same cache sets (the likely cause of -j 2 runs on a
 * 100-256-128-1 network at 65k rows/s where most ran at 80k; median of 11
 * alternated runs 79.4k before, 85.5k after).  A huge page is one physical
 * run, spread evenly over the sets.  The cost: up to 2 MiB of memory.
 * Without the memory, the weights stay where they are.
 */
void
model_weights_hot(struct model *m)
{
	size_t bytes = m->nweights * sizeof(double), off = 0;
	void *p;
	int l;

	if (bytes < HUGE_FROM || bytes > SIZE_MAX - HUGE_PAGE)
		return;
	bytes = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	if (posix_memalign(&p, HUGE_PAGE, bytes) != 0)
		return;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, bytes, MADV_HUGEPAGE);	/* (advice: a kernel that will not is fine) */
#endif
	memcpy(p, m->w_mem, m->nweights * sizeof(double));
	free(m->w_mem);
	m->w_mem = p;
	for (l = 1; l <= m->L; l++) {
		m->w[l] = m->w_mem + off;
		off += m->n[l] * (m->n[l - 1] + 1);
	}
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

void
model_free(struct model *m)
{
	if (m == NULL)
		return;
	if (m->features != NULL)
		names_free(m->features, m->n[0]);
	if (m->targets != NULL)
		names_free(m->targets, model_target_columns(m));
	if (m->classes != NULL)
		names_free(m->classes, m->nclasses);
	encoding_free(m->enc);
	free(m->info.class_weight);
	free(m->info.worker_rng);
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
	if (out != x)
		memmove(out, x, m->n[0] * sizeof *x);
	model_standardize_part(m, out, 0, m->n[0]);
}

void
model_standardize_part(const struct model *m, double *x, size_t from, size_t to)
{
	size_t j;

	for (j = from; m->mean != NULL && j < to; j++) {
		double z = (x[j] - m->mean[j]) / m->std[j];

		/* x - mean can overflow where z would not (x near the largest double, the mean of the other sign) */
		if (isinf(z))
			z = (x[j] * 0.5 - m->mean[j] * 0.5) / (m->std[j] * 0.5);
		x[j] = z;
	}
}

/*
 * Step 1 of the lecture, the forward pass, layer by layer:
 *   a_i^(l) = w_i0^(l) + sum_{j=1..N_{l-1}} w_ij^(l) z_j^(l-1),   z_i^(l) = sigma(a_i^(l))
 * each sum started from the intercept and taken in increasing j (the order
 * the kernels keep too, so that they give the same bits).
 */
const double *
model_forward(const struct model *m, struct work *ws, const double *x)
{
	size_t i, j, nin;
	const double *w, *zin;
	double a;
	int l;

	memcpy(ws->z[0], x, m->n[0] * sizeof *x);
	for (l = 1; l <= m->L; l++) {
		nin = m->n[l - 1];
		zin = ws->z[l - 1];
		for (i = 0; i < m->n[l]; i++) {
			w = m->w[l] + i * (nin + 1);	/* row i: w_i0, w_i1 .. w_iN */
			a = w[0];
			for (j = 1; j <= nin; j++)
				a += w[j] * zin[j - 1];
			ws->a[l][i] = a;
			ws->z[l][i] = sigmoid(a);
		}
	}
	return ws->z[m->L];
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

size_t
model_hits(const struct model *m, const struct work *ws, const double *t)
{
	const double *y = ws->z[m->L];
	size_t i, hits = 0;

	if (m->nclasses > 2) {	/* the class of the largest output, against t's one-hot class */
		size_t best = 0, truth = 0;

		for (i = 1; i < m->n[m->L]; i++) {
			if (y[i] > y[best])
				best = i;
			if (t[i] > t[truth])
				truth = i;
		}
		return best == truth;
	}
	for (i = 0; i < m->n[m->L]; i++)
		hits += (y[i] >= 0.5) == (t[i] >= 0.5);
	return hits;
}

size_t
model_hit_units(const struct model *m)
{
	return m->nclasses > 2 ? 1 : m->n[m->L];
}

size_t
model_target_columns(const struct model *m)
{
	return m->nclasses > 2 ? 1 : m->n[m->L];
}

size_t
model_classes(const struct model *m)
{
	return m->nclasses > 2 ? m->nclasses : 2;
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

int
model_finite(const struct model *m)
{
	size_t k;
	int l;

	for (k = 0; k < m->nweights; k++)
		if (!isfinite(m->w_mem[k]))
			return 0;
	return !model_overflows(m, &l, &k);
}

int
model_overflows(const struct model *m, int *layer, size_t *unit)
{
	size_t i, j, ncol;
	double sum;
	int l;

	for (l = 1; l <= m->L; l++) {
		ncol = m->n[l - 1] + 1;
		for (i = 0; i < m->n[l]; i++) {
			sum = 0;
			for (j = 0; j < ncol; j++)
				sum += fabs(m->w[l][i * ncol + j]);
			if (!isfinite(sum)) {
				*layer = l;
				*unit = i;
				return 1;
			}
		}
	}
	return 0;
}
