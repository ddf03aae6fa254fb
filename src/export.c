/*
 * The C export of a model: the part of the generated file that depends on
 * the model (the opening comment, the sizes, names, encoding tables,
 * standardisation and weights, and PREFIX_predict_scratch, one loop nest a
 * layer), between the fixed text of exportcode.c.  Every number is written
 * in the shortest form that reads back to it (number_format), so the
 * compiler gets the model's doubles exactly; with --float, the float
 * nearest to each, in the shortest form that reads back to that float.
 * Strings become C literals of C's basic characters (octal escapes for the
 * rest, $ @ ` and bytes past ASCII among them; \? against trigraphs); names
 * never go into comments.  Not for:
 * reading the model (modelio.c) or the output file (outputs.c).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "exportcode.h"
#include "number.h"
#include "status.h"

#define NUMBERS_PER_LINE 4	/* numbers on a line of a weight row */
#define LITERAL_MAX 4095	/* longest string literal C99 compilers must take (-pedantic says so) */

int
export_check_prefix(const char *prefix, char *err, size_t errlen)
{
	size_t k;
	int ok = (prefix[0] >= 'a' && prefix[0] <= 'z') || (prefix[0] >= 'A' && prefix[0] <= 'Z');

	for (k = 1; ok && prefix[k] != '\0'; k++)
		ok = (prefix[k] >= 'a' && prefix[k] <= 'z') || (prefix[k] >= 'A' && prefix[k] <= 'Z') ||
		    (prefix[k] >= '0' && prefix[k] <= '9') || prefix[k] == '_';
	if (ok && k <= EXPORT_MAX_PREFIX)
		return 0;
	snprintf(err, errlen, "--prefix: '%.80s' is not %s", prefix, ok ? "at most 64 characters long" :
	    "a C identifier: a letter, then letters, digits or _");
	return -1;
}

/* ---- --float: what a float can hold ---- */

/* 0, or ST_DATA with a message: v (at path) is beyond the floats, or, a std, below the normal ones. */
static int
fits_float(double v, int is_std, const char *path, char *err, size_t errlen)
{
	char num[NUMBER_BUFLEN];

	if (fabs(v) <= FLT_MAX && (!is_std || v >= FLT_MIN))
		return 0;
	number_format(num, v, 0);
	snprintf(err, errlen, "--float: %s is %s, %s a float (%s); export the model in double precision",
	    path, num, is_std ? "below the smallest normal number of" : "beyond the largest number of",
	    is_std ? "1.17549435e-38" : "3.40282347e+38");
	return ST_DATA;
}

int
export_check(const struct model *m, const struct export_opts *o, char *err, size_t errlen)
{
	char path[96];
	size_t i, j, ncol;
	int l, st;

	if (!o->single)
		return 0;
	for (l = 1; l <= m->L; l++) {
		ncol = m->n[l - 1] + 1;
		for (i = 0; i < m->n[l]; i++)
			for (j = 0; j < ncol; j++) {
				snprintf(path, sizeof path, "weights[%d][%zu][%zu]", l - 1, i, j);
				if ((st = fits_float(m->w[l][i * ncol + j], 0, path, err, errlen)) != 0)
					return st;
			}
	}
	for (j = 0; m->mean != NULL && j < m->n[0]; j++) {
		snprintf(path, sizeof path, "standardize.mean[%zu]", j);
		if ((st = fits_float(m->mean[j], 0, path, err, errlen)) != 0)
			return st;
		snprintf(path, sizeof path, "standardize.std[%zu]", j);
		if ((st = fits_float(m->std[j], 1, path, err, errlen)) != 0)
			return st;
	}
	for (j = 0; m->enc != NULL && j < m->enc->ncols; j++) {
		snprintf(path, sizeof path, "columns[%zu].impute", j);
		if (m->enc->col[j].fill && (st = fits_float(m->enc->col[j].value, 0, path, err, errlen)) != 0)
			return st;
	}
	return 0;
}

/* ---- writing ---- */

struct gen {
	FILE *f;
	const struct model *m;
	const struct export_opts *o;
	const struct encoding *enc;	/* the model's, or a plain one of N_0 numeric columns */
	char up[EXPORT_MAX_PREFIX + 1];	/* the prefix in capitals, for macros */
	const char *real;		/* "double" or "float" */
	int named;			/* the model has feature names */
};

/* A template line, its placeholders replaced (see exportcode.c), and a line end. */
static void
put_line(const struct gen *g, const char *s)
{
	int single = g->o->single;

	for (; *s != '\0'; s++) {
		if (*s != '$' || s[1] == '\0') {
			putc(*s, g->f);
			continue;
		}
		switch (*++s) {
		case 'p': fputs(g->o->prefix, g->f); break;
		case 'P': fputs(g->up, g->f); break;
		case 'R': fputs(g->real, g->f); break;
		case 'D': putc(single ? 'f' : 'd', g->f); break;
		case 'F': fputs(single ? "f" : "", g->f); break;
		case '1': fputs(single ? "6" : "15", g->f); break;
		case '2': fputs(single ? "9" : "17", g->f); break;
		case 'M': fputs(single ? "1.17549435e-38f" : "2.2250738585072014e-308", g->f); break;
		default: putc('$', g->f); putc(*s, g->f); break;
		}
	}
	putc('\n', g->f);
}

/* A number as a C literal that reads back to it: the double, or with --float the nearest float. */
static void
put_number(const struct gen *g, double v)
{
	char buf[NUMBER_BUFLEN + 4];
	float x = (float)v;
	int p, n = 0;

	if (!g->o->single)
		n = number_format(buf, v, 0);
	else
		for (p = (x != 0 && fabsf(x) < FLT_MIN) ? 1 : 6; p <= 9; p++) {
			n = snprintf(buf, NUMBER_BUFLEN, "%.*g", p, (double)x);
			if (strtof(buf, NULL) == x)
				break;
		}
	if (strpbrk(buf, ".e") == NULL)
		snprintf(buf + n, sizeof buf - (size_t)n, ".0");	/* "-0.0", not the int -0 */
	fputs(buf, g->f);
	if (g->o->single)
		putc('f', g->f);
}

/* s as a C string literal of printable ASCII (a longer one as a compound literal), or NULL. */
static void
put_string(const struct gen *g, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL) {
		fputs("NULL", g->f);
		return;
	}
	if (strlen(s) > LITERAL_MAX) {	/* a compound literal of bytes: no limit on its length */
		fputs("(const char[]){ ", g->f);
		for (; *p != '\0'; p++)
			fprintf(g->f, "'\\%03o',%s", *p, (p - (const unsigned char *)s) % 12 == 11 ? "\n\t    " : " ");
		fputs("0 }", g->f);
		return;
	}
	putc('"', g->f);
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\' || *p == '?')
			fprintf(g->f, "\\%c", *p);
		else if (*p >= 0x20 && *p < 0x7f && *p != '$' && *p != '@' && *p != '`')
			putc(*p, g->f);
		else
			fprintf(g->f, "\\%03o", *p);
	}
	putc('"', g->f);
}

/* Text for a comment: printable ASCII, never a comment's end or a trigraph. */
static void
put_comment_text(const struct gen *g, const char *s)
{
	for (; *s != '\0'; s++)
		putc(*s >= 0x20 && *s < 0x7f && strchr("?$@`", *s) == NULL && !(*s == '*' && s[1] == '/') ? *s : '_',
		    g->f);
}

/* "static const char *const NAME[n] = { ... };" of n strings. */
static void
put_names(const struct gen *g, const char *what, const char *name, char *const *s, size_t n)
{
	size_t k;

	fprintf(g->f, "/* %s */\nstatic const char *const %s_%s[%zu] = {", what, g->o->prefix, name, n);
	for (k = 0; k < n; k++) {
		fputs(k % 4 == 0 ? "\n\t" : " ", g->f);
		put_string(g, s != NULL ? s[k] : NULL);
		fputs(k + 1 < n ? "," : "\n", g->f);
	}
	fputs("};\n", g->f);
}

/* The opening comment: what the file is and how to use it. */
static void
put_opening(const struct gen *g)
{
	const struct model *m = g->m;
	const char *p = g->o->prefix, *P = g->up;
	size_t nl = m->n[m->L];
	int l;

	fputs("/*\n * The mlptrain model ", g->f);
	put_comment_text(g, g->o->source);
	fprintf(g->f, " as C99, written by mlpexport " VERSION "%s.\n * Layers ",
	    g->o->single ? " in single precision (--float)" : "");
	for (l = 0; l <= m->L; l++)
		fprintf(g->f, "%zu%s", m->n[l], l < m->L ? ", " : ": ");
	fprintf(g->f, "%zu input%s from %zu feature column%s, %d hidden layer%s, %zu output%s",
	    m->n[0], m->n[0] == 1 ? "" : "s", g->enc->ncols, g->enc->ncols == 1 ? "" : "s", m->L - 1,
	    m->L - 1 == 1 ? "" : "s", nl, nl == 1 ? "" : "s");
	if (m->nclasses > 2)
		fprintf(g->f, ", one per class\n * (%s_output_names), each an independent probability.\n", p);
	else if (m->nclasses == 2)
		fprintf(g->f, ": the probability of\n * the second class (%s_output_names[0]).\n", p);
	else
		fputs(", each a probability.\n", g->f);
	fprintf(g->f, " *\n *\t%s x[%s_N_INPUTS], p[%s_N_OUTPUTS];\n", g->real, P, P);
	fprintf(g->f, " *\t%s_encode(num, cat, x);   (or x[j] = the input named %s_feature_names[j])\n", p, p);
	fprintf(g->f, " *\t%s_predict(x, p);         (p[k]: the probability of %s_output_names[k])\n *\n", p, p);
	fprintf(g->f, " * %s_predict standardises x as training did and runs the network.  It writes\n"
	    " * no global and allocates nothing (%s_SCRATCH numbers of stack; %s_predict_scratch\n"
	    " * takes the caller's), so it is reentrant.  Needs <math.h> and <stddef.h> alone\n"
	    " * (link with -lm).\n", p, P, p);
	if (g->o->single)
		fputs(" * Single precision: within the tolerance mlpexport(1) gives of mlppredict's\n"
		    " * probabilities.\n", g->f);
	else
		fputs(" * Bit for bit mlppredict's probabilities when built without fused multiply-adds\n"
		    " * (gcc -std=c99, or -ffp-contract=off) for a machine with FLT_EVAL_METHOD 0\n"
		    " * (x86-64, ARM64) against the same libm: the same operations in the same order.\n", g->f);
	fputs(" */\n", g->f);
}

/* "#define PREFIX_name value", its comment at column 41. */
static void
put_define(const struct gen *g, const char *name, const char *value, const char *comment)
{
	int n = fprintf(g->f, "#define %s_%s %s", g->up, name, value);

	fprintf(g->f, "%*s/* %s */\n", n < 40 ? 40 - n : 1, "", comment);
}

/* The sizes, the result codes of the encoders, the number type. */
static void
put_macros(const struct gen *g)
{
	const struct model *m = g->m;
	char num[32], scratch[EXPORT_MAX_PREFIX + 32];
	size_t max = 0;
	int l;

	for (l = 0; l < m->L; l++)
		max = m->n[l] > max ? m->n[l] : max;
	snprintf(num, sizeof num, "%d", m->L);
	put_define(g, "N_LAYERS", num, "L, the layers of weights");
	snprintf(num, sizeof num, "%zu", m->n[0]);
	put_define(g, "N_INPUTS", num, "N_0: inputs, after encoding");
	snprintf(num, sizeof num, "%zu", m->n[m->L]);
	put_define(g, "N_OUTPUTS", num, "N_L: probabilities");
	snprintf(num, sizeof num, "%zu", g->enc->ncols);
	put_define(g, "N_COLUMNS", num, "feature columns, which give the inputs");
	snprintf(num, sizeof num, "%zu", model_target_columns(m));
	put_define(g, "N_TARGETS", num, "target columns of the training data");
	snprintf(num, sizeof num, "%zu", m->nclasses);
	put_define(g, "N_CLASSES", num, "K labels: 0 none, 2 one output, else K outputs");
	snprintf(num, sizeof num, "%zu", max);
	put_define(g, "MAX_UNITS", num, "the widest layer but the last");
	snprintf(scratch, sizeof scratch, "(2 * %s_MAX_UNITS)", g->up);
	put_define(g, "SCRATCH", scratch, "numbers of scratch a prediction takes");
	put_define(g, "STANDARDIZE", m->mean != NULL ? "1" : "0", "1: inputs standardised (mean, std)");
	put_define(g, "IMPUTE", g->enc->impute != IMPUTE_NONE ? "1" : "0", "1: trained with --impute");
	put_define(g, "HAS_NAMES", g->named ? "1" : "0", "0: every name is NULL");
	fputs("\n/* What the encoders return. */\n", g->f);
	put_define(g, "OK", "0", "the column's inputs are set");
	put_define(g, "FILLED", "1", "missing, and filled as training did");
	put_define(g, "UNSEEN", "2", "a category training never saw: inputs 0");
	put_define(g, "MISSING", "(-1)", "missing, and nothing to fill it with");
	put_define(g, "WRONG_COLUMN", "(-2)", "no column of that number and kind");
	fprintf(g->f, "\ntypedef %s %s_real;\t\t/* the type of the inputs and probabilities */\n\n", g->real,
	    g->o->prefix);
}

/* What output k is the probability of: its class, its target, or p, p1, p2, ... (malloc'd, or NULL). */
static char *
output_name(const struct model *m, size_t k)
{
	char buf[32];

	if (m->nclasses > 2)
		return strdup(m->classes[k]);
	if (m->nclasses == 2)
		return strdup(m->classes[1]);
	if (m->targets != NULL)
		return strdup(m->targets[k]);
	if (m->n[m->L] == 1)
		return strdup("p");
	snprintf(buf, sizeof buf, "p%zu", k + 1);
	return strdup(buf);
}

/* The names: of the inputs, columns, classes, targets and outputs; the layer sizes. */
static int
put_tables(const struct gen *g)
{
	const struct model *m = g->m;
	size_t k, nl = m->n[m->L];
	char **out, **cols;
	int l, st = 0;

	out = calloc(nl, sizeof *out);
	cols = calloc(g->enc->ncols, sizeof *cols);
	for (k = 0; out != NULL && k < nl && st == 0; k++)
		st = (out[k] = output_name(m, k)) == NULL;
	for (k = 0; cols != NULL && g->named && k < g->enc->ncols; k++)
		cols[k] = m->enc != NULL ? m->enc->col[k].name : m->features[k];
	if (out != NULL && cols != NULL && st == 0) {
		fprintf(g->f, "/* The layer sizes N_0 .. N_L. */\nstatic const size_t %s_layer_sizes[%d] = { ",
		    g->o->prefix, m->L + 1);
		for (l = 0; l <= m->L; l++)
			fprintf(g->f, "%zu%s", m->n[l], l < m->L ? ", " : " };\n");
		put_names(g, "The inputs' names (\"color=red\" for a category), or NULL.", "feature_names",
		    m->features, m->n[0]);
		put_names(g, "The feature columns' names, or NULL.", "column_names", g->named ? cols : NULL,
		    g->enc->ncols);
		if (m->nclasses > 0)
			put_names(g, "The class labels, in order.", "class_names", m->classes, m->nclasses);
		if (m->targets != NULL)
			put_names(g, "The target columns' names.", "target_names", m->targets, model_target_columns(m));
		put_names(g, "What each output is the probability of.", "output_names", out, nl);
	}
	names_free(out, nl);
	st = out == NULL || cols == NULL || st != 0 ? ST_NOMEM : 0;
	free(cols);
	return st;
}

/*
 * n numbers, NUMBERS_PER_LINE a line: a row, "{ a, b, c, d,\n\t  e }" (row
 * 1), or the lines of a top-level array, "\n\ta, b, c, d,\n\te\n" (row 0).
 */
static void
put_numbers(const struct gen *g, const double *v, size_t n, int row)
{
	size_t k;

	fputs(row ? "{ " : "\n\t", g->f);
	for (k = 0; k < n; k++) {
		if (k > 0)
			fputs(k % NUMBERS_PER_LINE != 0 ? " " : row ? "\n\t  " : "\n\t", g->f);
		put_number(g, v[k]);
		if (k + 1 < n)
			putc(',', g->f);
	}
	fputs(row ? " }" : "\n", g->f);
}

/* The feature columns: where their inputs start, their categories, their fill values. */
static void
put_columns(const struct gen *g)
{
	const struct encoding *e = g->enc;
	const char *p = g->o->prefix;
	size_t k, c;

	for (k = 0; k < e->ncols; k++)
		if (e->col[k].ncat > 0) {
			fprintf(g->f, "/* The categories of column %zu, in byte order: inputs %zu to %zu. */\n", k,
			    e->col[k].first, e->col[k].first + e->col[k].ncat - 1);
			fprintf(g->f, "static const char *const %s_categories_%zu[%zu] = {", p, k, e->col[k].ncat);
			for (c = 0; c < e->col[k].ncat; c++) {
				fputs(c % 4 == 0 ? "\n\t" : " ", g->f);
				put_string(g, e->col[k].cat[c]);
				fputs(c + 1 < e->col[k].ncat ? "," : "\n", g->f);
			}
			fputs("};\n", g->f);
		}
	fprintf(g->f, "/* Each feature column's first input; its categories (0: numeric, one input); the categories. */\n");
	fprintf(g->f, "static const size_t %s_column_first[%zu] = {", p, e->ncols);
	for (k = 0; k < e->ncols; k++)
		fprintf(g->f, "%s%zu%s", k % 8 == 0 ? "\n\t" : " ", e->col[k].first, k + 1 < e->ncols ? "," : "\n");
	fprintf(g->f, "};\nstatic const size_t %s_column_ncat[%zu] = {", p, e->ncols);
	for (k = 0; k < e->ncols; k++)
		fprintf(g->f, "%s%zu%s", k % 8 == 0 ? "\n\t" : " ", e->col[k].ncat, k + 1 < e->ncols ? "," : "\n");
	fprintf(g->f, "};\nstatic const char *const *const %s_column_categories[%zu] = {", p, e->ncols);
	for (k = 0; k < e->ncols; k++) {
		fputs(k % 4 == 0 ? "\n\t" : " ", g->f);
		if (e->col[k].ncat > 0)
			fprintf(g->f, "%s_categories_%zu", p, k);
		else
			fputs("NULL", g->f);
		fputs(k + 1 < e->ncols ? "," : "\n", g->f);
	}
	fprintf(g->f, "};\n/* Which numeric columns have a fill value for a missing value (--impute), and it. */\n");
	fprintf(g->f, "static const int %s_column_fills[%zu] = {", p, e->ncols);
	for (k = 0; k < e->ncols; k++)
		fprintf(g->f, "%s%d%s", k % 8 == 0 ? "\n\t" : " ", e->col[k].fill, k + 1 < e->ncols ? "," : "\n");
	fprintf(g->f, "};\nstatic const %s %s_column_fill[%zu] = {", g->real, p, e->ncols);
	for (k = 0; k < e->ncols; k++) {
		fputs(k % 4 == 0 ? "\n\t" : " ", g->f);
		put_number(g, e->col[k].fill ? e->col[k].value : 0);
		fputs(k + 1 < e->ncols ? "," : "\n", g->f);
	}
	fputs("};\n\n", g->f);
}

/* The standardisation and the weights, layer by layer, shapes in comments. */
static void
put_weights(const struct gen *g)
{
	const struct model *m = g->m;
	const char *p = g->o->prefix;
	size_t i, nin;
	int l;

	if (m->mean != NULL) {
		fprintf(g->f, "/* (N_0) the inputs' means and standard deviations: z_j = (x_j - mean_j) / std_j */\n");
		fprintf(g->f, "static const %s %s_mean[%zu] = {", g->real, p, m->n[0]);
		put_numbers(g, m->mean, m->n[0], 0);
		fprintf(g->f, "};\nstatic const %s %s_std[%zu] = {", g->real, p, m->n[0]);
		put_numbers(g, m->std, m->n[0], 0);
		fputs("};\n\n", g->f);
	}
	for (l = 1; l <= m->L; l++) {
		nin = m->n[l - 1];
		fprintf(g->f, "/*\n * Layer %d%s: (N_%d, N_%d + 1) = (%zu, %zu); row i = unit i, column 0 = its\n"
		    " * intercept w_i0, column j = w_ij, the weight of unit j of layer %d.\n */\n", l,
		    l == m->L ? ", the outputs" : "", l, l - 1, m->n[l], nin + 1, l - 1);
		fprintf(g->f, "static const %s %s_w%d[%zu][%zu] = {", g->real, p, l, m->n[l], nin + 1);
		for (i = 0; i < m->n[l]; i++) {
			fputs("\n\t", g->f);
			put_numbers(g, m->w[l] + i * (nin + 1), nin + 1, 1);
			if (i + 1 < m->n[l])
				putc(',', g->f);
		}
		fputs("\n};\n\n", g->f);
	}
}

/* PREFIX_predict_scratch: the standardisation, then a loop nest a layer, as model_forward sums. */
static void
put_forward(const struct gen *g)
{
	const struct model *m = g->m;
	const char *p = g->o->prefix, *f = g->o->single ? "f" : "";
	int l;

	fprintf(g->f, "/*\n * The probabilities p (%s_N_OUTPUTS) for the inputs x (%s_N_INPUTS: encoded, not\n"
	    " * standardised), with the caller's scratch (%s_SCRATCH numbers); p may be x.\n"
	    " * mlppredict's operations in its order: z_j = (x_j - mean_j) / std_j (by\n"
	    " * halves where x_j - mean_j overflows), then each layer's sums from the\n"
	    " * intercept in increasing j, and sigma(a) = 1 / (1 + exp(-a)).\n */\n", g->up, g->up, g->up);
	fprintf(g->f, "static inline void\n%s_predict_scratch(const %s *x, %s *p, %s *scratch)\n{\n", p, g->real,
	    g->real, g->real);
	fputs("#if defined(__clang__)\n#pragma STDC FP_CONTRACT OFF\n#endif\n", g->f);
	if (m->L > 1)
		fprintf(g->f, "\t%s *h0 = scratch, *h1 = scratch + %s_MAX_UNITS, a;\n", g->real, g->up);
	else
		fprintf(g->f, "\t%s *h0 = scratch, a;\n", g->real);
	fputs("\tsize_t i, j;\n\n", g->f);
	fprintf(g->f, "\tfor (j = 0; j < %zu; j++) {\n", m->n[0]);
	if (m->mean != NULL)
		fprintf(g->f, "\t\ta = (x[j] - %s_mean[j]) / %s_std[j];\n\t\tif (isinf(a))\n"
		    "\t\t\ta = (x[j] * 0.5%s - %s_mean[j] * 0.5%s) / (%s_std[j] * 0.5%s);\n\t\th0[j] = a;\n\t}\n",
		    p, p, f, p, f, p, f);
	else
		fputs("\t\th0[j] = x[j];\n\t}\n", g->f);
	for (l = 1; l <= m->L; l++) {
		fprintf(g->f, "\tfor (i = 0; i < %zu; i++) {\t/* layer %d */\n", m->n[l], l);
		fprintf(g->f, "\t\ta = %s_w%d[i][0];\n\t\tfor (j = 0; j < %zu; j++)\n\t\t\ta += %s_w%d[i][j + 1] * h%d[j];\n",
		    p, l, m->n[l - 1], p, l, (l - 1) % 2);
		if (l == m->L)
			fprintf(g->f, "\t\tp[i] = 1.0%s / (1.0%s + exp%s(-a));\n\t}\n", f, f, f);
		else
			fprintf(g->f, "\t\th%d[i] = 1.0%s / (1.0%s + exp%s(-a));\n\t}\n", l % 2, f, f, f);
	}
	fputs("}\n", g->f);
}

/* The template lines; "@unused" becomes the (void) uses of what the scorer does not call. */
static void
put_template(const struct gen *g, const char *const *lines)
{
	const char *p = g->o->prefix;

	for (; *lines != NULL; lines++) {
		if (strcmp(*lines, "@unused") != 0) {
			put_line(g, *lines);
			continue;
		}
		fprintf(g->f, "\t/* the rest of the model's interface, which this scorer does not use */\n");
		fprintf(g->f, "\t(void)%s_predict;\n\t(void)%s_encode;\n\t(void)%s_layer_sizes;\n\t(void)%s_feature_names;\n",
		    p, p, p, p);
		if (g->m->nclasses > 0)
			fprintf(g->f, "\t(void)%s_class_names;\n", p);
		if (g->m->targets != NULL)
			fprintf(g->f, "\t(void)%s_target_names;\n", p);
	}
}

int
export_write(FILE *f, const struct model *m, const struct export_opts *o, char *err, size_t errlen)
{
	struct gen g;
	struct encoding *own = NULL;
	size_t k;
	int st;

	if ((st = export_check(m, o, err, errlen)) != 0)
		return st;
	if (m->enc == NULL && (own = encoding_new(m->n[0])) == NULL) {
		snprintf(err, errlen, "out of memory");
		return ST_NOMEM;
	}
	memset(&g, 0, sizeof g);
	g.f = f;
	g.m = m;
	g.o = o;
	g.enc = m->enc != NULL ? m->enc : own;
	g.real = o->single ? "float" : "double";
	g.named = m->features != NULL;
	for (k = 0; k < EXPORT_MAX_PREFIX && o->prefix[k] != '\0'; k++)
		g.up[k] = (char)(o->prefix[k] >= 'a' && o->prefix[k] <= 'z' ? o->prefix[k] - 'a' + 'A' : o->prefix[k]);
	put_opening(&g);
	fprintf(f, "#ifndef %s_MODEL_H\n#define %s_MODEL_H\n\n#include <math.h>\n#include <stddef.h>\n\n", g.up, g.up);
	put_macros(&g);
	if ((st = put_tables(&g)) == 0) {
		put_columns(&g);
		put_weights(&g);
		put_template(&g, export_helpers);
		fputs("\n", f);
		put_forward(&g);
		put_template(&g, export_predict);
		fprintf(f, "\n#endif\t/* %s_MODEL_H */\n", g.up);
		if (o->main) {
			fputs("\n", f);
			put_template(&g, export_main);
		}
	}
	encoding_free(own);
	if (st != 0) {
		snprintf(err, errlen, "out of memory");
		return st;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "write error");
		return ST_IO;
	}
	return 0;
}
