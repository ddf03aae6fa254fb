#!/bin/sh
# usage: sh tests/mutants.sh [-a] [N...]
#
# Mutation testing: does some test fail when the code is wrong?  Each mutant
# below is one realistic bug: a file, a text that occurs in it exactly once,
# the text that replaces it, and what the bug is.  The working tree (as it
# is, uncommitted changes included) is copied to a scratch directory and
# built; then, one mutant at a time, the bug goes in, the programs and unit
# tests are rebuilt, and the unit tests and end-to-end suites run on the
# normal build, quickest first, until one fails: the mutant is killed.  A
# mutant that every test passes survives: a gap in the tests to close, or a
# change no test can tell from the code (then it leaves the list for the
# comment at its end, with the reason).
#
#   N...  only those mutants (numbers as listed in the report)
#   -a    every test on every mutant, naming all that fail (slower)
#
# MUTANTS_TIMEOUT (seconds, default 300) bounds each test: a mutant that
# hangs one is killed by it.  Not part of make test: `make mutants` runs it,
# about six minutes on two cores.  A line per mutant, then
# "mutants: K killed, S survived, B broken" (broken: the text is not found
# once, or the mutant does not build; the list needs mending); exit status 1
# unless every mutant is killed.

ROOT=$(pwd)
LC_ALL=C
export LC_ALL
all=0
if [ "${1:-}" = -a ]; then
	all=1
	shift
fi
only=" $* "
limit=${MUTANTS_TIMEOUT:-300}

[ -f "$ROOT/src/model.c" ] && [ -f "$ROOT/tests/e2e_lib.sh" ] || {
	echo "mutants: run from the top of the source tree" >&2
	exit 2
}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mutants.XXXXXX") || exit 3
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cp -R "$ROOT/Makefile" "$ROOT/README.md" "$ROOT/src" "$ROOT/tests" "$ROOT/data" "$ROOT/man" "$scratch/" || exit 3
cd "$scratch" || exit 3
# tests/e2e_parallel.sh runs ./mlptrain-mpi under mpirun when Open MPI is here;
# without it, E2E_MPI=0 leaves those cases out.
mpi=
if command -v mpicc >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1; then
	mpi=mlptrain-mpi
else
	E2E_MPI=0
	export E2E_MPI
fi
units=$(for f in tests/unit/test_*.c; do t=${f#tests/unit/}; echo "build/${t%.c}"; done)

build() {
	make -j2 all build/gen build/ref_lecture $units $mpi >build.log 2>&1
}

# run_test TEST: runs one unit test (build/test_*) or end-to-end suite
# (tests/e2e_*.sh), bounded in time; its output in test.log.
run_test() {
	case $1 in
	build/*) timeout "$limit" "./$1" >test.log 2>&1 ;;
	*) timeout "$limit" sh "$1" >test.log 2>&1 ;;
	esac
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# The tests, timed once on the unmutated tree, which must pass them all;
# then ordered quickest first.
echo "mutants: building a copy of the tree in $scratch"
build || { tail -n 20 build.log; echo "mutants: the unmutated tree does not build"; exit 1; }
: >times
for t in $units tests/e2e_*.sh; do
	[ "$t" = tests/e2e_lib.sh ] && continue
	t0=$(now_ms)
	if ! run_test "$t"; then
		tail -n 20 test.log
		echo "mutants: $t fails on the unmutated tree; fix that first"
		exit 1
	fi
	echo "$(($(now_ms) - t0)) $t" >>times
done
tests=$(sort -n times | cut -d' ' -f2)
echo "mutants: every test passes unmutated ($(awk '{ s += $1 } END { printf "%.0f", s / 1000 }' times) s in all)"

n=0
killed=0
survived=0
broken=0
start=$(now_ms)

# m FILE FROM TO WHAT: mutant number $n; FROM must occur exactly once in FILE.
m() {
	n=$((n + 1))
	case $only in
	"  ") ;;
	*" $n "*) ;;
	*) return 0 ;;
	esac
	cp "$1" mutant.orig
	if ! FROM=$2 TO=$3 awk 'BEGIN { RS = "\001" }
	    { s = s $0 }
	    END {
		from = ENVIRON["FROM"]; i = index(s, from)
		if (i == 0 || index(substr(s, i + length(from)), from) > 0)
			exit 1
		printf "%s%s%s", substr(s, 1, i - 1), ENVIRON["TO"], substr(s, i + length(from))
	    }' mutant.orig >"$1"; then
		cp mutant.orig "$1"
		printf '%3d BROKEN   %-24s %s: %s\n' "$n" "(text not found once)" "$1" "$4"
		broken=$((broken + 1))
		return 0
	fi
	if ! build; then
		cp mutant.orig "$1"
		printf '%3d BROKEN   %-24s %s: %s\n' "$n" "(does not build)" "$1" "$4"
		broken=$((broken + 1))
		return 0
	fi
	by=
	for t in $tests; do
		run_test "$t" && continue
		by="$by${by:+ }${t#tests/}"
		[ $all = 1 ] || break
	done
	cp mutant.orig "$1"
	if [ -n "$by" ]; then
		killed=$((killed + 1))
		printf '%3d killed   %-24s %s: %s\n' "$n" "${by%% *}" "$1" "$4"
		[ $all = 0 ] || [ "$by" = "${by%% *}" ] || printf '%38s%s\n' "" "also: ${by#* }"
	else
		survived=$((survived + 1))
		printf '%3d SURVIVED %-24s %s: %s\n' "$n" "" "$1" "$4"
	fi
}

# ---- the mutants: file, text, replacement, the bug ----

# The gaps of the first round of injected bugs (these survived it).
m src/model.c 'hits += (y[i] >= 0.5)' 'hits += (y[i] > 0.5)' \
	'model_hits: an output of exactly 0.5 counts as class 0, against mlppredict -l and --eval'
m src/rng.c '	uint32_t tmp;

	for (i = n; i > 1; i--) {
		j = (size_t)rng_below(r, i);' '	uint32_t tmp;

	for (i = n; i > 1; i--) {
		j = (size_t)rng_below(r, i - 1);' \
	"rng_shuffle32 (an epoch's order): Sattolo's variant, never a row left in place"
m src/mlptrain.c '(st = agreed(j, read_validation(j))) != 0 ||
	    (st = agreed(j, build(j))) != 0 ||' '(st = agreed(j, build(j))) != 0 ||
	    (st = agreed(j, read_validation(j))) != 0 ||' \
	'mlptrain: standardisation and class weights from all rows, --holdout rows too'
m src/eval.c 'put_metric(f, "precision", metrics_precision(&c), digits);
		put_metric(f, "recall", metrics_recall(&c), digits);' \
	'put_metric(f, "precision", metrics_recall(&c), digits);
		put_metric(f, "recall", metrics_precision(&c), digits);' \
	'--eval: precision and recall printed the wrong way round'
m src/kernels.c 'train_net_generic(struct model *m, struct work *ws, const double *t, double eta)
{
	train_net_body(m, ws, t, eta);' 'train_net_generic(struct model *m, struct work *ws, const double *t, double eta)
{
	train_net_body(m, ws, t, eta * 0.5);' \
	'the generic train step alone is wrong (the programs run AVX2 here)'
m src/kernels.c '	if (want == 0)
		have = 0;
' '' \
	'kernel_simd: asked for the generic loops, it still picks AVX2'
m src/cli.c '	else if (strcmp(value, "generic") == 0)
		want = 0;' '	else if (strcmp(value, "generic") == 0)
		want = -1;' \
	'MLP_SIMD=generic silently runs the best loops instead'
m src/modelio.c 'if ((size_t)cJSON_GetArraySize(row) != n[l - 1] + 1) {' \
	'if ((size_t)cJSON_GetArraySize(row) > n[l - 1] + 1) {' \
	'model reader: a short weight row found only when its values are read, after a bad value before it'

# CSV reading.
m src/csvread.c 'r->fline[r->n] = r->line - nl;' 'r->fline[r->n] = r->line;' \
	'csvread: a field spanning lines is placed on its last line, not its first'
m src/csvread.c '			if (number_parse(row->field[i], row->len[i], &v) != NUM_OK)
				return 1;' '			if (number_parse(row->field[i], row->len[i], &v) == NUM_OK)
				return 1;' \
	'header guess: a file of one row is a header when it holds a number'
m src/data.c '				d->dropped++;
				return 0;' '				return 0;' \
	'--drop-missing: skipped rows not counted'

# Columns and targets.
m src/colmap.c 'if (role[v[k].col] != IGNORED)' 'if (role[v[k].col] == FEATURE)' \
	'colmap: a repeated header name allowed on a target or weight column'
m src/columns.c 'for (c = lo - 1; c < hi; c++)' 'for (c = lo - 1; c + 1 < hi; c++)' \
	'column ranges: 4-6 leaves out column 6'
m src/target.c 'if (strlen(r->classes[k]) == len && memcmp(r->classes[k], f, len) == 0)' \
	'if (memcmp(r->classes[k], f, len) == 0)' \
	"target_read: a prefix of a class label ('ye') taken for the label ('yes')"
m src/dataset.c 'return d->ntargets == 1 && t[0] >= 0.5;' 'return d->ntargets == 1 && t[0] > 0.5;' \
	'holdout stratification: a soft target of 0.5 counted in class 0'
m src/dataset.c 'take[s] = (size_t)floor(frac * (double)n[s] + 0.5);' 'take[s] = (size_t)floor(frac * (double)n[s]);' \
	'--holdout: each class gives floor(frac n_c) rows, not round(frac n_c)'
m src/dataset.c 'd->weight[k] *= cw[data_class(d, k)];' 'd->weight[k] = cw[data_class(d, k)];' \
	"--class-weight balanced: a row's -w weight dropped, not multiplied"
m src/dataset.c 'std[j] = sqrt(std[j] / n);' 'std[j] = sqrt(std[j] / (n - 1));' \
	'standardisation: the sample standard deviation instead of the population one'

# Training.
m src/train.c 'return o->patience > 0 && *since_best >= o->patience;' \
	'return o->patience > 0 && *since_best > o->patience;' \
	'early stopping: one epoch more than --patience'
m src/train.c 'es->best = monitor < res->best_loss - o->tol;' 'es->best = monitor < res->best_loss + o->tol;' \
	'early stopping: --tol added, not subtracted: a slightly worse epoch is a best one'
m src/train.c '		if (inverse)
			rate = schedule_rate(&o->sched, p->e, *p->updates + (uint64_t)p->workers * p->made);' '' \
	'--decay inverse: the rate changes once an epoch, not after every update'
m src/train.c 'kernel_train_step(m, ws, x + f, rate * s);' 'kernel_train_step(m, ws, x + f, rate);' \
	'-w: the row weight left out of the step'
m src/train.c '			for (k = 0; k < d->rows; k++)
				idx[k] = (uint32_t)k;
			rng_shuffle32' '			rng_shuffle32' \
	"shuffling: each epoch's order drawn from the last one's, not from file order (resuming differs)"
m src/schedule.c 'steps = (e - 1) / s->every;' 'steps = e / s->every;' \
	'--decay step: the first drop one epoch early'
m src/schedule.c 'return s->rate / (1 + s->k * (double)t);' 'return s->rate / (1 + s->k * (double)(t + 1));' \
	'--decay inverse: t counts the update being made'
m src/mlptrain.c '		if (!o->given.seed && j->m->info.have_rng)
			j->state.rng.state = j->m->info.rng;' '' \
	"-i: the model's random stream not continued"

# Outputs: numbers, history, progress, files.
m src/number.c 'if (2 * rem > div || (2 * rem == div && (D & 1)))' 'if (2 * rem >= div)' \
	'number_format: halves rounded up instead of to even'
m src/history.c 'fprintf(h->fp, "%" PRIu64 ",%s,%s,%s,%s,%s,%.6f\n", s->epoch, a, b, c, d, r, s->seconds);' \
	'fprintf(h->fp, "%" PRIu64 ",%s,%s,%s,%s,%s,%.6f\n", s->epoch, a, b, d, c, r, s->seconds);' \
	'--history: val_loss and val_accuracy swapped'
m src/progress.c 's->epoch, p->last, s->loss, s->accuracy, val, more, train_now() - p->start);' \
	's->epoch, p->last, s->accuracy, s->loss, val, more, train_now() - p->start);' \
	"the epoch line: loss and accuracy swapped"
m src/mlptrain.c 'j->res.last_epoch, btext, in->loss, in->accuracy, vtext' \
	'j->res.last_epoch, btext, in->accuracy, in->loss, vtext' \
	'the final line: loss and accuracy swapped'
m src/plot.c 'svg_curve(&o, c, c->val, "val", COL_VAL, &xr, &yr);' 'svg_curve(&o, c, c->train, "val", COL_VAL, &xr, &yr);' \
	'--plot: the validation curve drawn from the training losses'
m src/history.c '		if (epoch > upto)
			break;' '		if (epoch >= upto)
			break;' \
	'--history with -i: the row of the epoch the model stands at is dropped'
m src/outfile.c 'split_target(o->name, is_link, &dirname, &o->base)' 'split_target(o->name, 0, &dirname, &o->base)' \
	'outfile: an output that is a symbolic link not followed to the file it names'
m src/outfile.c '		o->mode = st->st_mode & 0777;	/* the permissions; never setuid, setgid or sticky */
		id_of_stat(&o->id, st);
	} else {' '		id_of_stat(&o->id, st);
	}
	{' \
	"outfile: a replaced file loses its permissions (umask's instead)"
m src/modelio.c '!(open ? v->valuedouble > lo : v->valuedouble >= lo)' '!(v->valuedouble >= lo)' \
	'model reader: training.rate 0 (or a decay_factor of 0) accepted'

# Scoring.
m src/score.c '	if (!missing)
		kernel_standardize(m, x, 0, n0 - nd);	/* the scorer standardises the fields it parses */' '' \
	'mlppredict: rows scored unstandardised (the fields parsed as a row is read never standardised)'
m src/score.c 'out_str(s, s->label[y[i] >= s->threshold]);' 'out_str(s, s->label[y[i] > s->threshold]);' \
	'--labels: p equal to the threshold is class 0'
m src/pipeline.c '	else if (partial)
		p->filled++;' '' \
	'mlppredict, two threads: the last, partial batch of rows never scored'
m src/csvread.c 'if (first && got >= 3 && memcmp(block, "\xef\xbb\xbf", 3) == 0)' \
	'if (first && got > 3 && memcmp(block, "\xef\xbb\xbf", 3) == 0)' \
	'CSV: a byte-order mark alone (an empty file with a BOM) read as data'
m src/metrics.c 'mid = ((double)(i + 1) + (double)j) / 2;' 'mid = (double)(i + 1);' \
	'ROC AUC: tied probabilities take the lowest rank, not their mean'

# A second round, across the modules.
m src/csvread.c '		if (ended) {
			r->line++;' '		{
			r->line++;' \
	'csvread: a line cut by the end of a 64 KiB block counted twice (later line numbers off by one)'
m src/dict.c '		return x->num ? -1 : 1;' '		return x->num ? 1 : -1;' \
	'class labels: texts sorted before numbers (which label is 1 changes)'
m src/data.c 'if (sum > 0 && isfinite(sum))' 'if (sum > 0)' \
	'-w: weights adding up to infinity accepted'
m src/score.c "quote = s[i] == delim || s[i] == '\"' || s[i] == '\\r' || s[i] == '\\n';" \
	"quote = s[i] == delim || s[i] == '\"' || s[i] == '\\n';" \
	'mlppredict -k: a field holding a carriage return printed unquoted'
m src/train.c 'es.accuracy = t.hits / (t.weight * (double)nout);' 'es.accuracy = t.hits / t.weight;' \
	"an epoch's accuracy with several outputs: hits not divided by the outputs"
m src/train.c 'if (!isfinite(es.loss) || !model_finite(m)) {' 'if (!isfinite(es.loss)) {' \
	'divergence: non-finite weights under a finite loss not caught'
m src/mlptrain.c 'if (!o->given.rate && in->sched.rate > 0)' 'if (in->sched.rate > 0)' \
	"-i: the model's rate wins over -r"
m src/history.c '(uint64_t)f[0] <= prev) {' '(uint64_t)f[0] < prev) {' \
	'--history with -i: a repeated epoch number in the file accepted'
m src/number.c '		if (edig == 0)
			return NUM_SYNTAX;' '' \
	"number_parse: '1e' (an exponent without digits) read as 1"
m src/colmap.c '		if (role[c - 1] == FEATURE) {
			role[c - 1] = TARGET;' '		if (role[c - 1] != IGNORED) {
			role[c - 1] = TARGET;' \
	'without -t: a last -w column taken for the target'
m src/metrics.c 'double softplus = fmax(a, 0.0) + log1p(exp(-fabs(a)));' 'double softplus = log1p(exp(a));' \
	'--eval log_loss: softplus(a) as log1p(exp(a)), infinite for a > 709'
m src/cli.c "if (strlen(s) != 1 || s[0] == '\"' || s[0] == '\\n' || s[0] == '\\r') {" \
	"if (strlen(s) != 1 || s[0] == '\\n' || s[0] == '\\r') {" \
	'-d: a double quote accepted as the field separator'

# A third round.  (The next one is caught only when the reader has handed
# fields over to the scorer thread at that row, which depends on the two
# threads' timing: e2e_predict's long fields catch it in most runs, not all.)
m src/score.c 'if (row->len[fm->cm.feature[i]] >= CELL ||' 'if (row->len[fm->cm.feature[i]] > CELL ||' \
	'mlppredict, two threads: a feature of exactly 32 bytes overflows its cell'
m src/modelio.c '	if (in->sched.every == 0)
		return bad(r, "%s is %s, expected a whole number from 1", "training.decay_every", "0");' '' \
	'model reader: training.decay_every 0 accepted (a division by zero on resuming)'
m src/mlptrain.c '		for (k = 0; k < nf; k++)
			if (strcmp(m->features[k], d->names[k]) != 0) {' '		for (k = 0; k + 1 < nf; k++)
			if (strcmp(m->features[k], d->names[k]) != 0) {' \
	"-i: the data's last feature name not compared with the model's"
m src/train.c 'res->stopped = e < last;' 'res->stopped = 1;' \
	'early stopping: "stopped" also when patience runs out at the last epoch'
m src/mlptrain.c 'in->have_split = j->val != NULL && o->holdout > 0;' 'in->have_split = j->val != NULL;' \
	'the model: a holdout split recorded for --validate too'
m src/csvread.c '			if (r->quote_line == 0) {
				r->quote_line = r->line;' '			{
				r->quote_line = r->line;' \
	'csvread: a quoted field never closed is reported at its last line, not where it opens'
m src/colmap.c 'if (role[idx[i]] != FEATURE) {' 'if (role[idx[i]] == TARGET) {' \
	'-x and -w naming one column accepted'
m src/outfile.c 'mode = 0666 & ~mask;' 'mode = 0600;' \
	'a new output file created 0600, not as the umask says'

# A fourth round.
m src/mlptrain.c '(*d)->dropped == 1 ? "" : "s");' '"s");' \
	"mlptrain --drop-missing: 'skipped 1 rows'"
m src/csvread.c "} else if (u[i] == '\\n' || u[i] == '\\r' || u[i] == '\\t') {" "} else if (u[i] == '\\n' || u[i] == '\\r') {" \
	'messages: a tab in a shown field printed as \x09, not \t'
m src/cli.c '(closed ? !(v >= 0 && v <= 1) : !(v > 0 && v < 1))' '(closed ? !(v >= 0 && v <= 1) : !(v >= 0 && v < 1))' \
	'--holdout 0 and --decay-factor 0 accepted'
m src/cli.c '!(v > 0)) {' '!(v >= 0)) {' \
	'-r 0 accepted'
m src/dataset.c 'if (nv == 0 || nv >= rows) {' 'if (nv == 0 || nv > rows) {' \
	'--holdout holding out every row accepted'
m src/model.c 'if (total > MODEL_MAX_WEIGHTS) {' 'if (total >= MODEL_MAX_WEIGHTS) {' \
	'-l: a network of exactly 2^31 weights refused'
m src/train.c 'v[0] += s * model_loss(m, ws, x + f);' 'v[0] += model_loss(m, ws, x + f);' \
	"-w: the model's loss (train_evaluate: validation, --eval of a model) not weighted by the rows' weights"

# A fifth round: the loader, the encoding, the column rule, the K-class
# report, the outputs' checks, CR line ends.
m src/data.c 'c = ld->tmode == T_LABELS ? cls[j] : (size_t)tmp[ld->nf];' \
	'c = ld->tmode == T_LABELS ? j : (size_t)tmp[ld->nf];' \
	'class labels: the targets (one-hot for K) by the order labels are first seen, not their sorted order'
m src/target.c '	for (k = 0; num && k < r->nclasses; k++)
		if (number_parse(r->classes[k], strlen(r->classes[k]), &y) == NUM_OK && x == y)
			return (long)k;
' '' \
	"classes given (a model's): '2.0' not taken for the class '2'"
m src/encode.c 'return c != 0 ? c : (len > tl) - (len < tl);' 'return c;' \
	"categories: a prefix of one ('re') found as it ('red')"
m src/encode.c '	for (i = 0; i < c->ncat; i++)
		in[i] = 0;	/* (a missing category too: under --impute it sets none) */
	if (csv_is_missing(s, len))
		return ENC_MISSING;
	if ((k = encoding_find(c, s, len)) < 0)
		return ENC_UNSEEN;' '	if (csv_is_missing(s, len)) {
		for (i = 0; i < c->ncat; i++)
			in[i] = 0;
		return ENC_MISSING;
	}
	if ((k = encoding_find(c, s, len)) < 0)
		return ENC_UNSEEN;
	for (i = 0; i < c->ncat; i++)
		in[i] = 0;' \
	'mlppredict: an unseen category leaves a one-hot input set by an earlier row, not all zero'
m src/dataset.c '		if (categorical_input(d, j)) {
			mean[j] = 0;
			std[j] = 1;
		}
' '' \
	"standardisation: a category's 0/1 inputs standardised too"
m src/dataset.c 'return n % 2 ? v[n / 2] : v[n / 2 - 1] / 2 + v[n / 2] / 2;' 'return v[n / 2];' \
	'--impute median: of an even count, the upper middle value, not the mean of the two'
m src/dataset.c '				if (d->weight != NULL)
					d->weight[kept] = d->weight[k];
' '' \
	"--holdout with -w: the training rows' weights not moved with their rows"
m src/colmap.c '(first != COLMAP_NONE && r > first)' '(first != COLMAP_NONE && r < first)' \
	'repeated header names: the last repeated name read reported, not the first'
m src/eval.c 'tp_fp[pred]++;' 'tp_fp[truth]++;' \
	"--eval, K classes: a class's precision over its rows (its recall), not over the rows predicted as it"
m src/eval.c 'e->mc_loss += metrics_log_loss(-a[truth], 0) + log(sum);' \
	'e->mc_loss += metrics_log_loss(a[truth], 0) + log(sum);' \
	'--eval, K classes: log_loss from 1 - p of the true class, not from p'
m src/eval.c 'put_metric(f, "macro_precision", mean_of(prec, K, 0), digits);' \
	'put_metric(f, "macro_precision", mean_of(prec, K, NAN), digits);' \
	'--eval, K classes: a class never predicted left out of macro_precision, not counted as 0'
m src/outputs.c 'if (s->file[k] != may && file_id_same(&in, &s->file[k]->id)) {' \
	'if (file_id_same(&in, &s->file[k]->id)) {' \
	'mlptrain -i m.json -o m.json (resuming in place) refused: an input named for an output'
m src/outfile.c 'return !a->chr && !b->chr && a->dev == b->dev && a->ino == b->ino;' \
	'return a->dev == b->dev && a->ino == b->ino;' \
	'outputs: /dev/null named for two outputs (or an output and an input) refused as one file'
m src/csvread.c 'const char *end = cr != NULL ? cr : nl;' 'const char *end = nl;' \
	'csvread: lone CR line ends (old Mac files) not counted: a whole file on line 1'
m src/csvread.c "n += s[k] == '\\n' || (s[k] == '\\r' && (k + 1 == len || s[k + 1] != '\\n'));" "n += s[k] == '\\n';" \
	'csvread: a quoted field spanning lone-CR line ends placed on its last line, not its first'

# A sixth round: the workers (comm.c's collectives and team of threads,
# shard.c's parts, dict.c's merge, train.c's rounds and averages).
m src/comm.c '		if (counts[q] > 0)
			acc += counts[q] * w[q][i];
	return acc / total;' '		if (counts[q] > 0)
			acc += w[q][i];
	return acc / (many + 1);' \
	'the average of the workers that moved, not weighted by the updates each made'
m src/train.c 'p->counts[q] = (double)every[q].updates;' 'p->counts[q] = every[q].updates > 0;' \
	"the rounds' average: each worker that moved counted once, not by its updates"
m src/train.c '*p->updates + (uint64_t)p->workers * p->made);' '*p->updates + p->made);' \
	"--decay inverse with workers: a worker's updates in a round counted once, not once for every worker"
m src/train.c '		*p->updates += every[q].updates;' '		*p->updates += every[q].updates * (q == c->rank);' \
	"the update count: each worker's own updates only, not every worker's"
m src/train.c '*rounds = ((uint64_t)most + o->sync_every - 1) / o->sync_every;' \
	'*rounds = (uint64_t)most / o->sync_every;' \
	'--sync-every: the rounds of an epoch rounded down (the last round longer than asked)'
m src/train.c '		all->loss += every[q].t.loss;' '		all->loss = every[q].t.loss;' \
	"with workers, an epoch's loss from the last worker's rows alone"
m src/comm.c 'if (x[(size_t)q * n + i] > v[i])' 'if (x[(size_t)q * n + i] < v[i])' \
	'comm_max: the least of the values, not the greatest'
m src/comm.c '	for (q = 0; q < c->size; q++) {
		if (q == c->rank)
			add(ctx, v);' '	for (q = c->size - 1; q >= 0; q--) {
		if (q == c->rank)
			add(ctx, v);' \
	'comm_chain: the workers add in reverse order (statistics not those of one worker, to the bit)'
m src/comm.c 'hi = n * (size_t)(c->rank + 1) / (size_t)t->n, i;' 'hi = lo + n / (size_t)t->n, i;' \
	"threads' average: each share n / workers long, rounded down (the last weights never averaged)"
m src/shard.c '		else if (r == 0 || (state[r - 1] == GOOD && all[r - 1].stop == all[r].start))' \
	'		else if (r == 0 || state[r - 1] == GOOD)' \
	'parts: one begun inside a quoted field (where the part before ended elsewhere) read from there'
m src/shard.c '		for (r = 0; r < me; r++)
			out->line += (long)all[r].lines;' '		for (r = 0; r + 1 < me; r++)
			out->line += (long)all[r].lines;' \
	"parts: a part's line numbers leave out the lines of the part just before it"
m src/dict.c '			m[k] = s->id;' '			m[k] = (size_t)k;' \
	"merged texts: a worker's categories and labels keep its own numbers, not the merged dictionary's"

# Considered and left out, as no test can tell them from the code (the
# programs' output is the same): outfile_commit without fsync (only a power
# cut shows it); count_lines starting from 0 (a capacity hint one row short:
# the block grows once more); rng_below rejecting x > limit rather than
# x >= limit (a chance of 2^-64 a draw); MLPPREDICT_THREADS=1 ignored (one
# thread and two print the same bytes by design); forward_layer_body taking
# blocks of 4 units only while i + 4 < nout (the last 4 go one at a time,
# the same sums); shard_plan starting a part at its cut, not moved to the
# start of the next line (settle sees the part does not start where the
# one before ended, and scans it again from there: the same rows, a scan
# more); shard_cut as floor(size / p) k (other cuts, the same rows).

echo "mutants: $killed killed, $survived survived, $broken broken ($(( ($(now_ms) - start) / 1000 )) s)"
[ "$survived" -eq 0 ] && [ "$broken" -eq 0 ]
