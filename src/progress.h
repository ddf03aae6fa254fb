/*
 * What mlptrain tells the user while it trains, on standard error: on a
 * terminal, a live progress bar within each epoch that the epoch's line
 * replaces, and a plot of the loss at the end; elsewhere, plain lines only
 * (no control characters).  -q silences it, -v adds detail.
 */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "plot.h"
#include "train.h"

struct progress {
	FILE *fp;
	int quiet, verbose;
	int tty;		/* fp is a terminal: draw the bar and the plot */
	int utf8, color;	/* the terminal takes UTF-8; colours are welcome (no NO_COLOR) */
	uint64_t first, last;	/* the epochs of this run */
	size_t rows;		/* training rows per epoch */
	double start;		/* when training started (seconds, monotonic clock) */
	double shown;		/* when the bar was last drawn */
	size_t drawn;		/* columns the bar takes on screen; 0: none */
	uint64_t rows_done;	/* rows of the epochs finished in this run */
};

/* Sets p up for epochs first..last over `rows` rows and starts the clock. */
void progress_start(struct progress *p, FILE *fp, int quiet, int verbose, uint64_t first, uint64_t last,
    size_t rows);
/* Redraws the bar (at most ten times a second); for train_opts.on_rows. */
void progress_rows(struct progress *p, const struct row_progress *r);
/* Prints the epoch's line, replacing the bar. */
void progress_epoch(struct progress *p, const struct epoch_stats *s);
/* Erases the bar, if any, before another message. */
void progress_clear(struct progress *p);
/* On a terminal, and unless quiet: the plot of the loss curves c. */
void progress_plot(struct progress *p, const struct curves *c);

#endif
