/*
 * Classification metrics for mlppredict --eval: pure functions of the
 * probabilities and the truths of the scored rows.  A row is positive when
 * its truth (target t >= 0.5) is 1, and predicted positive when its
 * probability p >= the threshold.  A ratio whose denominator is 0 is
 * undefined and returned as NAN.
 */
#ifndef METRICS_H
#define METRICS_H

#include <stddef.h>

/* One scored row of one output. */
struct scored {
	double p;		/* the probability */
	int pos;		/* the truth: 1 positive, 0 negative */
};

/* The confusion matrix at a threshold. */
struct confusion {
	size_t tp;		/* positive, predicted positive */
	size_t fn;		/* positive, predicted negative */
	size_t fp;		/* negative, predicted positive */
	size_t tn;		/* negative, predicted negative */
};

/* Counts the n rows of v into *c: predicted positive when p >= threshold. */
void metrics_confusion(struct confusion *c, const struct scored *v, size_t n, double threshold);
/* num / den, or NAN when den is 0. */
double metrics_ratio(size_t num, size_t den);
/* (tp + tn) / all rows. */
double metrics_accuracy(const struct confusion *c);
/* tp / (tp + fp): of the rows predicted positive, the positive ones. */
double metrics_precision(const struct confusion *c);
/* tp / (tp + fn): of the positive rows, those predicted positive. */
double metrics_recall(const struct confusion *c);
/* 2 tp / (2 tp + fp + fn): the harmonic mean of precision and recall. */
double metrics_f1(const struct confusion *c);
/*
 * The area under the ROC curve: the probability that a positive row drawn
 * at random has a higher p than a negative one, ties counting one half;
 * computed as the Mann-Whitney U statistic, U / (npos nneg) with
 * U = (sum of the ranks of the positive rows) - npos (npos + 1) / 2, where
 * tied values of p share the mean of their ranks (midranks).  Sorts v by p.
 * NAN when only one class is present (or n is 0).
 */
double metrics_auc(struct scored *v, size_t n);
/*
 * The log loss of one output from its pre-activation a and target t:
 * -t log sigma(a) - (1 - t) log(1 - sigma(a)) = softplus(a) - t a, computed
 * as max(a, 0) + log1p(exp(-|a|)) - t a, which never takes log(0).  For
 * an infinite a (sigma(a) exactly 1 or 0) the limit: 0 when t is the
 * certain class, else infinity (where the formula gives inf - inf).
 */
double metrics_log_loss(double a, double t);

#endif
