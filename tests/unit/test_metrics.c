/*
 * The metrics of mlppredict --eval against values worked out by hand.
 *
 * The example: eight rows, p and truth,
 *     p    0.9 0.8 0.7 0.7 0.5 0.4 0.3 0.1
 *     pos   1   1   0   1   0   1   0   0
 * At threshold 0.5 (p >= 0.5 predicted positive): predicted positive are
 * 0.9 0.8 0.7 0.7 0.5, of which 0.9 0.8 0.7 are positive: tp 3, fp 2;
 * predicted negative 0.4 0.3 0.1, of which 0.4 is positive: fn 1, tn 2.
 *     accuracy  (3 + 2) / 8 = 0.625
 *     precision 3 / (3 + 2) = 0.6
 *     recall    3 / (3 + 1) = 0.75
 *     F1        2*3 / (2*3 + 2 + 1) = 6/9 = 2/3
 * At threshold 0.7: tp 3 (0.9 0.8 0.7), fp 1 (0.7), fn 1 (0.4), tn 3.
 *
 * ROC AUC by ranks, ascending p: 0.1 -> 1, 0.3 -> 2, 0.4 -> 3, 0.5 -> 4,
 * the two 0.7 tie for ranks 5 and 6 and both get 5.5, 0.8 -> 7, 0.9 -> 8.
 * Positive ranks: 3 + 5.5 + 7 + 8 = 23.5; npos = 4, nneg = 4;
 * U = 23.5 - 4*5/2 = 13.5; AUC = 13.5 / (4*4) = 0.84375.
 * Checked pair by pair: 0.9 and 0.8 beat all four negatives (4 + 4), the
 * positive 0.7 beats 0.5 0.3 0.1 and ties the negative 0.7 (3.5), 0.4
 * beats 0.3 0.1 (2): 13.5 of 16 pairs.
 */
#include <math.h>

#include "check.h"
#include "metrics.h"

int
main(void)
{
	static const double p[8] = { 0.9, 0.8, 0.7, 0.7, 0.5, 0.4, 0.3, 0.1 };
	static const int pos[8] = { 1, 1, 0, 1, 0, 1, 0, 0 };
	struct scored v[8], w[3];
	struct confusion c;
	size_t i;

	for (i = 0; i < 8; i++) {
		/* in a shuffled order, so that the sorting is tested too */
		v[(i * 3) % 8].p = p[i];
		v[(i * 3) % 8].pos = pos[i];
	}
	metrics_confusion(&c, v, 8, 0.5);
	CHECK(c.tp == 3 && c.fp == 2 && c.fn == 1 && c.tn == 2);
	CHECK(metrics_accuracy(&c) == 0.625);
	CHECK(metrics_precision(&c) == 0.6);
	CHECK(metrics_recall(&c) == 0.75);
	CHECK(metrics_f1(&c) == 6.0 / 9.0);
	metrics_confusion(&c, v, 8, 0.7);
	CHECK(c.tp == 3 && c.fp == 1 && c.fn == 1 && c.tn == 3);
	CHECK(metrics_accuracy(&c) == 0.75);
	CHECK(metrics_precision(&c) == 0.75);
	CHECK(metrics_f1(&c) == 0.75);
	CHECK(metrics_auc(v, 8) == 0.84375);
	for (i = 1; i < 8; i++)
		CHECK(v[i - 1].p <= v[i].p);

	/* Every p tied: AUC 1/2.  One class only, no rows: undefined. */
	for (i = 0; i < 3; i++) {
		w[i].p = 0.25;
		w[i].pos = i != 1;
	}
	CHECK(metrics_auc(w, 3) == 0.5);
	w[1].pos = 1;
	CHECK(isnan(metrics_auc(w, 3)));
	CHECK(isnan(metrics_auc(w, 0)));
	/* Perfect and reversed orders. */
	w[0].p = 0.1;
	w[0].pos = 0;
	w[1].p = 0.2;
	w[2].p = 0.3;
	CHECK(metrics_auc(w, 3) == 1);
	w[0].p = 0.9;
	CHECK(metrics_auc(w, 3) == 0);

	/* 0/0 is undefined: nothing predicted positive, no positive rows, no rows. */
	metrics_confusion(&c, w, 3, 1.0);
	CHECK(c.tp == 0 && c.fp == 0 && c.fn == 2 && c.tn == 1);
	CHECK(isnan(metrics_precision(&c)));
	CHECK(metrics_recall(&c) == 0);
	CHECK(metrics_f1(&c) == 0);
	metrics_confusion(&c, w, 0, 0.5);
	CHECK(isnan(metrics_accuracy(&c)) && isnan(metrics_recall(&c)) && isnan(metrics_f1(&c)));
	CHECK(isnan(metrics_ratio(0, 0)) && metrics_ratio(1, 4) == 0.25);

	/* Log loss: a = 0 is log 2 either way; far out it is 0 or |a|, never inf. */
	CHECK_NEAR(metrics_log_loss(0, 1), log(2.0), 1e-15);
	CHECK_NEAR(metrics_log_loss(0, 0), log(2.0), 1e-15);
	CHECK(metrics_log_loss(1000, 1) == 0);
	CHECK(metrics_log_loss(-1000, 1) == 1000);
	CHECK(metrics_log_loss(-1000, 0) == 0);
	/* an infinite pre-activation: the limits, never inf - inf */
	CHECK(metrics_log_loss(HUGE_VAL, 1) == 0 && metrics_log_loss(-HUGE_VAL, 0) == 0);
	CHECK(metrics_log_loss(HUGE_VAL, 0) == HUGE_VAL && metrics_log_loss(-HUGE_VAL, 1) == HUGE_VAL);
	CHECK(metrics_log_loss(HUGE_VAL, 0.5) == HUGE_VAL);
	/* a = 2, t = 0.25: -0.25 log(sigma(2)) - 0.75 log(1 - sigma(2)) */
	CHECK_NEAR(metrics_log_loss(2, 0.25),
	    -0.25 * log(1 / (1 + exp(-2.0))) - 0.75 * log(1 - 1 / (1 + exp(-2.0))), 1e-14);
	return check_summary("metrics");
}
