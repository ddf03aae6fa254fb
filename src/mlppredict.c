/*
 * mlppredict: loads a model written by mlptrain and prints, for every CSV
 * row read, the probabilities of its outputs (or the predicted classes,
 * -l), after the columns kept by -k; with --eval, metrics on stderr.  Streams: a few batches of
 * rows in memory at a time.  This file only parses options, wires the
 * modules together and reports; the scoring itself is score.c's, on two
 * threads (one reads and parses the CSV, the other scores and prints).
 *
 * The environment variable MLPPREDICT_THREADS=1 forces a single thread, for
 * comparison and testing; the output is the same byte for byte either way.
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

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(ST_USAGE);
}

int
main(int argc, char *argv[])
{
	static char outbuf[1 << 16];
	char err[ERRLEN];
	const char *outpath = NULL;
	const char *threads = getenv("MLPPREDICT_THREADS");
	struct model *m = NULL;
	struct score *s = NULL;
	struct outfile out;
	struct colspec keep;
	struct score_opts opts;
	const char *keep_arg = NULL;
	uint64_t digits = 0;
	size_t dropped;
	const char *name;
	FILE *in;
	int ch, i, st = 0, delim = ',', header = CSV_HEADER_GUESS;

	memset(&keep, 0, sizeof keep);
	memset(&opts, 0, sizeof opts);
	opts.threshold = 0.5;
	while ((ch = getopt_long(argc, argv, "HNVd:ehk:lo:p:t:", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_DROP_MISSING:
			opts.drop_missing = 1;
			break;
		case 'e':
			opts.eval = 1;
			break;
		case 'k':
			keep_arg = optarg;
			break;
		case 'l':
			opts.labels = 1;
			break;
		case 't':
			if (parse_threshold("-t", optarg, &opts.threshold, err, sizeof err) != 0) {
				fprintf(stderr, "mlppredict: %s\n", err);
				return ST_USAGE;
			}
			break;
		case 'H':
			header = 1;
			break;
		case 'N':
			header = 0;
			break;
		case 'd':
			if (cli_delimiter("-d", optarg, &delim, err, sizeof err) != 0) {
				fprintf(stderr, "mlppredict: %s\n", err);
				return ST_USAGE;
			}
			break;
		case 'V':
			puts("mlppredict " VERSION);
			return 0;
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return 0;
		case 'o':
			outpath = optarg;
			break;
		case 'p':
			if (cli_uint("-p", optarg, 1, 17, &digits, err, sizeof err) != 0) {
				fprintf(stderr, "mlppredict: %s\n", err);
				return ST_USAGE;
			}
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		fprintf(stderr, "mlppredict: no model file given\n");
		usage();
	}

	if (keep_arg != NULL) {
		if (colspec_parse("-k", keep_arg, &keep, err, sizeof err) != 0) {
			fprintf(stderr, "mlppredict: %s\n", err);
			return ST_USAGE;
		}
		opts.keep = &keep;
	}
	opts.out_header = header == 1;
	opts.model_name = argv[0];

	if ((st = model_load(argv[0], &m, err, sizeof err)) != 0)
		goto done;
	if ((s = score_new(m, (int)digits, threads != NULL && strcmp(threads, "1") == 0 ? 1 : 2)) == NULL) {
		snprintf(err, sizeof err, "out of memory");
		st = ST_NOMEM;
		goto done;
	}
	score_format(s, delim, header);
	if ((st = score_options(s, &opts, err, sizeof err)) != 0)
		goto done;
	cli_catch_signals();
	if ((st = outfile_open(&out, outpath, err, sizeof err)) != 0)
		goto done;
	setvbuf(out.fp, outbuf, _IOFBF, sizeof outbuf);
	score_start(s, out.fp);
	for (i = 1; st == 0 && i < (argc > 1 ? argc : 2); i++) {
		const char *path = i < argc ? argv[i] : "-";

		if (strcmp(path, "-") == 0) {
			in = stdin;
			name = "standard input";
		} else if ((in = fopen(path, "rb")) == NULL) {
			snprintf(err, sizeof err, "%s: %s", path, strerror(errno));
			st = ST_IO;
			break;
		} else
			name = path;
		st = score_file(s, in, name, &cli_stop, err, sizeof err);
		if (in != stdin)
			fclose(in);
		else
			clearerr(stdin);
	}
	st = score_end(s, st, &cli_stop, err, sizeof err);
	if (st == 0)
		st = outfile_commit(&out, err, sizeof err);
	else
		outfile_abort(&out);
	if (st == 0 && (dropped = score_dropped(s)) > 0)
		fprintf(stderr, "mlppredict: skipped %zu row%s with missing values\n", dropped, dropped == 1 ? "" : "s");
	if (st == 0 && opts.eval && score_report(s, stderr) != 0) {
		snprintf(err, sizeof err, "standard error: write error: %s", strerror(errno));
		st = ST_IO;
	}
done:
	if (st >= ST_INTERRUPTED)
		fprintf(stderr, "mlppredict: interrupted%s\n", outpath ? "; output file left as it was" : "");
	else if (st != 0)
		fprintf(stderr, "mlppredict: %s\n", err);
	score_free(s);
	model_free(m);
	colspec_free(&keep);
	return st;
}
