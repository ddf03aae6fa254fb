#!/bin/sh
# usage: sh tests/run.sh [--quick] UNIT-TEST... [-- SANITIZER-UNIT-TEST...]
#        sh tests/run.sh --tsan
# Runs the unit-test binaries and the end-to-end suites on the normal build,
# then, after "--", the sanitizer build's unit tests and the end-to-end suites
# on build/san's programs.  Adds up the suites' closing "NAME: P passed,
# F failed" lines; a suite that crashes or ends without one counts as a
# failure.  With MEMCHECK set, the end-to-end suites run once more under
# Valgrind memcheck; then the static checks (tests/lint.sh, with TIDY_CHECKS);
# with FUZZ_SECONDS set, the fuzz targets run last for that long each.
# --quick (make check) stops after the normal build's suites, whatever the
# environment says.  With TSAN set (make test), the workers' unit test and
# the threaded end-to-end cases run once more on build/tsan's ThreadSanitizer
# build; --tsan (make tsan) runs only those.  The last line is "N passed,
# N failed"; exit status 1 on failure.

passed=0
failed=0
sanitized=
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT

run_suite() {
	"$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	line=$(grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$*: exited $rc without a summary line"
		failed=$((failed + 1))
		return
	fi
	p=$(echo "$line" | sed -E 's/^.*: ([0-9]+) passed, ([0-9]+) failed$/\1/')
	f=$(echo "$line" | sed -E 's/^.*: ([0-9]+) passed, ([0-9]+) failed$/\2/')
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$*: exited $rc"
		failed=$((failed + 1))
	fi
}

# e2e_suites [env VAR=VALUE...]: runs the end-to-end suites, tests/e2e_*.sh
# (the harness, e2e_lib.sh, aside), with that environment.
e2e_suites() {
	for s in tests/e2e_*.sh; do
		[ "$s" = tests/e2e_lib.sh ] || [ ! -f "$s" ] || run_suite "$@" sh "$s"
	done
}

# total: prints the closing line and exits, 1 when anything failed.
total() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

# tsan_suites: the threads under ThreadSanitizer (a race is an error: exit 66).
tsan_suites() {
	echo "--- the workers' threads under ThreadSanitizer ---"
	run_suite env TSAN_OPTIONS="halt_on_error=1 exitcode=66" build/tsan/test_shard
	run_suite env TSAN_OPTIONS="halt_on_error=1 exitcode=66" MLPTRAIN=build/tsan/mlptrain E2E_MPI=0 E2E_SIMD=0 \
		sh tests/e2e_parallel.sh
}

quick=
if [ "${1:-}" = --quick ]; then
	quick=1
	shift
elif [ "${1:-}" = --tsan ]; then
	tsan_suites
	total
fi
san=0
for t in "$@"; do
	if [ "$t" = "--" ]; then
		san=1
		continue
	fi
	if [ $san -eq 0 ]; then
		run_suite "$t"
	else
		sanitized="$sanitized $t"
	fi
done
e2e_suites
[ -z "$quick" ] || total
if [ $san -eq 1 ]; then
	echo "--- again on the sanitizer build (ASan, UBSan) ---"
	for t in $sanitized; do
		run_suite "$t"
	done
	e2e_suites env MLPTRAIN=build/san/mlptrain MLPPREDICT=build/san/mlppredict MLPEXPORT=build/san/mlpexport
fi
[ -z "${TSAN:-}" ] || tsan_suites
if [ -n "${MEMCHECK:-}" ]; then
	echo "--- the end-to-end suites under Valgrind memcheck ---"
	mkdir -p build/vg
	for p in mlptrain mlppredict mlpexport; do
		printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all --show-leak-kinds=all "%s/%s" "$@"\n' \
			"$(pwd)" "$p" >build/vg/$p
		chmod +x build/vg/$p
	done
	e2e_suites env E2E_VALGRIND=1 MLPTRAIN=build/vg/mlptrain MLPPREDICT=build/vg/mlppredict \
		MLPEXPORT=build/vg/mlpexport
fi
echo "--- static checks ---"
run_suite sh tests/lint.sh "$TIDY_CHECKS"
if [ -n "${FUZZ_SECONDS:-}" ]; then
	echo "--- fuzzing, ${FUZZ_SECONDS}s a target ---"
	run_suite sh tests/fuzz.sh "$FUZZ_SECONDS"
fi
total
