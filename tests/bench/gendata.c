/*
 * gendata - seeded synthetic CSV data for the benchmark (tests/bench/README).
 *
 *     gendata train F ROWS SEED > train.csv
 *     gendata score F ROWS SEED > score.csv
 *
 * Both write a header "x1,...,xF,y" and ROWS rows of F features and a 0/1
 * label.  Feature j is a centred Gaussian with scale 0.5, 1, 2 or 3 (cycling
 * with j), so training without standardisation still sees several scales.
 * The label is a fixed random "teacher" network, F -> 16 tanh -> 1, applied
 * to the rescaled features and thresholded at 0.  The teacher depends on F
 * only (not on SEED nor on the mode), so a score file matches a train file
 * of the same F; it has no intercepts and tanh is odd, so the classes come
 * out balanced-ish.  2% of the labels are flipped.
 *
 * The rows depend on (mode, F, SEED); the generator is our own splitmix64,
 * numbers are printed with "%.6g" in the C locale: byte-identical output on
 * every machine with a correctly rounding printf.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEACHER_HIDDEN 16
#define FLIP_RATE 0.02
#define MAX_FEATURES 100000

struct sm64 {
	uint64_t s;
};

static uint64_t
sm64_next(struct sm64 *g)
{
	uint64_t x;

	g->s += UINT64_C(0x9e3779b97f4a7c15);
	x = g->s;
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

/* Uniform in the open interval (0, 1): 53 bits plus half a step. */
static double
sm64_open01(struct sm64 *g)
{
	return ((double)(sm64_next(g) >> 11) + 0.5) / 9007199254740992.0;
}

/* Standard normal by the polar (Marsaglia) method, one value per call. */
static double
sm64_normal(struct sm64 *g)
{
	double u, v, s;

	do {
		u = 2.0 * sm64_open01(g) - 1.0;
		v = 2.0 * sm64_open01(g) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	return u * sqrt(-2.0 * log(s) / s);
}

static double
feature_scale(size_t j)
{
	static const double scales[] = { 1.0, 0.5, 2.0, 3.0 };

	return scales[j % 4];
}

static int
parse_count(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	if (*s == '-' || *s == '+')
		return -1;
	*out = strtoull(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || *out > max)
		return -1;
	return 0;
}

static void
usage(void)
{
	fputs("usage: gendata train|score FEATURES ROWS SEED > file.csv\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	unsigned long long nf, rows, seed, r;
	struct sm64 teacher, data;
	double *w1, *w2, *x, h, out;
	size_t f, j, k;
	static char obuf[1 << 16];
	int label;

	if (argc != 5)
		usage();
	if (strcmp(argv[1], "train") != 0 && strcmp(argv[1], "score") != 0)
		usage();
	if (parse_count(argv[2], MAX_FEATURES, &nf) != 0 || nf < 1 ||
	    parse_count(argv[3], 1ULL << 40, &rows) != 0 ||
	    parse_count(argv[4], UINT64_MAX, &seed) != 0)
		usage();
	f = (size_t)nf;

	w1 = malloc(TEACHER_HIDDEN * f * sizeof *w1);
	w2 = malloc(TEACHER_HIDDEN * sizeof *w2);
	x = malloc(f * sizeof *x);
	if (w1 == NULL || w2 == NULL || x == NULL) {
		fputs("gendata: out of memory\n", stderr);
		return 1;
	}

	/* The teacher: a function of F alone. */
	teacher.s = UINT64_C(0x7465616368657221) ^ (uint64_t)f;
	for (k = 0; k < TEACHER_HIDDEN * f; k++)
		w1[k] = sm64_normal(&teacher) * 1.5 / sqrt((double)f);
	for (k = 0; k < TEACHER_HIDDEN; k++)
		w2[k] = sm64_normal(&teacher);

	/* The rows: a function of mode, F and SEED. */
	data.s = (uint64_t)seed * UINT64_C(0xd1342543de82ef95) + (uint64_t)f;
	if (argv[1][0] == 's')
		data.s ^= UINT64_C(0x5c0e5c0e5c0e5c0e);

	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	for (j = 0; j < f; j++)
		printf("x%zu,", j + 1);
	puts("y");
	for (r = 0; r < rows; r++) {
		for (j = 0; j < f; j++)
			x[j] = feature_scale(j) * sm64_normal(&data);
		out = 0;
		for (k = 0; k < TEACHER_HIDDEN; k++) {
			h = 0;
			for (j = 0; j < f; j++)
				h += w1[k * f + j] * (x[j] / feature_scale(j));
			out += w2[k] * tanh(h);
		}
		label = out > 0;
		if (sm64_open01(&data) < FLIP_RATE)
			label = !label;
		for (j = 0; j < f; j++)
			printf("%.6g,", x[j]);
		printf("%d\n", label);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gendata: write");
		return 1;
	}
	free(w1);
	free(w2);
	free(x);
	return 0;
}
