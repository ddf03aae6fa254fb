#!/bin/sh
# usage: sh tests/lint.sh TIDY-CHECKS
# Static checks of the sources and man pages: mandoc -Tlint, cppcheck and
# clang-tidy, each a case that fails on any finding.  The last line is
# "lint: P passed, F failed".

checks=$1
passed=0
failed=0
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT

# check NAME CMD...: passes when CMD exits 0 and prints nothing.
check() {
	name=$1
	shift
	"$@" >"$out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && ! [ -s "$out" ]; then
		echo "lint $name: clean"
		passed=$((passed + 1))
	else
		echo "lint $name: FAILED (exit $rc)"
		head -n 20 "$out"
		failed=$((failed + 1))
	fi
}

# mandoc checks .Xr references against the system's mandoc.db, which may lag
# the packages installed (mpirun(1) after make deps): that is not the page's.
man_lint() {
	mandoc -Tlint "$@" 2>&1 | grep -v -E 'outdated mandoc.db lacks [^ ]+ entry, run makewhatis'
	return 0
}
check mandoc man_lint man/mlptrain.1 man/mlppredict.1 man/mlpexport.1
check cppcheck cppcheck --quiet --error-exitcode=1 --std=c99 -Isrc --enable=warning,style,performance,portability \
	--suppress=missingIncludeSystem --suppress=variableScope src/
# clang-tidy prints a count of warnings it hid in system headers on stderr: keep only findings.
tidy() {
	clang-tidy --quiet --checks="$checks" --warnings-as-errors='*' src/*.c -- -std=c99 -D_XOPEN_SOURCE=700 -Isrc \
	    $(mpicc --showme:compile 2>/dev/null) 2>&1 |
		grep -v -E '^[0-9]+ warnings? generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter'
	return 0
}
check clang-tidy tidy
echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
