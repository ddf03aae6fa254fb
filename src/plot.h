/*
 * Training loss curves, drawn two ways: a standalone SVG document and a
 * compact braille text plot for a terminal.  Both are pure functions of the
 * curves and write only to the stream they are given.
 *
 * Robustness: any input draws without NaN, infinite or out-of-range
 * coordinates and without writing out of bounds.  Values outside
 * [-1e300, 1e300] are clamped to it; non-finite values and epochs are left
 * out of the ranges and drawn at the edge of the plot area.
 */
#ifndef PLOT_H
#define PLOT_H

#include <stdio.h>
#include <stddef.h>

struct curves {
	size_t n;		/* number of points, >= 0 */
	const double *epoch;	/* (n) x values: epoch numbers, strictly increasing, >= 1 */
	const double *train;	/* (n) training log loss at those epochs (finite, >= 0) */
	const double *val;	/* (n) validation log loss, or NULL when there is none */
	double best;		/* epoch number to mark as the best one, or 0 for no mark */
	const char *title;	/* one line of text shown above the plot, or NULL; any bytes */
};

/*
 * Writes a standalone SVG document of 640x400 to f: axes with tick values
 * at 1/2/5 x 10^k, the axis titles "epoch" and "log loss", a legend, the
 * title and the curves.  Each curve is exactly one <polyline> with
 * class="train" or class="val" and fill="none" whose points attribute holds
 * n "x,y" pairs with at most 2 decimals.  The best epoch, when not 0 and
 * within the epochs' range, is a dashed vertical <line class="best"> with a
 * <title> tooltip.  The title is escaped for XML; bytes < 0x20 are dropped,
 * bytes that are not UTF-8 become '?', and it is shortened to 90 characters.
 * n == 0 gives the axes and a "no epochs" note.  Flushes f; returns 0, or
 * -1 if a write to f failed.
 */
int plot_svg(FILE *f, const struct curves *c);

/*
 * Writes a text plot of `width` columns (>= 20) to f, made of these lines,
 * each ending in '\n' and none wider than `width` columns (a braille
 * character, a box-drawing character and any title character counts as one):
 *
 *	the title, only when c->title is not NULL (cut to `width` characters;
 *	    control characters and bytes that are not UTF-8 become '?');
 *	`height` (>= 3) rows of plot area in braille (U+2800..U+28FF, 2x4 dots
 *	    per cell), the largest value's label at the top row and the
 *	    smallest one's at the bottom row (%.3g), left of an axis;
 *	the first and the last epoch under the plot area's two ends;
 *	one legend line.
 *
 * That is height + 2 lines, or height + 3 with a title.  The dots span the
 * values exactly (no padding), so the labels are the data's min and max.
 * Consecutive points are joined by line segments.  With color != 0 the
 * training curve is cyan and the validation curve yellow (a cell with both
 * takes the validation colour), each line resetting its colour before its
 * end; with color == 0 no escape byte is written and shared cells merge
 * their dots.  n == 0 writes nothing.  Flushes f; returns 0, or -1 on a
 * write error, when memory runs out, or (errno EINVAL) when width < 20 or
 * height < 3.  Widths and heights above 1000 are taken as 1000.
 */
int plot_text(FILE *f, const struct curves *c, int width, int height, int color);

#endif
