#!/bin/sh
# End-to-end tests of what the output files may never do: overwrite an
# input or another output (refused as a usage error before any work), be
# committed one by one (all or none), follow a symbolic link planted during
# the run, fail late on a long name, keep setuid bits, skip fsync; and of
# what signals and limits leave behind: no temporary file, a message, a
# documented status (SIGPIPE and other signals, SIGXFSZ under ulimit -f, a
# FIFO with no reader, ulimit -v), and a model path that is a device.  Run
# from the top of the source tree as "sh tests/e2e_safety.sh"; the variables
# of tests/e2e_lib.sh apply.  The last line is "e2e_safety: P passed, F
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

# in_o PATTERN: whether a file of the directory o matches PATTERN (grep).
in_o() {
	ls o | grep -q "$1"
}

t "a symbolic link planted at -o during the run is replaced, its target left alone"
# The data comes through a FIFO, so the run waits (its outputs already
# prepared) while the link is planted.
mkfifo race.fifo
echo victim >victim.txt
cp victim.txt victim.orig
rm -f o/race.json
start_job "$MLPTRAIN" -q -l 2,4,1 -e 3000 -r 0.5 -o o/race.json race.fifo
wait_until 100 in_o 'race\.json\.tmp'
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

# ---- signals and limits ----

# A FIFO held open by this shell, so a program reading it blocks until a signal.
mkfifo in.fifo

# held_signal SIGNAL STATUS MESSAGE CMD...: CMD blocked reading in.fifo,
# with o/keep.json as its -o file, gets SIGNAL: it ends with STATUS and
# MESSAGE, and o/ is as it was.
held_signal() {
	_sig=$1
	_want=$2
	_msg=$3
	shift 3
	cp keep.orig o/keep.json
	listing o >before.txt
	exec 9<>in.fifo
	start_job "$@" 9>&-
	wait_until 100 in_o 'keep\.json\.tmp'
	sleep 0.2
	kill -s "$_sig" "$jobpid" 2>/dev/null || fail "could not signal the job"
	sleep 0.1
	exec 9>&-
	end_job
	expect_rc "$_want" && expect_err_match "$_msg"
	unchanged o/keep.json keep.orig "the -o file"
	listing o >after.txt
	same after.txt before.txt "the -o directory's files"
}

if [ -z "${E2E_VALGRIND:-}" ]; then
t "SIGPIPE during mlppredict -o: exit 141, a message, no temporary file"
held_signal PIPE 141 'mlppredict: interrupted; output file left as it was' \
	"$MLPPREDICT" -o o/keep.json moons.json in.fifo

t "other signals that would kill it (SIGUSR1, SIGALRM, SIGUSR2): 128+N, no temporary file"
held_signal USR1 138 'mlppredict: interrupted; output file left as it was' \
	"$MLPPREDICT" -o o/keep.json moons.json in.fifo
held_signal ALRM 142 'mlptrain: .*interrupted.*; no model written' \
	"$MLPTRAIN" -q -o o/keep.json in.fifo
held_signal USR2 140 'mlptrain: .*interrupted.*; no model written' \
	"$MLPTRAIN" -q -o o/keep.json --history o/h.csv in.fifo
held_signal PIPE 141 'mlptrain: .*interrupted.*; no model written' \
	"$MLPTRAIN" -q -o o/keep.json in.fifo
fi

t "SIGPIPE when mlppredict writes to standard output: still killed quietly, 141"
# (the closed pipe case of e2e_outputs, with the write going on after the reader left)
cp "$moons" many.csv
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do tail -n +2 "$moons"; done >>many.csv
sh -c '"$1" moons.json "$2" "$2" "$2" "$2" 2>pipe.err; echo $? >pipe.rc' sh "$MLPPREDICT" many.csv | head -n 1 >/dev/null
same_text "$(cat pipe.rc)" 141 "exit status"
[ -z "${E2E_VALGRIND:-}" ] && [ -s pipe.err ] && fail "stderr on SIGPIPE:" && show pipe.err

t "the file size limit (SIGXFSZ): exit 3, File too large, the old file kept, no temporary file"
# ulimit -f counts 512-byte blocks in sh; the outputs below are larger than 4 of them.
cp keep.orig o/keep.json
run sh -c 'ulimit -f 4 && exec "$@"' sh "$MLPTRAIN" -q -l 2,300,1 -e 1 -o o/keep.json "$xor"
expect_rc 3 && expect_err_only "mlptrain: o/keep.json: write error: File too large"
unchanged o/keep.json keep.orig "mlptrain's -o file"
run sh -c 'ulimit -f 4 && exec "$@"' sh "$MLPPREDICT" -o o/keep.json moons.json many.csv
expect_rc 3 && expect_err_only "mlppredict: o/keep.json: write error: File too large"
unchanged o/keep.json keep.orig "mlppredict's -o file"
run sh -c 'ulimit -f 4 && exec "$@" >big.out' sh "$MLPPREDICT" moons.json many.csv
expect_rc 3 && expect_err_only "mlppredict: standard output: write error: File too large"
no_tmp o

if [ -z "${E2E_VALGRIND:-}" ]; then
t "a FIFO as -o with no reader, then SIGTERM: exit 143 with a message"
mkfifo o/out.fifo
start_job "$MLPTRAIN" -q -e 1 -o o/out.fifo "$xor"
sleep 0.5
kill -s TERM "$jobpid" 2>/dev/null || fail "could not signal the job"
end_job
expect_rc 143 && expect_err_only "mlptrain: o/out.fifo: interrupted while waiting for a reader; no model written"
start_job "$MLPPREDICT" -o o/out.fifo moons.json "$moons"
sleep 0.5
kill -s TERM "$jobpid" 2>/dev/null || fail "could not signal the job"
end_job
expect_rc 143 && expect_err_only "mlppredict: interrupted; output file left as it was"
rm -f o/out.fifo
no_tmp o
fi

t "ulimit -v: out of memory is exit 5 wherever it strikes, never 3, no temporary file"
# From the smallest limit the program starts under, upwards in small steps:
# each run ends in success or in exit 5 saying "out of memory".
low=1000
while [ $low -lt 60000 ] && ! sh -c 'ulimit -v "$1" && exec "$2" -V' sh $low "$MLPPREDICT" >/dev/null 2>&1; do
	low=$((low + 250))
done
if [ $low -lt 60000 ]; then
	v=$((low - 500))
	bad=
	while [ $v -lt $((low + 3000)) ]; do
		for prog in train predict; do
			if [ $prog = train ]; then
				sh -c 'ulimit -v "$1" && shift && exec "$@"' sh $v "$MLPTRAIN" -q -e 2 -o o/v.json \
					--history o/v.csv --plot o/v.svg "$xor" >/dev/null 2>vm.err
			else
				sh -c 'ulimit -v "$1" && shift && exec "$@"' sh $v "$MLPPREDICT" -o o/v.txt moons.json \
					"$moons" >/dev/null 2>vm.err
			fi
			r=$?
			if [ $r -eq 127 ] && grep -q 'error while loading shared libraries' vm.err; then
				continue	# the loader, before the program
			fi
			if [ $r -ne 0 ] && { [ $r -ne 5 ] || ! grep -q 'out of memory' vm.err; }; then
				bad="$bad $prog@${v}k:$r"
			fi
		done
		v=$((v + 20))
	done
	[ -z "$bad" ] || fail "not 0 or 5 with 'out of memory':$bad" "$(head -n 1 vm.err)"
	no_tmp o
	rm -f o/v.json o/v.csv o/v.svg o/v.txt
else
	echo "     (the programs do not start under ulimit -v here, as with ASan: not tested)"
fi

t "a model path that is a device: refused at its first byte, not read to 1 GiB"
# Under a 300 MB address space limit, reading /dev/zero to 1 GiB would fail.
if sh -c 'ulimit -v 300000 && exec "$1" -V' sh "$MLPPREDICT" >/dev/null 2>&1; then
	lim='ulimit -v 300000 &&'
else
	lim=
fi
run sh -c "$lim"' exec "$@"' sh "$MLPPREDICT" /dev/zero "$moons"
expect_rc 1 && expect_err_only "mlppredict: /dev/zero:1:1: not valid JSON"
run sh -c "$lim"' exec "$@"' sh "$MLPTRAIN" -q -i /dev/zero -o o/keep.json "$xor"
expect_rc 1 && expect_err_only "mlptrain: /dev/zero:1:1: not valid JSON"
printf '{"format": \0' >nul.part
run sh -c "$lim"' cat nul.part | "$@"' sh "$MLPPREDICT" /dev/stdin "$moons"
expect_rc 1 && expect_err_only "mlppredict: /dev/stdin:1:12: not valid JSON: a NUL byte"
cat moons.json | "$MLPPREDICT" /dev/stdin "$moons" >fromstdin.out 2>"$tmp/err" || fail "a model through a pipe: $(cat "$tmp/err")"
same fromstdin.out moons.out "predictions with the model read from a pipe"

e2e_done e2e_safety
