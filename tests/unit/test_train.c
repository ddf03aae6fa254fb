/*
 * The training loop around the lecture's steps: the learning-rate schedules'
 * formulas and the rate of every update, resuming from a saved state bit
 * for bit, early stopping keeping exactly the best epoch's weights,
 * zero-weight rows making no update, the progress calls within an epoch,
 * and two workers' rounds and weighted averages.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comm.h"
#include "kernels.h"
#include "status.h"
#include "train.h"

/* n rows of two features and a 0/1 target that noise makes hard to fit. */
static double *
noisy_rows(size_t n, uint64_t seed)
{
	double *x = malloc(n * 3 * sizeof *x);
	struct rng r;
	size_t k;

	rng_seed(&r, seed);
	for (k = 0; k < n; k++) {
		x[3 * k] = rng_uniform(&r) * 4 - 2;
		x[3 * k + 1] = rng_uniform(&r) * 4 - 2;
		x[3 * k + 2] = (x[3 * k] * x[3 * k + 1] > 0) != (rng_uniform(&r) < 0.2);
	}
	return x;
}

static struct model *
fresh_model(struct train_state *st)
{
	size_t sizes[] = { 2, 6, 1 };
	struct model *m = model_new(sizes, 2);

	memset(st, 0, sizeof *st);
	rng_seed(&st->rng, 7);
	model_init_glorot(m, &st->rng);
	return m;
}

static void
schedules(void)
{
	struct schedule s = { DECAY_NONE, 0.3, 0.01, 4, 0.5 };

	CHECK(schedule_rate(&s, 9, 1000) == 0.3);
	s.kind = DECAY_INVERSE;
	CHECK(schedule_rate(&s, 1, 0) == 0.3);
	CHECK(schedule_rate(&s, 3, 250) == 0.3 / (1 + 0.01 * 250.0));
	s.kind = DECAY_STEP;
	CHECK(schedule_rate(&s, 1, 99) == 0.3 && schedule_rate(&s, 4, 0) == 0.3);
	CHECK(schedule_rate(&s, 5, 0) == 0.15 && schedule_rate(&s, 12, 0) == 0.075);
	CHECK(schedule_rate(&s, 13, 0) == 0.3 * 0.125);
	CHECK_STR(schedule_name(DECAY_INVERSE), "inverse");
	CHECK(schedule_kind("step") == DECAY_STEP && schedule_kind("none") == DECAY_NONE);
	CHECK(schedule_kind("Step") == -1 && schedule_kind("") == -1);
}

/* 3 + 5 epochs from a saved state give the weights 8 epochs give, with a decaying rate. */
static void
resume_in_halves(void)
{
	struct dataset d = { .rows = 300, .cols = 3, .ntargets = 1, .x_mem = NULL };
	struct train_opts o;
	struct train_state a, b;
	struct train_result res;
	struct model *ma, *mb;
	char err[256];

	d.x_mem = noisy_rows(d.rows, 3);
	ma = fresh_model(&a);
	mb = fresh_model(&b);
	memset(&o, 0, sizeof o);
	o.sched.kind = DECAY_INVERSE;
	o.sched.rate = 0.5;
	o.sched.k = 0.002;
	o.shuffle = 1;
	o.epochs = 8;
	CHECK(train(ma, &d, &o, &a, &res, err, sizeof err) == 0);
	o.epochs = 3;
	CHECK(train(mb, &d, &o, &b, &res, err, sizeof err) == 0);
	CHECK(b.epochs == 3 && b.updates == 900 && res.last_epoch == 3);
	o.epochs = 5;
	CHECK(train(mb, &d, &o, &b, &res, err, sizeof err) == 0);
	CHECK(b.epochs == 8 && b.updates == 2400 && res.last_epoch == 8);
	CHECK(a.rng.state == b.rng.state);
	CHECK(memcmp(ma->w_mem, mb->w_mem, ma->nweights * sizeof *ma->w_mem) == 0);
	model_free(ma);
	model_free(mb);
	free(d.x_mem);
}

/*
 * Every update at its own rate: two epochs in file order under --decay
 * inverse give, bit for bit, the weights of the lecture's steps taken by
 * hand with eta / (1 + k t), t the updates before the row's.  So do rows
 * of weight s (a step of eta s, and no update for weight 0) under --decay
 * step.
 */
static void
rate_per_update(void)
{
	struct dataset d = { .rows = 40, .cols = 3, .ntargets = 1 };
	double w[40];
	struct train_opts o;
	struct train_state st, hand;
	struct train_result res;
	struct model *m, *ref;
	struct work *ws;
	char err[256];
	uint64_t e, t;
	size_t k, weighted;
	const double *x;

	d.x_mem = noisy_rows(d.rows, 9);
	for (k = 0; k < d.rows; k++)
		w[k] = (double)(k % 3);	/* 0, 1, 2, ... */
	for (weighted = 0; weighted < 2; weighted++) {
		d.weight = weighted ? w : NULL;
		m = fresh_model(&st);
		ref = fresh_model(&hand);
		ws = work_new(ref);
		memset(&o, 0, sizeof o);
		o.sched = (struct schedule){ weighted ? DECAY_STEP : DECAY_INVERSE, 0.5, 0.05, 1, 0.5 };
		o.epochs = 2;
		CHECK(train(m, &d, &o, &st, &res, err, sizeof err) == 0);
		for (e = 1, t = 0; e <= 2; e++)
			for (k = 0; k < d.rows; k++) {
				if (weighted && w[k] == 0)
					continue;
				x = d.x_mem + k * d.cols;
				kernel_forward(ref, ws, x);
				kernel_train_step(ref, ws, x + 2, schedule_rate(&o.sched, e, t) * (weighted ? w[k] : 1));
				t++;
			}
		CHECK(st.updates == t);
		CHECK_MSG(memcmp(m->w_mem, ref->w_mem, m->nweights * sizeof *m->w_mem) == 0,
		    "%s: train() and the steps by hand end on different weights", weighted ? "step, weighted" : "inverse");
		work_free(ws);
		model_free(m);
		model_free(ref);
	}
	free(d.x_mem);
}

/* The figures of the last epoch the callback saw. */
static void
last_epoch(void *ctx, const struct epoch_stats *s)
{
	*(struct epoch_stats *)ctx = *s;
}

/*
 * An epoch's loss and accuracy are means over rows and outputs: at rate 0
 * the weights stay, and they are what train_evaluate says of the model, for
 * a net of two outputs too.
 */
static void
epoch_figures(void)
{
	struct dataset d = { .rows = 30, .cols = 4, .ntargets = 2 };
	size_t sizes[] = { 2, 5, 2 }, k;
	struct epoch_stats es;
	struct train_opts o;
	struct train_state st;
	struct train_result res;
	struct model *m = model_new(sizes, 2);
	double *rows = noisy_rows(d.rows, 4), loss, acc;
	char err[256];

	d.x_mem = malloc(d.rows * 4 * sizeof *d.x_mem);
	for (k = 0; k < d.rows; k++) {	/* targets: the noisy one and its opposite */
		memcpy(d.x_mem + 4 * k, rows + 3 * k, 3 * sizeof *rows);
		d.x_mem[4 * k + 3] = 1 - rows[3 * k + 2];
	}
	memset(&st, 0, sizeof st);
	rng_seed(&st.rng, 2);
	model_init_glorot(m, &st.rng);
	memset(&o, 0, sizeof o);
	o.epochs = 1;
	o.on_epoch = last_epoch;
	o.ctx = &es;
	memset(&es, 0, sizeof es);
	CHECK(train(m, &d, &o, &st, &res, err, sizeof err) == 0);
	CHECK(train_evaluate(m, &d, &loss, &acc) == 0);
	CHECK_MSG(es.epoch == 1 && es.accuracy == acc && acc > 0 && acc < 1, "epoch %g, model %g", es.accuracy, acc);
	CHECK_NEAR(es.loss, loss, 1e-14);
	model_free(m);
	free(rows);
	free(d.x_mem);
}

/* train_evaluate with row weights: the weighted means, sum s L / sum s, by hand with model.c. */
static void
weighted_figures(void)
{
	struct dataset d = { .rows = 25, .cols = 3, .ntargets = 1 };
	double w[25], loss, acc, sl = 0, sh = 0, sw = 0;
	struct train_state st;
	struct model *m = fresh_model(&st);
	struct work *ws = work_new(m);
	const double *x;
	size_t k;

	d.x_mem = noisy_rows(d.rows, 6);
	for (k = 0; k < d.rows; k++) {
		w[k] = (double)(k % 4) * 0.75;	/* 0, 0.75, 1.5, 2.25, ... */
		x = d.x_mem + 3 * k;
		model_forward(m, ws, x);
		sl += w[k] * model_loss(m, ws, x + 2);
		sh += w[k] * (double)model_hits(m, ws, x + 2);
		sw += w[k];
	}
	d.weight = w;
	CHECK(train_evaluate(m, &d, &loss, &acc) == 0);
	CHECK_MSG(loss == sl / sw && acc == sh / sw, "loss %.17g (want %.17g), accuracy %.17g (want %.17g)", loss,
	    sl / sw, acc, sh / sw);
	work_free(ws);
	model_free(m);
	free(d.x_mem);
}

/* What the epoch callback saw: the weights after each epoch, and the epochs' figures. */
struct seen {
	const struct model *m;
	double w[64][64];
	struct epoch_stats s[64];
	size_t n;
};

static void
remember(void *ctx, const struct epoch_stats *s)
{
	struct seen *v = ctx;

	if (v->n < 64) {
		memcpy(v->w[v->n], v->m->w_mem, v->m->nweights * sizeof *v->m->w_mem);
		v->s[v->n++] = *s;
	}
}

static void
early_stopping(void)
{
	struct dataset d = { .rows = 200, .cols = 3, .ntargets = 1, .x_mem = NULL };
	struct dataset val = { .rows = 100, .cols = 3, .ntargets = 1, .x_mem = NULL };
	struct train_opts o;
	struct train_state st;
	struct train_result res;
	struct seen *v = calloc(1, sizeof *v);
	struct model *m;
	double loss, acc;
	char err[256];
	size_t b;

	d.x_mem = noisy_rows(d.rows, 11);
	val.x_mem = noisy_rows(val.rows, 12);
	m = fresh_model(&st);
	v->m = m;
	memset(&o, 0, sizeof o);
	o.sched.rate = 3;	/* large: the validation loss jumps about */
	o.shuffle = 1;
	o.epochs = 60;
	o.val = &val;
	o.patience = 3;
	o.tol = 0;
	o.on_epoch = remember;
	o.ctx = v;
	CHECK(train(m, &d, &o, &st, &res, err, sizeof err) == 0);
	CHECK_MSG(res.stopped && res.last_epoch < 60 && res.last_epoch == res.best_epoch + 3,
	    "stopped %d, last %llu, best %llu", res.stopped, (unsigned long long)res.last_epoch,
	    (unsigned long long)res.best_epoch);
	CHECK(v->n == res.last_epoch);
	b = res.best_epoch - 1;
	CHECK(v->s[b].best && v->s[b].val_loss == res.best_loss);
	for (size_t e = 0; e < v->n; e++)
		CHECK_MSG(e == b || v->s[e].val_loss >= res.best_loss, "epoch %zu beats the best", e + 1);
	CHECK(memcmp(m->w_mem, v->w[b], m->nweights * sizeof *m->w_mem) == 0);
	CHECK(st.epochs == res.best_epoch && st.updates == res.best_epoch * 200);
	CHECK(train_evaluate(m, &val, &loss, &acc) == 0 && loss == res.best_loss);
	model_free(m);
	free(d.x_mem);
	free(val.x_mem);
	free(v);
}

/* Rows of weight 0 make no update: they count neither as updates nor in the inverse schedule's t. */
static void
zero_weights(void)
{
	struct dataset d = { .rows = 10, .cols = 3, .ntargets = 1, .x_mem = NULL };
	double w[10] = { 1, 0, 2, 0, 1, 1, 0, 1, 1, 1 };
	struct train_opts o;
	struct train_state st;
	struct train_result res;
	struct model *m;
	char err[256];

	d.x_mem = noisy_rows(d.rows, 5);
	d.weight = w;
	m = fresh_model(&st);
	memset(&o, 0, sizeof o);
	o.sched.rate = 0.1;
	o.epochs = 4;
	CHECK(train(m, &d, &o, &st, &res, err, sizeof err) == 0);
	CHECK(st.updates == 4 * 7);
	model_free(m);
	free(d.x_mem);
}

struct calls {
	size_t n, bad;
};

static void
count_rows(void *ctx, const struct row_progress *p)
{
	struct calls *c = ctx;

	c->n++;
	c->bad += p->done % TRAIN_PROGRESS_ROWS != 0 || p->done >= p->rows || p->rows != 3000 ||
	    !(p->loss > 0) || p->epoch < 1 || p->epoch > 2;
}

static void
progress_calls(void)
{
	struct dataset d = { .rows = 3000, .cols = 3, .ntargets = 1, .x_mem = NULL };
	struct train_opts o;
	struct train_state st;
	struct train_result res;
	struct calls c = { 0, 0 };
	struct model *m;
	char err[256];

	d.x_mem = noisy_rows(d.rows, 9);
	m = fresh_model(&st);
	memset(&o, 0, sizeof o);
	o.sched.rate = 0.1;
	o.epochs = 2;
	o.on_rows = count_rows;
	o.ctx = &c;
	CHECK(train(m, &d, &o, &st, &res, err, sizeof err) == 0);
	CHECK_MSG(c.n == 4 && c.bad == 0, "%zu calls, %zu wrong", c.n, c.bad);
	model_free(m);
	free(d.x_mem);
}

/*
 * Shuffled epochs (each row asked for from memory some rows ahead of its
 * turn): the weights of the lecture's steps taken by hand in the stream's
 * order, bit for bit, with and without row weights.
 */
static void
shuffled_by_hand(void)
{
	struct dataset d = { .rows = 30000, .cols = 3, .ntargets = 1 };
	struct train_opts o;
	struct train_state st, hand;
	struct train_result res;
	struct model *m, *ref;
	struct work *ws;
	double *w = malloc(d.rows * sizeof *w);
	uint32_t *idx = malloc(d.rows * sizeof *idx);
	char err[256];
	size_t k, weighted;
	uint64_t e;
	const double *x;

	REQUIRE(w != NULL && idx != NULL);
	d.x_mem = noisy_rows(d.rows, 5);
	for (k = 0; k < d.rows; k++)
		w[k] = (double)(k % 4) / 2;	/* 0, 0.5, 1, 1.5, ... */
	for (weighted = 0; weighted < 2; weighted++) {
		d.weight = weighted ? w : NULL;
		m = fresh_model(&st);
		ref = fresh_model(&hand);
		ws = work_new(ref);
		memset(&o, 0, sizeof o);
		o.sched = (struct schedule){ DECAY_NONE, 0.2, 0, 1, 1 };
		o.shuffle = 1;
		o.epochs = 2;
		CHECK(train(m, &d, &o, &st, &res, err, sizeof err) == 0);
		for (e = 1; e <= 2; e++) {
			for (k = 0; k < d.rows; k++)
				idx[k] = (uint32_t)k;
			rng_shuffle32(&hand.rng, idx, d.rows);
			for (k = 0; k < d.rows; k++) {
				if (weighted && w[idx[k]] == 0)
					continue;
				x = d.x_mem + (size_t)idx[k] * d.cols;
				kernel_forward(ref, ws, x);
				kernel_train_step(ref, ws, x + 2, 0.2 * (weighted ? w[idx[k]] : 1));
			}
		}
		CHECK_MSG(memcmp(m->w_mem, ref->w_mem, m->nweights * sizeof *m->w_mem) == 0,
		    "%s: train() and the steps by hand end on different weights", weighted ? "weighted" : "plain");
		CHECK(st.rng.state == hand.rng.state);
		work_free(ws);
		model_free(m);
		model_free(ref);
	}
	free(d.x_mem);
	free(w);
	free(idx);
}

/* One worker of two_workers: its rows, model, options and outcome. */
struct worker {
	struct dataset d;
	struct comm c;
	struct model *m;
	struct train_opts o;
	struct train_state st;
	struct train_result res;
	int rc;
	char err[256];
};

static void *
run_worker(void *arg)
{
	struct worker *w = arg;

	w->rc = train(w->m, &w->d, &w->o, &w->st, &w->res, w->err, sizeof w->err);
	return NULL;
}

/*
 * Two workers (threads), 21 rows and 19, --sync-every 5, --decay inverse,
 * row weights with a round in which worker 1 makes no update: the
 * lecture's steps by hand, round by round (5 of them: ceil(21 / 5)), each
 * worker's rows spread evenly over the rounds, every update's rate from
 * the updates of both workers before the round plus twice this worker's
 * in it, then the weights averaged weighted by the updates each made (the
 * one that moved alone when the other did not); the epoch's loss is both
 * workers' weighted losses over both workers' weights.  Bit for bit.
 */
static void
two_workers(void)
{
	static const size_t rows[2] = { 21, 19 };
	struct worker w[2];
	struct team *t = comm_threads_new(2);
	struct model *ref[2];
	struct work *ws = NULL;
	struct train_state hand;
	struct epoch_stats es;
	double *x = noisy_rows(40, 12), wt[40], loss[2], weight[2], *a, *b;
	uint64_t e, j, u = 0, made[2];
	size_t q, k, i, lo, hi;
	pthread_t th;
	const double *r;

	REQUIRE(t != NULL && x != NULL);
	for (k = 0; k < 40; k++)
		wt[k] = k >= 24 && k < 28 ? 0 : (double)(k % 3) / 2 + 0.5;	/* worker 1's rows 3-6 (round 2): 0 */
	memset(w, 0, sizeof w);
	memset(&es, 0, sizeof es);
	for (q = 0; q < 2; q++) {
		w[q].d = (struct dataset){ .rows = rows[q], .cols = 3, .ntargets = 1, .rows_all = 40 };
		w[q].d.x_mem = x + (q ? rows[0] * 3 : 0);
		w[q].d.weight = wt + (q ? rows[0] : 0);
		w[q].d.comm = &w[q].c;
		comm_threads_join(t, (int)q, &w[q].c);
		w[q].m = fresh_model(&w[q].st);
		ref[q] = fresh_model(&hand);
		w[q].o.sched = (struct schedule){ DECAY_INVERSE, 0.5, 0.05, 1, 0.5 };
		w[q].o.epochs = 2;
		w[q].o.sync_every = 5;
	}
	w[0].o.on_epoch = last_epoch;
	w[0].o.ctx = &es;
	ws = work_new(ref[0]);
	REQUIRE(ws != NULL);
	pthread_create(&th, NULL, run_worker, &w[1]);
	run_worker(&w[0]);
	pthread_join(th, NULL);
	for (e = 1; e <= 2; e++) {
		memset(loss, 0, sizeof loss);
		memset(weight, 0, sizeof weight);
		for (j = 0; j < 5; j++) {
			for (q = 0; q < 2; q++) {
				lo = (size_t)(j * rows[q] / 5);
				hi = (size_t)((j + 1) * rows[q] / 5);
				for (made[q] = 0, k = lo; k < hi; k++) {
					i = (q ? rows[0] : 0) + k;
					if (wt[i] == 0)
						continue;
					r = x + i * 3;
					kernel_forward(ref[q], ws, r);
					loss[q] += wt[i] * kernel_loss(ref[q], ws, r + 2);
					weight[q] += wt[i];
					kernel_train_step(ref[q], ws, r + 2, schedule_rate(&w[0].o.sched, e, u + 2 * made[q]) *
					    wt[i]);
					made[q]++;
				}
			}
			u += made[0] + made[1];
			a = ref[0]->w_mem;
			b = ref[1]->w_mem;
			for (k = 0; k < ref[0]->nweights; k++)
				a[k] = b[k] = made[0] == 0 ? b[k] : made[1] == 0 ? a[k] :
				    ((double)made[0] * a[k] + (double)made[1] * b[k]) / (double)(made[0] + made[1]);
		}
	}
	CHECK(w[0].rc == 0 && w[1].rc == 0);
	CHECK(w[0].st.updates == u && w[1].st.updates == u);
	for (q = 0; q < 2; q++)
		CHECK_MSG(memcmp(w[q].m->w_mem, ref[0]->w_mem, ref[0]->nweights * sizeof *ref[0]->w_mem) == 0,
		    "worker %zu: train() and the rounds by hand end on different weights", q);
	CHECK_MSG(es.epoch == 2 && es.loss == (loss[0] + loss[1]) / (weight[0] + weight[1]),
	    "epoch %llu's loss %.17g, by hand %.17g", (unsigned long long)es.epoch, es.loss,
	    (loss[0] + loss[1]) / (weight[0] + weight[1]));
	work_free(ws);
	for (q = 0; q < 2; q++) {
		model_free(w[q].m);
		model_free(ref[q]);
	}
	comm_threads_free(t);
	free(x);
}

int
main(void)
{
	schedules();
	shuffled_by_hand();
	resume_in_halves();
	rate_per_update();
	epoch_figures();
	weighted_figures();
	early_stopping();
	zero_weights();
	progress_calls();
	two_workers();
	return check_summary("test_train");
}
