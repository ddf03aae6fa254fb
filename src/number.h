/*
 * Exact reading and writing of doubles.  Reading accepts plain decimal
 * notation only and is correctly rounded (strtod in the C locale); writing
 * gives the shortest of 15, 16 or 17 significant digits that reads back to the
 * same double, so a number written and read again is bit-identical.
 */
#ifndef NUMBER_H
#define NUMBER_H

#include <stddef.h>

enum num_error {
	NUM_OK = 0,
	NUM_EMPTY,		/* nothing but blanks */
	NUM_SYNTAX,		/* not decimal notation */
	NUM_NONFINITE,		/* nan or inf spelled out */
	NUM_RANGE,		/* overflows a double */
	NUM_NOMEM		/* no memory to copy a very long field */
};

#define NUMBER_BUFLEN 32	/* enough for any double number_format writes */

/*
 * Parses s[0..len-1]: optional blanks, [+-]digits[.digits][(e|E)[+-]digits]
 * (".5" and "5." too), optional blanks.  Stores the value in *out.
 */
enum num_error number_parse(const char *s, size_t len, double *out);

#define NUMBER_PAD 16	/* bytes number_parse_padded may read past a field's end */

/*
 * number_parse, the same results bit for bit, faster on the usual field
 * (a sign, up to 15 digits and a point): s[len] to s[len + NUMBER_PAD - 1]
 * must be readable, whatever they hold.
 */
enum num_error number_parse_padded(const char *s, size_t len, double *out);
/*
 * Reads fields by number_parse_padded while they are numbers: for i = 0
 * to n - 1, field[col[i]] (len[col[i]] bytes, NUMBER_PAD readable after)
 * into out[i].  Returns n, or the first i whose field is not a number with
 * its error in *e.
 */
size_t number_parse_fields(char *const *field, const size_t *len, const size_t *col, size_t n, double *out,
    enum num_error *e);
/* A short phrase for an error, e.g. "is not a number". */
const char *number_strerror(enum num_error e);
/*
 * Writes x to buf (NUMBER_BUFLEN bytes) with `digits` significant digits, or
 * the shortest exact form when digits is 0.  Returns the length.
 */
int number_format(char *buf, double x, int digits);

#endif
