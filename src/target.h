/*
 * A target field, read by one rule in both tools (mlptrain's training and
 * validation rows, mlppredict --eval): with class labels known (from the
 * model, or the training set), one of those labels; without, a number in
 * [0, 1].  Missing values are the callers' to skip or refuse first
 * (csv_is_missing).  Which labels a training file's column holds is decided
 * by data.c, which reads the whole column first.
 */
#ifndef TARGET_H
#define TARGET_H

#include <stddef.h>

struct target_rule {
	char *const *classes;	/* (nclasses) the labels, label k being class k; NULL: numbers */
	size_t nclasses;
	const char *from;	/* where the labels come from, for messages: "m.json" */
	const char *hint;	/* said after "is not a number", or NULL */
};

/*
 * Reads field f[0..len-1], at line:col (col 0-based) of file, as the target
 * value *t: the class's number k for the label of class k (the same label
 * by target_label_cmp), else the number.
 * Returns 0, or ST_DATA / ST_NOMEM with "file:line:col: target 'x' ..." in err.
 */
int target_read(const struct target_rule *r, const char *file, long line, size_t col, const char *f,
    size_t len, double *t, char *err, size_t errlen);
#define TARGET_MAX_CLASSES 1000	/* most class labels a target column may hold */

/*
 * The order of class labels: numbers first, by value, then texts in byte
 * order; 0 when a and b are the same label (the same text, or numbers of
 * the same value: "1" and "1.0").
 */
int target_label_cmp(const char *a, const char *b);
/* The message for a number outside [0, 1] (shown: the field as csv_show shows it); returns ST_DATA. */
int target_outside(const char *file, long line, size_t col, const char *shown, char *err, size_t errlen);

#endif
