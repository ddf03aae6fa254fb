/*
 * ceiling - the "plain-C ceiling" of the benchmark (tests/bench/README).
 *
 *     ceiling [-sz] [-w WEIGHTS] LAYERS FILE EPOCHS [RATE [SEED]]
 *
 * Per-sample SGD on the log loss for a sigmoid MLP, in double precision,
 * doing the lecture's arithmetic and nothing else: forward pass, delta_out
 * = y - t, deltas back-propagated with z (1 - z) using the weights of the
 * forward pass, update w -= eta * (delta * z).  Rows are visited in file
 * order and the inputs are used raw: the same run as `mlptrain -S -Z`.
 * The initial weights are drawn as mlptrain draws them (Glorot-uniform from
 * splitmix64 seeded with SEED, default 1, layer after layer, row-major,
 * intercept first), so the final weights agree with mlptrain's model.
 * What mlptrain does by default takes two flags (the weights then differ
 * from mlptrain's: its own random order is not this one):
 *
 *   -s  every epoch in a fresh random order of the rows (Fisher-Yates over
 *       an index array from splitmix64, inside the timed loop), read where
 *       they are, as mlptrain reads its shuffled rows
 *   -z  features standardised as mlptrain does before the clock starts
 *       (loadcsv_standardize)
 *
 * It is meant to be fast: one weight block per layer, no gradient buffer
 * (each layer's back-propagated sum reads a weight just before the update
 * overwrites it, in the same pass), no loss, no accuracy, no checks.  The
 * order of every floating-point operation is mlptrain's, so the compiler may
 * not reassociate sums (no -ffast-math).  Built with -O3 -march=native.
 *
 * stderr gets one line "ceiling: rows=R epochs=E seconds=S samples_per_s=X"
 * where S is the training loop alone (clock_gettime, CLOCK_MONOTONIC):
 * reading the CSV and setting up are outside.  -w writes the final weights,
 * one "%.17g" per line in the model file's order.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loadcsv.h"

#define MAX_LAYERS 64

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

/*
 * Row i of layer l: acc_j += delta_i w_ij (for delta^(l-1), read before the
 * write), then w_ij -= eta (delta_i z_j), w_i0 -= eta delta_i.
 */
static void
update_and_sum(double *restrict wrow, const double *restrict zin, double *restrict acc,
    size_t nin, double d, double eta)
{
	size_t j;

	wrow[0] -= eta * d;
	for (j = 0; j < nin; j++) {
		acc[j] += d * wrow[j + 1];
		wrow[j + 1] -= eta * (d * zin[j]);
	}
}

/* The same for layer 1, whose deltas are not needed. */
static void
update(double *restrict wrow, const double *restrict zin, size_t nin, double d, double eta)
{
	size_t j;

	wrow[0] -= eta * d;
	for (j = 0; j < nin; j++)
		wrow[j + 1] -= eta * (d * zin[j]);
}

static void
usage(void)
{
	fputs("usage: ceiling [-sz] [-w weights-out] n0,n1,...,nL file.csv epochs [rate [seed]]\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	unsigned n[MAX_LAYERS + 1];
	double *w[MAX_LAYERS + 1], *z[MAX_LAYERS + 1], *delta[MAX_LAYERS + 1];
	double *acc, *wm, eta = 0.1, b, a, sum, s;
	const double *x, *wi, *zin;
	int nomem = 0, shuffle = 0, standardize = 0;
	uint64_t state = 1, order = 42;
	unsigned long epochs, e;
	size_t r, i, j, nin, total = 0, maxn = 0, *idx = NULL;
	const char *wout = NULL;
	struct table t;
	struct timespec t0;
	char err[512];
	int L, l, c;
	FILE *f;

	while ((c = getopt(argc, argv, "sw:z")) != -1) {
		if (c == 's')
			shuffle = 1;
		else if (c == 'w')
			wout = optarg;
		else if (c == 'z')
			standardize = 1;
		else
			usage();
	}
	argc -= optind;
	argv += optind;
	if (argc < 3 || argc > 5)
		usage();
	if ((L = loadcsv_layers(argv[0], n, MAX_LAYERS + 1)) < 0)
		usage();
	L--;
	epochs = strtoul(argv[2], NULL, 10);
	if (argc > 3)
		eta = strtod(argv[3], NULL);
	if (argc > 4)
		state = strtoull(argv[4], NULL, 10);

	if (loadcsv(argv[1], &t, err, sizeof err) != 0) {
		fprintf(stderr, "ceiling: %s\n", err);
		return 1;
	}
	if (t.cols != (size_t)n[0] + n[L]) {
		fprintf(stderr, "ceiling: %s has %zu columns, layers want %u + %u\n",
		    argv[1], t.cols, n[0], n[L]);
		return 1;
	}

	if (standardize)
		loadcsv_standardize(&t, n[0]);
	if (shuffle && (idx = malloc(t.rows * sizeof *idx)) == NULL) {
		fputs("ceiling: out of memory\n", stderr);
		return 1;
	}
	for (l = 1; l <= L; l++) {
		total += (size_t)n[l] * (n[l - 1] + 1);
		if (n[l - 1] > maxn)
			maxn = n[l - 1];
	}
	wm = malloc(total * sizeof *wm);
	acc = malloc(maxn * sizeof *acc);
	for (l = 0; l <= L; l++) {
		z[l] = malloc(n[l] * sizeof **z);
		delta[l] = malloc(n[l] * sizeof **delta);
		nomem |= z[l] == NULL || delta[l] == NULL;
	}
	if (wm == NULL || acc == NULL || nomem) {
		fputs("ceiling: out of memory\n", stderr);
		return 1;
	}
	/* Glorot-uniform, as mlptrain: b * (2 u - 1), u = top 53 bits * 2^-53. */
	w[0] = NULL;
	w[1] = wm;
	for (l = 1; l <= L; l++) {
		if (l > 1)
			w[l] = w[l - 1] + (size_t)n[l - 1] * (n[l - 2] + 1);
		b = sqrt(2.0 / (double)(n[l - 1] + n[l]));
		for (i = 0; i < (size_t)n[l] * (n[l - 1] + 1); i++)
			w[l][i] = b * (2.0 * ((double)(splitmix64(&state) >> 11) * 0x1.0p-53) - 1.0);
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (e = 0; e < epochs; e++) {
		if (shuffle)
			loadcsv_shuffle(idx, t.rows, &order);
		for (r = 0; r < t.rows; r++) {
			x = t.v + (shuffle ? idx[r] : r) * t.cols;
			/* Forward: a_i = w_i0 + sum_j w_ij z_j, z_i = sigma(a_i). */
			memcpy(z[0], x, n[0] * sizeof *x);
			for (l = 1; l <= L; l++) {
				nin = n[l - 1];
				zin = z[l - 1];
				for (i = 0; i < n[l]; i++) {
					wi = w[l] + i * (nin + 1);
					a = wi[0];
					for (j = 0; j < nin; j++)
						a += wi[j + 1] * zin[j];
					z[l][i] = 1.0 / (1.0 + exp(-a));
				}
			}
			/* delta_out = y - t. */
			for (i = 0; i < n[L]; i++)
				delta[L][i] = z[L][i] - x[n[0] + i];
			/*
			 * Layer by layer from the top: the sum for delta^(l-1)
			 * reads w_ij before the update writes it.
			 */
			for (l = L; l >= 1; l--) {
				nin = n[l - 1];
				zin = z[l - 1];
				if (l > 1) {
					for (j = 0; j < nin; j++)
						acc[j] = 0;
					for (i = 0; i < n[l]; i++)
						update_and_sum(w[l] + i * (nin + 1), zin, acc, nin, delta[l][i], eta);
					for (j = 0; j < nin; j++)
						delta[l - 1][j] = zin[j] * (1.0 - zin[j]) * acc[j];
				} else {
					for (i = 0; i < n[l]; i++)
						update(w[l] + i * (nin + 1), zin, nin, delta[l][i], eta);
				}
			}
		}
	}
	s = seconds_since(&t0);

	/* Keep the result alive and let -w show it. */
	sum = 0;
	for (i = 0; i < total; i++)
		sum += wm[i];
	fprintf(stderr, "ceiling: rows=%zu epochs=%lu seconds=%.6f samples_per_s=%.1f weight_sum=%.17g\n",
	    t.rows, epochs, s, s > 0 ? (double)t.rows * (double)epochs / s : 0.0, sum);
	if (wout != NULL) {
		if ((f = fopen(wout, "w")) == NULL) {
			perror(wout);
			return 3;
		}
		for (i = 0; i < total; i++)
			fprintf(f, "%.17g\n", wm[i]);
		if (fclose(f) != 0) {
			perror(wout);
			return 3;
		}
	}
	return 0;
}
