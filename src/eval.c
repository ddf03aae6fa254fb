/*
 * The --eval report.  Rows are kept per output (struct scored: 16 bytes a
 * row and output) for the confusion counts and the ROC AUCs; the log losses
 * are summed as rows come, from the pre-activations, never taking log(0).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "eval.h"
#include "metrics.h"
#include "number.h"
#include "status.h"

struct evalset {
	const struct model *m;
	size_t nl;		/* outputs */
	size_t k;		/* classes: K > 2, or 0 for binary outputs */
	struct scored **v;	/* (nl) every row's probability and truth, per output */
	double *loss;		/* (nl) the summed binary log loss of each output */
	double mc_loss;		/* K > 2: the summed multi-class log loss of the normalised probabilities */
	size_t n, cap;
};

struct evalset *
eval_new(const struct model *m)
{
	struct evalset *e = calloc(1, sizeof *e);

	if (e == NULL)
		return NULL;
	e->m = m;
	e->nl = m->n[m->L];
	e->k = m->nclasses > 2 ? m->nclasses : 0;
	if ((e->v = calloc(e->nl, sizeof(struct scored *))) == NULL || (e->loss = calloc(e->nl, sizeof *e->loss)) == NULL) {
		eval_free(e);
		return NULL;
	}
	return e;
}

void
eval_free(struct evalset *e)
{
	size_t k;

	if (e == NULL)
		return;
	for (k = 0; e->v != NULL && k < e->nl; k++)
		free(e->v[k]);
	free(e->v);
	free(e->loss);
	free(e);
}

size_t
eval_rows(const struct evalset *e)
{
	return e->n;
}

int
eval_add(struct evalset *e, const double *y, const double *a, const double *t)
{
	struct scored *p;
	size_t k, cap, truth = 0;
	double sum = 0;

	if (e->n == e->cap) {
		cap = e->cap > 0 ? 2 * e->cap : 1024;
		for (k = 0; k < e->nl; k++) {
			if (cap > SIZE_MAX / sizeof *p || (p = realloc(e->v[k], cap * sizeof *p)) == NULL)
				return ST_NOMEM;
			e->v[k] = p;
		}
		e->cap = cap;
	}
	for (k = 0; k < e->nl; k++) {
		e->v[k][e->n].p = y[k];
		e->v[k][e->n].pos = t[k] >= 0.5;
		e->loss[k] += metrics_log_loss(a[k], t[k]);
		sum += y[k];
		if (t[k] > t[truth])
			truth = k;
	}
	/* -log(y_truth / sum) = softplus(-a_truth) + log(sum): log sigma(a) = -softplus(-a) */
	if (e->k > 0)
		e->mc_loss += metrics_log_loss(-a[truth], 0) + log(sum);
	e->n++;
	return 0;
}

/* "key value": the value with `digits` digits (0 the shortest exact form), or "undefined" for NAN. */
static void
put_metric(FILE *f, const char *key, double v, int digits)
{
	char buf[NUMBER_BUFLEN];

	if (isnan(v))
		fprintf(f, "%s undefined\n", key);
	else {
		number_format(buf, v, digits);
		fprintf(f, "%s %s\n", key, buf);
	}
}

/* The name of output k in the report: the target's, or p, p1, p2, ... */
static const char *
output_name(const struct model *m, size_t k, char *buf, size_t buflen)
{
	if (m->targets != NULL)
		return m->targets[k];
	if (m->n[m->L] == 1)
		return "p";
	snprintf(buf, buflen, "p%zu", k + 1);
	return buf;
}

/* One block per output: the binary metrics at the threshold. */
static void
report_outputs(struct evalset *e, FILE *f, double threshold, int digits)
{
	static const char *const bits[2] = { "0", "1" };
	const struct model *m = e->m;
	const char *const *cls = m->classes != NULL ? (const char *const *)m->classes : bits;
	struct confusion c;
	char num[32];
	size_t k;

	for (k = 0; k < e->nl; k++) {
		metrics_confusion(&c, e->v[k], e->n, threshold);
		fprintf(f, "output %s\n", output_name(m, k, num, sizeof num));
		fprintf(f, "rows %zu\n", e->n);
		put_metric(f, "threshold", threshold, 0);
		put_metric(f, "log_loss", e->n > 0 ? e->loss[k] / (double)e->n : NAN, digits);
		put_metric(f, "accuracy", metrics_accuracy(&c), digits);
		put_metric(f, "precision", metrics_precision(&c), digits);
		put_metric(f, "recall", metrics_recall(&c), digits);
		put_metric(f, "f1", metrics_f1(&c), digits);
		put_metric(f, "roc_auc", metrics_auc(e->v[k], e->n), digits);
		fprintf(f, "confusion actual=%s predicted=%s %zu\n", cls[1], cls[1], c.tp);
		fprintf(f, "confusion actual=%s predicted=%s %zu\n", cls[1], cls[0], c.fn);
		fprintf(f, "confusion actual=%s predicted=%s %zu\n", cls[0], cls[1], c.fp);
		fprintf(f, "confusion actual=%s predicted=%s %zu\n", cls[0], cls[0], c.tn);
	}
}

/*
 * The mean of v[0..n-1], a NAN counting as `undef` (or skipped when undef
 * is NAN); NAN when none is defined.
 */
static double
mean_of(const double *v, size_t n, double undef)
{
	double sum = 0;
	size_t i, used = 0, defined = 0;

	for (i = 0; i < n; i++)
		defined += isnan(v[i]) ? 0 : 1;
	if (defined == 0)
		return NAN;
	for (i = 0; i < n; i++) {
		if (isnan(v[i]) && isnan(undef))
			continue;
		sum += isnan(v[i]) ? undef : v[i];
		used++;
	}
	return used > 0 ? sum / (double)used : NAN;
}

/* K > 2 classes: the class of each row (its one-hot target) and its prediction (the largest output). */
static int
report_classes(struct evalset *e, FILE *f, int digits)
{
	const struct model *m = e->m;
	size_t K = e->k, *conf, *tp_fp, i, k, truth, pred, hits = 0, tp, fp, fn;
	double *prec, *rec, *f1, *auc, sum = 0;
	char show[CSV_SHOW_LEN], shown[CSV_SHOW_LEN];

	conf = calloc(K * K + K, sizeof *conf);
	prec = calloc(4 * K, sizeof *prec);
	if (conf == NULL || prec == NULL) {
		free(conf);
		free(prec);
		return ST_NOMEM;
	}
	tp_fp = conf + K * K;
	rec = prec + K;
	f1 = rec + K;
	auc = f1 + K;
	for (i = 0; i < e->n; i++) {
		for (k = 1, truth = 0, pred = 0; k < K; k++) {
			if (e->v[k][i].pos)
				truth = k;
			if (e->v[k][i].p > e->v[pred][i].p)
				pred = k;
		}
		conf[truth * K + pred]++;
		tp_fp[pred]++;
		hits += truth == pred;
	}
	for (k = 0; k < K; k++)
		sum += e->loss[k];
	fprintf(f, "classes %zu\n", K);
	fprintf(f, "rows %zu\n", e->n);
	put_metric(f, "accuracy", metrics_ratio(hits, e->n), digits);
	put_metric(f, "log_loss", e->n > 0 ? e->mc_loss / (double)e->n : NAN, digits);
	put_metric(f, "binary_log_loss_sum", e->n > 0 ? sum / (double)e->n : NAN, digits);
	for (k = 0; k < K; k++) {
		for (i = 0, fn = 0; i < K; i++)
			fn += i != k ? conf[k * K + i] : 0;
		tp = conf[k * K + k];
		fp = tp_fp[k] - tp;
		prec[k] = metrics_ratio(tp, tp + fp);
		rec[k] = metrics_ratio(tp, tp + fn);
		f1[k] = metrics_ratio(2 * tp, 2 * tp + fp + fn);
		auc[k] = metrics_auc(e->v[k], e->n);	/* (sorts v[k]: last) */
		fprintf(f, "class %s\n", csv_show(show, sizeof show, m->classes[k], strlen(m->classes[k])));
		fprintf(f, "support %zu\n", tp + fn);
		put_metric(f, "precision", prec[k], digits);
		put_metric(f, "recall", rec[k], digits);
		put_metric(f, "f1", f1[k], digits);
		put_metric(f, "roc_auc", auc[k], digits);
	}
	put_metric(f, "macro_precision", mean_of(prec, K, 0), digits);
	put_metric(f, "macro_recall", mean_of(rec, K, 0), digits);
	put_metric(f, "macro_f1", mean_of(f1, K, 0), digits);
	put_metric(f, "mean_roc_auc", mean_of(auc, K, NAN), digits);
	for (k = 0; k < K; k++) {
		csv_show(show, sizeof show, m->classes[k], strlen(m->classes[k]));
		for (i = 0; i < K; i++)
			fprintf(f, "confusion actual=%s predicted=%s %zu\n", show,
			    csv_show(shown, sizeof shown, m->classes[i], strlen(m->classes[i])), conf[k * K + i]);
	}
	free(conf);
	free(prec);
	return 0;
}

int
eval_report(struct evalset *e, FILE *f, double threshold, int digits)
{
	if (e->k > 0) {
		if (report_classes(e, f, digits) != 0)
			return ST_NOMEM;
	} else
		report_outputs(e, f, threshold, digits);
	return fflush(f) == 0 && !ferror(f) ? 0 : ST_IO;
}
