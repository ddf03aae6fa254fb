/*
 * The loss plots: SVG documents that xmllint accepts, with one polyline of
 * n points per curve, each point on the canvas at its own value's height;
 * text plots of the documented number of lines, none wider than asked,
 * escape bytes only with colour, a falling curve from the top left to the
 * bottom right cell; and the same for extreme values, one point and no
 * points.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "plot.h"

#define MAXN 3000

static double ep[MAXN], tr[MAXN], va[MAXN];
static int have_xmllint = -1;

/* The output of plot_svg (text != 0: plot_text) as a string; *rc gets its return value. */
static char *
render(const struct curves *c, int text, int width, int height, int color, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL) {
		perror("open_memstream");
		exit(2);
	}
	*rc = text ? plot_text(f, c, width, height, color) : plot_svg(f, c);
	fclose(f);
	return buf;
}

/*
 * Checks with xmllint that doc is well-formed XML.  Without xmllint that is
 * one failed check (make deps installs it), the first time; later documents
 * count neither as passed nor as failed, never as checked.
 */
static void
check_xml(const char *doc, const char *what)
{
	char path[] = "/tmp/test_plot.XXXXXX", cmd[64];
	FILE *f;
	int fd;

	if (have_xmllint < 0) {
		have_xmllint = system("command -v xmllint >/dev/null 2>&1") == 0;
		CHECK_MSG(have_xmllint, "xmllint is not installed (Debian: libxml2-utils, which make deps installs): "
		    "the SVG documents cannot be checked for well-formedness");
	}
	if (!have_xmllint)
		return;
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	fputs(doc, f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "xmllint --noout %s", path);
	CHECK_MSG(system(cmd) == 0, "%s: xmllint rejects it", what);
	unlink(path);
}

/* Whether s is a number with at most 2 decimals within [0, max]. */
static int
coord_ok(const char *s, size_t len, double max)
{
	char buf[64], *end;
	const char *dot;
	double v;

	if (len == 0 || len >= sizeof buf)
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (strspn(buf, "0123456789.") != len)
		return 0;
	if ((dot = strchr(buf, '.')) != NULL && strlen(dot + 1) > 2)
		return 0;
	v = strtod(buf, &end);
	return *end == '\0' && v >= 0 && v <= max;
}

/*
 * The number of "x,y" pairs of the one polyline of class cls, all on the
 * 640x400 canvas with at most 2 decimals; -1 when there is not exactly one
 * such polyline or a pair is malformed.
 */
static long
polyline_points(const char *doc, const char *cls)
{
	char open[64];
	const char *p, *q, *end, *comma;
	long n = 0;

	snprintf(open, sizeof open, "<polyline class=\"%s\"", cls);
	if ((p = strstr(doc, open)) == NULL || strstr(p + 1, open) != NULL)
		return -1;
	if ((end = strchr(p, '>')) == NULL || (p = strstr(p, "points=\"")) == NULL || p > end)
		return -1;
	p += strlen("points=\"");
	end = strchr(p, '"');
	while (p < end) {
		q = p;
		while (q < end && *q != ' ')
			q++;
		comma = memchr(p, ',', (size_t)(q - p));
		if (comma == NULL || !coord_ok(p, (size_t)(comma - p), 640) ||
		    !coord_ok(comma + 1, (size_t)(q - comma - 1), 400))
			return -1;
		n++;
		p = q < end ? q + 1 : q;
	}
	return n;
}

/*
 * The largest distance on the canvas between a point of the polyline of
 * class cls and the height of its value v[i] on the y axis, as the first and
 * the last tick labels place values; -1 when they cannot be read.
 */
static double
y_error(const char *doc, const char *cls, const double *v, size_t n)
{
	static const char *const open = "<text class=\"ytick\" x=\"";
	char want[64];
	const char *p, *end;
	char *e;
	double tv[2] = { 0, 0 }, ty[2] = { 0, 0 }, y, worst = 0;
	size_t i = 0;
	int k = 0;

	for (p = doc; (p = strstr(p, open)) != NULL; p++) {
		if ((p = strstr(p, "\" y=\"")) == NULL)
			return -1;
		ty[k] = strtod(p + strlen("\" y=\""), &e) - 4;
		if ((p = strchr(e, '>')) == NULL)
			return -1;
		tv[k] = strtod(p + 1, &e);
		if (*e != '<')
			return -1;
		k = 1;
	}
	if (k == 0 || tv[0] == tv[1])
		return -1;
	snprintf(want, sizeof want, "<polyline class=\"%s\"", cls);
	if ((p = strstr(doc, want)) == NULL || (p = strstr(p, "points=\"")) == NULL)
		return -1;
	end = strchr(p += strlen("points=\""), '"');
	for (; p != NULL && p < end && i < n; i++) {
		if ((p = strchr(p, ',')) == NULL)
			return -1;
		y = strtod(p + 1, &e);
		worst = fmax(worst, fabs(y - (ty[0] + (v[i] - tv[0]) * (ty[1] - ty[0]) / (tv[1] - tv[0]))));
		p = e;
	}
	return i == n ? worst : -1;
}

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;

	for (; (s = strstr(s, what)) != NULL; s++)
		n++;
	return n;
}

/*
 * Whether there are tick labels on both axes, those of the y axis a line
 * apart at least and those of the x axis 30 units.
 */
static int
labels_apart(const char *doc)
{
	static const char *const open[2] = { "<text class=\"ytick\" x=\"", "<text class=\"xtick\" x=\"" };
	const char *p;
	char *end;
	double pos[64];
	int a, i, j, n;

	for (a = 0; a < 2; a++) {
		n = 0;
		for (p = doc; (p = strstr(p, open[a])) != NULL && n < 64; p++) {
			pos[n] = strtod(p + strlen(open[a]), &end);
			if (a == 0)	/* the y coordinate */
				pos[n] = strtod(end + strlen("\" y=\""), NULL);
			n++;
		}
		if (n < (a == 0 ? 2 : 1))
			return 0;
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (fabs(pos[i] - pos[j]) < (a == 0 ? 12 : 30))
					return 0;
	}
	return 1;
}

/* The checks every SVG document passes. */
static void
check_svg(const struct curves *c, const char *what)
{
	char *doc;
	int rc;

	doc = render(c, 0, 0, 0, 0, &rc);
	CHECK_MSG(rc == 0, "%s", what);
	CHECK_MSG(strncmp(doc, "<?xml ", 6) == 0, "%s", what);
	CHECK_MSG(strstr(doc, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" "
	    "viewBox=\"0 0 640 400\"") != NULL, "%s", what);
	check_xml(doc, what);
	CHECK_MSG(polyline_points(doc, "train") == (long)c->n, "%s: %ld training points, want %zu", what,
	    polyline_points(doc, "train"), c->n);
	if (c->val != NULL)
		CHECK_MSG(polyline_points(doc, "val") == (long)c->n, "%s: %ld validation points, want %zu",
		    what, polyline_points(doc, "val"), c->n);
	else
		CHECK_MSG(strstr(doc, "class=\"val\"") == NULL, "%s", what);
	CHECK_MSG(strstr(doc, "nan") == NULL && strstr(doc, "inf") == NULL, "%s", what);
	CHECK_MSG(labels_apart(doc), "%s: tick labels too close, or too few", what);
	CHECK_MSG(strstr(doc, ">epoch</text>") != NULL && strstr(doc, ">log loss</text>") != NULL, "%s", what);
	if (c->n > 0) {
		CHECK_MSG(strstr(doc, ">training</text>") != NULL, "%s", what);
		CHECK_MSG((strstr(doc, ">validation</text>") != NULL) == (c->val != NULL), "%s", what);
	} else
		CHECK_MSG(strstr(doc, "no epochs") != NULL, "%s", what);
	free(doc);
}

/*
 * The code points of one line, ANSI colour sequences left out; returns
 * their number, or -1 for bytes that are no UTF-8 or a stray escape.
 */
static int
decode_line(const unsigned char *s, const unsigned char *end, uint32_t *cp, int max)
{
	int n = 0, len, i;
	uint32_t v;

	while (s < end) {
		if (*s == 0x1b) {
			if (s + 1 >= end || s[1] != '[')
				return -1;
			for (s += 2; s < end && *s != 'm'; s++)
				if (!((*s >= '0' && *s <= '9') || *s == ';'))
					return -1;
			if (s == end)
				return -1;
			s++;
			continue;
		}
		if (*s < 0x80) {
			len = 1;
			v = *s;
		} else if ((*s & 0xe0) == 0xc0) {
			len = 2;
			v = *s & 0x1fu;
		} else if ((*s & 0xf0) == 0xe0) {
			len = 3;
			v = *s & 0x0fu;
		} else if ((*s & 0xf8) == 0xf0) {
			len = 4;
			v = *s & 0x07u;
		} else
			return -1;
		if (end - s < len)
			return -1;
		for (i = 1; i < len; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return -1;
			v = v << 6 | (s[i] & 0x3fu);
		}
		if (n < max)
			cp[n] = v;
		n++;
		s += len;
	}
	return n;
}

static int
is_braille(uint32_t v)
{
	return v > 0x2800 && v <= 0x28ff;
}

#define MAXLINES 64

/*
 * The checks every text plot passes; lines[] gets each line's code points
 * and widths[] their number (so the caller can look at cells).  Returns the
 * number of lines.
 */
static int
check_text(const struct curves *c, int width, int height, int color, const char *what,
    uint32_t lines[][1024], int *widths)
{
	const unsigned char *s, *nl;
	char *out;
	int rc, n = 0, w, want;

	out = render(c, 1, width, height, color, &rc);
	CHECK_MSG(rc == 0, "%s", what);
	if (c->n == 0) {
		CHECK_MSG(out[0] == '\0', "%s: output for no epochs", what);
		free(out);
		return 0;
	}
	CHECK_MSG(strchr(out, '\033') == NULL || color, "%s: an escape byte without colour", what);
	if (color)
		CHECK_MSG(strchr(out, '\033') != NULL, "%s: no escape byte with colour", what);
	CHECK_MSG(out[strlen(out) - 1] == '\n', "%s: the last line has no newline", what);
	for (s = (const unsigned char *)out; *s != '\0'; s = nl + 1) {
		if ((nl = (const unsigned char *)strchr((const char *)s, '\n')) == NULL)
			break;
		w = decode_line(s, nl, n < MAXLINES ? lines[n] : lines[0], 1024);
		CHECK_MSG(w >= 0 && w <= width, "%s: line %d has %d columns, at most %d wanted", what, n + 1, w,
		    width);
		if (n < MAXLINES)
			widths[n] = w;
		n++;
	}
	want = height + 2 + (c->title != NULL);
	CHECK_MSG(n == want, "%s: %d lines, want %d", what, n, want);
	free(out);
	return n;
}

/* A falling curve from the top left cell to the bottom right one. */
static void
check_corners(const struct curves *c, int width, int height, const char *what)
{
	static uint32_t lines[MAXLINES][1024];
	int widths[MAXLINES], t = c->title != NULL, i, top, bot;

	if (check_text(c, width, height, 0, what, lines, widths) != height + 2 + t)
		return;
	/* the cells begin after the axis, U+2524 on the labelled rows */
	for (top = 0; top < widths[t] && lines[t][top] != 0x2524; top++)
		;
	for (bot = 0; bot < widths[t + height - 1] && lines[t + height - 1][bot] != 0x2524; bot++)
		;
	CHECK_MSG(top + 1 < widths[t] && is_braille(lines[t][top + 1]), "%s: the top left cell is empty",
	    what);
	CHECK_MSG(widths[t + height - 1] == width && is_braille(lines[t + height - 1][width - 1]),
	    "%s: the bottom right cell is empty", what);
	CHECK_MSG(top == bot, "%s: the axis moves", what);
	/* every plot row has the axis in the same column */
	for (i = t + 1; i < t + height - 1; i++)
		CHECK_MSG(widths[i] > top && lines[i][top] == 0x2502, "%s: row %d has no axis", what, i - t);
}

/* The SVG and the text plots of c in a few sizes, with and without colour. */
static void
check_all(const struct curves *c, const char *what)
{
	static uint32_t lines[MAXLINES][1024];
	static const int sizes[][2] = { { 20, 3 }, { 60, 10 }, { 80, 20 }, { 33, 7 } };
	int widths[MAXLINES];
	size_t i;

	check_svg(c, what);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		check_text(c, sizes[i][0], sizes[i][1], 0, what, lines, widths);
		check_text(c, sizes[i][0], sizes[i][1], 1, what, lines, widths);
	}
}

static void
fill(size_t n, double t0, double t1, double v0, double v1)
{
	size_t i;
	double s;

	for (i = 0; i < n; i++) {
		s = n > 1 ? (double)i / (double)(n - 1) : 0;
		ep[i] = (double)(i + 1);
		tr[i] = t0 + (t1 - t0) * s;
		va[i] = v0 + (v1 - v0) * s;
	}
}

static void
test_svg(void)
{
	static const size_t ns[] = { 0, 1, 2, 50 };
	const char *title = "run <&>\"' one\ntwo";
	struct curves c;
	char *doc, what[64];
	double err;
	size_t i;
	int rc, v, t;

	for (i = 0; i < sizeof ns / sizeof ns[0]; i++)
		for (v = 0; v < 2; v++)
			for (t = 0; t < 2; t++) {
				fill(ns[i], 0.69, 0.1, 0.7, 0.15);
				c = (struct curves){ ns[i], ep, tr, v ? va : NULL, 0, t ? title : NULL };
				snprintf(what, sizeof what, "svg n=%zu val=%d title=%d", ns[i], v, t);
				check_svg(&c, what);
				if (ns[i] < 2)
					continue;
				/* each point at the height of its own curve's value (within the rounding to hundredths) */
				doc = render(&c, 0, 0, 0, 0, &rc);
				err = y_error(doc, "train", tr, ns[i]);
				CHECK_MSG(err >= 0 && err < 0.02, "%s: training points off by %g", what, err);
				if (v) {
					err = y_error(doc, "val", va, ns[i]);
					CHECK_MSG(err >= 0 && err < 0.02, "%s: validation points off by %g", what, err);
				}
				free(doc);
			}

	/* The title escaped, its newline dropped. */
	fill(50, 0.69, 0.1, 0.7, 0.15);
	c = (struct curves){ 50, ep, tr, va, 40, title };
	doc = render(&c, 0, 0, 0, 0, &rc);
	CHECK(rc == 0);
	CHECK(strstr(doc, ">run &lt;&amp;&gt;&quot;&apos; onetwo</text>") != NULL);
	/* The best epoch: a dashed line with a tooltip. */
	CHECK(strstr(doc, "<g class=\"best\"><title>best epoch 40: validation loss ") != NULL);
	CHECK(count(doc, "class=\"best\"") >= 1);
	CHECK(strstr(doc, ">best epoch</text>") != NULL);
	free(doc);

	/* No mark for 0, nor for an epoch outside the range. */
	c.best = 0;
	doc = render(&c, 0, 0, 0, 0, &rc);
	CHECK(strstr(doc, "class=\"best\"") == NULL);
	free(doc);
	c.best = 51;
	doc = render(&c, 0, 0, 0, 0, &rc);
	CHECK(strstr(doc, "class=\"best\"") == NULL);
	free(doc);

	/* Bytes that are no UTF-8, and U+FFFF, which XML cannot hold. */
	c.title = "bad \xff\xc0\x80 \xed\xa0\x80 \xef\xbf\xbf ok \xc3\xa9";
	check_svg(&c, "svg with a title that is not UTF-8");
	doc = render(&c, 0, 0, 0, 0, &rc);
	CHECK(strstr(doc, ">bad ??? ??? ? ok \xc3\xa9</text>") != NULL);
	free(doc);

	/* A long title is cut. */
	c.title = "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789";
	doc = render(&c, 0, 0, 0, 0, &rc);
	CHECK(strstr(doc, "789\xe2\x80\xa6</text>") != NULL);
	free(doc);

	/* Round tick values: a loss from 0.69 to 0.1 gets 0.1 .. 0.7 at least. */
	fill(30, 0.69, 0.1, 0.7, 0.15);
	c = (struct curves){ 30, ep, tr, va, 0, NULL };
	doc = render(&c, 0, 0, 0, 0, &rc);
	CHECK(strstr(doc, ">0.1</text>") != NULL || strstr(doc, ">0.10</text>") != NULL);
	CHECK(strstr(doc, ">0.7</text>") != NULL || strstr(doc, ">0.70</text>") != NULL);
	CHECK(strstr(doc, ">10</text>") != NULL && strstr(doc, ">30</text>") != NULL);
	CHECK(strstr(doc, ">2.5</text>") == NULL);
	free(doc);
}

static void
test_text(void)
{
	static uint32_t lines[MAXLINES][1024];
	const char *title = "run <&>\"' one\ntwo\x1b[31m \xc2\x9b \xff";
	struct curves c;
	char *out, what[64], ticks[80];
	int widths[MAXLINES], rc, n, v;

	/* A falling curve fills the top left and the bottom right cells, with or without val. */
	for (v = 0; v < 2; v++) {
		fill(30, 0.69, 0.1, 0.6, 0.15);
		c = (struct curves){ 30, ep, tr, v ? va : NULL, 20, NULL };
		snprintf(what, sizeof what, "text falling val=%d", v);
		check_corners(&c, 60, 10, what);
		check_corners(&c, 20, 3, what);
		c.title = title;
		check_corners(&c, 60, 10, what);
		check_corners(&c, 20, 3, what);
		/* fall of one point per epoch: the segments join up (many more dots than points) */
		fill(3, 0.69, 0.1, 0.6, 0.15);
		c.n = 3;
		check_corners(&c, 80, 20, what);
	}

	/* The title: control characters and bytes that are no UTF-8 as '?', cut to the width. */
	fill(30, 0.69, 0.1, 0.6, 0.15);
	c = (struct curves){ 30, ep, tr, va, 0, title };
	n = check_text(&c, 60, 5, 0, "text title", lines, widths);
	CHECK(n == 8);
	out = render(&c, 1, 60, 5, 0, &rc);
	CHECK(strncmp(out, "run <&>\"' one?two?[31m ? ?\n", 27) == 0);
	free(out);
	out = render(&c, 1, 20, 5, 0, &rc);
	CHECK(strncmp(out, "run <&>\"' one?two?[3\n", 21) == 0);
	free(out);

	/* The labels are the min and the max; epochs under the ends; the legend. */
	c = (struct curves){ 30, ep, tr, va, 7, NULL };
	out = render(&c, 1, 60, 5, 0, &rc);
	CHECK(strncmp(out, "0.69\xe2\x94\xa4", 7) == 0);
	CHECK(strstr(out, "\n 0.1\xe2\x94\xa4") != NULL);
	/* the plot area: columns 5 to 59 */
	snprintf(ticks, sizeof ticks, "\n%6s%54s\n", "1", "30");
	CHECK(strstr(out, ticks) != NULL);
	CHECK(strstr(out, "training, validation  best epoch 7\n") != NULL);
	free(out);
	out = render(&c, 1, 60, 5, 1, &rc);
	CHECK(strstr(out, "\033[36m") != NULL && strstr(out, "\033[33m") != NULL);
	CHECK(strstr(out, " training") != NULL && strstr(out, " validation") != NULL);
	free(out);

	/* No epochs: nothing.  Too narrow or too low: EINVAL. */
	c.n = 0;
	out = render(&c, 1, 60, 5, 1, &rc);
	CHECK(rc == 0 && out[0] == '\0');
	free(out);
	c.n = 30;
	out = render(&c, 1, 19, 5, 0, &rc);
	CHECK(rc == -1 && out[0] == '\0');
	free(out);
	out = render(&c, 1, 20, 2, 0, &rc);
	CHECK(rc == -1 && out[0] == '\0');
	free(out);
	/* Huge sizes are cut to 1000. */
	c.n = 5;
	out = render(&c, 1, 100000, 3, 1, &rc);
	CHECK(rc == 0 && count(out, "\n") == 5);
	free(out);
	out = render(&c, 1, 20, 100000, 0, &rc);
	CHECK(rc == 0 && count(out, "\n") == 1002);
	free(out);

	/* One point: a single dot, in the middle. */
	c.n = 1;
	c.val = NULL;
	n = check_text(&c, 21, 3, 0, "text one point", lines, widths);
	CHECK(n == 5);
	out = render(&c, 1, 21, 3, 0, &rc);
	CHECK(count(out, "\xe2\xa0") + count(out, "\xe2\xa1") + count(out, "\xe2\xa2") +
	    count(out, "\xe2\xa3") == 1);
	free(out);
}

/* Extreme and odd values: valid output, no NaN, nothing out of bounds (ASan watches). */
static void
test_extremes(void)
{
	struct curves c;
	size_t i;

	fill(50, 0, 0, 0, 0);
	c = (struct curves){ 50, ep, tr, va, 3, "zeros" };
	check_all(&c, "all zero");
	fill(50, 1e300, 1e300, 1e300, 1e300);
	check_all(&c, "all 1e300");
	fill(50, 0.5, 0.5, 0.5, 0.5);
	check_all(&c, "all 0.5");
	fill(50, 1e300, 0, 0, 1e300);
	check_all(&c, "0 to 1e300");
	fill(50, 1e-300, 2e-300, 1e-300, 1e-300);
	check_all(&c, "1e-300");
	fill(50, 0.5, 0.5 + 1e-12, 0.5, 0.5);
	check_all(&c, "differences of 1e-12");
	fill(50, 1.7e308, 1e-320, 0, 0);
	check_all(&c, "beyond 1e300, denormal");
	fill(50, 0.69, 0.1, 0.7, 0.15);
	tr[3] = NAN;
	tr[4] = INFINITY;
	va[5] = -INFINITY;
	va[6] = -1;
	ep[7] = NAN;
	ep[8] = 1e308;
	c.best = NAN;
	check_all(&c, "NaN, inf, negative, odd epochs");
	for (i = 0; i < 50; i++)
		tr[i] = va[i] = NAN;
	c.best = 1e300;
	check_all(&c, "all NaN");
	fill(1, 1e300, 0, 0, 0);
	c = (struct curves){ 1, ep, tr, va, 1, NULL };
	check_all(&c, "one point of 1e300");
	ep[0] = 1e300;
	check_all(&c, "epoch 1e300");
	/* a long history with noise */
	for (i = 0; i < MAXN; i++) {
		ep[i] = (double)(i + 1);
		tr[i] = 0.7 / (1 + (double)i / 50);
		va[i] = tr[i] + 0.05 * sin((double)i);
	}
	c = (struct curves){ MAXN, ep, tr, va, 1234, "long" };
	check_all(&c, "3000 epochs");
}

/* A write that fails shows in the return value. */
static void
test_write_error(void)
{
	struct curves c;
	FILE *f;

	fill(50, 0.69, 0.1, 0.7, 0.15);
	c = (struct curves){ 50, ep, tr, va, 3, "full" };
	if ((f = fopen("/dev/full", "w")) == NULL) {
		printf("test_plot: no /dev/full, write errors not checked\n");
		return;
	}
	CHECK(plot_svg(f, &c) == -1);
	clearerr(f);
	CHECK(plot_text(f, &c, 60, 10, 1) == -1);
	fclose(f);
}

int
main(void)
{
	test_svg();
	test_text();
	test_extremes();
	test_write_error();
	return check_summary("test_plot");
}
