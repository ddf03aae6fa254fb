/*
 * mlppredict: loads a model written by mlptrain and prints, for every CSV
 * row read, the probabilities of its outputs (or the predicted classes,
 * -l), after the columns kept by -k; with --eval, metrics on stderr.  Streams: a few batches of
 * rows in memory at a time.  This file only parses options, wires the
 * modules together and reports; the scoring itself is score.c's, on two
 * threads (one reads and parses the CSV, the other scores and prints).
 *
 * The environment variable MLPPREDICT_THREADS=1 forces a single thread, and
 * MLP_SIMD=generic the generic kernels, for comparison and testing; the
 * output is the same byte for byte either way.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "columns.h"
#include "csvread.h"
#include "model.h"
#include "modelio.h"
#include "number.h"
#include "outfile.h"
#include "score.h"
#include "status.h"

static const char usage_text[] =
    "usage: mlppredict [-eHhlNV] [-d delim] [-k cols] [-o file] [-p digits] [-t p]\n"
    "                  [--drop-missing] model [file ...]\n";

static const char help_text[] =
    "Print the output probabilities of an mlptrain model for every CSV row read\n"
    "from the files in order (standard input when none, or for -), one line per\n"
    "row: nL numbers separated by the field separator.  When a file has a header\n"
    "and the model has feature names, each feature is read from the column of\n"
    "that name, in any order, other columns ignored; otherwise a row holds the\n"
    "n0 features, optionally followed by the nL targets (besides -k's columns).\n"
    "\n"
    "  -d, --delimiter C       field separator: one character, or tab (default ,);\n"
    "                          the output uses it too\n"
    "      --drop-missing      skip rows with a missing feature (or target, with\n"
    "                          --eval): empty, NA, N/A, NaN, null, None or ?\n"
    "  -e, --eval              the rows carry targets: print metrics (log loss,\n"
    "                          accuracy, precision, recall, F1, ROC AUC, confusion\n"
    "                          matrix) to stderr at the end\n"
    "  -H, --header            the first row of each file is a header; also print\n"
    "                          a header line first on the output\n"
    "  -h, --help              print this help and exit\n"
    "  -k, --keep COLS         copy these columns (names or numbers, as id,3,5-7)\n"
    "                          in front of the probabilities on every line\n"
    "  -l, --labels            print the predicted class, not the probability\n"
    "  -N, --no-header         the first row of each file is data (default: a\n"
    "                          header when it holds the model's feature names, or\n"
    "                          has text above numbers)\n"
    "  -o, --output FILE       write to FILE, replaced only when complete\n"
    "  -p, --precision N       N significant digits (1-17) instead of the\n"
    "                          shortest form that reads back exactly\n"
    "  -t, --threshold P       p >= P is the positive class, for --labels and\n"
    "                          --eval (0 to 1, default 0.5)\n"
    "  -V, --version           print the version and exit\n"
    "\n"
    "Exit status: 0 success, 1 bad data, 2 usage, 3 I/O error, 5 out of memory,\n"
    "128+N killed by signal N.  See mlppredict(1).\n";

#define OPT_DROP_MISSING 256

static const struct option longopts[] = {
	{ "delimiter", required_argument, NULL, 'd' },
	{ "drop-missing", no_argument, NULL, OPT_DROP_MISSING },
	{ "eval", no_argument, NULL, 'e' },
	{ "header", no_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ "keep", required_argument, NULL, 'k' },
	{ "labels", no_argument, NULL, 'l' },
	{ "no-header", no_argument, NULL, 'N' },
	{ "output", required_argument, NULL, 'o' },
	{ "precision", required_argument, NULL, 'p' },
	{ "threshold", required_argument, NULL, 't' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* A threshold: a number from 0 to 1; 0, or -1 with a message. */
static int
parse_threshold(const char *opt, const char *arg, double *out, char *err, size_t errlen)
{
	if (number_parse(arg, strlen(arg), out) == NUM_OK && *out >= 0 && *out <= 1)
		return 0;
	snprintf(err, errlen, "%s: '%s' is not a number from 0 to 1", opt, arg);
	return -1;
}

/* What the command line asks for. */
struct options {
	const char *model;	/* the model file */
	char **files;		/* (nfiles) the CSV files; none: standard input */
	int nfiles;
	const char *out;	/* -o, or NULL */
	const char *keep_arg;	/* -k, or NULL */
	struct colspec keep;
	uint64_t digits;	/* -p, or 0: the shortest exact form */
	int delim, header;	/* -d; -H 1, -N 0, else CSV_HEADER_GUESS */
	int threads;		/* 1 with MLPPREDICT_THREADS=1, else 2 */
	struct score_opts score;
	int exit_now;		/* -h or -V has been answered */
};

/* One run: the options, the model and the scorer, and why it failed. */
struct job {
	struct options o;
	struct model *m;
	struct score *s;
	struct outfile out;
	char err[ERRLEN];
	int usage;		/* print the usage text after err (or alone when err is empty) */
};

/* An option; 0, or ST_USAGE with a message (none: getopt said it). */
static int
set_option(struct job *j, int ch, const char *arg)
{
	struct options *o = &j->o;

	switch (ch) {
	case OPT_DROP_MISSING:
		o->score.drop_missing = 1;
		return 0;
	case 'e':
		o->score.eval = 1;
		return 0;
	case 'k':
		o->keep_arg = arg;
		return 0;
	case 'l':
		o->score.labels = 1;
		return 0;
	case 't':
		return parse_threshold("-t", arg, &o->score.threshold, j->err, sizeof j->err) != 0 ? ST_USAGE : 0;
	case 'H':
		o->header = 1;
		return 0;
	case 'N':
		o->header = 0;
		return 0;
	case 'd':
		return cli_delimiter("-d", arg, &o->delim, j->err, sizeof j->err) != 0 ? ST_USAGE : 0;
	case 'o':
		o->out = arg;
		return 0;
	case 'p':
		return cli_uint("-p", arg, 1, 17, &o->digits, j->err, sizeof j->err) != 0 ? ST_USAGE : 0;
	default:	/* getopt said what is wrong */
		j->usage = 1;
		return ST_USAGE;
	}
}

/* Reads the command line into j->o; -h and -V are answered here. */
static int
parse_options(struct job *j, int argc, char *argv[])
{
	struct options *o = &j->o;
	const char *threads = getenv("MLPPREDICT_THREADS");
	int ch, st;

	o->score.threshold = 0.5;
	o->delim = ',';
	o->header = CSV_HEADER_GUESS;
	o->threads = threads != NULL && strcmp(threads, "1") == 0 ? 1 : 2;
	while ((ch = getopt_long(argc, argv, "HNVd:ehk:lo:p:t:", longopts, NULL)) != -1) {
		if (ch == 'V' || ch == 'h') {
			if (ch == 'V')
				puts("mlppredict " VERSION);
			else {
				fputs(usage_text, stdout);
				fputs(help_text, stdout);
			}
			o->exit_now = 1;
			return 0;
		}
		if ((st = set_option(j, ch, optarg)) != 0)
			return st;
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		snprintf(j->err, sizeof j->err, "no model file given");
		j->usage = 1;
		return ST_USAGE;
	}
	if (o->keep_arg != NULL) {
		if (colspec_parse("-k", o->keep_arg, &o->keep, j->err, sizeof j->err) != 0)
			return ST_USAGE;
		o->score.keep = &o->keep;
	}
	o->score.out_header = o->header == 1;
	o->score.model_name = argv[0];
	o->model = argv[0];
	o->files = argv + 1;
	o->nfiles = argc - 1;
	return 0;
}

/* The scorer for the model, writing to -o's file (or standard output). */
static int
start_scoring(struct job *j)
{
	static char outbuf[1 << 16];
	const struct options *o = &j->o;
	int st;

	if ((j->s = score_new(j->m, (int)o->digits, o->threads)) == NULL) {
		snprintf(j->err, sizeof j->err, "out of memory");
		return ST_NOMEM;
	}
	score_format(j->s, o->delim, o->header);
	if ((st = score_options(j->s, &o->score, j->err, sizeof j->err)) != 0)
		return st;
	cli_catch_signals();
	if ((st = outfile_open(&j->out, o->out, j->err, sizeof j->err)) != 0)
		return st;
	setvbuf(j->out.fp, outbuf, _IOFBF, sizeof outbuf);
	score_start(j->s, j->out.fp);
	return 0;
}

/* Scores every file in turn (standard input when none, or for -); the output is committed only whole. */
static int
score_files(struct job *j)
{
	const char *path, *name;
	FILE *in;
	int i, st = 0;

	for (i = 0; st == 0 && i < (j->o.nfiles > 0 ? j->o.nfiles : 1); i++) {
		path = i < j->o.nfiles ? j->o.files[i] : "-";
		if (strcmp(path, "-") == 0) {
			in = stdin;
			name = "standard input";
		} else if ((in = fopen(path, "rb")) == NULL) {
			snprintf(j->err, sizeof j->err, "%s: %s", path, strerror(errno));
			st = ST_IO;
			break;
		} else
			name = path;
		st = score_file(j->s, in, name, &cli_stop, j->err, sizeof j->err);
		if (in != stdin)
			fclose(in);
		else
			clearerr(stdin);
	}
	st = score_end(j->s, st, &cli_stop, j->err, sizeof j->err);
	if (st == 0)
		return outfile_commit(&j->out, j->err, sizeof j->err);
	outfile_abort(&j->out);
	return st;
}

/* What goes to standard error after a success: rows skipped, and --eval's metrics. */
static int
report(struct job *j)
{
	size_t dropped;

	if ((dropped = score_dropped(j->s)) > 0)
		fprintf(stderr, "mlppredict: skipped %zu row%s with missing values\n", dropped, dropped == 1 ? "" : "s");
	if (j->o.score.eval && score_report(j->s, stderr) != 0) {
		snprintf(j->err, sizeof j->err, "standard error: write error: %s", strerror(errno));
		return ST_IO;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static struct job job;
	struct job *j = &job;
	int st;

	if ((st = parse_options(j, argc, argv)) != 0 || j->o.exit_now ||
	    (st = cli_simd(getenv("MLP_SIMD"), NULL, j->err, sizeof j->err)) != 0 ||
	    (st = model_load(j->o.model, &j->m, j->err, sizeof j->err)) != 0 ||
	    (st = start_scoring(j)) != 0 ||
	    (st = score_files(j)) != 0)
		goto done;
	st = report(j);
done:
	if (st >= ST_INTERRUPTED)
		fprintf(stderr, "mlppredict: interrupted%s\n", j->o.out ? "; output file left as it was" : "");
	else if (st != 0 && j->err[0] != '\0')
		fprintf(stderr, "mlppredict: %s\n", j->err);
	if (st == ST_USAGE && j->usage)
		fputs(usage_text, stderr);
	score_free(j->s);
	model_free(j->m);
	colspec_free(&j->o.keep);
	return st;
}
