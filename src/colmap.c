/*
 * The column mapper.  Lookups by name go through the header sorted by name
 * (then column), so a wide header costs n log n, and repeated names are
 * neighbours there.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colmap.h"
#include "csvread.h"
#include "status.h"

enum role { FEATURE, TARGET, IGNORED, WEIGHT };

/* A header name and its column. */
struct named {
	const char *name;
	size_t col;
};

static int
by_name(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : (x->col > y->col) - (x->col < y->col);
}

/* The names of head sorted by name, then column (malloc'd); NULL when out of memory. */
static struct named *
index_head(char *const *head, size_t ncols)
{
	struct named *v = malloc((ncols > 0 ? ncols : 1) * sizeof *v);
	size_t i;

	if (v == NULL)
		return NULL;
	for (i = 0; i < ncols; i++) {
		v[i].name = head[i];
		v[i].col = i;
	}
	qsort(v, ncols, sizeof *v, by_name);
	return v;
}

/* How many columns of the sorted v (n of them) are named `name`; where the first is in *at. */
static size_t
lookup(const struct named *v, size_t n, const char *name, size_t *at)
{
	size_t lo = 0, hi = n, k;

	while (lo < hi) {	/* the first entry >= name */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo; k < n && strcmp(v[k].name, name) == 0; k++)
		;
	*at = lo;
	return k - lo;
}

static int
nomem(const struct colfile *f, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s:%ld: out of memory", f->name, f->line);
	return ST_NOMEM;
}

/* "columns 1 and 3 are both named 'x' (what); rename one of them". */
static int
repeated(const struct colfile *f, size_t a, size_t b, const char *what, char *err, size_t errlen)
{
	char show[CSV_SHOW_LEN];

	snprintf(err, errlen, "%s:%ld: columns %zu and %zu are both named '%s' (%s); rename one of them",
	    f->name, f->line, (a < b ? a : b) + 1, (a < b ? b : a) + 1,
	    csv_show(show, sizeof show, f->head[a], strlen(f->head[a])), what);
	return ST_DATA;
}

void
colmap_free(struct colmap *cm)
{
	free(cm->feature);
	free(cm->target);
	free(cm->keep);
	memset(cm, 0, sizeof *cm);
	cm->weight = COLMAP_NONE;
}

/* ---- by roles ---- */

/* Marks the columns idx[0..n-1] of a list with r, refusing one that another list took. */
static int
mark(const struct colfile *f, unsigned char *role, const size_t *idx, size_t n, enum role r, const char *opt,
    char *err, size_t errlen)
{
	static const char *const optof[] = { "", "-t", "-x", "-w" };
	char desc[CSV_SHOW_LEN + 16];
	size_t i;

	for (i = 0; i < n; i++) {
		if (role[idx[i]] != FEATURE) {
			snprintf(err, errlen, "%s and %s both name %s", optof[role[idx[i]]], opt,
			    column_desc(desc, sizeof desc, f->head, idx[i]));
			return -1;
		}
		role[idx[i]] = (unsigned char)r;
	}
	return 0;
}

/* What column c is to the mapping: "feature 2", "target 1", "the weight". */
static void
role_of(const struct colmap *cm, size_t c, char *buf, size_t buflen)
{
	size_t k;

	for (k = 0; k < cm->nf; k++)
		if (cm->feature[k] == c) {
			snprintf(buf, buflen, "feature %zu", k + 1);
			return;
		}
	for (k = 0; k < cm->nt; k++)
		if (cm->target[k] == c) {
			snprintf(buf, buflen, "target %zu", k + 1);
			return;
		}
	snprintf(buf, buflen, "the weight");
}

/*
 * The rule for repeated names: of the columns that share a name, none may
 * be read.  Reports the repeated name with the first column read.
 */
static int
check_unique(const struct colmap *cm, const struct colfile *f, const unsigned char *role, char *err,
    size_t errlen)
{
	struct named *v;
	size_t i, k, end, first = COLMAP_NONE, other = 0, r, o;
	char what[48];

	if (f->head == NULL)
		return 0;
	if ((v = index_head(f->head, f->ncols)) == NULL)
		return nomem(f, err, errlen);
	for (i = 0; i < f->ncols; i = end) {
		for (end = i + 1; end < f->ncols && strcmp(v[end].name, v[i].name) == 0; end++)
			;
		for (k = i, r = COLMAP_NONE; end - i > 1 && k < end && r == COLMAP_NONE; k++)
			if (role[v[k].col] != IGNORED)
				r = v[k].col;	/* the first read column of the name (they are in column order) */
		if (r == COLMAP_NONE || (first != COLMAP_NONE && r > first))
			continue;
		o = v[i].col != r ? v[i].col : v[i + 1].col;
		first = r;
		other = o;
	}
	free(v);
	if (first == COLMAP_NONE)
		return 0;
	role_of(cm, first, what, sizeof what);
	return repeated(f, first, other, what, err, errlen);
}

/* The lists' columns, marked in role; ST_USAGE with a message when they do not fit the file. */
static int
mark_lists(const struct colfile *f, const struct colroles *r, unsigned char *role, size_t **ti, size_t *nt,
    char *err, size_t errlen)
{
	size_t *xi = NULL, *wi = NULL, nx = 0, nw = 0;
	int st = ST_USAGE;

	if (r->ignore != NULL && (colspec_resolve(r->ignore, f->head, f->ncols, f->name, &xi, &nx, err, errlen) != 0 ||
	    mark(f, role, xi, nx, IGNORED, "-x", err, errlen) != 0))
		goto done;
	if (r->weight != NULL && colspec_resolve(r->weight, f->head, f->ncols, f->name, &wi, &nw, err, errlen) != 0)
		goto done;
	if (nw > 1) {
		snprintf(err, errlen, "-w: '%s' names %zu columns; the weight is one column", r->weight->arg, nw);
		goto done;
	}
	if (mark(f, role, wi, nw, WEIGHT, "-w", err, errlen) != 0 ||
	    (r->target != NULL && (colspec_resolve(r->target, f->head, f->ncols, f->name, ti, nt, err, errlen) != 0 ||
	    mark(f, role, *ti, *nt, TARGET, "-t", err, errlen) != 0)))
		goto done;
	st = 0;
done:
	free(xi);
	free(wi);
	return st;
}

int
colmap_roles(struct colmap *cm, const struct colfile *f, const struct colroles *r, char *err, size_t errlen)
{
	unsigned char *role;
	size_t *ti = NULL, nt = 0, nf = 0, want, skipped, c, k;
	int st;

	colmap_free(cm);
	if ((role = calloc(f->ncols > 0 ? f->ncols : 1, 1)) == NULL)
		return nomem(f, err, errlen);
	if ((st = mark_lists(f, r, role, &ti, &nt, err, errlen)) != 0)
		goto done;
	st = ST_DATA;
	want = r->target != NULL ? nt : r->ntargets;
	for (c = 0, skipped = 0; c < f->ncols; c++) {
		nf += role[c] == FEATURE;
		skipped += role[c] == IGNORED || role[c] == WEIGHT;
	}
	if (nf < (r->target == NULL ? want + 1 : 1)) {
		snprintf(err, errlen, "%s:%ld: %zu column%s%s: too few for %zu target%s and at least one feature",
		    f->name, f->line, f->ncols, f->ncols == 1 ? "" : "s", skipped > 0 ? " (some skipped by -x or -w)" : "",
		    want, want == 1 ? "" : "s");
		goto done;
	}
	for (c = f->ncols; r->target == NULL && nt < want; c--)	/* without -t, the last columns left */
		if (role[c - 1] == FEATURE) {
			role[c - 1] = TARGET;
			nt++;
			nf--;
		}
	if ((cm->feature = calloc(nf > 0 ? nf : 1, sizeof *cm->feature)) == NULL ||
	    (cm->target = calloc(nt > 0 ? nt : 1, sizeof *cm->target)) == NULL) {
		st = nomem(f, err, errlen);
		goto done;
	}
	for (c = 0; c < f->ncols; c++) {
		if (role[c] == FEATURE)
			cm->feature[cm->nf++] = c;
		else if (role[c] == WEIGHT)
			cm->weight = c;
		else if (role[c] == TARGET && r->target == NULL)
			cm->target[cm->nt++] = c;
	}
	for (k = 0; r->target != NULL && k < nt; k++)	/* -t's order */
		cm->target[cm->nt++] = ti[k];
	st = check_unique(cm, f, role, err, errlen);
done:
	free(ti);
	free(role);
	return st;
}

/* ---- by name ---- */

/* Finds each of names[0..n-1] ("feature", "target") in the sorted index v into cols. */
static int
find_all(const struct colfile *f, const struct named *v, char *const *names, size_t n, const char *kind,
    const char *of, const char *why, size_t *cols, char *err, size_t errlen)
{
	char show[CSV_SHOW_LEN], what[CSV_SHOW_LEN + 48];
	size_t i, at, hits;

	for (i = 0; i < n; i++) {
		snprintf(what, sizeof what, "%s %zu of %s", kind, i + 1, of);
		if ((hits = lookup(v, f->ncols, names[i], &at)) == 1) {
			cols[i] = v[at].col;
			continue;
		}
		if (hits > 1)
			return repeated(f, v[at].col, v[at + 1].col, what, err, errlen);
		snprintf(err, errlen, "%s:%ld: no column '%s' (%s)%s", f->name, f->line,
		    csv_show(show, sizeof show, names[i], strlen(names[i])), what, why != NULL ? why : "");
		return ST_DATA;
	}
	return 0;
}

int
colmap_names(struct colmap *cm, const struct colfile *f, char *const *features, size_t nf,
    char *const *targets, size_t nt, const char *of, const char *why, char *err, size_t errlen)
{
	struct named *v;
	int st;

	free(cm->feature);
	free(cm->target);
	cm->feature = cm->target = NULL;
	cm->nf = cm->nt = 0;
	cm->weight = COLMAP_NONE;
	if (targets == NULL)
		nt = 0;
	if ((v = index_head(f->head, f->ncols)) == NULL ||
	    (cm->feature = calloc(nf > 0 ? nf : 1, sizeof *cm->feature)) == NULL ||
	    (cm->target = calloc(nt > 0 ? nt : 1, sizeof *cm->target)) == NULL) {
		free(v);
		return nomem(f, err, errlen);
	}
	if ((st = find_all(f, v, features, nf, "feature", of, NULL, cm->feature, err, errlen)) == 0 &&
	    (st = find_all(f, v, targets, nt, "target", of, why, cm->target, err, errlen)) == 0) {
		cm->nf = nf;
		cm->nt = nt;
	}
	free(v);
	return st;
}

int
colmap_holds(char *const *head, size_t ncols, char *const *names, size_t n)
{
	struct named *v;
	size_t i, at;
	int all = 1;

	if ((v = index_head(head, ncols)) == NULL)
		return -1;
	for (i = 0; i < n && all; i++)
		all = lookup(v, ncols, names[i], &at) > 0;
	free(v);
	return all;
}

/* ---- by position ---- */

int
colmap_keep(struct colmap *cm, const struct colfile *f, const struct colspec *keep, char *err, size_t errlen)
{
	free(cm->keep);
	cm->keep = NULL;
	cm->nk = 0;
	if (keep == NULL)
		return 0;
	return colspec_resolve(keep, f->head, f->ncols, f->name, &cm->keep, &cm->nk, err, errlen) != 0 ? ST_USAGE : 0;
}

int
colmap_positions(struct colmap *cm, const struct colfile *f, size_t nf, size_t nt, int need_targets,
    char *err, size_t errlen)
{
	unsigned char *kept;
	size_t rem = f->ncols - cm->nk, c, i;

	free(cm->feature);
	free(cm->target);
	cm->feature = cm->target = NULL;
	cm->nf = cm->nt = 0;
	cm->weight = COLMAP_NONE;
	if (rem != nf && rem != nf + nt) {
		snprintf(err, errlen, "%s:%ld: %zu field%s, but the model takes %zu feature%s "
		    "(optionally followed by %zu target%s)", f->name, f->line, f->ncols,
		    f->ncols == 1 ? "" : "s", nf, nf == 1 ? "" : "s", nt, nt == 1 ? "" : "s");
		if (cm->nk > 0)
			snprintf(err + strlen(err), errlen - strlen(err), " besides the %zu column%s of -k",
			    cm->nk, cm->nk == 1 ? "" : "s");
		return ST_DATA;
	}
	if (need_targets && rem != nf + nt) {
		snprintf(err, errlen, "%s:%ld: --eval needs the targets, but the rows hold only the %zu feature%s",
		    f->name, f->line, nf, nf == 1 ? "" : "s");
		return ST_DATA;
	}
	if ((kept = calloc(f->ncols > 0 ? f->ncols : 1, 1)) == NULL ||
	    (cm->feature = calloc(nf > 0 ? nf : 1, sizeof *cm->feature)) == NULL ||
	    (cm->target = calloc(nt > 0 ? nt : 1, sizeof *cm->target)) == NULL) {
		free(kept);
		return nomem(f, err, errlen);
	}
	for (i = 0; i < cm->nk; i++)
		kept[cm->keep[i]] = 1;
	for (c = 0, i = 0; c < f->ncols; c++) {
		if (kept[c])
			continue;
		if (i < nf)
			cm->feature[cm->nf++] = c;
		else if (need_targets)
			cm->target[cm->nt++] = c;
		i++;
	}
	free(kept);
	return 0;
}
