/*
 * Option values are checked whole: a number with trailing text, a sign where
 * none is allowed, or a value out of range is a usage error naming the flag.
 * So is an MLP_SIMD the programs cannot follow.  Not for: what the options
 * mean (the mains) or how the kernels differ (kernels.c).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kernels.h"
#include "model.h"
#include "number.h"
#include "status.h"

volatile sig_atomic_t cli_stop;
void (*volatile cli_on_signal)(void);

static void
on_signal(int sig)
{
	__atomic_store_n(&cli_stop, ST_INTERRUPTED + sig, __ATOMIC_RELAXED);	/* (read by every thread) */
	if (cli_on_signal != NULL)
		cli_on_signal();
}

/*
 * Signals that end a program by default and that nobody asked to ignore:
 * caught like SIGINT, so that an output's temporary file is removed.
 */
static const int other_signals[] = {
	SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2, SIGPROF, SIGVTALRM, SIGXCPU,
#ifdef SIGPOLL
	SIGPOLL,
#endif
};

void
cli_catch_signals(int pipe_too)
{
	struct sigaction sa, old;
	size_t k;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a blocking read returns, and the flag is seen */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	for (k = 0; k < sizeof other_signals / sizeof other_signals[0]; k++)
		if (sigaction(other_signals[k], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(other_signals[k], &sa, NULL);
	if (pipe_too && sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
		sigaction(SIGPIPE, &sa, NULL);
	/* Past a file size limit, write() fails with EFBIG, reported, instead of a silent death. */
	signal(SIGXFSZ, SIG_IGN);
}

int
cli_uint(const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t *out, char *err, size_t errlen)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9' || (v = strtoull(s, &end, 10), errno != 0) || *end != '\0' ||
	    v < lo || v > hi) {
		snprintf(err, errlen, "%s: '%s' is not a whole number from %llu to %llu", opt, s,
		    (unsigned long long)lo, (unsigned long long)hi);
		return -1;
	}
	*out = v;
	return 0;
}

int
cli_positive(const char *opt, const char *s, double *out, char *err, size_t errlen)
{
	double v;

	if (number_parse(s, strlen(s), &v) != NUM_OK || !(v > 0)) {
		snprintf(err, errlen, "%s: '%s' is not a positive number", opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

int
cli_nonneg(const char *opt, const char *s, double *out, char *err, size_t errlen)
{
	double v;

	if (number_parse(s, strlen(s), &v) != NUM_OK || !(v >= 0)) {
		snprintf(err, errlen, "%s: '%s' is not a number >= 0", opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

int
cli_fraction(const char *opt, const char *s, int closed, double *out, char *err, size_t errlen)
{
	double v;

	if (number_parse(s, strlen(s), &v) != NUM_OK || (closed ? !(v >= 0 && v <= 1) : !(v > 0 && v < 1))) {
		snprintf(err, errlen, "%s: '%s' is not a number %s", opt, s,
		    closed ? "from 0 to 1" : "between 0 and 1 (both excluded)");
		return -1;
	}
	*out = v;
	return 0;
}

int
cli_delimiter(const char *opt, const char *s, int *out, char *err, size_t errlen)
{
	if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0 || strcmp(s, "\t") == 0) {
		*out = '\t';
		return 0;
	}
	if (strlen(s) != 1 || s[0] == '"' || s[0] == '\n' || s[0] == '\r') {
		snprintf(err, errlen, "%s: '%s' is not a field separator: one character (not a quote), or tab", opt, s);
		return -1;
	}
	*out = (unsigned char)s[0];
	return 0;
}

int
cli_layers(const char *s, size_t **n, int *count, char *err, size_t errlen)
{
	char why[ERRLEN], item[32];
	const char *p = s, *comma;
	uint64_t v;
	size_t len;
	int k = 0, cap = 1;

	for (comma = s; *comma; comma++)
		cap += *comma == ',';
	if ((*n = malloc((size_t)cap * sizeof **n)) == NULL) {
		snprintf(err, errlen, "-l: out of memory");
		return -1;
	}
	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= sizeof item) {
			snprintf(err, errlen, "-l: '%s': %s; expected sizes like 4,8,1",
			    s, len == 0 ? "empty entry" : "entry too long");
			goto fail;
		}
		memcpy(item, p, len);
		item[len] = '\0';
		if (cli_uint("-l", item, 1, MODEL_MAX_UNITS, &v, why, sizeof why) != 0) {
			snprintf(err, errlen, "-l: '%s': '%s' is not a layer size from 1 to %d", s, item, MODEL_MAX_UNITS);
			goto fail;
		}
		(*n)[k++] = (size_t)v;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*count = k;
	if (model_check_sizes(*n, k, why, sizeof why) != 0) {
		snprintf(err, errlen, "-l: '%s' %s", s, why);
		goto fail;
	}
	return 0;
fail:
	free(*n);
	*n = NULL;
	return -1;
}

int
cli_simd(const char *value, int *used, char *err, size_t errlen)
{
	int want, got;

	if (value == NULL || *value == '\0' || strcmp(value, "auto") == 0)
		want = -1;
	else if (strcmp(value, "generic") == 0)
		want = 0;
	else if (strcmp(value, "avx2") == 0)
		want = 1;
	else {
		snprintf(err, errlen, "MLP_SIMD is '%.40s'; expected auto, generic or avx2 (or unset)", value);
		return ST_USAGE;
	}
	got = kernel_simd(want);
	if (want == 1 && got != 1) {
		snprintf(err, errlen, "MLP_SIMD is 'avx2', but this CPU (or this build) has no AVX2; use auto or generic");
		return ST_USAGE;
	}
	if (used != NULL)
		*used = got;
	return 0;
}
