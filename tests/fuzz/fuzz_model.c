/* libFuzzer target: model JSON text -> validated model, or an error. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "modelio.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model *m = NULL;
	char err[ERRLEN];
	int st;

	st = model_parse((const char *)data, size, "fuzz.json", &m, err, sizeof err);
	if ((st == 0) != (m != NULL) || (st != 0 && strlen(err) == 0))
		__builtin_trap();	/* a status must come with a model or a message */
	model_free(m);
	return 0;
}
