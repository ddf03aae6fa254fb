/*
 * Which column of a CSV file holds each feature, target, the weight and the
 * kept columns: one mapper for both tools, so that they read a file the same
 * way and say the same things about its columns.
 *
 *  - By roles (mlptrain): -x columns are skipped, -w is the weight, -t the
 *    targets (by default the last ntargets columns left), the rest features.
 *  - By name (mlptrain's validation rows, mlppredict with a header): each
 *    feature and target is the column of its name, in any order.
 *  - By position (mlppredict without a header or names): once the kept
 *    columns (-k) are taken out, n0 features, optionally then nL targets.
 *
 * One rule for repeated header names: a column that is read (a feature, a
 * target, the weight) must be the only one of its name; columns that are only
 * skipped, kept or ignored may share names.
 */
#ifndef COLMAP_H
#define COLMAP_H

#include <stddef.h>

#include "columns.h"

#define COLMAP_NONE ((size_t)-1)

/* A file's columns as its first row shows them. */
struct colfile {
	const char *name;	/* the file, for messages */
	long line;		/* the line of its first row */
	size_t ncols;		/* fields in every row */
	char *const *head;	/* (ncols) the header's names, or NULL without a header */
};

struct colmap {
	size_t nf, nt;		/* features and targets */
	size_t *feature;	/* (nf) the file column of each feature, 0-based, in the model's order */
	size_t *target;		/* (nt) of each target */
	size_t weight;		/* the weight's column, or COLMAP_NONE */
	size_t nk;		/* kept columns (-k) */
	size_t *keep;		/* (nk) */
};

/* What mlptrain's options say of the columns. */
struct colroles {
	const struct colspec *target;	/* -t, or NULL: the last ntargets columns left */
	const struct colspec *ignore;	/* -x, or NULL */
	const struct colspec *weight;	/* -w, or NULL */
	size_t ntargets;
};

/*
 * Maps f's columns by roles.  Returns 0, or with a message in err:
 * ST_USAGE for lists that do not fit the file (see colspec_resolve, and
 * one column in two lists), ST_DATA for too few columns or a repeated
 * name, ST_NOMEM.  Free with colmap_free (also after a failure).
 */
int colmap_roles(struct colmap *cm, const struct colfile *f, const struct colroles *r, char *err, size_t errlen);
/*
 * Maps f's columns by name (f->head must not be NULL): features[0..nf-1]
 * and, unless targets is NULL, targets[0..nt-1]; `of` says whose they are
 * ("m.json"), `why` (or NULL) is added to a missing target's message.
 * Returns 0, or ST_DATA with a message (no such column, two of that name),
 * or ST_NOMEM.
 */
int colmap_names(struct colmap *cm, const struct colfile *f, char *const *features, size_t nf,
    char *const *targets, size_t nt, const char *of, const char *why, char *err, size_t errlen);
/* Resolves -k's list in f into cm->keep; 0, or ST_USAGE with a message (as for -t, -x, -w). */
int colmap_keep(struct colmap *cm, const struct colfile *f, const struct colspec *keep, char *err, size_t errlen);
/*
 * Maps f's columns by position, after colmap_keep: nf features, then nt
 * targets if the row has them (required with need_targets).  0, or ST_DATA
 * with a message, or ST_NOMEM.
 */
int colmap_positions(struct colmap *cm, const struct colfile *f, size_t nf, size_t nt, int need_targets,
    char *err, size_t errlen);
/* Whether head (ncols names) holds every one of names[0..n-1]; -1 when out of memory. */
int colmap_holds(char *const *head, size_t ncols, char *const *names, size_t n);
/* Frees what cm holds and zeroes it; a zeroed cm is fine. */
void colmap_free(struct colmap *cm);

#endif
