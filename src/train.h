/*
 * Training by per-sample stochastic gradient descent: the epoch loop around
 * model_forward and model_train_step (model_backward and model_sgd_step fused).
 */
#ifndef TRAIN_H
#define TRAIN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "data.h"
#include "model.h"
#include "rng.h"

/* What an epoch gives: means over the training rows seen during it (weighted by the rows' weights). */
struct epoch_stats {
	uint64_t epoch;
	double loss, accuracy;
	int have_val;		/* 1 when there are validation rows: */
	double val_loss, val_accuracy;	/* their plain means at the end of the epoch */
};

struct train_opts {
	uint64_t epochs;
	double rate;		/* eta; a row of weight s takes a step of eta * s */
	int shuffle;		/* 1: a fresh random order every epoch; 0: file order */
	const struct dataset *val;	/* prepared validation rows, or NULL */
	volatile sig_atomic_t *stop;	/* polled before every sample; non-zero stops training */
	/* called after every epoch; may be NULL */
	void (*on_epoch)(void *ctx, const struct epoch_stats *s);
	void *ctx;
};

/*
 * Prepares d's features for m: with `standardize` and no statistics in m yet,
 * computes them from d and stores them in m; then applies m's statistics (if
 * any) to every row of d in place.  Returns 0 or ST_NOMEM.
 */
int train_prepare(struct model *m, struct dataset *d, int standardize);
/*
 * Runs o->epochs epochs of SGD over the (prepared) rows of d, drawing the
 * order from r.  Returns 0; ST_DIVERGED when the loss or a weight becomes
 * non-finite; *o->stop when interrupted; ST_NOMEM.  err says why.
 */
int train(struct model *m, const struct dataset *d, const struct train_opts *o,
    struct rng *r, char *err, size_t errlen);
/*
 * Mean log loss and accuracy of m over the prepared rows of d, weighted by
 * d->weight when it is set; 0 or ST_NOMEM.
 */
int train_evaluate(const struct model *m, const struct dataset *d, double *loss, double *accuracy);

#endif
