#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run inside the VM: every TEST_PROGS script of selftests/Makefile (or the
# ones named as arguments), each bounded in time, then check the kernel log.
# A script that dies without reporting a failure is reported failed here.
# Leading NAME=VALUE arguments are exported first (SELFTEST_TIMEOUT=900).
top=${DACC_TOP:-/dacc}
cd "$top/selftests" || exit 1
. "$top/selftests/vm/kernel.sh"
while [ $# -gt 0 ] && [[ $1 =~ ^[A-Z_][A-Z0-9_]*= ]]; do
	export "${1?}"
	shift
done

if [ $# -gt 0 ]; then
	tests="$*"
else
	tests=$(awk '$1 == "TEST_PROGS" && $2 == "+=" { print $3 }' Makefile)
fi
per_test_timeout=${SELFTEST_TIMEOUT:-300}
rc=0
for t in $tests; do
	echo "# selftests: dacc: $t"
	start=$(date +%s)
	out=$(mktemp)
	timeout -k 5 "$per_test_timeout" bash "./$t" 2>&1 | tee "$out"
	trc=${PIPESTATUS[0]}
	echo "# $t: exit $trc in $(($(date +%s) - start))s"
	if [ "$trc" != 0 ] && [ "$trc" != 4 ]; then
		rc=1
		grep -q '^not ok' "$out" ||
			echo "not ok - $t: exited with status $trc without reporting a failure"
	fi
	rm -f "$out"
done

if dmesg | grep -E "$VM_KERNEL_ERRORS" >/tmp/kerr 2>/dev/null; then
	echo "not ok - kernel log free of oops/WARN/BUG"
	head -n 20 /tmp/kerr | sed 's/^/#   /'
	rc=1
else
	echo "ok - kernel log free of oops/WARN/BUG"
fi
exit $rc
