# mlptrain / mlppredict.  Plain make: CC, CFLAGS, LDFLAGS, LDLIBS, PREFIX,
# MANPREFIX and DESTDIR are the user's to override; the project's own flags
# live in MLP_* below.

PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
CC = cc
CFLAGS = -O2 -g
LDFLAGS =
LDLIBS = -lcsv -lcjson -lm

MLP_CPPFLAGS = -D_XOPEN_SOURCE=700 -Isrc
MLP_CFLAGS = -std=c99 -Wall -Wextra -Wpedantic -Wshadow -MMD -MP

# Debian packages: the two libraries, and mandoc for the man-page lint test.
DEPS = libcsv-dev libcjson-dev mandoc

LIBOBJ = build/cli.o build/csvread.o build/data.o build/model.o build/modelio.o \
	build/number.o build/outfile.o build/rng.o build/train.o
BIN = mlptrain mlppredict
TESTS = build/test_number build/test_rng build/test_model build/test_csv \
	build/test_data build/test_modelio
TESTTOOLS = build/ref_lecture build/gen

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

# Installs the Debian packages the build and the tests need, when missing.
deps:
	@missing=; for p in $(DEPS); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi; \
		$$sudo apt-get update -qq && $$sudo apt-get install -y -qq $$missing; \
	fi

test: $(BIN) $(TESTS) $(TESTTOOLS)
	@sh tests/run.sh $(TESTS)

demo: deps
	@$(MAKE) --no-print-directory all
	./mlptrain -l 4,8,1 -e 100 -o build/demo-model.json data/blobs4.csv
	./mlppredict build/demo-model.json data/blobs4.csv > build/demo-probs.txt
	@echo "first predictions (build/demo-probs.txt):"; head -n 5 build/demo-probs.txt
	tail -n +2 data/blobs4.csv | cut -d, -f5 | paste -d, - build/demo-probs.txt | \
	awk -F, '{ n++; ok += ($$2 >= 0.5) == ($$1 == 1) } END { printf "accuracy on the training rows: %d/%d\n", ok, n }'

install: all
	mkdir -p "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(MANPREFIX)/man1"
	cp -f $(BIN) "$(DESTDIR)$(PREFIX)/bin/"
	cp -f man/mlptrain.1 man/mlppredict.1 "$(DESTDIR)$(MANPREFIX)/man1/"
	chmod 755 "$(DESTDIR)$(PREFIX)/bin/mlptrain" "$(DESTDIR)$(PREFIX)/bin/mlppredict"
	chmod 644 "$(DESTDIR)$(MANPREFIX)/man1/mlptrain.1" "$(DESTDIR)$(MANPREFIX)/man1/mlppredict.1"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/mlptrain" "$(DESTDIR)$(PREFIX)/bin/mlppredict" \
		"$(DESTDIR)$(MANPREFIX)/man1/mlptrain.1" "$(DESTDIR)$(MANPREFIX)/man1/mlppredict.1"

clean:
	rm -rf build $(BIN)

.PHONY: all deps test demo install uninstall clean

-include build/*.d
