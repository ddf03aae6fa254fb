#!/bin/sh
# End-to-end tests of the documentation: the man pages lint clean, every long
# option -h lists is in the man page and in README.md, and --version and -h
# print what they should.  Run from the top of the source tree as
# "sh tests/e2e_docs.sh"; the variables of tests/e2e_lib.sh apply.  The last
# line is "e2e_docs: P passed, F failed".

. "$(dirname "$0")/e2e_lib.sh"

# ---- documentation ----

t "man pages lint clean"
if command -v mandoc >/dev/null 2>&1; then
	for page in mlptrain mlppredict; do
		mandoc -Tlint "$MAN/$page.1" >lint.txt 2>&1 ||
			fail "mandoc -Tlint $page.1 exit $?:" "$(head -n 5 lint.txt)"
	done
else
	fail "mandoc is not installed (make check and make test install it)"
fi

# long_options PROGRAM: the long options its -h lists, one a line.
long_options() {
	"$1" -h | grep -o -e '--[a-z][a-z-]*' | sort -u
}

for prog in mlptrain mlppredict; do
	t "every long option of $prog -h is in man/$prog.1"
	[ "$prog" = mlptrain ] && bin=$MLPTRAIN || bin=$MLPPREDICT
	opts=$(long_options "$bin")
	[ -n "$opts" ] || fail "$prog -h lists no long options"
	for o in $opts; do
		# the page spells them Fl \-\-name or \-\-name
		sed 's/\\-/-/g' "$MAN/$prog.1" | grep -F -e "$o" >/dev/null ||
			sed 's/\\-/-/g' "$MAN/$prog.1" | grep -E -e "Fl -${o#--}([^a-z-]|\$)" >/dev/null ||
			fail "$o is missing from man/$prog.1"
	done

	t "every long option of $prog -h is in README.md"
	if [ -z "$opts" ]; then
		fail "$prog -h lists no long options"
	elif [ -f "$README" ]; then
		for o in $opts; do
			grep -F -e "$o" "$README" >/dev/null || fail "$o is missing from README.md"
		done
	else
		fail "README.md does not exist"
	fi
done

# ---- --version and -h ----

for prog in mlptrain mlppredict; do
	[ "$prog" = mlptrain ] && bin=$MLPTRAIN || bin=$MLPPREDICT
	[ "$prog" = mlptrain ] && usage1=$usage_train1 || usage1=$usage_predict
	t "$prog --version and -V print '$prog 0.1.0'"
	for v in --version -V; do
		expect_status 0 "$bin" $v && same_text "$(cat "$tmp/out")" "$prog 0.1.0" "$prog $v" && expect_no_stderr
	done
	t "$prog -h and --help print the usage on stdout, exit 0"
	for h in -h --help; do
		if expect_status 0 "$bin" $h; then
			expect_no_stderr
			same_text "$(head -n 1 "$tmp/out")" "$usage1" "first line of $prog $h"
			grep -F -e 'Exit status:' "$tmp/out" >/dev/null || fail "$prog $h lacks the exit statuses"
		fi
	done
done

e2e_done e2e_docs
