# mlptrain / mlppredict / mlpexport.  Plain make: CC, CFLAGS, LDFLAGS, LDLIBS, PREFIX,
# MANPREFIX and DESTDIR are the user's to override; the project's own flags
# live in MLP_* below.

PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
CC = cc
CFLAGS = -O2 -g
LDFLAGS =
LDLIBS = -lcsv -lcjson -lm -pthread

MLP_CPPFLAGS = -D_XOPEN_SOURCE=700 -Isrc
MLP_CFLAGS = -std=c99 -ffp-contract=off -Wall -Wextra -Wpedantic -Wshadow -Wconversion -MMD -MP

# Flags of the sanitizer build (build/san/) that the test suite runs as well.
SAN_CFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# libFuzzer targets (build/fuzz/), built with clang.
FUZZ_CC = clang
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_SECONDS = 20
FUZZ_TEST_SECONDS = 10

# Debian packages: the two libraries; for the tests, mandoc (man-page lint),
# clang and its runtime (fuzzing), valgrind, xmllint (the SVG plots).
DEPS = libcsv-dev libcjson-dev
TEST_DEPS = mandoc jq clang libclang-rt-14-dev valgrind libfann-dev libxml2-utils

LIBOBJ = build/cli.o build/colmap.o build/columns.o build/csvread.o build/data.o build/dataset.o build/encode.o build/eval.o \
	build/export.o build/exportcode.o build/history.o build/kernels.o build/metrics.o build/model.o build/modelio.o build/number.o build/outfile.o \
	build/outputs.o build/pipeline.o build/plot.o build/progress.o build/rng.o build/schedule.o build/score.o \
	build/target.o build/train.o
BIN = mlptrain mlppredict mlpexport
TESTS = build/test_number build/test_rng build/test_model build/test_csv build/test_columns \
	build/test_colmap build/test_target build/test_data build/test_encode build/test_eval build/test_modelio \
	build/test_outputs build/test_export build/test_score build/test_metrics build/test_plot build/test_train
TESTTOOLS = build/ref_lecture build/gen
SAN_LIBOBJ = $(LIBOBJ:build/%=build/san/%)
SAN_BIN = build/san/mlptrain build/san/mlppredict build/san/mlpexport
SAN_TESTS = $(TESTS:build/%=build/san/%)
FUZZ_LIBOBJ = $(LIBOBJ:build/%=build/fuzz/%)
FUZZERS = build/fuzz/fuzz_model build/fuzz/fuzz_csv build/fuzz/fuzz_layers

all: $(BIN)

build/%.o: src/%.c
	@mkdir -p build
	$(CC) $(MLP_CPPFLAGS) $(CPPFLAGS) $(MLP_CFLAGS) $(CFLAGS) -c -o $@ $<

build/libmlp.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

mlptrain: build/mlptrain.o build/libmlp.a
	$(CC) $(LDFLAGS) -o $@ build/mlptrain.o build/libmlp.a $(LDLIBS)

mlppredict: build/mlppredict.o build/libmlp.a
	$(CC) $(LDFLAGS) -o $@ build/mlppredict.o build/libmlp.a $(LDLIBS)

mlpexport: build/mlpexport.o build/libmlp.a
	$(CC) $(LDFLAGS) -o $@ build/mlpexport.o build/libmlp.a $(LDLIBS)

# The same objects, programs and unit tests built with ASan and UBSan.
build/san/%.o: src/%.c
	@mkdir -p build/san
	$(CC) $(MLP_CPPFLAGS) $(CPPFLAGS) $(MLP_CFLAGS) $(SAN_CFLAGS) -c -o $@ $<

build/san/test_%.o: tests/unit/test_%.c
	@mkdir -p build/san
	$(CC) $(MLP_CPPFLAGS) -Itests/unit $(CPPFLAGS) $(MLP_CFLAGS) $(SAN_CFLAGS) -c -o $@ $<

build/san/libmlp.a: $(SAN_LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(SAN_LIBOBJ)

build/san/mlptrain build/san/mlppredict build/san/mlpexport: build/san/%: build/san/%.o build/san/libmlp.a
	$(CC) $(SAN_CFLAGS) $(LDFLAGS) -o $@ $< build/san/libmlp.a $(LDLIBS)

build/san/test_%: build/san/test_%.o build/san/libmlp.a
	$(CC) $(SAN_CFLAGS) $(LDFLAGS) -o $@ $< build/san/libmlp.a $(LDLIBS)

sanitize: $(SAN_BIN) $(SAN_TESTS)

# Static checks: man pages, cppcheck, clang-tidy.  cppcheck's variableScope
# wants declarations moved into blocks, against this code's style;
# clang-tidy's calloc-of-0 check cannot see that layer sizes are at least 1,
# and cert-err33-c wants every fprintf's result checked.
TIDY_CHECKS = -*,bugprone-*,clang-analyzer-*,cert-*,-cert-err33-c,-bugprone-easily-swappable-parameters,\
-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,-clang-analyzer-optin.portability.UnixAPI

lint:
	@sh tests/lint.sh "$(TIDY_CHECKS)"

# Fuzz targets: the library built for libFuzzer, one program per parser.
build/fuzz/%.o: src/%.c
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(MLP_CPPFLAGS) $(CPPFLAGS) -std=c99 -MMD -MP $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIBOBJ)
	$(FUZZ_CC) $(MLP_CPPFLAGS) $(CPPFLAGS) -std=c99 $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined \
		-o $@ $< $(FUZZ_LIBOBJ) $(LDLIBS)

fuzz: $(FUZZERS)

# Runs every fuzz target for FUZZ_SECONDS seconds from its seed corpus.
fuzz-run: $(FUZZERS)
	@sh tests/fuzz.sh $(FUZZ_SECONDS)

# Minimises each seed corpus with libFuzzer's -merge=1, with what fuzz-run found.
fuzz-merge: $(FUZZERS)
	@sh tests/fuzz.sh merge

build/test_%.o: tests/unit/test_%.c
	@mkdir -p build
	$(CC) $(MLP_CPPFLAGS) -Itests/unit $(CPPFLAGS) $(MLP_CFLAGS) $(CFLAGS) -c -o $@ $<

build/test_%: build/test_%.o build/libmlp.a
	$(CC) $(LDFLAGS) -o $@ $< build/libmlp.a $(LDLIBS)

# The independent implementation of the lecture the end-to-end tests compare against.
build/ref_lecture: tests/ref_lecture.c
	@mkdir -p build
	$(CC) $(MLP_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ tests/ref_lecture.c -lcjson -lm

build/gen: data/gen.c
	@mkdir -p build
	$(CC) -std=c99 -Wall -Wextra -Wpedantic $(CFLAGS) $(LDFLAGS) -o $@ data/gen.c -lm

# Installs the Debian packages the build and the tests need, when missing;
# `make deps-build` only those the build needs.
deps:
	@$(MAKE) --no-print-directory install-packages PKGS="$(DEPS) $(TEST_DEPS)"

deps-build:
	@$(MAKE) --no-print-directory install-packages PKGS="$(DEPS)"

install-packages:
	@missing=; for p in $(PKGS); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi; \
		$$sudo apt-get update -qq && $$sudo apt-get install -y -qq $$missing; \
	fi

# The whole suite twice, on the normal build and on the sanitizer build; in CI
# (CI=true) or with MEMCHECK=1, the end-to-end suites under Valgrind too (about
# 3 more minutes); the static checks; every fuzz target for FUZZ_TEST_SECONDS.
MEMCHECK = $(if $(filter true,$(CI)),1,)
test: $(BIN) $(TESTS) $(TESTTOOLS) $(SAN_BIN) $(SAN_TESTS) $(FUZZERS)
	@MEMCHECK=$(MEMCHECK) TIDY_CHECKS="$(TIDY_CHECKS)" FUZZ_SECONDS=$(FUZZ_TEST_SECONDS) \
		sh tests/run.sh $(TESTS) -- $(SAN_TESTS)

demo: deps-build
	@$(MAKE) --no-print-directory all
	./mlptrain -l 4,8,1 -e 100 -o build/demo-model.json data/blobs4.csv
	./mlppredict build/demo-model.json data/blobs4.csv > build/demo-probs.txt
	@echo "first predictions (build/demo-probs.txt):"; head -n 5 build/demo-probs.txt
	tail -n +2 data/blobs4.csv | cut -d, -f5 | paste -d, - build/demo-probs.txt | \
	awk -F, '{ n++; ok += ($$2 >= 0.5) == ($$1 == 1) } END { printf "accuracy on the training rows: %d/%d\n", ok, n }'

install: all
	mkdir -p "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(MANPREFIX)/man1"
	cp -f $(BIN) "$(DESTDIR)$(PREFIX)/bin/"
	cp -f man/mlptrain.1 man/mlppredict.1 man/mlpexport.1 "$(DESTDIR)$(MANPREFIX)/man1/"
	chmod 755 "$(DESTDIR)$(PREFIX)/bin/mlptrain" "$(DESTDIR)$(PREFIX)/bin/mlppredict" "$(DESTDIR)$(PREFIX)/bin/mlpexport"
	chmod 644 "$(DESTDIR)$(MANPREFIX)/man1/mlptrain.1" "$(DESTDIR)$(MANPREFIX)/man1/mlppredict.1" \
		"$(DESTDIR)$(MANPREFIX)/man1/mlpexport.1"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/mlptrain" "$(DESTDIR)$(PREFIX)/bin/mlppredict" "$(DESTDIR)$(PREFIX)/bin/mlpexport" \
		"$(DESTDIR)$(MANPREFIX)/man1/mlptrain.1" "$(DESTDIR)$(MANPREFIX)/man1/mlppredict.1" \
		"$(DESTDIR)$(MANPREFIX)/man1/mlpexport.1"

clean:
	rm -rf build $(BIN)

.PHONY: all deps deps-build install-packages test lint sanitize fuzz fuzz-run fuzz-merge demo install uninstall clean

# Keep the objects that pattern rules chain through (make would delete them).
.SECONDARY:

-include build/*.d build/san/*.d build/fuzz/*.d

# ---- Benchmark (tests/bench/README) ----------------------------------------
# `make bench` runs mlptrain and mlppredict against peers, round robin, and
# prints a table of medians; `BENCH_QUICK=1 make bench` in under a minute.
# Its programs are built here, data and results go to build/bench/.
BENCH_DIR = build/bench
BENCH_CFLAGS = -std=c99 -D_XOPEN_SOURCE=700 -Wall -Wextra -Wpedantic
BENCH_TOOLS = $(BENCH_DIR)/gendata $(BENCH_DIR)/fann_peer $(BENCH_DIR)/ceiling $(BENCH_DIR)/csvcount

$(BENCH_DIR)/gendata: tests/bench/gendata.c
	@mkdir -p $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) -O2 $(LDFLAGS) -o $@ tests/bench/gendata.c -lm

$(BENCH_DIR)/fann_peer: tests/bench/fann_peer.c tests/bench/loadcsv.h
	@mkdir -p $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) -O2 $(LDFLAGS) -o $@ tests/bench/fann_peer.c -lfloatfann -lm

$(BENCH_DIR)/ceiling: tests/bench/ceiling.c tests/bench/loadcsv.h
	@mkdir -p $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) -O3 -march=native $(LDFLAGS) -o $@ tests/bench/ceiling.c -lm

$(BENCH_DIR)/csvcount: tests/bench/csvcount.c
	@mkdir -p $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) -O2 $(LDFLAGS) -o $@ tests/bench/csvcount.c -lcsv

bench: all $(BENCH_TOOLS)
	@CC='$(CC)' BENCH_CMD='$(if $(BENCH_QUICK),BENCH_QUICK=$(BENCH_QUICK) )$(if $(BENCH_RUNS),BENCH_RUNS=$(BENCH_RUNS) )make bench' \
		sh tests/bench/bench.sh

.PHONY: bench

# `make bench-export`: mlpexport's --float against mlppredict on the bundled
# data sets (and the CSV files of EXPORT_DATA="DIR ..."), and the object size
# of the bench shapes' C beside their JSON (tests/bench/export.sh).
bench-export: all
	@CC='$(CC)' sh tests/bench/export.sh $(EXPORT_DATA)

.PHONY: bench-export
