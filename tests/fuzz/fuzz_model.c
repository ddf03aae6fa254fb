/*
 * libFuzzer target: model JSON text -> validated model, or an error.  A
 * model the reader accepts gives outputs that are numbers for standardised
 * inputs in [-1, 1] (no unit's sum can overflow there), and a message never
 * holds a raw control character.  mlpexport writes every accepted model,
 * in double, --float and --main: the C is printable ASCII with no trigraph
 * and no placeholder left, and --float refuses only with a message.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "modelio.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The outputs for inputs of all 0, all 1, all -1, and 1, -1, 1, ...: numbers. */
static void
forward_is_number(const struct model *m)
{
	struct work *ws = work_new(m);
	double *x = malloc(m->n[0] * sizeof *x);
	const double *y;
	size_t j, k;
	int p;

	for (p = 0; ws != NULL && x != NULL && p < 4; p++) {
		for (j = 0; j < m->n[0]; j++)
			x[j] = p == 0 ? 0 : p == 1 ? 1 : p == 2 ? -1 : j % 2 ? -1 : 1;
		y = model_forward(m, ws, x);
		for (k = 0; k < m->n[m->L]; k++)
			if (isnan(y[k]))
				__builtin_trap();
	}
	free(x);
	work_free(ws);
}

/* The C of m in each mode, to memory: a status of 0 (or --float's ST_DATA) and clean text. */
static void
export_is_clean(const struct model *m)
{
	struct export_opts o = { "mlp", "fuzz.json", 0, 0 };
	char err[ERRLEN], *text, *p;
	size_t len;
	FILE *f;
	int mode, st;

	for (mode = 0; mode < 3; mode++) {
		o.single = mode == 1;
		o.main = mode == 2;
		text = NULL;
		if ((f = open_memstream(&text, &len)) == NULL)
			return;
		err[0] = '\0';
		st = export_write(f, m, &o, err, sizeof err);
		fclose(f);
		if (st != 0 && !(st == ST_DATA && o.single && strncmp(err, "--float: ", 9) == 0) && st != ST_NOMEM)
			__builtin_trap();
		for (p = text; st == 0 && p != NULL && *p != '\0'; p++)
			if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t') || (unsigned char)*p > 0x7e ||
			    *p == '$' || (p[0] == '?' && p[1] == '?'))
				__builtin_trap();
		free(text);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model *m = NULL;
	char err[ERRLEN];
	size_t k;
	int st;

	st = model_parse((const char *)data, size, "fuzz.json", &m, err, sizeof err);
	if ((st == 0) != (m != NULL) || (st != 0 && strlen(err) == 0))
		__builtin_trap();	/* a status must come with a model or a message */
	for (k = 0; st != 0 && err[k] != '\0'; k++)
		if ((unsigned char)err[k] < 0x20 || err[k] == 0x7f)
			__builtin_trap();
	if (m != NULL && m->nweights <= 100000)
		forward_is_number(m);
	if (m != NULL && m->nweights <= 10000)
		export_is_clean(m);
	model_free(m);
	return 0;
}
