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
#include <sys/stat.h>

#include "cli.h"
#include "columns.h"
#include "data.h"
#include "history.h"
#include "model.h"
#include "modelio.h"
#include "outfile.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "status.h"
#include "train.h"

#define DEFAULT_EPOCHS 10
#define DEFAULT_RATE 0.1
#define DEFAULT_SEED 1
#define DEFAULT_HIDDEN 8
#define DEFAULT_DECAY_EVERY 10
#define DEFAULT_DECAY_FACTOR 0.5
#define DEFAULT_TOL 1e-4
#define HOLDOUT_STREAM UINT64_C(0x5eed0f4a11d0c7a5)	/* seed ^ this: the holdout split's stream */

static const char usage_text[] =
    "usage: mlptrain [-HhNqSvVZ] [-d delim] [-e epochs] [-i model] [-l n0,n1,...,nL]\n"
    "                [-o file] [-r rate] [-s seed] [-t cols] [-w col] [-x cols]\n"
    "                [--class-weight balanced] [--decay none|inverse|step] [--decay-k k]\n"
    "                [--decay-every n] [--decay-factor g] [--drop-missing]\n"
    "                [--history file] [--holdout frac] [--patience n] [--plot file]\n"
    "                [--positive label] [--tol t] [--validate file] [file]\n";

static const char help_text[] =
    "Train a sigmoid multilayer perceptron by per-sample SGD on the log loss.\n"
    "Reads CSV from file (or standard input when none or -), the last nL columns\n"
    "being targets (numbers in [0,1], or two class labels) unless -t says which;\n"
    "writes the model as JSON to standard output or -o.\n"
    "\n"
    "  -d, --delimiter C       field separator: one character, or tab (default ,)\n"
    "  -e, --epochs N          passes over the data (default 10; with -i, N more)\n"
    "  -H, --header            the first row is a header (default: guessed)\n"
    "  -h, --help              print this help and exit\n"
    "  -i, --init MODEL        resume from MODEL: its weights, sizes, standardisation,\n"
    "                          epoch count, rate, schedule and random stream\n"
    "  -l, --layers LIST       layer sizes, inputs first, outputs last, e.g. 4,8,1\n"
    "                          (default: features,8,targets, or the -i model's)\n"
    "  -N, --no-header         the first row is data\n"
    "  -o, --output FILE       write the model to FILE, replaced only when complete\n"
    "  -q, --quiet             nothing on standard error but errors\n"
    "  -r, --rate ETA          learning rate (default 0.1)\n"
    "  -s, --seed N            random seed for weights, order and holdout (default 1)\n"
    "  -S, --no-shuffle        visit rows in file order every epoch\n"
    "  -t, --target COLS       target columns: header names or numbers from 1, e.g.\n"
    "                          label or 5 or 4-5 (default: the last nL columns)\n"
    "  -v, --verbose           more detail: the data and model, each epoch's rate,\n"
    "                          time and speed\n"
    "  -V, --version           print the version and exit\n"
    "  -w, --weight COL        per-row weights (>= 0) from column COL\n"
    "  -x, --ignore COLS       columns that are neither features nor targets\n"
    "  -Z, --no-standardize    train on raw feature values\n"
    "      --class-weight balanced\n"
    "                          weigh each row by n / (2 n_c) for its class c\n"
    "      --decay KIND        learning-rate schedule: none (default), inverse:\n"
    "                          eta / (1 + k t) after t updates, or step:\n"
    "                          eta g^floor((e - 1) / n) in epoch e\n"
    "      --decay-k K         k of inverse (default 1 / the training rows)\n"
    "      --decay-every N     n of step, in epochs (default 10)\n"
    "      --decay-factor G    g of step, 0 < g < 1 (default 0.5)\n"
    "      --drop-missing      skip rows with a missing value (empty, NA, NaN, ?,\n"
    "                          null, ...) instead of stopping\n"
    "      --history FILE      write one CSV row per epoch to FILE: loss, accuracy,\n"
    "                          validation loss and accuracy, rate, seconds\n"
    "      --holdout FRAC      validate on a random FRAC of the rows (stratified)\n"
    "      --patience N        stop after N epochs without a better validation\n"
    "                          loss, and keep the best epoch's weights\n"
    "      --plot FILE         draw the loss curves as an SVG image in FILE\n"
    "      --positive LABEL    the class label that is target 1 (default: the\n"
    "                          greater of the two, in sorted order)\n"
    "      --tol T             what better means for --patience: lower by more\n"
    "                          than T (default 0.0001)\n"
    "      --validate FILE     validate on the rows of FILE after every epoch\n"
    "\n"
    "Exit status: 0 success, 1 bad data, 2 usage, 3 I/O error, 4 diverged,\n"
    "5 out of memory, 128+N killed by signal N.  See mlptrain(1).\n";

enum {
	OPT_CLASS_WEIGHT = 256,
	OPT_DECAY,
	OPT_DECAY_EVERY,
	OPT_DECAY_FACTOR,
	OPT_DECAY_K,
	OPT_DROP_MISSING,
	OPT_HISTORY,
	OPT_HOLDOUT,
	OPT_PATIENCE,
	OPT_PLOT,
	OPT_POSITIVE,
	OPT_TOL,
	OPT_VALIDATE
};

static const struct option longopts[] = {
	{ "class-weight", required_argument, NULL, OPT_CLASS_WEIGHT },
	{ "decay", required_argument, NULL, OPT_DECAY },
	{ "decay-every", required_argument, NULL, OPT_DECAY_EVERY },
	{ "decay-factor", required_argument, NULL, OPT_DECAY_FACTOR },
	{ "decay-k", required_argument, NULL, OPT_DECAY_K },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "drop-missing", no_argument, NULL, OPT_DROP_MISSING },
	{ "epochs", required_argument, NULL, 'e' },
	{ "header", no_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ "history", required_argument, NULL, OPT_HISTORY },
	{ "holdout", required_argument, NULL, OPT_HOLDOUT },
	{ "ignore", required_argument, NULL, 'x' },
	{ "init", required_argument, NULL, 'i' },
	{ "layers", required_argument, NULL, 'l' },
	{ "no-header", no_argument, NULL, 'N' },
	{ "no-shuffle", no_argument, NULL, 'S' },
	{ "no-standardize", no_argument, NULL, 'Z' },
	{ "output", required_argument, NULL, 'o' },
	{ "patience", required_argument, NULL, OPT_PATIENCE },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "positive", required_argument, NULL, OPT_POSITIVE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rate", required_argument, NULL, 'r' },
	{ "seed", required_argument, NULL, 's' },
	{ "target", required_argument, NULL, 't' },
	{ "tol", required_argument, NULL, OPT_TOL },
	{ "validate", required_argument, NULL, OPT_VALIDATE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "weight", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 }
};

/* What the epoch callbacks feed: the progress display and the history. */
struct run {
	struct progress prog;
	struct history hist;
};

/* Whether two output paths name the same file (the same text, or the same existing file). */
static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (a == NULL || b == NULL || strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return a != NULL && b != NULL && strcmp(a, b) == 0;
	if (strcmp(a, b) == 0)
		return 1;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Two outputs on one file: 0 for none, 1 history and model, 2 plot and model, 3 history and plot. */
static size_t
shared_output(const char *model, const char *hist, const char *plot)
{
	return same_file(hist, model) ? 1 : same_file(plot, model) ? 2 : same_file(hist, plot) ? 3 : 0;
}

static void
on_epoch(void *ctx, const struct epoch_stats *es)
{
	struct run *r = ctx;

	history_add(&r->hist, es);
	progress_epoch(&r->prog, es);
}

static void
on_rows(void *ctx, const struct row_progress *rp)
{
	progress_rows(&((struct run *)ctx)->prog, rp);
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

/*
 * With -i: the rate and schedule continue from the model's record unless
 * given; the parameters of the model's schedule carry over when the kind
 * stays.  The record's absence (a model written by hand) changes nothing.
 */
static void
resume(const struct model *m, struct schedule *s, int given_rate, int given_decay, int given_k,
    int given_every, int given_factor)
{
	if (!m->info.have)
		return;
	if (!given_rate && m->info.rate > 0)	/* 0: the record has none */
		s->rate = m->info.rate;
	if (!given_decay)
		s->kind = (enum decay)m->info.decay;
	if ((int)s->kind != m->info.decay)
		return;
	if (!given_k)
		s->k = m->info.decay_k;
	if (!given_every)
		s->every = m->info.decay_every;
	if (!given_factor)
		s->factor = m->info.decay_factor;
}

/* SGD updates an epoch makes: the rows of positive weight. */
static size_t
updates_per_epoch(const struct dataset *d)
{
	size_t n = 0, r;

	if (d->weight == NULL)
		return d->rows;
	for (r = 0; r < d->rows; r++)
		n += d->weight[r] > 0;
	return n;
}

/* -v: what is about to be trained, on one line. */
static void
describe(const struct dataset *d, const struct dataset *val, const struct model *m, const struct schedule *s,
    const char *inname, double holdout, uint64_t done, uint64_t epochs)
{
	char sizes[96], sched[96], vtext[96] = "";

	sizes_text(sizes, sizeof sizes, m->n, m->L + 1, m->n[0]);
	if (s->kind == DECAY_INVERSE)
		snprintf(sched, sizeof sched, "inverse, k %g", s->k);
	else if (s->kind == DECAY_STEP)
		snprintf(sched, sizeof sched, "step, every %" PRIu64 " epochs by %g", s->every, s->factor);
	else
		snprintf(sched, sizeof sched, "none");
	if (val != NULL)
		snprintf(vtext, sizeof vtext, "; %zu validation rows%s", val->rows, holdout > 0 ? " held out" : "");
	fprintf(stderr, "mlptrain: %s: %zu training rows%s; layers %s (%zu weights); rate %g, decay %s; "
	    "epochs %" PRIu64 " to %" PRIu64 "\n", inname, d->rows, vtext, sizes, m->nweights, s->rate, sched,
	    done + 1, done + epochs);
}

/* The plot's heading: the data and the layers. */
static void
plot_title(char *buf, size_t len, const char *inname, const struct model *m)
{
	char sizes[96];

	sizes_text(sizes, sizeof sizes, m->n, m->L + 1, m->n[0]);
	snprintf(buf, len, "mlptrain %s, layers %s", inname, sizes);
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
	const char *outpath = NULL, *initpath = NULL, *valpath = NULL, *histpath = NULL, *plotpath = NULL;
	const char *inpath, *inname;
	size_t *sizes = NULL, nf, ntargets, j;
	uint64_t epochs = DEFAULT_EPOCHS, seed = DEFAULT_SEED;
	double holdout = 0, cw[2] = { 1, 1 }, train_seconds;
	char title[256];
	uint64_t split = 0;
	struct curves curves;
	int ch, count = 0, quiet = 0, verbose = 0, shuffle = 1, standardize = 1, balanced = 0, st = 0;
	int given_rate = 0, given_seed = 0, given_decay = 0, given_k = 0, given_every = 0, given_factor = 0;
	int given_tol = 0, kind;
	struct model *m = NULL;
	struct dataset *d = NULL, *val = NULL;
	struct data_opts dopts, vopts;
	struct colspec target, ignore, weight;
	struct run run;
	struct train_opts topts;
	struct train_state state;
	struct train_result res;
	struct outfile out, plot;
	struct rng hrng;

	memset(&dopts, 0, sizeof dopts);
	memset(&topts, 0, sizeof topts);
	memset(&run, 0, sizeof run);
	memset(&out, 0, sizeof out);
	memset(&plot, 0, sizeof plot);
	topts.sched.kind = DECAY_NONE;
	topts.sched.rate = DEFAULT_RATE;
	topts.sched.every = DEFAULT_DECAY_EVERY;
	topts.sched.factor = DEFAULT_DECAY_FACTOR;
	topts.tol = DEFAULT_TOL;
	memset(&target, 0, sizeof target);
	memset(&ignore, 0, sizeof ignore);
	memset(&weight, 0, sizeof weight);
	dopts.ntargets = 1;
	dopts.delim = ',';
	dopts.header = DATA_HEADER_GUESS;
	while ((ch = getopt_long(argc, argv, "HNSVZd:e:hi:l:o:qr:s:t:vw:x:", longopts, NULL)) != -1) {
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
			if (cli_positive("-r", optarg, &topts.sched.rate, err, sizeof err) != 0)
				goto usage_error;
			given_rate = 1;
			break;
		case 's':
			if (cli_uint("-s", optarg, 0, UINT64_MAX, &seed, err, sizeof err) != 0)
				goto usage_error;
			given_seed = 1;
			break;
		case 'v':
			verbose = 1;
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
		case OPT_DECAY:
			if ((kind = schedule_kind(optarg)) < 0) {
				snprintf(err, sizeof err, "--decay: '%s' is not none, inverse or step", optarg);
				goto usage_error;
			}
			topts.sched.kind = (enum decay)kind;
			given_decay = 1;
			break;
		case OPT_DECAY_EVERY:
			if (cli_uint("--decay-every", optarg, 1, 1000000000, &topts.sched.every, err, sizeof err) != 0)
				goto usage_error;
			given_every = 1;
			break;
		case OPT_DECAY_FACTOR:
			if (cli_fraction("--decay-factor", optarg, 0, &topts.sched.factor, err, sizeof err) != 0)
				goto usage_error;
			given_factor = 1;
			break;
		case OPT_DECAY_K:
			if (cli_nonneg("--decay-k", optarg, &topts.sched.k, err, sizeof err) != 0)
				goto usage_error;
			given_k = 1;
			break;
		case OPT_HISTORY:
			histpath = optarg;
			break;
		case OPT_PATIENCE:
			if (cli_uint("--patience", optarg, 1, 1000000000, &topts.patience, err, sizeof err) != 0)
				goto usage_error;
			break;
		case OPT_PLOT:
			plotpath = optarg;
			break;
		case OPT_TOL:
			if (cli_nonneg("--tol", optarg, &topts.tol, err, sizeof err) != 0)
				goto usage_error;
			given_tol = 1;
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
	if (topts.patience > 0 && holdout == 0 && valpath == NULL) {
		snprintf(err, sizeof err, "--patience watches the validation loss: add --holdout or --validate");
		goto usage_error;
	}
	if (given_tol && topts.patience == 0) {
		snprintf(err, sizeof err, "--tol goes with --patience");
		goto usage_error;
	}
	if ((j = shared_output(outpath != NULL ? outpath : "-", histpath, plotpath)) > 0) {
		static const char *const pairs[] = { "", "--history and the model", "--plot and the model",
			"--history and --plot" };

		if (j < 3 && outpath == NULL)
			snprintf(err, sizeof err, "%s -: standard output already takes the model; write the model "
			    "to a file with -o", j == 1 ? "--history" : "--plot");
		else
			snprintf(err, sizeof err, "%s: named for two outputs (%s)", j == 2 ? plotpath : histpath,
			    pairs[j]);
		goto usage_error;
	}
	if ((outpath != NULL && (st = outfile_check(outpath, err, sizeof err)) != 0) ||
	    (histpath != NULL && (st = outfile_check(histpath, err, sizeof err)) != 0) ||
	    (plotpath != NULL && (st = outfile_check(plotpath, err, sizeof err)) != 0))
		goto done;
	if (initpath != NULL) {
		if ((st = model_load(initpath, &m, err, sizeof err)) != 0)
			goto done;
		if (m->info.bad != NULL) {	/* what to resume from is unreadable */
			snprintf(err, sizeof err, "%s", m->info.bad);
			st = ST_DATA;
			goto done;
		}
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
		resume(m, &topts.sched, given_rate, given_decay, given_k, given_every, given_factor);
		given_k |= topts.sched.kind == DECAY_INVERSE && m->info.have && m->info.decay == DECAY_INVERSE;
	}
	if (given_k && topts.sched.kind != DECAY_INVERSE) {
		snprintf(err, sizeof err, "--decay-k goes with --decay inverse");
		goto usage_error;
	}
	if ((given_every || given_factor) && topts.sched.kind != DECAY_STEP) {
		snprintf(err, sizeof err, "--decay-%s goes with --decay step", given_every ? "every" : "factor");
		goto usage_error;
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
		rng_seed(&hrng, seed ^ HOLDOUT_STREAM);	/* not the stream of the weights */
		if (m != NULL && !given_seed && m->info.have_split)
			hrng = (struct rng){ m->info.split };	/* the split the model was trained with */
		split = hrng.state;
		if ((st = data_holdout(d, holdout, &hrng, &val, err, sizeof err)) != 0)
			goto done;
	}
	if (balanced && (st = data_balance(d, cw, inname, err, sizeof err)) != 0)
		goto done;
	if (topts.sched.kind == DECAY_INVERSE && !given_k)
		topts.sched.k = 1 / (double)(updates_per_epoch(d) > 0 ? updates_per_epoch(d) : 1);

	st = ST_NOMEM;
	snprintf(err, sizeof err, "out of memory");
	memset(&state, 0, sizeof state);
	rng_seed(&state.rng, seed);
	if (m != NULL && m->info.have) {
		state.epochs = m->info.epochs;
		state.updates = m->info.updates;
		if (!given_seed && m->info.have_rng)
			state.rng.state = m->info.rng;	/* the order continues the model's stream */
	}
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
		model_init_glorot(m, &state.rng);
	}
	if (d->names != NULL && m->features == NULL &&
	    (copy_names(d->names, nf, &m->features) != 0 ||
	    copy_names(d->names + nf, ntargets, &m->targets) != 0))
		goto done;
	if (d->classes != NULL && m->classes == NULL && copy_names(d->classes, 2, &m->classes) != 0)
		goto done;
	if (train_prepare(m, d, standardize) != 0 || (val != NULL && train_prepare(m, val, 0) != 0))
		goto done;

	if ((st = history_open(&run.hist, histpath, val != NULL, initpath != NULL ? state.epochs : 0,
	    err, sizeof err)) != 0)
		goto done;
	if (verbose && !quiet)
		describe(d, val, m, &topts.sched, inname, holdout, state.epochs, epochs);

	topts.epochs = epochs;
	topts.shuffle = shuffle;
	topts.val = val;
	topts.stop = &cli_stop;
	topts.on_epoch = on_epoch;
	topts.ctx = &run;
	progress_start(&run.prog, stderr, quiet, verbose, state.epochs + 1, state.epochs + epochs, d->rows);
	if (run.prog.tty)
		topts.on_rows = on_rows;
	if ((st = train(m, d, &topts, &state, &res, err, sizeof err)) != 0) {
		if (st >= ST_INTERRUPTED)
			strncat(err, "; no model written", sizeof err - strlen(err) - 1);
		goto done;
	}
	train_seconds = train_now() - run.prog.start;
	if (!quiet && res.stopped)
		fprintf(stderr, "mlptrain: stopped after epoch %" PRIu64 ": val_loss not better than %.6f (epoch %"
		    PRIu64 ") by more than %g for %" PRIu64 " epochs; keeping epoch %" PRIu64 "\n", res.last_epoch,
		    res.best_loss, res.best_epoch, topts.tol, topts.patience, res.best_epoch);
	else if (!quiet && topts.patience > 0 && res.best_epoch > 0 && res.best_epoch != res.last_epoch)
		fprintf(stderr, "mlptrain: the epochs ran out at %" PRIu64 "; keeping epoch %" PRIu64
		    ", the best (val_loss %.6f)\n", res.last_epoch, res.best_epoch, res.best_loss);

	st = ST_NOMEM;
	snprintf(err, sizeof err, "out of memory");
	m->info.have = 1;
	m->info.rows = d->rows;
	m->info.epochs = state.epochs;
	m->info.updates = state.updates;
	m->info.rate = topts.sched.rate;
	m->info.decay = topts.sched.kind;
	m->info.decay_k = topts.sched.k;
	m->info.decay_every = topts.sched.every;
	m->info.decay_factor = topts.sched.factor;
	if (given_seed || initpath == NULL) {	/* else the model's, when it says */
		m->info.have_seed = 1;
		m->info.seed = seed;
	}
	m->info.have_rng = 1;
	m->info.rng = state.rng.state;
	m->info.shuffle = shuffle;
	m->info.from_model = initpath != NULL;
	m->info.dropped = d->dropped;
	m->info.balanced = balanced;
	m->info.class_weight[0] = cw[0];
	m->info.class_weight[1] = cw[1];
	m->info.patience = topts.patience;
	m->info.tol = topts.tol;
	m->info.best_epoch = res.best_epoch;
	m->info.last_epoch = res.last_epoch;
	m->info.stopped = res.stopped;
	free(m->info.weight_column);
	m->info.weight_column = NULL;
	if (dopts.weight != NULL && copy_str(d->weight_name != NULL ? d->weight_name : weight.arg,
	    &m->info.weight_column) != 0)
		goto done;
	if (train_evaluate(m, d, &m->info.loss, &m->info.accuracy) != 0)
		goto done;
	free(m->info.val_file);
	m->info.val_file = NULL;
	m->info.have_val = val != NULL;
	m->info.have_split = val != NULL && holdout > 0;
	m->info.split = split;
	if (val != NULL) {
		m->info.val_rows = val->rows;
		m->info.holdout = holdout;
		if (copy_str(valpath, &m->info.val_file) != 0 ||
		    train_evaluate(m, val, &m->info.val_loss, &m->info.val_accuracy) != 0)
			goto done;
	}

	/* The files: each is complete or left as it was. */
	plot_title(title, sizeof title, inname, m);
	memset(&curves, 0, sizeof curves);
	curves.n = history_points(&run.hist, &curves.epoch, &curves.train, &curves.val);
	curves.best = (double)res.best_epoch;
	curves.title = title;
	if ((st = outfile_open(&out, outpath, err, sizeof err)) != 0)
		goto done;
	if ((st = model_write(out.fp, m)) != 0) {
		snprintf(err, sizeof err, "%s: %s", out.name, st == ST_NOMEM ? "out of memory" : "write error");
		goto done;
	}
	if (plotpath != NULL) {
		if ((st = outfile_open(&plot, plotpath, err, sizeof err)) != 0)
			goto done;
		if (plot_svg(plot.fp, &curves) != 0) {
			snprintf(err, sizeof err, "%s: write error", plot.name);
			st = ST_IO;
			goto done;
		}
	}
	if ((st = outfile_commit(&out, err, sizeof err)) != 0 ||
	    (st = history_close(&run.hist, 1, err, sizeof err)) != 0 ||
	    (plotpath != NULL && (st = outfile_commit(&plot, err, sizeof err)) != 0))
		goto done;
	if (!quiet) {
		char vtext[96] = "", btext[48] = "";

		progress_plot(&run.prog, &curves);
		if (val != NULL)
			snprintf(vtext, sizeof vtext, "  val_loss %.6f  val_accuracy %.4f",
			    m->info.val_loss, m->info.val_accuracy);
		if (res.best_epoch > 0)
			snprintf(btext, sizeof btext, "  best_epoch %" PRIu64, res.best_epoch);
		fprintf(stderr, "final  epochs %" PRIu64 "%s  loss %.6f  accuracy %.4f%s  rows %zu  time %.2fs  "
		    "training %.0f rows/s\n", res.last_epoch, btext, m->info.loss, m->info.accuracy, vtext, d->rows,
		    train_now() - run.prog.start, train_seconds > 0 ?
		    (double)d->rows * (double)(res.last_epoch - run.prog.first + 1) / train_seconds : 0.0);
	}
	err[0] = '\0';
	st = 0;
	goto done;

usage_error:
	st = ST_USAGE;
done:
	if (out.fp != NULL)
		outfile_abort(&out);
	if (plot.fp != NULL)
		outfile_abort(&plot);
	history_free(&run.hist);
	progress_clear(&run.prog);
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
