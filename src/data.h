/*
 * The training set in memory: every row, features then targets, in one
 * (rows, cols) block of doubles, loaded from CSV with every field checked:
 * which columns are features, targets, ignored or the weight (-t, -x, -w),
 * class labels mapped to 0/1, missing values refused or skipped.  Also the
 * standardisation statistics, the held-out split and class weights.
 */
#ifndef DATA_H
#define DATA_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "columns.h"
#include "csvread.h"
#include "rng.h"

struct dataset {
	size_t rows;		/* R */
	size_t cols;		/* C = F + T */
	size_t ntargets;	/* T: the last T columns are targets */
	double *x_mem;		/* (R, C): row r = features then targets */
	char **names;		/* (C) header names of those columns, or NULL without a header */
	double *weight;		/* (R) the weight of every row, or NULL: all 1 */
	char *weight_name;	/* the header name of the weight column, or NULL */
	char **classes;		/* (2) the labels of targets 0 and 1 when the one target column
				   held class labels, or NULL when it held numbers */
	size_t dropped;		/* rows skipped for missing values (--drop-missing) */
};

/* How to read a CSV file. */
struct data_opts {
	size_t ntargets;	/* without -t: the last ntargets columns (bar -x, -w) are targets */
	int delim;		/* field separator: ',' ';' '\t' ... */
	int header;		/* 1: the first row is a header; 0: it is not; -1: guess */
	const struct colspec *target;	/* -t: the target columns, or NULL */
	const struct colspec *ignore;	/* -x: columns to skip, or NULL */
	const struct colspec *weight;	/* -w: the weight column, or NULL */
	int drop_missing;	/* skip rows with a missing value instead of failing */
	const char *positive;	/* --positive: the label that is target 1, or NULL */
	/*
	 * The classes targets must belong to (from a model given to --init, or
	 * the training set when reading validation rows), or NULL; with
	 * numbers_only set instead, targets must be numbers in [0, 1].
	 */
	char *const *classes;
	int numbers_only;
	const char *classes_from;	/* where those come from, for messages */
	/*
	 * Validation rows: the columns of `like` (its features and targets) are
	 * found by name when both files have a header, else by -t/-x/-w as for
	 * the training file; the file's own weight column is not used.
	 */
	const struct dataset *like;
};

/* The header guess of csv_is_header. */
#define DATA_HEADER_GUESS CSV_HEADER_GUESS

/*
 * Reads CSV from f (called `name` in messages) as o says.  A single target
 * column may hold two class labels instead of numbers in [0, 1]: they become
 * 0 and 1 in sorted order (numbers compared as numbers), or o->positive is
 * 1.  Returns 0 and sets *out (free with data_free), or a status with a
 * "name:line:column: ..." message in err.
 */
int data_read(FILE *f, const char *name, const struct data_opts *o, struct dataset **out,
    const volatile sig_atomic_t *stop, char *err, size_t errlen);
/* Frees d; NULL is fine. */
void data_free(struct dataset *d);
/* Number of feature columns, F = C - T. */
size_t data_nfeatures(const struct dataset *d);
/*
 * Population mean and standard deviation of every feature column (mean, std:
 * F each); a standard deviation of 0, or below the smallest normal double
 * (DBL_MIN, which the model reader refuses), is stored as 1.  Values near
 * the largest double do not overflow the sums: such a column is computed
 * again from its values scaled by a power of two.
 */
void data_stats(const struct dataset *d, double *mean, double *std);
/*
 * Moves a random fraction frac (0 < frac < 1) of d's rows into *val,
 * stratified by class (target >= 0.5) when there is one target: each class
 * gives round(frac * its rows), drawn with r.  Both parts keep the file
 * order.  Returns 0, or a status with a message (nothing held out, or
 * nothing left to train on; out of memory).
 */
int data_holdout(struct dataset *d, double frac, struct rng *r, struct dataset **val,
    char *err, size_t errlen);
/*
 * Class weights as scikit-learn's class_weight='balanced': row of class c
 * (target 0 or 1) weighs n / (2 n_c), times its -w weight if any.  The one
 * target must be 0 or 1 in every row.  Stores the two weights in cw.
 * Returns 0, or a status with a message.
 */
int data_balance(struct dataset *d, double cw[2], const char *name, char *err, size_t errlen);

#endif
