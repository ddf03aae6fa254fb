/*
 * The model file: JSON (through cJSON), format "mlptrain-model", version 1,
 * or 2 for what a version 1 reader would misread (K > 2 classes, encoded
 * feature columns).
 * Every number is written in the shortest form that reads back to the same
 * double, so a model read back predicts bit-identical probabilities.
 */
#ifndef MODELIO_H
#define MODELIO_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"

#define MODEL_FORMAT "mlptrain-model"
#define MODEL_VERSION 2	/* the newest version written; 1 when a version 1 reader reads the model right */
#define MODEL_MAX_BYTES ((size_t)1 << 30)	/* largest model file read */

/* Writes m as JSON to f.  Returns 0, ST_NOMEM, or ST_IO when f fails. */
int model_write(FILE *f, const struct model *m);
/*
 * Parses and validates a model from text[0..len-1] (called `name` in
 * messages).  Returns 0 and sets *out (free with model_free), or ST_DATA /
 * ST_NOMEM with "name:line:column: ..." or "name: weights[1][0] ..." in err.
 */
int model_parse(const char *text, size_t len, const char *name, struct model **out,
    char *err, size_t errlen);
/* Reads all of f, then model_parse; ST_IO when f cannot be read. */
int model_read(FILE *f, const char *name, struct model **out, char *err, size_t errlen);
/* Opens path and model_read's it; ST_IO when it cannot be opened. */
int model_load(const char *path, struct model **out, char *err, size_t errlen);

#endif
