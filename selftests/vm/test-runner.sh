#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VM runner's own contract, on the host: the script's exit status comes
# back, files come back from $DACC_OUT, and a kernel panic or a hung VM is
# reported as a failure that names its cause.  TAP on stdout.
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

result()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		shift 2
		for l in "$@"; do echo "#   $l"; done
	fi
}

cat >"$tmp/status.sh" <<'S'
echo "args: $#: $1|$2"
[ -x /dacc/kmod/tcp_dacc.ko ] || [ -f /dacc/kmod/tcp_dacc.ko ] || exit 9
echo from-the-vm >"$DACC_OUT/proof.txt"
exit 7
S
out=$("$here/run.sh" -o "$tmp/out" "$tmp/status.sh" "one" "two words" 2>&1)
rc=$?
result $([ $rc = 7 ]; echo $?) "run.sh returns the script's status" "expected 7" "got $rc"
grep -q 'args: 2: one|two words' <<<"$out"
result $? "arguments reach the script intact" "expected 'args: 2: one|two words'" \
	"got: $(grep args: <<<"$out")"
result $([ "$(cat "$tmp/out/proof.txt" 2>/dev/null)" = from-the-vm ]; echo $?) \
	"files under \$DACC_OUT come back to -o DIR" "expected proof.txt = from-the-vm"

printf 'echo c >/proc/sysrq-trigger\nsleep 30\n' >"$tmp/panic.sh"
out=$("$here/run.sh" -t 120 "$tmp/panic.sh" 2>&1)
rc=$?
result $([ $rc != 0 ] && grep -q 'run.sh: FAIL: .*' <<<"$out" && grep -qi 'panic' <<<"$out"; echo $?) \
	"a kernel panic fails the run and is named" "expected non-zero and FAIL naming the panic" \
	"got $rc: $(grep 'run.sh: FAIL' <<<"$out")"

printf 'sleep 600\n' >"$tmp/hang.sh"
out=$("$here/run.sh" -t 20 "$tmp/hang.sh" 2>&1)
rc=$?
result $([ $rc != 0 ] && grep -q 'timed out' <<<"$out"; echo $?) \
	"a hung VM times out and says so" "expected non-zero and 'timed out'" \
	"got $rc: $(grep 'run.sh: FAIL' <<<"$out")"

echo "1..$n"
[ $failed = 0 ]
