/*
 * The training set in memory: every row's N_0 inputs then its targets, in
 * one (rows, cols) block of doubles, loaded from CSV with every field
 * checked (data.c): which columns are features, targets, ignored or the
 * weight (colmap.c), numeric and categorical features encoded (encode.c),
 * class labels found and mapped to targets, missing values refused,
 * skipped or left for imputation.  Also what is done with the rows once
 * loaded (dataset.c): standardisation statistics, imputation, the held-out
 * split and class weights.
 */
#ifndef DATA_H
#define DATA_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "columns.h"
#include "comm.h"
#include "csvread.h"
#include "encode.h"
#include "rng.h"

struct dataset {
	size_t rows;		/* R: this worker's (data_load) */
	size_t cols;		/* C = N_0 + T */
	size_t ntargets;	/* T: the last T columns are targets, one per output */
	double *x_mem;		/* (R, C): row r = N_0 inputs, then T targets */
	struct encoding *enc;	/* the feature columns and how they give the N_0 inputs */
	char **names;		/* (N_0) the inputs' names, or NULL without a header */
	size_t ntcols;		/* target columns: one, or several of 0/1 (or soft) targets */
	char **tnames;		/* (ntcols) their names, or NULL without a header */
	char **classes;		/* (nclasses) the labels of the one target column, in order, or NULL */
	size_t nclasses;	/* K: 2 (one output) or K > 2 (K outputs, one-hot); 0 without labels */
	double *weight;		/* (R) the weight of every row, or NULL: all 1 */
	char *weight_name;	/* the header name of the weight column, or NULL */
	/* counts over every worker's rows: */
	size_t dropped;		/* rows skipped for missing values (--drop-missing) */
	size_t missing;		/* numeric features left missing (NaN) for data_impute */
	size_t *unseen;		/* (enc->ncols) with a given encoding: values of each categorical
				   column it had not seen, encoded as zeros; or NULL */
	size_t rows_all;	/* the rows of every worker: R with one */
	struct comm *comm;	/* the workers whose rows these are with this worker's, or NULL: this one
				   alone; what is computed over the data set is over all their rows */
};

/* How to read a CSV file. */
struct data_opts {
	int delim;		/* field separator: ',' ';' '\t' ... */
	int header;		/* 1: the first row is a header; 0: it is not; -1: guess */
	const struct colspec *target;	/* -t: the target columns, or NULL */
	const struct colspec *ignore;	/* -x: columns to skip, or NULL */
	const struct colspec *weight;	/* -w: the weight column, or NULL */
	const struct colspec *categorical;	/* -c: categorical feature columns, or NULL */
	int cat_auto;		/* -c auto: those whose first data row holds text */
	size_t max_categories;	/* most categories a column may hold (0: ENCODE_MAX_CATEGORIES) */
	size_t layers_in, layers_out;	/* -l's first and last sizes, or 0: without -t, the last
					   layers_out columns are targets when they and layers_in
					   features are all the columns (and none is categorical) */
	int drop_missing;	/* skip rows with a missing value instead of failing */
	int impute;		/* leave missing numeric features NaN, for data_impute */
	int soft;		/* --soft-targets: targets are numbers in [0, 1] */
	const char *positive;	/* --positive: the label that is target 1, or NULL */
	/*
	 * Given instead of found (an -i model's, or the training set's for
	 * validation rows): the encoding, the target columns, and the classes
	 * targets must belong to (classes NULL: numbers, 0/1 unless soft).
	 */
	const struct encoding *enc;
	size_t tcols;
	char *const *tnames;	/* (tcols) the target columns' names, or NULL: with enc's names and a
				   header (and no -t, -x, -w), the columns are found by name */
	char *const *classes;
	size_t nclasses;
	const char *classes_from;	/* where those come from, for messages */
	/*
	 * Validation rows: the columns of `like` (its feature and target
	 * columns) are found by name when both files have a header, else by
	 * -t/-x/-w as for the training file; the file's own weight is not used.
	 */
	const struct dataset *like;
};

/* The header guess of csv_is_header. */
#define DATA_HEADER_GUESS CSV_HEADER_GUESS

/*
 * Reads CSV from in (called `name` in messages) as o says, every worker of
 * c its part (shard.h): in is then a regular file or memory, unless c has
 * one worker.  Every worker ends with the same status and the same
 * columns, labels and encoding; *out holds its own rows, and counts over
 * all.  Returns 0 and sets *out (free with data_free), or a status with a
 * "name:line:column: ..." message in the err of worker *who: the file's
 * first error, as one worker reading it all would say.
 */
int data_load(struct comm *c, const struct csv_src *in, const char *name, const struct data_opts *o,
    struct dataset **out, const volatile sig_atomic_t *stop, int *who, char *err, size_t errlen);
/*
 * Reads CSV from f (called `name` in messages) as o says.  Returns 0 and
 * sets *out (free with data_free), or a status with a
 * "name:line:column: ..." message in err.
 */
int data_read(FILE *f, const char *name, const struct data_opts *o, struct dataset **out,
    const volatile sig_atomic_t *stop, char *err, size_t errlen);
/* Frees d; NULL is fine. */
void data_free(struct dataset *d);
/* The rows of every worker: d->rows_all, or d->rows when d has no team. */
size_t data_rows(const struct dataset *d);
/* Number of inputs, N_0 = C - T. */
size_t data_nfeatures(const struct dataset *d);
/* The class of row r: the index of its one-hot target (K > 2), its 0/1 target, or 0 with several targets. */
size_t data_class(const struct dataset *d, size_t r);
/*
 * The functions below work on the rows of every worker of d->comm (each
 * worker calls them with its own rows), and return the same status on
 * every worker, with the message in every worker's err.
 *
 * Population mean and standard deviation of every numeric input (mean,
 * std: N_0 each); a categorical input gets 0 and 1 (it is left as it is).
 * A standard deviation of 0, or below the smallest normal double (DBL_MIN,
 * which the model reader refuses), is stored as 1.  Values near the largest
 * double do not overflow the sums: such a column is computed again from its
 * values scaled by a power of two.  Returns 0 or ST_NOMEM.
 */
int data_stats(const struct dataset *d, double *mean, double *std);
/*
 * --impute: the mean or median of every numeric column over d's rows
 * (its present values) becomes its fill value in d->enc, and fills the
 * missing (NaN) values of d and of val (if not NULL).  Returns 0, or a
 * status with a message (a column with no value at all; out of memory).
 */
int data_impute(struct dataset *d, struct dataset *val, enum impute kind, char *err, size_t errlen);
/*
 * Moves a random fraction frac (0 < frac < 1) of d's rows into *val,
 * stratified by class (data_class): each class gives round(frac * its
 * rows), drawn with r.  Both parts keep the file order.  Returns 0, or a
 * status with a message (nothing held out, or nothing left to train on;
 * out of memory).
 */
int data_holdout(struct dataset *d, double frac, struct rng *r, struct dataset **val,
    char *err, size_t errlen);
/*
 * Class weights as scikit-learn's class_weight='balanced': a row of class c
 * weighs n / (K n_c) (K = 2 for 0/1 targets), times its -w weight if any.
 * The one target must be a class in every row.  Stores the K weights in cw
 * (malloc'd).  Returns 0, or a status with a message.
 */
int data_balance(struct dataset *d, double **cw, const char *name, char *err, size_t errlen);

#endif
