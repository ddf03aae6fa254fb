/*
 * Learning-rate schedules: eta, eta / (1 + k t), or eta g^floor((e-1)/n).
 */
#include <math.h>
#include <string.h>

#include "schedule.h"

static const char *const decay_names[] = { "none", "inverse", "step" };

const char *
schedule_name(enum decay kind)
{
	return decay_names[kind];
}

int
schedule_kind(const char *name)
{
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(name, decay_names[i]) == 0)
			return i;
	return -1;
}

double
schedule_rate(const struct schedule *s, uint64_t e, uint64_t t)
{
	uint64_t steps;

	switch (s->kind) {
	case DECAY_INVERSE:
		return s->rate / (1 + s->k * (double)t);
	case DECAY_STEP:
		steps = (e - 1) / s->every;	/* floor((e - 1) / n) */
		return s->rate * pow(s->factor, (double)steps);
	default:
		return s->rate;
	}
}
