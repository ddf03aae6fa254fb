/*
 * Several workers reading one file: the transport of threads (comm.c),
 * the parts (shard.c) and the loader across workers (data_load).  The
 * promise under test: P workers, each reading its own part, end with
 * what one worker reading the whole file gets (the same rows in the same
 * order once the parts are put end to end, the same labels, categories
 * and counts), and with the same message, to the byte, when the file is
 * bad, wherever the bad row is.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "comm.h"
#include "data.h"
#include "readparts.h"
#include "rng.h"
#include "shard.h"
#include "status.h"

#define MAXW 8

/* ---- the team of threads ---- */

struct collective {
	struct comm c;
	double w[10], sum[3], max[2], chain;
	uint64_t u[2];
	char *all;
	size_t lens[MAXW];
	int agreed, who, bc;
};

/* comm_chain's add: the worker's number as the next digit, so the order shows. */
static void
add_digit(void *ctx, double *v)
{
	v[0] = v[0] * 10 + ((const struct comm *)ctx)->rank + 1;
}

static void *
collectives(void *arg)
{
	struct collective *x = arg;
	static const double counts[4] = { 1, 0, 3, 4 };
	char mine[16];
	size_t len = (size_t)x->c.rank + 1, i;

	for (i = 0; i < 10; i++)
		x->w[i] = (x->c.rank + 1) * 0.1 + (double)i;
	comm_average_prepare(&x->c, 10);
	comm_average(&x->c, x->w, 10, counts);
	x->sum[0] = 0.1 * (x->c.rank + 1);
	x->sum[1] = 1e16;
	x->sum[2] = x->c.rank == 0 ? 1 : -1e16;
	comm_sum(&x->c, x->sum, 3);
	x->u[0] = (uint64_t)x->c.rank;
	x->u[1] = 1;
	comm_sum_u64(&x->c, x->u, 2);
	x->max[0] = -(double)x->c.rank;
	x->max[1] = (double)x->c.rank;
	comm_max(&x->c, x->max, 2);
	x->chain = 0;
	comm_chain(&x->c, &x->chain, 1, add_digit, &x->c);
	memset(mine, 'a' + x->c.rank, sizeof mine);
	x->c.ops->allgatherv(&x->c, mine, len, &x->all, x->lens);
	x->agreed = comm_agree(&x->c, x->c.rank >= 2 ? 10 + x->c.rank : 0, &x->who);
	x->bc = x->c.rank == 2 ? 77 : 0;
	x->c.ops->bcast(&x->c, &x->bc, sizeof x->bc, 2);
	return NULL;
}

/* The collectives of a team of 4 threads, against the sums taken in worker order by hand. */
static void
team(void)
{
	struct collective x[4];
	pthread_t th[4];
	struct team *t = comm_threads_new(4);
	double want, c[4] = { 1, 0, 3, 4 };
	size_t i;
	int r;

	REQUIRE(t != NULL);
	memset(x, 0, sizeof x);
	for (r = 0; r < 4; r++)
		comm_threads_join(t, r, &x[r].c);
	for (r = 1; r < 4; r++)
		pthread_create(&th[r], NULL, collectives, &x[r]);
	collectives(&x[0]);
	for (r = 1; r < 4; r++)
		pthread_join(th[r], NULL);
	for (i = 0; i < 10; i++) {
		want = (c[0] * (1 * 0.1 + (double)i) + c[2] * (3 * 0.1 + (double)i) + c[3] * (4 * 0.1 + (double)i)) / 8;
		for (r = 0; r < 4; r++)
			CHECK_MSG(x[r].w[i] == want, "worker %d, w[%zu] = %.17g, want %.17g", r, i, x[r].w[i], want);
	}
	for (r = 0; r < 4; r++) {
		CHECK(x[r].sum[0] == ((0.1 + 0.2) + 0.30000000000000004) + 0.4);	/* 0.1 * 3 */
		CHECK(x[r].sum[2] == ((1 + -1e16) + -1e16) + -1e16);	/* the order shows in the bits */
		CHECK(x[r].u[0] == 6 && x[r].u[1] == 4);
		CHECK(x[r].max[0] == 0 && x[r].max[1] == 3);
		CHECK_MSG(x[r].chain == 1234, "worker %d: the chain gives %g, want 1234", r, x[r].chain);
		CHECK(x[r].lens[0] == 1 && x[r].lens[3] == 4 && x[r].all != NULL &&
		    memcmp(x[r].all, "abbcccdddd", 10) == 0);
		CHECK(x[r].agreed == 12 && x[r].who == 2);
		CHECK(x[r].bc == 77);
		free(x[r].all);
	}
	comm_threads_free(t);
}

/* One worker alone, and the cuts. */
static void
solo_and_cuts(void)
{
	struct comm c;
	double w[2] = { 1.5, -2 }, s[1] = { 0.1 };
	int who;

	comm_solo(&c);
	CHECK(comm_average(&c, w, 2, (const double[]){ 7 }) == 0 && w[0] == 1.5 && w[1] == -2);
	/* the mix: one count alone gives that worker's weights to the bit; none, the first's */
	{
		const double a[1] = { 0.1 }, b[1] = { 0.7 }, *v[2] = { a, b };

		CHECK(comm_mix(v, 0, (const double[]){ 0, 3 }, 2, 3) == 0.7);
		CHECK(comm_mix(v, 0, (const double[]){ 0, 0 }, 2, 0) == 0.1);
		CHECK(comm_mix(v, 0, (const double[]){ 1, 3 }, 2, 4) == (1 * 0.1 + 3 * 0.7) / 4);
	}
	CHECK(comm_sum(&c, s, 1) == 0 && s[0] == 0.1);
	CHECK(comm_agree(&c, 3, &who) == 3 && who == 0);
	CHECK(comm_agree(&c, 0, &who) == 0 && who == -1);
	CHECK(shard_cut(10, 3, 0) == 0 && shard_cut(10, 3, 1) == 3 && shard_cut(10, 3, 2) == 6);
	CHECK(shard_cut(UINT64_C(0xffffffffffffffff), 7, 6) == UINT64_C(0xffffffffffffffff) / 7 * 6 +
	    UINT64_C(0xffffffffffffffff) % 7 * 6 / 7);
}

/* ---- loading across workers ---- */

/* What a run of data_load gives: status, message, and the rows of the parts end to end. */
struct loaded {
	int st;
	char err[ERRLEN];
	struct dataset *d[MAXW];
	size_t rows;
	double *x;	/* (rows, cols): the parts end to end */
};

static void
loaded_free(struct loaded *l)
{
	int r;

	for (r = 0; r < MAXW; r++)
		data_free(l->d[r]);
	free(l->x);
	memset(l, 0, sizeof *l);
}

/* Loads text with P workers (threads) from memory, or from a file when fd >= 0. */
static void
load_p(const char *text, size_t len, int P, int fd, const struct data_opts *o, struct loaded *l)
{
	struct reader rd[MAXW];
	size_t off = 0, cols;
	int r, agree = 1;

	memset(l, 0, sizeof *l);
	read_parts(text, len, fd, "d.csv", o, P, rd);
	for (r = 0; r < P; r++)
		agree &= rd[r].st == rd[0].st && rd[r].who == rd[0].who;
	CHECK_MSG(agree, "the workers disagree on the status (worker 0: %d from %d)", rd[0].st, rd[0].who);
	l->st = rd[0].st;
	if (l->st != 0) {
		CHECK_MSG(rd[0].who >= 0 && rd[0].who < P, "who %d", rd[0].who);
		if (rd[0].who >= 0 && rd[0].who < P)
			snprintf(l->err, sizeof l->err, "%s", rd[rd[0].who].err);
		return;
	}
	for (r = 0; r < P; r++) {
		l->d[r] = rd[r].d;
		l->rows += rd[r].d->rows;
		CHECK(rd[r].d->rows_all == rd[0].d->rows_all);
	}
	cols = rd[0].d->cols;
	l->x = malloc((l->rows + 1) * cols * sizeof *l->x);
	for (r = 0; r < P; r++) {
		CHECK(rd[r].d->cols == cols);
		if (rd[r].d->rows > 0)
			memcpy(l->x + off, rd[r].d->x_mem, rd[r].d->rows * cols * sizeof *l->x);
		off += rd[r].d->rows * cols;
	}
}

/* Whether two data sets say the same of their rows' meaning. */
static int
same_meaning(const struct dataset *a, const struct dataset *b)
{
	size_t k;

	if (a->cols != b->cols || a->ntargets != b->ntargets || a->nclasses != b->nclasses ||
	    a->dropped != b->dropped || a->missing != b->missing || a->enc->ninputs != b->enc->ninputs ||
	    a->enc->ncols != b->enc->ncols || (a->names == NULL) != (b->names == NULL))
		return 0;
	for (k = 0; k < a->nclasses; k++)
		if (strcmp(a->classes[k], b->classes[k]) != 0)
			return 0;
	for (k = 0; a->names != NULL && k < a->enc->ninputs; k++)
		if (strcmp(a->names[k], b->names[k]) != 0)
			return 0;
	for (k = 0; a->unseen != NULL && k < a->enc->ncols; k++)
		if (a->unseen[k] != b->unseen[k])
			return 0;
	return 1;
}

/* text read by 1 worker and by P (from memory, then from a file): the same. */
static void
same_as_one(const char *what, const char *text, size_t len, const struct data_opts *o)
{
	static const int ps[] = { 2, 3, 4, 7 };
	struct loaded one, many;
	char path[] = "/tmp/test_shard.XXXXXX";
	size_t i;
	int fd = mkstemp(path), src;

	REQUIRE(fd >= 0 && write(fd, text, len) == (ssize_t)len);
	load_p(text, len, 1, -1, o, &one);
	for (i = 0; i < sizeof ps / sizeof *ps; i++)
		for (src = 0; src < 2; src++) {
			load_p(text, len, ps[i], src ? fd : -1, o, &many);
			CHECK_MSG(many.st == one.st, "%s, %d workers%s: status %d, one worker's %d (%s)", what, ps[i],
			    src ? " from a file" : "", many.st, one.st, many.st ? many.err : one.err);
			if (one.st != 0 && many.st == one.st)
				CHECK_MSG(strcmp(many.err, one.err) == 0, "%s, %d workers: \"%s\", one worker's \"%s\"", what,
				    ps[i], many.err, one.err);
			if (one.st == 0 && many.st == 0) {
				CHECK_MSG(many.rows == one.rows && many.d[0]->rows_all == one.rows, "%s, %d workers: %zu rows, "
				    "one worker's %zu", what, ps[i], many.rows, one.rows);
				CHECK_MSG(many.rows == one.rows && memcmp(many.x, one.x, one.rows * one.d[0]->cols *
				    sizeof *one.x) == 0, "%s, %d workers: the rows differ", what, ps[i]);
				CHECK_MSG(same_meaning(many.d[0], one.d[0]) && same_meaning(many.d[ps[i] - 1], one.d[0]),
				    "%s, %d workers: the columns, labels or counts differ", what, ps[i]);
			}
			loaded_free(&many);
		}
	loaded_free(&one);
	close(fd);
	unlink(path);
}

static void
opts(struct data_opts *o)
{
	memset(o, 0, sizeof *o);
	o->delim = ',';
	o->header = DATA_HEADER_GUESS;
}

/* Random files: numbers, categories, labels, quoted fields with line breaks, each kind of line end. */
static void
random_files(void)
{
	static const char *const ends[] = { "\n", "\r\n", "\r" };
	static const char *const cats[] = { "red", "green", "\"blue\"", "\"dark\nblue\"", "\"a,b\"" };
	static const char *const labels[] = { "yes", "no", "maybe" };
	struct data_opts o;
	struct colspec c;
	struct rng r;
	char *text = malloc(1 << 16), what[64];
	size_t len, rows, k;
	int f, e;

	REQUIRE(text != NULL);
	rng_seed(&r, 11);
	for (f = 0; f < 60; f++) {
		e = (int)rng_below(&r, 3);
		len = 0;
		if (f % 5 == 0)
			len += (size_t)sprintf(text + len, "\xef\xbb\xbf");
		if (f % 3 != 2)
			len += (size_t)sprintf(text + len, "x,\"col\nor\",y%s", ends[e]);
		rows = 1 + rng_below(&r, f < 10 ? 6 : 200);
		for (k = 0; k < rows; k++) {
			len += (size_t)sprintf(text + len, "%.3f,%s,%s%s", rng_uniform(&r) * 10 - 5,
			    cats[rng_below(&r, 5)], labels[rng_below(&r, f % 2 ? 2 : 3)], ends[e]);
			if (rng_below(&r, 20) == 0)
				len += (size_t)sprintf(text + len, "%s", ends[e]);	/* a blank line */
		}
		opts(&o);
		memset(&c, 0, sizeof c);
		REQUIRE(colspec_parse("-c", "2", &c, what, sizeof what) == 0);
		o.categorical = &c;
		snprintf(what, sizeof what, "file %d (%zu rows)", f, rows);
		same_as_one(what, text, len, &o);
		colspec_free(&c);
	}
	free(text);
}

/* Errors in the last part, in the first, across parts: the message one worker gives. */
static void
errors(void)
{
	struct data_opts o;
	struct colspec c;
	char text[8192], err[64];
	size_t len, k;

	opts(&o);
	len = (size_t)sprintf(text, "a,b,y\n");
	for (k = 0; k < 300; k++)
		len += (size_t)sprintf(text + len, "%zu,%zu,%zu\n", k, k * 7 % 13, k % 2);
	same_as_one("good", text, len, &o);
	text[len - 4] = 'x';	/* the last row's b */
	same_as_one("a bad number on the last row", text, len, &o);
	text[8] = 'z';	/* the first row's a */
	same_as_one("bad numbers on the first and last rows", text, len, &o);
	text[len - 4] = '1';
	text[len - 3] = '"';
	same_as_one("a quote opened on the last line", text, len, &o);
	same_as_one("a header alone", "a,b,y\n", 6, &o);
	same_as_one("nothing", "", 0, &o);
	same_as_one("one row", "1,2,0\n", 6, &o);
	same_as_one("rows of different widths", "a,b,y\n1,2,0\n1,2\n3,4,1\n", 22, &o);
	/* --max-categories 3: two new in each half, the fourth a line after the middle */
	len = (size_t)sprintf(text, "c,y\n");
	for (k = 0; k < 200; k++)
		len += (size_t)sprintf(text + len, "%s,%zu\n", k < 100 ? (k % 2 ? "p" : "q") : k == 101 ? "s" :
		    k == 150 ? "t" : "r", k % 2);
	memset(&c, 0, sizeof c);
	REQUIRE(colspec_parse("-c", "c", &c, err, sizeof err) == 0);
	o.categorical = &c;
	o.max_categories = 3;
	same_as_one("a fourth category", text, len, &o);
	o.max_categories = 4;
	same_as_one("a fifth category", text, len, &o);
	o.max_categories = 5;
	same_as_one("five categories", text, len, &o);
	/* a missing value before the first category past the limit, on the same row and before it */
	text[len - 5] = 'u';
	o.max_categories = 4;
	same_as_one("categories, then an error", text, len, &o);
	colspec_free(&c);
	/* -w: weights whose sum is 0, in parts */
	opts(&o);
	memset(&c, 0, sizeof c);
	REQUIRE(colspec_parse("-w", "w", &c, err, sizeof err) == 0);
	o.weight = &c;
	same_as_one("weights of sum 0", "a,w,y\n1,0,0\n2,0,1\n3,0,1\n4,0,0\n", 30, &o);
	same_as_one("weights", "a,w,y\n1,0,0\n2,0.5,1\n3,0,1\n4,2,0\n", 32, &o);
	colspec_free(&c);
}

/* A quoted field whose line breaks cross every cut, and an empty part. */
static void
quoted_across_cuts(void)
{
	struct data_opts o;
	char text[4096];
	size_t len = 0, k;

	opts(&o);
	len += (size_t)sprintf(text + len, "a,note,y\n1,\"");
	for (k = 0; k < 300; k++)
		len += (size_t)sprintf(text + len, "line %zu\n", k);
	len += (size_t)sprintf(text + len, "\",0\n2,short,1\n3,\"x\ny\",0\n");
	o.ignore = NULL;
	{
		struct colspec x;
		char err[64];

		memset(&x, 0, sizeof x);
		REQUIRE(colspec_parse("-x", "note", &x, err, sizeof err) == 0);
		o.ignore = &x;
		same_as_one("a quoted field over every cut", text, len, &o);
		colspec_free(&x);
	}
}

/* Validation rows: the training set's columns, categories and classes given; values it never saw counted. */
static void
given(void)
{
	struct data_opts o, v;
	struct dataset *train;
	struct colspec c;
	char text[16384], err[ERRLEN];
	size_t len = 0, k;
	FILE *f;

	opts(&o);
	memset(&c, 0, sizeof c);
	REQUIRE(colspec_parse("-c", "color", &c, err, sizeof err) == 0);
	o.categorical = &c;
	len = (size_t)sprintf(text, "x,color,kind\n1,red,a\n2,blue,b\n3,red,c\n");
	REQUIRE((f = fmemopen(text, len, "r")) != NULL);
	REQUIRE(data_read(f, "t.csv", &o, &train, NULL, err, sizeof err) == 0);
	fclose(f);
	v = o;
	v.like = train;
	v.tcols = train->ntcols;
	v.classes = train->classes;
	v.nclasses = train->nclasses;
	v.classes_from = "the training set";
	len = (size_t)sprintf(text, "x,color,kind\n");
	for (k = 0; k < 250; k++)
		len += (size_t)sprintf(text + len, "%zu,%s,%c\n", k, k % 7 == 0 ? "green" : k % 2 ? "red" : "blue",
		    "abc"[k % 3]);
	same_as_one("validation rows", text, len, &v);
	text[len - 2] = 'z';	/* a class the training set has not */
	same_as_one("validation rows with an unknown class", text, len, &v);
	data_free(train);
	colspec_free(&c);
}

int
main(void)
{
	solo_and_cuts();
	team();
	random_files();
	errors();
	quoted_across_cuts();
	given();
	return check_summary("test_shard");
}
