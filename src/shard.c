/*
 * The parts of a CSV file (shard.h): the cuts, the scan that checks where
 * each part starts and counts its lines, and the agreement on the result.
 */
#include <stdlib.h>
#include <string.h>

#include "shard.h"
#include "status.h"

uint64_t
shard_cut(uint64_t size, int parts, int r)
{
	uint64_t p = (uint64_t)parts, k = (uint64_t)r;

	return size / p * k + size % p * k / p;	/* floor(k size / p) without overflow */
}

/* What each worker tells the others after scanning its part. */
struct scan {
	uint64_t start;		/* where it started */
	uint64_t stop;		/* where its last record ended: the start of the next part's first */
	int64_t lines;		/* line ends in [start, stop) */
	int32_t st;		/* 0, or why it could not read its part */
};

static int
count_row(void *ctx, const struct csv_row *row, char *err, size_t errlen)
{
	(void)ctx;
	(void)row;
	(void)err;
	(void)errlen;
	return 0;
}

/* Reads [s->start, to) for its stop and lines; the status in s->st. */
static void
scan_part(struct scan *s, const struct csv_src *file, uint64_t to, const char *name, int delim,
    const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct csv_src src = *file;
	struct csv_end at;

	src.start = s->start;
	src.end = to;
	src.line = 1;
	s->st = csv_read_src(&src, name, delim, count_row, NULL, stop, &at, err, errlen);
	s->stop = at.offset;
	s->lines = (int64_t)(at.line - 1);
}

/*
 * From every worker's scan: which parts are settled (their start is a
 * record's, as the settled part before says), which must be scanned again
 * from a corrected start (fix[r] 1, all[r].start set), and which are not
 * read at all, after a part that could not be read.  Returns 1 when every
 * part is settled or skipped.
 */
static int
settle(struct scan *all, int n, unsigned char *state, unsigned char *fix)
{
	enum { PENDING, GOOD, SKIP };
	int r, done = 1;

	for (r = 0; r < n; r++) {
		fix[r] = 0;
		if (state[r] != PENDING)
			continue;
		if (r > 0 && (state[r - 1] == SKIP || (state[r - 1] == GOOD && all[r - 1].st != 0)))
			state[r] = SKIP;
		else if (r == 0 || (state[r - 1] == GOOD && all[r - 1].stop == all[r].start))
			state[r] = GOOD;
		else if (state[r - 1] == GOOD) {
			all[r].start = all[r - 1].stop;	/* it began inside a quoted field */
			fix[r] = 1;
		}
		done &= state[r] != PENDING;
	}
	return done;
}

int
shard_plan(struct comm *c, const struct csv_src *file, const char *name, int delim,
    const volatile sig_atomic_t *stop, struct shard *out, int *who, char *err, size_t errlen)
{
	int n = c->size, me = c->rank, r, st, scanned = 0;
	uint64_t to = me + 1 < n ? shard_cut(file->size, n, me + 1) : UINT64_MAX;
	struct scan mine, *all;
	unsigned char *state, *fix;

	memset(&mine, 0, sizeof mine);
	*who = -1;
	all = calloc((size_t)n, sizeof *all);
	state = calloc((size_t)n, 1);
	fix = calloc((size_t)n, 1);
	st = all == NULL || state == NULL || fix == NULL ? ST_NOMEM : 0;
	if (st != 0)
		snprintf(err, errlen, "out of memory");
	else
		st = csv_line_start(file, name, shard_cut(file->size, n, me), &mine.start, err, errlen);
	for (;;) {
		if (st == 0 && (!scanned || fix[me]))
			scan_part(&mine, file, to, name, delim, stop, err, errlen);
		scanned = 1;
		if ((st = comm_agree(c, st, who)) != 0 || all == NULL || state == NULL || fix == NULL ||
		    (st = c->ops->allgather(c, &mine, sizeof mine, all)) != 0)
			break;
		for (r = 0; r < n; r++)	/* an interruption stops every worker at once */
			if (all[r].st >= ST_INTERRUPTED) {
				*who = r;
				st = all[r].st;
			}
		if (st != 0 || settle(all, n, state, fix))
			break;
		mine.start = all[me].start;
	}
	if (st == 0 && (all == NULL || state == NULL))
		st = ST_NOMEM;
	if (st == 0) {
		out->start = all[me].start;
		out->end = all[me].stop;
		out->skip = state[me] != 1;
		out->line = 1;
		for (r = 0; r < me; r++)
			out->line += (long)all[r].lines;
	}
	free(all);
	free(state);
	free(fix);
	return st;
}
