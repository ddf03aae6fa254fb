#!/bin/sh
# End-to-end tests of standardisation: the model's standardize.mean and std
# are the population statistics of the training data (without --holdout's
# rows), -Z leaves them out, a constant feature gets std 1, and mlppredict
# applies them.  Run from the top
# of the source tree as "sh tests/e2e_standardize.sh"; the variables of
# tests/e2e_lib.sh apply.  The last line is
# "e2e_standardize: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"

# ---- standardisation ----

t "blobs4: standardize.mean and std are the population statistics"
expect_status 0 "$MLPTRAIN" -q -e 1 -l 4,8,1 "$blobs"
cp "$tmp/out" blobs.json
model_value mean blobs.json | tr -d '[] ' | tr ',' '\n' >mean.txt
model_value std blobs.json | tr -d '[] ' | tr ',' '\n' >std.txt
tail -n +2 "$blobs" | awk -F, -v meanf=mean.txt -v stdf=std.txt '
    { n++; for (j = 1; j <= 4; j++) x[n, j] = $j + 0 }
    END {
	for (j = 1; j <= 4; j++) {
		s = 0; for (i = 1; i <= n; i++) s += x[i, j]; m = s / n
		v = 0; for (i = 1; i <= n; i++) v += (x[i, j] - m) ^ 2; sd = sqrt(v / n)
		if ((getline gm < meanf) <= 0 || (getline gs < stdf) <= 0) { print "missing values"; exit 1 }
		dm = gm - m; if (dm < 0) dm = -dm
		ds = gs - sd; if (ds < 0) ds = -ds
		if (dm > 1e-12 * (m < 0 ? -m : m) || ds > 1e-12 * sd) {
			printf "feature %d: mean %s std %s, computed %.17g %.17g\n", j, gm, gs, m, sd; bad = 1
		}
	}
	if ((getline extra < meanf) > 0) { print "too many means"; bad = 1 }
	exit bad
    }' >diff.txt || fail "$(cat diff.txt)"

t "--holdout: standardize and class weights from the training rows alone"
# Stratified, --holdout 0.1 holds out round(0.4) = 0 of the 4 rows of class 0
# and round(0.5) = 1 of the 5 identical rows of class 1, whichever the seed
# draws: the training rows are those of class 0 and 4 of class 1.  Their x1
# is 1 1 1 1 3 3 3 3 (mean 2, std 1), their x2 1 9 5 5 5 5 5 5 (mean 5, std 2),
# and the classes are balanced (weights 1 and 1).  With the held-out row
# too: x1 mean 19/9, class weights 9/8 and 9/10.
printf 'x1,x2,y\n1,1,0\n1,9,0\n1,5,0\n1,5,0\n' >hold.csv
for k in 1 2 3 4 5; do printf '3,5,1\n'; done >>hold.csv
for seed in 1 2; do
	expect_status 0 "$MLPTRAIN" -q -e 1 -s $seed --holdout 0.1 --class-weight balanced hold.csv || continue
	json_is .standardize "$tmp/out" '{"mean":[2,5],"std":[1,2]}'
	json_is .training.class_weight "$tmp/out" '[1,1]'
	json_is .training.rows "$tmp/out" 8
	json_is .training.validation.rows "$tmp/out" 1
done

t "-Z: the model has no standardize key"
expect_status 0 "$MLPTRAIN" -q -Z -e 1 "$blobs" &&
	json_is .standardize out null
grep -F '"standardize"' "$tmp/out" >/dev/null && fail "the -Z model mentions standardize"
cp "$tmp/out" blobsZ.json

t "a constant feature gets std 1"
printf 'a,b,y\n1,5,0\n2,5,1\n3,5,1\n' >const.csv
if expect_status 0 "$MLPTRAIN" -q -e 1 const.csv; then
	same_text "$(model_value mean "$tmp/out")" "[2, 5]" "mean"
	same_text "$(model_value std "$tmp/out")" "[0.816496580927726, 1]" "std"
fi

t "mlppredict applies the standardisation: the same model without it differs"
# Dropping "standardize" from a standardising model must change the output.
sed '/"standardize"/,/^[[:space:]]*},$/d' blobs.json >nostd.json
if json_valid nostd.json; then
	expect_status 0 "$MLPPREDICT" blobs.json "$blobs" && cp "$tmp/out" blobs.out
	expect_status 0 "$MLPPREDICT" nostd.json "$blobs" && differ "$tmp/out" blobs.out "with and without standardize"
fi

e2e_done e2e_standardize
