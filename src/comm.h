/*
 * The workers of one training run and what they do together.  mlptrain -j N
 * runs N workers as threads of one process (comm_threads); mlptrain-mpi runs
 * one per Open MPI rank (comm_mpi.c); plain mlptrain is one worker
 * (comm_solo).  The rest of the program sees only this interface, so both
 * transports run the same code and give the same bits: a transport moves
 * bytes and never adds numbers; every sum is taken here, in worker order.
 * Not for: what is summed or averaged (dataset.c, data.c, train.c).
 *
 * Every worker calls every collective, in the same order, with the same
 * sizes where a size is shared.  A worker that fails keeps calling them
 * until the next comm_agree, which tells every worker that one failed.
 */
#ifndef COMM_H
#define COMM_H

#include <stddef.h>
#include <stdint.h>

struct comm;

struct comm_ops {
	/* Each worker gives len bytes; all[] gets every worker's, worker after worker (size * len). */
	int (*allgather)(struct comm *c, const void *mine, size_t len, void *all);
	/* Each worker gives its own number of bytes; *all (malloc'd) gets them worker after worker, lens[] their sizes. */
	int (*allgatherv)(struct comm *c, const void *mine, size_t len, char **all, size_t *lens);
	/* buf[0..len-1] of worker root, copied to every worker. */
	int (*bcast)(struct comm *c, void *buf, size_t len, int root);
	/* comm_average, the transport's way (the counts are every worker's, known to all). */
	int (*average)(struct comm *c, double *w, size_t n, const double *counts);
	/* Makes room for averages of n weights; the status is every worker's. */
	int (*prepare)(struct comm *c, size_t n);
};

struct comm {
	int rank, size;		/* this worker, of size (0 is the one that writes) */
	int shared;		/* 1: the workers share memory (threads), and a pointer means the same to all */
	const struct comm_ops *ops;
	void *impl;
	int *scratch;		/* (size) for comm_agree, which must not fail for want of memory */
};

/* One worker alone: every collective is a copy or nothing. */
void comm_solo(struct comm *c);
/* The same, shared: for what has no team (NULL stands for it). */
struct comm *comm_alone(void);

/*
 * A team of n threads: comm_threads_new makes the shared part; each thread
 * (the caller as worker 0) gets its own comm from comm_threads_join.
 */
struct team;
struct team *comm_threads_new(int n);
void comm_threads_join(struct team *t, int rank, struct comm *c);
void comm_threads_free(struct team *t);

/*
 * Whether every worker succeeded: gives each worker the status of the
 * first (lowest) worker whose st is not 0, and that worker's number in
 * *who (-1 when all are 0).  The worker *who holds the message to print.
 */
int comm_agree(struct comm *c, int st, int *who);
/*
 * comm_agree, and the message of the worker that failed copied into every
 * worker's err (errlen the same everywhere): every worker can then say it.
 */
int comm_fail(struct comm *c, int st, char *err, size_t errlen);
/* v[0..n-1] becomes the sum over workers, added in worker order: v_0 + v_1 + ... */
int comm_sum(struct comm *c, double *v, size_t n);
/*
 * v[0..n-1] goes from worker to worker in order, each adding its own part
 * with add(ctx, v), and every worker ends with the last's: the additions
 * one worker holding every row would make, in its order, to the bit.
 * Slower than comm_sum (the workers take turns); for what must not depend
 * on the number of workers, as the standardisation statistics.
 */
int comm_chain(struct comm *c, double *v, size_t n, void (*add)(void *ctx, double *v), void *ctx);
/* The same for counts. */
int comm_sum_u64(struct comm *c, uint64_t *v, size_t n);
/* v[0..n-1] becomes the largest over workers. */
int comm_max(struct comm *c, double *v, size_t n);
/*
 * w[0..n-1] (the same length everywhere) becomes, on every worker, the
 * average of the workers' w weighted by counts[q] (every worker's, the same
 * array everywhere): sum_q count_q w_q / sum_q count_q, the products added
 * in worker order and those of count 0 left out; one worker's alone when
 * only it has a count.  When every count is 0, w is left as it is.  Once
 * comm_average_prepare(c, n) has succeeded, it moves data and nothing else
 * (two barriers of the threads, two MPI collectives).
 */
int comm_average(struct comm *c, double *w, size_t n, const double *counts);
int comm_average_prepare(struct comm *c, size_t n);
/*
 * Element i of the average of the n workers' vectors w[q] with their
 * counts: the one arithmetic both transports use, so that they agree to the
 * bit.  total is the sum of the counts, in worker order.
 */
double comm_mix(const double *const *w, size_t i, const double *counts, int n, double total);

#endif
