/*
 * The two-thread ring of batches behind mlppredict's scoring: the hand-over,
 * the waits, failures, interrupts and the end.  Not for: what a batch holds
 * or how it is scored (score.c).  The protocol (everything shared lives
 * under p->mu):
 *
 *   the READER (the caller's thread)            the WORKER
 *   --------------------------------            ----------
 *   pipeline_next: wait for room in the ring    worker_main, for each batch:
 *   fill the batch                                work(ctx, batch)
 *   pipeline_hand_over  ==> ring of SLOTS ==>     give the slot back
 *   pipeline_end: the last partial batch,       "end" and the ring empty: done
 *     "end"; wait for the worker, join it
 *
 * - Batches are counted, never reset: `filled` handed over by the reader,
 *   `scored` given back by the worker.  The reader fills slot filled %
 *   SLOTS once filled - scored < SLOTS (it waits on to_reader); the worker
 *   takes slot scored % SLOTS once scored < filled (it waits on to_worker).
 *   Batches go through in order; memory is fixed at SLOTS batches.
 * - Errors come out in batch order, as on one thread.  A failure in the
 *   reader ends the reading: the batches before it are handed over with
 *   "end", the worker runs them, and only then is the reader's status
 *   returned.  The worker's failures are on earlier batches, so they come
 *   first: the worker records it (wst, werr), sets `cancel`, and the
 *   reader stops at its next batch.
 * - Signals.  The worker blocks every signal but those its own work raises
 *   (faults, SIGXFSZ, the kick, and SIGPIPE while it kills by default), so
 *   SIGINT, SIGTERM and the others reach the reader as they do with one
 *   thread: a blocking read() returns EINTR and the reader sees *stop.  Waits on the condition variables are
 *   timed (TICK_MS) so *stop is also seen by a reader waiting for room.  On
 *   an interrupt the reader sets `cancel`, and the worker drops what is left.
 * - Either side may be stuck in a system call the other must end: the
 *   reader in read() or open() (a pipe, a FIFO, a terminal) after the worker
 *   failed, the worker in write() (a full pipe) after an interrupt.  The
 *   side that stops "kicks" the other with KICK_SIGNAL, whose handler does
 *   nothing but is installed without SA_RESTART, every TICK_MS until the
 *   other side says it is done (reader_done, worker_done): the call fails
 *   with EINTR and that side finds `cancel` set.  The handler is installed
 *   only for the first kick and restored at the end, so until then the
 *   signal keeps its default disposition (ignored).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pipeline.h"
#include "status.h"

#define TICK_MS 20			/* how often waits look at *stop, and kicks repeat */
#define KICK_SIGNAL SIGURG		/* ignored by default */

struct pipeline {
	void *slot[PIPELINE_SLOTS];
	pipeline_work work;
	void *ctx;
	int threaded;		/* the worker was started */
	int joined;
	pthread_t reader, worker;

	/* shared, under mu */
	pthread_mutex_t mu;
	pthread_cond_t to_worker;	/* a batch, "end" or cancel */
	pthread_cond_t to_reader;	/* room in the ring, cancel, or the worker done */
	unsigned long filled, scored;
	int end;		/* the reader hands over no more batches */
	int cancel;		/* stop now: interrupted, or the worker failed */
	int reader_done;	/* the reader no longer reads: no kicks to it */
	int worker_done;	/* the worker no longer writes: no kicks to it */
	int wst;		/* the worker's failure, and its message */
	char werr[ERRLEN];
	int starved;		/* the worker waited for a batch since the last pipeline_next */
	int kick_installed;
	struct sigaction kick_old;
	const volatile sig_atomic_t *stop;
};

static void
on_kick(int sig)
{
	(void)sig;	/* only there to interrupt a blocking call */
}

/* Interrupts a blocking system call of thread t.  Called with mu held. */
static void
kick(struct pipeline *p, pthread_t t)
{
	struct sigaction sa;

	if (!p->kick_installed) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_kick;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = 0;	/* no SA_RESTART: the call fails with EINTR */
		if (sigaction(KICK_SIGNAL, &sa, &p->kick_old) != 0)
			return;
		p->kick_installed = 1;
	}
	pthread_kill(t, KICK_SIGNAL);
}

/* Waits on c (mu held) for at most TICK_MS. */
static void
wait_tick(struct pipeline *p, pthread_cond_t *c)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_nsec += TICK_MS * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(c, &p->mu, &t);
}

static int
stopped(const struct pipeline *p)
{
	return STOP_FLAG(p->stop) != 0;
}

static void *
worker_main(void *arg)
{
	struct pipeline *p = arg;
	char err[ERRLEN];
	void *b;
	int st;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->cancel && !p->end && p->scored == p->filled) {
			p->starved = 1;
			pthread_cond_wait(&p->to_worker, &p->mu);
		}
		if (p->cancel || p->scored == p->filled)
			break;	/* interrupted, or "end" and nothing left */
		b = p->slot[p->scored % PIPELINE_SLOTS];
		pthread_mutex_unlock(&p->mu);
		st = p->work(p->ctx, b, err, sizeof err);
		pthread_mutex_lock(&p->mu);
		p->scored++;
		pthread_cond_signal(&p->to_reader);
		if (st != 0) {
			if (!p->cancel) {	/* not a write cut short by an interrupt's kick */
				p->wst = st;
				memcpy(p->werr, err, sizeof err);
				p->cancel = 1;
				pthread_cond_signal(&p->to_reader);
			}
			break;
		}
	}
	/* A failure must also end a reader blocked on its input. */
	while (p->wst != 0 && !p->reader_done) {
		kick(p, p->reader);
		wait_tick(p, &p->to_worker);
	}
	p->worker_done = 1;
	pthread_cond_signal(&p->to_reader);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct pipeline *
pipeline_new(void *const *slot, pipeline_work work, void *ctx)
{
	struct pipeline *p = calloc(1, sizeof *p);
	size_t k;

	if (p == NULL)
		return NULL;
	for (k = 0; k < PIPELINE_SLOTS; k++)
		p->slot[k] = slot[k];
	p->work = work;
	p->ctx = ctx;
	return p;
}

/* Creates the worker with the interrupts blocked in it; 1 on success. */
static int
start_worker(struct pipeline *p)
{
	static const int own[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS, SIGXFSZ, KICK_SIGNAL };
	struct sigaction pipe;
	sigset_t block, old;
	size_t k;
	int ok;

	sigfillset(&block);
	for (k = 0; k < sizeof own / sizeof own[0]; k++)
		sigdelset(&block, own[k]);
	/* A write to a closed pipe kills quietly, as on one thread, unless SIGPIPE is caught. */
	if (sigaction(SIGPIPE, NULL, &pipe) == 0 && pipe.sa_handler == SIG_DFL)
		sigdelset(&block, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	p->reader = pthread_self();
	ok = pthread_create(&p->worker, NULL, worker_main, p) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ok;
}

int
pipeline_start(struct pipeline *p, int threads)
{
	pthread_condattr_t ca;
	int ok = 0;

	if (threads == 1 || pthread_mutex_init(&p->mu, NULL) != 0)
		return 1;
	if (pthread_condattr_init(&ca) == 0) {
		if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
		    pthread_cond_init(&p->to_worker, &ca) == 0) {
			if (pthread_cond_init(&p->to_reader, &ca) == 0) {
				ok = start_worker(p);
				if (!ok)
					pthread_cond_destroy(&p->to_reader);
			}
			if (!ok)
				pthread_cond_destroy(&p->to_worker);
		}
		pthread_condattr_destroy(&ca);
	}
	if (!ok) {
		pthread_mutex_destroy(&p->mu);
		return 1;
	}
	p->threaded = 1;
	return 2;
}

void *
pipeline_next(struct pipeline *p, const volatile sig_atomic_t *stop, int *seen, int *st, char *err,
    size_t errlen)
{
	void *b = NULL;

	*seen = 0;
	*st = 0;
	p->stop = stop;
	if (!p->threaded)
		return p->slot[0];
	pthread_mutex_lock(&p->mu);
	if (p->filled - p->scored >= PIPELINE_SLOTS)
		*seen |= PIPELINE_FULL;
	if (p->starved)
		*seen |= PIPELINE_STARVED;
	p->starved = 0;
	while (!p->cancel && !stopped(p) && p->filled - p->scored >= PIPELINE_SLOTS)
		wait_tick(p, &p->to_reader);
	if (p->cancel) {
		snprintf(err, errlen, "output failed");	/* replaced by the worker's message */
		*st = ST_IO;
	} else if (stopped(p))
		*st = *p->stop;
	else
		b = p->slot[p->filled % PIPELINE_SLOTS];
	pthread_mutex_unlock(&p->mu);
	return b;
}

int
pipeline_hand_over(struct pipeline *p, char *err, size_t errlen)
{
	if (!p->threaded)
		return p->work(p->ctx, p->slot[0], err, errlen);
	pthread_mutex_lock(&p->mu);
	p->filled++;
	pthread_cond_signal(&p->to_worker);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int
pipeline_failed(struct pipeline *p)
{
	int cancel;

	if (!p->threaded)
		return 0;
	pthread_mutex_lock(&p->mu);
	cancel = p->cancel;
	pthread_mutex_unlock(&p->mu);
	return cancel;
}

int
pipeline_end(struct pipeline *p, int st, int partial, const volatile sig_atomic_t *stop, char *err,
    size_t errlen)
{
	if (!p->threaded || p->joined)
		return st;
	p->stop = stop;
	pthread_mutex_lock(&p->mu);
	if (st >= ST_INTERRUPTED)
		p->cancel = 1;
	else if (partial)
		p->filled++;	/* the rows before the failure are done */
	p->end = 1;
	p->reader_done = 1;
	pthread_cond_signal(&p->to_worker);
	while (!p->worker_done) {
		if (!p->cancel && stopped(p)) {	/* interrupted while the last batches run */
			st = STOP_FLAG(p->stop);
			p->cancel = 1;
			pthread_cond_signal(&p->to_worker);
		}
		if (p->cancel && st >= ST_INTERRUPTED)
			kick(p, p->worker);	/* it may be stuck writing to a full pipe */
		wait_tick(p, &p->to_reader);
	}
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->worker, NULL);
	if (p->kick_installed)
		sigaction(KICK_SIGNAL, &p->kick_old, NULL);
	pthread_cond_destroy(&p->to_worker);
	pthread_cond_destroy(&p->to_reader);
	pthread_mutex_destroy(&p->mu);
	p->joined = 1;
	if (p->wst != 0) {
		snprintf(err, errlen, "%s", p->werr);
		return p->wst;
	}
	return st;
}

void
pipeline_free(struct pipeline *p)
{
	char err[ERRLEN];

	if (p == NULL)
		return;
	if (p->threaded && !p->joined)	/* pipeline_end was not called: stop the worker */
		pipeline_end(p, ST_INTERRUPTED, 0, NULL, err, sizeof err);
	free(p);
}
