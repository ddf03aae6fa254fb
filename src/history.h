/*
 * The training history: one record per epoch, written as CSV (--history)
 * and kept as points for the loss plot.  A resumed run continues the rows
 * of an existing history file up to the epoch its model stands at.
 */
#ifndef HISTORY_H
#define HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "train.h"

#define HISTORY_POINTS 2048	/* plot points kept; longer histories keep every k-th epoch */

struct history {
	int have_val;		/* the columns val_loss and val_accuracy are there */
	FILE *fp;		/* the CSV file's stream (the caller's), or NULL without one */
	/* the plot's points: every stride-th epoch counted from the first, and the last */
	double *epoch, *loss, *val;
	size_t n;
	uint64_t stride, count;	/* count: epochs added */
	double last[3];		/* the last epoch added: epoch, loss, validation loss */
};

/*
 * Starts a history: the CSV rows go to fp (NULL for none), a stream the
 * caller opened and will commit or abandon.  When resume_epoch > 0 and the
 * file at path exists, its rows 1..resume_epoch are continued (rows after
 * it are dropped: they belong to a run whose model was not kept).  Returns
 * 0 or a status with err set.
 */
int history_open(struct history *h, FILE *fp, const char *path, int have_val, uint64_t resume_epoch,
    char *err, size_t errlen);
/* Adds an epoch's record; the stream's write errors show when the caller commits it. */
void history_add(struct history *h, const struct epoch_stats *s);
/*
 * The plot's points so far, last epoch included, in h's arrays (valid until
 * the next history_add); returns how many.  val is NULL without validation.
 */
size_t history_points(struct history *h, const double **epoch, const double **loss, const double **val);
/* Frees the points; the stream stays the caller's. */
void history_free(struct history *h);

#endif
