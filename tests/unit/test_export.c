/*
 * The C export: every number written reads back to the model's double bit
 * for bit (or, --float, to the nearest float), names become C literals of
 * printable ASCII, comments cannot be closed by a name, --float refuses
 * what a float cannot hold, and the prefix is a C identifier.  Compiling
 * and running the output is tests/e2e_export.sh's.
 */
#include <float.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "export.h"
#include "modelio.h"
#include "rng.h"
#include "status.h"

/* Exports m to memory; the text (free it), or NULL with the status in *st. */
static char *
export_text(const struct model *m, const struct export_opts *o, int *st, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return NULL;
	*st = export_write(f, m, o, err, errlen);
	fclose(f);
	if (*st != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Reads n numbers (C literals) after "marker" and its '=' in text into v; how many were found. */
static size_t
numbers_after(const char *text, const char *marker, double *v, size_t n)
{
	const char *p = strstr(text, marker);
	char *end;
	size_t k;

	if (p == NULL || (p = strchr(p, '=')) == NULL)
		return 0;
	for (k = 0; k < n; k++) {
		while (*p != '\0' && strchr("+-.0123456789", *p) == NULL)
			p++;
		if (*p == '\0')
			break;
		v[k] = strtod(p, &end);
		p = end;
	}
	return k;
}

/* Whether every byte of s is printable ASCII, a tab or a line end. */
static int
plain_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((*s < 0x20 || *s > 0x7e) && *s != '\n' && *s != '\t')
			return 0;
	return 1;
}

/* Weights of arbitrary bit patterns (every exponent, denormals, -0) come back exactly. */
static void
exact_numbers(void)
{
	size_t sizes[] = { 3, 5, 2 }, k, same = 0, got;
	double mean[3] = { 0.1, -0.0, 1e-310 }, std[3] = { 1.0 / 3, 2, 7e300 }, *back;
	struct model *m = model_new(sizes, 2);
	struct export_opts o = { "t", "m.json", 0, 0 };
	char err[ERRLEN], *text;
	struct rng r;
	uint64_t bits;
	int st = -1;

	rng_seed(&r, 5);
	for (k = 0; k < m->nweights; k++)
		do {
			bits = rng_next(&r);
			memcpy(&m->w_mem[k], &bits, sizeof bits);
		} while (!isfinite(m->w_mem[k]));
	m->w_mem[0] = -0.0;
	m->w_mem[1] = 1;
	m->w_mem[2] = 4.9406564584124654e-324;
	CHECK(model_set_standardize(m, mean, std) == 0);
	back = calloc(m->nweights, sizeof *back);
	text = export_text(m, &o, &st, err, sizeof err);
	CHECK_MSG(text != NULL && st == 0, "%s", err);
	if (text != NULL && back != NULL) {
		got = numbers_after(text, "t_w1[", back, sizes[1] * (sizes[0] + 1));
		got += numbers_after(text, "t_w2[", back + got, sizes[2] * (sizes[1] + 1));
		CHECK(got == m->nweights);
		for (k = 0; k < got; k++)
			same += memcmp(&back[k], &m->w_mem[k], sizeof *back) == 0;
		CHECK_MSG(same == m->nweights, "%zu of %zu weights read back bit for bit", same, m->nweights);
		CHECK(strstr(text, "{ -0.0, 1.0, 5e-324,") != NULL);
		CHECK(numbers_after(text, "t_std[", back, 3) == 3 && back[0] == std[0] && back[2] == std[2]);
		CHECK(numbers_after(text, "t_mean[", back, 3) == 3 && signbit(back[1]) && back[2] == mean[2]);
		CHECK(plain_ascii(text));
	}
	free(text);
	free(back);
	model_free(m);
}

/* --float: the nearest float to each number, written so that it reads back to that float; too large is refused. */
static void
single(void)
{
	size_t sizes[] = { 2, 2 }, k, same = 0;
	double w[6] = { 0.1, -1.0 / 3, 1e-40, 3.4028234e38, -0.0, 123456789.0 }, back[6];
	struct model *m = model_new(sizes, 1);
	struct export_opts o = { "f", "m.json", 1, 0 };
	char err[ERRLEN], *text;
	int st = -1;

	memcpy(m->w_mem, w, sizeof w);
	text = export_text(m, &o, &st, err, sizeof err);
	CHECK_MSG(text != NULL && st == 0, "%s", err);
	if (text != NULL) {
		CHECK(numbers_after(text, "f_w1[", back, 6) == 6);
		for (k = 0; k < 6; k++)
			same += (float)back[k] == (float)w[k] && signbit(back[k]) == signbit(w[k]);
		CHECK_MSG(same == 6, "%zu of 6 floats", same);
		CHECK(strstr(text, "{ 0.1f, -0.33333334f, 1e-40f },\n\t{ 3.4028235e+38f, -0.0f, 1.2345679e+08f }") != NULL);
		CHECK(strstr(text, "expf(-a)") != NULL && strstr(text, "static const float f_w1[2][3]") != NULL);
	}
	free(text);
	m->w_mem[4] = -1e39;
	CHECK(export_check(m, &o, err, sizeof err) == ST_DATA);
	CHECK_STR(err, "--float: weights[0][1][1] is -1e+39, beyond the largest number of a float (3.40282347e+38); "
	    "export the model in double precision");
	CHECK(export_text(m, &o, &st, err, sizeof err) == NULL && st == ST_DATA);
	o.single = 0;
	CHECK(export_check(m, &o, err, sizeof err) == 0);
	model_free(m);
}

/* Names: C literals of printable ASCII, escapes for the rest, \? against trigraphs; comments kept shut. */
static void
names(void)
{
	static const char json[] = "{\"format\": \"mlptrain-model\", \"version\": 2, \"layers\": [3, 1],"
	    " \"features\": [\"a\\\"b\", \"c=?\?=\\n\\u00e9*/\", \"c=x$\\\\y\"], \"classes\": [\"no\", \"yes\"],"
	    " \"columns\": [{\"name\": \"a\\\"b\", \"kind\": \"numeric\", \"impute\": 2.5},"
	    " {\"name\": \"c\", \"kind\": \"categorical\", \"categories\": [\"?\?=\\n\\u00e9*/\", \"x$\\\\y\"]}],"
	    " \"impute\": \"mean\", \"weights\": [[[0.5, 1, 2, 3]]]}";
	struct export_opts o = { "Shop_2", "a*/b?\?/c\n$", 0, 1 };
	struct model *m = NULL;
	char err[ERRLEN], *text;
	int st = -1;

	st = model_parse(json, sizeof json - 1, "m.json", &m, err, sizeof err);
	CHECK_MSG(st == 0, "%s", err);
	if (m == NULL)
		return;
	text = export_text(m, &o, &st, err, sizeof err);
	CHECK_MSG(text != NULL && st == 0, "%s", err);
	if (text != NULL) {
		CHECK(plain_ascii(text));
		CHECK(strstr(text, "\"a\\\"b\", \"c=\\?\\?=\\012\\303\\251*/\", \"c=x\\044\\\\y\"") != NULL);
		CHECK(strstr(text, "\"\\?\\?=\\012\\303\\251*/\", \"x\\044\\\\y\"") != NULL);
		CHECK(strstr(text, "The mlptrain model a_/b__/c__ as C99") != NULL);
		CHECK(strstr(text, "#define SHOP_2_N_INPUTS 3") != NULL && strstr(text, "#define SHOP_2_IMPUTE 1") != NULL);
		CHECK(strstr(text, "static const double Shop_2_column_fill[2] = {\n\t2.5, 0.0\n};") != NULL);
		CHECK(strstr(text, "Shop_2_output_names[1] = {\n\t\"yes\"\n};") != NULL);
		CHECK(strstr(text, "\nmain(int argc, char *argv[])\n") != NULL);
		CHECK(strstr(text, "\t(void)Shop_2_class_names;\n") != NULL && strstr(text, "$") == NULL);
	}
	free(text);
	model_free(m);
}

/* A name past the 4095 bytes C99 guarantees in a literal: a compound literal of its bytes. */
static void
long_name(void)
{
	struct export_opts o = { "mlp", "m.json", 0, 0 };
	struct model *m = NULL;
	char err[ERRLEN], *json = malloc(6000), *text;
	size_t n;
	int st = -1;

	if (json == NULL)
		return;
	n = (size_t)sprintf(json, "{\"format\": \"mlptrain-model\", \"version\": 1, \"layers\": [1, 1], \"features\": [\"");
	memset(json + n, 'a', 5000);
	n += 5000;
	sprintf(json + n, "\"], \"weights\": [[[0.5, 1]]]}");
	st = model_parse(json, strlen(json), "m.json", &m, err, sizeof err);
	CHECK_MSG(st == 0, "%s", err);
	if (m != NULL && (text = export_text(m, &o, &st, err, sizeof err)) != NULL) {
		CHECK(strstr(text, "mlp_feature_names[1] = {\n\t(const char[]){ '\\141', '\\141',") != NULL);
		CHECK(strstr(text, "'\\141', 0 }\n};") != NULL && strstr(text, "\"aaaa") == NULL);
		free(text);
	}
	model_free(m);
	free(json);
}

static void
prefixes(void)
{
	char err[ERRLEN];

	CHECK(export_check_prefix("mlp", err, sizeof err) == 0);
	CHECK(export_check_prefix("Iris_2", err, sizeof err) == 0);
	CHECK(export_check_prefix("_x", err, sizeof err) == -1);
	CHECK_STR(err, "--prefix: '_x' is not a C identifier: a letter, then letters, digits or _");
	CHECK(export_check_prefix("2x", err, sizeof err) == -1);
	CHECK(export_check_prefix("a-b", err, sizeof err) == -1);
	CHECK(export_check_prefix("", err, sizeof err) == -1);
	CHECK(export_check_prefix("a1234567890123456789012345678901234567890123456789012345678901234", err,
	    sizeof err) == -1);
	CHECK_STR(err, "--prefix: 'a1234567890123456789012345678901234567890123456789012345678901234' is not at most 64 "
	    "characters long");
}

int
main(void)
{
	exact_numbers();
	single();
	names();
	long_name();
	prefixes();
	return check_summary("test_export");
}
