#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug: every VM selftest, the netlink fuzzer and the churn test
# under the debug kernel (scripts/debug-kernel.sh: KASAN, KFENCE, lockdep,
# PROVE_RCU, kmemleak, UBSAN, DEBUG_LIST, DEBUG_OBJECTS_RCU_HEAD, SLUB
# debug), with tcp_dacc.ko built for it.  The VM run fails on any report of
# theirs (selftests/vm/kernel.sh lists the patterns), naming it; kmemleak
# scans once the tests are done.  TAP; the last line counts them, as make
# check's does.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
mkdir -p build
log=build/check-debug.log
: >"$log"
start=$(date +%s)

tap() { tee -a "$log"; }

kstart=$(date +%s)
if ! dir=$(scripts/debug-kernel.sh | tail -n 1) || [ ! -f "$dir/.done" ]; then
	echo "not ok - build: the debug kernel (see the log above)" | tap
	exit 1
fi
echo "ok - build: debug kernel $(cat "$dir/kver") ($(($(date +%s) - kstart)) s; cached in $dir)" | tap

# The module, built out of the tree's way: build/debug-kmod/.
kmod=$top/build/debug-kmod
rm -rf "$kmod"
mkdir -p "$kmod"
cp -r Kbuild kmod include "$kmod/"
find "$kmod/kmod" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \) -delete
if make -s -C "$dir/src" M="$kmod" modules >build/debug-module.log 2>&1 &&
	! grep -qi warning build/debug-module.log; then
	echo "ok - build: tcp_dacc.ko for $(cat "$dir/kver"), no warnings" | tap
else
	echo "not ok - build: tcp_dacc.ko for the debug kernel" | tap
	sed 's/^/#   /' build/debug-module.log | tap
	exit 1
fi
make -s userspace >/dev/null && make -s -C selftests >/dev/null || {
	echo "not ok - build: userspace" | tap
	exit 1
}

# Every TEST_PROGS script, then the debug-only ones (TEST_PROGS_DEBUG).
tests=$(awk '($1 == "TEST_PROGS" || $1 == "TEST_PROGS_DEBUG") && $2 == "+=" { print $3 }' \
	selftests/Makefile)
# KASAN and lockdep make the kernel several times slower under TCG: the
# whole suite ran past 60 minutes (it reached kmod_churn at 60 min).
rm -rf build/debug-out
out=$(mktemp)
VM_KERNEL_DIR=$dir VM_DACC_KO=$kmod/kmod/tcp_dacc.ko VM_MEM=${VM_MEM:-3072} \
	VM_TIMEOUT=${VM_TIMEOUT:-6000} \
	selftests/vm/run.sh -o build/debug-out selftests/vm/guest-selftests.sh \
	SELFTEST_TIMEOUT=900 NETLINK_FUZZ_N=${NETLINK_FUZZ_N:-100000} $tests 2>&1 | tee "$out" | tap
rc=${PIPESTATUS[0]}
if [ "$rc" != 0 ] && ! grep -q '^not ok' "$out"; then
	echo "not ok - the debug VM run: $(grep 'run.sh: FAIL' "$out" | head -n 1)" | tap
fi
rm -f "$out"
if [ -s build/debug-out/kmemleak.txt ]; then
	echo "not ok - kmemleak: $(grep -c 'unreferenced object' build/debug-out/kmemleak.txt) leaks" | tap
	head -n 40 build/debug-out/kmemleak.txt | sed 's/^/#   /' | tap
elif [ -e build/debug-out/kmemleak.txt ]; then
	echo "ok - kmemleak: no unreferenced object after the run" | tap
else
	echo "not ok - kmemleak: no report came back from the VM" | tap
fi

echo "# make check-debug took $(($(date +%s) - start))s"
scripts/tap-summary.sh "$log"
