#!/bin/sh
# End-to-end tests of what the output files may never do: overwrite an
# input or another output (refused as a usage error before any work), be
# committed one by one (all or none), follow a symbolic link planted during
# the run, fail late on a long name, keep setuid bits, skip fsync.  Run from
# the top of the source tree as "sh tests/e2e_safety.sh"; the variables of
# tests/e2e_lib.sh apply.  The last line is "e2e_safety: P passed, F
# failed".

. "$(dirname "$0")/e2e_lib.sh"
e2e_models
keep_setup

# no_tmp DIR: no temporary file is left in DIR.
no_tmp() {
	_left=$(ls -A "$1" | grep '\.tmp' || true)
	[ -z "$_left" ] || fail "a temporary file is left in $1: $_left"
}

# unchanged FILE COPY WHAT: FILE still holds what COPY holds.
unchanged() {
	cmp -s "$1" "$2" || fail "$3: $1 was changed"
}

cp "$xor" d.csv
cp "$xor" d.orig
cp "$xor" v.csv
echo old >old.txt

# ---- an output is never an input, nor another output ----

t "mlptrain --history naming the data file: exit 2, the data kept"
bad_opt 2 "mlptrain: d.csv: named for an input and an output (the training data and --history); name another file for --history" \
	"$MLPTRAIN" -q -e 2 --history d.csv d.csv
unchanged d.csv d.orig "the training data"
no_tmp .

t "mlptrain -o naming the data file, or the --validate file: exit 2, both kept"
bad_opt 2 "mlptrain: d.csv: named for an input and an output (the training data and the model); name another file for the model" \
	"$MLPTRAIN" -q -e 2 -o d.csv d.csv
unchanged d.csv d.orig "the training data"
bad_opt 2 "mlptrain: v.csv: named for an input and an output (the --validate data and the model); name another file for the model" \
	"$MLPTRAIN" -q -e 2 -o v.csv --validate v.csv d.csv
unchanged v.csv d.orig "the --validate file"
bad_opt 2 "mlptrain: v.csv: named for an input and an output (the --validate data and --plot); name another file for --plot" \
	"$MLPTRAIN" -q -e 2 -o o/m.json --plot v.csv --validate v.csv d.csv
unchanged v.csv d.orig "the --validate file"
[ -e o/m.json ] && fail "o/m.json was written"
no_tmp .
no_tmp o

t "mlppredict -o naming the model or a data file: exit 2, both kept"
cp moons.json pm.json
bad_opt 2 "mlppredict: pm.json: named for an input and an output (the model and the output); name another file for the output" \
	"$MLPPREDICT" -o pm.json pm.json "$moons"
unchanged pm.json moons.json "the model"
cp "$moons" p2.csv
cp "$moons" p2.orig
bad_opt 2 "mlppredict: p2.csv: named for an input and an output (the data and the output); name another file for the output" \
	"$MLPPREDICT" -o p2.csv moons.json "$moons" p2.csv
unchanged p2.csv p2.orig "the second data file"
no_tmp .

t "the same file under other names: a hard link, a symbolic link, ./name, a new file twice"
ln d.csv hard.csv
bad_opt 2 "mlptrain: hard.csv (the same file as d.csv): named for an input and an output (the training data and the model); name another file for the model" \
	"$MLPTRAIN" -q -e 2 -o hard.csv d.csv
ln -s d.csv soft.csv
bad_opt 2 "mlptrain: soft.csv (the same file as d.csv): named for an input and an output (the training data and --history); name another file for --history" \
	"$MLPTRAIN" -q -e 2 --history soft.csv d.csv
unchanged d.csv d.orig "the training data"
bad_opt 2 "mlptrain: ./new.json (the same file as new.json): named for two outputs (--history and the model)" \
	"$MLPTRAIN" -q -e 2 -o new.json --history ./new.json d.csv
[ -e new.json ] && fail "new.json was created"
mkdir -p sub
bad_opt 2 "mlptrain: sub/../new.svg (the same file as new.svg): named for two outputs (--plot and the model)" \
	"$MLPTRAIN" -q -e 2 -o new.svg --plot sub/../new.svg d.csv
cp keep.orig k2.json
ln k2.json k3.json
bad_opt 2 "mlptrain: k3.json (the same file as k2.json): named for two outputs (--history and the model)" \
	"$MLPTRAIN" -q -e 2 -o k2.json --history k3.json d.csv
unchanged k2.json keep.orig "the model file"
no_tmp .

t "standard input and standard output count as the files they are"
"$MLPTRAIN" -q -e 2 -o o/m.json --plot d.csv - <d.csv >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 2 && expect_err_only "mlptrain: d.csv (the same file as standard input): named for an input and an output (the training data and --plot); name another file for --plot"
unchanged d.csv d.orig "the training data read from standard input"
"$MLPPREDICT" moons.json p2.csv >>p2.csv 2>"$tmp/err"
rc=$?
expect_rc 2 && expect_err_only "mlppredict: standard output (the same file as p2.csv): named for an input and an output (the data and the output); name another file for the output"
unchanged p2.csv p2.orig "the data file appended to"
"$MLPTRAIN" -q -e 2 --history p2.csv -o - "$xor" >>p2.csv 2>"$tmp/err"
rc=$?
expect_rc 2 && expect_err_only "mlptrain: p2.csv (the same file as standard output): named for two outputs (--history and the model)"
unchanged p2.csv p2.orig "standard output's file"

t "what may share a file: -o replacing the -i model, two outputs on /dev/null"
cp moons.json res.json
expect_status 0 "$MLPTRAIN" -q -e 2 -i res.json -o res.json "$moons" && differ res.json moons.json "the resumed model"
bad_opt 2 "mlptrain: res.json: named for an input and an output (the -i model and --history); name another file for --history" \
	"$MLPTRAIN" -q -e 2 -i res.json -o o/r.json --history res.json "$moons"
expect_status 0 "$MLPTRAIN" -q -e 2 -o /dev/null --history /dev/null --plot /dev/null "$xor"
expect_status 0 "$MLPPREDICT" -o /dev/null moons.json /dev/null

# ---- all the outputs, or none ----

t "a failing --history or --plot leaves the model file as it was, and the other way round"
if [ -c /dev/full ]; then
	cp old.txt o/m.json
	cp old.txt o/h.csv
	cp old.txt o/p.svg
	expect_status 3 "$MLPTRAIN" -q -e 2 -o o/m.json --history /dev/full "$xor" &&
		expect_err_only "mlptrain: /dev/full: write error: No space left on device"
	unchanged o/m.json old.txt "-o with --history /dev/full"
	expect_status 3 "$MLPTRAIN" -q -e 2 -o o/m.json --plot /dev/full --history o/h.csv "$xor"
	unchanged o/m.json old.txt "-o with --plot /dev/full"
	unchanged o/h.csv old.txt "--history with --plot /dev/full"
	expect_status 3 "$MLPTRAIN" -q -e 2 -o /dev/full --plot o/p.svg --history o/h.csv "$xor"
	unchanged o/p.svg old.txt "--plot with -o /dev/full"
	unchanged o/h.csv old.txt "--history with -o /dev/full"
	"$MLPTRAIN" -q -e 2 --history o/h.csv "$xor" >/dev/full 2>"$tmp/err"
	rc=$?
	expect_rc 3 && unchanged o/h.csv old.txt "--history with the model on a full standard output"
	no_tmp o
	rm -f o/m.json o/h.csv o/p.svg
else
	echo "     (no /dev/full: not tested)"
fi

# ---- symbolic links, names, modes, fsync ----

t "a symbolic link planted at -o during the run is replaced, its target left alone"
# The data comes through a FIFO, so the run waits (its outputs already
# prepared) while the link is planted.
mkfifo race.fifo
echo victim >victim.txt
cp victim.txt victim.orig
rm -f o/race.json
start_job "$MLPTRAIN" -q -l 2,4,1 -e 3000 -r 0.5 -o o/race.json race.fifo
_n=0
while ! ls o | grep -q 'race\.json\.tmp' && [ $_n -lt 100 ]; do
	sleep 0.05
	_n=$((_n + 1))
done
ln -s ../victim.txt o/race.json
cat "$xor" >race.fifo
end_job
expect_rc 0
unchanged victim.txt victim.orig "the planted link's target"
[ -L o/race.json ] && fail "o/race.json is still the planted link"
same o/race.json xor.json "the model, in place of the link"
no_tmp o
rm -f o/race.json race.fifo

t "a 254-byte -o name works; a 256-byte one fails before reading the data"
long=$(printf '%0254d' 0 | tr 0 m)
mkdir -p lg
expect_status 0 "$MLPTRAIN" -q -l 2,4,1 -e 3000 -r 0.5 -o "lg/$long" "$xor" && same "lg/$long" xor.json "the model"
same_text "$(ls lg)" "$long" "files in the directory"
printf 'a,b,y\n1,x,0\n' >badfield.csv
expect_status 3 "$MLPTRAIN" -q -o "lg/${long}xx" badfield.csv &&
	expect_err_only "mlptrain: lg/${long}xx: cannot write: File name too long"
expect_status 3 "$MLPPREDICT" -o "lg/${long}xx" moons.json "$moons" &&
	expect_err_only "mlppredict: lg/${long}xx: cannot write: File name too long"
same_text "$(ls lg)" "$long" "files in the directory"

t "-o over a setuid or setgid file drops those bits, keeps the others"
cp old.txt o/suid.json
chmod 4755 o/suid.json
expect_status 0 "$MLPTRAIN" -q -e 1 -o o/suid.json "$xor"
same_text "$(mode_of o/suid.json)" -rwxr-xr-x "mode after -o over a 4755 file"
cp old.txt o/sgid.txt
chmod 2750 o/sgid.txt
expect_status 0 "$MLPPREDICT" -o o/sgid.txt moons.json "$moons"
same_text "$(mode_of o/sgid.txt)" -rwxr-x--- "mode after mlppredict -o over a 2750 file"
rm -f o/suid.json o/sgid.txt

t "the temporary file is synced before the rename, the directory after it"
if [ -z "${E2E_VALGRIND:-}" ] && command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true >/dev/null 2>&1; then
	strace -f -e trace=openat,fsync,fdatasync,rename,renameat,renameat2 -o trace.txt \
		"$MLPTRAIN" -q -e 1 -o o/sync.json "$xor" 2>"$tmp/err"
	# the order of the calls that matter: the temporary file's fsync, the rename, the directory's fsync
	awk '
	/openat\(.*sync\.json\.tmp/ { split($0, a, "= "); tmpfd = a[2] + 0 }
	/openat\(.*O_DIRECTORY/ { split($0, a, "= "); dirfd = a[2] + 0 }
	/fsync\(/ { match($0, /fsync\([0-9]+/); fd = substr($0, RSTART + 6, RLENGTH - 6) + 0
		if (fd == tmpfd && !renamed) print "fsync-file"; else if (fd == dirfd && renamed) print "fsync-dir" }
	/rename.*sync\.json\.tmp.*sync\.json/ { renamed = 1; print "rename" }
	' trace.txt | tr '\n' ' ' >order.txt
	same_text "$(cat order.txt)" "fsync-file rename fsync-dir " "the calls, in order"
	rm -f o/sync.json
else
	echo "     (no strace that can trace here: not tested)"
fi

e2e_done e2e_safety
