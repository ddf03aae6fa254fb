/*
 * An independent implementation of lecture 11, for the end-to-end tests:
 * it shares no code with src/.  It reads the starting weights from a model
 * file, trains by per-sample SGD over a plain CSV (no header handling beyond
 * skipping a first line that does not start with a number, no quoting, no
 * standardisation, rows in file order), then compares its weights with
 * those of the model mlptrain wrote.
 *
 * usage: ref_lecture START.json DATA.csv EPOCHS RATE TRAINED.json
 * exit 0 when every weight agrees to 1e-9 relative (or 1e-12 absolute).
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXL 16
#define MAXN 256
#define MAXROWS 100000

static int L;			/* weight layers */
static int N[MAXL + 1];		/* units per layer */
static double *W[MAXL + 1];	/* W[l][i * (N[l-1] + 1) + j] = w_ij^(l), j = 0 the intercept */

static double
w_get(double *w, int l, int i, int j)
{
	return w[i * (N[l - 1] + 1) + j];
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *s;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		exit(2);
	rewind(f);
	s = calloc((size_t)n + 1, 1);
	if (s == NULL || fread(s, 1, (size_t)n, f) != (size_t)n)
		exit(2);
	fclose(f);
	return s;
}

/* Reads layers and weights of a model file; with out == NULL, sets N, L and allocates W. */
static void
read_model(const char *path, double **out)
{
	char *text = slurp(path);
	cJSON *root = cJSON_Parse(text), *layers, *ws, *mat, *row, *v;
	int l, i, j;

	if (root == NULL)
		exit(2);
	layers = cJSON_GetObjectItem(root, "layers");
	ws = cJSON_GetObjectItem(root, "weights");
	if (out == NULL) {
		L = cJSON_GetArraySize(layers) - 1;
		if (L < 1 || L > MAXL)
			exit(2);
		for (l = 0; l <= L; l++)
			N[l] = cJSON_GetArrayItem(layers, l)->valueint;
		out = W;
	}
	for (l = 1; l <= L; l++) {
		out[l] = calloc((size_t)(N[l] * (N[l - 1] + 1)), sizeof(double));
		mat = cJSON_GetArrayItem(ws, l - 1);
		for (i = 0; i < N[l]; i++) {
			row = cJSON_GetArrayItem(mat, i);
			for (j = 0; j <= N[l - 1]; j++) {
				v = cJSON_GetArrayItem(row, j);
				if (v == NULL)
					exit(2);
				out[l][i * (N[l - 1] + 1) + j] = v->valuedouble;
			}
		}
	}
	cJSON_Delete(root);
	free(text);
}

int
main(int argc, char **argv)
{
	static double X[MAXROWS][MAXN], T[MAXROWS][MAXN];
	static double a[MAXL + 1][MAXN], z[MAXL + 1][MAXN], delta[MAXL + 1][MAXN];
	double *trained[MAXL + 1], rate, y, sum, worst = 0, diff;
	char line[65536], *p, *end;
	int rows = 0, epochs, e, r, l, i, j, k, nf, bad = 0;
	FILE *f;

	if (argc != 6)
		return 2;
	read_model(argv[1], NULL);
	epochs = atoi(argv[3]);
	rate = strtod(argv[4], NULL);
	nf = N[0];

	if ((f = fopen(argv[2], "r")) == NULL)
		return 2;
	while (fgets(line, sizeof line, f) != NULL && rows < MAXROWS) {
		p = line;
		if (rows == 0 && strchr("+-.0123456789", *p) == NULL && !(*p >= '0' && *p <= '9'))
			continue;	/* a header */
		for (k = 0; k < nf + N[L]; k++) {
			double v = strtod(p, &end);

			if (end == p)
				return 2;
			if (k < nf)
				X[rows][k] = v;
			else
				T[rows][k - nf] = v;
			p = end + (*end == ',');
		}
		rows++;
	}
	fclose(f);

	for (e = 0; e < epochs; e++) {
		for (r = 0; r < rows; r++) {
			/* step 1: forward */
			for (j = 0; j < nf; j++)
				z[0][j] = X[r][j];
			for (l = 1; l <= L; l++)
				for (i = 0; i < N[l]; i++) {
					a[l][i] = w_get(W[l], l, i, 0);
					for (j = 1; j <= N[l - 1]; j++)
						a[l][i] += w_get(W[l], l, i, j) * z[l - 1][j - 1];
					z[l][i] = 1 / (1 + exp(-a[l][i]));
				}
			/* step 2: delta_out = y - t */
			for (i = 0; i < N[L]; i++) {
				y = z[L][i];
				delta[L][i] = y - T[r][i];
			}
			/* step 3: delta_i^(l-1) = sigma'(a_i^(l-1)) sum_j delta_j^(l) w_ji^(l) */
			for (l = L; l >= 2; l--)
				for (i = 0; i < N[l - 1]; i++) {
					sum = 0;
					for (j = 0; j < N[l]; j++)
						sum += delta[l][j] * w_get(W[l], l, j, i + 1);
					delta[l - 1][i] = z[l - 1][i] * (1 - z[l - 1][i]) * sum;
				}
			/* steps 4 and 5: w_ij <- w_ij - eta delta_i z_j, z_0 = 1 */
			for (l = 1; l <= L; l++)
				for (i = 0; i < N[l]; i++)
					for (j = 0; j <= N[l - 1]; j++)
						W[l][i * (N[l - 1] + 1) + j] -= rate * delta[l][i] * (j == 0 ? 1 : z[l - 1][j - 1]);
		}
	}

	read_model(argv[5], trained);
	for (l = 1; l <= L; l++)
		for (k = 0; k < N[l] * (N[l - 1] + 1); k++) {
			diff = fabs(trained[l][k] - W[l][k]);
			if (diff > 1e-12 && diff > 1e-9 * fabs(W[l][k])) {
				bad++;
				worst = fmax(worst, diff / fabs(W[l][k]));
			}
		}
	printf("ref_lecture: %d rows, %d epochs, %d weights off (worst relative %g)\n", rows, epochs, bad, worst);
	return bad != 0;
}
