#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the VM: the three sites of DESIGN.md and a 20 MB transfer
# to `far` (100 ms RTT, 100 Mbit/s bottleneck, 1 BDP of buffer) with cubic,
# bbr and dacc, one after another on the same path.
. /dacc/selftests/lib.sh >/dev/null

insmod /dacc/kmod/tcp_dacc.ko || exit 1
modprobe tcp_bbr
modprobe sch_fq
echo "# building: snd -- r1 ==100 Mbit/s== r2 -- near (2 ms) / metro (20 ms) / far (100 ms)"
topo_create || { echo "topology failed"; exit 1; }
for s in near:10.1.0.2 metro:10.2.0.2 far:10.3.0.2; do
	rtt=$(nsx snd ping -c 3 -i 0.2 -q "${s#*:}" | awk -F/ '/min\/avg/ { print $4 }')
	printf '# %-6s %-9s ping %s ms\n' "${s%%:*}" "${s#*:}" "$rtt"
done
nsx snd $TC qdisc replace dev eth0 root fq
echo
printf '%-6s %10s %12s %10s\n' algo "time (s)" "Mbit/s" retrans
for cc in cubic bbr dacc; do
	nsx_bg far iperf3 -s -1 -p 5201 >/dev/null 2>&1
	wait_for 5 tcp_listening far 5201
	json=$(nsx snd timeout 120 iperf3 -c 10.3.0.2 -p 5201 -C $cc -n 20M -J)
	python3 - "$cc" <<PY
import json, sys
e = json.loads('''$json''')["end"]
r = e["sum_received"]
print("%-6s %10.2f %12.1f %10d" % (sys.argv[1], r["seconds"], r["bits_per_second"] / 1e6,
      e["sum_sent"].get("retransmits", 0)))
PY
	sleep 1
done
echo
echo "# time: seconds until the receiver had all 20 MB; the ideal is about"
echo "# 0.1 s (handshake) + 1.68 s (20 MB at 100 Mbit/s) + 0.05 s = 1.83 s."
