/*
 * Which records of a CSV file each worker reads.  The file's bytes are cut
 * into P near-equal parts at bytes B_r = floor(r S / P) (S the size); worker
 * r reads the records that start in [B_r, B_{r+1}).  So a worker finds its
 * rows by reading its own part (plus the end of its last record), never the
 * rest of the file: under MPI, each rank's memory holds about 1/P of the
 * data.  A record starts at the start of a line, outside quotes: a worker
 * takes the first line start at or after B_r, and the worker before it,
 * which read up to there, says whether that start was inside a quoted
 * field; if it was, the part starts where that worker's last record ended
 * and is read again.  The same counts give every worker the number of its
 * first line, so messages name the file's real lines.  Not for: what the
 * rows mean (data.c).
 */
#ifndef SHARD_H
#define SHARD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "comm.h"
#include "csvread.h"

/* A worker's part of the file. */
struct shard {
	uint64_t start, end;	/* its records start in bytes [start, end) */
	long line;		/* the file's line number at start */
	int skip;		/* 1: nothing to read, as an earlier part holds an error its worker reports */
};

/* B_r: the byte where worker r's part starts before it is moved to a record's start. */
uint64_t shard_cut(uint64_t size, int parts, int r);

/*
 * Finds the parts of file (a regular file or memory, file->size bytes,
 * called name in messages; fields separated by delim) for every worker
 * of c, and this worker's in *out.  Every worker calls it.  Returns 0; a
 * status (the same on every worker) when a worker could not read the
 * file, with the message on the worker *who; or *stop.
 */
int shard_plan(struct comm *c, const struct csv_src *file, const char *name, int delim,
    const volatile sig_atomic_t *stop, struct shard *out, int *who, char *err, size_t errlen);

#endif
