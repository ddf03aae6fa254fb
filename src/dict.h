/*
 * The distinct texts of a column: a categorical feature's categories, or
 * the class labels of the target.  Each is counted, remembered where it was
 * first seen, and numbered in the order of first sight; at the end they
 * are sorted.  With several workers, each has its own of every column;
 * dict_pack and dict_merge make the one of the whole file, numbered in the
 * file's order, and say what each worker's numbers became.  Not for: what
 * the texts mean (data.c decides labels and builds the encoding).
 */
#ifndef DICT_H
#define DICT_H

#include <stddef.h>

/* A distinct text. */
struct seen {
	char *text;
	size_t len;
	size_t id;		/* the order it was first seen in */
	size_t count;		/* rows holding it */
	int num;		/* a label that is a number, */
	double value;		/* this one */
	long line;		/* where it was first seen: the field's line, its column (0-based), */
	size_t col;
	long row;		/* and the line its row starts on */
};

struct dict {
	void *root;		/* a tsearch tree of the entries */
	struct seen **v;	/* (n) by id */
	size_t n, cap;
	int labels;		/* the same label by target_label_cmp's rule ("1.0" is "1"), else the same bytes */
};

/*
 * The id of text s[0..len-1] in d, a new one when it is new (where it was
 * seen kept); -1 when out of memory, -2 when d already holds max texts and
 * this is another.
 */
long dict_id(struct dict *d, const char *s, size_t len, long line, size_t col, long row, size_t max);
/* Frees what d holds and empties it. */
void dict_free(struct dict *d);
/* The entries of d in sorted order (numbers by value first, then bytes) (malloc'd), or NULL when out of memory. */
struct seen **dict_sorted(const struct dict *d);

/* Appends d's entries, in id order, to the buffer *buf (*len bytes so far, malloc'd); -1 when out of memory. */
int dict_pack(const struct dict *d, char **buf, size_t *len);
/*
 * Adds the entries of one dict_pack at p (the buffer ending at end) to d:
 * counts added, the first sight kept, so that adding the workers' in their
 * order numbers the texts in the file's order.  With map not NULL, *map
 * (malloc'd) gets the id in d of each packed entry.  Returns the position
 * after them, or NULL (out of memory, or bytes that are not dict_pack's).
 */
const char *dict_merge(struct dict *d, const char *p, const char *end, size_t **map);

#endif
