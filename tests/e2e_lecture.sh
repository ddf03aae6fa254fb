#!/bin/sh
# End-to-end tests against tests/ref_lecture.c, an independent implementation
# of the lecture's plain SGD: mlptrain -Z -S trains to the weights it
# computes, a warm start (-i) continues exactly, and standardised training
# equals plain SGD on standardised data.  REF names the program
# (build/ref_lecture; without one, a private copy is compiled).  Run from the
# top of the source tree as "sh tests/e2e_lecture.sh"; the variables of
# tests/e2e_lib.sh apply.  The last line is "e2e_lecture: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"

# ---- agreement with the independent implementation of the lecture ----

# ref_lecture START DATA EPOCHS RATE TRAINED retrains START by plain SGD over
# DATA in file order, without standardisation, and compares with TRAINED.
if [ -n "${REF:-}" ]; then
	REF=$(abs_prog "$REF")
else
	REF=$ROOT/build/ref_lecture
	# Without a build of it (make test makes one), compile a private copy.
	if [ ! -x "$REF" ] && [ -f "$ROOT/tests/ref_lecture.c" ] &&
	    ${CC:-cc} -std=c99 -O2 -o "$tmp/ref_lecture" "$ROOT/tests/ref_lecture.c" -lcjson -lm 2>/dev/null; then
		REF=$tmp/ref_lecture
	fi
fi

# agree NAME LAYERS EPOCHS RATE DATA: mlptrain -Z -S against ref_lecture.
agree() {
	t "$1: mlptrain -Z -S -l $2 -e $3 -r $4 agrees with ref_lecture"
	if [ ! -x "$REF" ]; then
		fail "$REF is missing (make build/ref_lecture)"
		return
	fi
	"$MLPTRAIN" -q -Z -S -e 0 -l "$2" "$5" >start.json 2>start.err || { fail "start model: $(cat start.err)"; return; }
	expect_status 0 "$MLPTRAIN" -q -Z -S -e "$3" -r "$4" -l "$2" "$5" || return
	cp "$tmp/out" trained.json
	expect_status 0 "$REF" start.json "$5" "$3" "$4" trained.json || show "$tmp/out"
}
agree xor 2,4,1 200 0.5 "$xor"
agree moons 2,5,3,1 5 0.1 "$moons"
agree multi 3,4,2 5 0.3 "$multi"

t "a warm start (-i) continues exactly where the model left off"
if [ -x "$REF" ]; then
	"$MLPTRAIN" -q -Z -S -e 5 -r 0.3 -l 3,4,2 "$multi" >warm0.json
	expect_status 0 "$MLPTRAIN" -q -Z -S -e 3 -r 0.3 -i warm0.json "$multi" && cp "$tmp/out" warm1.json &&
		{ expect_status 0 "$REF" warm0.json "$multi" 3 0.3 warm1.json || show "$tmp/out"; }
	# and the comparison can fail: another rate does not agree
	expect_status 1 "$REF" warm0.json "$multi" 3 0.31 warm1.json
else
	fail "$REF is missing (make build/ref_lecture)"
fi

t "standardised training equals plain SGD on the standardised data"
# The features standardised with awk by the model's mean and std, exactly as
# the man page writes it: z = (x - mean) / std.
if [ -x "$REF" ]; then
	"$MLPTRAIN" -q -S -e 0 -l 4,8,1 "$blobs" >start.json
	expect_status 0 "$MLPTRAIN" -q -S -e 3 -l 4,8,1 "$blobs" && cp "$tmp/out" trained.json
	awk -F, -v OFS=, -v mean="$(model_value mean trained.json)" -v std="$(model_value std trained.json)" '
	    BEGIN { gsub(/[][ ]/, "", mean); gsub(/[][ ]/, "", std); n = split(mean, m, ","); split(std, s, ",") }
	    NR == 1 { print; next }
	    { for (j = 1; j <= n; j++) $j = sprintf("%.17g", ($j - m[j]) / s[j]); print }' "$blobs" >z.csv
	expect_status 0 "$REF" start.json z.csv 3 0.1 trained.json || show "$tmp/out"
else
	fail "$REF is missing (make build/ref_lecture)"
fi

e2e_done e2e_lecture
