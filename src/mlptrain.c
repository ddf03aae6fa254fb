/*
 * mlptrain: reads a CSV data set, trains a sigmoid multilayer perceptron by
 * per-sample SGD on the log loss, and writes the model as JSON.
 * This file only parses options, wires the modules together and reports.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "columns.h"
#include "comm.h"
#ifdef MLP_MPI
#include "comm_mpi.h"
#endif
#include "data.h"
#include "history.h"
#include "model.h"
#include "modelio.h"
#include "outputs.h"
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
#define DEFAULT_SYNC_EVERY 256	/* rows of each worker between averages: README, Training on many cores */
#define HOLDOUT_STREAM UINT64_C(0x5eed0f4a11d0c7a5)	/* seed ^ this: the holdout split's stream */

static const char usage_text[] =
    "usage: mlptrain [-HhNqSvVZ] [-c cols|auto] [-d delim] [-e epochs] [-i model]\n"
    "                [-j jobs] [-l n0,n1,...,nL] [-o file] [-r rate] [-s seed] [-t cols]\n"
    "                [-w col] [-x cols] [--class-weight balanced] [--decay none|inverse|step]\n"
    "                [--decay-k k] [--decay-every n] [--decay-factor g] [--drop-missing]\n"
    "                [--history file] [--holdout frac] [--impute mean|median]\n"
    "                [--max-categories n] [--patience n] [--plot file] [--positive label]\n"
    "                [--soft-targets] [--sync-every n|epoch] [--tol t] [--validate file]\n"
    "                [file]\n";

static const char help_text[] =
    "Train a sigmoid multilayer perceptron by per-sample SGD on the log loss.\n"
    "Reads CSV from file (or standard input when none or -), the last column being\n"
    "the target unless -t says which: class labels (texts or whole numbers; two\n"
    "give one output, K > 2 give K), several target columns of 0/1, or numbers in\n"
    "[0,1] with --soft-targets; writes the model as JSON to standard output or -o.\n"
    "\n"
    "  -c, --categorical COLS  feature columns holding categories, one 0/1 input per\n"
    "                          category (names or numbers; auto: the columns whose\n"
    "                          first data row holds text)\n"
    "  -d, --delimiter C       field separator: one character, or tab (default ,)\n"
    "  -e, --epochs N          passes over the data (default 10; with -i, N more)\n"
    "  -H, --header            the first row is a header (default: guessed)\n"
    "  -h, --help              print this help and exit\n"
    "  -i, --init MODEL        resume from MODEL: its weights, sizes, standardisation,\n"
    "                          encoding, epoch count, rate, schedule and random stream\n"
    "  -j, --jobs N            train with N worker threads, each on its part of the\n"
    "                          rows, their weights averaged (default 1; 0: one a core)\n"
    "  -l, --layers LIST       layer sizes, inputs first, outputs last, e.g. 4,8,1\n"
    "                          (default: inputs,8,outputs, or the -i model's)\n"
    "  -N, --no-header         the first row is data\n"
    "  -o, --output FILE       write the model to FILE, replaced only when complete\n"
    "  -q, --quiet             nothing on standard error but errors\n"
    "  -r, --rate ETA          learning rate (default 0.1)\n"
    "  -s, --seed N            random seed for weights, order and holdout (default 1)\n"
    "  -S, --no-shuffle        visit rows in file order every epoch\n"
    "  -t, --target COLS       target columns: header names or numbers from 1, e.g.\n"
    "                          label or 5 or 4-5 (default: the last column)\n"
    "  -v, --verbose           more detail: the data and model, each epoch's rate,\n"
    "                          time and speed\n"
    "  -V, --version           print the version and exit\n"
    "  -w, --weight COL        per-row weights (>= 0) from column COL\n"
    "  -x, --ignore COLS       columns that are neither features nor targets\n"
    "  -Z, --no-standardize    train on raw feature values\n"
;

static const char help_long[] =	/* (two strings: C99 promises 4095 bytes in one) */
    "      --class-weight balanced\n"
    "                          weigh each row by n / (K n_c) for its class c\n"
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
    "      --impute KIND       fill missing numeric features with the mean or the\n"
    "                          median of the training rows (kept in the model)\n"
    "      --max-categories N  most categories a column may hold (default 1000)\n"
    "      --patience N        stop after N epochs without a better validation\n"
    "                          loss, and keep the best epoch's weights\n"
    "      --plot FILE         draw the loss curves as an SVG image in FILE\n"
    "      --positive LABEL    of two class labels, the one that is target 1\n"
    "                          (default: the greater, in sorted order)\n"
    "      --soft-targets      targets are numbers in [0,1], not class labels\n"
    "      --sync-every N      with -j: average the workers' weights every N rows of\n"
    "                          each (default 256), or once an epoch with 'epoch'\n"
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
	OPT_IMPUTE,
	OPT_MAX_CATEGORIES,
	OPT_PATIENCE,
	OPT_PLOT,
	OPT_POSITIVE,
	OPT_SOFT_TARGETS,
	OPT_SYNC_EVERY,
	OPT_TOL,
	OPT_VALIDATE
};

static const struct option longopts[] = {
	{ "categorical", required_argument, NULL, 'c' },
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
	{ "impute", required_argument, NULL, OPT_IMPUTE },
	{ "init", required_argument, NULL, 'i' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "layers", required_argument, NULL, 'l' },
	{ "max-categories", required_argument, NULL, OPT_MAX_CATEGORIES },
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
	{ "soft-targets", no_argument, NULL, OPT_SOFT_TARGETS },
	{ "sync-every", required_argument, NULL, OPT_SYNC_EVERY },
	{ "target", required_argument, NULL, 't' },
	{ "tol", required_argument, NULL, OPT_TOL },
	{ "validate", required_argument, NULL, OPT_VALIDATE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "weight", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 }
};

/* What the command line asks for: parse_options fills it, check_options checks it. */
struct options {
	const char *in, *inname;	/* the data file ("-": standard input), and its name in messages */
	const char *out, *init, *validate, *history, *plot;	/* -o, -i, --validate, --history, --plot */
	size_t *sizes;		/* -l: count layer sizes, or NULL */
	int count;
	uint64_t epochs, seed;
	uint64_t jobs;		/* -j: worker threads (0: one a core, until check_options) */
	double holdout;		/* --holdout, or 0 */
	int quiet, verbose, shuffle, standardize, balanced;
	enum impute impute;	/* --impute */
	uint64_t max_categories;	/* --max-categories, or 0 */
	struct colspec target, ignore, weight, categorical;	/* -t, -x, -w, -c */
	struct data_opts data;	/* how to read the data: -d, -H, -N, the lists above, --drop-missing, --positive */
	struct train_opts train;	/* the schedule, --patience, --tol */
	struct {
		int rate, seed, decay, k, every, factor, tol, soft, sync;
	} given;		/* which were given: with -i, the others continue the model's */
	int exit_now;		/* -h or -V has been answered */
};

/* What the epoch callbacks feed: the progress display, the history, and a watch on the loss. */
struct run {
	struct progress prog;
	struct history hist;
	double rate;		/* -r, for the warning */
	int quiet;
	double first, last;	/* the losses of the first epoch run and of the last */
	uint64_t rises;		/* epochs in a row whose loss rose */
	int warned;
};

/*
 * Where the workers read a data file from: one worker reads a stream (a
 * file, or standard input); several read parts of a regular file, or of
 * its bytes in memory when it is a pipe (threads only: MPI ranks each open
 * the file).
 */
struct input {
	struct csv_src src;
	int fd;			/* owned, or -1 */
	FILE *fp;		/* owned when not stdin, or NULL */
	char *mem;		/* owned, or NULL */
};

/*
 * One run of the program, or one worker's part of it (-j, MPI): the
 * options, what is read, built and written, and why it failed.  Worker 0
 * writes the files and speaks; the others are quiet.
 */
struct job {
	struct comm comm;	/* this worker among the workers */
	struct team *team;	/* -j: the threads' shared part, and the other workers' jobs (worker 0's) */
	struct job *others;
	struct input in;	/* the training data, and --validate's (worker 0's with threads) */
	struct options o;
	struct model *m;
	struct dataset *d, *val;	/* the training rows, the validation rows or NULL */
	uint64_t split;		/* the state the holdout split was drawn from */
	struct encoding *init_enc;	/* -i: the model's encoding the rows are read with */
	double *cw;		/* --class-weight balanced: the class weights; else NULL */
	struct train_state state;
	struct train_result res;
	double seconds;		/* training time */
	struct run run;
	char title[256];
	struct curves curves;	/* the loss curves, for --plot and the terminal */
	struct outputs outs;	/* the files written, committed together at the end */
	struct outfile out, plot, hist;	/* the model, --plot, --history */
	char err[ERRLEN];	/* the message of a failure */
	int usage;		/* print the usage text after it */
	int st;			/* -j: a worker thread's status */
};

#define RISES_WARNED 3	/* epochs in a row whose training loss rose, for a warning */

static void
on_epoch(void *ctx, const struct epoch_stats *es)
{
	struct run *r = ctx;

	history_add(&r->hist, es);
	progress_epoch(&r->prog, es);
	if (es->epoch == r->prog.first)
		r->first = r->last = es->loss;
	r->rises = es->loss > r->last ? r->rises + 1 : 0;
	r->last = es->loss;
	if (r->rises >= RISES_WARNED && es->loss > r->first && !r->warned && !r->quiet) {	/* up, and above the start */
		progress_clear(&r->prog);
		fprintf(stderr, "mlptrain: warning: the training loss rose for %" PRIu64 " epochs in a row, to %g in epoch %"
		    PRIu64 ", above the first epoch's %g: the rate -r %g may be too large\n", r->rises, es->loss, es->epoch,
		    r->first, r->rate);
		r->warned = 1;
	}
}

static void
on_rows(void *ctx, const struct row_progress *rp)
{
	progress_rows(&((struct run *)ctx)->prog, rp);
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

/* Copies s into *out (NULL stays NULL); -1 when out of memory. */
static int
copy_str(const char *s, char **out)
{
	if (s != NULL && (*out = strdup(s)) == NULL)
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

/* ---- the command line ---- */

static void
options_init(struct options *o)
{
	memset(o, 0, sizeof *o);
	o->epochs = DEFAULT_EPOCHS;
	o->seed = DEFAULT_SEED;
	o->shuffle = 1;
	o->standardize = 1;
	o->data.delim = ',';
	o->data.header = DATA_HEADER_GUESS;
	o->train.sched.kind = DECAY_NONE;
	o->train.sched.rate = DEFAULT_RATE;
	o->train.sched.every = DEFAULT_DECAY_EVERY;
	o->train.sched.factor = DEFAULT_DECAY_FACTOR;
	o->train.tol = DEFAULT_TOL;
	o->train.sync_every = DEFAULT_SYNC_EVERY;
	o->jobs = 1;
}

/* Replaces the column list *cs by opt's arg; 0, or -1 with a message. */
static int
set_columns(struct colspec *cs, const struct colspec **slot, const char *opt, const char *arg, char *err,
    size_t errlen)
{
	colspec_free(cs);
	if (colspec_parse(opt, arg, cs, err, errlen) != 0)
		return -1;
	*slot = cs;
	return 0;
}

/* A long option without a letter; 0, or -1 with a message. */
static int
set_long_option(struct options *o, int ch, const char *arg, char *err, size_t errlen)
{
	int kind;

	switch (ch) {
	case OPT_CLASS_WEIGHT:
		if (strcmp(arg, "balanced") != 0 && strcmp(arg, "none") != 0) {
			snprintf(err, errlen, "--class-weight: '%s' is not balanced or none", arg);
			return -1;
		}
		o->balanced = strcmp(arg, "balanced") == 0;
		return 0;
	case OPT_DECAY:
		if ((kind = schedule_kind(arg)) < 0) {
			snprintf(err, errlen, "--decay: '%s' is not none, inverse or step", arg);
			return -1;
		}
		o->train.sched.kind = (enum decay)kind;
		o->given.decay = 1;
		return 0;
	case OPT_DECAY_EVERY:
		o->given.every = 1;
		return cli_uint("--decay-every", arg, 1, 1000000000, &o->train.sched.every, err, errlen);
	case OPT_DECAY_FACTOR:
		o->given.factor = 1;
		return cli_fraction("--decay-factor", arg, 0, &o->train.sched.factor, err, errlen);
	case OPT_DECAY_K:
		o->given.k = 1;
		return cli_nonneg("--decay-k", arg, &o->train.sched.k, err, errlen);
	case OPT_DROP_MISSING:
		o->data.drop_missing = 1;
		return 0;
	case OPT_HISTORY:
		o->history = arg;
		return 0;
	case OPT_HOLDOUT:
		return cli_fraction("--holdout", arg, 0, &o->holdout, err, errlen);
	case OPT_IMPUTE:
		if ((kind = impute_kind(arg)) <= 0) {
			snprintf(err, errlen, "--impute: '%s' is not mean or median", arg);
			return -1;
		}
		o->impute = (enum impute)kind;
		o->data.impute = 1;
		return 0;
	case OPT_MAX_CATEGORIES:
		if (cli_uint("--max-categories", arg, 1, MODEL_MAX_UNITS, &o->max_categories, err, errlen) != 0)
			return -1;
		o->data.max_categories = (size_t)o->max_categories;
		return 0;
	case OPT_SOFT_TARGETS:
		o->data.soft = 1;
		o->given.soft = 1;
		return 0;
	case OPT_PATIENCE:
		return cli_uint("--patience", arg, 1, 1000000000, &o->train.patience, err, errlen);
	case OPT_PLOT:
		o->plot = arg;
		return 0;
	case OPT_POSITIVE:
		o->data.positive = arg;
		return 0;
	case OPT_SYNC_EVERY:
		o->given.sync = 1;
		if (strcmp(arg, "epoch") == 0) {
			o->train.sync_every = 0;
			return 0;
		}
		return cli_uint("--sync-every", arg, 1, UINT64_MAX, &o->train.sync_every, err, errlen);
	case OPT_TOL:
		o->given.tol = 1;
		return cli_nonneg("--tol", arg, &o->train.tol, err, errlen);
	default:	/* OPT_VALIDATE */
		o->validate = arg;
		return 0;
	}
}

/* An option with a letter (or a long one, passed on); 0, or -1 with a message. */
static int
set_option(struct options *o, int ch, const char *arg, char *err, size_t errlen)
{
	switch (ch) {
	case 'H':
		o->data.header = 1;
		return 0;
	case 'N':
		o->data.header = 0;
		return 0;
	case 'S':
		o->shuffle = 0;
		return 0;
	case 'Z':
		o->standardize = 0;
		return 0;
	case 'c':
		if (strcmp(arg, "auto") == 0) {
			colspec_free(&o->categorical);
			o->data.categorical = NULL;
			o->data.cat_auto = 1;
			return 0;
		}
		o->data.cat_auto = 0;
		return set_columns(&o->categorical, &o->data.categorical, "-c", arg, err, errlen);
	case 'd':
		return cli_delimiter("-d", arg, &o->data.delim, err, errlen);
	case 'e':
		return cli_uint("-e", arg, 0, 1000000000, &o->epochs, err, errlen);
	case 'i':
		o->init = arg;
		return 0;
	case 'j':
		return cli_uint("-j", arg, 0, MODEL_MAX_WORKERS, &o->jobs, err, errlen);
	case 'l':
		free(o->sizes);
		o->sizes = NULL;
		return cli_layers(arg, &o->sizes, &o->count, err, errlen);
	case 'o':
		o->out = arg;
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	case 'r':
		o->given.rate = 1;
		return cli_positive("-r", arg, &o->train.sched.rate, err, errlen);
	case 's':
		o->given.seed = 1;
		return cli_uint("-s", arg, 0, UINT64_MAX, &o->seed, err, errlen);
	case 't':
		return set_columns(&o->target, &o->data.target, "-t", arg, err, errlen);
	case 'v':
		o->verbose = 1;
		return 0;
	case 'w':
		return set_columns(&o->weight, &o->data.weight, "-w", arg, err, errlen);
	case 'x':
		return set_columns(&o->ignore, &o->data.ignore, "-x", arg, err, errlen);
	default:
		return set_long_option(o, ch, arg, err, errlen);
	}
}

/* Reads the command line into j->o; -h and -V are answered here. */
static int
parse_options(struct job *j, int argc, char *argv[])
{
	struct options *o = &j->o;
	int ch;

	options_init(o);
	opterr = j->comm.rank == 0;	/* (one rank says what getopt finds wrong) */
	while ((ch = getopt_long(argc, argv, "HNSVZc:d:e:hi:j:l:o:qr:s:t:vw:x:", longopts, NULL)) != -1) {
		if (ch == 'V' || ch == 'h') {
			if (j->comm.rank != 0)
				;	/* (rank 0 answers) */
			else if (ch == 'V')
				puts("mlptrain " VERSION);
			else {
				fputs(usage_text, stdout);
				fputs(help_text, stdout);
				fputs(help_long, stdout);
			}
			o->exit_now = 1;
			return 0;
		}
		if (ch == '?' || ch == ':') {	/* getopt said what is wrong */
			j->usage = 1;
			return ST_USAGE;
		}
		if (set_option(o, ch, optarg, j->err, sizeof j->err) != 0)
			return ST_USAGE;
	}
	argc -= optind;
	argv += optind;
	if (argc > 1) {
		snprintf(j->err, sizeof j->err, "one data file at most, got %d", argc);
		j->usage = 1;
		return ST_USAGE;
	}
	o->in = argc == 1 ? argv[0] : "-";
	o->inname = strcmp(o->in, "-") == 0 ? "standard input" : o->in;
	return 0;
}

/* The combinations of options: everything that can be checked before any file is looked at. */
static int
check_options(struct job *j)
{
	const struct options *o = &j->o;
	const char *dash = o->history != NULL && strcmp(o->history, "-") == 0 ? "--history" :
	    o->plot != NULL && strcmp(o->plot, "-") == 0 ? "--plot" : NULL;
	char *err = j->err;
	size_t errlen = sizeof j->err;

	if (j->comm.size > 1 && o->jobs != 1)
		snprintf(err, errlen, "-j %" PRIu64 ": mlptrain-mpi runs one worker a rank; start more ranks with "
		    "mpirun -np N instead", o->jobs);
	else if (o->holdout > 0 && o->validate != NULL)
		snprintf(err, errlen, "--holdout and --validate: choose one way to validate");
	else if (o->validate != NULL && strcmp(o->validate, "-") == 0 && strcmp(o->in, "-") == 0)
		snprintf(err, errlen, "--validate -: standard input is already the training data");
	else if (o->train.patience > 0 && o->holdout == 0 && o->validate == NULL)
		snprintf(err, errlen, "--patience watches the validation loss: add --holdout or --validate");
	else if (o->given.tol && o->train.patience == 0)
		snprintf(err, errlen, "--tol goes with --patience");
	else if (dash != NULL && o->out == NULL)
		snprintf(err, errlen, "%s -: standard output already takes the model; write the model to a file "
		    "with -o", dash);
	else {
		if (o->jobs == 0) {	/* one a core */
			long n = sysconf(_SC_NPROCESSORS_ONLN);

			j->o.jobs = n < 1 ? 1 : n > MODEL_MAX_WORKERS ? MODEL_MAX_WORKERS : (uint64_t)n;
		}
		return 0;
	}
	return ST_USAGE;
}

/* Whether path names a file, not standard output. */
static int
is_file(const char *path)
{
	return path != NULL && strcmp(path, "-") != 0;
}

/*
 * The outputs, before any work: each prepared (a temporary file beside its
 * target, or a FIFO or device checked), refused when two are one file or
 * one is an input (but -o may replace the -i model: that is resuming).
 * Signals are caught first, so that no temporary file is left behind.
 */
static int
open_outputs(struct job *j)
{
	const struct options *o = &j->o;
	struct outputs *s = &j->outs;
	char *err = j->err;
	size_t errlen = sizeof j->err;
	int st;

	cli_catch_signals(is_file(o->out) || is_file(o->plot) || is_file(o->history));
	if ((st = outputs_add(s, &j->out, o->out, "the model", err, errlen)) != 0 ||
	    (o->plot != NULL && (st = outputs_add(s, &j->plot, o->plot, "--plot", err, errlen)) != 0) ||
	    (o->history != NULL && (st = outputs_add(s, &j->hist, o->history, "--history", err, errlen)) != 0) ||
	    (st = outputs_check_input(s, o->in, "the training data", NULL, err, errlen)) != 0 ||
	    (o->validate != NULL &&
	    (st = outputs_check_input(s, o->validate, "the --validate data", NULL, err, errlen)) != 0) ||
	    (o->init != NULL && (st = outputs_check_input(s, o->init, "the -i model", &j->out, err, errlen)) != 0))
		return st;
	return 0;
}

/*
 * With -i: the rate and schedule continue from the model's record unless
 * given; the parameters of the model's schedule carry over when the kind
 * stays.  The record's absence (a model written by hand) changes nothing.
 */
static void
resume_schedule(struct options *o, const struct train_info *in)
{
	struct schedule *s = &o->train.sched;

	if (!in->have)
		return;
	if (!o->given.rate && in->sched.rate > 0)	/* 0: the record has none */
		s->rate = in->sched.rate;
	if (!o->given.decay)
		s->kind = in->sched.kind;
	if (s->kind != in->sched.kind)
		return;
	if (!o->given.k)
		s->k = in->sched.k;
	if (!o->given.every)
		s->every = in->sched.every;
	if (!o->given.factor)
		s->factor = in->sched.factor;
	o->given.k |= s->kind == DECAY_INVERSE;	/* the model's k, not the default */
}

/* With -i: the averaging goes on at the model's --sync-every, unless given. */
static void
resume_workers(struct job *j, const struct train_info *in)
{
	if (in->have && !j->o.given.sync && in->workers > 1)
		j->o.train.sync_every = in->sync_every;
}

/* The encoding of a model without one: each input a numeric column, named as the model names it. */
static struct encoding *
plain_encoding(const struct model *m)
{
	struct encoding *e = encoding_new(m->n[0]);
	size_t k;

	for (k = 0; e != NULL && m->features != NULL && k < m->n[0]; k++)
		if ((e->col[k].name = strdup(m->features[k])) == NULL) {
			encoding_free(e);
			return NULL;
		}
	return e;
}

/*
 * -i MODEL: loads it and checks it against the options (-l, -Z,
 * --positive); the targets must then be its classes (or numbers), and the
 * schedule continues its record.
 */
static int
load_or_resume(struct job *j)
{
	struct options *o = &j->o;
	char want[96], have[96], show[CSV_SHOW_LEN];
	struct model *m;
	int st;

	if (o->init == NULL)
		return 0;
	if ((st = model_load(o->init, &j->m, j->err, sizeof j->err)) != 0)
		return st;
	m = j->m;
	if (m->info.bad != NULL) {	/* what to resume from is unreadable */
		snprintf(j->err, sizeof j->err, "%s", m->info.bad);
		return ST_DATA;
	}
	if (o->sizes != NULL && (o->count != m->L + 1 || memcmp(o->sizes, m->n, (size_t)o->count * sizeof *o->sizes) != 0)) {
		sizes_text(want, sizeof want, o->sizes, o->count, o->sizes[0]);
		sizes_text(have, sizeof have, m->n, m->L + 1, m->n[0]);
		snprintf(j->err, sizeof j->err, "-l %s disagrees with the layers %s of %s", want, have, o->init);
		return ST_USAGE;
	}
	if (!o->standardize && m->mean != NULL) {
		snprintf(j->err, sizeof j->err, "-Z: %s standardises its inputs; its statistics are kept with -i",
		    o->init);
		return ST_USAGE;
	}
	if (m->classes != NULL && o->data.positive != NULL &&
	    (m->nclasses > 2 || strcmp(o->data.positive, m->classes[1]) != 0)) {
		if (m->nclasses > 2)
			snprintf(j->err, sizeof j->err, "--positive is for two classes; %s has %zu", o->init, m->nclasses);
		else
			snprintf(j->err, sizeof j->err, "--positive '%s': the positive class of %s is '%s'",
			    o->data.positive, o->init, csv_show(show, sizeof show, m->classes[1], strlen(m->classes[1])));
		return ST_USAGE;
	}
	if (o->data.categorical != NULL || o->data.cat_auto || o->max_categories > 0) {
		snprintf(j->err, sizeof j->err, "%s: %s keeps the feature columns and categories of %s (start a new model "
		    "to change them)", o->data.cat_auto || o->data.categorical != NULL ? "-c" : "--max-categories", "-i",
		    o->init);
		return ST_USAGE;
	}
	if (o->given.soft && m->classes != NULL) {
		snprintf(j->err, sizeof j->err, "--soft-targets: %s was trained on the class labels of its target", o->init);
		return ST_USAGE;
	}
	if (o->impute != IMPUTE_NONE && m->enc != NULL && m->enc->impute != IMPUTE_NONE && m->enc->impute != o->impute) {
		snprintf(j->err, sizeof j->err, "--impute %s: %s fills missing values with the %s, which -i keeps",
		    impute_name(o->impute), o->init, impute_name(m->enc->impute));
		return ST_USAGE;
	}
	/* the rows are read as the model reads them: its encoding, target columns and classes */
	if ((j->init_enc = m->enc != NULL ? encoding_copy(m->enc) : plain_encoding(m)) == NULL) {
		snprintf(j->err, sizeof j->err, "out of memory");
		return ST_NOMEM;
	}
	o->data.enc = j->init_enc;
	o->data.tcols = model_target_columns(m);
	o->data.tnames = m->targets;
	o->data.classes = m->classes;
	o->data.nclasses = m->nclasses;
	o->data.classes_from = o->init;
	o->data.soft |= m->info.soft && m->classes == NULL;
	o->data.impute |= m->enc != NULL && m->enc->impute != IMPUTE_NONE;
	resume_schedule(o, &m->info);
	resume_workers(j, &m->info);
	return 0;
}

/* The options that depend on the schedule and the outputs, once -i's model is known. */
static int
check_schedule(struct job *j)
{
	struct options *o = &j->o;

	if (o->given.k && o->train.sched.kind != DECAY_INVERSE) {
		snprintf(j->err, sizeof j->err, "--decay-k goes with --decay inverse");
		return ST_USAGE;
	}
	if ((o->given.every || o->given.factor) && o->train.sched.kind != DECAY_STEP) {
		snprintf(j->err, sizeof j->err, "--decay-%s goes with --decay step", o->given.every ? "every" : "factor");
		return ST_USAGE;
	}
	if (o->sizes != NULL && j->m == NULL) {
		o->data.layers_in = o->sizes[0];
		o->data.layers_out = o->sizes[o->count - 1];
	}
	return 0;
}

/* Frees what an input holds. */
static void
input_close(struct input *in)
{
	if (in->fp != NULL)
		fclose(in->fp);
	if (in->fd >= 0)
		close(in->fd);
	free(in->mem);
	memset(in, 0, sizeof *in);
	in->fd = -1;
}

/* All of fd's bytes, for workers that read parts of a pipe. */
static int
slurp(struct job *j, int fd, const char *name, struct input *in)
{
	size_t cap = 1 << 20, len = 0;
	ssize_t got;
	char *p;

	for (;;) {
		if (len == cap || in->mem == NULL) {
			cap = in->mem == NULL ? cap : 2 * cap;
			if ((p = realloc(in->mem, cap)) == NULL) {
				snprintf(j->err, sizeof j->err, "%s: out of memory after %zu bytes (with -j, a pipe is read "
				    "whole before the workers share it; give a file)", name, len);
				return ST_NOMEM;
			}
			in->mem = p;
		}
		if ((got = read(fd, in->mem + len, cap - len)) > 0)
			len += (size_t)got;
		else if (got == 0)
			break;
		else if (errno == EINTR && !cli_stop)
			continue;
		else {
			snprintf(j->err, sizeof j->err, cli_stop ? "interrupted while reading %s" : "%s: read error: %s",
			    name, strerror(errno));
			return cli_stop ? cli_stop : ST_IO;
		}
	}
	in->src.mem = in->mem;
	in->src.size = len;
	return 0;
}

/*
 * Opens path ("-": standard input) for the workers: a stream for one; for
 * several, a regular file read in parts, or a pipe read whole (threads),
 * or an error (MPI, whose ranks cannot share memory).
 */
static int
input_open(struct job *j, const char *path, const char *name, struct input *in)
{
	int std = strcmp(path, "-") == 0, st;
	struct stat sb;

	memset(in, 0, sizeof *in);
	in->fd = -1;
	in->src.fd = -1;
	in->src.end = UINT64_MAX;
	in->src.line = 1;
	if (j->comm.size == 1) {
		if ((in->src.f = std ? stdin : (in->fp = fopen(path, "rb"))) != NULL)
			return 0;
	} else if ((in->fd = std ? dup(STDIN_FILENO) : open(path, O_RDONLY)) >= 0 && fstat(in->fd, &sb) == 0) {
		if (S_ISREG(sb.st_mode)) {
			in->src.fd = in->fd;
			in->src.size = (uint64_t)sb.st_size;
			return 0;
		}
		if (!j->comm.shared) {
			snprintf(j->err, sizeof j->err, "%s: not a regular file: each MPI rank reads its own part of the "
			    "file; save the data to a file first", name);
			return ST_USAGE;
		}
		st = slurp(j, in->fd, name, in);
		close(in->fd);
		in->fd = -1;
		return st;
	}
	st = errno == ENOMEM ? ST_NOMEM : ST_IO;
	snprintf(j->err, sizeof j->err, "%s: %s", path, st == ST_NOMEM ? "out of memory" : strerror(errno));
	return st;
}

/*
 * Reads the CSV file at path ("-": standard input) as opts says, every
 * worker its part; worker 0 says how many rows were skipped unless quiet.
 * Returns 0 or a status with err set (the same on every worker).
 */
static int
read_csv(struct job *j, const char *path, const struct data_opts *opts, struct dataset **d)
{
	const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
	struct comm *c = &j->comm;
	struct input mine, *in;
	int st = 0, who;

	memset(&mine, 0, sizeof mine);
	mine.fd = -1;
	in = c->shared ? &j->in : &mine;

	if (!c->shared || c->rank == 0)
		st = input_open(j, path, name, in);
	if ((st = comm_fail(c, st, j->err, sizeof j->err)) == 0 && c->shared)
		st = c->ops->bcast(c, &in->src, sizeof in->src, 0);	/* the same memory, the same file */
	if (st == 0)
		st = data_load(c, &in->src, name, opts, d, &cli_stop, &who, j->err, sizeof j->err);
	if (comm_agree(c, 0, &who) == 0 && (!c->shared || c->rank == 0))	/* every worker done reading */
		input_close(in);
	if (st >= ST_INTERRUPTED)
		strncat(j->err, "; no model written", sizeof j->err - strlen(j->err) - 1);
	if (st == 0 && (*d)->dropped > 0 && !j->o.quiet)
		fprintf(stderr, "mlptrain: %s: skipped %zu row%s with missing values\n", name, (*d)->dropped,
		    (*d)->dropped == 1 ? "" : "s");
	return st;
}

/* "'color' as 3, 'size' as 2": the categorical columns and their widths, for messages. */
static void
encoded_columns(const struct encoding *e, char *buf, size_t buflen)
{
	char show[CSV_SHOW_LEN];
	size_t k, used = 0, n = 0;

	buf[0] = '\0';
	for (k = 0; k < e->ncols && used < buflen; k++)
		if (e->col[k].ncat > 0) {
			if (e->col[k].name != NULL)
				csv_show(show, sizeof show, e->col[k].name, strlen(e->col[k].name));
			else
				snprintf(show, sizeof show, "column %zu", k + 1);
			used += (size_t)snprintf(buf + used, buflen - used, "%s'%s' as %zu", n++ ? ", " : "", show,
			    e->col[k].ncat);
		}
}

/* -l's first size against the inputs the data gives. */
static int
check_inputs(struct job *j)
{
	const struct options *o = &j->o;
	const struct dataset *d = j->d;
	size_t nf = data_nfeatures(d), nt = d->ntcols;
	char want[96], have[96], enc[256];

	sizes_text(want, sizeof want, o->sizes, o->count, o->sizes[0]);
	sizes_text(have, sizeof have, o->sizes, o->count - 1, nf);	/* the data's inputs and outputs */
	snprintf(have + strlen(have), sizeof have - strlen(have), "%s%zu", o->count > 1 ? "," : "", d->ntargets);
	encoded_columns(d->enc, enc, sizeof enc);
	if (enc[0] != '\0')
		snprintf(j->err, sizeof j->err, "-l %s: %s has %zu inputs after encoding %s, not %zu; use -l %s", want,
		    o->inname, nf, enc, o->sizes[0], have);
	else
		snprintf(j->err, sizeof j->err, "%s has %zu feature%s and %zu target column%s, but -l %s expects %zu "
		    "feature%s; try -l %s", o->inname, nf, nf == 1 ? "" : "s", nt, nt == 1 ? "" : "s", want, o->sizes[0],
		    o->sizes[0] == 1 ? "" : "s", have);
	return ST_DATA;
}

/* -l's last size against the outputs the targets need. */
static int
check_outputs(struct job *j)
{
	const struct options *o = &j->o;
	const struct dataset *d = j->d;
	size_t nt = d->ntargets, last = o->sizes[o->count - 1];
	char want[96], have[96], fix[200], desc[CSV_SHOW_LEN + 32], show[CSV_SHOW_LEN];

	sizes_text(want, sizeof want, o->sizes, o->count, o->sizes[0]);
	sizes_text(have, sizeof have, o->sizes, o->count - 1, o->sizes[0]);
	snprintf(fix, sizeof fix, "%s,%zu", have, nt);
	if (d->ntcols > 1) {
		snprintf(j->err, sizeof j->err, "-l %s ends in %zu output%s, but %s has %zu target columns; use -l %s",
		    want, last, last == 1 ? "" : "s", o->inname, d->ntcols, fix);
		return ST_DATA;
	}
	if (d->tnames != NULL)
		snprintf(desc, sizeof desc, "the target column '%s'", csv_show(show, sizeof show, d->tnames[0],
		    strlen(d->tnames[0])));
	else
		snprintf(desc, sizeof desc, "the target column");
	if (o->count == 2)	/* inputs and outputs only: was the last size meant for a hidden layer? */
		snprintf(fix, sizeof fix, "%s,%zu (the last size of -l is the output layer)", want, nt);
	if (d->nclasses > 2)
		snprintf(j->err, sizeof j->err, "-l %s ends in %zu output%s, but %s holds %zu classes, one output each; "
		    "use -l %s", want, last, last == 1 ? "" : "s", desc, d->nclasses, fix);
	else
		snprintf(j->err, sizeof j->err, "-l %s ends in %zu outputs, but %s holds two classes, which take one "
		    "output; use -l %s", want, last, desc, fix);
	if (o->data.target == NULL && last > 1 && last < d->ntcols + data_nfeatures(d))	/* several 0/1 targets? */
		snprintf(j->err + strlen(j->err), sizeof j->err - strlen(j->err), "; or, if the last %zu columns are "
		    "targets, name them with -t", last);
	return ST_DATA;
}

/* The training file's columns against -l and the -i model: sizes, feature names. */
static int
check_data(struct job *j)
{
	const struct options *o = &j->o;
	const struct dataset *d = j->d;
	const struct model *m = j->m;
	size_t nf = data_nfeatures(d), k;
	char a[CSV_SHOW_LEN], b[CSV_SHOW_LEN];

	if (m == NULL && o->sizes != NULL && o->sizes[0] != nf)
		return check_inputs(j);
	if (m == NULL && o->sizes != NULL && o->sizes[o->count - 1] != d->ntargets)
		return check_outputs(j);
	if (m != NULL && m->features != NULL && d->names != NULL)
		for (k = 0; k < nf; k++)
			if (strcmp(m->features[k], d->names[k]) != 0) {
				snprintf(j->err, sizeof j->err, "%s: feature %zu is '%s', but feature %zu of %s is '%s'",
				    o->inname, k + 1, csv_show(a, sizeof a, d->names[k], strlen(d->names[k])), k + 1, o->init,
				    csv_show(b, sizeof b, m->features[k], strlen(m->features[k])));
				return ST_DATA;
			}
	return 0;
}

/* What stderr is told after reading rows: -c auto's choice, values training never saw. */
static void
tell_columns(const struct job *j, const struct dataset *d, const char *name, int chosen)
{
	char enc[256], show[CSV_SHOW_LEN];
	const struct fcol *c;
	size_t k;

	if (j->o.quiet)
		return;
	if (chosen) {
		encoded_columns(d->enc, enc, sizeof enc);
		fprintf(stderr, "mlptrain: --categorical auto: %s\n", enc[0] != '\0' ? enc : "no column holds text");
	}
	for (k = 0; d->unseen != NULL && k < d->enc->ncols; k++)
		if (d->unseen[k] > 0) {
			c = &d->enc->col[k];
			if (c->name != NULL)
				csv_show(show, sizeof show, c->name, strlen(c->name));
			fprintf(stderr, "mlptrain: %s: column %s%s%s: %zu value%s training never saw, encoded as all "
			    "zeros\n", name, c->name != NULL ? "'" : "", c->name != NULL ? show : "",
			    c->name != NULL ? "'" : "", d->unseen[k], d->unseen[k] == 1 ? "" : "s");
		}
}

/* Validation rows: from --validate's file, or --holdout's share of the training rows. */
static int
read_validation(struct job *j)
{
	const struct options *o = &j->o;
	const struct model *m = j->m;
	struct data_opts vopts;
	struct rng r;
	int st;

	if (o->validate != NULL) {
		vopts = o->data;
		vopts.like = j->d;
		vopts.positive = NULL;
		vopts.tcols = j->d->ntcols;
		vopts.classes = j->d->classes;
		vopts.nclasses = j->d->nclasses;
		vopts.classes_from = "the training set";
		if ((st = read_csv(j, o->validate, &vopts, &j->val)) == 0)
			tell_columns(j, j->val, o->validate, 0);
		return st;
	}
	if (o->holdout == 0)
		return 0;
	rng_seed(&r, o->seed ^ HOLDOUT_STREAM);	/* not the stream of the weights */
	if (m != NULL && !o->given.seed && m->info.have_split)
		r = (struct rng){ m->info.split };	/* the split the model was trained with */
	j->split = r.state;
	return data_holdout(j->d, o->holdout, &r, &j->val, j->err, sizeof j->err);
}

/* SGD updates an epoch makes: the rows of positive weight, every worker's; 0 when out of memory. */
static uint64_t
updates_per_epoch(struct job *j, const struct dataset *d)
{
	uint64_t n = 0;
	size_t r;

	if (d->weight == NULL)
		return data_rows(d);
	for (r = 0; r < d->rows; r++)
		n += d->weight[r] > 0;
	return comm_sum_u64(&j->comm, &n, 1) == 0 ? n : 0;
}

/*
 * The stream worker r > 0 shuffles its rows with: the -i model's, when it
 * was trained by as many workers (and -s does not start afresh); else one
 * drawn from worker 0's stream and r, the same on every run.
 */
static void
worker_stream(struct job *j)
{
	const struct train_info *in = j->m->info.have ? &j->m->info : NULL;
	struct rng b;
	int r = j->comm.rank;

	if (r == 0)
		return;
	if (in != NULL && j->o.init != NULL && !j->o.given.seed && in->worker_rng != NULL &&
	    in->workers == (uint64_t)j->comm.size) {
		j->state.rng.state = in->worker_rng[r - 1];
		return;
	}
	rng_seed(&b, j->state.rng.state ^ UINT64_C(0x9e3779b97f4a7c15) * (uint64_t)r);
	j->state.rng.state = rng_next(&b);
}

/* A new model: -l's sizes or F,8,T, with Glorot's initial weights from the seed's stream. */
static int
new_model(struct job *j)
{
	struct options *o = &j->o;
	size_t w = 0;
	int l;

	if (o->sizes == NULL) {
		o->count = 3;
		if ((o->sizes = malloc(3 * sizeof *o->sizes)) == NULL)
			return ST_NOMEM;
		o->sizes[0] = data_nfeatures(j->d);
		o->sizes[1] = DEFAULT_HIDDEN;
		o->sizes[2] = j->d->ntargets;
	}
	if ((j->m = model_new(o->sizes, o->count - 1)) == NULL) {
		for (l = 1; l < o->count; l++)
			w += o->sizes[l] * (o->sizes[l - 1] + 1);
		snprintf(j->err, sizeof j->err, "out of memory for a model of %zu weights (%zu MiB)",
		    w, w * sizeof(double) >> 20);
		return ST_NOMEM;
	}
	model_init_glorot(j->m, &j->state.rng);
	return 0;
}

/* The data's classes, names and encoding, for the model. */
static int
name_model(struct job *j)
{
	const struct dataset *d = j->d;
	struct model *m = j->m;

	if (d->classes != NULL && m->classes == NULL) {	/* before the targets: they are counted by it */
		if (copy_names(d->classes, d->nclasses, &m->classes) != 0)
			return ST_NOMEM;
		m->nclasses = d->nclasses;
	}
	if (d->names != NULL && m->features == NULL &&
	    (copy_names(d->names, data_nfeatures(d), &m->features) != 0 ||
	    copy_names(d->tnames, d->ntcols, &m->targets) != 0))
		return ST_NOMEM;
	encoding_free(m->enc);	/* the data's: the model's own, with the fill values found */
	m->enc = NULL;
	if (!encoding_plain(d->enc) && (m->enc = encoding_copy(d->enc)) == NULL)
		return ST_NOMEM;
	return 0;
}

/*
 * The model to train and where training stands: class weights, the
 * schedule's k, the state (the seed's, or the -i model's), the model (new
 * or resumed) with the data's names and classes, standardised rows.
 */
static int
build(struct job *j)
{
	const struct options *o = &j->o;
	struct dataset *d = j->d;
	struct model *m;
	int st;

	if (o->impute != IMPUTE_NONE && (j->m == NULL || j->m->enc == NULL || j->m->enc->impute == IMPUTE_NONE) &&
	    (st = data_impute(d, j->val, o->impute, j->err, sizeof j->err)) != 0)
		return st;
	if (o->balanced && (st = data_balance(d, &j->cw, o->inname, j->err, sizeof j->err)) != 0)
		return st;
	if (o->train.sched.kind == DECAY_INVERSE && !o->given.k) {
		uint64_t n = updates_per_epoch(j, d);

		j->o.train.sched.k = 1 / (double)(n > 0 ? n : 1);
	}
	snprintf(j->err, sizeof j->err, "out of memory");
	rng_seed(&j->state.rng, o->seed);
	if (j->m != NULL && j->m->info.have) {
		j->state.epochs = j->m->info.epochs;
		j->state.updates = j->m->info.updates;
		if (!o->given.seed && j->m->info.have_rng)
			j->state.rng.state = j->m->info.rng;	/* the order continues the model's stream */
	}
	if ((st = comm_fail(&j->comm, j->m == NULL ? new_model(j) : 0, j->err, sizeof j->err)) != 0 ||
	    (st = comm_fail(&j->comm, name_model(j), j->err, sizeof j->err)) != 0)
		return st;
	m = j->m;
	worker_stream(j);
	if (train_prepare(m, d, o->standardize) != 0 || (j->val != NULL && train_prepare(m, j->val, 0) != 0))
		return ST_NOMEM;
	return 0;
}

/* -v: what is about to be trained, on one line. */
static void
describe(const struct job *j, uint64_t done)
{
	const struct schedule *s = &j->o.train.sched;
	char sizes[96], sched[96], vtext[96] = "", wtext[96] = "";

	sizes_text(sizes, sizeof sizes, j->m->n, j->m->L + 1, j->m->n[0]);
	if (s->kind == DECAY_INVERSE)
		snprintf(sched, sizeof sched, "inverse, k %g", s->k);
	else if (s->kind == DECAY_STEP)
		snprintf(sched, sizeof sched, "step, every %" PRIu64 " epochs by %g", s->every, s->factor);
	else
		snprintf(sched, sizeof sched, "none");
	if (j->val != NULL)
		snprintf(vtext, sizeof vtext, "; %zu validation rows%s", data_rows(j->val), j->o.holdout > 0 ?
		    " held out" : "");
	if (j->comm.size > 1 && j->o.train.sync_every > 0)
		snprintf(wtext, sizeof wtext, "; %d workers, averaging every %" PRIu64 " rows of each", j->comm.size,
		    j->o.train.sync_every);
	else if (j->comm.size > 1)
		snprintf(wtext, sizeof wtext, "; %d workers, averaging every epoch", j->comm.size);
	fprintf(stderr, "mlptrain: %s: %zu training rows%s; layers %s (%zu weights); rate %g, decay %s%s; "
	    "epochs %" PRIu64 " to %" PRIu64 "\n", j->o.inname, data_rows(j->d), vtext, sizes, j->m->nweights, s->rate,
	    sched, wtext, done + 1, done + j->o.epochs);
}

/* Trains, with the progress display and the history watching; says where early stopping left off. */
static int
run_training(struct job *j)
{
	struct options *o = &j->o;
	const struct train_result *res = &j->res;
	int st;

	if (o->history != NULL && (st = outfile_stream(&j->hist, &cli_stop, j->err, sizeof j->err)) != 0) {
		if (st >= ST_INTERRUPTED)
			strncat(j->err, "; no model written", sizeof j->err - strlen(j->err) - 1);
	} else
		st = history_open(&j->run.hist, o->history != NULL ? j->hist.fp : NULL, o->history, j->val != NULL,
		    o->init != NULL ? j->state.epochs : 0, j->err, sizeof j->err);
	if ((st = comm_fail(&j->comm, st, j->err, sizeof j->err)) != 0)	/* (worker 0's files) */
		return st;
	if (o->verbose && !o->quiet)
		describe(j, j->state.epochs);
	o->train.epochs = o->epochs;
	o->train.shuffle = o->shuffle;
	o->train.val = j->val;
	o->train.stop = &cli_stop;
	o->train.on_epoch = on_epoch;
	o->train.ctx = &j->run;
	j->run.rate = o->train.sched.rate;
	j->run.quiet = o->quiet;
	progress_start(&j->run.prog, stderr, o->quiet, o->verbose, j->state.epochs + 1, j->state.epochs + o->epochs,
	    data_rows(j->d));
	if (j->run.prog.tty)
		o->train.on_rows = on_rows;
	if ((st = train(j->m, j->d, &o->train, &j->state, &j->res, j->err, sizeof j->err)) != 0) {
		if (st >= ST_INTERRUPTED)
			strncat(j->err, "; no model written", sizeof j->err - strlen(j->err) - 1);
		return st;
	}
	j->seconds = train_now() - j->run.prog.start;
	if (!o->quiet && res->stopped)
		fprintf(stderr, "mlptrain: stopped after epoch %" PRIu64 ": val_loss not better than %.6f (epoch %"
		    PRIu64 ") by more than %g for %" PRIu64 " epochs; keeping epoch %" PRIu64 "\n", res->last_epoch,
		    res->best_loss, res->best_epoch, o->train.tol, o->train.patience, res->best_epoch);
	else if (!o->quiet && o->train.patience > 0 && res->best_epoch > 0 && res->best_epoch != res->last_epoch)
		fprintf(stderr, "mlptrain: the epochs ran out at %" PRIu64 "; keeping epoch %" PRIu64
		    ", the best (val_loss %.6f)\n", res->last_epoch, res->best_epoch, res->best_loss);
	return 0;
}

/* The message for a final loss that could not be computed (train_evaluate's status st); returns st. */
static int
eval_failed(struct job *j, int st, const char *rows)
{
	if (st == ST_DIVERGED)
		snprintf(j->err, sizeof j->err, "the model's loss on the %s is not finite: its weighted sums overflow "
		    "on some row; no model is written (%s)", rows, j->m->mean == NULL ?
		    "leave standardisation on, or rescale the data" : "try a smaller learning rate, or rescale the data");
	return st;
}

/* How many workers trained, how often they averaged, and where the streams of workers 1, 2, ... stand. */
static int
record_workers(struct job *j)
{
	struct train_info *in = &j->m->info;
	uint64_t *all;
	int who, st;

	free(in->worker_rng);
	in->worker_rng = NULL;
	in->workers = (uint64_t)j->comm.size;
	in->sync_every = j->o.train.sync_every;
	all = malloc((size_t)j->comm.size * sizeof *all);
	if ((st = comm_agree(&j->comm, all == NULL ? ST_NOMEM : 0, &who)) == 0 && all != NULL &&
	    (st = j->comm.ops->allgather(&j->comm, &j->state.rng.state, sizeof *all, all)) == 0 && j->comm.size > 1) {
		memmove(all, all + 1, (size_t)(j->comm.size - 1) * sizeof *all);
		in->worker_rng = all;
		return 0;
	}
	free(all);
	return st;
}

/* The model's "training" record: where training stands and how it was done, with the final losses. */
static int
record(struct job *j)
{
	const struct options *o = &j->o;
	struct train_info *in = &j->m->info;
	int st;

	snprintf(j->err, sizeof j->err, "out of memory");
	in->have = 1;
	in->rows = data_rows(j->d);
	in->epochs = j->state.epochs;
	in->updates = j->state.updates;
	in->sched = o->train.sched;
	if (o->given.seed || o->init == NULL) {	/* else the model's, when it says */
		in->have_seed = 1;
		in->seed = o->seed;
	}
	in->have_rng = 1;
	in->rng = j->state.rng.state;
	in->shuffle = o->shuffle;
	in->from_model = o->init != NULL;
	in->dropped = j->d->dropped;
	in->balanced = o->balanced;
	free(in->class_weight);
	in->class_weight = j->cw;	/* the model's now */
	j->cw = NULL;
	in->soft = o->data.soft && j->d->nclasses == 0;
	in->filled = j->m->enc != NULL && j->m->enc->impute != IMPUTE_NONE ? j->d->missing : 0;
	in->patience = o->train.patience;
	in->tol = o->train.tol;
	in->best_epoch = j->res.best_epoch;
	in->last_epoch = j->res.last_epoch;
	in->stopped = j->res.stopped;
	free(in->weight_column);
	in->weight_column = NULL;
	free(in->val_file);
	in->val_file = NULL;
	in->have_val = j->val != NULL;
	in->have_split = j->val != NULL && o->holdout > 0;
	in->split = j->split;
	in->val_rows = j->val != NULL ? data_rows(j->val) : 0;
	in->holdout = j->val != NULL ? o->holdout : 0;
	st = (o->data.weight != NULL && copy_str(j->d->weight_name != NULL ? j->d->weight_name : o->weight.arg,
	    &in->weight_column) != 0) || (j->val != NULL && copy_str(o->validate, &in->val_file) != 0) ? ST_NOMEM : 0;
	if ((st = comm_fail(&j->comm, st, j->err, sizeof j->err)) != 0 || (st = record_workers(j)) != 0)
		return st;
	if ((st = train_evaluate(j->m, j->d, &in->loss, &in->accuracy)) != 0)
		return eval_failed(j, st, "training rows");
	if (j->val != NULL && (st = train_evaluate(j->m, j->val, &in->val_loss, &in->val_accuracy)) != 0)
		return eval_failed(j, st, "validation rows");
	return 0;
}

/*
 * The files: the model (-o), --plot and --history, written, then committed
 * together: all complete, or every old file left as it was.
 */
static int
write_outputs(struct job *j)
{
	char sizes[96];
	int st;

	sizes_text(sizes, sizeof sizes, j->m->n, j->m->L + 1, j->m->n[0]);
	snprintf(j->title, sizeof j->title, "mlptrain %s, layers %s", j->o.inname, sizes);
	j->curves.n = history_points(&j->run.hist, &j->curves.epoch, &j->curves.train, &j->curves.val);
	j->curves.best = (double)j->res.best_epoch;
	j->curves.title = j->title;
	if ((st = outfile_stream(&j->out, &cli_stop, j->err, sizeof j->err)) != 0)
		goto fail;
	if ((st = model_write(j->out.fp, j->m)) != 0) {
		snprintf(j->err, sizeof j->err, "%s: %s%s", j->out.name,
		    st == ST_NOMEM ? "out of memory" : "write error: ", st == ST_NOMEM ? "" : strerror(errno));
		goto fail;
	}
	if (j->o.plot != NULL) {
		if ((st = outfile_stream(&j->plot, &cli_stop, j->err, sizeof j->err)) != 0)
			goto fail;
		if (plot_svg(j->plot.fp, &j->curves) != 0) {
			snprintf(j->err, sizeof j->err, "%s: write error: %s", j->plot.name, strerror(errno));
			st = ST_IO;
			goto fail;
		}
	}
	if ((st = outputs_commit(&j->outs, &cli_stop, j->err, sizeof j->err)) == 0)
		return 0;
fail:
	if (st == ST_IO && cli_stop != 0) {	/* a write cut short by a signal */
		snprintf(j->err, sizeof j->err, "interrupted");
		st = cli_stop;
	}
	if (st >= ST_INTERRUPTED)
		strncat(j->err, "; no model written", sizeof j->err - strlen(j->err) - 1);
	return st;
}

/* The end of a run, unless quiet: the plot on a terminal, and the final line. */
static void
summarize(struct job *j)
{
	const struct train_info *in = &j->m->info;
	char vtext[96] = "", btext[48] = "";
	double rows = (double)data_rows(j->d) * (double)(j->res.last_epoch - j->run.prog.first + 1);

	if (j->o.quiet)
		return;
	progress_plot(&j->run.prog, &j->curves);
	if (j->val != NULL)
		snprintf(vtext, sizeof vtext, "  val_loss %.6f  val_accuracy %.4f", in->val_loss, in->val_accuracy);
	if (j->res.best_epoch > 0 && j->o.train.patience > 0)	/* the model written: --patience keeps the best */
		snprintf(btext, sizeof btext, "  best_epoch %" PRIu64, j->res.best_epoch);
	if (j->run.warned)
		;	/* said once */
	else if (in->loss > 2 * j->run.first && in->loss > j->run.first + 0.1)
		fprintf(stderr, "mlptrain: warning: the final training loss %g is far above the first epoch's %g: "
		    "try a smaller rate than -r %g\n", in->loss, j->run.first, j->o.train.sched.rate);
	else if (in->loss > 2 * M_LN2 * (double)j->m->n[j->m->L])	/* worse than 0.5 for every output, twice */
		fprintf(stderr, "mlptrain: warning: the final training loss %g is far worse than guessing 0.5 for every "
		    "output (%g): try a smaller rate than -r %g\n", in->loss, M_LN2 * (double)j->m->n[j->m->L],
		    j->o.train.sched.rate);
	fprintf(stderr, "final  epochs %" PRIu64 "%s  loss %.6f  accuracy %.4f%s  rows %zu  time %.2fs  "
	    "training %.0f rows/s\n", j->res.last_epoch, btext, in->loss, in->accuracy, vtext, data_rows(j->d),
	    train_now() - j->run.prog.start, j->seconds > 0 ? rows / j->seconds : 0.0);
}

/* ---- the workers ---- */

/* A step's status, agreed by every worker, with the message of the first that failed. */
static int
agreed(struct job *j, int st)
{
	return comm_fail(&j->comm, st, j->err, sizeof j->err);
}

/*
 * What every worker does, on its part of the rows: the model read or
 * made, the data read, checked and prepared, the training, the record.
 * Each worker's steps fail together (agreed), so none waits for a
 * collective the others left.
 */
static int
worker_run(struct job *j)
{
	int st;

	if ((st = agreed(j, load_or_resume(j))) != 0 ||
	    (st = agreed(j, check_schedule(j))) != 0 ||
	    (st = read_csv(j, j->o.in, &j->o.data, &j->d)) != 0)
		return st;
	tell_columns(j, j->d, j->o.inname, j->o.data.cat_auto);
	if ((st = agreed(j, check_data(j))) != 0 ||
	    (st = agreed(j, read_validation(j))) != 0 ||
	    (st = agreed(j, build(j))) != 0 ||
	    (st = run_training(j)) != 0 ||
	    (st = agreed(j, record(j))) != 0)
		return st;
	return 0;
}

/* The other workers' options: worker 0's, quiet, writing nothing; its lists shared (it outlives them). */
static int
quiet_options(struct options *o, const struct options *from)
{
	if (o != from)
		*o = *from;
	o->quiet = 1;
	o->verbose = 0;
	o->history = NULL;
	o->plot = NULL;
	if (from->sizes == NULL || o == from)
		return 0;
	if ((o->sizes = malloc((size_t)from->count * sizeof *o->sizes)) == NULL)
		return ST_NOMEM;
	memcpy(o->sizes, from->sizes, (size_t)from->count * sizeof *o->sizes);
	return 0;
}

/* The threads of -j start together, or not at all. */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t open;
	int state;		/* 0 shut, 1 go, -1 give up */
};

static struct gate gate = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };

static void
gate_set(int state)
{
	pthread_mutex_lock(&gate.lock);
	gate.state = state;
	pthread_cond_broadcast(&gate.open);
	pthread_mutex_unlock(&gate.lock);
}

static void *
worker_thread(void *arg)
{
	struct job *w = arg;
	int state;

	pthread_mutex_lock(&gate.lock);
	while ((state = gate.state) == 0)
		pthread_cond_wait(&gate.open, &gate.lock);
	pthread_mutex_unlock(&gate.lock);
	if (state > 0)
		w->st = worker_run(w);
	return NULL;
}

static void
others_free(struct job *j)
{
	int r;

	for (r = 0; j->others != NULL && r + 1 < (int)j->o.jobs; r++) {
		model_free(j->others[r].m);
		data_free(j->others[r].d);
		data_free(j->others[r].val);
		free(j->others[r].o.sizes);
		encoding_free(j->others[r].init_enc);
		free(j->others[r].cw);
		history_free(&j->others[r].run.hist);
	}
	free(j->others);
	j->others = NULL;
}

/*
 * -j N: N workers, threads of this process, this one worker 0.  Returns
 * their status (the same for all) once every thread has ended; worker 0's
 * job then holds the trained model, and talks alone again.
 */
static int
run_threads(struct job *j)
{
	int n = (int)j->o.jobs, r, started = 1, st = 0;
	pthread_t *th = calloc((size_t)n, sizeof *th);

	j->team = comm_threads_new(n);
	j->others = calloc((size_t)n - 1, sizeof *j->others);
	if (th == NULL || j->team == NULL || j->others == NULL)
		st = ST_NOMEM;
	for (r = 1; st == 0 && r < n; r++) {
		comm_threads_join(j->team, r, &j->others[r - 1].comm);
		j->others[r - 1].in.fd = -1;
		st = quiet_options(&j->others[r - 1].o, &j->o);
	}
	if (st != 0)
		snprintf(j->err, sizeof j->err, "out of memory for %d workers", n);
	for (gate.state = 0; st == 0 && started < n; started++)
		if ((errno = pthread_create(&th[started], NULL, worker_thread, &j->others[started - 1])) != 0) {
			snprintf(j->err, sizeof j->err, "-j %d: could not start thread %d: %s", n, started + 1, strerror(errno));
			st = errno == EAGAIN ? ST_NOMEM : ST_IO;
			break;
		}
	gate_set(st == 0 ? 1 : -1);
	if (st == 0) {
		comm_threads_join(j->team, 0, &j->comm);
		st = worker_run(j);
	}
	for (r = 1; r < started; r++)
		pthread_join(th[r], NULL);
	free(th);
	comm_solo(&j->comm);	/* (the data sets keep their counts of every worker's rows) */
	return st;
}

static void
job_free(struct job *j)
{
	others_free(j);
	input_close(&j->in);
	outputs_abort(&j->outs);
	history_free(&j->run.hist);
	progress_clear(&j->run.prog);
	model_free(j->m);
	data_free(j->d);
	data_free(j->val);
	free(j->o.sizes);
	colspec_free(&j->o.target);
	colspec_free(&j->o.ignore);
	colspec_free(&j->o.weight);
	colspec_free(&j->o.categorical);
	encoding_free(j->init_enc);
	free(j->cw);
	comm_threads_free(j->team);
}

int
main(int argc, char *argv[])
{
	static struct job job;
	struct job *j = &job;
	int st;

	j->in.fd = -1;
#ifdef MLP_MPI
	if ((st = comm_mpi_start(&argc, &argv, &j->comm, j->err, sizeof j->err)) != 0) {
		fprintf(stderr, "mlptrain: %s\n", j->err);
		return st;
	}
#else
	comm_solo(&j->comm);
#endif
	if ((st = parse_options(j, argc, argv)) == 0 && !j->o.exit_now && (st = check_options(j)) == 0)
		st = cli_simd(getenv("MLP_SIMD"), NULL, j->err, sizeof j->err);
	if ((st = agreed(j, st)) != 0 || j->o.exit_now)
		goto done;
	cli_catch_signals(0);
	if (j->comm.rank == 0 && (st = open_outputs(j)) == 0) {
		outputs_arm(&j->outs);	/* a signal removes the temporary files at once */
		cli_on_signal = outputs_on_signal;
	}
	else if (quiet_options(&j->o, &j->o) != 0)	/* (a rank of its own: the same options, quiet) */
		st = ST_NOMEM;
	if ((st = agreed(j, st)) != 0)
		goto done;
	st = j->o.jobs > 1 ? run_threads(j) : worker_run(j);
	if (st == 0 && j->comm.rank == 0)
		st = write_outputs(j);
	if ((st = agreed(j, st)) == 0)
		summarize(j);
done:
	job_free(j);
	if (st != 0 && j->err[0] != '\0' && j->comm.rank == 0)
		fprintf(stderr, "mlptrain: %s\n", j->err);
	if (st == ST_USAGE && j->usage && j->comm.rank == 0)
		fputs(usage_text, stderr);
#ifdef MLP_MPI
	comm_mpi_end(&j->comm);
#endif
	return st;
}
