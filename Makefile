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

# Debian packages, by use: `make deps` installs all these when missing, and
# `make demo`, `make check`, `make test` and `make bench` each what they use.
# Before any: make and a C compiler.  The build: the C library's headers and
# the two libraries.
DEPS = libc6-dev libcsv-dev libcjson-dev
# make check, the unit and end-to-end suites: jq (JSON), libxml2-utils (xmllint,
# the SVG plots), mandoc (the man pages), locales (the de_DE data localedef
# builds the decimal-comma locale from), bsdutils (script(1), a terminal),
# and what the suites' shell runs: coreutils, diffutils (cmp), grep, sed, mawk.
CHECK_DEPS = jq libxml2-utils mandoc locales libc-bin bsdutils coreutils diffutils grep sed mawk
# make test, besides: clang (the sanitizer and libFuzzer builds; its runtime,
# libclang-rt-N-dev, follows it: see install-packages), valgrind (CI=true),
# cppcheck and clang-tidy (make lint), Open MPI (the MPI build).
MPI_DEPS = openmpi-bin libopenmpi-dev
TEST_DEPS = $(CHECK_DEPS) clang valgrind cppcheck clang-tidy $(MPI_DEPS)
# make bench: libfann-dev (the FANN peer), time (/usr/bin/time), bash, git
# (the commit in the table's header), jq and Open MPI (one worker against two).
BENCH_DEPS = libfann-dev time bash git jq $(MPI_DEPS)
# tests/bench/sklearn_compare.py, run by hand: `make deps-sklearn`, not part of
# `make deps` (36 packages with numpy and scipy, 58 MB to fetch on Debian 12).
SKLEARN_DEPS = python3 python3-sklearn

LIBOBJ = build/cli.o build/colmap.o build/columns.o build/comm.o build/csvread.o build/data.o build/dataset.o build/dict.o \
	build/encode.o build/eval.o \
	build/export.o build/exportcode.o build/history.o build/kernels.o build/metrics.o build/model.o build/modelio.o build/number.o build/outfile.o \
	build/outputs.o build/pipeline.o build/plot.o build/progress.o build/rng.o build/schedule.o build/score.o build/shard.o \
	build/target.o build/train.o
BIN = mlptrain mlppredict mlpexport
TESTS = build/test_cli build/test_number build/test_rng build/test_model build/test_csv build/test_columns \
	build/test_colmap build/test_target build/test_data build/test_shard build/test_encode build/test_eval build/test_modelio \
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

# mlptrain-mpi (make mpi): mlptrain with Open MPI's ranks for workers, built
# with mpicc; the library is the same.  Plain make needs no MPI.
MPICC = mpicc

mpi: mlptrain-mpi

mlptrain-mpi: build/mpi/mlptrain.o build/mpi/comm_mpi.o build/libmlp.a
	$(MPICC) $(LDFLAGS) -o $@ build/mpi/mlptrain.o build/mpi/comm_mpi.o build/libmlp.a $(LDLIBS)

build/mpi/%.o: src/%.c
	@mkdir -p build/mpi
	$(MPICC) -DMLP_MPI $(MLP_CPPFLAGS) $(CPPFLAGS) $(MLP_CFLAGS) $(CFLAGS) -c -o $@ $<

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

# mlptrain and the unit test of the workers built with ThreadSanitizer (clang):
# make test runs the threaded cases on them once.
TSAN_CFLAGS = -O1 -g -fsanitize=thread -fno-omit-frame-pointer
TSAN_LIBOBJ = $(LIBOBJ:build/%=build/tsan/%)
TSAN_BIN = build/tsan/mlptrain build/tsan/test_shard

build/tsan/%.o: src/%.c
	@mkdir -p build/tsan
	$(FUZZ_CC) $(MLP_CPPFLAGS) $(CPPFLAGS) -std=c99 -MMD -MP $(TSAN_CFLAGS) -c -o $@ $<

build/tsan/test_%.o: tests/unit/test_%.c
	@mkdir -p build/tsan
	$(FUZZ_CC) $(MLP_CPPFLAGS) -Itests/unit $(CPPFLAGS) -std=c99 -MMD -MP $(TSAN_CFLAGS) -c -o $@ $<

build/tsan/libmlp.a: $(TSAN_LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(TSAN_LIBOBJ)

build/tsan/mlptrain build/tsan/test_shard: build/tsan/%: build/tsan/%.o build/tsan/libmlp.a
	$(FUZZ_CC) $(TSAN_CFLAGS) $(LDFLAGS) -o $@ $< build/tsan/libmlp.a $(LDLIBS)

tsan: $(TSAN_BIN)
	@sh tests/run.sh --tsan

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

build/fuzz/fuzz_csv: tests/unit/readparts.h

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

# Installs the Debian packages that a target uses, when missing: `make deps`
# all of them, `make deps-build` only those of the build, and so on.
deps:
	@$(MAKE) --no-print-directory install-packages PKGS="$(DEPS) $(TEST_DEPS) $(BENCH_DEPS)"

deps-build:
	@$(MAKE) --no-print-directory install-packages PKGS="$(DEPS)"

deps-check:
	@$(MAKE) --no-print-directory install-packages PKGS="$(DEPS) $(CHECK_DEPS)"

deps-test:
	@$(MAKE) --no-print-directory install-packages PKGS="$(DEPS) $(TEST_DEPS)"

deps-bench:
	@$(MAKE) --no-print-directory install-packages PKGS="$(DEPS) $(BENCH_DEPS)"

deps-sklearn:
	@$(MAKE) --no-print-directory install-packages PKGS="$(SKLEARN_DEPS)"

# Installs those of PKGS that dpkg does not list as installed, with apt-get,
# through sudo when not root; when all are there, apt does not run.  With
# clang among them, then clang's sanitizer and libFuzzer runtime,
# libclang-rt-N-dev for clang N, where Debian packages it apart (Debian 12).
install-packages:
	@command -v dpkg-query >/dev/null 2>&1 || { echo "no dpkg here: install these or their like: $(PKGS)"; exit 0; }; \
	if [ "$$(id -u)" -eq 0 ]; then sudo=; elif command -v sudo >/dev/null 2>&1; then sudo=sudo; else sudo=no; fi; \
	missing() { for p in "$$@"; do \
		dpkg-query -W -f='$${db:Status-Status}\n' $$p 2>/dev/null | grep -qx installed || printf ' %s' $$p; \
	done; }; \
	install() { \
		if [ "$$sudo" = no ]; then echo "missing:$$*; not root and no sudo: apt-get install them as root" >&2; return 1; fi; \
		echo "installing:$$*"; $$sudo apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$*; }; \
	m=$$(missing $(PKGS)); [ -z "$$m" ] || install $$m || exit 1; \
	case " $(PKGS) " in *" clang "*) \
		rt=libclang-rt-$$(clang -dumpversion | cut -d. -f1)-dev; \
		if [ -n "$$(missing $$rt)" ]; then \
			apt-cache show $$rt >/dev/null 2>&1 || [ "$$sudo" = no ] || $$sudo apt-get update -qq; \
			! apt-cache show $$rt >/dev/null 2>&1 || install $$rt; \
		fi ;; \
	esac

# The whole suite twice, on the normal build and on the sanitizer build; in CI
# (CI=true) or with MEMCHECK=1, the end-to-end suites under Valgrind too (README
# gives the times); the static checks; every fuzz target for FUZZ_TEST_SECONDS.
# It installs the packages it uses first, when missing; `make test-only` not.
MEMCHECK ?= $(if $(filter true,$(CI)),1,)
test: deps-test
	@$(MAKE) --no-print-directory test-only

test-only: $(BIN) mlptrain-mpi $(TESTS) $(TESTTOOLS) $(SAN_BIN) $(SAN_TESTS) $(TSAN_BIN) $(FUZZERS)
	@MEMCHECK=$(MEMCHECK) TIDY_CHECKS="$(TIDY_CHECKS)" FUZZ_SECONDS=$(FUZZ_TEST_SECONDS) TSAN=1 \
		sh tests/run.sh $(TESTS) -- $(SAN_TESTS)

# Mutation testing: tests/mutants.sh puts each of a list of realistic bugs into
# a scratch copy of the tree and runs the unit tests and end-to-end suites
# until one fails; a bug that none catches is a gap.  Not part of make test
# (minutes); MUTANTS="3 7" runs only those.
mutants:
	@sh tests/mutants.sh $(MUTANTS)

.PHONY: mutants

# The quick loop: the unit tests and the end-to-end suites on the normal build
# only, about a minute; it installs the packages they use first, when missing.
check: deps-check
	@$(MAKE) --no-print-directory check-only

check-only: $(BIN) mlptrain-mpi $(TESTS) $(TESTTOOLS)
	@sh tests/run.sh --quick $(TESTS)

# The README's set-up proved on a bare Debian (tests/bare.sh): `make demo`
# and `make test` in a fresh debootstrap root; as root, about five minutes.
test-bare:
	@sh tests/bare.sh

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
	if [ -x mlptrain-mpi ]; then cp -f mlptrain-mpi "$(DESTDIR)$(PREFIX)/bin/" && \
		chmod 755 "$(DESTDIR)$(PREFIX)/bin/mlptrain-mpi"; fi

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/mlptrain" "$(DESTDIR)$(PREFIX)/bin/mlppredict" "$(DESTDIR)$(PREFIX)/bin/mlpexport" \
		"$(DESTDIR)$(PREFIX)/bin/mlptrain-mpi" "$(DESTDIR)$(MANPREFIX)/man1/mlptrain.1" "$(DESTDIR)$(MANPREFIX)/man1/mlppredict.1" \
		"$(DESTDIR)$(MANPREFIX)/man1/mlpexport.1"

clean:
	rm -rf build $(BIN) mlptrain-mpi

.PHONY: all deps deps-build deps-check deps-test deps-bench deps-sklearn install-packages test test-only \
	check check-only test-bare lint sanitize fuzz fuzz-run fuzz-merge demo install uninstall clean mpi tsan \
	bench bench-only bench-workers

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

bench: deps-bench
	@$(MAKE) --no-print-directory bench-only

bench-only: all mlptrain-mpi $(BENCH_TOOLS)
	@CC='$(CC)' BENCH_CMD='$(if $(BENCH_QUICK),BENCH_QUICK=$(BENCH_QUICK) )$(if $(BENCH_RUNS),BENCH_RUNS=$(BENCH_RUNS) )make bench' \
		sh tests/bench/bench.sh
	@sh tests/bench/workers.sh

# One worker against two, threads and MPI ranks (tests/bench/workers.sh), alone.
bench-workers: deps-bench
	@$(MAKE) --no-print-directory all mlptrain-mpi $(BENCH_DIR)/gendata
	@sh tests/bench/workers.sh

