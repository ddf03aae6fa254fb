/*
 * The workers as Open MPI ranks (comm.h), for mlptrain-mpi: built only by
 * `make mpi`, with mpicc.  Every collective is a data move of MPI's
 * (MPI_Allgather, MPI_Allgatherv, MPI_Bcast, MPI_Alltoallv), never one of
 * its reductions, whose order of additions MPI leaves open: the sums are
 * comm.c's, in rank order, so the ranks give the bits the threads of
 * mlptrain -j give.  MPI's errors are fatal (MPI_ERRORS_ARE_FATAL, the
 * default): a rank that dies or cannot send takes the job down, and
 * mpirun says which.  Not for: starting processes (mpirun does).
 */
#include <limits.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comm.h"
#include "comm_mpi.h"
#include "status.h"

#define CHUNK (1 << 30)		/* bytes a single MPI call moves at most (its counts are ints) */

/* What averaging needs, kept from one round to the next. */
struct mpi_state {
	double *counts;		/* (size) */
	int *scount, *sdispl, *rcount, *rdispl;	/* (size) */
	double *recv, *mine;	/* (size * the largest share), (the largest share) */
	size_t cap;		/* elements of recv's shares */
	const double **share;	/* (size) */
};

static struct mpi_state state;

static int
mpi_allgather(struct comm *c, const void *mine, size_t len, void *all)
{
	(void)c;
	if (len > INT_MAX)
		MPI_Abort(MPI_COMM_WORLD, ST_NOMEM);
	MPI_Allgather(mine, (int)len, MPI_BYTE, all, (int)len, MPI_BYTE, MPI_COMM_WORLD);
	return 0;
}

static int
mpi_bcast(struct comm *c, void *buf, size_t len, int root)
{
	size_t off, n;

	(void)c;
	for (off = 0; off < len; off += n) {
		n = len - off < CHUNK ? len - off : CHUNK;
		MPI_Bcast((char *)buf + off, (int)n, MPI_BYTE, root, MPI_COMM_WORLD);
	}
	return 0;
}

static int
mpi_allgatherv(struct comm *c, const void *mine, size_t len, char **all, size_t *lens)
{
	uint64_t l = len, *ls = malloc((size_t)c->size * sizeof *ls);
	size_t total = 0, at = 0;
	int q, who, st;

	*all = NULL;
	if ((st = comm_agree(c, ls == NULL ? ST_NOMEM : 0, &who)) != 0 || ls == NULL) {
		free(ls);
		return st != 0 ? st : ST_NOMEM;
	}
	MPI_Allgather(&l, 1, MPI_UINT64_T, ls, 1, MPI_UINT64_T, MPI_COMM_WORLD);
	for (q = 0; q < c->size; q++)
		total += lens[q] = (size_t)ls[q];
	free(ls);
	*all = malloc(total > 0 ? total : 1);
	if ((st = comm_agree(c, *all == NULL ? ST_NOMEM : 0, &who)) != 0 || *all == NULL) {
		free(*all);
		*all = NULL;
		return st != 0 ? st : ST_NOMEM;
	}
	for (q = 0; q < c->size; q++) {	/* each rank's bytes, from it: no count can overflow an int */
		if (q == c->rank && len > 0)
			memcpy(*all + at, mine, len);
		mpi_bcast(c, *all + at, lens[q], q);
		at += lens[q];
	}
	return 0;
}

/* Room for averaging n weights among the ranks. */
static int
reserve(struct comm *c, size_t n)
{
	size_t share = n / (size_t)c->size + 1;
	double *p, *q;

	if (share <= state.cap)
		return 0;
	p = realloc(state.recv, share * (size_t)c->size * sizeof *p);
	if (p != NULL)
		state.recv = p;
	q = realloc(state.mine, share * sizeof *q);
	if (q != NULL)
		state.mine = q;
	if (p == NULL || q == NULL)
		return ST_NOMEM;
	state.cap = share;
	return 0;
}

/*
 * Rank r averages the r-th share of the weights: MPI_Alltoallv brings it
 * every rank's copy of that share, comm_mix averages them in rank order,
 * MPI_Allgatherv gives every rank every share.  Each rank sends and
 * receives about 2 (P - 1) / P of the weights: the cost does not grow
 * with P.
 */
static int
mpi_average(struct comm *c, double *w, size_t n, double count)
{
	size_t lo = n * (size_t)c->rank / (size_t)c->size, hi = n * (size_t)(c->rank + 1) / (size_t)c->size, i;
	double total = 0;
	int q, who, st;

	if (n > INT_MAX)
		MPI_Abort(MPI_COMM_WORLD, ST_NOMEM);
	if ((st = comm_agree(c, reserve(c, n), &who)) != 0)
		return st;
	MPI_Allgather(&count, 1, MPI_DOUBLE, state.counts, 1, MPI_DOUBLE, MPI_COMM_WORLD);
	for (q = 0; q < c->size; q++) {
		total += state.counts[q];
		state.sdispl[q] = (int)(n * (size_t)q / (size_t)c->size);
		state.scount[q] = (int)(n * (size_t)(q + 1) / (size_t)c->size) - state.sdispl[q];
		state.rcount[q] = (int)(hi - lo);
		state.rdispl[q] = (int)((size_t)q * state.cap);
		state.share[q] = state.recv + (size_t)q * state.cap;
	}
	if (total == 0)
		return 0;	/* nobody moved: every rank holds the last average */
	MPI_Alltoallv(w, state.scount, state.sdispl, MPI_DOUBLE, state.recv, state.rcount, state.rdispl, MPI_DOUBLE,
	    MPI_COMM_WORLD);
	for (i = lo; i < hi; i++)
		state.mine[i - lo] = comm_mix(state.share, i - lo, state.counts, c->size, total);
	MPI_Allgatherv(state.mine, (int)(hi - lo), MPI_DOUBLE, w, state.scount, state.sdispl, MPI_DOUBLE, MPI_COMM_WORLD);
	return 0;
}

static const struct comm_ops mpi_ops = { mpi_allgather, mpi_allgatherv, mpi_bcast, mpi_average };

int
comm_mpi_start(int *argc, char ***argv, struct comm *c, char *err, size_t errlen)
{
	int rank, size;

	if (MPI_Init(argc, argv) != MPI_SUCCESS) {
		snprintf(err, errlen, "MPI could not start");
		return ST_IO;
	}
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	c->rank = rank;
	c->size = size;
	c->shared = 0;
	c->ops = &mpi_ops;
	c->impl = &state;
	c->scratch = calloc((size_t)size, sizeof *c->scratch);
	state.counts = calloc((size_t)size, sizeof *state.counts);
	state.scount = calloc((size_t)size, sizeof *state.scount);
	state.sdispl = calloc((size_t)size, sizeof *state.sdispl);
	state.rcount = calloc((size_t)size, sizeof *state.rcount);
	state.rdispl = calloc((size_t)size, sizeof *state.rdispl);
	state.share = calloc((size_t)size, sizeof *state.share);
	if (c->scratch == NULL || state.counts == NULL || state.scount == NULL || state.sdispl == NULL ||
	    state.rcount == NULL || state.rdispl == NULL || state.share == NULL) {
		fprintf(stderr, "mlptrain: rank %d: out of memory\n", rank);
		MPI_Abort(MPI_COMM_WORLD, ST_NOMEM);
	}
	return 0;
}

void
comm_mpi_end(struct comm *c)
{
	free(c->scratch);
	c->scratch = NULL;
	free(state.counts);
	free(state.scount);
	free(state.sdispl);
	free(state.rcount);
	free(state.rdispl);
	free(state.share);
	free(state.recv);
	free(state.mine);
	memset(&state, 0, sizeof state);
	MPI_Finalize();
}
