/*
 * Loading the training set.  The first row is held until the second
 * arrives, so the header guess can compare them (csv_is_header); then the
 * column roles are settled (-t targets, -x ignored, -w the weight, the rest
 * features) and every row is checked and stored: missing values, numbers
 * with the line and column of every bad field, ragged rows.  A single target
 * column may hold two class labels: which texts it holds is only known at
 * the end, so each row keeps a byte naming its text until then.
 */
#include <sys/stat.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "colmap.h"
#include "data.h"
#include "number.h"
#include "status.h"
#include "target.h"

#define NOCOL COLMAP_NONE
#define MAX_LABELS 3		/* distinct target texts remembered: two classes and a third */

struct loader {
	struct dataset *d;
	const struct data_opts *o;
	const char *name;
	size_t cap;		/* rows allocated */
	size_t hint;		/* lines in a regular file (at least its rows), or 0 */
	struct csv_row *first;	/* the first row, held until the second decides the header */
	int ready;		/* the columns are settled */
	size_t ncols;		/* fields in every row of the file */
	long width_line;	/* the line of the row that fixed it */
	char **hnames;		/* (ncols) the header, or NULL */
	unsigned char *used;	/* (ncols) 1 for the columns read: features, targets, weight */
	size_t *src;		/* (C) the file column of each stored column */
	size_t wcol;		/* the file column of the weight, or NOCOL */

	/* one target column whose kind (numbers or labels) is decided at the end */
	int defer;
	unsigned char *cls;	/* (cap) each row's target text: an index into label */
	char *label[MAX_LABELS];
	long label_line[MAX_LABELS];
	size_t label_col[MAX_LABELS];
	size_t nlabels;
	int text_seen;		/* some target is not a number */
	int out_seen;		/* some target is a number outside [0, 1]: the first is below */
	long out_line;
	size_t out_col;
	char out_text[CSV_SHOW_LEN];
};

static int
nomem(const struct loader *ld, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: out of memory", ld->name);
	return ST_NOMEM;
}

static char **
copy_texts(const struct csv_row *row)
{
	char **t = calloc(row->n, sizeof *t);
	size_t i;

	if (t == NULL)
		return NULL;
	for (i = 0; i < row->n; i++)
		if ((t[i] = strdup(row->field[i])) == NULL) {
			while (i-- > 0)
				free(t[i]);
			free(t);
			return NULL;
		}
	return t;
}

/* Settles the columns (colmap.c), given the first row and whether it is a header. */
static int
settle(struct loader *ld, const struct csv_row *row, int header, char *err, size_t errlen)
{
	const struct data_opts *o = ld->o;
	const struct dataset *like = o->like;
	struct dataset *d = ld->d;
	struct colroles roles = { o->target, o->ignore, o->weight, o->ntargets };
	struct colfile f;
	struct colmap cm;
	size_t k;
	int st;

	memset(&cm, 0, sizeof cm);
	ld->ncols = row->n;
	ld->width_line = row->line[0];
	ld->wcol = NOCOL;
	if (header && (ld->hnames = copy_texts(row)) == NULL)
		return nomem(ld, err, errlen);
	if ((ld->used = calloc(row->n, 1)) == NULL || (ld->src = calloc(row->n, sizeof *ld->src)) == NULL)
		return nomem(ld, err, errlen);
	f.name = ld->name;
	f.line = row->line[0];
	f.ncols = row->n;
	f.head = ld->hnames;
	if (like != NULL && like->names != NULL && header)
		st = colmap_names(&cm, &f, like->names, data_nfeatures(like), like->names + data_nfeatures(like),
		    like->ntargets, "the training set", NULL, err, errlen);
	else if ((st = colmap_roles(&cm, &f, &roles, err, errlen)) == 0 && like != NULL &&
	    (cm.nf + cm.nt != like->cols || cm.nt != like->ntargets)) {
		snprintf(err, errlen, "%s:%ld: %zu features and %zu target%s, but the training set has %zu and %zu",
		    ld->name, row->line[0], cm.nf, cm.nt, cm.nt == 1 ? "" : "s", data_nfeatures(like), like->ntargets);
		st = ST_DATA;
	}
	if (st == 0) {
		d->ntargets = cm.nt;
		d->cols = cm.nf + cm.nt;
		for (k = 0; k < d->cols; k++) {
			ld->src[k] = k < cm.nf ? cm.feature[k] : cm.target[k - cm.nf];
			ld->used[ld->src[k]] = 1;
		}
		if (like == NULL && (ld->wcol = cm.weight) != NOCOL)	/* validation rows have no weight */
			ld->used[ld->wcol] = 1;
	}
	colmap_free(&cm);
	return st;
}

/* After settle: the names of the stored columns and the weight. */
static int
take_names(struct loader *ld, char *err, size_t errlen)
{
	struct dataset *d = ld->d;
	size_t k;

	if (ld->hnames == NULL)
		return 0;
	if ((d->names = calloc(d->cols, sizeof *d->names)) == NULL)
		return nomem(ld, err, errlen);
	for (k = 0; k < d->cols; k++)
		if ((d->names[k] = strdup(ld->hnames[ld->src[k]])) == NULL)
			return nomem(ld, err, errlen);
	if (ld->wcol != NOCOL && (d->weight_name = strdup(ld->hnames[ld->wcol])) == NULL)
		return nomem(ld, err, errlen);
	return 0;
}

/* Room for one more row. */
static int
grow(struct loader *ld, long line, char *err, size_t errlen)
{
	struct dataset *d = ld->d;
	size_t cap = ld->cap ? ld->cap + ld->cap / 2 : 1024, cols = d->cols;
	double *p = NULL;
	void *q;

	/* first the whole file's worth (it may be mostly blank lines: then as usual) */
	if (ld->cap == 0 && ld->hint > cap && ld->hint <= SIZE_MAX / sizeof *p / cols &&
	    (p = malloc(ld->hint * cols * sizeof *p)) != NULL)
		cap = ld->hint;
	if (p == NULL && (cap > SIZE_MAX / sizeof *p / cols ||
	    (p = realloc(d->x_mem, cap * cols * sizeof *p)) == NULL))
		goto fail;
	d->x_mem = p;
	if (ld->wcol != NOCOL) {
		if ((q = realloc(d->weight, cap * sizeof *d->weight)) == NULL)
			goto fail;
		d->weight = q;
	}
	if (ld->defer) {
		if ((q = realloc(ld->cls, cap)) == NULL)
			goto fail;
		ld->cls = q;
	}
	ld->cap = cap;
	return 0;
fail:
	snprintf(err, errlen, "%s:%ld: out of memory after %zu rows", ld->name, line, d->rows);
	return ST_NOMEM;
}

/* A target text of the deferred column: its index among the texts seen. */
static unsigned char
label_of(struct loader *ld, const struct csv_row *row, size_t c)
{
	size_t k;

	for (k = 0; k < ld->nlabels; k++)
		if (strcmp(ld->label[k], row->field[c]) == 0)
			return (unsigned char)k;
	if (ld->nlabels == MAX_LABELS || (ld->label[k] = strdup(row->field[c])) == NULL)
		return MAX_LABELS;	/* a fourth text, or no memory: the decision fails anyway */
	ld->label_line[k] = row->line[c];
	ld->label_col[k] = c;
	ld->nlabels++;
	return (unsigned char)k;
}

/* Reads a target of a row from file column c into *x (target.c), or notes its text (a deferred column). */
static int
read_target(struct loader *ld, const struct csv_row *row, size_t c, double *x, char *err, size_t errlen)
{
	const struct data_opts *o = ld->o;
	struct target_rule rule = { o->classes, o->classes != NULL ? 2 : 0, o->classes_from,
		o->numbers_only ? NULL : "; class labels need a single target column" };
	enum num_error e;

	if (!ld->defer)
		return target_read(&rule, ld->name, row->line[c], c, row->field[c], row->len[c], x, err, errlen);
	e = number_parse(row->field[c], row->len[c], x);
	ld->cls[ld->d->rows] = label_of(ld, row, c);
	if (e != NUM_OK)
		ld->text_seen = 1;
	else if (!(*x >= 0 && *x <= 1) && !ld->out_seen) {
		ld->out_seen = 1;
		ld->out_line = row->line[c];
		ld->out_col = c;
		csv_show(ld->out_text, sizeof ld->out_text, row->field[c], row->len[c]);
	}
	return 0;
}

/* Checks and stores one data row. */
static int
store(struct loader *ld, const struct csv_row *row, char *err, size_t errlen)
{
	struct dataset *d = ld->d;
	size_t nf = d->cols - d->ntargets, k, c;
	char show[CSV_SHOW_LEN], desc[CSV_SHOW_LEN + 16];
	enum num_error e;
	double *x;
	int st;

	if (row->n != ld->ncols) {
		snprintf(err, errlen, "%s:%ld: %zu field%s, expected %zu as on line %ld",
		    ld->name, row->line[0], row->n, row->n == 1 ? "" : "s", ld->ncols, ld->width_line);
		return ST_DATA;
	}
	for (c = 0; c < row->n; c++)
		if (ld->used[c] && csv_is_missing(row->field[c], row->len[c])) {
			if (ld->o->drop_missing) {
				d->dropped++;
				return 0;
			}
			snprintf(err, errlen, "%s:%ld:%zu: missing value '%s' in %s; use --drop-missing to skip such rows",
			    ld->name, row->line[c], c + 1, csv_show(show, sizeof show, row->field[c], row->len[c]),
			    column_desc(desc, sizeof desc, ld->hnames, c));
			return ST_DATA;
		}
	if (d->rows == ld->cap && (st = grow(ld, row->line[0], err, errlen)) != 0)
		return st;
	x = d->x_mem + d->rows * d->cols;
	for (k = 0; k < nf; k++) {
		c = ld->src[k];
		if ((e = number_parse(row->field[c], row->len[c], &x[k])) != NUM_OK) {
			snprintf(err, errlen, "%s:%ld:%zu: '%s' %s", ld->name, row->line[c], c + 1,
			    csv_show(show, sizeof show, row->field[c], row->len[c]), number_strerror(e));
			return e == NUM_NOMEM ? ST_NOMEM : ST_DATA;
		}
	}
	for (; k < d->cols; k++)
		if ((st = read_target(ld, row, ld->src[k], &x[k], err, errlen)) != 0)
			return st;
	if ((c = ld->wcol) != NOCOL) {
		e = number_parse(row->field[c], row->len[c], &d->weight[d->rows]);
		if (e != NUM_OK || d->weight[d->rows] < 0) {
			snprintf(err, errlen, "%s:%ld:%zu: weight '%s' %s", ld->name, row->line[c], c + 1,
			    csv_show(show, sizeof show, row->field[c], row->len[c]),
			    e != NUM_OK ? number_strerror(e) : "is negative");
			return e == NUM_NOMEM ? ST_NOMEM : ST_DATA;
		}
	}
	d->rows++;
	return 0;
}

/* The first row, once it is known whether it is a header. */
static int
begin(struct loader *ld, const struct csv_row *first, const struct csv_row *next, char *err, size_t errlen)
{
	int header = csv_is_header(first, next, ld->o->header), st;

	if ((st = settle(ld, first, header, err, errlen)) != 0 || (st = take_names(ld, err, errlen)) != 0)
		return st;
	ld->defer = ld->d->ntargets == 1 && ld->o->classes == NULL && !ld->o->numbers_only;
	if (!ld->defer && ld->o->positive != NULL && ld->o->classes == NULL) {
		snprintf(err, errlen, "--positive needs one target column of class labels; %s has %zu targets",
		    ld->name, ld->d->ntargets);
		return ST_USAGE;
	}
	ld->ready = 1;
	return header ? 0 : store(ld, first, err, errlen);
}

static int
on_row(void *ctx, const struct csv_row *row, char *err, size_t errlen)
{
	struct loader *ld = ctx;
	int st;

	if (ld->ready)
		return store(ld, row, err, errlen);
	if (ld->first == NULL) {
		if ((ld->first = csv_row_dup(row)) == NULL)
			return nomem(ld, err, errlen);
		return 0;
	}
	if ((st = begin(ld, ld->first, row, err, errlen)) != 0)
		return st;
	return store(ld, row, err, errlen);
}

/* numbers before texts, numbers by value */
static int
label_cmp(const char *a, const char *b)
{
	double x, y;
	int na = number_parse(a, strlen(a), &x) == NUM_OK, nb = number_parse(b, strlen(b), &y) == NUM_OK;

	if (na && nb && x != y)
		return x < y ? -1 : 1;
	if (na != nb)
		return na ? -1 : 1;
	return strcmp(a, b);
}

/* The end of a deferred target column: numbers, or two labels mapped to 0 and 1. */
static int
decide_labels(struct loader *ld, char *err, size_t errlen)
{
	struct dataset *d = ld->d;
	char desc[CSV_SHOW_LEN + 16];
	size_t c = ld->src[d->cols - 1], r, pos;

	if (!ld->defer || (!ld->text_seen && !ld->out_seen && ld->o->positive == NULL))
		return 0;
	if (!ld->text_seen && ld->out_seen && ld->nlabels != 2)
		return target_outside(ld->name, ld->out_line, ld->out_col, ld->out_text, err, errlen);
	column_desc(desc, sizeof desc, ld->hnames, c);
	if (ld->nlabels > 2) {
		snprintf(err, errlen, "%s:%ld:%zu: target %s holds a third value '%s' after '%s' and '%s'; "
		    "a target is a number in [0,1] or one of two class labels", ld->name, ld->label_line[2],
		    ld->label_col[2] + 1, desc, ld->label[2], ld->label[0], ld->label[1]);
		return ST_DATA;
	}
	if (ld->nlabels < 2) {
		snprintf(err, errlen, "%s: target %s holds one label, '%s': two classes are needed "
		    "(or numbers in [0,1])", ld->name, desc, ld->label[0]);
		return ST_DATA;
	}
	pos = label_cmp(ld->label[0], ld->label[1]) < 0;
	if (ld->o->positive != NULL) {
		if (strcmp(ld->o->positive, ld->label[0]) == 0)
			pos = 0;
		else if (strcmp(ld->o->positive, ld->label[1]) == 0)
			pos = 1;
		else {
			snprintf(err, errlen, "--positive: '%s' is not one of the labels '%s' and '%s' of %s",
			    ld->o->positive, ld->label[0], ld->label[1], desc);
			return ST_USAGE;
		}
	}
	if ((d->classes = calloc(2, sizeof *d->classes)) == NULL)
		return nomem(ld, err, errlen);
	d->classes[0] = ld->label[1 - pos];
	d->classes[1] = ld->label[pos];
	ld->label[0] = ld->label[1] = NULL;
	for (r = 0; r < d->rows; r++)
		d->x_mem[r * d->cols + d->cols - 1] = ld->cls[r] == pos;
	return 0;
}

/*
 * For a regular file, the number of lines from the current position on (an
 * upper bound on the rows), counted with pread so that the stream is not
 * disturbed: the rows then go into one block allocated once, neither copied
 * by realloc nor doubled past the need.  0 when f is not a regular file or
 * cannot be read this way (the block then grows as rows come).
 */
static size_t
count_lines(FILE *f)
{
	char buf[1 << 16];
	const char *p, *end;
	struct stat st;
	size_t n = 1;
	ssize_t got;
	off_t pos;
	int fd = fileno(f);

	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (pos = ftello(f)) < 0)
		return 0;
	while ((got = pread(fd, buf, sizeof buf, pos)) > 0) {
		end = buf + got;
		for (p = buf; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
			n++;
		pos += got;
	}
	return got < 0 ? 0 : n;
}

int
data_read(FILE *f, const char *name, const struct data_opts *o, struct dataset **out,
    const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct loader ld;
	size_t k;
	int st;

	memset(&ld, 0, sizeof ld);
	ld.name = name;
	ld.o = o;
	if ((ld.d = calloc(1, sizeof *ld.d)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return ST_NOMEM;
	}
	ld.hint = count_lines(f);
	st = csv_read(f, name, o->delim, on_row, &ld, stop, err, errlen);
	if (st == 0 && !ld.ready && ld.first != NULL)	/* a file of one row */
		st = begin(&ld, ld.first, NULL, err, errlen);
	if (st == 0 && ld.d->rows == 0) {
		if (ld.d->dropped > 0)
			snprintf(err, errlen, "%s: no data rows: all %zu had missing values", name, ld.d->dropped);
		else
			snprintf(err, errlen, "%s: no data rows", name);
		st = ST_DATA;
	}
	if (st == 0)
		st = decide_labels(&ld, err, errlen);
	if (st == 0 && ld.d->weight != NULL) {
		double sum = 0;

		for (k = 0; k < ld.d->rows; k++)
			sum += ld.d->weight[k];
		if (!(sum > 0 && isfinite(sum))) {
			snprintf(err, errlen, "%s: the weights of column %s add up to %g; they must have a positive, finite sum",
			    name, ld.d->weight_name ? ld.d->weight_name : "-w", sum);
			st = ST_DATA;
		}
	}
	csv_row_free(ld.first);
	if (ld.hnames != NULL)
		for (k = 0; k < ld.ncols; k++)
			free(ld.hnames[k]);
	free(ld.hnames);
	free(ld.used);
	free(ld.src);
	free(ld.cls);
	for (k = 0; k < MAX_LABELS; k++)
		free(ld.label[k]);
	if (st != 0) {
		data_free(ld.d);
		return st;
	}
	if (ld.d->rows < ld.cap) {	/* give back what the rows did not use */
		double *p = realloc(ld.d->x_mem, ld.d->rows * ld.d->cols * sizeof *p);

		if (p != NULL)
			ld.d->x_mem = p;
	}
	*out = ld.d;
	return 0;
}

void
data_free(struct dataset *d)
{
	size_t i;

	if (d == NULL)
		return;
	if (d->names != NULL)
		for (i = 0; i < d->cols; i++)
			free(d->names[i]);
	if (d->classes != NULL) {
		free(d->classes[0]);
		free(d->classes[1]);
	}
	free(d->classes);
	free(d->names);
	free(d->weight_name);
	free(d->weight);
	free(d->x_mem);
	free(d);
}

size_t
data_nfeatures(const struct dataset *d)
{
	return d->cols - d->ntargets;
}

void
data_stats(const struct dataset *d, double *mean, double *std)
{
	size_t f = data_nfeatures(d), r, j;
	const double *x;
	double dev;

	for (j = 0; j < f; j++)
		mean[j] = std[j] = 0;
	for (r = 0; r < d->rows; r++) {
		x = d->x_mem + r * d->cols;
		for (j = 0; j < f; j++)
			mean[j] += x[j];
	}
	for (j = 0; j < f; j++)
		mean[j] /= (double)d->rows;
	/* Two passes: the variance from deviations, not from a difference of squares. */
	for (r = 0; r < d->rows; r++) {
		x = d->x_mem + r * d->cols;
		for (j = 0; j < f; j++) {
			dev = x[j] - mean[j];
			std[j] += dev * dev;
		}
	}
	for (j = 0; j < f; j++) {
		std[j] = sqrt(std[j] / (double)d->rows);
		if (std[j] == 0)
			std[j] = 1;
	}
}

/* The class of row r for stratification: its one target >= 0.5, or 0 with several targets. */
static int
stratum(const struct dataset *d, size_t r)
{
	return d->ntargets == 1 && d->x_mem[r * d->cols + d->cols - 1] >= 0.5;
}

int
data_holdout(struct dataset *d, double frac, struct rng *r, struct dataset **val, char *err, size_t errlen)
{
	size_t n[2] = { 0, 0 }, take[2], *idx = NULL, k, i, nv = 0, kept = 0, cols = d->cols;
	unsigned char *out = NULL;
	struct dataset *v = NULL;
	int s;

	for (k = 0; k < d->rows; k++)
		n[stratum(d, k)]++;
	for (s = 0; s < 2; s++) {
		take[s] = (size_t)floor(frac * (double)n[s] + 0.5);
		nv += take[s];
	}
	if (nv == 0 || nv >= d->rows) {	/* (and so d->rows > 1 below) */
		snprintf(err, errlen, "--holdout %g of %zu rows leaves %s", frac, d->rows,
		    nv == 0 ? "no row to validate on" : "no row to train on");
		return ST_DATA;
	}
	if ((idx = malloc(d->rows * sizeof *idx)) == NULL || (out = calloc(d->rows, 1)) == NULL ||
	    (v = calloc(1, sizeof *v)) == NULL || (v->x_mem = malloc(nv * cols * sizeof *v->x_mem)) == NULL)
		goto nomem;
	/* each class: a random draw of take[s] of its rows */
	for (s = 0; s < 2; s++) {
		for (k = 0, i = 0; k < d->rows; k++)
			if (stratum(d, k) == s)
				idx[i++] = k;
		rng_shuffle(r, idx, i);
		for (k = 0; k < take[s]; k++)
			out[idx[k]] = 1;
	}
	v->cols = cols;
	v->ntargets = d->ntargets;
	for (k = 0; k < d->rows; k++) {
		if (out[k])
			memcpy(v->x_mem + v->rows++ * cols, d->x_mem + k * cols, cols * sizeof *d->x_mem);
		else {
			if (kept != k) {
				memmove(d->x_mem + kept * cols, d->x_mem + k * cols, cols * sizeof *d->x_mem);
				if (d->weight != NULL)
					d->weight[kept] = d->weight[k];
			}
			kept++;
		}
	}
	d->rows = kept;
	free(idx);
	free(out);
	*val = v;
	return 0;
nomem:
	free(idx);
	free(out);
	data_free(v);
	snprintf(err, errlen, "out of memory");
	return ST_NOMEM;
}

int
data_balance(struct dataset *d, double cw[2], const char *name, char *err, size_t errlen)
{
	size_t n[2] = { 0, 0 }, k;
	double t;

	if (d->ntargets != 1) {
		snprintf(err, errlen, "--class-weight balanced needs one target column; %s has %zu", name, d->ntargets);
		return ST_USAGE;
	}
	for (k = 0; k < d->rows; k++) {
		t = d->x_mem[k * d->cols + d->cols - 1];
		if (t != 0 && t != 1) {
			snprintf(err, errlen, "--class-weight balanced needs targets that are 0 or 1 (or two class labels); "
			    "%s has %.17g", name, t);
			return ST_DATA;
		}
		n[t == 1]++;
	}
	if (n[0] == 0 || n[1] == 0) {
		snprintf(err, errlen, "--class-weight balanced: every training row of %s is of class %d", name, n[1] > 0);
		return ST_DATA;
	}
	cw[0] = (double)d->rows / (2.0 * (double)n[0]);
	cw[1] = (double)d->rows / (2.0 * (double)n[1]);
	if (d->weight == NULL) {
		if ((d->weight = malloc(d->rows * sizeof *d->weight)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return ST_NOMEM;
		}
		for (k = 0; k < d->rows; k++)
			d->weight[k] = 1;
	}
	for (k = 0; k < d->rows; k++)
		d->weight[k] *= cw[d->x_mem[k * d->cols + d->cols - 1] == 1];
	return 0;
}
