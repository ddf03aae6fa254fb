/*
 * For the tests and the fuzz targets: one text read by P workers, threads
 * of one team each running data_load on its own part, as `mlptrain -j P`
 * reads a file.  Each test then compares the workers' outcomes with one
 * worker's in its own way.  Not for: the programs (mlptrain.c starts its
 * own workers).
 */
#ifndef READPARTS_H
#define READPARTS_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comm.h"
#include "data.h"
#include "status.h"

#define READPARTS_MAX 64

/* What one worker got: status, the worker that failed (who), its message, its part. */
struct reader {
	struct comm c;
	const struct csv_src *src;
	const char *name;
	const struct data_opts *o;
	struct dataset *d;
	int st, who;
	char err[ERRLEN];
};

static void *
read_part(void *arg)
{
	struct reader *r = arg;

	r->st = data_load(&r->c, r->src, r->name, r->o, &r->d, NULL, &r->who, r->err, sizeof r->err);
	return NULL;
}

/*
 * text[0..len-1], or the file open on fd when fd >= 0, read as name with
 * options o by P workers (1 to READPARTS_MAX): worker r's outcome in
 * rd[r] (its data set to free with data_free).  A thread that cannot start
 * would leave the others waiting for it, so the run aborts then.
 */
static void
read_parts(const char *text, size_t len, int fd, const char *name, const struct data_opts *o, int P,
    struct reader *rd)
{
	pthread_t th[READPARTS_MAX];
	struct csv_src src;
	struct team *t = comm_threads_new(P);
	int r;

	if (t == NULL || P < 1 || P > READPARTS_MAX) {
		fprintf(stderr, "read_parts: no team of %d workers\n", P);
		abort();
	}
	memset(&src, 0, sizeof src);
	src.fd = fd;
	src.mem = fd >= 0 ? NULL : text;
	src.size = len;
	src.end = UINT64_MAX;
	src.line = 1;
	for (r = 0; r < P; r++) {
		memset(&rd[r], 0, sizeof rd[r]);
		comm_threads_join(t, r, &rd[r].c);
		rd[r].src = &src;
		rd[r].name = name;
		rd[r].o = o;
	}
	for (r = 1; r < P; r++)
		if (pthread_create(&th[r], NULL, read_part, &rd[r]) != 0) {
			fprintf(stderr, "read_parts: could not start worker %d of %d\n", r, P);
			abort();
		}
	read_part(&rd[0]);
	for (r = 1; r < P; r++)
		pthread_join(th[r], NULL);
	comm_threads_free(t);
	for (r = 0; r < P; r++)
		rd[r].src = NULL;	/* (src is gone) */
}

#endif
