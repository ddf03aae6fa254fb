/*
 * A model as one dependency-free C99 file (mlpexport): its weights,
 * standardisation and encoding as static const tables, an encoder for a
 * row's feature columns, and PREFIX_predict, which computes mlppredict's
 * probabilities with the same operations in the same order, so bit for
 * bit; optionally in single precision, and with a main that scores CSV
 * rows on standard input.  Not for: reading the model (modelio.c), nor the
 * output file's safety (outputs.c).
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"

#define EXPORT_MAX_PREFIX 64	/* longest --prefix */

struct export_opts {
	const char *prefix;	/* of every symbol: a C identifier (export_check_prefix) */
	const char *source;	/* the model's name, for the opening comment */
	int single;		/* --float: float numbers and arithmetic */
	int main;		/* --main: add the CSV scorer's main */
};

/* Checks a prefix: a letter, then letters, digits and '_'.  0, or -1 with why in err. */
int export_check_prefix(const char *prefix, char *err, size_t errlen);
/*
 * Checks that every number of m fits the precision asked for (--float: no
 * weight, mean or fill value beyond the largest float, no std below the
 * smallest normal float).  0, or ST_DATA with the number's JSON path in err.
 */
int export_check(const struct model *m, const struct export_opts *o, char *err, size_t errlen);
/*
 * Writes m as C to f (after export_check, which it repeats).  Returns 0,
 * ST_DATA, ST_NOMEM, or ST_IO when f fails; err says why.
 */
int export_write(FILE *f, const struct model *m, const struct export_opts *o, char *err, size_t errlen);

#endif
