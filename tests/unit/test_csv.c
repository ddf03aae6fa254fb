/* CSV reading: fields, quoting, line numbers, line ends, errors. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "csvread.h"
#include "status.h"

/* Records every row as "line:field|line:field|...;" in a buffer. */
struct log {
	char text[1024];
	int fail_at;		/* row number on which to return ST_DATA, or 0 */
};

static int
record(void *ctx, const struct csv_row *row, char *err, size_t errlen)
{
	struct log *lg = ctx;
	size_t i, used;

	for (i = 0; i < row->n; i++) {
		used = strlen(lg->text);
		snprintf(lg->text + used, sizeof lg->text - used, "%s%ld:%s", i ? "|" : "", row->line[i], row->field[i]);
	}
	used = strlen(lg->text);
	snprintf(lg->text + used, sizeof lg->text - used, ";");
	if (row->number == lg->fail_at) {
		snprintf(err, errlen, "stop at row %ld", row->number);
		return ST_DATA;
	}
	return 0;
}

struct counts {
	size_t rows, first;
	long line2;
};

static int
count_fields(void *ctx, const struct csv_row *row, char *err, size_t errlen)
{
	struct counts *c = ctx;

	(void)err;
	(void)errlen;
	if (++c->rows == 1)
		c->first = row->n;
	else
		c->line2 = row->line[0];
	return 0;
}

static int delim = ',';

static int
read_mem(const char *s, size_t len, struct log *lg, char *err, size_t errlen)
{
	FILE *f = fmemopen((void *)s, len, "r");
	int st;

	lg->text[0] = '\0';
	st = csv_read(f, "t.csv", delim, record, lg, NULL, err, errlen);
	fclose(f);
	return st;
}

static int
read_str(const char *s, struct log *lg, char *err, size_t errlen)
{
	return read_mem(s, strlen(s), lg, err, errlen);
}

/* A growing text. */
struct text {
	char *s;
	size_t len, cap;
};

static void
put(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = 2 * (t->len + n + 1);
		t->s = realloc(t->s, t->cap);
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void
putc_t(struct text *t, char c)
{
	put(t, &c, 1);
}

/* The rows as "line:length:text" for each field, ';' after each row. */
static int
log_rows(void *ctx, const struct csv_row *row, char *err, size_t errlen)
{
	struct text *t = ctx;
	char head[64];
	size_t i;

	(void)err;
	(void)errlen;
	for (i = 0; i < row->n; i++) {
		snprintf(head, sizeof head, "%ld:%zu:", row->line[i], row->len[i]);
		put(t, head, strlen(head));
		put(t, row->field[i], row->len[i]);
		if (row->field[i][row->len[i]] != '\0')
			put(t, "<no NUL>", 8);
	}
	putc_t(t, ';');
	return 0;
}

static uint64_t
next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Appends line end e to csv (and to val, when not NULL), never as the LF
 * of a CRLF: after a CR, "\n" becomes "\r\n", so that each line end
 * written is one.
 */
static void
put_end(struct text *csv, struct text *val, const char *e)
{
	if (e[0] == '\n' && csv->len > 0 && csv->s[csv->len - 1] == '\r')
		e = "\r\n";
	put(csv, e, strlen(e));
	if (val != NULL)
		put(val, e, strlen(e));
}

/*
 * A random CSV file of about `bytes` bytes separated by d into csv, and
 * into want the rows csv_read must give, as log_rows writes them: plain
 * fields (numbers, text, control characters, blanks inside, blanks around
 * that libcsv trims), quoted ones (separators, quotes, line ends inside,
 * blanks around), empty ones; lines ending in LF, CRLF or CR, blank lines
 * between rows; mostly plain rows (split without libcsv), some longer than
 * a read block.
 */
static void
random_csv(uint64_t *st, char d, size_t bytes, struct text *csv, struct text *want)
{
	static const char plain[] = "abc0123456789.-+e!\x01\x1f";
	static const char *const ends[] = { "\n", "\r\n", "\r" };
	const char *blank = d == '\t' ? " " : " \t";
	struct text val = { NULL, 0, 0 };
	long line = 1, first;
	char head[64], c;
	size_t nf, k, n, j;
	uint64_t u;

	while (csv->len < bytes) {
		u = next(st);
		nf = u % 8 == 0 ? 1 : 1 + (u >> 8) % 40;
		if (u % 97 == 0)
			nf = 20000;	/* a row longer than a block */
		for (k = 0; k < nf; k++) {
			if (k > 0)
				putc_t(csv, d);
			u = next(st);
			n = (u >> 8) % 12;
			val.len = 0;
			put(&val, "", 0);
			first = line;
			if (u % 16 == 0) {	/* quoted, blanks around */
				if (u & 0x10000)
					putc_t(csv, blank[(u >> 17) % strlen(blank)]);
				putc_t(csv, '"');
				for (j = 0; j < n; j++) {
					u = next(st);
					c = plain[(u >> 8) % (sizeof plain - 1)];
					if (u % 8 == 0) {
						put(csv, "\"\"", 2);
						putc_t(&val, '"');
					} else if (u % 8 == 1) {
						put_end(csv, &val, ends[(u >> 8) % 3]);
						line++;
					} else {
						putc_t(csv, u % 8 == 2 ? d : c);
						putc_t(&val, u % 8 == 2 ? d : c);
					}
				}
				putc_t(csv, '"');
				if (u & 0x20000)
					putc_t(csv, ' ');
			} else {
				if (n == 0 && nf == 1)
					n = 1;	/* (a line of one empty field is a blank line) */
				if (u % 16 == 1 && n > 0)	/* blanks libcsv trims */
					putc_t(csv, blank[(u >> 20) % strlen(blank)]);
				for (j = 0; j < n; j++) {
					u = next(st);
					c = plain[(u >> 8) % (sizeof plain - 1)];
					if (u % 23 == 0 && j > 0 && j + 1 < n)
						c = ' ';	/* kept, inside */
					putc_t(csv, c);
					putc_t(&val, c);
				}
				if (u % 16 == 2 && n > 0)
					putc_t(csv, ' ');
			}
			snprintf(head, sizeof head, "%ld:%zu:", first, val.len);
			put(want, head, strlen(head));
			put(want, val.s, val.len);
		}
		putc_t(want, ';');
		u = next(st);
		put_end(csv, NULL, ends[u % 3]);
		line++;
		if (u % 11 == 0) {
			put_end(csv, NULL, ends[(u >> 8) % 3]);	/* a blank line */
			line++;
		}
	}
	free(val.s);
}

/*
 * csv_read against the rows the file was made of, on random files read by
 * both paths (lines split here, lines libcsv parses) and across read
 * blocks, with four separators, half of them without a line end at the
 * end.
 */
static void
random_files_read_right(void)
{
	static const char seps[] = { ',', ';', '\t', '|' };
	struct text csv = { NULL, 0, 0 }, want = { NULL, 0, 0 }, got = { NULL, 0, 0 };
	uint64_t st = 20261130;
	size_t i, bad = 0;
	char err[256];
	FILE *f;

	for (i = 0; i < 24; i++) {
		csv.len = want.len = got.len = 0;
		put(&got, "", 0);
		random_csv(&st, seps[i % 4], i < 20 ? 20000 : 300000, &csv, &want);
		while (i % 2 == 1 && (csv.s[csv.len - 1] == '\n' || csv.s[csv.len - 1] == '\r'))
			csv.len--;	/* no line end at the end, after a block's worth of other bytes */
		f = fmemopen(csv.s, csv.len, "r");
		if (f == NULL || csv_read(f, "r.csv", seps[i % 4], log_rows, &got, NULL, err, sizeof err) != 0 ||
		    strcmp(got.s, want.s) != 0) {
			if (bad++ == 0)
				fprintf(stderr, "random file %zu read wrong (%s)\n", i, f == NULL ? "fmemopen" : err);
		}
		if (f != NULL)
			fclose(f);
	}
	CHECK_MSG(bad == 0, "%zu of 24 random files read wrong", bad);
	free(csv.s);
	free(want.s);
	free(got.s);
}

int
main(void)
{
	struct log lg = { "", 0 };
	struct counts counted = { 0, 0, 0 };
	char err[256];

	CHECK(read_str("a,b\n1,2\n", &lg, err, sizeof err) == 0);
	CHECK_STR(lg.text, "1:a|1:b;2:1|2:2;");
	/* no newline at the end, spaces around unquoted fields dropped */
	CHECK(read_str("a , b\n 1,2 ", &lg, err, sizeof err) == 0);
	CHECK_STR(lg.text, "1:a|1:b;2:1|2:2;");
	/* CRLF, blank lines counted, BOM skipped */
	CHECK(read_str("\xef\xbb\xbfx,y\r\n\r\n1,2\r\n\n\n3,4\r\n", &lg, err, sizeof err) == 0);
	CHECK_STR(lg.text, "1:x|1:y;3:1|3:2;6:3|6:4;");
	/* quoted fields with delimiters, quotes and a newline inside; lines still right after it */
	CHECK(read_str("\"a,b\",\"say \"\"hi\"\"\"\n\"two\nlines\",x\n5,6\n", &lg, err, sizeof err) == 0);
	CHECK_STR(lg.text, "1:a,b|1:say \"hi\";2:two\nlines|3:x;4:5|4:6;");
	/* empty fields are fields */
	CHECK(read_str("1,,3\n", &lg, err, sizeof err) == 0);
	CHECK_STR(lg.text, "1:1|1:|1:3;");
	/* a callback's status stops the reading */
	lg.fail_at = 2;
	CHECK(read_str("1\n2\n3\n", &lg, err, sizeof err) == ST_DATA);
	CHECK_STR(lg.text, "1:1;2:2;");
	CHECK_STR(err, "stop at row 2");
	lg.fail_at = 0;
	/* malformed quoting names the line */
	CHECK(read_str("1,2\n3,4\"x\n", &lg, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "t.csv:2:2: malformed quoting: a quote inside an unquoted field, or text after a closing quote");
	CHECK(read_str("1,2\n\"3\"x,4\n", &lg, err, sizeof err) == ST_DATA);
	CHECK(strncmp(err, "t.csv:2:1: malformed quoting", 28) == 0);
	CHECK(read_str("1,2\n\n\"3,4\n5,6\n", &lg, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "t.csv:3:1: quoted field never closed: the file ends inside it");
	/* the line and column where the unclosed quote opens, not where the file ends */
	CHECK(read_str("a,b\n1,\"x\n\n2,3\n", &lg, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "t.csv:2:2: quoted field never closed: the file ends inside it");
	CHECK(read_str("a,b\n1,\"x", &lg, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "t.csv:2:2: quoted field never closed: the file ends inside it");
	/* a quoted field that closes on a later line resets the tracking */
	CHECK(read_str("\"a\nb\",c\n1,\"2", &lg, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "t.csv:3:2: quoted field never closed: the file ends inside it");
	/* fields shown in messages stay on one line */
	{
		char show[CSV_SHOW_LEN];

		CHECK_STR(csv_show(show, sizeof show, "a\nb\tc\x01", 6), "a\\nb\\tc\\x01");
		CHECK_STR(csv_show(show, 12, "0123456789abcdef", 16), "0123...");
		/* valid UTF-8 as it is; other bytes >= 0x80, C1 controls and bidi overrides escaped */
		CHECK_STR(csv_show(show, sizeof show, "caf\xc3\xa9 \xe2\x82\xac", 9), "caf\xc3\xa9 \xe2\x82\xac");
		CHECK_STR(csv_show(show, sizeof show, "a\xff\xc3(\x7f", 5), "a\\xff\\xc3(\\x7f");
		CHECK_STR(csv_show(show, sizeof show, "\xc2\x9b[2J", 5), "\\xc2\\x9b[2J");
		CHECK_STR(csv_show(show, sizeof show, "x\xe2\x80\xaey", 5), "x\\xe2\\x80\\xaey");
		CHECK_STR(csv_show(show, sizeof show, "\xed\xa0\x80\xc0\xaf", 5), "\\xed\\xa0\\x80\\xc0\\xaf");
		CHECK_STR(csv_show(show, sizeof show, "\xf0\x9f\x98\x80\xf0\x9f", 6), "\xf0\x9f\x98\x80\\xf0\\x9f");
		CHECK_STR(csv_show(show, 12, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 8), "\xc3\xa9\xc3\xa9...");
	}
	/* line ends: LF, CRLF and a lone CR each end one line, inside quotes too */
	CHECK(read_str("a,b\r1,2\r\r3,4\r", &lg, err, sizeof err) == 0);
	CHECK_STR(lg.text, "1:a|1:b;2:1|2:2;4:3|4:4;");
	CHECK(read_str("a,b\r\n1,2\n3,4\r5,6", &lg, err, sizeof err) == 0);
	CHECK_STR(lg.text, "1:a|1:b;2:1|2:2;3:3|3:4;4:5|4:6;");
	CHECK(read_str("\"a\rb\",c\r1,2\r", &lg, err, sizeof err) == 0);
	CHECK_STR(lg.text, "1:a\rb|2:c;3:1|3:2;");
	CHECK(read_str("a,b\r1,x\"\r", &lg, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "t.csv:2:2: malformed quoting: a quote inside an unquoted field, or text after a closing quote");
	/* a CRLF split between two read blocks is one line end */
	{
		size_t n = 65536, i;
		char *big = malloc(n + 16);
		struct counts split = { 0, 0, 0 };
		FILE *f;

		for (i = 0; i + 1 < n; i++)
			big[i] = i % 2 ? ',' : '1';
		big[n - 2] = '1';
		big[n - 1] = '\r';	/* the last byte of the first block */
		strcpy(big + n, "\n2\r\n");
		f = fmemopen(big, n + 4, "r");
		CHECK(csv_read(f, "big.csv", ',', count_fields, &split, NULL, err, sizeof err) == 0);
		fclose(f);
		CHECK(split.rows == 2 && split.line2 == 2);
		free(big);
	}
	/* NUL bytes: refused with the field's line, column and the byte's position */
	CHECK(read_mem("a,b\n1,x\0y\n", 10, &lg, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "t.csv:2:2: the field holds a NUL byte at position 2; a CSV file is text and holds none "
	    "(is it UTF-16, or not a CSV file?)");
	CHECK(read_mem("\"a\nb\0\",c\n", 10, &lg, err, sizeof err) == ST_DATA);
	CHECK(strncmp(err, "t.csv:1:1: the field holds a NUL byte at position 4;", 52) == 0);
	/* UTF-16 and UTF-32: the byte order mark says so */
	CHECK(read_mem("\xff\xfe" "a\0\n\0", 6, &lg, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "t.csv: the file is UTF-16 (little-endian, it starts with a byte order mark), not UTF-8 text; "
	    "convert it first: iconv -f UTF-16 -t UTF-8 t.csv > t.csv.utf8");
	CHECK(read_mem("\xfe\xff\0a", 4, &lg, err, sizeof err) == ST_DATA && strstr(err, "UTF-16 (big-endian") != NULL);
	CHECK(read_mem("\xff\xfe\0\0a\0\0\0", 8, &lg, err, sizeof err) == ST_DATA && strstr(err, "iconv -f UTF-32") != NULL);
	/* empty input: no rows, no error */
	CHECK(read_str("", &lg, err, sizeof err) == 0);
	CHECK_STR(lg.text, "");
	/* other separators: semicolons; tabs, which are then not trimmed as blanks */
	delim = ';';
	CHECK(read_str("a;b,c\n1 ; \"2;3\"\n", &lg, err, sizeof err) == 0);
	CHECK_STR(lg.text, "1:a|1:b,c;2:1|2:2;3;");
	delim = '\t';
	CHECK(read_str("a\tb c\n1\t\t3\n 4 \t\"5\t6\"\n", &lg, err, sizeof err) == 0);
	CHECK_STR(lg.text, "1:a|1:b c;2:1|2:|2:3;3:4|3:5\t6;");
	delim = ' ';
	CHECK(read_str("a b\n1  3\t\n\"x y\" z\n", &lg, err, sizeof err) == 0);
	CHECK_STR(lg.text, "1:a|1:b;2:1|2:|2:3;3:x y|3:z;");
	delim = ',';
	/* a line longer than a read block: every field arrives, and the next line is line 2 */
	{
		size_t n = 200000, i;
		char *big = malloc(2 * n + 8);
		FILE *f;

		for (i = 0; i < n; i++) {
			big[2 * i] = '1';
			big[2 * i + 1] = ',';
		}
		strcpy(big + 2 * n, "2\nx\n");
		f = fmemopen(big, strlen(big), "r");
		CHECK(csv_read(f, "big.csv", ',', count_fields, &counted, NULL, err, sizeof err) == 0);
		fclose(f);
		CHECK(counted.rows == 2 && counted.first == n + 1 && counted.line2 == 2);
		free(big);
	}
	/* missing values */
	{
		static const char *const yes[] = { "", " ", "NA", "na", " N/A ", "n/a", "NaN", "nan", "NAN",
			"null", "NULL", "None", "?", "\t?\t" };
		static const char *const no[] = { "0", "N", "nA x", "nul", "??", "-", "none!", "inf", "NaNa" };
		size_t k;

		for (k = 0; k < sizeof yes / sizeof yes[0]; k++)
			CHECK_MSG(csv_is_missing(yes[k], strlen(yes[k])), "'%s' is missing", yes[k]);
		for (k = 0; k < sizeof no / sizeof no[0]; k++)
			CHECK_MSG(!csv_is_missing(no[k], strlen(no[k])), "'%s' is not missing", no[k]);
	}
	/* the header rule, on copies of rows (csv_row_dup) */
	{
		static char *f1[] = { "x1", "x2", "label" }, *f2[] = { "5.1", "3.5", "setosa" },
		    *f3[] = { "4.9", "3.0", "versicolor" }, *f4[] = { "id", "NA", "y" }, *f5[] = { "7", "?", "1" };
		size_t l3[] = { 2, 2, 5 }, l3b[] = { 3, 3, 6 }, l3c[] = { 3, 3, 10 }, l3d[] = { 2, 2, 1 },
		    l3e[] = { 1, 1, 1 };
		long ln[] = { 1, 1, 1 };
		struct csv_row r1 = { 3, f1, l3, ln, 1 }, r2 = { 3, f2, l3b, ln, 2 }, r3 = { 3, f3, l3c, ln, 3 },
		    r4 = { 3, f4, l3d, ln, 1 }, r5 = { 3, f5, l3e, ln, 2 }, *c;

		CHECK(csv_is_header(&r1, &r2, CSV_HEADER_GUESS) == 1);	/* x1 above 5.1 */
		CHECK(csv_is_header(&r2, &r3, CSV_HEADER_GUESS) == 0);	/* labels in both rows */
		CHECK(csv_is_header(&r2, NULL, CSV_HEADER_GUESS) == 1);	/* alone: not all numbers */
		CHECK(csv_is_header(&r4, &r5, CSV_HEADER_GUESS) == 1);	/* id above 7 */
		CHECK(csv_is_header(&r5, &r4, CSV_HEADER_GUESS) == 0);	/* '?' is missing, not text */
		CHECK(csv_is_header(&r2, &r3, 1) == 1 && csv_is_header(&r1, &r2, 0) == 0);
		c = csv_row_dup(&r2);
		CHECK(c != NULL && c->n == 3 && c->number == 2 && c->len[2] == 6 && strcmp(c->field[2], "setosa") == 0 &&
		    c->field[0] != f2[0]);
		CHECK(csv_is_header(&r1, c, CSV_HEADER_GUESS) == 1);
		csv_row_free(c);
		csv_row_free(NULL);
	}
	random_files_read_right();
	/*
	 * A last line without its line end, in a short read after a full
	 * block of lines that libcsv parsed (so their line ends are still in
	 * the block, past the last line).
	 */
	{
		size_t n = 65536 + 3, i;
		char *two = malloc(n);
		FILE *f;

		for (i = 0; i + 4 <= 65536; i += 4)
			memcpy(two + i, "1 2\n", 4);
		memcpy(two + 65536, "3,4", 3);
		f = fmemopen(two, n, "r");
		counted.rows = 0;
		CHECK(csv_read(f, "two.csv", ',', count_fields, &counted, NULL, err, sizeof err) == 0);
		fclose(f);
		CHECK_MSG(counted.rows == 16385, "%zu rows", counted.rows);
		lg.text[0] = '\0';
		f = fmemopen(two + 65536 - 8, 11, "r");
		CHECK(csv_read(f, "two.csv", ',', record, &lg, NULL, err, sizeof err) == 0);
		fclose(f);
		CHECK_STR(lg.text, "1:1 2;2:1 2;3:3|3:4;");
		free(two);
	}
	return check_summary("test_csv");
}
