/*
 * The training set in memory: every row, features then targets, in one
 * (rows, cols) block of doubles, loaded from CSV with every field checked.
 * Also the standardisation statistics.
 */
#ifndef DATA_H
#define DATA_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "csvread.h"

struct dataset {
	size_t rows;		/* R */
	size_t cols;		/* C = F + T */
	size_t ntargets;	/* T: the last T columns are targets */
	double *x_mem;		/* (R, C): row r = features then targets */
	char **names;		/* (C) header names, or NULL without a header */
};

/* How to read a CSV file. */
struct data_opts {
	size_t ntargets;	/* the last ntargets columns are targets */
	int delim;		/* field separator: ',' ';' '\t' ... */
	int header;		/* 1: the first row is a header; 0: it is not; -1: guess */
};

/* The header guess: a first row that is not all numbers is a header. */
#define DATA_HEADER_GUESS CSV_HEADER_GUESS

/*
 * Reads CSV from f (called `name` in messages) as o says; targets must lie
 * in [0, 1].  Returns 0 and sets *out (free with data_free), or a status
 * with a "name:line:column: ..." message in err.
 */
int data_read(FILE *f, const char *name, const struct data_opts *o, struct dataset **out,
    const volatile sig_atomic_t *stop, char *err, size_t errlen);
/* Frees d; NULL is fine. */
void data_free(struct dataset *d);
/* Number of feature columns, F = C - T. */
size_t data_nfeatures(const struct dataset *d);
/*
 * Population mean and standard deviation of every feature column (mean, std:
 * F each); a standard deviation of 0 is stored as 1.
 */
void data_stats(const struct dataset *d, double *mean, double *std);

#endif
