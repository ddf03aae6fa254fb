/*
 * libcsv with line numbers.  The input is read in large blocks and each
 * block is handed to csv_parse one physical line at a time, so when a
 * callback runs, `line` is the line being parsed: a field ends on that line,
 * and it started as many lines earlier as it holds line ends (quoted fields
 * may span lines).  A line ends in LF, CRLF or a lone CR (old Mac files), as
 * libcsv ends rows.  Not for: what the fields mean (numbers, headers,
 * labels are the callers').  Text only: a NUL byte or a UTF-16 byte order
 * mark is an error, not a field cut short.
 */
#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvread.h"
#include "number.h"
#include "status.h"

#define BLOCK 65536		/* bytes read at a time, with SCAN_PAD after them */
/*
 * libcsv grows its field buffer by a fixed step (128 bytes unless told):
 * a 1 MiB field then costs 8192 reallocations, each copying the field so
 * far.  With this step it costs 16.
 */
#define FIELD_STEP 65536
/* Fields are read by number_parse_padded. */
typedef char csv_pad_is_enough[CSV_PAD >= NUMBER_PAD ? 1 : -1];
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
	int cr_end;		/* the last bytes fed ended in a CR: a LF next is part of that line end */
	const char *blk;	/* the block being fed, and the offset of its first byte in the input */
	uint64_t base;
	uint64_t end;		/* a record starting at or after this offset is not read */
	int at_line;		/* the next byte fed starts a line */
	int ended;		/* reading stopped at end */
	uint64_t stopped;	/* where */

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
	if (size > CSV_MAX_FIELD + FIELD_STEP)
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
	p = calloc(1, bytes + CSV_PAD);
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

/*
 * The length of the well-formed UTF-8 sequence at s[0..n-1] (2 to 4 bytes:
 * no overlong form, no surrogate, nothing past U+10FFFF), or 0.
 */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, k;
	unsigned lo = 0x80, hi = 0xbf;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		lo = s[0] == 0xe0 ? 0xa0 : 0x80;
		hi = s[0] == 0xed ? 0x9f : 0xbf;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		lo = s[0] == 0xf0 ? 0x90 : 0x80;
		hi = s[0] == 0xf4 ? 0x8f : 0xbf;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (k = 2; k < len; k++)
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
	return len;
}

/*
 * Whether the UTF-8 sequence s[0..len-1] is one that can change what a
 * terminal shows: a C1 control (U+0080 to U+009F), a line or paragraph
 * separator (U+2028, U+2029), or a bidirectional override or isolate
 * (U+202A to U+202E, U+2066 to U+2069).
 */
static int
utf8_control(const unsigned char *s, size_t len)
{
	if (len == 2)
		return s[0] == 0xc2 && s[1] <= 0x9f;
	return len == 3 && s[0] == 0xe2 && ((s[1] == 0x80 && s[2] >= 0xa8 && s[2] <= 0xae) ||
	    (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9));
}

const char *
csv_show(char *buf, size_t buflen, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	char piece[20];
	size_t i = 0, o = 0, n, k, plen;

	while (i < len) {
		n = u[i] >= 0x80 ? utf8_seq(u + i, len - i) : 1;
		plen = 0;
		if (n > 1 && !utf8_control(u + i, n)) {
			memcpy(piece, s + i, n);	/* valid UTF-8 is shown as it is */
			plen = n;
		} else if (u[i] == '\n' || u[i] == '\r' || u[i] == '\t') {
			piece[0] = '\\';
			piece[1] = (char)(u[i] == '\n' ? 'n' : u[i] == '\r' ? 'r' : 't');
			plen = 2;
		} else if (u[i] < 0x20 || u[i] >= 0x7f) {
			for (k = 0; k < (n > 1 ? n : 1); k++)
				plen += (size_t)snprintf(piece + plen, sizeof piece - plen, "\\x%02x", u[i + k]);
		} else
			piece[plen++] = s[i];
		if (o + 8 >= buflen || o + plen + 4 > buflen)	/* room for the piece, "..." and the NUL */
			break;
		memcpy(buf + o, piece, plen);
		o += plen;
		i += n > 1 ? n : 1;
	}
	if (i < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* Makes room for `need` bytes in buf, and CSV_PAD more. */
static int
grow_buf(struct reader *r, size_t need)
{
	size_t c = r->bufcap ? r->bufcap : 256;
	char *q;

	need += CSV_PAD;
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

/* Line ends in s[0..len-1]: LFs, and CRs not followed by a LF. */
static long
line_ends(const char *s, size_t len)
{
	size_t k;
	long n = 0;

	for (k = 0; k < len; k++)
		n += s[k] == '\n' || (s[k] == '\r' && (k + 1 == len || s[k + 1] != '\n'));
	return n;
}

static void
on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	const char *text = s ? s : "", *nul;
	long nl;

	if (r->status != 0)
		return;
	nl = line_ends(text, len);
	if (len > CSV_MAX_FIELD) {
		snprintf(r->err, r->errlen, "%s:%ld:%zu: field longer than %d bytes", r->name, r->line - nl,
		    r->n + 1, CSV_MAX_FIELD);
		r->status = ST_DATA;
		return;
	}
	if ((nul = memchr(text, '\0', len)) != NULL) {
		snprintf(r->err, r->errlen, "%s:%ld:%zu: the field holds a NUL byte at position %zu; a CSV file is "
		    "text and holds none (is it UTF-16, or not a CSV file?)", r->name, r->line - nl, r->n + 1,
		    (size_t)(nul - text) + 1);
		r->status = ST_DATA;
		return;
	}
	if (r->n >= CSV_MAX_FIELDS) {
		snprintf(r->err, r->errlen, "%s:%ld: more than %d fields in a row", r->name, r->line, CSV_MAX_FIELDS);
		r->status = ST_DATA;
		return;
	}
	if (grow_fields(r) != 0 || grow_buf(r, r->buflen + len + 1) != 0) {
		nomem(r);
		return;
	}
	r->off[r->n] = r->buflen;
	r->len[r->n] = len;
	r->fline[r->n] = r->line - nl;
	memcpy(r->buf + r->buflen, text, len);
	r->buflen += len;
	r->buf[r->buflen++] = '\0';
	r->n++;
}

/* Hands the row of r->n fields at r->field to the callback. */
static void
deliver(struct reader *r)
{
	struct csv_row row;

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

/* libcsv's end of a row: its fields are in buf (which has room for CSV_PAD more bytes, see grow_buf). */
static void
on_row(int c, void *data)
{
	struct reader *r = data;
	size_t i;

	(void)c;
	if (r->status != 0 || r->n == 0)
		return;
	for (i = 0; i < r->n; i++)
		r->field[i] = r->buf + r->off[i];
	memset(r->buf + r->buflen, 0, CSV_PAD);
	deliver(r);
}

/*
 * Bytes that make a line take libcsv's path: quotes, the blanks libcsv trims
 * around unquoted fields, carriage returns (except the line end's), and NUL
 * (which on_field refuses).
 */
static const unsigned char slow_byte[256] = {
	['"'] = 1, [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\0'] = 1,
};

/*
 * The common line is split here rather than by libcsv, 64 bytes at a time
 * with SSE2 (every x86-64 has it): a mask has a bit for each byte of the 64
 * that matches.  Every byte of slow_byte, and the line ends, are at most
 * 0x22: one mask finds them all, and the few other bytes it finds (other
 * controls, '!') are looked at one by one.  Elsewhere (or built with
 * -DMLP_NO_SIMD), a byte at a time.
 */
#if defined(__SSE2__) && defined(__GNUC__) && !defined(MLP_NO_SIMD)
#include <emmintrin.h>
#include <stdint.h>
#define SSE2_SPLIT 1

/* The separators among the 16 bytes at p, a bit each; in *low, the bytes at most 0x22. */
static inline __attribute__((always_inline)) uint64_t
scan16(const char *p, __m128i delims, uint64_t *low)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

	*low = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_subs_epu8(v, _mm_set1_epi8(0x22)), _mm_setzero_si128()));
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, delims));
}
#endif
#define SCAN_PAD 64	/* bytes split_line may read past the data */
typedef char scan_pad_is_enough[SCAN_PAD >= CSV_PAD ? 1 : -1];	/* (the fields' pad in the block) */

/* A line being split: the fields so far, in the reader's arrays (copied here, out of reach of the byte stores). */
struct split {
	char **field;		/* r->field */
	size_t *len;		/* r->len */
	size_t n, cap;		/* fields so far, room in the arrays */
	size_t start;		/* where the field being read starts */
};

/* Puts back the separators split_line replaced with NULs; returns 0. */
static size_t
unsplit(struct reader *r, const struct split *sp)
{
	size_t k;

	for (k = 0; k < sp->n; k++)
		sp->field[k][sp->len[k]] = (char)r->delim;
	return 0;
}

/*
 * Ends the field being read at data[i], which becomes its NUL.  0, or -1
 * when out of memory.
 */
static inline int
end_field(struct reader *r, struct split *sp, char *data, size_t i)
{
	if (sp->n == sp->cap) {
		r->n = sp->n;
		if (grow_fields(r) != 0)
			return -1;
		r->n = 0;
		sp->field = r->field;
		sp->len = r->len;
		sp->cap = r->cap;
	}
	sp->field[sp->n] = data + sp->start;
	sp->len[sp->n] = i - sp->start;
	sp->n++;
	sp->start = i + 1;
	data[i] = '\0';
	return 0;
}

/*
 * Splits the common line at the start of data[0..len-1] in place and hands
 * it to the callback: between rows, ending in a line end (LF, CRLF or CR)
 * within data, not blank, no byte of slow_byte, no longer than
 * CSV_MAX_FIELD (so neither a field nor the field count can reach the
 * limits).  Each separator and the line end become the NULs ending the
 * fields, which point into data, so data[len..len+SCAN_PAD-1] must be
 * readable (which covers CSV_PAD).  libcsv would hand over exactly the texts between
 * the separators, so the row is the same (a tab separator is taken before
 * slow_byte).  Returns the length of the line with its line end, *cr_end
 * set when it ends in a CR; or 0 to let libcsv parse the line, with data as
 * it was.
 */
static size_t
split_line(struct reader *r, char *data, size_t len, int *cr_end)
{
	struct split sp;
	size_t i = 0, line, k;
	unsigned char c;
#ifdef SSE2_SPLIT
	const __m128i delims = _mm_set1_epi8((char)r->delim);
	uint64_t seps, low, before, below;
	unsigned cut;
#endif

	sp.field = r->field;
	sp.len = r->len;
	sp.n = sp.start = 0;
	sp.cap = r->cap;
#ifdef SSE2_SPLIT
	for (;;) {
		if (i >= len)
			return unsplit(r, &sp);	/* no line end in data */
		seps = scan16(data + i, delims, &low) | scan16(data + i + 16, delims, &below) << 16;
		low |= below << 16;
		seps |= scan16(data + i + 32, delims, &below) << 32;
		low |= below << 32;
		seps |= scan16(data + i + 48, delims, &below) << 48;
		low = (low | below << 48) & ~seps;
		if (len - i < 64) {	/* bytes past len are not data */
			seps &= ((uint64_t)1 << (len - i)) - 1;
			low &= ((uint64_t)1 << (len - i)) - 1;
		}
		for (;;) {
			cut = low != 0 ? (unsigned)__builtin_ctzll(low) : 64;
			before = cut < 64 ? seps & ((((uint64_t)1) << cut) - 1) : seps;
			seps ^= before;
			for (; before != 0; before &= before - 1)
				if (end_field(r, &sp, data, i + (unsigned)__builtin_ctzll(before)) != 0)
					return unsplit(r, &sp);
			if (cut == 64)
				break;
			c = (unsigned char)data[i + cut];
			if (c == '\n' || c == '\r' || slow_byte[c]) {
				i += cut;
				goto found;
			}
			low &= low - 1;	/* a control character or '!': an ordinary byte */
		}
		i += 64;
	}
found:
#else
	for (; i < len; i++) {
		c = (unsigned char)data[i];
		if (c == r->delim) {
			if (end_field(r, &sp, data, i) != 0)
				return unsplit(r, &sp);
		} else if (c == '\n' || c == '\r' || slow_byte[c])
			break;
	}
	if (i == len)
		return unsplit(r, &sp);
#endif
	/* data[i] is a line end, or a byte for libcsv */
	c = (unsigned char)data[i];
	if ((c != '\n' && c != '\r') || i == 0)
		return unsplit(r, &sp);	/* a byte for libcsv, or a blank line */
	line = i + 1 + (c == '\r' && i + 1 < len && data[i + 1] == '\n');
	if (line > CSV_MAX_FIELD || end_field(r, &sp, data, i) != 0)
		return unsplit(r, &sp);
	*cr_end = c == '\r' && line == i + 1;
	for (k = 0; k + 4 <= sp.n; k += 4)
		r->fline[k] = r->fline[k + 1] = r->fline[k + 2] = r->fline[k + 3] = r->line;
	for (; k < sp.n; k++)
		r->fline[k] = r->line;
	r->n = sp.n;
	deliver(r);
	return line;
}

/*
 * The length of the first line of data[0..len-1], its line end included
 * (LF, CRLF, or a lone CR), or len when it has none; *ended says whether it
 * has one.  (A CR is looked for only before the first LF.)
 */
static size_t
first_line(const char *data, size_t len, int *ended)
{
	const char *nl = memchr(data, '\n', len);
	const char *cr = memchr(data, '\r', nl != NULL ? (size_t)(nl - data) : len);
	const char *end = cr != NULL ? cr : nl;

	*ended = end != NULL;
	if (end == NULL)
		return len;
	if (end == cr && end + 1 < data + len && end[1] == '\n')
		end++;	/* CRLF: one line end */
	return (size_t)(end - data) + 1;
}

/*
 * Hands data[0..len-1] to the callback one line at a time, counting lines:
 * the common line split here, any other parsed by libcsv.  data[len] on
 * must have SCAN_PAD readable bytes.
 */
static int
feed(struct reader *r, struct csv_parser *p, char *data, size_t len)
{
	size_t chunk;
	int ended, cr_end;

	if (len > 0 && r->cr_end && data[0] == '\n') {	/* the LF of a CRLF split between blocks */
		if (csv_parse(p, data, 1, on_field, on_row, r) != 1 && r->status == 0)
			nomem(r);
		data++;
		len--;
	}
	r->cr_end = 0;
	while (len > 0 && r->status == 0) {
		if (r->at_line && p->pstate == CSV_ROW_NOT_BEGUN && r->base + (uint64_t)(data - r->blk) >= r->end) {
			r->ended = 1;	/* a record that starts at or past the end: the next part's */
			r->stopped = r->base + (uint64_t)(data - r->blk);
			break;
		}
		if (p->pstate == CSV_ROW_NOT_BEGUN && (chunk = split_line(r, data, len, &cr_end)) > 0) {
			r->at_line = 1;
			r->quote_line = 0;
			r->line++;
			r->cr_end = cr_end;
			data += chunk;
			len -= chunk;
			continue;
		}
		chunk = first_line(data, len, &ended);
		r->at_line = ended;
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
		if (ended) {
			r->line++;
			r->cr_end = data[chunk - 1] == '\r';
		}
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
csv_not_text(const char *b, size_t len, const char *name, char *err, size_t errlen)
{
	const char *enc = NULL, *big;

	if (len >= 2 && memcmp(b, "\x1f\x8b", 2) == 0) {
		snprintf(err, errlen, "%s: gzip-compressed data, not text: decompress it first (zcat %s | ... -)", name,
		    name);
		return ST_DATA;
	}
	if (len >= 4 && (memcmp(b, "\xff\xfe\0\0", 4) == 0 || memcmp(b, "\0\0\xfe\xff", 4) == 0))
		enc = "UTF-32";
	else if (len >= 2 && (memcmp(b, "\xff\xfe", 2) == 0 || memcmp(b, "\xfe\xff", 2) == 0))
		enc = "UTF-16";
	if (enc == NULL)
		return 0;
	big = b[0] == '\0' || b[0] == '\xfe' ? "big-endian" : "little-endian";
	snprintf(err, errlen, "%s: the file is %s (%s, it starts with a byte order mark), not UTF-8 text; "
	    "convert it first: iconv -f %s -t UTF-8 %s > %s.utf8", name, enc, big, enc, name, name);
	return ST_DATA;
}

/*
 * Up to BLOCK bytes of src from offset pos into block: fread for a stream,
 * pread for a file, a copy for memory.  Returns the count, 0 at the end,
 * or -1 with errno set.
 */
static ssize_t
fill(const struct csv_src *src, char *block, uint64_t pos)
{
	size_t n;
	ssize_t got;

	if (src->f != NULL) {
		n = fread(block, 1, BLOCK, src->f);
		return n == 0 && ferror(src->f) ? -1 : (ssize_t)n;
	}
	if (pos >= src->size)
		return 0;
	n = src->size - pos < BLOCK ? (size_t)(src->size - pos) : BLOCK;
	if (src->mem != NULL) {
		memcpy(block, src->mem + pos, n);
		return (ssize_t)n;
	}
	do
		got = pread(src->fd, block, n, (off_t)pos);
	while (got < 0 && errno == EINTR);
	return got;
}

int
csv_read_src(const struct csv_src *src, const char *name, int delim, csv_row_fn fn, void *ctx,
    const volatile sig_atomic_t *stop, struct csv_end *at, char *err, size_t errlen)
{
	struct csv_parser p;
	struct reader r;
	char *block;
	size_t skip;
	ssize_t got = 0;
	int first = src->f != NULL || src->start == 0, err_io = 0;

	memset(&r, 0, sizeof r);
	r.name = name;
	r.fn = fn;
	r.ctx = ctx;
	r.err = err;
	r.errlen = errlen;
	r.line = src->f != NULL ? 1 : src->line;
	r.base = src->f != NULL ? 0 : src->start;
	r.end = src->f != NULL ? UINT64_MAX : src->end;
	r.at_line = 1;
	if ((block = calloc(1, BLOCK + SCAN_PAD)) == NULL ||	/* (zeros: the pad is read, never used) */
	    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		free(block);
		snprintf(err, errlen, "%s: out of memory", name);
		return ST_NOMEM;
	}
	csv_set_realloc_func(&p, limited_realloc);
	csv_set_blk_size(&p, FIELD_STEP);
	csv_set_delim(&p, (unsigned char)delim);
	csv_set_space_func(&p, delim == '\t' ? is_space : delim == ' ' ? is_tab : is_blank);
	r.delim = (unsigned char)delim;
	r.blk = block;
	while (r.status == 0 && !r.ended && (got = fill(src, block, r.base)) > 0) {
		skip = 0;
		if (first && got >= 3 && memcmp(block, "\xef\xbb\xbf", 3) == 0)
			skip = 3;	/* UTF-8 byte order mark */
		if (first && (r.status = csv_not_text(block, (size_t)got, name, err, errlen)) != 0)
			break;
		first = 0;
		feed(&r, &p, block + skip, (size_t)got - skip);
		r.base += (uint64_t)got;
		if (r.status == 0)
			r.status = STOP_FLAG(stop);
	}
	if (r.status == 0 && !r.ended && got < 0)
		err_io = 1;
	if (r.status == 0)
		r.status = STOP_FLAG(stop);
	if (r.status >= ST_INTERRUPTED)
		snprintf(err, errlen, "interrupted while reading %s at line %ld", name, r.line);
	if (r.status == 0 && err_io) {
		snprintf(err, errlen, "%s:%ld: read error: %s", name, r.line, strerror(errno));
		r.status = ST_IO;
	}
	if (r.status == 0 && !r.ended && csv_fini(&p, on_field, on_row, &r) != 0 && r.status == 0) {
		if (r.quote_line == 0) {	/* opened on a last line without a newline */
			r.quote_line = r.line;
			r.quote_col = r.n + 1;
		}
		snprintf(err, errlen, "%s:%ld:%zu: quoted field never closed: the file ends inside it",
		    name, r.quote_line, r.quote_col);
		r.status = ST_DATA;
	}
	if (r.status == CSV_STOP)
		r.status = 0;
	if (at != NULL) {
		at->offset = r.ended ? r.stopped : r.base;
		at->line = r.line;
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

int
csv_read(FILE *f, const char *name, int delim, csv_row_fn fn, void *ctx,
    const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct csv_src src;

	memset(&src, 0, sizeof src);
	src.f = f;
	src.fd = -1;
	return csv_read_src(&src, name, delim, fn, ctx, stop, NULL, err, errlen);
}

int
csv_line_start(const struct csv_src *src, const char *name, uint64_t b, uint64_t *out, char *err, size_t errlen)
{
	char buf[4096];
	uint64_t pos;
	ssize_t got, k;

	if (b == 0 || b >= src->size) {
		*out = b == 0 ? 0 : src->size;
		return 0;
	}
	for (pos = b - 1; pos < src->size; pos += (uint64_t)got) {	/* the byte before each candidate */
		if (src->mem != NULL) {
			got = src->size - pos < sizeof buf ? (ssize_t)(src->size - pos) : (ssize_t)sizeof buf;
			memcpy(buf, src->mem + pos, (size_t)got);
		} else {
			do
				got = pread(src->fd, buf, sizeof buf, (off_t)pos);
			while (got < 0 && errno == EINTR);
			if (got <= 0) {
				snprintf(err, errlen, "%s: read error: %s", name, got < 0 ? strerror(errno) :
				    "the file became shorter while it was read");
				return ST_IO;
			}
		}
		for (k = 0; k < got; k++) {
			if (buf[k] == '\n') {
				*out = pos + (uint64_t)k + 1;
				return 0;
			}
			if (buf[k] != '\r')
				continue;
			if (k + 1 < got) {
				if (buf[k + 1] != '\n') {
					*out = pos + (uint64_t)k + 1;
					return 0;
				}
			} else if (pos + (uint64_t)k + 1 >= src->size) {
				*out = src->size;
				return 0;
			} else if (got > 1) {	/* a CR at the end of the buffer: look at the next byte with it */
				got = k;
				break;
			}
		}
	}
	*out = src->size;
	return 0;
}
