/* Target fields: class labels when known, else numbers in [0, 1]; one wording of every error. */
#include "check.h"
#include "status.h"
#include "target.h"

/* The value read from f, or "error N: message". */
static const char *
read1(const struct target_rule *r, const char *f, char *out, size_t outlen)
{
	char err[512];
	double t = -1;
	int st = target_read(r, "d.csv", 7, 2, f, strlen(f), &t, err, sizeof err);

	if (st != 0)
		snprintf(out, outlen, "error %d: %s", st, err);
	else
		snprintf(out, outlen, "%.17g", t);
	return out;
}

int
main(void)
{
	static char *two[] = { "no", "yes" }, *three[] = { "setosa", "versicolor", "virginica" };
	struct target_rule nums = { NULL, 0, NULL, NULL }, hinted = { NULL, 0, NULL, "; a hint" };
	struct target_rule labels = { two, 2, "m.json", NULL }, labels3 = { three, 3, "the training set", NULL };
	char buf[600];

	CHECK_STR(read1(&nums, "0", buf, sizeof buf), "0");
	CHECK_STR(read1(&nums, "1", buf, sizeof buf), "1");
	CHECK_STR(read1(&nums, " 0.25 ", buf, sizeof buf), "0.25");
	CHECK_STR(read1(&nums, "1.5", buf, sizeof buf), "error 1: d.csv:7:3: target '1.5' is outside [0,1]");
	CHECK_STR(read1(&nums, "-0.1", buf, sizeof buf), "error 1: d.csv:7:3: target '-0.1' is outside [0,1]");
	CHECK_STR(read1(&nums, "yes", buf, sizeof buf), "error 1: d.csv:7:3: target 'yes' is not a number");
	CHECK_STR(read1(&hinted, "yes", buf, sizeof buf), "error 1: d.csv:7:3: target 'yes' is not a number; a hint");
	CHECK_STR(read1(&nums, "1e999", buf, sizeof buf), "error 1: d.csv:7:3: target '1e999' is too large for a double");
	CHECK_STR(read1(&labels, "yes", buf, sizeof buf), "1");
	CHECK_STR(read1(&labels, "no", buf, sizeof buf), "0");
	/* with labels, only the labels: a number is not one */
	CHECK_STR(read1(&labels, "1", buf, sizeof buf),
	    "error 1: d.csv:7:3: target '1' is not one of the classes 'no' and 'yes' of m.json");
	CHECK_STR(read1(&labels, "Yes", buf, sizeof buf),
	    "error 1: d.csv:7:3: target 'Yes' is not one of the classes 'no' and 'yes' of m.json");
	CHECK_STR(read1(&labels, "a\nb", buf, sizeof buf),
	    "error 1: d.csv:7:3: target 'a\\nb' is not one of the classes 'no' and 'yes' of m.json");
	/* the whole label: neither a part of one nor more than one */
	CHECK_STR(read1(&labels, "ye", buf, sizeof buf),
	    "error 1: d.csv:7:3: target 'ye' is not one of the classes 'no' and 'yes' of m.json");
	CHECK_STR(read1(&labels, "", buf, sizeof buf),
	    "error 1: d.csv:7:3: target '' is not one of the classes 'no' and 'yes' of m.json");
	CHECK_STR(read1(&labels, "yes!", buf, sizeof buf),
	    "error 1: d.csv:7:3: target 'yes!' is not one of the classes 'no' and 'yes' of m.json");
	CHECK_STR(read1(&labels3, "versi", buf, sizeof buf),
	    "error 1: d.csv:7:3: target 'versi' is not one of the classes 'setosa', 'versicolor' and 'virginica' of the training set");
	CHECK_STR(read1(&labels3, "virginica", buf, sizeof buf), "2");
	CHECK_STR(read1(&labels3, "iris", buf, sizeof buf),
	    "error 1: d.csv:7:3: target 'iris' is not one of the classes 'setosa', 'versicolor' and 'virginica' of the training set");
	return check_summary("test_target");
}
