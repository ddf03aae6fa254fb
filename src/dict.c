/*
 * The distinct texts of a column (dict.h): a tsearch tree for finding
 * them, an array for their order of first sight; and their bytes for the
 * other workers, which dict_merge adds up.
 */
#include <search.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "number.h"

static int
entry_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c;

	if (x->num != y->num)
		return x->num ? -1 : 1;
	if (x->num)
		return (x->value > y->value) - (x->value < y->value);
	c = memcmp(x->text, y->text, x->len < y->len ? x->len : y->len);
	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/* The entry of s[0..len-1], or a new one seen count times (NULL: out of memory; *full: d holds max). */
static struct seen *
find_or_add(struct dict *d, const char *s, size_t len, size_t max, int *full)
{
	struct seen probe, *e, **p;
	char num[NUMBER_BUFLEN];
	void *node;

	*full = 0;
	memset(&probe, 0, sizeof probe);
	probe.text = (char *)(uintptr_t)s;
	probe.len = len;
	probe.num = d->labels && number_parse(s, len, &probe.value) == NUM_OK;
	if ((node = tfind(&probe, &d->root, entry_cmp)) != NULL)
		return *(struct seen **)node;
	if (d->n >= max) {
		*full = 1;
		return NULL;
	}
	if (d->n == d->cap) {
		if ((p = realloc(d->v, (d->cap + 64) * sizeof(struct seen *))) == NULL)
			return NULL;
		d->v = p;
		d->cap += 64;
	}
	if (probe.num) {	/* a number is kept in its shortest exact form: "1.0" is the label "1" */
		number_format(num, probe.value, 0);
		s = num;
		len = strlen(num);
	}
	if ((e = calloc(1, sizeof *e)) == NULL || (e->text = malloc(len + 1)) == NULL) {
		free(e);
		return NULL;
	}
	memcpy(e->text, s, len);
	e->text[len] = '\0';
	e->len = len;
	e->num = probe.num;
	e->value = probe.value;
	e->id = d->n;
	e->line = -1;	/* not seen yet: the caller says where */
	if (tsearch(e, &d->root, entry_cmp) == NULL) {
		free(e->text);
		free(e);
		return NULL;
	}
	d->v[d->n++] = e;
	return e;
}

long
dict_id(struct dict *d, const char *s, size_t len, long line, size_t col, long row, size_t max)
{
	struct seen *e;
	int full;

	if ((e = find_or_add(d, s, len, max, &full)) == NULL)
		return full ? -2 : -1;
	if (e->line < 0) {
		e->line = line;
		e->col = col;
		e->row = row;
	}
	e->count++;
	return (long)e->id;
}

void
dict_free(struct dict *d)
{
	size_t k;

	for (k = 0; k < d->n; k++) {
		tdelete(d->v[k], &d->root, entry_cmp);
		free(d->v[k]->text);
		free(d->v[k]);
	}
	free(d->v);
	memset(d, 0, sizeof *d);
}

static int
entry_ptr_cmp(const void *a, const void *b)
{
	return entry_cmp(*(struct seen *const *)a, *(struct seen *const *)b);
}

struct seen **
dict_sorted(const struct dict *d)
{
	struct seen **v = malloc((d->n > 0 ? d->n : 1) * sizeof(struct seen *));

	if (v == NULL)
		return NULL;
	memcpy(v, d->v, d->n * sizeof(struct seen *));
	qsort(v, d->n, sizeof(struct seen *), entry_ptr_cmp);
	return v;
}

/* ---- between workers ---- */

/* What dict_pack writes of an entry, before its text. */
struct packed {
	uint64_t len, count, col;
	int64_t line, row;
};

static int
put(char **buf, size_t *len, size_t *cap, const void *p, size_t n)
{
	char *q;
	size_t c = *cap ? *cap : 256;

	if (*len + n > *cap) {
		while (c < *len + n)
			c *= 2;
		if ((q = realloc(*buf, c)) == NULL)
			return -1;
		*buf = q;
		*cap = c;
	}
	memcpy(*buf + *len, p, n);
	*len += n;
	return 0;
}

int
dict_pack(const struct dict *d, char **buf, size_t *len)
{
	uint64_t n = d->n;
	size_t cap = *len, k;	/* (*buf was sized by put: at least *len) */
	struct packed e;

	if (put(buf, len, &cap, &n, sizeof n) != 0)
		return -1;
	for (k = 0; k < d->n; k++) {
		e.len = d->v[k]->len;
		e.count = d->v[k]->count;
		e.col = d->v[k]->col;
		e.line = d->v[k]->line;
		e.row = d->v[k]->row;
		if (put(buf, len, &cap, &e, sizeof e) != 0 || put(buf, len, &cap, d->v[k]->text, d->v[k]->len) != 0)
			return -1;
	}
	return 0;
}

const char *
dict_merge(struct dict *d, const char *p, const char *end, size_t **map)
{
	struct packed e;
	struct seen *s;
	size_t *m = NULL;
	uint64_t n, k;
	int full;

	if (map != NULL)
		*map = NULL;
	if ((size_t)(end - p) < sizeof n)
		return NULL;
	memcpy(&n, p, sizeof n);
	p += sizeof n;
	if (n > (uint64_t)(end - p) / sizeof e || (map != NULL && (m = malloc((size_t)n * sizeof *m + 1)) == NULL))
		return NULL;
	for (k = 0; k < n; k++) {
		if ((size_t)(end - p) < sizeof e)
			goto fail;
		memcpy(&e, p, sizeof e);
		p += sizeof e;
		if (e.len > (uint64_t)(end - p) || (s = find_or_add(d, p, (size_t)e.len, SIZE_MAX, &full)) == NULL)
			goto fail;
		p += e.len;
		if (s->line < 0) {
			s->line = (long)e.line;
			s->col = (size_t)e.col;
			s->row = (long)e.row;
		}
		s->count += (size_t)e.count;
		if (m != NULL)
			m[k] = s->id;
	}
	if (map != NULL)
		*map = m;
	return p;
fail:
	free(m);
	return NULL;
}
