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

#include <math.h>
#include <search.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "colmap.h"
#include "data.h"
#include "number.h"
#include "status.h"
#include "target.h"

#define NONE COLMAP_NONE

/* A distinct text of a column: a category, or a class label. */
struct seen {
	char *text;
	size_t len;
	size_t id;		/* the order it was first seen in */
	size_t count;		/* rows holding it */
	int num;		/* a label that is a number, */
	double value;		/* this one */
	long line;		/* where it was first seen: line and column (0-based) */
	size_t col;
};

/* The distinct texts of a column, in a tsearch tree and by id. */
struct dict {
	void *root;
	struct seen **v;	/* (n) by id */
	size_t n, cap;
	int labels;		/* the same label by target_label_cmp's rule, else the same bytes */
};

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
};

static int
nomem(const struct loader *ld, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: out of memory", ld->name);
	return ST_NOMEM;
}

/* ---- distinct texts ---- */

static int
entry_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c;

	if (x->num != y->num)
		return x->num ? -1 : 1;
	if (x->num)
		return (x->value > y->value) - (x->value < y->value);
	c = memcmp(x->text, y->text, x->len < y->len ? x->len : y->len);
	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/*
 * The id of text s[0..len-1] in d, a new one when it is new (where, the
 * line and column, kept); -1 when out of memory, -2 when d already holds
 * max texts and this is another.
 */
static long
dict_id(struct dict *d, const char *s, size_t len, long line, size_t col, size_t max)
{
	struct seen probe, *e, **p;
	char num[NUMBER_BUFLEN];
	void *node;

	memset(&probe, 0, sizeof probe);
	probe.text = (char *)(uintptr_t)s;
	probe.len = len;
	probe.num = d->labels && number_parse(s, len, &probe.value) == NUM_OK;
	if ((node = tfind(&probe, &d->root, entry_cmp)) != NULL) {
		e = *(struct seen **)node;
		e->count++;
		return (long)e->id;
	}
	if (d->n >= max)
		return -2;
	if (d->n == d->cap) {
		if ((p = realloc(d->v, (d->cap + 64) * sizeof(struct seen *))) == NULL)
			return -1;
		d->v = p;
		d->cap += 64;
	}
	if (probe.num) {	/* a number is kept in its shortest exact form: "1.0" is the label "1" */
		number_format(num, probe.value, 0);
		s = num;
		len = strlen(num);
	}
	if ((e = calloc(1, sizeof *e)) == NULL || (e->text = malloc(len + 1)) == NULL) {
		free(e);
		return -1;
	}
	memcpy(e->text, s, len);
	e->text[len] = '\0';
	e->len = len;
	e->num = probe.num;
	e->value = probe.value;
	e->id = d->n;
	e->count = 1;
	e->line = line;
	e->col = col;
	if (tsearch(e, &d->root, entry_cmp) == NULL) {
		free(e->text);
		free(e);
		return -1;
	}
	d->v[d->n++] = e;
	return (long)e->id;
}

static void
dict_free(struct dict *d)
{
	size_t k;

	for (k = 0; k < d->n; k++) {
		tdelete(d->v[k], &d->root, entry_cmp);
		free(d->v[k]->text);
		free(d->v[k]);
	}
	free(d->v);
	memset(d, 0, sizeof *d);
}

static int
entry_ptr_cmp(const void *a, const void *b)
{
	return entry_cmp(*(struct seen *const *)a, *(struct seen *const *)b);
}

/* The entries of d in entry_cmp's order (malloc'd), or NULL when out of memory. */
static struct seen **
dict_sorted(const struct dict *d)
{
	struct seen **v = malloc((d->n > 0 ? d->n : 1) * sizeof(struct seen *));

	if (v == NULL)
		return NULL;
	memcpy(v, d->v, d->n * sizeof(struct seen *));
	qsort(v, d->n, sizeof(struct seen *), entry_ptr_cmp);
	return v;
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

/* Feature k of a row, from file column c, into *x: a number, NaN to fill, or a category's index (-1: none). */
static int
read_feature(struct loader *ld, const struct csv_row *row, size_t k, double *x, char *err, size_t errlen)
{
	size_t c = ld->fsrc[k];
	const struct fcol *fc = ld->fixed != NULL ? &ld->fixed->col[k] : NULL;
	char desc[CSV_SHOW_LEN + 16];
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
	if ((id = dict_id(&ld->cats[k], row->field[c], row->len[c], row->line[c], c, ld->max_cat)) == -1)
		return nomem(ld, err, errlen);
	if (id == -2) {
		snprintf(err, errlen, "%s:%ld:%zu: %s holds more than %zu categories: is it an id? skip it with -x, or "
		    "allow more with --max-categories", ld->name, row->line[c], c + 1,
		    column_desc(desc, sizeof desc, ld->hnames, c), ld->max_cat);
		return ST_DATA;
	}
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
		if ((id = dict_id(&ld->labels, row->field[c], row->len[c], row->line[c], c, TARGET_MAX_CLASSES)) == -1)
			return nomem(ld, err, errlen);
		if (id == -2) {
			snprintf(err, errlen, "%s:%ld:%zu: target %s holds more than %d distinct values: not class labels; "
			    "name the label column with -t", ld->name, row->line[c], c + 1,
			    column_desc(desc, sizeof desc, ld->hnames, c), TARGET_MAX_CLASSES);
			return ST_DATA;
		}
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
		if ((st = read_feature(ld, row, k, &x[k], err, errlen)) != 0)
			return st;
	for (k = 0; k < ld->nt; k++)
		if ((st = read_target(ld, row, k, &x[ld->nf + k], err, errlen)) != 0)
			return st;
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
			if ((id = tmp[k]) >= 0)
				x[e->col[k].first + (remap != NULL && remap[k] != NULL ? remap[k][(size_t)id] : (size_t)id)] = 1;
		}
		x += e->ninputs;
		if (ld->tmode != T_LABELS && ld->tmode != T_CLASSES) {
			memcpy(x, tmp + ld->nf, ld->nt * sizeof *x);
			continue;
		}
		c = ld->tmode == T_LABELS ? cls[(size_t)tmp[ld->nf]] : (size_t)tmp[ld->nf];
		if (d->ntargets == 1)
			x[0] = plain ? ld->labels.v[(size_t)tmp[ld->nf]]->value : (double)(c == 1);
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

static void
loader_free(struct loader *ld)
{
	size_t k;

	csv_row_free(ld->first);
	if (ld->hnames != NULL)
		for (k = 0; k < ld->ncols; k++)
			free(ld->hnames[k]);
	free(ld->hnames);
	free(ld->used);
	free(ld->fsrc);
	free(ld->tsrc);
	free(ld->kind);
	free(ld->is01);
	for (k = 0; ld->cats != NULL && k < ld->nf; k++)
		dict_free(&ld->cats[k]);
	free(ld->cats);
	dict_free(&ld->labels);
}

/* The weights of the rows must add up to a positive finite number. */
static int
check_weights(const struct dataset *d, const char *name, char *err, size_t errlen)
{
	char show[CSV_SHOW_LEN];
	double sum = 0;
	size_t k;

	if (d->weight == NULL)
		return 0;
	for (k = 0; k < d->rows; k++)
		sum += d->weight[k];
	if (sum > 0 && isfinite(sum))
		return 0;
	snprintf(err, errlen, "%s: the weights of column %s add up to %g; they must have a positive, finite sum",
	    name, d->weight_name ? csv_show(show, sizeof show, d->weight_name, strlen(d->weight_name)) : "-w", sum);
	return ST_DATA;
}

int
data_read(FILE *f, const char *name, const struct data_opts *o, struct dataset **out,
    const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct loader ld;
	int st;

	memset(&ld, 0, sizeof ld);
	ld.name = name;
	ld.o = o;
	*out = NULL;
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
		st = finish(&ld, err, errlen);
	if (st == 0)
		st = check_weights(ld.d, name, err, errlen);
	loader_free(&ld);
	if (st != 0) {
		data_free(ld.d);
		return st;
	}
	*out = ld.d;
	return 0;
}
