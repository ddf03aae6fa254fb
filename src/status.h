/*
 * Exit statuses shared by mlptrain and mlppredict, and the status codes the
 * modules return.  Modules never exit: they return one of these and leave a
 * message in the caller's error buffer; only the mains print and exit.
 */
#ifndef STATUS_H
#define STATUS_H

enum status {
	ST_OK = 0,		/* success */
	ST_DATA = 1,		/* bad data: invalid CSV or model content */
	ST_USAGE = 2,		/* bad command line */
	ST_IO = 3,		/* a file could not be opened, read or written */
	ST_DIVERGED = 4,	/* training produced a non-finite loss or weight */
	ST_NOMEM = 5,		/* out of memory */
	ST_INTERRUPTED = 128	/* plus the signal number: 130 for SIGINT */
};

#define ERRLEN 512		/* size of the error buffers modules fill */

/*
 * The value of a stop flag (cli_stop, set by a signal handler) seen from
 * any thread: an atomic load, as a plain read of a volatile sig_atomic_t
 * is safe only in the thread the handler ran on.  0 for no flag.
 */
#define STOP_FLAG(p) ((p) != NULL ? __atomic_load_n((p), __ATOMIC_RELAXED) : 0)

#endif
