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
#include "columns.h"
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
    "                [-o file] [-r rate] [-s seed] [-t cols] [-w col] [-x cols]\n"
    "                [--class-weight balanced] [--drop-missing] [--holdout frac]\n"
    "                [--positive label] [--validate file] [file]\n";

static const char help_text[] =
    "Train a sigmoid multilayer perceptron by per-sample SGD on the log loss.\n"
    "Reads CSV from file (or standard input when none or -), the last nL columns\n"
    "being targets (numbers in [0,1], or two class labels) unless -t says which;\n"
    "writes the model as JSON to standard output or -o.\n"
    "\n"
    "  -d, --delimiter C       field separator: one character, or tab (default ,)\n"
    "  -e, --epochs N          passes over the data (default 10)\n"
    "  -H, --header            the first row is a header (default: guessed)\n"
    "  -h, --help              print this help and exit\n"
    "  -i, --init MODEL        start from MODEL's weights, sizes and standardisation\n"
    "  -l, --layers LIST       layer sizes, inputs first, outputs last, e.g. 4,8,1\n"
    "                          (default: features,8,targets, or the -i model's)\n"
    "  -N, --no-header         the first row is data\n"
    "  -o, --output FILE       write the model to FILE, replaced only when complete\n"
    "  -q, --quiet             no progress lines on standard error\n"
    "  -r, --rate ETA          learning rate (default 0.1)\n"
    "  -s, --seed N            random seed for weights, order and holdout (default 1)\n"
    "  -S, --no-shuffle        visit rows in file order every epoch\n"
    "  -t, --target COLS       target columns: header names or numbers from 1, e.g.\n"
    "                          label or 5 or 4-5 (default: the last nL columns)\n"
    "  -V, --version           print the version and exit\n"
    "  -w, --weight COL        per-row weights (>= 0) from column COL\n"
    "  -x, --ignore COLS       columns that are neither features nor targets\n"
    "  -Z, --no-standardize    train on raw feature values\n"
    "      --class-weight balanced\n"
    "                          weigh each row by n / (2 n_c) for its class c\n"
    "      --drop-missing      skip rows with a missing value (empty, NA, NaN, ?,\n"
    "                          null, ...) instead of stopping\n"
    "      --holdout FRAC      validate on a random FRAC of the rows (stratified)\n"
    "      --positive LABEL    the class label that is target 1 (default: the\n"
    "                          greater of the two, in sorted order)\n"
    "      --validate FILE     validate on the rows of FILE after every epoch\n"
    "\n"
    "Exit status: 0 success, 1 bad data, 2 usage, 3 I/O error, 4 diverged,\n"
    "5 out of memory, 128+N killed by signal N.  See mlptrain(1).\n";

enum {
	OPT_CLASS_WEIGHT = 256,
	OPT_DROP_MISSING,
	OPT_HOLDOUT,
	OPT_POSITIVE,
	OPT_VALIDATE
};

static const struct option longopts[] = {
	{ "class-weight", required_argument, NULL, OPT_CLASS_WEIGHT },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "drop-missing", no_argument, NULL, OPT_DROP_MISSING },
	{ "epochs", required_argument, NULL, 'e' },
	{ "header", no_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ "holdout", required_argument, NULL, OPT_HOLDOUT },
	{ "ignore", required_argument, NULL, 'x' },
	{ "init", required_argument, NULL, 'i' },
	{ "layers", required_argument, NULL, 'l' },
	{ "no-header", no_argument, NULL, 'N' },
	{ "no-shuffle", no_argument, NULL, 'S' },
	{ "no-standardize", no_argument, NULL, 'Z' },
	{ "output", required_argument, NULL, 'o' },
	{ "positive", required_argument, NULL, OPT_POSITIVE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rate", required_argument, NULL, 'r' },
	{ "seed", required_argument, NULL, 's' },
	{ "target", required_argument, NULL, 't' },
	{ "validate", required_argument, NULL, OPT_VALIDATE },
	{ "version", no_argument, NULL, 'V' },
	{ "weight", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 }
};

struct progress {
	struct timespec start;
	uint64_t epochs;
};

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

static void
print_epoch(void *ctx, const struct epoch_stats *es)
{
	struct progress *p = ctx;
	char val[96] = "";

	if (es->have_val)
		snprintf(val, sizeof val, "  val_loss %.6f  val_accuracy %.4f", es->val_loss, es->val_accuracy);
	fprintf(stderr, "epoch %" PRIu64 "/%" PRIu64 "  loss %.6f  accuracy %.4f%s  time %.2fs\n",
	    es->epoch, p->epochs, es->loss, es->accuracy, val, seconds_since(&p->start));
}

/*
 * Reads the CSV file at path ("-": standard input) as o says; prints how
 * many rows were skipped unless quiet.  Returns 0 or a status with err set.
 */
static int
read_csv(const char *path, const struct data_opts *o, int quiet, struct dataset **d, char *err, size_t errlen)
{
	const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	int st;

	if (in == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ST_IO;
	}
	st = data_read(in, name, o, d, &cli_stop, err, errlen);
	if (in != stdin)
		fclose(in);
	if (st >= ST_INTERRUPTED)
		strncat(err, "; no model written", errlen - strlen(err) - 1);
	if (st == 0 && (*d)->dropped > 0 && !quiet)
		fprintf(stderr, "mlptrain: %s: skipped %zu row%s with missing values\n", name, (*d)->dropped,
		    (*d)->dropped == 1 ? "" : "s");
	return st;
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

/* Copies s into *out (NULL stays NULL); -1 when out of memory. */
static int
copy_str(const char *s, char **out)
{
	if (s != NULL && (*out = strdup(s)) == NULL)
		return -1;
	return 0;
}

int
main(int argc, char *argv[])
{
	char err[ERRLEN] = "", want[96], have[96];
	const char *outpath = NULL, *initpath = NULL, *valpath = NULL, *inpath, *inname;
	size_t *sizes = NULL, nf, ntargets, j;
	uint64_t epochs = DEFAULT_EPOCHS, seed = DEFAULT_SEED;
	double rate = DEFAULT_RATE, train_seconds = 0, holdout = 0, cw[2] = { 1, 1 };
	int ch, count = 0, quiet = 0, shuffle = 1, standardize = 1, balanced = 0, st = 0;
	struct model *m = NULL;
	struct dataset *d = NULL, *val = NULL;
	struct data_opts dopts, vopts;
	struct colspec target, ignore, weight;
	struct progress prog;
	struct train_opts topts;
	struct outfile out;
	struct rng rng, hrng;

	memset(&dopts, 0, sizeof dopts);
	memset(&target, 0, sizeof target);
	memset(&ignore, 0, sizeof ignore);
	memset(&weight, 0, sizeof weight);
	dopts.ntargets = 1;
	dopts.delim = ',';
	dopts.header = DATA_HEADER_GUESS;
	while ((ch = getopt_long(argc, argv, "HNSVZd:e:hi:l:o:qr:s:t:w:x:", longopts, NULL)) != -1) {
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
		case 't':
			colspec_free(&target);
			if (colspec_parse("-t", optarg, &target, err, sizeof err) != 0)
				goto usage_error;
			dopts.target = &target;
			break;
		case 'w':
			colspec_free(&weight);
			if (colspec_parse("-w", optarg, &weight, err, sizeof err) != 0)
				goto usage_error;
			dopts.weight = &weight;
			break;
		case 'x':
			colspec_free(&ignore);
			if (colspec_parse("-x", optarg, &ignore, err, sizeof err) != 0)
				goto usage_error;
			dopts.ignore = &ignore;
			break;
		case OPT_CLASS_WEIGHT:
			if (strcmp(optarg, "balanced") != 0 && strcmp(optarg, "none") != 0) {
				snprintf(err, sizeof err, "--class-weight: '%s' is not balanced or none", optarg);
				goto usage_error;
			}
			balanced = strcmp(optarg, "balanced") == 0;
			break;
		case OPT_DROP_MISSING:
			dopts.drop_missing = 1;
			break;
		case OPT_HOLDOUT:
			if (cli_fraction("--holdout", optarg, 0, &holdout, err, sizeof err) != 0)
				goto usage_error;
			break;
		case OPT_POSITIVE:
			dopts.positive = optarg;
			break;
		case OPT_VALIDATE:
			valpath = optarg;
			break;
		default:
			st = ST_USAGE;
			goto done;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1) {
		snprintf(err, sizeof err, "one data file at most, got %d", argc);
		st = ST_USAGE;
		goto done;
	}
	inpath = argc == 1 ? argv[0] : "-";
	inname = strcmp(inpath, "-") == 0 ? "standard input" : inpath;

	/* Everything that can be checked before the data is read and trained on. */
	if (holdout > 0 && valpath != NULL) {
		snprintf(err, sizeof err, "--holdout and --validate: choose one way to validate");
		goto usage_error;
	}
	if (valpath != NULL && strcmp(valpath, "-") == 0 && strcmp(inpath, "-") == 0) {
		snprintf(err, sizeof err, "--validate -: standard input is already the training data");
		goto usage_error;
	}
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
		if (m->classes != NULL) {
			if (dopts.positive != NULL && strcmp(dopts.positive, m->classes[1]) != 0) {
				snprintf(err, sizeof err, "--positive '%s': the positive class of %s is '%s'",
				    dopts.positive, initpath, m->classes[1]);
				goto usage_error;
			}
			dopts.classes = m->classes;
			dopts.classes_from = initpath;
		} else if (m->n[m->L] == 1 && m->info.have)
			dopts.numbers_only = dopts.positive == NULL;
	}
	ntargets = m != NULL ? m->n[m->L] : sizes != NULL ? sizes[count - 1] : 1;
	if (dopts.positive != NULL && dopts.target == NULL && ntargets > 1) {
		snprintf(err, sizeof err, "--positive needs one target column of class labels; there are %zu outputs",
		    ntargets);
		goto usage_error;
	}
	dopts.ntargets = ntargets;

	cli_catch_signals();
	if ((st = read_csv(inpath, &dopts, quiet, &d, err, sizeof err)) != 0)
		goto done;
	nf = data_nfeatures(d);

	/* The layer sizes against the file. */
	st = ST_DATA;
	if (dopts.target != NULL && d->ntargets != ntargets && (m != NULL || sizes != NULL)) {
		snprintf(err, sizeof err, "-t names %zu target column%s, but %s %zu output%s",
		    d->ntargets, d->ntargets == 1 ? "" : "s", m != NULL ? initpath : "-l has",
		    ntargets, ntargets == 1 ? "" : "s");
		st = ST_USAGE;
		goto done;
	}
	ntargets = d->ntargets;
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
				snprintf(err, sizeof err, "%s: feature %zu is '%s', but feature %zu of %s is '%s'",
				    inname, j + 1, d->names[j], j + 1, initpath, m->features[j]);
				goto done;
			}
	if (m != NULL && m->classes == NULL && d->classes != NULL) {
		snprintf(err, sizeof err, "%s: the targets are the labels '%s' and '%s', but %s was trained on numbers",
		    inname, d->classes[0], d->classes[1], initpath);
		goto done;
	}

	/* Validation rows: from a file, or held out of the training rows. */
	if (valpath != NULL) {
		vopts = dopts;
		vopts.like = d;
		vopts.positive = NULL;
		vopts.classes = d->classes;
		vopts.numbers_only = d->classes == NULL;
		vopts.classes_from = "the training set";
		if ((st = read_csv(valpath, &vopts, quiet, &val, err, sizeof err)) != 0)
			goto done;
	} else if (holdout > 0) {
		rng_seed(&hrng, seed ^ UINT64_C(0x5eed0f4a11d0c7a5));	/* not the stream of the weights */
		if ((st = data_holdout(d, holdout, &hrng, &val, err, sizeof err)) != 0)
			goto done;
	}
	if (balanced && (st = data_balance(d, cw, inname, err, sizeof err)) != 0)
		goto done;

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
			sizes[2] = ntargets;
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
	if (d->classes != NULL && m->classes == NULL && copy_names(d->classes, 2, &m->classes) != 0)
		goto done;
	if (train_prepare(m, d, standardize) != 0 || (val != NULL && train_prepare(m, val, 0) != 0))
		goto done;

	memset(&topts, 0, sizeof topts);
	topts.epochs = epochs;
	topts.rate = rate;
	topts.shuffle = shuffle;
	topts.val = val;
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
	st = ST_NOMEM;
	snprintf(err, sizeof err, "out of memory");
	m->info.have = 1;
	m->info.rows = d->rows;
	m->info.epochs = epochs;
	m->info.rate = rate;
	m->info.seed = seed;
	m->info.shuffle = shuffle;
	m->info.from_model = initpath != NULL;
	m->info.dropped = d->dropped;
	m->info.balanced = balanced;
	m->info.class_weight[0] = cw[0];
	m->info.class_weight[1] = cw[1];
	free(m->info.weight_column);
	m->info.weight_column = NULL;
	if (dopts.weight != NULL && copy_str(d->weight_name != NULL ? d->weight_name : weight.arg,
	    &m->info.weight_column) != 0)
		goto done;
	if (train_evaluate(m, d, &m->info.loss, &m->info.accuracy) != 0)
		goto done;
	if (val != NULL) {
		m->info.have_val = 1;
		m->info.val_rows = val->rows;
		m->info.holdout = holdout;
		free(m->info.val_file);
		m->info.val_file = NULL;
		if (copy_str(valpath, &m->info.val_file) != 0 ||
		    train_evaluate(m, val, &m->info.val_loss, &m->info.val_accuracy) != 0)
			goto done;
	}

	if ((st = outfile_open(&out, outpath, err, sizeof err)) != 0)
		goto done;
	if ((st = model_write(out.fp, m)) != 0) {
		outfile_abort(&out);
		snprintf(err, sizeof err, "%s: %s", out.name, st == ST_NOMEM ? "out of memory" : "write error");
		goto done;
	}
	if ((st = outfile_commit(&out, err, sizeof err)) != 0)
		goto done;
	if (!quiet) {
		char vtext[96] = "";

		if (val != NULL)
			snprintf(vtext, sizeof vtext, "  val_loss %.6f  val_accuracy %.4f",
			    m->info.val_loss, m->info.val_accuracy);
		fprintf(stderr, "final  loss %.6f  accuracy %.4f%s  rows %zu  time %.2fs  training %.0f rows/s\n",
		    m->info.loss, m->info.accuracy, vtext, d->rows, seconds_since(&prog.start),
		    train_seconds > 0 ? (double)d->rows * (double)epochs / train_seconds : 0.0);
	}
	err[0] = '\0';
	st = 0;
	goto done;

usage_error:
	st = ST_USAGE;
done:
	model_free(m);
	data_free(d);
	data_free(val);
	free(sizes);
	colspec_free(&target);
	colspec_free(&ignore);
	colspec_free(&weight);
	if (st == ST_USAGE && err[0] == '\0') {
		fputs(usage_text, stderr);
		return st;
	}
	if (st == ST_USAGE && strncmp(err, "one data file", 13) == 0) {
		fprintf(stderr, "mlptrain: %s\n", err);
		fputs(usage_text, stderr);
		return st;
	}
	return report(st, err);
}
