/*
 * Atomic replacement of output files: mkstemp in the target's directory,
 * write, fsync, rename.  Signals that would end the program are blocked
 * while the temporary file exists and is being renamed, so an interrupt
 * cannot leave it behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "status.h"

static int
is_stdout(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

/* The directory part of path ("." when there is none); free the result. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d;

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	if ((d = malloc((size_t)(slash - path) + 1)) != NULL) {
		memcpy(d, path, (size_t)(slash - path));
		d[slash - path] = '\0';
	}
	return d;
}

/* Follows a symbolic link to the file it names; a copy of path otherwise. */
static char *
resolve(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return realpath(path, NULL);
	return strdup(path);
}

int
outfile_check(const char *path, char *err, size_t errlen)
{
	struct stat st;
	char *real, *dir;
	int ok;

	if (is_stdout(path))
		return 0;
	if ((real = resolve(path)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ST_IO;
	}
	if (stat(real, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory", path);
		free(real);
		return ST_IO;
	}
	if (stat(real, &st) == 0 && !S_ISREG(st.st_mode))
		ok = access(real, W_OK) == 0;
	else {
		if ((dir = dir_of(real)) == NULL) {
			free(real);
			snprintf(err, errlen, "%s: out of memory", path);
			return ST_NOMEM;
		}
		ok = access(dir, W_OK | X_OK) == 0;
		free(dir);
	}
	free(real);
	if (!ok) {
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
		return ST_IO;
	}
	return 0;
}

static void
block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, old);
}

int
outfile_open(struct outfile *o, const char *path, char *err, size_t errlen)
{
	struct stat st;
	mode_t mode, mask;
	size_t len;
	int fd;

	memset(o, 0, sizeof *o);
	if (is_stdout(path)) {
		o->fp = stdout;
		o->name = "standard output";
		return 0;
	}
	o->name = path;
	if ((o->target = resolve(path)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ST_IO;
	}
	if (stat(o->target, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A FIFO, a device, /dev/stdout: no rename, written straight through. */
		free(o->target);
		o->target = NULL;
		if ((o->fp = fopen(path, "w")) == NULL) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return ST_IO;
		}
		return 0;
	}
	if (stat(o->target, &st) == 0)
		mode = st.st_mode & 07777;
	else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	len = strlen(o->target);
	if ((o->tmp = malloc(len + 16)) == NULL) {
		free(o->target);
		o->target = NULL;
		snprintf(err, errlen, "%s: out of memory", path);
		return ST_NOMEM;
	}
	/* target.tmpXXXXXX beside the target, so the rename stays on one file system */
	snprintf(o->tmp, len + 16, "%s.tmpXXXXXX", o->target);
	if ((fd = mkstemp(o->tmp)) == -1) {
		snprintf(err, errlen, "%s: cannot create a temporary file beside it: %s", path, strerror(errno));
		free(o->tmp);
		free(o->target);
		o->tmp = o->target = NULL;
		return ST_IO;
	}
	if (fchmod(fd, mode) != 0 || (o->fp = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		outfile_abort(o);
		return ST_IO;
	}
	return 0;
}

int
outfile_commit(struct outfile *o, char *err, size_t errlen)
{
	sigset_t old;
	int failed, saved = 0, st = 0;

	if (o->fp == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			snprintf(err, errlen, "standard output: write error: %s", strerror(errno));
			return ST_IO;
		}
		return 0;
	}
	block_signals(&old);
	failed = fflush(o->fp) != 0 || ferror(o->fp);
	if (failed)
		saved = errno;
	if (!failed && o->tmp != NULL && fsync(fileno(o->fp)) != 0) {
		failed = 1;
		saved = errno;
	}
	if (fclose(o->fp) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	o->fp = NULL;
	if (!failed && o->tmp != NULL && rename(o->tmp, o->target) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		snprintf(err, errlen, "%s: write error: %s", o->name, strerror(saved));
		st = ST_IO;
		if (o->tmp != NULL)
			unlink(o->tmp);
	}
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return st;
}

void
outfile_abort(struct outfile *o)
{
	if (o->fp != NULL && o->fp != stdout)
		fclose(o->fp);
	o->fp = NULL;
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
}
