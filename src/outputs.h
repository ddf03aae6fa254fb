/*
 * Every output file of one run, held together: each prepared at the start
 * (outfile.c) and refused there, as a usage error before any work, when it
 * is the same file as another output or as an input; all committed at the
 * end, or none.  Not for: how one file is written and replaced (outfile.c).
 */
#ifndef OUTPUTS_H
#define OUTPUTS_H

#include <signal.h>
#include <stddef.h>

#include "outfile.h"

#define OUTPUTS_MAX 4

struct outputs {
	struct outfile *file[OUTPUTS_MAX];	/* the caller's, in the order added */
	const char *name[OUTPUTS_MAX];	/* each path as given, for messages */
	const char *what[OUTPUTS_MAX];	/* what each holds, for messages: "the model", "--history" */
	size_t n;
};

/*
 * Prepares path (NULL or "-": standard output) as the output o, holding
 * what, and adds it to s.  Returns 0; ST_USAGE when it is the same file as
 * an output already added (by device and inode, or for a file that does
 * not exist yet by its directory and name); or outfile_prepare's status.
 * The message says which.  On failure o is not added and holds nothing.
 */
int outputs_add(struct outputs *s, struct outfile *o, const char *path, const char *what, char *err,
    size_t errlen);
/*
 * Refuses, with ST_USAGE and a message, an input (path, or "-" for
 * standard input) holding what that is the same file as an output of s,
 * except `may`, the output allowed to replace it, or NULL.  An input that
 * cannot be found passes: reading it will say why.
 */
int outputs_check_input(const struct outputs *s, const char *path, const char *what, const struct outfile *may,
    char *err, size_t errlen);
/* Whether a temporary file of s exists, that an interrupt must not leave behind. */
int outputs_pending(const struct outputs *s);
/*
 * Commits every output of s: first finishes each (data flushed, temporary
 * files synced and closed); then, when none failed and *stop is 0, renames
 * each temporary file over its target, signals blocked, and syncs each
 * directory.  Returns 0; ST_IO with a message, every target as it was when
 * the failure came before the first rename; or *stop (err "interrupted"),
 * no target touched.  The outputs are released either way.
 */
int outputs_commit(struct outputs *s, const volatile sig_atomic_t *stop, char *err, size_t errlen);
/* Abandons every output of s that is not committed: temporary files removed.  s is then empty. */
void outputs_abort(struct outputs *s);
/*
 * From outputs_arm(s) until s is committed or abandoned, outputs_on_signal
 * (async-signal-safe: for cli_on_signal) removes s's temporary files at
 * once, so that none is left when a SIGKILL follows the signal (mpirun
 * sends SIGKILL a second after SIGTERM).  The run then ends interrupted.
 */
void outputs_arm(struct outputs *s);
void outputs_on_signal(void);

#endif
