/*
 * A two-thread pipeline over a ring of batches, for mlppredict: the
 * caller's thread (the READER) fills batches in order and hands them over;
 * a worker thread (the WORKER) runs a function on each, in the same order,
 * and gives the slot back.  What a batch holds and what the function does
 * are the caller's (score.c); this file is only the hand-over, the waiting,
 * failures, interrupts and the end.  pipeline.c describes the protocol.
 *
 * With one thread (asked for, or when the worker cannot be created) there
 * is one slot, and handing it over runs the function at once.
 *
 * Use: pipeline_new, pipeline_start; for every batch pipeline_next, fill it,
 * pipeline_hand_over; then always pipeline_end, and pipeline_free.
 */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <signal.h>
#include <stddef.h>

#define PIPELINE_SLOTS 4	/* batches in the ring, with two threads */

/* Runs in the worker on each batch handed over: 0, or a status with a message in err (ERRLEN). */
typedef int (*pipeline_work)(void *ctx, void *batch, char *err, size_t errlen);

/* What pipeline_next saw, for the caller to balance the work between the threads. */
enum {
	PIPELINE_FULL = 1,	/* the ring was full: the reader had to wait */
	PIPELINE_STARVED = 2	/* the worker waited for a batch since the last one */
};

struct pipeline;

/*
 * A pipeline over the batches slot[0..PIPELINE_SLOTS-1] (slot[0] alone
 * with one thread), on cache lines of their own, running work(ctx, batch).
 * NULL when out of memory.
 */
struct pipeline *pipeline_new(void *const *slot, pipeline_work work, void *ctx);
/* Starts the worker unless threads is 1; returns the threads in use, 2 or 1. */
int pipeline_start(struct pipeline *p, int threads);
/*
 * The batch to fill next, once there is room (waiting while *stop is 0):
 * NULL with *st set when the worker failed (ST_IO, "output failed", a
 * message pipeline_end replaces) or *stop was set (*st = *stop).  *seen
 * gets PIPELINE_FULL and PIPELINE_STARVED as they apply.
 */
void *pipeline_next(struct pipeline *p, const volatile sig_atomic_t *stop, int *seen, int *st, char *err,
    size_t errlen);
/* Hands the batch pipeline_next gave over.  With one thread, runs the work on it: its status. */
int pipeline_hand_over(struct pipeline *p, char *err, size_t errlen);
/* 1 when the worker has failed (its message comes from pipeline_end). */
int pipeline_failed(struct pipeline *p);
/*
 * Ends the pipeline: st is the status the reading ended with.  With
 * partial set, the batch being filled is handed over first (the rows before
 * a failure are done).  Waits for the worker and joins it.  Returns the
 * status of the whole run: the worker's failure (an earlier batch's) beats
 * st; an interrupt (*stop) while the last batches run gives *stop; err then
 * holds the matching message.  With one thread, returns st.
 */
int pipeline_end(struct pipeline *p, int st, int partial, const volatile sig_atomic_t *stop, char *err,
    size_t errlen);
/* Frees p (ending it first if pipeline_end was not called); NULL is fine. */
void pipeline_free(struct pipeline *p);

#endif
