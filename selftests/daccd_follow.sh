#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# daccd follows a path change: far's RTT goes from 100 ms to 60 ms (netem on
# both ends of its link) and the kernel's profile follows within 30 s, then
# back up to 100 ms; a single delayed probe moves nothing.
#
#   snd [daccd sender] --- r1 ==== r2 --eth3-- far [daccd reflector]
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daccd_lib.sh"

P=10.3.0.0/24
[ -x "$DACCD" ] || t_skip_all "daccd not built"
[ -x "$DACC" ] || t_skip_all "dacc not built"
module_load || t_skip_all "cannot load $DACC_KO"
topo_create || { t_fail "topology" "topo_create failed"; t_done; }

far_delay()
{
	delay_link r2 eth3 far eth0 "$1"
}

nsx far $TC qdisc replace dev eth0 root handle 1: prio bands 2 \
	priomap 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 &&
nsx far $TC qdisc add dev eth0 parent 1:1 handle 10: netem delay 350ms limit 100000 &&
nsx far $TC qdisc add dev eth0 parent 1:2 handle 20: netem delay 50ms limit 100000 ||
	{ t_fail "far's prio qdisc" "got: $(nsx far $TC qdisc show dev eth0)"; t_done; }

daccd_conf_reflector far
daccd_start far far
daccd_conf snd "$DACCD_FAST
destinations = ( { prefix = \"$P\"; targets = [\"10.3.0.2\"]; method = \"stamp\"; } );"
daccd_start snd snd
if ! wait_for 30 prof_learned snd $P; then
	t_fail "far learned" "expected: a learned profile for $P" "got: $(nsx snd "$DACC" profile show 2>&1)"
	t_done
fi
r0=$(prof snd $P rtt_us)
t_check "far learned: $r0 us (netem 100000 us)" within_path "$r0" 100000 "$r0"
overhead=$((r0 - 100000))
[ $overhead -lt 0 ] && overhead=0

# Exactly one probe's reply held up 300 ms in far's qdisc, the next ones
# not: a police action whose bucket holds one reply (and refills at 2 bytes
# a second) sends the first UDP packet to a band that adds 300 ms; what
# exceeds it is left to the priomap, all of which is the usual 50 ms band.
# The filter is the only change: the qdiscs are in place from the start,
# since while a tree is being built its bands are plain FIFOs.
# (Switching netem's delay for a probe interval instead delays every probe
# sent while the two tc commands run, which on a loaded host is several.)
one_slow_reply()
{
	local pkt=$((14 + 20 + 8 + 44))	# Ethernet, IPv4, UDP, STAMP

	nsx far $TC filter add dev eth0 parent 1: protocol ip prio 1 u32 \
		match ip protocol 17 0xff flowid 1:1 \
		action police rate 16bit burst $((pkt * 3 / 2)) mtu 64k conform-exceed continue/ok
}
held()
{
	nsx far $TC -s qdisc show dev eth0 parent 1:1 | awk '$1 == "Sent" { print $4 }'
}
samples()
{
	daccd_metric snd "daccd_dest_samples_total{prefix=\"$P\"}"
}
wait_for 5 metric_cmp snd daccd_pushes_total -ge 1
# a settled estimate first (20 samples), to see whether the outlier raises it
wait_for 10 metric_cmp snd "daccd_dest_samples_total{prefix=\"$P\"}" -ge 20
changes0=$(daccd_metric snd daccd_path_changes_total)
e0=$(daccd_metric snd "daccd_dest_base_rtt_us{prefix=\"$P\"}")
n0=$(samples)
if ! one_slow_reply; then
	t_fail "one reply delayed" "expected: far's prio/netem/police qdisc" \
		"got: $(nsx far $TC qdisc show dev eth0; nsx far $TC filter show dev eth0)"
	t_done
fi
wait_for 20 metric_cmp snd "daccd_dest_samples_total{prefix=\"$P\"}" -ge $((n0 + 15))
slow=$(held)
nsx far $TC qdisc replace dev eth0 root netem delay 50ms limit 100000
t_eq "exactly one reply went through the 350 ms band" 1 "$slow"
mx=$(daccd_metric snd "daccd_dest_max_rtt_us{prefix=\"$P\"}")
t_check "the delayed probe was sampled (max ${mx} us)" test "${mx:-0}" -ge 300000
r1=$(prof snd $P rtt_us)
# (figures: under a debug kernel its own delays move a profile by more
# than 1 % and can look like a path change)
t_figures
t_check "profile not moved by a delayed probe ($r0 -> $r1 us)" near_us "$r1" "$r0"
t_figures_end
e1=$(daccd_metric snd "daccd_dest_base_rtt_us{prefix=\"$P\"}")
# an outlier can only raise an estimate: it must not have
t_check "estimate not raised by a delayed probe ($e0 -> $e1 us)" \
	test "$e1" -le $((e0 + (e0 / 100 > 250 ? e0 / 100 : 250)))
t_figures
t_eq "no path change for a delayed probe" "$changes0" "$(daccd_metric snd daccd_path_changes_total)"
t_figures_end
[ "$changes0" = "$(daccd_metric snd daccd_path_changes_total)" ] ||
	grep -e 'msg="path change"' -e 'msg=sample' "$DACCD_TMP/snd/log" | tail -30 | sed 's/^/# /'

# 100 ms -> 60 ms
follows()
{
	local got

	got=$(prof snd $P rtt_us)
	within "$got" "$1" || within "$got" $(($1 + overhead))
}
t0=$(date +%s)
far_delay 30ms
if wait_for 30 follows 60000; then
	t_ok "100 -> 60 ms followed in $(($(date +%s) - t0)) s: $(prof snd $P rtt_us) us"
else
	t_fail "100 -> 60 ms followed within 30 s" "expected: 60000 us (+ ${overhead} us)" \
		"got:      $(prof snd $P rtt_us) us"
fi
t_check "a path change was detected" wait_for 10 metric_cmp snd daccd_path_changes_total -gt "$changes0"
t_eq "the profile is still a learned one" learned "$(prof snd $P source)"

# 60 ms -> 100 ms
t0=$(date +%s)
far_delay 50ms
if wait_for 30 follows 100000; then
	t_ok "60 -> 100 ms followed in $(($(date +%s) - t0)) s: $(prof snd $P rtt_us) us"
else
	t_fail "60 -> 100 ms followed within 30 s" "expected: 100000 us (+ ${overhead} us)" \
		"got:      $(prof snd $P rtt_us) us"
fi
t_check "sender alive" daccd_alive snd
t_done
