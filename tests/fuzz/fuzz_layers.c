/* libFuzzer target: the -l list parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "model.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[ERRLEN], *s = malloc(size + 1);
	size_t *n = NULL;
	int count = 0, i;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (cli_layers(s, &n, &count, err, sizeof err) == 0) {
		if (count < 2)
			__builtin_trap();
		for (i = 0; i < count; i++)
			if (n[i] < 1 || n[i] > MODEL_MAX_UNITS)
				__builtin_trap();
	} else if (n != NULL || strlen(err) == 0)
		__builtin_trap();
	free(n);
	free(s);
	return 0;
}
