/*
 * Exact decimal reading and shortest round-trip writing of doubles.
 * The programs never call setlocale, so strtod and snprintf use the C
 * locale's decimal point whatever the user's environment says.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"

static int
isblank_c(char c)
{
	return c == ' ' || c == '\t';
}

static int
isdigit_c(char c)
{
	return c >= '0' && c <= '9';
}

/* Returns 1 when s[0..n-1] spells nan or inf(inity), any case, with a sign. */
static int
spells_nonfinite(const char *s, size_t n)
{
	static const char *const words[] = { "nan", "inf", "infinity" };
	size_t i, k;

	if (n > 0 && (*s == '+' || *s == '-')) {
		s++;
		n--;
	}
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strlen(words[i]) != n)
			continue;
		for (k = 0; k < n; k++)
			if ((s[k] | 0x20) != words[i][k])
				break;
		if (k == n)
			return 1;
	}
	return 0;
}

enum num_error
number_parse(const char *s, size_t len, double *out)
{
	char small[64], *buf, *end;
	size_t b = 0, e = len, i, ndig = 0;
	double v;

	while (b < e && isblank_c(s[b]))
		b++;
	while (e > b && isblank_c(s[e - 1]))
		e--;
	if (b == e)
		return NUM_EMPTY;

	/* Check the syntax ourselves: strtod would also take hex, nan and inf. */
	i = b;
	if (s[i] == '+' || s[i] == '-')
		i++;
	while (i < e && isdigit_c(s[i])) {
		i++;
		ndig++;
	}
	if (i < e && s[i] == '.') {
		i++;
		while (i < e && isdigit_c(s[i])) {
			i++;
			ndig++;
		}
	}
	if (ndig > 0 && i < e && (s[i] == 'e' || s[i] == 'E')) {
		size_t edig = 0;

		i++;
		if (i < e && (s[i] == '+' || s[i] == '-'))
			i++;
		while (i < e && isdigit_c(s[i])) {
			i++;
			edig++;
		}
		if (edig == 0)
			return NUM_SYNTAX;
	}
	if (ndig == 0 || i != e)
		return spells_nonfinite(s + b, e - b) ? NUM_NONFINITE : NUM_SYNTAX;

	/* strtod needs a terminated string. */
	if (e - b < sizeof small)
		buf = small;
	else if ((buf = malloc(e - b + 1)) == NULL)
		return NUM_NOMEM;
	memcpy(buf, s + b, e - b);
	buf[e - b] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (buf != small)
		free(buf);
	/* ERANGE on underflow still gives the correctly rounded (denormal or zero) value. */
	if (isinf(v))
		return NUM_RANGE;
	*out = v;
	return NUM_OK;
}

const char *
number_strerror(enum num_error e)
{
	switch (e) {
	case NUM_OK:
		return "is a number";
	case NUM_EMPTY:
		return "is empty, expected a number";
	case NUM_SYNTAX:
		return "is not a number";
	case NUM_NONFINITE:
		return "is not a finite number";
	case NUM_RANGE:
		return "is too large for a double";
	case NUM_NOMEM:
		return "could not be read: out of memory";
	}
	return "is not a number";
}

int
number_format(char *buf, double x, int digits)
{
	int p, n = 0;

	if (digits > 0)
		return snprintf(buf, NUMBER_BUFLEN, "%.*g", digits, x);
	/*
	 * A normal double that some string of at most 15 digits reads back to
	 * is the one %.15g prints (15-digit decimals are further apart than
	 * doubles); denormals hold fewer digits, so try from 1 up for them.
	 */
	for (p = (x != 0 && fabs(x) < DBL_MIN) ? 1 : 15; p <= 17; p++) {
		n = snprintf(buf, NUMBER_BUFLEN, "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return n;
}
