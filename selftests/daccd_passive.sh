#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Passive learning alone: with probes disabled, daccd learns far's base RTT
# from the tcpi_min_rtt of an iperf3 transfer's sockets (sock_diag), and
# nothing about metro, where no traffic goes.
#
#   snd [daccd, passive only, iperf3 client] --- r1 ==== r2 --- far [iperf3 -s]
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daccd_lib.sh"

P=10.3.0.0/24
[ -x "$DACCD" ] || t_skip_all "daccd not built"
[ -x "$DACC" ] || t_skip_all "dacc not built"
module_load || t_skip_all "cannot load $DACC_KO"
topo_create || { t_fail "topology" "topo_create failed"; t_done; }

daccd_conf snd "probe = { enabled = false; };
passive = { enabled = true; interval_ms = 300; };
estimator = { min_samples = 8; stale_ms = 3000; };
push = { kernel_poll_ms = 500; };
destinations = (
  { prefix = \"$P\"; method = \"passive\"; },
  { prefix = \"10.2.0.0/24\"; method = \"passive\"; }
);"
daccd_start snd snd
t_check "sender daccd up" daccd_alive snd

nsx_bg far iperf3 -s -1 -p 5301 >/dev/null 2>&1
wait_for 5 tcp_listening far 5301
nsx_bg snd iperf3 -c 10.3.0.2 -p 5301 -b 20M -t 6 >/dev/null 2>&1
on_exit "kill $!"
if wait_for 30 prof_learned snd $P; then
	got=$(prof snd $P rtt_us)
	if within "$got" 100000; then
		t_ok "far learned from TCP alone: $got us (netem 100000 us)"
	else
		t_fail "far learned within max(5%, 0.5 ms)" "expected: 100000 us" "got:      $got us"
	fi
else
	t_fail "far learned from TCP" "expected: a learned profile for $P" \
		"got: $(nsx snd "$DACC" profile show 2>&1)"
fi
t_check "samples came from sock_diag" wait_for 5 metric_cmp snd daccd_passive_samples_total -ge 8
t_eq "no STAMP probe sent" 0 "$(daccd_metric snd 'daccd_probes_sent_total{method="stamp"}')"
t_eq "no ICMP probe sent" 0 "$(daccd_metric snd 'daccd_probes_sent_total{method="icmp"}')"
t_eq "metro (no traffic) not learned" "" "$(prof snd 10.2.0.0/24 source)"

# One peer with 16 connections is one sample per dump, not 16: it must not
# fill a prefix's window on its own.
M=10.2.0.0/24
nsx_bg metro iperf3 -s -1 -p 5302 >/dev/null 2>&1
wait_for 5 tcp_listening metro 5302
nsx_bg snd iperf3 -c 10.2.0.2 -p 5302 -P 16 -b 1M -t 5 >/dev/null 2>&1
ipid=$!
on_exit "kill $ipid"
wait_for 10 test "$(nsx snd $SS -Htn state established dst 10.2.0.2 | wc -l)" -ge 17
s0=$(daccd_metric snd "daccd_dest_samples_total{prefix=\"$M\"}") d0=$(daccd_metric snd daccd_passive_dumps_total)
sleep 2.5
s1=$(daccd_metric snd "daccd_dest_samples_total{prefix=\"$M\"}") d1=$(daccd_metric snd daccd_passive_dumps_total)
conns=$(nsx snd $SS -Htn state established dst 10.2.0.2 | wc -l)
t_check "one peer, $conns connections: $((${s1:-0} - ${s0:-0})) samples in $((d1 - d0)) dumps" \
	test $((${s1:-0} - ${s0:-0})) -le $((d1 - d0 + 1)) -a $((d1 - d0)) -ge 3
wait $ipid 2>/dev/null
t_check "sender alive" daccd_alive snd
t_done
