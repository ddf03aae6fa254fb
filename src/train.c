/*
 * The SGD loop.  Each sample goes through the lecture's five steps: forward
 * pass, delta_out = y - t, back-propagated deltas, gradient, update; the
 * last four in one pass over the weights (model_train_step), which gives the
 * same weights as model_backward followed by model_sgd_step.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
train(struct model *m, const struct dataset *d, const struct train_opts *o,
    struct rng *r, char *err, size_t errlen)
{
	size_t f = data_nfeatures(d), nout = m->n[m->L], *idx, k;
	const double *wt = d->weight;
	struct epoch_stats es;
	struct work *ws;
	double *x, sum, hits, s, wsum;
	uint64_t e;
	int st = 0;

	idx = malloc(d->rows * sizeof *idx);
	ws = work_new(m);
	if (idx == NULL || ws == NULL) {
		snprintf(err, errlen, "out of memory");
		st = ST_NOMEM;
		goto done;
	}
	for (k = 0; k < d->rows; k++)
		idx[k] = k;
	for (e = 1; e <= o->epochs; e++) {
		if (o->shuffle)
			rng_shuffle(r, idx, d->rows);
		sum = 0;
		hits = 0;
		wsum = 0;
		for (k = 0; k < d->rows; k++) {
			if (o->stop != NULL && *o->stop) {
				snprintf(err, errlen, "interrupted in epoch %" PRIu64 " at row %zu of %zu", e, k + 1, d->rows);
				st = *o->stop;
				goto done;
			}
			x = d->x_mem + idx[k] * d->cols;
			model_forward(m, ws, x);
			if (wt == NULL) {
				sum += model_loss_fast(m, ws, x + f);
				hits += (double)model_hits(m, ws, x + f);
				model_train_step(m, ws, x + f, o->rate);
			} else if ((s = wt[idx[k]]) > 0) {	/* the loss s L: its gradient s dL/dw */
				sum += s * model_loss_fast(m, ws, x + f);
				hits += s * (double)model_hits(m, ws, x + f);
				wsum += s;
				model_train_step(m, ws, x + f, o->rate * s);
			}
		}
		if (wt == NULL)
			wsum = (double)d->rows;
		sum /= wsum;
		if (!isfinite(sum) || !model_finite(m)) {
			snprintf(err, errlen, "training diverged in epoch %" PRIu64 ": the %s became non-finite; "
			    "try a smaller learning rate than -r %g%s", e, isfinite(sum) ? "weights" : "loss",
			    o->rate, m->mean == NULL ? ", or leave standardisation on" : "");
			st = ST_DIVERGED;
			goto done;
		}
		if (o->on_epoch != NULL) {
			memset(&es, 0, sizeof es);
			es.epoch = e;
			es.loss = sum;
			es.accuracy = hits / (wsum * (double)nout);
			if (o->val != NULL) {
				es.have_val = 1;
				if ((st = train_evaluate(m, o->val, &es.val_loss, &es.val_accuracy)) != 0) {
					snprintf(err, errlen, "out of memory");
					goto done;
				}
			}
			o->on_epoch(o->ctx, &es);
		}
	}
done:
	free(idx);
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
		model_forward(m, ws, x);
		sum += s * model_loss(m, ws, x + f);
		hits += s * (double)model_hits(m, ws, x + f);
		wsum += s;
	}
	work_free(ws);
	*loss = sum / wsum;
	*accuracy = hits / (wsum * (double)m->n[m->L]);
	return 0;
}
