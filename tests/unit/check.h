/*
 * A tiny test harness: CHECK counts a passed or failed assertion and prints
 * file:line on failure; REQUIRE does the same and, on failure, returns from
 * the function it is in (a test case), for a result the checks after it
 * would dereference; check_summary prints "NAME: P passed, F failed" and
 * returns the exit status.  Each test file is one program.
 */
#ifndef CHECK_H
#define CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond) (void)check_one((cond) != 0, __FILE__, __LINE__, #cond, NULL)
#define REQUIRE(cond) do { \
		if (!check_one((cond) != 0, __FILE__, __LINE__, #cond, NULL)) \
			return; \
	} while (0)
#define CHECK_MSG(cond, ...) do { \
		char check_buf_[4096]; \
		snprintf(check_buf_, sizeof check_buf_, __VA_ARGS__); \
		(void)check_one((cond) != 0, __FILE__, __LINE__, #cond, check_buf_); \
	} while (0)
#define CHECK_STR(got, want) do { \
		const char *g_ = (got), *w_ = (want); \
		CHECK_MSG(g_ != NULL && strcmp(g_, w_) == 0, "got \"%s\", want \"%s\"", g_ ? g_ : "(null)", w_); \
	} while (0)
/* Relative closeness, for values worked out independently. */
#define CHECK_NEAR(got, want, rel) do { \
		double g_ = (got), w_ = (want); \
		CHECK_MSG(fabs(g_ - w_) <= (rel) * fmax(fabs(w_), 1e-300), "got %.17g, want %.17g", g_, w_); \
	} while (0)

/* Counts one check; returns ok. */
static int
check_one(int ok, const char *file, int line, const char *expr, const char *msg)
{
	if (ok) {
		check_passed++;
		return 1;
	}
	check_failed++;
	fprintf(stderr, "%s:%d: check failed: %s%s%s\n", file, line, expr, msg ? ": " : "", msg ? msg : "");
	return 0;
}

static int
check_summary(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
	return check_failed != 0;
}

#endif
