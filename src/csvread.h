/*
 * Streaming CSV reading on top of libcsv, which does not count lines: this
 * module feeds it one physical line at a time so that every field and row
 * knows the line it starts on.  Rows are handed to a callback one at a time;
 * memory does not grow with the number of rows.
 */
#ifndef CSVREAD_H
#define CSVREAD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CSV_MAX_FIELD (1 << 20)		/* longest field accepted, in bytes */
#define CSV_MAX_FIELDS 2000000		/* most fields accepted in a row */

/*
 * Bytes that may be read from the end of each field of a row on: its NUL,
 * then anything (for number_parse_padded, which reads NUMBER_PAD bytes
 * past the end).
 */
#define CSV_PAD 16

struct csv_row {
	size_t n;		/* number of fields */
	char **field;		/* (n) NUL-terminated texts, valid during the callback, CSV_PAD readable bytes from each end */
	size_t *len;		/* (n) lengths */
	long *line;		/* (n) line on which each field starts, from 1 */
	long number;		/* rows seen so far in this file, this one included */
};

/*
 * Called for each row; returns 0 to go on, or a status (see status.h) after
 * writing a message to err, which stops the reading.
 */
typedef int (*csv_row_fn)(void *ctx, const struct csv_row *row, char *err, size_t errlen);

/*
 * Reads all of f (named `name` in messages), fields separated by `delim`
 * (',' or ';' or '\t', say), skipping a UTF-8 byte order mark and blank
 * lines, calling fn for every row.  Lines end in LF, CRLF or a lone CR.
 * A NUL byte in a field, and a UTF-16 or UTF-32 byte order mark, are
 * errors (ST_DATA).  Returns 0, fn's status, or ST_DATA /
 * ST_IO / ST_NOMEM with a message "name:line: ..." in err.  *stop, when not
 * NULL, is polled between lines; reading ends with status *stop as soon as
 * it is non-zero.
 */
int csv_read(FILE *f, const char *name, int delim, csv_row_fn fn, void *ctx,
    const volatile sig_atomic_t *stop, char *err, size_t errlen);

/* fn's status that ends reading early, as if the input ended there (csv_read returns 0). */
#define CSV_STOP (-1)

/*
 * Where csv_read_src reads: a stream to its end, or a part of a regular
 * file (read with pread, so that several readers can share it) or of bytes
 * in memory.  A part starts at the start of a line and holds the records
 * that start before `end`; the last may go on past it.
 */
struct csv_src {
	FILE *f;		/* a stream, read from where it is to its end; or NULL, and: */
	int fd;			/* a regular file, or -1 for */
	const char *mem;	/* bytes in memory */
	uint64_t size;		/* the file's size, or mem's */
	uint64_t start;		/* the first byte to read: 0, or the start of a line */
	uint64_t end;		/* no record that starts at or after this byte is read */
	long line;		/* the number of the line at start (1 at byte 0) */
};

/* Where csv_read_src stopped: the first byte it did not read (a record's start, or the size), and its line. */
struct csv_end {
	uint64_t offset;
	long line;
};

/*
 * csv_read on a part: the same rows, checks and messages, with the lines
 * numbered from src->line.  The byte order mark and the text check apply
 * at byte 0 only.  *at (when not NULL) gets where reading stopped.
 */
int csv_read_src(const struct csv_src *src, const char *name, int delim, csv_row_fn fn, void *ctx,
    const volatile sig_atomic_t *stop, struct csv_end *at, char *err, size_t errlen);

/*
 * The first start of a line at or after byte b of src (its file or
 * memory): byte 0, or one after a LF, or after a CR not followed by a LF;
 * src->size when none.  Quotes are not looked at: a line break inside a
 * quoted field counts too (shard.c checks the starts it gets).  0, or
 * ST_IO with a message.
 */
int csv_line_start(const struct csv_src *src, const char *name, uint64_t b, uint64_t *out, char *err, size_t errlen);

/*
 * Whether b[0..len-1], the start of file `name`, is not the text it should
 * be: gzip-compressed data (what to decompress it with), or UTF-16 or
 * UTF-32 with a byte order mark (how to convert it with iconv).  Then
 * ST_DATA and a message in err; else 0.  (The model reader uses it too.)
 */
int csv_not_text(const char *b, size_t len, const char *name, char *err, size_t errlen);

#define CSV_HEADER_GUESS (-1)	/* guess, see csv_is_header */

/*
 * Whether row, the first of a file, is a header under `rule`: 1, it is;
 * 0, it is not; CSV_HEADER_GUESS: when some field of it is text (neither a
 * number nor a missing value) while the same field of next, the second row,
 * is a number; with no second row (next NULL), when some field is not a
 * number.  So a column of class names ("setosa") does not make the first
 * data row a header, and a header above numbers is always seen as one.
 */
int csv_is_header(const struct csv_row *row, const struct csv_row *next, int rule);

/*
 * Whether a field is a missing value: empty, or (blanks around it aside)
 * NA, N/A, NaN, null, None in any case, or ?.
 */
int csv_is_missing(const char *s, size_t len);

/*
 * What a file read as one column per row seems to be instead, as a phrase
 * ("a tab-separated file? give -d tab"), from its first row; NULL when
 * nothing suggests another form (or the row has more than one field).
 */
const char *csv_one_column_hint(const struct csv_row *row, int delim);

/*
 * A copy of row that outlives the callback (for a header decided on the
 * next row), with CSV_PAD bytes after each field as well; NULL when out of
 * memory.
 */
struct csv_row *csv_row_dup(const struct csv_row *row);
/* Frees a copy; NULL is fine. */
void csv_row_free(struct csv_row *row);

/*
 * Writes a printable, one-line form of field s[0..len-1] into buf (at most
 * buflen bytes, ending in "..." when cut): newlines, tabs and other control
 * characters become escapes (\n, \t, \x01), and so does every byte >= 0x80
 * that is not part of well-formed UTF-8, and the UTF-8 of C1 controls, line
 * separators and bidirectional overrides; other UTF-8 (a column named
 * "température") is shown as it is.  Returns buf.
 */
const char *csv_show(char *buf, size_t buflen, const char *s, size_t len);

#define CSV_SHOW_LEN 64		/* a good size for csv_show's buffer */

#endif
