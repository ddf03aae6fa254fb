/* The column mapper: roles, names, positions, kept columns, and the one rule for repeated names. */
#include <stdlib.h>

#include "check.h"
#include "colmap.h"
#include "status.h"

/* The mapping as text, "f=2,3 t=5 w=1 k=" (1-based), or "error N: message". */
static const char *
show_map(const struct colmap *cm, int st, const char *err, char *out, size_t outlen)
{
	size_t i, used;

	if (st != 0) {
		snprintf(out, outlen, "error %d: %s", st, err);
		return out;
	}
	used = (size_t)snprintf(out, outlen, "f=");
	for (i = 0; i < cm->nf; i++)
		used += (size_t)snprintf(out + used, outlen - used, "%s%zu", i ? "," : "", cm->feature[i] + 1);
	used += (size_t)snprintf(out + used, outlen - used, " t=");
	for (i = 0; i < cm->nt; i++)
		used += (size_t)snprintf(out + used, outlen - used, "%s%zu", i ? "," : "", cm->target[i] + 1);
	used += (size_t)snprintf(out + used, outlen - used, " w=");
	if (cm->weight != COLMAP_NONE)
		used += (size_t)snprintf(out + used, outlen - used, "%zu", cm->weight + 1);
	used += (size_t)snprintf(out + used, outlen - used, " k=");
	for (i = 0; i < cm->nk; i++)
		used += (size_t)snprintf(out + used, outlen - used, "%s%zu", i ? "," : "", cm->keep[i] + 1);
	return out;
}

/* Maps by roles: -t, -x, -w as given ("" for none), ntargets, against head (or none) of n columns. */
static const char *
roles(char *const *head, size_t n, const char *t, const char *x, const char *w, size_t nt, char *out, size_t outlen)
{
	struct colspec ts, xs, ws;
	struct colroles r = { NULL, NULL, NULL, nt };
	struct colfile f = { "d.csv", 1, n, head };
	struct colmap cm;
	char err[512] = "";
	int st;

	memset(&cm, 0, sizeof cm);
	if (*t && colspec_parse("-t", t, &ts, err, sizeof err) == 0)
		r.target = &ts;
	if (*x && colspec_parse("-x", x, &xs, err, sizeof err) == 0)
		r.ignore = &xs;
	if (*w && colspec_parse("-w", w, &ws, err, sizeof err) == 0)
		r.weight = &ws;
	st = colmap_roles(&cm, &f, &r, err, sizeof err);
	show_map(&cm, st, err, out, outlen);
	colmap_free(&cm);
	if (r.target)
		colspec_free(&ts);
	if (r.ignore)
		colspec_free(&xs);
	if (r.weight)
		colspec_free(&ws);
	return out;
}

static const char *
names(char *const *head, size_t n, char *const *feat, size_t nf, char *const *targ, size_t nt, char *out,
    size_t outlen)
{
	struct colfile f = { "d.csv", 1, n, head };
	struct colmap cm;
	char err[512] = "";
	int st;

	memset(&cm, 0, sizeof cm);
	st = colmap_names(&cm, &f, feat, nf, targ, nt, "m.json", ", which --eval needs", err, sizeof err);
	show_map(&cm, st, err, out, outlen);
	colmap_free(&cm);
	return out;
}

static const char *
positions(char *const *head, size_t n, const char *keep, size_t nf, size_t nt, int need, char *out, size_t outlen)
{
	struct colfile f = { "d.csv", 4, n, head };
	struct colspec ks;
	struct colmap cm;
	char err[512] = "";
	int st;

	memset(&cm, 0, sizeof cm);
	colspec_parse("-k", keep, &ks, err, sizeof err);
	if ((st = colmap_keep(&cm, &f, *keep ? &ks : NULL, err, sizeof err)) == 0)
		st = colmap_positions(&cm, &f, nf, nt, need, err, sizeof err);
	show_map(&cm, st, err, out, outlen);
	colmap_free(&cm);
	colspec_free(&ks);
	return out;
}

int
main(void)
{
	static char *head[] = { "id", "x1", "x2", "w", "y" };
	static char *dup[] = { "note", "x1", "note", "x2", "y" };
	static char *dup2[] = { "x", "x", "y", "y", "z" };
	static char *feat[] = { "x2", "x1" }, *targ[] = { "y" }, *nope[] = { "x3" }, *notes[] = { "note" };
	char buf[600];

	/* roles: the last columns are targets, -x and -w taken out first; -t in the order given */
	CHECK_STR(roles(head, 5, "", "", "", 1, buf, sizeof buf), "f=1,2,3,4 t=5 w= k=");
	CHECK_STR(roles(head, 5, "", "id", "w", 1, buf, sizeof buf), "f=2,3 t=5 w=4 k=");
	CHECK_STR(roles(head, 5, "", "id,y", "", 1, buf, sizeof buf), "f=2,3 t=4 w= k=");
	CHECK_STR(roles(head, 5, "y,x1", "", "", 1, buf, sizeof buf), "f=1,3,4 t=5,2 w= k=");
	CHECK_STR(roles(head, 5, "", "", "", 2, buf, sizeof buf), "f=1,2,3 t=4,5 w= k=");
	CHECK_STR(roles(NULL, 5, "", "1", "4", 1, buf, sizeof buf), "f=2,3 t=5 w=4 k=");
	CHECK_STR(roles(head, 5, "y", "y", "", 1, buf, sizeof buf), "error 2: -x and -t both name column 'y'");
	CHECK_STR(roles(head, 5, "", "", "x1,x2", 1, buf, sizeof buf),
	    "error 2: -w: 'x1,x2' names 2 columns; the weight is one column");
	CHECK_STR(roles(head, 5, "", "", "", 5, buf, sizeof buf),
	    "error 1: d.csv:1: 5 columns: too few for 5 targets and at least one feature");
	CHECK_STR(roles(head, 5, "", "1-4", "", 1, buf, sizeof buf),
	    "error 1: d.csv:1: 5 columns (some skipped by -x or -w): too few for 1 target and at least one feature");

	/* repeated names: an error when a read column has the name, not when only skipped ones do */
	CHECK_STR(roles(dup, 5, "", "", "", 1, buf, sizeof buf),
	    "error 1: d.csv:1: columns 1 and 3 are both named 'note' (feature 1); rename one of them");
	CHECK_STR(roles(dup, 5, "", "3", "", 1, buf, sizeof buf),
	    "error 1: d.csv:1: columns 1 and 3 are both named 'note' (feature 1); rename one of them");
	CHECK_STR(roles(dup, 5, "", "1,3", "", 1, buf, sizeof buf), "f=2,4 t=5 w= k=");
	CHECK_STR(roles(dup, 5, "", "1", "3", 1, buf, sizeof buf),
	    "error 1: d.csv:1: columns 1 and 3 are both named 'note' (the weight); rename one of them");
	CHECK_STR(roles(dup2, 5, "", "1", "", 1, buf, sizeof buf),	/* the first read column's name first */
	    "error 1: d.csv:1: columns 1 and 2 are both named 'x' (feature 1); rename one of them");
	CHECK_STR(roles(dup2, 5, "", "1,2", "", 1, buf, sizeof buf),
	    "error 1: d.csv:1: columns 3 and 4 are both named 'y' (feature 1); rename one of them");
	CHECK_STR(roles(dup2, 5, "4", "1,2", "", 1, buf, sizeof buf),
	    "error 1: d.csv:1: columns 3 and 4 are both named 'y' (feature 1); rename one of them");
	CHECK_STR(roles(dup2, 5, "4", "1,2,3", "", 1, buf, sizeof buf),
	    "error 1: d.csv:1: columns 3 and 4 are both named 'y' (target 1); rename one of them");
	CHECK_STR(roles(NULL, 5, "", "", "", 1, buf, sizeof buf), "f=1,2,3,4 t=5 w= k=");	/* no names, no rule */

	/* by name, in the order asked, other columns ignored (repeated or not) */
	CHECK_STR(names(head, 5, feat, 2, targ, 1, buf, sizeof buf), "f=3,2 t=5 w= k=");
	CHECK_STR(names(head, 5, feat, 2, NULL, 1, buf, sizeof buf), "f=3,2 t= w= k=");
	CHECK_STR(names(dup, 5, feat + 1, 1, targ, 1, buf, sizeof buf), "f=2 t=5 w= k=");
	CHECK_STR(names(head, 5, nope, 1, NULL, 0, buf, sizeof buf), "error 1: d.csv:1: no column 'x3' (feature 1 of m.json)");
	CHECK_STR(names(head, 5, feat, 2, nope, 1, buf, sizeof buf),
	    "error 1: d.csv:1: no column 'x3' (target 1 of m.json), which --eval needs");
	CHECK_STR(names(dup, 5, notes, 1, NULL, 0, buf, sizeof buf),
	    "error 1: d.csv:1: columns 1 and 3 are both named 'note' (feature 1 of m.json); rename one of them");
	CHECK(colmap_holds(head, 5, feat, 2) == 1);
	CHECK(colmap_holds(head, 5, nope, 1) == 0);

	/* by position: the kept columns out, then the features, then the targets if there */
	CHECK_STR(positions(head, 5, "", 4, 1, 0, buf, sizeof buf), "f=1,2,3,4 t= w= k=");
	CHECK_STR(positions(head, 5, "", 4, 1, 1, buf, sizeof buf), "f=1,2,3,4 t=5 w= k=");
	CHECK_STR(positions(head, 5, "id,w", 2, 1, 1, buf, sizeof buf), "f=2,3 t=5 w= k=1,4");
	CHECK_STR(positions(NULL, 5, "1", 4, 1, 0, buf, sizeof buf), "f=2,3,4,5 t= w= k=1");
	CHECK_STR(positions(head, 5, "", 2, 1, 0, buf, sizeof buf),
	    "error 1: d.csv:4: 5 fields, but the model takes 2 features (optionally followed by 1 target)");
	CHECK_STR(positions(head, 5, "1", 2, 1, 0, buf, sizeof buf),
	    "error 1: d.csv:4: 5 fields, but the model takes 2 features (optionally followed by 1 target) besides the 1 column of -k");
	CHECK_STR(positions(head, 5, "", 5, 1, 1, buf, sizeof buf),
	    "error 1: d.csv:4: --eval needs the targets, but the rows hold only the 5 features");
	CHECK_STR(positions(head, 5, "nope", 4, 1, 0, buf, sizeof buf),
	    "error 2: -k: d.csv has no column 'nope'; its columns are 'id', 'x1', 'x2', 'w', 'y'");
	return check_summary("test_colmap");
}
