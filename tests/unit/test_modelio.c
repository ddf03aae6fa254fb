/*
 * The model file: written and read back bit for bit, probabilities equal to
 * the training code's, and every malformed model refused with its JSON path.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "data.h"
#include "kernels.h"
#include "modelio.h"
#include "status.h"
#include "train.h"

/* Writes m to memory and reads it back. */
static struct model *
round_trip(const struct model *m, char **text)
{
	struct model *back = NULL;
	char err[256];
	size_t len;
	FILE *f = open_memstream(text, &len);

	CHECK(model_write(f, m) == 0);
	fclose(f);
	CHECK_MSG(model_parse(*text, len, "m.json", &back, err, sizeof err) == 0, "%s", err);
	return back;
}

static int
parse(const char *text, char *err, size_t errlen)
{
	struct model *m = NULL;
	int st = model_parse(text, strlen(text), "m.json", &m, err, errlen);

	CHECK((st == 0) == (m != NULL));
	model_free(m);
	return st;
}

static void
bit_exact(void)
{
	size_t sizes[] = { 3, 4, 2 }, k;
	double mean[3] = { 0.1, -0.0, 1e-310 }, std[3] = { 1.0 / 3, 2, 7e300 };
	struct model *m = model_new(sizes, 2), *back;
	char *text = NULL;
	struct rng r;
	uint64_t bits;
	int same = 1;

	rng_seed(&r, 9);
	/* arbitrary bit patterns: every exponent, denormals, negative zero */
	for (k = 0; k < m->nweights; k++) {
		do {
			bits = rng_next(&r);
			memcpy(&m->w_mem[k], &bits, sizeof bits);
		} while (!isfinite(m->w_mem[k]));
	}
	m->w_mem[0] = -0.0;
	m->w_mem[1] = 4.9e-324;
	model_set_standardize(m, mean, std);
	back = round_trip(m, &text);
	CHECK(back != NULL);
	if (back == NULL)
		return;
	CHECK(back->L == 2 && back->n[0] == 3 && back->n[1] == 4 && back->n[2] == 2);
	CHECK(memcmp(back->w_mem, m->w_mem, m->nweights * sizeof *m->w_mem) == 0);
	CHECK(signbit(back->w_mem[0]) && back->w_mem[0] == 0);
	for (k = 0; k < 3; k++)
		same &= memcmp(&back->mean[k], &mean[k], sizeof mean[k]) == 0 && back->std[k] == std[k];
	CHECK(same);
	CHECK(back->features == NULL && back->targets == NULL);
	CHECK(strstr(text, "\"format\":\t\"mlptrain-model\"") != NULL);
	CHECK(strstr(text, "\"version\":\t1,") != NULL);
	CHECK(strstr(text, "\"layers\":\t[3, 4, 2]") != NULL);
	CHECK(strstr(text, "\"training\"") == NULL);
	free(text);
	model_free(back);
	model_free(m);
}

/* Train, save, load, predict: the same doubles the training code computes. */
static void
train_save_load_predict(void)
{
	static double rows[40 * 3];
	size_t sizes[] = { 2, 5, 1 }, k, same = 0;
	struct dataset d;
	struct train_opts o;
	struct train_state st;
	struct train_result res;
	struct model *m = model_new(sizes, 2), *back;
	struct work *ws = work_new(m), *ws2;
	double raw[2], x[2], want;
	char *text = NULL, err[256];
	struct rng r;

	memset(&d, 0, sizeof d);
	d.rows = 40;
	d.cols = 3;
	d.ntargets = 1;
	d.x_mem = rows;
	memset(&o, 0, sizeof o);
	o.epochs = 20;
	o.sched.rate = 0.3;
	o.shuffle = 1;

	rng_seed(&r, 5);
	for (k = 0; k < 40; k++) {
		rows[3 * k] = 10 * rng_uniform(&r);
		rows[3 * k + 1] = 100 + rng_uniform(&r);
		rows[3 * k + 2] = rows[3 * k] > 5;
	}
	model_init_glorot(m, &r);
	CHECK(train_prepare(m, &d, 1) == 0);
	memset(&st, 0, sizeof st);
	st.rng = r;
	CHECK(train(m, &d, &o, &st, &res, err, sizeof err) == 0);
	back = round_trip(m, &text);
	ws2 = work_new(back);
	/* the training code's probability on the prepared row, and the loaded model's on a fresh raw row */
	rng_seed(&r, 5);
	for (k = 0; k < 40; k++) {
		raw[0] = 10 * rng_uniform(&r);
		raw[1] = 100 + rng_uniform(&r);
		want = kernel_forward(m, ws, rows + 3 * k)[0];
		model_standardize(back, x, raw);
		same += model_forward(back, ws2, x)[0] == want;
	}
	CHECK_MSG(same == 40, "%zu of 40 probabilities identical", same);
	free(text);
	work_free(ws);
	work_free(ws2);
	model_free(back);
	model_free(m);
}

#define HEAD "{\"format\": \"mlptrain-model\", \"version\": 1, "

static void
refused(void)
{
	char err[256];

	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0.5, 2]]]}", err, sizeof err) == 0);
	CHECK(parse("", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json:1:1: not valid JSON: unexpected end of file");
	CHECK(parse("{\n  \"format\": \"mlptrain-model\",\n  \"version\": 1,\n  \"layers\": [1, 1]\n  \"weights\": []}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json:5:3: not valid JSON");
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0.5, 2]]]", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json:1:84: not valid JSON: unexpected end of file");
	CHECK(parse("{\"format\": \"mlptr", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json:1:13: not valid JSON: unexpected end of file");
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0.5, 2]]]} x", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json:1:87: text after the end of the JSON value");
	/* a bare word where a key belongs: its own column (cJSON says one further) */
	CHECK(parse("{ x: 1}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json:1:3: not valid JSON");
	CHECK(parse("{\"a\": [1, 2], \n  yy}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json:2:3: not valid JSON");
	/* but not a value in an array */
	CHECK(parse("[1, 2x]", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json:1:6: not valid JSON");
	CHECK(parse("{\"a\": x}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json:1:7: not valid JSON");
	CHECK(parse("[1, 2]", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: the top level is not an object, expected an object");
	CHECK(parse("{\"version\": 1}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: format is missing, expected \"mlptrain-model\"");
	CHECK(parse("{\"format\": \"mlptrain-model\", \"version\": 3}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: version is another number, expected 1 or 2 (this program reads versions 1 and 2)");
	CHECK(parse(HEAD "\"weights\": []}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: layers is missing, expected an array of layer sizes");
	CHECK(parse(HEAD "\"layers\": [2]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: layers has 1 entries, expected 2 to 1001");
	CHECK(parse(HEAD "\"layers\": [2, 0]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: layers[1] is not a whole number from 1 to 1000000");
	CHECK(parse(HEAD "\"layers\": [2, 1.5]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: layers[1] is not a whole number from 1 to 1000000");
	CHECK(parse(HEAD "\"layers\": [1000000, 1000000, 1]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: layers needs more than 2147483648 weights");
	CHECK(parse(HEAD "\"layers\": [1, 1]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: weights is missing, expected an array of weight matrices");
	CHECK(parse(HEAD "\"layers\": [1, 2, 1], \"weights\": [[[0, 1], [0, 1]]]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: weights has 1 matrices, expected 2 (one per layer after the input)");
	CHECK(parse(HEAD "\"layers\": [1, 2, 1], \"weights\": [[[0, 1]], [[0, 1, 2]]]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: weights[0] has 1 rows, expected 2 (layers[1])");
	CHECK(parse(HEAD "\"layers\": [1, 2, 1], \"weights\": [[[0, 1], [0, 1]], [[0, 1]]]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: weights[1][0] has 2 entries, expected 3");
	CHECK(parse(HEAD "\"layers\": [1, 2, 1], \"weights\": [[[0, 1], [0, \"1\"]], [[0, 1, 2]]]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: weights[0][1][1] is not a number, expected a number");
	/* the shape first, as check_weights reads it: a row one entry short before a non-number in it or before it */
	CHECK(parse(HEAD "\"layers\": [1, 2, 1], \"weights\": [[[0, 1], [\"x\"]], [[0, 1, 2]]]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: weights[0][1] has 1 entries, expected 2");
	CHECK(parse(HEAD "\"layers\": [1, 2, 1], \"weights\": [[[0, \"x\"], [0, 1]], [[0, 1]]]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: weights[1][0] has 2 entries, expected 3");
	CHECK(parse(HEAD "\"layers\": [1, 2, 1], \"weights\": [[[null, 1], [0, 1]], [[0, 1, 2]]], "
	    "\"standardize\": {\"mean\": [0, 1], \"std\": [1]}}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: weights[0][0][0] is null, expected a number");
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[1e999, 1]]]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: weights[0][0][0] is out of range, expected a finite number");
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[null, 1]]]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: weights[0][0][0] is null, expected a number");
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"standardize\": {\"mean\": [0]}}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: standardize.std is missing, expected an array of numbers");
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"standardize\": {\"mean\": [0], \"std\": [0]}}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: standardize.std[0] is not positive, expected a positive number of at least "
	    "2.2250738585072014e-308 (the smallest normal double; dividing by less overflows)");
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"standardize\": {\"mean\": [0], \"std\": [1e-308]}}", err, sizeof err) == ST_DATA);
	CHECK(strstr(err, "m.json: standardize.std[0] is too small, expected") == err);
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"standardize\": {\"mean\": [0], \"std\": [2.2250738585072014e-308]}}", err, sizeof err) == 0);
	/* a unit whose weighted sum overflows for inputs in [-1, 1] */
	CHECK(parse(HEAD "\"layers\": [2, 1], \"weights\": [[[0, 1e308, -1e308]]]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: weights[0][0]: the weighted sum overflows (to infinity or not a number) even for inputs "
	    "in [-1, 1]; expected weights whose magnitudes add up to at most 1.7976931348623157e308");
	CHECK(parse(HEAD "\"layers\": [1, 2, 1], \"weights\": [[[0, 1], [0, 1]], [[1e308, 1e308, 0]]]}", err, sizeof err) == ST_DATA);
	CHECK(strncmp(err, "m.json: weights[1][0]: the weighted sum overflows", 49) == 0);
	CHECK(parse(HEAD "\"layers\": [2, 1], \"weights\": [[[0, 8e307, -8e307]]]}", err, sizeof err) == 0);
	/* a key twice, at any depth: refused with its path (cJSON would take the first, jq the last) */
	CHECK(parse(HEAD "\"layers\": [1, 1], \"layers\": [2, 1], \"weights\": [[[0, 1]]]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: layers appears twice; a key may appear only once in an object (JSON readers disagree on "
	    "which one counts): remove one");
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"training\": {\"rate\": 1, \"x\": [0, "
	    "{\"a\": 1, \"b\\n\": 2, \"b\\u000a\": 3}], \"rate\": 2}}", err, sizeof err) == ST_DATA);
	CHECK(strncmp(err, "m.json: training.rate appears twice;", 36) == 0);
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"training\": {\"x\": [0, "
	    "{\"a\": 1, \"b\\n\": 2, \"b\\u000a\": 3}]}}", err, sizeof err) == ST_DATA);
	CHECK(strncmp(err, "m.json: training.x[1].b\\n appears twice;", 40) == 0);
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"Layers\": 3}", err, sizeof err) == 0);
	/* a NUL in a string, escaped or raw; UTF-16 text */
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"features\": [\"a\\u0000b\"]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json:1:100: a NUL character in a string; names and labels cannot hold one");
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"features\": [\"a\\\\u0000b\"]}", err, sizeof err) == 0);
	{
		static const char raw[] = "{\"format\": \"x\0\"}", u16[] = "\xff\xfe{\0}\0";
		struct model *m = NULL;

		CHECK(model_parse(raw, sizeof raw - 1, "m.json", &m, err, sizeof err) == ST_DATA && m == NULL);
		CHECK_STR(err, "m.json:1:14: a NUL character in a string; names and labels cannot hold one");
		CHECK(model_parse(u16, sizeof u16 - 1, "m.json", &m, err, sizeof err) == ST_DATA && m == NULL);
		CHECK(strncmp(err, "m.json: the file is UTF-16 (little-endian", 41) == 0);
	}
	/* lines end in LF, CRLF or CR in positions */
	CHECK(parse("{\r\"format\": 1,\r\n\"version\": 1\r,]", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json:4:2: not valid JSON");
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"features\": [\"a\", \"b\"]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: features has 2 entries, expected 1");
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"targets\": [3]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: targets[0] is not a string, expected a string");
	/* layers that ask for 2 * 10^9 weights the file does not hold: the shape is checked first, nothing allocated */
	CHECK(parse(HEAD "\"layers\": [1, 13, 6205, 328850]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: weights is missing, expected an array of weight matrices");
	CHECK(parse(HEAD "\"layers\": [1, 13, 6205, 328850], \"weights\": [[], [], []]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: weights[0] has 0 rows, expected 13 (layers[1])");
	/* class labels: two different strings, for a model of one output */
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"classes\": [\"neg\", \"pos\"]}", err, sizeof err) == 0);
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"classes\": [\"neg\"]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: classes has 1 entries, expected 2 to 1000");
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"classes\": [\"a\", \"a\"]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: classes[0] and classes[1] are the same label, expected different labels");
	CHECK(parse(HEAD "\"layers\": [1, 2], \"weights\": [[[0, 1], [0, 1]]], \"classes\": [\"a\", \"b\"]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: classes has 2 labels for a model of 2 outputs, expected one output for two classes, "
	    "K outputs for K > 2");
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"classes\": [\"a\", 1]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: classes[1] is not a string, expected a string");
	{
		size_t sizes[] = { 1, 1 };
		struct model *m = model_new(sizes, 1), *back;
		char *text = NULL;

		m->classes = calloc(2, sizeof *m->classes);
		m->nclasses = 2;
		m->classes[0] = strdup("M \"mine\"");
		m->classes[1] = strdup("R");
		back = round_trip(m, &text);
		CHECK(back != NULL && back->classes != NULL && strcmp(back->classes[0], "M \"mine\"") == 0 &&
		    strcmp(back->classes[1], "R") == 0);
		model_free(back);
		model_free(m);
		free(text);
	}
	/* unknown keys are ignored */
	CHECK(parse(HEAD "\"layers\": [1, 1], \"weights\": [[[0, 1]]], \"comment\": {\"x\": [1]}}", err, sizeof err) == 0);
	/* deep nesting is refused by cJSON's limit, not by the stack */
	{
		size_t n = 100000, i;
		char *deep = malloc(2 * n + 1);

		for (i = 0; i < n; i++) {
			deep[i] = '[';
			deep[n + i] = ']';
		}
		deep[2 * n] = '\0';
		CHECK(parse(deep, err, sizeof err) == ST_DATA);
		free(deep);
	}
}

/* "training": what -i resumes from is read back exactly; the rest is for information. */
static void
training_read_back(void)
{
	size_t sizes[] = { 2, 1 };
	struct model *m = model_new(sizes, 1), *back;
	char *text = NULL;

	m->info.have = 1;
	m->info.epochs = 46;
	m->info.updates = 13800;
	m->info.sched.rate = 0.3;
	m->info.sched.kind = DECAY_STEP;
	m->info.sched.every = 7;
	m->info.sched.factor = 0.25;
	m->info.have_seed = 1;
	m->info.seed = UINT64_C(9007199254740991);
	m->info.have_rng = 1;
	m->info.rng = UINT64_C(0xfedcba9876543210);
	m->info.shuffle = 0;
	m->info.have_val = 1;
	m->info.val_rows = 5;
	m->info.holdout = 0.25;
	m->info.have_split = 1;
	m->info.split = UINT64_C(0x5eed0f4a11d0c7a4);
	m->info.patience = 20;
	m->info.tol = 1e-4;
	m->info.best_epoch = 46;
	m->info.last_epoch = 66;
	m->info.stopped = 1;
	back = round_trip(m, &text);
	CHECK(back != NULL && back->info.have);
	if (back != NULL) {
		CHECK(back->info.epochs == 46 && back->info.updates == 13800 && back->info.sched.rate == 0.3);
		CHECK(back->info.sched.kind == DECAY_STEP && back->info.sched.every == 7 && back->info.sched.factor == 0.25);
		CHECK(back->info.have_seed && back->info.seed == UINT64_C(9007199254740991));
		CHECK(back->info.have_rng && back->info.rng == UINT64_C(0xfedcba9876543210));
		CHECK(back->info.shuffle == 0);
		CHECK(back->info.have_split && back->info.split == UINT64_C(0x5eed0f4a11d0c7a4) &&
		    back->info.holdout == 0.25);
	}
	CHECK(text != NULL && strstr(text, "\"rng\":\t\"fedcba9876543210\"") != NULL);
	CHECK(text != NULL && strstr(text, "\"best_epoch\":\t46") != NULL);
	model_free(back);
	free(text);
	/* a seed beyond 2^53 is written, but not read back as known */
	m->info.seed = UINT64_MAX;
	m->info.sched.kind = DECAY_INVERSE;
	m->info.sched.k = 0.001;
	text = NULL;
	back = round_trip(m, &text);
	CHECK(back != NULL && !back->info.have_seed && back->info.sched.kind == DECAY_INVERSE &&
	    back->info.sched.k == 0.001);
	CHECK(text != NULL && strstr(text, "18446744073709551615") != NULL);
	model_free(back);
	free(text);
	model_free(m);
}

#define TRAINED "{\"format\": \"mlptrain-model\", \"version\": 1, \"layers\": [1, 1], \"weights\": [[[0, 1]]], "

/* The model parses; returns the reader's message about "training" (static), or "" when it was fine. */
static const char *
training_error(const char *text)
{
	static char msg[256];
	struct model *m = NULL;
	char err[256];

	msg[0] = '\0';
	CHECK_MSG(model_parse(text, strlen(text), "m.json", &m, err, sizeof err) == 0, "%s", err);
	if (m != NULL && m->info.bad != NULL) {
		snprintf(msg, sizeof msg, "%s", m->info.bad);
		CHECK(!m->info.have);
	}
	model_free(m);
	return msg;
}

static void
training_refused(void)
{
	CHECK_STR(training_error(TRAINED "\"training\": {}}"), "");
	CHECK_STR(training_error(TRAINED "\"training\": 3}"), "m.json: training is not an object, expected an object");
	CHECK_STR(training_error(TRAINED "\"training\": {\"epochs\": -1}}"), "m.json: training.epochs is not a whole number from 0 to 9007199254740992");
	CHECK_STR(training_error(TRAINED "\"training\": {\"updates\": 1.5}}"), "m.json: training.updates is not a whole number from 0 to 9007199254740992");
	CHECK_STR(training_error(TRAINED "\"training\": {\"rate\": 0}}"), "m.json: training.rate is not a finite number above 0");
	CHECK_STR(training_error(TRAINED "\"training\": {\"decay\": \"cosine\"}}"), "m.json: training.decay is something else, expected \"none\", \"inverse\" or \"step\"");
	CHECK_STR(training_error(TRAINED "\"training\": {\"decay_factor\": 2}}"), "m.json: training.decay_factor is not a number above 0 and at most 1");
	CHECK_STR(training_error(TRAINED "\"training\": {\"decay_every\": 0}}"), "m.json: training.decay_every is 0, expected a whole number from 1");
	CHECK_STR(training_error(TRAINED "\"training\": {\"rng\": \"12\"}}"), "m.json: training.rng is something else, expected 16 hex digits in a string");
	CHECK_STR(training_error(TRAINED "\"training\": {\"rng\": \"0123456789abcdeg\"}}"), "m.json: training.rng is something else, expected 16 hex digits in a string");
	CHECK_STR(training_error(TRAINED "\"training\": {\"shuffle\": 1}}"), "m.json: training.shuffle is not a boolean, expected true or false");
	CHECK_STR(training_error(TRAINED "\"training\": {\"validation\": {\"split\": 5}}}"), "m.json: training.validation.split is something else, expected 16 hex digits in a string");
	/* what is only for information is not checked */
	CHECK_STR(training_error(TRAINED "\"training\": {\"loss\": \"low\", \"init\": 3}}"), "");
}

/* K classes and encoded columns: written as version 2 and read back; a plain model stays version 1. */
static void
classes_and_columns(void)
{
	size_t sizes[] = { 4, 3 }, k;
	struct model *m = model_new(sizes, 1), *back;
	struct encoding *e = encoding_new(2);
	char *text = NULL, err[512];
	static const char *const cls[] = { "setosa", "versicolor", "virginica" };
	static const char *const names[] = { "color=blue", "color=red", "color=z", "price" };

	m->nclasses = 3;
	m->classes = calloc(3, sizeof *m->classes);
	for (k = 0; k < 3; k++)
		m->classes[k] = strdup(cls[k]);
	m->targets = calloc(1, sizeof *m->targets);
	m->targets[0] = strdup("species");
	m->features = calloc(4, sizeof *m->features);
	for (k = 0; k < 4; k++)
		m->features[k] = strdup(names[k]);
	e->col[0].name = strdup("color");
	e->col[0].ncat = 3;
	e->col[0].cat = calloc(3, sizeof *e->col[0].cat);
	e->col[0].cat[0] = strdup("blue");
	e->col[0].cat[1] = strdup("red");
	e->col[0].cat[2] = strdup("z");
	e->col[1].name = strdup("price");
	e->col[1].fill = 1;
	e->col[1].value = 0.1;
	e->impute = IMPUTE_MEDIAN;
	encoding_layout(e);
	m->enc = e;
	for (k = 0; k < m->nweights; k++)
		m->w_mem[k] = (double)k / 7;
	back = round_trip(m, &text);
	CHECK(strstr(text, "\"version\":\t2,") != NULL);
	CHECK(back != NULL && back->nclasses == 3 && strcmp(back->classes[2], "virginica") == 0);
	CHECK(back != NULL && back->targets != NULL && strcmp(back->targets[0], "species") == 0);
	CHECK(back != NULL && back->enc != NULL && back->enc->ncols == 2 && back->enc->ninputs == 4);
	CHECK(back != NULL && back->enc != NULL && back->enc->col[0].ncat == 3 && strcmp(back->enc->col[0].cat[1], "red") == 0);
	CHECK(back != NULL && back->enc != NULL && back->enc->col[1].fill && back->enc->col[1].value == 0.1 &&
	    back->enc->col[1].first == 3);
	CHECK(back != NULL && memcmp(back->w_mem, m->w_mem, m->nweights * sizeof *m->w_mem) == 0);
	model_free(back);
	free(text);
	/* without classes and columns: version 1, as an old reader reads it */
	encoding_free(m->enc);
	m->enc = NULL;
	for (k = 0; k < 3; k++)
		free(m->classes[k]);
	free(m->classes);
	m->classes = NULL;
	free(m->targets[0]);
	free(m->targets);
	m->targets = NULL;
	m->nclasses = 0;
	back = round_trip(m, &text);
	CHECK(strstr(text, "\"version\":\t1,") != NULL && strstr(text, "\"columns\"") == NULL);
	model_free(back);
	model_free(m);
	free(text);

	/* refusals, each with its JSON path */
#define V2 "{\"format\": \"mlptrain-model\", \"version\": 2, \"layers\": [2, 3], \"weights\": [[[0, 1, 2], [0, 1, 2], [0, 1, 2]]], "
	CHECK(parse(V2 "\"classes\": [\"a\", \"b\", \"c\"]}", err, sizeof err) == 0);
	CHECK(parse(V2 "\"classes\": [\"a\", \"b\"]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: classes has 2 labels for a model of 3 outputs, expected one output for two classes, "
	    "K outputs for K > 2");
	CHECK(parse(V2 "\"classes\": [\"a\", \"1\", \"1.0\"]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: classes[1] and classes[2] are the same label, expected different labels");
	CHECK(parse(V2 "\"classes\": [\"a\", \"b\", \"c\"], \"targets\": [\"y\", \"z\"]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: targets has 2 entries, expected 1");
	CHECK(parse(V2 "\"columns\": [{\"kind\": \"categorical\", \"categories\": [\"a\", \"b\"]}]}", err, sizeof err) == 0);
	CHECK(parse(V2 "\"columns\": [{\"kind\": \"numeric\"}]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: columns give 1 inputs, expected 2 (layers[0])");
	CHECK(parse(V2 "\"columns\": [{\"kind\": \"categorical\", \"categories\": [\"b\", \"a\"]}]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: columns[0].categories[1] is out of order, expected the categories in byte order, each once");
	CHECK(parse(V2 "\"columns\": [{\"kind\": \"text\"}]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: columns[0].kind is something else, expected \"numeric\" or \"categorical\"");
	CHECK(parse(V2 "\"columns\": [{\"kind\": \"numeric\", \"impute\": \"x\"}, {\"kind\": \"numeric\"}]}", err,
	    sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: columns[0].impute is not a number, expected a number");
	CHECK(parse(V2 "\"features\": [\"c=a\", \"c=x\"], \"columns\": [{\"name\": \"c\", \"kind\": \"categorical\", "
	    "\"categories\": [\"a\", \"b\"]}]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: features[1] is another name, expected the name its column in \"columns\" gives");
	CHECK(parse(V2 "\"features\": [\"c=a\", \"c=b\"], \"columns\": [{\"kind\": \"categorical\", "
	    "\"categories\": [\"a\", \"b\"]}]}", err, sizeof err) == ST_DATA);
	CHECK_STR(err, "m.json: columns[0].name is missing, expected the column's name (the model has feature names)");
#undef V2
}

int
main(void)
{
	classes_and_columns();
	bit_exact();
	train_save_load_predict();
	refused();
	training_read_back();
	training_refused();
	return check_summary("test_modelio");
}
