#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dacc gives the queue back when the loss-based flow leaves.  Two dacc flows
# and a cubic flow share a 20 Mbit/s bottleneck to metro (buffer: 100 ms);
# cubic fills the buffer and dacc competes for its share.  cubic stops after
# 8 s; 11 s later the RTT must be the path's plus the two dacc flows' small
# backlog (2 x 8 packets: about 10 ms at 20 Mbit/s), not a full buffer.
# A flow checks for the competitor at the ticks of a 4.2 s grid, at least
# 1 s after it entered COMPETE: two flows that entered on either side of a
# tick check apart once (each finds the other's queue) and together at the
# next, 8.4 s at worst after cubic left.  Waiting 8 s, one run of make
# check found 99 ms.
# (That two dacc flows in COMPETE check together, on a grid of the host's
# clock, so that neither keeps the queue up for the other, is shown by the
# model test test_sim_two_compete_unlock.)
#
#   snd ==20 Mbit/s, 166 packets==> r1 -> r2 -> metro (RTT 20 ms)
. "$(dirname "$0")/lib.sh"

cc_flow_prereqs

BOTTLENECK_RATE=20mbit BOTTLENECK_LIMIT=166
t_check "topology with a 20 Mbit/s bottleneck, 100 ms of buffer" topo_create
t_check "dacc profile add 10.2.0.0/24 rtt 20ms bw 20mbit (in snd)" \
	nsx snd dacc profile add 10.2.0.0/24 rtt 20ms bw 20mbit

for p in 5501 5502 5503; do
	nsx_bg metro iperf3 -s -1 -p $p >/dev/null 2>&1
done
for p in 5501 5502 5503; do
	wait_for 5 tcp_listening metro $p || t_fail "iperf3 server on port $p"
done
nsx_bg snd iperf3 -c 10.2.0.2 -p 5501 -C dacc -t 24 >/dev/null 2>&1
d1=$!
nsx_bg snd iperf3 -c 10.2.0.2 -p 5502 -C dacc -t 24 >/dev/null 2>&1
d2=$!
nsx_bg snd iperf3 -c 10.2.0.2 -p 5503 -C cubic -t 8 >/dev/null 2>&1
c=$!
sleep 6
# Both dacc flows hold their share against cubic (COMPETE): pacing_gain
# does not show the mode, the queue does; ping's RTT while cubic runs.
during=$(nsx snd ping -i 0.1 -c 10 10.2.0.2 | grep -o 'time=[0-9.]*' | cut -d= -f2 |
	sort -g | head -n 5 | tail -n 1)
wait $c
sleep 11
after=$(nsx snd ping -i 0.1 -c 30 10.2.0.2 | grep -o 'time=[0-9.]*' | cut -d= -f2 |
	sort -g | head -n 15 | tail -n 1)
wait $d1 $d2
echo "# median RTT: ${during:-?} ms beside cubic, ${after:-?} ms after it left (path: 20 ms)"
if awk -v d="${during:-0}" 'BEGIN { exit !(d >= 40) }'; then
	t_ok "cubic filled the buffer: RTT ${during} ms"
else
	t_fail "cubic filled the buffer" "RTT >= 40 ms" "got: ${during:-nothing}"
fi
# Measured 29.8-30.1 ms, 31.5 with the host's CPUs busy; beside cubic,
# 96-113 ms.  40 ms leaves room for the hosts and none for a flow that
# keeps 20 ms of queue.
t_figures
if awk -v a="${after:-999}" 'BEGIN { exit !(a <= 40) }'; then
	t_ok "after cubic left, the dacc flows gave the queue back: RTT ${after} ms"
else
	t_fail "after cubic left, the dacc flows gave the queue back" "RTT <= 40 ms" \
		"got: ${after:-nothing}"
fi
t_figures_end
t_done
