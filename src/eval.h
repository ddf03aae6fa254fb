/*
 * mlppredict --eval: what is kept of every scored row (its probabilities
 * and truths) and the report printed at the end.  A model of one output or
 * of several independent ones gets a block per output (binary metrics at a
 * threshold); a model of K > 2 classes gets the multi-class metrics: the
 * accuracy of the most probable class, per-class and macro precision,
 * recall and F1, one-vs-rest ROC AUCs, the K x K confusion matrix and two
 * log losses.  The metrics themselves are metrics.c's.
 */
#ifndef EVAL_H
#define EVAL_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"

struct evalset;

/* An empty set for m's outputs (m must outlive it); NULL when out of memory. */
struct evalset *eval_new(const struct model *m);
/* Frees e; NULL is fine. */
void eval_free(struct evalset *e);
/*
 * Keeps a row: its probabilities y, pre-activations a and targets t (N_L
 * each; one-hot with K > 2 classes).  0, or ST_NOMEM.
 */
int eval_add(struct evalset *e, const double *y, const double *a, const double *t);
/* Rows kept. */
size_t eval_rows(const struct evalset *e);
/*
 * Prints the report to f as "key value" lines (see mlppredict(1)):
 * numbers with `digits` significant digits (0: the shortest exact form),
 * "undefined" for a ratio of 0/0.  threshold is the binary rule's.  0, or
 * ST_IO when f fails.  Sorts what it kept: call it once.
 */
int eval_report(struct evalset *e, FILE *f, double threshold, int digits);

#endif
