/*
 * How a model's inputs come from the feature columns of a row, one rule for
 * both tools: a numeric column gives one input, its number (or, with
 * --impute, the column's fill value when it is missing); a categorical
 * column gives one 0/1 input per category seen in the training rows, in
 * byte order, and a value training never saw sets none of them.  Built by
 * data.c from the training rows, stored in the model by modelio.c, applied
 * by data.c (validation and -i rows) and score.c (mlppredict).  Not for:
 * finding the columns (colmap.c) or standardising the inputs (train.c).
 */
#ifndef ENCODE_H
#define ENCODE_H

#include <stddef.h>

#include "number.h"

#define ENCODE_MAX_CATEGORIES 1000	/* default cap on a column's categories */

enum impute { IMPUTE_NONE, IMPUTE_MEAN, IMPUTE_MEDIAN };

/* A feature column. */
struct fcol {
	char *name;		/* its header name, or NULL without a header; owned */
	size_t first;		/* its first input */
	size_t ncat;		/* 0: numeric, one input; else categorical, one input per category */
	char **cat;		/* (ncat) the categories in byte order (strcmp); owned */
	int fill;		/* numeric with --impute: a missing value becomes `value` */
	double value;
};

struct encoding {
	size_t ncols;		/* feature columns */
	struct fcol *col;	/* (ncols) */
	size_t ninputs;		/* N_0, the inputs they give */
	enum impute impute;	/* what filled the missing values, for the record */
};

/* What encode_field made of a field. */
enum enc_result {
	ENC_OK,			/* the inputs are set */
	ENC_FILLED,		/* missing, numeric: the fill value */
	ENC_UNSEEN,		/* categorical, a value training never saw: every input 0 */
	ENC_MISSING,		/* missing, and nothing to fill it with: the caller refuses or skips the row */
	ENC_BAD			/* numeric, and not a number: *e says why */
};

/* An encoding of ncols numeric columns (names NULL); NULL when out of memory.  Free with encoding_free. */
struct encoding *encoding_new(size_t ncols);
/* Frees e and what it owns; NULL is fine. */
void encoding_free(struct encoding *e);
/* Frees names[0..n) and names; NULL is fine.  For every array of owned strings (names, labels, categories). */
void names_free(char **names, size_t n);
/* A deep copy of e; NULL when out of memory. */
struct encoding *encoding_copy(const struct encoding *e);
/* Sets every column's first input and e->ninputs from the column kinds. */
void encoding_layout(struct encoding *e);
/* 1 when every column is numeric without a fill value: a model then needs no "columns". */
int encoding_plain(const struct encoding *e);
/* The category index of s[0..len-1] in column c, or -1 when training never saw it. */
long encoding_find(const struct fcol *c, const char *s, size_t len);
/*
 * Sets the inputs of column c (in[0..], its ncat or one) from field
 * s[0..len-1].  Missing values are those of csv_is_missing.
 */
enum enc_result encode_field(const struct fcol *c, const char *s, size_t len, double *in, enum num_error *e);
/*
 * The name of input k (0-based, of e->ninputs): the column's name, or
 * "name=category" for a category (NULL without header names).  malloc'd.
 */
char *encoding_input_name(const struct encoding *e, size_t k);
/* The column that gives input k. */
const struct fcol *encoding_column_of(const struct encoding *e, size_t k);
/* "mean", "median" or "none"; and back (-1 for another name). */
const char *impute_name(enum impute kind);
int impute_kind(const char *name);

#endif
