/*
 * csvcount - the tokeniser peer of the scoring benchmark (tests/bench/README).
 *
 *     csvcount FILE
 *
 * Reads FILE in 64 KiB fread blocks through libcsv (the same CSV library
 * mlppredict uses) and counts fields and records, converting nothing:
 * the floor for any program that reads this CSV with libcsv.  Prints
 * "RECORDS FIELDS" on stdout.
 */
#include <stdio.h>
#include <string.h>

#include <csv.h>

#define BLOCK (64 * 1024)

struct counts {
	unsigned long long fields;
	unsigned long long records;
};

static void
on_field(void *data, size_t len, void *ctx)
{
	(void)data;
	(void)len;
	((struct counts *)ctx)->fields++;
}

static void
on_record(int term, void *ctx)
{
	(void)term;
	((struct counts *)ctx)->records++;
}

int
main(int argc, char **argv)
{
	static char buf[BLOCK];
	struct csv_parser p;
	struct counts c = { 0, 0 };
	size_t got;
	FILE *f;

	if (argc != 2) {
		fputs("usage: csvcount file.csv\n", stderr);
		return 2;
	}
	if ((f = fopen(argv[1], "rb")) == NULL) {
		perror(argv[1]);
		return 3;
	}
	setvbuf(f, NULL, _IONBF, 0);	/* each fread is one 64 KiB read() */
	if (csv_init(&p, 0) != 0) {
		fputs("csvcount: csv_init failed\n", stderr);
		return 5;
	}
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		if (csv_parse(&p, buf, got, on_field, on_record, &c) != got) {
			fprintf(stderr, "csvcount: %s: %s\n", argv[1], csv_strerror(csv_error(&p)));
			return 1;
		}
	if (ferror(f)) {
		perror(argv[1]);
		return 3;
	}
	csv_fini(&p, on_field, on_record, &c);
	csv_free(&p);
	fclose(f);
	printf("%llu %llu\n", c.records, c.fields);
	return 0;
}
