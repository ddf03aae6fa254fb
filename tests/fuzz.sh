#!/bin/sh
# usage: sh tests/fuzz.sh SECONDS
#        sh tests/fuzz.sh merge
# Runs each libFuzzer target in build/fuzz for SECONDS seconds, starting from
# its seed corpus in tests/fuzz/corpus/NAME (inputs it finds go to
# build/fuzz/corpus-NAME, which git ignores).  A target that reports a crash,
# a leak or a sanitizer error fails; its input is left as build/fuzz/crash-*
# and belongs, once fixed, in tests/fuzz/corpus/NAME as a regression test.
# The last line is "fuzz: P passed, F failed".
#
# With "merge", minimises each seed corpus instead: libFuzzer's -merge=1
# keeps, of tests/fuzz/corpus/NAME and build/fuzz/corpus-NAME, the inputs
# that add coverage, and they replace tests/fuzz/corpus/NAME (named by their
# SHA-1), together with the regression inputs, regress-*, which always stay.

passed=0
failed=0
if [ "${1:-}" = merge ]; then
	for name in model csv layers; do
		new=build/fuzz/merged-$name
		rm -rf "$new"
		mkdir -p "$new" "build/fuzz/corpus-$name"
		if build/fuzz/fuzz_"$name" -merge=1 -max_len=4096 -rss_limit_mb=1024 -timeout=10 "$new" \
		    "tests/fuzz/corpus/$name" "build/fuzz/corpus-$name" >"build/fuzz/merge-$name.log" 2>&1; then
			cp tests/fuzz/corpus/"$name"/regress-* "$new"/ 2>/dev/null
			before=$(ls "tests/fuzz/corpus/$name" | wc -l)
			rm -rf "tests/fuzz/corpus/$name"
			mv "$new" "tests/fuzz/corpus/$name"
			echo "fuzz_$name: $before seed inputs, now $(ls "tests/fuzz/corpus/$name" | wc -l)"
			passed=$((passed + 1))
		else
			echo "fuzz_$name: merge FAILED (build/fuzz/merge-$name.log); the corpus is left as it was"
			failed=$((failed + 1))
		fi
	done
	echo "fuzz: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi
seconds=${1:-20}
for name in model csv layers; do
	mkdir -p "build/fuzz/corpus-$name"
	if build/fuzz/fuzz_"$name" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=1024 \
	    -timeout=10 -artifact_prefix=build/fuzz/ -print_final_stats=1 \
	    "build/fuzz/corpus-$name" "tests/fuzz/corpus/$name" >"build/fuzz/$name.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build/fuzz/$name.log")
		echo "fuzz_$name: ${seconds}s, $runs inputs, no crash"
		passed=$((passed + 1))
	else
		echo "fuzz_$name: FAILED (build/fuzz/$name.log):"
		grep -E 'ERROR|SUMMARY|Test unit written' "build/fuzz/$name.log" | head -n 5
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
