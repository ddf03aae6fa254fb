/*
 * libFuzzer target: CSV bytes -> training set or an error, through the
 * header, number and target rules; the first byte picks how many target
 * columns there are, the separator and the header rule.  A message never
 * holds a raw control character (fields are escaped in it), and the
 * standardisation statistics of a training set are finite, with every std
 * one the model reader accepts.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct data_opts o;
	struct colspec ct, cx, cw;
	struct dataset *d = NULL;
	char err[ERRLEN];
	size_t ntargets, r;
	FILE *f;
	int st;

	if (size < 2)
		return 0;
	memset(&o, 0, sizeof o);
	ntargets = 1 + data[0] % 3;
	o.delim = ",;\t|"[(data[0] >> 2) % 4];
	o.header = (data[0] >> 4) % 3 - 1;
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
		ntargets = 1;
		break;
	default:
		break;
	}
	if ((f = fmemopen((void *)(data + 1), size - 1, "r")) == NULL)
		return 0;
	o.ntargets = ntargets;
	st = data_read(f, "fuzz.csv", &o, &d, NULL, err, sizeof err);
	fclose(f);
	if ((st == 0) != (d != NULL) || (st != 0 && strlen(err) == 0))
		__builtin_trap();
	if (d != NULL && (d->rows == 0 || d->cols <= ntargets || d->ntargets != ntargets))
		__builtin_trap();
	for (r = 0; st != 0 && err[r] != '\0'; r++)
		if ((unsigned char)err[r] < 0x20 || err[r] == 0x7f)
			__builtin_trap();
	if (d != NULL) {
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
	if (d != NULL && d->classes != NULL)	/* labels: one target, every one 0 or 1 */
		for (r = 0; r < d->rows; r++)
			if (d->ntargets != 1 || (d->x_mem[r * d->cols + d->cols - 1] != 0 &&
			    d->x_mem[r * d->cols + d->cols - 1] != 1))
				__builtin_trap();
	data_free(d);
	if (o.ignore != NULL)
		colspec_free(&cx);
	if (o.target != NULL) {
		colspec_free(&ct);
		colspec_free(&cw);
	}
	return 0;
}
