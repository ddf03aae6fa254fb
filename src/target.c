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

/* "'a' and 'b'", "'a', 'b' and 'c'": the labels for a message. */
static void
list_labels(char *buf, size_t buflen, char *const *labels, size_t n)
{
	char show[CSV_SHOW_LEN];
	size_t k, used = 0;

	buf[0] = '\0';
	for (k = 0; k < n && used < buflen; k++)
		used += (size_t)snprintf(buf + used, buflen - used, "%s'%s'", k == 0 ? "" : k + 1 == n ? " and " : ", ",
		    csv_show(show, sizeof show, labels[k], strlen(labels[k])));
}

int
target_read(const struct target_rule *r, const char *file, long line, size_t col, const char *f, size_t len,
    double *t, char *err, size_t errlen)
{
	char show[CSV_SHOW_LEN], labels[256];
	enum num_error e;
	size_t k;

	csv_show(show, sizeof show, f, len);
	if (r->classes != NULL) {
		for (k = 0; k < r->nclasses; k++)
			if (strlen(r->classes[k]) == len && memcmp(r->classes[k], f, len) == 0) {
				*t = (double)k;
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
