#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A static profile set by the operator with dacc is never overwritten by
# daccd: neither one set before daccd starts (far) nor one that replaces a
# learned profile while daccd runs (metro).
#
#   snd [daccd sender] --- r1 ==== r2 --+-- metro, far [daccd reflectors]
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daccd_lib.sh"

[ -x "$DACCD" ] || t_skip_all "daccd not built"
[ -x "$DACC" ] || t_skip_all "dacc not built"
module_load || t_skip_all "cannot load $DACC_KO"
topo_create || { t_fail "topology" "topo_create failed"; t_done; }

for n in metro far; do
	daccd_conf_reflector $n
	daccd_start $n $n
done
# operator_sets PREFIX RTT_US CMD...: dacc CMD succeeds and the kernel then
# holds the static profile
operator_sets()
{
	local p=$1 us=$2

	shift 2
	nsx snd timeout 10 "$DACC" "$@" || return 1
	[ "$(prof snd "$p" rtt_us) $(prof snd "$p" source)" = "$us static" ]
}
t_check "operator sets far static (77 ms)" operator_sets 10.3.0.0/24 77000 \
	profile add 10.3.0.0/24 rtt 77ms
daccd_conf snd "$DACCD_FAST
destinations = (
  { prefix = \"10.2.0.0/24\"; targets = [\"10.2.0.2\"]; method = \"stamp\"; },
  { prefix = \"10.3.0.0/24\"; targets = [\"10.3.0.2\"]; method = \"stamp\"; }
);"
daccd_start snd snd
t_check "metro learned" wait_for 30 prof_learned snd 10.2.0.0/24
t_check "operator replaces metro with a static 33 ms" operator_sets 10.2.0.0/24 33000 \
	profile replace 10.2.0.0/24 rtt 33ms source static

samples()
{
	daccd_metric snd "daccd_dest_samples_total{prefix=\"$1\"}"
}
trusted_both()
{
	[ "$(daccd_metric snd 'daccd_dest_static{prefix="10.3.0.0/24"}')" = 1 ] &&
		[ "$(daccd_metric snd 'daccd_dest_static{prefix="10.2.0.0/24"}')" = 1 ]
}
n2=$(samples 10.2.0.0/24)
n3=$(samples 10.3.0.0/24)
# daccd goes on learning both, with trustworthy estimates far from the
# static values, for 20 more samples each
t_check "daccd saw both static profiles" wait_for 20 trusted_both
wait_for 30 metric_cmp snd 'daccd_dest_samples_total{prefix="10.2.0.0/24"}' -ge $((n2 + 20))
wait_for 30 metric_cmp snd 'daccd_dest_samples_total{prefix="10.3.0.0/24"}' -ge $((n3 + 20))
e3=$(daccd_metric snd 'daccd_dest_base_rtt_us{prefix="10.3.0.0/24"}')
t_check "daccd's own far estimate differs ($e3 us)" within "$e3" 100000
t_eq "far: static 77 ms untouched" "77000 static" \
	"$(prof snd 10.3.0.0/24 rtt_us) $(prof snd 10.3.0.0/24 source)"
t_eq "metro: static 33 ms untouched" "33000 static" \
	"$(prof snd 10.2.0.0/24 rtt_us) $(prof snd 10.2.0.0/24 source)"
t_check "skipped pushes counted" test "$(daccd_metric snd daccd_push_skipped_static_total)" -ge 1
t_check "sender alive" daccd_alive snd
t_done
