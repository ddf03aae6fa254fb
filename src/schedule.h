/*
 * Learning-rate schedules (mlptrain(1), LEARNING RATE): the kinds, their
 * names as the command line and the model file spell them, and the rate of
 * an update.  At the bottom of the include graph: the training loop, the
 * model file and the command line use it; it uses nothing of theirs.
 */
#ifndef SCHEDULE_H
#define SCHEDULE_H

#include <stdint.h>

enum decay {
	DECAY_NONE,		/* eta_t = eta */
	DECAY_INVERSE,		/* eta_t = eta / (1 + k t), t = updates made before this one */
	DECAY_STEP		/* eta_t = eta * factor^floor((e - 1) / every), e = the epoch, from 1 */
};

struct schedule {
	enum decay kind;
	double rate;		/* eta */
	double k;		/* DECAY_INVERSE */
	uint64_t every;		/* DECAY_STEP: epochs per step (>= 1) */
	double factor;		/* DECAY_STEP: in (0, 1] */
};

/* "none", "inverse", "step". */
const char *schedule_name(enum decay kind);
/* The kind of a name, or -1 for another name. */
int schedule_kind(const char *name);
/* The rate of an update made in epoch e (from 1) after t earlier updates. */
double schedule_rate(const struct schedule *s, uint64_t e, uint64_t t);

#endif
