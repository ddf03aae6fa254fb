#!/bin/sh
# End-to-end tests of mlppredict on real-world CSVs: columns by name, -k,
# the output header, --labels, --threshold, --eval, missing values, and the
# CSV forms (quotes, CRLF and BOM, other separators), each on small files
# made here whose exact output or message is checked.  Run from the top of
# the source tree as "sh tests/e2e_predict.sh"; the variables of
# tests/e2e_lib.sh apply.  The last line is "e2e_predict: P passed, F failed".

. tests/e2e_lib.sh

# m.json: p = sigma(x1 + x2), no standardisation, so outputs are known:
# sigma(0) = 0.5 exactly.  c.json: the same with class labels no/yes.
# u2.json: two outputs, u = sigma(x1), v = sigma(x2).
cat >m.json <<'JSON'
{"format": "mlptrain-model", "version": 1, "layers": [2, 1],
 "features": ["x1", "x2"], "targets": ["y"], "weights": [[[0, 1, 1]]]}
JSON
sed 's/"targets": \["y"\]/"targets": ["y"], "classes": ["no", "yes"]/' m.json >c.json
sed 's/"features": \["x1", "x2"\], "targets": \["y"\], //' m.json >anon.json
cat >u2.json <<'JSON'
{"format": "mlptrain-model", "version": 1, "layers": [2, 2],
 "features": ["x1", "x2"], "targets": ["u", "v"], "weights": [[[0, 1, 0], [0, 0, 1]]]}
JSON

# The probabilities of the rows (x1, x2) = (0,0) (1,1) (-1,-1) (1,0) (-2,0):
# sigma(0), sigma(2), sigma(-2), sigma(1), sigma(-2).
printf 'x1,x2\n0,0\n1,1\n-1,-1\n1,0\n-2,0\n' >plain.csv
"$MLPPREDICT" m.json plain.csv >plain.out 2>plain.err
P1=$(sed -n 1p plain.out)
P2=$(sed -n 2p plain.out)
P3=$(sed -n 3p plain.out)
P4=$(sed -n 4p plain.out)

t "the reference probabilities"
same_text "$P1" 0.5 "sigma(0)"
same_text "$(sed -n 5p plain.out)" "$P3" "sigma(-2) twice"
awk -v p="$P2" 'BEGIN { d = p - 1 / (1 + exp(-2)); exit !(d < 1e-15 && d > -1e-15) }' ||
	fail "sigma(2) is $P2"

# The same rows with an id, the target and a junk column, the features reordered.
printf 'id,x2,junk,x1,y\na,0,,0,1\nb,1,NA,1,1\nc,-1,z,-1,0\nd,0,?,1,0\ne,0,"q,r",-2,1\n' >t.csv

t "columns by name: reordered, other columns ignored, missing values in them fine"
expect_status 0 "$MLPPREDICT" m.json t.csv && same "$tmp/out" plain.out "by name" && expect_no_stderr
run env MLPPREDICT_THREADS=1 "$MLPPREDICT" m.json t.csv
expect_rc 0 && same "$tmp/out" plain.out "by name, one thread"

t "-k copies columns in front, quoting them as RFC 4180"
printf 'a,0.5\nb,%s\nc,%s\nd,%s\ne,%s\n' "$P2" "$P3" "$P4" "$P3" >exp
expect_status 0 "$MLPPREDICT" -k id m.json t.csv && same "$tmp/out" exp "-k id"
printf 'a,,0.5\nb,NA,%s\nc,z,%s\nd,?,%s\ne,"q,r",%s\n' "$P2" "$P3" "$P4" "$P3" >exp
expect_status 0 "$MLPPREDICT" --keep=id,3 m.json t.csv && same "$tmp/out" exp "--keep=id,3"
printf 'id,x1,x2\n"a ""b""",0,0\n"c\nd",1,1\n"e\rf",0,0\n' >q.csv
printf '"a ""b""",0.5\n"c\nd",%s\n"e\rf",0.5\n' "$P2" >exp
expect_status 0 "$MLPPREDICT" -k 1 m.json q.csv && same "$tmp/out" exp "-k with a quote, a line feed, a carriage return"

t "-H prints a header line first: the kept columns' names, then what each output is the probability of"
printf 'id,junk,p_y\na,,0.5\nb,NA,%s\nc,z,%s\nd,?,%s\ne,"q,r",%s\n' "$P2" "$P3" "$P4" "$P3" >exp
expect_status 0 "$MLPPREDICT" -H -k id,junk m.json t.csv && same "$tmp/out" exp "-H -k id,junk"
# once for all files, each mapped on its own
printf 'x1,x2,id\n1,1,f\n' >t2.csv
printf 'id,p_y\na,0.5\nb,%s\nc,%s\nd,%s\ne,%s\nf,%s\n' "$P2" "$P3" "$P4" "$P3" "$P2" >exp2
expect_status 0 "$MLPPREDICT" -H -k id m.json t.csv t2.csv && same "$tmp/out" exp2 "-H over two files"
# no names in the model: p, or p1..pN
tail -n +2 plain.csv >nohead.csv
# (-H: the first row of nohead.csv, 0,0, is taken as a header)
printf 'p\n%s\n%s\n%s\n%s\n' "$P2" "$P3" "$P4" "$P3" >exp
expect_status 0 "$MLPPREDICT" -H anon.json nohead.csv && same "$tmp/out" exp "p for a model without names"
printf 'x1,x2\n1,0\n' >one.csv
expect_status 0 "$MLPPREDICT" --header u2.json one.csv && same_text "$(cat "$tmp/out")" "$(printf 'p_u,p_v\n%s,0.5' "$P4")" "u2 header"
printf '1,0\n' >onepos.csv
expect_status 0 "$MLPPREDICT" -H -N u2.json onepos.csv && same_text "$(cat "$tmp/out")" "$(printf '%s,0.5' "$P4")" "the last of -H and -N wins"
expect_status 0 "$MLPPREDICT" anon.json plain.csv && same "$tmp/out" plain.out "a model without names: by position"

t "without -H there is no output header (the guess and -N)"
expect_status 0 "$MLPPREDICT" -N m.json nohead.csv && same "$tmp/out" plain.out "-N"
expect_status 0 "$MLPPREDICT" m.json nohead.csv && same "$tmp/out" plain.out "guessed"
expect_status 0 "$MLPPREDICT" m.json plain.csv && same "$tmp/out" plain.out "guessed, a header"

t "a header missing a feature: exit 1, the feature and the model named"
printf 'id,x1,y\na,0,1\n' >nox2.csv
expect_status 1 "$MLPPREDICT" m.json nox2.csv &&
	expect_err_only "mlppredict: nox2.csv:1: no column 'x2' (feature 2 of m.json)" && expect_no_stdout
printf 'x1,x2,x1\n0,0,0\n' >twice.csv
expect_status 1 "$MLPPREDICT" m.json twice.csv &&
	expect_err_only "mlppredict: twice.csv:1: columns 1 and 3 are both named 'x1' (feature 1 of m.json); rename one of them"

t "the header guess: a first row of class names is data, the feature names a header"
# row 1 holds text (a label) but so does row 2 in that column: data
printf '0,0,no\n1,1,yes\n' >lab.csv
printf '0.5\n%s\n' "$P2" >exp
expect_status 0 "$MLPPREDICT" -k 3 m.json lab.csv && same_text "$(cut -d, -f2 "$tmp/out")" "$(cat exp)" "labels as data"
# the feature names alone make a header, even above a single text row
printf 'x2,x1,label\n' >hdronly.csv
expect_status 0 "$MLPPREDICT" m.json hdronly.csv && expect_no_stdout && expect_no_stderr
printf 'x2,x1\n' >h1.csv
printf '0,0\n' >d1.csv
expect_status 0 "$MLPPREDICT" m.json h1.csv d1.csv && same_text "$(cat "$tmp/out")" 0.5 "a header-only file and a one-row file"

t "positional rows with -k: the kept columns are taken out first"
printf '7,0,0\n8,1,1\n' >kpos.csv
printf '7,0,0,1,2\n' >kwide.csv
printf '7,0.5\n8,%s\n' "$P2" >exp
expect_status 0 "$MLPPREDICT" -N -k 1 m.json kpos.csv && same "$tmp/out" exp "-N -k 1"
expect_status 1 "$MLPPREDICT" -N m.json kwide.csv &&
	expect_err_only "mlppredict: kwide.csv:1: 5 fields, but the model takes 2 features (optionally followed by 1 target)"
expect_status 1 "$MLPPREDICT" -k 1 m.json kwide.csv &&
	expect_err_only "mlppredict: kwide.csv:1: 5 fields, but the model takes 2 features (optionally followed by 1 target) besides the 1 column of -k"
expect_status 2 "$MLPPREDICT" -k id m.json kpos.csv &&
	expect_err_only "mlppredict: -k: 'id': kpos.csv has no header line, so its columns are given by number, from 1 to 3"
expect_status 2 "$MLPPREDICT" -k nope m.json t.csv &&
	expect_err_only "mlppredict: -k: t.csv has no column 'nope'; its columns are 'id', 'x2', 'junk', 'x1', 'y'"
expect_status 2 "$MLPPREDICT" -k ID m.json t.csv && expect_err_only "mlppredict: -k: t.csv has no column 'ID'; did you mean 'id'?"
expect_status 2 "$MLPPREDICT" -k 9 m.json t.csv && expect_err_only "mlppredict: -k: '9': t.csv has 5 columns"
expect_status 2 "$MLPPREDICT" -k 'id,,3' m.json t.csv &&
	expect_err_only "mlppredict: -k: 'id,,3': empty entry; expected column names or numbers like id,3,5-7"

t "CSV forms: CRLF and a BOM, semicolons, tabs, quoted fields; the output uses -d's separator"
{ printf '\357\273\277'; sed 's/$/\r/' t.csv; } >crlf.csv
printf 'a,0.5\nb,%s\nc,%s\nd,%s\ne,%s\n' "$P2" "$P3" "$P4" "$P3" >exp
expect_status 0 "$MLPPREDICT" -k id m.json crlf.csv && same "$tmp/out" exp "CRLF + BOM"
printf 'id;x2;x1\n"a;1";0;0\nb;"1";1\n' >semi.csv
printf '"a;1";0.5\nb;%s\n' "$P2" >exp
expect_status 0 "$MLPPREDICT" -d ';' -k id m.json semi.csv && same "$tmp/out" exp "semicolons"
printf 'id\tx1\tx2\na b\t0\t0\nc,d\t1\t1\n' >tab.csv
printf 'a b\t0.5\nc,d\t%s\n' "$P2" >exp
expect_status 0 "$MLPPREDICT" -d tab -k id m.json tab.csv && same "$tmp/out" exp "tabs"
printf 'x1\tx2\n1\t0\n' >tab2.csv
expect_status 0 "$MLPPREDICT" -d tab u2.json tab2.csv && same_text "$(cat "$tmp/out")" "$(printf '%s\t0.5' "$P4")" "two outputs, tab-separated"

t "--labels: the class labels, or 1/0; --threshold moves the cut (p >= P is positive)"
printf 'a,yes\nb,yes\nc,no\nd,yes\ne,no\n' >exp
expect_status 0 "$MLPPREDICT" --labels -k id c.json t.csv && same "$tmp/out" exp "--labels with classes"
printf '1\n1\n0\n1\n0\n' >exp
expect_status 0 "$MLPPREDICT" -l m.json t.csv && same "$tmp/out" exp "-l without classes"
printf '0\n1\n0\n0\n0\n' >exp
expect_status 0 "$MLPPREDICT" -l -T 0.8 m.json t.csv && same "$tmp/out" exp "-T 0.8"
printf '1\n1\n1\n1\n1\n' >exp
expect_status 0 "$MLPPREDICT" -l --threshold=0 m.json t.csv && same "$tmp/out" exp "-t 0"
printf '0\n0\n0\n0\n0\n' >exp
expect_status 0 "$MLPPREDICT" -l -T 1 m.json t.csv && same "$tmp/out" exp "-T 1"
sed 's/"classes": \["no", "yes"\]/"classes": ["a,b", "c\\"d"]/' c.json >cq.json
printf '0,0\n-1,-1\n' >d2.csv
printf '"c""d"\n"a,b"\n' >exp
expect_status 0 "$MLPPREDICT" -l cq.json d2.csv && same "$tmp/out" exp "labels quoted as RFC 4180"
for bad in 2 -0.1 x 0.5x ''; do
	expect_status 2 "$MLPPREDICT" -T "$bad" m.json t.csv &&
		expect_err_only "mlppredict: -T: '$bad' is not a number from 0 to 1" && expect_no_stdout
done

# The metrics of t.csv, worked out by hand.  p: a sigma(0) = 0.5, b sigma(2),
# c sigma(-2), d sigma(1), e sigma(-2); truth: a 1, b 1, c 0, d 0, e 1.
# At 0.5: tp a b, fp d, fn e, tn c: accuracy 3/5, precision 2/3, recall
# 2/3, F1 4/6.  AUC: ascending c = e (ranks 1, 2: 1.5 each), a 3, d 4, b 5;
# positive ranks 1.5 + 3 + 5 = 9.5, U = 9.5 - 3*4/2 = 3.5, AUC 3.5 / (3*2) = 7/12.
cat >eval.want <<'TXT'
output y
rows 5
threshold 0.5
log_loss LOSS
accuracy 0.6
precision 0.6666666666666666
recall 0.6666666666666666
f1 0.6666666666666666
roc_auc 0.5833333333333334
confusion actual=1 predicted=1 2
confusion actual=1 predicted=0 1
confusion actual=0 predicted=1 1
confusion actual=0 predicted=0 1
TXT

t "--eval: the metrics on stderr, the predictions alone on stdout"
if expect_status 0 "$MLPPREDICT" --eval m.json t.csv; then
	same "$tmp/out" plain.out "stdout under --eval"
	loss=$(sed -n 's/^log_loss //p' "$tmp/err")
	sed "s/LOSS/$loss/" eval.want >exp
	same "$tmp/err" exp "the metrics"
	# the mean of softplus(a) - t a over a = 0 2 -2 1 -2, t = 1 1 0 0 1
	awk -v l="$loss" 'function sp(a) { return (a > 0 ? a : 0) + log(1 + exp(-(a > 0 ? a : -a))) }
	    BEGIN { m = (sp(0) + sp(2) - 2 + sp(-2) + sp(1) + sp(-2) + 2) / 5; d = l - m
	            exit !(d < 1e-12 && d > -1e-12) }' || fail "log_loss $loss"
	run env MLPPREDICT_THREADS=1 "$MLPPREDICT" -e m.json t.csv
	expect_rc 0 && same "$tmp/err" exp "the metrics, one thread"
fi

t "--eval: precision and recall apart (FP 2, FN 1), each from its own count"
# t.csv and a row f, p sigma(2) with truth 0: tp a b, fp d f, fn e, tn c.
# Accuracy 3/6, precision 2/4, recall 2/3, F1 4/7.  AUC: ascending c = e
# (ranks 1, 2: 1.5 each), a 3, d 4, b = f (5, 6: 5.5 each); positive ranks
# 1.5 + 3 + 5.5 = 10, U = 10 - 3*4/2 = 4, AUC 4 / (3*3) = 4/9.
{ cat t.csv; printf 'f,0,,2,0\n'; } >t6.csv
cat >eval6.want <<'TXT'
output y
rows 6
threshold 0.5
log_loss LOSS
accuracy 0.5
precision 0.5
recall 0.6666666666666666
f1 0.5714285714285714
roc_auc 0.4444444444444444
confusion actual=1 predicted=1 2
confusion actual=1 predicted=0 1
confusion actual=0 predicted=1 2
confusion actual=0 predicted=0 1
TXT
if expect_status 0 "$MLPPREDICT" --eval m.json t6.csv; then
	loss6=$(sed -n 's/^log_loss //p' "$tmp/err")
	sed "s/LOSS/$loss6/" eval6.want >exp
	same "$tmp/err" exp "the metrics"
	awk -v l="$loss6" 'function sp(a) { return (a > 0 ? a : 0) + log(1 + exp(-(a > 0 ? a : -a))) }
	    BEGIN { m = (sp(0) + sp(2) - 2 + sp(-2) + sp(1) + sp(-2) + 2 + sp(2)) / 6; d = l - m
	            exit !(d < 1e-12 && d > -1e-12) }' || fail "log_loss $loss6"
fi

t "--eval with class labels: string targets, the confusion matrix labelled"
sed '1!s/,1$/,yes/; 1!s/,0$/,no/' t.csv >tc.csv
if expect_status 0 "$MLPPREDICT" -e -l c.json tc.csv; then
	printf 'yes\nyes\nno\nyes\nno\n' >exp
	same "$tmp/out" exp "labels"
	sed "s/LOSS/$loss/; s/actual=1/actual=yes/; s/actual=0/actual=no/; s/predicted=1/predicted=yes/; s/predicted=0/predicted=no/" eval.want >exp
	same "$tmp/err" exp "the metrics with labels"
fi
# a model with labels takes its labels only, as mlptrain -i and --validate do (target.c)
expect_status 1 "$MLPPREDICT" -e c.json t.csv &&
	expect_err_only "mlppredict: t.csv:2:5: target '1' is not one of the classes 'no' and 'yes' of c.json"
sed '3s/,yes$/,maybe/' tc.csv >bad.csv
expect_status 1 "$MLPPREDICT" -e c.json bad.csv &&
	expect_err_only "mlppredict: bad.csv:3:5: target 'maybe' is not one of the classes 'no' and 'yes' of c.json"
expect_status 1 "$MLPPREDICT" -e m.json bad.csv &&
	expect_err_only "mlppredict: bad.csv:2:5: target 'yes' is not a number"
sed '2s/,1$/,1.5/' t.csv >bad2.csv
expect_status 1 "$MLPPREDICT" -e m.json bad2.csv &&
	expect_err_only "mlppredict: bad2.csv:2:5: target '1.5' is outside [0,1]"

t "--eval --threshold 0.9: nothing predicted positive, precision undefined"
if expect_status 0 "$MLPPREDICT" -e -T 0.9 m.json t.csv; then
	expect_err_line "threshold 0.9"
	expect_err_line "accuracy 0.4"
	expect_err_line "precision undefined"
	expect_err_line "recall 0"
	expect_err_line "f1 0"
	expect_err_line "roc_auc 0.5833333333333334"
	expect_err_line "confusion actual=1 predicted=0 3"
fi

t "--eval: one class only leaves the AUC undefined; soft targets count t >= 0.5 as positive"
printf 'x1,x2,y\n0,0,0.5\n1,1,0.7\n' >soft.csv
expect_status 0 "$MLPPREDICT" -e m.json soft.csv && expect_err_line "roc_auc undefined" &&
	expect_err_line "confusion actual=1 predicted=1 2" && expect_err_line "precision 1"

t "--eval with two outputs: one block per output, headed by its name"
printf 'x1,x2,u,v\n0,0,1,0\n1,-1,1,0\n-1,1,0,1\n' >u2.csv
if expect_status 0 "$MLPPREDICT" -e u2.json u2.csv; then
	same_text "$(grep -c '^output ' "$tmp/err")" 2 "blocks"
	same_text "$(sed -n '1p;14p' "$tmp/err" | tr '\n' ' ')" "output u output v " "block heads"
	same_text "$(grep '^accuracy' "$tmp/err" | tr '\n' ' ')" "accuracy 1 accuracy 0.6666666666666666 " "accuracies"
	same_text "$(grep '^roc_auc' "$tmp/err" | tr '\n' ' ')" "roc_auc 1 roc_auc 1 " "AUCs"
fi
printf '0,0,1,0\n' >u2pos.csv
expect_status 0 "$MLPPREDICT" -e -N u2.json u2pos.csv && expect_err_line "rows 1"

t "--eval without targets: exit 1, a clear message"
expect_status 1 "$MLPPREDICT" -e m.json plain.csv &&
	expect_err_only "mlppredict: plain.csv:1: no column 'y' (target 1 of m.json), which --eval needs"
expect_status 1 "$MLPPREDICT" -e m.json nohead.csv &&
	expect_err_only "mlppredict: nohead.csv:1: --eval needs the targets, but the rows hold only the 2 features"

t "a missing feature: exit 1 naming the column; the rows before it printed"
printf 'id,x1,x2\na,0,0\nb,NA,1\nc,1,1\n' >miss.csv
expect_status 1 "$MLPPREDICT" m.json miss.csv &&
	expect_err_only "mlppredict: miss.csv:3:2: missing value 'NA' in column 'x1'; use --missing skip to skip such rows, or --missing na to print NA for them"
same_text "$(cat "$tmp/out")" 0.5 "the row before"
printf '0,0\n1,\n' >miss2.csv
expect_status 1 "$MLPPREDICT" m.json miss2.csv &&
	expect_err_only "mlppredict: miss2.csv:2:2: missing value '' in column 2; use --missing skip to skip such rows, or --missing na to print NA for them"
printf 'x1,x2,y\n0,0,1\n1,1,N/A\n' >miss3.csv
expect_status 1 "$MLPPREDICT" -e m.json miss3.csv &&
	expect_err_only "mlppredict: miss3.csv:3:3: missing value 'N/A' in column 'y'; use --missing skip to skip such rows, or --missing na to print NA for them"
expect_status 0 "$MLPPREDICT" m.json miss3.csv && same_text "$(cat "$tmp/out")" "$(printf '0.5\n%s' "$P2")" "a missing target without --eval"

t "--drop-missing skips the rows, counts them on stderr"
printf 'id,x1,x2\na,0,0\nb,NA,1\nc,1,1\nd,null,\ne,1,?\nf,None,1\n' >drop.csv
printf 'a,0.5\nc,%s\n' "$P2" >exp
expect_status 0 "$MLPPREDICT" --drop-missing -k id m.json drop.csv && same "$tmp/out" exp "kept rows" &&
	expect_err_only "mlppredict: skipped 4 rows with missing values"
run env MLPPREDICT_THREADS=1 "$MLPPREDICT" --drop-missing -k id m.json drop.csv
expect_rc 0 && same "$tmp/out" exp "kept rows, one thread"
expect_status 0 "$MLPPREDICT" --drop-missing -e m.json miss3.csv &&
	expect_err_line "mlppredict: skipped 1 row with missing values" && expect_err_line "rows 1"
expect_status 0 "$MLPPREDICT" --drop-missing m.json plain.csv && same "$tmp/out" plain.out "nothing dropped" &&
	expect_no_stderr

t "one thread and two give the same bytes with -k, -l, --eval and drops, over many batches"
awk -F, -v OFS=, 'NR == 1 { print "id", $0; next }
    { if (NR % 97 == 0) $2 = "NA"; print "r" NR, $0 }' "$moons" >big.csv
"$MLPTRAIN" -e 5 -q "$moons" >mo.json 2>/dev/null
for i in 1 2 3 4 5 6 7 8; do tail -n +2 big.csv; done >bigbody.csv
{ head -n 1 big.csv; cat bigbody.csv; } >big8.csv
for opts in "-k id --drop-missing" "-k id,3 -e --drop-missing -p 5" "-l -k 1 --drop-missing" "-H -k id --drop-missing"; do
	run "$MLPPREDICT" $opts mo.json big8.csv
	cp "$tmp/out" two.out
	cp "$tmp/err" two.err
	run env MLPPREDICT_THREADS=1 "$MLPPREDICT" $opts mo.json big8.csv
	expect_rc 0 && same "$tmp/out" two.out "stdout of $opts" && same "$tmp/err" two.err "stderr of $opts"
done
expect_status 1 "$MLPPREDICT" mo.json big8.csv && expect_err_only "mlppredict: big8.csv:97:3: missing value 'NA' in column 'x2'; use --missing skip to skip such rows, or --missing na to print NA for them"

t "long fields (22 to 33 bytes) left to the scoring thread read as on one thread"
# The reader leaves short fields for the other thread to parse, in cells of
# 32 bytes (a length byte, then the text), and parses those of 32 bytes and
# more itself.  Each long field is followed by a short one, whose cell comes
# next; 20000 rows make a few batches, so that the scorer gets some.
awk 'BEGIN { print "x1,x2"; for (i = 0; i < 20000; i++)
	printf "%d,%.*f\n", i % 7 - 3, i % 2 ? 20 : 28 + int(i / 2) % 3, (i % 11) / 10 - 0.5 }' >long.csv
run "$MLPPREDICT" mo.json long.csv
cp "$tmp/out" two.out
run env MLPPREDICT_THREADS=1 "$MLPPREDICT" mo.json long.csv
expect_rc 0 && same "$tmp/out" two.out "the probabilities" && same_text "$(wc -l <two.out)" 20000 "lines"

e2e_done e2e_predict
