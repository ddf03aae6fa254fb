/*
 * Column lists: "id,3,5-7" split at commas, each entry looked up as a header
 * name first, then read as a number or a range of numbers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "csvread.h"

int
colspec_parse(const char *opt, const char *arg, struct colspec *cs, char *err, size_t errlen)
{
	const char *p = arg, *end;
	size_t len;

	memset(cs, 0, sizeof *cs);
	cs->opt = opt;
	cs->arg = arg;
	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == 0) {
			snprintf(err, errlen, "%s: '%s': empty entry; expected column names or numbers "
			    "like id,3,5-7", opt, arg);
			colspec_free(cs);
			return -1;
		}
		if (cs->n % 8 == 0) {
			char **t = realloc(cs->tok, (cs->n + 8) * sizeof *t);

			if (t == NULL)
				goto nomem;
			cs->tok = t;
		}
		if ((cs->tok[cs->n] = malloc(len + 1)) == NULL)
			goto nomem;
		memcpy(cs->tok[cs->n], p, len);
		cs->tok[cs->n++][len] = '\0';
		if (end == NULL)
			return 0;
		p = end + 1;
	}
nomem:
	snprintf(err, errlen, "%s: out of memory", opt);
	colspec_free(cs);
	return -1;
}

void
colspec_free(struct colspec *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		free(cs->tok[i]);
	free(cs->tok);
	cs->tok = NULL;
	cs->n = 0;
}

/* A column number 1..SIZE_MAX/2 in s[0..len-1]: digits only; 0 when it is not one. */
static size_t
number_of(const char *s, size_t len)
{
	size_t v = 0, i;

	if (len == 0 || len > 15)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (size_t)(s[i] - '0');
	}
	return v;
}

const char *
column_name(char *buf, size_t buflen, char *const *names, size_t c)
{
	char show[CSV_SHOW_LEN];

	if (names != NULL)
		snprintf(buf, buflen, "'%s'", csv_show(show, sizeof show, names[c], strlen(names[c])));
	else
		snprintf(buf, buflen, "column %zu", c + 1);
	return buf;
}

const char *
column_desc(char *buf, size_t buflen, char *const *names, size_t c)
{
	char show[CSV_SHOW_LEN];

	if (names != NULL)
		snprintf(buf, buflen, "column '%s'", csv_show(show, sizeof show, names[c], strlen(names[c])));
	else
		snprintf(buf, buflen, "column %zu", c + 1);
	return buf;
}

/* Appends column c to *idx, unless it is there already (an error). */
static int
add_column(const struct colspec *cs, char *const *names, size_t c, size_t **idx, size_t *count,
    size_t *cap, char *err, size_t errlen)
{
	char name[96];
	size_t i;

	for (i = 0; i < *count; i++)
		if ((*idx)[i] == c) {
			snprintf(err, errlen, "%s: '%s' names column %zu%s%s twice", cs->opt, cs->arg, c + 1,
			    names != NULL ? " " : "", names != NULL ? column_name(name, sizeof name, names, c) : "");
			return -1;
		}
	if (*count == *cap) {
		size_t *p = realloc(*idx, (*cap + 16) * sizeof *p);

		if (p == NULL) {
			snprintf(err, errlen, "%s: out of memory", cs->opt);
			return -1;
		}
		*idx = p;
		*cap += 16;
	}
	(*idx)[(*count)++] = c;
	return 0;
}

int
colspec_resolve(const struct colspec *cs, char *const *names, size_t ncols, const char *file,
    size_t **idx, size_t *count, char *err, size_t errlen)
{
	size_t i, c, lo, hi, cap = 0, found;
	const char *tok, *dash;

	*idx = NULL;
	*count = 0;
	for (i = 0; i < cs->n; i++) {
		tok = cs->tok[i];
		found = SIZE_MAX;
		if (names != NULL)
			for (c = 0; c < ncols; c++)
				if (strcmp(names[c], tok) == 0) {
					if (found != SIZE_MAX) {
						snprintf(err, errlen, "%s: '%s' is the name of columns %zu and %zu of %s; "
						    "give the number of the one meant", cs->opt, tok, found + 1, c + 1, file);
						goto fail;
					}
					found = c;
				}
		if (found != SIZE_MAX) {
			if (add_column(cs, names, found, idx, count, &cap, err, errlen) != 0)
				goto fail;
			continue;
		}
		lo = hi = number_of(tok, strlen(tok));
		if (lo == 0 && (dash = strchr(tok, '-')) != NULL) {
			lo = number_of(tok, (size_t)(dash - tok));
			hi = number_of(dash + 1, strlen(dash + 1));
			if (lo == 0 || hi == 0)
				lo = hi = 0;
			else if (hi < lo) {
				snprintf(err, errlen, "%s: '%s' is an empty range of columns", cs->opt, tok);
				goto fail;
			}
		}
		if (lo == 0) {
			if (names == NULL)
				snprintf(err, errlen, "%s: '%s': %s has no header line, so its columns are "
				    "given by number, from 1 to %zu", cs->opt, tok, file, ncols);
			else
				snprintf(err, errlen, "%s: %s has no column '%s'", cs->opt, file, tok);
			goto fail;
		}
		if (hi > ncols) {
			snprintf(err, errlen, "%s: '%s': %s has %zu column%s", cs->opt, tok, file, ncols,
			    ncols == 1 ? "" : "s");
			goto fail;
		}
		for (c = lo - 1; c < hi; c++)
			if (add_column(cs, names, c, idx, count, &cap, err, errlen) != 0)
				goto fail;
	}
	return 0;
fail:
	free(*idx);
	*idx = NULL;
	*count = 0;
	return -1;
}
