/*
 * The scoring pipeline of mlppredict.  With two threads:
 *
 *   caller's thread: the READER                 worker thread: the SCORER
 *   ---------------------------                 --------------------------
 *   csv_read -> parse_row, for each row:        worker_main, for each batch:
 *     header? width? the first n0 - nd            parse the last nd fields,
 *     numbers parsed into the batch being         standardise, forward pass,
 *     filled, the last nd fields copied           print the rows to out
 *   batch full: hand it over  ==> ring of NSLOT batches ==>  give the slot back
 *   score_end: last partial batch, "end";       "end" and the ring empty: done
 *     wait for the scorer, join it
 *
 * Protocol (everything shared lives under s->mu):
 * - The ring holds NSLOT batches of up to s->cap rows of n0 doubles each.
 *   Batches are counted, never reset: s->filled batches handed over by the
 *   reader, s->scored given back by the scorer.  The reader fills slot
 *   filled % NSLOT once filled - scored < NSLOT (it waits on to_reader);
 *   the scorer takes slot scored % NSLOT once scored < filled (it waits on
 *   to_worker).  Batches go through in order, so output lines stay in input
 *   order; memory is fixed at NSLOT batches whatever the row count.
 * - The parsing is shared so that neither side waits: the reader leaves the
 *   texts of the last nd fields of a row (short ones, of a row on one line)
 *   in the batch's cells for the scorer to parse.  nd moves by one at each
 *   batch (take_slot): down when the reader had to wait for room, up when
 *   the scorer had to wait for a batch; it never changes what is printed.
 * - Errors come out in row order, as on one thread.  A bad row ends the
 *   reading: the rows before it are handed over with "end", the scorer
 *   prints them, and only then is the reader's message reported.  The
 *   scorer's failures are on earlier rows (or on the last fields of the
 *   reader's row, after its first ones were found good), so they come
 *   first: a write error, or a bad field in a cell, reported with the
 *   reader's own message.  The scorer records it (wst, werr), sets
 *   `cancel`, and the reader stops at its next batch.
 * - Signals.  SIGINT, SIGTERM and SIGHUP are blocked in the scorer, so they
 *   reach the reader as they do with one thread: a blocking read() returns
 *   EINTR and csv_read sees *stop.  Waits on the condition variables are
 *   timed (TICK_MS) so *stop is also seen by a reader waiting for room.  On
 *   an interrupt the reader sets `cancel`, and the scorer drops what is left.
 * - Either side may be stuck in a system call the other must end: the
 *   reader in read() or open() (a pipe, a FIFO, a terminal) after the scorer
 *   failed, the scorer in write() (a full pipe) after an interrupt.  The
 *   side that stops "kicks" the other with KICK_SIGNAL, whose handler does
 *   nothing but is installed without SA_RESTART, every TICK_MS until the
 *   other side says it is done (reader_done, worker_done): the call fails
 *   with EINTR and that side finds `cancel` set.  The handler is installed
 *   only for the first kick and restored at the end, so until then the
 *   signal keeps its default disposition (ignored).
 * With one thread (forced, or when the scorer cannot be created) parse_row
 * scores each row as soon as it is read, as the program always did.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csvread.h"
#include "number.h"
#include "score.h"
#include "status.h"

#define NSLOT 4				/* batches in the ring */
#define BATCH_BYTES ((size_t)256 * 1024)	/* aim for batches of this size ... */
#define BATCH_MAX_ROWS 4096		/* ... and at most this many rows */
#define TICK_MS 20			/* how often waits look at *stop, and kicks repeat */
#define KICK_SIGNAL SIGURG		/* ignored by default */
#define CELL 32				/* room for a field left to the scorer */

/*
 * Rows of raw features.  The last nd fields of a row whose line[] is not 0
 * are not parsed yet: their texts wait in cell[], for the scorer to parse
 * (and to report if bad, as the reader would have: file `name`, that line).
 */
struct batch {
	size_t rows;
	size_t nd;		/* fields left to the scorer in this batch */
	const char *name;	/* the file the rows come from */
	double *x;		/* (cap, n0) features, row after row */
	long *line;		/* (cap) the line of a row with fields in cell, else 0 */
	char *cell;		/* (cap, max_nd, CELL) a length byte, then the text */
};

struct score {
	const struct model *m;
	struct packed *pk;	/* m's weights laid out for scoring: the scorer's */
	struct work *ws;	/* the scorer's */
	FILE *out;		/* the scorer's */
	int digits;		/* 0: shortest exact form */
	int delim;		/* the field separator */
	int header;		/* every file's first row: see csv_is_header */
	size_t cap;		/* rows per batch */
	size_t max_nd;		/* most fields of a row left to the scorer */
	struct batch *slot;	/* (NSLOT) on cache lines of their own: the reader
				   counts rows in them, the scorer reads the lines above */

	/* the reader's alone */
	struct batch *cur;	/* the batch being filled (rows so far: cur->rows), or NULL */
	const char *name;	/* the file being read */
	size_t width;		/* fields per row in this file */
	long width_line;
	const volatile sig_atomic_t *stop;

	/* fixed once started */
	int want_thread;	/* score_new was asked for two threads */
	int threaded;		/* the scorer thread was started by score_start */
	int joined;
	pthread_t reader, worker;

	/* shared, under mu */
	pthread_mutex_t mu;
	pthread_cond_t to_worker;	/* a batch, "end" or cancel */
	pthread_cond_t to_reader;	/* room in the ring, cancel, or the scorer done */
	unsigned long filled, scored;
	int end;		/* the reader hands over no more batches */
	int cancel;		/* stop now: interrupted, or the scorer failed */
	int reader_done;	/* the reader no longer reads: no kicks to it */
	int worker_done;	/* the scorer no longer writes: no kicks to it */
	int wst;		/* the scorer's failure, and its message */
	char werr[ERRLEN];
	size_t nd;		/* fields of a row the reader leaves to the scorer */
	int starved;		/* the scorer waited for a batch since the last one */
	int kick_installed;
	struct sigaction kick_old;
};

/* ---- scoring and printing: the scorer's (or the single thread's) ---- */

/* Reads field i of row r of b from its cell into x[i]; 0, or a status and the reader's message. */
static int
parse_cell(const struct batch *b, size_t r, size_t i, double *x, size_t max_nd, size_t n0, char *err,
    size_t errlen)
{
	const char *c = b->cell + ((r * max_nd) + i - (n0 - b->nd)) * CELL;
	char show[CSV_SHOW_LEN];
	enum num_error e;

	if ((e = number_parse(c + 1, (unsigned char)c[0], &x[i])) == NUM_OK)
		return 0;
	snprintf(err, errlen, "%s:%ld:%zu: '%s' %s", b->name, b->line[r], i + 1,
	    csv_show(show, sizeof show, c + 1, (unsigned char)c[0]), number_strerror(e));
	return e == NUM_NOMEM ? ST_NOMEM : ST_DATA;
}

/*
 * Scores the rows of b: parses the fields left in cells, standardises the
 * features in place, prints one line per row.  0, or a status with a
 * message in err: a bad field (ST_DATA), a write error (ST_IO).
 */
static int
score_batch(struct score *s, struct batch *b, char *err, size_t errlen)
{
	const struct model *m = s->m;
	size_t n0 = m->n[0], nl = m->n[m->L], i, r;
	char buf[NUMBER_BUFLEN];
	const double *y;
	double *x = b->x;
	int st;

	for (r = 0; r < b->rows; r++, x += n0) {
		for (i = n0 - b->nd; b->line[r] != 0 && i < n0; i++)
			if ((st = parse_cell(b, r, i, x, s->max_nd, n0, err, errlen)) != 0)
				return st;
		model_standardize(m, x, x);
		y = model_forward_packed(m, s->pk, s->ws, x);
		for (i = 0; i < nl; i++) {
			if (i > 0)
				putc(',', s->out);
			number_format(buf, y[i], s->digits);
			fputs(buf, s->out);
		}
		if (putc('\n', s->out) == EOF) {
			snprintf(err, errlen, "write error: %s", strerror(errno));
			return ST_IO;
		}
	}
	return 0;
}

/* ---- waiting and kicking ---- */

static void
on_kick(int sig)
{
	(void)sig;	/* only there to interrupt a blocking call */
}

/* Interrupts a blocking system call of thread t.  Called with mu held. */
static void
kick(struct score *s, pthread_t t)
{
	struct sigaction sa;

	if (!s->kick_installed) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_kick;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = 0;	/* no SA_RESTART: the call fails with EINTR */
		if (sigaction(KICK_SIGNAL, &sa, &s->kick_old) != 0)
			return;
		s->kick_installed = 1;
	}
	pthread_kill(t, KICK_SIGNAL);
}

/* Waits on c (mu held) for at most TICK_MS. */
static void
wait_tick(struct score *s, pthread_cond_t *c)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_nsec += TICK_MS * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(c, &s->mu, &t);
}

static int
stopped(const struct score *s)
{
	return s->stop != NULL && *s->stop != 0;
}

/* ---- the scorer ---- */

static void *
worker_main(void *arg)
{
	struct score *s = arg;
	struct batch b;
	char err[ERRLEN];
	int st;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (!s->cancel && !s->end && s->scored == s->filled) {
			s->starved = 1;
			pthread_cond_wait(&s->to_worker, &s->mu);
		}
		if (s->cancel || s->scored == s->filled)
			break;	/* interrupted, or "end" and nothing left */
		b = s->slot[s->scored % NSLOT];	/* a copy: the reader writes beside it */
		pthread_mutex_unlock(&s->mu);
		st = score_batch(s, &b, err, sizeof err);
		pthread_mutex_lock(&s->mu);
		s->scored++;
		pthread_cond_signal(&s->to_reader);
		if (st != 0) {
			if (!s->cancel) {	/* not a write cut short by an interrupt's kick */
				s->wst = st;
				memcpy(s->werr, err, sizeof err);
				s->cancel = 1;
				pthread_cond_signal(&s->to_reader);
			}
			break;
		}
	}
	/* A failure must also end a reader blocked on its input. */
	while (s->wst != 0 && !s->reader_done) {
		kick(s, s->reader);
		wait_tick(s, &s->to_worker);
	}
	s->worker_done = 1;
	pthread_cond_signal(&s->to_reader);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* ---- the reader ---- */

/*
 * Waits for the slot to fill next; 0, or a non-zero status to stop reading.
 * Balances the work: when the reader has to wait, the scorer gets one field
 * of each row less to parse; when the scorer had to, one more.
 */
static int
take_slot(struct score *s, char *err, size_t errlen)
{
	struct batch *b;
	int st = 0;

	pthread_mutex_lock(&s->mu);
	if (s->filled - s->scored >= NSLOT && s->nd > 0)
		s->nd--;
	else if (s->starved && s->nd < s->max_nd)
		s->nd++;
	s->starved = 0;
	while (!s->cancel && !stopped(s) && s->filled - s->scored >= NSLOT)
		wait_tick(s, &s->to_reader);
	if (s->cancel) {
		snprintf(err, errlen, "output failed");	/* replaced by the scorer's message */
		st = ST_IO;
	} else if (stopped(s))
		st = *s->stop;
	else {
		b = s->cur = &s->slot[s->filled % NSLOT];
		b->rows = 0;
		b->nd = s->nd;
		b->name = s->name;
	}
	pthread_mutex_unlock(&s->mu);
	return st;
}

/* Hands the slot being filled to the scorer. */
static void
hand_over(struct score *s)
{
	pthread_mutex_lock(&s->mu);
	s->cur = NULL;
	s->filled++;
	pthread_cond_signal(&s->to_worker);
	pthread_mutex_unlock(&s->mu);
}

/* csv_read's callback: checks the row and reads its features (and scores them, on one thread). */
static int
parse_row(void *ctx, const struct csv_row *row, char *err, size_t errlen)
{
	struct score *s = ctx;
	const struct model *m = s->m;
	size_t n0 = m->n[0], nl = m->n[m->L], i;
	char show[CSV_SHOW_LEN], *cell;
	struct batch *b;
	enum num_error e;
	double *x;
	size_t nd;
	int st;

	if (row->number == 1) {
		s->width = row->n;
		s->width_line = row->line[0];
		if (row->n != n0 && row->n != n0 + nl) {
			snprintf(err, errlen, "%s:%ld: %zu field%s, but the model takes %zu feature%s "
			    "(optionally followed by %zu target%s)", s->name, row->line[0], row->n,
			    row->n == 1 ? "" : "s", n0, n0 == 1 ? "" : "s", nl, nl == 1 ? "" : "s");
			return ST_DATA;
		}
		if (csv_is_header(row, NULL, s->header))
			return 0;	/* a header */
	}
	if (row->n != s->width) {
		snprintf(err, errlen, "%s:%ld: %zu field%s, expected %zu as on line %ld", s->name,
		    row->line[0], row->n, row->n == 1 ? "" : "s", s->width, s->width_line);
		return ST_DATA;
	}
	if (s->cur == NULL && (st = take_slot(s, err, errlen)) != 0)
		return st;
	b = s->cur;
	x = b->x + b->rows * n0;
	/* Fields left to the scorer: short ones, of a row on one line. */
	nd = b->nd > 0 && row->line[n0 - 1] == row->line[0] ? b->nd : 0;
	for (i = n0 - nd; i < n0; i++)
		if (row->len[i] >= CELL)
			nd = 0;
	for (i = 0; i < n0 - nd; i++)
		if ((e = number_parse(row->field[i], row->len[i], &x[i])) != NUM_OK) {
			snprintf(err, errlen, "%s:%ld:%zu: '%s' %s", s->name, row->line[i], i + 1,
			    csv_show(show, sizeof show, row->field[i], row->len[i]), number_strerror(e));
			return e == NUM_NOMEM ? ST_NOMEM : ST_DATA;
		}
	b->line[b->rows] = nd > 0 ? row->line[0] : 0;
	for (cell = b->cell + b->rows * s->max_nd * CELL; i < n0; i++, cell += CELL) {
		cell[0] = (char)row->len[i];
		memcpy(cell + 1, row->field[i], row->len[i]);
	}
	b->rows++;
	if (!s->threaded) {	/* one thread: the row is scored at once */
		st = score_batch(s, b, err, errlen);
		b->rows = 0;
		return st;
	}
	if (b->rows == s->cap)
		hand_over(s);
	return 0;
}

/* ---- the interface ---- */

struct score *
score_new(const struct model *m, int digits, int threads)
{
	struct score *s = calloc(1, sizeof *s);
	size_t n0 = m->n[0], k, size = (NSLOT * sizeof(struct batch) + 63) / 64 * 64;
	void *p;

	if (s == NULL)
		return NULL;
	if (posix_memalign(&p, 64, size) != 0) {
		free(s);
		return NULL;
	}
	memset(p, 0, size);
	s->slot = p;
	s->m = m;
	s->delim = ',';
	s->header = CSV_HEADER_GUESS;
	s->digits = digits;
	s->want_thread = threads != 1;
	s->cap = BATCH_BYTES / sizeof(double) / n0;
	if (s->cap > BATCH_MAX_ROWS)
		s->cap = BATCH_MAX_ROWS;
	if (s->cap < 1 || !s->want_thread)
		s->cap = 1;
	s->max_nd = s->want_thread ? n0 / 2 : 0;
	s->pk = model_pack(m);
	s->ws = work_new(m);
	for (k = 0; k < (s->want_thread ? NSLOT : 1); k++)
		if ((s->slot[k].x = malloc(s->cap * n0 * sizeof(double))) == NULL ||
		    (s->slot[k].line = calloc(s->cap, sizeof(long))) == NULL ||
		    (s->slot[k].cell = malloc(s->cap * s->max_nd * CELL + 1)) == NULL)
			break;
	if (s->pk == NULL || s->ws == NULL || k < (s->want_thread ? NSLOT : 1)) {
		score_free(s);
		return NULL;
	}
	return s;
}

void
score_start(struct score *s, FILE *out)
{
	pthread_condattr_t ca;
	sigset_t block, old;
	int ok = 0;

	s->out = out;
	s->cur = &s->slot[0];	/* the single-thread path scores each row from slot 0 */
	if (!s->want_thread)
		return;
	s->cur = NULL;
	if (pthread_mutex_init(&s->mu, NULL) != 0)
		return;
	if (pthread_condattr_init(&ca) == 0) {
		if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
		    pthread_cond_init(&s->to_worker, &ca) == 0) {
			if (pthread_cond_init(&s->to_reader, &ca) == 0) {
				/* The scorer inherits a mask that keeps the interrupts for the reader. */
				sigemptyset(&block);
				sigaddset(&block, SIGINT);
				sigaddset(&block, SIGTERM);
				sigaddset(&block, SIGHUP);
				pthread_sigmask(SIG_BLOCK, &block, &old);
				s->reader = pthread_self();
				ok = pthread_create(&s->worker, NULL, worker_main, s) == 0;
				pthread_sigmask(SIG_SETMASK, &old, NULL);
				if (!ok)
					pthread_cond_destroy(&s->to_reader);
			}
			if (!ok)
				pthread_cond_destroy(&s->to_worker);
		}
		pthread_condattr_destroy(&ca);
	}
	if (!ok) {
		pthread_mutex_destroy(&s->mu);
		s->cap = 1;
		s->max_nd = 0;
		s->cur = &s->slot[0];
		return;
	}
	s->threaded = 1;
}

void
score_format(struct score *s, int delim, int header)
{
	s->delim = delim;
	s->header = header;
}

int
score_threads(const struct score *s)
{
	return s->threaded ? 2 : 1;
}

int
score_file(struct score *s, FILE *in, const char *name, const volatile sig_atomic_t *stop,
    char *err, size_t errlen)
{
	int cancel, st;

	s->name = name;
	s->stop = stop;
	if (s->threaded) {
		pthread_mutex_lock(&s->mu);
		cancel = s->cancel;
		pthread_mutex_unlock(&s->mu);
		if (cancel) {
			snprintf(err, errlen, "output failed");	/* replaced by the scorer's message */
			return ST_IO;
		}
	}
	st = csv_read(in, name, s->delim, parse_row, s, stop, err, errlen);
	if (st == 0 && s->threaded && s->cur != NULL && s->cur->rows > 0)
		hand_over(s);	/* a batch holds the rows of one file (its name is in messages) */
	return st;
}

int
score_end(struct score *s, int st, const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	if (!s->threaded || s->joined)
		return st;
	s->stop = stop;
	pthread_mutex_lock(&s->mu);
	if (st >= ST_INTERRUPTED)
		s->cancel = 1;
	else if (s->cur != NULL && s->cur->rows > 0)
		s->filled++;	/* the rows before the failure are printed */
	s->cur = NULL;
	s->end = 1;
	s->reader_done = 1;
	pthread_cond_signal(&s->to_worker);
	while (!s->worker_done) {
		if (!s->cancel && stopped(s)) {	/* interrupted while the last rows are scored */
			st = *s->stop;
			s->cancel = 1;
			pthread_cond_signal(&s->to_worker);
		}
		if (s->cancel && st >= ST_INTERRUPTED)
			kick(s, s->worker);	/* it may be stuck writing to a full pipe */
		wait_tick(s, &s->to_reader);
	}
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->worker, NULL);
	if (s->kick_installed)
		sigaction(KICK_SIGNAL, &s->kick_old, NULL);
	pthread_cond_destroy(&s->to_worker);
	pthread_cond_destroy(&s->to_reader);
	pthread_mutex_destroy(&s->mu);
	s->joined = 1;
	if (s->wst != 0) {
		snprintf(err, errlen, "%s", s->werr);
		return s->wst;
	}
	return st;
}

void
score_free(struct score *s)
{
	char err[ERRLEN];
	size_t k;

	if (s == NULL)
		return;
	if (s->threaded && !s->joined)	/* score_end was not called: stop the scorer */
		score_end(s, ST_INTERRUPTED, NULL, err, sizeof err);
	packed_free(s->pk);
	work_free(s->ws);
	for (k = 0; k < NSLOT; k++) {
		free(s->slot[k].x);
		free(s->slot[k].line);
		free(s->slot[k].cell);
	}
	free(s->slot);
	free(s);
}
