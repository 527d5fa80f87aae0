#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A dacc flow picks up its destination's profile at connection start: ss -ti
# shows the profile's base RTT as the flow's mrtt (not the flow's own
# measurement), a flow without a profile shows its own minimum, and the
# profile's counters see the flow.
#
#   snd --- r1 ==bottleneck== r2 --+-- metro (RTT 20 ms, no profile)
#                                  +-- far   (RTT 100 ms, profile: rtt 97ms)
. "$(dirname "$0")/lib.sh"

cc_flow_prereqs
t_check "topology snd - r1 - r2 - {near, metro, far}" topo_create
# 97 ms, below the path's 100 ms: dacc takes up to 1 ms + 1/64 of the
# profile above it for the hosts' own latency, so its base is
# 97 + 1.515 + 1 = 99.515 ms, a figure the flow cannot measure itself (its
# own minimum is about 100.5 ms), and the 1 ms above that is a standing queue
# it never saw drain.  Within the 1/8 dacc trusts.
t_check "dacc profile add 10.3.0.0/24 rtt 97ms bw 100mbit (in snd)" \
	nsx snd dacc profile add 10.3.0.0/24 rtt 97ms bw 100mbit

# mrtt of the BBR block ss -ti prints for dacc flows to PORT, in ms.
ss_mrtt()
{
	nsx snd $SS -tin state established dport = :"$1" |
		grep -o 'mrtt:[0-9.]*' | head -n 1 | cut -d: -f2
}

mrtt_known()
{
	[ -n "$(ss_mrtt "$1")" ]
}

mrtt_is()
{
	[ "$(ss_mrtt "$1")" = "$2" ]
}

flow_start()
{
	local ns=$1 addr=$2 port=$3

	nsx_bg "$ns" iperf3 -s -1 -p "$port" >/dev/null 2>&1
	wait_for 5 tcp_listening "$ns" "$port" || return 1
	# 60 s, killed at exit: both flows still run when they are checked,
	# however slowly the VM starts them (6 s flows had ended on a loaded host)
	nsx_bg snd iperf3 -c "$addr" -p "$port" -C dacc -b 20M -t 60 >/dev/null 2>&1
	on_exit "kill $!"
	wait_for 10 conn_established snd "$port" && wait_for 5 mrtt_known "$port"
}

t_check "dacc flow to far (profile) established" flow_start far 10.3.0.2 5301
t_check "dacc flow to metro (no profile) established" flow_start metro 10.2.0.2 5302
# iperf3's control connection is the namespace's default (cubic); its data
# connection is dacc.
t_check "ss -ti shows dacc for the flow to far" grep -qw dacc <<<"$(conn_ccs snd 5301)"
# The flow's first own minimum is its handshake's RTT, and until the first
# ss sample the flow may have none: give the samples up to 5 s (any own
# minimum above 99.515 ms gives that base).
wait_for 5 mrtt_is 5301 99.515
t_eq "mrtt of the flow to far is the profile's base RTT + host latency" 99.515 "$(ss_mrtt 5301)"
m=$(ss_mrtt 5302)
if awk -v m="${m:-0}" 'BEGIN { exit !(m >= 20 && m < 30) }'; then
	t_ok "mrtt of the flow to metro is its own minimum (${m} ms)"
else
	t_fail "mrtt of the flow to metro is its own minimum" "expected 20..30 ms" "got: ${m:-nothing}"
fi
# The profile table counts lookups and hits: one flow found its profile
# (far), one looked and found none (metro).
stats=$(nsx snd dacc -j stats 2>&1)
hits=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["hits"])' <<<"$stats" 2>/dev/null)
lookups=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["lookups"])' <<<"$stats" 2>/dev/null)
t_eq "dacc stats: one flow found its profile" 1 "$hits"
t_eq "dacc stats: two flows looked one up" 2 "$lookups"
t_done
