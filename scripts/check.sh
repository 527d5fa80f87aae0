#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: build, checkpatch, unit tests, fuzz corpora, VM selftests.
# Every step prints TAP; the last line counts them: "N passed, N failed,
# N skipped".
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. selftests/vm/kernel.sh
mkdir -p build
log=build/check.log
: >"$log"
start=$(date +%s)

# step NAME CMD...: run CMD, its TAP to the log and the terminal; a step
# whose command fails without a "not ok" of its own gets one.
step()
{
	local name=$1 out rc

	shift
	echo "# == $name"
	out=$(mktemp)
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	if [ "$rc" != 0 ] && ! grep -q '^not ok' "$out"; then
		echo "not ok - $name (exit status $rc)" | tee -a "$out"
	fi
	cat "$out" >>"$log"
	rm -f "$out"
	return "$rc"
}

# build_one WHAT LOG MAKE_ARGS...: one TAP line; a failure (or, for the
# module, any warning) shows the log.
build_one()
{
	local what=$1 log=build/$2.log

	shift 2
	if make -s "$@" >"$log" 2>&1 && ! grep -qi 'warning' "$log"; then
		echo "ok - build: $what"
		return 0
	fi
	echo "not ok - build: $what"
	sed 's/^/#   /' "$log"
	return 1
}

build()
{
	local kver

	kver=$(vm_kernel_version) || { echo "not ok - build: no VM kernel (make deps)"; return 1; }
	build_one "tcp_dacc.ko for $kver, no warnings" module \
		-C "/lib/modules/$kver/build" M="$top" modules &&
	build_one "userspace (-Wall -Wextra -Werror)" userspace -C userspace &&
	build_one "selftests helpers" selftests -C selftests
}

make -s linux-source
built=0
step build build && built=1
step checkpatch scripts/checkpatch.sh build/linux-source/scripts/checkpatch.pl
step "uapi contract" scripts/check-uapi.py
step "unit tests" make -s -C userspace run-tests
step "fuzz corpora" scripts/fuzz.sh --replay
step "simulator smoke" scripts/sim-smoke.sh
[ $built = 1 ] && step "install layout" scripts/test-install.sh
if [ $built = 1 ]; then
	step "VM runner" selftests/vm/test-runner.sh
	step "VM selftests" selftests/vm/run.sh selftests/vm/guest-selftests.sh
else
	echo "not ok - VM selftests not run: the build failed" | tee -a "$log"
fi

echo "# make check took $(($(date +%s) - start))s"
scripts/tap-summary.sh "$log"
