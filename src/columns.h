/*
 * Column lists given on the command line (-t, -x, -w, -k): comma-separated
 * header names, 1-based column numbers and ranges of numbers "N-M", resolved
 * against a file's header once it has been read.
 */
#ifndef COLUMNS_H
#define COLUMNS_H

#include <stddef.h>

struct colspec {
	const char *opt;	/* the option, for messages: "-t" */
	const char *arg;	/* the list as given */
	size_t n;		/* entries */
	char **tok;		/* (n) the entries */
	unsigned char *quoted;	/* (n) 1 for an entry given in double quotes: a name, never a number */
};

/*
 * Splits arg (the value of option opt, which must outlive cs) into entries
 * at commas.  An entry in double quotes, as in CSV ("outcome, final", a
 * quote doubled inside), may hold commas and is a name.  Returns 0, or -1
 * with a message when an entry is empty or a quote is not closed.  Free
 * with colspec_free.  An entry that is a header name is that column;
 * otherwise "N" is column N and "N-M" columns N to M.
 */
int colspec_parse(const char *opt, const char *arg, struct colspec *cs, char *err, size_t errlen);
/* Frees what colspec_parse allocated; a zeroed cs is fine. */
void colspec_free(struct colspec *cs);
/*
 * The columns cs names in a file `file` of ncols columns whose header is
 * names (NULL when it has none): *idx (malloc'd, 0-based, in the order
 * given) and *count.  Returns 0, or -1 with a message: no such name, a
 * number out of range, a name without a header, a column given twice.
 */
int colspec_resolve(const struct colspec *cs, char *const *names, size_t ncols, const char *file,
    size_t **idx, size_t *count, char *err, size_t errlen);
/*
 * How column c (0-based) is called in messages: 'name' when there is a
 * header, else "column N".  Returns buf.
 */
const char *column_name(char *buf, size_t buflen, char *const *names, size_t c);
/*
 * The same as a phrase for messages: "column 'x2'" (the name shown on one
 * line, as csv_show does) with a header, else "column 3".  Returns buf.
 */
const char *column_desc(char *buf, size_t buflen, char *const *names, size_t c);

#endif
