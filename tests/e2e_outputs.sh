#!/bin/sh
# End-to-end tests of the output files of both programs: -o replaces a file,
# keeps its mode, follows symbolic links, writes into a FIFO or /dev/null;
# write errors (/dev/full, a closed pipe) never look like success; a failing
# run leaves an existing -o file and its directory as they were.  Run from the
# top of the source tree as "sh tests/e2e_outputs.sh"; the variables of
# tests/e2e_lib.sh apply.  The last line is "e2e_outputs: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"
e2e_models

# ---- output files ----

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
printf 'a,y\n1,p\n2,p\n3,p\n' >three.csv
check_kept "missing value" 1 "$MLPTRAIN" -q -o o/keep.json na.csv
check_kept "unknown -t column" 2 "$MLPTRAIN" -q -t nosuch -o o/keep.json na.csv
check_kept "one label" 1 "$MLPTRAIN" -q -o o/keep.json three.csv
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

e2e_done e2e_outputs
