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
/* A short phrase for an error, e.g. "is not a number". */
const char *number_strerror(enum num_error e);
/*
 * Writes x to buf (NUMBER_BUFLEN bytes) with `digits` significant digits, or
 * the shortest exact form when digits is 0.  Returns the length.
 */
int number_format(char *buf, double x, int digits);

#endif
