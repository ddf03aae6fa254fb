/* The --eval report for K > 2 classes, worked out by hand on four rows and on three; and the binary blocks. */
#include <stdlib.h>

#include "check.h"
#include "eval.h"
#include "status.h"

/* The value of the report line "key ..." after the line `after` (NULL: from the top), as a double. */
static double
value_of(const char *report, const char *after, const char *key)
{
	const char *p = after != NULL ? strstr(report, after) : report;
	char pat[128];

	if (p == NULL)
		return -1;
	snprintf(pat, sizeof pat, "\n%s ", key);
	if (strncmp(p, pat + 1, strlen(pat + 1)) == 0)
		return atof(p + strlen(pat + 1));
	if ((p = strstr(p, pat)) == NULL)
		return -1;
	return atof(p + strlen(pat));
}

static char *
report_of(struct evalset *e)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	CHECK(eval_report(e, f, 0.5, 0) == 0);
	fclose(f);
	return text;
}

int
main(void)
{
	static char *cls[] = { "a", "b", "c" };
	static const double y[4][3] = { { 0.9, 0.2, 0.1 }, { 0.3, 0.6, 0.2 }, { 0.5, 0.4, 0.7 }, { 0.2, 0.1, 0.8 } };
	static const int truth[4] = { 0, 1, 1, 2 };
	size_t sizes[] = { 1, 3 }, r, k;
	struct model *m = model_new(sizes, 1);
	struct evalset *e;
	double a[3], t[3], ll = 0;
	char *text;

	m->classes = cls;
	m->nclasses = 3;
	e = eval_new(m);
	for (r = 0; r < 4; r++) {
		for (k = 0; k < 3; k++) {
			a[k] = log(y[r][k] / (1 - y[r][k]));
			t[k] = (int)k == truth[r];
		}
		CHECK(eval_add(e, y[r], a, t) == 0);
		ll += -log(y[r][truth[r]] / (y[r][0] + y[r][1] + y[r][2]));
	}
	text = report_of(e);
	CHECK(strncmp(text, "classes 3\nrows 4\naccuracy 0.75\n", 31) == 0);
	CHECK_NEAR(value_of(text, NULL, "log_loss"), ll / 4, 1e-12);
	CHECK(value_of(text, "class a\n", "precision") == 1 && value_of(text, "class a\n", "recall") == 1);
	CHECK(value_of(text, "class b\n", "support") == 2 && value_of(text, "class b\n", "recall") == 0.5);
	CHECK_NEAR(value_of(text, "class b\n", "f1"), 2.0 / 3, 1e-15);
	CHECK(value_of(text, "class c\n", "precision") == 0.5 && value_of(text, "class c\n", "recall") == 1);
	CHECK_NEAR(value_of(text, NULL, "macro_precision"), 2.5 / 3, 1e-15);
	CHECK_NEAR(value_of(text, NULL, "macro_f1"), (1 + 4.0 / 3) / 3, 1e-15);
	CHECK(value_of(text, NULL, "mean_roc_auc") == 1);
	CHECK(strstr(text, "confusion actual=b predicted=c 1\nconfusion actual=c predicted=a 0\n") != NULL);
	CHECK(strstr(text, "confusion actual=a predicted=a 1\n") != NULL);
	free(text);
	eval_free(e);
	/*
	 * A class never predicted (c): its precision undefined, counted as 0 in
	 * the macro average, (1 + 0.5 + 0) / 3, not left out of it.
	 */
	e = eval_new(m);
	for (r = 0; r < 3; r++) {
		static const double z[3][3] = { { 0.9, 0.2, 0.1 }, { 0.3, 0.6, 0.2 }, { 0.2, 0.7, 0.3 } };

		for (k = 0; k < 3; k++) {
			a[k] = log(z[r][k] / (1 - z[r][k]));
			t[k] = k == r;
		}
		CHECK(eval_add(e, z[r], a, t) == 0);
	}
	text = report_of(e);
	CHECK(strstr(text, "class c\nsupport 1\nprecision undefined\nrecall 0\nf1 0\n") != NULL);
	CHECK(value_of(text, NULL, "macro_precision") == 0.5);
	CHECK_NEAR(value_of(text, NULL, "macro_recall"), 2.0 / 3, 1e-15);
	free(text);
	eval_free(e);
	/* no rows: undefined, not numbers */
	e = eval_new(m);
	text = report_of(e);
	CHECK(strstr(text, "accuracy undefined\nlog_loss undefined\n") != NULL);
	CHECK(strstr(text, "macro_precision undefined\n") != NULL && strstr(text, "mean_roc_auc undefined\n") != NULL);
	free(text);
	eval_free(e);
	m->classes = NULL;
	m->nclasses = 0;
	model_free(m);
	return check_summary("test_eval");
}
