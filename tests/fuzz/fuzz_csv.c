/*
 * libFuzzer target: CSV bytes -> training set or an error, through the
 * header, number and target rules; the first byte picks how many target
 * columns there are.
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
	struct dataset *d = NULL;
	char err[ERRLEN];
	size_t ntargets;
	FILE *f;
	int st;

	if (size < 2)
		return 0;
	ntargets = 1 + data[0] % 3;
	if ((f = fmemopen((void *)(data + 1), size - 1, "r")) == NULL)
		return 0;
	st = data_read(f, "fuzz.csv", ntargets, &d, NULL, err, sizeof err);
	fclose(f);
	if ((st == 0) != (d != NULL) || (st != 0 && strlen(err) == 0))
		__builtin_trap();
	if (d != NULL && (d->rows == 0 || d->cols <= ntargets))
		__builtin_trap();
	data_free(d);
	return 0;
}
