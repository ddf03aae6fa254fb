/*
 * Loading the training set: columns, class labels (two or K), 0/1 and soft
 * targets, categorical columns, missing values and imputation, weights;
 * then what is done with it: statistics, holdout, class weights.
 */
#include <stdlib.h>

#include "check.h"
#include "data.h"
#include "status.h"

/* Options as mlptrain's defaults set them. */
static void
opts(struct data_opts *o)
{
	memset(o, 0, sizeof *o);
	o->delim = ',';
	o->header = DATA_HEADER_GUESS;
}

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

/* Loads s with defaults, with tcols target columns of 0/1 (or the last column's labels when 0). */
static int
load(const char *s, size_t tcols, struct dataset **d, char *err, size_t errlen)
{
	struct data_opts o;

	opts(&o);
	o.tcols = tcols;
	return load_with(s, &o, d, err, errlen);
}

/* Loads s with the column options -t, -x, -w, -c (each NULL or a list) on top of o. */
static int
load_cols(const char *s, const char *t, const char *x, const char *w, const char *c, struct data_opts *o,
    struct dataset **d, char *err, size_t errlen)
{
	struct colspec ct, cx, cw, cc;
	int st;

	memset(&ct, 0, sizeof ct);
	memset(&cx, 0, sizeof cx);
	memset(&cw, 0, sizeof cw);
	memset(&cc, 0, sizeof cc);
	o->delim = ',';
	o->header = DATA_HEADER_GUESS;
	if (t != NULL && colspec_parse("-t", t, &ct, err, errlen) == 0)
		o->target = &ct;
	if (x != NULL && colspec_parse("-x", x, &cx, err, errlen) == 0)
		o->ignore = &cx;
	if (w != NULL && colspec_parse("-w", w, &cw, err, errlen) == 0)
		o->weight = &cw;
	if (c != NULL && colspec_parse("-c", c, &cc, err, errlen) == 0)
		o->categorical = &cc;
	st = load_with(s, o, d, err, errlen);
	colspec_free(&ct);
	colspec_free(&cx);
	colspec_free(&cw);
	colspec_free(&cc);
	return st;
}

/* Row r of d as text, "a b | t" (inputs, a bar, targets), %g each. */
static const char *
row_text(const struct dataset *d, size_t r, char *buf, size_t buflen)
{
	size_t k, used = 0, nf = data_nfeatures(d);

	buf[0] = '\0';
	for (k = 0; k < d->cols && used < buflen; k++)
		used += (size_t)snprintf(buf + used, buflen - used, "%s%s%g", k == 0 ? "" : " ", k == nf ? "| " : "",
		    d->x_mem[r * d->cols + k]);
	return buf;
}

/* Roles of columns: -t, -x, -w, the last column, and -l's sizes. */
static void
columns(void)
{
	struct data_opts o;
	struct dataset *d;
	char err[512], buf[256];

	/* -t by name, -x an id: features are the rest in file order, then the target */
	opts(&o);
	REQUIRE(load_cols("id,y,a,b\n7,1,0.5,2\n8,0,1.5,3\n", "y", "id", NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->rows == 2 && d->cols == 3 && d->ntargets == 1 && d->ntcols == 1);
	CHECK(d->names != NULL && strcmp(d->names[0], "a") == 0 && strcmp(d->tnames[0], "y") == 0);
	CHECK_STR(row_text(d, 0, buf, sizeof buf), "0.5 2 | 1");
	CHECK_STR(row_text(d, 1, buf, sizeof buf), "1.5 3 | 0");
	data_free(d);
	/* several targets, by number, in the order given: each 0 or 1 */
	opts(&o);
	REQUIRE(load_cols("1,0,1,5\n2,1,0,6\n", "3,2", NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->cols == 4 && d->ntargets == 2 && d->ntcols == 2 && d->names == NULL && d->classes == NULL);
	CHECK_STR(row_text(d, 0, buf, sizeof buf), "1 5 | 1 0");
	data_free(d);
	/* without -t, the last column not skipped is the target */
	opts(&o);
	REQUIRE(load_cols("a,y,id\n1,0,x7\n2,1,x8\n", NULL, "id", NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->cols == 2 && strcmp(d->tnames[0], "y") == 0 && d->x_mem[3] == 1);
	data_free(d);
	/* -l's sizes: the last 2 columns are targets when -l's inputs and outputs make all the columns */
	opts(&o);
	o.layers_in = 2;
	o.layers_out = 2;
	REQUIRE(load_cols("a,b,y1,y2\n1,2,0,1\n3,4,1,1\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->ntcols == 2 && d->ntargets == 2 && data_nfeatures(d) == 2);
	data_free(d);
	opts(&o);	/* ... and not otherwise: then the last column, its 3 classes */
	o.layers_in = 3;
	o.layers_out = 3;
	REQUIRE(load_cols("a,b,c,k\n1,2,0,x\n3,4,1,y\n3,4,1,z\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->ntcols == 1 && d->ntargets == 3 && d->nclasses == 3 && data_nfeatures(d) == 3);
	data_free(d);
	/* conflicts and bad lists */
	opts(&o);
	CHECK(load_cols("a,b,y\n1,2,0\n", "y", "y", NULL, NULL, &o, &d, err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "-x and -t both name column 'y'");
	opts(&o);
	CHECK(load_cols("a,b,y\n1,2,0\n", "z", NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "-t: d.csv has no column 'z'; its columns are 'a', 'b', 'y'");
	opts(&o);
	CHECK(load_cols("a,b,y\n1,2,0\n", NULL, "1,2", NULL, NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:1: 3 columns (some skipped by -x or -w): too few for 1 target and at least one feature");
	opts(&o);
	CHECK(load_cols("a,b,y\n1,2,0\n", NULL, NULL, "a,b", NULL, &o, &d, err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "-w: 'a,b' names 2 columns; the weight is one column");
	opts(&o);
	CHECK(load_cols("a,b,y\n1,2,0\n", NULL, NULL, NULL, "y", &o, &d, err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "-c names column 'y', which is not a feature column (a target, the weight, or skipped by -x)");
}

/* Class labels: two, K, the order, the identity of numbers, and what is not labels. */
static void
labels(void)
{
	struct data_opts o;
	struct dataset *d;
	char err[512], buf[256], big[8192];
	size_t k, used;

	/* two labels: 0 and 1 in sorted order, or as --positive says; numbers sort as numbers */
	opts(&o);
	REQUIRE(load_cols("a,c\n1,yes\n2,no\n3,yes\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->nclasses == 2 && strcmp(d->classes[0], "no") == 0 && strcmp(d->classes[1], "yes") == 0);
	CHECK(d->ntargets == 1 && d->x_mem[1] == 1 && d->x_mem[3] == 0 && d->x_mem[5] == 1);
	data_free(d);
	opts(&o);
	o.positive = "no";
	REQUIRE(load_cols("a,c\n1,yes\n2,no\n3,yes\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(strcmp(d->classes[1], "no") == 0 && d->x_mem[1] == 0 && d->x_mem[3] == 1);
	data_free(d);
	opts(&o);
	REQUIRE(load_cols("a,c\n1,10\n2,9\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(strcmp(d->classes[0], "9") == 0 && d->x_mem[1] == 1 && d->x_mem[3] == 0);
	data_free(d);
	opts(&o);
	REQUIRE(load_cols("a,c\n1,2\n2,4\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);	/* 2/4, as in UCI files */
	CHECK(strcmp(d->classes[1], "4") == 0 && d->x_mem[1] == 0 && d->x_mem[3] == 1);
	data_free(d);
	/* a number comes before any other label, even one that sorts before digits byte by byte */
	opts(&o);
	REQUIRE(load_cols("a,c\n1,-\n2,7\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(strcmp(d->classes[0], "7") == 0 && strcmp(d->classes[1], "-") == 0);
	CHECK(d->x_mem[1] == 1 && d->x_mem[3] == 0);
	data_free(d);
	/* 0 and 1 are the targets themselves: no labels kept; "1.0" is the label "1" */
	opts(&o);
	REQUIRE(load_cols("a,c\n1,0\n2,1\n3,1.0\n4,0\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->classes == NULL && d->nclasses == 0 && d->x_mem[3] == 1 && d->x_mem[5] == 1 && d->x_mem[7] == 0);
	data_free(d);
	/* K > 2: one-hot targets, labels in order (numbers by value, then text) */
	opts(&o);
	REQUIRE(load_cols("a,c\n1,10\n2,x\n3,9\n4,10\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->nclasses == 3 && d->ntargets == 3 && d->cols == 4);
	CHECK(strcmp(d->classes[0], "9") == 0 && strcmp(d->classes[1], "10") == 0 && strcmp(d->classes[2], "x") == 0);
	CHECK_STR(row_text(d, 0, buf, sizeof buf), "1 | 0 1 0");
	CHECK_STR(row_text(d, 1, buf, sizeof buf), "2 | 0 0 1");
	CHECK_STR(row_text(d, 2, buf, sizeof buf), "3 | 1 0 0");
	CHECK(data_class(d, 0) == 1 && data_class(d, 1) == 2 && data_class(d, 2) == 0);
	data_free(d);
	/* ten digits as labels: 0 to 9 in numeric order */
	used = (size_t)snprintf(big, sizeof big, "p,digit\n");
	for (k = 0; k < 40; k++)
		used += (size_t)snprintf(big + used, sizeof big - used, "%zu,%zu\n", k, 9 - k % 10);
	REQUIRE(load(big, 0, &d, err, sizeof err) == 0);
	CHECK(d->nclasses == 10 && strcmp(d->classes[0], "0") == 0 && strcmp(d->classes[9], "9") == 0);
	CHECK(data_class(d, 0) == 9 && data_class(d, 9) == 0);
	data_free(d);
	opts(&o);
	o.positive = "maybe";
	CHECK(load_cols("a,c\n1,yes\n2,no\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "--positive: 'maybe' is not one of the labels 'no' and 'yes' of column 'c'");
	opts(&o);
	o.positive = "x";
	CHECK(load_cols("a,c\n1,x\n2,y\n3,z\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "--positive is for two classes; target column 'c' holds 3");
	opts(&o);
	CHECK(load_cols("a,c\n1,pos\n2,pos\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: target column 'c' holds one label, 'pos': two classes are needed");
	/* not labels: numbers that are not whole, soft targets without the flag, an id */
	CHECK(load("1,0\n2,1.5\n3,1\n", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:2: target column 2 holds 3 distinct values, some not whole numbers ('1.5'): "
	    "a target column holds class labels (text or whole numbers)");
	CHECK(load("a,y\n1,0\n2,1\n3,0.5\n", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: target column 'y' holds 3 distinct numbers in [0,1], not class labels: for soft targets "
	    "give --soft-targets");
	CHECK(load("label,x,y\n1,0.5,0.25\n0,1.5,0.75\n", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: target column 'y' holds 2 distinct numbers in [0,1], not class labels: for soft targets "
	    "give --soft-targets; is 'label' the label column? then -t 'label'");
	used = (size_t)snprintf(big, sizeof big, "outcome,x,id\n");
	for (k = 0; k < 30; k++)
		used += (size_t)snprintf(big + used, sizeof big - used, "%zu,%zu,P%03zu\n", k % 2, k, k);
	CHECK(load(big, 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: target column 'id' holds 30 distinct values, 30 of them on one row each: not class "
	    "labels (an id, or a measurement?); is 'outcome' the label column? then -t 'outcome'");
	/* soft targets: numbers in [0,1], kept as they are */
	opts(&o);
	o.soft = 1;
	REQUIRE(load_cols("a,y\n1,0\n2,1\n3,0.5\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->classes == NULL && d->x_mem[5] == 0.5);
	data_free(d);
	opts(&o);
	o.soft = 1;
	CHECK(load_cols("a,y\n1,0\n2,1.5\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:3:2: target '1.5' is outside [0,1]");
	/* several targets: 0 or 1 each, and no labels */
	CHECK(load("1,0,yes\n2,1,no\n", 2, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:1:3: target 'yes' is not a number; class labels need a single target column");
	CHECK(load("1,0,0.5\n2,1,1\n", 2, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:1:3: target '0.5' in column 3 is not 0 or 1: each of several target columns holds 0/1 "
	    "labels; for soft targets in [0,1] give --soft-targets");
	/* classes given (a model's): other labels refused, "1.0" the same as "1" */
	{
		char *cls[] = { "neg", "pos" }, *num[] = { "0", "1", "2" };

		opts(&o);
		o.classes = cls;
		o.nclasses = 2;
		o.classes_from = "m.json";
		REQUIRE(load_cols("a,c\n1,pos\n2,neg\n3,pos\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
		CHECK(d->nclasses == 2 && d->x_mem[1] == 1 && d->x_mem[3] == 0);
		data_free(d);
		CHECK(load_cols("a,c\n1,pos\n2,maybe\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_DATA);
		CHECK_STR(err, "d.csv:3:2: target 'maybe' is not one of the classes 'neg' and 'pos' of m.json");
		o.classes = num;
		o.nclasses = 3;
		REQUIRE(load_cols("a,c\n1,2.0\n2,0\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
		CHECK(d->ntargets == 3 && data_class(d, 0) == 2 && data_class(d, 1) == 0);
		data_free(d);
	}
}

/* Categorical columns: one 0/1 input per category, in byte order; -c auto; a given encoding. */
static void
categories(void)
{
	struct data_opts o;
	struct dataset *d, *v;
	char err[512], buf[256];
	const char *shop = "color,zip,price,y\nred,02134,1.5,1\nblue,2134,2.5,0\nred,02134,3,0\ngreen,10,4,1\n";

	opts(&o);
	REQUIRE(load_cols(shop, NULL, NULL, NULL, "color,zip", &o, &d, err, sizeof err) == 0);
	CHECK(d->enc != NULL && d->enc->ncols == 3 && d->enc->ninputs == 7 && data_nfeatures(d) == 7);
	CHECK(d->enc->col[0].ncat == 3 && strcmp(d->enc->col[0].cat[0], "blue") == 0);
	/* the zip codes are categories exactly as their text: "02134" and "2134" are two */
	CHECK(d->enc->col[1].ncat == 3 && strcmp(d->enc->col[1].cat[0], "02134") == 0 &&
	    strcmp(d->enc->col[1].cat[1], "10") == 0);
	CHECK_STR(d->names[2], "color=red");
	CHECK_STR(d->names[6], "price");
	CHECK_STR(row_text(d, 0, buf, sizeof buf), "0 0 1 1 0 0 1.5 | 1");
	CHECK_STR(row_text(d, 3, buf, sizeof buf), "0 1 0 0 1 0 4 | 1");
	/* the validation rows take the training set's encoding: an unseen category sets no input, and is counted */
	opts(&o);
	o.like = d;
	o.tcols = 1;
	REQUIRE(load_cols("price,color,zip,y\n1,purple,10,1\n2,blue,99999,0\n", NULL, NULL, NULL, NULL, &o, &v, err,
	    sizeof err) == 0);
	CHECK_STR(row_text(v, 0, buf, sizeof buf), "0 0 0 0 1 0 1 | 1");
	CHECK(v->unseen != NULL && v->unseen[0] == 1 && v->unseen[1] == 1 && v->unseen[2] == 0);
	data_free(v);
	data_free(d);
	/* auto: the columns whose first data row holds text */
	opts(&o);
	o.cat_auto = 1;
	REQUIRE(load_cols(shop, NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->enc->col[0].ncat == 3 && d->enc->col[1].ncat == 0 && d->enc->ninputs == 5);
	data_free(d);
	/* text in a numeric column: say which column and what to do */
	CHECK(load(shop, 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:1: 'red' in column 'color' is not a number; name it with --categorical to encode its "
	    "values as categories, or -x to ignore it");
	/* the cap: an id column named by mistake */
	opts(&o);
	o.max_categories = 2;
	CHECK(load_cols(shop, NULL, NULL, NULL, "color", &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:5:1: column 'color' holds more than 2 categories: is it an id? skip it with -x, or allow "
	    "more with --max-categories");
	/* missing categories: refused, or with --impute no input set */
	opts(&o);
	CHECK(load_cols("c,y\na,1\nNA,0\nb,0\n", NULL, NULL, NULL, "c", &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:3:1: missing value 'NA' in column 'c'; use --drop-missing to skip such rows");
	opts(&o);
	o.impute = 1;
	REQUIRE(load_cols("c,y\na,1\nNA,0\nb,0\n", NULL, NULL, NULL, "c", &o, &d, err, sizeof err) == 0);
	CHECK_STR(row_text(d, 1, buf, sizeof buf), "0 0 | 0");
	data_free(d);
}

/* Missing values: refused, skipped, imputed; hints for an empty unnamed column, a header repeated. */
static void
missing(void)
{
	struct data_opts o;
	struct dataset *d, *v;
	char err[512], buf[256];

	opts(&o);
	CHECK(load_cols("id,a,y\nNA,1,0\n2,NA,1\n", NULL, "id", NULL, NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:3:2: missing value 'NA' in column 'a'; use --drop-missing to skip such rows, or "
	    "--impute mean to fill them");
	opts(&o);
	o.drop_missing = 1;
	REQUIRE(load_cols("id,a,y\nNA,1,0\n2,NA,1\n3,?,1\n4,2,\n5,3,1\n", NULL, "id", NULL, NULL, &o, &d, err,
	    sizeof err) == 0);
	CHECK(d->rows == 2 && d->dropped == 3 && d->x_mem[0] == 1 && d->x_mem[2] == 3);
	data_free(d);
	opts(&o);
	o.drop_missing = 1;
	CHECK(load_cols("a,y\n?,1\nNA,0\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: no data rows: all 2 had missing values");
	/* a separator at the end of every line */
	CHECK(load("a,b,y,\n1,2,0,\n2,3,1,\n", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:4: column '' is empty and has no name: a separator at the end of every line? skip the "
	    "column with -x 4");
	/* files joined with cat: the header again among the rows */
	CHECK(load("a,b,y\n1,2,0\na,b,y\n2,3,1\n", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:3: this row repeats the header of line 1: files joined with cat? keep one header "
	    "(tail -n +2 on the files after the first)");
	/* --impute: the mean (or median) of the training rows, for them and the validation rows */
	opts(&o);
	o.impute = 1;
	REQUIRE(load_cols("a,b,y\n1,NA,0\n3,10,1\nNA,20,1\n5,60,0\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->missing == 2 && isnan(d->x_mem[1]) && isnan(d->x_mem[6]));
	opts(&o);
	o.impute = 1;
	o.like = d;
	o.tcols = 1;
	REQUIRE(load_cols("a,b,y\nNA,NA,1\n", NULL, NULL, NULL, NULL, &o, &v, err, sizeof err) == 0);
	CHECK(data_impute(d, v, IMPUTE_MEDIAN, err, sizeof err) == 0);
	CHECK(d->missing == 2 && d->enc->col[0].fill && d->enc->col[0].value == 3 && d->enc->col[1].value == 20);
	CHECK_STR(row_text(d, 0, buf, sizeof buf), "1 20 | 0");
	CHECK_STR(row_text(v, 0, buf, sizeof buf), "3 20 | 1");
	data_free(v);
	data_free(d);
	opts(&o);
	o.impute = 1;
	REQUIRE(load_cols("a,b,y\n1,NA,0\n3,10,1\nNA,20,1\n5,60,0\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(data_impute(d, NULL, IMPUTE_MEAN, err, sizeof err) == 0);
	CHECK(d->enc->col[0].value == 3 && d->enc->col[1].value == 30 && d->x_mem[1] == 30);
	data_free(d);
	/* the median of an even count: the mean of the two middle values (1 2 | 4 10: 3, not 4) */
	opts(&o);
	o.impute = 1;
	REQUIRE(load_cols("a,y\n10,0\n2,1\nNA,1\n1,0\n4,1\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(data_impute(d, NULL, IMPUTE_MEDIAN, err, sizeof err) == 0);
	CHECK(d->enc->col[0].value == 3 && d->x_mem[4] == 3);
	data_free(d);
	opts(&o);
	o.impute = 1;
	REQUIRE(load_cols("a,b,y\n1,NA,0\n3,NA,1\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(data_impute(d, NULL, IMPUTE_MEAN, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "--impute: column 'b' has no value in the training rows to take the mean of");
	data_free(d);
	/* an encoding with fill values fills as it reads */
	{
		struct encoding *e = encoding_new(2);

		e->col[0].fill = 1;
		e->col[0].value = 7;
		opts(&o);
		o.enc = e;
		o.tcols = 1;
		REQUIRE(load_cols("NA,2,1\n4,5,0\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
		CHECK(d->missing == 0 && d->x_mem[0] == 7);
		data_free(d);
		encoding_free(e);
	}
}

/* Weights and class weights. */
static void
weights(void)
{
	struct data_opts o;
	struct dataset *d;
	char err[512];
	double *cw;

	opts(&o);
	REQUIRE(load_cols("a,w,y\n1,2,0\n2,0.5,1\n", NULL, NULL, "w", NULL, &o, &d, err, sizeof err) == 0);
	CHECK(d->cols == 2 && d->weight != NULL && d->weight[0] == 2 && d->weight[1] == 0.5);
	CHECK_STR(d->weight_name, "w");
	data_free(d);
	opts(&o);
	CHECK(load_cols("a,w,y\n1,2,0\n2,-1,1\n", NULL, NULL, "w", NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:3:2: weight '-1' is negative");
	opts(&o);
	CHECK(load_cols("a,w,y\n1,0,0\n2,0,1\n", NULL, NULL, "w", NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: the weights of column w add up to 0; they must have a positive, finite sum");
	opts(&o);
	CHECK(load_cols("a,w,y\n1,1e308,0\n2,1e308,1\n", NULL, NULL, "w", NULL, &o, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: the weights of column w add up to inf; they must have a positive, finite sum");

	/* class weights: n / (K n_c), times the row's own weight */
	opts(&o);
	REQUIRE(load_cols("a,w,y\n1,1,0\n2,1,0\n3,1,0\n4,2,1\n", NULL, NULL, "w", NULL, &o, &d, err, sizeof err) == 0);
	CHECK(data_balance(d, &cw, "d.csv", err, sizeof err) == 0);
	CHECK(cw != NULL && cw[0] == 4.0 / 6 && cw[1] == 2.0);
	CHECK(d->weight[0] == 4.0 / 6 && d->weight[3] == 4.0);
	free(cw);
	data_free(d);
	REQUIRE(load("a,y\n1,b\n2,a\n3,c\n4,a\n5,a\n6,c\n", 0, &d, err, sizeof err) == 0);
	CHECK(data_balance(d, &cw, "d.csv", err, sizeof err) == 0);
	CHECK(cw[0] == 6.0 / 9 && cw[1] == 2.0 && cw[2] == 1.0);
	CHECK(d->weight[0] == 2.0 && d->weight[1] == 6.0 / 9);
	free(cw);
	data_free(d);
	opts(&o);
	o.soft = 1;
	REQUIRE(load_cols("a,y\n1,0.5\n2,1\n", NULL, NULL, NULL, NULL, &o, &d, err, sizeof err) == 0);
	CHECK(data_balance(d, &cw, "d.csv", err, sizeof err) == ST_DATA && cw == NULL);
	CHECK_STR(err, "--class-weight balanced needs targets that are 0 or 1 (or class labels); d.csv has 0.5");
	data_free(d);
}

/*
 * The holdout: stratified by class (a soft t >= 0.5 is class 1), seeded, file
 * order kept in both parts, the weights kept with their rows.
 */
static void
holdout(void)
{
	struct dataset *d, *v;
	char err[512], big[4096];
	size_t used = 0, n1 = 0, k, pos, per[3] = { 0, 0, 0 };
	struct rng r;

	used += (size_t)snprintf(big + used, sizeof big - used, "a,y\n");
	for (k = 0; k < 100; k++)
		used += (size_t)snprintf(big + used, sizeof big - used, "%zu,%d\n", k, k % 4 == 0);
	REQUIRE(load(big, 0, &d, err, sizeof err) == 0);
	rng_seed(&r, 5);
	CHECK(data_holdout(d, 0.2, &r, &v, err, sizeof err) == 0);
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
	data_free(d);
	/* -w: each training row keeps its own weight (here a + 1) */
	{
		struct data_opts o;

		used = (size_t)snprintf(big, sizeof big, "a,w,y\n");
		for (k = 0; k < 40; k++)
			used += (size_t)snprintf(big + used, sizeof big - used, "%zu,%zu,%d\n", k, k + 1, k % 4 == 0);
		opts(&o);
		REQUIRE(load_cols(big, NULL, NULL, "w", NULL, &o, &d, err, sizeof err) == 0);
		CHECK(data_holdout(d, 0.2, &r, &v, err, sizeof err) == 0);
		CHECK(d->rows == 32 && v->rows == 8);
		for (k = 0, pos = 0; k < d->rows; k++)
			pos += d->weight[k] == d->x_mem[2 * k] + 1;
		CHECK_MSG(pos == d->rows, "%zu of %zu training rows with their own weight", pos, d->rows);
		data_free(v);
		data_free(d);
	}
	/* three classes of 60, 30 and 10 rows: a tenth of each */
	used = (size_t)snprintf(big, sizeof big, "a,y\n");
	for (k = 0; k < 100; k++)
		used += (size_t)snprintf(big + used, sizeof big - used, "%zu,%s\n", k, k < 60 ? "a" : k < 90 ? "b" : "c");
	REQUIRE(load(big, 0, &d, err, sizeof err) == 0);
	CHECK(data_holdout(d, 0.1, &r, &v, err, sizeof err) == 0);
	for (k = 0; k < v->rows; k++)
		per[data_class(v, k)]++;
	CHECK(v->rows == 10 && per[0] == 6 && per[1] == 3 && per[2] == 1);
	data_free(v);
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
		struct data_opts o;
		int st;

		opts(&o);
		o.soft = 1;
		REQUIRE(load_with("a,y\n1,0.5\n2,0\n3,0\n4,0.5\n5,0\n6,0\n7,0\n8,0.25\n9,0\n10,0\n", &o, &d, err,
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

/* The header guess, separators, the statistics, and errors naming file, line and column. */
static void
basics(void)
{
	struct dataset *d;
	double mean[3], std[3];
	char err[512];

	/* header detected and kept; rows in one block */
	REQUIRE(load("a,b,c,y\n1,2,-1,0\n3,2,5,1\n5,2,2,1\n", 0, &d, err, sizeof err) == 0);
	CHECK(d->rows == 3 && d->cols == 4 && d->ntargets == 1 && data_nfeatures(d) == 3);
	CHECK(d->names != NULL && d->tnames != NULL);
	CHECK_STR(d->names[0], "a");
	CHECK_STR(d->tnames[0], "y");
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
	/*
	 * Values near the largest double: the plain sum overflows, the scaled
	 * one does not (mean 0.825e308, std sqrt(8.5075/4) 1e308); a std below
	 * the smallest normal double counts as 1, as 0 does.
	 */
	REQUIRE(load("a,b,y\n1.7e308,0,0\n1.7e308,1e-310,1\n1.6e308,0,1\n-1.7e308,1e-310,0\n", 0, &d, err, sizeof err) == 0);
	data_stats(d, mean, std);
	CHECK_NEAR(mean[0] / 1e308, 0.825, 1e-15);
	CHECK_NEAR(std[0] / 1e308, sqrt(8.5075 / 4), 1e-15);
	CHECK(std[1] == 1 && mean[1] == 5e-311);
	data_free(d);
	/* a categorical input is left as it is: mean 0, std 1 */
	{
		struct data_opts o;

		opts(&o);
		REQUIRE(load_cols("c,x,y\nu,1,0\nv,3,1\n", NULL, NULL, NULL, "c", &o, &d, err, sizeof err) == 0);
		data_stats(d, mean, std);
		CHECK(mean[0] == 0 && std[0] == 1 && mean[1] == 0 && std[1] == 1 && mean[2] == 2 && std[2] == 1);
		data_free(d);
	}

	/* no header: every row is data; two targets */
	REQUIRE(load("0.5,1,0\n1.5,0,1\n", 2, &d, err, sizeof err) == 0);
	CHECK(d->rows == 2 && d->names == NULL && data_nfeatures(d) == 1);
	data_free(d);

	/* the header forced either way, other separators */
	{
		struct data_opts o;

		opts(&o);
		o.delim = ';';
		o.header = 1;
		CHECK(load_with("1;2;0\n3;4;1\n5;6;0\n", &o, &d, err, sizeof err) == 0);
		CHECK(d->rows == 2 && d->names != NULL && d->x_mem[0] == 3);
		CHECK_STR(d->names[1], "2");
		data_free(d);
		o.header = 0;
		o.delim = '\t';
		REQUIRE(load_with("1\t2\t0\n3\t4\t1\n", &o, &d, err, sizeof err) == 0);
		CHECK(d->rows == 2 && d->names == NULL && d->x_mem[0] == 1);
		data_free(d);
		CHECK(load_with("a\tb\ty\n3\t4\t1\n", &o, &d, err, sizeof err) == ST_DATA);
		CHECK_STR(err, "d.csv:1:1: 'a' in column 1 is not a number; name it with --categorical to encode its values "
		    "as categories, or -x to ignore it");
		o.delim = ',';
		CHECK(load_with("1;2;0\n", &o, &d, err, sizeof err) == ST_DATA);
		CHECK_STR(err, "d.csv:1: one column per row, and semicolons inside: give -d ';'");
		CHECK(load_with("1\t2\t0\n", &o, &d, err, sizeof err) == ST_DATA);
		CHECK_STR(err, "d.csv:1: one column per row, and tabs inside: a tab-separated file? give -d tab");
		CHECK(load_with("\x1f\x8b\x08junk\n", &o, &d, err, sizeof err) == ST_DATA);
		CHECK_STR(err, "d.csv: gzip-compressed data, not text: decompress it first (zcat d.csv | ... -)");
	}

	/* errors, each naming file, line and column */
	CHECK(load("a,b,c\n1,0,0\n2,x,1\n", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:3:2: 'x' in column 'b' is not a number; name it with --categorical to encode its values "
	    "as categories, or -x to ignore it");
	CHECK(d == NULL);
	CHECK(load("a,b\n1,0\n\n2,1,3\n", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:4: 3 fields, expected 2 as on line 1");
	CHECK(load("1,0\n,1\n", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:1: missing value '' in column 1; use --drop-missing to skip such rows, or --impute mean "
	    "to fill them");
	CHECK(load("1,0\ninf,1\n", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:1: 'inf' in column 1 is not a finite number");
	CHECK(load("1,0\n1e400,1\n", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:2:1: '1e400' in column 1 is too large for a double");
	CHECK(load("", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: no data rows");
	CHECK(load("a,b\n", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv: no data rows");
	CHECK(load("1\n2\n", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:1: 1 column: too few for 1 target and at least one feature");
	/* a bad field after a quoted field spanning two lines: its own line */
	CHECK(load("\"a\nb\",x,y\n1,0,0\n2,z,1\n", 0, &d, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "d.csv:4:2: 'z' in column 'x' is not a number; name it with --categorical to encode its values "
	    "as categories, or -x to ignore it");
}

int
main(void)
{
	basics();
	columns();
	labels();
	categories();
	missing();
	weights();
	holdout();
	return check_summary("test_data");
}
