#!/bin/sh
# End-to-end tests of mlpexport: models exported, compiled by gcc and by
# clang at -std=c99 -Wall -Wextra -pedantic -Werror as a user would, run on
# real rows and compared with mlppredict's output byte for byte (double) or
# within the documented tolerance (--float); the header's promises (its
# includes, no allocation, no writable global, symbols that carry the
# prefix); the --main scorer's CSV reading and messages; the model reader's
# messages, the same as mlppredict's; the options, -o and the docs.  Run
# from the top of the source tree as "sh tests/e2e_export.sh"; the
# variables of tests/e2e_lib.sh apply (MLPEXPORT too).  The last line is
# "e2e_export: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"

flowers=$DATA/flowers.csv
shop=$DATA/shop.csv
usage_export='usage: mlpexport [-hV] [-o file] [--float] [--main] [--prefix name] [model]'
# what a user compiles the export with; the tolerance of --float, as mlpexport(1) says
CFLAGS_EXPORT="-std=c99 -Wall -Wextra -pedantic -Werror -ffp-contract=off -O2"
TOLERANCE=1e-5

# build NAME SOURCE [FLAGS]: compiles SOURCE with gcc and clang into NAME.gcc and NAME.clang.
build() {
	for cc in gcc clang; do
		if ! $cc $CFLAGS_EXPORT ${3:-} -o "$1.$cc" "$2" -lm 2>"$1.$cc.err"; then
			fail "$cc could not compile $2:"
			show "$1.$cc.err"
			return 1
		fi
	done
}

# The header's own interface, as a user's program calls it: each row of
# feature columns (no header, no quotes) through mlp_encode and mlp_predict,
# the probabilities printed with %.17g, as mlppredict -p 17 prints them.
cat >driver.c <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

int
main(void)
{
	static char line[1 << 16];
	const char *cat[MLP_N_COLUMNS];
	mlp_real num[MLP_N_COLUMNS], x[MLP_N_INPUTS], p[MLP_N_OUTPUTS];
	char *s, *end;
	size_t k;

	while (fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		for (k = 0, s = line; k < MLP_N_COLUMNS; k++) {
			cat[k] = s;
			num[k] = (mlp_real)strtod(s, &end);
			if (end == s)	/* not a number: missing, for a numeric column */
				num[k] = (mlp_real)NAN;
			if ((s = strchr(s, ',')) == NULL)
				break;
			*s++ = '\0';
		}
		if (k + 1 < MLP_N_COLUMNS || mlp_encode(num, cat, x) < 0) {
			puts("bad row");
			continue;
		}
		mlp_predict(x, p);
		for (k = 0; k < MLP_N_OUTPUTS; k++)
			printf("%s%.17g", k > 0 ? "," : "", (double)p[k]);
		putchar('\n');
	}
	return 0;
}
EOF

# features NCOLS FILE: the first NCOLS columns of FILE, its header left out.
features() {
	tail -n +2 "$2" | cut -d, -f"1-$1"
}

# exact NAME MODEL NCOLS DATA: the header of MODEL, through driver.c, gives
# mlppredict -p 17's lines on the feature columns of DATA; and the --main
# scorer, on DATA whole, mlppredict's output byte for byte.
exact() {
	features "$3" "$4" >"$1.rows"
	"$MLPPREDICT" -N -p 17 "$2" "$1.rows" >"$1.want17" 2>/dev/null
	"$MLPPREDICT" "$2" "$4" >"$1.want" 2>/dev/null
	expect_status 0 "$MLPEXPORT" -o model.h "$2" || return 1
	if build "$1" driver.c; then
		for cc in gcc clang; do
			"./$1.$cc" <"$1.rows" >"$1.got17"
			same "$1.got17" "$1.want17" "$cc, the header through driver.c, against mlppredict -p 17"
		done
	fi
	expect_status 0 "$MLPEXPORT" --main -o "$1.c" "$2" || return 1
	if build "$1.main" "$1.c"; then
		for cc in gcc clang; do
			run_in "$4" "./$1.main.$cc"
			expect_rc 0 && same "$tmp/out" "$1.want" "$cc, the --main scorer on $4, against mlppredict"
		done
	fi
}

# within FILE1 FILE2 TOL: the numbers of the two files differ by TOL at most, and the rows match.
within() {
	paste -d, "$1" "$2" | awk -F, -v tol="$3" '
		{ n = NF / 2; for (i = 1; i <= n; i++) { d = $i - $(i + n); if (d < 0) d = -d; if (d > max) max = d } }
		NF % 2 { odd++ }
		END { if (odd || max > tol) { printf "max difference %g, %d rows of odd width\n", max, odd; exit 1 } }' >within.txt
	[ "$(wc -l <"$1")" -eq "$(wc -l <"$2")" ] || echo "$(wc -l <"$1") rows against $(wc -l <"$2")" >>within.txt
	[ -s within.txt ] || return 0
	fail "$1 and $2 are not within $3:" "$(cat within.txt)"
	return 1
}

# ---- models of every shape: bit for bit ----

"$MLPTRAIN" -q -e 40 "$flowers" >flowers.json
"$MLPTRAIN" -q -e 40 -c auto "$shop" >shop.json 2>/dev/null
"$MLPTRAIN" -q -e 40 -l 4,8,8,1 "$blobs" >blobs.json
"$MLPTRAIN" -q -e 40 -Z -l 3,6,2 "$multi" >multi.json
"$MLPTRAIN" -q -e 40 -l 2,1 "$moons" >logistic.json
tail -n +2 "$xor" >xor_rows.csv
"$MLPTRAIN" -q -N -e 200 -r 0.5 -l 2,4,1 xor_rows.csv >xor.json

t "three classes (flowers.csv): the header and the scorer give mlppredict's bits, gcc and clang"
exact fl flowers.json 4 "$flowers"
t "categorical columns (shop.csv, -c auto): bit for bit"
exact shop shop.json 3 "$shop"
t "two hidden layers (blobs4.csv, 4,8,8,1): bit for bit"
exact blobs blobs.json 4 "$blobs"
t "two outputs of 0/1 targets, standardisation off (multi.csv, -Z): bit for bit"
exact multi multi.json 3 "$multi"
t "no hidden layer (moons.csv, -l 2,1): bit for bit"
exact logistic logistic.json 2 "$moons"
t "a model without names (xor, -N): bit for bit"
exact xor xor.json 2 "$xor"

t "the bench shape 30-64-1, random weights (-e 0): bit for bit"
awk 'BEGIN { srand(7); for (r = 0; r < 300; r++) {
	for (c = 0; c < 30; c++) printf "%.6f,", rand() * 20 - 10; print (rand() < 0.5) } }' >bench30.csv
"$MLPTRAIN" -q -N -e 0 -l 30,64,1 bench30.csv >bench30.json
exact bench30 bench30.json 30 bench30.csv

t "clang for a CPU with FMA, without -ffp-contract=off: the file's own pragma keeps the bits"
if grep -q -w fma /proc/cpuinfo 2>/dev/null; then
	if clang -std=c99 -O2 -march=native -o fl.native fl.c -lm 2>native.err; then
		run_in "$flowers" ./fl.native
		expect_rc 0 && same "$tmp/out" fl.want "clang -march=native"
	else
		fail "clang -march=native:" "$(head -n 3 native.err)"
	fi
fi

t "--impute: a missing number is filled, a missing category sets no input, as mlppredict (one thread or two)"
"$MLPTRAIN" -q -e 40 -c color,size --impute median "$shop" >shopi.json
printf 'color,size,price\nred,M,21.65\nNA,M,21.65\nblue,S,NA\nNA,S,30\npurple,XXL,3\n' >holes.csv
exact holes shopi.json 3 holes.csv
MLPPREDICT_THREADS=1 "$MLPPREDICT" shopi.json holes.csv >holes.one 2>/dev/null
same holes.one holes.want "mlppredict on one thread and on two"
run_in holes.csv ./holes.main.gcc
expect_err_line "./holes.main.gcc: column 'color': 1 value training never saw, encoded as all zeros"

# ---- --float ----

t "--float: float tables and arithmetic, within $TOLERANCE of mlppredict on every bundled model"
for m in fl:flowers.json:4:$flowers shop:shop.json:3:$shop blobs:blobs.json:4:$blobs multi:multi.json:3:$multi; do
	name=${m%%:*}
	rest=${m#*:}
	model=${rest%%:*}
	rest=${rest#*:}
	data=${rest#*:}
	expect_status 0 "$MLPEXPORT" --float --main -o "$name.f.c" "$model" || continue
	sed '/MODEL_H \*\//q' "$name.f.c" | grep -n -w -e double >doubles.txt
	[ -s doubles.txt ] && fail "the --float header uses double:" "$(head -n 3 doubles.txt)"
	build "$name.f" "$name.f.c" || continue
	for cc in gcc clang; do
		run_in "$data" "./$name.f.$cc"
		expect_rc 0 && within "$tmp/out" "$name.want" "$TOLERANCE"
	done
	expect_status 0 "$MLPEXPORT" --float -o model.h "$model"
	build "$name.fd" driver.c && "./$name.fd.gcc" <"$name.rows" >"$name.f17" && within "$name.f17" "$name.want17" "$TOLERANCE"
done

t "--float: a weight beyond the floats is refused, with its place in the model"
sed 's/"weights":	\[\[\[[^,]*,/"weights":	[[[1e300,/' flowers.json >huge.json
bad_opt 1 "mlpexport: --float: weights[0][0][0] is 1e+300, beyond the largest number of a float (3.40282347e+38); export the model in double precision" \
	"$MLPEXPORT" --float huge.json
expect_status 0 "$MLPEXPORT" huge.json

# ---- what the header promises ----

t "the header includes <math.h> and <stddef.h> only, allocates nothing, writes no global"
"$MLPEXPORT" -o model.h shop.json
same_text "$(grep '#include' model.h | tr '\n' ' ')" "#include <math.h> #include <stddef.h> " "its includes"
grep -n -E '(malloc|calloc|realloc|free|alloca|printf)\(|FILE' model.h >found.txt && fail "it calls the C library:" "$(cat found.txt)"
# at file scope: const tables, static inline functions named mlp_..., macros named MLP_...
grep -n -E '^[A-Za-z_]' model.h | grep -v -E '^[0-9]+:(static const |static inline |typedef double mlp_real;|mlp_[a-z_]+\()' >found.txt &&
	fail "a declaration at file scope that is not const, static inline, or named mlp_:" "$(head -n 3 found.txt)"
grep -n -E '^#define' model.h | grep -v -E '^[0-9]+:#define MLP_' >found.txt && fail "a macro without the prefix:" "$(cat found.txt)"
# the objects of a program that includes it: nothing in .data or .bss
printf '#include "model.h"\nvoid score(const double *x, double *p);\nvoid score(const double *x, double *p) { mlp_predict(x, p); }\n' >unit.c
if gcc $CFLAGS_EXPORT -c -o unit.o unit.c 2>unit.err; then
	nm unit.o | grep -E ' [BbDd] ' >found.txt && fail "writable data in the object:" "$(cat found.txt)"
	nm unit.o | grep -E ' U ' | grep -v -E ' U exp$' >found.txt && fail "it needs more than exp:" "$(cat found.txt)"
else
	fail "gcc -c unit.c:" "$(head -n 3 unit.err)"
fi

t "--prefix: two models in one program, their symbols apart"
"$MLPEXPORT" --prefix iris -o iris.h flowers.json
"$MLPEXPORT" --prefix Shop -o shop.h shop.json
cat >two.c <<'EOF'
#include <stdio.h>
#include "iris.h"
#include "shop.h"

int
main(void)
{
	double x[IRIS_N_INPUTS] = { 5.1, 3.5, 1.4, 0.2 }, p[IRIS_N_OUTPUTS], y[SHOP_N_INPUTS], q[SHOP_N_OUTPUTS];
	double num[SHOP_N_COLUMNS] = { 0, 0, 21.65 };
	const char *cat[SHOP_N_COLUMNS] = { "red", "M", NULL };

	iris_predict(x, p);
	if (Shop_encode(num, cat, y) != 0)
		return 1;
	Shop_predict(y, q);
	printf("%.17g,%.17g,%.17g %.17g %s\n", p[0], p[1], p[2], q[0], iris_class_names[0]);
	return 0;
}
EOF
if build two two.c; then
	w1=$(printf '5.1,3.5,1.4,0.2\n' | "$MLPPREDICT" -N -p 17 flowers.json)
	w2=$(printf 'red,M,21.65\n' | "$MLPPREDICT" -N -p 17 shop.json)
	for cc in gcc clang; do
		run "./two.$cc"
		expect_rc 0 && same_text "$(cat "$tmp/out")" "$w1 $w2 setosa" "$cc"
	done
fi

# ---- the --main scorer ----

t "--main: columns found by name in any order, extra columns ignored; positions without a header"
"$MLPEXPORT" --main -o fl.c flowers.json && build flm fl.c
awk -F, 'BEGIN { OFS = "," } { print "id" NR, $5, $4, $3, $2, $1 }' "$flowers" >shuffled.csv
"$MLPPREDICT" flowers.json shuffled.csv >shuffled.want
run_in shuffled.csv ./flm.gcc && expect_rc 0 && same "$tmp/out" shuffled.want "columns by name"
tail -n +2 "$flowers" >noheader.csv
run_in noheader.csv ./flm.clang && expect_rc 0 && same "$tmp/out" fl.want "rows with the target, no header"
cut -d, -f1-4 noheader.csv >four.csv
run_in four.csv ./flm.gcc && expect_rc 0 && same "$tmp/out" fl.want "rows of the features alone"

t "--main: RFC 4180 quotes, blanks, CRLF and CR line ends, blank lines, a byte order mark"
printf '\357\273\277color,"size",price\r\n"red" , M ,"21.65"\r\n\r\n  \n"bl""ue",L,3\rgreen,"X\nL",4\n' >quoted.csv
"$MLPPREDICT" shop.json quoted.csv >quoted.want 2>quoted.werr
run_in quoted.csv ./shop.main.gcc
expect_rc 0 && same "$tmp/out" quoted.want "quoted fields" && expect_err_line "./shop.main.gcc: column 'color': 1 value training never saw, encoded as all zeros"

t "--main: a bad row stops with mlppredict's exit status and a message naming the line"
run_in "$flowers" ./flm.gcc -x
expect_rc 2 && expect_err_only "usage: ./flm.gcc < data.csv"
printf 'sepal_length,sepal_width,petal_length,petal_width\n5,3,1,0.2\n5,abc,1,0.2\n' >bad.csv
run_in bad.csv ./flm.gcc
expect_rc 1 && expect_err_only "./flm.gcc: standard input:3:2: 'abc' in column 'sepal_width' is not a number" &&
	same_text "$(cat "$tmp/out")" "$(head -n 2 bad.csv | "$MLPPREDICT" flowers.json)" "the rows before it"
printf '5,3,1,0.2\n5,,1,0.2\n' | { ./flm.gcc >/dev/null 2>"$tmp/err"; echo $? >rc.txt; }
same_text "$(cat rc.txt)" 1 "a missing value" && expect_err_only "./flm.gcc: standard input:2:2: missing value '' in column 'sepal_width'"
printf '5,3,1,0.2\n5,3,1\n' | { ./flm.gcc >/dev/null 2>"$tmp/err"; echo $? >rc.txt; }
same_text "$(cat rc.txt)" 1 "a short row" && expect_err_only "./flm.gcc: standard input:2: 3 fields, expected 4 as on line 1"
printf '5,3,1,"0.2\n' | { ./flm.gcc >/dev/null 2>"$tmp/err"; echo $? >rc.txt; }
same_text "$(cat rc.txt)" 1 "an open quote" && expect_err_only "./flm.gcc: standard input:1:4: quoted field never closed: the input ends inside it"
printf 'a,b\n1,2\n' | { ./flm.gcc >/dev/null 2>"$tmp/err"; echo $? >rc.txt; }
same_text "$(cat rc.txt)" 1 "a header without the names" && expect_err_only "./flm.gcc: standard input:1: no column 'sepal_length' (feature 1 of the model)"
printf '5,3,1,0.2\n5,3,inf,0.2\n' | { ./flm.gcc >/dev/null 2>"$tmp/err"; echo $? >rc.txt; }
same_text "$(cat rc.txt)" 1 "inf" && expect_err_only "./flm.gcc: standard input:2:3: 'inf' in column 'petal_length' is not a finite number"
printf '5,3,inf,0.2\n' | { ./flm.gcc >/dev/null 2>"$tmp/err"; echo $? >rc.txt; }
same_text "$(cat rc.txt)" 1 "a row of text alone, a header" && expect_err_only "./flm.gcc: standard input:1: no column 'sepal_length' (feature 1 of the model)"
run ./flm.gcc -h
expect_rc 0 && grep -F -x -e 'Outputs (3): setosa versicolor virginica' "$tmp/out" >/dev/null || fail "-h does not list the outputs"

# ---- the model reader: mlppredict's messages ----

t "hostile models: mlppredict's message and exit status, word for word"
printf '{"format": "mlptrain-model", "version": 2, "layers": [2, 1], "weights": [[[1, 2, 3]]], "layers": [2, 1]}' >dup.json
printf '{"format": "mlptrain-model", "version": 2, "layers": [2, 1], "weights": [[[1, 2]]]}' >short.json
printf '{"format": "mlptrain-model", "version": 2, "layers": [2, 1], "standardize": {"mean": [0, 0], "std": [1, 0]}, "weights": [[[1, 2, 3]]]}' >std.json
printf '{"format": "mlptrain-model", "version": 9}' >v9.json
printf '{"format": "mlptrain-model", "version": 2, "layers": [2, 1], "weights": [[[1, 2, 3' >cut.json
printf '{"a": "\000"}' >nul.json
printf '[1, 2]' >array.json
mkdir -p adir
for m in dup.json short.json std.json v9.json cut.json nul.json array.json missing.json adir "$flowers"; do
	"$MLPPREDICT" "$m" </dev/null >/dev/null 2>want.err
	want=$?
	run "$MLPEXPORT" "$m"
	sed 's/^mlppredict: /mlpexport: /' want.err >want.sed
	if [ "$m" = "$flowers" ]; then	# mlppredict adds a hint for a CSV file given as its model
		want=1
		printf 'mlpexport: %s:1:1: not valid JSON\n' "$m" >want.sed
	fi
	expect_rc "$want" && cmp -s want.sed "$tmp/err" || { fail "$m: stderr differs from mlppredict's:"; show "$tmp/err"; show want.sed; }
	expect_no_stdout
done
expect_status 1 "$MLPEXPORT" - <dup.json 2>/dev/null
run_in dup.json "$MLPEXPORT"
expect_rc 1 && expect_err_match "mlpexport: standard input: .*"

# ---- options and output ----

t "options: --prefix, unknown options, two models"
bad_opt 2 "mlpexport: --prefix: '2x' is not a C identifier: a letter, then letters, digits or _" "$MLPEXPORT" --prefix 2x flowers.json
expect_status 2 "$MLPEXPORT" --bogus flowers.json && expect_err_line "$usage_export"
bad_opt 2 "mlpexport: one model at a time: 'shop.json' after the model 'flowers.json'
$usage_export" "$MLPEXPORT" flowers.json shop.json

t "-o: written whole or not at all; never over the model"
expect_status 0 "$MLPEXPORT" -o out.h flowers.json && expect_no_stdout && "$MLPEXPORT" flowers.json | cmp -s - out.h ||
	fail "-o and standard output differ"
cp flowers.json moons.json
keep_setup
check_kept "--float refused" 1 "$MLPEXPORT" --float -o o/keep.json huge.json
check_kept "a bad model" 1 "$MLPEXPORT" -o o/keep.json dup.json
cp flowers.json m.json
bad_opt 2 "mlpexport: m.json: named for an input and an output (the model and the C file); name another file for the C file" \
	"$MLPEXPORT" -o m.json m.json
cmp -s m.json flowers.json || fail "the model was changed"

# ---- documentation ----

t "mlpexport -h, --version, the man page and README"
expect_status 0 "$MLPEXPORT" --version && same_text "$(cat "$tmp/out")" "mlpexport 0.1.0" "--version"
expect_status 0 "$MLPEXPORT" -h && same_text "$(head -n 1 "$tmp/out")" "$usage_export" "-h"
for o in $(grep -o -e '--[a-z][a-z-]*' "$tmp/out" | sort -u); do
	sed 's/\\-/-/g' "$MAN/mlpexport.1" | grep -E -e "Fl -${o#--}([^a-z-]|\$)" >/dev/null || fail "$o is missing from man/mlpexport.1"
	grep -F -e "$o" "$README" >/dev/null || fail "$o is missing from README.md"
done
if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tlint "$MAN/mlpexport.1" >lint.txt 2>&1 || fail "mandoc -Tlint mlpexport.1:" "$(head -n 5 lint.txt)"
fi

e2e_done e2e_export
