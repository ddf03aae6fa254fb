#!/bin/sh
# End-to-end tests of signals: SIGINT, SIGTERM or SIGHUP during training, or
# while a program reads its input, ends it with 128+N and a message, and
# leaves existing -o, --history and --plot files as they were.  Run from the
# top of the source tree as "sh tests/e2e_signals.sh"; the variables of
# tests/e2e_lib.sh apply.  The last line is "e2e_signals: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"
e2e_models
keep_setup

# ---- signals ----

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

e2e_done e2e_signals
