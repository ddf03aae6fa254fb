#!/bin/sh
# End-to-end tests of hostile input and limits: huge fields, rows and model
# files, deeply nested JSON, layers needing more than 2^31 weights, an
# allocation that fails; numbers read as documented, and a locale with a
# decimal comma changing nothing.  Run from the top of the source tree as
# "sh tests/e2e_hostile.sh"; the variables of tests/e2e_lib.sh apply.  The
# last line is "e2e_hostile: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"
e2e_models
keep_setup

# ---- hostile input, limits, numbers, locale ----

t "a CSV field over 1 MiB: exit 1 with file:line:column, the old -o file kept"
{ printf 'x1,y\n0,1\n'; head -c 1100000 /dev/zero | tr '\0' 7; printf ',0\n'; } >bigfield.csv
check_kept "a huge field" 1 "$MLPTRAIN" -q -o o/keep.json bigfield.csv &&
	expect_err_only "mlptrain: bigfield.csv:3:1: field longer than 1048576 bytes"
sed '1s/y$/x2/' bigfield.csv >bigfield.x2	# mlppredict reads the features by name
run "$MLPPREDICT" moons.json bigfield.x2
expect_rc 1 && expect_err_only "mlppredict: bigfield.x2:3:1: field longer than 1048576 bytes"

t "a quoted field that never ends in a large file: an error at the line where it opens"
{ printf 'x1,x2,y\n0,0,"'; head -c 3000000 /dev/zero | tr '\0' a; } >openquote.csv
expect_status 1 "$MLPTRAIN" -q openquote.csv && expect_err_only "mlptrain: openquote.csv:2:3: field longer than 1048576 bytes"

t "a row of more than 2,000,000 fields: exit 1"
{ printf '1'; head -c 2000001 /dev/zero | tr '\0' ','; printf '\n'; } >wide.csv
expect_status 1 "$MLPTRAIN" -q wide.csv && expect_err_only "mlptrain: wide.csv:1: more than 2000000 fields in a row"

t "-l needing more than 2^31 weights: exit 2 before reading anything"
bad_opt 2 "mlptrain: -l: '50000,50000,1' needs more than 2147483648 weights" "$MLPTRAIN" -l 50000,50000,1 "$xor"
bad_opt 2 "mlptrain: -l: '2,1000001,1': '1000001' is not a layer size from 1 to 1000000" "$MLPTRAIN" -l 2,1000001,1 "$xor"

t "a model file over 1 GiB is refused before it is read: exit 1"
: >huge.json
truncate -s 2G huge.json 2>/dev/null || dd if=/dev/null of=huge.json bs=1 seek=2147483648 2>/dev/null
expect_status 1 "$MLPPREDICT" huge.json "$xor" &&
	expect_err_only "mlppredict: huge.json: 2147483648 bytes, larger than the 1073741823 a model may have"
expect_status 1 "$MLPTRAIN" -q -i huge.json "$xor" &&
	expect_err_only "mlptrain: huge.json: 2147483648 bytes, larger than the 1073741823 a model may have"
rm -f huge.json

t "a model whose layers need more than 2^31 weights: exit 1, nothing allocated"
printf '{"format": "mlptrain-model", "version": 1, "layers": [2, 1000000, 1000000, 1], "weights": []}\n' >wide.json
expect_status 1 "$MLPPREDICT" wide.json "$xor" &&
	expect_err_only "mlppredict: wide.json: layers needs more than 2147483648 weights"

t "a small model file whose layers ask for 2e9 weights it does not hold: exit 1, nothing allocated"
printf '{"format": "mlptrain-model", "version": 1, "layers": [1, 13, 6205, 328850], "weights": [[], [], []]}\n' >bigshape.json
if sh -c 'ulimit -v 300000 && exec "$1" -V' sh "$MLPPREDICT" >/dev/null 2>&1; then
	run sh -c 'ulimit -v 300000 && exec "$@"' sh "$MLPPREDICT" bigshape.json "$xor"
else
	run "$MLPPREDICT" bigshape.json "$xor"
fi
expect_rc 1 && expect_err_only "mlppredict: bigshape.json: weights[0] has 0 rows, expected 13 (layers[1])"

t "deeply nested JSON: exit 1, no stack overflow"
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "["; for (i = 0; i < 200000; i++) printf "]"; print "" }' >deep.json
expect_status 1 "$MLPPREDICT" deep.json "$xor" && expect_err_match 'mlppredict: deep\.json:1:[0-9]+: not valid JSON'

t "numbers: a leading +, blanks around fields, -0, denormals and 1e-400 read as documented"
printf 'x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n' >plain.csv
printf 'x1,x2,y\n+0 , -0,0\n 0.0e5\t,1,+1\n1,4.9e-324,1\n+1.,1e-400 ,0\n' >tiny.csv
printf 'x1,x2,y\n+0 , -0,0\n 0.0e5\t,1,+1\n1,4.9e-324,1\n+1.,10e-1 ,0\n' >spelled.csv
"$MLPTRAIN" -q -S -e 20 -s 4 plain.csv >plain.json 2>/dev/null
"$MLPTRAIN" -q -S -e 20 -s 4 spelled.csv >spelled.json 2>/dev/null
# 4.9e-324 and 1e-400 standardise to the same values as 0 does
same spelled.json plain.json "models from spelled-out and plain numbers"
"$MLPPREDICT" plain.json plain.csv >p1.out 2>/dev/null
"$MLPPREDICT" plain.json spelled.csv >p2.out 2>/dev/null
same p2.out p1.out "predictions"
# 1e-400 underflows to 0: a row (1, 0), not (1, 1)
"$MLPPREDICT" plain.json tiny.csv >p3.out 2>/dev/null
differ p3.out p1.out "predictions with 1e-400 in place of 1"

t "numbers: hex floats, 1e999, inf, nan, a comma as decimal point: exit 1 with line:column"
for v in 0x1p3 1e999 -inf 1,5 '1 2' 1e; do
	printf 'x1,x2,y\n0,0,0\n0,"%s",1\n' "$v" >num.csv
	run "$MLPTRAIN" -q num.csv
	expect_rc 1 && expect_err_match "mlptrain: num\\.csv:3:2: '.*' in column 'x2' is (not a number|not a finite number|too large for a double).*"
done

t "a locale with a decimal comma changes nothing, in parsing or output"
mkdir -p loc
if localedef -i de_DE -f UTF-8 loc/de_DE.UTF-8 2>/dev/null &&
    [ "$(LOCPATH=$tmp/loc LC_ALL=de_DE.UTF-8 /usr/bin/printf '%.1f' 1.5)" = "1,5" ]; then
	LOCPATH=$tmp/loc LC_ALL=de_DE.UTF-8 "$MLPTRAIN" -q -e 20 "$moons" >de.json 2>de.err
	"$MLPTRAIN" -q -e 20 "$moons" >c.json 2>/dev/null
	same de.json c.json "the model under de_DE.UTF-8"
	LOCPATH=$tmp/loc LC_ALL=de_DE.UTF-8 "$MLPPREDICT" de.json "$moons" >de.out 2>>de.err
	"$MLPPREDICT" c.json "$moons" >c.out 2>/dev/null
	same de.out c.out "the predictions under de_DE.UTF-8"
	[ -s de.err ] && fail "stderr under de_DE.UTF-8:" && show de.err
else
	fail "could not make a de_DE.UTF-8 locale with localedef (Debian's libc-bin and locales data)"
fi

t "an allocation that fails is reported as such: exit 5"
# Sanitizer and Valgrind builds cannot run under a small address-space limit.
# (An inner sh, so that the shell's own "Aborted" for such a build stays quiet.)
if sh -c 'ulimit -v 300000 && exec "$1" -V' sh "$MLPTRAIN" >/dev/null 2>&1; then
	run sh -c 'ulimit -v 300000 && exec "$@"' sh "$MLPTRAIN" -q -l 2,20000,20000,1 -o o/keep.json "$xor"
	expect_rc 5 && expect_err_only "mlptrain: out of memory for a model of 400100001 weights (3052 MiB)"
	same o/keep.json keep.orig "the existing -o file"
fi

e2e_done e2e_hostile
