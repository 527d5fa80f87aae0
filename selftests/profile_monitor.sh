#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "dacc monitor" prints one line per change of its namespace's table, in
# order (add and replace, del, flush), as text and as JSON objects; refused
# requests and other namespaces' changes print nothing; it runs until killed.
. "$(dirname "$0")/lib.sh"

dacc_cli_setup t o
work=$(mktemp -d)
on_exit "rm -rf $work"

nsx_bg t "$DACC" monitor >"$work/text" 2>&1
text_pid=$!
on_exit "kill $text_pid"
nsx_bg t "$DACC" -j monitor >"$work/json" 2>&1
json_pid=$!
on_exit "kill $json_pid"
wait_for 10 nl_subscribed t $text_pid && wait_for 10 nl_subscribed t $json_pid ||
	t_fail "both monitors subscribed" "$(cat "$work/text" "$work/json")"

D profile add 10.0.0.0/8 rtt 1ms jitter 100us bw 10mbit loss 5ppm
D profile add 10.0.0.0/8 rtt 9ms 2>/dev/null	# refused: exists
D profile replace 10.0.0.0/8 rtt 2ms
D profile add fd00::/16 rtt 3ms source learned
D profile del 10.9.0.0/16 2>/dev/null		# refused: missing
"$DACC" -n "$(ns o)" profile add 10.5.0.0/16 rtt 5ms	# another namespace
D profile del 10.0.0.0/8
D profile flush source learned
D profile add 192.0.2.0/24 rtt 4ms
D profile flush
want="add 10.0.0.0/8 rtt 1ms jitter 100us bw 10Mbit loss 5ppm source static
add 10.0.0.0/8 rtt 2ms source static
add fd00::/16 rtt 3ms source learned
del 10.0.0.0/8 rtt 2ms source static
flush source learned
add 192.0.2.0/24 rtt 4ms source static
flush"
lines()
{
	[ "$(wc -l <"$1")" -ge "$2" ]
}
wait_for 10 lines "$work/text" 7
wait_for 10 lines "$work/json" 7
t_eq "text: one line per change, in order, nothing for refusals or other namespaces" \
	"$want" "$(cat "$work/text")"
got=$(python3 - "$work/json" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    print(" ".join("%s=%s" % (k, o[k]) for k in o))
PY
)
t_eq "JSON: one object per line with the same events" \
"event=add prefix=10.0.0.0/8 rtt_us=1000 rttvar_us=100 bw_bps=10000000 loss_ppm=5 source=static
event=add prefix=10.0.0.0/8 rtt_us=2000 rttvar_us=0 bw_bps=0 loss_ppm=0 source=static
event=add prefix=fd00::/16 rtt_us=3000 rttvar_us=0 bw_bps=0 loss_ppm=0 source=learned
event=del prefix=10.0.0.0/8 rtt_us=2000 rttvar_us=0 bw_bps=0 loss_ppm=0 source=static
event=flush source=learned
event=add prefix=192.0.2.0/24 rtt_us=4000 rttvar_us=0 bw_bps=0 loss_ppm=0 source=static
event=flush" "$got"
t_check "the monitors still run" kill -0 $text_pid $json_pid

# A burst: every event of a -batch arrives, none lost or repeated.
for i in $(seq 1 200); do
	echo "profile add 10.1.$i.0/24 rtt ${i}us"
done >"$work/burst"
D -batch "$work/burst"
wait_for 20 lines "$work/text" 207
t_eq "200 adds in a burst: 200 events, in order" \
	"$(seq 1 200 | sed 's|.*|add 10.1.&.0/24|')" \
	"$(tail -n +8 "$work/text" | awk '{print $1, $2}')"
t_done
