/*
 * fann_peer - the FANN contender of the benchmark (tests/bench/README).
 *
 *     fann_peer [-sz] LAYERS FILE EPOCHS [RATE [SEED]]
 *
 * Trains a FANN network (libfann, single precision: floatfann) of the same
 * shape as mlptrain on the same CSV, by per-sample SGD: fann_train() on each
 * row (FANN_TRAIN_INCREMENTAL, the algorithm fann_train always uses),
 * learning rate RATE (default 0.1), no momentum, EPOCHS passes.  Rows in
 * file order and raw inputs, as `mlptrain -S -Z`; what mlptrain does by
 * default takes two flags:
 *
 *   -s  shuffle before every epoch with fann_shuffle_train_data (FANN's own:
 *       it swaps whole rows of its train data with rand(), seeded with SEED;
 *       the epoch then reads them in memory order), inside the timed loop
 *   -z  standardise every feature as mlptrain does (population std, a std
 *       of 0 counting as 1; loadcsv_standardize) before the clock starts
 *
 * Units: FANN_SIGMOID in the hidden and the output layers.  FANN computes
 * FANN_SIGMOID as 1 / (1 + exp(-2 s a)) for steepness s, so the logistic
 * sigma(a) of mlptrain is steepness 0.5 (FANN's default, set explicitly
 * here; 1.0 would be sigma(2a)); main() checks this on a one-weight net
 * before training.  The error function is FANN_ERRORFUNC_LINEAR (FANN's
 * default, tanh, rescales the error): the gradient is then that of the mean
 * squared error, not of the log loss, so FANN is a speed peer, not an
 * accuracy peer.  Initial weights: Glorot-uniform from splitmix64 seeded
 * with SEED (default 1), mlptrain's bound, written straight into
 * ann->weights (struct fann is public in fann_data.h) in the order of
 * fann_get_connection_array: fann_set_weight_array searches the whole net
 * for every connection, quadratic, about 2 s for the 100-256-128-1 net.
 *
 * The CSV is parsed with strtod (loadcsv.h) into memory and converted to
 * float rows (FANN's train data) before the clock starts; stderr gets one line
 * "fann_peer: rows=R epochs=E seconds=S samples_per_s=X mse=M", S being the
 * training loop alone (clock_gettime, CLOCK_MONOTONIC).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <floatfann.h>

#include "loadcsv.h"

#define MAX_LAYERS 64
#define LOGISTIC_STEEPNESS 0.5f		/* FANN_SIGMOID(s = 0.5) = 1 / (1 + exp(-a)) */

/* Our units are FANN's FANN_SIGMOID at LOGISTIC_STEEPNESS: checked, not assumed. */
static int
check_logistic(void)
{
	struct fann *ann = fann_create_standard(2, 1, 1);
	struct fann_connection c[2];
	fann_type in[1] = { 1.5f }, *out;
	double want = 1.0 / (1.0 + exp(-(1.5 * 0.75 - 0.25)));
	unsigned k;
	int ok;

	if (ann == NULL || fann_get_total_connections(ann) != 2)
		return 0;
	fann_set_activation_function_output(ann, FANN_SIGMOID);
	fann_set_activation_steepness_output(ann, LOGISTIC_STEEPNESS);
	fann_get_connection_array(ann, c);
	for (k = 0; k < 2; k++)
		c[k].weight = c[k].from_neuron == 0 ? 0.75f : -0.25f;	/* neuron 1 is the bias */
	fann_set_weight_array(ann, c, 2);
	out = fann_run(ann, in);
	ok = fabs(out[0] - want) < 1e-6;
	fann_destroy(ann);
	return ok;
}

static void
usage(void)
{
	fputs("usage: fann_peer [-sz] n0,n1,...,nL file.csv epochs [rate [seed]]\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	unsigned n[MAX_LAYERS + 1], k, nconn, *first;
	struct fann_connection *conn;
	struct fann *ann;
	struct fann_train_data *data;
	struct timespec t0, t1;
	struct table t;
	unsigned long epochs, e;
	uint64_t state = 1;
	double eta = 0.1, s;
	size_t r, j;
	char err[512];
	int L, l, c, shuffle = 0, standardize = 0;

	while ((c = getopt(argc, argv, "sz")) != -1) {
		if (c == 's')
			shuffle = 1;
		else if (c == 'z')
			standardize = 1;
		else
			usage();
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 4 || argc > 6)
		usage();
	if ((L = loadcsv_layers(argv[1], n, MAX_LAYERS + 1)) < 0)
		usage();
	L--;
	epochs = strtoul(argv[3], NULL, 10);
	if (argc > 4)
		eta = strtod(argv[4], NULL);
	if (argc > 5)
		state = strtoull(argv[5], NULL, 10);
	srand((unsigned)state);	/* fann_shuffle_train_data draws with rand() */

	if (!check_logistic()) {
		fputs("fann_peer: FANN_SIGMOID at steepness 0.5 is not 1/(1+exp(-a)) in this libfann\n", stderr);
		return 1;
	}
	if (loadcsv(argv[2], &t, err, sizeof err) != 0) {
		fprintf(stderr, "fann_peer: %s\n", err);
		return 1;
	}
	if (t.cols != (size_t)n[0] + n[L]) {
		fprintf(stderr, "fann_peer: %s has %zu columns, layers want %u + %u\n",
		    argv[2], t.cols, n[0], n[L]);
		return 1;
	}
	if (standardize)
		loadcsv_standardize(&t, n[0]);
	/* Single precision rows, features and targets, in FANN's train data (what it shuffles). */
	if ((data = fann_create_train((unsigned)t.rows, n[0], n[L])) == NULL) {
		fputs("fann_peer: out of memory\n", stderr);
		return 1;
	}
	for (r = 0; r < t.rows; r++)
		for (j = 0; j < t.cols; j++) {
			if (j < n[0])
				data->input[r][j] = (fann_type)t.v[r * t.cols + j];
			else
				data->output[r][j - n[0]] = (fann_type)t.v[r * t.cols + j];
		}
	free(t.v);

	if ((ann = fann_create_standard_array((unsigned)L + 1, n)) == NULL) {
		fputs("fann_peer: fann_create_standard_array failed\n", stderr);
		return 1;
	}
	fann_set_activation_function_hidden(ann, FANN_SIGMOID);
	fann_set_activation_function_output(ann, FANN_SIGMOID);
	fann_set_activation_steepness_hidden(ann, LOGISTIC_STEEPNESS);
	fann_set_activation_steepness_output(ann, LOGISTIC_STEEPNESS);
	fann_set_training_algorithm(ann, FANN_TRAIN_INCREMENTAL);
	fann_set_train_error_function(ann, FANN_ERRORFUNC_LINEAR);
	fann_set_learning_rate(ann, (float)eta);
	fann_set_learning_momentum(ann, 0.0f);

	/*
	 * Glorot-uniform weights, bound sqrt(2 / (N_{l-1} + N_l)) per layer.
	 * FANN numbers neurons layer after layer, each layer's bias last; a
	 * connection belongs to layer l when its target lies in layer l.
	 */
	nconn = fann_get_total_connections(ann);
	conn = malloc(nconn * sizeof *conn);
	first = malloc(((size_t)L + 2) * sizeof *first);
	if (conn == NULL || first == NULL) {
		fputs("fann_peer: out of memory\n", stderr);
		return 1;
	}
	first[0] = 0;
	for (l = 0; l <= L; l++)
		first[l + 1] = first[l] + n[l] + 1;	/* +1: the bias neuron */
	/* Connection k of fann_get_connection_array is ann->weights[k]. */
	fann_get_connection_array(ann, conn);
	if (ann->total_connections != nconn) {
		fputs("fann_peer: unexpected struct fann layout\n", stderr);
		return 1;
	}
	for (k = 0; k < nconn; k++) {
		for (l = 1; l <= L && conn[k].to_neuron >= first[l + 1]; l++)
			;
		ann->weights[k] = (fann_type)(sqrt(2.0 / (double)(n[l - 1] + n[l])) *
		    (2.0 * ((double)(splitmix64(&state) >> 11) * 0x1.0p-53) - 1.0));
	}
	free(conn);
	free(first);
	fann_reset_MSE(ann);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (e = 0; e < epochs; e++) {
		if (shuffle)
			fann_shuffle_train_data(data);
		for (r = 0; r < t.rows; r++)
			fann_train(ann, data->input[r], data->output[r]);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);

	fprintf(stderr, "fann_peer: rows=%zu epochs=%lu seconds=%.6f samples_per_s=%.1f mse=%.6f\n",
	    t.rows, epochs, s, s > 0 ? (double)t.rows * (double)epochs / s : 0.0, fann_get_MSE(ann));
	fann_destroy(ann);
	fann_destroy_train(data);
	return 0;
}
