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

#include "data.h"
#include "status.h"

static void
free_names(char **names, size_t n)
{
	size_t i;

	if (names == NULL)
		return;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void
data_free(struct dataset *d)
{
	if (d == NULL)
		return;
	free_names(d->names, d->enc != NULL ? d->enc->ninputs : 0);
	free_names(d->tnames, d->ntcols);
	free_names(d->classes, d->nclasses);
	encoding_free(d->enc);
	free(d->unseen);
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

/*
 * The mean and std of input j from values scaled by 2^-e, a power of two
 * that brings the largest magnitude below 1, so that neither the sum nor
 * the squares can overflow; then scaled back.  For a column with values
 * near the largest double, whose plain sums overflow.
 */
static void
scaled_stats(const struct dataset *d, size_t j, double *mean, double *std)
{
	double big = 0, sum = 0, dev;
	size_t r;
	int e;

	for (r = 0; r < d->rows; r++)
		big = fmax(big, fabs(d->x_mem[r * d->cols + j]));
	(void)frexp(big, &e);	/* big = f 2^e, f in [0.5, 1) */
	for (r = 0; r < d->rows; r++)
		sum += ldexp(d->x_mem[r * d->cols + j], -e);
	*mean = sum / (double)d->rows;
	sum = 0;
	for (r = 0; r < d->rows; r++) {
		dev = ldexp(d->x_mem[r * d->cols + j], -e) - *mean;
		sum += dev * dev;
	}
	*std = ldexp(sqrt(sum / (double)d->rows), e);
	*mean = ldexp(*mean, e);
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
		if (!isfinite(mean[j]) || !isfinite(std[j]))
			scaled_stats(d, j, &mean[j], &std[j]);
		if (!(std[j] >= DBL_MIN))	/* 0, or so small that dividing by it overflows */
			std[j] = 1;
		if (categorical_input(d, j)) {
			mean[j] = 0;
			std[j] = 1;
		}
	}
}

static int
double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The mean or median of input j's present (non-NaN) values in d; n gets how many there are. */
static int
fill_value(const struct dataset *d, size_t j, enum impute kind, double *out, size_t *n)
{
	double *v = NULL, sum = 0, x;
	size_t r;

	if (kind == IMPUTE_MEDIAN && (v = malloc((d->rows > 0 ? d->rows : 1) * sizeof *v)) == NULL)
		return ST_NOMEM;
	for (*n = 0, r = 0; r < d->rows; r++)
		if (!isnan(x = d->x_mem[r * d->cols + j])) {
			sum += x;
			if (v != NULL)
				v[*n] = x;
			(*n)++;
		}
	if (kind == IMPUTE_MEDIAN && *n > 0) {
		qsort(v, *n, sizeof *v, double_cmp);
		*out = *n % 2 ? v[*n / 2] : v[*n / 2 - 1] / 2 + v[*n / 2] / 2;
	} else
		*out = *n > 0 ? sum / (double)*n : 0;
	free(v);
	return 0;
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
	size_t k, n, filled = 0;
	double v;

	d->enc->impute = kind;
	for (k = 0; k < d->enc->ncols; k++) {
		c = &d->enc->col[k];
		if (c->ncat > 0)
			continue;
		if (fill_value(d, c->first, kind, &v, &n) != 0) {
			snprintf(err, errlen, "out of memory");
			return ST_NOMEM;
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
	d->missing = filled;
	if (val != NULL)
		val->missing = 0;
	return 0;
}

int
data_holdout(struct dataset *d, double frac, struct rng *r, struct dataset **val, char *err, size_t errlen)
{
	size_t nc = d->nclasses > 2 ? d->nclasses : 2, *n, *take, *idx = NULL, k, i, nv = 0, kept = 0, cols = d->cols;
	unsigned char *out = NULL;
	struct dataset *v = NULL;
	size_t s;

	if ((n = calloc(2 * nc, sizeof *n)) == NULL)
		goto nomem;
	take = n + nc;
	for (k = 0; k < d->rows; k++)
		n[data_class(d, k)]++;
	for (s = 0; s < nc; s++) {
		take[s] = (size_t)floor(frac * (double)n[s] + 0.5);
		nv += take[s];
	}
	if (nv == 0 || nv >= d->rows) {	/* (and so d->rows > 1 below) */
		snprintf(err, errlen, "--holdout %g of %zu rows leaves %s", frac, d->rows,
		    nv == 0 ? "no row to validate on" : "no row to train on");
		free(n);
		return ST_DATA;
	}
	if ((idx = malloc(d->rows * sizeof *idx)) == NULL || (out = calloc(d->rows, 1)) == NULL ||
	    (v = calloc(1, sizeof *v)) == NULL || (v->x_mem = malloc(nv * cols * sizeof *v->x_mem)) == NULL)
		goto nomem;
	/* each class: a random draw of take[s] of its rows */
	for (s = 0; s < nc; s++) {
		for (k = 0, i = 0; k < d->rows; k++)
			if (data_class(d, k) == s)
				idx[i++] = k;
		rng_shuffle(r, idx, i);
		for (k = 0; k < take[s]; k++)
			out[idx[k]] = 1;
	}
	v->cols = cols;
	v->ntargets = d->ntargets;
	v->nclasses = d->nclasses;	/* (the labels themselves stay the training set's) */
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
	free(n);
	free(idx);
	free(out);
	*val = v;
	return 0;
nomem:
	free(n);
	free(idx);
	free(out);
	data_free(v);
	snprintf(err, errlen, "out of memory");
	return ST_NOMEM;
}

int
data_balance(struct dataset *d, double **cwp, const char *name, char *err, size_t errlen)
{
	size_t nc = d->nclasses > 2 ? d->nclasses : 2, *n, k;
	double t, *cw;

	*cwp = NULL;
	if (d->ntcols != 1) {
		snprintf(err, errlen, "--class-weight balanced needs one target column; %s has %zu", name, d->ntcols);
		return ST_USAGE;
	}
	for (k = 0; d->nclasses <= 2 && k < d->rows; k++) {
		t = d->x_mem[k * d->cols + d->cols - 1];
		if (t != 0 && t != 1) {
			snprintf(err, errlen, "--class-weight balanced needs targets that are 0 or 1 (or class labels); "
			    "%s has %.17g", name, t);
			return ST_DATA;
		}
	}
	if ((n = calloc(nc, sizeof *n)) == NULL || (cw = malloc(nc * sizeof *cw)) == NULL) {
		free(n);
		snprintf(err, errlen, "out of memory");
		return ST_NOMEM;
	}
	for (k = 0; k < d->rows; k++)
		n[data_class(d, k)]++;
	for (k = 0; k < nc; k++)
		if (n[k] == 0) {
			snprintf(err, errlen, "--class-weight balanced: no training row of %s is of class %s%s%s", name,
			    d->classes != NULL ? "'" : "", d->classes != NULL ? d->classes[k] : k ? "1" : "0",
			    d->classes != NULL ? "'" : "");
			free(n);
			free(cw);
			return ST_DATA;
		}
	for (k = 0; k < nc; k++)
		cw[k] = (double)d->rows / ((double)nc * (double)n[k]);
	free(n);
	if (d->weight == NULL) {
		if ((d->weight = malloc(d->rows * sizeof *d->weight)) == NULL) {
			free(cw);
			snprintf(err, errlen, "out of memory");
			return ST_NOMEM;
		}
		for (k = 0; k < d->rows; k++)
			d->weight[k] = 1;
	}
	for (k = 0; k < d->rows; k++)
		d->weight[k] *= cw[data_class(d, k)];
	*cwp = cw;
	return 0;
}
