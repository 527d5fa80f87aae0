#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What tcp_input.c expects of a cong_control algorithm, on a 40 ms path at
# 50 Mbit/s (TCP_INFO sampled every 2 ms by daccperf):
#  - after an RTO the window comes back by what the ACKs deliver, not the
#    model's window at once (the first ACK released w/2);
#  - a spurious RTO after repeated ones is undone to the window before the
#    first (it was the last one's: w/4 after two);
#  - a route's initcwnd is the first flight (dacc set its own);
#  - a connection switched to dacc mid-flow keeps its window (it was reset).
. "$(dirname "$0")/lib.sh"

cc_flow_prereqs
perf=$TOP/bench/tools/daccperf
[ -x "$perf" ] || t_skip_all "bench/tools/daccperf not built"
work=$(mktemp -d)
on_exit "rm -rf $work"
ns_create a b || t_skip_all "cannot create namespaces"
veth_pair a eth0 10.61.0.1/24 b eth0 10.61.0.2/24 || t_skip_all "veth"
shape="delay 20ms limit 1000 rate 50mbit"
nsx a $TC qdisc replace dev eth0 root netem $shape
nsx b $TC qdisc replace dev eth0 root netem $shape
nsx a dacc profile add 10.61.0.0/24 rtt 40ms bw 50mbit

# flow NAME SECONDS [DACCPERF ARGS]: one flow a -> b, samples in NAME.txt.
flow()
{
	local name=$1 secs=$2

	shift 2
	nsx_bg b "$perf" -s -p 5950 -n 1 -o /dev/null
	wait_for 5 tcp_listening b 5950
	nsx a "$perf" -c 10.61.0.2 -p 5950 -t "$secs" -S 2 -o "$work/$name.txt" "$@"
	wait
}
# col FILE FROM TO N: column N of the samples between FROM and TO seconds.
col()
{
	awk -v a="$2" -v b="$3" -v n="$4" '!/^#/ && $1 >= a && $1 < b { print $n }' "$1"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }'; }

# An RTO: everything a -> b lost for 0.8 s from 3 s (two RTOs).
(sleep 3; nsx a $TC qdisc change dev eth0 root netem $shape loss 100%
 sleep 0.8; nsx a $TC qdisc change dev eth0 root netem $shape) &
flow rto 6 -C dacc
wait
w=$(col "$work/rto.txt" 2.5 3 2 | median)
# In Loss (state 4) the window opens by at most twice what was delivered
# since Loss began (slow start back), plus a few: cwnd - in flight, since the
# kernel's window at the RTO is what it still counts in flight, plus one
# (RACK does not mark packets sent within an RTT lost).  Delivered is counted
# from the last sample before Loss, at most what Loss began with.
bad=$(awk '!/^#/ && $7 != 4 { d0 = $9 }
	!/^#/ && $7 == 4 && $2 - $8 > 2 * ($9 - d0) + 8 {
		print $1 "s: cwnd " $2 ", " $8 " in flight, after " $9 - d0 " delivered"; exit
	}' "$work/rto.txt")
nloss=$(awk '!/^#/ && $7 == 4' "$work/rto.txt" | wc -l)
if [ "$nloss" -gt 0 ] && [ -z "$bad" ]; then
	t_ok "after an RTO the window grows by what is delivered ($nloss samples in Loss; w was $w)"
else
	t_fail "after an RTO the window grows by what is delivered" \
		"expected cwnd - in flight <= 2 x delivered + 8 in Loss (w before: $w; $nloss samples in Loss)" \
		"got ${bad:-no sample in Loss}"
	# time cwnd state in-flight delivered, from just before Loss
	awk '!/^#/ { v[NR] = $1 " " $2 " " $7 " " $8 " " $9 } !/^#/ && $7 == 4 && !e { e = NR }
	     END { for (i = e - 4; e && i < e + 36; i++) if (i in v) print "#   " v[i] }' \
		"$work/rto.txt"
fi

# A spurious RTO after two: the ACKs b -> a sent from 3 s to 4.2 s arrive
# 1 s late.  RTOs fire at about 3.25 and 3.75 s; the first late ACK comes at
# 4.02 s and echoes an original's timestamp, so the kernel takes the RTOs for
# spurious and undoes (TcpExtTCPLossUndo).  The delay ends between the second
# retransmission's ACK and the third RTO: an ACK sent after it would overtake
# the late ones and echo a retransmission (a real loss, not undone).
tcpext() { nsx a awk -v k="$1" '/^TcpExt:/ { if (!n) { split($0, h); n = 1 } else for (i = 2; i <= NF; i++) if (h[i] == k) print $i }' /proc/net/netstat; }
undo0=$(tcpext TCPLossUndo) rto0=$(tcpext TCPTimeouts)
(sleep 3; nsx b $TC qdisc change dev eth0 root netem delay 1020ms limit 1000 rate 50mbit
 sleep 1.2; nsx b $TC qdisc change dev eth0 root netem $shape) &
flow spurious 6 -C dacc
wait
undos=$(($(tcpext TCPLossUndo) - undo0)) rtos=$(($(tcpext TCPTimeouts) - rto0))
# The window before the first RTO: the last sample outside loss recovery
# (Open or Disorder) before Loss.  A loss just before it (the delay's change
# can cost a packet) is the window's own business, not the undo's.
w=$(awk '!/^#/ && $7 < 2 { c = $2 } !/^#/ && $1 > 3.2 && $7 == 4 { print c; exit }' "$work/spurious.txt")
# The window in the 100 ms after Loss ends (an ACK just after the undo may
# open Recovery, whose first window is what is in flight): the largest.
after=$(awk '!/^#/ && $1 > 3.2 && $7 == 4 { l = 1; next }
	l && $7 != 4 && !e { e = $1 } e && $1 <= e + 0.1 && $2 > m { m = $2 }
	e && $1 > e + 0.1 { exit } END { if (e) print m }' "$work/spurious.txt")
if [ "$undos" -gt 0 ] && [ -n "$after" ] && [ -n "$w" ] && [ "$after" -ge $((w * 8 / 10)) ]; then
	t_ok "a spurious RTO is undone to the window before the first ($after of $w; $rtos RTOs)"
elif [ "$undos" -eq 0 ]; then
	t_skip "a spurious RTO is undone" "the kernel did not take the RTOs for spurious ($rtos RTOs, no undo)"
else
	t_fail "a spurious RTO is undone to the window before the first" \
		"expected >= 0.8 x ${w:-(no sample before Loss)} within 100 ms of Loss ending ($rtos RTOs, $undos undone)" "got ${after:-no sample after Loss}"
	# what the socket did around the end of Loss: time cwnd state in-flight delivered
	awk '!/^#/ { t[NR] = $1; v[NR] = $1 " " $2 " " $7 " " $8 " " $9 }
	     !/^#/ && $1 > 3.2 && $7 == 4 { l = 1 } l && $7 != 4 && !e { e = NR }
	     END { for (i = e - 4; e && i < e + 36; i++) if (i in v) print "#   " v[i] }' \
		"$work/spurious.txt"
fi

# A route's initcwnd: the first flight, before the first ACK of data.
nsx a $IP route replace 10.61.0.0/24 dev eth0 initcwnd 6
flow initcwnd 1 -C dacc
first=$(awk '!/^#/ && $4 > 0 && $9 <= 2 { print $2; exit }' "$work/initcwnd.txt")
t_eq "a route's initcwnd 6 is dacc's first window (the hint's BDP was)" 6 "$first"
nsx a $IP route replace 10.61.0.0/24 dev eth0

# A switch to dacc mid-flow: cubic for 3 s, then dacc keeps the window.
nsx a dacc profile replace 10.61.0.0/24 rtt 40ms
flow switch 5 -C cubic -X dacc@3
w=$(col "$work/switch.txt" 2.6 2.99 2 | median)
after=$(col "$work/switch.txt" 3.01 3.04 2 | head -n 1)
if [ -n "$after" ] && [ "$after" -ge $((w * 7 / 10)) ]; then
	t_ok "a connection switched to dacc keeps its window ($after of $w)"
else
	t_fail "a connection switched to dacc keeps its window" \
		"expected >= 0.7 x $w just after the switch" "got ${after:-no sample}"
fi
t_done
