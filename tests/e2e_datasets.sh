#!/bin/sh
# End-to-end tests of the bundled data sets: build/gen (GEN) regenerates each
# of data/*.csv byte for byte, and refuses a missing or unknown name.  Run
# from the top of the source tree as "sh tests/e2e_datasets.sh"; the variables
# of tests/e2e_lib.sh apply.  The last line is
# "e2e_datasets: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"

# ---- the data sets ----

for set in xor moons rings blobs4 multi flowers shop; do
	t "gen $set reproduces data/$set.csv"
	if expect_status 0 "$GEN" "$set"; then
		same "$tmp/out" "$DATA/$set.csv" "gen $set output against data/$set.csv"
	fi
done

t "gen without a name or with an unknown one exits 2"
expect_status 2 "$GEN" && expect_no_stdout
expect_status 2 "$GEN" nosuchset && expect_no_stdout

e2e_done e2e_datasets
