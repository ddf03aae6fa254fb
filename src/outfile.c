/*
 * One output file's life: prepared at the start (the directory opened and
 * held, the temporary file created in it with openat), written, finished
 * (flushed, fsync'ed, closed), renamed over its target with renameat, and
 * the directory fsync'ed; or abandoned, the temporary file removed.  Not
 * for: the order of several outputs, signals, or clashes between files
 * (outputs.c does those).
 */
/* O_PATH, for a directory that can be written but not read */
#define _GNU_SOURCE	/* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "outfile.h"
#include "rng.h"
#include "status.h"

#define TMP_TRIES 100	/* names tried before giving up on a temporary file */

static int
is_stdout(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

/* A failed system call with errno e: "out of memory" and ST_NOMEM, or "path: what: reason" and ST_IO. */
static int
sys_fail(const char *name, const char *what, int e, char *err, size_t errlen)
{
	if (e == ENOMEM) {
		snprintf(err, errlen, "%s: out of memory", name);
		return ST_NOMEM;
	}
	snprintf(err, errlen, "%s: %s%s", name, what, strerror(e));
	return ST_IO;
}

static void
id_of_stat(struct file_id *id, const struct stat *st)
{
	memset(id, 0, sizeof *id);
	id->exists = 1;
	id->chr = S_ISCHR(st->st_mode) || S_ISSOCK(st->st_mode);
	id->dev = st->st_dev;
	id->ino = st->st_ino;
}

int
file_id_of(const char *path, struct file_id *id)
{
	struct stat st;

	if (strcmp(path, "-") == 0 ? fstat(0, &st) != 0 : stat(path, &st) != 0)
		return -1;
	id_of_stat(id, &st);
	return 0;
}

int
file_id_same(const struct file_id *a, const struct file_id *b)
{
	if (a->exists != b->exists)
		return 0;
	if (a->exists)
		return !a->chr && !b->chr && a->dev == b->dev && a->ino == b->ino;
	return a->base != NULL && b->base != NULL && a->dir_dev == b->dir_dev && a->dir_ino == b->dir_ino &&
	    strcmp(a->base, b->base) == 0;
}

/*
 * The file a regular (or new) output replaces: the path itself, or what its
 * symbolic links lead to; split into a malloc'd directory and base name.
 */
static int
split_target(const char *path, int is_link, char **dir, char **base)
{
	char *real = is_link ? realpath(path, NULL) : strdup(path), *slash;

	*dir = *base = NULL;
	if (real == NULL)
		return -1;
	slash = strrchr(real, '/');
	if (slash == NULL) {
		*dir = strdup(".");
		*base = strdup(real);
	} else {
		*base = strdup(slash + 1);
		slash[slash == real] = '\0';	/* "/x": the directory is "/" */
		*dir = strdup(real);
	}
	free(real);
	if (*dir == NULL || *base == NULL) {
		free(*dir);
		free(*base);
		*dir = *base = NULL;
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* Opens the directory for the run: readable, so that it can be fsync'ed, or else only searchable. */
static int
open_dir(struct outfile *o, const char *dir)
{
	o->dir_synced = 1;
	o->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
#ifdef O_PATH
	if (o->dirfd == -1 && errno == EACCES) {
		o->dir_synced = 0;
		o->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
#endif
	return o->dirfd == -1 ? -1 : 0;
}

/* A name for the temporary file: the target's, or as much of it as fits, then ".tmp" and 6 random characters. */
static void
tmp_name(char *buf, const char *base, size_t keep, struct rng *r)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t len = strlen(base) < keep ? strlen(base) : keep;
	size_t k;

	memcpy(buf, base, len);
	memcpy(buf + len, ".tmp", 4);
	for (k = 0; k < 6; k++)
		buf[len + 4 + k] = chars[rng_below(r, sizeof chars - 1)];
	buf[len + 10] = '\0';
}

/* Creates the temporary file in o->dirfd, mode 0600 until fchmod; its descriptor, or -1 with errno set. */
static int
create_tmp(struct outfile *o)
{
	struct timespec now;
	struct rng r;
	size_t keep = strlen(o->base);
	int fd, tries;

	clock_gettime(CLOCK_REALTIME, &now);
	rng_seed(&r, (uint64_t)getpid() << 32 ^ (uint64_t)now.tv_sec * 1000000000u ^ (uint64_t)now.tv_nsec);
	if ((o->tmp = malloc(keep + 11)) == NULL)
		return -1;
	for (tries = 0; tries < TMP_TRIES; tries++) {
		tmp_name(o->tmp, o->base, keep, &r);
		fd = openat(o->dirfd, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd != -1)
			return fd;
		if (errno == ENAMETOOLONG && keep > 0)
			keep /= 2;	/* a long name: a shorter prefix of it */
		else if (errno != EEXIST)
			break;
	}
	free(o->tmp);
	o->tmp = NULL;
	return -1;
}

/* The target's directory, opened and checked, and o->mode and o->id; 0 or a status with a message. */
static int
prepare_target(struct outfile *o, const struct stat *st, int exists, int is_link, char *err, size_t errlen)
{
	struct stat now, dir;
	char *dirname;
	mode_t mask;
	int r;

	if (split_target(o->name, is_link, &dirname, &o->base) != 0)
		return sys_fail(o->name, "cannot write: ", errno, err, errlen);
	r = open_dir(o, dirname);
	free(dirname);
	if (r != 0 || fstat(o->dirfd, &dir) != 0)
		return sys_fail(o->name, "cannot write: ", errno, err, errlen);
	if (o->base[0] == '\0')
		return sys_fail(o->name, "cannot write: ", EISDIR, err, errlen);
	/* What the held directory has under the name must be what was looked at. */
	r = fstatat(o->dirfd, o->base, &now, AT_SYMLINK_NOFOLLOW);
	if (exists ? r != 0 || !S_ISREG(now.st_mode) || now.st_dev != st->st_dev || now.st_ino != st->st_ino :
	    r == 0 || errno != ENOENT) {
		snprintf(err, errlen, "%s: changed while it was being opened; try again", o->name);
		return ST_IO;
	}
	if (exists) {
		o->mode = st->st_mode & 0777;	/* the permissions; never setuid, setgid or sticky */
		id_of_stat(&o->id, st);
	} else {
		mask = umask(0);
		umask(mask);
		o->mode = 0666 & ~mask;
		o->id.dir_dev = dir.st_dev;
		o->id.dir_ino = dir.st_ino;
		o->id.base = o->base;
	}
	return 0;
}

int
outfile_prepare(struct outfile *o, const char *path, char *err, size_t errlen)
{
	struct stat st, lst;
	int exists, is_link, fd, rc;

	memset(o, 0, sizeof *o);
	o->dirfd = -1;
	if (is_stdout(path)) {
		o->kind = OUTFILE_STDOUT;
		o->fp = stdout;
		o->name = "standard output";
		if (fstat(1, &st) == 0)
			id_of_stat(&o->id, &st);
		return 0;
	}
	o->name = path;
	exists = stat(path, &st) == 0;
	if (!exists && errno != ENOENT)
		return sys_fail(path, "cannot write: ", errno, err, errlen);
	is_link = lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode);
	if (!exists && is_link) {
		snprintf(err, errlen, "%s: cannot write: a symbolic link to a file that does not exist", path);
		return ST_IO;
	}
	if (exists && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory", path);
		return ST_IO;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		/* A FIFO or a device: written directly, opened by outfile_stream. */
		if (S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s: is a socket; give a file, a FIFO or a device", path);
			return ST_IO;
		}
		if (access(path, W_OK) != 0)
			return sys_fail(path, "cannot write: ", errno, err, errlen);
		o->kind = OUTFILE_DIRECT;
		o->mode = st.st_mode;
		id_of_stat(&o->id, &st);
		return 0;
	}
	o->kind = OUTFILE_TEMP;
	if ((rc = prepare_target(o, &st, exists, is_link, err, errlen)) != 0) {
		outfile_abort(o);
		return rc;
	}
	if ((fd = create_tmp(o)) == -1 || fchmod(fd, o->mode) != 0 || (o->fp = fdopen(fd, "w")) == NULL) {
		rc = sys_fail(path, "cannot write: ", errno, err, errlen);
		if (fd != -1)
			close(fd);
		outfile_abort(o);
		return rc;
	}
	return 0;
}

int
outfile_stream(struct outfile *o, const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	if (o->fp != NULL || o->kind != OUTFILE_DIRECT)
		return 0;
	while ((fd = open(o->name, O_WRONLY | O_NOCTTY | O_CLOEXEC)) == -1) {
		if (errno != EINTR)
			return sys_fail(o->name, "cannot write: ", errno, err, errlen);
		if (stop != NULL && *stop != 0) {
			snprintf(err, errlen, "%s: interrupted while waiting for a reader", o->name);
			return *stop;
		}
	}
	/* Never a regular file by a name looked up late: only the FIFO or device checked at the start. */
	if (fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) != (o->mode & S_IFMT) ||
	    (S_ISFIFO(st.st_mode) && (st.st_dev != o->id.dev || st.st_ino != o->id.ino))) {
		close(fd);
		snprintf(err, errlen, "%s: replaced by another file during the run; nothing written to it", o->name);
		return ST_IO;
	}
	if ((o->fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		return sys_fail(o->name, "", errno, err, errlen);
	}
	return 0;
}

int
outfile_finish(struct outfile *o, char *err, size_t errlen)
{
	int e = 0;

	if (o->fp == NULL)
		return 0;
	errno = 0;
	if (fflush(o->fp) != 0 || ferror(o->fp))
		e = errno != 0 ? errno : EIO;
	if (o->kind == OUTFILE_STDOUT) {
		if (e != 0) {
			snprintf(err, errlen, "standard output: write error: %s", strerror(e));
			return ST_IO;
		}
		return 0;
	}
	if (e == 0 && o->kind == OUTFILE_TEMP && fsync(fileno(o->fp)) != 0)
		e = errno;
	if (fclose(o->fp) != 0 && e == 0)
		e = errno;
	o->fp = NULL;
	if (e != 0) {
		snprintf(err, errlen, "%s: write error: %s", o->name, strerror(e));
		return ST_IO;
	}
	return 0;
}

int
outfile_rename(struct outfile *o, char *err, size_t errlen)
{
	if (o->tmp == NULL)
		return 0;
	if (renameat(o->dirfd, o->tmp, o->dirfd, o->base) != 0) {
		snprintf(err, errlen, "%s: cannot replace it: %s", o->name, strerror(errno));
		return ST_IO;
	}
	free(o->tmp);
	o->tmp = NULL;
	return 0;
}

int
outfile_sync_dir(struct outfile *o, char *err, size_t errlen)
{
	/* EINVAL: a file system that cannot sync a directory; there is nothing more to do. */
	if (o->dirfd != -1 && o->dir_synced && fsync(o->dirfd) != 0 && errno != EINVAL) {
		snprintf(err, errlen, "%s: replaced, but its directory could not be synced: %s", o->name,
		    strerror(errno));
		return ST_IO;
	}
	return 0;
}

void
outfile_abort(struct outfile *o)
{
	if (o->fp != NULL && o->kind != OUTFILE_STDOUT)
		fclose(o->fp);
	o->fp = NULL;
	if (o->tmp != NULL)
		unlinkat(o->dirfd, o->tmp, 0);
	if (o->dirfd != -1)
		close(o->dirfd);
	o->dirfd = -1;
	free(o->tmp);
	free(o->base);
	o->tmp = o->base = NULL;
	o->id.base = NULL;
}
