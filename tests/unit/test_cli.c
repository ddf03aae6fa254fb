/*
 * MLP_SIMD, as both programs read it (cli_simd): auto, generic or avx2, what
 * each picks, and one message for a value they cannot follow.  Not for the
 * kernels' results, which test_model compares loop for loop.
 */
#include "check.h"
#include "cli.h"
#include "kernels.h"
#include "status.h"

int
main(void)
{
	char err[ERRLEN];
	int have, used;

	have = kernel_simd(-1);
	used = -1;
	CHECK(cli_simd(NULL, &used, err, sizeof err) == 0 && used == have);
	used = -1;
	CHECK(cli_simd("", &used, err, sizeof err) == 0 && used == have);
	used = -1;
	CHECK(cli_simd("auto", &used, err, sizeof err) == 0 && used == have);
	used = -1;
	CHECK(cli_simd("generic", &used, err, sizeof err) == 0 && used == 0);
	CHECK(cli_simd("generic", NULL, err, sizeof err) == 0);
	if (have) {
		used = -1;
		CHECK(cli_simd("avx2", &used, err, sizeof err) == 0 && used == 1);
	} else {
		CHECK(cli_simd("avx2", &used, err, sizeof err) == ST_USAGE);
		CHECK_STR(err, "MLP_SIMD is 'avx2', but this CPU (or this build) has no AVX2; use auto or generic");
	}
	CHECK(cli_simd("AVX2", &used, err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "MLP_SIMD is 'AVX2'; expected auto, generic or avx2 (or unset)");
	CHECK(cli_simd("generic ", &used, err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "MLP_SIMD is 'generic '; expected auto, generic or avx2 (or unset)");
	CHECK(cli_simd("0", &used, err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "MLP_SIMD is '0'; expected auto, generic or avx2 (or unset)");
	printf("test_cli: AVX2 %s on this CPU\n", have ? "available" : "not available");
	kernel_simd(-1);
	return check_summary("test_cli");
}
