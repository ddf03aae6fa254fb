#!/bin/sh
# End-to-end tests of what the parsers let through and of results that are
# not numbers: a model whose sums overflow, a standard deviation too small to
# divide by, data near the largest double; a key twice in a model, bytes
# that are not UTF-8 and control characters echoed in messages, UTF-16
# files, CR-only line ends, NUL bytes, a field of 1 MiB.  Run from the top of
# the source tree as "sh tests/e2e_parsers.sh"; the variables of
# tests/e2e_lib.sh apply.  The last line is "e2e_parsers: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"

# head TEXT: a model of 2 inputs and 1 output with the members TEXT after format and version.
model() {
	printf '{"format": "mlptrain-model", "version": 1, %s}\n' "$1"
}

# expect_escaped: stderr has no control character but the newlines, and no byte >= 0x80.
expect_escaped() {
	if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177-\377]')" "$tmp/err"; then
		fail "stderr holds a raw control character or a byte >= 0x80:"
		od -c "$tmp/err" | sed -n '1,4s/^/       | /p'
		return 1
	fi
	return 0
}

# ---- results that are not numbers ----

t "a model whose weights overflow in the forward pass is refused at load, whatever the output"
model '"layers": [2, 1], "weights": [[[0, 1e308, -1e308]]]' >ovf.json
printf '2,2\n' >row22.csv
for opt in "" --labels; do
	bad_opt 1 "mlppredict: ovf.json: weights[0][0]: the weighted sum overflows (to infinity or not a number) even for inputs in [-1, 1]; expected weights whose magnitudes add up to at most 1.7976931348623157e308" \
	    "$MLPPREDICT" $opt ovf.json row22.csv
done
printf 'a,b,y\n2,2,1\n' >row22y.csv
expect_status 1 "$MLPPREDICT" --eval ovf.json row22y.csv && expect_no_stdout

t "a row whose output is not a number: an error naming it, status 1, the rows before printed, none after"
model '"layers": [2, 1], "weights": [[[0, 1e300, -1e300]]]' >ovf2.json
printf '1,1\n3,3\n2e8,2e8\n4,4\n' >ovf2.csv
for threads in 1 2; do
	run env MLPPREDICT_THREADS=$threads "$MLPPREDICT" ovf2.json ovf2.csv
	expect_rc 1 &&
		expect_err_only "mlppredict: ovf2.csv:3: output 'p' of ovf2.json is not a number for this row: the model's weighted sums overflow on its values; check the row, or rescale the data and retrain" &&
		same_text "$(cat "$tmp/out")" "$(printf '0.5\n0.5')" "the rows before it ($threads threads)"
	run env MLPPREDICT_THREADS=$threads "$MLPPREDICT" --labels ovf2.json ovf2.csv
	expect_rc 1 && same_text "$(cat "$tmp/out")" "$(printf '1\n1')" "--labels, the rows before it"
done
printf 'x1,x2,y\n1,1,1\n2e8,2e8,0\n' >ovf2y.csv
run "$MLPPREDICT" --eval ovf2.json ovf2y.csv
expect_rc 1 && expect_err_match "mlppredict: ovf2y\.csv:3: output 'p' of ovf2\.json is not a number for this row.*"
grep -q log_loss "$tmp/out" && fail "--eval reported metrics after a row that is not a number"

t "an infinite sum gives 0 or 1, a true limit, and --eval's log loss is its limit, not undefined"
model '"layers": [1, 1], "weights": [[[0, 1e300]]]' >inf.json
printf 'x1,y\n1e10,1\n-1e10,0\n' >inf.csv
run "$MLPPREDICT" --eval inf.json inf.csv
expect_rc 0 && same_text "$(cat "$tmp/out")" "$(printf '1\n0')" "the probabilities"
grep -qx 'log_loss 0' "$tmp/err" || { fail "expected log_loss 0:"; show "$tmp/err"; }

t "standardize.std of 1e-308 is refused at load (dividing by it overflows)"
model '"layers": [2, 1], "standardize": {"mean": [0, 0], "std": [1e-308, 1e-308]}, "weights": [[[0, 1, -1]]]' >tiny.json
bad_opt 1 "mlppredict: tiny.json: standardize.std[0] is too small, expected a positive number of at least 2.2250738585072014e-308 (the smallest normal double; dividing by less overflows)" \
    "$MLPPREDICT" tiny.json row22.csv

t "data near 1.7e308 trains with standardisation: finite statistics, finite probabilities"
printf 'x,y\n1.7e308,1\n1.7e308,0\n1.6e308,1\n-1.7e308,0\n' >huge.csv
run "$MLPTRAIN" -q -e 3 -l 1,1 -o huge.json huge.csv
expect_rc 0 && expect_no_stderr
run "$MLPPREDICT" huge.json huge.csv
expect_rc 0 && expect_no_stderr
grep -qv '^[0-9.e-]*$' "$tmp/out" && { fail "not a probability:"; show "$tmp/out"; }
[ "$(wc -l <"$tmp/out")" -eq 4 ] || fail "expected 4 probabilities"
if [ -n "$JSON" ]; then
	same_text "$(jget .standardize.mean huge.json)" "[8.25e+307]" "the mean"
fi

t "a final loss that is not finite writes no model (status 4), never a 'nan' into the JSON"
printf '1.7e308,1.7e308,1.7e308,1\n-1.7e308,1.7e308,-1.7e308,0\n' >huge3.csv
run "$MLPTRAIN" -q -Z -e 0 -l 3,1 -s 4 -o nan.json huge3.csv
expect_rc 4 &&
	expect_err_only "mlptrain: the model's loss on the training rows is not finite: its weighted sums overflow on some row; no model is written (leave standardisation on, or rescale the data)"
[ -e nan.json ] && fail "nan.json was written"

# ---- the model reader ----

t "a key twice in the model is refused with its JSON path (jq would take the last, cJSON the first)"
model '"layers": [2, 1], "layers": [3, 1], "weights": [[[0, 1, 1]]]' >dup.json
bad_opt 1 "mlppredict: dup.json: layers appears twice; a key may appear only once in an object (JSON readers disagree on which one counts): remove one" \
    "$MLPPREDICT" dup.json row22.csv
model '"layers": [2, 1], "weights": [[[0, 1, 1]]], "training": {"rate": 0.1, "epochs": 3, "rate": 9}' >dup2.json
expect_status 1 "$MLPTRAIN" -q -i dup2.json -e 1 row22y.csv &&
	expect_err_only "mlptrain: dup2.json: training.rate appears twice; a key may appear only once in an object (JSON readers disagree on which one counts): remove one"

t "a NUL in a model string, a UTF-16 model: refused, saying so"
model '"layers": [2, 1], "features": ["a\u0000b", "c"], "weights": [[[0, 1, 1]]]' >nul.json
bad_opt 1 "mlppredict: nul.json:1:77: a NUL character in a string; names and labels cannot hold one" \
    "$MLPPREDICT" nul.json row22.csv
printf '\377\376{\000}\000' >u16.json
bad_opt 1 "mlppredict: u16.json: the file is UTF-16 (little-endian, it starts with a byte order mark), not UTF-8 text; convert it first: iconv -f UTF-16 -t UTF-8 u16.json > u16.json.utf8" \
    "$MLPPREDICT" u16.json row22.csv

# ---- the CSV reader ----

t "CR-only line ends: errors name the right line; the same model as with LF"
printf 'x1,x2,y\r0,0,0\r0,1,1\r1,x,1\r' >cr.csv
bad_opt 1 "mlptrain: cr.csv:4:2: 'x' in column 'x2' is not a number; name it with --categorical to encode its values as categories, or -x to ignore it" \
	"$MLPTRAIN" -q cr.csv
printf 'x1,x2,y\r0,0,0\r0,1,1\r1,0,1\r1,1,0\r' >cr2.csv
tr '\r' '\n' <cr2.csv >lf2.csv
"$MLPTRAIN" -q -e 5 -l 2,2,1 cr2.csv >cr2.json 2>&1
"$MLPTRAIN" -q -e 5 -l 2,2,1 lf2.csv >lf2.json 2>&1
same cr2.json lf2.json "CR and LF line ends"
printf 'x1,x2\r0,0\r"a\rb",1\r' >crq.csv
expect_status 1 "$MLPPREDICT" lf2.json crq.csv && expect_err_only "mlppredict: crq.csv:3:1: 'a\\rb' in column 'x1' is not a number"

t "a NUL byte in a header name or a number is refused with its position, not cut there"
printf 'x1\000z,x2,y\n0,0,0\n1,1,1\n' >nulh.csv
bad_opt 1 "mlptrain: nulh.csv:1:1: the field holds a NUL byte at position 3; a CSV file is text and holds none (is it UTF-16, or not a CSV file?)" \
    "$MLPTRAIN" -q nulh.csv
printf 'x1,x2\n1\0009,0\n' >nuld.csv
bad_opt 1 "mlppredict: nuld.csv:2:1: the field holds a NUL byte at position 2; a CSV file is text and holds none (is it UTF-16, or not a CSV file?)" \
    "$MLPPREDICT" lf2.json nuld.csv

t "a UTF-16 CSV file: one line saying so and how to convert it"
printf '\377\376x\0001\000\n\000' >u16.csv
bad_opt 1 "mlptrain: u16.csv: the file is UTF-16 (little-endian, it starts with a byte order mark), not UTF-8 text; convert it first: iconv -f UTF-16 -t UTF-8 u16.csv > u16.csv.utf8" \
    "$MLPTRAIN" -q u16.csv

t "bytes that are not UTF-8 and control characters from the data are escaped in messages; UTF-8 is kept"
printf 'a,b,y\n1,2,\377x\302\233\n3,4,\377x\302\233\n' >labels.csv
expect_status 1 "$MLPTRAIN" -q labels.csv &&
	expect_err_only "mlptrain: labels.csv: target column 'y' holds one label, '\\xffx\\xc2\\x9b': two classes are needed" &&
	expect_escaped
printf 'a,b,y\n1,2,\377x\302\233\n3,4,\033[2Jy\n5,6,z\n' >labels3.csv
expect_status 2 "$MLPTRAIN" -q --positive z labels3.csv &&
	expect_err_only "mlptrain: --positive is for two classes; target column 'y' holds 3" && expect_escaped
printf 'a,b,y\n1,2,\377x\n3,4,y\n' >labels2.csv
expect_status 2 "$MLPTRAIN" -q --positive q labels2.csv && expect_escaped
printf 't\303\251\377,t\303\251\377,y\n1,2,0\n' >head.csv
expect_status 1 "$MLPTRAIN" -q head.csv &&
	expect_err_only "mlptrain: head.csv:1: columns 1 and 2 are both named 't$(printf '\303\251')\\xff' (feature 1); rename one of them"

t "twelve quoted fields of 1 MiB in an ignored column take well under 2 s of CPU (libcsv grows by 64 KiB)"
# libcsv grew its buffer 128 bytes at a time: 8000 reallocations a field,
# each copying it, which the sanitizer build does for real (3.5 s here).
{
	printf 'id,x,y\n'
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		printf '"'
		head -c 1048000 /dev/zero | tr '\0' 7
		printf '",%d,%d\n' $((i % 2)) $((i % 2))
	done
} >bigq.csv
if [ -z "${E2E_VALGRIND:-}" ]; then
	run sh -c 'ulimit -t 2 && exec "$@"' sh "$MLPTRAIN" -q -x id -e 1 -o bigq.json bigq.csv
	expect_rc 0 && expect_no_stderr
fi
rm -f bigq.csv

e2e_done e2e_parsers
