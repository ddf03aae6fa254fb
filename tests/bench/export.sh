#!/bin/sh
# usage: sh tests/bench/export.sh [DIR ...]      (make bench-export EXPORT_DATA="DIR ...")
# What mlpexport's C costs and how close --float comes, in two Markdown
# tables on stdout (from the top of the tree, after make all):
#  1. For each bundled data set, and each CSV file of the DIRs (a header,
#     the class label last; a first column named diagnosis is taken as the
#     target), a model trained 100 epochs with the default layers is
#     exported with --main, in double and with --float, compiled with
#     "cc -std=c99 -O2", run on the file, and compared with mlppredict:
#     the rows whose lines are the same bytes, and the largest absolute and
#     relative difference of --float (relative: of probabilities > 1e-30).
#  2. For the bench shapes 4-8-1, 30-64-1 and 100-256-128-1 (random
#     weights, mlptrain -e 0, on data of tests/bench/gendata.c), the model
#     JSON's bytes beside size(1) of the object of a unit that calls
#     PREFIX_predict, double and --float (text + data, -O2).
# Work files go to build/bench/export/.

CC=${CC:-cc}
W=build/bench/export
mkdir -p "$W" || exit 1
set -e

printf '| data set | rows | outputs | double: rows identical to mlppredict | --float: max abs diff | max rel diff |\n'
printf '|---|---|---|---|---|---|\n'
for f in data/flowers.csv data/shop.csv data/blobs4.csv data/moons.csv data/rings.csv data/multi.csv \
    $(for d in "$@"; do ls "$d"/*.csv; done); do
	name=$(basename "$f" .csv)
	case $f in
	data/*) ;;
	*) name=$(basename "$(dirname "$f")")-$name ;;
	esac
	opts=
	case $name in
	*shop) opts="-c auto" ;;
	multi) opts="-l 3,8,2" ;;
	esac
	head -n 1 "$f" | grep -q '^diagnosis,' && opts="-t diagnosis"
	./mlptrain -q -e 100 $opts -o "$W/$name.json" "$f" 2>/dev/null
	./mlppredict "$W/$name.json" "$f" >"$W/$name.want" 2>/dev/null
	./mlpexport --main -o "$W/$name.c" "$W/$name.json"
	./mlpexport --main --float -o "$W/$name.f.c" "$W/$name.json"
	$CC -std=c99 -O2 -o "$W/$name" "$W/$name.c" -lm
	$CC -std=c99 -O2 -o "$W/$name.f" "$W/$name.f.c" -lm
	"$W/$name" <"$f" >"$W/$name.got" 2>/dev/null
	"$W/$name.f" <"$f" >"$W/$name.fgot" 2>/dev/null
	rows=$(wc -l <"$W/$name.want")
	same=$(paste -d '\t' "$W/$name.want" "$W/$name.got" | awk -F '\t' '$1 == $2 { n++ } END { print n + 0 }')
	diff=$(paste -d, "$W/$name.want" "$W/$name.fgot" | awk -F, '
		{ n = NF / 2; for (i = 1; i <= n; i++) { a = $i; d = a - $(i + n); if (d < 0) d = -d
			if (d > ma) ma = d; if (a > 1e-30 && d / a > mr) mr = d / a } }
		END { printf "%.2g | %.2g", ma, mr }')
	printf '| %s | %s | %s | %s of %s | %s |\n' "$f" "$rows" "$(head -n 1 "$W/$name.want" | awk -F, '{ print NF }')" \
	    "$same" "$rows" "$diff"
done

printf '\n| shape | model JSON bytes | object text + data, double | --float |\n|---|---|---|---|\n'
$CC -std=c99 -O2 -o "$W/gendata" tests/bench/gendata.c -lm
for shape in 4,8,1 30,64,1 100,256,128,1; do
	nf=${shape%%,*}
	"$W/gendata" train "$nf" 200 1 >"$W/s$nf.csv"
	./mlptrain -q -S -Z -e 0 -l "$shape" -o "$W/s$nf.json" "$W/s$nf.csv"
	printf '#include "s.h"\nvoid score(const mlp_real *x, mlp_real *p);\nvoid score(const mlp_real *x, mlp_real *p) { mlp_predict(x, p); }\n' \
	    >"$W/unit.c"
	sizes=
	for fl in "" --float; do
		./mlpexport $fl -o "$W/s.h" "$W/s$nf.json"
		$CC -std=c99 -O2 -c -o "$W/unit.o" "$W/unit.c"
		sizes="$sizes | $(size "$W/unit.o" | awk 'NR == 2 { printf "%d + %d = %d", $1, $2, $1 + $2 }')"
	done
	printf '| %s | %s%s |\n' "$(echo "$shape" | tr , -)" "$(wc -c <"$W/s$nf.json")" "$sizes"
done
