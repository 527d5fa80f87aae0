#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A bulk transfer with dacc over the DESIGN.md topology to `far` (100 ms RTT,
# 100 Mbit/s bottleneck) completes, and iperf3 reports dacc as its algorithm.
. "$(dirname "$0")/lib.sh"

module_load || t_skip_all "tcp_dacc.ko does not load"
t_check "topology snd - r1 - r2 - {near, metro, far}" topo_create
rtt=$(nsx snd ping -c 3 -i 0.2 -q 10.3.0.2 | awk -F/ '/min\/avg/ { printf "%d", $4 }')
if [ -n "$rtt" ] && [ "$rtt" -ge 99 ] && [ "$rtt" -le 130 ]; then
	t_ok "ping snd -> far: ${rtt} ms (netem 2 x 50 ms)"
else
	t_fail "ping snd -> far is about 100 ms" "expected 99..130 ms" "got: ${rtt:-nothing} ms"
fi
nsx far iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
wait_for 5 tcp_listening far 5201
json=$(nsx snd timeout 60 iperf3 -c 10.3.0.2 -p 5201 -C dacc -n 10M -J 2>&1)
rc=$?
t_eq "iperf3 10 MB to far with -C dacc exits 0" 0 "$rc"
cc=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sender_tcp_congestion"])' <<<"$json" 2>/dev/null)
t_eq "iperf3 reports the sender's algorithm" dacc "$cc"
# iperf3 -n stops at the first whole 128 KiB write that reaches the mark
# (its receiver's count stops at the test's end, before the last bytes)
sent=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_sent"]["bytes"])' <<<"$json" 2>/dev/null)
if [ -n "$sent" ] && [ "$sent" -ge 10485760 ] && [ "$sent" -le $((10485760 + 131072)) ]; then
	t_ok "the sender sent all 10 MiB ($sent bytes)"
else
	t_fail "the sender sent all 10 MiB" "expected 10485760 bytes, at most one 128 KiB write more" \
		"got ${sent:-nothing}"
fi
mbps=$(python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6))' <<<"$json" 2>/dev/null)
echo "# goodput ${mbps:-?} Mbit/s"
t_done
