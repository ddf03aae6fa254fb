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
	int *scount, *sdispl, *rcount, *rdispl;	/* (size) */
	double *recv, *mine;	/* (size * the largest share), (the largest share) */
	size_t cap;		/* elements of recv's shares */
	size_t n;		/* the weights the cuts are for */
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

/* Room for averaging n weights among the ranks: every rank's share, and the cuts. */
static int
mpi_prepare(struct comm *c, size_t n)
{
	size_t share = n / (size_t)c->size + 1;
	double *p = NULL, *q = NULL;
	int r, who, st = 0;

	if (n > INT_MAX)
		st = ST_NOMEM;	/* (MPI's counts are ints) */
	else if (share > state.cap) {
		if ((p = realloc(state.recv, share * (size_t)c->size * sizeof *p)) != NULL)
			state.recv = p;
		if ((q = realloc(state.mine, share * sizeof *q)) != NULL)
			state.mine = q;
		if (p == NULL || q == NULL)
			st = ST_NOMEM;
		else
			state.cap = share;
	}
	if ((st = comm_agree(c, st, &who)) != 0)
		return st;
	for (r = 0; r < c->size; r++) {
		state.sdispl[r] = (int)(n * (size_t)r / (size_t)c->size);
		state.scount[r] = (int)(n * (size_t)(r + 1) / (size_t)c->size) - state.sdispl[r];
		state.rdispl[r] = (int)((size_t)r * state.cap);
		state.share[r] = state.recv + (size_t)r * state.cap;
	}
	for (r = 0; r < c->size; r++)
		state.rcount[r] = state.scount[c->rank];
	state.n = n;
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
mpi_average(struct comm *c, double *w, size_t n, const double *counts)
{
	size_t lo, hi, i;
	double total = 0;
	int q;

	if (n != state.n)
		MPI_Abort(MPI_COMM_WORLD, ST_NOMEM);	/* (comm_average_prepare comes first, for these n) */
	for (q = 0; q < c->size; q++)
		total += counts[q];
	if (total == 0)
		return 0;	/* nobody moved: every rank holds the last average */
	lo = (size_t)state.sdispl[c->rank];
	hi = lo + (size_t)state.scount[c->rank];
	MPI_Alltoallv(w, state.scount, state.sdispl, MPI_DOUBLE, state.recv, state.rcount, state.rdispl, MPI_DOUBLE,
	    MPI_COMM_WORLD);
	for (i = lo; i < hi; i++)
		state.mine[i - lo] = comm_mix(state.share, i - lo, counts, c->size, total);
	MPI_Allgatherv(state.mine, (int)(hi - lo), MPI_DOUBLE, w, state.scount, state.sdispl, MPI_DOUBLE, MPI_COMM_WORLD);
	return 0;
}

static const struct comm_ops mpi_ops = { mpi_allgather, mpi_allgatherv, mpi_bcast, mpi_average, mpi_prepare };

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
	state.scount = calloc((size_t)size, sizeof *state.scount);
	state.sdispl = calloc((size_t)size, sizeof *state.sdispl);
	state.rcount = calloc((size_t)size, sizeof *state.rcount);
	state.rdispl = calloc((size_t)size, sizeof *state.rdispl);
	state.share = calloc((size_t)size, sizeof *state.share);
	if (c->scratch == NULL || state.scount == NULL || state.sdispl == NULL ||
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
