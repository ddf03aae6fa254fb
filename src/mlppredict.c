/*
 * mlppredict: loads a model written by mlptrain and prints, for every CSV
 * row read, the probabilities of its outputs.  Streams: a few batches of
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
#include "csvread.h"
#include "model.h"
#include "modelio.h"
#include "outfile.h"
#include "score.h"
#include "status.h"

static const char usage_text[] =
    "usage: mlppredict [-HhNV] [-d delim] [-o file] [-p digits] model [file ...]\n";

static const char help_text[] =
    "Print the output probabilities of an mlptrain model for every CSV row read\n"
    "from the files in order (standard input when none, or for -), one line per\n"
    "row: nL comma-separated numbers.  A row holds the model's n0 features,\n"
    "optionally followed by nL targets, which are ignored.\n"
    "\n"
    "  -d, --delimiter C       field separator: one character, or tab (default ,)\n"
    "  -H, --header            the first row of each file is a header\n"
    "  -h, --help              print this help and exit\n"
    "  -N, --no-header         the first row of each file is data\n"
    "                          (default: a header when it is not all numbers)\n"
    "  -o, --output FILE       write to FILE, replaced only when complete\n"
    "  -p, --precision N       N significant digits (1-17) instead of the\n"
    "                          shortest form that reads back exactly\n"
    "  -V, --version           print the version and exit\n"
    "\n"
    "Exit status: 0 success, 1 bad data, 2 usage, 3 I/O error, 5 out of memory,\n"
    "128+N killed by signal N.  See mlppredict(1).\n";

static const struct option longopts[] = {
	{ "delimiter", required_argument, NULL, 'd' },
	{ "header", no_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ "no-header", no_argument, NULL, 'N' },
	{ "output", required_argument, NULL, 'o' },
	{ "precision", required_argument, NULL, 'p' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

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
	uint64_t digits = 0;
	const char *name;
	FILE *in;
	int ch, i, st = 0, delim = ',', header = CSV_HEADER_GUESS;

	while ((ch = getopt_long(argc, argv, "HNVd:ho:p:", longopts, NULL)) != -1) {
		switch (ch) {
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

	if ((st = model_load(argv[0], &m, err, sizeof err)) != 0)
		goto done;
	if ((s = score_new(m, (int)digits, threads != NULL && strcmp(threads, "1") == 0 ? 1 : 2)) == NULL) {
		snprintf(err, sizeof err, "out of memory");
		st = ST_NOMEM;
		goto done;
	}
	score_format(s, delim, header);
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
done:
	if (st >= ST_INTERRUPTED)
		fprintf(stderr, "mlppredict: interrupted%s\n", outpath ? "; output file left as it was" : "");
	else if (st != 0)
		fprintf(stderr, "mlppredict: %s\n", err);
	score_free(s);
	model_free(m);
	return st;
}
