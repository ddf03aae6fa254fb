#!/bin/sh
# usage: sh tests/bare.sh      (as root; normally through `make test-bare`)
# Proves the README's set-up on a bare Debian: builds a minimal root with
# debootstrap --variant=minbase from the mirror this machine's apt uses,
# installs make and gcc in it (without their Recommends), copies in a clean
# clone of this tree's HEAD (uncommitted changes are not in it), and runs the
# README's two commands there in a chroot, `make demo` then `make test`, which
# must install everything else they need.  The chroot gets /proc, and /dev
# and /sys bound from this machine (signals, script(1)'s pseudo-terminals,
# /dev/full), in a mount namespace of its own: the mounts end with this
# script, however it ends, and never show outside it.
#
# Not part of `make test`: it fetches a Debian base and then 225 MB of
# packages, and takes about ten minutes (624 s on 2026-11-30, README).
# The last line is make test's
# "N passed, N failed"; the exit status is 0 only when both commands pass.
# Environment:
#   BARE_DIR=build/bare   where the root (BARE_DIR/root) and logs go; removed
#                         and made anew at each run
#   BARE_SUITE            the Debian release (default this machine's)
#   BARE_MIRROR           the mirror (default the first of apt's sources
#                         that serves BARE_SUITE)
#   BARE_KEEP=1           keep the root after a pass (by default only a
#                         failed run leaves it, to look into)
# This is the check that `make deps` and the packages of `make demo` and
# `make test` are complete: it is not a way to run the tests in isolation.

cd "$(dirname "$0")/.." || exit 3
top=$(pwd)
if [ "$(id -u)" -ne 0 ]; then
	echo "tests/bare.sh: debootstrap, chroot and mount need root: sudo make test-bare" >&2
	exit 2
fi
# Everything below runs in a mount namespace of its own.
if [ -z "${BARE_IN_NS:-}" ]; then
	BARE_IN_NS=1 exec unshare --mount --propagation private sh "$0" "$@"
fi

dir=${BARE_DIR:-build/bare}
case $dir in /*) ;; *) dir=$top/$dir ;; esac
root=$dir/root
if [ -z "${BARE_SUITE:-}" ]; then
	BARE_SUITE=$(. /etc/os-release && echo "$VERSION_CODENAME")
fi
suite=$BARE_SUITE

say() { printf 'bare: %s\n' "$*"; }
die() {
	say "$*" >&2
	exit 1
}

# mirror SUITE: the first http, https, ftp or file mirror that apt's sources
# here take SUITE from, in the one-line form (sources.list, *.list) or the
# deb822 form (*.sources).
mirror() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v s="$1" '$1 == "deb" {
			i = 2
			if ($2 ~ /^\[/) {
				while (i < NF && $i !~ /\]$/) i++
				i++
			}
			if ($(i + 1) == s) print $i
		}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v s="$1" '
		function flush() {
			if ((" " types " ") ~ / deb / && (" " suites " ") ~ (" " s " ") && enabled != "no") {
				split(uris, u, " ")
				print u[1]
			}
			types = suites = uris = enabled = key = ""
		}
		/^#/ { next }
		/^[ \t]*$/ { flush(); next }
		{ gsub(/[ \t]+/, " ") }
		/^ / {
			if (key == "types") types = types $0
			else if (key == "suites") suites = suites $0
			else if (key == "uris") uris = uris $0
			next
		}
		{
			key = tolower($0)
			sub(/:.*/, "", key)
			v = $0
			sub(/^[^:]*: ?/, "", v)
			if (key == "types") types = v
			else if (key == "suites") suites = v
			else if (key == "uris") uris = v
			else if (key == "enabled") enabled = tolower(v)
		}
		END { flush() }' "$f"
	done
}

if [ -z "${BARE_MIRROR:-}" ]; then
	BARE_MIRROR=$(mirror "$suite" | grep -E '^(https?|ftp|file):' | head -n 1)
	[ -n "$BARE_MIRROR" ] || die "no apt source here serves '$suite': set BARE_MIRROR (and BARE_SUITE)"
fi

# The mounts go when the namespace does; unmounting them here as well keeps
# the root removable at once.
unmount() {
	for m in dev sys proc; do
		if grep -q " $root/$m " /proc/self/mountinfo; then
			umount -R "$root/$m" 2>/dev/null || umount -R -l "$root/$m"
		fi
	done
}
# remove DIR: rm -rf, never while something is mounted under DIR.
remove() {
	if grep -q " $1/" /proc/self/mountinfo; then
		die "something is mounted under $1: left as it is"
	fi
	rm -rf "$1"
}
trap unmount EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# BARE_DIR is emptied only when it is one this script made (it leaves a mark).
if [ -d "$dir" ] && [ ! -e "$dir/.made-by-bare.sh" ] && [ -n "$(ls -A "$dir")" ]; then
	die "$dir is not empty and not one tests/bare.sh made: set BARE_DIR to another"
fi
remove "$dir"
mkdir -p "$dir" && : >"$dir/.made-by-bare.sh" || exit 3
start=$(date +%s)
mark=$start
# lap WHAT: says how long since the last lap.
lap() {
	now=$(date +%s)
	say "$1: $((now - mark)) s"
	laps="$laps, $1 $((now - mark)) s"
	mark=$now
}
laps=

say "a $suite root from $BARE_MIRROR in $root"
make --no-print-directory install-packages PKGS="debootstrap debian-archive-keyring" || exit 1
if ! debootstrap --variant=minbase "$suite" "$root" "$BARE_MIRROR" >"$dir/debootstrap.log" 2>&1; then
	tail -n 20 "$dir/debootstrap.log"
	die "debootstrap failed: $dir/debootstrap.log"
fi
cp -L /etc/resolv.conf "$root/etc/resolv.conf" || exit 3
lap debootstrap

mount -t proc proc "$root/proc" &&
	mount --rbind /dev "$root/dev" &&
	mount --rbind /sys "$root/sys" || die "cannot mount /proc, /dev and /sys in $root"

# in_root CMD: runs the shell command CMD in the root, as root, in the
# clean environment of a login.
login='HOME=/root LOGNAME=root USER=root TERM=xterm PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
in_root() {
	chroot "$root" /usr/bin/env -i $login /bin/sh -c "$1"
}

say "make and gcc, and nothing they recommend"
in_root 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends make gcc' \
	>"$dir/make-gcc.log" 2>&1 || { tail -n 20 "$dir/make-gcc.log"; die "cannot install make and gcc"; }
lap "make and gcc"

commit=$(git rev-parse HEAD) || exit 3
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	say "uncommitted changes here are not in the clone: it is HEAD, $commit"
git clone -q "$top" "$root/root/mlp" && git -C "$root/root/mlp" checkout -q "$commit" ||
	die "cannot clone $top into the root"

# readme CMD: runs one of the README's commands in the clone on a terminal,
# as typed (script(1) gives it a pseudo-terminal), its output on stdout and
# in $dir/CMD.log; fails when it does.
readme() {
	say "$1"
	log=$dir/$(echo "$1" | tr ' ' '-').log
	BARE_CMD="cd /root/mlp && $1" \
		script -qec "chroot '$root' /usr/bin/env -i $login /bin/sh -c \"\$BARE_CMD\"" "$log" </dev/null
	rc=$?
	lap "$1"
	[ "$rc" -eq 0 ]
}

ok=1
readme "make demo" || ok=0
if [ $ok -eq 1 ]; then
	readme "make test" || ok=0
	summary=$(tr -d '\r' <"$dir/make-test.log" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
fi
fetched=$(du -sm "$root/var/cache/apt/archives" | cut -f1)
say "$suite, commit $(echo "$commit" | cut -c1-7): $(($(date +%s) - start)) s in all$laps; $fetched MB of packages after the base"
if [ $ok -eq 1 ] && [ -z "${BARE_KEEP:-}" ]; then
	unmount
	remove "$root"
elif [ $ok -eq 0 ]; then
	say "failed: the root is left in $root, the logs in $dir"
fi
if [ -n "${summary:-}" ]; then
	echo "$summary"
else
	echo "0 passed, 1 failed"
fi
[ $ok -eq 1 ]
