/*
 * The feature encoding: numeric columns, one-hot categorical columns and
 * fill values.  Categories are kept in byte order, so a lookup is a binary
 * search, the same in both tools.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "encode.h"

struct encoding *
encoding_new(size_t ncols)
{
	struct encoding *e = calloc(1, sizeof *e);

	if (e == NULL || (e->col = calloc(ncols > 0 ? ncols : 1, sizeof *e->col)) == NULL) {
		free(e);
		return NULL;
	}
	e->ncols = ncols;
	encoding_layout(e);
	return e;
}

void
names_free(char **names, size_t n)
{
	size_t k;

	if (names == NULL)
		return;
	for (k = 0; k < n; k++)
		free(names[k]);
	free(names);
}

void
encoding_free(struct encoding *e)
{
	size_t c;

	if (e == NULL)
		return;
	for (c = 0; c < e->ncols; c++) {
		free(e->col[c].name);
		names_free(e->col[c].cat, e->col[c].ncat);
	}
	free(e->col);
	free(e);
}

struct encoding *
encoding_copy(const struct encoding *e)
{
	struct encoding *d = encoding_new(e->ncols);
	const struct fcol *s;
	struct fcol *t;
	size_t c, k;

	if (d == NULL)
		return NULL;
	d->impute = e->impute;
	for (c = 0; c < e->ncols; c++) {
		s = &e->col[c];
		t = &d->col[c];
		*t = *s;
		t->name = NULL;
		t->cat = NULL;
		t->ncat = 0;
		if (s->name != NULL && (t->name = strdup(s->name)) == NULL)
			goto fail;
		if (s->ncat > 0 && (t->cat = calloc(s->ncat, sizeof *t->cat)) == NULL)
			goto fail;
		for (k = 0; k < s->ncat; k++, t->ncat++)
			if ((t->cat[k] = strdup(s->cat[k])) == NULL)
				goto fail;
	}
	encoding_layout(d);
	return d;
fail:
	encoding_free(d);
	return NULL;
}

void
encoding_layout(struct encoding *e)
{
	size_t c, k = 0;

	for (c = 0; c < e->ncols; c++) {
		e->col[c].first = k;
		k += e->col[c].ncat > 0 ? e->col[c].ncat : 1;
	}
	e->ninputs = k;
}

int
encoding_plain(const struct encoding *e)
{
	size_t c;

	for (c = 0; c < e->ncols; c++)
		if (e->col[c].ncat > 0 || e->col[c].fill)
			return 0;
	return 1;
}

/* Byte order of s[0..len-1] (no NUL inside) against the string t. */
static int
text_cmp(const char *s, size_t len, const char *t)
{
	size_t tl = strlen(t);
	int c = memcmp(s, t, len < tl ? len : tl);

	return c != 0 ? c : (len > tl) - (len < tl);
}

long
encoding_find(const struct fcol *c, const char *s, size_t len)
{
	size_t lo = 0, hi = c->ncat, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = text_cmp(s, len, c->cat[mid])) == 0)
			return (long)mid;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

enum enc_result
encode_field(const struct fcol *c, const char *s, size_t len, double *in, enum num_error *e)
{
	long k;
	size_t i;

	*e = NUM_OK;
	if (c->ncat == 0) {
		if ((*e = number_parse(s, len, in)) == NUM_OK)
			return ENC_OK;
		if (*e == NUM_NOMEM || !csv_is_missing(s, len))
			return ENC_BAD;
		if (!c->fill)
			return ENC_MISSING;
		*in = c->value;
		return ENC_FILLED;
	}
	for (i = 0; i < c->ncat; i++)
		in[i] = 0;	/* (a missing category too: under --impute it sets none) */
	if (csv_is_missing(s, len))
		return ENC_MISSING;
	if ((k = encoding_find(c, s, len)) < 0)
		return ENC_UNSEEN;
	in[k] = 1;
	return ENC_OK;
}

const struct fcol *
encoding_column_of(const struct encoding *e, size_t k)
{
	size_t lo = 0, hi = e->ncols, mid;

	while (hi - lo > 1) {	/* the last column whose first input is <= k */
		mid = lo + (hi - lo) / 2;
		if (e->col[mid].first <= k)
			lo = mid;
		else
			hi = mid;
	}
	return &e->col[lo];
}

char *
encoding_input_name(const struct encoding *e, size_t k)
{
	const struct fcol *c = encoding_column_of(e, k);
	const char *cat;
	char *s;
	size_t n;

	if (c->name == NULL)
		return NULL;
	if (c->ncat == 0)
		return strdup(c->name);
	cat = c->cat[k - c->first];
	n = strlen(c->name) + strlen(cat) + 2;
	if ((s = malloc(n)) != NULL)
		snprintf(s, n, "%s=%s", c->name, cat);
	return s;
}

static const char *const impute_names[] = { "none", "mean", "median" };

const char *
impute_name(enum impute kind)
{
	return impute_names[kind];
}

int
impute_kind(const char *name)
{
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(name, impute_names[i]) == 0)
			return i;
	return -1;
}
