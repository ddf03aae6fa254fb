/*
 * libFuzzer target: CSV bytes -> training set or an error, through the
 * header, number, category and target rules; the first two bytes pick the
 * separator, the header rule, the target columns (labels of one, or
 * several 0/1 or soft ones), -x/-t/-w, --drop-missing, -c auto and
 * --impute.  Checks that a status comes with a set or a message, and that
 * a set keeps its promises: its targets one-hot or 0/1 (or in [0, 1]), its
 * categories' inputs 0/1 with one set at most, its inputs counted by its
 * encoding.  A message never holds a raw control character (fields are
 * escaped in it), and the standardisation statistics of a training set are
 * finite, with every std one the model reader accepts.  Three workers
 * (threads) reading their parts of the same bytes end with what one worker
 * reading them all gets: the status and message, or the rows end to end,
 * the columns and classes.
 */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comm.h"
#include "data.h"
#include "../unit/readparts.h"
#include "status.h"

#define PARTS 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Traps unless the rows of d keep the promises of its encoding and targets. */
static void
check_set(const struct dataset *d, int soft)
{
	size_t nf = data_nfeatures(d), r, k, j, ones;
	const double *x;

	if (d->rows == 0 || d->enc == NULL || d->enc->ninputs != nf || d->cols <= d->ntargets ||
	    (d->nclasses > 2 && d->ntargets != d->nclasses) || d->nclasses == 1)
		__builtin_trap();
	for (r = 0; r < d->rows; r++) {
		x = d->x_mem + r * d->cols;
		for (k = 0; k < d->enc->ncols; k++) {
			const struct fcol *c = &d->enc->col[k];

			for (j = 0, ones = 0; j < c->ncat; j++) {
				if (x[c->first + j] != 0 && x[c->first + j] != 1)
					__builtin_trap();
				ones += x[c->first + j] == 1;
			}
			if (ones > 1)
				__builtin_trap();
		}
		for (j = 0, ones = 0; j < d->ntargets; j++) {
			if (!(x[nf + j] >= 0 && x[nf + j] <= 1) || (!soft && x[nf + j] != 0 && x[nf + j] != 1))
				__builtin_trap();
			ones += x[nf + j] == 1;
		}
		if (d->nclasses > 2 && ones != 1)
			__builtin_trap();
	}
}

/* Traps unless the statistics of d are finite, with every std the model reader accepts. */
static void
check_stats(const struct dataset *d)
{
	size_t nf = data_nfeatures(d), j;
	double *mean = malloc(nf * sizeof *mean), *std = malloc(nf * sizeof *std);

	if (mean != NULL && std != NULL) {
		data_stats(d, mean, std);
		for (j = 0; j < nf; j++)
			if (!isfinite(mean[j]) || !isfinite(std[j]) || !(std[j] >= DBL_MIN))
				__builtin_trap();
	}
	free(mean);
	free(std);
}

/* Traps unless three workers reading text[0..len-1] get what one got: st, err, d. */
static void
check_parts(const char *text, size_t len, const struct data_opts *o, int st, const char *err, const struct dataset *d)
{
	struct reader p[PARTS];
	size_t rows = 0, off = 0;
	int r;

	read_parts(text, len, -1, "fuzz.csv", o, PARTS, p);
	for (r = 0; r < PARTS; r++)
		if (p[r].st != st || p[r].who != p[0].who || (st != 0 && strcmp(p[r].err, err) != 0))
			__builtin_trap();
	for (r = 0; st == 0 && r < PARTS; r++) {
		if (p[r].d->cols != d->cols || p[r].d->nclasses != d->nclasses || p[r].d->ntargets != d->ntargets ||
		    p[r].d->rows_all != d->rows || p[r].d->dropped != d->dropped || p[r].d->missing != d->missing ||
		    rows + p[r].d->rows > d->rows || (p[r].d->rows > 0 && memcmp(p[r].d->x_mem, d->x_mem + off,
		    p[r].d->rows * d->cols * sizeof *d->x_mem) != 0))
			__builtin_trap();
		for (size_t k = 0; k < d->nclasses; k++)
			if (strcmp(p[r].d->classes[k], d->classes[k]) != 0)
				__builtin_trap();
		rows += p[r].d->rows;
		off += p[r].d->rows * d->cols;
	}
	if (st == 0 && rows != d->rows)
		__builtin_trap();
	for (r = 0; r < PARTS; r++)
		data_free(p[r].d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct data_opts o;
	struct colspec ct, cx, cw;
	struct dataset *d = NULL;
	char err[ERRLEN];
	size_t r;
	FILE *f;
	int st;

	if (size < 3)
		return 0;
	memset(&o, 0, sizeof o);
	o.delim = ",;\t|"[data[0] % 4];
	o.header = (data[0] >> 2) % 3 - 1;
	o.tcols = (data[0] >> 4) % 3 == 2 ? 2 : 0;	/* several 0/1 targets, or the labels of one */
	o.soft = (data[1] & 1) != 0;
	o.cat_auto = (data[1] & 2) != 0;
	o.impute = (data[1] & 4) != 0;
	o.max_categories = 1 + (size_t)(data[1] >> 4);
	/* the top two bits: nothing more; --drop-missing; -x 1; -t 1 -w 2 */
	switch (data[0] >> 6) {
	case 1:
		o.drop_missing = 1;
		break;
	case 2:
		if (colspec_parse("-x", "1", &cx, err, sizeof err) != 0)
			return 0;
		o.ignore = &cx;
		break;
	case 3:
		if (colspec_parse("-t", "1", &ct, err, sizeof err) != 0 ||
		    colspec_parse("-w", "2", &cw, err, sizeof err) != 0)
			return 0;
		o.target = &ct;
		o.weight = &cw;
		o.tcols = 0;
		break;
	default:
		break;
	}
	if ((f = fmemopen((void *)(data + 2), size - 2, "r")) == NULL)
		return 0;
	st = data_read(f, "fuzz.csv", &o, &d, NULL, err, sizeof err);
	fclose(f);
	if ((st == 0) != (d != NULL) || (st != 0 && strlen(err) == 0))
		__builtin_trap();
	check_parts((const char *)data + 2, size - 2, &o, st, err, d);
	for (r = 0; st != 0 && err[r] != '\0'; r++)
		if ((unsigned char)err[r] < 0x20 || err[r] == 0x7f)
			__builtin_trap();
	if (d != NULL && (!(o.impute && d->missing > 0) || data_impute(d, NULL, IMPUTE_MEDIAN, err, sizeof err) == 0)) {
		check_set(d, o.soft);
		check_stats(d);
	}
	data_free(d);
	if (o.ignore != NULL)
		colspec_free(&cx);
	if (o.target != NULL) {
		colspec_free(&ct);
		colspec_free(&cw);
	}
	return 0;
}
