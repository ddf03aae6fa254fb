/*
 * Loss curves as an SVG document and as a braille text plot.
 *
 * Every value goes through one mapping (map_unit) that clamps to the range
 * and turns NaN into its low end, so no input can give a NaN or infinite
 * coordinate or a dot outside the grid.  Ranges are taken over finite
 * values only, clamped to [-VMAX, VMAX] so that differences of two ends
 * stay finite.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

#define VMAX 1e300		/* the largest magnitude taken as it is */

/* The SVG canvas and its plot area. */
#define SVG_W 640
#define SVG_H 400
#define PX0 80.0		/* room for the y tick labels and the axis title */
#define PX1 620.0
#define PY0 40.0		/* room for the title */
#define PY1 340.0		/* room for the x tick labels and the axis title */
#define TITLE_MAX 90		/* characters of title that fit across the canvas */

#define COL_TRAIN "#1f77b4"
#define COL_VAL "#ff7f0e"
#define COL_BEST "#2ca02c"

/* Terminal colours of the text plot. */
#define ESC_TRAIN "\033[36m"
#define ESC_VAL "\033[33m"
#define ESC_RESET "\033[0m"

/* An output stream that remembers whether any write to it failed. */
struct out {
	FILE *f;
	int err;
};

struct range {
	double lo, hi;
};

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* clang-analyzer 14 misreads va_start here; ap is initialised */
	if (vfprintf(o->f, fmt, ap) < 0)	/* NOLINT(clang-analyzer-valist.Uninitialized) */
		o->err = 1;
	va_end(ap);
}

/* Flushes, so that a full disk shows up here and not at the caller's fclose. */
static int
finish(struct out *o)
{
	if (fflush(o->f) == EOF || ferror(o->f))
		o->err = 1;
	return o->err ? -1 : 0;
}

static double
clampv(double v)
{
	if (v > VMAX)
		return VMAX;
	if (v < -VMAX)
		return -VMAX;
	return v;
}

/* Widens r to the finite values of v[0..n-1]. */
static void
range_add(struct range *r, const double *v, size_t n)
{
	size_t i;
	double x;

	for (i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		x = clampv(v[i]);
		if (x < r->lo)
			r->lo = x;
		if (x > r->hi)
			r->hi = x;
	}
}

/*
 * Makes r a range one can divide by: with no values it becomes [dlo, dhi];
 * ends equal or nearly so (closer than a millionth of their size, which a
 * plot could not show anyway) become a band of 10% of the value each way,
 * or of `dmin` when that is smaller.  A band around values >= 0 does not go
 * below 0, since a loss or an epoch never does.
 */
static void
range_open(struct range *r, double dlo, double dhi, double dmin)
{
	double mid, d, m;

	if (!(r->lo <= r->hi)) {
		r->lo = dlo;
		r->hi = dhi;
		return;
	}
	m = fmax(fabs(r->lo), fabs(r->hi));
	if (r->hi - r->lo > m * 1e-6 && r->hi - r->lo > 1e-200)
		return;
	mid = r->lo / 2 + r->hi / 2;
	d = fabs(mid) * 0.1;
	if (d < dmin)
		d = dmin;
	r->hi = mid + d;
	r->lo = r->lo >= 0 && mid - d < 0 ? 0 : mid - d;
}

/*
 * Where v falls in r, clamped to [0, 1]; NaN gives 0.  Clamping first keeps
 * v - lo finite, as r's ends are (they are at most a little beyond VMAX).
 */
static double
map_unit(double v, const struct range *r)
{
	double t;

	if (!(v > r->lo))
		return 0;
	if (v >= r->hi)
		return 1;
	t = (v - r->lo) / (r->hi - r->lo);
	return t > 1 ? 1 : t;
}

/* The y range of both curves. */
static void
y_range(struct range *r, const struct curves *c)
{
	r->lo = INFINITY;
	r->hi = -INFINITY;
	range_add(r, c->train, c->n);
	if (c->val != NULL)
		range_add(r, c->val, c->n);
	range_open(r, 0, 1, 1e-200);
	if (r->hi - r->lo <= 1e-200) {
		/* tiny values all alike (the band of 1e-200 rounded away) */
		r->lo = 0;
		r->hi = 1;
	}
}

/* The x range: first to last epoch; one epoch sits in the middle of a band. */
static void
x_range(struct range *r, const struct curves *c)
{
	r->lo = INFINITY;
	r->hi = -INFINITY;
	range_add(r, c->epoch, c->n);
	range_open(r, 1, 10, 1);
}

/*
 * UTF-8: the length (1 to 4) of the well-formed sequence at s, its code
 * point in *cp; 0 for a byte that starts none (overlong forms, surrogates
 * and values past U+10FFFF included).  s is NUL-terminated, and NUL is no
 * continuation byte, so this never reads past the end.
 */
static size_t
utf8_seq(const unsigned char *s, uint32_t *cp)
{
	uint32_t v, min;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		v = s[0] & 0x1fu;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		v = s[0] & 0x0fu;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		v = s[0] & 0x07u;
		min = 0x10000;
	} else
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* The title for XML character data: escaped, control bytes dropped. */
static void
svg_title(struct out *o, const char *title)
{
	const unsigned char *s = (const unsigned char *)title;
	uint32_t cp;
	size_t len, count = 0;

	while (*s != '\0') {
		if (count == TITLE_MAX) {
			put(o, "\xe2\x80\xa6");	/* U+2026, the ellipsis */
			break;
		}
		if (*s < 0x20) {
			s++;
			continue;
		}
		count++;
		if ((len = utf8_seq(s, &cp)) == 0 || cp == 0xfffe || cp == 0xffff) {
			/* not text XML can hold */
			put(o, "?");
			s += len == 0 ? 1 : len;
			continue;
		}
		switch (cp) {
		case '<':
			put(o, "&lt;");
			break;
		case '>':
			put(o, "&gt;");
			break;
		case '&':
			put(o, "&amp;");
			break;
		case '"':
			put(o, "&quot;");
			break;
		case '\'':
			put(o, "&apos;");
			break;
		default:
			put(o, "%.*s", (int)len, (const char *)s);
		}
		s += len;
	}
}

/* A coordinate with at most 2 decimals and no trailing zeros. */
static const char *
coord(char *buf, size_t size, double v)
{
	size_t len;

	if (!isfinite(v))
		v = 0;
	snprintf(buf, size, "%.2f", v + 0.0);	/* (+ 0.0 turns -0 into 0) */
	len = strlen(buf);
	while (len > 0 && buf[len - 1] == '0')
		buf[--len] = '\0';
	if (len > 0 && buf[len - 1] == '.')
		buf[--len] = '\0';
	if (strcmp(buf, "-0") == 0) {
		buf[0] = '0';
		buf[1] = '\0';
	}
	return buf;
}

/* Tick marks at multiples of m x 10^e (m 1, 2 or 5), about `want` of them. */
struct ticks {
	double m;
	int e;
};

/* The step for a span cut into about `want` parts; whole epochs get whole steps. */
static void
nice_step(struct ticks *t, double span, int want, int integral)
{
	double raw, f;

	raw = span / want;
	if (!(raw > 0) || !isfinite(raw))
		raw = 1;	/* (ranges are never empty; this keeps log10 finite regardless) */
	t->e = (int)floor(log10(raw));
	f = raw / pow(10, t->e);
	if (!isfinite(f) || f < 1.5)
		t->m = 1;
	else if (f < 3.5)
		t->m = 2;
	else if (f < 7.5)
		t->m = 5;
	else {
		t->m = 1;
		t->e++;
	}
	if (integral && t->e < 0) {
		/* epochs are whole: no tick between two of them */
		t->m = 1;
		t->e = 0;
	}
}

/* The k-th tick's value, computed afresh each time so errors do not add up. */
static double
tick_value(const struct ticks *t, double k)
{
	double v;

	if (t->e < 0)
		v = k * t->m / pow(10, -t->e);
	else
		v = k * t->m * pow(10, t->e);
	return v + 0.0;
}

static double
tick_step(const struct ticks *t)
{
	return tick_value(t, 1);
}

/* Digits from 10^emax down to 10^e, enough to tell ticks apart, no more than a double holds. */
static int
sig_digits(int emax, int e)
{
	int d = emax - e + 1;

	if (d < 1)
		return 1;
	return d > 17 ? 17 : d;
}

/*
 * A tick label: fixed point with as many decimals as the step needs while
 * the numbers are of everyday size, else as many significant digits as
 * tell the ticks apart, in exponent form.
 */
static void
tick_label(char *buf, size_t size, const struct ticks *t, double v, double amax)
{
	int emax, prec;

	emax = amax > 0 ? (int)floor(log10(amax)) : 0;
	if (t->e >= -6 && emax < 15) {
		snprintf(buf, size, "%.*f", t->e < 0 ? -t->e : 0, v);
		return;
	}
	prec = sig_digits(emax, t->e);
	snprintf(buf, size, "%.*g", prec, v);
}

/* The multiples k0 to k1 of the step within [lo, hi], at most 31 of them; 0 for none. */
static int
tick_span(const struct ticks *t, const struct range *r, double *k0, double *k1)
{
	double step = tick_step(t);

	*k0 = ceil(r->lo / step - 1e-9);
	*k1 = floor(r->hi / step + 1e-9);
	if (!isfinite(*k0) || !isfinite(*k1) || *k1 < *k0)
		return 0;
	if (*k1 - *k0 > 30)
		*k1 = *k0 + 30;
	return 1;
}

static int
all_whole(const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (isfinite(v[i]) && (fabs(v[i]) > 1e15 || v[i] != floor(v[i])))
			return 0;
	return 1;
}

/* The point's place on the canvas. */
static double
svg_x(double v, const struct range *r)
{
	return PX0 + map_unit(v, r) * (PX1 - PX0);
}

static double
svg_y(double v, const struct range *r)
{
	return PY1 - map_unit(v, r) * (PY1 - PY0);
}

static void
svg_curve(struct out *o, const struct curves *c, const double *v, const char *cls, const char *col,
    const struct range *xr, const struct range *yr)
{
	char bx[32], by[32];
	size_t i;

	put(o, "<polyline class=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
	    "stroke-linejoin=\"round\" points=\"", cls, col);
	for (i = 0; i < c->n; i++)
		put(o, "%s%s,%s", i > 0 ? " " : "", coord(bx, sizeof bx, svg_x(c->epoch[i], xr)),
		    coord(by, sizeof by, svg_y(v[i], yr)));
	put(o, "\"/>\n");
	if (c->n == 1)	/* a polyline of one point shows nothing */
		put(o, "<circle class=\"dot\" cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>\n",
		    coord(bx, sizeof bx, svg_x(c->epoch[0], xr)), coord(by, sizeof by, svg_y(v[0], yr)), col);
}

/* How many points of the curve, sampled along its segments, fall in the box. */
static size_t
svg_hits(const struct curves *c, const double *v, const struct range *xr, const struct range *yr,
    double bx0, double by0, double bx1, double by1)
{
	size_t i, hits = 0;
	double x, y, px = 0, py = 0, t;
	int s;

	for (i = 0; i < c->n; i++) {
		x = svg_x(c->epoch[i], xr);
		y = svg_y(v[i], yr);
		for (s = i > 0 ? 1 : 8; s <= 8; s++) {
			t = s / 8.0;
			if (px + t * (x - px) >= bx0 && px + t * (x - px) <= bx1 &&
			    py + t * (y - py) >= by0 && py + t * (y - py) <= by1)
				hits++;
		}
		px = x;
		py = y;
	}
	return hits;
}

/* The legend, in the corner of the plot area the curves cross least. */
static void
svg_legend(struct out *o, const struct curves *c, int best, const struct range *xr,
    const struct range *yr)
{
	const double w = 118, lh = 18;
	double h, bx, by, cx[4], cy[4];
	size_t hits, least = (size_t)-1;
	int i, pick = 0, rows;

	rows = 1 + (c->val != NULL) + best;
	h = 8 + lh * rows;
	/* top right first: a falling loss curve leaves it free */
	cx[0] = PX1 - 8 - w;
	cy[0] = PY0 + 8;
	cx[1] = PX1 - 8 - w;
	cy[1] = PY1 - 8 - h;
	cx[2] = PX0 + 8;
	cy[2] = PY0 + 8;
	cx[3] = PX0 + 8;
	cy[3] = PY1 - 8 - h;
	for (i = 0; i < 4; i++) {
		hits = svg_hits(c, c->train, xr, yr, cx[i] - 4, cy[i] - 4, cx[i] + w + 4, cy[i] + h + 4);
		if (c->val != NULL)
			hits += svg_hits(c, c->val, xr, yr, cx[i] - 4, cy[i] - 4, cx[i] + w + 4, cy[i] + h + 4);
		/* the best epoch's line counts as a few points: better not hide it either */
		if (best && svg_x(c->best, xr) >= cx[i] - 4 && svg_x(c->best, xr) <= cx[i] + w + 4)
			hits += 4;
		if (hits < least) {
			least = hits;
			pick = i;
		}
	}
	bx = cx[pick];
	by = cy[pick];
	put(o, "<g class=\"legend\">\n");
	put(o, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"white\" "
	    "fill-opacity=\"0.85\" stroke=\"#999\"/>\n", bx, by, w, h);
	by += 4 + lh / 2;
	put(o, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%s\" stroke-width=\"2\"/>"
	    "<text x=\"%.0f\" y=\"%.0f\">training</text>\n", bx + 8, by, bx + 32, by, COL_TRAIN, bx + 40, by + 4);
	if (c->val != NULL) {
		by += lh;
		put(o, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%s\" stroke-width=\"2\"/>"
		    "<text x=\"%.0f\" y=\"%.0f\">validation</text>\n", bx + 8, by, bx + 32, by, COL_VAL, bx + 40, by + 4);
	}
	if (best) {
		by += lh;
		put(o, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%s\" stroke-width=\"1.5\" "
		    "stroke-dasharray=\"4 3\"/><text x=\"%.0f\" y=\"%.0f\">best epoch</text>\n",
		    bx + 8, by, bx + 32, by, COL_BEST, bx + 40, by + 4);
	}
	put(o, "</g>\n");
}

/* The best epoch's line, with the loss there as its tooltip when it is one of the points. */
static void
svg_best(struct out *o, const struct curves *c, const struct range *xr, const struct range *yr)
{
	const double *v = c->val != NULL ? c->val : c->train;
	char bx[32], by[32];
	size_t i;

	put(o, "<g class=\"best\"><title>best epoch %.6g", c->best);
	for (i = 0; i < c->n && c->epoch[i] != c->best; i++)
		;
	if (i < c->n)
		put(o, ": %s loss %.4g", c->val != NULL ? "validation" : "training", v[i]);
	coord(bx, sizeof bx, svg_x(c->best, xr));
	put(o, "</title>\n<line class=\"best\" x1=\"%s\" y1=\"%.0f\" x2=\"%s\" y2=\"%.0f\" stroke=\"%s\" "
	    "stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n", bx, PY0, bx, PY1, COL_BEST);
	if (i < c->n)
		put(o, "<circle cx=\"%s\" cy=\"%s\" r=\"4\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
		    bx, coord(by, sizeof by, svg_y(v[i], yr)), COL_BEST);
	put(o, "</g>\n");
}

/* Grid lines, tick marks and labels of one axis. */
static void
svg_axis(struct out *o, const struct range *r, const struct ticks *t, int is_x)
{
	char lab[64], p[32], q[32];
	double k0, k1, v, amax, pos;
	int i, n;

	if (!tick_span(t, r, &k0, &k1))
		return;
	amax = fmax(fabs(tick_value(t, k0)), fabs(tick_value(t, k1)));
	n = (int)(k1 - k0);
	for (i = 0; i <= n; i++) {
		v = tick_value(t, k0 + i);
		tick_label(lab, sizeof lab, t, v, amax);
		if (is_x) {
			coord(p, sizeof p, svg_x(v, r));
			put(o, "<line x1=\"%s\" y1=\"%.0f\" x2=\"%s\" y2=\"%.0f\" stroke=\"#e4e4e4\"/>"
			    "<line x1=\"%s\" y1=\"%.0f\" x2=\"%s\" y2=\"%.0f\" stroke=\"black\"/>"
			    "<text class=\"xtick\" x=\"%s\" y=\"%.0f\" text-anchor=\"middle\">%s</text>\n",
			    p, PY0, p, PY1, p, PY1, p, PY1 + 5, p, PY1 + 19, lab);
		} else {
			pos = svg_y(v, r);
			coord(p, sizeof p, pos);
			put(o, "<line x1=\"%.0f\" y1=\"%s\" x2=\"%.0f\" y2=\"%s\" stroke=\"#e4e4e4\"/>"
			    "<line x1=\"%.0f\" y1=\"%s\" x2=\"%.0f\" y2=\"%s\" stroke=\"black\"/>"
			    "<text class=\"ytick\" x=\"%.0f\" y=\"%s\" text-anchor=\"end\">%s</text>\n",
			    PX0, p, PX1, p, PX0 - 5, p, PX0, p, PX0 - 8, coord(q, sizeof q, pos + 4), lab);
		}
	}
}

int
plot_svg(FILE *f, const struct curves *c)
{
	struct out o = { f, 0 };
	struct range xr, yr;
	struct ticks xt, yt;
	double span, step;
	int best;

	x_range(&xr, c);
	y_range(&yr, c);
	/* y: a little room above and below, then out to whole ticks */
	span = yr.hi - yr.lo;
	nice_step(&yt, span, 5, 0);
	yr.lo = yr.lo >= 0 && yr.lo - span * 0.03 < 0 ? 0 : yr.lo - span * 0.03;
	yr.hi += span * 0.03;
	step = tick_step(&yt);
	yr.lo = floor(yr.lo / step) * step + 0.0;
	yr.hi = ceil(yr.hi / step) * step;
	nice_step(&xt, xr.hi - xr.lo, 6, all_whole(c->epoch, c->n));
	best = c->n > 0 && c->best != 0 && c->best >= xr.lo && c->best <= xr.hi;

	put(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "font-family=\"sans-serif\" font-size=\"12\">\n"
	    "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", SVG_W, SVG_H, SVG_W, SVG_H, SVG_W, SVG_H);
	if (c->title != NULL) {
		put(&o, "<text class=\"title\" x=\"%.0f\" y=\"24\" text-anchor=\"middle\" font-size=\"14\">",
		    (PX0 + PX1) / 2);
		svg_title(&o, c->title);
		put(&o, "</text>\n");
	}
	svg_axis(&o, &xr, &xt, 1);
	svg_axis(&o, &yr, &yt, 0);
	put(&o, "<path d=\"M%.0f %.0fV%.0fH%.0f\" fill=\"none\" stroke=\"black\"/>\n", PX0, PY0, PY1, PX1);
	put(&o, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">epoch</text>\n"
	    "<text transform=\"translate(18 %.0f) rotate(-90)\" text-anchor=\"middle\">log loss</text>\n",
	    (PX0 + PX1) / 2, PY1 + 40, (PY0 + PY1) / 2);
	svg_curve(&o, c, c->train, "train", COL_TRAIN, &xr, &yr);
	if (c->val != NULL)
		svg_curve(&o, c, c->val, "val", COL_VAL, &xr, &yr);
	if (best)
		svg_best(&o, c, &xr, &yr);
	if (c->n == 0)
		put(&o, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" fill=\"#666\">no epochs</text>\n",
		    (PX0 + PX1) / 2, (PY0 + PY1) / 2);
	else
		svg_legend(&o, c, best, &xr, &yr);
	put(&o, "</svg>\n");
	return finish(&o);
}

/* ---- The text plot ------------------------------------------------------ */

#define TEXT_MAX 1000		/* rows and columns beyond which nobody looks */

/* A grid of braille cells, one bit per dot, for one curve. */
struct grid {
	unsigned char *cell;
	int cols, rows;
};

/* Which bit of a braille cell (U+2800 + bits) each of its 2x4 dots is. */
static const unsigned char dot_bit[4][2] = {
	{ 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 }
};

static void
dot(struct grid *g, int x, int y)
{
	if (x < 0 || y < 0 || x >= 2 * g->cols || y >= 4 * g->rows)
		return;		/* (cannot happen: a second line of defence) */
	g->cell[(size_t)(y / 4) * (size_t)g->cols + (size_t)(x / 2)] |= dot_bit[y % 4][x % 2];
}

/* Bresenham's line from (x0, y0) to (x1, y1), both ends included. */
static void
segment(struct grid *g, int x0, int y0, int x1, int y1)
{
	int dx = abs(x1 - x0), dy = -abs(y1 - y0);
	int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	int err = dx + dy, e2;

	for (;;) {
		dot(g, x0, y0);
		if (x0 == x1 && y0 == y1)
			break;
		e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
	}
}

/* v's dot among n, 0 for r's low end. */
static int
dot_of(double v, const struct range *r, int n)
{
	return (int)(map_unit(v, r) * (n - 1) + 0.5);
}

static void
draw(struct grid *g, const struct curves *c, const double *v, const struct range *xr,
    const struct range *yr)
{
	int x, y, px = 0, py = 0, w = 2 * g->cols, h = 4 * g->rows;
	size_t i;

	for (i = 0; i < c->n; i++) {
		x = dot_of(c->epoch[i], xr, w);
		y = h - 1 - dot_of(v[i], yr, h);
		if (i == 0)
			dot(g, x, y);
		else
			segment(g, px, py, x, y);
		px = x;
		py = y;
	}
}

/* Appends s to the line being built; the buffer is sized for the worst line. */
static void
add(char **p, const char *s)
{
	size_t len = strlen(s);

	memcpy(*p, s, len);
	*p += len;
}

static void
add_spaces(char **p, int n)
{
	for (; n > 0; n--)
		*(*p)++ = ' ';
}

static void
add_braille(char **p, unsigned bits)
{
	/* U+2800 + bits in UTF-8: E2, A0 + the top two bits, 80 + the other six */
	*(*p)++ = (char)0xe2;
	*(*p)++ = (char)(0xa0 | bits >> 6);
	*(*p)++ = (char)(0x80 | (bits & 0x3f));
}

/* The title cut to `width` characters, control characters and bytes that are no UTF-8 as '?'. */
static void
add_title(char **p, const char *title, int width)
{
	const unsigned char *s = (const unsigned char *)title;
	uint32_t cp;
	size_t len;
	int count;

	for (count = 0; *s != '\0' && count < width; count++) {
		len = utf8_seq(s, &cp);
		if (len == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			/* C1 controls too: U+009B starts a terminal escape */
			*(*p)++ = '?';
			s += len == 0 ? 1 : len;
			continue;
		}
		memcpy(*p, s, len);
		*p += len;
		s += len;
	}
}

static void
emit(struct out *o, char *line, char *end)
{
	/* lines end without blanks */
	while (end > line && end[-1] == ' ')
		end--;
	*end++ = '\n';
	if (fwrite(line, 1, (size_t)(end - line), o->f) != (size_t)(end - line))
		o->err = 1;
}

/* The epochs under the plot area: first at its left, last at its right. */
static void
text_epochs(struct out *o, char *line, const struct curves *c, int gutter, int cols)
{
	char a[32], b[32], *p = line;
	int la, lb, at;

	snprintf(a, sizeof a, "%.6g", c->epoch[0]);
	snprintf(b, sizeof b, "%.6g", c->epoch[c->n - 1]);
	la = (int)strlen(a);
	lb = (int)strlen(b);
	if (la > cols)
		la = cols;
	add_spaces(&p, gutter);
	if (c->n == 1) {
		/* under the one point, in the middle */
		at = (cols - la) / 2;
		add_spaces(&p, at);
		memcpy(p, a, (size_t)la);
		p += la;
	} else {
		memcpy(p, a, (size_t)la);
		p += la;
		if (la + 1 + lb <= cols) {
			add_spaces(&p, cols - la - lb);
			memcpy(p, b, (size_t)lb);
			p += lb;
		}
	}
	emit(o, line, p);
}

/* The legend: as many of its items as fit, indented to the plot area when that fits too. */
static void
text_legend(struct out *o, char *line, const struct curves *c, int width, int gutter, int color)
{
	char item[3][64], *p = line;
	int vis[3], n = 0, i, total;

	if (color) {
		snprintf(item[n], sizeof item[n], "%s\xe2\xa0\x92\xe2\xa0\x92%s training", ESC_TRAIN, ESC_RESET);
		vis[n++] = 11;
		if (c->val != NULL) {
			snprintf(item[n], sizeof item[n], "  %s\xe2\xa0\x92\xe2\xa0\x92%s validation", ESC_VAL,
			    ESC_RESET);
			vis[n++] = 15;
		}
	} else {
		snprintf(item[n], sizeof item[n], "%s", c->val != NULL ? "training, validation" : "training");
		vis[n] = (int)strlen(item[n]);
		n++;
	}
	if (c->best != 0 && isfinite(c->best)) {
		snprintf(item[n], sizeof item[n], "  best epoch %.6g", c->best);
		vis[n] = (int)strlen(item[n]);
		n++;
	}
	for (i = 0, total = 0; i < n && total + vis[i] <= width; i++)
		total += vis[i];
	n = i;
	if (total + gutter <= width)
		add_spaces(&p, gutter);
	for (i = 0; i < n; i++)
		add(&p, item[i]);
	emit(o, line, p);
}

int
plot_text(FILE *f, const struct curves *c, int width, int height, int color)
{
	struct out o = { f, 0 };
	struct grid tg, vg;
	struct range xr, yr;
	char top[32], bot[32], *line, *p;
	const char *cur, *want;
	int gutter, r, k;
	unsigned bits;
	size_t idx;

	if (width < 20 || height < 3) {
		errno = EINVAL;
		return -1;
	}
	if (c->n == 0)
		return finish(&o);
	if (width > TEXT_MAX)
		width = TEXT_MAX;
	if (height > TEXT_MAX)
		height = TEXT_MAX;
	x_range(&xr, c);
	y_range(&yr, c);
	snprintf(top, sizeof top, "%.3g", yr.hi);
	snprintf(bot, sizeof bot, "%.3g", yr.lo);
	gutter = (int)(strlen(top) > strlen(bot) ? strlen(top) : strlen(bot)) + 1;

	tg.cols = vg.cols = width - gutter;	/* >= 9: a label is at most 10 characters */
	tg.rows = vg.rows = height;
	tg.cell = calloc((size_t)tg.cols * (size_t)tg.rows, 1);
	vg.cell = calloc((size_t)vg.cols * (size_t)vg.rows, 1);
	/* the longest line: a title of 4-byte characters, or colour changes around each cell */
	line = malloc((size_t)width * 16 + 64);
	if (tg.cell == NULL || vg.cell == NULL || line == NULL) {
		free(tg.cell);
		free(vg.cell);
		free(line);
		return -1;
	}
	draw(&tg, c, c->train, &xr, &yr);
	if (c->val != NULL)
		draw(&vg, c, c->val, &xr, &yr);

	if (c->title != NULL) {
		p = line;
		add_title(&p, c->title, width);
		emit(&o, line, p);
	}
	for (r = 0; r < height; r++) {
		p = line;
		if (r == 0 || r == height - 1) {
			add_spaces(&p, gutter - 1 - (int)strlen(r == 0 ? top : bot));
			add(&p, r == 0 ? top : bot);
			add(&p, "\xe2\x94\xa4");	/* U+2524, a tick on the axis */
		} else {
			add_spaces(&p, gutter - 1);
			add(&p, "\xe2\x94\x82");	/* U+2502, the axis */
		}
		cur = NULL;
		for (k = 0; k < tg.cols; k++) {
			idx = (size_t)r * (size_t)tg.cols + (size_t)k;
			bits = (unsigned)tg.cell[idx] | vg.cell[idx];
			if (bits == 0) {
				/* (reset at once, so that a line never ends in blanks and a colour) */
				if (cur != NULL)
					add(&p, ESC_RESET);
				cur = NULL;
				*p++ = ' ';
				continue;
			}
			if (color) {
				want = vg.cell[idx] != 0 ? ESC_VAL : ESC_TRAIN;
				if (want != cur)
					add(&p, want);
				cur = want;
			}
			add_braille(&p, bits);
		}
		if (cur != NULL)
			add(&p, ESC_RESET);
		emit(&o, line, p);
	}
	text_epochs(&o, line, c, gutter, tg.cols);
	text_legend(&o, line, c, width, gutter, color);
	free(tg.cell);
	free(vg.cell);
	free(line);
	return finish(&o);
}
