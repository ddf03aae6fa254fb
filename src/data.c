/*
 * Loading the training set: header detection, number checks with the line
 * and column of every bad field, ragged rows, targets outside [0, 1].
 */
#include <sys/stat.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvread.h"
#include "data.h"
#include "number.h"
#include "status.h"

struct loader {
	struct dataset *d;
	const char *name;
	size_t cap;		/* rows allocated in d->x_mem */
	size_t hint;		/* lines in a regular file (at least its rows), or 0 */
	int header;		/* as in data_opts */
	long width_line;	/* line of the row that fixed the width */
};

/* Keeps a copy of the header's names. */
static int
take_header(struct loader *ld, const struct csv_row *row)
{
	size_t i;

	if ((ld->d->names = calloc(row->n, sizeof *ld->d->names)) == NULL)
		return -1;
	for (i = 0; i < row->n; i++)
		if ((ld->d->names[i] = strdup(row->field[i])) == NULL)
			return -1;
	return 0;
}

static int
on_row(void *ctx, const struct csv_row *row, char *err, size_t errlen)
{
	struct loader *ld = ctx;
	struct dataset *d = ld->d;
	char show[CSV_SHOW_LEN];
	enum num_error e;
	double *x;
	size_t i;

	if (row->number == 1) {
		d->cols = row->n;
		ld->width_line = row->line[0];
		if (d->cols <= d->ntargets) {
			snprintf(err, errlen, "%s:%ld: %zu column%s: too few for %zu target%s and at least one feature",
			    ld->name, row->line[0], row->n, row->n == 1 ? "" : "s",
			    d->ntargets, d->ntargets == 1 ? "" : "s");
			return ST_DATA;
		}
		if (csv_is_header(row, NULL, ld->header)) {
			if (take_header(ld, row) != 0) {
				snprintf(err, errlen, "%s: out of memory", ld->name);
				return ST_NOMEM;
			}
			return 0;
		}
	}
	if (row->n != d->cols) {
		snprintf(err, errlen, "%s:%ld: %zu field%s, expected %zu as on line %ld",
		    ld->name, row->line[0], row->n, row->n == 1 ? "" : "s", d->cols, ld->width_line);
		return ST_DATA;
	}
	if (d->rows == ld->cap) {
		size_t cap = ld->cap ? ld->cap + ld->cap / 2 : 1024;
		double *p = NULL;

		/* first the whole file's worth (it may be mostly blank lines: then as usual) */
		if (ld->cap == 0 && ld->hint > cap && ld->hint <= SIZE_MAX / sizeof *p / d->cols &&
		    (p = malloc(ld->hint * d->cols * sizeof *p)) != NULL)
			cap = ld->hint;
		if (p == NULL && (cap > SIZE_MAX / sizeof *p / d->cols ||
		    (p = realloc(d->x_mem, cap * d->cols * sizeof *p)) == NULL)) {
			snprintf(err, errlen, "%s:%ld: out of memory after %zu rows", ld->name, row->line[0], d->rows);
			return ST_NOMEM;
		}
		d->x_mem = p;
		ld->cap = cap;
	}
	x = d->x_mem + d->rows * d->cols;
	for (i = 0; i < row->n; i++) {
		if ((e = number_parse(row->field[i], row->len[i], &x[i])) != NUM_OK) {
			snprintf(err, errlen, "%s:%ld:%zu: '%s' %s", ld->name, row->line[i], i + 1,
			    csv_show(show, sizeof show, row->field[i], row->len[i]), number_strerror(e));
			return e == NUM_NOMEM ? ST_NOMEM : ST_DATA;
		}
		if (i >= d->cols - d->ntargets && !(x[i] >= 0 && x[i] <= 1)) {
			snprintf(err, errlen, "%s:%ld:%zu: target '%s' is outside [0,1]", ld->name, row->line[i], i + 1,
			    csv_show(show, sizeof show, row->field[i], row->len[i]));
			return ST_DATA;
		}
	}
	d->rows++;
	return 0;
}

/*
 * For a regular file, the number of lines from the current position on (an
 * upper bound on the rows), counted with pread so that the stream is not
 * disturbed: the rows then go into one block allocated once, neither copied
 * by realloc nor doubled past the need.  0 when f is not a regular file or
 * cannot be read this way (the block then grows as rows come).
 */
static size_t
count_lines(FILE *f)
{
	char buf[1 << 16];
	const char *p, *end;
	struct stat st;
	size_t n = 1;
	ssize_t got;
	off_t pos;
	int fd = fileno(f);

	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (pos = ftello(f)) < 0)
		return 0;
	while ((got = pread(fd, buf, sizeof buf, pos)) > 0) {
		end = buf + got;
		for (p = buf; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
			n++;
		pos += got;
	}
	return got < 0 ? 0 : n;
}

int
data_read(FILE *f, const char *name, const struct data_opts *o, struct dataset **out,
    const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct loader ld;
	int st;

	memset(&ld, 0, sizeof ld);
	ld.name = name;
	if ((ld.d = calloc(1, sizeof *ld.d)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return ST_NOMEM;
	}
	ld.d->ntargets = o->ntargets;
	ld.header = o->header;
	ld.hint = count_lines(f);
	st = csv_read(f, name, o->delim, on_row, &ld, stop, err, errlen);
	if (st == 0 && ld.d->rows == 0) {
		snprintf(err, errlen, "%s: no data rows", name);
		st = ST_DATA;
	}
	if (st != 0) {
		data_free(ld.d);
		return st;
	}
	if (ld.d->rows < ld.cap) {	/* give back what the rows did not use */
		double *p = realloc(ld.d->x_mem, ld.d->rows * ld.d->cols * sizeof *p);

		if (p != NULL)
			ld.d->x_mem = p;
	}
	*out = ld.d;
	return 0;
}

void
data_free(struct dataset *d)
{
	size_t i;

	if (d == NULL)
		return;
	if (d->names != NULL)
		for (i = 0; i < d->cols; i++)
			free(d->names[i]);
	free(d->names);
	free(d->x_mem);
	free(d);
}

size_t
data_nfeatures(const struct dataset *d)
{
	return d->cols - d->ntargets;
}

void
data_stats(const struct dataset *d, double *mean, double *std)
{
	size_t f = data_nfeatures(d), r, j;
	const double *x;
	double dev;

	for (j = 0; j < f; j++)
		mean[j] = std[j] = 0;
	for (r = 0; r < d->rows; r++) {
		x = d->x_mem + r * d->cols;
		for (j = 0; j < f; j++)
			mean[j] += x[j];
	}
	for (j = 0; j < f; j++)
		mean[j] /= (double)d->rows;
	/* Two passes: the variance from deviations, not from a difference of squares. */
	for (r = 0; r < d->rows; r++) {
		x = d->x_mem + r * d->cols;
		for (j = 0; j < f; j++) {
			dev = x[j] - mean[j];
			std[j] += dev * dev;
		}
	}
	for (j = 0; j < f; j++) {
		std[j] = sqrt(std[j] / (double)d->rows);
		if (std[j] == 0)
			std[j] = 1;
	}
}
