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
	return check_summary("test_number");
}
