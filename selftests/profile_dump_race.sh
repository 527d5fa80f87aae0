#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A dump racing with adds and deletes from another process completes without
# error, every time: each profile present throughout (the anchors) appears
# exactly once, nothing appears twice, and the order is the kernel's
# (family, prefix length, address).  The dump spans many messages, so the
# writer changes the table between its parts.
. "$(dirname "$0")/lib.sh"

dacc_cli_setup
work=$(mktemp -d)
on_exit "rm -rf $work"

# Anchors: 600 IPv4 and 200 IPv6 profiles nobody touches.
{
	for i in $(seq 0 599); do
		echo "profile add 10.9.$((i / 200)).$((i % 200)) rtt 1ms"
	done
	for i in $(seq 0 199); do
		printf 'profile add fd00:9::%x rtt 1ms\n' "$i"
	done
} >"$work/anchors"
D -batch "$work/anchors"
t_eq "800 anchors" 800 "$(D profile show | wc -l)"

# The writer: adds and deletes 400 prefixes that sort before, between and
# after the anchors, over and over, until told to stop.
{
	for i in $(seq 0 199); do
		echo "profile add 10.8.$i.0/24 rtt 2ms"
		echo "profile add 10.9.$((i / 200)).$((200 + i % 50)) rtt 2ms"
		printf 'profile add fd00:8::%x rtt 2ms\n' "$i"
	done
	for i in $(seq 0 199); do
		echo "profile del 10.8.$i.0/24"
		echo "profile del 10.9.$((i / 200)).$((200 + i % 50))/32"
		printf 'profile del fd00:8::%x/128\n' "$i"
	done
} | awk '!seen[$0]++' >"$work/churn"
(
	n=0
	while [ ! -e "$work/stop" ]; do
		"$DACC" -n "$(ns t)" -batch "$work/churn" >/dev/null 2>>"$work/writer.err" || exit 1
		n=$((n + 1))
		echo $n >"$work/rounds"
	done
) &
writer=$!
on_exit "kill $writer"
wait_for 30 test -s "$work/rounds"

fails=0
for i in $(seq 1 15); do
	if ! D -j profile show >"$work/dump.$i" 2>"$work/dump.$i.err"; then
		fails=$((fails + 1))
	fi
done
touch "$work/stop"
wait $writer
wrc=$?
t_eq "15 dumps during the churn exited 0" 0 "$fails"
t_eq "the writer kept going without error ($(cat "$work/rounds") rounds)" 0 \
	"$wrc$(cat "$work/writer.err")"
bad=$(python3 - "$work" <<'PY'
import ipaddress, json, sys
w = sys.argv[1]
anchors = set()
for l in open(w + "/anchors"):
    a = ipaddress.ip_address(l.split()[2])
    anchors.add("%s/%d" % (a, a.max_prefixlen))
bad = []
sizes = []
for i in range(1, 16):
    try:
        doc = json.load(open("%s/dump.%d" % (w, i)))
    except ValueError as e:
        bad.append("dump %d: not JSON: %s" % (i, e))
        continue
    got = [o["prefix"] for o in doc]
    sizes.append(len(got))
    nets = [ipaddress.ip_network(p) for p in got]
    key = [(n.version, n.prefixlen, n.network_address) for n in nets]
    if key != sorted(key):
        bad.append("dump %d: out of order" % i)
    if len(set(got)) != len(got):
        bad.append("dump %d: repeats %s" % (i, sorted(p for p in set(got) if got.count(p) > 1)[:3]))
    missing = anchors - set(got)
    if missing:
        bad.append("dump %d: misses %d anchors, e.g. %s" % (i, len(missing), sorted(missing)[:3]))
print("\n".join(bad) if bad else "sizes " + " ".join(map(str, sizes)))
PY
)
case $bad in
"sizes "*) t_ok "every dump: all anchors once, no repeats, in order"
	   echo "# dump sizes: ${bad#sizes }" ;;
*) t_fail "every dump: all anchors once, no repeats, in order" "$bad" ;;
esac
t_eq "no dump warned of an inconsistent table" "" "$(cat "$work"/dump.*.err)"
sizes=$(echo "${bad#sizes }" | tr ' ' '\n' | sort -un | wc -l)
[ "$sizes" -gt 1 ] && t_ok "the dumps saw the table change ($sizes distinct sizes)" ||
	t_skip "the dumps saw the table change" "the writer was too slow to interleave"
t_done
