#!/bin/sh
# End-to-end tests of mlptrain on the CSV files people have: columns chosen
# by name or number (-t, -x), per-row and class weights (-w,
# --class-weight), class labels (--positive), missing values
# (--drop-missing), quoting and line-end variants, and validation
# (--holdout, --validate).  Run from the top of the source tree as
# "sh tests/e2e_train.sh"; the variables of tests/e2e_lib.sh apply.  The last
# line is "e2e_train: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"

# weights_of FILE: the weight matrices of a model, compact.
weights_of() {
	jget .weights "$1"
}

# same_weights A B WHAT: two models have bit-identical weights (as written).
same_weights() {
	_a=$(weights_of "$1")
	_b=$(weights_of "$2")
	if [ -z "$_a" ] || [ "$_a" = null ]; then
		fail "$3: $1 has no weights"
		return 1
	fi
	[ "$_a" = "$_b" ] && return 0
	fail "$3: the weights of $1 and $2 differ"
	return 1
}

# A small data set in four layouts: plain, with an id and a date around the
# features and the target first, with class labels, and with missing values.
head -n 41 "$DATA/moons.csv" >base.csv
awk -F, -v OFS=, 'NR == 1 { print "id", "y", "x1", "date", "x2"; next }
	{ print NR - 1, $3, $1, "2026-11-" (NR % 28 + 1), $2 }' base.csv >shuffled.csv
awk -F, -v OFS=, 'NR == 1 { print "x1", "x2", "kind"; next }
	{ print $1, $2, ($3 == 1 ? "rock" : "mine") }' base.csv >labels.csv

# ---- columns ----

t "-t and -x by name: the same model as the plain file"
"$MLPTRAIN" -q -S -e 5 base.csv >plain.json
expect_status 0 "$MLPTRAIN" -q -S -e 5 -t y -x id,date shuffled.csv && cp "$tmp/out" named.json &&
	same_weights named.json plain.json "-t y -x id,date" && json_is .features named.json '["x1","x2"]' &&
	json_is .targets named.json '["y"]'

t "-t and -x by number and range"
expect_status 0 "$MLPTRAIN" -q -S -e 5 -t 2 -x 1,4 shuffled.csv && same_weights "$tmp/out" plain.json "-t 2 -x 1,4"
expect_status 0 "$MLPTRAIN" -q -S -e 5 -t y -x 1,4-4 shuffled.csv && same_weights "$tmp/out" plain.json "-x 1,4-4"

t "repeated header names: an error naming both columns when one is read, in both tools"
awk -F, -v OFS=, 'NR == 1 { print "note", $1, $2, "note", $3; next } { print "a", $1, $2, "b", $3 }' base.csv >notes.csv
bad_opt 1 "mlptrain: notes.csv:1: columns 1 and 4 are both named 'note' (feature 1); rename one of them" \
	"$MLPTRAIN" -q -S -e 5 notes.csv
bad_opt 2 "mlptrain: -x: 'note' is the name of columns 1 and 4 of notes.csv; give the number of the one meant" \
	"$MLPTRAIN" -q -S -e 5 -x note notes.csv
# both repeated columns skipped: harmless, the same model as without them
expect_status 0 "$MLPTRAIN" -q -S -e 5 -x 1,4 notes.csv && cp "$tmp/out" notes.json &&
	same_weights notes.json plain.json "-x 1,4" && json_is .features notes.json '["x1","x2"]'
# mlppredict ignores columns the model does not name, repeated or not
"$MLPPREDICT" plain.json base.csv >plain.out
expect_status 0 "$MLPPREDICT" notes.json notes.csv && same "$tmp/out" plain.out "notes.csv scored by name"
awk -F, -v OFS=, 'NR == 1 { print "w", $1, $2, "w", $3; next } { print 1, $1, $2, 2, $3 }' base.csv >w2.csv
bad_opt 1 "mlptrain: w2.csv:1: columns 1 and 4 are both named 'w' (the weight); rename one of them" \
	"$MLPTRAIN" -q -e 1 -w 1 -x 4 w2.csv
awk -F, -v OFS=, 'NR == 1 { print $1, "y", $2, $3; next } { print $1, 0, $2, $3 }' base.csv >y2.csv
bad_opt 1 "mlptrain: y2.csv:1: columns 2 and 4 are both named 'y' (target 1); rename one of them" \
	"$MLPTRAIN" -q -e 1 -x 2 y2.csv
awk -F, -v OFS=, 'NR == 1 { print "x1", $1, $2, $3; next } { print 0, $1, $2, $3 }' base.csv >x1x1.csv
bad_opt 1 "mlptrain: x1x1.csv:1: columns 1 and 2 are both named 'x1' (feature 1 of the training set); rename one of them" \
	"$MLPTRAIN" -q -e 1 --validate x1x1.csv base.csv
bad_opt 1 "mlppredict: x1x1.csv:1: columns 1 and 2 are both named 'x1' (feature 1 of plain.json); rename one of them" \
	"$MLPPREDICT" plain.json x1x1.csv

t "without -t the target is the last column -x leaves"
awk -F, -v OFS=, '{ print $1, $2, $3, NR }' base.csv >idlast.csv
expect_status 0 "$MLPTRAIN" -q -S -e 5 -x 4 idlast.csv && same_weights "$tmp/out" plain.json "-x 4"

t "several targets by name, in the order given"
expect_status 0 "$MLPTRAIN" -q -S -e 3 -t y2,y1 -l 3,2 "$multi" && json_is .targets "$tmp/out" '["y2","y1"]'

t "column errors: exit 2, one line naming the option and the column"
bad_opt 2 "mlptrain: -t: shuffled.csv has no column 'label'; its columns are 'id', 'y', 'x1', 'date', 'x2'" \
	"$MLPTRAIN" -q -t label shuffled.csv
bad_opt 2 "mlptrain: -t: shuffled.csv has no column 'Y'; did you mean 'y'?" "$MLPTRAIN" -q -t Y shuffled.csv
bad_opt 2 "mlptrain: -x: shuffled.csv has no column 'dates'; did you mean 'date'?" "$MLPTRAIN" -q -x dates shuffled.csv
bad_opt 2 "mlptrain: -x: '9': shuffled.csv has 5 columns" "$MLPTRAIN" -q -x 9 shuffled.csv
bad_opt 2 "mlptrain: -x and -t both name column 'y'" "$MLPTRAIN" -q -t y -x y shuffled.csv
bad_opt 2 "mlptrain: -t: 'y,': empty entry; expected column names or numbers like id,3,5-7" "$MLPTRAIN" -q -t y, shuffled.csv
tail -n +2 shuffled.csv >nohead.csv
bad_opt 2 "mlptrain: -t: 'y': nohead.csv has no header line, so its columns are given by number, from 1 to 5" \
	"$MLPTRAIN" -q -t y -x 1,4 nohead.csv
bad_opt 1 "mlptrain: -l 2,2 ends in 2 outputs, but the target column 'y' holds two classes, which take one output; use -l 2,2,1 (the last size of -l is the output layer)" \
	"$MLPTRAIN" -q -t y -l 2,2 base.csv

# ---- CSV forms: the same numbers in other clothes give the same model ----

t "quoted fields with separators, quotes and newlines; CRLF and a BOM; no last newline"
awk -F, -v OFS=, 'NR == 1 { print "\"note, with \"\"quotes\"\"\"", $0; next }
	{ print "\"a,b\nc\"", $0 }' base.csv >quoted.csv
expect_status 0 "$MLPTRAIN" -q -S -e 5 -x 1 quoted.csv && same_weights "$tmp/out" plain.json "quoted"
{ printf '\357\273\277'; sed 's/$/\r/' base.csv | awk 'NR == 5 { print "\r" } { print }'; } | head -c -2 >crlf.csv
expect_status 0 "$MLPTRAIN" -q -S -e 5 crlf.csv && same_weights "$tmp/out" plain.json "CRLF, BOM, blank line, no last newline"

t "semicolons and tabs with -d"
tr , ';' <base.csv >semi.csv
expect_status 0 "$MLPTRAIN" -q -S -e 5 -d ';' semi.csv && same_weights "$tmp/out" plain.json "-d ';'"
tr , '\t' <base.csv >tabs.tsv
expect_status 0 "$MLPTRAIN" -q -S -e 5 -d tab tabs.tsv && same_weights "$tmp/out" plain.json "-d tab"

# ---- class labels ----

t "two class labels become 0 and 1 in sorted order; the model keeps them"
expect_status 0 "$MLPTRAIN" -q -S -e 5 labels.csv && cp "$tmp/out" lab.json &&
	same_weights lab.json plain.json "labels mine/rock" && json_is .classes lab.json '["mine","rock"]'

t "--positive picks the class that is 1"
awk -F, -v OFS=, 'NR == 1 { print; next } { print $1, $2, 1 - $3 }' base.csv >flipped.csv
"$MLPTRAIN" -q -S -e 5 flipped.csv >flipped.json
expect_status 0 "$MLPTRAIN" -q -S -e 5 --positive mine labels.csv &&
	same_weights "$tmp/out" flipped.json "--positive mine" && json_is .classes "$tmp/out" '["rock","mine"]'
bad_opt 2 "mlptrain: --positive: 'stone' is not one of the labels 'mine' and 'rock' of column 'kind'" \
	"$MLPTRAIN" -q --positive stone labels.csv
bad_opt 2 "mlptrain: --positive needs one target column of class labels; $multi has 2 targets" \
	"$MLPTRAIN" -q --positive 1 -l 3,2 "$multi"

t "labels without a header line: the first row is data (a label column does not make a header)"
tail -n +2 labels.csv >labnohead.csv
expect_status 0 "$MLPTRAIN" -q -S -e 5 labnohead.csv && same_weights "$tmp/out" plain.json "headerless labels" &&
	json_is .training.rows "$tmp/out" 40

t "numbers other than 0 and 1 as the two classes (2 and 4)"
awk -F, -v OFS=, 'NR == 1 { print; next } { print $1, $2, 2 + 2 * $3 }' base.csv >twofour.csv
expect_status 0 "$MLPTRAIN" -q -S -e 5 twofour.csv && same_weights "$tmp/out" plain.json "2/4" &&
	json_is .classes "$tmp/out" '["2","4"]'

t "three labels: three outputs; one label: exit 1"
printf 'a,species\n1,setosa\n2,versicolor\n3,setosa\n4,virginica\n' >iris3.csv
expect_status 0 "$MLPTRAIN" -q iris3.csv && json_is .classes "$tmp/out" '["setosa","versicolor","virginica"]' &&
	json_is .layers "$tmp/out" '[1,8,3]' && json_is .version "$tmp/out" 2
printf 'a,c\n1,yes\n2,yes\n' >one.csv
bad_opt 1 "mlptrain: one.csv: target column 'c' holds one label, 'yes': two classes are needed" \
	"$MLPTRAIN" -q one.csv

t "-i with a labelled model: the same labels are required"
"$MLPTRAIN" -q -e 2 labels.csv >lab2.json
expect_status 0 "$MLPTRAIN" -q -e 2 -i lab2.json labels.csv && json_is .classes "$tmp/out" '["mine","rock"]'
sed 's/,rock$/,stone/' labels.csv >stone.csv
bad_opt 1 "mlptrain: stone.csv:3:3: target 'stone' is not one of the classes 'mine' and 'rock' of lab2.json" \
	"$MLPTRAIN" -q -i lab2.json stone.csv
bad_opt 2 "mlptrain: --positive 'mine': the positive class of lab2.json is 'rock'" \
	"$MLPTRAIN" -q -i lab2.json --positive mine labels.csv

# ---- missing values ----

awk -F, -v OFS=, 'NR == 3 { $1 = "NA" } NR == 6 { $2 = "" } NR == 9 { $3 = "?" } NR == 12 { $1 = "null" } { print }' \
	base.csv >holes.csv
awk 'NR != 3 && NR != 6 && NR != 9 && NR != 12' base.csv >noholes.csv

t "a missing value: exit 1 naming line, column and value, with the way out"
bad_opt 1 "mlptrain: holes.csv:3:1: missing value 'NA' in column 'x1'; use --drop-missing to skip such rows, or --impute mean to fill them" \
	"$MLPTRAIN" -q holes.csv
tail -n +2 holes.csv >holesnohead.csv
bad_opt 1 "mlptrain: holesnohead.csv:2:1: missing value 'NA' in column 1; use --drop-missing to skip such rows, or --impute mean to fill them" \
	"$MLPTRAIN" -q holesnohead.csv

t "--drop-missing skips those rows, says how many, and trains as on the file without them"
"$MLPTRAIN" -q -S -e 5 noholes.csv >noholes.json
expect_status 0 "$MLPTRAIN" -S -e 5 --drop-missing holes.csv && same_weights "$tmp/out" noholes.json "--drop-missing" &&
	expect_err_line "mlptrain: holes.csv: skipped 4 rows with missing values" &&
	json_is .training.dropped_rows "$tmp/out" 4
expect_status 0 "$MLPTRAIN" -q -S -e 5 --drop-missing holes.csv && expect_no_stderr
awk 'NR != 6 && NR != 9 && NR != 12' holes.csv >hole1.csv
expect_status 0 "$MLPTRAIN" -S -e 1 --drop-missing hole1.csv &&
	expect_err_line "mlptrain: hole1.csv: skipped 1 row with missing values"

t "a missing value in an ignored column is fine"
awk -F, -v OFS=, 'NR == 4 { $1 = "" } { print }' shuffled.csv >idhole.csv
expect_status 0 "$MLPTRAIN" -q -S -e 5 -t y -x id,date idhole.csv && same_weights "$tmp/out" plain.json "hole in -x column"

# ---- weights ----

awk -F, -v OFS=, 'NR == 1 { print $0, "w"; next } { print $0, 2 }' base.csv >w2.csv
awk -F, -v OFS=, 'NR == 1 { print $0, "w"; next } { print $0, 1 }' base.csv >w1.csv

t "-w: a weight of 1 changes nothing; a weight of 2 is a step of 2 eta"
expect_status 0 "$MLPTRAIN" -q -S -e 5 -w w w1.csv && same_weights "$tmp/out" plain.json "-w, all 1" &&
	json_is .training.weight_column "$tmp/out" '"w"'
"$MLPTRAIN" -q -S -e 5 -r 0.2 base.csv >r2.json
expect_status 0 "$MLPTRAIN" -q -S -e 5 -r 0.1 -w 4 w2.csv && same_weights "$tmp/out" r2.json "-w 4, all 2, against -r 0.2"

t "-w: rows of weight 0 count for nothing"
{ cat base.csv | awk -F, -v OFS=, 'NR == 1 { print $0, "w"; next } { print $0, 1 }'
  awk -F, -v OFS=, 'NR > 1 && NR < 12 { print -$1, $2, 1 - $3, 0 }' base.csv; } >w0.csv
expect_status 0 "$MLPTRAIN" -q -S -Z -e 5 -w w w0.csv && cp "$tmp/out" w0.json
"$MLPTRAIN" -q -S -Z -e 5 base.csv >plainz.json
same_weights w0.json plainz.json "weight-0 rows"

t "-w errors"
awk -F, -v OFS=, 'NR == 5 { $4 = -1 } { print }' w1.csv >wneg.csv
bad_opt 1 "mlptrain: wneg.csv:5:4: weight '-1' is negative" "$MLPTRAIN" -q -w w wneg.csv
bad_opt 2 "mlptrain: -w: 'x1,w' names 2 columns; the weight is one column" "$MLPTRAIN" -q -w x1,w w1.csv

t "--class-weight balanced: n / (2 n_c), as -w with those weights"
# 40 rows: count the classes, write each row's balanced weight, train both ways.
n1=$(awk -F, 'NR > 1 && $3 == 1' base.csv | wc -l)
awk -F, -v OFS=, -v n1="$n1" 'NR == 1 { print $0, "w"; next }
	{ n0 = 40 - n1; printf "%s,%.17g\n", $0, ($3 == 1 ? 40 / (2 * n1) : 40 / (2 * n0)) }' base.csv >wbal.csv
expect_status 0 "$MLPTRAIN" -q -S -e 5 --class-weight balanced base.csv && cp "$tmp/out" bal.json
"$MLPTRAIN" -q -S -e 5 -w w wbal.csv >wbal.json
same_weights bal.json wbal.json "balanced against -w"
json_is '.training.class_weight|length' bal.json 2
expect_status 0 "$MLPTRAIN" -q -S -e 5 --class-weight none base.csv && same_weights "$tmp/out" plain.json "none"
bad_opt 2 "mlptrain: --class-weight: 'auto' is not balanced or none" "$MLPTRAIN" -q --class-weight auto base.csv
printf 'a,y\n1,0.5\n2,1\n' >soft.csv
bad_opt 1 "mlptrain: --class-weight balanced needs targets that are 0 or 1 (or class labels); soft.csv has 0.5" \
	"$MLPTRAIN" -q --soft-targets --class-weight balanced soft.csv

# ---- validation ----

head -n 1 base.csv >val.csv
sed -n '42,81p' "$DATA/moons.csv" >>val.csv

t "--validate: val_loss and val_accuracy in every epoch line and in the model"
expect_status 0 "$MLPTRAIN" -e 3 --validate val.csv base.csv && cp "$tmp/out" v.json
[ "$(grep -c -E '^epoch [0-9]+/3  loss [0-9.]+  accuracy [0-9.]+  val_loss [0-9.]+  val_accuracy [0-9.]+  time ' "$tmp/err")" = 3 ] ||
	fail "three epoch lines with val_loss and val_accuracy expected:" "$(cat "$tmp/err")"
expect_err_match "final  epochs 3  loss [0-9.]+  accuracy [0-9.]+  val_loss [0-9.]+  val_accuracy [0-9.]+  rows 40  time .*"
json_is .training.validation.rows v.json 40
json_is .training.validation.file v.json '"val.csv"'
json_is .training.validation.holdout v.json null && json_is .training.validation.split v.json null

t "--validate: the validation loss is the loss of the model on those rows; statistics from training rows only"
"$MLPTRAIN" -q -e 3 base.csv >nov.json
same_text "$(jget .standardize v.json)" "$(jget .standardize nov.json)" "standardisation with and without --validate"
same_weights v.json nov.json "validation does not change training"
"$MLPTRAIN" -q -e 0 -i v.json val.csv >v0.json
same_text "$(jget .training.loss v0.json)" "$(jget .training.validation.loss v.json)" "validation loss"

t "--validate takes the training columns by name, in any order"
awk -F, -v OFS=, 'NR == 1 { print "id", $3, $2, $1; next } { print NR, $3, $2, $1 }' val.csv >valre.csv
expect_status 0 "$MLPTRAIN" -q -e 3 --validate valre.csv base.csv &&
	same_text "$(jget .training.validation.loss "$tmp/out")" "$(jget .training.validation.loss v.json)" "reordered"
printf 'x1,y\n1,0\n' >valbad.csv
bad_opt 1 "mlptrain: valbad.csv:1: no column 'x2' (feature 2 of the training set)" \
	"$MLPTRAIN" -q --validate valbad.csv base.csv

t "--holdout: a stratified, seeded share of the rows; the same seed, the same split"
expect_status 0 "$MLPTRAIN" -e 2 --holdout 0.25 base.csv && cp "$tmp/out" h1.json &&
	json_is .training.rows h1.json 30 && json_is .training.validation.rows h1.json 10 &&
	json_is .training.validation.holdout h1.json 0.25
expect_err_match "epoch 2/2  loss [0-9.]+  accuracy [0-9.]+  val_loss [0-9.]+  val_accuracy [0-9.]+  time .*"
"$MLPTRAIN" -q -e 2 --holdout 0.25 base.csv >h2.json
same h1.json h2.json "two runs with -s 1"
"$MLPTRAIN" -q -e 2 --holdout 0.25 -s 2 base.csv >h3.json
differ h1.json h3.json "-s 2 draws another split"

t "--holdout and --validate errors"
bad_opt 2 "mlptrain: --holdout: '0' is not a number between 0 and 1 (both excluded)" "$MLPTRAIN" -q --holdout 0 base.csv
bad_opt 2 "mlptrain: --holdout and --validate: choose one way to validate" \
	"$MLPTRAIN" -q --holdout 0.2 --validate val.csv base.csv
bad_opt 1 "mlptrain: --holdout 0.001 of 40 rows leaves no row to validate on" "$MLPTRAIN" -q --holdout 0.001 base.csv
bad_opt 3 "mlptrain: nosuch.csv: No such file or directory" "$MLPTRAIN" -q --validate nosuch.csv base.csv

# ---- the two tools agree ----

t "mlppredict --eval gives the loss and accuracy mlptrain stored, bit for bit (labels, -x, reordered columns)"
awk -F, -v OFS=, 'NR == 1 { print "id", $0; next } { print "r" NR, $0 }' labels.csv >idlabels.csv
"$MLPTRAIN" -q -e 5 -x id idlabels.csv >agree.json
expect_status 0 "$MLPPREDICT" -e agree.json idlabels.csv &&
	same_text "$(sed -n 's/^log_loss //p' "$tmp/err")" "$(jget .training.loss agree.json)" "log loss" &&
	same_text "$(sed -n 's/^accuracy //p' "$tmp/err")" "$(jget .training.accuracy agree.json)" "accuracy"
awk -F, -v OFS=, 'NR == 1 { print "kind", "x2", "x1"; next } { print ($3 == 1 ? "rock" : "mine"), $2, $1 }' val.csv >vallab.csv
expect_status 0 "$MLPTRAIN" -q -e 5 -x id --validate vallab.csv idlabels.csv && cp "$tmp/out" agree2.json
expect_status 0 "$MLPPREDICT" -e agree2.json vallab.csv &&
	same_text "$(sed -n 's/^log_loss //p' "$tmp/err")" "$(jget .training.validation.loss agree2.json)" "validation loss"

e2e_done e2e_train
