/*
 * mlptrain: reads a CSV data set, trains a sigmoid multilayer perceptron by
 * per-sample SGD on the log loss, and writes the model as JSON.
 * This file only parses options, wires the modules together and reports.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "data.h"
#include "model.h"
#include "modelio.h"
#include "outfile.h"
#include "rng.h"
#include "status.h"
#include "train.h"

#define DEFAULT_EPOCHS 10
#define DEFAULT_RATE 0.1
#define DEFAULT_SEED 1
#define DEFAULT_HIDDEN 8

static const char usage_text[] =
    "usage: mlptrain [-HhNqSVZ] [-d delim] [-e epochs] [-i model] [-l n0,n1,...,nL]\n"
    "                [-o file] [-r rate] [-s seed] [file]\n";

static const char help_text[] =
    "Train a sigmoid multilayer perceptron by per-sample SGD on the log loss.\n"
    "Reads CSV from file (or standard input when none or -), the last nL columns\n"
    "being targets in [0,1]; writes the model as JSON to standard output or -o.\n"
    "\n"
    "  -d, --delimiter C       field separator: one character, or tab (default ,)\n"
    "  -e, --epochs N          passes over the data (default 10)\n"
    "  -H, --header            the first row is a header (default: guessed)\n"
    "  -h, --help              print this help and exit\n"
    "  -i, --init MODEL        start from MODEL's weights, sizes and standardisation\n"
    "  -l, --layers LIST       layer sizes, inputs first, outputs last, e.g. 4,8,1\n"
    "                          (default: features,8,1, or the -i model's)\n"
    "  -N, --no-header         the first row is data\n"
    "  -o, --output FILE       write the model to FILE, replaced only when complete\n"
    "  -q, --quiet             no progress lines on standard error\n"
    "  -r, --rate ETA          learning rate (default 0.1)\n"
    "  -s, --seed N            random seed for weights and order (default 1)\n"
    "  -S, --no-shuffle        visit rows in file order every epoch\n"
    "  -V, --version           print the version and exit\n"
    "  -Z, --no-standardize    train on raw feature values\n"
    "\n"
    "Exit status: 0 success, 1 bad data, 2 usage, 3 I/O error, 4 diverged,\n"
    "5 out of memory, 128+N killed by signal N.  See mlptrain(1).\n";

static const struct option longopts[] = {
	{ "delimiter", required_argument, NULL, 'd' },
	{ "epochs", required_argument, NULL, 'e' },
	{ "header", no_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ "init", required_argument, NULL, 'i' },
	{ "layers", required_argument, NULL, 'l' },
	{ "no-header", no_argument, NULL, 'N' },
	{ "no-shuffle", no_argument, NULL, 'S' },
	{ "no-standardize", no_argument, NULL, 'Z' },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rate", required_argument, NULL, 'r' },
	{ "seed", required_argument, NULL, 's' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

struct progress {
	struct timespec start;
	uint64_t epochs;
};

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(ST_USAGE);
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

static void
print_epoch(void *ctx, uint64_t epoch, double loss, double accuracy)
{
	struct progress *p = ctx;

	fprintf(stderr, "epoch %" PRIu64 "/%" PRIu64 "  loss %.6f  accuracy %.4f  time %.2fs\n",
	    epoch, p->epochs, loss, accuracy, seconds_since(&p->start));
}

/* Copies names[0..n-1] (or leaves *out NULL when names is NULL). */
static int
copy_names(char **names, size_t n, char ***out)
{
	size_t i;

	if (names == NULL)
		return 0;
	if ((*out = calloc(n, sizeof **out)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (((*out)[i] = strdup(names[i])) == NULL)
			return -1;
	return 0;
}

/* A sizes list as text, "4,8,1", with the first entry replaced by first. */
static void
sizes_text(char *buf, size_t len, const size_t *n, int count, size_t first)
{
	size_t used = 0;
	int l;

	for (l = 0; l < count && used < len; l++)
		used += (size_t)snprintf(buf + used, len - used, "%s%zu", l ? "," : "", l ? n[l] : first);
}

/* Prints "mlptrain: msg" unless msg is empty; returns st. */
static int
report(int st, const char *msg)
{
	if (msg[0] != '\0')
		fprintf(stderr, "mlptrain: %s\n", msg);
	return st;
}

int
main(int argc, char *argv[])
{
	char err[ERRLEN] = "", want[96], have[96];
	const char *outpath = NULL, *initpath = NULL, *inpath, *inname;
	size_t *sizes = NULL, nf, ntargets, j;
	uint64_t epochs = DEFAULT_EPOCHS, seed = DEFAULT_SEED;
	double rate = DEFAULT_RATE, train_seconds = 0;
	int ch, count = 0, quiet = 0, shuffle = 1, standardize = 1, st = 0;
	struct model *m = NULL;
	struct dataset *d = NULL;
	struct data_opts dopts = { 1, ',', DATA_HEADER_GUESS };
	struct progress prog;
	struct train_opts topts;
	struct outfile out;
	struct rng rng;
	FILE *in;

	while ((ch = getopt_long(argc, argv, "HNSVZd:e:hi:l:o:qr:s:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H':
			dopts.header = 1;
			break;
		case 'N':
			dopts.header = 0;
			break;
		case 'S':
			shuffle = 0;
			break;
		case 'V':
			puts("mlptrain " VERSION);
			goto done;
		case 'Z':
			standardize = 0;
			break;
		case 'd':
			if (cli_delimiter("-d", optarg, &dopts.delim, err, sizeof err) != 0)
				goto usage_error;
			break;
		case 'e':
			if (cli_uint("-e", optarg, 0, 1000000000, &epochs, err, sizeof err) != 0)
				goto usage_error;
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			goto done;
		case 'i':
			initpath = optarg;
			break;
		case 'l':
			free(sizes);
			if (cli_layers(optarg, &sizes, &count, err, sizeof err) != 0)
				goto usage_error;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'r':
			if (cli_positive("-r", optarg, &rate, err, sizeof err) != 0)
				goto usage_error;
			break;
		case 's':
			if (cli_uint("-s", optarg, 0, UINT64_MAX, &seed, err, sizeof err) != 0)
				goto usage_error;
			break;
		default:
			free(sizes);
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1) {
		fprintf(stderr, "mlptrain: one data file at most, got %d\n", argc);
		free(sizes);
		usage();
	}
	inpath = argc == 1 ? argv[0] : "-";

	/* Everything that can be checked before the data is read and trained on. */
	if (outpath != NULL && (st = outfile_check(outpath, err, sizeof err)) != 0)
		goto done;
	if (initpath != NULL) {
		if ((st = model_load(initpath, &m, err, sizeof err)) != 0)
			goto done;
		if (sizes != NULL && (count != m->L + 1 || memcmp(sizes, m->n, (size_t)count * sizeof *sizes) != 0)) {
			sizes_text(want, sizeof want, sizes, count, sizes[0]);
			sizes_text(have, sizeof have, m->n, m->L + 1, m->n[0]);
			snprintf(err, sizeof err, "-l %s disagrees with the layers %s of %s", want, have, initpath);
			goto usage_error;
		}
		if (!standardize && m->mean != NULL) {
			snprintf(err, sizeof err, "-Z: %s standardises its inputs; its statistics are kept with -i", initpath);
			goto usage_error;
		}
	}
	ntargets = m != NULL ? m->n[m->L] : sizes != NULL ? sizes[count - 1] : 1;
	dopts.ntargets = ntargets;

	cli_catch_signals();
	if (strcmp(inpath, "-") == 0) {
		in = stdin;
		inname = "standard input";
	} else if ((in = fopen(inpath, "rb")) == NULL) {
		snprintf(err, sizeof err, "%s: %s", inpath, strerror(errno));
		st = ST_IO;
		goto done;
	} else
		inname = inpath;
	st = data_read(in, inname, &dopts, &d, &cli_stop, err, sizeof err);
	if (in != stdin)
		fclose(in);
	if (st >= ST_INTERRUPTED)
		strncat(err, "; no model written", sizeof err - strlen(err) - 1);
	if (st != 0)
		goto done;
	nf = data_nfeatures(d);

	/* The layer sizes against the file. */
	st = ST_DATA;
	if (m != NULL && m->n[0] != nf) {
		snprintf(err, sizeof err, "%s has %zu feature columns (and %zu target%s), but %s takes %zu inputs",
		    inname, nf, ntargets, ntargets == 1 ? "" : "s", initpath, m->n[0]);
		goto done;
	}
	if (m == NULL && sizes != NULL && sizes[0] != nf) {
		sizes_text(want, sizeof want, sizes, count, sizes[0]);
		sizes_text(have, sizeof have, sizes, count, nf);
		snprintf(err, sizeof err, "%s has %zu columns: %zu feature%s and %zu target%s, "
		    "but -l %s expects %zu feature%s; try -l %s", inname, d->cols, nf, nf == 1 ? "" : "s",
		    ntargets, ntargets == 1 ? "" : "s", want, sizes[0], sizes[0] == 1 ? "" : "s", have);
		goto done;
	}
	if (m != NULL && m->features != NULL && d->names != NULL)
		for (j = 0; j < nf; j++)
			if (strcmp(m->features[j], d->names[j]) != 0) {
				snprintf(err, sizeof err, "%s: column %zu is '%s', but feature %zu of %s is '%s'",
				    inname, j + 1, d->names[j], j + 1, initpath, m->features[j]);
				goto done;
			}

	st = ST_NOMEM;
	snprintf(err, sizeof err, "out of memory");
	rng_seed(&rng, seed);
	if (m == NULL) {
		if (sizes == NULL) {
			count = 3;
			if ((sizes = malloc(3 * sizeof *sizes)) == NULL)
				goto done;
			sizes[0] = nf;
			sizes[1] = DEFAULT_HIDDEN;
			sizes[2] = 1;
		}
		if ((m = model_new(sizes, count - 1)) == NULL) {
			size_t w = 0;
			int l;

			for (l = 1; l < count; l++)
				w += sizes[l] * (sizes[l - 1] + 1);
			snprintf(err, sizeof err, "out of memory for a model of %zu weights (%zu MiB)",
			    w, w * sizeof(double) >> 20);
			goto done;
		}
		model_init_glorot(m, &rng);
	}
	if (d->names != NULL && m->features == NULL &&
	    (copy_names(d->names, nf, &m->features) != 0 ||
	    copy_names(d->names + nf, ntargets, &m->targets) != 0))
		goto done;
	if (train_prepare(m, d, standardize) != 0)
		goto done;

	memset(&topts, 0, sizeof topts);
	topts.epochs = epochs;
	topts.rate = rate;
	topts.shuffle = shuffle;
	topts.stop = &cli_stop;
	topts.on_epoch = quiet ? NULL : print_epoch;
	topts.ctx = &prog;
	prog.epochs = epochs;
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	if ((st = train(m, d, &topts, &rng, err, sizeof err)) != 0) {
		if (st >= ST_INTERRUPTED)
			strncat(err, "; no model written", sizeof err - strlen(err) - 1);
		goto done;
	}
	train_seconds = seconds_since(&prog.start);
	m->info.have = 1;
	m->info.rows = d->rows;
	m->info.epochs = epochs;
	m->info.rate = rate;
	m->info.seed = seed;
	m->info.shuffle = shuffle;
	m->info.from_model = initpath != NULL;
	st = ST_NOMEM;
	if (train_evaluate(m, d, &m->info.loss, &m->info.accuracy) != 0)
		goto done;

	if ((st = outfile_open(&out, outpath, err, sizeof err)) != 0)
		goto done;
	if ((st = model_write(out.fp, m)) != 0) {
		outfile_abort(&out);
		snprintf(err, sizeof err, "%s: %s", out.name, st == ST_NOMEM ? "out of memory" : "write error");
		goto done;
	}
	if ((st = outfile_commit(&out, err, sizeof err)) != 0)
		goto done;
	if (!quiet)
		fprintf(stderr, "final  loss %.6f  accuracy %.4f  rows %zu  time %.2fs  training %.0f rows/s\n",
		    m->info.loss, m->info.accuracy, d->rows, seconds_since(&prog.start),
		    train_seconds > 0 ? (double)d->rows * (double)epochs / train_seconds : 0.0);
	err[0] = '\0';
	goto done;

usage_error:
	st = ST_USAGE;
done:
	model_free(m);
	data_free(d);
	free(sizes);
	return report(st, err);
}
