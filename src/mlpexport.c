/*
 * mlpexport: writes a model of mlptrain as one C99 file that needs only
 * <math.h>, whose PREFIX_predict gives mlppredict's probabilities bit for
 * bit (export.c); with --main, a scorer of CSV rows on standard input.
 * This file only parses options, wires the modules together and reports.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "model.h"
#include "modelio.h"
#include "outputs.h"
#include "status.h"

static const char usage_text[] =
    "usage: mlpexport [-hV] [-o file] [--float] [--main] [--prefix name] [model]\n";

static const char help_text[] =
    "Write an mlptrain model as one C99 file that needs nothing but <math.h>:\n"
    "its weights, standardisation and feature encoding as static const tables,\n"
    "and PREFIX_predict(x, p), which gives the probabilities mlppredict prints,\n"
    "bit for bit (built with -std=c99 or -ffp-contract=off, same libm).  The\n"
    "model is read from the file named, or standard input when none or -.\n"
    "\n"
    "  -h, --help              print this help and exit\n"
    "  -o, --output FILE       write to FILE, replaced only when complete\n"
    "                          (default: standard output)\n"
    "  -V, --version           print the version and exit\n"
    "      --float             single precision: float tables, arithmetic and\n"
    "                          expf, for machines without double (not bit for\n"
    "                          bit: within the tolerance of mlpexport(1))\n"
    "      --main              add a main that reads CSV rows on standard input\n"
    "                          and prints their probabilities as mlppredict does\n"
    "      --prefix NAME       prefix of every symbol (default mlp): NAME_predict,\n"
    "                          NAME_N_INPUTS in capitals, ...\n"
    "\n"
    "Exit status: 0 success, 1 bad model, 2 usage, 3 I/O error, 5 out of memory,\n"
    "128+N killed by signal N.  See mlpexport(1).\n";

enum {
	OPT_FLOAT = 256,
	OPT_MAIN,
	OPT_PREFIX
};

static const struct option longopts[] = {
	{ "float", no_argument, NULL, OPT_FLOAT },
	{ "help", no_argument, NULL, 'h' },
	{ "main", no_argument, NULL, OPT_MAIN },
	{ "output", required_argument, NULL, 'o' },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* One run: the options, the model, the output, and why it failed. */
struct job {
	struct export_opts ex;
	const char *model;	/* the model file, or "-" */
	const char *out;	/* -o, or NULL */
	int exit_now;		/* -h or -V has been answered */
	int usage;		/* print the usage text after the message */
	struct model *m;
	struct outputs outs;
	struct outfile file;
	char err[ERRLEN];
};

/* Reads the command line into j; -h and -V are answered here. */
static int
parse_options(struct job *j, int argc, char *argv[])
{
	int ch;

	j->ex.prefix = "mlp";
	while ((ch = getopt_long(argc, argv, "Vho:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'V':
			puts("mlpexport " VERSION);
			j->exit_now = 1;
			return 0;
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			j->exit_now = 1;
			return 0;
		case 'o':
			j->out = optarg;
			break;
		case OPT_FLOAT:
			j->ex.single = 1;
			break;
		case OPT_MAIN:
			j->ex.main = 1;
			break;
		case OPT_PREFIX:
			if (export_check_prefix(optarg, j->err, sizeof j->err) != 0)
				return ST_USAGE;
			j->ex.prefix = optarg;
			break;
		default:	/* getopt said what is wrong */
			j->usage = 1;
			return ST_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1) {
		snprintf(j->err, sizeof j->err, "one model at a time: '%s' after the model '%s'", argv[1], argv[0]);
		j->usage = 1;
		return ST_USAGE;
	}
	j->model = argc == 1 ? argv[0] : "-";
	j->ex.source = strcmp(j->model, "-") == 0 ? "from standard input" : j->model;
	return 0;
}

/* The output, before any work: -o's temporary file, refused when it is the model. */
static int
open_output(struct job *j)
{
	int st;

	cli_catch_signals(j->out != NULL && strcmp(j->out, "-") != 0);
	if ((st = outputs_add(&j->outs, &j->file, j->out, "the C file", j->err, sizeof j->err)) != 0 ||
	    (st = outputs_check_input(&j->outs, j->model, "the model", NULL, j->err, sizeof j->err)) != 0)
		return st;
	outputs_arm(&j->outs);	/* a signal removes the temporary file at once */
	cli_on_signal = outputs_on_signal;
	return outfile_stream(&j->file, &cli_stop, j->err, sizeof j->err);
}

/* The model, from its file or standard input, by mlppredict's reader. */
static int
load_model(struct job *j)
{
	if (strcmp(j->model, "-") == 0)
		return model_read(stdin, "standard input", &j->m, j->err, sizeof j->err);
	return model_load(j->model, &j->m, j->err, sizeof j->err);
}

/* Writes the C file and commits it; nothing is left of it on a failure. */
static int
write_output(struct job *j)
{
	int st;

	if ((st = export_check(j->m, &j->ex, j->err, sizeof j->err)) == 0 &&
	    (st = export_write(j->file.fp, j->m, &j->ex, j->err, sizeof j->err)) == ST_IO)
		snprintf(j->err, sizeof j->err, "%s: write error: %s", j->file.name, strerror(errno));
	if (st == 0 && cli_stop != 0)
		st = cli_stop;
	if (st == 0)
		return outputs_commit(&j->outs, &cli_stop, j->err, sizeof j->err);
	outputs_abort(&j->outs);
	return st;
}

int
main(int argc, char *argv[])
{
	static struct job job;
	struct job *j = &job;
	int st;

	if ((st = parse_options(j, argc, argv)) != 0 || j->exit_now ||
	    (st = open_output(j)) != 0 ||
	    (st = load_model(j)) != 0 ||
	    (st = write_output(j)) != 0)
		goto done;
done:
	outputs_abort(&j->outs);	/* (nothing left to abandon after a commit) */
	if (st >= ST_INTERRUPTED)
		fprintf(stderr, "mlpexport: interrupted%s\n", j->out ? "; output file left as it was" : "");
	else if (st != 0 && j->err[0] != '\0')
		fprintf(stderr, "mlpexport: %s\n", j->err);
	if (st == ST_USAGE && j->usage)
		fputs(usage_text, stderr);
	model_free(j->m);
	if (st == 0 && j->exit_now && (fflush(stdout) != 0 || ferror(stdout))) {
		fprintf(stderr, "mlpexport: standard output: write error: %s\n", strerror(errno));
		st = ST_IO;
	}
	return st;
}
