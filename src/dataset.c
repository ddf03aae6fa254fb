/*
 * What is done with a training set once it is loaded (data.c loads it):
 * the standardisation statistics of its numeric inputs, the imputation of
 * missing values, the held-out split and the class weights.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "comm.h"
#include "data.h"
#include "status.h"

size_t
data_nfeatures(const struct dataset *d)
{
	return d->cols - d->ntargets;
}

size_t
data_class(const struct dataset *d, size_t r)
{
	const double *t = d->x_mem + r * d->cols + data_nfeatures(d);
	size_t k, best = 0;

	if (d->nclasses > 2) {
		for (k = 1; k < d->ntargets; k++)
			if (t[k] > t[best])
				best = k;
		return best;
	}
	return d->ntargets == 1 && t[0] >= 0.5;
}

/* Whether input j is a category's 0/1 input, left as it is by standardisation. */
static int
categorical_input(const struct dataset *d, size_t j)
{
	return d->enc != NULL && encoding_column_of(d->enc, j)->ncat > 0;
}

/* The workers of d (the one alone when it has none), and the rows of all of them. */
static struct comm *
team(const struct dataset *d)
{
	return d->comm != NULL ? d->comm : comm_alone();
}

size_t
data_rows(const struct dataset *d)
{
	return d->comm != NULL ? d->rows_all : d->rows;
}

/*
 * A pass of the statistics over one worker's rows, added to running sums
 * (comm_chain): so every worker's rows are added in the file's order, and
 * the statistics are those one worker would find, whatever the number.
 */
struct pass {
	const struct dataset *d;
	const double *mean;	/* the means, for the deviations */
	size_t j;		/* scaled_stats: the column, */
	int e;			/* and the power of two it is scaled by */
};

static void
add_values(void *ctx, double *sum)
{
	const struct pass *p = ctx;
	size_t f = data_nfeatures(p->d), r, j;
	const double *x;

	for (r = 0; r < p->d->rows; r++) {
		x = p->d->x_mem + r * p->d->cols;
		for (j = 0; j < f; j++)
			sum[j] += x[j];
	}
}

/* Two passes: the variance from deviations, not from a difference of squares. */
static void
add_squares(void *ctx, double *sum)
{
	const struct pass *p = ctx;
	size_t f = data_nfeatures(p->d), r, j;
	const double *x;
	double dev;

	for (r = 0; r < p->d->rows; r++) {
		x = p->d->x_mem + r * p->d->cols;
		for (j = 0; j < f; j++) {
			dev = x[j] - p->mean[j];
			sum[j] += dev * dev;
		}
	}
}

static void
add_scaled(void *ctx, double *sum)
{
	const struct pass *p = ctx;
	size_t r;

	for (r = 0; r < p->d->rows; r++)
		sum[0] += ldexp(p->d->x_mem[r * p->d->cols + p->j], -p->e);
}

static void
add_scaled_squares(void *ctx, double *sum)
{
	const struct pass *p = ctx;
	size_t r;
	double dev;

	for (r = 0; r < p->d->rows; r++) {
		dev = ldexp(p->d->x_mem[r * p->d->cols + p->j], -p->e) - p->mean[0];
		sum[0] += dev * dev;
	}
}

/*
 * The mean and std of input j from values scaled by 2^-e, a power of two
 * that brings the largest magnitude below 1, so that neither the sum nor
 * the squares can overflow; then scaled back.  For a column with values
 * near the largest double, whose plain sums overflow.
 */
static int
scaled_stats(const struct dataset *d, size_t j, double *mean, double *std)
{
	struct pass p = { d, NULL, j, 0 };
	double big = 0, sum = 0, n = (double)data_rows(d);
	size_t r;
	int st;

	for (r = 0; r < d->rows; r++)
		big = fmax(big, fabs(d->x_mem[r * d->cols + j]));
	if ((st = comm_max(team(d), &big, 1)) != 0)
		return st;
	(void)frexp(big, &p.e);	/* big = f 2^e, f in [0.5, 1) */
	if ((st = comm_chain(team(d), &sum, 1, add_scaled, &p)) != 0)
		return st;
	*mean = sum / n;
	sum = 0;
	p.mean = mean;
	if ((st = comm_chain(team(d), &sum, 1, add_scaled_squares, &p)) != 0)
		return st;
	*std = ldexp(sqrt(sum / n), p.e);
	*mean = ldexp(*mean, p.e);
	return 0;
}

int
data_stats(const struct dataset *d, double *mean, double *std)
{
	struct pass p = { d, mean, 0, 0 };
	size_t f = data_nfeatures(d), j;
	double n = (double)data_rows(d);
	int st;

	for (j = 0; j < f; j++)
		mean[j] = std[j] = 0;
	if ((st = comm_chain(team(d), mean, f, add_values, &p)) != 0)
		return st;
	for (j = 0; j < f; j++)
		mean[j] /= n;
	if ((st = comm_chain(team(d), std, f, add_squares, &p)) != 0)
		return st;
	for (j = 0; j < f; j++) {
		std[j] = sqrt(std[j] / n);
		if ((!isfinite(mean[j]) || !isfinite(std[j])) && (st = scaled_stats(d, j, &mean[j], &std[j])) != 0)
			return st;
		if (!(std[j] >= DBL_MIN))	/* 0, or so small that dividing by it overflows */
			std[j] = 1;
		if (categorical_input(d, j)) {
			mean[j] = 0;
			std[j] = 1;
		}
	}
	return 0;
}

static int
double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of the n values in v (sorted here). */
static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, double_cmp);
	return n % 2 ? v[n / 2] : v[n / 2 - 1] / 2 + v[n / 2] / 2;
}

/* The present (non-NaN) values of column p->j, added (comm_chain, for --impute mean). */
static void
add_present(void *ctx, double *sum)
{
	const struct pass *p = ctx;
	size_t r;
	double x;

	for (r = 0; r < p->d->rows; r++)
		if (!isnan(x = p->d->x_mem[r * p->d->cols + p->j]))
			sum[0] += x;
}

/* The mean or median of input j's present (non-NaN) values in every worker's rows; n gets how many there are. */
static int
fill_value(const struct dataset *d, size_t j, enum impute kind, double *out, uint64_t *n)
{
	struct comm *c = team(d);
	struct pass p = { d, NULL, j, 0 };
	int med = kind == IMPUTE_MEDIAN, gathered = med && c->size > 1, st, who;
	double *v = NULL, sum = 0, x;
	size_t r, *lens = NULL;
	char *all = NULL;

	*n = 0;
	*out = 0;
	if (med)
		v = malloc((d->rows > 0 ? d->rows : 1) * sizeof *v);
	if (gathered)
		lens = calloc((size_t)c->size, sizeof *lens);
	if ((st = comm_agree(c, (med && v == NULL) || (gathered && lens == NULL) ? ST_NOMEM : 0, &who)) == 0 &&
	    ((med && v == NULL) || (gathered && lens == NULL)))
		st = ST_NOMEM;
	if (st != 0)
		goto done;
	for (*n = 0, r = 0; r < d->rows; r++)
		if (!isnan(x = d->x_mem[r * d->cols + j])) {
			if (v != NULL)
				v[*n] = x;
			(*n)++;
		}
	if (gathered) {	/* every worker's values, to sort together */
		if ((st = c->ops->allgatherv(c, v, (size_t)*n * sizeof *v, &all, lens)) != 0)
			goto done;
		free(v);
		v = (double *)(void *)all;
		all = NULL;
		for (*n = 0, r = 0; r < (size_t)c->size; r++)
			*n += lens[r] / sizeof *v;
	} else if ((st = comm_chain(c, &sum, 1, add_present, &p)) != 0 || (st = comm_sum_u64(c, n, 1)) != 0)
		goto done;
	if (med && *n > 0)
		*out = median(v, (size_t)*n);
	else
		*out = *n > 0 ? sum / (double)*n : 0;
done:
	free(v);
	free(lens);
	free(all);
	return st;
}

/* Fills the NaN values of input j of s with v; returns how many. */
static size_t
fill_input(struct dataset *s, size_t j, double v)
{
	size_t r, n = 0;
	double *x;

	for (r = 0; s != NULL && r < s->rows; r++)
		if (isnan(*(x = s->x_mem + r * s->cols + j))) {
			*x = v;
			n++;
		}
	return n;
}

int
data_impute(struct dataset *d, struct dataset *val, enum impute kind, char *err, size_t errlen)
{
	struct fcol *c;
	uint64_t n = 0, filled = 0;
	size_t k;
	double v = 0;
	int st;

	d->enc->impute = kind;
	for (k = 0; k < d->enc->ncols; k++) {
		c = &d->enc->col[k];
		if (c->ncat > 0)
			continue;
		if ((st = fill_value(d, c->first, kind, &v, &n)) != 0) {
			snprintf(err, errlen, "out of memory");
			return st;
		}
		if (n == 0) {
			snprintf(err, errlen, "--impute: column %s%s%s has no value in the training rows to take the %s of",
			    c->name != NULL ? "'" : "", c->name != NULL ? c->name : "", c->name != NULL ? "'" : "",
			    impute_name(kind));
			return ST_DATA;
		}
		c->fill = 1;
		c->value = v;
		filled += fill_input(d, c->first, v);
		fill_input(val, c->first, v);
	}
	if ((st = comm_sum_u64(team(d), &filled, 1)) != 0) {
		snprintf(err, errlen, "out of memory");
		return st;
	}
	d->missing = (size_t)filled;
	if (val != NULL)
		val->missing = 0;
	return 0;
}

/*
 * The class of every row of every worker, in the file's order, in *cls
 * (malloc'd, *n of them); *first gets the index of this worker's first.
 */
static int
all_classes(const struct dataset *d, uint16_t **cls, size_t *n, size_t *first)
{
	struct comm *c = team(d);
	uint16_t *mine = malloc((d->rows > 0 ? d->rows : 1) * sizeof *mine);
	size_t *lens = calloc((size_t)c->size, sizeof *lens), k;
	char *all = NULL;
	int st, who;

	*cls = NULL;
	if ((st = comm_agree(c, mine == NULL || lens == NULL ? ST_NOMEM : 0, &who)) == 0 && mine != NULL &&
	    lens != NULL) {
		for (k = 0; k < d->rows; k++)
			mine[k] = (uint16_t)data_class(d, k);
		if ((st = c->ops->allgatherv(c, mine, d->rows * sizeof *mine, &all, lens)) == 0) {
			*cls = (uint16_t *)(void *)all;
			for (*n = 0, *first = 0, k = 0; k < (size_t)c->size; k++) {
				*first += (int)k < c->rank ? lens[k] / sizeof *mine : 0;
				*n += lens[k] / sizeof *mine;
			}
		}
	}
	free(mine);
	free(lens);
	return st;
}

/* The rows held out: a random draw of take[s] of each class s's rows, every worker's, by the same stream. */
static int
draw(const uint16_t *cls, size_t n, size_t nc, const size_t *take, struct rng *r, unsigned char **out)
{
	size_t *idx = malloc((n > 0 ? n : 1) * sizeof *idx), s, k, i;

	if (idx == NULL || (*out = calloc(n > 0 ? n : 1, 1)) == NULL) {
		free(idx);
		return ST_NOMEM;
	}
	for (s = 0; s < nc; s++) {
		for (k = 0, i = 0; k < n; k++)
			if (cls[k] == s)
				idx[i++] = k;
		rng_shuffle(r, idx, i);
		for (k = 0; k < take[s]; k++)
			(*out)[idx[k]] = 1;
	}
	free(idx);
	return 0;
}

int
data_holdout(struct dataset *d, double frac, struct rng *r, struct dataset **val, char *err, size_t errlen)
{
	size_t nc = d->nclasses > 2 ? d->nclasses : 2, *n, *take, k, nv = 0, kept = 0, cols = d->cols, rows = 0, first = 0;
	unsigned char *out = NULL;
	struct dataset *v = NULL;
	uint16_t *cls = NULL;
	size_t s, mine = 0;
	int st, who;

	*val = NULL;
	n = calloc(2 * nc, sizeof *n);
	if ((st = comm_agree(team(d), n == NULL ? ST_NOMEM : 0, &who)) != 0 || n == NULL ||
	    (st = all_classes(d, &cls, &rows, &first)) != 0)
		goto fail;
	take = n + nc;
	for (k = 0; k < rows; k++)
		n[cls[k]]++;
	for (s = 0; s < nc; s++) {
		take[s] = (size_t)floor(frac * (double)n[s] + 0.5);
		nv += take[s];
	}
	if (nv == 0 || nv >= rows) {	/* (and so rows > 1 below) */
		snprintf(err, errlen, "--holdout %g of %zu rows leaves %s", frac, rows,
		    nv == 0 ? "no row to validate on" : "no row to train on");
		st = ST_DATA;
		goto fail;
	}
	st = draw(cls, rows, nc, take, r, &out);
	for (k = 0; st == 0 && k < d->rows; k++)
		mine += out[first + k];
	if (st == 0 && ((v = calloc(1, sizeof *v)) == NULL ||
	    (v->x_mem = malloc((mine > 0 ? mine : 1) * cols * sizeof *v->x_mem)) == NULL))
		st = ST_NOMEM;
	if ((st = comm_agree(team(d), st, &who)) != 0 || v == NULL || v->x_mem == NULL || out == NULL)
		goto fail;
	v->cols = cols;
	v->ntargets = d->ntargets;
	v->nclasses = d->nclasses;	/* (the labels themselves stay the training set's) */
	v->comm = d->comm;
	v->rows_all = nv;
	for (k = 0; k < d->rows; k++) {
		if (out[first + k])
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
	d->rows_all = rows - nv;
	free(n);
	free(cls);
	free(out);
	*val = v;
	return 0;
fail:
	if (st == 0)
		st = ST_NOMEM;	/* (a null pointer every worker agreed on) */
	if (st == ST_NOMEM)
		snprintf(err, errlen, "out of memory");
	free(n);
	free(cls);
	free(out);
	data_free(v);
	return st;
}

int
data_balance(struct dataset *d, double **cwp, const char *name, char *err, size_t errlen)
{
	size_t nc = d->nclasses > 2 ? d->nclasses : 2, k;
	double t, *cw = NULL;
	uint64_t *n;
	int st = 0;

	*cwp = NULL;
	if (d->ntcols != 1) {
		snprintf(err, errlen, "--class-weight balanced needs one target column; %s has %zu", name, d->ntcols);
		return ST_USAGE;
	}
	for (k = 0; d->nclasses <= 2 && k < d->rows && st == 0; k++) {
		t = d->x_mem[k * d->cols + d->cols - 1];
		if (t != 0 && t != 1) {
			snprintf(err, errlen, "--class-weight balanced needs targets that are 0 or 1 (or class labels); "
			    "%s has %.17g", name, t);
			st = ST_DATA;
		}
	}
	if ((st = comm_fail(team(d), st, err, errlen)) != 0)
		return st;
	n = calloc(nc, sizeof *n);
	cw = malloc(nc * sizeof *cw);
	if (d->weight == NULL && (d->weight = malloc((d->rows > 0 ? d->rows : 1) * sizeof *d->weight)) != NULL)
		for (k = 0; k < d->rows; k++)
			d->weight[k] = 1;
	st = n == NULL || cw == NULL || d->weight == NULL ? ST_NOMEM : 0;
	if ((st = comm_fail(team(d), st, err, errlen)) == 0 && (n == NULL || cw == NULL || d->weight == NULL))
		st = ST_NOMEM;
	if (st == 0) {
		for (k = 0; k < d->rows; k++)
			n[data_class(d, k)]++;
		st = comm_sum_u64(team(d), n, nc);
	}
	if (st == ST_NOMEM)
		snprintf(err, errlen, "out of memory");
	for (k = 0; st == 0 && k < nc; k++)
		if (n[k] == 0) {
			snprintf(err, errlen, "--class-weight balanced: no training row of %s is of class %s%s%s", name,
			    d->classes != NULL ? "'" : "", d->classes != NULL ? d->classes[k] : k ? "1" : "0",
			    d->classes != NULL ? "'" : "");
			st = ST_DATA;
		}
	for (k = 0; st == 0 && k < nc; k++)
		cw[k] = (double)data_rows(d) / ((double)nc * (double)n[k]);
	for (k = 0; st == 0 && k < d->rows; k++)
		d->weight[k] *= cw[data_class(d, k)];
	free(n);
	if (st != 0) {
		free(cw);
		return st;
	}
	*cwp = cw;
	return 0;
}
