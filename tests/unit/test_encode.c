/* The feature encoding: numbers, fill values, one-hot categories found by binary search, names. */
#include <stdlib.h>

#include "check.h"
#include "encode.h"

int
main(void)
{
	struct encoding *e = encoding_new(3), *c;
	static const char *const cats[] = { "02134", "2134", "blue", "red" };
	double in[8];
	enum num_error ne;
	char *name;
	size_t k;

	CHECK(e != NULL && e->ninputs == 3 && encoding_plain(e));
	e->col[0].name = strdup("zip");
	e->col[0].ncat = 4;
	e->col[0].cat = calloc(4, sizeof *e->col[0].cat);
	for (k = 0; k < 4; k++)
		e->col[0].cat[k] = strdup(cats[k]);
	e->col[1].name = strdup("price");
	e->col[1].fill = 1;
	e->col[1].value = 2.5;
	e->col[2].name = strdup("x");
	encoding_layout(e);
	CHECK(e->ninputs == 6 && e->col[1].first == 4 && e->col[2].first == 5 && !encoding_plain(e));
	/* categories exactly as their text, found by binary search */
	CHECK(encoding_find(&e->col[0], "2134", 4) == 1 && encoding_find(&e->col[0], "02134", 5) == 0);
	CHECK(encoding_find(&e->col[0], "red", 3) == 3 && encoding_find(&e->col[0], "re", 2) == -1);
	CHECK(encoding_find(&e->col[0], "redd", 4) == -1 && encoding_find(&e->col[0], "", 0) == -1);
	CHECK(encode_field(&e->col[0], "blue", 4, in, &ne) == ENC_OK && in[0] == 0 && in[1] == 0 && in[2] == 1 && in[3] == 0);
	CHECK(encode_field(&e->col[0], "green", 5, in, &ne) == ENC_UNSEEN && in[0] + in[1] + in[2] + in[3] == 0);
	in[0] = 1;	/* a missing category sets none of its inputs, whatever they held */
	CHECK(encode_field(&e->col[0], "NA", 2, in, &ne) == ENC_MISSING && in[0] + in[1] + in[2] + in[3] == 0);
	/* a number, a fill value for a missing one, or why it is not a number */
	CHECK(encode_field(&e->col[1], " 1.5 ", 5, in, &ne) == ENC_OK && in[0] == 1.5);
	CHECK(encode_field(&e->col[1], "?", 1, in, &ne) == ENC_FILLED && in[0] == 2.5);
	CHECK(encode_field(&e->col[2], "", 0, in, &ne) == ENC_MISSING);
	CHECK(encode_field(&e->col[2], "abc", 3, in, &ne) == ENC_BAD && ne == NUM_SYNTAX);
	CHECK(encode_field(&e->col[2], "1e999", 5, in, &ne) == ENC_BAD && ne == NUM_RANGE);
	/* the inputs' names */
	CHECK((name = encoding_input_name(e, 1)) != NULL && strcmp(name, "zip=2134") == 0);
	free(name);
	CHECK((name = encoding_input_name(e, 4)) != NULL && strcmp(name, "price") == 0);
	free(name);
	CHECK(encoding_column_of(e, 3) == &e->col[0] && encoding_column_of(e, 5) == &e->col[2]);
	/* a copy is a deep one */
	c = encoding_copy(e);
	CHECK(c != NULL && c->ninputs == 6 && c->col[0].cat != e->col[0].cat && strcmp(c->col[0].cat[3], "red") == 0 &&
	    c->col[1].fill && c->col[1].value == 2.5);
	encoding_free(c);
	encoding_free(e);
	CHECK(impute_kind("median") == IMPUTE_MEDIAN && impute_kind("mode") == -1 && strcmp(impute_name(IMPUTE_MEAN), "mean") == 0);
	return check_summary("test_encode");
}
