/*
 * Confusion counts, precision, recall, F1, ROC AUC with ties, log loss.
 */
#include <math.h>
#include <stdlib.h>

#include "metrics.h"

void
metrics_confusion(struct confusion *c, const struct scored *v, size_t n, double threshold)
{
	size_t i;

	c->tp = c->fn = c->fp = c->tn = 0;
	for (i = 0; i < n; i++) {
		if (v[i].pos) {
			if (v[i].p >= threshold)
				c->tp++;
			else
				c->fn++;
		} else if (v[i].p >= threshold)
			c->fp++;
		else
			c->tn++;
	}
}

double
metrics_ratio(size_t num, size_t den)
{
	return den == 0 ? NAN : (double)num / (double)den;
}

double
metrics_accuracy(const struct confusion *c)
{
	return metrics_ratio(c->tp + c->tn, c->tp + c->tn + c->fp + c->fn);
}

double
metrics_precision(const struct confusion *c)
{
	return metrics_ratio(c->tp, c->tp + c->fp);
}

double
metrics_recall(const struct confusion *c)
{
	return metrics_ratio(c->tp, c->tp + c->fn);
}

double
metrics_f1(const struct confusion *c)
{
	return metrics_ratio(2 * c->tp, 2 * c->tp + c->fp + c->fn);
}

static int
by_p(const void *a, const void *b)
{
	double x = ((const struct scored *)a)->p, y = ((const struct scored *)b)->p;

	return (x > y) - (x < y);
}

double
metrics_auc(struct scored *v, size_t n)
{
	size_t i, j, k, npos = 0;
	double ranksum = 0, mid, u;

	for (i = 0; i < n; i++)
		npos += v[i].pos != 0;
	if (npos == 0 || npos == n)
		return NAN;
	qsort(v, n, sizeof *v, by_p);
	/* Ranks 1..n in increasing p; a run of ties v[i..j-1] shares (i+1 + j) / 2. */
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[j].p == v[i].p; j++)
			;
		mid = ((double)(i + 1) + (double)j) / 2;
		for (k = i; k < j; k++)
			if (v[k].pos)
				ranksum += mid;
	}
	u = ranksum - (double)npos * ((double)npos + 1) / 2;
	return u / ((double)npos * (double)(n - npos));
}

double
metrics_log_loss(double a, double t)
{
	double softplus = fmax(a, 0.0) + log1p(exp(-fabs(a)));

	if (isinf(a))
		return (a > 0 ? t == 1 : t == 0) ? 0 : HUGE_VAL;
	return softplus - t * a;
}
