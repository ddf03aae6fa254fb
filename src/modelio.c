/*
 * Model JSON reading and writing.  cJSON's own number printer is not exact
 * (it keeps 15 digits whenever they come within an epsilon of the value), so
 * numbers are written as raw text from number_format instead.  The reader
 * refuses what cJSON would let through silently: a key that appears twice
 * in an object (cJSON's lookups take the first, jq and Python the last), a
 * NUL in a string (C strings end there), UTF-16 text.  Not for: what the
 * model means (model.c), nor the output file's safety (outfile.c).
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvread.h"
#include "modelio.h"
#include "number.h"
#include "status.h"
#include "schedule.h"
#include "target.h"

/* ---- writing ---- */

static cJSON *
exact_number(double x)
{
	char buf[NUMBER_BUFLEN];

	number_format(buf, x, 0);
	return cJSON_CreateRaw(buf);
}

static cJSON *
number_array(const double *x, size_t n)
{
	cJSON *a = cJSON_CreateArray(), *v;
	size_t i;

	for (i = 0; a != NULL && i < n; i++) {
		if ((v = exact_number(x[i])) == NULL || !cJSON_AddItemToArray(a, v)) {
			cJSON_Delete(v);
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

static cJSON *
string_array(char *const *s, size_t n)
{
	cJSON *a = cJSON_CreateArray(), *v;
	size_t i;

	for (i = 0; a != NULL && i < n; i++) {
		if ((v = cJSON_CreateString(s[i])) == NULL || !cJSON_AddItemToArray(a, v)) {
			cJSON_Delete(v);
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

/* Adds item to o under key; on failure frees item and returns 0. */
static int
add(cJSON *o, const char *key, cJSON *item)
{
	if (item == NULL)
		return 0;
	if (!cJSON_AddItemToObject(o, key, item)) {
		cJSON_Delete(item);
		return 0;
	}
	return 1;
}

static cJSON *
integer(uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%" PRIu64, v);
	return cJSON_CreateRaw(buf);
}

/* A 64-bit state as 16 hex digits in a string: JSON numbers are doubles. */
static cJSON *
hex(uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%016" PRIx64, v);
	return cJSON_CreateString(buf);
}

static cJSON *
validation_object(const struct train_info *in)
{
	cJSON *v = cJSON_CreateObject();

	if (v == NULL ||
	    !add(v, "rows", integer(in->val_rows)) ||
	    (in->val_file != NULL ? !add(v, "file", cJSON_CreateString(in->val_file)) :
	    !add(v, "holdout", exact_number(in->holdout))) ||
	    (in->have_split && !add(v, "split", hex(in->split))) ||
	    !add(v, "loss", exact_number(in->val_loss)) ||
	    !add(v, "accuracy", exact_number(in->val_accuracy))) {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

static cJSON *
early_stopping_object(const struct train_info *in)
{
	cJSON *v = cJSON_CreateObject();

	if (v == NULL ||
	    !add(v, "patience", integer(in->patience)) ||
	    !add(v, "tol", exact_number(in->tol)) ||
	    !add(v, "best_epoch", integer(in->best_epoch)) ||
	    !add(v, "last_epoch", integer(in->last_epoch)) ||
	    !add(v, "stopped", cJSON_CreateBool(in->stopped))) {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

/* With several workers: how many, how often they averaged, and their streams (worker 0's is "rng"). */
static int
add_workers(cJSON *t, const struct train_info *in)
{
	cJSON *a;
	uint64_t k;

	if (!add(t, "workers", integer(in->workers)) ||
	    !add(t, "sync_every", in->sync_every > 0 ? integer(in->sync_every) : cJSON_CreateString("epoch")) ||
	    (a = cJSON_CreateArray()) == NULL)
		return 0;
	if (!cJSON_AddItemToObject(t, "worker_rng", a)) {
		cJSON_Delete(a);
		return 0;
	}
	for (k = 0; k + 1 < in->workers; k++)
		if (!cJSON_AddItemToArray(a, hex(in->worker_rng[k])))
			return 0;
	return 1;
}

static cJSON *
training_object(const struct model *m)
{
	const struct train_info *in = &m->info;
	cJSON *t = cJSON_CreateObject();

	if (t == NULL ||
	    !add(t, "rows", integer(in->rows)) ||
	    !add(t, "epochs", integer(in->epochs)) ||
	    !add(t, "updates", integer(in->updates)) ||
	    !add(t, "rate", exact_number(in->sched.rate)) ||
	    !add(t, "decay", cJSON_CreateString(schedule_name(in->sched.kind))) ||
	    (in->sched.kind == DECAY_INVERSE && !add(t, "decay_k", exact_number(in->sched.k))) ||
	    (in->sched.kind == DECAY_STEP && (!add(t, "decay_every", integer(in->sched.every)) ||
	    !add(t, "decay_factor", exact_number(in->sched.factor)))) ||
	    (in->have_seed && !add(t, "seed", integer(in->seed))) ||
	    (in->have_rng && !add(t, "rng", hex(in->rng))) ||
	    !add(t, "shuffle", cJSON_CreateBool(in->shuffle)) ||
	    (in->workers > 1 && !add_workers(t, in)) ||
	    !add(t, "init", cJSON_CreateString(in->from_model ? "model" : "glorot-uniform")) ||
	    !add(t, "loss", exact_number(in->loss)) ||
	    !add(t, "accuracy", exact_number(in->accuracy)) ||
	    (in->weight_column != NULL && !add(t, "weight_column", cJSON_CreateString(in->weight_column))) ||
	    (in->balanced && !add(t, "class_weight", number_array(in->class_weight, model_classes(m)))) ||
	    (in->soft && !add(t, "soft_targets", cJSON_CreateBool(1))) ||
	    (in->filled > 0 && !add(t, "imputed_values", integer(in->filled))) ||
	    (in->dropped > 0 && !add(t, "dropped_rows", integer(in->dropped))) ||
	    (in->have_val && !add(t, "validation", validation_object(in))) ||
	    (in->patience > 0 && !add(t, "early_stopping", early_stopping_object(in)))) {
		cJSON_Delete(t);
		return NULL;
	}
	return t;
}

/* "columns": every feature column's name, kind, and categories or fill value. */
static cJSON *
columns_array(const struct encoding *e)
{
	cJSON *a = cJSON_CreateArray(), *c;
	const struct fcol *f;
	size_t k;
	int ok = a != NULL;

	for (k = 0; ok && k < e->ncols; k++) {
		f = &e->col[k];
		ok = (c = cJSON_CreateObject()) != NULL && cJSON_AddItemToArray(a, c);
		if (!ok) {
			cJSON_Delete(c);
			break;
		}
		ok = (f->name == NULL || add(c, "name", cJSON_CreateString(f->name))) &&
		    add(c, "kind", cJSON_CreateString(f->ncat > 0 ? "categorical" : "numeric")) &&
		    (f->ncat == 0 || add(c, "categories", string_array(f->cat, f->ncat))) &&
		    (!f->fill || add(c, "impute", exact_number(f->value)));
	}
	if (!ok) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

/* Version 1 unless an old reader would misread the model: K > 2 classes, or encoded columns. */
static int
version_of(const struct model *m)
{
	return m->nclasses > 2 || (m->enc != NULL && !encoding_plain(m->enc)) ? 2 : 1;
}

static cJSON *
model_to_cjson(const struct model *m)
{
	cJSON *o = cJSON_CreateObject(), *ws, *mat, *row, *sd;
	size_t i, ncol;
	int l, ok;

	if (o == NULL)
		return NULL;
	ok = add(o, "format", cJSON_CreateString(MODEL_FORMAT)) &&
	    add(o, "version", integer((uint64_t)version_of(m))) &&
	    add(o, "layers", cJSON_CreateArray());
	for (l = 0; ok && l <= m->L; l++)
		ok = cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(o, "layers"), integer(m->n[l]));
	if (ok && m->features != NULL)
		ok = add(o, "features", string_array(m->features, m->n[0]));
	if (ok && m->targets != NULL)
		ok = add(o, "targets", string_array(m->targets, model_target_columns(m)));
	if (ok && m->classes != NULL)
		ok = add(o, "classes", string_array(m->classes, m->nclasses));
	if (ok && m->enc != NULL && !encoding_plain(m->enc))
		ok = add(o, "columns", columns_array(m->enc));
	if (ok && m->enc != NULL && m->enc->impute != IMPUTE_NONE)
		ok = add(o, "impute", cJSON_CreateString(impute_name(m->enc->impute)));
	if (ok && m->mean != NULL) {
		ok = add(o, "standardize", sd = cJSON_CreateObject()) &&
		    add(sd, "mean", number_array(m->mean, m->n[0])) &&
		    add(sd, "std", number_array(m->std, m->n[0]));
	}
	if (ok && m->info.have)
		ok = add(o, "training", training_object(m));
	ok = ok && add(o, "weights", ws = cJSON_CreateArray());
	for (l = 1; ok && l <= m->L; l++) {
		ok = cJSON_AddItemToArray(ws, mat = cJSON_CreateArray());
		ncol = m->n[l - 1] + 1;
		for (i = 0; ok && i < m->n[l]; i++) {
			row = number_array(m->w[l] + i * ncol, ncol);
			ok = row != NULL && cJSON_AddItemToArray(mat, row);
			if (!ok)
				cJSON_Delete(row);
		}
	}
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int
model_write(FILE *f, const struct model *m)
{
	cJSON *o = model_to_cjson(m);
	char *text;
	size_t len;
	int st = 0;

	if (o == NULL)
		return ST_NOMEM;
	text = cJSON_Print(o);
	cJSON_Delete(o);
	if (text == NULL)
		return ST_NOMEM;
	len = strlen(text);
	if (fwrite(text, 1, len, f) != len || putc('\n', f) == EOF)
		st = ST_IO;
	cJSON_free(text);
	return st;
}

/* ---- reading ---- */

/* The reading state: the file name for messages and the error buffer. */
struct rd {
	const char *name;
	char *err;
	size_t errlen;
};

static int
bad(struct rd *r, const char *fmt, const char *path, const char *what)
{
	char msg[ERRLEN - 16];	/* (room for the name before it) */

	snprintf(msg, sizeof msg, fmt, path, what);
	snprintf(r->err, r->errlen, "%s: %s", r->name, msg);
	return ST_DATA;
}

/* A finite number at `path`, or an error. */
static int
get_number(struct rd *r, const cJSON *v, const char *path, double *out)
{
	if (!cJSON_IsNumber(v))
		return bad(r, "%s is %s, expected a number", path, cJSON_IsNull(v) ? "null" : "not a number");
	if (!isfinite(v->valuedouble))
		return bad(r, "%s is %s, expected a finite number", path, "out of range");
	*out = v->valuedouble;
	return 0;
}

/* An array of exactly n finite numbers at `path`. */
static int
get_numbers(struct rd *r, const cJSON *a, const char *path, size_t n, double *out)
{
	char sub[ERRLEN / 2], count[64];
	const cJSON *v;
	size_t i = 0;
	int st;

	if (!cJSON_IsArray(a))
		return bad(r, "%s is %s, expected an array of numbers", path, a ? "not an array" : "missing");
	if ((size_t)cJSON_GetArraySize(a) != n) {
		snprintf(count, sizeof count, "%d entries, expected %zu", cJSON_GetArraySize(a), n);
		return bad(r, "%s has %s", path, count);
	}
	cJSON_ArrayForEach(v, a) {
		snprintf(sub, sizeof sub, "%s[%zu]", path, i);
		if ((st = get_number(r, v, sub, &out[i])) != 0)
			return st;
		i++;
	}
	return 0;
}

/* An optional array of exactly n strings at `path`; *out stays NULL when absent. */
static int
get_names(struct rd *r, const cJSON *a, const char *path, size_t n, char ***out)
{
	char sub[ERRLEN / 2], count[64];
	const cJSON *v;
	size_t i = 0;

	if (a == NULL)
		return 0;
	if (!cJSON_IsArray(a))
		return bad(r, "%s is %s, expected an array of strings", path, "not an array");
	if ((size_t)cJSON_GetArraySize(a) != n) {
		snprintf(count, sizeof count, "%d entries, expected %zu", cJSON_GetArraySize(a), n);
		return bad(r, "%s has %s", path, count);
	}
	if ((*out = calloc(n, sizeof **out)) == NULL)
		goto nomem;
	cJSON_ArrayForEach(v, a) {
		if (!cJSON_IsString(v)) {
			snprintf(sub, sizeof sub, "%s[%zu]", path, i);
			return bad(r, "%s is %s, expected a string", sub, "not a string");
		}
		if (((*out)[i++] = strdup(v->valuestring)) == NULL)
			goto nomem;
	}
	return 0;
nomem:
	snprintf(r->err, r->errlen, "%s: out of memory", r->name);
	return ST_NOMEM;
}

/* "layers": at least two whole numbers in 1..MODEL_MAX_UNITS, with a sane weight count. */
/*
 * "classes": absent, or the K distinct labels of the one target column: two
 * for a model of one output, K > 2 for a model of K outputs.
 */
static int
get_classes(struct rd *r, const cJSON *a, struct model *m)
{
	size_t nl = m->n[m->L], k, j;
	char what[96], path[64];
	int n, st;

	if (a == NULL)
		return 0;
	if (!cJSON_IsArray(a))
		return bad(r, "%s is %s, expected an array of class labels", "classes", "not an array");
	n = cJSON_GetArraySize(a);
	if (n < 2 || n > TARGET_MAX_CLASSES) {
		snprintf(what, sizeof what, "%d entries, expected 2 to %d", n, TARGET_MAX_CLASSES);
		return bad(r, "%s has %s", "classes", what);
	}
	if (n == 2 ? nl != 1 : nl != (size_t)n) {
		snprintf(what, sizeof what, "%d labels for a model of %zu output%s", n, nl, nl == 1 ? "" : "s");
		return bad(r, "%s has %s, expected one output for two classes, K outputs for K > 2", "classes", what);
	}
	m->nclasses = (size_t)n;
	if ((st = get_names(r, a, "classes", m->nclasses, &m->classes)) != 0)
		return st;
	for (k = 0; k < m->nclasses; k++)
		for (j = k + 1; j < m->nclasses; j++)
			if (target_label_cmp(m->classes[k], m->classes[j]) == 0) {
				snprintf(path, sizeof path, "classes[%zu] and classes[%zu]", k, j);
				return bad(r, "%s are %s, expected different labels", path, "the same label");
			}
	return 0;
}

/* One entry of "columns" (at path): a numeric column, with its fill value, or a categorical one. */
static int
get_column(struct rd *r, const cJSON *o, const char *path, int named, struct fcol *c)
{
	char sub[ERRLEN / 2];
	const cJSON *v;
	size_t k;
	int n, st;

	if (!cJSON_IsObject(o))
		return bad(r, "%s is %s, expected an object", path, "not an object");
	v = cJSON_GetObjectItemCaseSensitive(o, "name");
	snprintf(sub, sizeof sub, "%s.name", path);
	if (v != NULL && !cJSON_IsString(v))
		return bad(r, "%s is %s, expected a string", sub, "not a string");
	if (named && v == NULL)
		return bad(r, "%s is %s, expected the column's name (the model has feature names)", sub, "missing");
	if (v != NULL && (c->name = strdup(v->valuestring)) == NULL)
		goto nomem;
	v = cJSON_GetObjectItemCaseSensitive(o, "kind");
	snprintf(sub, sizeof sub, "%s.kind", path);
	if (!cJSON_IsString(v) || (strcmp(v->valuestring, "numeric") != 0 && strcmp(v->valuestring, "categorical") != 0))
		return bad(r, "%s is %s, expected \"numeric\" or \"categorical\"", sub, v ? "something else" : "missing");
	if (strcmp(v->valuestring, "numeric") == 0) {
		if ((v = cJSON_GetObjectItemCaseSensitive(o, "impute")) == NULL)
			return 0;
		snprintf(sub, sizeof sub, "%s.impute", path);
		c->fill = 1;
		return get_number(r, v, sub, &c->value);
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "categories");
	snprintf(sub, sizeof sub, "%s.categories", path);
	if (!cJSON_IsArray(v) || (n = cJSON_GetArraySize(v)) < 1 || n > MODEL_MAX_UNITS)
		return bad(r, "%s is %s, expected an array of 1 or more category names", sub,
		    v == NULL ? "missing" : cJSON_IsArray(v) ? "empty or too long" : "not an array");
	c->ncat = (size_t)n;
	if ((st = get_names(r, v, sub, c->ncat, &c->cat)) != 0)
		return st;
	for (k = 1; k < c->ncat; k++)
		if (strcmp(c->cat[k - 1], c->cat[k]) >= 0) {
			snprintf(sub, sizeof sub, "%s.categories[%zu]", path, k);
			return bad(r, "%s is %s, expected the categories in byte order, each once", sub, "out of order");
		}
	return 0;
nomem:
	snprintf(r->err, r->errlen, "%s: out of memory", r->name);
	return ST_NOMEM;
}

/*
 * "columns": absent, or every feature column in order, whose inputs add up
 * to N_0; the input names they give must be the "features" when there are.
 */
static int
get_columns(struct rd *r, const cJSON *root, struct model *m)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "columns");
	char path[64], what[96];
	const cJSON *v;
	char *name;
	size_t i = 0, k;
	int st, n;

	if (a == NULL)
		return 0;
	if (!cJSON_IsArray(a) || (n = cJSON_GetArraySize(a)) < 1)
		return bad(r, "%s is %s, expected an array of feature columns", "columns", a ? "not one" : "missing");
	if ((m->enc = encoding_new((size_t)n)) == NULL) {
		snprintf(r->err, r->errlen, "%s: out of memory", r->name);
		return ST_NOMEM;
	}
	cJSON_ArrayForEach(v, a) {
		snprintf(path, sizeof path, "columns[%zu]", i);
		if ((st = get_column(r, v, path, m->features != NULL, &m->enc->col[i])) != 0)
			return st;
		i++;
	}
	encoding_layout(m->enc);
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "impute")) != NULL) {
		if (!cJSON_IsString(v) || (st = impute_kind(v->valuestring)) <= 0)
			return bad(r, "%s is %s, expected \"mean\" or \"median\"", "impute", "something else");
		m->enc->impute = (enum impute)st;
	}
	if (m->enc->ninputs != m->n[0]) {
		snprintf(what, sizeof what, "%zu inputs, expected %zu (layers[0])", m->enc->ninputs, m->n[0]);
		return bad(r, "%s give %s", "columns", what);
	}
	for (k = 0; m->features != NULL && k < m->n[0]; k++) {
		if ((name = encoding_input_name(m->enc, k)) == NULL) {
			snprintf(r->err, r->errlen, "%s: out of memory", r->name);
			return ST_NOMEM;
		}
		st = strcmp(name, m->features[k]) != 0;
		free(name);
		if (st) {
			snprintf(path, sizeof path, "features[%zu]", k);
			return bad(r, "%s is %s, expected the name its column in \"columns\" gives", path, "another name");
		}
	}
	return 0;
}

static int
get_layers(struct rd *r, const cJSON *a, size_t **n, int *count)
{
	char sub[64], why[256];
	const cJSON *v;
	int i = 0;

	if (!cJSON_IsArray(a))
		return bad(r, "%s is %s, expected an array of layer sizes", "layers", a ? "not an array" : "missing");
	*count = cJSON_GetArraySize(a);
	if (*count < 2 || *count > MODEL_MAX_LAYERS + 1) {
		snprintf(sub, sizeof sub, "%d entries, expected 2 to %d", *count, MODEL_MAX_LAYERS + 1);
		return bad(r, "%s has %s", "layers", sub);
	}
	if ((*n = calloc((size_t)*count, sizeof **n)) == NULL) {
		snprintf(r->err, r->errlen, "%s: out of memory", r->name);
		return ST_NOMEM;
	}
	cJSON_ArrayForEach(v, a) {
		snprintf(sub, sizeof sub, "layers[%d]", i);
		if (!cJSON_IsNumber(v) || !(v->valuedouble >= 1 && v->valuedouble <= MODEL_MAX_UNITS) ||
		    v->valuedouble != floor(v->valuedouble)) {
			snprintf(why, sizeof why, "a whole number from 1 to %d", MODEL_MAX_UNITS);
			return bad(r, "%s is not %s", sub, why);
		}
		(*n)[i++] = (size_t)v->valuedouble;
	}
	if (model_check_sizes(*n, *count, why, sizeof why) != 0)
		return bad(r, "%s %s", "layers", why);
	return 0;
}

/*
 * The shape of the weight matrices, weights[l-1] being (N_l, N_{l-1}+1),
 * checked before the model is allocated: a few bytes of "layers" must not
 * make the program allocate gigabytes that the file does not hold.
 */
static int
check_weights(struct rd *r, const cJSON *a, const size_t *n, int L)
{
	char path[64], count[96];
	const cJSON *mat, *row;
	size_t i;
	int l = 1;

	if (!cJSON_IsArray(a))
		return bad(r, "%s is %s, expected an array of weight matrices", "weights", a ? "not an array" : "missing");
	if (cJSON_GetArraySize(a) != L) {
		snprintf(count, sizeof count, "%d matrices, expected %d (one per layer after the input)",
		    cJSON_GetArraySize(a), L);
		return bad(r, "%s has %s", "weights", count);
	}
	cJSON_ArrayForEach(mat, a) {
		snprintf(path, sizeof path, "weights[%d]", l - 1);
		if (!cJSON_IsArray(mat))
			return bad(r, "%s is %s, expected a matrix (an array of rows)", path, "not an array");
		if ((size_t)cJSON_GetArraySize(mat) != n[l]) {
			snprintf(count, sizeof count, "%d rows, expected %zu (layers[%d])", cJSON_GetArraySize(mat), n[l], l);
			return bad(r, "%s has %s", path, count);
		}
		i = 0;
		cJSON_ArrayForEach(row, mat) {
			snprintf(path, sizeof path, "weights[%d][%zu]", l - 1, i);
			if (!cJSON_IsArray(row))
				return bad(r, "%s is %s, expected an array of numbers", path, "not an array");
			if ((size_t)cJSON_GetArraySize(row) != n[l - 1] + 1) {
				snprintf(count, sizeof count, "%d entries, expected %zu", cJSON_GetArraySize(row), n[l - 1] + 1);
				return bad(r, "%s has %s", path, count);
			}
			i++;
		}
		l++;
	}
	return 0;
}

/* The numbers of the weight matrices into m. */
static int
get_weight_values(struct rd *r, const cJSON *a, struct model *m)
{
	const cJSON *mat, *row;
	char path[64];
	size_t i;
	int l = 1, st;

	cJSON_ArrayForEach(mat, a) {
		i = 0;
		cJSON_ArrayForEach(row, mat) {
			snprintf(path, sizeof path, "weights[%d][%zu]", l - 1, i);
			st = get_numbers(r, row, path, m->n[l - 1] + 1, m->w[l] + i * (m->n[l - 1] + 1));
			if (st != 0)
				return st;
			i++;
		}
		l++;
	}
	return 0;
}

/*
 * The weights themselves, into m, once check_weights has passed; a unit
 * whose weighted sum overflows for inputs in [-1, 1] is refused
 * (model_overflows): no row could be scored by it reliably.
 */
static int
get_weights(struct rd *r, const cJSON *a, struct model *m)
{
	char path[64];
	size_t i;
	int l = 1, st;

	st = get_weight_values(r, a, m);
	if (st == 0 && model_overflows(m, &l, &i)) {
		snprintf(path, sizeof path, "weights[%d][%zu]", l - 1, i);
		st = bad(r, "%s: %s; expected weights whose magnitudes add up to at most 1.7976931348623157e308",
		    path, "the weighted sum overflows (to infinity or not a number) even for inputs in [-1, 1]");
	}
	return st;
}

static int
get_standardize(struct rd *r, const cJSON *o, struct model *m)
{
	double *mean, *std;
	size_t j;
	int st;

	if (o == NULL)
		return 0;
	if (!cJSON_IsObject(o))
		return bad(r, "%s is %s, expected an object with \"mean\" and \"std\"", "standardize", "not an object");
	mean = calloc(m->n[0], sizeof *mean);
	std = calloc(m->n[0], sizeof *std);
	if (mean == NULL || std == NULL) {
		free(mean);
		free(std);
		snprintf(r->err, r->errlen, "%s: out of memory", r->name);
		return ST_NOMEM;
	}
	st = get_numbers(r, cJSON_GetObjectItemCaseSensitive(o, "mean"), "standardize.mean", m->n[0], mean);
	if (st == 0)
		st = get_numbers(r, cJSON_GetObjectItemCaseSensitive(o, "std"), "standardize.std", m->n[0], std);
	/* below the smallest normal number, (x - mean) / std overflows for x a few units from the mean */
	for (j = 0; st == 0 && j < m->n[0]; j++)
		if (!(std[j] >= DBL_MIN)) {
			char path[64];

			snprintf(path, sizeof path, "standardize.std[%zu]", j);
			st = bad(r, "%s is %s, expected a positive number of at least 2.2250738585072014e-308 (the smallest "
			    "normal double; dividing by less overflows)", path, std[j] > 0 ? "too small" : "not positive");
		}
	m->mean = mean;
	m->std = std;
	if (st != 0) {
		free(mean);
		free(std);
		m->mean = m->std = NULL;
	}
	return st;
}

/*
 * An optional whole number in 0..max under key of o (o being at path where);
 * *out is left alone when absent.
 */
static int
get_count(struct rd *r, const cJSON *o, const char *where, const char *key, double max, uint64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char path[64], why[64];

	if (v == NULL)
		return 0;
	snprintf(path, sizeof path, "%s.%s", where, key);
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= max) ||
	    v->valuedouble != floor(v->valuedouble)) {
		snprintf(why, sizeof why, "a whole number from 0 to %.0f", max);
		return bad(r, "%s is not %s", path, why);
	}
	*out = (uint64_t)v->valuedouble;
	return 0;
}

/* An optional number in [lo, hi] (lo excluded when open) under key of o. */
static int
get_in(struct rd *r, const cJSON *o, const char *where, const char *key, double lo, int open, double hi, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char path[64], why[96];

	if (v == NULL)
		return 0;
	snprintf(path, sizeof path, "%s.%s", where, key);
	if (!cJSON_IsNumber(v) || !(open ? v->valuedouble > lo : v->valuedouble >= lo) || !(v->valuedouble <= hi)) {
		if (isinf(hi))
			snprintf(why, sizeof why, "a finite number %s %g", open ? "above" : ">=", lo);
		else
			snprintf(why, sizeof why, "a number %s %g %s %g", open ? "above" : "from", lo,
			    open ? "and at most" : "to", hi);
		return bad(r, "%s is not %s", path, why);
	}
	*out = v->valuedouble;
	return 0;
}

/* The 64 bits of v, a string of 16 lower-case hex digits; -1 when it is not one. */
static int
parse_hex(const cJSON *v, uint64_t *out)
{
	size_t i;
	int d;
	char c;

	if (!cJSON_IsString(v) || strlen(v->valuestring) != 16)
		return -1;
	*out = 0;
	for (i = 0; i < 16; i++) {
		c = v->valuestring[i];
		d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return -1;
		*out = *out << 4 | (uint64_t)d;
	}
	return 0;
}

/* An optional 64-bit state written by hex() under key of o; *have says whether it was there. */
static int
get_hex(struct rd *r, const cJSON *o, const char *where, const char *key, uint64_t *out, int *have)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char path[64];

	if (v == NULL)
		return 0;
	snprintf(path, sizeof path, "%s.%s", where, key);
	if (parse_hex(v, out) != 0)
		return bad(r, "%s is %s, expected 16 hex digits in a string", path, "something else");
	*have = 1;
	return 0;
}

/* "workers", "sync_every" and "worker_rng": the run of several workers the model continues. */
static int
get_workers(struct rd *r, const cJSON *t, struct train_info *in)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "sync_every"), *a, *e;
	char path[64], want[160];
	uint64_t k = 0;
	int st;

	in->workers = 1;
	if ((st = get_count(r, t, "training", "workers", MODEL_MAX_WORKERS, &in->workers)) != 0)
		return st;
	if (in->workers == 0)
		return bad(r, "%s is %s, expected a whole number from 1", "training.workers", "0");
	if (v != NULL && !(cJSON_IsString(v) && strcmp(v->valuestring, "epoch") == 0) &&
	    (!cJSON_IsNumber(v) || !(v->valuedouble >= 1 && v->valuedouble <= 9007199254740992.0) ||
	    v->valuedouble != floor(v->valuedouble)))
		return bad(r, "%s is %s, expected a whole number from 1, or \"epoch\"", "training.sync_every",
		    "something else");
	in->sync_every = v != NULL && cJSON_IsNumber(v) ? (uint64_t)v->valuedouble : 0;
	if ((a = cJSON_GetObjectItemCaseSensitive(t, "worker_rng")) == NULL)
		return 0;
	if (!cJSON_IsArray(a) || (uint64_t)cJSON_GetArraySize(a) != in->workers - 1) {
		snprintf(want, sizeof want, "an array of %" PRIu64 " strings, one for each worker after the first",
		    in->workers - 1);
		snprintf(r->err, r->errlen, "%s: training.worker_rng is %s, expected %s", r->name,
		    cJSON_IsArray(a) ? "of another length" : "not an array", want);
		return ST_DATA;
	}
	if ((in->worker_rng = calloc((size_t)in->workers, sizeof *in->worker_rng)) == NULL) {
		snprintf(r->err, r->errlen, "%s: out of memory", r->name);
		return ST_NOMEM;
	}
	cJSON_ArrayForEach(e, a) {
		snprintf(path, sizeof path, "training.worker_rng[%" PRIu64 "]", k);
		if (parse_hex(e, &in->worker_rng[k++]) != 0)
			return bad(r, "%s is %s, expected 16 hex digits in a string", path, "something else");
	}
	return 0;
}

/*
 * "training": absent, or an object; the reader keeps what a resumed run
 * continues from (train_info in model.h), checked, and skips the rest.
 */
static int
get_training(struct rd *r, const cJSON *t, struct model *m)
{
	struct train_info *in = &m->info;
	const cJSON *v, *val;
	double seed = -1, max = 9007199254740992.0;	/* 2^53: every whole number below is exact */
	int kind, st;

	if (t == NULL)
		return 0;
	if (!cJSON_IsObject(t))
		return bad(r, "%s is %s, expected an object", "training", "not an object");
	in->shuffle = 1;
	in->sched.every = 1;
	in->sched.factor = 1;
	if ((st = get_count(r, t, "training", "epochs", max, &in->epochs)) != 0 ||
	    (st = get_count(r, t, "training", "updates", max, &in->updates)) != 0 ||
	    (st = get_in(r, t, "training", "rate", 0, 1, HUGE_VAL, &in->sched.rate)) != 0 ||
	    (st = get_in(r, t, "training", "decay_k", 0, 0, HUGE_VAL, &in->sched.k)) != 0 ||
	    (st = get_count(r, t, "training", "decay_every", max, &in->sched.every)) != 0 ||
	    (st = get_in(r, t, "training", "decay_factor", 0, 1, 1, &in->sched.factor)) != 0 ||
	    (st = get_in(r, t, "training", "seed", 0, 0, HUGE_VAL, &seed)) != 0 ||
	    (st = get_hex(r, t, "training", "rng", &in->rng, &in->have_rng)) != 0 ||
	    (st = get_workers(r, t, in)) != 0)
		return st;
	if (in->sched.every == 0)
		return bad(r, "%s is %s, expected a whole number from 1", "training.decay_every", "0");
	in->have_seed = seed >= 0 && seed < max && seed == floor(seed);
	in->seed = in->have_seed ? (uint64_t)seed : 0;
	if ((v = cJSON_GetObjectItemCaseSensitive(t, "decay")) != NULL) {
		if (!cJSON_IsString(v) || (kind = schedule_kind(v->valuestring)) < 0)
			return bad(r, "%s is %s, expected \"none\", \"inverse\" or \"step\"", "training.decay",
			    "something else");
		in->sched.kind = (enum decay)kind;
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(t, "shuffle")) != NULL) {
		if (!cJSON_IsBool(v))
			return bad(r, "%s is %s, expected true or false", "training.shuffle", "not a boolean");
		in->shuffle = cJSON_IsTrue(v);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(t, "soft_targets")) != NULL) {
		if (!cJSON_IsBool(v))
			return bad(r, "%s is %s, expected true or false", "training.soft_targets", "not a boolean");
		in->soft = cJSON_IsTrue(v);
	}
	if ((val = cJSON_GetObjectItemCaseSensitive(t, "validation")) != NULL && cJSON_IsObject(val)) {
		if ((st = get_hex(r, val, "training.validation", "split", &in->split, &in->have_split)) != 0 ||
		    (st = get_in(r, val, "training.validation", "holdout", 0, 0, 1, &in->holdout)) != 0)
			return st;
	}
	in->have = 1;
	return 0;
}

/* Whether text[0..len-1] stops inside a string, an object or an array. */
static int
truncated(const char *text, size_t len)
{
	size_t i;
	long depth = 0;
	int in_string = 0;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (text[i] == '\\')
				i++;
			else if (text[i] == '"')
				in_string = 0;
		} else if (text[i] == '"')
			in_string = 1;
		else if (text[i] == '{' || text[i] == '[')
			depth++;
		else if (text[i] == '}' || text[i] == ']')
			depth--;
	}
	return in_string || depth > 0 || len == 0;
}

static int
structural(char c)
{
	return c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':' || c == '"' ||
	    c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * cJSON reports a bare word where an object key belongs (`{ x: 1}`) one
 * character past its start; moves p back to the word when that is the case.
 */
static const char *
key_error_start(const char *text, const char *p)
{
	const char *w = p, *q;
	char open = 0;
	size_t i;
	int in_string = 0;
	char stack[64];
	size_t depth = 0;

	while (w > text && !structural(w[-1]))
		w--;
	if (w == p)
		return p;
	for (q = w; q > text && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\n' || q[-1] == '\r'); q--)
		;
	if (q == text || (q[-1] != '{' && q[-1] != ','))
		return p;
	/* the innermost open bracket before the word must be a brace */
	for (i = 0; text + i < w; i++) {
		char c = text[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"')
			in_string = 1;
		else if (c == '{' || c == '[') {
			if (depth < sizeof stack)
				stack[depth] = c;
			depth++;
		} else if ((c == '}' || c == ']') && depth > 0)
			depth--;
	}
	if (depth > 0 && depth <= sizeof stack)
		open = stack[depth - 1];
	return open == '{' ? w : p;
}

/* Line and column (from 1) of position p in text; lines end in LF, CRLF or CR. */
static void
locate(const char *text, const char *p, long *line, long *col)
{
	*line = 1;
	*col = 1;
	for (; text < p; text++) {
		if (*text == '\n' || (*text == '\r' && (text + 1 == p || text[1] != '\n'))) {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/*
 * The first NUL of valid JSON text[0..len-1]: a NUL byte, or a \u0000
 * escape in a string (cJSON keeps it, and the C string ends there); NULL
 * when there is none.
 */
static const char *
find_nul(const char *text, size_t len)
{
	size_t i;
	int in_string = 0;

	for (i = 0; i < len; i++) {
		if (text[i] == '\0')
			return text + i;
		if (!in_string)
			in_string = text[i] == '"';
		else if (text[i] == '"')
			in_string = 0;
		else if (text[i] == '\\' && i + 1 < len) {
			if (text[i + 1] == 'u' && len - i >= 6 && memcmp(text + i + 2, "0000", 4) == 0)
				return text + i;
			i++;
		}
	}
	return NULL;
}

/* One member of an object: its key and its place. */
struct member {
	const char *key;
	size_t index;
};

static int
by_key(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

/*
 * The first member of object o (in the order of the text) whose key an
 * earlier member has, or NULL; *nomem set when out of memory.
 */
static const cJSON *
repeated_key(const cJSON *o, int *nomem)
{
	const cJSON *v;
	struct member *mb;
	size_t n = (size_t)cJSON_GetArraySize(o), k, first = SIZE_MAX;

	if (n < 2)
		return NULL;
	if ((mb = malloc(n * sizeof *mb)) == NULL) {
		*nomem = 1;
		return NULL;
	}
	n = 0;
	cJSON_ArrayForEach(v, o) {
		mb[n].key = v->string != NULL ? v->string : "";
		mb[n].index = n;
		n++;
	}
	qsort(mb, n, sizeof *mb, by_key);	/* equal keys together, in text order */
	for (k = 1; k < n; k++)
		if (strcmp(mb[k].key, mb[k - 1].key) == 0 && mb[k].index < first &&
		    (k < 2 || strcmp(mb[k].key, mb[k - 2].key) != 0))
			first = mb[k].index;	/* the second of its key */
	free(mb);
	if (first == SIZE_MAX)
		return NULL;
	for (v = o->child; first > 0; first--)
		v = v->next;
	return v;
}

/*
 * Refuses the first key that appears twice in an object, anywhere in the
 * tree under v (whose JSON path, path[0..used-1], is in a buffer of pathlen
 * bytes), with its path.
 */
static int
unique_keys(struct rd *r, const cJSON *v, char *path, size_t pathlen, size_t used)
{
	char show[CSV_SHOW_LEN];
	const cJSON *c;
	size_t i = 0, n;
	int nomem = 0, st;

	if (cJSON_IsObject(v) && (c = repeated_key(v, &nomem)) != NULL) {
		snprintf(path + used, pathlen - used, "%s%s", used > 0 ? "." : "",
		    csv_show(show, sizeof show, c->string, strlen(c->string)));
		return bad(r, "%s appears %s; a key may appear only once in an object (JSON readers disagree on "
		    "which one counts): remove one", path, "twice");
	}
	if (nomem) {
		snprintf(r->err, r->errlen, "%s: out of memory", r->name);
		return ST_NOMEM;
	}
	cJSON_ArrayForEach(c, v) {
		if (cJSON_IsArray(v))
			n = (size_t)snprintf(path + used, pathlen - used, "[%zu]", i++);
		else
			n = (size_t)snprintf(path + used, pathlen - used, "%s%s", used > 0 ? "." : "",
			    csv_show(show, sizeof show, c->string, strlen(c->string)));
		if (used + n >= pathlen)
			n = pathlen - 1 - used;
		if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && (st = unique_keys(r, c, path, pathlen, used + n)) != 0)
			return st;
		path[used] = '\0';
	}
	return 0;
}

int
model_parse(const char *text, size_t len, const char *name, struct model **out,
    char *err, size_t errlen)
{
	char terr[ERRLEN], path[ERRLEN / 2];
	struct rd r = { name, err, errlen }, tr = { name, terr, sizeof terr };
	const char *end = NULL;
	const cJSON *v;
	cJSON *root;
	struct model *m = NULL;
	size_t *n = NULL;
	long line, col;
	int count, st;

	if ((st = csv_not_text(text, len, name, err, errlen)) != 0)
		return st;
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root != NULL)
		while (end < text + len && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
			end++;
	if (root == NULL || end < text + len) {
		if (end == NULL || end > text + len)
			end = text + len;
		if (root == NULL)
			end = key_error_start(text, end);
		locate(text, end, &line, &col);
		snprintf(err, errlen, "%s:%ld:%ld: %s", name, line, col,
		    root != NULL ? "text after the end of the JSON value" :
		    truncated(text, len) ? "not valid JSON: unexpected end of file" : "not valid JSON");
		cJSON_Delete(root);
		return ST_DATA;
	}
	if ((end = find_nul(text, len)) != NULL) {
		locate(text, end, &line, &col);
		snprintf(err, errlen, "%s:%ld:%ld: a NUL character in a string; names and labels cannot hold one",
		    name, line, col);
		st = ST_DATA;
		goto done;
	}
	path[0] = '\0';
	if ((st = unique_keys(&r, root, path, sizeof path, 0)) != 0)
		goto done;
	if (!cJSON_IsObject(root)) {
		st = bad(&r, "%s is %s, expected an object", "the top level", "not an object");
		goto done;
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "format");
	if (!cJSON_IsString(v) || strcmp(v->valuestring, MODEL_FORMAT) != 0) {
		st = bad(&r, "%s is %s, expected \"" MODEL_FORMAT "\"", "format", v ? "something else" : "missing");
		goto done;
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (!cJSON_IsNumber(v) || (v->valuedouble != 1 && v->valuedouble != MODEL_VERSION)) {
		st = bad(&r, "%s is %s, expected 1 or 2 (this program reads versions 1 and 2)", "version",
		    v ? "another number" : "missing");
		goto done;
	}
	if ((st = get_layers(&r, cJSON_GetObjectItemCaseSensitive(root, "layers"), &n, &count)) != 0 ||
	    (st = check_weights(&r, cJSON_GetObjectItemCaseSensitive(root, "weights"), n, count - 1)) != 0)
		goto done;
	if ((m = model_new(n, count - 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		st = ST_NOMEM;
		goto done;
	}
	if ((st = get_weights(&r, cJSON_GetObjectItemCaseSensitive(root, "weights"), m)) != 0 ||
	    (st = get_standardize(&r, cJSON_GetObjectItemCaseSensitive(root, "standardize"), m)) != 0 ||
	    (st = get_names(&r, cJSON_GetObjectItemCaseSensitive(root, "features"), "features", m->n[0], &m->features)) != 0 ||
	    (st = get_classes(&r, cJSON_GetObjectItemCaseSensitive(root, "classes"), m)) != 0 ||
	    (st = get_names(&r, cJSON_GetObjectItemCaseSensitive(root, "targets"), "targets", model_target_columns(m),
	    &m->targets)) != 0 ||
	    (st = get_columns(&r, root, m)) != 0)
		goto done;
	if (get_training(&tr, cJSON_GetObjectItemCaseSensitive(root, "training"), m) != 0) {
		memset(&m->info, 0, sizeof m->info);
		if ((m->info.bad = strdup(terr)) == NULL) {
			snprintf(err, errlen, "%s: out of memory", name);
			st = ST_NOMEM;
		}
	}
done:
	cJSON_Delete(root);
	free(n);
	if (st != 0) {
		model_free(m);
		return st;
	}
	*out = m;
	return 0;
}

/*
 * Reading a stream of unknown size (a pipe, a device), where to stop early
 * because no model can follow: at a first non-blank byte that cannot start
 * a JSON value, or at a NUL byte, which no JSON text holds.  Looks at
 * text[*from..len) (*started: a non-blank byte was seen before); returns
 * the offset of that byte, or len.
 */
static size_t
dead_end(const char *text, size_t *from, size_t len, int *started)
{
	size_t i;

	for (i = *from; i < len; i++) {
		if (text[i] == '\0')
			return i;
		if (!*started && text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r') {
			if (strchr("{[\"-0123456789tfn", text[i]) == NULL)
				return i;
			*started = 1;
		}
	}
	*from = len;
	return len;
}

int
model_read(FILE *f, const char *name, struct model **out, char *err, size_t errlen)
{
	size_t len = 0, cap = 65536, got, checked = 0, stop = SIZE_MAX;
	char *text = NULL, *p;
	struct stat sb;
	long line, col;
	int st, sized = 0, started = 0;

	/* A regular file's size is known: refuse a huge one before reading it. */
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)) {
		if ((uintmax_t)sb.st_size >= MODEL_MAX_BYTES) {
			snprintf(err, errlen, "%s: %jd bytes, larger than the %zu a model may have", name,
			    (intmax_t)sb.st_size, MODEL_MAX_BYTES - 1);
			return ST_DATA;
		}
		cap = (size_t)sb.st_size + 1;
		sized = 1;
	}

	for (;;) {
		if ((p = realloc(text, cap)) == NULL) {
			free(text);
			snprintf(err, errlen, "%s: out of memory", name);
			return ST_NOMEM;
		}
		text = p;
		got = fread(text + len, 1, cap - len, f);
		len += got;
		if (!sized && (stop = dead_end(text, &checked, len, &started)) < len)
			break;
		if (len < cap)
			break;
		if (cap >= MODEL_MAX_BYTES) {
			free(text);
			snprintf(err, errlen, "%s: larger than the %zu bytes a model may have", name, MODEL_MAX_BYTES - 1);
			return ST_DATA;
		}
		cap = cap * 2 > MODEL_MAX_BYTES ? MODEL_MAX_BYTES : cap * 2;
	}
	if (stop < len && started) {	/* a NUL byte inside the text */
		locate(text, text + stop, &line, &col);
		snprintf(err, errlen, "%s:%ld:%ld: not valid JSON: a NUL byte", name, line, col);
		free(text);
		return ST_DATA;
	}
	if (stop < len)
		len = stop + 1;	/* no JSON starts with that byte: the parser says so, there */
	else if (ferror(f)) {
		free(text);
		snprintf(err, errlen, "%s: read error: %s", name, strerror(errno));
		return ST_IO;
	}
	st = model_parse(text, len, name, out, err, errlen);
	free(text);
	return st;
}

int
model_load(const char *path, struct model **out, char *err, size_t errlen)
{
	FILE *f;
	int st;

	if ((f = fopen(path, "rb")) == NULL) {
		st = errno == ENOMEM ? ST_NOMEM : ST_IO;
		snprintf(err, errlen, "%s: %s", path, st == ST_NOMEM ? "out of memory" : strerror(errno));
		return st;
	}
	st = model_read(f, path, out, err, errlen);
	fclose(f);
	return st;
}
