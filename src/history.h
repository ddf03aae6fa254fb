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

#include "outfile.h"
#include "train.h"

#define HISTORY_POINTS 2048	/* plot points kept; longer histories keep every k-th epoch */

struct history {
	int have_val;		/* the columns val_loss and val_accuracy are there */
	struct outfile out;	/* the CSV file, open while training; out.fp NULL without one */
	/* the plot's points: every stride-th epoch counted from the first, and the last */
	double *epoch, *loss, *val;
	size_t n;
	uint64_t stride, count;	/* count: epochs added */
	double last[3];		/* the last epoch added: epoch, loss, validation loss */
};

/*
 * Starts a history: the CSV file at path (NULL for none), continuing an
 * existing file's rows 1..resume_epoch when resume_epoch > 0 and the file
 * exists (rows after it are dropped: they belong to a run whose model was
 * not kept).  Returns 0 or a status with err set.
 */
int history_open(struct history *h, const char *path, int have_val, uint64_t resume_epoch,
    char *err, size_t errlen);
/* Adds an epoch's record; the file's write errors show at history_close. */
void history_add(struct history *h, const struct epoch_stats *s);
/*
 * The plot's points so far, last epoch included, in h's arrays (valid until
 * the next history_add); returns how many.  val is NULL without validation.
 */
size_t history_points(struct history *h, const double **epoch, const double **loss, const double **val);
/* Commits the file (commit 1) or removes it (0); 0 or ST_IO with err set. */
int history_close(struct history *h, int commit, char *err, size_t errlen);
/* Removes the file unless committed, and frees the points. */
void history_free(struct history *h);

#endif
