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
#include <sys/stat.h>

#include "cli.h"
#include "columns.h"
#include "csvread.h"
#include "model.h"
#include "modelio.h"
#include "number.h"
#include "outputs.h"
#include "score.h"
#include "status.h"

static const char usage_text[] =
    "usage: mlppredict [-eHhlNV] [-d delim] [-k cols] [-o file] [-p digits] [-T p]\n"
    "                  [--missing error|skip|na] [--normalize] [--strict-categories]\n"
    "                  model [file ...]\n";

static const char help_text[] =
    "Print the output probabilities of an mlptrain model for every CSV row read\n"
    "from the files in order (standard input when none, or for -), one line per\n"
    "row: nL numbers separated by the field separator (one per class for a model\n"
    "of K > 2 classes).  When a file has a header and the model has feature names,\n"
    "each feature is read from the column of that name, in any order, other\n"
    "columns ignored; otherwise a row holds the model's feature columns,\n"
    "optionally followed by its target columns (besides -k's columns).\n"
    "\n"
    "  -d, --delimiter C       field separator: one character, or tab (default ,);\n"
    "                          the output uses it too\n"
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
    "  -T, --threshold P       p >= P is the positive class, for --labels and\n"
    "                          --eval (0 to 1, default 0.5)\n"
    "  -V, --version           print the version and exit\n"
    "      --missing WHAT      a row with a missing value (empty, NA, N/A, NaN,\n"
    "                          null, None or ?) that the model does not fill:\n"
    "                          error (default), skip, or na: print NA for it\n"
    "      --normalize         divide each row's K class probabilities by their\n"
    "                          sum (they need not add up to 1)\n"
    "      --strict-categories a category training never saw is an error, not\n"
    "                          all zeros\n"
    "\n"
    "Exit status: 0 success, 1 bad data, 2 usage, 3 I/O error, 5 out of memory,\n"
    "128+N killed by signal N.  See mlppredict(1).\n";

enum {
	OPT_DROP_MISSING = 256,
	OPT_MISSING,
	OPT_NORMALIZE,
	OPT_STRICT
};

static const struct option longopts[] = {
	{ "delimiter", required_argument, NULL, 'd' },
	{ "drop-missing", no_argument, NULL, OPT_DROP_MISSING },
	{ "eval", no_argument, NULL, 'e' },
	{ "header", no_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ "keep", required_argument, NULL, 'k' },
	{ "labels", no_argument, NULL, 'l' },
	{ "missing", required_argument, NULL, OPT_MISSING },
	{ "no-header", no_argument, NULL, 'N' },
	{ "normalize", no_argument, NULL, OPT_NORMALIZE },
	{ "output", required_argument, NULL, 'o' },
	{ "precision", required_argument, NULL, 'p' },
	{ "strict-categories", no_argument, NULL, OPT_STRICT },
	{ "threshold", required_argument, NULL, 'T' },
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
	int threshold_given;	/* -T */
	struct score_opts score;
	int exit_now;		/* -h or -V has been answered */
};

/* One run: the options, the model and the scorer, and why it failed. */
struct job {
	struct options o;
	struct model *m;
	struct score *s;
	struct outputs outs;	/* the one output, held as a set: checked against the inputs, committed whole */
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
	case OPT_DROP_MISSING:	/* the old spelling of --missing skip */
		o->score.missing = SCORE_MISSING_SKIP;
		return 0;
	case OPT_MISSING:
		if (strcmp(arg, "error") == 0)
			o->score.missing = SCORE_MISSING_ERROR;
		else if (strcmp(arg, "skip") == 0)
			o->score.missing = SCORE_MISSING_SKIP;
		else if (strcmp(arg, "na") == 0)
			o->score.missing = SCORE_MISSING_NA;
		else {
			snprintf(j->err, sizeof j->err, "--missing: '%s' is not error, skip or na", arg);
			return ST_USAGE;
		}
		return 0;
	case OPT_NORMALIZE:
		o->score.normalize = 1;
		return 0;
	case OPT_STRICT:
		o->score.strict = 1;
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
	case 'T':
		o->threshold_given = 1;
		return parse_threshold("-T", arg, &o->score.threshold, j->err, sizeof j->err) != 0 ? ST_USAGE : 0;
	case 't':	/* the old spelling of -T, which reads like mlptrain's -t (the target) */
		if (parse_threshold("-t", arg, &o->score.threshold, j->err, sizeof j->err) != 0) {
			snprintf(j->err, sizeof j->err, "-t '%s': the threshold is -T now (mlppredict has no target "
			    "option: --eval reads the model's targets by name)", arg);
			return ST_USAGE;
		}
		fprintf(stderr, "mlppredict: -t is the old spelling of -T (--threshold), which it will give way to\n");
		o->threshold_given = 1;
		return 0;
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
	while ((ch = getopt_long(argc, argv, "HNT:Vd:ehk:lo:p:t:", longopts, NULL)) != -1) {
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

/*
 * Whether the regular file at path starts like CSV rather than a model's
 * JSON: its first byte that is not a blank is not '{' or '[' and its first
 * line (of the first 4096 bytes) holds sep.
 */
static int
looks_like_csv(const char *path, int sep)
{
	struct stat sb;
	FILE *f;
	int c, seen = 0, text = 0, n = 0;

	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || (f = fopen(path, "rb")) == NULL)
		return 0;
	while ((c = getc(f)) != EOF && c != '\n' && !seen && n++ < 4096) {
		if (!text && (c == ' ' || c == '\t' || c == '\r'))
			continue;
		if (!text && (c == '{' || c == '['))
			break;
		text = 1;
		seen = c == sep;
	}
	fclose(f);
	return seen;
}

/* Loads the model; a first file that is CSV (the arguments swapped?) says so. */
static int
load_model(struct job *j)
{
	const struct options *o = &j->o;
	int st;

	if ((st = model_load(o->model, &j->m, j->err, sizeof j->err)) != ST_DATA || !looks_like_csv(o->model, o->delim))
		return st;
	snprintf(j->err, sizeof j->err, "%s is CSV, not a model: the model comes first, as in mlppredict MODEL "
	    "[FILE ...]%s%s", o->model, o->nfiles > 0 ? "; was it " : "", o->nfiles > 0 ? o->files[o->nfiles - 1] : "");
	if (o->nfiles > 0)
		strncat(j->err, "?", sizeof j->err - strlen(j->err) - 1);
	j->usage = 0;
	return ST_USAGE;
}

/* What the model allows of the options: --normalize with classes, -T with one output per decision. */
static int
check_model(struct job *j)
{
	const struct model *m = j->m;

	if (j->o.score.normalize && m->nclasses <= 2) {
		snprintf(j->err, sizeof j->err, "--normalize: %s has no K > 2 classes to share out (%zu output%s)",
		    j->o.model, m->n[m->L], m->n[m->L] == 1 ? "" : "s");
		return ST_USAGE;
	}
	if (j->o.threshold_given && m->nclasses > 2) {
		snprintf(j->err, sizeof j->err, "-T: %s has %zu classes, and the predicted one is the most probable; "
		    "a threshold is for one output", j->o.model, m->nclasses);
		return ST_USAGE;
	}
	return 0;
}

/*
 * The output, before any work: -o's temporary file beside its target (or
 * standard output, or a FIFO or device checked), refused when it is the
 * model or one of the data files.  Signals are caught first, so that no
 * temporary file is left behind.
 */
static int
open_output(struct job *j)
{
	const struct options *o = &j->o;
	char *err = j->err;
	size_t errlen = sizeof j->err;
	int i, st;

	cli_catch_signals(o->out != NULL && strcmp(o->out, "-") != 0);
	if ((st = outputs_add(&j->outs, &j->out, o->out, "the output", err, errlen)) != 0 ||
	    (st = outputs_check_input(&j->outs, o->model, "the model", NULL, err, errlen)) != 0)
		return st;
	for (i = 0; i < (o->nfiles > 0 ? o->nfiles : 1); i++)
		if ((st = outputs_check_input(&j->outs, i < o->nfiles ? o->files[i] : "-", "the data", NULL, err,
		    errlen)) != 0)
			return st;
	outputs_arm(&j->outs);	/* a signal removes the temporary file at once */
	cli_on_signal = outputs_on_signal;
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
	if ((st = outfile_stream(&j->out, &cli_stop, j->err, sizeof j->err)) != 0)
		return st;
	setvbuf(j->out.fp, outbuf, _IOFBF, sizeof outbuf);
	score_start(j->s, j->out.fp, j->out.name);
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
			st = errno == ENOMEM ? ST_NOMEM : ST_IO;
			snprintf(j->err, sizeof j->err, "%s: %s", path, st == ST_NOMEM ? "out of memory" : strerror(errno));
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
	if (st == ST_IO && cli_stop != 0)
		st = cli_stop;	/* a write cut short by a signal */
	if (st == 0)
		return outputs_commit(&j->outs, &cli_stop, j->err, sizeof j->err);
	outputs_abort(&j->outs);
	return st;
}

/* What goes to standard error after a success: rows skipped, and --eval's metrics. */
static int
report(struct job *j)
{
	size_t dropped, na;

	if ((dropped = score_dropped(j->s)) > 0)
		fprintf(stderr, "mlppredict: skipped %zu row%s with missing values\n", dropped, dropped == 1 ? "" : "s");
	if ((na = score_na(j->s)) > 0)
		fprintf(stderr, "mlppredict: printed NA for %zu row%s with missing values\n", na, na == 1 ? "" : "s");
	score_notes(j->s, stderr, "mlppredict: ");
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
	    (st = open_output(j)) != 0 ||
	    (st = load_model(j)) != 0 ||
	    (st = check_model(j)) != 0 ||
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
	score_free(j->s);	/* (stops the scorer, which may write to the output) */
	outputs_abort(&j->outs);
	model_free(j->m);
	colspec_free(&j->o.keep);
	return st;
}
