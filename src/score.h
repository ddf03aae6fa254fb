/*
 * Scoring CSV rows with a model: every row's n0 features are checked, read,
 * standardised and sent through the forward pass, and its nL probabilities
 * are printed, one line per row, in input order.
 *
 * With two threads (the default when they can be created) the caller's
 * thread reads and parses the CSV while a worker thread scores and prints;
 * with one, the caller's thread does everything, row by row.  Both give the
 * same bytes, the same messages and the same statuses; pipeline.c describes
 * the protocol between the threads, score.c how the work is shared.
 *
 * Use: score_new, score_format and score_options, score_start, score_file
 * for each input in turn (stop at the first non-zero status), then always
 * score_end, whose status and message are the ones to report, then
 * score_dropped and score_report (--eval) after a success, and score_free.
 */
#ifndef SCORE_H
#define SCORE_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "model.h"

struct score;

/*
 * A scorer for m (which must outlive it), printing `digits` significant
 * digits (0: the shortest exact form).  threads = 1 forces the single-thread
 * path; anything else uses two threads when possible.  NULL when out of
 * memory.
 */
struct score *score_new(const struct model *m, int digits, int threads);
/*
 * Sets the field separator (',' by default) and the header rule for every
 * file, as csv_is_header takes it (CSV_HEADER_GUESS by default).  Call
 * before score_start.
 */
void score_format(struct score *s, int delim, int header);
struct colspec;

/* What mlppredict's options ask beyond the probabilities. */
struct score_opts {
	const char *model_name;		/* the model's file, for messages */
	const struct colspec *keep;	/* -k: columns copied in front of each line, or NULL */
	int out_header;			/* print a header line first (once for all files) */
	int labels;			/* print the class (label) instead of each probability */
	double threshold;		/* p >= threshold is the positive class (--labels, --eval) */
	int eval;			/* read the targets and keep what score_report needs */
	int missing;			/* a row with a missing value: SCORE_MISSING_* */
	int normalize;			/* divide a row's K class probabilities by their sum */
	int strict;			/* a category training never saw is an error, not all zeros */
};

/* What becomes of a row with a missing feature (or target, with --eval) that nothing fills. */
enum {
	SCORE_MISSING_ERROR,		/* an error naming the place */
	SCORE_MISSING_SKIP,		/* skipped, and counted (score_dropped) */
	SCORE_MISSING_NA		/* printed as NA in each output's place, so lines stay aligned */
};

/*
 * Sets the options (after score_format, before score_start; o->keep must
 * outlive s).  Without a header in a file, or a model without feature
 * names, columns are taken by position; with both, by name.  0, or
 * ST_NOMEM with a message.
 */
int score_options(struct score *s, const struct score_opts *o, char *err, size_t errlen);
/*
 * Starts scoring into out (the worker thread, when there is one), named
 * out_name in a write error's message (NULL: no name; the string must last
 * until score_end).
 */
void score_start(struct score *s, FILE *out, const char *out_name);
/* Threads in use: 2, or 1 (forced, or the worker could not be created). */
int score_threads(const struct score *s);
/*
 * Reads all of in (named `name` in messages: the string must last until
 * score_end), a CSV file whose first row may be a header.  Returns 0, or a status with a message in err (which
 * score_end may replace with that of an earlier failure).  *stop, when not
 * NULL, is polled as csv_read does: reading ends with status *stop once it
 * is non-zero.
 */
int score_file(struct score *s, FILE *in, const char *name, const volatile sig_atomic_t *stop,
    char *err, size_t errlen);
/*
 * Ends the input: st is the status the reading ended with (0, or the
 * failure whose message is in err).  Every row read before a failure is
 * printed first.  Returns the status of the whole run: the first failure in
 * row order (a write error on an earlier row beats st), or *stop if the run
 * was interrupted while the last rows were being scored; err then holds the
 * matching message.
 */
int score_end(struct score *s, int st, const volatile sig_atomic_t *stop, char *err, size_t errlen);
/* Rows skipped for a missing value (--missing skip), after score_end. */
size_t score_dropped(const struct score *s);
/* Rows printed as NA (--missing na), after score_end. */
size_t score_na(const struct score *s);
/*
 * After score_end: for each categorical column, how many values training
 * never saw were encoded as all zeros, as lines "column 'c': N values
 * ..." printed to f with `prefix` in front.
 */
void score_notes(const struct score *s, FILE *f, const char *prefix);
/*
 * With --eval, after a successful score_end: prints the metrics of each
 * output to f, as "key value" lines (see mlppredict(1)).  0, or ST_IO.
 */
int score_report(struct score *s, FILE *f);
/* Frees s (after score_end); NULL is fine. */
void score_free(struct score *s);

#endif
