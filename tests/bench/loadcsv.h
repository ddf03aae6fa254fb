/*
 * loadcsv.h - the small CSV reader shared by the benchmark peers
 * (fann_peer.c, ceiling.c): plain comma-separated numbers, one row a line,
 * an optional header line (a first line whose first field is not a number),
 * read with getline and strtod into one (rows, cols) block of doubles;
 * and what the peers do for mlptrain's default settings: standardised
 * features, a fresh order every epoch.  No quoting: gendata never writes
 * any.  Not part of mlptrain.
 */
#ifndef BENCH_LOADCSV_H
#define BENCH_LOADCSV_H

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct table {
	size_t rows;
	size_t cols;
	double *v;		/* (rows, cols) */
};

/* Parses one line into out (growing nothing); returns the field count or -1. */
static long
loadcsv_line(char *s, double *out, size_t max)
{
	size_t n = 0;
	char *end;
	double d;

	for (;;) {
		errno = 0;
		d = strtod(s, &end);
		if (end == s || errno == ERANGE)
			return -1;
		if (n < max)
			out[n] = d;
		n++;
		s = end;
		while (*s == ' ')
			s++;
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s == '\n' || *s == '\r' || *s == '\0')
			return (long)n;
		return -1;
	}
}

/* Loads path into t; returns 0, or -1 with a message in err. */
static int
loadcsv(const char *path, struct table *t, char *err, size_t errlen)
{
	FILE *f;
	char *line = NULL, *p;
	size_t cap = 0, alloc = 0, lineno = 0, need;
	ssize_t len;
	double *row = NULL, *grown;
	long n;

	memset(t, 0, sizeof *t);
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (len == 0 || line[0] == '\n' || line[0] == '\r')
			continue;
		if (t->cols == 0) {
			/* First line: count the fields; skip it when it is a header. */
			t->cols = 1;
			for (p = line; *p != '\0'; p++)
				t->cols += *p == ',';
			row = malloc(t->cols * sizeof *row);
			if (row == NULL)
				goto nomem;
			if (loadcsv_line(line, row, t->cols) < 0)
				continue;
		}
		if (t->rows == alloc) {
			alloc = alloc ? 2 * alloc : 4096;
			grown = realloc(t->v, alloc * t->cols * sizeof *t->v);
			if (grown == NULL)
				goto nomem;
			t->v = grown;
		}
		need = t->cols;
		n = loadcsv_line(line, t->v + t->rows * t->cols, need);
		if (n < 0 || (size_t)n != need) {
			snprintf(err, errlen, "%s:%zu: expected %zu numbers", path, lineno, need);
			goto fail;
		}
		t->rows++;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (t->rows == 0) {
		snprintf(err, errlen, "%s: no data rows", path);
		goto fail;
	}
	free(line);
	free(row);
	fclose(f);
	return 0;
nomem:
	snprintf(err, errlen, "%s: out of memory", path);
fail:
	free(line);
	free(row);
	free(t->v);
	t->v = NULL;
	fclose(f);
	return -1;
}

/* Parses "n0,n1,...,nL" into sizes (at most max); returns the count or -1. */
static int
loadcsv_layers(const char *s, unsigned *sizes, int max)
{
	char *end;
	unsigned long v;
	int n = 0;

	for (;;) {
		errno = 0;
		v = strtoul(s, &end, 10);
		if (end == s || errno != 0 || v < 1 || v > 1000000 || n == max)
			return -1;
		sizes[n++] = (unsigned)v;
		if (*end == '\0')
			return n >= 2 ? n : -1;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

/* splitmix64, as mlptrain draws its initial weights: the peers start from the same ones. */
static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t x;

	*state += UINT64_C(0x9e3779b97f4a7c15);
	x = *state;
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

/*
 * Standardises the first nfeat columns of t as mlptrain does by default:
 * z = (x - mean) / std with the population std, a std of 0 (or below the
 * smallest normal double) counting as 1.  The peers do it before their
 * clock starts, as mlptrain does it while loading.
 */
static inline void
loadcsv_standardize(struct table *t, size_t nfeat)
{
	size_t r, j;
	double mean, var, d;

	for (j = 0; j < nfeat && j < t->cols; j++) {
		mean = var = 0;
		for (r = 0; r < t->rows; r++)
			mean += t->v[r * t->cols + j];
		mean /= (double)t->rows;
		for (r = 0; r < t->rows; r++) {
			d = t->v[r * t->cols + j] - mean;
			var += d * d;
		}
		d = sqrt(var / (double)t->rows);
		if (!(d >= 0x1.0p-1022))
			d = 1;
		for (r = 0; r < t->rows; r++)
			t->v[r * t->cols + j] = (t->v[r * t->cols + j] - mean) / d;
	}
}

/* A fresh random order of 0..n-1 in idx (Fisher-Yates from file order, splitmix64), as mlptrain's epochs take. */
static inline void
loadcsv_shuffle(size_t *idx, size_t n, uint64_t *state)
{
	size_t i, k, tmp;

	for (i = 0; i < n; i++)
		idx[i] = i;
	for (i = n; i > 1; i--) {
		k = (size_t)(splitmix64(state) % i);
		tmp = idx[i - 1];
		idx[i - 1] = idx[k];
		idx[k] = tmp;
	}
}

#endif
