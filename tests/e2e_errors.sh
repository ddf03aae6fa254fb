#!/bin/sh
# End-to-end tests of the errors: bad options and values (exit 2), missing and
# unreadable files (exit 3), bad data and bad models (exit 1, one line naming
# the file, the line and the column), and divergence (exit 4).  Run from the
# top of the source tree as "sh tests/e2e_errors.sh"; the variables of
# tests/e2e_lib.sh apply.  The last line is "e2e_errors: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"
e2e_models

# ---- errors ----

t "unknown option: exit 2 and the usage on stderr"
expect_status 2 "$MLPTRAIN" -X "$xor" && expect_err_line "$usage_train1" && expect_err_line "$usage_train2" &&
	expect_no_stdout
expect_status 2 "$MLPTRAIN" --bogus "$xor" && expect_err_line "$usage_train1"
expect_status 2 "$MLPPREDICT" -x xor.json "$xor" && expect_err_line "$usage_predict" && expect_no_stdout
expect_status 2 "$MLPPREDICT" --bogus xor.json "$xor" && expect_err_line "$usage_predict"

t "bad -l values: exit 2"
bad_opt 2 "mlptrain: -l: '': empty entry; expected sizes like 4,8,1" "$MLPTRAIN" -l '' "$xor"
bad_opt 2 "mlptrain: -l: '0,1': '0' is not a layer size from 1 to 1000000" "$MLPTRAIN" -l 0,1 "$xor"
bad_opt 2 "mlptrain: -l: '2,-1': '-1' is not a layer size from 1 to 1000000" "$MLPTRAIN" -l 2,-1 "$xor"
bad_opt 2 "mlptrain: -l: '2,x,1': 'x' is not a layer size from 1 to 1000000" "$MLPTRAIN" -l 2,x,1 "$xor"
bad_opt 2 "mlptrain: -l: '4' needs at least two layer sizes (inputs and outputs), got 1" "$MLPTRAIN" -l 4 "$xor"
bad_opt 2 "mlptrain: -l: '2,,1': empty entry; expected sizes like 4,8,1" "$MLPTRAIN" -l 2,,1 "$xor"
bad_opt 2 "mlptrain: -l: '2,1000001': '1000001' is not a layer size from 1 to 1000000" "$MLPTRAIN" -l 2,1000001 "$xor"
bad_opt 2 "mlptrain: -l: '1000000,1000000,1' needs more than 2147483648 weights" "$MLPTRAIN" -l 1000000,1000000,1 "$xor"

t "bad -e, -r, -s values: exit 2"
bad_opt 2 "mlptrain: -e: '-1' is not a whole number from 0 to 1000000000" "$MLPTRAIN" -e -1 "$xor"
bad_opt 2 "mlptrain: -e: 'abc' is not a whole number from 0 to 1000000000" "$MLPTRAIN" -e abc "$xor"
bad_opt 2 "mlptrain: -e: '1000000001' is not a whole number from 0 to 1000000000" "$MLPTRAIN" -e 1000000001 "$xor"
bad_opt 2 "mlptrain: -e: '5x' is not a whole number from 0 to 1000000000" "$MLPTRAIN" -e 5x "$xor"
bad_opt 2 "mlptrain: -r: '0' is not a positive number" "$MLPTRAIN" -r 0 "$xor"
bad_opt 2 "mlptrain: -r: '-1' is not a positive number" "$MLPTRAIN" -r -1 "$xor"
bad_opt 2 "mlptrain: -r: 'nan' is not a positive number" "$MLPTRAIN" -r nan "$xor"
bad_opt 2 "mlptrain: -r: 'inf' is not a positive number" "$MLPTRAIN" -r inf "$xor"
bad_opt 2 "mlptrain: -r: '0.1x' is not a positive number" "$MLPTRAIN" -r 0.1x "$xor"
bad_opt 2 "mlptrain: -s: '-1' is not a whole number from 0 to 18446744073709551615" "$MLPTRAIN" -s -1 "$xor"

t "bad -p values: exit 2"
bad_opt 2 "mlppredict: -p: '0' is not a whole number from 1 to 17" "$MLPPREDICT" -p 0 xor.json "$xor"
bad_opt 2 "mlppredict: -p: '18' is not a whole number from 1 to 17" "$MLPPREDICT" -p 18 xor.json "$xor"
bad_opt 2 "mlppredict: -p: 'x' is not a whole number from 1 to 17" "$MLPPREDICT" -p x xor.json "$xor"

t "MLP_SIMD: auto, empty or generic give the default's bytes; avx2 where the CPU has it; anything else exit 2"
expect_status 0 "$MLPTRAIN" -q -e 5 "$xor" && cp "$tmp/out" simd.json
"$MLPPREDICT" xor.json "$xor" >simd.out
for v in auto '' generic; do
	run env MLP_SIMD="$v" "$MLPTRAIN" -q -e 5 "$xor"
	expect_rc 0 && same "$tmp/out" simd.json "mlptrain, MLP_SIMD='$v'"
	run env MLP_SIMD="$v" "$MLPPREDICT" xor.json "$xor"
	expect_rc 0 && same "$tmp/out" simd.out "mlppredict, MLP_SIMD='$v'"
done
run env MLP_SIMD=avx2 "$MLPTRAIN" -q -e 5 "$xor"
if [ "$rc" -eq 0 ]; then
	same "$tmp/out" simd.json "mlptrain, MLP_SIMD=avx2"
elif grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
	fail "MLP_SIMD=avx2 refused on a CPU with AVX2:"
	show "$tmp/err"
else
	expect_rc 2 && expect_err_only "mlptrain: MLP_SIMD is 'avx2', but this CPU (or this build) has no AVX2; use auto or generic"
fi
bad_opt 2 "mlptrain: MLP_SIMD is 'fast'; expected auto, generic or avx2 (or unset)" env MLP_SIMD=fast "$MLPTRAIN" -q "$xor"
bad_opt 2 "mlppredict: MLP_SIMD is 'Generic'; expected auto, generic or avx2 (or unset)" \
	env MLP_SIMD=Generic "$MLPPREDICT" xor.json "$xor"
run env MLP_SIMD=fast "$MLPTRAIN" --version
expect_rc 0 && same_text "$(cat "$tmp/out")" "$("$MLPTRAIN" --version)" "--version with a bad MLP_SIMD"

t "two data files to mlptrain: exit 2"
expect_status 2 "$MLPTRAIN" "$xor" "$xor" && expect_err_line "mlptrain: one data file at most, got 2" &&
	expect_err_line "$usage_train1" && expect_no_stdout

t "mlppredict without a model: exit 2"
expect_status 2 "$MLPPREDICT" && expect_err_line "mlppredict: no model file given" &&
	expect_err_line "$usage_predict" && expect_no_stdout

t "missing and unreadable data files: exit 3"
mkdir dir.csv
bad_opt 3 "mlptrain: nosuch.csv: No such file or directory" "$MLPTRAIN" -q nosuch.csv
expect_status 3 "$MLPTRAIN" -q dir.csv && expect_no_stdout
grep '^mlptrain: dir\.csv' "$tmp/err" >/dev/null || { fail "message does not name dir.csv:"; show "$tmp/err"; }
if [ "$(id -u)" -ne 0 ]; then
	# chmod 000 does not keep root from reading, so this part runs only for
	# other users; the directory above covers an unreadable input for root.
	cp "$xor" noread.csv
	chmod 000 noread.csv
	bad_opt 3 "mlptrain: noread.csv: Permission denied" "$MLPTRAIN" -q noread.csv
	bad_opt 3 "mlppredict: noread.csv: Permission denied" "$MLPPREDICT" xor.json noread.csv
	chmod 600 noread.csv
fi
bad_opt 3 "mlppredict: nosuch.json: No such file or directory" "$MLPPREDICT" nosuch.json "$xor"
expect_status 3 "$MLPPREDICT" xor.json dir.csv
grep '^mlppredict: dir\.csv' "$tmp/err" >/dev/null || { fail "message does not name dir.csv:"; show "$tmp/err"; }
bad_opt 3 "mlppredict: nosuch.csv: No such file or directory" "$MLPPREDICT" xor.json nosuch.csv

t "empty, byte-order-mark-only and header-only files: exit 1, no data rows (mlppredict: no output)"
: >empty.csv
bad_opt 1 "mlptrain: empty.csv: no data rows" "$MLPTRAIN" -q empty.csv
head -n 1 "$xor" >header.csv
bad_opt 1 "mlptrain: header.csv: no data rows" "$MLPTRAIN" -q header.csv
run_in empty.csv "$MLPTRAIN" -q
expect_rc 1 && expect_err_only "mlptrain: standard input: no data rows"
printf '\357\273\277' >bomonly.csv
bad_opt 1 "mlptrain: bomonly.csv: no data rows" "$MLPTRAIN" -q bomonly.csv
expect_status 0 "$MLPPREDICT" xor.json bomonly.csv && expect_no_stdout && expect_no_stderr

t "a ragged row: exit 1, the line and both counts"
printf 'x1,x2,y\n1,2,0\n1,2\n' >ragged.csv
bad_opt 1 "mlptrain: ragged.csv:3: 2 fields, expected 3 as on line 1" "$MLPTRAIN" -q ragged.csv
printf 'x1,x2,y\n1,0,0\n0,1,1,1\n' >ragged2.csv
bad_opt 1 "mlptrain: ragged2.csv:3: 4 fields, expected 3 as on line 1" "$MLPTRAIN" -q ragged2.csv

t "too few columns for the targets: exit 1"
printf 'y\n0\n' >onecol.csv
bad_opt 1 "mlptrain: onecol.csv:1: 1 column: too few for 1 target and at least one feature" "$MLPTRAIN" -q onecol.csv

t "bad numbers in the data: exit 1 with file:line:column"
printf 'a,b,y\n1,x,0\n' >badfield.csv
bad_opt 1 "mlptrain: badfield.csv:2:2: 'x' in column 'b' is not a number; name it with --categorical to encode its values as categories, or -x to ignore it" "$MLPTRAIN" -q badfield.csv
printf 'a,b,y\n1,2,0\n1,abc,0\n' >abc.csv
bad_opt 1 "mlptrain: abc.csv:3:2: 'abc' in column 'b' is not a number; name it with --categorical to encode its values as categories, or -x to ignore it" "$MLPTRAIN" -q abc.csv
for v in inf -inf Infinity; do
	printf 'a,b,y\n1,2,0\n%s,1,0\n' "$v" >nonfinite.csv
	bad_opt 1 "mlptrain: nonfinite.csv:3:1: '$v' in column 'a' is not a finite number" "$MLPTRAIN" -q nonfinite.csv
done
for v in nan NaN; do	# NaN is a missing value
	printf 'a,b,y\n1,2,0\n%s,1,0\n' "$v" >nonfinite.csv
	bad_opt 1 "mlptrain: nonfinite.csv:3:1: missing value '$v' in column 'a'; use --drop-missing to skip such rows, or --impute mean to fill them" \
		"$MLPTRAIN" -q nonfinite.csv
done
printf 'a,b,y\n1,2,0\n1,1e999,0\n' >huge.csv
bad_opt 1 "mlptrain: huge.csv:3:2: '1e999' in column 'b' is too large for a double" "$MLPTRAIN" -q huge.csv
printf 'a,b,y\n1,2,0\n1,0x10,0\n' >hex.csv
bad_opt 1 "mlptrain: hex.csv:3:2: '0x10' in column 'b' is not a number; name it with --categorical to encode its values as categories, or -x to ignore it" "$MLPTRAIN" -q hex.csv
printf 'a,b,y\n1,2,0\n1,,0\n' >emptyfield.csv
bad_opt 1 "mlptrain: emptyfield.csv:3:2: missing value '' in column 'b'; use --drop-missing to skip such rows, or --impute mean to fill them" \
	"$MLPTRAIN" -q emptyfield.csv
printf 'a,b,y\n1,2,0\n1,1e,0\n' >badexp.csv
bad_opt 1 "mlptrain: badexp.csv:3:2: '1e' in column 'b' is not a number; name it with --categorical to encode its values as categories, or -x to ignore it" "$MLPTRAIN" -q badexp.csv

t "the accepted number forms: .5, 5., exponents, signs, blanks around fields"
printf 'a,b,y\n.5,5.,0\n -1.5e+1 ,\t+2E-1\t,1\n0,0,0\n' >forms.csv
printf 'a,b,y\n0.5,5,0\n-15,0.2,1\n0,0,0\n' >forms-plain.csv
expect_status 0 "$MLPTRAIN" -q -e 3 forms.csv && cp "$tmp/out" forms.json
expect_status 0 "$MLPTRAIN" -q -e 3 forms-plain.csv && same "$tmp/out" forms.json "models of the two spellings"

t "a target that is not a class label, or a soft target outside [0,1]: exit 1 with file:line:column"
printf 'a,b,y\n1,2,0\n1,2,1.5\n1,2,0.5\n' >target.csv
bad_opt 1 "mlptrain: target.csv:3:3: target column 'y' holds 3 distinct values, some not whole numbers ('1.5'): a target column holds class labels (text or whole numbers)" \
	"$MLPTRAIN" -q target.csv
bad_opt 1 "mlptrain: target.csv:3:3: target '1.5' is outside [0,1]" "$MLPTRAIN" -q --soft-targets target.csv
printf 'a,b,y\n1,2,-0.1\n' >target2.csv
bad_opt 1 "mlptrain: target2.csv:2:3: target '-0.1' is outside [0,1]" "$MLPTRAIN" -q --soft-targets target2.csv

t "soft targets in [0,1] are accepted with --soft-targets, and refused without"
printf 'a,b,y\n1,2,0.25\n2,1,0.75\n' >soft.csv
expect_status 0 "$MLPTRAIN" -q -e 2 --soft-targets soft.csv && json_valid "$tmp/out" &&
	json_is .training.soft_targets "$tmp/out" true
bad_opt 1 "mlptrain: soft.csv: target column 'y' holds 2 distinct numbers in [0,1], not class labels: for soft targets give --soft-targets" \
	"$MLPTRAIN" -q -e 2 soft.csv

t "-l not fitting the file: exit 1, the right -l suggested"
bad_opt 1 "mlptrain: $xor has 2 features and 1 target column, but -l 3,4,1 expects 3 features; try -l 2,4,1" \
	"$MLPTRAIN" -q -l 3,4,1 "$xor"
bad_opt 1 "mlptrain: -l 4,2 ends in 2 outputs, but the target column 'y2' holds two classes, which take one output; use -l 4,2,1 (the last size of -l is the output layer); or, if the last 2 columns are targets, name them with -t" \
	"$MLPTRAIN" -q -l 4,2 "$multi"
bad_opt 1 "mlptrain: $multi has 3 features and 2 target columns, but -l 2,2 expects 2 features; try -l 3,2" \
	"$MLPTRAIN" -q -l 2,2 -t y1,y2 "$multi"

t "mlppredict: a model that is not JSON: exit 1 with line:column"
echo 'hello' >notjson.json
bad_opt 1 "mlppredict: notjson.json:1:1: not valid JSON" "$MLPPREDICT" notjson.json "$xor"
printf '{\n  "format": "mlptrain-model",\n  "version" 1\n}\n' >notjson2.json
bad_opt 1 "mlppredict: notjson2.json:3:13: not valid JSON" "$MLPPREDICT" notjson2.json "$xor"
bad_opt 1 "mlppredict: empty.csv:1:1: not valid JSON: unexpected end of file" "$MLPPREDICT" empty.csv "$xor"
{ cat xor.json; echo '{}'; } >trailing.json
n=$(($(wc -l <xor.json) + 1))
bad_opt 1 "mlppredict: trailing.json:$n:1: text after the end of the JSON value" "$MLPPREDICT" trailing.json "$xor"

t "mlppredict: the column of a bad object key"
# The error is at the x, line 3, column 3.
printf '{\n  "format": "mlptrain-model",\n  x\n}\n' >badkey.json
bad_opt 1 "mlppredict: badkey.json:3:3: not valid JSON" "$MLPPREDICT" badkey.json "$xor"

t "mlppredict: a truncated model: exit 1 with line:column"
for n in 10 100 500; do
	head -c $n xor.json >truncated.json
	expect_status 1 "$MLPPREDICT" truncated.json "$xor" &&
		expect_err_match 'mlppredict: truncated\.json:[0-9]+:[0-9]+: not valid JSON(: unexpected end of file)?' &&
		expect_no_stdout
done

t "mlppredict: a model with missing or wrong keys: exit 1"
sed 's/"layers"/"sizes"/' xor.json >nolayers.json
bad_opt 1 "mlppredict: nolayers.json: layers is missing, expected an array of layer sizes" "$MLPPREDICT" nolayers.json "$xor"
sed 's/"version":[[:space:]]*1,/"version": 3,/' xor.json >v3.json
bad_opt 1 "mlppredict: v3.json: version is another number, expected 1 or 2 (this program reads versions 1 and 2)" "$MLPPREDICT" v3.json "$xor"
sed 's/"mlptrain-model"/"other"/' xor.json >format.json
bad_opt 1 "mlppredict: format.json: format is something else, expected \"mlptrain-model\"" "$MLPPREDICT" format.json "$xor"
sed 's/"weights"/"w"/' xor.json >noweights.json
bad_opt 1 "mlppredict: noweights.json: weights is missing, expected an array of weight matrices" "$MLPPREDICT" noweights.json "$xor"
echo '[1, 2]' >array.json
bad_opt 1 "mlppredict: array.json: the top level is not an object, expected an object" "$MLPPREDICT" array.json "$xor"
sed 's/"layers":[^]]*]/"layers": [2, 4.5, 1]/' xor.json >layers.json
bad_opt 1 "mlppredict: layers.json: layers[1] is not a whole number from 1 to 1000000" "$MLPPREDICT" layers.json "$xor"

t "mlppredict: weight rows of the wrong length: exit 1, the JSON path named"
# Drop the intercept of the first unit of each matrix.
sed 's/\[\[\[[^,]*, /[[[/' xor.json >w0.json
bad_opt 1 "mlppredict: w0.json: weights[0][0] has 2 entries, expected 3" "$MLPPREDICT" w0.json "$xor"
sed 's/\]\], \[\[[^,]*, /]], [[/' xor.json >w1.json
bad_opt 1 "mlppredict: w1.json: weights[1][0] has 4 entries, expected 5" "$MLPPREDICT" w1.json "$xor"
sed 's/\]\], \[\[/]], [[1, /' xor.json >w1b.json
bad_opt 1 "mlppredict: w1b.json: weights[1][0] has 6 entries, expected 5" "$MLPPREDICT" w1b.json "$xor"

t "mlppredict: a non-finite or non-number weight: exit 1"
sed 's/\]\], \[\[[^,]*, /]], [[1e999, /' xor.json >inf.json
bad_opt 1 "mlppredict: inf.json: weights[1][0][0] is out of range, expected a finite number" "$MLPPREDICT" inf.json "$xor"
sed 's/\]\], \[\[[^,]*, /]], [[null, /' xor.json >null.json
bad_opt 1 "mlppredict: null.json: weights[1][0][0] is null, expected a number" "$MLPPREDICT" null.json "$xor"

t "mlppredict: a bad standardize: exit 1"
sed 's/"std":[^]]*]/"std": [0.5, 0]/' xor.json >std0.json
bad_opt 1 "mlppredict: std0.json: standardize.std[1] is not positive, expected a positive number of at least 2.2250738585072014e-308 (the smallest normal double; dividing by less overflows)" "$MLPPREDICT" std0.json "$xor"
sed 's/"mean":[^]]*]/"mean": [0.5]/' xor.json >mean1.json
bad_opt 1 "mlppredict: mean1.json: standardize.mean has 1 entries, expected 2" "$MLPPREDICT" mean1.json "$xor"

t "mlppredict: rows with the wrong number of fields: exit 1"
printf '1,2,3,4\n' >four.csv
bad_opt 1 "mlppredict: four.csv:1: 4 fields, but the model takes 2 features (optionally followed by 1 target)" \
	"$MLPPREDICT" xor.json four.csv
printf 'x1,x2\n1,2\n1,2,3\n' >widen.csv
expect_status 1 "$MLPPREDICT" xor.json widen.csv &&
	expect_err_only "mlppredict: widen.csv:3: 3 fields, expected 2 as on line 1"
printf 'x1,x2,y\n0,0,0\n1,abc,1\n' >pabc.csv
expect_status 1 "$MLPPREDICT" xor.json pabc.csv &&
	expect_err_only "mlppredict: pabc.csv:3:2: 'abc' in column 'x2' is not a number"
printf 'x1,x2\n0,0\n1,inf\n' >pnan.csv
expect_status 1 "$MLPPREDICT" xor.json pnan.csv &&
	expect_err_only "mlppredict: pnan.csv:3:2: 'inf' in column 'x2' is not a finite number"

# ---- divergence ----

keep_setup

t "divergence: exit 4, the epoch and -r named, nothing on stdout"
cp keep.orig o/keep.json
expect_status 4 "$MLPTRAIN" -q -Z -r 1e300 -e 5 -l 4,8,1 -o o/keep.json "$blobs" &&
	expect_err_only "mlptrain: training diverged in epoch 1: the loss became non-finite; try a smaller learning rate than -r 1e+300, or leave standardisation on"
same o/keep.json keep.orig "the existing -o file"
expect_status 4 "$MLPTRAIN" -q -Z -r 1e300 -e 5 -l 4,8,1 "$blobs" && expect_no_stdout

e2e_done e2e_errors
