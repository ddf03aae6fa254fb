/*
 * Column lists: "id,3,5-7" split at commas, each entry looked up as a header
 * name first, then read as a number or a range of numbers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "columns.h"
#include "csvread.h"

/* Appends entry s[0..len-1] (quoted or not) to cs; -1 when out of memory. */
static int
add_entry(struct colspec *cs, const char *s, size_t len, int quoted)
{
	char **t;
	unsigned char *q;

	if (cs->n % 8 == 0) {
		if ((t = realloc(cs->tok, (cs->n + 8) * sizeof *t)) == NULL)
			return -1;
		cs->tok = t;
		if ((q = realloc(cs->quoted, cs->n + 8)) == NULL)
			return -1;
		cs->quoted = q;
	}
	if ((cs->tok[cs->n] = malloc(len + 1)) == NULL)
		return -1;
	memcpy(cs->tok[cs->n], s, len);
	cs->tok[cs->n][len] = '\0';
	cs->quoted[cs->n++] = (unsigned char)quoted;
	return 0;
}

/* A quoted entry at p (after its opening quote): its text, unquoted, into buf; the end in *end. */
static int
unquote(const char *p, char *buf, size_t *len, const char **end)
{
	size_t n = 0;

	for (;; p++) {
		if (*p == '\0')
			return -1;
		if (*p == '"') {
			if (p[1] != '"')
				break;
			p++;
		}
		buf[n++] = *p;
	}
	*len = n;
	*end = p + 1;
	return **end == ',' || **end == '\0' ? 0 : -1;
}

int
colspec_parse(const char *opt, const char *arg, struct colspec *cs, char *err, size_t errlen)
{
	const char *p = arg, *end;
	char *buf;
	size_t len;
	int quoted;

	memset(cs, 0, sizeof *cs);
	cs->opt = opt;
	cs->arg = arg;
	if ((buf = malloc(strlen(arg) + 1)) == NULL)
		goto nomem;
	for (;;) {
		if ((quoted = *p == '"') != 0) {
			if (unquote(p + 1, buf, &len, &end) != 0) {
				snprintf(err, errlen, "%s: '%s': a quoted name must end in a quote before the next comma "
				    "(a quote inside doubled, as in CSV)", opt, arg);
				goto fail;
			}
		} else {
			end = strchr(p, ',');
			len = end != NULL ? (size_t)(end - p) : strlen(p);
			memcpy(buf, p, len);
			if (end == NULL)
				end = p + len;
		}
		if (len == 0 && !quoted) {
			snprintf(err, errlen, "%s: '%s': empty entry; expected column names or numbers "
			    "like id,3,5-7", opt, arg);
			goto fail;
		}
		if (add_entry(cs, buf, len, quoted) != 0)
			goto nomem;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	free(buf);
	return 0;
nomem:
	snprintf(err, errlen, "%s: out of memory", opt);
fail:
	free(buf);
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
	free(cs->quoted);
	cs->tok = NULL;
	cs->quoted = NULL;
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

/* The edit distance of a and b (insertions, deletions, substitutions), or a large number past 64 bytes. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[65], i, j, prev, cur;

	if (la > 64 || lb > 64)
		return SIZE_MAX / 2;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = d[j];
			d[j] = a[i - 1] == b[j - 1] ? prev : 1 + (prev < d[j] ? (prev < d[j - 1] ? prev : d[j - 1]) :
			    (d[j] < d[j - 1] ? d[j] : d[j - 1]));
			prev = cur;
		}
	}
	return d[lb];
}

/*
 * "-t: d.csv has no column 'Idd'; did you mean 'id'?": the same name in
 * another case, else the closest one (a third of its length off at most),
 * else the first of the header's names.
 */
static void
no_such_name(const struct colspec *cs, char *const *names, size_t ncols, const char *file, const char *tok,
    char *err, size_t errlen)
{
	char show[CSV_SHOW_LEN], hint[CSV_SHOW_LEN * 9 + 64];
	size_t c, best = SIZE_MAX, bestd = strlen(tok) / 3 + 1, dd, used;

	for (c = 0; c < ncols && best == SIZE_MAX; c++)
		if (strcasecmp(names[c], tok) == 0)
			best = c;
	for (c = 0; c < ncols && best == SIZE_MAX && ncols <= 10000; c++)
		if ((dd = distance(names[c], tok)) < bestd) {
			bestd = dd;
			best = c;
		}
	if (best != SIZE_MAX)
		snprintf(hint, sizeof hint, "; did you mean '%s'?", csv_show(show, sizeof show, names[best],
		    strlen(names[best])));
	else {
		used = (size_t)snprintf(hint, sizeof hint, "; its columns are");
		for (c = 0; c < ncols && c < 8 && used < sizeof hint; c++)
			used += (size_t)snprintf(hint + used, sizeof hint - used, "%s '%s'", c ? "," : "",
			    csv_show(show, sizeof show, names[c], strlen(names[c])));
		if (ncols > 8 && used < sizeof hint)
			snprintf(hint + used, sizeof hint - used, ", ... (%zu in all)", ncols);
	}
	snprintf(err, errlen, "%s: %s has no column '%s'%s", cs->opt, file, csv_show(show, sizeof show, tok,
	    strlen(tok)), hint);
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
		lo = hi = cs->quoted != NULL && cs->quoted[i] ? 0 : number_of(tok, strlen(tok));
		if (lo == 0 && !(cs->quoted != NULL && cs->quoted[i]) && (dash = strchr(tok, '-')) != NULL) {
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
				no_such_name(cs, names, ncols, file, tok, err, errlen);
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
