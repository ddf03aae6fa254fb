#!/bin/sh
# End-to-end tests of data as people have it: more than two classes (one
# output per class), class labels as the default target and soft targets on
# request, text-valued features encoded as categories (-c), missing values
# imputed (--impute) or passed through (mlppredict --missing), and the
# messages a newcomer's mistakes get.  Run from the top of the source tree
# as "sh tests/e2e_classes.sh"; the variables of tests/e2e_lib.sh apply.
# The last line is "e2e_classes: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"

flowers=$DATA/flowers.csv
shop=$DATA/shop.csv

# truth_of FILE COL: the values of column COL (from 1) of FILE, header left out.
truth_of() {
	tail -n +2 "$1" | cut -d, -f"$2"
}

# ---- more than two classes ----

t "three species: one output each, the labels in the model, version 2"
if expect_status 0 "$MLPTRAIN" -q -e 30 "$flowers"; then
	cp "$tmp/out" fl.json
	json_is .classes fl.json '["setosa","versicolor","virginica"]' && json_is .layers fl.json '[4,8,3]' &&
		json_is .targets fl.json '["species"]' && json_is .version fl.json 2
fi

t "the natural commands give the same model: no -l, -l 4,8,3, -t species -l 4,8,3"
expect_status 0 "$MLPTRAIN" -q -e 30 -l 4,8,3 "$flowers" && same "$tmp/out" fl.json "-l 4,8,3"
expect_status 0 "$MLPTRAIN" -q -e 30 -t species -l 4,8,3 "$flowers" && same "$tmp/out" fl.json "-t species -l 4,8,3"
bad_opt 1 "mlptrain: -l 4,8,2 ends in 2 outputs, but the target column 'species' holds 3 classes, one output each; use -l 4,8,3; or, if the last 2 columns are targets, name them with -t" \
	"$MLPTRAIN" -q -e 1 -l 4,8,2 "$flowers"

t "mlppredict: three probabilities a row; --labels the most probable class; -H names them"
if expect_status 0 "$MLPPREDICT" fl.json "$flowers"; then
	same_text "$(awk -F, 'NF != 3 { bad++ } END { print NR, bad + 0 }' "$tmp/out")" "150 0" "rows of three"
	cp "$tmp/out" fl.p
fi
if expect_status 0 "$MLPPREDICT" -l fl.json "$flowers"; then
	# the label of the largest probability, by awk
	awk -F, '{ b = 1; for (i = 2; i <= 3; i++) if ($i > $b) b = i; print (b == 1 ? "setosa" : b == 2 ? "versicolor" : "virginica") }' \
		fl.p >want.l
	same "$tmp/out" want.l "--labels against the largest probability"
fi
expect_status 0 "$MLPPREDICT" -H fl.json "$flowers" &&
	same_text "$(head -n 1 "$tmp/out")" "p_setosa,p_versicolor,p_virginica" "-H"
expect_status 0 "$MLPPREDICT" -H -l fl.json "$flowers" && same_text "$(head -n 1 "$tmp/out")" "species" "-H -l"

t "--normalize: each row's probabilities divided by their sum; refused without classes"
if expect_status 0 "$MLPPREDICT" --normalize fl.json "$flowers"; then
	paste -d, fl.p "$tmp/out" | awk -F, '{ s = $1 + $2 + $3; for (i = 1; i <= 3; i++) { d = $(i + 3) - $i / s;
		if (d < 0) d = -d; if (d > 1e-15) bad++ } } END { exit bad > 0 }' || fail "normalised rows are not p / sum"
fi
"$MLPTRAIN" -q -e 2 "$moons" >moons2.json
bad_opt 2 "mlppredict: --normalize: moons2.json has no K > 2 classes to share out (1 output)" \
	"$MLPPREDICT" --normalize moons2.json "$moons"
bad_opt 2 "mlppredict: -T: fl.json has 3 classes, and the predicted one is the most probable; a threshold is for one output" \
	"$MLPPREDICT" -T 0.3 fl.json "$flowers"

t "--eval with three classes: accuracy of the most probable class, per class, macro, the 3 x 3 confusion"
if expect_status 0 "$MLPPREDICT" -e -l fl.json "$flowers"; then
	truth_of "$flowers" 5 | paste -d, "$tmp/out" - | awk -F, '{ n++; ok += $1 == $2 } END { print ok / n }' >acc
	expect_err_line "classes 3" && expect_err_line "rows 150" && expect_err_line "accuracy $(cat acc)" &&
		expect_err_line "class virginica" && expect_err_line "support 50"
	same_text "$(grep -c '^confusion actual=' "$tmp/err")" 9 "confusion lines"
	# the counts of the confusion matrix are those of the labels against the truth
	truth_of "$flowers" 5 | paste -d, - "$tmp/out" | sort | uniq -c |
		awk '{ split($2, p, ","); printf "confusion actual=%s predicted=%s %d\n", p[1], p[2], $1 }' >conf
	while read -r line; do expect_err_line "$line"; done <conf
	# the summed binary log loss is what training minimised: the model's loss
	expect_err_line "binary_log_loss_sum $(jget .training.loss fl.json)"
	expect_err_match 'log_loss [0-9.e-]+' && expect_err_match 'macro_f1 [0-9.e-]+' && expect_err_match 'mean_roc_auc [0-9.e-]+'
fi

t "ten classes; labels that look like numbers are ordered by value, and 1.0 is the label 1"
awk 'BEGIN { srand(7); print "a,b,c,digit"; for (i = 0; i < 200; i++) { k = i % 10 + 1;
	printf "%.3f,%.3f,%.3f,%s\n", k + rand(), rand() * k, rand(), (k == 1 && i % 20 == 0 ? "1.0" : k) } }' >ten.csv
if expect_status 0 "$MLPTRAIN" -q -e 5 ten.csv; then
	json_is .classes "$tmp/out" '["1","2","3","4","5","6","7","8","9","10"]' && json_is .layers "$tmp/out" '[3,8,10]'
fi

t "--class-weight balanced over K classes: n / (K n_c); --holdout stratified over the classes"
head -n 141 "$flowers" >fl140.csv	# 50, 50 and 40 rows
expect_status 0 "$MLPTRAIN" -q -e 1 --class-weight balanced fl140.csv &&
	json_is .training.class_weight "$tmp/out" '[0.9333333333333333,0.9333333333333333,1.1666666666666667]'
expect_status 0 "$MLPTRAIN" -q -e 1 --holdout 0.2 fl140.csv && json_is .training.validation.rows "$tmp/out" 28

t "-i and --validate with three classes"
expect_status 0 "$MLPTRAIN" -q -e 10 "$flowers" && cp "$tmp/out" f10.json
"$MLPTRAIN" -q -e 4 "$flowers" >f4.json
expect_status 0 "$MLPTRAIN" -q -e 6 -i f4.json "$flowers" && same_text "$(jget .weights "$tmp/out")" "$(jget .weights f10.json)" "4 + 6 epochs"
printf 'sepal_length,sepal_width,petal_length,petal_width,species\n5,3.4,1.5,0.2,lily\n' >lily.csv
bad_opt 1 "mlptrain: lily.csv:2:5: target 'lily' is not one of the classes 'setosa', 'versicolor' and 'virginica' of the training set" \
	"$MLPTRAIN" -q -e 1 --validate lily.csv "$flowers"

# ---- targets are class labels; soft targets on request ----

t "a measurement as the target is refused, with the label column suggested"
awk -F, -v OFS=, 'NR == 1 { print "outcome", $1, $2, "score"; next } { print $3, $1, $2, $1 * 0.37 }' "$moons" >meas.csv
expect_status 1 "$MLPTRAIN" -q meas.csv && expect_no_stdout &&
	expect_err_match "mlptrain: meas\\.csv:[0-9]+:4: target column 'score' holds 400 distinct values, some not whole numbers \\('[-0-9.]+'\\): a target column holds class labels \\(text or whole numbers\\); is 'outcome' the label column\\? then -t 'outcome'"
expect_status 0 "$MLPTRAIN" -q -e 1 -t outcome meas.csv && json_is .targets "$tmp/out" '["outcome"]'

t "an id as the target is refused"
awk -F, -v OFS=, 'NR == 1 { print $0, "id"; next } { print $0, "r" NR }' "$moons" >idlast.csv
bad_opt 1 "mlptrain: idlast.csv: target column 'id' holds 400 distinct values, 400 of them on one row each: not class labels (an id, or a measurement?); is 'y' the label column? then -t 'y'" \
	"$MLPTRAIN" -q idlast.csv

# ---- text-valued features ----

t "-c color,size: one input per category, in byte order, never standardised; the columns in the model"
if expect_status 0 "$MLPTRAIN" -q -e 20 -c color,size "$shop"; then
	cp "$tmp/out" shop.json
	json_is .layers shop.json '[9,8,1]' && json_is .classes shop.json '["no","yes"]' && json_is .version shop.json 2
	json_is .features shop.json '["color=black","color=blue","color=green","color=red","size=L","size=M","size=S","size=XL","price"]'
	json_is '.columns[0]' shop.json '{"name":"color","kind":"categorical","categories":["black","blue","green","red"]}'
	json_is '.columns[2]' shop.json '{"name":"price","kind":"numeric"}'
	json_is '.standardize.mean[0:8]' shop.json '[0,0,0,0,0,0,0,0]' && json_is '.standardize.std[0:8]' shop.json '[1,1,1,1,1,1,1,1]'
fi

t "text in a column not named: the column and the way out; -c auto says what it chose"
bad_opt 1 "mlptrain: $shop:2:1: 'blue' in column 'color' is not a number; name it with --categorical to encode its values as categories, or -x to ignore it" \
	"$MLPTRAIN" -q -e 1 "$shop"
expect_status 0 "$MLPTRAIN" -e 20 -c auto -o auto.json "$shop" &&
	expect_err_line "mlptrain: --categorical auto: 'color' as 4, 'size' as 4"
same_text "$(jget .weights auto.json)" "$(jget .weights shop.json)" "-c auto and -c color,size"
bad_opt 1 "mlptrain: -l 5,8,1: $shop has 9 inputs after encoding 'color' as 4, 'size' as 4, not 5; use -l 9,8,1" \
	"$MLPTRAIN" -q -e 1 -c color,size -l 5,8,1 "$shop"
bad_opt 1 "mlptrain: $shop:8:2: column 'size' holds more than 3 categories: is it an id? skip it with -x, or allow more with --max-categories" \
	"$MLPTRAIN" -q -e 1 -c color,size --max-categories 3 "$shop"
bad_opt 2 "mlptrain: -c names column 'bought', which is not a feature column (a target, the weight, or skipped by -x)" \
	"$MLPTRAIN" -q -e 1 -c bought "$shop"

t "mlppredict encodes the columns by name; a category training never saw sets no input, counted or refused"
printf 'price,size,color,id\n20,M,red,a\n20,M,purple,b\n20,M,black,c\n' >new.csv
if expect_status 0 "$MLPPREDICT" -k id shop.json new.csv; then
	same_text "$(wc -l <"$tmp/out" | tr -d ' ')" 3 "rows" &&
		expect_err_only "mlppredict: column 'color': 1 value training never saw, encoded as all zeros"
fi
expect_status 1 "$MLPPREDICT" --strict-categories shop.json new.csv &&
	expect_err_only "mlppredict: new.csv:3:3: 'purple' in column 'color' is not one of the 4 categories training saw (--strict-categories)" &&
	same_text "$(wc -l <"$tmp/out" | tr -d ' ')" 1 "the row before it printed"
# by position, without a header: the same encoding
printf 'red,M,20\n' >pos.csv
printf 'color,size,price\nred,M,20\n' >named.csv
expect_status 0 "$MLPPREDICT" -N shop.json pos.csv && cp "$tmp/out" pos.out
expect_status 0 "$MLPPREDICT" shop.json named.csv && same "$tmp/out" pos.out "by position and by name"
printf 'color,size,price\nNA,M,20\n' >nacat.csv
bad_opt 1 "mlppredict: nacat.csv:2:1: missing value 'NA' in column 'color'; use --missing skip to skip such rows, or --missing na to print NA for them" \
	"$MLPPREDICT" shop.json nacat.csv

t "-i and --validate with categories: the model's encoding; unseen categories counted"
"$MLPTRAIN" -q -e 3 -c color,size "$shop" >s3.json
"$MLPTRAIN" -q -e 5 -c color,size "$shop" >s5.json
expect_status 0 "$MLPTRAIN" -q -e 2 -i s3.json "$shop" && same_text "$(jget .weights "$tmp/out")" "$(jget .weights s5.json)" "3 + 2 epochs"
sed 's/^red,/pink,/' "$shop" >pink.csv
expect_status 0 "$MLPTRAIN" -e 1 -c color,size --validate pink.csv -o v.json "$shop" &&
	expect_err_match "mlptrain: pink.csv: column 'color': [0-9]+ values training never saw, encoded as all zeros"

# ---- missing values: imputed, or passed through ----

awk -F, -v OFS=, 'NR == 1 { print; next } { if (NR % 7 == 0) $1 = "NA"; if (NR % 11 == 0) $2 = ""; print }' "$moons" >holes.csv

t "--impute mean: the training rows' means, kept in the model and applied by mlppredict"
if expect_status 0 "$MLPTRAIN" -q -e 5 --impute mean holes.csv; then
	cp "$tmp/out" imp.json
	m1=$(awk -F, 'NR > 1 && $1 != "NA" { s += $1; n++ } END { printf "%.17g", s / n }' holes.csv)
	json_is .impute imp.json '"mean"' && json_is .version imp.json 2 &&
		json_is .training.imputed_values imp.json 93
	awk -v m="$(jget '.columns[0].impute' imp.json)" -v w="$m1" 'BEGIN { d = m - w; if (d < 0) d = -d; exit d > 1e-12 * (w < 0 ? -w : w) }' ||
		fail "the fill value of x1 is not the mean of its values"
	printf 'x1,x2\nNA,0.5\n%s,0.5\n' "$(jget '.columns[0].impute' imp.json)" >fill.csv
	expect_status 0 "$MLPPREDICT" imp.json fill.csv &&
		same_text "$(sed -n 1p "$tmp/out")" "$(sed -n 2p "$tmp/out")" "a missing x1 scored as its mean"
fi
expect_status 0 "$MLPTRAIN" -q -e 1 --impute median holes.csv && json_is .impute "$tmp/out" '"median"'
bad_opt 2 "mlptrain: --impute: 'mode' is not mean or median" "$MLPTRAIN" -q --impute mode holes.csv

t "mlppredict --missing na: NA in the row's place, lines aligned; skip is --drop-missing"
"$MLPTRAIN" -q -e 5 "$moons" >m5.json
if expect_status 0 "$MLPPREDICT" --missing na m5.json holes.csv; then
	same_text "$(wc -l <"$tmp/out" | tr -d ' ')" 400 "one line a row" &&
		same_text "$(grep -c '^NA$' "$tmp/out")" 88 "NA lines" &&
		expect_err_only "mlppredict: printed NA for 88 rows with missing values"
fi
expect_status 0 "$MLPPREDICT" --missing skip m5.json holes.csv && cp "$tmp/out" skip.out
expect_status 0 "$MLPPREDICT" --drop-missing m5.json holes.csv && same "$tmp/out" skip.out "--drop-missing"
bad_opt 2 "mlppredict: --missing: 'zero' is not error, skip or na" "$MLPPREDICT" --missing zero m5.json holes.csv

# ---- a newcomer's mistakes ----

t "mlppredict: the arguments swapped; -t is -T; a header again inside the rows"
bad_opt 2 "mlppredict: $moons is CSV, not a model: the model comes first, as in mlppredict MODEL [FILE ...]; was it m5.json?" \
	"$MLPPREDICT" "$moons" m5.json
bad_opt 2 "mlppredict: -t 'y': the threshold is -T now (mlppredict has no target option: --eval reads the model's targets by name)" \
	"$MLPPREDICT" -t y m5.json "$moons"
expect_status 0 "$MLPPREDICT" -l -t 0.8 m5.json "$moons" && cp "$tmp/out" t08.out &&
	expect_err_only "mlppredict: -t is the old spelling of -T (--threshold), which it will give way to"
expect_status 0 "$MLPPREDICT" -l -T 0.8 m5.json "$moons" && same "$tmp/out" t08.out "-T and the old -t"
head -n 3 "$moons" >a.csv
cat a.csv a.csv >ab.csv
expect_status 1 "$MLPPREDICT" m5.json ab.csv &&
	expect_err_only "mlppredict: ab.csv:4: this row repeats the header of line 1: files joined with cat? give mlppredict the files one by one"
bad_opt 1 "mlptrain: ab.csv:4: this row repeats the header of line 1: files joined with cat? keep one header (tail -n +2 on the files after the first)" \
	"$MLPTRAIN" -q ab.csv

t "a tab-separated file, a gzip file, a separator at the end of every line"
tr ',' '\t' <"$moons" >tabs.tsv
bad_opt 1 "mlptrain: tabs.tsv:1: one column per row, and tabs inside: a tab-separated file? give -d tab" "$MLPTRAIN" -q tabs.tsv
expect_status 0 "$MLPTRAIN" -q -e 1 -d tab tabs.tsv
if command -v gzip >/dev/null 2>&1; then
	gzip -c "$moons" >moons.csv.gz
	expect_status 1 "$MLPTRAIN" -q moons.csv.gz &&
		expect_err_only "mlptrain: moons.csv.gz: gzip-compressed data, not text: decompress it first (zcat moons.csv.gz | ... -)"
fi
bad_opt 1 "mlppredict: tabs.tsv:1: one column per row, and tabs inside: a tab-separated file? give -d tab" "$MLPPREDICT" m5.json tabs.tsv
sed 's/$/,/' "$moons" >trail.csv
bad_opt 1 "mlptrain: trail.csv:2:4: column '' is empty and has no name: a separator at the end of every line? skip the column with -x 4" \
	"$MLPTRAIN" -q trail.csv
expect_status 0 "$MLPTRAIN" -q -e 1 -x 4 trail.csv

t "column names: did you mean, another case, quoted names with the separator"
bad_opt 2 "mlptrain: -t: $shop has no column 'brought'; did you mean 'bought'?" "$MLPTRAIN" -q -t brought "$shop"
bad_opt 2 "mlptrain: -x: $shop has no column 'Color'; did you mean 'color'?" "$MLPTRAIN" -q -x Color "$shop"
bad_opt 2 "mlppredict: -k: $moons has no column 'id'; its columns are 'x1', 'x2', 'y'" "$MLPPREDICT" -k id m5.json "$moons"
awk -F, -v OFS=, 'NR == 1 { print $1, $2, "\"outcome, final\""; next } { print }' "$moons" >quoted.csv
expect_status 0 "$MLPTRAIN" -q -e 1 -t '"outcome, final"' quoted.csv && json_is .targets "$tmp/out" '["outcome, final"]'

t "-l without the output layer: what the data implies"
bad_opt 1 "mlptrain: -l 2,8 ends in 8 outputs, but the target column 'y' holds two classes, which take one output; use -l 2,8,1 (the last size of -l is the output layer)" \
	"$MLPTRAIN" -q -l 2,8 "$moons"

t "a rate too large: a warning naming it, the model still written"
if expect_status 0 "$MLPTRAIN" -e 8 -Z -r 1e6 -o big.json "$DATA/blobs4.csv"; then
	expect_err_match "mlptrain: warning: the (training loss rose for 3 epochs in a row|final training loss .* is far (above the first epoch's|worse than guessing 0\\.5 for every output)) .*-r 1e\\+06.*" &&
		json_valid big.json
fi
expect_status 0 "$MLPTRAIN" -q -e 8 -Z -r 1e6 -o big.json "$DATA/blobs4.csv" && expect_no_stderr

t "-i keeps what the model was trained with: its fill values, categories and soft targets"
"$MLPTRAIN" -q -e 2 --impute median holes.csv >med.json
expect_status 0 "$MLPTRAIN" -q -e 1 -i med.json "$moons" &&
	same_text "$(jget .columns "$tmp/out")" "$(jget .columns med.json)" "fill values kept" && json_is .impute "$tmp/out" '"median"'
bad_opt 2 "mlptrain: --impute mean: med.json fills missing values with the median, which -i keeps" \
	"$MLPTRAIN" -q -e 1 -i med.json --impute mean holes.csv
bad_opt 2 "mlptrain: -c: -i keeps the feature columns and categories of shop.json (start a new model to change them)" \
	"$MLPTRAIN" -q -e 1 -i shop.json -c color "$shop"
printf 'a,b,y\n1,2,0.25\n2,1,0.75\n' >soft.csv
"$MLPTRAIN" -q -e 1 --soft-targets soft.csv >soft.json
expect_status 0 "$MLPTRAIN" -q -e 1 -i soft.json soft.csv && json_is .training.soft_targets "$tmp/out" true
bad_opt 2 "mlptrain: --soft-targets: fl.json was trained on the class labels of its target" \
	"$MLPTRAIN" -q -e 1 -i fl.json --soft-targets "$flowers"

t "a model that imputes: a missing category sets no input in mlppredict and in -i rows"
awk -F, -v OFS=, 'NR == 1 { print; next } { if (NR % 5 == 0) $1 = "NA"; if (NR % 9 == 0) $3 = ""; print }' "$shop" >shopna.csv
if expect_status 0 "$MLPTRAIN" -q -e 3 -c color,size --impute mean shopna.csv; then
	cp "$tmp/out" shopimp.json
	json_is .impute shopimp.json '"mean"'
	printf 'color,size,price\nNA,M,20\nblack,M,20\n' >nacolor.csv
	expect_status 0 "$MLPPREDICT" shopimp.json nacolor.csv && same_text "$(wc -l <"$tmp/out" | tr -d ' ')" 2 "two rows"
	expect_status 0 "$MLPTRAIN" -q -e 1 -i shopimp.json shopna.csv
fi

e2e_done e2e_classes
