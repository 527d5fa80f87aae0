#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make install into a scratch DESTDIR with a PREFIX of its own: the unit runs
# the daccd that was installed, no live configuration is installed (enabling
# the unit must not probe the example's addresses or open a reflector on
# *:862), and the unit's sandbox lets daccd read the clock's state with
# adjtimex() (STAMP's Error Estimate says whether the clock is synchronised)
# while it still cannot set the clock.  TAP on stdout.
top=$(cd "$(dirname "$0")/.." && pwd)
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; printf '#   %s\n' "$@"; }
check() { local d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else bad "$d" "expected success of: $*"; fi; }

dest=$(mktemp -d /tmp/dacc-install.XXXXXX)
trap 'rm -rf "$dest"' EXIT
prefix=/opt/dacc-test
echo "TAP version 13"
if ! out=$(make -s -C "$top" install DESTDIR="$dest" PREFIX="$prefix" 2>&1); then
	bad "make install DESTDIR PREFIX=$prefix" "$out"
	echo "1..$n"
	exit 1
fi
ok "make install DESTDIR PREFIX=$prefix"
unit=$dest/etc/systemd/system/daccd.service
check "the unit is installed" test -f "$unit"
for k in ExecStartPre ExecStart; do
	bin=$(sed -n "s/^$k=\([^ ]*\).*/\1/p" "$unit")
	if [ "$bin" = "$prefix/sbin/daccd" ] && [ -x "$dest$bin" ]; then
		ok "$k runs the installed daccd ($bin)"
	else
		bad "$k runs the installed daccd" "expected: $prefix/sbin/daccd, installed" "got: \"$bin\""
	fi
done
check "no placeholder left in the unit" test -z "$(grep -n '@[A-Z]*@' "$unit")"
check "no live configuration installed" test ! -e "$dest/etc/dacc/daccd.conf"
check "the example is in the documentation" test -f "$dest/usr/share/doc/dacc/daccd.conf"
check "the unit waits for the operator's configuration" \
	grep -qx 'ConditionPathExists=/etc/dacc/daccd.conf' "$unit"

# The sandbox: what SystemCallFilter= and ProtectClock= leave of adjtimex().
if grep -qiE '^ProtectClock=(yes|true|1|on)' "$unit"; then
	bad "adjtimex() allowed" "got: ProtectClock=yes, which denies adjtimex() even read-only"
elif ! command -v systemd-analyze >/dev/null; then
	n=$((n + 1))
	echo "ok $n - adjtimex() allowed # SKIP systemd-analyze not installed"
else
	allowed=0 denied=0 have_allow=0
	while read -r v; do
		neg=0
		[ "${v#\~}" != "$v" ] && { neg=1; v=${v#\~}; }
		[ $neg = 0 ] && have_allow=1
		for w in $v; do
			if [ "${w#@}" != "$w" ]; then
				set=$(systemd-analyze syscall-filter "$w" 2>/dev/null | sed 's/#.*//' | tr -d ' ')
			else
				set=$w
			fi
			if grep -qx adjtimex <<<"$set"; then
				[ $neg = 1 ] && denied=1 || allowed=1
			fi
		done
	done < <(sed -n 's/^SystemCallFilter=//p' "$unit")
	if { [ $have_allow = 0 ] || [ $allowed = 1 ]; } && [ $denied = 0 ]; then
		ok "adjtimex() allowed by the unit's SystemCallFilter"
	else
		bad "adjtimex() allowed by the unit's SystemCallFilter" \
			"got: allow-listed $allowed, denied $denied"
	fi
fi
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit")
if [ -n "$caps" ] && ! grep -qw CAP_SYS_TIME <<<"$caps"; then
	ok "the clock cannot be set: no CAP_SYS_TIME ($caps)"
else
	bad "the clock cannot be set" "expected: a CapabilityBoundingSet without CAP_SYS_TIME" \
		"got: \"$caps\""
fi

# An operator's configuration survives a reinstall and an uninstall.
mkdir -p "$dest/etc/dacc"
echo "# mine" >"$dest/etc/dacc/daccd.conf"
make -s -C "$top" install DESTDIR="$dest" PREFIX="$prefix" >/dev/null 2>&1
make -s -C "$top" uninstall DESTDIR="$dest" PREFIX="$prefix" >/dev/null 2>&1
check "the operator's configuration is kept" grep -qx '# mine' "$dest/etc/dacc/daccd.conf"
check "uninstall removes the programs and the unit" \
	test ! -e "$dest$prefix/sbin/daccd" -a ! -e "$unit"
echo "1..$n"
[ $failed = 0 ]
