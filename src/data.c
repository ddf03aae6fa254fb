/*
 * Loading the training set from CSV.  The first row is held until the
 * second arrives, so the header guess can compare them (csv_is_header);
 * then the columns are settled (colmap.c) and every row is checked and
 * stored raw, one double per feature column (its number, NaN for a value
 * left to --impute, or the index of its category) and one per target
 * column (its number, or the index of its label).  Which labels and
 * categories there are is only known at the end: then the targets are
 * decided (class labels, 0/1, soft), the categories put in byte order, and
 * the rows widened in place to the encoded inputs and the targets (one-hot
 * for K > 2 classes).  Not for: what is done with the rows once loaded
 * (dataset.c).
 */
#include <sys/stat.h>

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "colmap.h"
#include "data.h"
#include "dict.h"
#include "number.h"
#include "shard.h"
#include "status.h"
#include "target.h"

#define NONE COLMAP_NONE

enum kind { NUMERIC, CATEGORICAL };

/* How the target columns are read. */
enum tmode {
	T_LABELS,		/* the one column's labels, found: decided at the end */
	T_CLASSES,		/* the given classes */
	T_BINARY,		/* numbers, 0 or 1 */
	T_SOFT			/* numbers in [0, 1] (--soft-targets) */
};

struct loader {
	struct dataset *d;
	const struct data_opts *o;
	const char *name;
	size_t cap;		/* rows allocated */
	size_t hint;		/* lines in a regular file (at least its rows), or 0 */
	struct csv_row *first;	/* the first row, held until the second decides the header */
	int ready;		/* the columns are settled */
	int kinds_known;	/* the feature columns' kinds are known (-c auto: after a data row) */
	size_t ncols;		/* fields in every row of the file */
	long head_line;		/* the header's line, or 0 */
	long width_line;	/* the line of the row that fixed the width */
	char **hnames;		/* (ncols) the header, or NULL */
	unsigned char *used;	/* (ncols) 1 for the columns read: features, targets, weight */
	size_t nf, nt;		/* feature and target columns */
	size_t *fsrc, *tsrc;	/* (nf), (nt) their file columns */
	size_t wcol;		/* the file column of the weight, or NONE */
	unsigned char *kind;	/* (nf) NUMERIC or CATEGORICAL */
	unsigned char *is01;	/* (nf) numeric columns: 1 a 0 seen, 2 a 1 seen, 4 another value seen */
	struct dict *cats;	/* (nf) the categories found in each column */
	const struct encoding *fixed;	/* the encoding given, or NULL */
	size_t max_cat;
	enum tmode tmode;
	struct dict labels;	/* T_LABELS */
	/* with several workers: */
	struct comm *c;
	size_t *lmap;		/* (labels.n) the ids of this worker's labels among all workers', or NULL */
	size_t **cmap;		/* (nf) the same for each column's categories, or NULL */
	long pos;		/* the check store is making: -1 the row, k feature k, nf + j target j */
	long err_row, err_pos;	/* where a check failed: the row's first line, and pos */
};

void
data_free(struct dataset *d)
{
	if (d == NULL)
		return;
	names_free(d->names, d->enc != NULL ? d->enc->ninputs : 0);
	names_free(d->tnames, d->ntcols);
	names_free(d->classes, d->nclasses);
	encoding_free(d->enc);
	free(d->unseen);
	free(d->weight_name);
	free(d->weight);
	free(d->x_mem);
	free(d);
}

static int
nomem(const struct loader *ld, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: out of memory", ld->name);
	return ST_NOMEM;
}

/* ---- the columns ---- */

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

/*
 * The file's columns by name: those of the training set (validation rows
 * with a header, when the training file had one), or of the -i model.
 */
static int
map_named(struct loader *ld, const struct colfile *f, struct colmap *cm, char *err, size_t errlen)
{
	const struct data_opts *o = ld->o;
	const struct encoding *e = ld->fixed;
	char *const *tnames = o->like != NULL ? o->like->tnames : o->tnames;
	size_t nt = o->like != NULL ? o->like->ntcols : o->tcols, k;
	char **fnames;
	int st;

	if ((fnames = calloc(e->ncols, sizeof *fnames)) == NULL)
		return nomem(ld, err, errlen);
	for (k = 0; k < e->ncols; k++)
		fnames[k] = e->col[k].name;
	st = colmap_names(cm, f, fnames, e->ncols, tnames, nt, o->like != NULL ? "the training set" : o->classes_from,
	    NULL, err, errlen);
	free(fnames);
	return st;
}

/* Whether the columns can be found by name: a header, and the names of the columns to find. */
static int
by_name(const struct loader *ld, int header)
{
	const struct data_opts *o = ld->o;
	size_t k;

	if (!header || ld->fixed == NULL)
		return 0;
	if (o->like != NULL)
		return o->like->names != NULL;
	if (o->tnames == NULL || o->target != NULL || o->ignore != NULL || o->weight != NULL)
		return 0;
	for (k = 0; k < ld->fixed->ncols; k++)
		if (ld->fixed->col[k].name == NULL)
			return 0;
	return 1;
}

/*
 * The file's columns by roles: -x, -w, -t; without -t, the last column is
 * the target, or the last -l columns when they and -l's inputs make up all
 * the columns; with a given encoding, as many as it has.
 */
static int
map_roles(struct loader *ld, const struct colfile *f, struct colmap *cm, char *err, size_t errlen)
{
	const struct data_opts *o = ld->o;
	struct colroles r = { o->target, o->ignore, o->weight, o->tcols > 0 ? o->tcols : 1 };
	const char *whose = o->like != NULL ? "the training set" : o->classes_from;
	size_t want;
	int st;

	if ((st = colmap_roles(cm, f, &r, err, errlen)) != 0)
		return st;
	if (o->target == NULL && o->tcols == 0 && o->layers_out > 1 && o->categorical == NULL && !o->cat_auto &&
	    cm->nf + cm->nt == o->layers_in + o->layers_out) {
		r.ntargets = o->layers_out;
		if ((st = colmap_roles(cm, f, &r, err, errlen)) != 0)
			return st;
	}
	want = ld->fixed != NULL ? ld->fixed->ncols : 0;
	if (ld->fixed != NULL && (cm->nf != want || (o->tcols > 0 && cm->nt != o->tcols))) {
		snprintf(err, errlen, "%s:%ld: %zu feature column%s and %zu target column%s, but %s has %zu and %zu",
		    ld->name, f->line, cm->nf, cm->nf == 1 ? "" : "s", cm->nt, cm->nt == 1 ? "" : "s",
		    whose != NULL ? whose : "the model", want, o->tcols);
		return ST_DATA;
	}
	return 0;
}

/* -c's columns: categorical; each must be a feature column. */
static int
mark_categorical(struct loader *ld, const struct colfile *f, char *err, size_t errlen)
{
	char desc[CSV_SHOW_LEN + 16];
	size_t *idx, n, i, k;

	if (colspec_resolve(ld->o->categorical, f->head, f->ncols, f->name, &idx, &n, err, errlen) != 0)
		return ST_USAGE;
	for (i = 0; i < n; i++) {
		for (k = 0; k < ld->nf && ld->fsrc[k] != idx[i]; k++)
			;
		if (k == ld->nf) {
			snprintf(err, errlen, "-c names %s, which is not a feature column (a target, the weight, or "
			    "skipped by -x)", column_desc(desc, sizeof desc, f->head, idx[i]));
			free(idx);
			return ST_USAGE;
		}
		ld->kind[k] = CATEGORICAL;
	}
	free(idx);
	return 0;
}

/* How the targets are read: given classes, soft numbers, 0/1 numbers, or labels to find. */
static int
target_mode(struct loader *ld, char *err, size_t errlen)
{
	const struct data_opts *o = ld->o;

	if (o->classes != NULL && ld->nt == 1)
		ld->tmode = T_CLASSES;
	else if (o->soft)
		ld->tmode = T_SOFT;
	else if (ld->nt > 1 || o->tcols > 0)
		ld->tmode = T_BINARY;
	else
		ld->tmode = T_LABELS;
	ld->labels.labels = 1;
	if (o->positive != NULL && ld->tmode != T_LABELS && o->classes == NULL) {
		snprintf(err, errlen, "--positive needs one target column of class labels; %s has %zu target%s%s",
		    ld->name, ld->nt, ld->nt == 1 ? "" : "s", o->soft ? " read as numbers (--soft-targets)" : "");
		return ST_USAGE;
	}
	return 0;
}

/* Settles the columns, given the first row and whether it is a header. */
static int
settle(struct loader *ld, const struct csv_row *row, int header, char *err, size_t errlen)
{
	const struct data_opts *o = ld->o;
	struct colfile f;
	struct colmap cm;
	size_t k;
	int st;

	memset(&cm, 0, sizeof cm);
	ld->ncols = row->n;
	ld->width_line = row->line[0];
	ld->head_line = header ? row->line[0] : 0;
	ld->wcol = NONE;
	ld->fixed = o->like != NULL ? o->like->enc : o->enc;
	ld->max_cat = o->max_categories > 0 ? o->max_categories : ENCODE_MAX_CATEGORIES;
	if (header && (ld->hnames = copy_texts(row)) == NULL)
		return nomem(ld, err, errlen);
	f.name = ld->name;
	f.line = row->line[0];
	f.ncols = row->n;
	f.head = ld->hnames;
	if (by_name(ld, header))
		st = map_named(ld, &f, &cm, err, errlen);
	else
		st = map_roles(ld, &f, &cm, err, errlen);
	if (st != 0)
		goto done;
	ld->nf = cm.nf;
	ld->nt = cm.nt;
	if ((ld->used = calloc(row->n, 1)) == NULL || (ld->kind = calloc(cm.nf + 1, 1)) == NULL ||
	    (ld->is01 = calloc(cm.nf + 1, 1)) == NULL || (ld->cats = calloc(cm.nf + 1, sizeof *ld->cats)) == NULL) {
		st = nomem(ld, err, errlen);
		goto done;
	}
	ld->fsrc = cm.feature;
	ld->tsrc = cm.target;
	cm.feature = cm.target = NULL;
	for (k = 0; k < ld->nf; k++) {
		ld->used[ld->fsrc[k]] = 1;
		ld->kind[k] = ld->fixed != NULL && ld->fixed->col[k].ncat > 0 ? CATEGORICAL : NUMERIC;
	}
	for (k = 0; k < ld->nt; k++)
		ld->used[ld->tsrc[k]] = 1;
	if (o->like == NULL && (ld->wcol = cm.weight) != NONE)	/* validation rows have no weight */
		ld->used[ld->wcol] = 1;
	ld->kinds_known = ld->fixed != NULL || !o->cat_auto;
	if (ld->fixed == NULL && o->categorical != NULL && (st = mark_categorical(ld, &f, err, errlen)) != 0)
		goto done;
	st = target_mode(ld, err, errlen);
done:
	colmap_free(&cm);
	return st;
}

/* -c auto: the feature columns whose first data row holds text are categorical. */
static void
auto_kinds(struct loader *ld, const struct csv_row *row)
{
	size_t k, c;
	double v;

	for (k = 0; k < ld->nf; k++) {
		c = ld->fsrc[k];
		if (number_parse(row->field[c], row->len[c], &v) != NUM_OK && !csv_is_missing(row->field[c], row->len[c]))
			ld->kind[k] = CATEGORICAL;
	}
	ld->kinds_known = 1;
}

/* Room for one more raw row. */
static int
grow(struct loader *ld, long line, char *err, size_t errlen)
{
	struct dataset *d = ld->d;
	size_t cap = ld->cap ? ld->cap + ld->cap / 2 : 1024, width = ld->nf + ld->nt;
	double *p = NULL;
	void *q;

	if (width == 0)
		width = 1;
	/* first the whole file's worth (it may be mostly blank lines: then as usual) */
	if (ld->cap == 0 && ld->hint > cap && ld->hint <= SIZE_MAX / sizeof *p / width &&
	    (p = malloc(ld->hint * width * sizeof *p)) != NULL)
		cap = ld->hint;
	if (p == NULL && (cap > SIZE_MAX / sizeof *p / width ||
	    (p = realloc(d->x_mem, cap * width * sizeof *p)) == NULL))
		goto fail;
	d->x_mem = p;
	if (ld->wcol != NONE) {
		if ((q = realloc(d->weight, cap * sizeof *d->weight)) == NULL)
			goto fail;
		d->weight = q;
	}
	ld->cap = cap;
	return 0;
fail:
	snprintf(err, errlen, "%s:%ld: out of memory after %zu rows", ld->name, line, d->rows);
	return ST_NOMEM;
}

/* ---- the rows ---- */

/* Whether row is the header again (files joined with cat). */
static int
repeats_header(const struct loader *ld, const struct csv_row *row)
{
	size_t c;

	if (ld->hnames == NULL || row->n != ld->ncols)
		return 0;
	for (c = 0; c < row->n; c++)
		if (strcmp(row->field[c], ld->hnames[c]) != 0)
			return 0;
	return 1;
}

/*
 * A missing value in file column c where none may be: the message, with
 * what to do (--impute for a numeric feature), or a hint for an empty,
 * unnamed column (a separator at the end of every line).
 */
static int
missing_value(const struct loader *ld, const struct csv_row *row, size_t c, char *err, size_t errlen)
{
	char show[CSV_SHOW_LEN], desc[CSV_SHOW_LEN + 16];
	size_t k;
	int numeric = 0;

	for (k = 0; k < ld->nf; k++)
		numeric |= ld->fsrc[k] == c && ld->kind[k] == NUMERIC;
	if (row->len[c] == 0 && (ld->hnames != NULL ? ld->hnames[c][0] == '\0' : c + 1 == ld->ncols)) {
		snprintf(err, errlen, "%s:%ld:%zu: %s is empty and has no name: a separator at the end of every "
		    "line? skip the column with -x %zu", ld->name, row->line[c], c + 1,
		    column_desc(desc, sizeof desc, ld->hnames, c), c + 1);
		return ST_DATA;
	}
	snprintf(err, errlen, "%s:%ld:%zu: missing value '%s' in %s; use --drop-missing to skip such rows%s",
	    ld->name, row->line[c], c + 1, csv_show(show, sizeof show, row->field[c], row->len[c]),
	    column_desc(desc, sizeof desc, ld->hnames, c), numeric ? ", or --impute mean to fill them" : "");
	return ST_DATA;
}

/* Whether a missing value in file column c can be stored: a feature, with --impute (or a given fill). */
static int
can_fill(const struct loader *ld, size_t c)
{
	size_t k;

	for (k = 0; k < ld->nf; k++)
		if (ld->fsrc[k] == c)
			return ld->o->impute || (ld->fixed != NULL && ld->fixed->col[k].fill);
	return 0;
}

/* The message for a feature that is not a number. */
static int
not_a_number(const struct loader *ld, const struct csv_row *row, size_t c, enum num_error e, char *err,
    size_t errlen)
{
	char show[CSV_SHOW_LEN], desc[CSV_SHOW_LEN + 16];
	const char *whose = ld->o->like != NULL ? "the training set" : ld->o->classes_from;

	if (repeats_header(ld, row)) {
		snprintf(err, errlen, "%s:%ld: this row repeats the header of line %ld: files joined with cat? keep one "
		    "header (tail -n +2 on the files after the first)", ld->name, row->line[0], ld->head_line);
		return ST_DATA;
	}
	csv_show(show, sizeof show, row->field[c], row->len[c]);
	column_desc(desc, sizeof desc, ld->hnames, c);
	if (e == NUM_SYNTAX && ld->fixed != NULL)
		snprintf(err, errlen, "%s:%ld:%zu: '%s' in %s is not a number, and the column is numeric in %s",
		    ld->name, row->line[c], c + 1, show, desc, whose != NULL ? whose : "the model");
	else if (e == NUM_SYNTAX)
		snprintf(err, errlen, "%s:%ld:%zu: '%s' in %s is not a number; name it with --categorical to encode its "
		    "values as categories, or -x to ignore it", ld->name, row->line[c], c + 1, show, desc);
	else
		snprintf(err, errlen, "%s:%ld:%zu: '%s' in %s %s", ld->name, row->line[c], c + 1, show, desc,
		    number_strerror(e));
	return e == NUM_NOMEM ? ST_NOMEM : ST_DATA;
}

/* A column with more categories than allowed, the first too many at line:c. */
static int
too_many_categories(const struct loader *ld, long line, size_t c, char *err, size_t errlen)
{
	char desc[CSV_SHOW_LEN + 16];

	snprintf(err, errlen, "%s:%ld:%zu: %s holds more than %zu categories: is it an id? skip it with -x, or "
	    "allow more with --max-categories", ld->name, line, c + 1, column_desc(desc, sizeof desc, ld->hnames, c),
	    ld->max_cat);
	return ST_DATA;
}

/* A target column with more labels than classes can be. */
static int
too_many_labels(const struct loader *ld, long line, size_t c, char *err, size_t errlen)
{
	char desc[CSV_SHOW_LEN + 16];

	snprintf(err, errlen, "%s:%ld:%zu: target %s holds more than %d distinct values: not class labels; "
	    "name the label column with -t", ld->name, line, c + 1, column_desc(desc, sizeof desc, ld->hnames, c),
	    TARGET_MAX_CLASSES);
	return ST_DATA;
}

/* Feature k of a row, from file column c, into *x: a number, NaN to fill, or a category's index (-1: none). */
static int
read_feature(struct loader *ld, const struct csv_row *row, size_t k, double *x, char *err, size_t errlen)
{
	size_t c = ld->fsrc[k];
	const struct fcol *fc = ld->fixed != NULL ? &ld->fixed->col[k] : NULL;
	enum num_error e;
	long id;

	if (ld->kind[k] == NUMERIC) {
		if ((e = number_parse(row->field[c], row->len[c], x)) == NUM_OK) {
			ld->is01[k] |= *x == 0 ? 1 : *x == 1 ? 2 : 4;
			return 0;
		}
		if (e != NUM_NOMEM && csv_is_missing(row->field[c], row->len[c])) {	/* let through by store */
			*x = fc != NULL && fc->fill ? fc->value : NAN;
			ld->d->missing += !(fc != NULL && fc->fill);
			return 0;
		}
		return not_a_number(ld, row, c, e, err, errlen);
	}
	if (csv_is_missing(row->field[c], row->len[c])) {	/* --impute: no category */
		*x = -1;
		return 0;
	}
	if (fc != NULL) {
		if ((id = encoding_find(fc, row->field[c], row->len[c])) < 0)
			ld->d->unseen[k]++;
		*x = (double)id;
		return 0;
	}
	if ((id = dict_id(&ld->cats[k], row->field[c], row->len[c], row->line[c], c, row->line[0], ld->max_cat)) == -1)
		return nomem(ld, err, errlen);
	if (id == -2)
		return too_many_categories(ld, row->line[c], c, err, errlen);
	*x = (double)id;
	return 0;
}

/* Target j of a row, from file column c, into *x (a number, or a label's or class's index). */
static int
read_target(struct loader *ld, const struct csv_row *row, size_t j, double *x, char *err, size_t errlen)
{
	const struct data_opts *o = ld->o;
	struct target_rule rule = { o->classes, o->nclasses, o->classes_from, NULL };
	char show[CSV_SHOW_LEN], desc[CSV_SHOW_LEN + 16];
	size_t c = ld->tsrc[j];
	long id;
	int st;

	switch (ld->tmode) {
	case T_LABELS:
		if ((id = dict_id(&ld->labels, row->field[c], row->len[c], row->line[c], c, row->line[0],
		    TARGET_MAX_CLASSES)) == -1)
			return nomem(ld, err, errlen);
		if (id == -2)
			return too_many_labels(ld, row->line[c], c, err, errlen);
		*x = (double)id;
		return 0;
	case T_CLASSES:
		return target_read(&rule, ld->name, row->line[c], c, row->field[c], row->len[c], x, err, errlen);
	case T_SOFT:
		rule.hint = "; --soft-targets takes numbers in [0,1]";
		return target_read(&rule, ld->name, row->line[c], c, row->field[c], row->len[c], x, err, errlen);
	default:
		rule.hint = ld->nt > 1 ? "; class labels need a single target column" : NULL;
		if ((st = target_read(&rule, ld->name, row->line[c], c, row->field[c], row->len[c], x, err, errlen)) != 0)
			return st;
		if (*x == 0 || *x == 1)
			return 0;
		snprintf(err, errlen, "%s:%ld:%zu: target '%s' in %s is not 0 or 1: %s holds 0/1 labels; for soft "
		    "targets in [0,1] give --soft-targets", ld->name, row->line[c], c + 1,
		    csv_show(show, sizeof show, row->field[c], row->len[c]), column_desc(desc, sizeof desc, ld->hnames, c),
		    ld->nt > 1 ? "each of several target columns" : o->classes_from != NULL ? o->classes_from :
		    "the target");
		return ST_DATA;
	}
}

/* Checks and stores one data row, raw. */
static int
store(struct loader *ld, const struct csv_row *row, char *err, size_t errlen)
{
	struct dataset *d = ld->d;
	size_t width = ld->nf + ld->nt, k, c;
	char show[CSV_SHOW_LEN];
	enum num_error e;
	double *x;
	int st;

	ld->pos = -1;
	if (row->n != ld->ncols) {
		snprintf(err, errlen, "%s:%ld: %zu field%s, expected %zu as on line %ld",
		    ld->name, row->line[0], row->n, row->n == 1 ? "" : "s", ld->ncols, ld->width_line);
		return ST_DATA;
	}
	if (!ld->kinds_known)
		auto_kinds(ld, row);
	for (c = 0; c < row->n; c++)
		if (ld->used[c] && csv_is_missing(row->field[c], row->len[c]) && !can_fill(ld, c)) {
			if (ld->o->drop_missing) {
				d->dropped++;
				return 0;
			}
			return missing_value(ld, row, c, err, errlen);
		}
	if (d->rows == ld->cap && (st = grow(ld, row->line[0], err, errlen)) != 0)
		return st;
	x = d->x_mem + d->rows * width;
	for (k = 0; k < ld->nf; k++)
		if ((ld->pos = (long)k, st = read_feature(ld, row, k, &x[k], err, errlen)) != 0)
			return st;
	for (k = 0; k < ld->nt; k++)
		if ((ld->pos = (long)(ld->nf + k), st = read_target(ld, row, k, &x[ld->nf + k], err, errlen)) != 0)
			return st;
	ld->pos = (long)width;
	if ((c = ld->wcol) != NONE) {
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

/* One column per row: say what the file seems to be instead. */
static int
one_column(const struct loader *ld, const struct csv_row *row, char *err, size_t errlen)
{
	const char *hint = csv_one_column_hint(row, ld->o->delim);

	if (hint == NULL)
		return 0;
	snprintf(err, errlen, "%s:%ld: %s", ld->name, row->line[0], hint);
	return ST_DATA;
}

/* The first row, once it is known whether it is a header. */
static int
begin(struct loader *ld, const struct csv_row *first, const struct csv_row *next, char *err, size_t errlen)
{
	int header = csv_is_header(first, next, ld->o->header), st;

	if ((st = one_column(ld, first, err, errlen)) != 0 || (st = settle(ld, first, header, err, errlen)) != 0)
		return st;
	if (ld->fixed != NULL && (ld->d->unseen = calloc(ld->nf + 1, sizeof *ld->d->unseen)) == NULL)
		return nomem(ld, err, errlen);
	ld->ready = 1;
	if (ld->c->size > 1) {	/* every worker settles from the same rows (read_part skips the header) */
		if (!ld->kinds_known && (first = header ? next : first) != NULL && first->n == ld->ncols)
			auto_kinds(ld, first);
		ld->kinds_known = 1;
		return 0;
	}
	return header ? 0 : store(ld, first, err, errlen);
}

static int
on_row(void *ctx, const struct csv_row *row, char *err, size_t errlen)
{
	struct loader *ld = ctx;
	int st;

	if (ld->c->size > 1 && row->line[0] == ld->head_line)
		return 0;	/* the header, which settled the columns of every worker */
	if (!ld->ready && ld->first == NULL) {
		if ((ld->first = csv_row_dup(row)) == NULL)
			return nomem(ld, err, errlen);
		return 0;
	}
	if (!ld->ready && (st = begin(ld, ld->first, row, err, errlen)) != 0)
		return st;
	if ((st = store(ld, row, err, errlen)) != 0) {	/* where, to compare with the other workers' */
		ld->err_row = row->line[0];
		ld->err_pos = ld->pos;
	}
	return st;
}

/* ---- the end: targets, categories, the rows widened ---- */

/*
 * ", is 'x' the label column? ..." after a refused target column: a feature
 * column of only 0 and 1, one named like a label first; "" when none.
 */
static void
suggest_label_column(const struct loader *ld, char *buf, size_t buflen)
{
	static const char *const usual[] = { "label", "class", "target", "outcome", "diagnosis", "species", "y" };
	const size_t nusual = sizeof usual / sizeof *usual;
	size_t k, u, best = NONE;
	char show[CSV_SHOW_LEN];

	buf[0] = '\0';
	if (ld->hnames == NULL)
		return;
	for (k = 0; k < ld->nf; k++) {
		if (ld->kind[k] != NUMERIC || ld->is01[k] != 3)	/* both 0 and 1, nothing else */
			continue;
		for (u = 0; u < nusual && strcasecmp(ld->hnames[ld->fsrc[k]], usual[u]) != 0; u++)
			;
		if (best == NONE || u < nusual)
			best = k;
		if (u < nusual)
			break;
	}
	if (best != NONE) {
		csv_show(show, sizeof show, ld->hnames[ld->fsrc[best]], strlen(ld->hnames[ld->fsrc[best]]));
		snprintf(buf, buflen, "; is '%s' the label column? then -t '%s'", show, show);
	}
}

/* What a refused target column holds, and what to do about it. */
static int
not_labels(const struct loader *ld, struct seen **v, size_t n, size_t singles, char *err, size_t errlen)
{
	char desc[CSV_SHOW_LEN + 16], hint[CSV_SHOW_LEN * 2 + 64], show[CSV_SHOW_LEN];
	size_t k, wholes = 0, unit = 0, odd = 0;

	column_desc(desc, sizeof desc, ld->hnames, ld->tsrc[0]);
	suggest_label_column(ld, hint, sizeof hint);
	for (k = 0; k < n; k++) {
		if (!v[k]->num || v[k]->value == floor(v[k]->value))
			wholes++;
		else
			odd = k;
		unit += v[k]->num && v[k]->value >= 0 && v[k]->value <= 1;
	}
	csv_show(show, sizeof show, v[odd]->text, v[odd]->len);
	if (wholes < n && unit == n)
		snprintf(err, errlen, "%s: target %s holds %zu distinct numbers in [0,1], not class labels: for soft "
		    "targets give --soft-targets%s", ld->name, desc, n, hint);
	else if (wholes < n)
		snprintf(err, errlen, "%s:%ld:%zu: target %s holds %zu distinct values, some not whole numbers ('%s'): "
		    "a target column holds class labels (text or whole numbers)%s", ld->name, v[odd]->line,
		    v[odd]->col + 1, desc, n, show, hint);
	else
		snprintf(err, errlen, "%s: target %s holds %zu distinct values, %zu of them on one row each: not class "
		    "labels (an id, or a measurement?)%s", ld->name, desc, n, singles, hint);
	return ST_DATA;
}

/*
 * The one target column's labels, once all are seen: 0 and 1 are the
 * targets themselves; other labels are classes, in target_label_cmp's
 * order, two giving one output (target 1 for --positive's, else the
 * greater) and K > 2 giving K.  cls[id] gets each label's class.
 */
static int
decide_labels(struct loader *ld, size_t *cls, int *plain, char *err, size_t errlen)
{
	struct dataset *d = ld->d;
	struct seen **v;
	char desc[CSV_SHOW_LEN + 16], a[CSV_SHOW_LEN], b[CSV_SHOW_LEN], p[CSV_SHOW_LEN];
	size_t n = ld->labels.n, k, singles = 0, wholes = 0, pos = NONE;
	int st = 0;

	if ((v = dict_sorted(&ld->labels)) == NULL)
		return nomem(ld, err, errlen);
	column_desc(desc, sizeof desc, ld->hnames, ld->tsrc[0]);
	for (k = 0; k < n; k++) {
		singles += v[k]->count == 1;
		wholes += !v[k]->num || v[k]->value == floor(v[k]->value);
	}
	*plain = n == 2 && v[0]->num && v[1]->num && v[0]->value == 0 && v[1]->value == 1 && ld->o->positive == NULL;
	if (n == 1) {
		snprintf(err, errlen, "%s: target %s holds one label, '%s': two classes are needed", ld->name, desc,
		    csv_show(a, sizeof a, v[0]->text, v[0]->len));
		st = ST_DATA;
	} else if (wholes < n || (n >= 10 && 10 * singles >= 9 * n))	/* an id, or a measurement */
		st = not_labels(ld, v, n, singles, err, errlen);
	else if (n > 2 && ld->o->positive != NULL) {
		snprintf(err, errlen, "--positive is for two classes; target %s holds %zu", desc, n);
		st = ST_USAGE;
	}
	for (k = 0; st == 0 && ld->o->positive != NULL && k < n; k++)
		if (target_label_cmp(ld->o->positive, v[k]->text) == 0)
			pos = k;
	if (st == 0 && ld->o->positive != NULL && pos == NONE) {
		snprintf(err, errlen, "--positive: '%s' is not one of the labels '%s' and '%s' of %s",
		    csv_show(p, sizeof p, ld->o->positive, strlen(ld->o->positive)), csv_show(a, sizeof a, v[0]->text,
		    v[0]->len), csv_show(b, sizeof b, v[1]->text, v[1]->len), desc);
		st = ST_USAGE;
	}
	if (st == 0 && pos != NONE && pos == 0) {	/* the positive class last */
		struct seen *t = v[0];

		v[0] = v[1];
		v[1] = t;
	}
	d->nclasses = *plain || st != 0 ? 0 : n;
	if (d->nclasses > 0 && (d->classes = calloc(n, sizeof *d->classes)) == NULL)
		st = nomem(ld, err, errlen);
	for (k = 0; st == 0 && k < n; k++) {
		cls[v[k]->id] = k;
		if (d->classes != NULL && (d->classes[k] = strdup(v[k]->text)) == NULL)
			st = nomem(ld, err, errlen);
	}
	free(v);
	return st;
}

/* The encoding found: categorical columns' categories in byte order; remap[k][id] is each one's input. */
static int
build_encoding(struct loader *ld, size_t **remap, char *err, size_t errlen)
{
	struct dataset *d = ld->d;
	struct seen **v;
	struct fcol *fc;
	char desc[CSV_SHOW_LEN + 16];
	size_t k, i;

	if ((d->enc = encoding_new(ld->nf)) == NULL)
		return nomem(ld, err, errlen);
	d->enc->impute = ld->o->impute ? IMPUTE_MEAN : IMPUTE_NONE;	/* the kind: data_impute says */
	for (k = 0; k < ld->nf; k++) {
		fc = &d->enc->col[k];
		if (ld->hnames != NULL && (fc->name = strdup(ld->hnames[ld->fsrc[k]])) == NULL)
			return nomem(ld, err, errlen);
		if (ld->kind[k] != CATEGORICAL)
			continue;
		if (ld->cats[k].n == 0) {
			snprintf(err, errlen, "%s: %s has no category in the rows read (every value is missing)", ld->name,
			    column_desc(desc, sizeof desc, ld->hnames, ld->fsrc[k]));
			return ST_DATA;
		}
		ld->cats[k].labels = 0;
		if ((v = dict_sorted(&ld->cats[k])) == NULL || (remap[k] = malloc(ld->cats[k].n * sizeof **remap)) == NULL ||
		    (fc->cat = calloc(ld->cats[k].n, sizeof *fc->cat)) == NULL) {
			free(v);
			return nomem(ld, err, errlen);
		}
		for (i = 0; i < ld->cats[k].n; i++, fc->ncat++) {
			remap[k][v[i]->id] = i;
			if ((fc->cat[i] = strdup(v[i]->text)) == NULL) {
				free(v);
				return nomem(ld, err, errlen);
			}
		}
		free(v);
	}
	encoding_layout(d->enc);
	return 0;
}

/*
 * Widens the raw rows (nf + nt doubles) in place to the final ones (N_0 +
 * T), from the last row down: a final row never starts before its raw one.
 */
static int
widen(struct loader *ld, size_t **remap, const size_t *cls, int plain, char *err, size_t errlen)
{
	struct dataset *d = ld->d;
	const struct encoding *e = d->enc;
	size_t raw = ld->nf + ld->nt, w = e->ninputs + d->ntargets, r, k, j, c;
	double *tmp, *p, *x, id;

	d->cols = w;
	if (d->rows == 0)
		return 0;
	if ((tmp = malloc(raw * sizeof *tmp)) == NULL)
		return nomem(ld, err, errlen);
	if (w > raw) {
		if (d->rows > SIZE_MAX / sizeof *p / w || (p = realloc(d->x_mem, d->rows * w * sizeof *p)) == NULL) {
			free(tmp);
			snprintf(err, errlen, "%s: out of memory for %zu rows of %zu inputs", ld->name, d->rows, e->ninputs);
			return ST_NOMEM;
		}
		d->x_mem = p;
	}
	for (r = d->rows; r-- > 0;) {
		memcpy(tmp, d->x_mem + r * raw, raw * sizeof *tmp);
		x = d->x_mem + r * w;
		for (k = 0; k < ld->nf; k++) {
			if (ld->kind[k] == NUMERIC) {
				x[e->col[k].first] = tmp[k];
				continue;
			}
			for (j = 0; j < e->col[k].ncat; j++)
				x[e->col[k].first + j] = 0;
			if ((id = tmp[k]) < 0)
				continue;
			c = ld->fixed == NULL && ld->cmap != NULL ? ld->cmap[k][(size_t)id] : (size_t)id;
			x[e->col[k].first + (remap != NULL && remap[k] != NULL ? remap[k][c] : c)] = 1;
		}
		x += e->ninputs;
		if (ld->tmode != T_LABELS && ld->tmode != T_CLASSES) {
			memcpy(x, tmp + ld->nf, ld->nt * sizeof *x);
			continue;
		}
		j = ld->tmode == T_LABELS && ld->lmap != NULL ? ld->lmap[(size_t)tmp[ld->nf]] : (size_t)tmp[ld->nf];
		c = ld->tmode == T_LABELS ? cls[j] : (size_t)tmp[ld->nf];
		if (d->ntargets == 1)
			x[0] = plain ? ld->labels.v[j]->value : (double)(c == 1);
		else
			for (j = 0; j < d->ntargets; j++)
				x[j] = j == c;
	}
	free(tmp);
	return 0;
}

/* The names of the inputs ("color=red" for a category), of the target columns and of the weight. */
static int
take_names(struct loader *ld, char *err, size_t errlen)
{
	struct dataset *d = ld->d;
	size_t k;

	if ((d->names = calloc(d->enc->ninputs + 1, sizeof *d->names)) == NULL ||
	    (d->tnames = calloc(ld->nt + 1, sizeof *d->tnames)) == NULL)
		return nomem(ld, err, errlen);
	for (k = 0; k < d->enc->ninputs; k++)
		if ((d->names[k] = encoding_input_name(d->enc, k)) == NULL)
			return nomem(ld, err, errlen);
	for (k = 0; k < ld->nt; k++)
		if ((d->tnames[k] = strdup(ld->hnames[ld->tsrc[k]])) == NULL)
			return nomem(ld, err, errlen);
	if (ld->wcol != NONE && (d->weight_name = strdup(ld->hnames[ld->wcol])) == NULL)
		return nomem(ld, err, errlen);
	return 0;
}

/* After the last row: the targets decided, the encoding built, the rows widened, the names taken. */
static int
finish(struct loader *ld, char *err, size_t errlen)
{
	struct dataset *d = ld->d;
	size_t **remap = NULL, *cls = NULL, k;
	int plain = 0, st = 0;

	d->ntcols = ld->nt;
	if (ld->tmode == T_LABELS) {
		if ((cls = calloc(ld->labels.n + 1, sizeof *cls)) == NULL)
			return nomem(ld, err, errlen);
		if ((st = decide_labels(ld, cls, &plain, err, errlen)) != 0)
			goto done;
	} else if (ld->tmode == T_CLASSES) {
		d->nclasses = ld->o->nclasses;
		if ((d->classes = calloc(d->nclasses, sizeof *d->classes)) == NULL)
			st = nomem(ld, err, errlen);
		for (k = 0; st == 0 && k < d->nclasses; k++)
			if ((d->classes[k] = strdup(ld->o->classes[k])) == NULL)
				st = nomem(ld, err, errlen);
		if (st != 0)
			goto done;
	}
	d->ntargets = d->nclasses > 2 ? d->nclasses : ld->nt;
	if (ld->fixed != NULL) {
		if ((d->enc = encoding_copy(ld->fixed)) == NULL) {
			st = nomem(ld, err, errlen);
			goto done;
		}
		for (k = 0; ld->hnames != NULL && k < ld->nf; k++) {	/* the file's names, for checks */
			free(d->enc->col[k].name);
			if ((d->enc->col[k].name = strdup(ld->hnames[ld->fsrc[k]])) == NULL) {
				st = nomem(ld, err, errlen);
				goto done;
			}
		}
	} else if ((remap = calloc(ld->nf + 1, sizeof *remap)) == NULL)
		st = nomem(ld, err, errlen);
	else
		st = build_encoding(ld, remap, err, errlen);
	if (st == 0)
		st = widen(ld, remap, cls, plain, err, errlen);
	if (st == 0 && ld->hnames != NULL)
		st = take_names(ld, err, errlen);
done:
	for (k = 0; remap != NULL && k < ld->nf; k++)
		free(remap[k]);
	free(remap);
	free(cls);
	return st;
}

/*
 * The number of lines in bytes [from, to) of the input (an upper bound on
 * the rows there), counted with pread so that a stream is not disturbed:
 * the rows then go into one block allocated once, neither copied by
 * realloc nor doubled past the need.  0 when the input is a stream that is
 * not a regular file (the block then grows as rows come).
 */
static size_t
count_lines(const struct csv_src *in, uint64_t from, uint64_t to)
{
	char buf[1 << 16];
	const char *p, *end, *base;
	struct stat st;
	size_t n = 1;
	ssize_t got;
	off_t pos;
	int fd = in->f != NULL ? fileno(in->f) : in->fd;

	if (in->mem != NULL) {
		base = in->mem + from;
		end = in->mem + (to < in->size ? to : in->size);
		for (p = base; p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
			n++;
		return n;
	}
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (pos = in->f != NULL ? ftello(in->f) :
	    (off_t)from) < 0)
		return 0;
	while ((uint64_t)pos < to && (got = pread(fd, buf, sizeof buf, pos)) > 0) {
		end = buf + ((uint64_t)got < to - (uint64_t)pos ? (size_t)got : (size_t)(to - (uint64_t)pos));
		for (p = buf; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
			n++;
		pos += got;
	}
	return n;
}

static void
loader_free(struct loader *ld)
{
	size_t k;

	csv_row_free(ld->first);
	names_free(ld->hnames, ld->ncols);
	free(ld->used);
	free(ld->fsrc);
	free(ld->tsrc);
	free(ld->kind);
	free(ld->is01);
	for (k = 0; ld->cats != NULL && k < ld->nf; k++)
		dict_free(&ld->cats[k]);
	free(ld->cats);
	dict_free(&ld->labels);
	free(ld->lmap);
	for (k = 0; ld->cmap != NULL && k < ld->nf; k++)
		free(ld->cmap[k]);
	free(ld->cmap);
}

/* The weights of the rows must add up to a positive finite number: over every worker's rows. */
static int
check_weights(const struct loader *ld, char *err, size_t errlen)
{
	const struct dataset *d = ld->d;
	char show[CSV_SHOW_LEN];
	double sum = 0;
	size_t k;

	if (ld->wcol == NONE)
		return 0;
	for (k = 0; k < d->rows; k++)
		sum += d->weight[k];
	if (comm_sum(ld->c, &sum, 1) != 0)
		return nomem(ld, err, errlen);
	if (sum > 0 && isfinite(sum))
		return 0;
	snprintf(err, errlen, "%s: the weights of column %s add up to %g; they must have a positive, finite sum",
	    ld->name, d->weight_name ? csv_show(show, sizeof show, d->weight_name, strlen(d->weight_name)) : "-w", sum);
	return ST_DATA;
}

/* ---- several workers: the first rows for all, the parts, the texts merged ---- */

/* The file's first two records, which settle the columns: worker 0 reads them. */
struct head {
	struct csv_row *row[2];
	int n;
};

static int
head_row(void *ctx, const struct csv_row *row, char *err, size_t errlen)
{
	struct head *h = ctx;

	if ((h->row[h->n] = csv_row_dup(row)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return ST_NOMEM;
	}
	return ++h->n == 2 ? CSV_STOP : 0;
}

/* The rows of h as bytes: their count, then each row's fields (length, line, text). */
static int
pack_head(const struct head *h, char **buf, size_t *len)
{
	size_t need = sizeof(uint64_t), i;
	uint64_t u;
	int64_t l;
	int k;
	char *p;

	for (k = 0; k < h->n; k++)
		for (need += sizeof u, i = 0; i < h->row[k]->n; i++)
			need += sizeof u + sizeof l + h->row[k]->len[i];
	if ((*buf = p = malloc(need)) == NULL)
		return ST_NOMEM;
	*len = need;
	u = (uint64_t)h->n;
	memcpy(p, &u, sizeof u);
	p += sizeof u;
	for (k = 0; k < h->n; k++) {
		u = h->row[k]->n;
		memcpy(p, &u, sizeof u);
		p += sizeof u;
		for (i = 0; i < h->row[k]->n; i++) {
			u = h->row[k]->len[i];
			l = h->row[k]->line[i];
			memcpy(p, &u, sizeof u);
			memcpy(p + sizeof u, &l, sizeof l);
			p += sizeof u + sizeof l;
			memcpy(p, h->row[k]->field[i], h->row[k]->len[i]);
			p += h->row[k]->len[i];
		}
	}
	return 0;
}

/* pack_head's bytes back into rows (copies that h owns); ST_NOMEM. */
static int
unpack_head(struct head *h, const char *p, const char *end)
{
	struct csv_row row;
	uint64_t n, u, nrows;
	int64_t l;
	size_t i;
	int st = 0;

	memset(&row, 0, sizeof row);
	if (p == NULL || (size_t)(end - p) < sizeof nrows)
		return ST_NOMEM;
	memcpy(&nrows, p, sizeof nrows);
	p += sizeof nrows;
	for (h->n = 0; st == 0 && (uint64_t)h->n < nrows && h->n < 2; h->n++) {
		memcpy(&n, p, sizeof n);
		p += sizeof n;
		row.n = (size_t)n;
		row.field = calloc(row.n + 1, sizeof *row.field);
		row.len = calloc(row.n + 1, sizeof *row.len);
		row.line = calloc(row.n + 1, sizeof *row.line);
		if (row.field == NULL || row.len == NULL || row.line == NULL)
			st = ST_NOMEM;
		for (i = 0; st == 0 && i < row.n && p < end; i++) {
			memcpy(&u, p, sizeof u);
			memcpy(&l, p + sizeof u, sizeof l);
			p += sizeof u + sizeof l;
			row.len[i] = (size_t)u;
			row.line[i] = (long)l;
			if ((row.field[i] = malloc(row.len[i] + 1)) == NULL)
				st = ST_NOMEM;
			else {
				memcpy(row.field[i], p, row.len[i]);
				row.field[i][row.len[i]] = '\0';
			}
			p += row.len[i];
		}
		row.number = h->n + 1;
		if (st == 0 && (h->row[h->n] = csv_row_dup(&row)) == NULL)
			st = ST_NOMEM;
		for (i = 0; row.field != NULL && i < row.n; i++)
			free(row.field[i]);
		free(row.field);
		free(row.len);
		free(row.line);
		memset(&row, 0, sizeof row);
	}
	return st;
}

/*
 * Worker 0 reads the first two records of the file and every worker
 * settles the columns from them, as the one worker of a plain run does.
 */
static int
share_head(struct loader *ld, const struct csv_src *in, const volatile sig_atomic_t *stop, int *who, char *err,
    size_t errlen)
{
	struct comm *c = ld->c;
	struct head h;
	struct csv_src src = *in;
	char *buf = NULL;
	uint64_t len = 0;
	size_t blen = 0;
	int st = 0;

	memset(&h, 0, sizeof h);
	if (c->rank == 0) {
		src.start = 0;
		src.end = UINT64_MAX;
		src.line = 1;
		if ((st = csv_read_src(&src, ld->name, ld->o->delim, head_row, &h, stop, NULL, err, errlen)) == 0 &&
		    pack_head(&h, &buf, &blen) != 0)
			st = nomem(ld, err, errlen);
		len = blen;
	}
	if ((st = comm_agree(c, st, who)) != 0 || (st = c->ops->bcast(c, &len, sizeof len, 0)) != 0)
		goto done;
	if (buf == NULL && (buf = malloc((size_t)len + 1)) == NULL)	/* (worker 0 has its own) */
		st = nomem(ld, err, errlen);
	if ((st = comm_agree(c, st, who)) != 0 || (st = c->ops->bcast(c, buf, (size_t)len, 0)) != 0)
		goto done;
	if (c->rank != 0 && unpack_head(&h, buf, buf + len) != 0)
		st = nomem(ld, err, errlen);
	if (st == 0 && h.n > 0)
		st = begin(ld, h.row[0], h.n > 1 ? h.row[1] : NULL, err, errlen);
	st = comm_agree(c, st, who);
done:
	csv_row_free(h.row[0]);
	csv_row_free(h.row[1]);
	free(buf);
	return st;
}

/*
 * The first row past the limit of a dictionary of all workers' texts:
 * its row's line and the check (as store orders them) in *row and *pos,
 * and the message; 0 when no dictionary is past its limit.
 */
static int
first_too_many(const struct loader *ld, long *row, long *pos, char *err, size_t errlen)
{
	const struct seen *e;
	size_t k;
	int st = 0;

	for (k = 0; ld->cats != NULL && k < ld->nf; k++)
		if (ld->kind[k] == CATEGORICAL && ld->cats[k].n > ld->max_cat &&
		    (e = ld->cats[k].v[ld->max_cat], st == 0 || e->row < *row)) {
			*row = e->row;
			*pos = (long)k;
			st = too_many_categories(ld, e->line, e->col, err, errlen);
		}
	if (ld->tmode == T_LABELS && ld->labels.n > TARGET_MAX_CLASSES &&
	    (e = ld->labels.v[TARGET_MAX_CLASSES], st == 0 || e->row < *row)) {
		*row = e->row;
		*pos = (long)ld->nf;
		st = too_many_labels(ld, e->line, e->col, err, errlen);
	}
	return st;
}

/* Replaces d by the dictionary of every worker's, from their packed bytes; this worker's ids map to *map. */
static int
merge_one(struct dict *d, const char *all, const size_t *lens, int n, int me, const char **at, size_t **map)
{
	struct dict g;
	size_t off = 0;
	int q;

	memset(&g, 0, sizeof g);
	g.labels = d->labels;
	for (q = 0; q < n; q++) {
		if ((at[q] = dict_merge(&g, at[q], all + off + lens[q], q == me ? map : NULL)) == NULL) {
			dict_free(&g);
			return ST_NOMEM;
		}
		off += lens[q];
	}
	dict_free(d);
	*d = g;
	return 0;
}

/* Every worker's labels and categories, merged in the workers' order: the file's. */
static int
merge_texts(struct loader *ld, char *err, size_t errlen)
{
	struct comm *c = ld->c;
	const char **at = NULL;
	char *mine = NULL, *all = NULL;
	size_t len = 0, off = 0, *lens = NULL, k;
	int q, st = 0;

	for (k = 0; st == 0 && ld->cats != NULL && k < ld->nf; k++)
		if (dict_pack(&ld->cats[k], &mine, &len) != 0)
			st = ST_NOMEM;
	if (st == 0 && dict_pack(&ld->labels, &mine, &len) != 0)
		st = ST_NOMEM;
	lens = calloc((size_t)c->size, sizeof *lens);
	at = calloc((size_t)c->size, sizeof *at);
	ld->cmap = calloc(ld->nf + 1, sizeof *ld->cmap);
	if (lens == NULL || at == NULL || ld->cmap == NULL)
		st = ST_NOMEM;
	if ((st = comm_agree(c, st, &q)) == 0 && lens != NULL && at != NULL &&
	    (st = c->ops->allgatherv(c, mine, len, &all, lens)) == 0) {
		for (q = 0; q < c->size; q++) {
			at[q] = all + off;
			off += lens[q];
		}
		for (k = 0; st == 0 && ld->cats != NULL && k < ld->nf; k++)
			st = merge_one(&ld->cats[k], all, lens, c->size, c->rank, at, &ld->cmap[k]);
		if (st == 0)
			st = merge_one(&ld->labels, all, lens, c->size, c->rank, at, &ld->lmap);
	}
	if ((st = comm_agree(c, st, &q)) != 0)
		nomem(ld, err, errlen);
	free(mine);
	free(all);
	free(lens);
	free(at);
	return st;
}

/*
 * After every worker read its part: the first failure in the file's order,
 * which is that of the first worker that failed, unless a category or
 * label past its limit comes before it (only all the workers' texts
 * together say where the limit is passed).  The texts are merged on the
 * way.  Returns the status for every worker; *who holds the message.
 */
static int
first_failure(struct loader *ld, int st, int *who, char *err, size_t errlen)
{
	struct report {
		int64_t row, pos;
		int32_t st;
	} mine, *all;
	struct comm *c = ld->c;
	char msg[ERRLEN];
	long row = 0, pos = 0;
	int q, e = -1;

	memset(&mine, 0, sizeof mine);	/* (padding bytes too: they travel) */
	mine.st = st;
	mine.row = ld->err_row;
	mine.pos = ld->err_pos;
	all = calloc((size_t)c->size, sizeof *all);
	if ((st = comm_agree(c, all == NULL ? nomem(ld, err, errlen) : 0, who)) != 0 || all == NULL ||
	    (st = c->ops->allgather(c, &mine, sizeof mine, all)) != 0)
		goto done;
	for (q = c->size - 1; q >= 0; q--)
		if (all[q].st != 0)
			e = q;
	for (q = 0; q < c->size; q++)
		if (all[q].st >= ST_INTERRUPTED) {	/* stop now, wherever it came */
			*who = q;
			st = all[q].st;
			goto done;
		}
	if (ld->ready && (st = merge_texts(ld, err, errlen)) != 0) {
		*who = 0;
		goto done;
	}
	*who = e;
	st = e >= 0 ? all[e].st : 0;
	if (ld->ready && first_too_many(ld, &row, &pos, msg, sizeof msg) != 0 &&
	    (e < 0 || row < all[e].row || (row == all[e].row && pos < all[e].pos))) {
		snprintf(err, errlen, "%s", msg);
		*who = 0;
		st = ST_DATA;
	}
done:
	free(all);
	return st;
}

/* Every worker's counts added up: rows, rows skipped, values missing or never seen; the 0/1 columns. */
static int
add_counts(struct loader *ld, int *who, char *err, size_t errlen)
{
	struct dataset *d = ld->d;
	size_t nu = d->unseen != NULL ? ld->nf : 0, k;
	unsigned char *all;
	uint64_t *v;
	int st, q;

	d->rows_all = d->rows;
	if (ld->c->size == 1)
		return 0;
	v = calloc(3 + nu, sizeof *v);
	all = calloc((size_t)ld->c->size, ld->nf + 1);
	if ((st = comm_agree(ld->c, v == NULL || all == NULL ? ST_NOMEM : 0, who)) == 0 && v != NULL && all != NULL) {
		v[0] = d->rows;
		v[1] = d->dropped;
		v[2] = d->missing;
		for (k = 0; k < nu; k++)
			v[3 + k] = d->unseen[k];
		if ((st = comm_sum_u64(ld->c, v, 3 + nu)) == 0 &&
		    (st = ld->c->ops->allgather(ld->c, ld->is01 != NULL ? ld->is01 : (unsigned char *)v, ld->nf + 1,
		    all)) == 0) {
			d->rows_all = (size_t)v[0];
			d->dropped = (size_t)v[1];
			d->missing = (size_t)v[2];
			for (k = 0; k < nu; k++)
				d->unseen[k] = (size_t)v[3 + k];
			for (q = 0; ld->is01 != NULL && q < ld->c->size; q++)
				for (k = 0; k < ld->nf; k++)
					ld->is01[k] |= all[(size_t)q * (ld->nf + 1) + k];
		}
	}
	free(v);
	free(all);
	if (st != 0)
		nomem(ld, err, errlen);
	return st;
}

/* This worker's part of the input (all of it alone), read into ld. */
static int
read_part(struct loader *ld, const struct csv_src *in, const volatile sig_atomic_t *stop, int *who, char *err,
    size_t errlen)
{
	struct csv_src src = *in;
	struct shard part;
	struct csv_end at;
	int st;

	memset(&part, 0, sizeof part);
	if (ld->c->size > 1) {
		if ((st = share_head(ld, in, stop, who, err, errlen)) != 0 ||
		    (st = shard_plan(ld->c, in, ld->name, ld->o->delim, stop, &part, who, err, errlen)) != 0)
			return st;
		src.start = part.start;
		src.end = part.end;
		src.line = part.line;
	}
	*who = ld->c->rank;
	if (part.skip)
		return 0;
	ld->hint = count_lines(&src, src.start, src.end);
	if ((st = csv_read_src(&src, ld->name, ld->o->delim, on_row, ld, stop, &at, err, errlen)) != 0 &&
	    ld->err_row == 0) {	/* the reader's own: the line it stopped on, before any check of that row */
		ld->err_row = at.line;
		ld->err_pos = LONG_MAX;
	}
	if (st == 0 && ld->c->size == 1 && !ld->ready && ld->first != NULL)	/* a file of one row */
		st = begin(ld, ld->first, NULL, err, errlen);
	return st;
}

int
data_load(struct comm *c, const struct csv_src *in, const char *name, const struct data_opts *o,
    struct dataset **out, const volatile sig_atomic_t *stop, int *who, char *err, size_t errlen)
{
	struct loader ld;
	int st;

	memset(&ld, 0, sizeof ld);
	ld.name = name;
	ld.o = o;
	ld.c = c;
	*out = NULL;
	ld.d = calloc(1, sizeof *ld.d);
	if ((st = comm_agree(c, ld.d == NULL ? nomem(&ld, err, errlen) : 0, who)) != 0 || ld.d == NULL)
		goto done;
	st = read_part(&ld, in, stop, who, err, errlen);
	if (c->size > 1)
		st = first_failure(&ld, st, who, err, errlen);
	if (st != 0 || (st = add_counts(&ld, who, err, errlen)) != 0)
		goto done;
	if (ld.d->rows_all == 0) {
		if (ld.d->dropped > 0)
			snprintf(err, errlen, "%s: no data rows: all %zu had missing values", name, ld.d->dropped);
		else
			snprintf(err, errlen, "%s: no data rows", name);
		st = ST_DATA;
	}
	if (st == 0)
		st = finish(&ld, err, errlen);
	if ((st = comm_agree(c, st, who)) == 0 && (st = check_weights(&ld, err, errlen)) != 0)
		*who = 0;
done:
	if (st != 0 && c->size > 1 && *who >= 0)	/* the message for every worker */
		c->ops->bcast(c, err, errlen, *who);
	loader_free(&ld);
	if (st != 0) {
		data_free(ld.d);
		return st;
	}
	ld.d->comm = c->size > 1 ? c : NULL;
	*out = ld.d;
	return 0;
}

int
data_read(FILE *f, const char *name, const struct data_opts *o, struct dataset **out,
    const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct comm solo;
	struct csv_src src;
	int who;

	comm_solo(&solo);
	memset(&src, 0, sizeof src);
	src.f = f;
	src.fd = -1;
	return data_load(&solo, &src, name, o, out, stop, &who, err, errlen);
}
