/*
 * Output files that are never left half-written: a regular file is written
 * under a temporary name in the same directory and renamed over the target
 * only once complete.  "-" (or NULL) is standard output; a target that exists
 * and is not a regular file (a FIFO, /dev/null) is written directly; a
 * symbolic link stays a link and the file it points to is replaced.
 */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stddef.h>
#include <stdio.h>

struct outfile {
	FILE *fp;		/* where to write */
	const char *name;	/* for messages */
	char *target;		/* the file renamed over, or NULL when written directly */
	char *tmp;		/* the temporary file, or NULL */
};

/* Checks, before any long work, that path can be written; 0 or ST_IO with a message. */
int outfile_check(const char *path, char *err, size_t errlen);
/* Opens the output; 0, or ST_IO / ST_NOMEM with a message. */
int outfile_open(struct outfile *o, const char *path, char *err, size_t errlen);
/* Flushes, checks for write errors, syncs and renames into place; 0 or ST_IO. */
int outfile_commit(struct outfile *o, char *err, size_t errlen);
/* Abandons the output: closes and removes the temporary file. */
void outfile_abort(struct outfile *o);

#endif
