/*
 * libcsv with line numbers.  The input is read in large blocks and each
 * block is handed to csv_parse one physical line at a time, so when a
 * callback runs, `line` is the line being parsed: a field ends on that line,
 * and it started as many lines earlier as it holds newlines (quoted fields
 * may span lines).
 */
#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "number.h"
#include "status.h"

#define BLOCK 65536
#define CSV_ROW_NOT_BEGUN 0	/* libcsv's pstate between rows (csv.h leaves these unnamed) */
#define CSV_FIELD_BEGUN 2	/* libcsv's pstate inside a field */

struct reader {
	const char *name;
	csv_row_fn fn;
	void *ctx;
	char *err;
	size_t errlen;
	int status;		/* first failure; callbacks do nothing once set */
	long line;		/* physical line being parsed, from 1 */
	unsigned char delim;	/* the field separator */
	long quote_line;	/* where the quoted field still open at a line end began, or 0 */
	size_t quote_col;

	/* the row being assembled: texts packed in buf, offsets in off */
	char *buf;
	size_t buflen, bufcap;
	size_t *off, *len;
	long *fline;
	char **field;
	size_t n, cap;
	long rows;
};

/*
 * libcsv grows its field buffer through this: refusing to go past
 * CSV_MAX_FIELD turns a field of gigabytes into an error, not an
 * out-of-memory kill.
 */
static void *
limited_realloc(void *p, size_t size)
{
	if (size > CSV_MAX_FIELD + 1024)
		return NULL;
	return realloc(p, size);
}

int
csv_is_missing(const char *s, size_t len)
{
	static const char *const words[] = { "na", "n/a", "nan", "null", "none", "?" };
	size_t i, k;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (len > 0 && *s != '?' && (*s | 0x20) != 'n')	/* every word starts so: numbers leave here */
		return 0;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0)
		return 1;
	for (k = 0; k < sizeof words / sizeof words[0]; k++) {
		if (strlen(words[k]) != len)
			continue;
		for (i = 0; i < len; i++)
			if ((s[i] | 0x20) != words[k][i] && s[i] != words[k][i])
				break;
		if (i == len)
			return 1;
	}
	return 0;
}

/* Text: a field that is neither a number nor a missing value. */
static int
is_text(const struct csv_row *row, size_t i)
{
	double v;

	return number_parse(row->field[i], row->len[i], &v) != NUM_OK &&
	    !csv_is_missing(row->field[i], row->len[i]);
}

int
csv_is_header(const struct csv_row *row, const struct csv_row *next, int rule)
{
	size_t i;
	double v;

	if (rule != CSV_HEADER_GUESS)
		return rule;
	for (i = 0; i < row->n; i++) {
		if (next == NULL) {
			if (number_parse(row->field[i], row->len[i], &v) != NUM_OK)
				return 1;
		} else if (i < next->n && is_text(row, i) &&
		    number_parse(next->field[i], next->len[i], &v) == NUM_OK)
			return 1;
	}
	return 0;
}

const char *
csv_one_column_hint(const struct csv_row *row, int delim)
{
	const char *s = row->field[0];
	size_t len = row->len[0];

	if (row->n != 1)
		return NULL;
	if (len >= 2 && (unsigned char)s[0] == 0x1f && (unsigned char)s[1] == 0x8b)
		return "gzip-compressed data, not CSV text: decompress it first (zcat FILE | ... -)";
	if (delim != '\t' && memchr(s, '\t', len) != NULL)
		return "one column per row, and tabs inside: a tab-separated file? give -d tab";
	if (delim != ';' && memchr(s, ';', len) != NULL)
		return "one column per row, and semicolons inside: give -d ';'";
	if (delim != '|' && memchr(s, '|', len) != NULL)
		return "one column per row, and bars inside: give -d '|'";
	return NULL;
}

struct csv_row *
csv_row_dup(const struct csv_row *row)
{
	struct csv_row *c;
	size_t i, bytes = 0;
	char *p;

	for (i = 0; i < row->n; i++)
		bytes += row->len[i] + 1;
	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	c->n = row->n;
	c->number = row->number;
	c->field = malloc((row->n ? row->n : 1) * sizeof *c->field);
	c->len = malloc((row->n ? row->n : 1) * sizeof *c->len);
	c->line = malloc((row->n ? row->n : 1) * sizeof *c->line);
	p = malloc(bytes ? bytes : 1);
	if (c->field == NULL || c->len == NULL || c->line == NULL || p == NULL) {
		free(p);
		c->n = 0;	/* no texts to free */
		csv_row_free(c);
		return NULL;
	}
	for (i = 0; i < row->n; i++) {
		c->field[i] = p;
		c->len[i] = row->len[i];
		c->line[i] = row->line[i];
		memcpy(p, row->field[i], row->len[i]);
		p[row->len[i]] = '\0';
		p += row->len[i] + 1;
	}
	if (row->n == 0)
		free(p);
	return c;
}

void
csv_row_free(struct csv_row *row)
{
	if (row == NULL)
		return;
	if (row->n > 0 && row->field != NULL)
		free(row->field[0]);
	free(row->field);
	free(row->len);
	free(row->line);
	free(row);
}

const char *
csv_show(char *buf, size_t buflen, const char *s, size_t len)
{
	size_t i, o = 0;
	unsigned char c;

	for (i = 0; i < len && o + 8 < buflen; i++) {
		c = (unsigned char)s[i];
		if (c == '\n' || c == '\r' || c == '\t') {
			buf[o++] = '\\';
			buf[o++] = (char)(c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		} else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, buflen - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	if (i < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* Makes room for `need` bytes in buf. */
static int
grow_buf(struct reader *r, size_t need)
{
	size_t c = r->bufcap ? r->bufcap : 256;
	char *q;

	if (need <= r->bufcap)
		return 0;
	while (c < need)
		c *= 2;
	if ((q = realloc(r->buf, c)) == NULL)
		return -1;
	r->buf = q;
	r->bufcap = c;
	return 0;
}

/* Makes room for one more field in the per-field arrays. */
static int
grow_fields(struct reader *r)
{
	size_t c = r->cap ? 2 * r->cap : 16;
	void *p;

	if (r->n < r->cap)
		return 0;
	if ((p = realloc(r->off, c * sizeof *r->off)) == NULL)
		return -1;
	r->off = p;
	if ((p = realloc(r->len, c * sizeof *r->len)) == NULL)
		return -1;
	r->len = p;
	if ((p = realloc(r->fline, c * sizeof *r->fline)) == NULL)
		return -1;
	r->fline = p;
	if ((p = realloc(r->field, c * sizeof *r->field)) == NULL)
		return -1;
	r->field = p;
	r->cap = c;
	return 0;
}

static void
nomem(struct reader *r)
{
	if (r->status == 0) {
		snprintf(r->err, r->errlen, "%s:%ld: out of memory", r->name, r->line);
		r->status = ST_NOMEM;
	}
}

static void
on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	const char *text = s ? s : "";
	size_t k, nl = 0;

	if (r->status != 0)
		return;
	if (r->n >= CSV_MAX_FIELDS) {
		snprintf(r->err, r->errlen, "%s:%ld: more than %d fields in a row", r->name, r->line, CSV_MAX_FIELDS);
		r->status = ST_DATA;
		return;
	}
	if (grow_fields(r) != 0 || grow_buf(r, r->buflen + len + 1) != 0) {
		nomem(r);
		return;
	}
	for (k = 0; k < len; k++)
		nl += text[k] == '\n';
	r->off[r->n] = r->buflen;
	r->len[r->n] = len;
	r->fline[r->n] = r->line - (long)nl;
	memcpy(r->buf + r->buflen, text, len);
	r->buflen += len;
	r->buf[r->buflen++] = '\0';
	r->n++;
}

static void
on_row(int c, void *data)
{
	struct reader *r = data;
	struct csv_row row;
	size_t i;

	(void)c;
	if (r->status != 0 || r->n == 0)
		return;
	for (i = 0; i < r->n; i++)
		r->field[i] = r->buf + r->off[i];
	r->rows++;
	row.n = r->n;
	row.field = r->field;
	row.len = r->len;
	row.line = r->fline;
	row.number = r->rows;
	r->status = r->fn(r->ctx, &row, r->err, r->errlen);
	r->n = 0;
	r->buflen = 0;
}

/*
 * Bytes that make a line take libcsv's path: quotes, the blanks libcsv trims
 * around unquoted fields, and carriage returns (except one just before the
 * newline, which ends the row as libcsv ends it).
 */
static const unsigned char slow_byte[256] = {
	['"'] = 1, [' '] = 1, ['\t'] = 1, ['\r'] = 1,
};

/*
 * The common line, split here rather than by libcsv: between rows, ending in
 * a newline, not blank, no byte of slow_byte, no longer than CSV_MAX_FIELD
 * (so neither a field nor the field count can reach the limits).  libcsv
 * would hand over exactly the texts between the separators, so the row is
 * the same (a tab separator is checked before slow_byte).  Returns 1 when done (the row was handed to the callback), 0 to let
 * libcsv parse the line, with nothing changed.
 */
static int
fast_line(struct reader *r, const char *data, size_t len)
{
	size_t end = len - 1, i, start = 0;	/* data[end] == '\n' */
	char *b;

	if (end > 0 && data[end - 1] == '\r')
		end--;
	if (end == 0 || len > CSV_MAX_FIELD || grow_buf(r, end + 1) != 0 || r->buf == NULL)
		return 0;
	b = r->buf;
	memcpy(b, data, end);
	b[end] = '\0';
	for (i = 0; i <= end; i++) {
		unsigned char c = (unsigned char)b[i];

		if (c == r->delim || i == end) {
			if (r->n >= r->cap && grow_fields(r) != 0) {
				r->n = 0;
				return 0;
			}
			b[i] = '\0';
			r->off[r->n] = start;
			r->len[r->n] = i - start;
			r->fline[r->n] = r->line;
			r->n++;
			start = i + 1;
		} else if (slow_byte[c]) {
			r->n = 0;
			return 0;
		}
	}
	r->buflen = end + 1;
	on_row(0, r);
	return 1;
}

/* Hands data[0..len-1] to libcsv one line at a time, counting lines. */
static int
feed(struct reader *r, struct csv_parser *p, const char *data, size_t len)
{
	const char *nl;
	size_t chunk;

	while (len > 0 && r->status == 0) {
		nl = memchr(data, '\n', len);
		chunk = nl ? (size_t)(nl - data) + 1 : len;
		if (nl && p->pstate == CSV_ROW_NOT_BEGUN && fast_line(r, data, chunk)) {
			r->quote_line = 0;
			r->line++;
			data += chunk;
			len -= chunk;
			continue;
		}
		if (csv_parse(p, data, chunk, on_field, on_row, r) != chunk) {
			if (r->status != 0)
				break;
			if (csv_get_buffer_size(p) >= CSV_MAX_FIELD) {
				snprintf(r->err, r->errlen, "%s:%ld:%zu: field longer than %d bytes", r->name, r->line,
				    r->n + 1, CSV_MAX_FIELD);
				r->status = ST_DATA;
			} else if (csv_error(p) == CSV_ENOMEM || csv_error(p) == CSV_ETOOBIG)
				nomem(r);
			else {
				snprintf(r->err, r->errlen, "%s:%ld:%zu: malformed quoting: a quote inside an unquoted field, "
				    "or text after a closing quote", r->name, r->line, r->n + 1);
				r->status = ST_DATA;
			}
			break;
		}
		/*
		 * libcsv's parser state is public: a quoted field still open at
		 * the end of this line began on it, unless it was open before.
		 */
		if (p->pstate == CSV_FIELD_BEGUN && p->quoted) {
			if (r->quote_line == 0) {
				r->quote_line = r->line;
				r->quote_col = r->n + 1;
			}
		} else
			r->quote_line = 0;
		if (nl)
			r->line++;
		data += chunk;
		len -= chunk;
	}
	return r->status;
}

/* The blanks libcsv trims around unquoted fields: spaces and tabs, unless they separate fields. */
static int
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int
is_space(unsigned char c)
{
	return c == ' ';
}

static int
is_tab(unsigned char c)
{
	return c == '\t';
}

int
csv_read(FILE *f, const char *name, int delim, csv_row_fn fn, void *ctx,
    const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct csv_parser p;
	struct reader r;
	char *block;
	size_t got, skip;
	int first = 1;

	memset(&r, 0, sizeof r);
	r.name = name;
	r.fn = fn;
	r.ctx = ctx;
	r.err = err;
	r.errlen = errlen;
	r.line = 1;
	if ((block = malloc(BLOCK)) == NULL ||
	    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		free(block);
		snprintf(err, errlen, "%s: out of memory", name);
		return ST_NOMEM;
	}
	csv_set_realloc_func(&p, limited_realloc);
	csv_set_delim(&p, (unsigned char)delim);
	csv_set_space_func(&p, delim == '\t' ? is_space : delim == ' ' ? is_tab : is_blank);
	r.delim = (unsigned char)delim;
	while (r.status == 0 && (got = fread(block, 1, BLOCK, f)) > 0) {
		skip = 0;
		if (first && got >= 3 && memcmp(block, "\xef\xbb\xbf", 3) == 0)
			skip = 3;	/* UTF-8 byte order mark */
		first = 0;
		feed(&r, &p, block + skip, got - skip);
		if (r.status == 0 && stop != NULL && *stop)
			r.status = *stop;
	}
	if (r.status == 0 && stop != NULL && *stop)
		r.status = *stop;
	if (r.status >= ST_INTERRUPTED)
		snprintf(err, errlen, "interrupted while reading %s at line %ld", name, r.line);
	if (r.status == 0 && ferror(f)) {
		snprintf(err, errlen, "%s:%ld: read error: %s", name, r.line, strerror(errno));
		r.status = ST_IO;
	}
	if (r.status == 0 && csv_fini(&p, on_field, on_row, &r) != 0 && r.status == 0) {
		if (r.quote_line == 0) {	/* opened on a last line without a newline */
			r.quote_line = r.line;
			r.quote_col = r.n + 1;
		}
		snprintf(err, errlen, "%s:%ld:%zu: quoted field never closed: the file ends inside it",
		    name, r.quote_line, r.quote_col);
		r.status = ST_DATA;
	}
	csv_free(&p);
	free(block);
	free(r.buf);
	free(r.off);
	free(r.len);
	free(r.fline);
	free(r.field);
	return r.status;
}
