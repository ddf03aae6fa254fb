/*
 * The programs' own random generator: splitmix64.  It is portable (the same
 * seed gives the same numbers on every machine) and is passed around by a
 * state pointer; rand() is never used.
 */
#ifndef RNG_H
#define RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t state;
};

/* Seeds the generator; any 64-bit value is a valid seed. */
void rng_seed(struct rng *r, uint64_t seed);
/* Next 64 random bits. */
uint64_t rng_next(struct rng *r);
/* Uniform double in [0, 1): the top 53 bits times 2^-53. */
double rng_uniform(struct rng *r);
/* Uniform integer in [0, n), n > 0, unbiased (rejection sampling). */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Fisher-Yates shuffle of idx[0..n-1] in place. */
void rng_shuffle(struct rng *r, size_t *idx, size_t n);
/* The same draws, and the same order, on row numbers of 32 bits (half the memory of an epoch's order). */
void rng_shuffle32(struct rng *r, uint32_t *idx, size_t n);

#endif
