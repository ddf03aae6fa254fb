/*
 * The history file and the plot's points.  Rows are written as epochs end,
 * to a stream the caller holds (in mlptrain, a temporary file that replaces
 * the target only when training ends: outputs.c); numbers are exact
 * (number_format) except seconds.  Not for: opening or committing the file.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "number.h"
#include "status.h"

static const char *
header(int have_val)
{
	return have_val ? "epoch,loss,accuracy,val_loss,val_accuracy,rate,seconds" :
	    "epoch,loss,accuracy,rate,seconds";
}

static void
add_point(struct history *h, double epoch, double loss, double val)
{
	size_t i;

	if (h->count % h->stride == 0 && h->n == HISTORY_POINTS) {
		/* full: keep every other point, so every (2 stride)-th epoch */
		for (i = 0; 2 * i < h->n; i++) {
			h->epoch[i] = h->epoch[2 * i];
			h->loss[i] = h->loss[2 * i];
			h->val[i] = h->val[2 * i];
		}
		h->n = i;
		h->stride *= 2;
	}
	if (h->count % h->stride == 0) {
		h->epoch[h->n] = epoch;
		h->loss[h->n] = loss;
		h->val[h->n] = val;
		h->n++;
	}
	h->count++;
	h->last[0] = epoch;
	h->last[1] = loss;
	h->last[2] = val;
}

/*
 * Copies the rows of the history file `in` (named path) up to epoch `upto`
 * into h's file and points; the last copied row must be epoch upto.
 */
static int
continue_file(struct history *h, FILE *in, const char *path, uint64_t upto, char *err, size_t errlen)
{
	char *line = NULL, *p, *end;
	size_t cap = 0, lineno = 0, len;
	ssize_t got;
	double f[7];
	uint64_t epoch, prev = 0;
	int nf = h->have_val ? 7 : 5, i, st = 0;

	while ((got = getline(&line, &cap, in)) > 0) {
		lineno++;
		len = (size_t)got;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (lineno == 1) {
			if (strcmp(line, header(h->have_val)) != 0) {
				snprintf(err, errlen, "%s:1: not the header of a history %s validation (%s); "
				    "give --history a new file", path, h->have_val ? "with" : "without",
				    header(h->have_val));
				st = ST_DATA;
				break;
			}
			continue;
		}
		for (i = 0, p = line; i < nf; i++) {
			errno = 0;
			f[i] = strtod(p, &end);
			if (end == p || errno == ERANGE || !isfinite(f[i]) || *end != (i + 1 < nf ? ',' : '\0'))
				break;
			p = end + 1;
		}
		if (i < nf || !(f[0] >= 1 && f[0] <= 9007199254740992.0) || f[0] != (double)(uint64_t)f[0] ||
		    (uint64_t)f[0] <= prev) {
			snprintf(err, errlen, "%s:%zu: expected an epoch number above the last one and "
			    "%d numbers, as mlptrain writes", path, lineno, nf - 1);
			st = ST_DATA;
			break;
		}
		epoch = (uint64_t)f[0];
		if (epoch > upto)
			break;
		prev = epoch;
		fprintf(h->fp, "%s\n", line);
		add_point(h, f[0], f[1], h->have_val ? f[3] : 0);
	}
	if (st == 0 && ferror(in)) {
		snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
		st = ST_IO;
	}
	if (st == 0 && prev != upto) {
		snprintf(err, errlen, "%s: no row for epoch %" PRIu64 ", where the -i model stands%s; "
		    "give --history a new file", path, upto, prev > 0 ? "" : " (no rows at all)");
		st = ST_DATA;
	}
	free(line);
	return st;
}

int
history_open(struct history *h, FILE *fp, const char *path, int have_val, uint64_t resume_epoch,
    char *err, size_t errlen)
{
	FILE *in = NULL;
	int st;

	memset(h, 0, sizeof *h);
	h->have_val = have_val;
	h->stride = 1;
	h->epoch = malloc((HISTORY_POINTS + 1) * sizeof *h->epoch);
	h->loss = malloc((HISTORY_POINTS + 1) * sizeof *h->loss);
	h->val = malloc((HISTORY_POINTS + 1) * sizeof *h->val);
	if (h->epoch == NULL || h->loss == NULL || h->val == NULL) {
		snprintf(err, errlen, "out of memory");
		history_free(h);
		return ST_NOMEM;
	}
	if (fp == NULL)
		return 0;
	h->fp = fp;
	if (resume_epoch > 0 && strcmp(path, "-") != 0 && (in = fopen(path, "r")) == NULL && errno != ENOENT) {
		st = errno == ENOMEM ? ST_NOMEM : ST_IO;
		snprintf(err, errlen, "%s: %s", path, st == ST_NOMEM ? "out of memory" : strerror(errno));
		history_free(h);
		return st;
	}
	fprintf(h->fp, "%s\n", header(have_val));
	if (in != NULL) {
		st = continue_file(h, in, path, resume_epoch, err, errlen);
		fclose(in);
		if (st != 0) {
			history_free(h);
			return st;
		}
	}
	return 0;
}

void
history_add(struct history *h, const struct epoch_stats *s)
{
	char a[NUMBER_BUFLEN], b[NUMBER_BUFLEN], c[NUMBER_BUFLEN], d[NUMBER_BUFLEN], r[NUMBER_BUFLEN];

	add_point(h, (double)s->epoch, s->loss, s->val_loss);
	if (h->fp == NULL)
		return;
	number_format(a, s->loss, 0);
	number_format(b, s->accuracy, 0);
	number_format(r, s->rate, 0);
	if (h->have_val) {
		number_format(c, s->val_loss, 0);
		number_format(d, s->val_accuracy, 0);
		fprintf(h->fp, "%" PRIu64 ",%s,%s,%s,%s,%s,%.6f\n", s->epoch, a, b, c, d, r, s->seconds);
	} else
		fprintf(h->fp, "%" PRIu64 ",%s,%s,%s,%.6f\n", s->epoch, a, b, r, s->seconds);
}

size_t
history_points(struct history *h, const double **epoch, const double **loss, const double **val)
{
	size_t n = h->n;

	if (n > 0 && h->epoch[n - 1] != h->last[0]) {
		h->epoch[n] = h->last[0];
		h->loss[n] = h->last[1];
		h->val[n] = h->last[2];
		n++;
	}
	*epoch = h->epoch;
	*loss = h->loss;
	*val = h->have_val ? h->val : NULL;
	return n;
}

void
history_free(struct history *h)
{
	free(h->epoch);
	free(h->loss);
	free(h->val);
	h->epoch = h->loss = h->val = NULL;
	h->fp = NULL;
}
