/*
 * Output files (outfile.c) and a run's outputs together (outputs.c), in a
 * temporary directory: the temporary file created at the start and renamed
 * at the end, never beside a failure; clashes between outputs and with
 * inputs; all or none committed; modes, links, long names.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "outputs.h"
#include "status.h"

static char dir[64];

/* dir/name, in a static buffer (one at a time). */
static const char *
at(const char *name)
{
	static char buf[2][600];
	static int k;

	k ^= 1;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static void
put(const char *name, const char *text)
{
	FILE *f = fopen(at(name), "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* The first line of dir/name, or "(none)". */
static const char *
get(const char *name)
{
	static char buf[256];
	FILE *f = fopen(at(name), "r");

	if (f == NULL)
		return "(none)";
	if (fgets(buf, sizeof buf, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* How many entries of dir have ".tmp" in their names. */
static int
temps(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL)
		n += strstr(e->d_name, ".tmp") != NULL;
	if (d != NULL)
		closedir(d);
	return n;
}

static void
test_one_file(void)
{
	struct outputs s = { 0 };
	struct outfile o;
	char err[ERRLEN];
	struct stat st;

	put("m.json", "old");
	CHECK(outputs_add(&s, &o, at("m.json"), "the model", err, sizeof err) == 0);
	CHECK(temps() == 1);	/* created at the start */
	CHECK(outputs_pending(&s));
	fputs("new\n", o.fp);
	CHECK_STR(get("m.json"), "old");
	CHECK(outputs_commit(&s, NULL, err, sizeof err) == 0);
	CHECK_STR(get("m.json"), "new");
	CHECK(temps() == 0);
	CHECK(s.n == 0);

	/* abandoned: the old file stays, the temporary file goes */
	CHECK(outputs_add(&s, &o, at("m.json"), "the model", err, sizeof err) == 0);
	fputs("newer\n", o.fp);
	outputs_abort(&s);
	CHECK_STR(get("m.json"), "new");
	CHECK(temps() == 0);

	/* setuid and setgid dropped, the permissions kept */
	chmod(at("m.json"), 06750);
	CHECK(outputs_add(&s, &o, at("m.json"), "the model", err, sizeof err) == 0);
	CHECK(outputs_commit(&s, NULL, err, sizeof err) == 0);
	CHECK(stat(at("m.json"), &st) == 0 && (st.st_mode & 07777) == 0750);
}

static void
test_names(void)
{
	struct outputs s = { 0 };
	struct outfile o;
	char err[ERRLEN], name[300];

	/* a symbolic link: its target replaced, the link kept */
	put("target.txt", "old");
	CHECK(symlink("target.txt", at("link.txt")) == 0);
	CHECK(outputs_add(&s, &o, at("link.txt"), "the output", err, sizeof err) == 0);
	fputs("new\n", o.fp);
	CHECK(outputs_commit(&s, NULL, err, sizeof err) == 0);
	CHECK_STR(get("target.txt"), "new");
	CHECK(readlink(at("link.txt"), name, sizeof name) == 10);

	/* a link to nothing, a directory, a missing directory: errors at the start, nothing created */
	CHECK(symlink("nothing", at("dangling")) == 0);
	CHECK(outputs_add(&s, &o, at("dangling"), "the output", err, sizeof err) == ST_IO);
	CHECK(strstr(err, "a symbolic link to a file that does not exist") != NULL);
	CHECK(outputs_add(&s, &o, dir, "the output", err, sizeof err) == ST_IO);
	CHECK(strstr(err, "is a directory") != NULL);
	CHECK(outputs_add(&s, &o, at("no/x"), "the output", err, sizeof err) == ST_IO);
	CHECK(strstr(err, "cannot write: No such file or directory") != NULL);
	CHECK(s.n == 0 && temps() == 0);

	/* a 254-byte name: the temporary file's name is shortened to fit */
	memset(name, 'n', 254);
	name[254] = '\0';
	CHECK(outputs_add(&s, &o, at(name), "the output", err, sizeof err) == 0);
	fputs("long\n", o.fp);
	CHECK(outputs_commit(&s, NULL, err, sizeof err) == 0);
	CHECK_STR(get(name), "long");
	unlink(at(name));
}

static void
test_clashes(void)
{
	struct outputs s = { 0 };
	struct outfile a, b, c;
	char err[ERRLEN], two[600];

	/* a new file named twice */
	snprintf(two, sizeof two, "%s/./n.json", dir);
	CHECK(outputs_add(&s, &a, at("n.json"), "the model", err, sizeof err) == 0);
	CHECK(outputs_add(&s, &b, two, "--history", err, sizeof err) == ST_USAGE);
	CHECK(strstr(err, "named for two outputs (--history and the model)") != NULL);
	CHECK(s.n == 1 && temps() == 1);
	/* an existing file under a second name, a hard link */
	put("h.csv", "old");
	CHECK(link(at("h.csv"), at("h2.csv")) == 0);
	CHECK(outputs_add(&s, &b, at("h.csv"), "--history", err, sizeof err) == 0);
	CHECK(outputs_add(&s, &c, at("h2.csv"), "--plot", err, sizeof err) == ST_USAGE);
	/* standard output twice; /dev/null twice is fine */
	outputs_abort(&s);
	CHECK(outputs_add(&s, &a, NULL, "the model", err, sizeof err) == 0);
	CHECK(outputs_add(&s, &b, "-", "--history", err, sizeof err) == ST_USAGE);
	CHECK_STR(err, "-: named for two outputs (--history and the model)");
	outputs_abort(&s);
	CHECK(outputs_add(&s, &a, "/dev/null", "the model", err, sizeof err) == 0);
	CHECK(outputs_add(&s, &b, "/dev/null", "--history", err, sizeof err) == 0);
	outputs_abort(&s);

	/* inputs: refused when an output, unless the one allowed to replace it */
	put("d.csv", "data");
	CHECK(outputs_add(&s, &a, at("m.json"), "the model", err, sizeof err) == 0);
	CHECK(outputs_add(&s, &b, at("d.csv"), "--history", err, sizeof err) == 0);
	CHECK(outputs_check_input(&s, at("d.csv"), "the training data", NULL, err, sizeof err) == ST_USAGE);
	CHECK(strstr(err, "named for an input and an output (the training data and --history); "
	    "name another file for --history") != NULL);
	CHECK(outputs_check_input(&s, at("m.json"), "the -i model", &a, err, sizeof err) == 0);
	CHECK(outputs_check_input(&s, at("m.json"), "the -i model", NULL, err, sizeof err) == ST_USAGE);
	CHECK(outputs_check_input(&s, at("nothing.csv"), "the data", NULL, err, sizeof err) == 0);
	outputs_abort(&s);
	CHECK_STR(get("d.csv"), "data");
	CHECK(temps() == 0);
}

static void
test_all_or_none(void)
{
	static volatile sig_atomic_t stop;
	struct outputs s = { 0 };
	struct outfile a, b;
	char err[ERRLEN];

	put("a.txt", "old a");
	put("b.txt", "old b");
	/* a failure in one output: none is replaced */
	if (access("/dev/full", W_OK) == 0) {
		CHECK(outputs_add(&s, &a, at("a.txt"), "the model", err, sizeof err) == 0);
		CHECK(outputs_add(&s, &b, "/dev/full", "--history", err, sizeof err) == 0);
		CHECK(outfile_stream(&b, NULL, err, sizeof err) == 0);
		fputs("new a\n", a.fp);
		fputs("new b\n", b.fp);
		CHECK(outputs_commit(&s, NULL, err, sizeof err) == ST_IO);
		CHECK_STR(err, "/dev/full: write error: No space left on device");
		CHECK_STR(get("a.txt"), "old a");
		CHECK(temps() == 0);
	}
	/* interrupted before the renames: none is replaced, the signal's status returned */
	CHECK(outputs_add(&s, &a, at("a.txt"), "the model", err, sizeof err) == 0);
	CHECK(outputs_add(&s, &b, at("b.txt"), "--history", err, sizeof err) == 0);
	fputs("new a\n", a.fp);
	fputs("new b\n", b.fp);
	stop = ST_INTERRUPTED + SIGINT;
	CHECK(outputs_commit(&s, &stop, err, sizeof err) == ST_INTERRUPTED + SIGINT);
	CHECK_STR(get("a.txt"), "old a");
	CHECK_STR(get("b.txt"), "old b");
	CHECK(temps() == 0);
	/* both */
	stop = 0;
	CHECK(outputs_add(&s, &a, at("a.txt"), "the model", err, sizeof err) == 0);
	CHECK(outputs_add(&s, &b, at("b.txt"), "--history", err, sizeof err) == 0);
	fputs("new a\n", a.fp);
	fputs("new b\n", b.fp);
	CHECK(outputs_commit(&s, &stop, err, sizeof err) == 0);
	CHECK_STR(get("a.txt"), "new a");
	CHECK_STR(get("b.txt"), "new b");
	CHECK(temps() == 0);
}

int
main(void)
{
	char cmd[128];
	int failed;

	snprintf(dir, sizeof dir, "%s", "/tmp/test_outputs.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	umask(022);
	test_one_file();
	test_names();
	test_clashes();
	test_all_or_none();
	failed = check_summary("test_outputs");
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return failed;
}
