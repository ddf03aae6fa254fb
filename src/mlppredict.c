/*
 * mlppredict: loads a model written by mlptrain and prints, for every CSV
 * row read, the probabilities of its outputs.  Streams: one row in memory at
 * a time.  This file only parses options, wires the modules together and
 * reports.
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
#include "number.h"
#include "outfile.h"
#include "status.h"

static const char usage_text[] =
    "usage: mlppredict [-hV] [-o file] [-p digits] model [file ...]\n";

static const char help_text[] =
    "Print the output probabilities of an mlptrain model for every CSV row read\n"
    "from the files in order (standard input when none, or for -), one line per\n"
    "row: nL comma-separated numbers.  A row holds the model's n0 features,\n"
    "optionally followed by nL targets, which are ignored.\n"
    "\n"
    "  -h, --help              print this help and exit\n"
    "  -o, --output FILE       write to FILE, replaced only when complete\n"
    "  -p, --precision N       N significant digits (1-17) instead of the\n"
    "                          shortest form that reads back exactly\n"
    "  -V, --version           print the version and exit\n"
    "\n"
    "Exit status: 0 success, 1 bad data, 2 usage, 3 I/O error, 5 out of memory,\n"
    "128+N killed by signal N.  See mlppredict(1).\n";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "output", required_argument, NULL, 'o' },
	{ "precision", required_argument, NULL, 'p' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

struct scorer {
	const struct model *m;
	struct packed *pk;	/* m's weights laid out for scoring */
	struct work *ws;
	double *x;		/* (N_0) the row's features */
	FILE *out;
	const char *name;	/* the file being read */
	int digits;		/* 0: shortest exact form */
	size_t width;		/* fields per row in this file */
	long width_line;
};

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(ST_USAGE);
}

static int
score_row(void *ctx, const struct csv_row *row, char *err, size_t errlen)
{
	struct scorer *s = ctx;
	const struct model *m = s->m;
	size_t n0 = m->n[0], nl = m->n[m->L], i;
	char buf[NUMBER_BUFLEN], show[CSV_SHOW_LEN];
	const double *y;
	enum num_error e;
	double v;

	if (row->number == 1) {
		s->width = row->n;
		s->width_line = row->line[0];
		for (i = 0; i < row->n; i++)
			if (number_parse(row->field[i], row->len[i], &v) != NUM_OK)
				break;
		if (row->n != n0 && row->n != n0 + nl) {
			snprintf(err, errlen, "%s:%ld: %zu field%s, but the model takes %zu feature%s "
			    "(optionally followed by %zu target%s)", s->name, row->line[0], row->n,
			    row->n == 1 ? "" : "s", n0, n0 == 1 ? "" : "s", nl, nl == 1 ? "" : "s");
			return ST_DATA;
		}
		if (i < row->n)
			return 0;	/* a header */
	}
	if (row->n != s->width) {
		snprintf(err, errlen, "%s:%ld: %zu field%s, expected %zu as on line %ld", s->name,
		    row->line[0], row->n, row->n == 1 ? "" : "s", s->width, s->width_line);
		return ST_DATA;
	}
	for (i = 0; i < n0; i++)
		if ((e = number_parse(row->field[i], row->len[i], &s->x[i])) != NUM_OK) {
			snprintf(err, errlen, "%s:%ld:%zu: '%s' %s", s->name, row->line[i], i + 1,
			    csv_show(show, sizeof show, row->field[i], row->len[i]), number_strerror(e));
			return e == NUM_NOMEM ? ST_NOMEM : ST_DATA;
		}
	model_standardize(m, s->x, s->x);
	y = model_forward_packed(m, s->pk, s->ws, s->x);
	for (i = 0; i < nl; i++) {
		if (i > 0)
			putc(',', s->out);
		number_format(buf, y[i], s->digits);
		fputs(buf, s->out);
	}
	if (putc('\n', s->out) == EOF) {
		snprintf(err, errlen, "write error: %s", strerror(errno));
		return ST_IO;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static char outbuf[1 << 16];
	char err[ERRLEN];
	const char *outpath = NULL;
	struct model *m = NULL;
	struct outfile out;
	struct scorer s;
	uint64_t digits = 0;
	FILE *in;
	int ch, i, st = 0;

	while ((ch = getopt_long(argc, argv, "Vho:p:", longopts, NULL)) != -1) {
		switch (ch) {
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

	memset(&s, 0, sizeof s);
	if ((st = model_load(argv[0], &m, err, sizeof err)) != 0)
		goto done;
	s.m = m;
	s.digits = (int)digits;
	s.ws = work_new(m);
	s.pk = model_pack(m);
	s.x = malloc(m->n[0] * sizeof *s.x);
	if (s.ws == NULL || s.pk == NULL || s.x == NULL) {
		snprintf(err, sizeof err, "out of memory");
		st = ST_NOMEM;
		goto done;
	}
	cli_catch_signals();
	if ((st = outfile_open(&out, outpath, err, sizeof err)) != 0)
		goto done;
	setvbuf(out.fp, outbuf, _IOFBF, sizeof outbuf);
	s.out = out.fp;
	for (i = 1; st == 0 && i < (argc > 1 ? argc : 2); i++) {
		const char *path = i < argc ? argv[i] : "-";

		if (strcmp(path, "-") == 0) {
			in = stdin;
			s.name = "standard input";
		} else if ((in = fopen(path, "rb")) == NULL) {
			snprintf(err, sizeof err, "%s: %s", path, strerror(errno));
			st = ST_IO;
			break;
		} else
			s.name = path;
		st = csv_read(in, s.name, ',', score_row, &s, &cli_stop, err, sizeof err);
		if (in != stdin)
			fclose(in);
		else
			clearerr(stdin);
	}
	if (st == 0)
		st = outfile_commit(&out, err, sizeof err);
	else
		outfile_abort(&out);
done:
	if (st >= ST_INTERRUPTED)
		fprintf(stderr, "mlppredict: interrupted%s\n", outpath ? "; output file left as it was" : "");
	else if (st != 0)
		fprintf(stderr, "mlppredict: %s\n", err);
	work_free(s.ws);
	packed_free(s.pk);
	free(s.x);
	model_free(m);
	return st;
}
