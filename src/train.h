/*
 * Training by per-sample stochastic gradient descent: the epoch loop around
 * kernel_forward and kernel_train_step (model_backward and model_sgd_step
 * fused, kernels.h), with the learning-rate schedule and early stopping.
 */
#ifndef TRAIN_H
#define TRAIN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "data.h"
#include "model.h"
#include "rng.h"
#include "schedule.h"

/* Seconds on the monotonic clock: what epochs and progress are timed with. */
double train_now(void);

/* Where training stands: what the model's weights have seen. */
struct train_state {
	uint64_t epochs;	/* epochs completed */
	uint64_t updates;	/* SGD updates made (rows of weight 0 make none) */
	struct rng rng;		/* the stream the next epoch's order is drawn from */
};

/* What an epoch gives: means over the training rows seen during it (weighted by the rows' weights). */
struct epoch_stats {
	uint64_t epoch;		/* its number, continuing the model's count */
	double loss, accuracy;
	int have_val;		/* 1 when there are validation rows: */
	double val_loss, val_accuracy;	/* their means at the end of the epoch */
	double rate;		/* the rate of the epoch's first update */
	double seconds;		/* wall time of the epoch, validation included */
	int best;		/* 1 when the epoch is the best so far (see train_result) */
};

/* Progress within an epoch, given every TRAIN_PROGRESS_ROWS rows. */
#define TRAIN_PROGRESS_ROWS 1024
struct row_progress {
	uint64_t epoch;
	size_t done, rows;	/* rows visited of the epoch's rows */
	double loss;		/* mean loss of the rows visited so far */
};

struct train_opts {
	uint64_t epochs;	/* epochs to run after those the state has */
	struct schedule sched;
	int shuffle;		/* 1: a fresh random order every epoch; 0: file order */
	uint64_t sync_every;	/* with several workers: rows of the largest worker's between averages;
				   0: one average an epoch */
	const struct dataset *val;	/* prepared validation rows, or NULL */
	uint64_t patience;	/* > 0: stop after this many epochs without a best one, keep the best */
	double tol;		/* a best epoch improves on the previous best loss by more than tol */
	volatile sig_atomic_t *stop;	/* polled before every sample; non-zero stops training */
	/* called after every epoch, and within epochs; either may be NULL */
	void (*on_epoch)(void *ctx, const struct epoch_stats *s);
	void (*on_rows)(void *ctx, const struct row_progress *p);
	void *ctx;
};

/*
 * The best epoch: the one whose validation loss (training loss without
 * validation rows) fell below the previous best by more than tol.
 */
struct train_result {
	uint64_t last_epoch;	/* the last epoch run (the state's epochs when none ran) */
	uint64_t best_epoch;	/* 0 when no epoch ran */
	double best_loss;
	int stopped;		/* 1 when patience ran out before o->epochs */
};

/*
 * Prepares d's features for m: with `standardize` and no statistics in m yet,
 * computes them from d and stores them in m; then applies m's statistics (if
 * any) to every row of d in place.  Returns 0 or ST_NOMEM.
 */
int train_prepare(struct model *m, struct dataset *d, int standardize);
/*
 * Runs up to o->epochs epochs of SGD over the (prepared) rows of d from
 * state s, drawing each order from s->rng; on return s says where the
 * weights stand.  With o->patience the weights, and s, are those of the best
 * epoch.  Returns 0; ST_DIVERGED when the loss or a weight becomes
 * non-finite; *o->stop when interrupted; ST_NOMEM.  err says why.
 */
int train(struct model *m, const struct dataset *d, const struct train_opts *o,
    struct train_state *s, struct train_result *res, char *err, size_t errlen);
/*
 * Mean log loss and accuracy of m over the prepared rows of d, weighted by
 * d->weight when it is set; 0, ST_NOMEM, or ST_DIVERGED when the loss is
 * not finite (the weighted sums overflow on some row): a model with such a
 * loss is not written.
 */
int train_evaluate(const struct model *m, const struct dataset *d, double *loss, double *accuracy);

#endif
