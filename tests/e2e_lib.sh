# The harness shared by the end-to-end suites (tests/e2e_*.sh), sourced by
# each from the top of the source tree: the programs and directories from
# the environment, a temporary directory to work in, the checks, and the
# fixtures.  A suite ends with "e2e_done NAME", which prints
# "NAME: P passed, F failed" and exits 1 when F > 0.
#
# The programs, the data generator and the directories come from variables,
# so an installed build can be tested too:
#   MLPTRAIN=./mlptrain MLPPREDICT=./mlppredict MLPEXPORT=./mlpexport GEN=build/gen
#   REF=build/ref_lecture DATA=data MAN=man README=README.md
# E2E_VERBOSE=1 also prints the name of every case that passes; E2E_VALGRIND=1
# leaves out the cases Valgrind cannot run.
#
# Both kernels: every successful mlptrain or mlppredict run through `run` or
# `run_in` that writes to standard output alone (no -o, --history, --plot)
# runs a second time with MLP_SIMD=generic, and its standard output must be
# the same bytes: the generic loops against the AVX2 ones on a CPU that has
# them.  E2E_SIMD=0 leaves that out; so does E2E_VALGRIND=1.
#
# Every case is counted once, as passed or failed; a failure prints the case
# name and what differed.  JSON is checked with jq, or python3 when jq is
# missing (a case that needs either fails when neither is installed).

set -u
LC_ALL=C
export LC_ALL
umask 022

# ---- set-up ----

ROOT=$(pwd)

# A program path made absolute when it names a file relative to here.
abs_prog() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*/*) printf '%s/%s\n' "$ROOT" "$1" ;;
	*) printf '%s\n' "$1" ;;
	esac
}

# A directory or file made absolute.
abs_path() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$ROOT" "$1" ;;
	esac
}

MLPTRAIN=$(abs_prog "${MLPTRAIN:-./mlptrain}")
MLPPREDICT=$(abs_prog "${MLPPREDICT:-./mlppredict}")
MLPEXPORT=$(abs_prog "${MLPEXPORT:-./mlpexport}")
GEN=$(abs_prog "${GEN:-build/gen}")
DATA=$(abs_path "${DATA:-data}")
MAN=$(abs_path "${MAN:-man}")
README=$(abs_path "${README:-README.md}")
VERBOSE=${E2E_VERBOSE:-0}
SIMD=${E2E_SIMD:-1}
[ "${E2E_VALGRIND:-0}" = 0 ] || SIMD=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/e2e.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cd "$tmp" || exit 1

# E2E_JSON=jq, python3 or none forces the JSON reader.
JSON=${E2E_JSON:-}
if [ "$JSON" = none ]; then
	JSON=
elif [ -z "$JSON" ]; then
	if command -v jq >/dev/null 2>&1; then
		JSON=jq
	elif command -v python3 >/dev/null 2>&1; then
		JSON=python3
	fi
fi

# ---- the harness ----

passed=0
failed=0
name=
case_failed=0

# Counts the case that is open, if any.
finish() {
	[ -n "$name" ] || return 0
	if [ "$case_failed" -eq 0 ]; then
		passed=$((passed + 1))
		[ "$VERBOSE" = 0 ] || echo "ok   $name"
	else
		failed=$((failed + 1))
	fi
	name=
}

# t NAME: starts a case.
t() {
	finish
	name=$1
	case_failed=0
}

# fail MSG...: marks the open case failed; prints its name once, then MSG.
fail() {
	[ "$case_failed" -eq 1 ] || echo "FAIL $name"
	case_failed=1
	for line in "$@"; do
		echo "     $line"
	done
}

# Prints up to 5 lines of a file, indented, for a failure report.
show() {
	if [ -s "$1" ]; then
		sed -n '1,5s/^/       | /p' "$1"
	else
		echo "       (empty)"
	fi
}

# run CMD...: runs CMD with stdin from /dev/null, stdout in $tmp/out, stderr
# in $tmp/err and the exit status in $rc; then generic_same.
run() {
	"$@" <"$tmp/null" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	generic_same "$tmp/null" "$@"
}

# run_in FILE CMD...: the same, with stdin from FILE.
run_in() {
	_in=$1
	shift
	"$@" <"$_in" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	generic_same "$_in" "$@"
}

# generic_same IN CMD...: after a successful run of mlptrain or mlppredict
# (CMD, stdin from IN) that wrote to standard output alone, runs it again with
# MLP_SIMD=generic and checks that standard output is the same bytes.
generic_same() {
	_gin=$1
	shift
	[ "$SIMD" = 1 ] && [ "$rc" -eq 0 ] && [ -s "$tmp/out" ] || return 0
	[ "$1" = "$MLPTRAIN" ] || [ "$1" = "$MLPPREDICT" ] || return 0
	for _a in "$@"; do
		case $_a in
		-o | -o?* | --ou* | --hi* | --pl*) return 0 ;;
		esac
	done
	MLP_SIMD=generic "$@" <"$_gin" >"$tmp/out.generic" 2>"$tmp/err.generic"
	_grc=$?
	if [ "$_grc" -ne 0 ]; then
		fail "with MLP_SIMD=generic: exit status $_grc; stderr:"
		show "$tmp/err.generic"
		return 1
	fi
	cmp -s "$tmp/out" "$tmp/out.generic" && return 0
	fail "with MLP_SIMD=generic: other bytes on standard output than with the default kernels"
	return 1
}

# expect_rc N: checks the status of the last run.
expect_rc() {
	[ "$rc" -eq "$1" ] && return 0
	if [ "$rc" -gt 128 ] && [ "$1" -le 128 ]; then
		fail "exit status $rc (killed by signal $((rc - 128))?), expected $1; stderr:"
	else
		fail "exit status $rc, expected $1; stderr:"
	fi
	show "$tmp/err"
	return 1
}

# expect_status N CMD...: runs CMD and checks its exit status.
expect_status() {
	_want=$1
	shift
	run "$@"
	expect_rc "$_want"
}

# bad_opt STATUS MESSAGE CMD...: CMD fails with STATUS, MESSAGE alone on stderr.
bad_opt() {
	_want=$1
	_msg=$2
	shift 2
	expect_status "$_want" "$@" && expect_err_only "$_msg" && expect_no_stdout
}

# expect_err_line LINE: LINE is a whole line of the last run's stderr.
expect_err_line() {
	grep -Fx -e "$1" "$tmp/err" >/dev/null && return 0
	fail "stderr lacks the line: $1" "stderr was:"
	show "$tmp/err"
	return 1
}

# expect_err_only LINE: the last run's stderr is exactly LINE.
expect_err_only() {
	printf '%s\n' "$1" >"$tmp/want"
	cmp -s "$tmp/want" "$tmp/err" && return 0
	fail "stderr differs: expected exactly: $1" "stderr was:"
	show "$tmp/err"
	return 1
}

# expect_err_match ERE: some line of the last run's stderr matches ERE whole.
expect_err_match() {
	grep -E -x -e "$1" "$tmp/err" >/dev/null && return 0
	fail "no stderr line matches: $1" "stderr was:"
	show "$tmp/err"
	return 1
}

expect_no_stdout() {
	[ -s "$tmp/out" ] || return 0
	fail "stdout should be empty, it has:"
	show "$tmp/out"
	return 1
}

expect_no_stderr() {
	[ -s "$tmp/err" ] || return 0
	fail "stderr should be empty, it has:"
	show "$tmp/err"
	return 1
}

# same FILE1 FILE2 WHAT: the files are byte-identical, and not empty.
same() {
	if [ ! -s "$1" ]; then
		fail "$3: $1 is empty"
		return 1
	fi
	cmp -s "$1" "$2" && return 0
	fail "$3: $1 and $2 differ"
	return 1
}

# differ FILE1 FILE2 WHAT: the files are not identical.
differ() {
	cmp -s "$1" "$2" || return 0
	fail "$3: $1 and $2 are identical"
	return 1
}

# same_text ACTUAL EXPECTED WHAT
same_text() {
	[ "$1" = "$2" ] && return 0
	fail "$3: got '$1', expected '$2'"
	return 1
}

# jget PATH FILE: the value at PATH (".a.b", or "keys" for the top-level keys
# in order) of the JSON in FILE, as compact JSON; status 2 when no JSON tool.
jget() {
	case $JSON in
	jq)
		if [ "$1" = keys ]; then
			jq -c 'keys_unsorted' "$2"
		else
			jq -c "$1" "$2"
		fi
		;;
	python3)
		python3 -c '
import json, sys
with open(sys.argv[2]) as f:
    v = json.load(f)
if sys.argv[1] == "keys":
    v = list(v.keys())
else:
    for k in sys.argv[1].split(".")[1:]:
        v = v.get(k) if isinstance(v, dict) else None
print(json.dumps(v, separators=(",", ":"), ensure_ascii=False))' "$1" "$2"
		;;
	*)
		return 2
		;;
	esac
}

# json_is PATH FILE EXPECTED: checks one value of a JSON file.
json_is() {
	if [ -z "$JSON" ]; then
		fail "neither jq nor python3 is installed to read JSON"
		return 1
	fi
	_got=$(jget "$1" "$2" 2>&1)
	same_text "$_got" "$3" "$1 in $2"
}

# json_valid FILE: FILE holds exactly one JSON value.
json_valid() {
	case $JSON in
	jq) [ "$(jq -s length "$1" 2>/dev/null)" = 1 ] ;;
	python3) python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null ;;
	*) fail "neither jq nor python3 is installed to read JSON"; return 1 ;;
	esac && return 0
	fail "$1 is not valid JSON:"
	show "$1"
	return 1
}

# The text of the line of a model that holds "KEY": the value after the colon.
model_value() {
	sed -n "s/^[[:space:]]*\"$1\":[[:space:]]*\\(.*[^,]\\),*\$/\\1/p" "$2" 2>/dev/null
}

# ls -A of a directory, to see that no temporary file is left behind.
listing() {
	ls -A "$1"
}

# File type and permission bits, like "-rw-r-----".
mode_of() {
	ls -ld "$1" 2>&1 | cut -c1-10
}

# wait_until STEPS CMD...: runs CMD until it succeeds, every 0.05 s, at most
# STEPS more times (100: 5 s); 0 when it did, 1 when time ran out.
wait_until() {
	_steps=$1
	shift
	_n=0
	until "$@"; do
		[ $_n -lt "$_steps" ] || return 1
		sleep 0.05
		_n=$((_n + 1))
	done
}

# Runs a program in the background with stdout and stderr in $tmp/job.out and
# $tmp/job.err; its process id ends up in $jobpid, and its exit status in
# $tmp/job.rc when it ends.
start_job() {
	rm -f "$tmp/job.pid" "$tmp/job.rc" "$tmp/job.out" "$tmp/job.err"
	( sh -c 'echo $$ >"$0.pid"; exec "$@"' "$tmp/job" "$@" \
	    >"$tmp/job.out" 2>"$tmp/job.err"
	  echo $? >"$tmp/job.rc" ) <"$tmp/null" &
	jobsub=$!
	wait_until 100 test -s "$tmp/job.pid"
	jobpid=$(cat "$tmp/job.pid" 2>/dev/null)
}

# wait_for PATTERN FILE: waits up to 5 s until a line of FILE matches PATTERN.
wait_for() {
	wait_until 100 grep -E -q -e "$1" "$2" 2>/dev/null
}

# end_job: waits up to 5 s for the job to end, then kills it; sets $rc and
# copies its output to $tmp/out and $tmp/err.
end_job() {
	if ! wait_until 100 test -s "$tmp/job.rc"; then
		fail "still running 5 s after the signal: killed"
		kill -KILL "$jobpid" 2>/dev/null
	fi
	wait "$jobsub"
	rc=$(cat "$tmp/job.rc" 2>/dev/null)
	[ -n "$rc" ] || rc=999
	cp "$tmp/job.out" "$tmp/out"
	cp "$tmp/job.err" "$tmp/err"
}

: >"$tmp/null"

# ---- fixtures ----

xor=$DATA/xor.csv
moons=$DATA/moons.csv
blobs=$DATA/blobs4.csv
multi=$DATA/multi.csv

usage_train1='usage: mlptrain [-HhNqSvVZ] [-c cols|auto] [-d delim] [-e epochs] [-i model]'
usage_train2='                [-j jobs] [-l n0,n1,...,nL] [-o file] [-r rate] [-s seed] [-t cols]'
usage_predict='usage: mlppredict [-eHhlNV] [-d delim] [-k cols] [-o file] [-p digits] [-T p]'

# e2e_models: trains the models many cases use, in the working directory:
# xor.json, the XOR model of the man page's example (its exit status in
# $xor_rc), and moons.json, a small moons model; xor.out and moons.out are
# their predictions for the files they were trained on.  A suite that uses
# them calls this once at its top; the others do not pay for these runs
# (seconds under Valgrind).
e2e_models() {
	"$MLPTRAIN" -l 2,4,1 -e 3000 -r 0.5 -q "$xor" >xor.json 2>xor.err
	xor_rc=$?
	"$MLPTRAIN" -e 50 -q "$moons" >moons.json 2>/dev/null
	"$MLPPREDICT" moons.json "$moons" >moons.out 2>/dev/null
	"$MLPPREDICT" xor.json "$xor" >xor.out 2>/dev/null
}

# keep_setup: an existing output file, o/keep.json (a copy of moons.json, so
# after e2e_models), and keep.orig, what it holds, for the cases that check
# that a failing or interrupted run leaves it alone.
keep_setup() {
	mkdir -p o
	cp moons.json o/keep.json
	cp moons.json keep.orig
}

# check_kept WHAT STATUS CMD...: with an existing o/keep.json, CMD fails with
# STATUS and leaves the file and the directory as they were.
check_kept() {
	_what=$1
	_want=$2
	shift 2
	listing o >before.txt
	run "$@"
	if expect_rc "$_want"; then
		cmp -s o/keep.json keep.orig || fail "$_what: the existing -o file was changed"
		listing o >after.txt
		cmp -s before.txt after.txt || fail "$_what: the directory changed:" "$(cat after.txt)"
	fi
	cp keep.orig o/keep.json
}

# e2e_done NAME: closes the last case, prints the summary, sets the status.
e2e_done() {
	finish
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
