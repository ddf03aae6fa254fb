/*
 * The SGD loop.  Each sample goes through the lecture's five steps: forward
 * pass (kernel_forward), delta_out = y - t, back-propagated deltas, gradient,
 * update; the last four in one pass over the weights (kernel_train_step),
 * which gives the same weights as model_backward followed by model_sgd_step
 * (kernels.h; model.c has the reference versions).  Around it: the
 * learning-rate schedule, the epoch's statistics, and early stopping, which
 * keeps a copy of the best epoch's weights.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernels.h"
#include "status.h"
#include "train.h"

int
train_prepare(struct model *m, struct dataset *d, int standardize)
{
	size_t f = data_nfeatures(d), r;
	double *mean, *std;
	int st = 0;

	if (standardize && m->mean == NULL) {
		mean = malloc(f * sizeof *mean);
		std = malloc(f * sizeof *std);
		if (mean == NULL || std == NULL)
			st = ST_NOMEM;
		else {
			data_stats(d, mean, std);
			if (model_set_standardize(m, mean, std) != 0)
				st = ST_NOMEM;
		}
		free(mean);
		free(std);
		if (st != 0)
			return st;
	}
	if (m->mean != NULL)
		for (r = 0; r < d->rows; r++)
			model_standardize(m, d->x_mem + r * d->cols, d->x_mem + r * d->cols);
	return 0;
}

double
train_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The weights and state of the best epoch so far, kept with o->patience. */
struct best {
	double *w;
	struct train_state s;
};

/* What the rows of an epoch add up to, weighted by the rows' weights. */
struct tally {
	double loss, hits, weight;
};

/*
 * One epoch of SGD: the rows in the order idx, each through the lecture's
 * five steps (kernel_forward, kernel_train_step), at the schedule's rate.
 * Counts the updates; 0, or the stop status with a message.
 */
static int
sgd_epoch(struct model *m, struct work *ws, const struct dataset *d, const size_t *idx, const struct train_opts *o,
    uint64_t e, uint64_t *updates, struct tally *t, char *err, size_t errlen)
{
	size_t f = data_nfeatures(d), k;
	const double *wt = d->weight, *x;
	int inverse = o->sched.kind == DECAY_INVERSE;
	double rate = schedule_rate(&o->sched, e, *updates), s;
	struct row_progress rp;

	memset(t, 0, sizeof *t);
	for (k = 0; k < d->rows; k++) {
		if (o->stop != NULL && *o->stop) {
			snprintf(err, errlen, "interrupted in epoch %" PRIu64 " at row %zu of %zu", e, k + 1, d->rows);
			return *o->stop;
		}
		if (o->on_rows != NULL && k > 0 && k % TRAIN_PROGRESS_ROWS == 0) {
			rp.epoch = e;
			rp.done = k;
			rp.rows = d->rows;
			rp.loss = wt == NULL ? t->loss / (double)k : t->weight > 0 ? t->loss / t->weight : 0;
			o->on_rows(o->ctx, &rp);
		}
		x = d->x_mem + idx[k] * d->cols;
		if (inverse)
			rate = schedule_rate(&o->sched, e, *updates);
		kernel_forward(m, ws, x);
		if (wt == NULL) {
			t->loss += kernel_loss(m, ws, x + f);
			t->hits += (double)model_hits(m, ws, x + f);
			kernel_train_step(m, ws, x + f, rate);
		} else if ((s = wt[idx[k]]) > 0) {	/* the loss s L: its gradient s dL/dw */
			t->loss += s * kernel_loss(m, ws, x + f);
			t->hits += s * (double)model_hits(m, ws, x + f);
			t->weight += s;
			kernel_train_step(m, ws, x + f, rate * s);
		} else
			continue;	/* weight 0: no update */
		(*updates)++;
	}
	if (wt == NULL)
		t->weight = (double)d->rows;
	return 0;
}

int
train(struct model *m, const struct dataset *d, const struct train_opts *o,
    struct train_state *state, struct train_result *res, char *err, size_t errlen)
{
	size_t nout = model_hit_units(m), *idx, k;
	struct epoch_stats es;
	struct best best = { NULL, { 0, 0, { 0 } } };
	struct tally t;
	struct work *ws;
	double t0, monitor;
	uint64_t e, last = state->epochs + o->epochs, since_best = 0;
	int st = 0;

	memset(res, 0, sizeof *res);
	res->last_epoch = state->epochs;
	res->best_loss = HUGE_VAL;
	idx = malloc(d->rows * sizeof *idx);
	ws = work_new(m);
	if (o->patience > 0)
		best.w = malloc(m->nweights * sizeof *best.w);
	if (idx == NULL || ws == NULL || (o->patience > 0 && best.w == NULL)) {
		snprintf(err, errlen, "out of memory");
		st = ST_NOMEM;
		goto done;
	}
	for (k = 0; k < d->rows; k++)
		idx[k] = k;
	for (e = state->epochs + 1; e <= last; e++) {
		t0 = train_now();
		if (o->shuffle) {
			/* from file order every time, so the order depends on the stream alone: resumable */
			for (k = 0; k < d->rows; k++)
				idx[k] = k;
			rng_shuffle(&state->rng, idx, d->rows);
		}
		es.rate = schedule_rate(&o->sched, e, state->updates);
		if ((st = sgd_epoch(m, ws, d, idx, o, e, &state->updates, &t, err, errlen)) != 0)
			goto done;
		es.loss = t.loss / t.weight;
		if (!isfinite(es.loss) || !model_finite(m)) {
			snprintf(err, errlen, "training diverged in epoch %" PRIu64 ": the %s; "
			    "try a smaller learning rate than -r %g%s", e, isfinite(es.loss) ?
			    "weights grew too large (a unit's weighted sum can overflow)" : "loss became non-finite",
			    o->sched.rate, m->mean == NULL ? ", or leave standardisation on" : "");
			st = ST_DIVERGED;
			goto done;
		}
		state->epochs = e;
		res->last_epoch = e;
		es.epoch = e;
		es.accuracy = t.hits / (t.weight * (double)nout);
		es.have_val = o->val != NULL;
		es.val_loss = es.val_accuracy = 0;
		if (o->val != NULL && (st = train_evaluate(m, o->val, &es.val_loss, &es.val_accuracy)) != 0) {
			if (st == ST_NOMEM)
				snprintf(err, errlen, "out of memory");
			else
				snprintf(err, errlen, "training diverged in epoch %" PRIu64 ": the validation loss became "
				    "non-finite; try a smaller learning rate than -r %g%s", e, o->sched.rate,
				    m->mean == NULL ? ", or leave standardisation on" : "");
			goto done;
		}
		monitor = o->val != NULL ? es.val_loss : es.loss;
		es.best = monitor < res->best_loss - o->tol;
		if (es.best) {
			res->best_epoch = e;
			res->best_loss = monitor;
			since_best = 0;
			if (best.w != NULL) {
				memcpy(best.w, m->w_mem, m->nweights * sizeof *best.w);
				best.s = *state;
			}
		} else
			since_best++;
		es.seconds = train_now() - t0;
		if (o->on_epoch != NULL)
			o->on_epoch(o->ctx, &es);
		if (o->patience > 0 && since_best >= o->patience) {
			res->stopped = e < last;
			break;
		}
	}
	if (best.w != NULL && res->best_epoch > 0) {
		memcpy(m->w_mem, best.w, m->nweights * sizeof *best.w);
		*state = best.s;
	}
done:
	free(idx);
	free(best.w);
	work_free(ws);
	return st;
}

int
train_evaluate(const struct model *m, const struct dataset *d, double *loss, double *accuracy)
{
	size_t f = data_nfeatures(d), k;
	struct work *ws;
	double sum = 0, hits = 0, wsum = 0, s;
	const double *x;

	if ((ws = work_new(m)) == NULL)
		return ST_NOMEM;
	for (k = 0; k < d->rows; k++) {
		x = d->x_mem + k * d->cols;
		s = d->weight != NULL ? d->weight[k] : 1;
		if (s == 0)
			continue;
		kernel_forward(m, ws, x);
		sum += s * model_loss(m, ws, x + f);
		hits += s * (double)model_hits(m, ws, x + f);
		wsum += s;
	}
	work_free(ws);
	*loss = sum / wsum;
	*accuracy = hits / (wsum * (double)model_hit_units(m));
	return isfinite(*loss) ? 0 : ST_DIVERGED;
}
