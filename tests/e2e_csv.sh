#!/bin/sh
# End-to-end tests of the CSV forms both programs read: quoted fields, CRLF, a
# BOM, blank lines, no final newline; header names; line numbers in errors;
# malformed quoting; other separators (-d) and the header rule (-H, -N).  Run
# from the top of the source tree as "sh tests/e2e_csv.sh"; the variables of
# tests/e2e_lib.sh apply.  The last line is "e2e_csv: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"
e2e_models

# ---- CSV forms ----

awk -F, -v OFS=, '{ for (i = 1; i <= NF; i++) $i = "\"" $i "\""; print }' "$moons" >quoted.csv
sed 's/$/\r/' "$moons" >crlf.csv
{ printf '\357\273\277'; cat "$moons"; } >bom.csv
awk '{ print; if (NR % 3 == 0) print "" } NR == 1 { print "" }' "$moons" >blank.csv
awk 'NR > 1 { printf "\n" } { printf "%s", $0 }' "$moons" >nonl.csv
{ printf '\357\273\277'; awk -F, '{ printf "\"%s\",%s,%s\r\n\r\n", $1, $2, $3 }' "$moons" | sed '$d'; } |
	awk '{ if (NR > 1) printf "\n"; printf "%s", $0 }' >mixed.csv

for form in quoted crlf bom blank nonl mixed; do
	t "CSV form '$form' trains and predicts like the plain file"
	expect_status 0 "$MLPTRAIN" -e 50 -q "$form.csv" && same "$tmp/out" moons.json "model from $form.csv"
	expect_status 0 "$MLPPREDICT" moons.json "$form.csv" && same "$tmp/out" moons.out "predictions for $form.csv"
done

t "a header with a quoted comma and a UTF-8 name is kept in the model"
printf '"x, one","\303\251",y\n0,0,0\n1,1,1\n' >names.csv
expect_status 0 "$MLPTRAIN" -q -e 1 names.csv && json_is .features "$tmp/out" "$(printf '["x, one","\303\251"]')"

t "line numbers count physical lines: quoted newlines, blank lines, CRLF"
printf 'x1,"x\n2",y\n0,0,0\n\n\n1,abc,1\n' >lines1.csv
bad_opt 1 "mlptrain: lines1.csv:6:2: 'abc' in column 'x\n2' is not a number; name it with --categorical to encode its values as categories, or -x to ignore it" "$MLPTRAIN" -q lines1.csv
printf 'x1,x2,y\r\n0,0,0\r\n\r\n1,abc,1\r\n' >lines2.csv
bad_opt 1 "mlptrain: lines2.csv:4:2: 'abc' in column 'x2' is not a number; name it with --categorical to encode its values as categories, or -x to ignore it" "$MLPTRAIN" -q lines2.csv
printf '"x\n1",x2,y\n\n0,0,0\n\n1,0\n' >lines3.csv
bad_opt 1 "mlptrain: lines3.csv:6: 2 fields, expected 3 as on line 1" "$MLPTRAIN" -q lines3.csv
printf '\357\273\277x1,x2,y\n0,0,0\n1,abc,0\n' >lines4.csv
bad_opt 1 "mlptrain: lines4.csv:3:2: 'abc' in column 'x2' is not a number; name it with --categorical to encode its values as categories, or -x to ignore it" "$MLPTRAIN" -q lines4.csv
printf 'x1,x2\n\n\n0,0\n"x\n",1\n' >lines5.csv
# Without -o, the rows before the bad one have been printed already.
expect_status 1 "$MLPPREDICT" xor.json lines5.csv && expect_err_match "mlppredict: lines5\\.csv:5:1: .*"
same_text "$(cat "$tmp/out")" "$(head -n 1 xor.out)" "the output before the error"

# README.md: "Every error is one line on stderr naming the file, the line and
# the column"; the column of a CSV error is the field's number, as in
# "bad.csv:12:3: 'abc' is not a number".
t "malformed quoting: exit 1, file:line:column of the field"
printf 'x1,x2,y\n0,0,0\n1,a"b,1\n' >quote1.csv
expect_status 1 "$MLPTRAIN" -q quote1.csv && expect_err_match 'mlptrain: quote1\.csv:3:2: .*quot.*' && expect_no_stdout
printf 'x1,x2,y\n0,0,0\n1,"1"x,1\n' >quote2.csv
expect_status 1 "$MLPTRAIN" -q quote2.csv && expect_err_match 'mlptrain: quote2\.csv:3:2: .*quot.*'

t "an unterminated quote: exit 1, file:line:column where it opens"
printf 'x1,x2,y\n0,0,0\n1,"1,1' >quote3.csv
expect_status 1 "$MLPTRAIN" -q quote3.csv && expect_err_match 'mlptrain: quote3\.csv:3:2: .*quot.*'
printf 'x1,x2,y\n0,0,0\n1,"1,1\n0,0,0\n' >quote4.csv
expect_status 1 "$MLPTRAIN" -q quote4.csv && expect_err_match 'mlptrain: quote4\.csv:3:2: .*quot.*'

t "an error about a field holding a line break is still one line"
printf 'x1,x2,y\n0,0,0\n1,"a\nb",1\n' >nlfield.csv
if expect_status 1 "$MLPTRAIN" -q nlfield.csv; then
	n=$(wc -l <"$tmp/err" | tr -d ' ')
	same_text "$n" 1 "lines on stderr" || show "$tmp/err"
	expect_err_match 'mlptrain: nlfield\.csv:3:2: .* is not a number; .*'
fi

# ---- separators and headers ----

t "mlptrain -d: semicolons, tabs, pipes and spaces give the model commas give"
"$MLPTRAIN" -q -e 5 "$blobs" >comma.json 2>/dev/null
for d in ';' tab '\t' '|' ' '; do
	case $d in
	tab | '\t') c=$(printf '\t') ;;
	*) c=$d ;;
	esac
	tr ',' "$c" <"$blobs" >sep.csv
	run "$MLPTRAIN" -q -e 5 -d "$d" sep.csv
	expect_rc 0 && same "$tmp/out" comma.json "model with -d '$d'"
	run "$MLPTRAIN" -q -e 5 --delimiter="$d" - <sep.csv
done

t "mlptrain -d with quoted fields holding the separator"
printf 'a;b;y\n"1;0";2;1\n3;4;0\n' >q.csv
expect_status 1 "$MLPTRAIN" -q -d ';' q.csv && expect_err_only "mlptrain: q.csv:2:1: '1;0' in column 'a' is not a number; name it with --categorical to encode its values as categories, or -x to ignore it"

t "mlptrain -d: bad separators are usage errors"
bad_opt 2 "mlptrain: -d: '' is not a field separator: one character (not a quote), or tab" "$MLPTRAIN" -d '' "$xor"
bad_opt 2 "mlptrain: -d: ';;' is not a field separator: one character (not a quote), or tab" "$MLPTRAIN" -d ';;' "$xor"
bad_opt 2 "mlptrain: -d: '\"' is not a field separator: one character (not a quote), or tab" "$MLPTRAIN" -d '"' "$xor"

t "mlptrain -H and -N force the header rule"
tail -n +2 "$xor" >nohead.csv
"$MLPTRAIN" -q -e 3 nohead.csv >guess.json 2>/dev/null
expect_status 0 "$MLPTRAIN" -q -e 3 -N nohead.csv && same "$tmp/out" guess.json "-N on a file without header"
# -H takes the first data row as names: one row fewer, names "5", "6", "7"
{ echo 5,6,7; cat nohead.csv; } >nohead5.csv
expect_status 0 "$MLPTRAIN" -q -e 3 --header nohead5.csv
cp "$tmp/out" hdr.json
json_is .features hdr.json '["5","6"]' && json_is .training.rows hdr.json 4
# names read from a row of equal numbers are repeated names
expect_status 1 "$MLPTRAIN" -q -e 3 --header nohead.csv &&
	expect_err_only "mlptrain: nohead.csv:1: columns 1 and 2 are both named '0' (feature 1); rename one of them"
expect_status 1 "$MLPTRAIN" -q --no-header "$xor" && expect_err_only "mlptrain: $xor:1:1: 'x1' in column 1 is not a number; name it with --categorical to encode its values as categories, or -x to ignore it"
printf '1,2,y\n' >hdr.csv
expect_status 1 "$MLPTRAIN" -q -H hdr.csv && expect_err_only "mlptrain: hdr.csv: no data rows"

t "mlppredict -d, -H, -N: the same probabilities from any separator and header rule"
"$MLPPREDICT" moons.json "$moons" >m.out 2>/dev/null
for d in ';' tab '|'; do
	[ "$d" = tab ] && c=$(printf '\t') || c=$d
	tr ',' "$c" <"$moons" >sep.csv
	expect_status 0 "$MLPPREDICT" -d "$d" moons.json sep.csv && same "$tmp/out" m.out "mlppredict -d '$d'"
	run_in sep.csv env MLPPREDICT_THREADS=1 "$MLPPREDICT" --delimiter="$d" moons.json -
	expect_rc 0 && same "$tmp/out" m.out "mlppredict -d '$d' from stdin, one thread"
done
tail -n +2 "$moons" >mnohead.csv
expect_status 0 "$MLPPREDICT" -N moons.json mnohead.csv && same "$tmp/out" m.out "-N"
expect_status 0 "$MLPPREDICT" moons.json mnohead.csv && same "$tmp/out" m.out "guessed: no header"
expect_status 1 "$MLPPREDICT" -H moons.json mnohead.csv &&
	expect_err_only "mlppredict: mnohead.csv:1: no column 'x1' (feature 1 of moons.json)"
expect_status 1 "$MLPPREDICT" --no-header moons.json "$moons" && expect_err_only "mlppredict: $moons:1:1: 'x1' in column 1 is not a number"
bad_opt 2 "mlppredict: -d: 'ab' is not a field separator: one character (not a quote), or tab" "$MLPPREDICT" -d ab moons.json "$moons"

e2e_done e2e_csv
