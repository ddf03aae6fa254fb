/*
 * The collectives of comm.h: the sums and the agreement, on top of the
 * transports' data moves; the one worker alone (comm_solo); and the team of
 * threads (comm_threads_*), which shares its workers' memory: a collective
 * is a barrier, copies from the other workers' buffers, and a barrier.
 * The barrier spins for a few microseconds, as a round of training ends
 * on every core at about the same time, then sleeps on a condition
 * variable, so a worker waiting for a slow one costs no core.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "comm.h"
#include "status.h"

#define SPINS 4000		/* checks of the barrier before yielding, then sleeping */
#define YIELDS 64

double
comm_mix(const double *const *w, size_t i, const double *counts, int n, double total)
{
	double acc = 0;
	int q, only = -1, many = 0;

	for (q = 0; q < n; q++)
		if (counts[q] > 0) {
			many += only >= 0;
			only = q;
		}
	if (only < 0)
		return w[0][i];	/* nobody moved: the weights are still the last average */
	if (!many)
		return w[only][i];
	for (q = 0; q < n; q++)
		if (counts[q] > 0)
			acc += counts[q] * w[q][i];
	return acc / total;
}

/* ---- one worker ---- */

static int
solo_allgather(struct comm *c, const void *mine, size_t len, void *all)
{
	(void)c;
	if (len > 0)
		memcpy(all, mine, len);
	return 0;
}

static int
solo_allgatherv(struct comm *c, const void *mine, size_t len, char **all, size_t *lens)
{
	(void)c;
	if ((*all = malloc(len > 0 ? len : 1)) == NULL)
		return ST_NOMEM;
	if (len > 0)
		memcpy(*all, mine, len);
	lens[0] = len;
	return 0;
}

static int
solo_bcast(struct comm *c, void *buf, size_t len, int root)
{
	(void)c;
	(void)buf;
	(void)len;
	(void)root;
	return 0;
}

static int
solo_average(struct comm *c, double *w, size_t n, const double *counts)
{
	(void)c;
	(void)w;
	(void)n;
	(void)counts;
	return 0;
}

static int
nothing_to_prepare(struct comm *c, size_t n)
{
	(void)c;
	(void)n;
	return 0;
}

static const struct comm_ops solo_ops = {
	solo_allgather, solo_allgatherv, solo_bcast, solo_average, nothing_to_prepare
};

static struct comm alone = { 0, 1, 1, &solo_ops, NULL, NULL };

struct comm *
comm_alone(void)
{
	return &alone;
}

void
comm_solo(struct comm *c)
{
	c->rank = 0;
	c->size = 1;
	c->shared = 1;
	c->ops = &solo_ops;
	c->impl = NULL;
	c->scratch = NULL;
}

/* ---- a team of threads ---- */

struct team {
	int n;
	unsigned arrived;	/* the barrier: workers arrived in this generation */
	unsigned gen;
	int sleepers;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	const void **slot;	/* (n) what each worker gives to a collective */
	size_t *len;		/* (n) its size */
	int *failed;		/* (n) allgatherv: 1 when the worker could not make room */
	int *scratch;		/* (n * n) each worker's comm scratch */
};

static void
barrier(struct team *t)
{
	unsigned g = __atomic_load_n(&t->gen, __ATOMIC_ACQUIRE);
	int k;

	if (__atomic_add_fetch(&t->arrived, 1, __ATOMIC_ACQ_REL) == (unsigned)t->n) {
		__atomic_store_n(&t->arrived, 0, __ATOMIC_RELAXED);
		pthread_mutex_lock(&t->lock);
		__atomic_store_n(&t->gen, g + 1, __ATOMIC_RELEASE);
		if (t->sleepers > 0)
			pthread_cond_broadcast(&t->wake);
		pthread_mutex_unlock(&t->lock);
		return;
	}
	for (k = 0; k < SPINS + YIELDS; k++) {
		if (__atomic_load_n(&t->gen, __ATOMIC_ACQUIRE) != g)
			return;
		if (k >= SPINS)
			sched_yield();
	}
	pthread_mutex_lock(&t->lock);
	t->sleepers++;
	while (__atomic_load_n(&t->gen, __ATOMIC_ACQUIRE) == g)
		pthread_cond_wait(&t->wake, &t->lock);
	t->sleepers--;
	pthread_mutex_unlock(&t->lock);
}

static int
team_allgather(struct comm *c, const void *mine, size_t len, void *all)
{
	struct team *t = c->impl;
	int q;

	t->slot[c->rank] = mine;
	barrier(t);
	for (q = 0; q < t->n; q++)
		if (len > 0)
			memcpy((char *)all + (size_t)q * len, t->slot[q], len);
	barrier(t);
	return 0;
}

static int
team_allgatherv(struct comm *c, const void *mine, size_t len, char **all, size_t *lens)
{
	struct team *t = c->impl;
	size_t total = 0, at = 0;
	int q, st = 0;

	t->slot[c->rank] = mine;
	t->len[c->rank] = len;
	barrier(t);
	for (q = 0; q < t->n; q++)
		total += lens[q] = t->len[q];
	*all = malloc(total > 0 ? total : 1);
	t->failed[c->rank] = *all == NULL;
	barrier(t);
	for (q = 0; q < t->n; q++)
		if (t->failed[q])
			st = ST_NOMEM;
	for (q = 0; st == 0 && *all != NULL && q < t->n; q++) {
		if (lens[q] > 0)
			memcpy(*all + at, t->slot[q], lens[q]);
		at += lens[q];
	}
	barrier(t);
	if (st != 0) {
		free(*all);
		*all = NULL;
	}
	return st;
}

static int
team_bcast(struct comm *c, void *buf, size_t len, int root)
{
	struct team *t = c->impl;

	if (c->rank == root)
		t->slot[root] = buf;
	barrier(t);
	if (c->rank != root && len > 0)
		memcpy(buf, t->slot[root], len);
	barrier(t);
	return 0;
}

/*
 * Each worker computes its share of the elements from every worker's
 * vector and writes the result into all of them: no worker reads or
 * writes another's share, and no buffer is needed.
 */
static int
team_average(struct comm *c, double *w, size_t n, const double *counts)
{
	struct team *t = c->impl;
	size_t lo = n * (size_t)c->rank / (size_t)t->n, hi = n * (size_t)(c->rank + 1) / (size_t)t->n, i;
	double total = 0, x;
	int q;

	for (q = 0; q < t->n; q++)
		total += counts[q];
	if (total == 0)
		return 0;	/* nobody moved: every worker holds the last average (and none waits) */
	t->slot[c->rank] = w;
	barrier(t);
	for (i = lo; i < hi; i++) {
		x = comm_mix((const double *const *)t->slot, i, counts, t->n, total);
		for (q = 0; q < t->n; q++)
			((double *)(uintptr_t)t->slot[q])[i] = x;
	}
	barrier(t);
	return 0;
}

static const struct comm_ops team_ops = {
	team_allgather, team_allgatherv, team_bcast, team_average, nothing_to_prepare
};

struct team *
comm_threads_new(int n)
{
	struct team *t = calloc(1, sizeof *t);

	if (t == NULL)
		return NULL;
	t->n = n;
	t->slot = calloc((size_t)n, sizeof *t->slot);
	t->len = calloc((size_t)n, sizeof *t->len);
	t->failed = calloc((size_t)n, sizeof *t->failed);
	t->scratch = calloc((size_t)n * (size_t)n, sizeof *t->scratch);
	if (t->slot == NULL || t->len == NULL || t->failed == NULL || t->scratch == NULL ||
	    pthread_mutex_init(&t->lock, NULL) != 0) {
		free(t->slot);
		free(t->len);
		free(t->failed);
		free(t->scratch);
		free(t);
		return NULL;
	}
	if (pthread_cond_init(&t->wake, NULL) != 0) {
		pthread_mutex_destroy(&t->lock);
		t->n = 0;
		comm_threads_free(t);
		return NULL;
	}
	return t;
}

void
comm_threads_join(struct team *t, int rank, struct comm *c)
{
	c->rank = rank;
	c->size = t->n;
	c->shared = 1;
	c->ops = &team_ops;
	c->impl = t;
	c->scratch = t->scratch + (size_t)rank * (size_t)t->n;
}

void
comm_threads_free(struct team *t)
{
	if (t == NULL)
		return;
	if (t->n > 0) {
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
	}
	free(t->slot);
	free(t->len);
	free(t->failed);
	free(t->scratch);
	free(t);
}

/* ---- the collectives built on the transports ---- */

int
comm_agree(struct comm *c, int st, int *who)
{
	int q, r;

	*who = st != 0 ? c->rank : -1;
	if (c->size == 1)
		return st;
	if ((r = c->ops->allgather(c, &st, sizeof st, c->scratch)) != 0)
		return r;
	*who = -1;
	for (q = 0; q < c->size; q++)
		if (c->scratch[q] != 0) {
			*who = q;
			return c->scratch[q];
		}
	return 0;
}

int
comm_fail(struct comm *c, int st, char *err, size_t errlen)
{
	int who, r;

	st = comm_agree(c, st, &who);
	if (st != 0 && c->size > 1 && (r = c->ops->bcast(c, err, errlen, who)) != 0)
		return r;
	return st;
}

/* All workers' v, worker after worker, in *all (malloc'd); every worker fails when one has no room. */
static int
gather(struct comm *c, const void *v, size_t bytes, char **all)
{
	int who, st;

	*all = malloc(bytes * (size_t)c->size);
	if ((st = comm_agree(c, *all == NULL ? ST_NOMEM : 0, &who)) != 0 || *all == NULL)
		return st != 0 ? st : ST_NOMEM;
	return c->ops->allgather(c, v, bytes, *all);
}

int
comm_sum(struct comm *c, double *v, size_t n)
{
	const double *x;
	char *all;
	size_t i;
	int q, st;

	if (c->size == 1 || n == 0)
		return 0;
	if ((st = gather(c, v, n * sizeof *v, &all)) == 0)
		for (i = 0; i < n; i++) {
			x = (const double *)(const void *)all;
			v[i] = x[i];
			for (q = 1; q < c->size; q++)
				v[i] += x[(size_t)q * n + i];
		}
	free(all);
	return st;
}

int
comm_chain(struct comm *c, double *v, size_t n, void (*add)(void *ctx, double *v), void *ctx)
{
	int q, st;

	for (q = 0; q < c->size; q++) {
		if (q == c->rank)
			add(ctx, v);
		if (c->size > 1 && (st = c->ops->bcast(c, v, n * sizeof *v, q)) != 0)
			return st;
	}
	return 0;
}

int
comm_sum_u64(struct comm *c, uint64_t *v, size_t n)
{
	const uint64_t *x;
	char *all;
	size_t i;
	int q, st;

	if (c->size == 1 || n == 0)
		return 0;
	if ((st = gather(c, v, n * sizeof *v, &all)) == 0)
		for (i = 0; i < n; i++) {
			x = (const uint64_t *)(const void *)all;
			for (v[i] = 0, q = 0; q < c->size; q++)
				v[i] += x[(size_t)q * n + i];
		}
	free(all);
	return st;
}

int
comm_max(struct comm *c, double *v, size_t n)
{
	const double *x;
	char *all;
	size_t i;
	int q, st;

	if (c->size == 1 || n == 0)
		return 0;
	if ((st = gather(c, v, n * sizeof *v, &all)) == 0)
		for (i = 0; i < n; i++) {
			x = (const double *)(const void *)all;
			for (q = 0; q < c->size; q++)
				if (x[(size_t)q * n + i] > v[i])
					v[i] = x[(size_t)q * n + i];
		}
	free(all);
	return st;
}

int
comm_average(struct comm *c, double *w, size_t n, const double *counts)
{
	if (c->size == 1)
		return 0;
	return c->ops->average(c, w, n, counts);
}

int
comm_average_prepare(struct comm *c, size_t n)
{
	return c->ops->prepare(c, n);
}
