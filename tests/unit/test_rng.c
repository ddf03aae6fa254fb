/* The generator: splitmix64's published first outputs, ranges; the shuffle: a known order, uniform, fixed points. */
#include <stdlib.h>

#include "check.h"
#include "rng.h"

int
main(void)
{
	struct rng r;
	size_t idx[50], seen[50], i, k, counts[3] = { 0, 0, 0 };
	double u, lo = 1, hi = 0;

	/* The first three outputs of splitmix64 from seed 0, as published with the algorithm. */
	rng_seed(&r, 0);
	CHECK(rng_next(&r) == UINT64_C(0xe220a8397b1dcdaf));
	CHECK(rng_next(&r) == UINT64_C(0x6e789e6aa1b965f4));
	CHECK(rng_next(&r) == UINT64_C(0x06c45d188009454f));

	rng_seed(&r, 42);
	for (i = 0; i < 100000; i++) {
		u = rng_uniform(&r);
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
		counts[rng_below(&r, 3)]++;
	}
	CHECK(lo >= 0 && lo < 0.001);
	CHECK(hi < 1 && hi > 0.999);
	for (i = 0; i < 3; i++)
		CHECK_MSG(counts[i] > 32000 && counts[i] < 34700, "count[%zu] = %zu", i, counts[i]);
	CHECK(rng_below(&r, 1) == 0);

	/* A shuffle is a permutation, and not the identity. */
	for (i = 0; i < 50; i++)
		idx[i] = i;
	rng_shuffle(&r, idx, 50);
	memset(seen, 0, sizeof seen);
	for (i = 0, k = 0; i < 50; i++) {
		seen[idx[i]]++;
		k += idx[i] == i;
	}
	for (i = 0; i < 50; i++)
		CHECK(seen[i] == 1);
	CHECK(k < 50);

	/* The 32-bit shuffle (an epoch's order) draws the same and gives the same order, and leaves r alike. */
	{
		struct rng a, b;
		uint32_t small[50];
		size_t n, diff = 0;

		for (n = 0; n <= 50; n++) {
			rng_seed(&a, 1000 + n);
			rng_seed(&b, 1000 + n);
			for (i = 0; i < n; i++) {
				idx[i] = i;
				small[i] = (uint32_t)i;
			}
			rng_shuffle(&a, idx, n);
			rng_shuffle32(&b, small, n);
			for (i = 0; i < n; i++)
				diff += idx[i] != small[i];
			diff += a.state != b.state;
		}
		CHECK(diff == 0);
	}

	/*
	 * Fisher-Yates: for i = n down to 2, swap position i-1 with a j drawn
	 * from [0, i-1], i itself included.  Seed 7 and n = 10 give this order
	 * (worked out apart from this code, in Python, from splitmix64 and the
	 * rejection of rng_below); 1 stays in place, as Sattolo's variant
	 * (j < i-1) never lets a row stay.
	 */
	{
		static const size_t want[10] = { 8, 1, 5, 9, 0, 4, 3, 2, 6, 7 };
		size_t perm[6] = { 0, 0, 0, 0, 0, 0 }, fixed = 0, p;

		rng_seed(&r, 7);
		for (i = 0; i < 10; i++)
			idx[i] = i;
		rng_shuffle(&r, idx, 10);
		for (i = 0; i < 10; i++)
			CHECK_MSG(idx[i] == want[i], "position %zu holds %zu, want %zu", i, idx[i], want[i]);
		/* every order of 3 equally likely (1/6), and 1 fixed point a shuffle on average */
		rng_seed(&r, 11);
		for (k = 0; k < 60000; k++) {
			idx[0] = 0;
			idx[1] = 1;
			idx[2] = 2;
			rng_shuffle(&r, idx, 3);
			fixed += (size_t)(idx[0] == 0) + (size_t)(idx[1] == 1) + (size_t)(idx[2] == 2);
			p = idx[0] * 2 + (size_t)(idx[1] > idx[2]);	/* the rank of the order: 0..5 */
			perm[p]++;
		}
		for (p = 0; p < 6; p++)
			CHECK_MSG(perm[p] > 9500 && perm[p] < 10500, "order %zu of 3 drawn %zu times of 60000", p, perm[p]);
		CHECK_MSG(fixed > 58500 && fixed < 61500, "%zu fixed points in 60000 shuffles of 3", fixed);
	}

	/* The same seed gives the same stream. */
	{
		struct rng a, b;

		rng_seed(&a, 7);
		rng_seed(&b, 7);
		for (i = 0; i < 10; i++)
			CHECK(rng_next(&a) == rng_next(&b));
	}
	return check_summary("test_rng");
}
