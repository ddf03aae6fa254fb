/*
 * libFuzzer target: CSV bytes -> training set or an error, through the
 * header, number and target rules; the first byte picks how many target
 * columns there are, the separator and the header rule.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "data.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct data_opts o = { 1, ',', DATA_HEADER_GUESS };
	struct dataset *d = NULL;
	char err[ERRLEN];
	size_t ntargets;
	FILE *f;
	int st;

	if (size < 2)
		return 0;
	ntargets = 1 + data[0] % 3;
	o.delim = ",;\t|"[(data[0] >> 2) % 4];
	o.header = (data[0] >> 4) % 3 - 1;
	if ((f = fmemopen((void *)(data + 1), size - 1, "r")) == NULL)
		return 0;
	o.ntargets = ntargets;
	st = data_read(f, "fuzz.csv", &o, &d, NULL, err, sizeof err);
	fclose(f);
	if ((st == 0) != (d != NULL) || (st != 0 && strlen(err) == 0))
		__builtin_trap();
	if (d != NULL && (d->rows == 0 || d->cols <= ntargets))
		__builtin_trap();
	data_free(d);
	return 0;
}
