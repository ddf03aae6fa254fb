#!/bin/sh
# usage: sh tests/bench/bench.sh      (normally through `make bench`)
#
# Benchmarks mlptrain and mlppredict against peers in the same run and prints
# a Markdown table of medians; see tests/bench/README.  Environment:
#   BENCH_QUICK=1   a tenth of the rows, 3 runs per tool (under a minute)
#   BENCH_RUNS=N    runs per tool (default 5, quick 3)
#   BENCH_CMD=...   the command line to print in the table (set by make)
# Contenders run round robin (A B C A B C ...) so that a noisy neighbour
# hurts all of them alike; nothing is asserted about time.  Wall time comes
# from bash's `time` keyword (millisecond resolution), peak RSS from
# /usr/bin/time -f '%e %M'.  Needs bash (re-executes itself under it), awk,
# the programs of `make bench` and the data generated into build/bench/.

# The `time` keyword with TIMEFORMAT is bash's.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -eu
cd "$(dirname "$0")/../.."

B=build/bench
quick=
case "${BENCH_QUICK:-}" in
"" | 0) ;;
*) quick=1 ;;
esac
if [ -n "$quick" ]; then
	runs=${BENCH_RUNS:-3}
	scale=10
else
	runs=${BENCH_RUNS:-5}
	scale=1
fi
epochs=1
score_rows=$((2000000 / scale))
shapes="4,8,1:$((200000 / scale)) 30,64,1:$((100000 / scale)) 100,256,128,1:$((20000 / scale))"
cmdline=${BENCH_CMD:-"${BENCH_QUICK:+BENCH_QUICK=$BENCH_QUICK }${BENCH_RUNS:+BENCH_RUNS=$BENCH_RUNS }sh tests/bench/bench.sh"}
start=$SECONDS

for p in ./mlptrain ./mlppredict "$B/gendata" "$B/fann_peer" "$B/ceiling" "$B/csvcount" /usr/bin/time; do
	if [ ! -x "$p" ]; then
		echo "bench: $p is missing: run 'make bench', which installs /usr/bin/time and libfann-dev" >&2
		exit 1
	fi
done

res=$B/last
rm -rf "$res"
mkdir -p "$res"

say() { printf '%s\n' "$*" >&2; }

# gen MODE F ROWS SEED: prints the data file's path, generating it when missing.
gen() {
	local file
	file=$B/$1-f$2-r$3-s$4.csv
	if [ ! -s "$file" ]; then
		say "bench: generating $file"
		"$B/gendata" "$1" "$2" "$3" "$4" >"$file.tmp"
		mv "$file.tmp" "$file"
	fi
	printf '%s\n' "$file"
}

# measure TAG STDOUT CMD...: one timed run.  Appends the wall seconds to
# $res/TAG.wall, the peak RSS (KiB) to $res/TAG.rss and, when the command
# printed samples_per_s=X (the peers) or "training X rows/s" (mlptrain's
# summary line) on stderr, X to $res/TAG.sps; keeps the run's
# stderr in $res/TAG.N.err.  A failing command stops the benchmark.
measure() {
	local tag=$1 out=$2 n
	shift 2
	n=1
	if [ -f "$res/$tag.wall" ]; then
		n=$(($(wc -l <"$res/$tag.wall") + 1))
	fi
	local TIMEFORMAT=%3R
	if ! { time /usr/bin/time -f '%e %M' -o "$res/$tag.$n.time" "$@" >"$out" 2>"$res/$tag.$n.err"; } 2>"$res/$tag.$n.wall"; then
		say "bench: failed: $*"
		cat "$res/$tag.$n.err" "$res/$tag.$n.time" >&2
		exit 1
	fi
	cat "$res/$tag.$n.wall" >>"$res/$tag.wall"
	tail -n 1 "$res/$tag.$n.time" | awk '{ print $2 }' >>"$res/$tag.rss"
	sed -n -e 's/.*samples_per_s=\([0-9.e+]*\).*/\1/p' -e 's/^final .* training \([0-9.e+]*\) rows\/s$/\1/p' \
		"$res/$tag.$n.err" >>"$res/$tag.sps"
}

# stats FILE: "median min max" of the numbers in FILE, one a line.
stats() {
	sort -g "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan nan nan"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.17g %.17g %.17g\n", m, v[1], v[NR] }'
}
med() { stats "$1" | cut -d' ' -f1; }

# Formatting for the table.
fmt_rate() { awk -v x="$1" 'BEGIN { if (x != x + 0 || x == 0) print "-"; else if (x >= 1e6) printf "%.2fM\n", x / 1e6;
	else if (x >= 1e3) printf "%.1fk\n", x / 1e3; else printf "%.0f\n", x }'; }
fmt_wall() { stats "$1" | awk '{ printf "%.3f (%.3f–%.3f)\n", $1, $2, $3 }'; }
fmt_mib() { awk -v k="$1" 'BEGIN { printf "%.1f\n", k / 1024 }'; }
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { if (b + 0 == 0) print "-"; else printf f "\n", a / b }'; }

# Process start-up as measured here: /bin/true the same way, once per round.
baseline() { measure true /dev/null /bin/true; }

# ---- training ---------------------------------------------------------------

train_rows=
for s in $shapes; do
	layers=${s%%:*}
	rows=${s##*:}
	f=${layers%%,*}
	nout=${layers##*,}
	file=$(gen train "$f" "$rows" 1)
	cols=$((f + nout))
	tag=$(printf '%s' "$layers" | tr , -)
	cat "$file" >/dev/null		# into the page cache, untimed
	for r in $(seq 1 "$runs"); do
		say "bench: $layers, $rows rows: round $r/$runs"
		baseline
		# mlptrain's default settings (a fresh order every epoch, standardised), the peers doing the same
		measure "mlptrain.$tag" /dev/null ./mlptrain -e "$epochs" -l "$layers" "$file" -o /dev/null
		measure "mlptrain0.$tag" /dev/null ./mlptrain -q -e 0 -l "$layers" "$file" -o /dev/null
		measure "fann.$tag" /dev/null "$B/fann_peer" -s -z "$layers" "$file" "$epochs"
		measure "ceiling.$tag" /dev/null "$B/ceiling" -s -z "$layers" "$file" "$epochs"
		# file order, raw inputs
		measure "mlptrainS.$tag" /dev/null ./mlptrain -S -Z -e "$epochs" -l "$layers" "$file" -o /dev/null
		measure "fannS.$tag" /dev/null "$B/fann_peer" "$layers" "$file" "$epochs"
		measure "ceilingS.$tag" /dev/null "$B/ceiling" "$layers" "$file" "$epochs"
	done
	for t in fann ceiling fannS ceilingS; do
		got=$(sed -n 's/.* rows=\([0-9]*\) .*/\1/p' "$res/$t.$tag.1.err")
		if [ "$got" != "$rows" ]; then
			say "bench: $t read $got rows of $file, expected $rows"
			exit 1
		fi
	done
	train_rows="$train_rows $layers:$rows:$cols:$tag"
done

# ---- scoring ----------------------------------------------------------------

sf=30
sfile=$(gen score "$sf" "$score_rows" 2)
strain=$(gen train "$sf" "$((100000 / scale))" 1)
model=$B/model-30-64-1.json
preds=$B/preds.txt
say "bench: training the scoring model $model (untimed)"
./mlptrain -q -e 1 -l 30,64,1 -o "$model" "$strain"
bytes=$(wc -c <"$sfile")
cat "$sfile" >/dev/null
for r in $(seq 1 "$runs"); do
	say "bench: scoring $score_rows rows ($bytes bytes): round $r/$runs"
	baseline
	measure mlppredict /dev/null ./mlppredict -o "$preds" "$model" "$sfile"
	measure csvcount "$res/csvcount.out" "$B/csvcount" "$sfile"
	measure cat /dev/null cat "$sfile"
done
lines=$(wc -l <"$preds")
if [ "$lines" -ne "$score_rows" ]; then
	say "bench: mlppredict wrote $lines lines for $score_rows rows"
	exit 1
fi
if [ "$(cat "$res/csvcount.out")" != "$((score_rows + 1)) $(((score_rows + 1) * (sf + 1)))" ]; then
	say "bench: csvcount counted '$(cat "$res/csvcount.out")' in $sfile"
	exit 1
fi

# ---- the table --------------------------------------------------------------

# train_table SUFFIX: the training table of the runs tagged TOOL$SUFFIX.SHAPE,
# "" for the default settings (with the -e 0 row), S for file order.
train_table() {
	local sfx=$1 s layers rows cols tag t name sps ratio rate rss data mw w
	echo "| shape | rows | tool | wall s, median (min–max) | rows/s, whole process | samples/s, training loop only | mlptrain time ÷ tool time | peak RSS MiB | RSS ÷ data as doubles |"
	echo "|---|---:|---|---:|---:|---:|---:|---:|---:|"
	for s in $train_rows; do
		IFS=: read -r layers rows cols tag <<-END
		$s
		END
		data=$((rows * cols * 8))
		mw=$(med "$res/mlptrain$sfx.$tag.wall")
		for t in "mlptrain$sfx" mlptrain0 "fann$sfx" "ceiling$sfx"; do
			if [ "$t" = mlptrain0 ] && [ -n "$sfx" ]; then
				continue
			fi
			w=$(med "$res/$t.$tag.wall")
			rss=$(med "$res/$t.$tag.rss")
			ratio=$(div "$mw" "$w")
			rate=$(fmt_rate "$(div $((rows * epochs)) "$w" %.17g)")
			case $t in
			mlptrain0) name="mlptrain -q -e 0 (load, evaluate, write: no training)" sps="-" ratio="-" rate="-" ;;
			mlptrain*) name="mlptrain" sps=$(fmt_rate "$(med "$res/$t.$tag.sps")") ;;
			fann*) name="FANN peer (float32, MSE)" sps=$(fmt_rate "$(med "$res/$t.$tag.sps")") ;;
			ceiling*) name="plain-C ceiling" sps=$(fmt_rate "$(med "$res/$t.$tag.sps")") ;;
			esac
			echo "| $layers | $rows | $name | $(fmt_wall "$res/$t.$tag.wall") | $rate | $sps | $ratio | $(fmt_mib "$rss") | $(div $((rss * 1024)) "$data") |"
		done
	done
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- src Makefile 2>/dev/null)" ]; then
	commit="$commit (with uncommitted changes in src/ or the Makefile)"
fi
elapsed=$((SECONDS - start))
{
	echo "## mlptrain / mlppredict benchmark"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "- machine: $(uname -m), ${cpu:-unknown CPU}, $(nproc) CPUs online"
	echo "- compiler: $(${CC:-cc} --version 2>/dev/null | head -n 1)"
	echo "- commit: $commit"
	echo "- command: \`$cmdline\`"
	echo "- mode: $([ -n "$quick" ] && echo "quick (a tenth of the rows)" || echo full), $runs runs per tool, round robin; epochs $epochs; medians of wall time, (min–max) across runs; $elapsed s in all"
	echo "- process start-up as measured (\`/bin/true\` the same way): $(fmt_wall "$res/true.wall") s"
	echo
	echo "### Training with mlptrain's default settings: per-sample SGD, one pass, the rows in a fresh random order, inputs standardised (\`mlptrain -e $epochs -l SHAPE FILE -o /dev/null\`; \`fann_peer -s -z\`, \`ceiling -s -z\`)"
	echo
	train_table ""
	echo
	echo "### Training in file order, raw inputs (\`mlptrain -S -Z -e $epochs -l SHAPE FILE -o /dev/null\`; \`fann_peer\`, \`ceiling\`)"
	echo
	train_table S
	echo
	echo "### Scoring: \`mlppredict -o FILE MODEL SCORE.csv\`, 30-64-1 model, $score_rows rows × $((sf + 1)) columns, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB"
	echo
	echo "mlppredict: $(div "$bytes" "$(awk -v w="$(med "$res/mlppredict.wall")" 'BEGIN { print w * 1e6 }')" %.1f) MB/s, $(div "$(med "$res/csvcount.wall")" "$(med "$res/mlppredict.wall")") × the speed of libcsv tokenising alone (csvcount), in the same run."
	echo
	echo "| tool | wall s, median (min–max) | MB/s (10^6 bytes) | mlppredict time ÷ tool time | peak RSS MiB |"
	echo "|---|---:|---:|---:|---:|"
	pw=$(med "$res/mlppredict.wall")
	for t in mlppredict csvcount cat; do
		w=$(med "$res/$t.wall")
		case $t in
		mlppredict) name="mlppredict" ;;
		csvcount) name="csvcount (libcsv, tokenise only)" ;;
		cat) name="cat FILE > /dev/null" ;;
		esac
		echo "| $name | $(fmt_wall "$res/$t.wall") | $(div "$bytes" "$(awk -v w="$w" 'BEGIN { print w * 1e6 }')" %.1f) | $(div "$pw" "$w") | $(fmt_mib "$(med "$res/$t.rss")") |"
	done
	echo
	echo "Notes."
	echo "- Wall time is the whole process (start-up, CSV parsing, training, output):"
	echo "  rows/s = rows × epochs ÷ median wall.  A ratio above 1 means mlptrain is slower."
	echo "- samples/s is each program's own clock_gettime around its training loop (mlptrain"
	echo "  prints it on its final line: \"training N rows/s\"); the -e 0 row shows what"
	echo "  loading, the evaluation pass and writing cost without training."
	echo "- The FANN peer is a speed peer, not an accuracy peer: single precision, squared error."
	echo "- The ceiling is the lecture's arithmetic alone, double precision, -O3 -march=native;"
	echo "  in file order it ends on exactly the weights of mlptrain -S -Z (with -s, its own order)."
	echo "- Default settings: mlptrain visits the rows in a fresh random order every epoch and"
	echo "  standardises the inputs; the FANN peer shuffles its train data every epoch"
	echo "  (fann_shuffle_train_data) and the ceiling an index, both on standardised inputs."
	echo "- Raw runs: $res/; see tests/bench/README."
} | tee "$res/table.md"
