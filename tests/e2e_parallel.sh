#!/bin/sh
# End-to-end tests of training with several workers: mlptrain -j N (threads)
# and mlptrain-mpi under mpirun -np N (Open MPI ranks).  What they promise:
# one worker is the plain run, byte for byte; the same N gives the same bytes
# run after run, and threads and ranks give the same bytes; everything
# computed over the rows (holdout, validation, early stopping, class weights,
# categories, imputation) works with N workers; a bad row anywhere gives the
# message one worker gives; signals and a dead rank stop every worker, and
# write nothing.  Run from the top of the source tree as
# "sh tests/e2e_parallel.sh"; the variables of tests/e2e_lib.sh apply, and
# MLPTRAIN_MPI (default ./mlptrain-mpi, built by make mpi) and MPIRUN
# (default mpirun).  E2E_MPI=0 leaves the MPI cases out (the Valgrind pass
# does).  The last line is "e2e_parallel: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"
e2e_models
keep_setup

MLPTRAIN_MPI=$(abs_prog "${MLPTRAIN_MPI:-./mlptrain-mpi}")
MPIRUN=${MPIRUN:-mpirun}
MPI=${E2E_MPI:-1}
# Open MPI refuses root unless told, and more ranks than cores unless told.
OMPI_ALLOW_RUN_AS_ROOT=1
OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
flowers=$DATA/flowers.csv
shop=$DATA/shop.csv

# mpi N ARGS...: mlptrain-mpi on N ranks, quiet mpirun (its banners off).
mpi() {
	_np=$1
	shift
	"$MPIRUN" -q --oversubscribe -np "$_np" "$MLPTRAIN_MPI" "$@"
}

# trained OUT ARGS...: mlptrain ARGS... succeeds, its model in OUT.
trained() {
	_o=$1
	shift
	run "$MLPTRAIN" -q "$@" -o "$_o"
	expect_rc 0
}

# mpi_trained OUT N ARGS...: the same with mlptrain-mpi on N ranks.
mpi_trained() {
	_o=$1
	_np=$2
	shift 2
	run mpi "$_np" -q "$@" -o "$_o"
	expect_rc 0
}

# threads_and_ranks WHAT N ARGS...: -j N twice, and (with MPI) mpirun -np N:
# a model, the same bytes every time.
threads_and_ranks() {
	_what=$1
	_n=$2
	shift 2
	trained j1.json -j "$_n" "$@" && trained j2.json -j "$_n" "$@" &&
		same j2.json j1.json "$_what: -j $_n run twice"
	[ "$MPI" = 1 ] || return 0
	mpi_trained m.json "$_n" "$@" && same m.json j1.json "$_what: mpirun -np $_n against -j $_n"
}

t "one worker is the plain run: -j 1, mpirun -np 1 and no -j give the same bytes"
trained plain.json -e 20 "$moons" && trained one.json -j 1 -e 20 "$moons" && same one.json plain.json "-j 1"
json_is .training.workers plain.json null
if [ "$MPI" = 1 ]; then
	mpi_trained m1.json 1 -e 20 "$moons" && same m1.json plain.json "mpirun -np 1"
fi
trained plain.json -e 5 --holdout 0.2 --patience 2 -c auto --impute median "$shop" &&
	trained one.json -j 1 -e 5 --holdout 0.2 --patience 2 -c auto --impute median "$shop" &&
	same one.json plain.json "-j 1 with --holdout, --patience, -c auto, --impute"

t "the same N gives the same bytes, threads or ranks: N = 2, 3 on moons, flowers, shop"
for n in 2 3; do
	threads_and_ranks moons "$n" -e 10 --sync-every 16 "$moons"
	threads_and_ranks flowers "$n" -e 10 "$flowers"
	threads_and_ranks shop "$n" -e 10 -c auto "$shop"
done

t "more workers than cores, and than rows: N = 4 and 8, threads and ranks alike"
threads_and_ranks "moons, 4 workers" 4 -e 5 --sync-every 8 "$moons"
threads_and_ranks "moons, 8 workers" 8 -e 5 --sync-every 8 "$moons"
head -n 6 "$moons" >five.csv
threads_and_ranks "5 rows, 8 workers" 8 -e 5 five.csv

t "the model records the workers, their averaging and their streams"
trained w.json -j 3 -e 2 --sync-every 40 "$moons"
json_is .training.workers w.json 3
json_is .training.sync_every w.json 40
jget .training.worker_rng w.json | tr -cd , >commas.txt	# two streams: one comma
same_text "$(cat commas.txt)" , "the streams of workers 1 and 2"
trained w.json -j 2 -e 2 --sync-every epoch "$moons"
json_is .training.sync_every w.json '"epoch"'
trained w2.json -j 2 -e 2 --sync-every 8 "$moons"
differ w2.json w.json "--sync-every 8 against epoch"

t "holdout, early stopping, class weights, --validate, --decay inverse, -w with 2 workers: threads = ranks"
threads_and_ranks holdout 2 -e 20 --holdout 0.25 --patience 3 "$moons"
json_is .training.validation.rows j1.json 100
threads_and_ranks "class weights" 2 -e 5 --class-weight balanced "$flowers"
threads_and_ranks validate 2 -e 5 --validate "$moons" "$moons"
threads_and_ranks "inverse decay" 2 -e 5 --decay inverse "$flowers"
awk -F, -v OFS=, 'NR == 1 { print $0, "w"; next } { print $0, NR % 3 }' "$moons" >weighted.csv
threads_and_ranks "row weights" 2 -e 5 -w w weighted.csv
threads_and_ranks "impute mean, holdout" 3 -e 5 -c auto --impute mean --holdout 0.3 "$shop"

t "--history and --plot come from worker 0 with every worker's figures: threads and ranks write the same"
trained h.json -j 2 -e 4 --holdout 0.2 --history h1.csv --plot h1.svg "$moons"
cut -d, -f1-6 h1.csv >h1.cut
if [ "$MPI" = 1 ]; then
	mpi_trained h.json 2 -e 4 --holdout 0.2 --history h2.csv --plot h2.svg "$moons"
	cut -d, -f1-6 h2.csv >h2.cut
	same h2.cut h1.cut "the history but its seconds"
fi
awk -F, 'NR > 1 && $2 + 0 > 0 { n++ } END { exit n != 4 }' h1.csv || fail "h1.csv has not 4 epochs of losses"
[ -s h1.svg ] || fail "no plot"

t "the statistics and the holdout are the whole file's: the same as one worker's"
trained one.json -e 0 --holdout 0.25 "$moons" && trained two.json -j 2 -e 0 --holdout 0.25 "$moons"
for k in '.standardize' '.training.validation' '.training.rows'; do
	jget "$k" one.json >a.txt && jget "$k" two.json >b.txt && same b.txt a.txt "$k of -e 0"
done

t "resuming with as many workers: -e 3, then -i -e 3, is -e 6 (threads and ranks), --sync-every kept"
# weights_of FILE: the layers of a model (the record says "init": "model" after -i).
weights_of() {
	jget .weights "$1"
}
trained six.json -j 2 -e 6 --sync-every 32 "$moons" && trained three.json -j 2 -e 3 --sync-every 32 "$moons" &&
	trained again.json -j 2 -e 3 -i three.json "$moons" &&
	same_text "$(weights_of again.json)" "$(weights_of six.json)" "-j 2: the weights of 3 + 3 epochs"
json_is .training.sync_every again.json 32
jget .training.worker_rng six.json >a.txt && jget .training.worker_rng again.json >b.txt && same b.txt a.txt "the streams"
if [ "$MPI" = 1 ]; then
	mpi_trained three.json 2 -e 3 --sync-every 32 "$moons" && mpi_trained again.json 2 -e 3 -i three.json "$moons" &&
		same_text "$(weights_of again.json)" "$(weights_of six.json)" "mpirun -np 2: the weights of 3 + 3 epochs"
fi

t "-j from a pipe: the same model as from the file"
trained file.json -j 3 -e 5 "$moons"
run_in "$moons" "$MLPTRAIN" -q -j 3 -e 5 -o pipe.json
expect_rc 0 && same pipe.json file.json "-j 3 from standard input"

t "a bad row in the last part, or the first: one worker's message, exit 1, -o left as it was"
awk 'NR == 400 { sub(/^[^,]*,/, "oops,") } { print }' "$moons" >badlast.csv
run "$MLPTRAIN" -q badlast.csv
cp "$tmp/err" want.err
expect_rc 1
for n in 2 3 4; do
	check_kept "-j $n" 1 "$MLPTRAIN" -q -j "$n" -o o/keep.json badlast.csv
	same "$tmp/err" want.err "-j $n: the message"
	if [ "$MPI" = 1 ]; then
		check_kept "mpirun -np $n" 1 mpi "$n" -q -o o/keep.json badlast.csv
		same "$tmp/err" want.err "mpirun -np $n: the message"
	fi
done
awk 'NR == 3 { $0 = "x," $0 } { print }' "$moons" >badfirst.csv
run "$MLPTRAIN" -q badfirst.csv
cp "$tmp/err" want.err
run "$MLPTRAIN" -q -j 3 badfirst.csv
expect_rc 1 && same "$tmp/err" want.err "-j 3: the message of a short row near the top"

t "a quoted line break across the cuts: the rows one worker reads"
{
	echo 'x1,x2,note,y'
	awk -F, 'NR > 1 && NR <= 200 { print $1 "," $2 ",\"a\nb\"," $3 }' "$moons"
} >quoted.csv
trained one.json -x note -e 3 quoted.csv && trained two.json -x note -j 3 -e 3 quoted.csv &&
	json_is .training.rows two.json 199 && json_is .training.rows one.json 199

t "usage: -j out of range, --sync-every 0, -j with mlptrain-mpi, mlptrain-mpi on standard input"
bad_opt 2 "mlptrain: -j: '5000' is not a whole number from 0 to 4096" "$MLPTRAIN" -j 5000 "$moons"
bad_opt 2 "mlptrain: --sync-every: '0' is not a whole number from 1 to 18446744073709551615" \
	"$MLPTRAIN" --sync-every 0 "$moons"
if [ "$MPI" = 1 ]; then
	bad_opt 2 "mlptrain: -j 2: mlptrain-mpi runs one worker a rank; start more ranks with mpirun -np N instead" \
		mpi 2 -j 2 "$moons"
	run_in "$moons" mpi 2 -q -
	expect_rc 2 && expect_err_only "mlptrain: standard input: not a regular file: each MPI rank reads its own part of the file; save the data to a file first"
	bad_opt 1 "mlptrain: moons.csv has 2 features and 1 target column, but -l 3,8,1 expects 3 features; try -l 2,8,1" \
		sh -c 'cd "$1" && shift && "$@"' sh "$DATA" "$MPIRUN" -q -np 2 "$MLPTRAIN_MPI" -l 3,8,1 moons.csv
fi

t "-j 0: one worker a core"
trained w.json -j 0 -e 1 "$moons"
cores=$(getconf _NPROCESSORS_ONLN)
if [ "$cores" -gt 1 ]; then
	json_is .training.workers w.json "$cores"
else
	json_is .training.workers w.json null
fi

# Valgrind restarts interrupted system calls and is slow to start threads:
# the signal cases run on the normal and sanitizer builds.
if [ -z "${E2E_VALGRIND:-}" ]; then
t "SIGINT or SIGTERM to mlptrain -j 2: exit 130 or 143, every worker stopped, the old -o kept"
for s in INT:130 TERM:143; do
	cp keep.orig o/keep.json
	listing o >before.txt
	start_job "$MLPTRAIN" -j 2 -e 1000000000 --sync-every 16 -o o/keep.json "$moons"
	wait_for '^epoch 1/' "$tmp/job.err"
	kill -s "${s%%:*}" "$jobpid" 2>/dev/null || fail "could not signal the job"
	end_job
	expect_rc "${s#*:}" && expect_err_match 'mlptrain: interrupted in epoch [0-9]+.*; no model written'
	same o/keep.json keep.orig "the existing -o file after SIG${s%%:*}"
	listing o >after.txt
	same after.txt before.txt "the -o directory's files after SIG${s%%:*}"
done

if [ "$MPI" = 1 ]; then
t "SIGTERM to a rank: every rank stops, exit 143, the old -o kept; SIGTERM to mpirun: no model either"
# mpirun_ranks: the ranks' process ids, children of the job's mpirun, from
# /proc/PID/stat ("PID (NAME) STATE PPID ..."; no pgrep: a bare Debian has
# no procps).
mpirun_ranks() {
	for rank_stat in /proc/[0-9]*/stat; do
		rank_line=$(cat "$rank_stat" 2>/dev/null) || continue
		case $rank_line in *" (mlptrain-mpi) "*) ;; *) continue ;; esac
		set -- ${rank_line##*) }
		[ "$2" = "$jobpid" ] && { rank_stat=${rank_stat#/proc/}; echo "${rank_stat%/stat}"; }
	done
	return 0
}
cp keep.orig o/keep.json
listing o >before.txt
start_job "$MPIRUN" -q -np 2 "$MLPTRAIN_MPI" -e 1000000000 --sync-every 16 -o o/keep.json "$moons"
wait_for '^epoch 1/' "$tmp/job.err"
kill -s TERM $(mpirun_ranks | tail -n 1) 2>/dev/null || fail "could not signal a rank"
end_job
expect_rc 143 && expect_err_match 'mlptrain: interrupted in epoch [0-9]+.*; no model written'
same o/keep.json keep.orig "the existing -o file"
listing o >after.txt
same after.txt before.txt "the -o directory's files"
# mpirun, signalled, ends the job by SIGTERM to every rank (then SIGKILL
# after a second) and exits 1, its own status; the ranks stop at once.  (A
# background job's SIGINT is ignored, and mpirun keeps it so: SIGTERM here.)
# The ranks are ours and must be gone within 5 s.  mpirun's own exit is
# Open MPI's: after a signal, 4.1.4 takes about 2 s, and now and then
# crashes or stalls in its finalize (PMIx_server_finalize; open-mpi/ompi
# issue 13650), so it is waited for 10 s and, stalled, killed and said.
start_job "$MPIRUN" -q -np 2 "$MLPTRAIN_MPI" -e 1000000000 --sync-every 16 -o o/keep.json "$moons"
wait_for '^epoch 1/' "$tmp/job.err"
ranks=$(mpirun_ranks)
[ -n "$ranks" ] || fail "no rank found"
kill -s TERM "$jobpid" 2>/dev/null || fail "could not signal mpirun"
# ranks_alive: whether any of the ranks still runs (a zombie has ended: mpirun
# reaps it when it can).
ranks_alive() {
	for rank_pid in $ranks; do
		rank_line=$(cat "/proc/$rank_pid/stat" 2>/dev/null) || continue
		set -- ${rank_line##*) }
		[ "$1" = Z ] || return 0
	done
	return 1
}
ranks_gone() { ! ranks_alive; }
wait_until 100 ranks_gone || fail "a rank still running 5 s after SIGTERM to mpirun"
if ! wait_until 200 test -s "$tmp/job.rc"; then
	echo "     (mpirun itself still running 10 s after its ranks ended: Open MPI's, killed, not tested)"
	kill -KILL "$jobpid" 2>/dev/null
fi
end_job
[ "$rc" -ne 0 ] || fail "mpirun exited 0 after SIGTERM"
same o/keep.json keep.orig "the existing -o file after SIGTERM to mpirun"
listing o >after.txt
same after.txt before.txt "the -o directory's files after SIGTERM to mpirun"

t "a rank killed with SIGKILL: mpirun ends the job at once (no hang), no model, no temporary file"
start_job "$MPIRUN" -q -np 3 --oversubscribe "$MLPTRAIN_MPI" -e 1000000000 --sync-every 16 -o o/keep.json "$moons"
wait_for '^epoch 1/' "$tmp/job.err"
kill -s KILL $(mpirun_ranks | sed -n 2p) 2>/dev/null || fail "could not kill a rank"
end_job
expect_rc 137
same o/keep.json keep.orig "the existing -o file"
listing o >after.txt
same after.txt before.txt "the -o directory's files"
fi
fi

e2e_done e2e_parallel
