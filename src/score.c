/*
 * Scoring CSV rows, the row work of mlppredict: mapping each file's
 * columns, parsing rows into batches, and scoring and printing a batch.
 * The hand-over of batches between the two threads is pipeline.c's:
 *
 *   caller's thread: the READER                 worker thread: the SCORER
 *   ---------------------------                 --------------------------
 *   csv_read -> parse_row, for each row:        score_batch, for each batch:
 *     header? width? the first n0 - nd            parse and standardise the
 *     numbers parsed and standardised into        last nd fields, forward
 *     the batch, the last nd fields copied;       pass (unless the reader ran
 *     or the forward pass, for some rows          it), print the rows to out
 *   batch full: pipeline_hand_over  ==> ring of batches ==>  slot given back
 *
 * - The work is shared so that neither side waits, one step at each batch
 *   (begin_batch): the reader leaves the texts of the last nd fields of a
 *   row (short ones, of a row on one line) in the batch's cells for the
 *   scorer to parse, or (when the scorer is the slower side, which exp and
 *   printing make it for most models) runs the forward pass of some rows
 *   itself and keeps their outputs in the batch.  The step goes towards the
 *   reader when it had to wait for room, towards the scorer when the scorer
 *   had to wait for a batch; it never changes what is printed.
 * - Errors come out in row order, as on one thread (pipeline.c).  A bad
 *   field left in a cell is reported by the scorer with the reader's own
 *   message, and the scorer's failures (a write error) are on earlier rows.
 * With one thread (forced, or when the scorer cannot be created) a batch
 * holds one row, scored as soon as it is read.
 *
 * Columns.  Each file gets a filemap when its first row is known to be a
 * header or data (with the guess, row 1 is held, copied, until row 2 comes):
 * the column of every feature (by name from the header, or by position), of
 * every target (--eval), and the kept columns (-k).  Filemaps live until
 * score_free, so a batch can point at its file's.  What travels with a row
 * besides its features: its targets (parsed by the reader, in b->t) and the
 * kept fields, already quoted and each followed by the separator, in the
 * batch's text buffer (b->keep, row r from b->koff[r] to b->koff[r + 1]).
 * A batch is handed over when it is full or its text passes BATCH_BYTES, so
 * memory stays flat.  The output header (-H) is printed by the reader before
 * any row is handed over (every file then starts with a header).
 * - Missing values: a row whose first missing-or-bad feature or target is
 *   missing is dropped with --drop-missing (by the reader, or by the scorer
 *   for a field left in a cell: in the same order on one thread and two).
 *   With --eval the reader parses every feature (nd stays 0), so that the
 *   targets, checked after the features, are checked in the same order.
 * - --eval: the scorer keeps every row's probability and truth per output
 *   (struct scored, 16 bytes a row and output) and sums the log loss, in
 *   row order; score_report computes the metrics at the end.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "colmap.h"
#include "columns.h"
#include "csvread.h"
#include "eval.h"
#include "kernels.h"
#include "number.h"
#include "pipeline.h"
#include "score.h"
#include "status.h"
#include "target.h"

#define BATCH_BYTES ((size_t)256 * 1024)	/* aim for batches of this size ... */
#define BATCH_MAX_ROWS 4096		/* ... and at most this many rows */
#define CELL 32				/* room for a field left to the scorer */
#define OUTBUF ((size_t)64 * 1024)	/* the scorer's output, written this much at a time */

/*
 * Rows of raw features.  The last nd fields of a row whose left[] is 1
 * are not parsed yet: their texts wait in cell[], for the scorer to parse
 * (and to report if bad, as the reader would have: file `name`, that line).
 */
struct filemap {
	struct filemap *next;	/* the file before */
	const char *name;	/* the file, for messages */
	struct csv_row *head;	/* its header, or NULL */
	size_t width;		/* fields of every row */
	long width_line;	/* the line of the first row */
	struct colmap cm;	/* the column of each feature, of each target with --eval, the kept columns */
};

struct batch {
	size_t rows;
	size_t nd;		/* fields left to the scorer in this batch */
	const struct filemap *map;	/* the file the rows come from */
	double *x;		/* (cap, n0) features, row after row */
	long *line;		/* (cap) the line of each row (its first field's) */
	unsigned char *left;	/* (cap) 1 for a row with fields in cell */
	char *cell;		/* (cap, max_nd, CELL) a length byte, then the text; NUMBER_PAD bytes after them all */
	double *t;		/* (cap, nL) targets, with --eval; else NULL */
	unsigned char *na;	/* (cap) 1 for a row printed as NA (--missing na) */
	unsigned char *done;	/* (cap) 1 for a row the reader ran the forward pass of */
	double *y, *aL;		/* (cap, nL) that row's z[L] and a[L]; NULL when the reader runs none */
	char *keep;		/* kept fields of the rows, formatted (-k) */
	size_t *koff;		/* (cap + 1) where the kept text of each row starts; NULL without -k */
	size_t keepcap;		/* bytes allocated at keep */
};

struct score {
	const struct model *m;
	struct packed *pk;	/* m's weights laid out for scoring: the scorer's */
	struct work *ws;	/* the scorer's */
	FILE *out;		/* the scorer's */
	const char *out_name;	/* out's name in messages, or NULL */
	char *obuf;		/* (OUTBUF) the scorer's lines not yet written to out */
	size_t olen;
	int oerr;		/* errno of a failed write to out, or 0 */
	int digits;		/* 0: shortest exact form */
	int delim;		/* the field separator */
	int header;		/* every file's first row: see csv_is_header */
	size_t cap;		/* rows per batch */
	size_t max_nd;		/* most fields of a row left to the scorer */
	int max_share;		/* most sixteenths of the rows the reader runs the forward pass of */
	struct batch *slot[PIPELINE_SLOTS];	/* on cache lines of their own: the reader
				   counts rows in one while the scorer reads another */
	void *slot_mem;
	struct pipeline *pipe;
	const char *model_name;	/* for messages */
	const struct colspec *keep;	/* -k, or NULL */
	int out_header;		/* print a header line first */
	int labels;		/* print class labels, not probabilities */
	int eval;		/* targets read, metrics kept */
	int missing;		/* SCORE_MISSING_* */
	int normalize;		/* K class probabilities divided by their sum */
	int strict;		/* a category training never saw is an error */
	double threshold;
	const struct encoding *enc;	/* the model's feature columns (its own, or own_enc) */
	struct encoding *own_enc;	/* a model without: one numeric column per input */
	char **colnames;	/* (enc->ncols) the feature columns' names, or NULL */
	int plain;		/* every column is one number: fields may be left to the scorer */
	char **label;		/* (nlabel) what --labels prints, formatted: the classes, or 0 and 1 */
	size_t nlabel;

	/* the reader's alone */
	struct batch *cur;	/* the batch being filled (rows so far: cur->rows), or NULL */
	const char *name;	/* the file being read */
	struct filemap *maps;	/* every file's, the last first */
	struct filemap *map;	/* the file being read, once its first row is known */
	struct csv_row *held;	/* row 1, until row 2 tells whether it is a header */
	int header_done;	/* the output header is printed */
	size_t dropped_r;	/* rows dropped by the reader */
	size_t na_r;		/* rows the reader marked NA */
	size_t *unseen;		/* (enc->ncols) values of each column training never saw */
	struct work *ws_r;	/* for the forward passes the reader runs */
	int owed;		/* sixteenths of a row the reader owes the scorer: see data_row */
	const volatile sig_atomic_t *stop;

	/* the scorer's alone */
	size_t dropped_w;	/* rows dropped by the scorer */
	size_t na_w;		/* rows the scorer found NA */
	struct evalset *ev;	/* with --eval: what the report needs */

	/* fixed once started */
	int want_thread;	/* score_new was asked for two threads */
	int threads;		/* the threads score_start got: 2, or 1 */
	int share;		/* the work balance: see begin_batch */
};

/* ---- formatting ---- */

/*
 * Appends s[0..n-1] to *buf (*len bytes used of *cap), quoted as in RFC 4180
 * when it holds the separator, a double quote, a CR or a LF; then `end`
 * unless it is 0.  0, or -1 when out of memory.
 */
static int
append_field(char **buf, size_t *len, size_t *cap, const char *s, size_t n, int delim, int end)
{
	size_t i, need = *len + 2 * n + 4, c;
	int quote = 0;
	char *p;

	for (i = 0; i < n && !quote; i++)
		quote = s[i] == delim || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (*buf == NULL || need > *cap) {
		for (c = *cap > 0 ? *cap : 256; c < need; c *= 2)
			;
		if ((p = realloc(*buf, c)) == NULL)
			return -1;
		*buf = p;
		*cap = c;
	}
	p = *buf + *len;
	if (quote) {
		*p++ = '"';
		for (i = 0; i < n; i++) {
			if (s[i] == '"')
				*p++ = '"';
			*p++ = s[i];
		}
		*p++ = '"';
	} else if (n > 0) {
		memcpy(p, s, n);
		p += n;
	}
	if (end != 0)
		*p++ = (char)end;
	*p = '\0';
	*len = (size_t)(p - *buf);
	return 0;
}

/*
 * The name of output column k in the output header (-H): with --labels, the
 * target's (or "label"); else what the probability is of: p_CLASS for a
 * class (the positive one of two), p_TARGET, or p, p1, p2, ...
 */
static void
output_name(const struct score *s, size_t k, char *buf, size_t buflen)
{
	const struct model *m = s->m;
	size_t nl = m->n[m->L];

	if (s->labels && m->nclasses > 0)
		snprintf(buf, buflen, "%s", m->targets != NULL ? m->targets[0] : "label");
	else if (s->labels)
		snprintf(buf, buflen, "%s", m->targets != NULL ? m->targets[k] : nl == 1 ? "label" : "");
	else if (m->nclasses > 0)
		snprintf(buf, buflen, "p_%s", m->classes[m->nclasses > 2 ? k : 1]);
	else if (m->targets != NULL)
		snprintf(buf, buflen, "p_%s", m->targets[k]);
	else
		snprintf(buf, buflen, "p");
	if (s->labels && m->nclasses == 0 && m->targets == NULL && nl > 1)
		snprintf(buf, buflen, "label%zu", k + 1);
	else if (!s->labels && m->nclasses == 0 && m->targets == NULL && nl > 1)
		snprintf(buf, buflen, "p%zu", k + 1);
}

/* The columns a row prints after its kept ones: one label of K classes, or a number per output. */
static size_t
output_columns(const struct score *s)
{
	return s->labels && s->m->nclasses > 2 ? 1 : s->m->n[s->m->L];
}

/* "missing value ... in column ..." for field c (its text, len) of a row on `line` of fm's file. */
static int
missing_error(const struct filemap *fm, long line, size_t c, const char *text, size_t len, char *err,
    size_t errlen)
{
	char show[CSV_SHOW_LEN], col[CSV_SHOW_LEN + 16];

	snprintf(err, errlen, "%s:%ld:%zu: missing value '%s' in %s; use --missing skip to skip such rows, or "
	    "--missing na to print NA for them", fm->name, line, c + 1, csv_show(show, sizeof show, text, len),
	    column_desc(col, sizeof col, fm->head != NULL ? fm->head->field : NULL, c));
	return ST_DATA;
}

/* A field that is not a number: the message, or, for the header again among the rows, that. */
static int
not_a_number(const struct filemap *fm, const struct csv_row *row, size_t c, enum num_error e, char *err,
    size_t errlen)
{
	char show[CSV_SHOW_LEN], col[CSV_SHOW_LEN + 16];
	size_t k;

	for (k = 0; fm->head != NULL && row != NULL && k < row->n && strcmp(row->field[k], fm->head->field[k]) == 0; k++)
		;
	if (fm->head != NULL && row != NULL && k == row->n) {
		snprintf(err, errlen, "%s:%ld: this row repeats the header of line %ld: files joined with cat? give "
		    "mlppredict the files one by one", fm->name, row->line[0], fm->width_line);
		return ST_DATA;
	}
	snprintf(err, errlen, "%s:%ld:%zu: '%s' in %s %s", fm->name, row != NULL ? row->line[c] : 0, c + 1,
	    row != NULL ? csv_show(show, sizeof show, row->field[c], row->len[c]) : "",
	    column_desc(col, sizeof col, fm->head != NULL ? fm->head->field : NULL, c), number_strerror(e));
	return e == NUM_NOMEM ? ST_NOMEM : ST_DATA;
}

/* ---- scoring and printing: the scorer's (or the single thread's) ---- */

/*
 * Reads field i of row r of b from its cell into x[i]; 0, or a status and
 * the reader's message.  A missing value sets *drop (--missing skip) or the
 * row's NA flag (--missing na) instead.
 */
static int
parse_cell(struct score *s, struct batch *b, size_t r, size_t i, double *x, int *drop, char *err,
    size_t errlen)
{
	size_t n0 = s->m->n[0], c = b->map->cm.feature[i];
	const char *t = b->cell + ((r * s->max_nd) + i - (n0 - b->nd)) * CELL;
	size_t len = (unsigned char)t[0];
	char show[CSV_SHOW_LEN], col[CSV_SHOW_LEN + 16];
	enum num_error e;

	if ((e = number_parse_padded(t + 1, len, &x[i])) == NUM_OK)
		return 0;
	if (e != NUM_NOMEM && csv_is_missing(t + 1, len)) {
		if (s->missing == SCORE_MISSING_SKIP)
			*drop = 1;
		else if (s->missing == SCORE_MISSING_NA)
			b->na[r] = 1;
		else
			return missing_error(b->map, b->line[r], c, t + 1, len, err, errlen);
		return 0;
	}
	snprintf(err, errlen, "%s:%ld:%zu: '%s' in %s %s", b->map->name, b->line[r], c + 1,
	    csv_show(show, sizeof show, t + 1, len),
	    column_desc(col, sizeof col, b->map->head != NULL ? b->map->head->field : NULL, c), number_strerror(e));
	return e == NUM_NOMEM ? ST_NOMEM : ST_DATA;
}

/*
 * A probability that is not a number is never printed: the row's weighted
 * sums overflowed (a first-layer sum of +inf and -inf products, NaN from
 * then on; an infinite sum alone gives 0 or 1, a true limit).  The error
 * names the row; the rows before it are printed, none after.
 */
static int
check_outputs(const struct score *s, const struct batch *b, size_t r, const double *y, char *err, size_t errlen)
{
	const struct model *m = s->m;
	size_t nl = m->n[m->L], k;
	char show[CSV_SHOW_LEN];

	for (k = 0; k < nl && !isnan(y[k]); k++)
		;
	if (k == nl)
		return 0;
	if (m->nclasses > 2)	/* the output's name: its class, its target, or p, p1, p2, ... */
		csv_show(show, sizeof show, m->classes[k], strlen(m->classes[k]));
	else if (m->targets != NULL)
		csv_show(show, sizeof show, m->targets[k], strlen(m->targets[k]));
	else if (nl == 1)
		snprintf(show, sizeof show, "p");
	else
		snprintf(show, sizeof show, "p%zu", k + 1);
	snprintf(err, errlen, "%s:%ld: output '%s' of %s is not a number for this row: the model's weighted sums "
	    "overflow on its values; check the row, or rescale the data and retrain", b->map->name, b->line[r], show,
	    s->model_name != NULL ? s->model_name : "the model");
	return ST_DATA;
}

/*
 * Writes p[0..n-1] to out, unless a write failed before; on failure keeps
 * the error in s->oerr.  (A stream may take a part and fail with no errno,
 * fmemopen's when full: the rest and a flush then give the error.)
 */
static void
out_write(struct score *s, const char *p, size_t n)
{
	size_t k;

	if (s->oerr != 0 || n == 0)
		return;
	errno = 0;
	if ((k = fwrite(p, 1, n, s->out)) != n) {
		if (errno == 0 && fwrite(p + k, 1, n - k, s->out) == n - k)
			fflush(s->out);
		s->oerr = errno != 0 ? errno : EIO;
	}
}

/*
 * Writes the scorer's lines so far to out.  They are written when half of
 * OUTBUF is used at the end of a row (so on one thread and two alike, at
 * the same bytes: writes fail at the same rows, and what is written ends a
 * line unless a row alone is longer), and at the end.
 */
static void
out_flush(struct score *s)
{
	out_write(s, s->obuf, s->olen);
	s->olen = 0;
}

/* Appends p[0..n-1] to the scorer's lines. */
static void
out_put(struct score *s, const char *p, size_t n)
{
	if (s->olen + n > OUTBUF)
		out_flush(s);
	if (n > OUTBUF)
		out_write(s, p, n);
	else {
		memcpy(s->obuf + s->olen, p, n);
		s->olen += n;
	}
}

static void
out_char(struct score *s, char c)
{
	out_put(s, &c, 1);
}

static void
out_str(struct score *s, const char *p)
{
	out_put(s, p, strlen(p));
}

/* Prints a row's outputs: NA for each, the labels, or the probabilities (normalised with --normalize). */
static void
print_outputs(struct score *s, const double *y, int na)
{
	const struct model *m = s->m;
	size_t nl = m->n[m->L], n = output_columns(s), i, best = 0;
	char buf[NUMBER_BUFLEN];
	double sum = 0;

	if (na || (s->labels && m->nclasses > 2)) {
		for (i = 1; !na && i < nl; i++)
			if (y[i] > y[best])
				best = i;
		for (i = 0; i < n; i++) {
			if (i > 0)
				out_char(s, (char)s->delim);
			out_str(s, na ? "NA" : s->label[best]);
		}
		return;
	}
	for (i = 0; s->normalize && i < nl; i++)
		sum += y[i];
	for (i = 0; i < nl; i++) {
		if (i > 0)
			out_char(s, (char)s->delim);
		if (s->labels)
			out_str(s, s->label[y[i] >= s->threshold]);
		else
			out_put(s, buf, (size_t)number_format(buf, s->normalize ? y[i] / sum : y[i], s->digits));
	}
}

/*
 * Scores row r of b (its features at x): parses the fields left in cells,
 * standardises them, runs the forward pass unless the reader did, adds the
 * row's line (its kept fields, then its probabilities or labels, or NA) to
 * the scorer's output.  0, or a status with a message in err: a bad field
 * (ST_DATA), no memory for --eval (ST_NOMEM).
 */
static int
score_row(struct score *s, struct batch *b, size_t r, double *x, char *err, size_t errlen)
{
	const struct model *m = s->m;
	size_t n0 = m->n[0], nl = m->n[m->L], i;
	const double *y = NULL, *a = NULL;
	int st, drop = 0;

	for (i = n0 - b->nd; b->left[r] && i < n0 && !drop && !b->na[r]; i++)
		if ((st = parse_cell(s, b, r, i, x, &drop, err, errlen)) != 0)
			return st;
	if (drop) {
		s->dropped_w++;
		return 0;
	}
	if (!b->na[r] && b->done[r]) {	/* the reader ran the forward pass */
		y = b->y + r * nl;
		a = b->aL + r * nl;
	} else if (!b->na[r]) {
		if (b->left[r])	/* the reader standardised the rest */
			kernel_standardize(m, x, n0 - b->nd, n0);
		y = kernel_forward_packed(m, s->pk, s->ws, x);
		a = s->ws->a[m->L];
	}
	if (!b->na[r]) {
		if ((st = check_outputs(s, b, r, y, err, errlen)) != 0)
			return st;
	} else if (b->left[r])
		s->na_w++;	/* (the reader counts the rows it marked) */
	if (b->koff != NULL)
		out_put(s, b->keep + b->koff[r], b->koff[r + 1] - b->koff[r]);
	print_outputs(s, y, b->na[r]);
	if (s->eval && !b->na[r] && eval_add(s->ev, y, a, b->t + r * nl) != 0) {
		snprintf(err, errlen, "--eval: out of memory after %zu rows", eval_rows(s->ev));
		return ST_NOMEM;
	}
	out_char(s, '\n');
	if (s->olen >= OUTBUF / 2)
		out_flush(s);
	return 0;
}

/* A write error's message, and ST_IO. */
static int
write_error(const struct score *s, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s%swrite error: %s", s->out_name != NULL ? s->out_name : "",
	    s->out_name != NULL ? ": " : "", strerror(s->oerr));
	return ST_IO;
}

/* Scores the rows of b, in order.  0, or the first failure: score_row's, or a write error (ST_IO). */
static int
score_batch(struct score *s, struct batch *b, char *err, size_t errlen)
{
	size_t r;
	int st = 0;

	for (r = 0; r < b->rows && st == 0 && s->oerr == 0; r++)
		st = score_row(s, b, r, b->x + r * s->m->n[0], err, errlen);
	return st == 0 && s->oerr != 0 ? write_error(s, err, errlen) : st;
}

/* The pipeline's work: score_batch on a batch the reader handed over. */
static int
work(void *ctx, void *batch, char *err, size_t errlen)
{
	return score_batch(ctx, batch, err, errlen);
}

/* ---- the reader ---- */

/*
 * Starts the batch to fill, once the pipeline has room; 0, or a non-zero
 * status to stop reading.  Balances the work by one step each batch: when
 * the reader had to wait, it takes more work, when the scorer had to, less.
 * The steps: s->share > 0 leaves the scorer the last `share` fields of each
 * row to parse (at most max_nd); s->share < 0 has the reader run the
 * forward pass of -share sixteenths of the rows (at most max_share).
 */
static int
begin_batch(struct score *s, char *err, size_t errlen)
{
	struct batch *b;
	int seen, st;

	if ((b = pipeline_next(s->pipe, s->stop, &seen, &st, err, errlen)) == NULL)
		return st != 0 ? st : ST_IO;	/* (no batch comes with a status) */
	if ((seen & PIPELINE_FULL) && s->share > -s->max_share)
		s->share--;
	else if ((seen & PIPELINE_STARVED) && s->share < (int)s->max_nd)
		s->share++;
	s->cur = b;
	b->rows = 0;
	b->nd = s->share > 0 ? (size_t)s->share : 0;
	b->map = s->map;
	if (b->koff != NULL)
		b->koff[0] = 0;
	return 0;
}

/* Hands the batch being filled over (with one thread: scores it now). */
static int
finish_batch(struct score *s, char *err, size_t errlen)
{
	s->cur = NULL;
	return pipeline_hand_over(s->pipe, err, errlen);
}

/* Prints the output header (-H): the kept columns' names, then the outputs'. */
static int
print_header(struct score *s, const struct filemap *fm, char *err, size_t errlen)
{
	size_t nl = output_columns(s), k, len = 0, cap = 0;
	const struct csv_row *head = fm != NULL ? fm->head : NULL;
	char *buf = NULL, num[CSV_MAX_FIELD < 4096 ? CSV_MAX_FIELD : 4096];
	int bad = 0;

	s->header_done = 1;
	/* the kept columns' names in the header, else (no header anywhere) as -k gave them */
	for (k = 0; head != NULL && k < fm->cm.nk && !bad; k++)
		bad = append_field(&buf, &len, &cap, head->field[fm->cm.keep[k]], head->len[fm->cm.keep[k]],
		    s->delim, s->delim) != 0;
	for (k = 0; head == NULL && s->keep != NULL && k < s->keep->n && !bad; k++)
		bad = append_field(&buf, &len, &cap, s->keep->tok[k], strlen(s->keep->tok[k]), s->delim, s->delim) != 0;
	for (k = 0; k < nl && !bad; k++) {
		output_name(s, k, num, sizeof num);
		bad = append_field(&buf, &len, &cap, num, strlen(num), s->delim, k + 1 < nl ? s->delim : '\n') != 0;
	}
	if (bad) {
		free(buf);
		snprintf(err, errlen, "out of memory");
		return ST_NOMEM;
	}
	fwrite(buf, 1, len, s->out);
	free(buf);
	return 0;
}

static int data_row(struct score *s, const struct csv_row *row, char *err, size_t errlen);

/*
 * The first row of a file is known to be a header or not: maps the file's
 * columns (s->map: by name when the file has a header and the model has
 * names, else by position), prints the output header if it is due, and
 * scores the row if it is data.
 */
static int
start_file(struct score *s, const struct csv_row *first, int is_header, char *err, size_t errlen)
{
	const struct model *m = s->m;
	size_t nt = model_target_columns(m);
	const char *mname = s->model_name != NULL ? s->model_name : "the model";
	struct colfile f;
	struct filemap *fm;
	int st;

	s->map = NULL;
	if ((fm = calloc(1, sizeof *fm)) == NULL)
		goto nomem;
	fm->next = s->maps;
	s->maps = fm;
	fm->name = s->name;
	fm->width = first->n;
	fm->width_line = first->line[0];
	fm->cm.weight = COLMAP_NONE;
	if (is_header && (fm->head = csv_row_dup(first)) == NULL)
		goto nomem;
	f.name = s->name;
	f.line = first->line[0];
	f.ncols = first->n;
	f.head = fm->head != NULL ? fm->head->field : NULL;
	if ((st = colmap_keep(&fm->cm, &f, s->keep, err, errlen)) != 0)
		return st;
	if (fm->head != NULL && s->colnames != NULL) {
		st = colmap_names(&fm->cm, &f, s->colnames, s->enc->ncols, s->eval ? m->targets : NULL, nt, mname,
		    ", which --eval needs", err, errlen);
		if (st == 0 && s->eval && m->targets == NULL) {
			snprintf(err, errlen, "%s:%ld: --eval: %s names no targets to look for in the header",
			    s->name, f.line, mname);
			return ST_DATA;
		}
	} else if ((st = colmap_positions(&fm->cm, &f, s->enc->ncols, nt, s->eval, err, errlen)) != 0 &&
	    csv_one_column_hint(first, s->delim) != NULL)
		snprintf(err, errlen, "%s:%ld: %s", s->name, f.line, csv_one_column_hint(first, s->delim));
	if (st != 0)
		return st;
	s->map = fm;
	if (s->out_header && !s->header_done && (st = print_header(s, fm, err, errlen)) != 0)
		return st;
	return is_header ? 0 : data_row(s, first, err, errlen);
nomem:
	snprintf(err, errlen, "%s:%ld: out of memory", s->name, first->line[0]);
	return ST_NOMEM;
}

/*
 * Reads the targets of a row (--eval) into t (N_L) by target.c's rule: one
 * of the model's class labels (one-hot with K > 2 classes), or a number
 * from 0 to 1 per output.  0, a status, or *missing set (the caller skips
 * the row, or prints NA).
 */
static int
read_targets(const struct score *s, const struct csv_row *row, double *t, int *missing, char *err, size_t errlen)
{
	const struct model *m = s->m;
	const struct filemap *fm = s->map;
	struct target_rule rule = { m->classes, m->nclasses, s->model_name != NULL ? s->model_name : "the model", NULL };
	size_t j, c, nt = model_target_columns(m), nl = m->n[m->L];
	double v;
	int st;

	for (j = 0; j < nt; j++) {
		c = fm->cm.target[j];
		if (csv_is_missing(row->field[c], row->len[c])) {
			if (s->missing == SCORE_MISSING_ERROR)
				return missing_error(fm, row->line[c], c, row->field[c], row->len[c], err, errlen);
			*missing = 1;
			return 0;
		}
		if ((st = target_read(&rule, fm->name, row->line[c], c, row->field[c], row->len[c], &v, err, errlen)) != 0)
			return st;
		if (m->nclasses > 2)
			for (j = 0; j < nl; j++)
				t[j] = j == (size_t)v;
		else
			t[j] = v;
	}
	return 0;
}

/*
 * The features of a row by the model's encoding (a model with categorical
 * columns or fill values), into x: 0, or a status, or *missing set.
 */
static int
encode_row(struct score *s, const struct csv_row *row, double *x, int *missing, char *err, size_t errlen)
{
	const struct filemap *fm = s->map;
	const struct fcol *fc;
	char show[CSV_SHOW_LEN], col[CSV_SHOW_LEN + 16];
	enum num_error e;
	size_t k, c;

	for (k = 0; k < s->enc->ncols; k++) {
		fc = &s->enc->col[k];
		c = fm->cm.feature[k];
		switch (encode_field(fc, row->field[c], row->len[c], x + fc->first, &e)) {
		case ENC_OK:
		case ENC_FILLED:
			break;
		case ENC_UNSEEN:
			if (s->strict) {
				snprintf(err, errlen, "%s:%ld:%zu: '%s' in %s is not one of the %zu categories training saw "
				    "(--strict-categories)", fm->name, row->line[c], c + 1,
				    csv_show(show, sizeof show, row->field[c], row->len[c]),
				    column_desc(col, sizeof col, fm->head != NULL ? fm->head->field : NULL, c), fc->ncat);
				return ST_DATA;
			}
			s->unseen[k]++;
			break;
		case ENC_MISSING:
			if (fc->ncat > 0 && s->enc->impute != IMPUTE_NONE)
				break;	/* an imputing model: no category set */
			if (s->missing == SCORE_MISSING_ERROR)
				return missing_error(fm, row->line[c], c, row->field[c], row->len[c], err, errlen);
			*missing = 1;
			return 0;
		default:
			return not_a_number(fm, row, c, e, err, errlen);
		}
	}
	return 0;
}

/* A data row of the current file: checks it, reads its features (and scores it, on one thread). */
static int
data_row(struct score *s, const struct csv_row *row, char *err, size_t errlen)
{
	const struct model *m = s->m;
	const struct filemap *fm = s->map;
	size_t n0 = m->n[0], nl = m->n[m->L], i, k, c, len, nd = 0;
	char *cell;
	struct batch *b;
	enum num_error e;
	const double *y;
	double *x;
	int st, missing = 0;

	if (row->n != fm->width) {
		snprintf(err, errlen, "%s:%ld: %zu field%s, expected %zu as on line %ld", s->name,
		    row->line[0], row->n, row->n == 1 ? "" : "s", fm->width, fm->width_line);
		return ST_DATA;
	}
	if (s->cur == NULL && (st = begin_batch(s, err, errlen)) != 0)
		return st;
	b = s->cur;
	x = b->x + b->rows * n0;
	if (s->plain) {
		/* Fields left to the scorer: short ones, on the row's first line. */
		nd = b->nd;
		for (i = n0 - nd; i < n0; i++)
			if (row->len[fm->cm.feature[i]] >= CELL || row->line[fm->cm.feature[i]] != row->line[0])
				nd = 0;
		if ((i = number_parse_fields(row->field, row->len, fm->cm.feature, n0 - nd, x, &e)) < n0 - nd) {
			c = fm->cm.feature[i];	/* the first that is not a number: the rest wait */
			if (e == NUM_NOMEM || !csv_is_missing(row->field[c], row->len[c]))
				return not_a_number(fm, row, c, e, err, errlen);
			if (s->missing == SCORE_MISSING_ERROR)
				return missing_error(fm, row->line[c], c, row->field[c], row->len[c], err, errlen);
			missing = 1;
		}
	} else if ((st = encode_row(s, row, x, &missing, err, errlen)) != 0)
		return st;
	if (!missing)
		kernel_standardize(m, x, 0, n0 - nd);	/* the scorer standardises the fields it parses */
	if (!missing && s->eval && (st = read_targets(s, row, b->t + b->rows * nl, &missing, err, errlen)) != 0)
		return st;
	if (missing && s->missing == SCORE_MISSING_SKIP) {
		s->dropped_r++;
		return 0;
	}
	b->na[b->rows] = (unsigned char)missing;
	s->na_r += (size_t)missing;
	b->done[b->rows] = 0;
	if (!missing && nd == 0 && s->share < 0 && (s->owed -= s->share) >= 16) {
		s->owed -= 16;	/* -share rows in 16, spread out */
		y = kernel_forward_packed(m, s->pk, s->ws_r, x);
		memcpy(b->y + b->rows * nl, y, nl * sizeof *y);
		memcpy(b->aL + b->rows * nl, s->ws_r->a[m->L], nl * sizeof *y);
		b->done[b->rows] = 1;
	}
	b->line[b->rows] = row->line[0];
	b->left[b->rows] = nd > 0 && !missing;
	for (i = n0 - nd, cell = b->cell + b->rows * s->max_nd * CELL; nd > 0 && !missing && i < n0; i++, cell += CELL) {
		cell[0] = (char)row->len[fm->cm.feature[i]];
		memcpy(cell + 1, row->field[fm->cm.feature[i]], row->len[fm->cm.feature[i]]);
	}
	if (b->koff != NULL) {
		len = b->koff[b->rows];
		for (k = 0; k < fm->cm.nk; k++)
			if (append_field(&b->keep, &len, &b->keepcap, row->field[fm->cm.keep[k]], row->len[fm->cm.keep[k]],
			    s->delim, s->delim) != 0) {
				snprintf(err, errlen, "%s:%ld: out of memory", s->name, row->line[0]);
				return ST_NOMEM;
			}
		b->koff[b->rows + 1] = len;
	}
	b->rows++;
	if (b->rows == s->cap || (b->koff != NULL && b->koff[b->rows] >= BATCH_BYTES))
		return finish_batch(s, err, errlen);	/* (with one thread, a row is a batch) */
	return 0;
}

/*
 * csv_read's callback.  Row 1 decides the header: forced by -H or -N;
 * guessed, a header when it holds every feature name of the model, else
 * decided by csv_is_header with row 2 (row 1 is held until then).
 */
static int
parse_row(void *ctx, const struct csv_row *row, char *err, size_t errlen)
{
	struct score *s = ctx;
	struct csv_row *held;
	int st, holds;

	if (row->number == 1) {
		if (s->header != CSV_HEADER_GUESS)
			return start_file(s, row, s->header, err, errlen);
		holds = s->colnames != NULL ? colmap_holds(row->field, row->n, s->colnames, s->enc->ncols) : 0;
		if (holds > 0)
			return start_file(s, row, 1, err, errlen);
		if (holds < 0 || (s->held = csv_row_dup(row)) == NULL) {
			snprintf(err, errlen, "%s:%ld: out of memory", s->name, row->line[0]);
			return ST_NOMEM;
		}
		return 0;
	}
	if ((held = s->held) != NULL) {
		s->held = NULL;
		st = start_file(s, held, csv_is_header(held, row, CSV_HEADER_GUESS), err, errlen);
		csv_row_free(held);
		if (st != 0)
			return st;
	}
	return data_row(s, row, err, errlen);
}

/* ---- the interface ---- */

/*
 * The model's feature columns: its encoding, or one numeric column per
 * input for a model without; their names for the lookups by name, and
 * what the reader counts.  0, or -1 when out of memory.
 */
static int
set_columns(struct score *s)
{
	const struct model *m = s->m;
	size_t k;

	if (m->enc == NULL && (s->own_enc = encoding_new(m->n[0])) == NULL)
		return -1;
	s->enc = m->enc != NULL ? m->enc : s->own_enc;
	s->plain = encoding_plain(s->enc);
	if ((s->unseen = calloc(s->enc->ncols, sizeof *s->unseen)) == NULL)
		return -1;
	if (m->features == NULL)
		return 0;
	if ((s->colnames = calloc(s->enc->ncols, sizeof *s->colnames)) == NULL)
		return -1;
	for (k = 0; k < s->enc->ncols; k++)
		s->colnames[k] = m->enc != NULL ? m->enc->col[k].name : m->features[k];
	return 0;
}

/* How many batches there are: the ring's, or one for a single thread. */
static size_t
nslots(const struct score *s)
{
	return s->want_thread ? PIPELINE_SLOTS : 1;
}

struct score *
score_new(const struct model *m, int digits, int threads)
{
	struct score *s = calloc(1, sizeof *s);
	size_t n0 = m->n[0], nl = m->n[m->L], k, stride = (sizeof(struct batch) + 63) / 64 * 64;
	void *p;

	if (s == NULL)
		return NULL;
	if (posix_memalign(&p, 64, PIPELINE_SLOTS * stride) != 0) {
		free(s);
		return NULL;
	}
	memset(p, 0, PIPELINE_SLOTS * stride);
	s->slot_mem = p;
	for (k = 0; k < PIPELINE_SLOTS; k++)
		s->slot[k] = (struct batch *)(void *)((char *)p + k * stride);
	s->m = m;
	s->delim = ',';
	s->header = CSV_HEADER_GUESS;
	s->digits = digits;
	s->want_thread = threads != 1;
	s->threads = 1;
	s->cap = BATCH_BYTES / sizeof(double) / n0;
	if (s->cap > BATCH_MAX_ROWS)
		s->cap = BATCH_MAX_ROWS;
	if (s->cap < 1 || !s->want_thread)
		s->cap = 1;
	if (set_columns(s) != 0) {
		score_free(s);
		return NULL;
	}
	s->max_nd = s->want_thread && s->plain ? n0 / 2 : 0;	/* cells: a number per column */
	/* forward passes run by the reader: with their outputs kept, batches stay of about BATCH_BYTES */
	s->max_share = s->want_thread && 2 * s->cap * nl * sizeof(double) <= BATCH_BYTES ? 16 : 0;
	s->pk = kernel_pack(m);
	s->ws = work_new(m);
	s->obuf = malloc(OUTBUF);
	s->ws_r = s->max_share > 0 ? work_new(m) : NULL;
	s->pipe = pipeline_new((void *const *)s->slot, work, s);
	for (k = 0; k < nslots(s); k++)
		if ((s->slot[k]->x = malloc(s->cap * n0 * sizeof(double))) == NULL ||
		    (s->slot[k]->line = calloc(s->cap, sizeof(long))) == NULL ||
		    (s->slot[k]->na = calloc(s->cap, 1)) == NULL ||
		    (s->slot[k]->done = calloc(s->cap, 1)) == NULL ||
		    (s->slot[k]->left = calloc(s->cap, 1)) == NULL ||
		    (s->slot[k]->cell = calloc(1, s->cap * s->max_nd * CELL + NUMBER_PAD)) == NULL ||
		    (s->max_share > 0 && ((s->slot[k]->y = malloc(s->cap * nl * sizeof(double))) == NULL ||
		    (s->slot[k]->aL = malloc(s->cap * nl * sizeof(double))) == NULL)))
			break;
	if (s->pk == NULL || s->ws == NULL || s->obuf == NULL || (s->max_share > 0 && s->ws_r == NULL) || s->pipe == NULL ||
	    k < nslots(s)) {
		score_free(s);
		return NULL;
	}
	return s;
}

void
score_start(struct score *s, FILE *out, const char *out_name)
{
	s->out = out;
	s->out_name = out_name;
	s->threads = pipeline_start(s->pipe, s->want_thread ? 2 : 1);
	if (s->threads == 1) {	/* a batch of one row, every field parsed by the reader */
		s->cap = 1;
		s->max_nd = 0;
		s->max_share = 0;
	}
}

void
score_format(struct score *s, int delim, int header)
{
	s->delim = delim;
	s->header = header;
}

int
score_options(struct score *s, const struct score_opts *o, char *err, size_t errlen)
{
	const struct model *m = s->m;
	size_t nl = m->n[m->L], k, len, cap;
	static char *bits[2] = { "0", "1" };
	char *const *text = m->classes != NULL ? m->classes : bits;

	s->model_name = o->model_name;
	s->keep = o->keep;
	s->out_header = o->out_header;
	s->labels = o->labels;
	s->threshold = o->threshold;
	s->eval = o->eval;
	s->missing = o->missing;
	s->normalize = o->normalize;
	s->strict = o->strict;
	if (s->eval)
		s->max_nd = 0;	/* the reader parses every feature: see the top of this file */
	s->nlabel = m->classes != NULL ? m->nclasses : 2;
	if ((s->label = calloc(s->nlabel, sizeof *s->label)) == NULL)
		goto nomem;
	for (k = 0; k < s->nlabel; k++) {
		len = cap = 0;
		if (append_field(&s->label[k], &len, &cap, text[k], strlen(text[k]), s->delim, 0) != 0)
			goto nomem;
	}
	for (k = 0; k < nslots(s); k++) {
		if (s->eval && (s->slot[k]->t = malloc(s->cap * nl * sizeof(double))) == NULL)
			goto nomem;
		if (s->keep != NULL && (s->slot[k]->koff = calloc(s->cap + 1, sizeof(size_t))) == NULL)
			goto nomem;
	}
	if (s->eval && (s->ev = eval_new(m)) == NULL)
		goto nomem;
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	return ST_NOMEM;
}

size_t
score_dropped(const struct score *s)
{
	return s->dropped_r + s->dropped_w;
}

size_t
score_na(const struct score *s)
{
	return s->na_r + s->na_w;
}

void
score_notes(const struct score *s, FILE *f, const char *prefix)
{
	char show[CSV_SHOW_LEN];
	const char *name;
	size_t k;

	for (k = 0; k < s->enc->ncols; k++) {
		if (s->unseen[k] == 0)
			continue;
		name = s->enc->col[k].name;
		if (name != NULL)
			csv_show(show, sizeof show, name, strlen(name));
		else
			snprintf(show, sizeof show, "%zu", k + 1);
		fprintf(f, "%scolumn %s%s%s: %zu value%s training never saw, encoded as all zeros\n", prefix,
		    name != NULL ? "'" : "", show, name != NULL ? "'" : "", s->unseen[k], s->unseen[k] == 1 ? "" : "s");
	}
}

int
score_report(struct score *s, FILE *f)
{
	if (!s->eval)
		return 0;
	return eval_report(s->ev, f, s->threshold, s->digits);
}

int
score_threads(const struct score *s)
{
	return s->threads;
}

int
score_file(struct score *s, FILE *in, const char *name, const volatile sig_atomic_t *stop,
    char *err, size_t errlen)
{
	int st;

	s->name = name;
	s->stop = stop;
	s->map = NULL;
	if (pipeline_failed(s->pipe)) {
		snprintf(err, errlen, "output failed");	/* replaced by the scorer's message */
		return ST_IO;
	}
	st = csv_read(in, name, s->delim, parse_row, s, stop, err, errlen);
	if (s->held != NULL) {	/* a file of one row: a header only when it has some text */
		if (st == 0)
			st = start_file(s, s->held, csv_is_header(s->held, NULL, CSV_HEADER_GUESS), err, errlen);
		csv_row_free(s->held);
		s->held = NULL;
	}
	if (st == 0 && s->cur != NULL && s->cur->rows > 0)
		st = finish_batch(s, err, errlen);	/* a batch holds the rows of one file (its name is in messages) */
	return st;
}

int
score_end(struct score *s, int st, const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	int partial;

	/* -H and no file had a row: the header all the same (no row was handed over, the scorer is idle) */
	if (st == 0 && s->out_header && !s->header_done)
		st = print_header(s, NULL, err, errlen);
	partial = s->cur != NULL && s->cur->rows > 0;
	s->cur = NULL;
	st = pipeline_end(s->pipe, st, partial, stop, err, errlen);
	if (st < ST_INTERRUPTED)	/* the scorer is done: its last lines (those before a failure too) */
		out_flush(s);
	return st == 0 && s->oerr != 0 ? write_error(s, err, errlen) : st;
}

void
score_free(struct score *s)
{
	struct filemap *map;
	size_t k;

	if (s == NULL)
		return;
	pipeline_free(s->pipe);	/* (stops the scorer if score_end was not called) */
	packed_free(s->pk);
	work_free(s->ws);
	work_free(s->ws_r);
	free(s->obuf);
	for (k = 0; k < PIPELINE_SLOTS; k++) {
		free(s->slot[k]->x);
		free(s->slot[k]->line);
		free(s->slot[k]->cell);
		free(s->slot[k]->t);
		free(s->slot[k]->na);
		free(s->slot[k]->done);
		free(s->slot[k]->y);
		free(s->slot[k]->aL);
		free(s->slot[k]->left);
		free(s->slot[k]->keep);
		free(s->slot[k]->koff);
	}
	while ((map = s->maps) != NULL) {
		s->maps = map->next;
		csv_row_free(map->head);
		colmap_free(&map->cm);
		free(map);
	}
	csv_row_free(s->held);
	eval_free(s->ev);
	names_free(s->label, s->nlabel);
	encoding_free(s->own_enc);
	free(s->colnames);
	free(s->unseen);
	free(s->slot_mem);
	free(s);
}
