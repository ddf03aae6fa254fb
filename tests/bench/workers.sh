#!/bin/sh
# usage: sh tests/bench/workers.sh      (normally through `make bench` or `make bench-workers`)
#
# One worker against two, on this machine: mlptrain -j 1 against -j 2, and
# mpirun -np 1 mlptrain-mpi against -np 2, at the default settings but the
# shape (-l) and the epochs.  Prints a Markdown report on stdout:
#   speed      training rows/s (mlptrain's own final line) and wall time,
#              medians of round-robin runs, and the ratios two ÷ one;
#   accuracy   held-out log loss at equal epochs (the default 10), one
#              worker against two, the means over seeds 1..S (one seed's
#              difference is mostly that seed's luck), and one worker at
#              half the rate beside them, on the bench's synthetic sets and,
#              when Debian's python3-sklearn is installed, its breast-cancer
#              and digits sets; and, for seed 1, the time each takes to
#              reach the validation loss one worker reaches at its 5th epoch;
#   memory     each rank's peak RSS under mpirun -np 2 against its share of
#              the data as doubles (the goal: at most 1.15 x it + 16 MB);
#   averaging  the cost of one average of the weights, threads and ranks,
#              for the README's cost model;
#   cluster    that cost model's predicted efficiency for P = 8, 64, 256
#              ranks on 10 and 100 Gb/s networks, from the rows/s above.
# Environment: BENCH_QUICK=1 (a tenth of the rows, 3 runs, 2 seeds), BENCH_RUNS=N,
# BENCH_SEEDS=S (5).
# Nothing is asserted: it fails only when a program fails.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -eu
cd "$(dirname "$0")/../.."

B=build/bench
W=$B/workers
rm -rf "$W"
mkdir -p "$W"
quick=
case "${BENCH_QUICK:-}" in "" | 0) ;; *) quick=1 ;; esac
runs=${BENCH_RUNS:-$([ -n "$quick" ] && echo 3 || echo 5)}
seeds=${BENCH_SEEDS:-$([ -n "$quick" ] && echo 2 || echo 5)}
scale=$([ -n "$quick" ] && echo 10 || echo 1)
OMPI_ALLOW_RUN_AS_ROOT=1
OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
start=$SECONDS

for p in ./mlptrain ./mlptrain-mpi "$B/gendata" /usr/bin/time; do
	if [ ! -x "$p" ]; then
		echo "bench: $p is missing: run 'make bench'" >&2
		exit 1
	fi
done
say() { printf '%s\n' "$*" >&2; }

# gen MODE F ROWS SEED: the path of a generated data file (made when missing).
gen() {
	local file=$B/$1-f$2-r$3-s$4.csv
	if [ ! -s "$file" ]; then
		say "bench: generating $file"
		"$B/gendata" "$1" "$2" "$3" "$4" >"$file.tmp"
		mv "$file.tmp" "$file"
	fi
	printf '%s\n' "$file"
}

med() { sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else printf "%.6g\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { if (b + 0 == 0) print "-"; else printf f "\n", a / b }'; }
fmt_rate() { awk -v x="$1" 'BEGIN { if (x >= 1e6) printf "%.2fM\n", x / 1e6; else if (x >= 1e3) printf "%.1fk\n", x / 1e3; else printf "%.0f\n", x }'; }

# timed TAG CMD...: one run; its wall seconds to $W/TAG.wall, mlptrain's
# "training N rows/s" to $W/TAG.sps; a failing command stops the benchmark.
timed() {
	local tag=$1 t0 t1
	shift
	t0=$(date +%s.%N)
	if ! "$@" >/dev/null 2>"$W/$tag.err"; then
		say "bench: failed: $*"
		cat "$W/$tag.err" >&2
		exit 1
	fi
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$W/$tag.wall"
	sed -n 's/^final .* training \([0-9.e+]*\) rows\/s$/\1/p' "$W/$tag.err" >>"$W/$tag.sps"
}

mpi() {
	local np=$1
	shift
	mpirun -q -np "$np" ./mlptrain-mpi "$@"
}

# ---- speed ----

shapes="4,8,1:$((200000 / scale)):5 30,64,1:$((100000 / scale)):3 100,256,128,1:$((20000 / scale)):3"
for s in $shapes; do
	IFS=: read -r layers rows epochs <<EOF
$s
EOF
	file=$(gen train "${layers%%,*}" "$rows" 1)
	tag=$(printf '%s' "$layers" | tr , -)
	cat "$file" >/dev/null
	for r in $(seq 1 "$runs"); do
		say "bench: workers, $layers, $rows rows, $epochs epochs: round $r/$runs"
		timed "j1.$tag" ./mlptrain -l "$layers" -e "$epochs" -j 1 "$file" -o /dev/null
		timed "j2.$tag" ./mlptrain -l "$layers" -e "$epochs" -j 2 "$file" -o /dev/null
		timed "np1.$tag" mpi 1 -l "$layers" -e "$epochs" "$file" -o /dev/null
		timed "np2.$tag" mpi 2 -l "$layers" -e "$epochs" "$file" -o /dev/null
	done
done

# ---- accuracy ----

# heldout NAME TRAIN TEST ARGS...: the validation loss after the default 10
# epochs for seeds 1..$seeds, one worker, two (threads; ranks give the same
# bytes) and one at half the default rate, to $W/loss.{one,two,half}.NAME,
# a line a seed; and seed 1's histories, for the time to a target.
acc_rows=
heldout() {
	local name=$1 train=$2 test=$3 s h1 h2
	shift 3
	for s in $(seq 1 "$seeds"); do
		h1=/dev/null h2=/dev/null
		if [ "$s" = 1 ]; then
			h1=$W/h1.$name.csv h2=$W/h2.$name.csv
		fi
		./mlptrain -q -s "$s" "$@" --validate "$test" --history "$h1" "$train" -o "$W/m.json"
		jq .training.validation.loss "$W/m.json" >>"$W/loss.one.$name"
		./mlptrain -q -s "$s" -j 2 "$@" --validate "$test" --history "$h2" "$train" -o "$W/m.json"
		jq .training.validation.loss "$W/m.json" >>"$W/loss.two.$name"
		./mlptrain -q -s "$s" -r 0.05 "$@" --validate "$test" "$train" -o "$W/m.json"
		jq .training.validation.loss "$W/m.json" >>"$W/loss.half.$name"
	done
	acc_rows="$acc_rows $name"
}
say "bench: workers, accuracy"
for s in 4,8,1:$((200000 / scale)) 30,64,1:$((100000 / scale)) 100,256,128,1:$((20000 / scale)); do
	layers=${s%%:*}
	rows=${s##*:}
	f=${layers%%,*}
	heldout "synthetic-$(printf '%s' "$layers" | tr , -)" "$(gen train "$f" "$rows" 1)" "$(gen train "$f" $((rows / 4)) 7)" \
		-l "$layers"
done
if /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
	/usr/bin/python3 - "$W" <<'PY'
import csv, sys
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.model_selection import train_test_split
out = sys.argv[1]
for name, ds in (("breast_cancer", load_breast_cancer()), ("digits", load_digits())):
    xa, xb, ya, yb = train_test_split(ds.data, ds.target, test_size=0.3, stratify=ds.target, random_state=0)
    for part, x, y in (("train", xa, ya), ("test", xb, yb)):
        with open(f"{out}/{name}-{part}.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow([f"x{j + 1}" for j in range(x.shape[1])] + ["label"])
            for row, t in zip(x, y):
                w.writerow([repr(float(v)) for v in row] + [int(t)])
PY
	heldout breast_cancer "$W/breast_cancer-train.csv" "$W/breast_cancer-test.csv"
	heldout digits "$W/digits-train.csv" "$W/digits-test.csv" -l 64,32,10
fi

# ---- memory ----

mem_rows=$((500000 / scale))
mfile=$(gen train 30 "$mem_rows" 3)
say "bench: workers, memory of each rank on $mfile"
# (each rank under /usr/bin/time, its file named by the rank Open MPI gives it)
mpirun -q -np 2 sh -c 'exec /usr/bin/time -f "rss %M" -o "$0.$OMPI_COMM_WORLD_RANK" "$@"' "$W/rss" \
	./mlptrain-mpi -q -e 1 -l 30,64,1 "$mfile" -o /dev/null
/usr/bin/time -f 'rss %M' -o "$W/rss.one" ./mlptrain -q -e 1 -l 30,64,1 "$mfile" -o /dev/null

# ---- the cost of an average ----

# Training with an average after every row of each worker, against one
# average an epoch: the difference of the training times (mlptrain's own
# clock: no start-up) is the averages' cost, waits included.
sync_rows=$((20000 / scale))
sync_epochs=3
for s in 4,8,1 30,64,1 100,256,128,1; do
	f=${s%%,*}
	sfile=$(gen train "$f" "$sync_rows" 1)
	tag=$(printf '%s' "$s" | tr , -)
	for r in $(seq 1 "$runs"); do
		say "bench: workers, the cost of an average, $s: round $r/$runs"
		for k in 1 epoch; do
			timed "sync$k.j.$tag" ./mlptrain -l "$s" -e "$sync_epochs" -j 2 --sync-every "$k" "$sfile" -o /dev/null
			timed "sync$k.np.$tag" mpi 2 -l "$s" -e "$sync_epochs" --sync-every "$k" "$sfile" -o /dev/null
		done
	done
done

# ---- the report ----

rss_kb() { sed -n 's/^rss //p' "$1" | tail -n 1; }
{
	echo "## One worker against two (\`mlptrain -j\`, \`mpirun -np N mlptrain-mpi\`)"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); machine: $(uname -m), $(nproc) CPUs online; commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "- $(mpirun --version 2>/dev/null | head -n 1); $runs runs each, round robin; $((SECONDS - start)) s in all"
	echo
	echo "### Speed: \`mlptrain -l SHAPE -e E [-j N] FILE\`, default settings otherwise (shuffled, standardised, --sync-every 256)"
	echo
	echo "| shape | rows | epochs | one thread: training rows/s | two threads | ratio | one rank | two ranks | ratio | wall s, -j 1 / -j 2 / -np 1 / -np 2 |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
	for s in $shapes; do
		IFS=: read -r layers rows epochs <<EOF
$s
EOF
		tag=$(printf '%s' "$layers" | tr , -)
		j1=$(med "$W/j1.$tag.sps") j2=$(med "$W/j2.$tag.sps") n1=$(med "$W/np1.$tag.sps") n2=$(med "$W/np2.$tag.sps")
		echo "| $layers | $rows | $epochs | $(fmt_rate "$j1") | $(fmt_rate "$j2") | $(div "$j2" "$j1") | $(fmt_rate "$n1") | $(fmt_rate "$n2") | $(div "$n2" "$n1") | $(med "$W/j1.$tag.wall") / $(med "$W/j2.$tag.wall") / $(med "$W/np1.$tag.wall") / $(med "$W/np2.$tag.wall") |"
	done
	echo
	echo "### Accuracy at equal epochs: held-out log loss after 10 epochs (\`--validate\`), means over seeds 1 to $seeds; the time to a target, seed 1"
	echo
	echo "| data | one worker | two workers | two ÷ one - 1 | the seeds' two ÷ one - 1, lowest to highest | one worker at half the rate (-r 0.05) | target: one worker's loss at epoch 5 | one worker reaches it | two workers |"
	echo "|---|---:|---:|---:|---|---:|---:|---|---|"
	for name in $acc_rows; do
		mean() { awk '{ s += $1 } END { printf "%.5f\n", s / NR }' "$1"; }
		l1=$(mean "$W/loss.one.$name")
		l2=$(mean "$W/loss.two.$name")
		lh=$(mean "$W/loss.half.$name")
		spread=$(paste "$W/loss.one.$name" "$W/loss.two.$name" | awk '{ d = ($2 / $1 - 1) * 100; if (NR == 1 || d < lo) lo = d; if (NR == 1 || d > hi) hi = d }
			END { printf "%+.1f%% to %+.1f%%\n", lo, hi }')
		target=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "val_loss") c = i; next } $1 == 5 { print $c }' "$W/h1.$name.csv")
		reach() {
			awk -F, -v t="$target" 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "val_loss") c = i; if ($i == "seconds") s = i }; next }
				{ sum += $s; if ($c <= t) { printf "epoch %d, %.2f s\n", $1, sum; found = 1; exit } }
				END { if (!found) print "not in 10 epochs" }' "$1"
		}
		echo "| $name | $l1 | $l2 | $(awk -v a="$l2" -v b="$l1" 'BEGIN { printf "%+.1f%%", (a / b - 1) * 100 }') | $spread | $lh | $(printf %.5f "$target") | $(reach "$W/h1.$name.csv") | $(reach "$W/h2.$name.csv") |"
	done
	[ -n "$(echo "$acc_rows" | grep digits)" ] || echo "(breast_cancer and digits need python3-sklearn: make deps-sklearn)"
	echo
	echo "### Memory: \`mpirun -np 2 mlptrain-mpi -e 1 -l 30,64,1\` on $mem_rows rows × 31 columns"
	echo
	share=$((mem_rows / 2 * 31 * 8))
	echo "| process | peak RSS MiB | its share of the data as doubles, MiB | goal: 1.15 × share + 16 MB |"
	echo "|---|---:|---:|---:|"
	for rank in 0 1; do
		echo "| rank $rank | $(div "$(rss_kb "$W/rss.$rank")" 1024 %.1f) | $(div "$share" 1048576 %.1f) | $(awk -v s="$share" 'BEGIN { printf "%.1f", (1.15 * s + 16e6) / 1048576 }') |"
	done
	echo "| mlptrain, one worker | $(div "$(rss_kb "$W/rss.one")" 1024 %.1f) | $(div $((share * 2)) 1048576 %.1f) | |"
	echo
	echo "### The cost of an average, two workers, $sync_rows rows × $sync_epochs epochs: an average after every row of each, less one an epoch"
	echo
	echo "| shape | weights | bytes averaged | threads: µs an average | ranks: µs an average |"
	echo "|---|---:|---:|---:|---:|"
	for s in 4,8,1 30,64,1 100,256,128,1; do
		tag=$(printf '%s' "$s" | tr , -)
		nw=$(awk -F, '{ for (i = 2; i <= NF; i++) w += $i * ($(i - 1) + 1); print w }' <<EOF
$s
EOF
)
		cost() {	# µs an average, from the training rows/s with an average a row and one an epoch
			awk -v a="$(med "$W/sync1.$1.$tag.sps")" -v b="$(med "$W/syncepoch.$1.$tag.sps")" -v r="$sync_rows" \
				-v e="$sync_epochs" 'BEGIN { n = r * e; printf "%.1f", (n / a - n / b) / (n / 2) * 1e6 }'
		}
		tj=$(cost j)
		tn=$(cost np)
		echo "| $s | $nw | $((nw * 8)) | $tj | $tn |"
	done
	echo
	echo "### Predicted on a cluster: one rank a machine, the default --sync-every 256"
	echo
	echo "A rank's compute between two averages: 256 rows at one thread's training rows/s above.  One"
	echo "average: MPI_Allgather of 48 bytes a rank (recursive doubling, log2 P steps), then"
	echo "MPI_Alltoallv and MPI_Allgatherv of the weights (Open MPI 4.1: pairwise and ring, P - 1"
	echo "steps each), so T = a (log2 P + 2 (P - 1)) + B / b, with B = 2 (P - 1) / P × 8W + 48 (P - 1)"
	echo "bytes received by each rank; 10 Gb/s Ethernet over TCP: a = 25 µs, b = 1.25 GB/s;"
	echo "100 Gb/s InfiniBand: a = 2 µs, b = 12.5 GB/s.  Every step is counted in sequence, none"
	echo "overlapped with training: an upper bound on T.  Efficiency = compute / (compute + T)."
	echo
	echo "| shape | P | bytes a rank receives an average | 10 Gb/s: T µs | efficiency | --sync-every for 90% | 100 Gb/s: T µs | efficiency | --sync-every for 90% |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	for s in $shapes; do
		layers=${s%%:*}
		tag=$(printf '%s' "$layers" | tr , -)
		for P in 8 64 256; do
			awk -F, -v P="$P" -v rps="$(med "$W/j1.$tag.sps")" -v layers="$layers" 'BEGIN {
				n = split(layers, l, ",")
				for (i = 2; i <= n; i++) w += l[i] * (l[i - 1] + 1)
				B = 2 * (P - 1) / P * 8 * w + 48 * (P - 1)
				steps = log(P) / log(2) + 2 * (P - 1)
				c = 256 / rps
				printf "| %s | %d | %.0f |", layers, P, B
				split("25e-6 2e-6", a, " "); split("1.25e9 12.5e9", b, " ")
				for (k = 1; k <= 2; k++) {
					T = a[k] * steps + B / b[k]
					printf " %.0f | %.0f%% | %d |", T * 1e6, 100 * c / (c + T), int(9 * T * rps) + 1
				}
				printf "\n"
			}'
		done
	done
} | tee "$W/report.md"
