/*
 * The fixed C text of mlpexport's output (exportcode.c): arrays of lines,
 * NULL-terminated, with the placeholders export.c replaces.
 */
#ifndef EXPORTCODE_H
#define EXPORTCODE_H

/* The encoding helpers: $p_is_missing, $p_category, $p_encode_number, $p_encode_category, $p_encode. */
extern const char *const export_helpers[];
/* $p_predict, on $p_predict_scratch (which export.c writes for the model). */
extern const char *const export_predict[];
/* The --main scorer: a CSV reader, the shortest number printer, main. */
extern const char *const export_main[];

#endif
