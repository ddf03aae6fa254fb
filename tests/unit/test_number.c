/* Exact number reading and shortest round-trip writing. */
#include <float.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "number.h"
#include "rng.h"

static enum num_error
parse(const char *s, double *v)
{
	return number_parse(s, strlen(s), v);
}

static const char *
fmt(double x, int digits)
{
	static char buf[NUMBER_BUFLEN];

	number_format(buf, x, digits);
	return buf;
}

/*
 * A random decimal of a varied shape into buf: sign or not, 0 to 20 integer
 * digits (some leading zeros), a point or not, 0 to 20 fraction digits
 * (runs of zeros), an exponent or not (mostly small, sometimes large).
 * Exercises both sides of the fast path's limits (19 digits, 2^53, 10^22).
 */
static void
random_decimal(struct rng *r, char *buf)
{
	size_t o = 0, ni, nf, k;
	uint64_t u = rng_next(r);
	int ex;

	if (u & 1)
		buf[o++] = (u & 2) ? '-' : '+';
	u >>= 2;
	ni = (size_t)(rng_next(r) % 21);
	nf = (size_t)(rng_next(r) % 21);
	if (ni == 0 && nf == 0)
		ni = 1;
	for (k = 0; k < ni; k++) {
		uint64_t d = rng_next(r) % 13;	/* extra weight on 0 and 9 */
		buf[o++] = (char)(d >= 10 ? (d == 12 ? '9' : '0') : '0' + (int)d);
	}
	if (nf > 0 || (u & 1)) {
		buf[o++] = '.';
		for (k = 0; k < nf; k++) {
			uint64_t d = rng_next(r) % 13;
			buf[o++] = (char)(d >= 10 ? (d == 12 ? '9' : '0') : '0' + (int)d);
		}
	}
	u >>= 1;
	if (u & 3) {
		buf[o++] = (u & 4) ? 'E' : 'e';
		switch (rng_next(r) % 4) {
		case 0:
			ex = (int)(rng_next(r) % 61) - 30;
			break;
		case 1:
			ex = (int)(rng_next(r) % 9) + 19;	/* around 22 and 22 + digits */
			ex = (rng_next(r) & 1) ? -ex : ex;
			break;
		case 2:
			ex = (int)(rng_next(r) % 700) - 350;
			break;
		default:
			ex = (int)(rng_next(r) % 11) - 5;
			break;
		}
		o += (size_t)sprintf(buf + o, (u & 8) && ex >= 0 ? "+%d" : "%d", ex);
	}
	buf[o] = '\0';
}

/* number_parse against strtod, bit for bit, on a million random decimals. */
static void
parse_matches_strtod(void)
{
	char buf[128];
	struct rng r;
	size_t i, bad = 0, range = 0;
	double got, want;
	uint64_t gb, wb;

	rng_seed(&r, 20240601);
	for (i = 0; i < 1000000; i++) {
		random_decimal(&r, buf);
		want = strtod(buf, NULL);
		got = 0;
		if (isinf(want)) {
			range += number_parse(buf, strlen(buf), &got) == NUM_RANGE;
			continue;
		}
		if (number_parse(buf, strlen(buf), &got) != NUM_OK) {
			if (bad++ < 5)
				fprintf(stderr, "'%s' not read\n", buf);
			continue;
		}
		memcpy(&gb, &got, sizeof gb);
		memcpy(&wb, &want, sizeof wb);
		if (gb != wb && bad++ < 5)
			fprintf(stderr, "'%s': got %a, strtod %a\n", buf, got, want);
	}
	CHECK_MSG(bad == 0, "%zu of a million decimals read differently from strtod", bad);
	CHECK(range > 0);
	/* the fast path's edges */
	{
		static const char *const edge[] = {
			"9007199254740992", "9007199254740993", "9007199254740991e22", "9007199254740993e-22",
			"1e22", "1e23", "1e-22", "1e-23", "123456789012345678e-22", "1234567890123456789",
			"12345678901234567890", "0.000000000000000000000000000001", "-0.0e-5", "0000000000000000000000001",
			"4503599627370497.5", "2.2250738585072011e-308", "2.2250738585072014e-308", "89255e-22",
			"0.30000000000000004", "17976931348623157e292", "7.038531e-26",
		};
		for (i = 0; i < sizeof edge / sizeof edge[0]; i++) {
			want = strtod(edge[i], NULL);
			got = 0;
			CHECK_MSG(number_parse(edge[i], strlen(edge[i]), &got) == NUM_OK &&
			    memcmp(&got, &want, sizeof got) == 0, "'%s': got %a, strtod %a", edge[i], got, want);
		}
	}
}

/*
 * A decimal as data files hold them: a sign or not, 0 to 9 integer digits,
 * a point and 0 to 9 decimals or not, at least one digit (on both sides of
 * the eight-byte path's limits: a point among the first 8 bytes, 15
 * digits).
 */
static void
usual_decimal(struct rng *r, char *buf)
{
	size_t o = 0, ni = (size_t)(rng_next(r) % 10), nf = (size_t)(rng_next(r) % 10), k;
	uint64_t u = rng_next(r);

	if (u & 1)
		buf[o++] = (u & 2) ? '-' : '+';
	if (ni == 0 && nf == 0)
		ni = 1;
	for (k = 0; k < ni; k++)
		buf[o++] = (char)('0' + (int)(rng_next(r) % 10));
	if (nf > 0 || (u & 4)) {
		buf[o++] = '.';
		for (k = 0; k < nf; k++)
			buf[o++] = (char)('0' + (int)(rng_next(r) % 10));
	}
	buf[o] = '\0';
}

/*
 * The bytes after a field in a row: its NUL or a separator, then anything,
 * digits and points most of all (number_parse_padded reads them and must
 * not take them in).
 */
static void
junk_after(struct rng *r, char *p)
{
	static const char bytes[] = "0123456789.e-+, \0\n";
	size_t k;

	for (k = 0; k < NUMBER_PAD + 8; k++)
		p[k] = bytes[rng_next(r) % (sizeof bytes - 1)];
}

/* Bit for bit, or both refused with the same error. */
static int
same_reading(enum num_error e1, double v1, enum num_error e2, double v2)
{
	return e1 == e2 && (e1 != NUM_OK || memcmp(&v1, &v2, sizeof v1) == 0);
}

/*
 * number_parse_padded and number_parse_fields against number_parse (itself
 * checked against strtod above), with junk after every field: a million
 * usual decimals, which the eight-byte path reads, checked against strtod
 * as well; the random shapes of random_decimal and bad fields, which go
 * the general way.
 */
static void
padded_matches(void)
{
	static const char *const odd[] = {
		"", "-", "+", ".", "-.", "+.5", "5.", "-0", "-0.0", "00000000.00000000", "99999999.99999999",
		"9007199254740993", "90071992.54740993", "1.2.3", "1e5", "1.5e-3", "--1", "1-", " 1", "1 ", "0x10",
		"123456789", "1.123456789", "12345678.12345678", "nan", "-inf", "1,5",
	};
	char buf[160], *field[4];
	size_t len[4], col[4] = { 2, 0, 3, 1 }, i, k, bad = 0, fields_bad = 0, vs_strtod = 0;
	enum num_error e1, e2;
	double v1, v2, out[4];
	struct rng r;

	memset(buf, 0, sizeof buf);
	rng_seed(&r, 20261130);
	for (i = 0; i < 1000000 + 200000 + sizeof odd / sizeof odd[0]; i++) {
		if (i < 1000000)
			usual_decimal(&r, buf);
		else if (i < 1200000)
			random_decimal(&r, buf);
		else
			snprintf(buf, 64, "%s", odd[i - 1200000]);
		k = strlen(buf);
		junk_after(&r, buf + k);
		e1 = number_parse(buf, k, &v1);
		e2 = number_parse_padded(buf, k, &v2);
		if (!same_reading(e1, v1, e2, v2) && bad++ < 5)
			fprintf(stderr, "'%.*s': padded %d %a, number_parse %d %a\n", (int)k, buf, e2, v2, e1, v1);
		if (i < 1000000) {
			buf[k] = '\0';
			v1 = strtod(buf, NULL);
			vs_strtod += e2 != NUM_OK || memcmp(&v1, &v2, sizeof v1) != 0;
		}
	}
	CHECK_MSG(bad == 0, "%zu fields read differently by number_parse_padded", bad);
	CHECK_MSG(vs_strtod == 0, "%zu usual decimals read differently from strtod", vs_strtod);
	/* rows of 1 to 9 fields, mostly usual, some not numbers: read in pairs, then one by one */
	{
		char row[9][96], *rf[9];
		size_t rl[9], ident[9] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 }, nf, stop;
		double got[9], want[9];

		for (i = 0; i < 100000; i++) {
			nf = 1 + (size_t)(rng_next(&r) % 9);
			stop = nf;
			for (k = 0; k < nf; k++) {
				switch (rng_next(&r) % 16) {
				case 0:
					random_decimal(&r, row[k]);
					break;
				case 1:
					snprintf(row[k], 96, "%s", odd[rng_next(&r) % (sizeof odd / sizeof odd[0])]);
					break;
				default:
					usual_decimal(&r, row[k]);
				}
				rf[k] = row[k];
				rl[k] = strlen(row[k]);
				junk_after(&r, row[k] + rl[k]);
				if (stop == nf && number_parse(rf[k], rl[k], &want[k]) != NUM_OK)
					stop = k;
			}
			e1 = NUM_OK;
			if (number_parse_fields(rf, rl, ident, nf, got, &e1) != stop ||
			    (stop < nf && e1 != number_parse(rf[stop], rl[stop], &v1)) ||
			    memcmp(got, want, stop * sizeof got[0]) != 0)
				fields_bad++;
		}
	}
	/* a row of four fields, the third one bad: three read, in col's order */
	for (i = 0; i < 4; i++) {
		field[i] = buf + 40 * i;
		snprintf(field[i], 40, "%s", i == 3 ? "x" : i == 0 ? "-1.25" : i == 1 ? "7" : "0.5e1");
		len[i] = strlen(field[i]);
	}
	out[0] = out[1] = out[2] = out[3] = -1;
	e1 = NUM_OK;
	k = number_parse_fields(field, len, col, 4, out, &e1);
	fields_bad += k != 2 || e1 != NUM_SYNTAX || out[0] != 5 || out[1] != -1.25 || out[2] != -1;
	col[2] = 1;
	k = number_parse_fields(field, len, col, 4, out, &e1);
	fields_bad += k != 4 || out[0] != 5 || out[1] != -1.25 || out[2] != 7 || out[3] != 7;
	CHECK_MSG(fields_bad == 0, "number_parse_fields: wrong values or stop");
}

/* number_format's shortest form as it was first written: printf and strtod. */
static int
format_reference(char *buf, double x)
{
	int p, n = 0;

	for (p = (x != 0 && fabs(x) < DBL_MIN) ? 1 : 15; p <= 17; p++) {
		n = snprintf(buf, NUMBER_BUFLEN, "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return n;
}

static size_t format_bad;

static void
format_same(double x)
{
	char got[NUMBER_BUFLEN], want[NUMBER_BUFLEN];
	int ng = number_format(got, x, 0), nw = format_reference(want, x);

	if (ng != nw || strcmp(got, want) != 0) {
		if (format_bad < 5)
			fprintf(stderr, "%a: got '%s', want '%s'\n", x, got, want);
		format_bad++;
	}
}

/*
 * The exact integer path of number_format against printf and strtod, byte
 * for byte: probabilities, random doubles of every magnitude it covers,
 * dyadic numbers with few bits (exact decimal ties), neighbours of powers of
 * two and ten, and the edges of its range.
 */
static void
format_matches_printf(void)
{
	struct rng r;
	size_t i;
	int k;
	double x, p10;
	uint64_t bits;

	rng_seed(&r, 77);
	for (i = 0; i < 150000; i++) {
		x = rng_uniform(&r);
		format_same(x);
		format_same(1.0 / (1.0 + exp(-40 * (rng_uniform(&r) - 0.5))));
		format_same(-x * pow(10, (double)(int)(rng_next(&r) % 40) - 20));
		bits = rng_next(&r);
		memcpy(&x, &bits, sizeof x);
		if (isfinite(x))
			format_same(x);
		/* a few bits of mantissa times a power of two: decimals that end in 5 */
		x = ldexp((double)(rng_next(&r) % 4096 + 1), (int)(rng_next(&r) % 120) - 100);
		format_same(x);
		x = ldexp((double)(rng_next(&r) >> 11), -(int)(rng_next(&r) % 90));
		format_same(x);
	}
	for (k = -1074; k < 1024; k++) {
		x = ldexp(1.0, k);
		format_same(x);
		format_same(nextafter(x, 0));
		format_same(nextafter(x, INFINITY));
	}
	for (k = -20; k <= 20; k++) {
		p10 = pow(10, k);
		format_same(p10);
		format_same(nextafter(p10, 0));
		format_same(nextafter(p10, INFINITY));
		format_same(-p10);
	}
	CHECK_MSG(format_bad == 0, "%zu doubles formatted differently from the printf loop", format_bad);
}

int
main(void)
{
	double v = 0;
	struct rng r;
	uint64_t bits;
	size_t i, bad = 0;
	char buf[NUMBER_BUFLEN];

	CHECK(parse("1", &v) == NUM_OK && v == 1);
	CHECK(parse("-2.5", &v) == NUM_OK && v == -2.5);
	CHECK(parse("+3", &v) == NUM_OK && v == 3);
	CHECK(parse(".5", &v) == NUM_OK && v == 0.5);
	CHECK(parse("5.", &v) == NUM_OK && v == 5);
	CHECK(parse("1e3", &v) == NUM_OK && v == 1000);
	CHECK(parse("1E-3", &v) == NUM_OK && v == 0.001);
	CHECK(parse("  7\t", &v) == NUM_OK && v == 7);
	CHECK(parse("0.1", &v) == NUM_OK && v == 0.1);
	CHECK(parse("-0", &v) == NUM_OK && v == 0 && signbit(v));
	CHECK(parse("4.9e-324", &v) == NUM_OK && v == 4.9e-324);	/* the smallest denormal */
	CHECK(parse("1e-400", &v) == NUM_OK && v == 0);			/* underflows to zero */
	CHECK(parse("1.7976931348623157e308", &v) == NUM_OK && v == DBL_MAX);
	CHECK(parse("", &v) == NUM_EMPTY);
	CHECK(parse("   ", &v) == NUM_EMPTY);
	CHECK(parse("abc", &v) == NUM_SYNTAX);
	CHECK(parse("1,5", &v) == NUM_SYNTAX);
	CHECK(parse("1e", &v) == NUM_SYNTAX);
	CHECK(parse("e5", &v) == NUM_SYNTAX);
	CHECK(parse(".", &v) == NUM_SYNTAX);
	CHECK(parse("-", &v) == NUM_SYNTAX);
	CHECK(parse("1 2", &v) == NUM_SYNTAX);
	CHECK(parse("0x10", &v) == NUM_SYNTAX);
	CHECK(parse("nan", &v) == NUM_NONFINITE);
	CHECK(parse("-Inf", &v) == NUM_NONFINITE);
	CHECK(parse("INFINITY", &v) == NUM_NONFINITE);
	CHECK(parse("1e999", &v) == NUM_RANGE);
	CHECK(parse("-1e999", &v) == NUM_RANGE);
	/* A long field (more than the 63-byte fast buffer) is still read exactly. */
	CHECK(parse("0.1000000000000000000000000000000000000000000000000000000000000000000000001", &v) == NUM_OK &&
	    v == 0.1);
	/* Only len bytes are read. */
	CHECK(number_parse("12345", 2, &v) == NUM_OK && v == 12);

	CHECK_STR(fmt(0.1, 0), "0.1");
	CHECK_STR(fmt(1, 0), "1");
	CHECK_STR(fmt(-0.0, 0), "-0");
	CHECK_STR(fmt(0.5, 0), "0.5");
	CHECK_STR(fmt(1.0 / 3, 0), "0.3333333333333333");
	CHECK_STR(fmt(2.0 / 3, 0), "0.6666666666666666");
	CHECK_STR(fmt(1e300, 0), "1e+300");
	CHECK_STR(fmt(4.9e-324, 0), "5e-324");
	CHECK_STR(fmt(1e-310, 0), "1e-310");
	CHECK_STR(fmt(0.1 + 0.2, 0), "0.30000000000000004");
	CHECK_STR(fmt(0.123456789, 3), "0.123");
	CHECK_STR(fmt(1.0 / 3, 17), "0.33333333333333331");

	/* Every double written reads back bit for bit: random bit patterns cover all exponents. */
	rng_seed(&r, 1);
	for (i = 0; i < 200000; i++) {
		bits = rng_next(&r);
		memcpy(&v, &bits, sizeof v);
		if (!isfinite(v))
			continue;
		number_format(buf, v, 0);
		{
			double back = 0;
			uint64_t bits2;

			if (number_parse(buf, strlen(buf), &back) != NUM_OK)
				bad++;
			memcpy(&bits2, &back, sizeof bits2);
			bad += bits2 != bits;
		}
	}
	CHECK_MSG(bad == 0, "%zu doubles did not read back exactly", bad);
	/* and values in (0, 1), as probabilities are */
	for (i = 0, bad = 0; i < 200000; i++) {
		double p = rng_uniform(&r), back = -1;

		number_format(buf, p, 0);
		bad += number_parse(buf, strlen(buf), &back) != NUM_OK || back != p;
		bad += strlen(buf) > 24;
	}
	CHECK_MSG(bad == 0, "%zu probabilities did not read back exactly", bad);
	parse_matches_strtod();
	padded_matches();
	format_matches_printf();
	return check_summary("test_number");
}
