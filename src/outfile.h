/*
 * One output file, never left half-written: created at the start of a run as
 * a temporary file beside its target, through a descriptor of the target's
 * directory held for the whole run, and renamed over the target only once
 * complete.  "-" (or NULL) is standard output.  A symbolic link is followed
 * when the output is prepared: the file it points to is replaced and the
 * link kept; a link planted later changes nothing, since the directory is
 * already open and the rename replaces a name, never follows one.  An
 * existing FIFO or device (/dev/null, /dev/stdout on a pipe) is written
 * directly, opened by outfile_stream.  Not for: several outputs together,
 * and how they may clash with each other or with the inputs (outputs.c).
 */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

enum outfile_kind {
	OUTFILE_STDOUT,		/* standard output */
	OUTFILE_TEMP,		/* a regular file (or none yet): a temporary file renamed over it */
	OUTFILE_DIRECT		/* an existing FIFO or device, written straight through */
};

/* Which file an output or an input is: to tell when two names are one file. */
struct file_id {
	int exists;		/* dev and ino are the file's; else dir_dev, dir_ino and base name a new one */
	int chr;		/* a character device or a socket (/dev/null, a terminal): any number may share it */
	dev_t dev, dir_dev;
	ino_t ino, dir_ino;
	const char *base;	/* the name in its directory, for a file that does not exist yet */
};

struct outfile {
	FILE *fp;		/* where to write; NULL for a direct output until outfile_stream */
	const char *name;	/* the path as given, or "standard output", for messages */
	enum outfile_kind kind;
	struct file_id id;
	int dirfd;		/* OUTFILE_TEMP: the target's directory, open for the run; -1 otherwise */
	int dir_synced;		/* the directory can be fsync'ed (opened for reading) */
	char *base;		/* OUTFILE_TEMP: the target's name in dirfd */
	char *tmp;		/* OUTFILE_TEMP: the temporary file's name in dirfd, until renamed or removed */
	mode_t mode;		/* the mode the file gets: the old file's permissions, or 0666 less the umask */
};

/*
 * Prepares the output at path: finds its directory, opens it, and creates
 * the temporary file there (or, for a FIFO or device, only checks it).
 * Returns 0, or ST_IO (ST_NOMEM) with a message naming path; o is then
 * empty, and outfile_abort on it does nothing.
 */
int outfile_prepare(struct outfile *o, const char *path, char *err, size_t errlen);
/*
 * Opens a direct output if it is not open yet (a FIFO blocks here until it
 * has a reader): 0, ST_IO with a message, or *stop when a signal interrupts
 * the wait.  The file opened must be the one prepared.
 */
int outfile_stream(struct outfile *o, const volatile sig_atomic_t *stop, char *err, size_t errlen);
/*
 * Completes the output's data: flushes it, checks for write errors, and for
 * a temporary file syncs it to disk and closes it.  0, or ST_IO with a
 * message; the target is not touched yet.
 */
int outfile_finish(struct outfile *o, char *err, size_t errlen);
/* Renames a finished temporary file over its target; 0 or ST_IO with a message.  Nothing to do for the others. */
int outfile_rename(struct outfile *o, char *err, size_t errlen);
/* Syncs the directory of a renamed output, so the rename survives a power cut; 0 or ST_IO with a message. */
int outfile_sync_dir(struct outfile *o, char *err, size_t errlen);
/* Abandons the output: closes it and removes the temporary file, if any; frees what o holds. */
void outfile_abort(struct outfile *o);
/* Which file path names ("-": standard input, fd 0); 0, or -1 when it cannot be found (errno set). */
int file_id_of(const char *path, struct file_id *id);
/* Whether a and b are one file that cannot be shared: never a character device or a socket. */
int file_id_same(const struct file_id *a, const struct file_id *b);

#endif
