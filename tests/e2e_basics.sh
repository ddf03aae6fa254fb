#!/bin/sh
# End-to-end tests of the basic round trip (train, save, predict): XOR is
# learned; the training summary, loss and accuracy in the model agree with the
# run and with mlppredict's probabilities; a seed gives the same model every
# time; the model is one JSON object on stdout and the progress goes to
# stderr; mlppredict prints one probability a row, in order; a net with
# several outputs trains and predicts too.  Run from the top of the source
# tree as "sh tests/e2e_basics.sh"; the variables of tests/e2e_lib.sh apply.
# The last line is "e2e_basics: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"
e2e_models

# ---- XOR ----

t "XOR: 2,4,1 learns the truth table"
same_text "$xor_rc" 0 "training exit status"
if expect_status 0 "$MLPPREDICT" xor.json "$xor"; then
	tail -n +2 "$xor" | cut -d, -f3 | paste -d, "$tmp/out" - >pairs
	awk -F, 'NF != 2 || $1 < 0 || $1 > 1 || ($2 == 1 ? $1 < 0.9 : $1 > 0.1) { bad++ }
	    END { exit !(NR == 4 && bad == 0) }' pairs ||
		fail "probabilities not within 0.1 of the targets (probability,target):" "$(cat pairs)"
fi

t "XOR: the model's training summary matches the run"
json_is .training.rows xor.json 4
json_is .training.epochs xor.json 3000
json_is .training.rate xor.json 0.5
json_is .training.seed xor.json 1
json_is .training.shuffle xor.json true
json_is .training.init xor.json '"glorot-uniform"'
json_is .training.accuracy xor.json 1

t "training loss and accuracy agree with mlppredict's probabilities"
# The model's "loss" and "accuracy" are computed on the training rows; the
# same numbers follow from the printed probabilities.
tail -n +2 "$moons" | cut -d, -f3 | paste -d, moons.out - >pairs
loss=$(model_value loss moons.json)
acc=$(model_value accuracy moons.json)
awk -F, -v loss="$loss" -v acc="$acc" '
    { y = $1; t = $2; l += -t * log(y) - (1 - t) * log(1 - y); hits += (y >= 0.5) == (t >= 0.5) }
    END {
	l /= NR; a = hits / NR; d = l - loss; if (d < 0) d = -d
	if (NR != 400 || d > 1e-9 * loss || a != acc + 0) {
		printf "rows %d, loss %.17g vs model %s, accuracy %.17g vs model %s\n", NR, l, loss, a, acc
		exit 1
	}
    }' pairs >diff.txt || fail "$(cat diff.txt)"

t "an output of exactly 0.5 is class 1 in training's accuracy, as in mlppredict -l and --eval"
# Zero weights give sigma(0) = 0.5 for every row: the rows of target 1 are
# hits (0.5 >= 0.5), those of target 0 misses.  -e 0 -i writes the model's
# accuracy on the training rows without a step.
printf 'x,y\n1,1\n2,0\n3,1\n4,1\n' >half.csv
cat >zero.json <<'JSON'
{"format": "mlptrain-model", "version": 1, "layers": [1, 1],
 "features": ["x"], "targets": ["y"], "weights": [[[0, 0]]]}
JSON
expect_status 0 "$MLPTRAIN" -q -Z -e 0 -i zero.json half.csv && json_is .training.accuracy "$tmp/out" 0.75
expect_status 0 "$MLPPREDICT" -l zero.json half.csv && same_text "$(tr '\n' ' ' <"$tmp/out")" "1 1 1 1 " "labels"
expect_status 0 "$MLPPREDICT" --eval zero.json half.csv && expect_err_line "accuracy 0.75"

# ---- reproducibility ----

t "same seed twice gives byte-identical models"
"$MLPTRAIN" -e 20 -q "$moons" >m1.json
json_valid m1.json
"$MLPTRAIN" -e 20 -q "$moons" >m2.json
"$MLPTRAIN" -e 20 -q -s 1 "$moons" >m3.json
same m1.json m2.json "two runs with the default seed"
same m1.json m3.json "default seed and -s 1"

t "another seed gives another model"
"$MLPTRAIN" -e 20 -q -s 2 "$moons" >m4.json
differ m1.json m4.json "-s 1 and -s 2"
json_is .training.seed m4.json 2

t "-S twice gives identical models, different from shuffled order"
"$MLPTRAIN" -e 20 -q -S "$moons" >s1.json
"$MLPTRAIN" -e 20 -q --no-shuffle "$moons" >s2.json
same s1.json s2.json "-S and --no-shuffle"
differ s1.json m1.json "-S and shuffled"
json_is .training.shuffle s1.json false

t "the largest seed is accepted, one more is not"
expect_status 0 "$MLPTRAIN" -q -e 1 -s 18446744073709551615 "$xor" &&
	same_text "$(model_value seed "$tmp/out")" 18446744073709551615 "seed in the model"
expect_status 2 "$MLPTRAIN" -q -e 1 -s 18446744073709551616 "$xor" &&
	expect_err_only "mlptrain: -s: '18446744073709551616' is not a whole number from 0 to 18446744073709551615"

# ---- the model on stdout, progress on stderr ----

t "stdout is one JSON object with the documented keys, in order"
json_valid xor.json
json_is keys xor.json '["format","version","layers","features","targets","standardize","training","weights"]'
json_is .format xor.json '"mlptrain-model"'
json_is .version xor.json 1
json_is .layers xor.json '[2,4,1]'
json_is .features xor.json '["x1","x2"]'
json_is .targets xor.json '["y"]'
json_is .standardize xor.json '{"mean":[0.5,0.5],"std":[0.5,0.5]}'

t "weights have one matrix per layer, rows of N_(l-1)+1 numbers"
if [ -n "$JSON" ]; then
	shape=$(case $JSON in
	jq) jq -c '[.weights[] | [length, (.[] | length)]]' xor.json ;;
	python3) python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(json.dumps([[len(w)]+[len(r) for r in w] for w in m["weights"]],separators=(",",":")))' xor.json ;;
	esac)
	same_text "$shape" '[[4,3,3,3,3],[1,5]]' "weights shape"
else
	fail "neither jq nor python3 is installed to read JSON"
fi

t "a file without a header gives a model without names"
tail -n +2 "$xor" >noheader.csv
if expect_status 0 "$MLPTRAIN" -q -e 1 noheader.csv; then
	json_is .features out null
	json_is .targets out null
	json_is .layers out '[2,8,1]'
fi

t "progress: one line per epoch on stderr, then the final line; stdout only the model"
if expect_status 0 "$MLPTRAIN" -e 7 "$xor"; then
	json_valid "$tmp/out"
	n=$(grep -c '^epoch ' "$tmp/err")
	same_text "$n" 7 "epoch lines for -e 7"
	awk '/^epoch / { n++; if ($0 !~ "^epoch " n "/7  loss [0-9]+\\.[0-9][0-9][0-9][0-9][0-9][0-9]  accuracy [01]\\.[0-9][0-9][0-9][0-9]  time [0-9]+\\.[0-9][0-9]s$") bad = bad $0 "\n" }
	    END { printf "%s", bad }' "$tmp/err" >bad.txt
	[ -s bad.txt ] && fail "malformed progress lines:" "$(cat bad.txt)"
	expect_err_match 'final  epochs 7  loss [0-9]+\.[0-9]{6}  accuracy [01]\.[0-9]{4}  rows 4  time [0-9]+\.[0-9]{2}s  training [0-9]+ rows/s'
	n=$(grep -c -v -E '^(epoch|final) ' "$tmp/err")
	same_text "$n" 0 "other lines on stderr"
fi

t "-q prints nothing on stderr"
expect_status 0 "$MLPTRAIN" -q -e 7 "$xor" && expect_no_stderr && json_valid "$tmp/out"
expect_status 0 "$MLPTRAIN" --quiet -e 7 "$xor" && expect_no_stderr

t "-e 0 writes the Glorot-uniform initial weights within the documented bound"
if expect_status 0 "$MLPTRAIN" -q -e 0 -l 2,8,1 "$xor"; then
	json_is .training.epochs out 0
	# layer 1: b = sqrt(2/(2+8)); layer 2: b = sqrt(2/(8+1))
	model_value weights "$tmp/out" | tr -d '[] ' | tr ',' '\n' | awk '
	    NR <= 24 { b = sqrt(2 / 10) } NR > 24 { b = sqrt(2 / 9) }
	    { if ($1 < -b || $1 > b) bad++; if ($1 != 0) nz++ }
	    END { exit !(NR == 33 && bad == 0 && nz == 33) }' ||
		fail "weights not 33 nonzero numbers within the Glorot bounds"
fi

t "the data can come from standard input, with or without -"
run_in "$xor" "$MLPTRAIN" -q -l 2,4,1 -e 3000 -r 0.5
expect_rc 0 && json_valid "$tmp/out" && same "$tmp/out" xor.json "model from < file"
run_in "$xor" "$MLPTRAIN" -q -l 2,4,1 -e 3000 -r 0.5 -
expect_rc 0 && same "$tmp/out" xor.json "model from - < file"

t "long options and --opt=value work like the short ones"
expect_status 0 "$MLPTRAIN" --quiet --layers=2,4,1 --epochs 3000 --rate=0.5 --seed 1 "$xor" &&
	same "$tmp/out" xor.json "model with long options"

# ---- predictions ----

t "mlppredict is repeatable and prints one line per data row"
expect_status 0 "$MLPPREDICT" moons.json "$moons" && same "$tmp/out" moons.out "second run"
n=$(wc -l <moons.out | tr -d ' ')
same_text "$n" 400 "lines of output for 400 rows"
grep -E -v -x '0(\.[0-9]+)?|[1-9](\.[0-9]+)?e-[0-9]+|1' moons.out >bad.txt &&
	fail "lines that are not a probability:" "$(head -n 3 bad.txt)"

t "mlppredict keeps the row order"
# Reversed rows give the reversed output; single rows give single lines.
{ head -n 1 "$moons"; tail -n +2 "$moons" | sed -n '1!G;h;$p'; } >reversed.csv
expect_status 0 "$MLPPREDICT" moons.json reversed.csv
sed -n '1!G;h;$p' moons.out >reversed.out
same "$tmp/out" reversed.out "output for the reversed rows, reversed"
{ head -n 1 "$moons"; tail -n 1 "$moons"; } >lastrow.csv
expect_status 0 "$MLPPREDICT" moons.json lastrow.csv
same_text "$(cat "$tmp/out")" "$(tail -n 1 moons.out)" "the last row alone"

t "mlppredict: features only give the same output as features and targets"
cut -d, -f1,2 "$moons" >features.csv
expect_status 0 "$MLPPREDICT" moons.json features.csv && same "$tmp/out" moons.out "features-only output"
tail -n +2 features.csv >features-nohdr.csv
expect_status 0 "$MLPPREDICT" moons.json features-nohdr.csv && same "$tmp/out" moons.out "features without a header"

t "mlppredict reads standard input, with no file or with -"
run_in "$moons" "$MLPPREDICT" moons.json
expect_rc 0 && same "$tmp/out" moons.out "output for < file"
run_in "$moons" "$MLPPREDICT" moons.json -
expect_rc 0 && same "$tmp/out" moons.out "output for - < file"

t "mlppredict on two files prints the concatenation"
cat moons.out moons.out >twice.out
expect_status 0 "$MLPPREDICT" moons.json "$moons" "$moons" && same "$tmp/out" twice.out "two files"
run_in features.csv "$MLPPREDICT" moons.json "$moons" -
expect_rc 0 && same "$tmp/out" twice.out "a file and standard input"

t "mlppredict -p 3 prints 3 significant digits"
awk '{ printf "%.3g\n", $1 }' moons.out >p3.want
expect_status 0 "$MLPPREDICT" -p 3 moons.json "$moons" && same "$tmp/out" p3.want "-p 3 output"
expect_status 0 "$MLPPREDICT" --precision=3 moons.json "$moons" && same "$tmp/out" p3.want "--precision=3 output"

t "mlppredict's default output is the shortest form that reads back exactly"
# -p 17 identifies every double; the default must read back to the same
# numbers, and never be longer.
expect_status 0 "$MLPPREDICT" -p 17 moons.json "$moons"
paste -d' ' moons.out "$tmp/out" | awk '$1 + 0 != $2 + 0 || length($1) > length($2) { bad++ }
    END { exit !(NR == 400 && bad == 0) }' || fail "default and -p 17 outputs disagree"

t "mlppredict on an empty file prints nothing"
: >empty.csv
expect_status 0 "$MLPPREDICT" moons.json empty.csv && expect_no_stdout && expect_no_stderr

# ---- several outputs ----

t "multi-output: -l 3,6,2 trains, mlppredict prints two numbers per row"
if expect_status 0 "$MLPTRAIN" -q -l 3,6,2 -e 20 "$multi"; then
	cp "$tmp/out" multi.json
	json_is .layers multi.json '[3,6,2]'
	json_is .features multi.json '["a","b","c"]'
	json_is .targets multi.json '["y1","y2"]'
	if expect_status 0 "$MLPPREDICT" multi.json "$multi"; then
		awk -F, 'NF != 2 || $1 !~ /^[0-9.e-]+$/ || $2 !~ /^[0-9.e-]+$/ || $1 < 0 || $1 > 1 || $2 < 0 || $2 > 1 { bad++ }
		    END { exit !(NR == 300 && bad == 0) }' "$tmp/out" ||
			{ fail "not 300 lines of two probabilities:"; show "$tmp/out"; }
		cp "$tmp/out" multi.out
		cut -d, -f1-3 "$multi" >multi-features.csv
		expect_status 0 "$MLPPREDICT" multi.json multi-features.csv && same "$tmp/out" multi.out "features only"
		# accuracy: the fraction of (row, output) pairs, as the model says
		tail -n +2 "$multi" | cut -d, -f4,5 | paste -d, multi.out - |
			awk -F, -v acc="$(model_value accuracy multi.json)" '
			    { h += ($1 >= 0.5) == ($3 >= 0.5); h += ($2 >= 0.5) == ($4 >= 0.5) }
			    END { if (h / (2 * NR) != acc + 0) { print "accuracy " h / (2 * NR) " vs model " acc; exit 1 } }' >diff.txt ||
			fail "$(cat diff.txt)"
	fi
fi

e2e_done e2e_basics
