#!/bin/sh
# Runs every unit-test binary given as an argument, then the end-to-end
# suite, and adds up their closing "NAME: P passed, F failed" lines.  A suite
# that crashes or ends without such a line counts as one failure.
# The last line is "N passed, N failed"; the exit status is 1 on any failure.

passed=0
failed=0
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

for t in "$@"; do
	run_suite "$t"
done
run_suite sh tests/e2e.sh

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
