/*
 * The network: layout, initialisation, forward pass, backpropagation and the
 * SGD step, in the notation of lecture 11: the reference implementation,
 * plain loops written as the lecture writes them.
 *
 * Layers are numbered l = 0..L: layer 0 is the input, layer L the output,
 * N_l units in layer l.  Unit i of layer l >= 1 computes
 *     a_i^(l) = w_i0^(l) + sum_{j=1..N_{l-1}} w_ij^(l) z_j^(l-1)
 *     z_i^(l) = sigma(a_i^(l)),  sigma(a) = 1 / (1 + exp(-a))
 * and every output z_i^(L) is an independent class probability.
 *
 * Training does not run model_forward, model_backward and model_sgd_step:
 * it runs the kernels of kernels.h (kernel_forward, and kernel_train_step,
 * backpropagation and the update fused in one pass), and mlppredict scores
 * with kernel_forward_packed.  tests/unit/test_model.c proves them bit for
 * bit identical to the functions here, which in turn are checked against
 * central differences and values worked out by hand.
 */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "rng.h"
#include "schedule.h"

#define MODEL_MAX_UNITS 1000000		/* largest N_l accepted */
#define MODEL_MAX_LAYERS 1000		/* largest L accepted */
#define MODEL_MAX_WEIGHTS ((size_t)1 << 31)	/* largest total weight count */
#define MODEL_MAX_WORKERS 4096		/* most workers (-j, MPI ranks) a training run may have */

/*
 * How the model was trained: recorded in the model file under "training".
 * The reader fills in what a resumed run (mlptrain -i) continues from:
 * epochs, updates, rate and schedule, seed and rng, split; it checks
 * shuffle (which -S decides afresh); the rest is for information.  A "training" object the reader cannot use does
 * not make the model unreadable (mlppredict does not need it): `bad` says
 * why, for mlptrain -i to refuse it.
 */
struct train_info {
	int have;		/* 0 until training (or the reader) filled it in */
	char *bad;		/* the reader's message when "training" was not as written; owned */
	size_t rows;
	uint64_t epochs;	/* epochs the weights have seen, over every run */
	uint64_t updates;	/* SGD updates they have seen */
	struct schedule sched;	/* the rate and its schedule (sched.rate 0: the record has none) */
	int have_seed;		/* 1 when seed is known (the reader: when it is below 2^53) */
	uint64_t seed;
	int have_rng;		/* 1 when rng holds the state the next epoch's order starts from */
	uint64_t rng;
	int shuffle;
	uint64_t workers;	/* that trained it last: 1, or -j's threads or MPI's ranks, */
	uint64_t sync_every;	/* averaging every this many rows of each (0: every epoch), */
	uint64_t *worker_rng;	/* (workers - 1) and the states of the streams of workers 1, 2, ...; owned */
	int from_model;		/* started from --init rather than a random draw */
	double loss;		/* mean log loss of the final model on the training rows */
	double accuracy;
	char *weight_column;	/* the -w column's name (or "column N"), or NULL; owned */
	int balanced;		/* --class-weight balanced, with these weights of the classes: */
	double *class_weight;	/* (model_classes) the weight of each class (of targets 0 and 1
				   without labels); owned */
	int soft;		/* --soft-targets: targets were numbers in [0, 1] */
	size_t dropped;		/* rows skipped for missing values */
	size_t filled;		/* missing values imputed in the training rows (--impute) */
	int have_val;		/* 1 with validation rows: */
	size_t val_rows;
	double holdout;		/* the fraction held out, with the state the split was drawn from, */
	uint64_t split;
	int have_split;		/* (have_split 1) or 0 when they came from a file: */
	char *val_file;		/* its name; owned */
	double val_loss, val_accuracy;
	uint64_t patience;	/* > 0 with early stopping: */
	double tol;
	uint64_t best_epoch, last_epoch;	/* the epoch kept, the last one run */
	int stopped;		/* 1 when patience ran out */
};

struct model {
	int L;			/* number of weight layers */
	size_t *n;		/* (L+1): n[l] = N_l */
	size_t nweights;	/* sum over l of N_l (N_{l-1} + 1) */
	double *w_mem;		/* (nweights): every weight, layer after layer */
	double **w;		/* (L+1): w[l] -> (N_l, N_{l-1}+1) block of w_mem, row i = unit i,
				   column 0 = intercept w_i0, column j = w_ij; w[0] unused */
	double *mean;		/* (N_0) feature means, or NULL when not standardising */
	double *std;		/* (N_0) feature standard deviations (never 0), or NULL */
	char **features;	/* (N_0) the inputs' names, from the CSV header ("color=red" for a
				   category), or NULL */
	char **targets;		/* (model_target_columns) the target columns' names, or NULL */
	char **classes;		/* (nclasses) the class labels of the one target column, in order, or
				   NULL: with two, the one output is the probability of classes[1];
				   with K > 2, output k is the probability of classes[k] */
	size_t nclasses;	/* K: 0 without labels, else 2 (one output) or N_L */
	struct encoding *enc;	/* how the inputs come from the feature columns (encode.h), or NULL:
				   input j is the numeric column named features[j] */
	struct train_info info;
};

/* Activations and deltas for one sample. */
struct work {
	double *mem;		/* owns everything below */
	double **a;		/* (L+1): a[l] (N_l) pre-activations; a[0] unused */
	double **z;		/* (L+1): z[l] (N_l) post-activations; z[0] = input */
	double **delta;		/* (L+1): delta[l] (N_l) = dL/da^(l); delta[0] unused */
};

/*
 * Checks a layer list (count entries, count >= 2, each 1..MODEL_MAX_UNITS,
 * weight count within MODEL_MAX_WEIGHTS).  Returns 0 or writes why to err.
 */
int model_check_sizes(const size_t *n, int count, char *err, size_t errlen);
/* A model with sizes n[0..L], weights zero, no standardisation or names; NULL when out of memory. Free with model_free. */
struct model *model_new(const size_t *n, int L);
/* Moves big weights onto huge pages, for training (model.c says why). */
void model_weights_hot(struct model *m);
/* Frees m and everything it owns; NULL is fine. */
void model_free(struct model *m);
/* Sets every weight, intercepts included, uniform in [-b, b], b = sqrt(2 / (N_{l-1} + N_l)). */
void model_init_glorot(struct model *m, struct rng *r);
/* Sets mean and std (copied, N_0 each); returns -1 when out of memory. */
int model_set_standardize(struct model *m, const double *mean, const double *std);

/* Workspace for m; NULL when out of memory.  Free with work_free. */
struct work *work_new(const struct model *m);
/* Frees ws; NULL is fine. */
void work_free(struct work *ws);

/* sigma(a) = 1 / (1 + exp(-a)). */
double sigmoid(double a);
/*
 * Applies the model's standardisation: out_j = (x_j - mean_j) / std_j, or a
 * copy; computed by halves when x_j - mean_j alone would overflow.
 */
void model_standardize(const struct model *m, double *out, const double *x);
/* model_standardize of x[from..to-1] alone, in place (for a row read in two parts); the rest of x is left as it is. */
void model_standardize_part(const struct model *m, double *x, size_t from, size_t to);
/*
 * Step 1, the forward pass from an (already standardised) input x (N_0):
 * fills ws->a and ws->z (z[0] = x); returns z[L] (N_L) inside ws.
 */
const double *model_forward(const struct model *m, struct work *ws, const double *x);
/* Log loss of the last forward pass for targets t (N_L): sum_i softplus(a_i) - t_i a_i. */
double model_loss(const struct model *m, const struct work *ws, const double *t);
/*
 * Outputs of the last forward pass that agree with t at threshold 0.5; with
 * K > 2 classes, 1 when the largest output is the class of t (the first
 * largest on a tie), else 0.  Accuracy is hits / (rows x model_hit_units).
 */
size_t model_hits(const struct model *m, const struct work *ws, const double *t);
/* What a row's hits are out of: 1 with K > 2 classes, else N_L. */
size_t model_hit_units(const struct model *m);
/*
 * Steps 2 to 4, backpropagation after model_forward: fills ws->delta and
 * writes dL/dw_ij^(l) = delta_i^(l) z_j^(l-1) (z_0 = 1) into grad (nweights),
 * laid out as w_mem.
 */
void model_backward(const struct model *m, struct work *ws, const double *t, double *grad);
/* Step 5, the SGD update w <- w - eta * grad over every weight. */
void model_sgd_step(struct model *m, const double *grad, double eta);
/* The target columns: 1 with K > 2 classes (one column, K outputs), else N_L. */
size_t model_target_columns(const struct model *m);
/* The classes a class weight is kept for: K with labels, else 2 (targets 0 and 1). */
size_t model_classes(const struct model *m);
/*
 * Returns 1 when every weight is finite and no unit's weighted sum can
 * overflow for inputs in [-1, 1] (see model_overflows).
 */
int model_finite(const struct model *m);
/*
 * Whether the weighted sum of some unit can overflow for inputs in [-1, 1]
 * (every hidden output is in [0, 1]): the magnitudes of its weights, bias
 * included, add up past the largest double.  Returns 1 and that unit, the
 * first in layer order (*layer from 1, *unit from 0), else 0.
 */
int model_overflows(const struct model *m, int *layer, size_t *unit);

#endif
