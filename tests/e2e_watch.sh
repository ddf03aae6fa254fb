#!/bin/sh
# End-to-end tests of steering and watching training: the history file
# (--history), the SVG plot (--plot), early stopping (--patience, --tol),
# learning-rate schedules (--decay and its parameters), resuming (-i), and
# the progress display on a terminal (under script(1)'s pseudo-terminal)
# and elsewhere.  Run from the top of the source tree as
# "sh tests/e2e_watch.sh"; the variables of tests/e2e_lib.sh apply.  The last
# line is "e2e_watch: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"

# col FILE NAME: the values of the column NAME of a CSV file, one per line.
col() {
	awk -F, -v want="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i; next } c { print $c }' "$1"
}

# no_controls FILE WHAT: FILE holds no escape and no carriage return.
no_controls() {
	_n=$(tr -d -c '\033\r' <"$1" | wc -c)
	[ "$_n" -eq 0 ] && return 0
	fail "$2: $_n escape or carriage-return bytes"
	return 1
}

# svg_points FILE CLASS: the number of x,y pairs of the polyline of that class.
svg_points() {
	xmllint --xpath "string(//*[local-name()='polyline'][@class='$2']/@points)" "$1" 2>/dev/null | wc -w
}

head -n 201 "$DATA/moons.csv" >small.csv
n_small=200

# ---- --history ----

t "--history: one row per epoch, numbered, with validation columns only when there is validation"
expect_status 0 "$MLPTRAIN" -q -e 7 --history h.csv small.csv && expect_no_stderr
same_text "$(head -n 1 h.csv)" "epoch,loss,accuracy,rate,seconds" "header without validation"
same_text "$(col h.csv epoch | tr '\n' ' ')" "1 2 3 4 5 6 7 " "epoch numbers"
same_text "$(col h.csv rate | sort -u)" "0.1" "the constant rate"
awk -F, 'NR > 1 && !($2 > 0 && $3 >= 0 && $3 <= 1 && $5 >= 0 && NF == 5) { bad = 1 } END { exit bad }' h.csv ||
	fail "a row of h.csv is not loss > 0, accuracy in [0,1], seconds >= 0"
expect_status 0 "$MLPTRAIN" -q -e 4 --holdout 0.25 --history hv.csv small.csv
same_text "$(head -n 1 hv.csv)" "epoch,loss,accuracy,val_loss,val_accuracy,rate,seconds" "header with validation"
same_text "$(($(wc -l <hv.csv) - 1))" 4 "rows with validation"

t "--history: the last row is the written model's loss on its validation rows, exactly"
v=$(tail -n 1 hv.csv | cut -d, -f4)
m=$(jget .training.validation.loss "$tmp/out")
awk -v a="$v" -v b="$m" 'BEGIN { exit !(a + 0 == b + 0) }' || fail "history $v, model $m"

# ---- schedules ----

t "--decay inverse: eta / (1 + k t) with t the updates before the epoch; k defaults to 1 / rows"
expect_status 0 "$MLPTRAIN" -q -e 6 -r 0.4 --decay inverse --history hi.csv small.csv &&
	json_is .training.decay "$tmp/out" '"inverse"' && json_is .training.updates "$tmp/out" $((6 * n_small))
awk -F, -v n=$n_small 'NR > 1 { want = 0.4 / (1 + (1 / n) * (($1 - 1) * n)); if ($4 + 0 != want) bad = 1 }
	END { exit bad }' hi.csv || fail "inverse rates differ from 0.4 / (1 + k t)"
expect_status 0 "$MLPTRAIN" -q -e 3 -r 0.4 --decay inverse --decay-k 0.001 --history hk.csv small.csv
awk -F, -v n=$n_small 'NR > 1 { want = 0.4 / (1 + 0.001 * (($1 - 1) * n)); if ($4 + 0 != want) bad = 1 } END { exit bad }' hk.csv ||
	fail "--decay-k 0.001: rates differ"

t "--decay step: eta g^floor((e - 1) / n)"
expect_status 0 "$MLPTRAIN" -q -e 7 -r 0.5 --decay step --decay-every 3 --decay-factor 0.1 --history hs.csv small.csv
same_text "$(col hs.csv rate | awk '{ printf "%.6g ", $1 }')" "0.5 0.5 0.5 0.05 0.05 0.05 0.005 " "step rates"
expect_status 0 "$MLPTRAIN" -q -e 21 --decay step --history hd.csv small.csv
same_text "$(col hd.csv rate | sort -u -g | tr '\n' ' ')" "0.025 0.05 0.1 " "step defaults: every 10 epochs, by 0.5"

t "schedule and early-stopping options out of place or out of range: exit 2, one line"
bad_opt 2 "mlptrain: --decay: 'cosine' is not none, inverse or step" "$MLPTRAIN" --decay cosine small.csv
bad_opt 2 "mlptrain: --decay-k goes with --decay inverse" "$MLPTRAIN" --decay-k 0.1 small.csv
bad_opt 2 "mlptrain: --decay-every goes with --decay step" "$MLPTRAIN" --decay inverse --decay-every 2 small.csv
bad_opt 2 "mlptrain: --decay-factor goes with --decay step" "$MLPTRAIN" --decay-factor 0.5 small.csv
bad_opt 2 "mlptrain: --decay-factor: '1' is not a number between 0 and 1 (both excluded)" \
	"$MLPTRAIN" --decay step --decay-factor 1 small.csv
bad_opt 2 "mlptrain: --decay-every: '0' is not a whole number from 1 to 1000000000" \
	"$MLPTRAIN" --decay step --decay-every 0 small.csv
bad_opt 2 "mlptrain: --decay-k: '-1' is not a number >= 0" "$MLPTRAIN" --decay inverse --decay-k -1 small.csv
bad_opt 2 "mlptrain: --patience watches the validation loss: add --holdout or --validate" \
	"$MLPTRAIN" --patience 3 small.csv
bad_opt 2 "mlptrain: --patience: '0' is not a whole number from 1 to 1000000000" \
	"$MLPTRAIN" --patience 0 --holdout 0.2 small.csv
bad_opt 2 "mlptrain: --tol goes with --patience" "$MLPTRAIN" --tol 0.01 --holdout 0.2 small.csv
bad_opt 2 "mlptrain: --tol: 'x' is not a number >= 0" "$MLPTRAIN" --tol x --patience 2 --holdout 0.2 small.csv

# ---- early stopping ----

t "--patience: stops, keeps the best epoch; the model's validation loss is that epoch's row"
expect_status 0 "$MLPTRAIN" -e 300 -r 2 --holdout 0.3 --patience 4 --history hp.csv -o es.json small.csv
best=$(jget .training.early_stopping.best_epoch es.json)
last=$(jget .training.early_stopping.last_epoch es.json)
json_is .training.early_stopping.stopped es.json true
same_text "$last" "$(tail -n 1 hp.csv | cut -d, -f1)" "last epoch in the model and the history"
same_text "$((last - best))" 4 "epochs after the best"
json_is .training.epochs es.json "$best"
row=$(awk -F, -v e="$best" '$1 == e { print $4 }' hp.csv)
m=$(jget .training.validation.loss es.json)
awk -v a="$row" -v b="$m" 'BEGIN { exit !(a + 0 == b + 0 && a != "") }' || fail "best row val_loss $row, model $m"
awk -F, -v e="$best" 'NR > 1 && $1 != e && $4 + 0 < v - 0.0001 && $1 < e { bad = 1 } $1 == e { v = $4 } END { exit bad }' hp.csv ||
	fail "an earlier epoch than $best was better"
expect_err_match "mlptrain: stopped after epoch $last: val_loss not better than [0-9.]+ \\(epoch $best\\) by more than 0.0001 for 4 epochs; keeping epoch $best"
expect_err_match "final  epochs $last  best_epoch $best  .*"

t "--patience: the kept weights are bit-identical to a run of exactly the best epoch's count"
expect_status 0 "$MLPTRAIN" -q -e "$best" -r 2 --holdout 0.3 -o eb.json small.csv
same_text "$(jget .weights eb.json)" "$(jget .weights es.json)" "weights"
json_is .training.rng eb.json "$(jget .training.rng es.json)"

t "--patience running out at the last epoch: all epochs ran, not stopped"
expect_status 0 "$MLPTRAIN" -q -e "$last" -r 2 --holdout 0.3 --patience 4 -o el.json small.csv
json_is .training.early_stopping "el.json" "{\"patience\":4,\"tol\":0.0001,\"best_epoch\":$best,\"last_epoch\":$last,\"stopped\":false}"
expect_status 0 "$MLPTRAIN" -q -e "$((last + 1))" -r 2 --holdout 0.3 --patience 4 -o el1.json small.csv
json_is .training.early_stopping.stopped el1.json true

t "--tol: a larger tolerance stops sooner"
expect_status 0 "$MLPTRAIN" -q -e 300 -r 2 --holdout 0.3 --patience 4 --tol 0.5 -o et.json small.csv
json_is .training.early_stopping.best_epoch et.json 1 && json_is .training.early_stopping.last_epoch et.json 5

t "--patience with --validate, and running out of epochs first: not stopped, best kept"
tail -n +150 "$DATA/moons.csv" >val.csv
expect_status 0 "$MLPTRAIN" -e 3 --validate val.csv --patience 50 --history hvv.csv -o ev.json small.csv
json_is .training.early_stopping.stopped ev.json false && json_is .training.early_stopping.last_epoch ev.json 3
best=$(jget .training.early_stopping.best_epoch ev.json)
row=$(awk -F, -v e="$best" '$1 == e { print $4 }' hvv.csv)
awk -v a="$row" -v b="$(jget .training.validation.loss ev.json)" 'BEGIN { exit !(a + 0 == b + 0) }' ||
	fail "the model is not epoch $best's"

# ---- resuming ----

t "-i resumes: 4 + 6 epochs give the model 10 do, bit for bit; numbering and history continue"
expect_status 0 "$MLPTRAIN" -q -e 10 --holdout 0.2 --history r10.csv -o r10.json small.csv
expect_status 0 "$MLPTRAIN" -q -e 4 --holdout 0.2 --history r.csv -o r4.json small.csv
expect_status 0 "$MLPTRAIN" -e 6 --holdout 0.2 -i r4.json --history r.csv -o r46.json small.csv
same_text "$(jget .weights r46.json)" "$(jget .weights r10.json)" "weights"
json_is .training.epochs r46.json 10 && json_is .training.updates r46.json $((10 * 160)) &&
	json_is .training.init r46.json '"model"'
same_text "$(cut -d, -f1-6 r.csv)" "$(cut -d, -f1-6 r10.csv)" "the continued history"
expect_err_match "epoch 5/10  loss .*" && expect_err_match "epoch 10/10  loss .*"
n=$(grep -c '^epoch ' "$tmp/err")
same_text "$n" 6 "epoch lines of the resumed run"

t "-i resumes the rate schedule: its rate, kind, k and update count"
expect_status 0 "$MLPTRAIN" -q -e 3 -r 0.4 --decay inverse --decay-k 0.01 -o ri.json small.csv
expect_status 0 "$MLPTRAIN" -q -e 2 -i ri.json --history ri.csv -o ri2.json small.csv
same_text "$(col ri.csv epoch | tr '\n' ' ')" "4 5 " "a new history file starts at the resumed epoch"
awk -F, -v n=$n_small 'NR > 1 { want = 0.4 / (1 + 0.01 * (($1 - 1) * n)); if ($4 + 0 != want) bad = 1 } END { exit bad }' ri.csv ||
	fail "resumed inverse rates"
json_is .training.decay_k ri2.json 0.01 && json_is .training.rate ri2.json 0.4
# -r starts a new rate: the model's no longer (its schedule, k and updates go on)
expect_status 0 "$MLPTRAIN" -q -e 2 -i ri.json -r 0.2 --history rr.csv -o rr.json small.csv
json_is .training.rate rr.json 0.2 && json_is .training.decay_k rr.json 0.01
awk -F, -v n=$n_small 'NR > 1 { want = 0.2 / (1 + 0.01 * (($1 - 1) * n)); if ($4 + 0 != want) bad = 1 } END { exit bad }' rr.csv ||
	fail "-r 0.2 on resuming: rates $(col rr.csv rate | tr '\n' ' ')"

t "-i with a history that does not fit: exit 1, the file untouched"
cp hv.csv keep.csv
expect_status 1 "$MLPTRAIN" -q -e 1 -i r4.json --history hv.csv small.csv &&
	expect_err_only "mlptrain: hv.csv:1: not the header of a history without validation (epoch,loss,accuracy,rate,seconds); give --history a new file"
same hv.csv keep.csv "hv.csv"
head -n 3 r10.csv >short.csv
cp short.csv keep.csv
expect_status 1 "$MLPTRAIN" -q -e 1 -i r4.json --holdout 0.2 --history short.csv small.csv &&
	expect_err_only "mlptrain: short.csv: no row for epoch 4, where the -i model stands; give --history a new file"
same short.csv keep.csv "short.csv"
{ head -n 2 r10.csv; echo '2,nan,0.5,0.5,0.5,0.1,0.001'; } >odd.csv
cp odd.csv keep.csv
expect_status 1 "$MLPTRAIN" -q -e 1 -i r4.json --holdout 0.2 --history odd.csv small.csv &&
	expect_err_only "mlptrain: odd.csv:3: expected an epoch number above the last one and 6 numbers, as mlptrain writes"
same odd.csv keep.csv "odd.csv"
{ head -n 3 r10.csv; sed -n 3p r10.csv; sed -n 4,5p r10.csv; } >twice.csv
cp twice.csv keep.csv
expect_status 1 "$MLPTRAIN" -q -e 1 -i r4.json --holdout 0.2 --history twice.csv small.csv &&
	expect_err_only "mlptrain: twice.csv:4: expected an epoch number above the last one and 6 numbers, as mlptrain writes"
same twice.csv keep.csv "twice.csv"

t "a model whose training record is unusable: mlppredict scores with it, mlptrain -i refuses it"
sed 's/"rate":.*/"rate": -1,/' r4.json >badrate.json
expect_status 0 "$MLPPREDICT" badrate.json small.csv && expect_no_stderr
expect_status 0 "$MLPPREDICT" r4.json small.csv && cp "$tmp/out" r4.out
expect_status 0 "$MLPPREDICT" badrate.json small.csv && same "$tmp/out" r4.out "probabilities"
bad_opt 1 "mlptrain: badrate.json: training.rate is not a finite number above 0" \
	"$MLPTRAIN" -i badrate.json small.csv

# ---- --plot ----

t "--plot: a valid SVG with one point per epoch for each curve"
expect_status 0 "$MLPTRAIN" -q -e 12 --holdout 0.2 --plot p.svg small.csv
if xmllint --noout p.svg 2>"$tmp/xml"; then
	same_text "$(svg_points p.svg train)" 12 "training points"
	same_text "$(svg_points p.svg val)" 12 "validation points"
	grep -q '>epoch<' p.svg && grep -q '>log loss<' p.svg || fail "axis titles missing"
else
	fail "xmllint rejects p.svg:"
	show "$tmp/xml"
fi
expect_status 0 "$MLPTRAIN" -q -e 5 --plot p1.svg small.csv && xmllint --noout p1.svg 2>/dev/null &&
	same_text "$(svg_points p1.svg train)" 5 "points without validation" &&
	same_text "$(svg_points p1.svg val)" 0 "no validation curve"

t "--plot over 2048 epochs: every second epoch and the last (1024 + 476 + 1 points for 3000)"
expect_status 0 "$MLPTRAIN" -q -e 3000 -l 2,4,1 -r 0.5 --plot long.svg "$xor" && xmllint --noout long.svg &&
	same_text "$(svg_points long.svg train)" 1501 "points"

t "the README's picture, data/moons-loss.svg, is what the README's command draws"
grep -F -q 'data/moons-loss.svg' "$README" || fail "README.md does not show data/moons-loss.svg"
(cd "$ROOT" && "$MLPTRAIN" -q -l 2,16,1 -e 300 -r 0.5 --holdout 0.25 --patience 20 \
	--plot "$tmp/readme.svg" -o /dev/null data/moons.csv) >/dev/null 2>"$tmp/err"
rc=$?
expect_rc 0 && same readme.svg "$DATA/moons-loss.svg" "the picture drawn by the README's command and data/moons-loss.svg"

t "--history, --plot and the model: each complete or untouched when training fails"
printf 'x1,x2,y\n1,2,0\n3,oops,1\n' >bad.csv
echo keep >h.keep && echo keep >p.keep && cp h.keep hx.csv && cp p.keep px.svg
expect_status 1 "$MLPTRAIN" -q --history hx.csv --plot px.svg bad.csv
same hx.csv h.keep "--history" && same px.svg p.keep "--plot"
expect_status 4 "$MLPTRAIN" -q -Z -r 1e300 -e 5 -l 4,8,1 --history hx.csv --plot px.svg "$blobs"
same hx.csv h.keep "--history after divergence" && same px.svg p.keep "--plot after divergence"
[ -z "$(ls -A | grep tmp)" ] || fail "a temporary file is left: $(ls -A | grep tmp)"

t "one file for two outputs: exit 2"
bad_opt 2 "mlptrain: m.json: named for two outputs (--history and the model)" \
	"$MLPTRAIN" -o m.json --history m.json small.csv
bad_opt 2 "mlptrain: x.svg: named for two outputs (--history and --plot)" \
	"$MLPTRAIN" --plot x.svg --history x.svg small.csv
bad_opt 2 "mlptrain: --plot -: standard output already takes the model; write the model to a file with -o" \
	"$MLPTRAIN" --plot - small.csv
bad_opt 2 "mlptrain: --history -: standard output already takes the model; write the model to a file with -o" \
	"$MLPTRAIN" --history - small.csv
bad_opt 2 "mlptrain: -: named for two outputs (--history and the model)" "$MLPTRAIN" -o - --history - small.csv
expect_status 0 "$MLPTRAIN" -q -e 2 --history - -o m.json small.csv &&
	same_text "$(cut -d, -f1 "$tmp/out" | tr '\n' ' ')" "epoch 1 2 " "--history - with -o"

# ---- what is shown ----

t "not a terminal: plain lines only, no escapes or carriage returns; -v adds detail; -q silences"
expect_status 0 "$MLPTRAIN" -e 3 --holdout 0.2 -v -o v.json small.csv && no_controls "$tmp/err" "-v"
expect_err_match "mlptrain: small.csv: 160 training rows; 40 validation rows held out; layers 2,8,1 \\(33 weights\\); rate 0.1, decay none; epochs 1 to 3"
expect_err_match "epoch 2/3  loss [0-9.]+  accuracy [0-9.]+  val_loss [0-9.]+  val_accuracy [0-9.]+  rate 0.1  epoch_time [0-9.]+s  [0-9]+ rows/s(  best)?  time [0-9.]+s"
expect_status 0 "$MLPTRAIN" -q -v -e 3 -o v.json small.csv && expect_no_stderr

t "the epoch lines show the history's figures, the final line the model's"
expect_status 0 "$MLPTRAIN" -e 3 --holdout 0.2 --history eh.csv -o eh.json small.csv
tail -n +2 eh.csv | awk -F, '{ printf "epoch %d/3  loss %.6f  accuracy %.4f  val_loss %.6f  val_accuracy %.4f\n",
    $1, $2, $3, $4, $5 }' >want.txt
grep '^epoch ' "$tmp/err" | sed 's/  time [0-9.]*s$//' >got.txt
same got.txt want.txt "the epoch lines against eh.csv"
final=$(awk -v l="$(jget .training.loss eh.json)" -v a="$(jget .training.accuracy eh.json)" \
    -v vl="$(jget .training.validation.loss eh.json)" -v va="$(jget .training.validation.accuracy eh.json)" \
    'BEGIN { printf "loss %.6f  accuracy %.4f  val_loss %.6f  val_accuracy %.4f  rows 160", l, a, vl, va }')
grep '^final ' "$tmp/err" | grep -F -q "  $final  " || fail "no final line with: $final" "stderr was:" "$(cat "$tmp/err")"

# A data set big enough that training lasts long enough for the bar (drawn
# from 0.1 s on, ten times a second): about a second here, and as long with
# the tenth of it that Valgrind runs.
[ -n "${E2E_VALGRIND:-}" ] && big=6000 || big=60000
awk -v n=$big 'BEGIN { srand(3); print "a,b,y"; for (i = 0; i < n; i++) { a = rand(); b = rand(); print a "," b "," (a + b > 1) } }' >big.csv

t "on a terminal: the bar (rows, rows/s, loss, ETA) is replaced by each epoch's line; the plot at the end"
if command -v script >/dev/null 2>&1; then
	# script(1) gives the command a pseudo-terminal; its output lands in tty.log
	TERM=xterm NO_COLOR= script -q -e -c "'$MLPTRAIN' -e 3 -l 2,64,64,1 --holdout 0.1 -o tty.json big.csv" tty.log >/dev/null 2>&1
	rc=$?
	expect_rc 0
	grep -q 'ETA [0-9]' tty.log && grep -q 'rows/s  loss' tty.log || fail "no progress bar in tty.log"
	# carriage returns other than the terminal's before each newline: redraws
	sed 's/\r$//' tty.log | tr -d -c '\r' | wc -c | awk '{ exit !($1 > 2) }' || fail "the bar is not redrawn"
	tr '\r' '\n' <tty.log | grep -E -x -q 'epoch 3/3  loss [0-9.]+  accuracy [0-9.]+  val_loss .*  time [0-9.]+s *' ||
		fail "the epoch line is not on a line of its own"
	LC_ALL=C grep -q "$(printf '\342[\240-\243]')" tty.log || fail "no braille plot"
	grep -q "$(printf '\033')" tty.log || fail "no colour on a colour terminal"
	grep -q '^final  epochs 3' tty.log || fail "no final line"
	NO_COLOR=1 script -q -e -c "'$MLPTRAIN' -e 2 -l 2,32,1 -o tty.json big.csv" tty2.log >/dev/null 2>&1
	grep -q "$(printf '\033')" tty2.log && fail "escape sequences with NO_COLOR set"
	script -q -e -c "'$MLPTRAIN' -q -e 2 -l 2,32,1 -o tty.json big.csv" tty3.log >/dev/null 2>&1
	grep -q 'epoch\|ETA\|final' tty3.log && fail "-q on a terminal still shows progress"
else
	fail "script(1) (Debian package bsdutils) is missing"
fi

e2e_done e2e_watch
