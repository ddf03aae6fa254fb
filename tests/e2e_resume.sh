#!/bin/sh
# End-to-end tests of training on from a model (-i, --init): its weights and
# statistics kept, the epochs counted on, -i and -o naming one file, and the
# models that do not fit the options or the data refused.  Run from the top of
# the source tree as "sh tests/e2e_resume.sh"; the variables of
# tests/e2e_lib.sh apply.  The last line is "e2e_resume: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"
e2e_models
mkdir o
# A model without standardisation, for -i with -Z.
"$MLPTRAIN" -q -Z -e 1 "$blobs" >blobsZ.json 2>/dev/null

# ---- --init ----

t "-i model -e 0 keeps the weights exactly"
if expect_status 0 "$MLPTRAIN" -q -i xor.json -e 0 "$xor"; then
	same_text "$(model_value weights "$tmp/out")" "$(model_value weights xor.json)" "weights"
	json_is .training.init "$tmp/out" '"model"'
	json_is .standardize "$tmp/out" '{"mean":[0.5,0.5],"std":[0.5,0.5]}'
fi
expect_status 0 "$MLPTRAIN" -q --init xor.json -l 2,4,1 -e 0 "$xor" &&
	same_text "$(model_value weights "$tmp/out")" "$(model_value weights xor.json)" "weights with a matching -l"

t "-i keeps the model's statistics on new data"
expect_status 0 "$MLPTRAIN" -q -i xor.json -e 1 "$moons" &&
	json_is .standardize "$tmp/out" '{"mean":[0.5,0.5],"std":[0.5,0.5]}'

t "-i and -o on the same file update it in place"
cp xor.json o/inplace.json
if expect_status 0 "$MLPTRAIN" -q -i o/inplace.json -e 5 -o o/inplace.json "$xor"; then
	differ o/inplace.json xor.json "updated model"
	json_is .training.epochs o/inplace.json 3005	# the count goes on from the model's 3000
fi
rm -f o/inplace.json

t "-i with a different -l: exit 2"
expect_status 2 "$MLPTRAIN" -q -i xor.json -l 2,3,1 "$xor" &&
	expect_err_only "mlptrain: -l 2,3,1 disagrees with the layers 2,4,1 of xor.json"
expect_no_stdout

t "-i with -Z on a standardising model: exit 2"
expect_status 2 "$MLPTRAIN" -q -i xor.json -Z "$xor" &&
	expect_err_only "mlptrain: -Z: xor.json standardises its inputs; its statistics are kept with -i"

t "-i with -Z on a -Z model works"
expect_status 0 "$MLPTRAIN" -q -i blobsZ.json -Z -e 1 "$blobs" && json_is .standardize "$tmp/out" null

t "-i on data with other columns: exit 1, the model's columns found by name (or counted without names)"
expect_status 1 "$MLPTRAIN" -q -i xor.json "$multi" &&
	expect_err_only "mlptrain: $multi:1: no column 'x1' (feature 1 of xor.json)"
tail -n +2 "$multi" >multinohead.csv
expect_status 1 "$MLPTRAIN" -q -i xor.json multinohead.csv &&
	expect_err_only "mlptrain: multinohead.csv:1: 4 feature columns and 1 target column, but xor.json has 2 and 1"

t "-i on data whose column names differ from the model's: exit 1; in another order: found by name"
printf 'a,x2,y\n0,0,0\n1,1,1\n' >renamed.csv
expect_status 1 "$MLPTRAIN" -q -i xor.json renamed.csv &&
	expect_err_only "mlptrain: renamed.csv:1: no column 'x1' (feature 1 of xor.json)"
awk -F, -v OFS=, '{ print $3, $2, $1 }' "$xor" >xorrev.csv
"$MLPTRAIN" -q -S -e 5 -i xor.json "$xor" >xor5.json
expect_status 0 "$MLPTRAIN" -q -S -e 5 -i xor.json xorrev.csv && same "$tmp/out" xor5.json "columns in another order"
expect_status 1 "$MLPTRAIN" -q -S -e 5 -i xor.json -t y renamed.csv &&
	expect_err_only "mlptrain: renamed.csv: feature 1 is 'a', but feature 1 of xor.json is 'x1'"
printf 'x1,b,y\n0,0,0\n1,1,1\n' >renamed2.csv
expect_status 1 "$MLPTRAIN" -q -i xor.json renamed2.csv &&
	expect_err_only "mlptrain: renamed2.csv:1: no column 'x2' (feature 2 of xor.json)"
expect_status 1 "$MLPTRAIN" -q -i xor.json -t y renamed2.csv &&
	expect_err_only "mlptrain: renamed2.csv: feature 2 is 'b', but feature 2 of xor.json is 'x2'"

t "-i with a missing or bad model"
expect_status 3 "$MLPTRAIN" -q -i nosuch.json "$xor" &&
	expect_err_only "mlptrain: nosuch.json: No such file or directory"
echo 'hello' >notjson.json
expect_status 1 "$MLPTRAIN" -q -i notjson.json "$xor" &&
	expect_err_only "mlptrain: notjson.json:1:1: not valid JSON"

e2e_done e2e_resume
