/* Loading the training set, and its standardisation statistics. */
#include <stdlib.h>

#include "check.h"
#include "data.h"
#include "status.h"

static int
load_with(const char *s, const struct data_opts *o, struct dataset **d, char *err, size_t errlen)
{
	FILE *f = fmemopen((void *)s, strlen(s), "r");
	int st;

	*d = NULL;
	st = data_read(f, "d.csv", o, d, NULL, err, errlen);
	fclose(f);
	return st;
}

static int
load(const char *s, size_t ntargets, struct dataset **d, char *err, size_t errlen)
{
	struct data_opts o = { ntargets, ',', DATA_HEADER_GUESS };

	return load_with(s, &o, d, err, errlen);
}

int
main(void)
{
	struct dataset *d;
	double mean[3], std[3];
	char err[256];

	/* header detected and kept; rows in one block */
	CHECK(load("a,b,c,y\n1,2,-1,0\n3,2,5,1\n5,2,2,1\n", 1, &d, err, sizeof err) == 0);
	CHECK(d->rows == 3 && d->cols == 4 && d->ntargets == 1 && data_nfeatures(d) == 3);
	CHECK(d->names != NULL);
	CHECK_STR(d->names[0], "a");
	CHECK_STR(d->names[3], "y");
	CHECK(d->x_mem[4] == 3 && d->x_mem[11] == 1);
	/*
	 * By hand: column a = 1, 3, 5: mean 3, population variance (4+0+4)/3;
	 * column b is constant: std 0 counts as 1; column c = -1, 5, 2: mean 2,
	 * variance (9+9+0)/3 = 6.
	 */
	data_stats(d, mean, std);
	CHECK(mean[0] == 3 && mean[1] == 2 && mean[2] == 2);
	CHECK_NEAR(std[0], sqrt(8.0 / 3), 1e-15);
	CHECK(std[1] == 1);
	CHECK_NEAR(std[2], sqrt(6.0), 1e-15);
	data_free(d);

	/* no header: every row is data; two targets */
	CHECK(load("0.5,1,0\n1.5,0,0.25\n", 2, &d, err, sizeof err) == 0);
	CHECK(d->rows == 2 && d->names == NULL && data_nfeatures(d) == 1);
	data_free(d);

	/* the header forced either way, other separators */
	{
		struct data_opts o = { 1, ';', 1 };

		CHECK(load_with("1;2;0\n3;4;1\n", &o, &d, err, sizeof err) == 0);
		CHECK(d->rows == 1 && d->names != NULL && d->x_mem[0] == 3);
		CHECK_STR(d->names[1], "2");
		data_free(d);
		o.header = 0;
		o.delim = '\t';
		CHECK(load_with("1\t2\t0\n3\t4\t1\n", &o, &d, err, sizeof err) == 0);
		CHECK(d->rows == 2 && d->names == NULL && d->x_mem[0] == 1);
		data_free(d);
		CHECK(load_with("a\tb\ty\n3\t4\t1\n", &o, &d, err, sizeof err) == ST_DATA);
		CHECK_STR(err, "d.csv:1:1: 'a' is not a number");
		o.delim = ',';
		CHECK(load_with("1;2;0\n", &o, &d, err, sizeof err) == ST_DATA);
		CHECK_STR(err, "d.csv:1: 1 column: too few for 1 target and at least one feature");
	}

	/* errors, each naming file, line and column */
	CHECK(load("a,b\n1,0\n2,x\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:3:2: 'x' is not a number");
	CHECK(d == NULL);
	CHECK(load("a,b\n1,0\n\n2,1,3\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:4: 3 fields, expected 2 as on line 1");
	CHECK(load("1,0\n2,1.5\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:2: target '1.5' is outside [0,1]");
	CHECK(load("1,0\n2,-0.1\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:2: target '-0.1' is outside [0,1]");
	CHECK(load("1,0\n,1\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:1: '' is empty, expected a number");
	CHECK(load("1,0\nnan,1\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:1: 'nan' is not a finite number");
	CHECK(load("1,0\n1e400,1\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:1: '1e400' is too large for a double");
	CHECK(load("", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: no data rows");
	CHECK(load("a,b\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: no data rows");
	CHECK(load("1\n2\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:1: 1 column: too few for 1 target and at least one feature");
	/* a bad field after a quoted field spanning two lines: its own line */
	CHECK(load("\"a\nb\",y\n1,0\n2,z\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:4:2: 'z' is not a number");
	return check_summary("test_data");
}
