#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The profile table at scale: N profiles (default 65536, the module's default
# limit; three quarters IPv4 /24, a quarter IPv6 /48) added with one
# "dacc -batch", then one more (refused: the table is full), dumped as text
# and JSON, looked up, partly deleted, flushed; the time of each step, the
# module's slab memory per profile, and whether the module unloads cleanly.
# Figures, not assertions: a step that fails is reported and the script
# exits non-zero, a slow step is only slow.
#
#   selftests/vm/run.sh -o OUT bench/profile_scale.sh [N]
#
# Prints a table; writes profile_scale.json under $DACC_OUT.
set -u
n=${1:-65536}
top=${DACC_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
ko=${DACC_KO:-$top/kmod/tcp_dacc.ko}
DACC=${DACC:-$(command -v dacc || echo "$top/userspace/dacc/dacc")}
IP=/usr/bin/ip
[ -x $IP ] || IP=/sbin/ip
out=${DACC_OUT:-/tmp}
ns=dacc-scale-$$
work=$(mktemp -d)
failed=0
declare -A fig

cleanup()
{
	$IP netns del $ns 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

now()
{
	echo "$EPOCHREALTIME"
}
# step NAME CMD...: run CMD, keep its time in fig[NAME] (seconds).
step()
{
	local name=$1 t0 t1 rc

	shift
	t0=$(now)
	"$@"
	rc=$?
	t1=$(now)
	fig[$name]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	if [ $rc != 0 ]; then
		echo "# step $name failed (exit $rc)" >&2
		failed=1
	fi
	return $rc
}
D()
{
	"$DACC" -n $ns "$@"
}
# Bytes the module's caches hold: sum of num_slabs * pagesperslab pages.
slab_bytes()
{
	awk '$1 ~ /^dacc_/ { b += $15 * $6 * 4096 } END { print b + 0 }' /proc/slabinfo
}
slab_objs()
{
	awk '$1 ~ /^dacc_/ { o += $2 } END { print o + 0 }' /proc/slabinfo
}

if grep -q '^tcp_dacc ' /proc/modules; then
	rmmod tcp_dacc || { echo "profile_scale: tcp_dacc is in use" >&2; exit 1; }
fi
insmod "$ko" || exit 1
$IP netns add $ns || exit 1
limit=$(cat /sys/module/tcp_dacc/parameters/max_profiles)
if [ "$n" -gt "$limit" ]; then
	echo "profile_scale: N=$n is above max_profiles=$limit" >&2
	exit 2
fi

# The profiles: i < 3N/4 -> 10.x.y.0/24 (and 11.x.y.0/24 past 65536),
# the rest -> fd00:a:b::/48.
awk -v n="$n" 'BEGIN {
	v4 = int(n * 3 / 4)
	for (i = 0; i < v4; i++)
		printf "profile add %d.%d.%d.0/24 rtt %dus jitter 100us bw 10gbit\n",
			10 + int(i / 65536), int(i / 256) % 256, i % 256, 1000 + i % 100000
	for (i = v4; i < n; i++)
		printf "profile add fd00:%x:%x::/48 rtt %dus\n", int(i / 65536), i % 65536, 1000 + i
}' >"$work/add"
awk 'NR % 64 == 1 { split($3, a, "/"); sub(/\.0$/, ".7", a[1]); sub(/::$/, "::7", a[1]);
	print "profile get " a[1] }' "$work/add" >"$work/get"
awk 'NR % 16 == 0 { print "profile del " $3 }' "$work/add" >"$work/del"
gets=$(wc -l <"$work/get")
dels=$(wc -l <"$work/del")

slab0=$(slab_bytes)
step add D -batch "$work/add"
profiles=$(D -j stats | sed -E 's/.*"profiles":([0-9]+).*/\1/')
slab1=$(slab_bytes)
objs1=$(slab_objs)
over=$(D profile add 192.0.2.0/24 rtt 1ms 2>&1)
[ "$over" = "Error: profile table is full (module parameter max_profiles)." ] &&
	full=refused || full="not refused: $over"
[ "$n" = "$limit" ] || full="n/a (N below the limit)"
step dump_text sh -c "'$DACC' -n $ns profile show >'$work/text'"
lines=$(wc -l <"$work/text")
step dump_json sh -c "'$DACC' -n $ns -j profile show >'$work/json'"
json_bytes=$(wc -c <"$work/json")
step get D -batch "$work/get" >/dev/null
step del D -batch "$work/del"
after_del=$(D profile show | wc -l)
step flush D profile flush
left=$(D profile show | wc -l)
# Freed after an RCU grace period: wait for the caches to empty.
for i in $(seq 1 100); do
	[ "$(slab_objs)" = 0 ] && break
	sleep 0.1
done
objs2=$(slab_objs)
$IP netns del $ns
unload=ok
rmmod tcp_dacc 2>"$work/rmmod" || unload="failed: $(cat "$work/rmmod")"
# A cache destroyed with objects left in it says so ("Objects remaining").
kerr=$(dmesg | grep -cE 'Oops: |BUG |WARNING: CPU: |unreferenced object|Objects remaining')
leak="kmemleak not in this kernel"
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	leak="$(grep -c 'unreferenced object' /sys/kernel/debug/kmemleak) unreferenced objects"
fi

[ "$profiles" = "$n" ] || { echo "# added $profiles of $n profiles" >&2; failed=1; }
[ "$lines" = "$n" ] || { echo "# the dump printed $lines of $n profiles" >&2; failed=1; }
[ "$after_del" = $((n - dels)) ] || { echo "# $after_del profiles after deleting $dels" >&2; failed=1; }
[ "$left" = 0 ] || { echo "# $left profiles after the flush" >&2; failed=1; }
[ "$unload" = ok ] || failed=1

per=$(awk -v a="$slab0" -v b="$slab1" -v n="$n" 'BEGIN { printf "%.0f", (b - a) / n }')
rate()
{
	awk -v c="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0) ? c / t : 0 }'
}
row()
{
	printf '%-28s %9s %12s\n' "$1" "$2" "$(rate "$3" "$2")"
}
echo "# profile table at scale: N=$n (max_profiles $limit), kernel $(uname -r)"
printf '%-28s %9s %12s\n' step seconds "per second"
row "add ($n, -batch)" "${fig[add]}" "$n"
row "dump text ($lines lines)" "${fig[dump_text]}" "$n"
row "dump JSON ($json_bytes B)" "${fig[dump_json]}" "$n"
row "get ($gets, -batch)" "${fig[get]}" "$gets"
row "del ($dels, -batch)" "${fig[del]}" "$dels"
row "flush ($after_del)" "${fig[flush]}" "$after_del"
cat <<EOF
slab memory: $slab1 B for $objs1 objects ($per B per profile); after flush $objs2 objects
  (objects in per-CPU slabs count as in use; the unload below destroys the caches)
one more past the limit: $full
module unload: $unload; kernel errors in dmesg: $kerr; $leak
EOF
cat >"$out/profile_scale.json" <<EOF
{"n": $n, "max_profiles": $limit, "kernel": "$(uname -r)",
 "seconds": {"add": ${fig[add]}, "dump_text": ${fig[dump_text]}, "dump_json": ${fig[dump_json]},
             "get": ${fig[get]}, "del": ${fig[del]}, "flush": ${fig[flush]}},
 "gets": $gets, "dels": $dels, "dump_json_bytes": $json_bytes,
 "slab_bytes": $slab1, "slab_objects": $objs1, "slab_bytes_per_profile": $per,
 "slab_objects_after_flush": $objs2, "past_limit": "$full", "unload": "$unload",
 "kernel_errors": $kerr}
EOF
exit $failed
