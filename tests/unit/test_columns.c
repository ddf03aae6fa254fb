/* Column lists: parsing, names before numbers, ranges, and every error. */
#include <stdlib.h>

#include "check.h"
#include "columns.h"

static char *names[] = { "id", "x1", "x2", "3", "y", "x1-x2" };

/* Resolves arg against names (or none) and 6 columns; "1,2,3" (1-based) or "error: ..." in out. */
static const char *
resolve(const char *arg, int with_names, char *out, size_t outlen)
{
	struct colspec cs;
	char err[256];
	size_t *idx, n, i, used = 0;

	if (colspec_parse("-t", arg, &cs, err, sizeof err) != 0) {
		snprintf(out, outlen, "error: %s", err);
		return out;
	}
	if (colspec_resolve(&cs, with_names ? names : NULL, 6, "d.csv", &idx, &n, err, sizeof err) != 0)
		snprintf(out, outlen, "error: %s", err);
	else {
		out[0] = '\0';
		for (i = 0; i < n; i++)
			used += (size_t)snprintf(out + used, outlen - used, "%s%zu", i ? "," : "", idx[i] + 1);
		free(idx);
	}
	colspec_free(&cs);
	return out;
}

int
main(void)
{
	char buf[512];

	CHECK_STR(resolve("y", 1, buf, sizeof buf), "5");
	CHECK_STR(resolve("id,x2", 1, buf, sizeof buf), "1,3");
	CHECK_STR(resolve("x2,id", 1, buf, sizeof buf), "3,1");
	CHECK_STR(resolve("3", 1, buf, sizeof buf), "4");		/* a name first */
	CHECK_STR(resolve("x1-x2", 1, buf, sizeof buf), "6");		/* a name, not a range */
	CHECK_STR(resolve("2-3", 1, buf, sizeof buf), "2,3");
	CHECK_STR(resolve("2-3,6", 0, buf, sizeof buf), "2,3,6");
	CHECK_STR(resolve("6,1", 0, buf, sizeof buf), "6,1");
	CHECK_STR(resolve("", 1, buf, sizeof buf),
	    "error: -t: '': empty entry; expected column names or numbers like id,3,5-7");
	CHECK_STR(resolve("id,,y", 1, buf, sizeof buf),
	    "error: -t: 'id,,y': empty entry; expected column names or numbers like id,3,5-7");
	CHECK_STR(resolve("z", 1, buf, sizeof buf),
	    "error: -t: d.csv has no column 'z'; its columns are 'id', 'x1', 'x2', '3', 'y', 'x1-x2'");
	CHECK_STR(resolve("ID", 1, buf, sizeof buf), "error: -t: d.csv has no column 'ID'; did you mean 'id'?");
	CHECK_STR(resolve("x1-x3", 1, buf, sizeof buf), "error: -t: d.csv has no column 'x1-x3'; did you mean 'x1-x2'?");
	CHECK_STR(resolve("\"x1-x2\"", 1, buf, sizeof buf), "6");		/* quoted: a name */
	CHECK_STR(resolve("\"3\",2", 1, buf, sizeof buf), "4,2");
	CHECK_STR(resolve("\"2\"", 1, buf, sizeof buf), "error: -t: d.csv has no column '2'; its columns are 'id', 'x1', 'x2', '3', 'y', 'x1-x2'");
	CHECK_STR(resolve("y", 0, buf, sizeof buf),
	    "error: -t: 'y': d.csv has no header line, so its columns are given by number, from 1 to 6");
	CHECK_STR(resolve("7", 0, buf, sizeof buf), "error: -t: '7': d.csv has 6 columns");
	CHECK_STR(resolve("0", 0, buf, sizeof buf),
	    "error: -t: '0': d.csv has no header line, so its columns are given by number, from 1 to 6");
	CHECK_STR(resolve("5-9", 0, buf, sizeof buf), "error: -t: '5-9': d.csv has 6 columns");
	CHECK_STR(resolve("4-2", 0, buf, sizeof buf), "error: -t: '4-2' is an empty range of columns");
	CHECK_STR(resolve("y,5", 1, buf, sizeof buf), "error: -t: 'y,5' names column 5 'y' twice");
	CHECK_STR(resolve("1-3,2", 0, buf, sizeof buf), "error: -t: '1-3,2' names column 2 twice");
	{
		char *dup[] = { "a", "b", "a" };
		struct colspec cs;
		char err[256];
		size_t *idx, n;

		CHECK(colspec_parse("-k", "a", &cs, err, sizeof err) == 0);
		CHECK(colspec_resolve(&cs, dup, 3, "e.csv", &idx, &n, err, sizeof err) == -1);
		CHECK_STR(err, "-k: 'a' is the name of columns 1 and 3 of e.csv; give the number of the one meant");
		colspec_free(&cs);
	}
	CHECK_STR(column_name(buf, sizeof buf, names, 4), "'y'");
	CHECK_STR(column_name(buf, sizeof buf, NULL, 4), "column 5");
	CHECK_STR(column_desc(buf, sizeof buf, names, 4), "column 'y'");
	CHECK_STR(column_desc(buf, sizeof buf, NULL, 4), "column 5");
	{
		char *odd[] = { "a\nb" };	/* a header name with a newline stays on one line */

		CHECK_STR(column_desc(buf, sizeof buf, odd, 0), "column 'a\\nb'");
	}
	return check_summary("test_columns");
}
