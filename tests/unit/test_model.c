/*
 * The network: the reference backpropagation (model.c) against central
 * differences, one SGD step against values worked out by hand, a hit at
 * exactly 0.5, a stable loss, XOR learned; then the kernels that training
 * and scoring run (kernels.c) against the reference, bit for bit, on the
 * generic and the AVX2 loops.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data.h"
#include "kernels.h"
#include "model.h"
#include "status.h"
#include "train.h"

/* Loss of m on (x, t) with the current weights. */
static double
loss_at(const struct model *m, struct work *ws, const double *x, const double *t)
{
	model_forward(m, ws, x);
	return model_loss(m, ws, t);
}

static void
gradient_check(void)
{
	size_t sizes[] = { 3, 5, 4, 2 }, k, checked = 0, bad = 0;
	double x[3] = { 0.3, -1.2, 0.8 }, t[2] = { 1, 0.25 };	/* a hard and a soft label */
	double *grad, h = 1e-6, saved, up, down, num, rel, worst = 0;
	struct model *m = model_new(sizes, 3);
	struct work *ws = work_new(m);
	struct rng r;

	rng_seed(&r, 3);
	model_init_glorot(m, &r);
	/* larger weights than the initial draw, so that every unit is off its linear part */
	for (k = 0; k < m->nweights; k++)
		m->w_mem[k] *= 3;
	grad = calloc(m->nweights, sizeof *grad);
	model_forward(m, ws, x);
	model_backward(m, ws, t, grad);
	for (k = 0; k < m->nweights; k++) {
		saved = m->w_mem[k];
		m->w_mem[k] = saved + h;
		up = loss_at(m, ws, x, t);
		m->w_mem[k] = saved - h;
		down = loss_at(m, ws, x, t);
		m->w_mem[k] = saved;
		num = (up - down) / (2 * h);
		if (fabs(num) > 1e-3) {
			/* guard: a zero gradient everywhere cannot pass */
			checked++;
			rel = fabs(grad[k] - num) / fmax(fabs(grad[k]), fabs(num));
			worst = fmax(worst, rel);
			bad += rel > 1e-6;
		} else
			bad += fabs(grad[k] - num) > 1e-9;
	}
	CHECK_MSG(bad == 0, "%zu of %zu weights differ from central differences (worst %g)", bad, m->nweights, worst);
	CHECK_MSG(checked > m->nweights / 2, "only %zu of %zu gradients were large enough to check", checked, m->nweights);
	free(grad);
	work_free(ws);
	model_free(m);
}

/*
 * A 2-2-1 net, x = (0.5, -1), t = 1, eta = 0.5.  The expected values were
 * worked out by hand from the lecture's equations (in Python, apart from
 * this code): a^(1) = W1 (1, x), z^(1) = sigma(a^(1)), y = sigma(W2 (1, z^(1))),
 * delta^(2) = y - t, delta^(1)_i = z_i (1 - z_i) delta^(2) w_i^(2),
 * w <- w - eta delta z.
 */
static void
one_sgd_step(void)
{
	size_t sizes[] = { 2, 2, 1 };
	double w0[] = { 0.1, 0.2, -0.3, -0.4, 0.5, 0.6, 0.7, -0.8, 0.9 };
	double want[] = {
		0.06430652788009691, 0.18215326394004847, -0.2643065278800969,
		-0.3627682158143484, 0.5186158920928258, 0.5627682158143484,
		0.8898558951766896, -0.6818224264635884, 0.9609098152598058,
	};
	double x[2] = { 0.5, -1.0 }, t[1] = { 1 }, grad[9];
	struct model *m = model_new(sizes, 2);
	struct work *ws = work_new(m);
	const double *y;
	size_t k;

	CHECK(m->nweights == 9);
	memcpy(m->w_mem, w0, sizeof w0);
	CHECK(m->w[1] == m->w_mem && m->w[2] == m->w_mem + 6);
	y = model_forward(m, ws, x);
	CHECK_NEAR(y[0], 0.6202882096466207, 1e-15);
	CHECK_NEAR(model_loss(m, ws, t), 0.4775710546855307, 1e-15);
	model_backward(m, ws, t, grad);
	CHECK_NEAR(ws->delta[2][0], 0.6202882096466207 - 1, 1e-15);
	model_sgd_step(m, grad, 0.5);
	for (k = 0; k < 9; k++)
		CHECK_NEAR(m->w_mem[k], want[k], 1e-14);
	work_free(ws);
	model_free(m);
}

/*
 * A hit is y >= 0.5 against t >= 0.5, as mlppredict -l and --eval cut: a
 * 1-1 net of zero weights gives y = sigma(0) = 0.5 exactly, class 1.
 */
static void
hits_at_half(void)
{
	size_t sizes[] = { 1, 1 };
	struct model *m = model_new(sizes, 1);
	struct work *ws = work_new(m);
	double x[1] = { 3 }, one[1] = { 1 }, zero[1] = { 0 }, half[1] = { 0.5 };

	memset(m->w_mem, 0, m->nweights * sizeof *m->w_mem);
	CHECK(model_forward(m, ws, x)[0] == 0.5);
	CHECK(model_hits(m, ws, one) == 1);
	CHECK(model_hits(m, ws, half) == 1);
	CHECK(model_hits(m, ws, zero) == 0);
	CHECK(kernel_forward(m, ws, x)[0] == 0.5);
	CHECK(model_hits(m, ws, one) == 1 && model_hits(m, ws, zero) == 0);
	work_free(ws);
	model_free(m);
}

static void
stable_loss(void)
{
	size_t sizes[] = { 1, 1 };
	struct model *m = model_new(sizes, 1);
	struct work *ws = work_new(m);
	double x[1] = { 1 }, one[1] = { 1 }, zero[1] = { 0 };

	/* a = 1000: sigma(a) rounds to 1, yet the loss for t = 0 is 1000, not inf */
	m->w[1][0] = 0;
	m->w[1][1] = 1000;
	model_forward(m, ws, x);
	CHECK(ws->z[1][0] == 1);
	CHECK_NEAR(model_loss(m, ws, zero), 1000, 1e-15);
	CHECK(model_loss(m, ws, one) >= 0 && model_loss(m, ws, one) < 1e-300);
	m->w[1][1] = -1000;
	model_forward(m, ws, x);
	CHECK(ws->z[1][0] == 0);
	CHECK_NEAR(model_loss(m, ws, one), 1000, 1e-15);
	/* a = 0: log 2 either way */
	m->w[1][1] = 0;
	model_forward(m, ws, x);
	CHECK_NEAR(model_loss(m, ws, one), log(2), 1e-15);
	CHECK_NEAR(model_loss(m, ws, zero), log(2), 1e-15);
	CHECK(sigmoid(0) == 0.5);
	CHECK(sigmoid(-1000) == 0 && sigmoid(1000) == 1);
	work_free(ws);
	model_free(m);
}

/* The k-th test point of fast_loss_matches; NAN past the last. */
static double
fast_loss_point(size_t k)
{
	static const double special[] = {
		0, -0.0, 1e-300, -1e-300, 1e-20, -1e-20, 0.5, -0.5, 36, -36, 37.5, -37.5, 700, -700,
		-700.0001, 708, -708, 709.78, -709.78, 710, -710, 745, -745, 746, -746, 1e300, -1e300,
	};
	size_t ns = sizeof special / sizeof special[0], npow = 2 * 2401, nlin = 160001;
	double a;

	if (k < ns)
		return special[k];
	k -= ns;
	if (k < npow) {		/* +-10^-300 .. +-10^300 in steps of 10^0.25 */
		a = pow(10, -300 + (double)(k / 2) * 0.25);
		return k % 2 ? -a : a;
	}
	k -= npow;
	if (k < nlin)		/* -800 .. 800 in steps of 0.01 */
		return -800 + (double)k * 0.01;
	return NAN;
}

/*
 * kernel_loss (softplus from the forward pass's z, one logarithm) against
 * model_loss over a in +-[1e-300, 1e300], 0, and densely over [-800, 800]:
 * within 1e-15 relative for t = 0 (the loss is softplus(a) itself), within
 * 1e-15 of softplus(a) + |t a| for t = 1 and 1/4 (where both formulas cancel
 * a against softplus(a) alike), finite whenever a is, NaN when a is.
 */
static void
fast_loss_matches(void)
{
	static const double ts[] = { 0, 1, 0.25 };
	size_t sizes[] = { 1, 1 }, k, ti, count = 0, bad = 0, nonfinite = 0;
	struct model *m = model_new(sizes, 1);
	struct work *ws = work_new(m);
	double x[1], slow, fast, scale, worst = 0;

	m->w[1][0] = 0;
	m->w[1][1] = 1;		/* a = 0 + 1 x = x exactly */
	for (k = 0; !isnan(x[0] = fast_loss_point(k)); k++) {
		model_forward(m, ws, x);
		for (ti = 0; ti < sizeof ts / sizeof ts[0]; ti++) {
			slow = model_loss(m, ws, &ts[ti]);
			fast = kernel_loss(m, ws, &ts[ti]);
			if (!isfinite(fast))
				nonfinite++;
			scale = model_loss(m, ws, &ts[0]) + fabs(ts[ti] * x[0]);
			if (!(fabs(fast - slow) <= 1e-15 * scale))
				bad++;
			else if (scale > 0)
				worst = fmax(worst, fabs(fast - slow) / scale);
			count++;
		}
	}
	CHECK_MSG(bad == 0, "%zu of %zu losses differ from model_loss by more than 1e-15 relative", bad, count);
	CHECK_MSG(nonfinite == 0, "%zu of %zu losses not finite", nonfinite, count);
	CHECK_MSG(worst > 0, "no loss differed at all: is the fast formula in use?");
	printf("test_model: kernel_loss within %.2g relative of model_loss at %zu points\n", worst, count);
	model_forward(m, ws, x);	/* x[0] is NaN */
	CHECK(isnan(kernel_loss(m, ws, &ts[0])));
	work_free(ws);
	model_free(m);
}

static void
glorot(void)
{
	size_t sizes[] = { 4, 8, 1 }, k;
	struct model *m = model_new(sizes, 2);
	double b1 = sqrt(2.0 / 12), b2 = sqrt(2.0 / 9), lo = 0, hi = 0;
	struct rng r;
	int in_range = 1;

	rng_seed(&r, 1);
	model_init_glorot(m, &r);
	CHECK(m->nweights == 8 * 5 + 9);
	for (k = 0; k < 40; k++) {
		in_range &= fabs(m->w[1][k]) <= b1;
		lo = fmin(lo, m->w[1][k]);
		hi = fmax(hi, m->w[1][k]);
	}
	for (k = 0; k < 9; k++)
		in_range &= fabs(m->w[2][k]) <= b2;
	CHECK(in_range);
	CHECK(lo < -b1 / 2 && hi > b1 / 2);
	/* the first weight is the first draw of the documented generator, scaled */
	rng_seed(&r, 1);
	CHECK(m->w[1][0] == b1 * (2.0 * rng_uniform(&r) - 1.0));
	model_free(m);
}

static void
xor_learned(void)
{
	double rows[] = { 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0 };
	size_t sizes[] = { 2, 4, 1 }, k;
	struct dataset d = { .rows = 4, .cols = 3, .ntargets = 1, .x_mem = rows };
	struct train_opts o;
	struct train_state st;
	struct train_result res;
	struct model *m = model_new(sizes, 2);
	struct work *ws = work_new(m);
	char err[256];
	double loss, acc;

	memset(&o, 0, sizeof o);
	o.epochs = 3000;
	o.sched.rate = 0.5;
	o.shuffle = 1;
	memset(&st, 0, sizeof st);
	rng_seed(&st.rng, 1);
	model_init_glorot(m, &st.rng);
	CHECK(train_prepare(m, &d, 1) == 0);
	CHECK(m->mean[0] == 0.5 && m->std[0] == 0.5);
	CHECK(rows[0] == -1 && rows[4] == 1);	/* standardised in place */
	CHECK(train(m, &d, &o, &st, &res, err, sizeof err) == 0);
	CHECK(st.epochs == 3000 && st.updates == 3000 * 4 && res.last_epoch == 3000 && !res.stopped);
	CHECK(train_evaluate(m, &d, &loss, &acc) == 0);
	CHECK_MSG(acc == 1 && loss < 0.05, "accuracy %g, loss %g", acc, loss);
	for (k = 0; k < 4; k++) {
		const double *y = model_forward(m, ws, rows + 3 * k);

		CHECK_MSG(fabs(y[0] - rows[3 * k + 2]) < 0.1, "row %zu: y = %g", k, y[0]);
	}
	work_free(ws);
	model_free(m);
}

static void
divergence(void)
{
	double rows[] = { 1e6, 0, -1e6, 1, 2e6, 1 };
	size_t sizes[] = { 1, 1 };
	struct dataset d = { .rows = 3, .cols = 2, .ntargets = 1, .x_mem = rows };
	struct train_opts o;
	struct train_state st;
	struct train_result res;
	struct model *m = model_new(sizes, 1);
	char err[256];

	memset(&o, 0, sizeof o);
	o.epochs = 50;
	o.sched.rate = 1e300;
	memset(&st, 0, sizeof st);
	rng_seed(&st.rng, 1);
	model_init_glorot(m, &st.rng);
	CHECK(train_prepare(m, &d, 0) == 0);
	CHECK(train(m, &d, &o, &st, &res, err, sizeof err) == ST_DIVERGED);
	CHECK_MSG(strstr(err, "diverged in epoch") != NULL && strstr(err, "-r") != NULL, "%s", err);

	/*
	 * Weights that overflow while the epoch's loss is finite: one row
	 * x = 4, t = 1 on zero weights (loss log 2) and a step of
	 * 1e308 * 0.5 * 4 for w_11.
	 */
	d.rows = 1;
	rows[0] = 4;
	rows[1] = 1;
	memset(m->w_mem, 0, m->nweights * sizeof *m->w_mem);
	o.epochs = 1;
	o.sched.rate = 1e308;
	CHECK(train(m, &d, &o, &st, &res, err, sizeof err) == ST_DIVERGED);
	CHECK_MSG(strstr(err, "diverged in epoch 1: the weights grew too large") != NULL, "%s", err);
	model_free(m);
}

static void
sizes_checked(void)
{
	size_t ok[] = { 4, 8, 1 }, zero[] = { 4, 0, 1 }, huge[] = { 1000000, 1000000, 1 };
	char err[256];

	CHECK(model_check_sizes(ok, 3, err, sizeof err) == 0);
	CHECK(model_check_sizes(ok, 1, err, sizeof err) != 0);
	CHECK(model_check_sizes(zero, 3, err, sizeof err) != 0);
	CHECK(model_check_sizes(huge, 3, err, sizeof err) != 0);
	CHECK_STR(err, "needs more than 2147483648 weights");
	/* 2^31 weights exactly, (65535 + 1) * 32768, are allowed; one input more is not */
	{
		size_t most[] = { 65535, 32768 }, over[] = { 65536, 32768 };

		CHECK(model_check_sizes(most, 2, err, sizeof err) == 0);
		CHECK(model_check_sizes(over, 2, err, sizeof err) != 0);
		CHECK_STR(err, "needs more than 2147483648 weights");
	}
}

/* 1 when the forward passes in wa and wb hold the same bits: z^(0), and a^(l), z^(l) for l >= 1. */
static int
same_forward(const struct model *m, const struct work *wa, const struct work *wb)
{
	int l, same = memcmp(wa->z[0], wb->z[0], m->n[0] * sizeof(double)) == 0;

	for (l = 1; l <= m->L; l++)
		same &= memcmp(wa->a[l], wb->a[l], m->n[l] * sizeof(double)) == 0 &&
		    memcmp(wa->z[l], wb->z[l], m->n[l] * sizeof(double)) == 0;
	return same;
}

/* 1 when the deltas of layers 1..L in wa and wb hold the same bits. */
static int
same_deltas(const struct model *m, const struct work *wa, const struct work *wb)
{
	int l, same = 1;

	for (l = 1; l <= m->L; l++)
		same &= memcmp(wa->delta[l], wb->delta[l], m->n[l] * sizeof(double)) == 0;
	return same;
}

/* Mismatches between the kernels and the reference, counted by kind. */
struct mismatch {
	size_t forward, step, packed, simd, steps;
};

/*
 * One shape: `steps` training steps of model a by the reference
 * (model_forward, model_backward, model_sgd_step) and of model b, a copy,
 * by the kernels (kernel_forward, kernel_train_step), each compared bit for
 * bit; every 10th step also the packed forward pass of a's new weights.
 * The final weights of b go to w_out (nweights).
 */
static void
run_shape(const size_t *n, int L, uint64_t seed, size_t steps, struct mismatch *bad, double *w_out)
{
	struct model *a = model_new(n, L), *b = model_new(n, L);
	struct work *wa = work_new(a), *wb = work_new(b), *wp = work_new(a);
	double *x = malloc(n[0] * sizeof *x), *t = malloc(n[L] * sizeof *t), *grad, eta;
	const double *ya, *yb;
	struct packed *pk;
	struct rng r;
	size_t k, j;

	rng_seed(&r, seed);
	model_init_glorot(a, &r);
	memcpy(b->w_mem, a->w_mem, a->nweights * sizeof *a->w_mem);
	grad = malloc(a->nweights * sizeof *grad);
	for (k = 0; k < steps; k++) {
		for (j = 0; j < n[0]; j++)
			x[j] = 4 * rng_uniform(&r) - 2;
		for (j = 0; j < n[L]; j++)
			t[j] = (double)(rng_next(&r) & 1);
		eta = k % 2 ? 0.7 : 0.05 * rng_uniform(&r);	/* a row weight scales eta: any value */
		ya = model_forward(a, wa, x);
		yb = kernel_forward(b, wb, x);
		bad->forward += ya != wa->z[L] || yb != wb->z[L] || !same_forward(a, wa, wb);
		model_backward(a, wa, t, grad);
		model_sgd_step(a, grad, eta);
		kernel_train_step(b, wb, t, eta);
		bad->step += memcmp(a->w_mem, b->w_mem, a->nweights * sizeof *a->w_mem) != 0 ||
		    !same_deltas(a, wa, wb);
		if (k % 10 == 0) {
			pk = kernel_pack(a);
			model_forward(a, wa, x);
			memcpy(wp->z[0], x, n[0] * sizeof *x);	/* (the packed pass does not write it) */
			bad->packed += pk == NULL || kernel_forward_packed(a, pk, wp, x) != wp->z[L] ||
			    !same_forward(a, wa, wp);
			packed_free(pk);
		}
		bad->steps++;
	}
	memcpy(w_out, b->w_mem, b->nweights * sizeof *w_out);
	free(x);
	free(t);
	free(grad);
	work_free(wa);
	work_free(wb);
	work_free(wp);
	model_free(a);
	model_free(b);
}

/*
 * The kernels against the reference, bit for bit, over many steps: the
 * forward pass (a and z of every layer), the fused train step (weights and
 * deltas) and the packed forward pass of the scorer; with the generic loops
 * and, when the CPU has it, the AVX2 ones, whose final weights must also be
 * the generic ones'.  The shapes have layers of every small width (1 to 8
 * inputs: the fixed-width kernels, with and without a vector part) before
 * and after general ones, and sizes that are not multiples of the vector
 * widths.
 */
static void
kernels_match_reference(void)
{
	static const size_t shapes[][6] = {
		{ 1, 1 }, { 1, 2, 1 }, { 2, 3, 1 }, { 3, 5, 4, 2 }, { 4, 8, 1 }, { 5, 6, 7, 8, 1 },
		{ 6, 2, 3 }, { 7, 13, 1 }, { 8, 8, 8, 8 }, { 8, 1 }, { 9, 1 }, { 5, 1 },
		{ 17, 33, 8 }, { 30, 9, 6, 3 }, { 40, 11, 19, 5, 2 }, { 9, 37, 21 }, { 30, 64, 1 },
		{ 12, 4, 20, 3, 7 }, { 100, 256, 128, 1 },
	};
	struct mismatch bad = { 0, 0, 0, 0, 0 };
	size_t si, nweights, count, steps, l;
	double *w[2] = { NULL, NULL };
	int simd, have, L;

	have = kernel_simd(-1);
	for (si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
		for (count = 0; count < 6 && shapes[si][count] != 0; count++)
			;
		L = (int)count - 1;
		for (nweights = 0, l = 1; l < count; l++)
			nweights += shapes[si][l] * (shapes[si][l - 1] + 1);
		steps = nweights > 10000 ? 30 : 300;
		for (simd = 0; simd <= have; simd++) {
			CHECK(kernel_simd(simd) == simd);
			w[simd] = malloc(nweights * sizeof *w[simd]);
			run_shape(shapes[si], L, 100 + si, steps, &bad, w[simd]);
		}
		if (have)
			bad.simd += memcmp(w[0], w[1], nweights * sizeof *w[0]) != 0;
		free(w[0]);
		free(w[1]);
		w[0] = w[1] = NULL;
	}
	CHECK_MSG(bad.forward == 0, "%zu of %zu kernel_forward passes differ from model_forward", bad.forward, bad.steps);
	CHECK_MSG(bad.step == 0, "%zu of %zu kernel_train_step steps differ from model_backward + model_sgd_step",
	    bad.step, bad.steps);
	CHECK_MSG(bad.packed == 0, "%zu packed forward passes differ from model_forward", bad.packed);
	CHECK_MSG(bad.simd == 0, "%zu shapes where AVX2 and generic kernels end on different weights", bad.simd);
	printf("test_model: kernels against the reference over %zu steps; AVX2 kernels %s\n", bad.steps,
	    have ? "tested against the generic ones" : "not available on this CPU");
	kernel_simd(-1);
}

/*
 * kernel_standardize against model_standardize_part, bit for bit, on the
 * generic and AVX2 loops: ranges of every start and length, values that
 * overflow by x - mean here and there (standardised by halves), the rest
 * of the row left alone.
 */
static void
standardize_matches(void)
{
	enum { N = 23 };
	size_t sizes[] = { N, 1 }, from, to, j, bad = 0, rounds = 0;
	struct model *m = model_new(sizes, 1);
	double mean[N], std[N], x[N], a[N], b[N];
	struct rng r;
	int simd, have = kernel_simd(-1);

	rng_seed(&r, 77);
	for (j = 0; j < N; j++) {
		mean[j] = j % 7 == 3 ? -1e308 : 10 * rng_uniform(&r) - 5;
		std[j] = j % 7 == 3 ? 1e308 : 0.1 + 3 * rng_uniform(&r);
	}
	CHECK(m != NULL && model_set_standardize(m, mean, std) == 0);
	for (simd = 0; simd <= have; simd++) {
		kernel_simd(simd);
		for (from = 0; from <= N; from++)
			for (to = from; to <= N; to++, rounds++) {
				for (j = 0; j < N; j++)
					x[j] = j % 7 == 3 && rng_next(&r) % 2 ? 1.5e308 : 20 * rng_uniform(&r) - 10;
				memcpy(a, x, sizeof x);
				memcpy(b, x, sizeof x);
				model_standardize_part(m, a, from, to);
				kernel_standardize(m, b, from, to);
				bad += memcmp(a, b, sizeof a) != 0;
			}
	}
	kernel_simd(-1);
	CHECK_MSG(bad == 0, "%zu of %zu ranges standardised differently", bad, rounds);
	model_free(m);
}

/*
 * Overflow: x - mean beyond the largest double still standardises (by
 * halves); a unit whose weights add up past it is found, the first in
 * layer order, and makes the model not finite.
 */
static void
overflow(void)
{
	size_t sizes[] = { 2, 2, 1 }, unit;
	struct model *m = model_new(sizes, 2);
	double mean[2] = { -1e308, 0 }, std[2] = { 1e308, 2 }, x[2] = { 1.5e308, 3 }, z[2];
	int layer;

	CHECK(m != NULL && model_set_standardize(m, mean, std) == 0);
	model_standardize(m, z, x);
	CHECK(z[0] == 2.5 && z[1] == 1.5);
	memset(m->w_mem, 0, m->nweights * sizeof *m->w_mem);
	CHECK(model_finite(m) && !model_overflows(m, &layer, &unit));
	m->w[2][1] = 1e308;
	m->w[2][2] = -1e308;
	CHECK(!model_finite(m) && model_overflows(m, &layer, &unit) && layer == 2 && unit == 0);
	m->w[1][4] = 1.7e308;
	m->w[1][5] = 1.7e308;
	CHECK(model_overflows(m, &layer, &unit) && layer == 1 && unit == 1);
	model_free(m);
}

/*
 * model_weights_hot: a small model's weights stay where they are; a big
 * one's (256 KiB and up) move to a 2 MiB boundary with the same values,
 * the per-layer views following, so the forward pass gives the same bits.
 */
static void
weights_hot(void)
{
	size_t small[] = { 3, 4, 1 }, big[] = { 100, 256, 128, 1 }, k;
	struct model *m = model_new(small, 2), *b = model_new(big, 3);
	struct work *ws;
	double *before, *w, x[100], out;
	struct rng r;
	int l;

	REQUIRE(m != NULL && b != NULL);
	w = m->w_mem;
	model_weights_hot(m);
	CHECK(m->w_mem == w);
	model_free(m);
	rng_seed(&r, 5);
	model_init_glorot(b, &r);
	for (k = 0; k < 100; k++)
		x[k] = (double)k / 50 - 1;
	before = malloc(b->nweights * sizeof *before);
	ws = work_new(b);
	REQUIRE(before != NULL && ws != NULL);
	memcpy(before, b->w_mem, b->nweights * sizeof *before);
	model_forward(b, ws, x);
	out = ws->z[3][0];
	model_weights_hot(b);
	CHECK((uintptr_t)b->w_mem % ((uintptr_t)2 << 20) == 0);
	CHECK(memcmp(before, b->w_mem, b->nweights * sizeof *before) == 0);
	CHECK(b->w[1] == b->w_mem);
	for (l = 2; l <= 3; l++)
		CHECK(b->w[l] == b->w[l - 1] + b->n[l - 1] * (b->n[l - 2] + 1));
	model_forward(b, ws, x);
	CHECK(memcmp(&out, &ws->z[3][0], sizeof out) == 0);
	free(before);
	work_free(ws);
	model_free(b);
}

int
main(void)
{
	weights_hot();
	overflow();
	standardize_matches();
	gradient_check();
	one_sgd_step();
	hits_at_half();
	stable_loss();
	fast_loss_matches();
	glorot();
	xor_learned();
	divergence();
	sizes_checked();
	kernels_match_reference();
	return check_summary("test_model");
}
