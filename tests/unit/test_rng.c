/* The generator: splitmix64's published first outputs, ranges, shuffles. */
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
