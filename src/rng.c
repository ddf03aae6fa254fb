/*
 * splitmix64 (Steele, Lea and Flood, 2014): a 64-bit counter stepped by the
 * golden-ratio constant, passed through a bijective mixing function.
 */
#include "rng.h"

void
rng_seed(struct rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t z;

	r->state += UINT64_C(0x9e3779b97f4a7c15);
	z = r->state;
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

double
rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t
rng_below(struct rng *r, uint64_t n)
{
	/* Reject the top partial block of 2^64 so that every residue is equally likely. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;

	do
		x = rng_next(r);
	while (x >= limit);
	return x % n;
}

void
rng_shuffle32(struct rng *r, uint32_t *idx, size_t n)
{
	size_t i, j;
	uint32_t tmp;

	for (i = n; i > 1; i--) {
		j = (size_t)rng_below(r, i);
		tmp = idx[i - 1];
		idx[i - 1] = idx[j];
		idx[j] = tmp;
	}
}

void
rng_shuffle(struct rng *r, size_t *idx, size_t n)
{
	size_t i, j, tmp;

	for (i = n; i > 1; i--) {
		j = (size_t)rng_below(r, i);
		tmp = idx[i - 1];
		idx[i - 1] = idx[j];
		idx[j] = tmp;
	}
}
