/*
 * The SGD loop.  Each sample goes through the lecture's five steps: forward
 * pass (kernel_forward), delta_out = y - t, back-propagated deltas, gradient,
 * update; the last four in one pass over the weights (kernel_train_step),
 * which gives the same weights as model_backward followed by model_sgd_step
 * (kernels.h; model.c has the reference versions).  Around it: the
 * learning-rate schedule, the epoch's statistics, and early stopping, which
 * keeps a copy of the best epoch's weights.
 *
 * With several workers (the rows split among them, d->comm), each runs this
 * same loop on its own rows, and an epoch is cut into rounds: after each,
 * the workers' weights become their average, weighted by the updates each
 * made in the round (parameter mixing: Zinkevich et al. 2010, McDonald et
 * al. 2010).  The rounds are as many as --sync-every rows make of the
 * largest worker's rows, and each worker spreads its rows evenly over them,
 * so that every round mixes the same share of every worker's rows.  One
 * worker has one round an epoch and never mixes: the loop of old.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "comm.h"
#include "kernels.h"
#include "status.h"
#include "train.h"

int
train_prepare(struct model *m, struct dataset *d, int standardize)
{
	size_t f = data_nfeatures(d), r;
	double *mean, *std;
	int st, who;

	if (standardize && m->mean == NULL) {
		mean = malloc((f > 0 ? f : 1) * sizeof *mean);
		std = malloc((f > 0 ? f : 1) * sizeof *std);
		if ((st = comm_agree(d->comm != NULL ? d->comm : comm_alone(), mean == NULL || std == NULL ? ST_NOMEM : 0,
		    &who)) == 0 && mean != NULL && std != NULL && (st = data_stats(d, mean, std)) == 0 &&
		    model_set_standardize(m, mean, std) != 0)
			st = ST_NOMEM;
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

/* What a worker tells the others after a round. */
struct round {
	int32_t st;		/* 0, or why it stopped */
	uint64_t updates;	/* made in the round */
	uint64_t rows;		/* visited in the epoch so far */
	struct tally t;		/* of the epoch so far */
};

/* One worker's place in the epoch: its rows in this epoch's order, and the rounds. */
struct pass {
	const struct dataset *d;
	const uint32_t *idx;	/* (d->rows) the order */
	uint64_t e;		/* the epoch */
	uint64_t *updates;	/* updates of every worker before this round */
	int workers;
	struct tally t;		/* this worker's, of the epoch so far */
	uint64_t done;		/* rows visited */
	uint64_t made;		/* updates made in the round */
	struct round *every;	/* (workers) what each tells after a round */
	double *counts;		/* (workers) the updates each made in it */
	int ahead;		/* a shuffled epoch: ask for the rows ahead (prefetch) */
};

#define AHEAD 12	/* rows: how far ahead a shuffled epoch asks for its rows */

/*
 * One round of SGD: this worker's rows idx[lo..hi), each through the
 * lecture's five steps (kernel_forward, kernel_train_step), at the
 * schedule's rate.  The update count of --decay inverse goes on from every
 * worker's count at the round's start, each of this worker's updates
 * counting as one of every worker's (workers at a time).  Returns 0, or
 * the stop status with a message.
 */
static int
sgd_round(struct model *m, struct work *ws, struct pass *p, size_t lo, size_t hi, const struct train_opts *o,
    char *err, size_t errlen)
{
	const struct dataset *d = p->d;
	size_t f = data_nfeatures(d), k = lo, j;
	const double *wt = d->weight, *x;
	int inverse = o->sched.kind == DECAY_INVERSE;
	double rate = schedule_rate(&o->sched, p->e, *p->updates), s;
	struct tally *t = &p->t;
	struct row_progress rp;
	int st;

	p->made = 0;
	for (; k < hi; k++, p->done++) {
		if ((st = STOP_FLAG(o->stop)) != 0) {
			snprintf(err, errlen, "interrupted in epoch %" PRIu64 " at row %zu of %zu", p->e, k + 1, d->rows);
			return st;
		}
		if (o->on_rows != NULL && p->workers == 1 && k > 0 && k % TRAIN_PROGRESS_ROWS == 0) {
			rp.epoch = p->e;
			rp.done = k;
			rp.rows = d->rows;
			rp.loss = wt == NULL ? t->loss / (double)k : t->weight > 0 ? t->loss / t->weight : 0;
			o->on_rows(o->ctx, &rp);
		}
		if (p->ahead && k + AHEAD < hi) {
			/*
			 * A shuffled epoch walks the rows in an order no
			 * prefetcher can guess: the row AHEAD rows on is asked
			 * for now, so that memory serves it while these are
			 * trained on, not when it is the next.  The same rows
			 * in the same order: the same updates.
			 */
			x = d->x_mem + (size_t)p->idx[k + AHEAD] * d->cols;
			for (j = 0; j < d->cols; j += 8)	/* (a cache line of doubles) */
				__builtin_prefetch(x + j);
			__builtin_prefetch(x + d->cols - 1);
			if (wt != NULL)
				__builtin_prefetch(wt + p->idx[k + AHEAD]);
		}
		x = d->x_mem + (size_t)p->idx[k] * d->cols;
		if (inverse)
			rate = schedule_rate(&o->sched, p->e, *p->updates + (uint64_t)p->workers * p->made);
		kernel_forward(m, ws, x);
		if (wt == NULL) {
			t->loss += kernel_loss(m, ws, x + f);
			t->hits += (double)model_hits(m, ws, x + f);
			kernel_train_step(m, ws, x + f, rate);
		} else if ((s = wt[p->idx[k]]) > 0) {	/* the loss s L: its gradient s dL/dw */
			t->loss += s * kernel_loss(m, ws, x + f);
			t->hits += s * (double)model_hits(m, ws, x + f);
			t->weight += s;
			kernel_train_step(m, ws, x + f, rate * s);
		} else
			continue;	/* weight 0: no update */
		p->made++;
	}
	return 0;
}

/*
 * The end of a round with several workers: whether one stopped (then all
 * do, with its status), the weights averaged, every worker's updates
 * counted; *all gets the epoch's totals so far of every worker, added in
 * worker order, and *rows their rows visited.
 */
static int
mix(struct comm *c, struct model *m, struct pass *p, int st, struct tally *all, uint64_t *rows, char *err,
    size_t errlen)
{
	struct round mine, *every = p->every;
	int q, r;

	memset(&mine, 0, sizeof mine);	/* (its padding travels too) */
	mine.st = st;
	mine.updates = p->made;
	mine.rows = p->done;
	mine.t = p->t;
	if ((r = c->ops->allgather(c, &mine, sizeof mine, every)) != 0) {
		snprintf(err, errlen, "out of memory");
		return r;
	}
	memset(all, 0, sizeof *all);
	for (*rows = 0, q = 0; q < c->size; q++) {
		if (st == 0 && every[q].st != 0) {
			st = every[q].st;
			snprintf(err, errlen, "interrupted in epoch %" PRIu64, p->e);
		}
		*p->updates += every[q].updates;
		*rows += every[q].rows;
		all->loss += every[q].t.loss;
		all->hits += every[q].t.hits;
		all->weight += every[q].t.weight;
		p->counts[q] = (double)every[q].updates;
	}
	if (st == 0 && (r = comm_average(c, m->w_mem, m->nweights, p->counts)) != 0) {
		snprintf(err, errlen, "out of memory");
		return r;
	}
	return st;
}

/*
 * One epoch of every worker's rows in the order idx: the rounds, each
 * followed by the average (with several workers).  *t gets the epoch's
 * totals of every worker.  0, or the stop status with a message.
 */
static int
sgd_epoch(struct model *m, struct work *ws, struct pass *p, const struct train_opts *o, uint64_t rounds,
    struct tally *t, char *err, size_t errlen)
{
	const struct dataset *d = p->d;
	struct comm *c = d->comm != NULL ? d->comm : comm_alone();
	struct row_progress rp;
	uint64_t j, e = p->e, rows = 0, shown = 0;
	size_t lo, hi;
	int st;

	memset(t, 0, sizeof *t);
	memset(&p->t, 0, sizeof p->t);
	p->done = 0;
	for (j = 0; j < rounds; j++) {
		lo = (size_t)(j * d->rows / rounds);
		hi = (size_t)((j + 1) * d->rows / rounds);
		st = sgd_round(m, ws, p, lo, hi, o, err, errlen);
		if (c->size == 1) {
			*p->updates += p->made;
			if (st != 0)
				return st;
			continue;
		}
		if ((st = mix(c, m, p, st, t, &rows, err, errlen)) != 0)
			return st;
		if (o->on_rows != NULL && j + 1 < rounds && rows - shown >= TRAIN_PROGRESS_ROWS) {
			rp.epoch = e;
			rp.done = (size_t)rows;
			rp.rows = data_rows(d);
			rp.loss = t->weight > 0 ? t->loss / t->weight : t->loss / (double)rows;
			o->on_rows(o->ctx, &rp);
			shown = rows;
		}
	}
	if (c->size == 1)
		*t = p->t;
	if (d->weight == NULL)
		t->weight = (double)data_rows(d);
	return 0;
}

/* Rounds an epoch: one alone; with several workers, --sync-every rows of the largest worker's each. */
static int
count_rounds(const struct dataset *d, const struct train_opts *o, uint64_t *rounds)
{
	double most = (double)d->rows;
	int st;

	*rounds = 1;
	if (d->comm == NULL || d->comm->size == 1 || o->sync_every == 0)
		return 0;
	if ((st = comm_max(d->comm, &most, 1)) != 0)
		return st;
	*rounds = ((uint64_t)most + o->sync_every - 1) / o->sync_every;
	if (*rounds == 0)
		*rounds = 1;
	return 0;
}

/* Keeps the epoch when it is the best so far; whether patience ran out. */
static int
keep_best(const struct model *m, const struct train_opts *o, struct epoch_stats *es, const struct train_state *state,
    struct train_result *res, struct best *best, uint64_t *since_best)
{
	double monitor = o->val != NULL ? es->val_loss : es->loss;

	es->best = monitor < res->best_loss - o->tol;
	if (es->best) {
		res->best_epoch = es->epoch;
		res->best_loss = monitor;
		*since_best = 0;
		if (best->w != NULL) {
			memcpy(best->w, m->w_mem, m->nweights * sizeof *best->w);
			best->s = *state;
		}
	} else
		(*since_best)++;
	return o->patience > 0 && *since_best >= o->patience;
}

/* The message of a diverged epoch, and its status. */
static int
diverged(const struct model *m, const struct train_opts *o, uint64_t e, int loss_finite, const char *what, char *err,
    size_t errlen)
{
	if (what != NULL)
		snprintf(err, errlen, "training diverged in epoch %" PRIu64 ": the %s; try a smaller learning rate than "
		    "-r %g%s", e, what, o->sched.rate, m->mean == NULL ? ", or leave standardisation on" : "");
	else
		snprintf(err, errlen, "training diverged in epoch %" PRIu64 ": the %s; try a smaller learning rate than "
		    "-r %g%s", e, loss_finite ? "weights grew too large (a unit's weighted sum can overflow)" :
		    "loss became non-finite", o->sched.rate, m->mean == NULL ? ", or leave standardisation on" : "");
	return ST_DIVERGED;
}

int
train(struct model *m, const struct dataset *d, const struct train_opts *o,
    struct train_state *state, struct train_result *res, char *err, size_t errlen)
{
	struct comm *c = d->comm != NULL ? d->comm : comm_alone();
	size_t nout = model_hit_units(m), k;
	uint32_t *idx;
	struct epoch_stats es;
	struct best best = { NULL, { 0, 0, { 0 } } };
	struct pass p;
	struct tally t;
	struct work *ws;
	double t0;
	uint64_t e, last = state->epochs + o->epochs, since_best = 0, rounds = 1;
	int st;

	memset(res, 0, sizeof *res);
	res->last_epoch = state->epochs;
	res->best_loss = HUGE_VAL;
	memset(&p, 0, sizeof p);
	p.d = d;
	p.updates = &state->updates;
	p.workers = c->size;
	p.idx = idx = malloc((d->rows > 0 ? d->rows : 1) * sizeof *idx);
	p.every = malloc((size_t)c->size * sizeof *p.every);
	p.counts = malloc((size_t)c->size * sizeof *p.counts);
	p.ahead = o->shuffle;
	model_weights_hot(m);
	ws = work_new(m);
	if (o->patience > 0)
		best.w = malloc(m->nweights * sizeof *best.w);
	st = idx == NULL || p.every == NULL || p.counts == NULL || ws == NULL || (o->patience > 0 && best.w == NULL) ?
	    ST_NOMEM : 0;
	snprintf(err, errlen, "out of memory");
	if (d->rows > UINT32_MAX) {	/* (an epoch's order holds 32-bit row numbers) */
		snprintf(err, errlen, "%zu training rows for one worker, more than %" PRIu32 ": train with more workers "
		    "(-j, or mlptrain-mpi)", d->rows, UINT32_MAX);
		st = ST_DATA;
	}
	if ((st = comm_fail(c, st, err, errlen)) == 0 && (idx == NULL || ws == NULL))
		st = ST_NOMEM;	/* (what every worker agreed on: not so) */
	if (st != 0 || (st = count_rounds(d, o, &rounds)) != 0 ||
	    (c->size > 1 && (st = comm_average_prepare(c, m->nweights)) != 0))
		goto done;
	for (k = 0; k < d->rows; k++)
		idx[k] = (uint32_t)k;
	for (e = state->epochs + 1; e <= last; e++) {
		t0 = train_now();
		if (o->shuffle) {
			/* from file order every time, so the order depends on the stream alone: resumable */
			for (k = 0; k < d->rows; k++)
				idx[k] = (uint32_t)k;
			rng_shuffle32(&state->rng, idx, d->rows);
		}
		es.rate = schedule_rate(&o->sched, e, state->updates);
		p.e = e;
		if ((st = sgd_epoch(m, ws, &p, o, rounds, &t, err, errlen)) != 0)
			goto done;
		es.loss = t.loss / t.weight;
		if (!isfinite(es.loss) || !model_finite(m)) {
			st = diverged(m, o, e, isfinite(es.loss), NULL, err, errlen);
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
				diverged(m, o, e, 0, "validation loss became non-finite", err, errlen);
			goto done;
		}
		k = (size_t)keep_best(m, o, &es, state, res, &best, &since_best);
		es.seconds = train_now() - t0;
		if (o->on_epoch != NULL)
			o->on_epoch(o->ctx, &es);
		if (k) {
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
	free(p.every);
	free(p.counts);
	free(best.w);
	work_free(ws);
	return st;
}

int
train_evaluate(const struct model *m, const struct dataset *d, double *loss, double *accuracy)
{
	size_t f = data_nfeatures(d), k;
	struct work *ws;
	double v[3] = { 0, 0, 0 }, s;	/* the sums of the losses, hits and weights */
	const double *x;
	int st, who;

	ws = work_new(m);
	if ((st = comm_agree(d->comm != NULL ? d->comm : comm_alone(), ws == NULL ? ST_NOMEM : 0, &who)) != 0 ||
	    ws == NULL)
		return st != 0 ? st : ST_NOMEM;
	for (k = 0; k < d->rows; k++) {
		x = d->x_mem + k * d->cols;
		s = d->weight != NULL ? d->weight[k] : 1;
		if (s == 0)
			continue;
		kernel_forward(m, ws, x);
		v[0] += s * model_loss(m, ws, x + f);
		v[1] += s * (double)model_hits(m, ws, x + f);
		v[2] += s;
	}
	work_free(ws);
	if ((st = comm_sum(d->comm != NULL ? d->comm : comm_alone(), v, 3)) != 0)
		return st;
	*loss = v[0] / v[2];
	*accuracy = v[1] / (v[2] * (double)model_hit_units(m));
	return isfinite(*loss) ? 0 : ST_DIVERGED;
}
