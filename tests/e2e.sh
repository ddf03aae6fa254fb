#!/bin/sh
# End-to-end tests of mlptrain and mlppredict, run from the top of the source
# tree as "sh tests/e2e.sh" (tests/run.sh does this after the unit tests);
# the variables of tests/e2e_lib.sh apply.  The last line is
# "e2e: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"
e2e_models

# ---- 5. output files ----

mkdir o
t "-o writes the file and nothing to stdout"
if expect_status 0 "$MLPTRAIN" -q -l 2,4,1 -e 3000 -r 0.5 -o o/m.json "$xor"; then
	expect_no_stdout
	same o/m.json xor.json "-o file and the stdout model"
	same_text "$(listing o)" m.json "files in the -o directory"
fi

t "-o over an existing file replaces it"
"$MLPTRAIN" -q -e 1 -o o/m.json "$xor" 2>/dev/null
differ o/m.json xor.json "precondition: a different model"
expect_status 0 "$MLPTRAIN" -q -l 2,4,1 -e 3000 -r 0.5 -o o/m.json "$xor" &&
	same o/m.json xor.json "replaced file"
same_text "$(listing o)" m.json "files in the -o directory"

t "-o - writes to standard output"
expect_status 0 "$MLPTRAIN" -q -l 2,4,1 -e 3000 -r 0.5 -o - "$xor" &&
	same "$tmp/out" xor.json "-o - output"

t "-o keeps the mode of an existing file"
echo old >o/mode.json
chmod 640 o/mode.json
expect_status 0 "$MLPTRAIN" -q -e 1 -o o/mode.json "$xor"
same_text "$(mode_of o/mode.json)" -rw-r----- "mode after -o"
json_valid o/mode.json
rm -f o/mode.json

t "-o creates a new file with mode 0666 less the umask"
(umask 027 && "$MLPTRAIN" -q -e 1 -o o/new.json "$xor") 2>err.txt ||
	fail "exit status $?: $(cat err.txt)"
same_text "$(mode_of o/new.json)" -rw-r----- "mode of a new file under umask 027"
rm -f o/new.json

t "-o to a symbolic link replaces the file it points to and keeps the link"
echo old >o/target.json
ln -s target.json o/link.json
if expect_status 0 "$MLPTRAIN" -q -l 2,4,1 -e 3000 -r 0.5 -o o/link.json "$xor"; then
	[ -L o/link.json ] || fail "o/link.json is no longer a symbolic link"
	same o/target.json xor.json "the link's target"
fi
same_text "$(listing o | tr '\n' ' ')" "link.json m.json target.json " "files in the -o directory"
rm -f o/link.json o/target.json

t "-o to a symbolic link into another directory, and to a chain of links"
mkdir o2
echo old >target2.json
ln -s ../target2.json o2/link.json
ln -s link.json o2/chain.json
expect_status 0 "$MLPTRAIN" -q -l 2,4,1 -e 3000 -r 0.5 -o o2/link.json "$xor" && same target2.json xor.json "the link's target"
[ -L o2/link.json ] || fail "o2/link.json is no longer a symbolic link"
echo old >target2.json
expect_status 0 "$MLPTRAIN" -q -l 2,4,1 -e 3000 -r 0.5 -o o2/chain.json "$xor" && same target2.json xor.json "the chain's target"
[ -L o2/chain.json ] || fail "o2/chain.json is no longer a symbolic link"
same_text "$(listing o2 | tr '\n' ' ')" "chain.json link.json " "files beside the links"

t "-o to a FIFO writes into it"
# This shell holds the FIFO open read-write (which does not block), so the
# program's open for writing does not block either; the model fits in the
# pipe's buffer, and is read back once the writers are gone.
mkfifo o2/fifo
exec 8<>o2/fifo
expect_status 0 "$MLPTRAIN" -q -l 2,4,1 -e 3000 -r 0.5 -o o2/fifo "$xor" 8>&-
exec 7<o2/fifo
exec 8>&-
cat <&7 >fromfifo.json
exec 7<&-
same fromfifo.json xor.json "model read from the FIFO"
rm -f o2/fifo

t "write errors: exit 3"
if [ -c /dev/full ]; then
	"$MLPTRAIN" -q -e 1 "$xor" >/dev/full 2>"$tmp/err"
	rc=$?
	expect_rc 3 && expect_err_only "mlptrain: standard output: write error: No space left on device"
	"$MLPPREDICT" moons.json "$moons" >/dev/full 2>"$tmp/err"
	rc=$?
	expect_rc 3 && expect_err_only "mlppredict: standard output: write error: No space left on device"
	expect_status 3 "$MLPTRAIN" -q -e 1 -o /dev/full "$xor" &&
		expect_err_only "mlptrain: /dev/full: write error: No space left on device"
	expect_status 3 "$MLPPREDICT" -o /dev/full moons.json "$moons" &&
		expect_err_only "mlppredict: /dev/full: write error: No space left on device"
else
	echo "     (no /dev/full: write errors not tested)"
fi

t "-o /dev/null works"
expect_status 0 "$MLPTRAIN" -q -e 1 -o /dev/null "$xor" && expect_no_stdout && expect_no_stderr

t "-o into a missing directory: exit 3 before reading or training"
# The data is bad, so the -o check must come first to give this message.
printf 'a,b,y\n1,x,0\n' >badfield.csv
expect_status 3 "$MLPTRAIN" -q -e 1000000000 -o nodir/m.json badfield.csv &&
	expect_err_only "mlptrain: nodir/m.json: cannot write: No such file or directory"
[ -e nodir ] && fail "nodir was created"

t "-o naming a directory: exit 3"
expect_status 3 "$MLPTRAIN" -q -e 1 -o o "$xor" && expect_err_only "mlptrain: o: is a directory"

# An existing o/keep.json for check_kept.
keep_setup

t "a failing mlptrain run leaves the -o file and its directory untouched"
check_kept "bad data" 1 "$MLPTRAIN" -q -o o/keep.json badfield.csv
check_kept "bad -l" 2 "$MLPTRAIN" -q -l 2,x,1 -o o/keep.json "$xor"
check_kept "-l not fitting the data" 1 "$MLPTRAIN" -q -l 3,4,1 -o o/keep.json "$xor"
check_kept "missing input" 3 "$MLPTRAIN" -q -o o/keep.json nosuch.csv
mkdir dir.csv
check_kept "unreadable input (a directory)" 3 "$MLPTRAIN" -q -o o/keep.json dir.csv
check_kept "diverging" 4 "$MLPTRAIN" -q -Z -r 1e300 -e 5 -l 4,8,1 -o o/keep.json "$blobs"
check_kept "bad -i model" 3 "$MLPTRAIN" -q -i nosuch.json -o o/keep.json "$xor"

t "mlppredict -o writes the file and nothing to stdout"
if expect_status 0 "$MLPPREDICT" -o o/p.txt moons.json "$moons"; then
	expect_no_stdout
	same o/p.txt moons.out "mlppredict -o file and stdout"
fi
rm -f o/p.txt

t "mlppredict -o: a CSV error in the second file leaves the existing file untouched"
printf 'x1,x2,y\n1,2,0\n1,2\n' >ragged.csv
check_kept "ragged second file" 1 "$MLPPREDICT" -o o/keep.json moons.json "$moons" ragged.csv
expect_err_only "mlppredict: ragged.csv:3: 2 fields, expected 3 as on line 1"
check_kept "missing second file" 3 "$MLPPREDICT" -o o/keep.json moons.json "$moons" nosuch.csv
expect_err_only "mlppredict: nosuch.csv: No such file or directory"

t "the errors of real-world CSVs leave the -o file untouched too"
printf 'a,b,y\n1,NA,0\n2,3,1\n' >na.csv
printf 'a,y\n1,p\n2,q\n3,r\n' >three.csv
check_kept "missing value" 1 "$MLPTRAIN" -q -o o/keep.json na.csv
check_kept "unknown -t column" 2 "$MLPTRAIN" -q -t nosuch -o o/keep.json na.csv
check_kept "three labels" 1 "$MLPTRAIN" -q -o o/keep.json three.csv
check_kept "--holdout leaving nothing" 1 "$MLPTRAIN" -q --holdout 0.01 -o o/keep.json "$xor"
check_kept "--validate file missing" 3 "$MLPTRAIN" -q --validate nosuch.csv -o o/keep.json "$xor"
printf 'x1,zz\n1,2\n' >nofeat.csv
check_kept "mlppredict: a feature missing by name" 1 "$MLPPREDICT" -o o/keep.json moons.json nofeat.csv
printf 'x1,x2\n1,NA\n' >napred.csv
check_kept "mlppredict: a missing value" 1 "$MLPPREDICT" -o o/keep.json moons.json napred.csv

t "mlppredict -o keeps the mode, follows a symbolic link, and takes /dev/null"
echo old >o/pm.txt
chmod 640 o/pm.txt
expect_status 0 "$MLPPREDICT" -o o/pm.txt moons.json "$moons" && same o/pm.txt moons.out "-o over a 640 file"
same_text "$(mode_of o/pm.txt)" -rw-r----- "mode after mlppredict -o"
ln -s pm.txt o/pl.txt
echo old >o/pm.txt
expect_status 0 "$MLPPREDICT" -o o/pl.txt moons.json "$moons" && same o/pm.txt moons.out "-o through a link"
[ -L o/pl.txt ] || fail "o/pl.txt is no longer a symbolic link"
expect_status 0 "$MLPPREDICT" -o /dev/null moons.json "$moons" && expect_no_stdout
rm -f o/pm.txt o/pl.txt

t "mlppredict -o into a missing directory: exit 3, the path named"
expect_status 3 "$MLPPREDICT" -o nodir/p.txt moons.json "$moons" && expect_no_stdout
grep -F 'mlppredict: nodir/p.txt: ' "$tmp/err" >/dev/null || { fail "message does not name nodir/p.txt:"; show "$tmp/err"; }

# ---- 9. errors ----

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

t "two data files to mlptrain: exit 2"
expect_status 2 "$MLPTRAIN" "$xor" "$xor" && expect_err_line "mlptrain: one data file at most, got 2" &&
	expect_err_line "$usage_train1" && expect_no_stdout

t "mlppredict without a model: exit 2"
expect_status 2 "$MLPPREDICT" && expect_err_line "mlppredict: no model file given" &&
	expect_err_line "$usage_predict" && expect_no_stdout

t "missing and unreadable data files: exit 3"
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

t "empty and header-only files: exit 1, no data rows"
: >empty.csv
bad_opt 1 "mlptrain: empty.csv: no data rows" "$MLPTRAIN" -q empty.csv
head -n 1 "$xor" >header.csv
bad_opt 1 "mlptrain: header.csv: no data rows" "$MLPTRAIN" -q header.csv
run_in empty.csv "$MLPTRAIN" -q
expect_rc 1 && expect_err_only "mlptrain: standard input: no data rows"

t "a ragged row: exit 1, the line and both counts"
bad_opt 1 "mlptrain: ragged.csv:3: 2 fields, expected 3 as on line 1" "$MLPTRAIN" -q ragged.csv
printf 'x1,x2,y\n1,0,0\n0,1,1,1\n' >ragged2.csv
bad_opt 1 "mlptrain: ragged2.csv:3: 4 fields, expected 3 as on line 1" "$MLPTRAIN" -q ragged2.csv

t "too few columns for the targets: exit 1"
printf 'y\n0\n' >onecol.csv
bad_opt 1 "mlptrain: onecol.csv:1: 1 column: too few for 1 target and at least one feature" "$MLPTRAIN" -q onecol.csv

t "bad numbers in the data: exit 1 with file:line:column"
bad_opt 1 "mlptrain: badfield.csv:2:2: 'x' is not a number" "$MLPTRAIN" -q badfield.csv
printf 'a,b,y\n1,2,0\n1,abc,0\n' >abc.csv
bad_opt 1 "mlptrain: abc.csv:3:2: 'abc' is not a number" "$MLPTRAIN" -q abc.csv
for v in inf -inf Infinity; do
	printf 'a,b,y\n1,2,0\n%s,1,0\n' "$v" >nonfinite.csv
	bad_opt 1 "mlptrain: nonfinite.csv:3:1: '$v' is not a finite number" "$MLPTRAIN" -q nonfinite.csv
done
for v in nan NaN; do	# NaN is a missing value
	printf 'a,b,y\n1,2,0\n%s,1,0\n' "$v" >nonfinite.csv
	bad_opt 1 "mlptrain: nonfinite.csv:3:1: missing value '$v' in column 'a'; use --drop-missing to skip such rows" \
		"$MLPTRAIN" -q nonfinite.csv
done
printf 'a,b,y\n1,2,0\n1,1e999,0\n' >huge.csv
bad_opt 1 "mlptrain: huge.csv:3:2: '1e999' is too large for a double" "$MLPTRAIN" -q huge.csv
printf 'a,b,y\n1,2,0\n1,0x10,0\n' >hex.csv
bad_opt 1 "mlptrain: hex.csv:3:2: '0x10' is not a number" "$MLPTRAIN" -q hex.csv
printf 'a,b,y\n1,2,0\n1,,0\n' >emptyfield.csv
bad_opt 1 "mlptrain: emptyfield.csv:3:2: missing value '' in column 'b'; use --drop-missing to skip such rows" \
	"$MLPTRAIN" -q emptyfield.csv
printf 'a,b,y\n1,2,0\n1,1e,0\n' >badexp.csv
bad_opt 1 "mlptrain: badexp.csv:3:2: '1e' is not a number" "$MLPTRAIN" -q badexp.csv

t "the accepted number forms: .5, 5., exponents, signs, blanks around fields"
printf 'a,b,y\n.5,5.,0\n -1.5e+1 ,\t+2E-1\t,1\n0,0,0\n' >forms.csv
printf 'a,b,y\n0.5,5,0\n-15,0.2,1\n0,0,0\n' >forms-plain.csv
expect_status 0 "$MLPTRAIN" -q -e 3 forms.csv && cp "$tmp/out" forms.json
expect_status 0 "$MLPTRAIN" -q -e 3 forms-plain.csv && same "$tmp/out" forms.json "models of the two spellings"

t "a target outside [0,1]: exit 1 with file:line:column"
printf 'a,b,y\n1,2,0\n1,2,1.5\n1,2,0.5\n' >target.csv
bad_opt 1 "mlptrain: target.csv:3:3: target '1.5' is outside [0,1]" "$MLPTRAIN" -q target.csv
printf 'a,b,y\n1,2,-0.1\n' >target2.csv
bad_opt 1 "mlptrain: target2.csv:2:3: target '-0.1' is outside [0,1]" "$MLPTRAIN" -q target2.csv

t "soft targets in [0,1] are accepted"
printf 'a,b,y\n1,2,0.25\n2,1,0.75\n' >soft.csv
expect_status 0 "$MLPTRAIN" -q -e 2 soft.csv && json_valid "$tmp/out"

t "-l not fitting the file: exit 1, the right -l suggested"
bad_opt 1 "mlptrain: $xor has 3 columns: 2 features and 1 target, but -l 3,4,1 expects 3 features; try -l 2,4,1" \
	"$MLPTRAIN" -q -l 3,4,1 "$xor"
bad_opt 1 "mlptrain: $multi has 5 columns: 3 features and 2 targets, but -l 4,2 expects 4 features; try -l 3,2" \
	"$MLPTRAIN" -q -l 4,2 "$multi"

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
sed 's/"version":[[:space:]]*1,/"version": 2,/' xor.json >v2.json
bad_opt 1 "mlppredict: v2.json: version is not 1, expected 1 (this program reads version 1)" "$MLPPREDICT" v2.json "$xor"
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
bad_opt 1 "mlppredict: std0.json: standardize.std[1] is not positive, expected a positive number" "$MLPPREDICT" std0.json "$xor"
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
	expect_err_only "mlppredict: pabc.csv:3:2: 'abc' is not a number"
printf 'x1,x2\n0,0\n1,inf\n' >pnan.csv
expect_status 1 "$MLPPREDICT" xor.json pnan.csv &&
	expect_err_only "mlppredict: pnan.csv:3:2: 'inf' is not a finite number"

# ---- 12. divergence ----

t "divergence: exit 4, the epoch and -r named, nothing on stdout"
cp keep.orig o/keep.json
expect_status 4 "$MLPTRAIN" -q -Z -r 1e300 -e 5 -l 4,8,1 -o o/keep.json "$blobs" &&
	expect_err_only "mlptrain: training diverged in epoch 1: the loss became non-finite; try a smaller learning rate than -r 1e+300, or leave standardisation on"
same o/keep.json keep.orig "the existing -o file"
expect_status 4 "$MLPTRAIN" -q -Z -r 1e300 -e 5 -l 4,8,1 "$blobs" && expect_no_stdout

# ---- 13. signals ----

# interrupt SIGNAL STATUS: a long training with -o, --history and --plot on
# existing files, stopped by SIGNAL once the first epoch is reported.
interrupt() {
	cp keep.orig o/keep.json
	cp keep.orig o/keep.csv
	cp keep.orig o/keep.svg
	listing o >before.txt
	start_job "$MLPTRAIN" -e 1000000000 -o o/keep.json --history o/keep.csv --plot o/keep.svg "$moons"
	wait_for '^epoch 1/' "$tmp/job.err"
	kill -s "$1" "$jobpid" 2>/dev/null || fail "could not signal the job"
	end_job
	if expect_rc "$2"; then
		expect_err_match 'mlptrain: interrupted in epoch [0-9]+ at row [0-9]+ of 400; no model written'
		expect_no_stdout
	fi
	same o/keep.json keep.orig "the existing -o file"
	same o/keep.csv keep.orig "the existing --history file"
	same o/keep.svg keep.orig "the existing --plot file"
	listing o >after.txt
	same after.txt before.txt "the -o directory's files"
}

t "SIGINT during training: exit 130, the old -o, --history and --plot files kept, no temporary file"
interrupt INT 130

t "SIGTERM during training: exit 143, the old -o file kept, no temporary file"
interrupt TERM 143

t "SIGHUP during training: exit 129 (128+N)"
interrupt HUP 129

# Valgrind restarts a read that a signal interrupts, so under it (E2E_VALGRIND
# set) these two cases cannot be run; the normal and sanitizer passes run them.
if [ -z "${E2E_VALGRIND:-}" ]; then
mkfifo fifo
t "SIGINT while mlptrain reads its input: exit 130 with a message"
# A FIFO held open by this shell, so the read blocks until the signal.
cp keep.orig o/keep.json
exec 9<>fifo
start_job "$MLPTRAIN" -q -o o/keep.json fifo 9>&-
sleep 0.5
kill -s INT "$jobpid" 2>/dev/null || fail "could not signal the job"
sleep 0.1
exec 9>&-
end_job
if expect_rc 130; then
	expect_no_stdout
	expect_err_match 'mlptrain: .*interrupted.*'
fi
same o/keep.json keep.orig "the existing -o file"

t "SIGINT while mlppredict reads: exit 130, the old -o file kept"
listing o >before.txt
exec 9<>fifo
start_job "$MLPPREDICT" -o o/keep.json moons.json "$moons" fifo 9>&-
sleep 0.5
kill -s INT "$jobpid" 2>/dev/null || fail "could not signal the job"
sleep 0.1
exec 9>&-
end_job
expect_rc 130 && expect_err_only "mlppredict: interrupted; output file left as it was"
same o/keep.json keep.orig "the existing -o file"
listing o >after.txt
same after.txt before.txt "the -o directory's files"
fi

# ---- 17. hostile input, limits, numbers, locale ----

t "a CSV field over 1 MiB: exit 1 with file:line:column, the old -o file kept"
{ printf 'x1,y\n0,1\n'; head -c 1100000 /dev/zero | tr '\0' 7; printf ',0\n'; } >bigfield.csv
check_kept "a huge field" 1 "$MLPTRAIN" -q -o o/keep.json bigfield.csv &&
	expect_err_only "mlptrain: bigfield.csv:3:1: field longer than 1048576 bytes"
sed '1s/y$/x2/' bigfield.csv >bigfield.x2	# mlppredict reads the features by name
run "$MLPPREDICT" moons.json bigfield.x2
expect_rc 1 && expect_err_only "mlppredict: bigfield.x2:3:1: field longer than 1048576 bytes"

t "a quoted field that never ends in a large file: an error at the line where it opens"
{ printf 'x1,x2,y\n0,0,"'; head -c 3000000 /dev/zero | tr '\0' a; } >openquote.csv
expect_status 1 "$MLPTRAIN" -q openquote.csv && expect_err_only "mlptrain: openquote.csv:2:3: field longer than 1048576 bytes"

t "a row of more than 2,000,000 fields: exit 1"
{ printf '1'; head -c 2000001 /dev/zero | tr '\0' ','; printf '\n'; } >wide.csv
expect_status 1 "$MLPTRAIN" -q wide.csv && expect_err_only "mlptrain: wide.csv:1: more than 2000000 fields in a row"

t "-l needing more than 2^31 weights: exit 2 before reading anything"
bad_opt 2 "mlptrain: -l: '50000,50000,1' needs more than 2147483648 weights" "$MLPTRAIN" -l 50000,50000,1 "$xor"
bad_opt 2 "mlptrain: -l: '2,1000001,1': '1000001' is not a layer size from 1 to 1000000" "$MLPTRAIN" -l 2,1000001,1 "$xor"

t "a model file over 1 GiB is refused before it is read: exit 1"
: >huge.json
truncate -s 2G huge.json 2>/dev/null || dd if=/dev/null of=huge.json bs=1 seek=2147483648 2>/dev/null
expect_status 1 "$MLPPREDICT" huge.json "$xor" &&
	expect_err_only "mlppredict: huge.json: 2147483648 bytes, larger than the 1073741823 a model may have"
expect_status 1 "$MLPTRAIN" -q -i huge.json "$xor" &&
	expect_err_only "mlptrain: huge.json: 2147483648 bytes, larger than the 1073741823 a model may have"
rm -f huge.json

t "a model whose layers need more than 2^31 weights: exit 1, nothing allocated"
printf '{"format": "mlptrain-model", "version": 1, "layers": [2, 1000000, 1000000, 1], "weights": []}\n' >wide.json
expect_status 1 "$MLPPREDICT" wide.json "$xor" &&
	expect_err_only "mlppredict: wide.json: layers needs more than 2147483648 weights"

t "a small model file whose layers ask for 2e9 weights it does not hold: exit 1, nothing allocated"
printf '{"format": "mlptrain-model", "version": 1, "layers": [1, 13, 6205, 328850], "weights": [[], [], []]}\n' >bigshape.json
if sh -c 'ulimit -v 300000 && exec "$1" -V' sh "$MLPPREDICT" >/dev/null 2>&1; then
	run sh -c 'ulimit -v 300000 && exec "$@"' sh "$MLPPREDICT" bigshape.json "$xor"
else
	run "$MLPPREDICT" bigshape.json "$xor"
fi
expect_rc 1 && expect_err_only "mlppredict: bigshape.json: weights[0] has 0 rows, expected 13 (layers[1])"

t "deeply nested JSON: exit 1, no stack overflow"
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "["; for (i = 0; i < 200000; i++) printf "]"; print "" }' >deep.json
expect_status 1 "$MLPPREDICT" deep.json "$xor" && expect_err_match 'mlppredict: deep\.json:1:[0-9]+: not valid JSON'

t "numbers: a leading +, blanks around fields, -0, denormals and 1e-400 read as documented"
printf 'x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n' >plain.csv
printf 'x1,x2,y\n+0 , -0,0\n 0.0e5\t,1,+1\n1,4.9e-324,1\n+1.,1e-400 ,0\n' >tiny.csv
printf 'x1,x2,y\n+0 , -0,0\n 0.0e5\t,1,+1\n1,4.9e-324,1\n+1.,10e-1 ,0\n' >spelled.csv
"$MLPTRAIN" -q -S -e 20 -s 4 plain.csv >plain.json 2>/dev/null
"$MLPTRAIN" -q -S -e 20 -s 4 spelled.csv >spelled.json 2>/dev/null
# 4.9e-324 and 1e-400 standardise to the same values as 0 does
same spelled.json plain.json "models from spelled-out and plain numbers"
"$MLPPREDICT" plain.json plain.csv >p1.out 2>/dev/null
"$MLPPREDICT" plain.json spelled.csv >p2.out 2>/dev/null
same p2.out p1.out "predictions"
# 1e-400 underflows to 0: a row (1, 0), not (1, 1)
"$MLPPREDICT" plain.json tiny.csv >p3.out 2>/dev/null
differ p3.out p1.out "predictions with 1e-400 in place of 1"

t "numbers: hex floats, 1e999, inf, nan, a comma as decimal point: exit 1 with line:column"
for v in 0x1p3 1e999 -inf 1,5 '1 2' 1e; do
	printf 'x1,x2,y\n0,0,0\n0,"%s",1\n' "$v" >num.csv
	run "$MLPTRAIN" -q num.csv
	expect_rc 1 && expect_err_match "mlptrain: num\\.csv:3:2: '.*' is (not a number|not a finite number|too large for a double)"
done

t "a locale with a decimal comma changes nothing, in parsing or output"
mkdir -p loc
if localedef -i de_DE -f UTF-8 loc/de_DE.UTF-8 2>/dev/null &&
    [ "$(LOCPATH=$tmp/loc LC_ALL=de_DE.UTF-8 /usr/bin/printf '%.1f' 1.5)" = "1,5" ]; then
	LOCPATH=$tmp/loc LC_ALL=de_DE.UTF-8 "$MLPTRAIN" -q -e 20 "$moons" >de.json 2>de.err
	"$MLPTRAIN" -q -e 20 "$moons" >c.json 2>/dev/null
	same de.json c.json "the model under de_DE.UTF-8"
	LOCPATH=$tmp/loc LC_ALL=de_DE.UTF-8 "$MLPPREDICT" de.json "$moons" >de.out 2>>de.err
	"$MLPPREDICT" c.json "$moons" >c.out 2>/dev/null
	same de.out c.out "the predictions under de_DE.UTF-8"
	[ -s de.err ] && fail "stderr under de_DE.UTF-8:" && show de.err
else
	fail "could not make a de_DE.UTF-8 locale with localedef (Debian's libc-bin and locales data)"
fi

t "write errors: /dev/full and a closed pipe never look like success"
expect_status 3 "$MLPPREDICT" moons.json "$moons" -o /dev/full && expect_err_match 'mlppredict: /dev/full: write error: .*'
# more output than a pipe holds, so that writes go on after head has gone
cp "$moons" many.csv
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do tail -n +2 "$moons"; done >>many.csv
# SIGPIPE as usual: killed by it, quietly, status 141
sh -c '"$1" moons.json "$2" "$2" "$2" "$2" 2>pipe.err; echo $? >pipe.rc' sh "$MLPPREDICT" many.csv | head -n 1 >/dev/null
same_text "$(cat pipe.rc)" 141 "exit status with SIGPIPE"
# (Valgrind prints its leak summary when SIGPIPE kills the program.)
[ -z "${E2E_VALGRIND:-}" ] && [ -s pipe.err ] && fail "stderr on SIGPIPE:" && show pipe.err
# SIGPIPE ignored, as some parents leave it: a message and exit 3
sh -c 'trap "" PIPE; "$1" moons.json "$2" "$2" "$2" "$2" 2>pipe.err; echo $? >pipe.rc' sh "$MLPPREDICT" many.csv | head -n 1 >/dev/null
same_text "$(cat pipe.rc)" 3 "exit status with SIGPIPE ignored"
grep -E -x 'mlppredict: (standard output: )?write error: Broken pipe' pipe.err >/dev/null ||
	{ fail "no write error reported on a closed pipe with SIGPIPE ignored; stderr:"; show pipe.err; }

t "an allocation that fails is reported as such: exit 5"
# Sanitizer and Valgrind builds cannot run under a small address-space limit.
# (An inner sh, so that the shell's own "Aborted" for such a build stays quiet.)
if sh -c 'ulimit -v 300000 && exec "$1" -V' sh "$MLPTRAIN" >/dev/null 2>&1; then
	run sh -c 'ulimit -v 300000 && exec "$@"' sh "$MLPTRAIN" -q -l 2,20000,20000,1 -o o/keep.json "$xor"
	expect_rc 5 && expect_err_only "mlptrain: out of memory for a model of 400100001 weights (3052 MiB)"
	same o/keep.json keep.orig "the existing -o file"
fi

e2e_done e2e
