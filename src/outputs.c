/*
 * A run's outputs together: the clashes found before any work, and the
 * commit in two phases, so that an error or an interrupt before the first
 * rename leaves every old file as it was.  Not for: writing or replacing
 * one file (outfile.c).
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "outputs.h"
#include "status.h"

/* A name for messages: "-" is standard output. */
static const char *
spelled(const char *name)
{
	return strcmp(name, "-") == 0 ? "standard output" : name;
}

/* " (the same file as B)" when the names differ, for a message about A. */
static void
same_as(char *buf, size_t len, const char *a, const char *b)
{
	if (strcmp(spelled(a), spelled(b)) == 0)
		buf[0] = '\0';
	else
		snprintf(buf, len, " (the same file as %s)", spelled(b));
}

/* Two outputs clash: one file, or standard output twice. */
static int
clash(const struct outfile *a, const struct outfile *b)
{
	if (a->kind == OUTFILE_STDOUT && b->kind == OUTFILE_STDOUT)
		return 1;
	return file_id_same(&a->id, &b->id);
}

int
outputs_add(struct outputs *s, struct outfile *o, const char *path, const char *what, char *err,
    size_t errlen)
{
	const char *name;
	char also[300];
	size_t k;
	int st;

	if (s->n == OUTPUTS_MAX) {
		snprintf(err, errlen, "too many outputs");
		return ST_USAGE;
	}
	if ((st = outfile_prepare(o, path, err, errlen)) != 0)
		return st;
	name = path != NULL ? path : o->name;
	for (k = 0; k < s->n; k++)
		if (clash(o, s->file[k])) {
			same_as(also, sizeof also, name, s->name[k]);
			snprintf(err, errlen, "%s%s: named for two outputs (%s and %s)", name, also, what, s->what[k]);
			outfile_abort(o);
			return ST_USAGE;
		}
	s->file[s->n] = o;
	s->name[s->n] = name;
	s->what[s->n] = what;
	s->n++;
	return 0;
}

int
outputs_check_input(const struct outputs *s, const char *path, const char *what, const struct outfile *may,
    char *err, size_t errlen)
{
	struct file_id in;
	const char *inname = strcmp(path, "-") == 0 ? "standard input" : path;
	char also[300];
	size_t k;

	if (file_id_of(path, &in) != 0)
		return 0;
	for (k = 0; k < s->n; k++)
		if (s->file[k] != may && file_id_same(&in, &s->file[k]->id)) {
			same_as(also, sizeof also, s->name[k], inname);
			snprintf(err, errlen, "%s%s: named for an input and an output (%s and %s); "
			    "name another file for %s", s->name[k], also, what, s->what[k], s->what[k]);
			return ST_USAGE;
		}
	return 0;
}

int
outputs_pending(const struct outputs *s)
{
	size_t k;

	for (k = 0; k < s->n; k++)
		if (s->file[k]->tmp != NULL)
			return 1;
	return 0;
}

/* After the first rename: the names of the outputs already replaced, for the message of a later failure. */
static void
replaced(const struct outputs *s, size_t upto, char *err, size_t errlen)
{
	size_t k, used = strlen(err);
	int first = 1;

	for (k = 0; k < upto && used < errlen; k++)
		if (s->file[k]->kind == OUTFILE_TEMP) {
			used += (size_t)snprintf(err + used, errlen - used, "%s%s", first ? "; already replaced: " : ", ",
			    s->file[k]->name);
			first = 0;
		}
}

static struct outputs *volatile armed;	/* the outputs a signal removes the temporary files of */

void
outputs_arm(struct outputs *s)
{
	armed = s;
}

void
outputs_on_signal(void)
{
	struct outputs *s = armed;
	size_t k;

	for (k = 0; s != NULL && k < s->n; k++)
		if (s->file[k]->tmp != NULL)
			unlinkat(s->file[k]->dirfd, s->file[k]->tmp, 0);	/* (again at the abort: no matter) */
}

int
outputs_commit(struct outputs *s, const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	sigset_t all, old;
	size_t k;
	int st = 0;

	armed = NULL;	/* the renames must find their files */
	for (k = 0; k < s->n && st == 0; k++)
		st = outfile_finish(s->file[k], err, errlen);
	if (st == 0 && stop != NULL && *stop != 0) {
		snprintf(err, errlen, "interrupted");
		st = *stop;
	}
	if (st != 0) {
		outputs_abort(s);
		return st;
	}
	/* Past here nothing is left to interrupt: the renames go through together. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	for (k = 0; k < s->n && st == 0; k++)
		if ((st = outfile_rename(s->file[k], err, errlen)) != 0)
			replaced(s, k, err, errlen);
	for (k = 0; k < s->n && st == 0; k++)
		st = outfile_sync_dir(s->file[k], err, errlen);
	outputs_abort(s);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return st;
}

void
outputs_abort(struct outputs *s)
{
	size_t k;

	armed = NULL;
	for (k = 0; k < s->n; k++)
		outfile_abort(s->file[k]);
	s->n = 0;
}
