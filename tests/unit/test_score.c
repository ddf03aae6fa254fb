/*
 * The scoring pipeline: two threads give byte for byte the output, message
 * and status of one thread (MLPPREDICT_THREADS=1), on inputs of many
 * batches, with errors on late rows, write errors and interrupts.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>

#include "check.h"
#include "columns.h"
#include "csvread.h"
#include "model.h"
#include "number.h"
#include "rng.h"
#include "score.h"
#include "status.h"

struct run {
	int st;
	char err[ERRLEN];
	char *out;		/* everything printed */
	size_t len;
	int threads;		/* as score_threads reported */
	size_t dropped;		/* as score_dropped reported */
	char *report;		/* what score_report printed, or NULL */
	size_t rlen;
};

/* The options of the runs, or NULL for none (the header rule then guessed). */
static const struct score_opts *run_opts;
static int run_header = CSV_HEADER_GUESS;

/* A model n0-n1-nl with random weights and a standardisation. */
static struct model *
make_model(size_t n0, size_t n1, size_t nl, uint64_t seed)
{
	size_t n[3] = { n0, n1, nl }, j;
	double *mean = malloc(n0 * sizeof *mean), *std = malloc(n0 * sizeof *std);
	struct model *m = model_new(n, 2);
	struct rng r;

	rng_seed(&r, seed);
	if (m == NULL || mean == NULL || std == NULL)
		abort();
	model_init_glorot(m, &r);
	for (j = 0; j < n0; j++) {
		mean[j] = rng_uniform(&r) - 0.5;
		std[j] = 0.5 + rng_uniform(&r);
	}
	if (model_set_standardize(m, mean, std) != 0)
		abort();
	free(mean);
	free(std);
	return m;
}

/*
 * CSV text: a header when `header`, then rows of `fields` numbers; row
 * bad_row (counted from 1 after the header) gets `bad` as its field bad_col
 * (from 1), or the row is cut short when bad is NULL.  Free the result.
 */
static char *
make_csv(size_t rows, size_t fields, int header, size_t bad_row, size_t bad_col, const char *bad, uint64_t seed)
{
	char *text = NULL, num[NUMBER_BUFLEN];
	size_t len = 0, r, j;
	FILE *f = open_memstream(&text, &len);
	struct rng g;

	rng_seed(&g, seed);
	if (f == NULL)
		abort();
	if (header)
		for (j = 0; j < fields; j++)
			fprintf(f, "x%zu%s", j + 1, j + 1 < fields ? "," : "\n");
	for (r = 1; r <= rows; r++) {
		size_t n = r == bad_row && bad == NULL ? fields - 1 : fields;

		for (j = 0; j < n; j++) {
			if (r == bad_row && j + 1 == bad_col && bad != NULL)
				fputs(bad, f);
			else if (j + 1 == fields && fields % 2 == 1)
				fputs(rng_uniform(&g) < 0.5 ? "0" : "1", f);	/* a label */
			else {
				number_format(num, 6 * rng_uniform(&g) - 3, (int)(1 + rng_below(&g, 17)));
				fputs(num, f);
			}
			fputs(j + 1 < n ? "," : "\n", f);
		}
	}
	fclose(f);
	return text;
}

/*
 * Scores the texts in[0..nin-1] as mlppredict does its files, with `threads`
 * (1 or 2).  With cap > 0 the output is a buffer of cap bytes that fails
 * when full (fmemopen), otherwise a growing one.
 */
static void
run(struct run *res, const struct model *m, int digits, int threads, char *const *in, size_t nin,
    size_t cap, const volatile sig_atomic_t *stop)
{
	static char outbuf[1 << 16];
	static const char *const name[] = { "in1.csv", "in2.csv", "in3.csv" };
	struct score *s = score_new(m, digits, threads);
	FILE *out, *f;
	size_t k;

	memset(res, 0, sizeof *res);
	if (s == NULL)
		abort();
	if (cap > 0) {
		res->out = calloc(1, cap + 1);
		/* buffered as mlppredict's output, so that writes fail at the same rows */
		if ((out = res->out ? fmemopen(res->out, cap, "w") : NULL) != NULL)
			setvbuf(out, outbuf, _IOFBF, sizeof outbuf);
	} else
		out = open_memstream(&res->out, &res->len);	/* (its buffer is its own) */
	if (out == NULL)
		abort();
	score_format(s, ',', run_header);
	if (run_opts != NULL && score_options(s, run_opts, res->err, sizeof res->err) != 0)
		abort();
	score_start(s, out, NULL);
	res->threads = score_threads(s);
	for (k = 0; res->st == 0 && k < nin; k++) {
		if ((f = fmemopen(in[k], strlen(in[k]), "r")) == NULL)
			abort();
		res->st = score_file(s, f, name[k], stop, res->err, sizeof res->err);
		fclose(f);
	}
	res->st = score_end(s, res->st, stop, res->err, sizeof res->err);
	if (res->st == 0 && fflush(out) != 0) {
		snprintf(res->err, sizeof res->err, "flush: %s", strerror(errno));
		res->st = ST_IO;
	}
	if (res->st != 0)
		fflush(out);	/* what the program's exit would still write */
	fclose(out);
	if (cap > 0)
		res->len = strlen(res->out);
	res->dropped = score_dropped(s);
	if (res->st == 0 && run_opts != NULL && run_opts->eval) {
		FILE *r = open_memstream(&res->report, &res->rlen);

		if (r == NULL || score_report(s, r) != 0)
			abort();
		fclose(r);
	}
	score_free(s);
}

/* Runs on one thread and on two, checks they agree, and returns the one-thread run in *one. */
static void
agree(struct run *one, const char *what, const struct model *m, int digits, char *const *in, size_t nin,
    size_t cap, const volatile sig_atomic_t *stop)
{
	struct run two;

	run(one, m, digits, 1, in, nin, cap, stop);
	run(&two, m, digits, 2, in, nin, cap, stop);
	CHECK_MSG(one->threads == 1 && two.threads == 2, "%s: threads %d and %d", what, one->threads, two.threads);
	CHECK_MSG(one->st == two.st, "%s: status %d on one thread, %d on two", what, one->st, two.st);
	if (one->st >= ST_INTERRUPTED) {
		/*
		 * Where reading stops after an interrupt is a matter of timing
		 * (csv_read polls between blocks, the reader also between
		 * batches): only the status is the same, and what is printed
		 * is the start of the output.
		 */
		CHECK_MSG(two.len <= one->len && memcmp(one->out, two.out, two.len) == 0 &&
		    (two.len == 0 || two.out[two.len - 1] == '\n'), "%s: the outputs differ", what);
	} else {
		CHECK_MSG(strcmp(one->err, two.err) == 0 || one->st == 0, "%s: \"%s\" on one thread, \"%s\" on two",
		    what, one->err, two.err);
		CHECK_MSG(one->len == two.len && memcmp(one->out, two.out, one->len) == 0,
		    "%s: %zu bytes printed on one thread, %zu on two, or different", what, one->len, two.len);
		CHECK_MSG(one->dropped == two.dropped, "%s: %zu rows dropped on one thread, %zu on two", what,
		    one->dropped, two.dropped);
		CHECK_MSG((one->report == NULL && two.report == NULL) || (one->report != NULL && two.report != NULL &&
		    strcmp(one->report, two.report) == 0), "%s: the reports differ", what);
	}
	free(two.out);
	free(two.report);
}

static size_t
count_lines(const struct run *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->len; i++)
		n += r->out[i] == '\n';
	return n;
}

int
main(void)
{
	struct model *m = make_model(30, 64, 1, 7), *m2 = make_model(5, 9, 2, 8);
	volatile sig_atomic_t no = 0, yes = ST_INTERRUPTED + SIGINT;
	char *in[3], line[NUMBER_BUFLEN * 2], num[NUMBER_BUFLEN];
	double x[30];
	const double *y;
	struct work *ws = work_new(m);
	struct run one;
	size_t j;

	/* Many batches, with the label column; the first line checked by hand. */
	in[0] = make_csv(30000, 31, 1, 0, 0, NULL, 1);
	agree(&one, "30000 rows", m, 0, in, 1, 0, &no);
	CHECK(one.st == 0 && count_lines(&one) == 30000);
	{
		const char *p = strchr(in[0], '\n') + 1;

		for (j = 0; j < 30; j++) {
			const char *q = strchr(p, ',');

			CHECK(number_parse(p, (size_t)(q - p), &x[j]) == NUM_OK);
			p = q + 1;
		}
		model_standardize(m, x, x);
		y = model_forward(m, ws, x);
		number_format(num, y[0], 0);
		snprintf(line, sizeof line, "%s\n", num);
		CHECK(one.len > strlen(line) && memcmp(one.out, line, strlen(line)) == 0);
	}
	free(one.out);
	agree(&one, "-p 3", m, 3, in, 1, 0, &no);
	CHECK(one.st == 0 && count_lines(&one) == 30000);
	free(one.out);

	/* Several files, each with its header or without, features only. */
	in[1] = make_csv(5000, 30, 0, 0, 0, NULL, 2);
	in[2] = make_csv(1, 30, 1, 0, 0, NULL, 3);
	agree(&one, "three files", m, 0, in, 3, 0, &no);
	CHECK(one.st == 0 && count_lines(&one) == 35001);
	free(one.out);
	free(in[1]);
	free(in[2]);

	/* A bad number, a short row, a wrong width, late in the input: the rows before are printed. */
	in[1] = make_csv(20000, 31, 1, 17777, 4, "abc", 4);
	agree(&one, "a bad number", m, 0, in, 2, 0, &no);
	CHECK(one.st == ST_DATA && count_lines(&one) == 30000 + 17776);
	CHECK_STR(one.err, "in2.csv:17778:4: 'abc' in column 'x4' is not a number");
	free(one.out);
	free(in[1]);
	/* ... in the last columns, which the scorer may parse; long, or in a row over two lines */
	{
		static const struct {
			size_t col;
			const char *text, *err;
		} late[] = {
			{ 30, "1e", "in2.csv:15001:30: '1e' in column 'x30' is not a number" },
			{ 25, "nan", "in2.csv:15001:25: missing value 'nan' in column 'x25'; use --missing skip to skip such rows, or --missing na to print NA for them" },
			{ 26, "-inf", "in2.csv:15001:26: '-inf' in column 'x26' is not a finite number" },
			{ 30, "123456789012345678901234567890123456789x",
			    "in2.csv:15001:30: '123456789012345678901234567890123456789x' in column 'x30' is not a number" },
			{ 29, "\"1\n2\"", "in2.csv:15001:29: '1\\n2' in column 'x29' is not a number" },
			{ 31, "2", NULL },	/* a label: not read */
		};

		for (j = 0; j < sizeof late / sizeof late[0]; j++) {
			in[1] = make_csv(20000, 31, 1, 15000, late[j].col, late[j].text, 11 + j);
			agree(&one, late[j].text, m, 0, in, 2, 0, &no);
			if (late[j].err != NULL) {
				CHECK(one.st == ST_DATA && count_lines(&one) == 30000 + 14999);
				CHECK_STR(one.err, late[j].err);
			} else
				CHECK(one.st == 0 && count_lines(&one) == 50000);
			free(one.out);
			free(in[1]);
		}
	}
	in[1] = make_csv(20000, 31, 0, 12345, 0, NULL, 5);
	agree(&one, "a short row", m, 0, in, 2, 0, &no);
	CHECK(one.st == ST_DATA && count_lines(&one) == 30000 + 12344);
	CHECK_STR(one.err, "in2.csv:12345: 30 fields, expected 31 as on line 1");
	free(one.out);
	free(in[1]);
	in[1] = make_csv(10, 7, 0, 0, 0, NULL, 6);
	agree(&one, "a wrong width", m, 0, in, 2, 0, &no);
	CHECK(one.st == ST_DATA && count_lines(&one) == 30000);
	CHECK_STR(one.err, "in2.csv:1: 7 fields, but the model takes 30 features (optionally followed by 1 target)");
	free(one.out);
	free(in[1]);
	in[1] = make_csv(3000, 31, 0, 0, 0, NULL, 7);
	in[1][strlen(in[1]) - 20] = '"';
	agree(&one, "bad quoting on the last line", m, 0, in, 2, 0, &no);
	CHECK(one.st == ST_DATA && count_lines(&one) == 32999);
	free(one.out);
	free(in[1]);

	/* Write errors: the output fills up (with a bad row later on, which is never reached). */
	in[1] = make_csv(20000, 31, 1, 19000, 2, "x", 8);
	agree(&one, "a full output", m, 0, in, 2, 300000, &no);
	CHECK(one.st == ST_IO);
	CHECK_STR(one.err, "write error: No space left on device");
	free(one.out);
	agree(&one, "a full output, one file", m, 0, in, 1, 1 << 16, &no);
	CHECK(one.st == ST_IO);
	free(one.out);
	free(in[1]);

	/* Interrupted: the stop flag wins, and reading ends within the first block. */
	agree(&one, "interrupted", m, 0, in, 1, 0, &yes);
	CHECK(one.st == ST_INTERRUPTED + SIGINT && count_lines(&one) < 1000);
	free(one.out);

	/* Two outputs, features only or with the targets; an empty file. */
	in[0][0] = '\0';
	in[1] = make_csv(9000, 5, 1, 0, 0, NULL, 9);
	in[2] = make_csv(9000, 7, 1, 0, 0, NULL, 10);
	agree(&one, "two outputs", m2, 0, in, 3, 0, &no);
	CHECK(one.st == 0 && count_lines(&one) == 18000);
	free(one.out);
	agree(&one, "two outputs, -p 17", m2, 17, in, 3, 0, &no);
	CHECK(one.st == 0 && count_lines(&one) == 18000);
	free(one.out);
	free(in[0]);
	free(in[1]);
	free(in[2]);

	/*
	 * Columns by name, -k, --drop-missing and --eval over many batches.
	 * The model gets the names x1..x30 and target x31: the header's
	 * columns then map one to one, the label column x31 is the target.
	 */
	{
		struct score_opts o;
		struct colspec keep;
		char err[ERRLEN], name[16];
		const char *p;

		m->features = calloc(30, sizeof *m->features);
		m->targets = calloc(1, sizeof *m->targets);
		if (m->features == NULL || m->targets == NULL)
			abort();
		for (j = 0; j < 30; j++) {
			snprintf(name, sizeof name, "x%zu", j + 1);
			if ((m->features[j] = strdup(name)) == NULL)
				abort();
		}
		if ((m->targets[0] = strdup("x31")) == NULL || colspec_parse("-k", "x31,2", &keep, err, sizeof err) != 0)
			abort();
		memset(&o, 0, sizeof o);
		o.model_name = "m.json";
		o.threshold = 0.5;
		run_opts = &o;
		in[0] = make_csv(30000, 31, 1, 0, 0, NULL, 1);
		agree(&one, "by name", m, 0, in, 1, 0, &no);	/* the same as by position */
		CHECK(one.st == 0 && count_lines(&one) == 30000);
		free(one.out);

		/* a missing value late in a row: an error, or the row dropped (by the scorer, maybe) */
		in[1] = make_csv(20000, 31, 1, 15000, 29, "NA", 12);
		agree(&one, "a missing value", m, 0, in, 2, 0, &no);
		CHECK(one.st == ST_DATA && count_lines(&one) == 30000 + 14999);
		CHECK_STR(one.err, "in2.csv:15001:29: missing value 'NA' in column 'x29'; use --missing skip to skip such rows, or --missing na to print NA for them");
		free(one.out);
		o.missing = SCORE_MISSING_SKIP;
		o.keep = &keep;
		agree(&one, "--drop-missing -k", m, 0, in, 2, 0, &no);
		CHECK(one.st == 0 && count_lines(&one) == 49999 && one.dropped == 1);
		/* the kept label and x2, then the probability */
		p = strchr(in[0], '\n') + 1;
		CHECK(one.len > 4 && one.out[1] == ',' && (one.out[0] == '0' || one.out[0] == '1') &&
		    strncmp(one.out + 2, strchr(p, ',') + 1, (size_t)(strchr(strchr(p, ',') + 1, ',') - strchr(p, ','))) == 0);
		free(one.out);

		/* --eval, with the output header */
		o.eval = 1;
		run_header = 1;
		o.out_header = 1;
		agree(&one, "--eval", m, 0, in, 2, 0, &no);
		CHECK_MSG(one.st == 0 && count_lines(&one) == 50000 && one.dropped == 1, "%d %s %zu %zu %.40s", one.st, one.err, count_lines(&one), one.dropped, one.out);
		CHECK(one.len > 12 && memcmp(one.out, "x31,x2,p_x31\n", 13) == 0);
		CHECK(one.report != NULL && strncmp(one.report, "output x31\nrows 49999\nthreshold 0.5\nlog_loss ", 44) == 0);
		free(one.out);
		free(one.report);
		o.labels = 1;
		o.threshold = 0.25;
		agree(&one, "--eval --labels -t 0.25", m, 3, in, 2, 0, &no);
		CHECK(one.st == 0 && count_lines(&one) == 50000);
		CHECK(one.report != NULL && strstr(one.report, "\nthreshold 0.25\n") != NULL);
		free(one.out);
		free(one.report);
		free(in[0]);
		free(in[1]);
		colspec_free(&keep);
		run_opts = NULL;
		run_header = CSV_HEADER_GUESS;
	}

	work_free(ws);
	model_free(m);
	model_free(m2);
	return check_summary("score");
}
