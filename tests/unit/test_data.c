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
	struct data_opts o;

	memset(&o, 0, sizeof o);
	o.ntargets = ntargets;
	o.delim = ',';
	o.header = DATA_HEADER_GUESS;
	return load_with(s, &o, d, err, errlen);
}

/* Loads s with the column options -t, -x, -w (each NULL or a list). */
static int
load_cols(const char *s, const char *t, const char *x, const char *w, struct data_opts *o,
    struct dataset **d, char *err, size_t errlen)
{
	struct colspec ct, cx, cw;
	int st;

	memset(&ct, 0, sizeof ct);
	memset(&cx, 0, sizeof cx);
	memset(&cw, 0, sizeof cw);
	o->delim = ',';
	o->header = DATA_HEADER_GUESS;
	if (o->ntargets == 0)
		o->ntargets = 1;
	if (t != NULL && colspec_parse("-t", t, &ct, err, errlen) == 0)
		o->target = &ct;
	if (x != NULL && colspec_parse("-x", x, &cx, err, errlen) == 0)
		o->ignore = &cx;
	if (w != NULL && colspec_parse("-w", w, &cw, err, errlen) == 0)
		o->weight = &cw;
	st = load_with(s, o, d, err, errlen);
	colspec_free(&ct);
	colspec_free(&cx);
	colspec_free(&cw);
	return st;
}

/* Roles of columns: -t, -x, -w, and their conflicts. */
static void
roles(void)
{
	struct data_opts o;
	struct dataset *d;
	char err[256];

	/* -t by name, -x an id: features are the rest in file order, then the target */
	memset(&o, 0, sizeof o);
	REQUIRE(load_cols("id,y,a,b\n7,1,0.5,2\n8,0,1.5,3\n", "y", "id", NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->rows == 2 && d->cols == 3 && d->ntargets == 1);
	CHECK(d->names != NULL && strcmp(d->names[0], "a") == 0 && strcmp(d->names[2], "y") == 0);
	CHECK(d->x_mem[0] == 0.5 && d->x_mem[1] == 2 && d->x_mem[2] == 1 && d->x_mem[5] == 0);
	data_free(d);
	/* several targets, by number, in the order given */
	memset(&o, 0, sizeof o);
	REQUIRE(load_cols("1,0,1,5\n2,1,0,6\n", "3,2", NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->cols == 4 && d->ntargets == 2 && d->names == NULL);
	CHECK(d->x_mem[0] == 1 && d->x_mem[1] == 5 && d->x_mem[2] == 1 && d->x_mem[3] == 0);
	data_free(d);
	/* without -t, the last column not skipped is the target */
	memset(&o, 0, sizeof o);
	REQUIRE(load_cols("a,y,id\n1,0,x7\n2,1,x8\n", NULL, "id", NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->cols == 2 && strcmp(d->names[1], "y") == 0 && d->x_mem[3] == 1);
	data_free(d);
	/* conflicts and bad lists */
	memset(&o, 0, sizeof o);
	CHECK(load_cols("a,b,y\n1,2,0\n", "y", "y", NULL, &o, &d, err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "-x and -t both name column 'y'");
	memset(&o, 0, sizeof o);
	CHECK(load_cols("a,b,y\n1,2,0\n", "z", NULL, NULL, &o, &d, err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "-t: d.csv has no column 'z'");
	memset(&o, 0, sizeof o);
	CHECK(load_cols("a,b,y\n1,2,0\n", NULL, "1,2", NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:1: 3 columns (some skipped by -x or -w): too few for 1 target and at least one feature");
	memset(&o, 0, sizeof o);
	CHECK(load_cols("a,b,y\n1,2,0\n", NULL, NULL, "a,b", &o, &d, err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "-w: 'a,b' names 2 columns; the weight is one column");
}

/* Two labels: 0 and 1 in sorted order, or as --positive says; numbers sort as numbers. */
static void
labels(void)
{
	struct data_opts o;
	struct dataset *d;
	char err[256];

	memset(&o, 0, sizeof o);
	REQUIRE(load_cols("a,c\n1,yes\n2,no\n3,yes\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->classes != NULL && strcmp(d->classes[0], "no") == 0 && strcmp(d->classes[1], "yes") == 0);
	CHECK(d->x_mem[1] == 1 && d->x_mem[3] == 0 && d->x_mem[5] == 1);
	data_free(d);
	memset(&o, 0, sizeof o);
	o.positive = "no";
	REQUIRE(load_cols("a,c\n1,yes\n2,no\n3,yes\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(strcmp(d->classes[1], "no") == 0 && d->x_mem[1] == 0 && d->x_mem[3] == 1);
	data_free(d);
	memset(&o, 0, sizeof o);
	REQUIRE(load_cols("a,c\n1,10\n2,9\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(strcmp(d->classes[0], "9") == 0 && d->x_mem[1] == 1 && d->x_mem[3] == 0);
	data_free(d);
	memset(&o, 0, sizeof o);
	REQUIRE(load_cols("a,c\n1,2\n2,4\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);	/* 2/4, as in UCI files */
	CHECK(strcmp(d->classes[1], "4") == 0 && d->x_mem[1] == 0 && d->x_mem[3] == 1);
	data_free(d);
	/* a number comes before any other label, even one that sorts before digits byte by byte */
	memset(&o, 0, sizeof o);
	REQUIRE(load_cols("a,c\n1,-\n2,7\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(strcmp(d->classes[0], "7") == 0 && strcmp(d->classes[1], "-") == 0);
	CHECK(d->x_mem[1] == 1 && d->x_mem[3] == 0);
	data_free(d);
	/* numbers in [0,1] stay numbers */
	memset(&o, 0, sizeof o);
	REQUIRE(load_cols("a,c\n1,0\n2,1\n3,0.5\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->classes == NULL && d->x_mem[5] == 0.5);
	data_free(d);
	memset(&o, 0, sizeof o);
	o.positive = "maybe";
	CHECK(load_cols("a,c\n1,yes\n2,no\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "--positive: 'maybe' is not one of the labels 'yes' and 'no' of column 'c'");
	memset(&o, 0, sizeof o);
	CHECK(load_cols("a,c\n1,setosa\n2,setosa\n3,versicolor\n4,virginica\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:5:2: target column 'c' holds a third value 'virginica' after 'setosa' and 'versicolor'; "
	    "a target is a number in [0,1] or one of two class labels");
	memset(&o, 0, sizeof o);
	CHECK(load_cols("a,c\n1,pos\n2,pos\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: target column 'c' holds one label, 'pos': two classes are needed (or numbers in [0,1])");
	memset(&o, 0, sizeof o);
	CHECK(load_cols("1,0.2\n2,1.5\n3,0.7\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:2: target '1.5' is outside [0,1]");
	/* labels with several targets */
	memset(&o, 0, sizeof o);
	o.ntargets = 2;
	CHECK(load_cols("1,0,yes\n2,1,no\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:1:3: target 'yes' is not a number; class labels need a single target column");
}

/* Classes given (a model's): other labels refused. */
static void
classes_given(void)
{
	char *cls[] = { "neg", "pos" };
	struct data_opts o;
	struct dataset *d;
	char err[256];

	memset(&o, 0, sizeof o);
	o.classes = cls;
	o.classes_from = "m.json";
	REQUIRE(load_cols("a,c\n1,pos\n2,neg\n3,pos\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->classes == NULL && d->x_mem[1] == 1 && d->x_mem[3] == 0);
	data_free(d);
	memset(&o, 0, sizeof o);
	o.classes = cls;
	o.classes_from = "m.json";
	CHECK(load_cols("a,c\n1,pos\n2,maybe\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:3:2: target 'maybe' is not one of the classes 'neg' and 'pos' of m.json");
}

/* Missing values: an error naming the column, or rows skipped. */
static void
missing_values(void)
{
	struct data_opts o;
	struct dataset *d;
	char err[256];

	memset(&o, 0, sizeof o);
	CHECK(load_cols("id,a,y\nNA,1,0\n2,NA,1\n", NULL, "id", NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:3:2: missing value 'NA' in column 'a'; use --drop-missing to skip such rows");
	memset(&o, 0, sizeof o);
	o.drop_missing = 1;
	REQUIRE(load_cols("id,a,y\nNA,1,0\n2,NA,1\n3,?,1\n4,2,\n5,3,1\n", NULL, "id", NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->rows == 2 && d->dropped == 3 && d->x_mem[0] == 1 && d->x_mem[2] == 3);
	data_free(d);
	memset(&o, 0, sizeof o);
	o.drop_missing = 1;
	CHECK(load_cols("a,y\n?,1\nNA,0\n", NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: no data rows: all 2 had missing values");
}

/* Row weights (-w), and class weights: n / (2 n_c), times the row's own weight. */
static void
weights(void)
{
	struct data_opts o;
	struct dataset *d;
	char err[256];
	double cw[2];
	int st;

	memset(&o, 0, sizeof o);
	REQUIRE(load_cols("a,w,y\n1,2,0\n2,0.5,1\n", NULL, NULL, "w", &o, &d, err, sizeof err) == 0);
	CHECK(d->cols == 2 && d->weight != NULL && d->weight[0] == 2 && d->weight[1] == 0.5);
	CHECK_STR(d->weight_name, "w");
	data_free(d);
	memset(&o, 0, sizeof o);
	CHECK(load_cols("a,w,y\n1,2,0\n2,-1,1\n", NULL, NULL, "w", &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:3:2: weight '-1' is negative");
	memset(&o, 0, sizeof o);
	CHECK(load_cols("a,w,y\n1,0,0\n2,0,1\n", NULL, NULL, "w", &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: the weights of column w add up to 0; they must have a positive, finite sum");
	memset(&o, 0, sizeof o);
	CHECK(load_cols("a,w,y\n1,1e308,0\n2,1e308,1\n", NULL, NULL, "w", &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: the weights of column w add up to inf; they must have a positive, finite sum");

	memset(&o, 0, sizeof o);
	REQUIRE(load_cols("a,w,y\n1,1,0\n2,1,0\n3,1,0\n4,2,1\n", NULL, NULL, "w", &o, &d, err, sizeof err) == 0);
	st = data_balance(d, cw, "d.csv", err, sizeof err);
	CHECK(st == 0);
	if (st == 0) {
		CHECK(cw[0] == 4.0 / 6 && cw[1] == 2.0);
		CHECK(d->weight[0] == 4.0 / 6 && d->weight[3] == 4.0);
	}
	data_free(d);
	REQUIRE(load("a,y\n1,0.5\n2,1\n", 1, &d, err, sizeof err) == 0);
	CHECK(data_balance(d, cw, "d.csv", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "--class-weight balanced needs targets that are 0 or 1 (or two class labels); d.csv has 0.5");
	data_free(d);
}

/* Holdout: stratified (t >= 0.5 is class 1), seeded, file order kept in both parts. */
static void
holdout(void)
{
	struct dataset *d, *v;
	char err[256], big[4096];
	size_t used = 0, n1 = 0, k, pos;
	struct rng r;
	int st;

	used += (size_t)snprintf(big + used, sizeof big - used, "a,y\n");
	for (k = 0; k < 100; k++)
		used += (size_t)snprintf(big + used, sizeof big - used, "%zu,%d\n", k, k % 4 == 0);
	REQUIRE(load(big, 1, &d, err, sizeof err) == 0);
	rng_seed(&r, 5);
	st = data_holdout(d, 0.2, &r, &v, err, sizeof err);
	CHECK(st == 0);
	if (st == 0) {
		CHECK(d->rows == 80 && v->rows == 20);
		for (k = 0; k < v->rows; k++) {
			n1 += v->x_mem[2 * k + 1] == 1;
			CHECK(k == 0 || v->x_mem[2 * k] > v->x_mem[2 * (k - 1)]);
		}
		CHECK(n1 == 5);	/* a quarter of 20, as in the whole */
		for (k = 1, pos = 1; k < d->rows; k++)
			pos &= d->x_mem[2 * k] > d->x_mem[2 * (k - 1)];
		CHECK(pos == 1);
		data_free(v);
		CHECK(data_holdout(d, 0.001, &r, &v, err, sizeof err) == ST_DATA);
		CHECK_STR(err, "--holdout 0.001 of 80 rows leaves no row to validate on");
	}
	data_free(d);
	/* a row of each class, each rounded up to one held out: none left */
	REQUIRE(load("a,y\n1,0\n2,1\n", 1, &d, err, sizeof err) == 0);
	CHECK(data_holdout(d, 0.9, &r, &v, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "--holdout 0.9 of 2 rows leaves no row to train on");
	CHECK(d->rows == 2);
	data_free(d);

	/*
	 * A soft target of 0.5 is class 1 (t >= 0.5): of the two such rows
	 * among ten, --holdout 0.5 holds out exactly one, whatever the seed.
	 */
	for (k = 1; k <= 20; k++) {
		REQUIRE(load("a,y\n1,0.5\n2,0\n3,0\n4,0.5\n5,0\n6,0\n7,0\n8,0.25\n9,0\n10,0\n", 1, &d, err,
		    sizeof err) == 0);
		rng_seed(&r, k);
		st = data_holdout(d, 0.5, &r, &v, err, sizeof err);
		CHECK(st == 0);
		if (st == 0) {
			for (pos = 0, n1 = 0; pos < v->rows; pos++)
				n1 += v->x_mem[2 * pos + 1] == 0.5;
			CHECK_MSG(v->rows == 5 && n1 == 1, "seed %zu: %zu rows held out, %zu of target 0.5", k,
			    v->rows, n1);
			data_free(v);
		}
		data_free(d);
	}
}

/* A header detected and kept; rows in one block; the standardisation statistics. */
static void
header_and_stats(void)
{
	struct dataset *d;
	double mean[3], std[3];
	char err[256];

	REQUIRE(load("a,b,c,y\n1,2,-1,0\n3,2,5,1\n5,2,2,1\n", 1, &d, err, sizeof err) == 0);
	CHECK(d->rows == 3 && d->cols == 4 && d->ntargets == 1 && data_nfeatures(d) == 3);
	CHECK(d->names != NULL);
	if (d->names != NULL) {
		CHECK_STR(d->names[0], "a");
		CHECK_STR(d->names[3], "y");
	}
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
	REQUIRE(load("0.5,1,0\n1.5,0,0.25\n", 2, &d, err, sizeof err) == 0);
	CHECK(d->rows == 2 && d->names == NULL && data_nfeatures(d) == 1);
	data_free(d);
}

/* The header forced either way, other separators. */
static void
forced_header(void)
{
	struct data_opts o;
	struct dataset *d;
	char err[256];

	memset(&o, 0, sizeof o);
	o.ntargets = 1;
	o.delim = ';';
	o.header = 1;
	REQUIRE(load_with("1;2;0\n3;4;1\n", &o, &d, err, sizeof err) == 0);
	CHECK(d->rows == 1 && d->names != NULL && d->x_mem[0] == 3);
	if (d->names != NULL)
		CHECK_STR(d->names[1], "2");
	data_free(d);
	o.header = 0;
	o.delim = '\t';
	REQUIRE(load_with("1\t2\t0\n3\t4\t1\n", &o, &d, err, sizeof err) == 0);
	CHECK(d->rows == 2 && d->names == NULL && d->x_mem[0] == 1);
	data_free(d);
	CHECK(load_with("a\tb\ty\n3\t4\t1\n", &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:1:1: 'a' is not a number");
	o.delim = ',';
	CHECK(load_with("1;2;0\n", &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:1: 1 column: too few for 1 target and at least one feature");
}

/* Errors, each naming file, line and column. */
static void
errors(void)
{
	struct dataset *d;
	char err[256];

	CHECK(load("a,b,c\n1,0,0\n2,x,1\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:3:2: 'x' is not a number");
	CHECK(d == NULL);
	CHECK(load("a,b\n1,0\n\n2,1,3\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:4: 3 fields, expected 2 as on line 1");
	CHECK(load("1,0\n2,1.5\n3,1\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:2: target '1.5' is outside [0,1]");
	CHECK(load("1,-0.1\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:1:2: target '-0.1' is outside [0,1]");
	CHECK(load("1,0\n,1\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:1: missing value '' in column 1; use --drop-missing to skip such rows");
	CHECK(load("1,0\ninf,1\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:1: 'inf' is not a finite number");
	CHECK(load("1,0\n1e400,1\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:1: '1e400' is too large for a double");
	CHECK(load("", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: no data rows");
	CHECK(load("a,b\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: no data rows");
	CHECK(load("1\n2\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:1: 1 column: too few for 1 target and at least one feature");
	/* a bad field after a quoted field spanning two lines: its own line */
	CHECK(load("\"a\nb\",x,y\n1,0,0\n2,z,1\n", 1, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:4:2: 'z' is not a number");
}

/*
 * Each case stops at a failed REQUIRE (a data set that did not load), so
 * one bug costs the checks of its case, not a crash and the cases after it.
 */
int
main(void)
{
	header_and_stats();
	forced_header();
	errors();
	roles();
	labels();
	classes_given();
	missing_values();
	weights();
	holdout();
	return check_summary("test_data");
}
