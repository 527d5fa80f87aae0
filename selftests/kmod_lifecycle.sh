#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The profile tables' lifecycle: bounded by max_profiles (ENOSPC, nothing
# changed), freed with their namespace, and freed when the module goes with
# profiles still present; a reloaded module starts empty.
. "$(dirname "$0")/lib.sh"

DACC=${DACC:-$TOP/userspace/dacc/dacc}
[ -x "$DACC" ] || t_skip_all "dacc CLI not built"
module_unload
module_load || t_skip_all "tcp_dacc.ko does not load"
param=/sys/module/tcp_dacc/parameters/max_profiles

# batch_file N OCTET: N /32 profiles under 10.OCTET.0.0/16.
batch_file()
{
	local i

	for ((i = 0; i < $1; i++)); do
		echo "profile add 10.$2.$((i / 256)).$((i % 256))/32 rtt $((i % 900 + 100))us"
	done
}
# The table without the fields that move by themselves (age, counters).
snapshot()
{
	$DACC -j profile show | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    p.pop("age_ms", None); p.pop("stats", None)
    print(json.dumps(p, sort_keys=True))'
}
count()
{
	$DACC ${1:+-n $1} -j stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["profiles"])'
}

t_eq "max_profiles defaults to 65536" 65536 "$(cat $param)"
echo 100 >$param
batch_file 100 1 >/tmp/b100
t_check "100 profiles fit a limit of 100" $DACC -batch /tmp/b100
before=$(snapshot)
out=$($DACC profile add 10.2.0.0/16 rtt 5ms 2>&1)
rc=$?
case "$rc:$out" in
1:*"full"*) t_ok "the 101st is refused: $out" ;;
*) t_fail "the 101st profile is refused with ENOSPC" "expected exit 1 and \"...full...\"" "got: $rc: $out" ;;
esac
after=$(snapshot)
if [ "$before" = "$after" ] && [ "$(wc -l <<<"$after")" = 100 ]; then
	t_ok "the refused add changed nothing (100 profiles, same content)"
else
	t_fail "the refused add changed nothing" "expected the same 100 profiles" \
		"got $(wc -l <<<"$after") profiles, diff: $(diff <(echo "$before") <(echo "$after") | head -5)"
fi
t_check "replacing a profile at the limit still works" \
	$DACC profile replace 10.1.0.0/32 rtt 7ms
echo 65536 >$param
t_check "flush" $DACC profile flush
t_eq "table empty after flush" 0 "$(count)"

ns_create a b c
batch_file 1000 3 >/tmp/b1000
for n in a b c; do
	$IP netns exec "$(ns $n)" $DACC -batch /tmp/b1000 || t_fail "1000 profiles in namespace $n"
done
t_eq "namespace a holds its 1000 profiles" 1000 "$(count "$(ns a)")"
t_eq "namespace c holds its 1000 profiles" 1000 "$(count "$(ns c)")"
t_eq "the initial namespace holds none of them" 0 "$(count)"
t_check "deleting namespace b with 1000 profiles" $IP netns del "$(ns b)"
t_eq "namespace a is untouched" 1000 "$(count "$(ns a)")"
$DACC profile add 10.9.0.0/16 rtt 1ms
t_check "rmmod with profiles in three namespaces" wait_for 10 rmmod tcp_dacc
t_check "insmod again" module_load
t_eq "the reloaded module starts with an empty table (a)" 0 "$(count "$(ns a)")"
t_eq "the reloaded module starts with an empty table (init)" 0 "$(count)"
t_check "rmmod" rmmod tcp_dacc
t_done
