/*
 * Target fields: a class label of the known ones, or a number in [0, 1].
 * The one place that words what is wrong with a target.
 */
#include <stdio.h>
#include <string.h>

#include "csvread.h"
#include "number.h"
#include "status.h"
#include "target.h"

/*
 * "'a' and 'b'", "'a', 'b' and 'c'": the labels for a message; past six,
 * the first four, "...", the last and how many.
 */
static void
list_labels(char *buf, size_t buflen, char *const *labels, size_t n)
{
	char show[CSV_SHOW_LEN];
	size_t k, used = 0;

	buf[0] = '\0';
	for (k = 0; k < n && used < buflen; k++) {
		if (n > 6 && k == 4) {
			used += (size_t)snprintf(buf + used, buflen - used, ", ...");
			k = n - 2;
			continue;
		}
		used += (size_t)snprintf(buf + used, buflen - used, "%s'%s'", k == 0 ? "" : k + 1 == n ? " and " : ", ",
		    csv_show(show, sizeof show, labels[k], strlen(labels[k])));
	}
	if (n > 6 && used < buflen)
		snprintf(buf + used, buflen - used, " (%zu classes)", n);
}

int
target_label_cmp(const char *a, const char *b)
{
	double x, y;
	int na = number_parse(a, strlen(a), &x) == NUM_OK, nb = number_parse(b, strlen(b), &y) == NUM_OK;

	if (na && nb)
		return (x > y) - (x < y);
	if (na != nb)
		return na ? -1 : 1;
	return strcmp(a, b);
}

/* The class of f[0..len-1] among r's labels, or -1. */
static long
class_of(const struct target_rule *r, const char *f, size_t len)
{
	double x, y;
	int num = number_parse(f, len, &x) == NUM_OK;
	size_t k;

	for (k = 0; k < r->nclasses; k++)
		if (strlen(r->classes[k]) == len && memcmp(r->classes[k], f, len) == 0)
			return (long)k;
	for (k = 0; num && k < r->nclasses; k++)
		if (number_parse(r->classes[k], strlen(r->classes[k]), &y) == NUM_OK && x == y)
			return (long)k;
	return -1;
}

int
target_read(const struct target_rule *r, const char *file, long line, size_t col, const char *f, size_t len,
    double *t, char *err, size_t errlen)
{
	char show[CSV_SHOW_LEN], labels[256];
	enum num_error e;
	long c;

	csv_show(show, sizeof show, f, len);
	if (r->classes != NULL) {
		if ((c = class_of(r, f, len)) >= 0) {
			*t = (double)c;
			return 0;
		}
		list_labels(labels, sizeof labels, r->classes, r->nclasses);
		snprintf(err, errlen, "%s:%ld:%zu: target '%s' is not one of the classes %s of %s", file, line, col + 1,
		    show, labels, r->from);
		return ST_DATA;
	}
	if ((e = number_parse(f, len, t)) != NUM_OK) {
		snprintf(err, errlen, "%s:%ld:%zu: target '%s' %s%s", file, line, col + 1, show, number_strerror(e),
		    r->hint != NULL ? r->hint : "");
		return e == NUM_NOMEM ? ST_NOMEM : ST_DATA;
	}
	if (!(*t >= 0 && *t <= 1))
		return target_outside(file, line, col, show, err, errlen);
	return 0;
}

int
target_outside(const char *file, long line, size_t col, const char *shown, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s:%ld:%zu: target '%s' is outside [0,1]", file, line, col + 1, shown);
	return ST_DATA;
}
