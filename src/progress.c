/*
 * Progress lines, the bar and the plot.  The bar is redrawn with a carriage
 * return and erased with spaces, so a terminal needs no escape sequences;
 * the only ones written are the plot's colours on a colour terminal.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "progress.h"

/* Whether the locale's character set is UTF-8, or is not named at all. */
static int
utf8_locale(void)
{
	const char *names[] = { "LC_ALL", "LC_CTYPE", "LANG" }, *v = NULL;
	size_t i;

	for (i = 0; i < 3 && (v == NULL || v[0] == '\0'); i++)
		v = getenv(names[i]);
	if (v == NULL || v[0] == '\0' || strcmp(v, "C") == 0 || strcmp(v, "POSIX") == 0)
		return 1;	/* terminals today speak UTF-8 */
	return strstr(v, "UTF-8") != NULL || strstr(v, "utf8") != NULL || strstr(v, "UTF8") != NULL ||
	    strstr(v, "utf-8") != NULL;
}

static int
columns(const struct progress *p)
{
	struct winsize ws;
	const char *c;
	long n;

	if (ioctl(fileno(p->fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	if ((c = getenv("COLUMNS")) != NULL && (n = strtol(c, NULL, 10)) >= 20 && n <= 1000)
		return (int)n;
	return 80;
}

void
progress_start(struct progress *p, FILE *fp, int quiet, int verbose, uint64_t first, uint64_t last,
    size_t rows)
{
	const char *nc = getenv("NO_COLOR");

	memset(p, 0, sizeof *p);
	p->fp = fp;
	p->quiet = quiet;
	p->verbose = verbose && !quiet;
	p->tty = !quiet && isatty(fileno(fp));
	p->utf8 = utf8_locale();
	p->color = p->tty && (nc == NULL || nc[0] == '\0');
	p->first = first;
	p->last = last;
	p->rows = rows;
	p->start = train_now();
	p->shown = p->start;
}

/* 1234567 -> "1.23M": rates for the bar. */
static void
human(char *buf, size_t len, double x)
{
	if (x >= 1e9)
		snprintf(buf, len, "%.2fG", x / 1e9);
	else if (x >= 1e6)
		snprintf(buf, len, "%.2fM", x / 1e6);
	else if (x >= 1e3)
		snprintf(buf, len, "%.1fk", x / 1e3);
	else
		snprintf(buf, len, "%.0f", x);
}

static void
clock_text(char *buf, size_t len, double s)
{
	unsigned long t = s < 0 ? 0 : s > 3.6e8 ? 360000000UL : (unsigned long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%lu:%02lu", t / 60, t % 60);
}

void
progress_clear(struct progress *p)
{
	size_t cols;

	if (p->drawn > 0) {
		/* no wider than the terminal is now: spaces past its edge would wrap */
		cols = (size_t)columns(p) - 1;
		fprintf(p->fp, "\r%*s\r", (int)(p->drawn < cols ? p->drawn : cols), "");
		p->drawn = 0;
	}
}

/* The bar of `cells` cells filled to frac, in eighths of a cell with UTF-8; returns the bytes. */
static size_t
bar(char *buf, size_t len, size_t cells, double frac, int utf8)
{
	static const char *const eighths[] = { " ", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b",
		"\u258a", "\u2589" };
	size_t used = 0, i, eighth = (size_t)(frac * (double)cells * 8), n;

	for (i = 0; i < cells && used + 8 < len; i++) {
		n = eighth >= 8 * (i + 1) ? 8 : eighth > 8 * i ? eighth - 8 * i : 0;
		used += (size_t)snprintf(buf + used, len - used, "%s", n == 8 ? (utf8 ? "\u2588" : "#") :
		    utf8 ? eighths[n] : n >= 4 ? "+" : ".");
	}
	return used;
}

void
progress_rows(struct progress *p, const struct row_progress *r)
{
	char head[64], cells[256], tail[160], rate[32], eta[32];
	double t = train_now(), speed, frac;
	size_t left, hw, tw, nb = 0;
	int cols;

	if (!p->tty || t - p->shown < 0.1)
		return;
	p->shown = t;
	speed = (double)(p->rows_done + r->done) / (t - p->start);
	left = (size_t)(p->last - r->epoch) * r->rows + (r->rows - r->done);
	human(rate, sizeof rate, speed);
	clock_text(eta, sizeof eta, speed > 0 ? (double)left / speed : 0);
	frac = r->rows > 0 ? (double)r->done / (double)r->rows : 0;
	hw = (size_t)snprintf(head, sizeof head, "epoch %" PRIu64 "/%" PRIu64 " ", r->epoch, p->last);
	tw = (size_t)snprintf(tail, sizeof tail, " %3.0f%%  %zu/%zu rows  %s rows/s  loss %.4f  ETA %s",
	    frac * 100, r->done, r->rows, rate, r->loss, eta);
	tw = tw < sizeof tail ? tw : sizeof tail - 1;
	cols = columns(p) - 1;	/* the last column would wrap on some terminals */
	/* the bar takes what the text leaves, 10 to 30 cells, or is left out */
	if ((size_t)cols > hw + tw + 12) {
		nb = (size_t)cols - hw - tw - 2;
		nb = nb > 30 ? 30 : nb;
		bar(cells, sizeof cells, nb, frac, p->utf8);
	}
	if (hw + tw > (size_t)cols)	/* too narrow even without it: cut the end */
		tw = (size_t)cols > hw ? (size_t)cols - hw : 0;
	fprintf(p->fp, "\r%s", head);
	if (nb > 0)
		fprintf(p->fp, "%s%s%s", p->utf8 ? "\u2595" : "[", cells, p->utf8 ? "\u258f" : "]");
	fprintf(p->fp, "%.*s", (int)tw, tail);
	hw += tw + (nb > 0 ? nb + 2 : 0);
	if (p->drawn > (size_t)cols)	/* the terminal got narrower */
		p->drawn = (size_t)cols;
	if (p->drawn > hw)		/* the rest of a longer line before */
		fprintf(p->fp, "%*s", (int)(p->drawn - hw), "");
	p->drawn = hw > p->drawn ? hw : p->drawn;
	fflush(p->fp);
}

void
progress_epoch(struct progress *p, const struct epoch_stats *s)
{
	char val[96] = "", more[128] = "";

	p->rows_done += p->rows;
	if (p->quiet)
		return;
	progress_clear(p);
	if (s->have_val)
		snprintf(val, sizeof val, "  val_loss %.6f  val_accuracy %.4f", s->val_loss, s->val_accuracy);
	if (p->verbose)
		snprintf(more, sizeof more, "  rate %.6g  epoch_time %.3fs  %.0f rows/s%s", s->rate, s->seconds,
		    s->seconds > 0 ? (double)p->rows / s->seconds : 0.0, s->best ? "  best" : "");
	fprintf(p->fp, "epoch %" PRIu64 "/%" PRIu64 "  loss %.6f  accuracy %.4f%s%s  time %.2fs\n",
	    s->epoch, p->last, s->loss, s->accuracy, val, more, train_now() - p->start);
	fflush(p->fp);
}

void
progress_plot(struct progress *p, const struct curves *c)
{
	int cols;

	if (!p->tty || !p->utf8 || c->n < 2)
		return;
	cols = columns(p) - 1;
	plot_text(p->fp, c, cols > 72 ? 72 : cols, 8, p->color);
}
