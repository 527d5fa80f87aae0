#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# daccd loses nothing on a crash: after kill -9 and a restart, the learned
# profiles are back in the kernel from the state file before any new probe
# is answered; after rmmod/insmod of the module daccd pushes them again.
#
#   snd [daccd sender] --- r1 ==== r2 --+-- near/metro/far [daccd reflectors]
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daccd_lib.sh"

[ -x "$DACCD" ] || t_skip_all "daccd not built"
[ -x "$DACC" ] || t_skip_all "dacc not built"
module_load || t_skip_all "cannot load $DACC_KO"
topo_create || { t_fail "topology" "topo_create failed"; t_done; }

daccd_start_reflectors
daccd_conf snd "$DACCD_FAST
$(daccd_dests_sites stamp)"
daccd_start snd snd

all_learned()
{
	local s p

	for s in $DACCD_SITES; do
		p=$(cut -d: -f2 <<<"$s")
		prof_learned snd "$p" || return 1
	done
}

profiles()
{
	local s p

	for s in $DACCD_SITES; do
		p=$(cut -d: -f2 <<<"$s")
		echo "$p=$(prof snd "$p" rtt_us)"
	done | xargs
}

# The same as daccd says it pushed them (its metrics).
pushed_profiles()
{
	local s p

	for s in $DACCD_SITES; do
		p=$(cut -d: -f2 <<<"$s")
		echo "$p=$(daccd_metric snd "daccd_dest_pushed_rtt_us{prefix=\"$p\"}")"
	done | xargs
}

same_as_pushed()
{
	[ "$(profiles)" = "$(pushed_profiles)" ]
}

saved()
{
	[ "$(grep -o '"pushed":true' "$DACCD_TMP/snd/daccd.state" 2>/dev/null | wc -l)" = 3 ] &&
		[ "$(daccd_metric snd daccd_state_saves_total)" -ge 1 ]
}

t_check "three sites learned" wait_for 30 all_learned
t_check "state file holds all three" wait_for 10 saved

kill -9 "${DACCD_PID[snd]}"
wait "${DACCD_PID[snd]}" 2>/dev/null
# what the kernel had when daccd died: nothing of it may be lost
before=$(profiles)
echo "# learned: $before"
for s in near metro far; do
	daccd_stop $s
done
nsx snd timeout 10 "$DACC" profile flush >/dev/null 2>&1
t_eq "kernel table flushed" "" "$(nsx snd "$DACC" profile show)"

# No reflector answers any more: whatever comes back comes from the state.
daccd_start snd snd
t_check "profiles back after restart" wait_for 10 all_learned
t_eq "same profiles as before the crash" "$before" "$(profiles)"
t_eq "no probe answered since the restart" 0 "$(daccd_metric snd daccd_probe_replies_total)"
order=$(awk '/msg=starting/ { run++ } run == 2 && /msg="pushed profile"/ { p++ }
	run == 2 && /msg="ready, probing starts"/ { print p + 0; exit }' "$DACCD_TMP/snd/log")
t_eq "all three pushed before the first probe" 3 "$order"
t_check "far marked stale: its probes go unanswered" \
	wait_for 10 metric_cmp snd 'daccd_dest_stale{prefix="10.3.0.0/24"}' = 1
t_eq "a stale destination keeps its profile" learned "$(prof snd 10.3.0.0/24 source)"

# The module goes away and comes back: daccd notices and pushes again.
if rmmod tcp_dacc; then
	t_check "daccd notices the module is gone" \
		wait_for 10 metric_cmp snd daccd_kernel_up = 0
	insmod "$DACC_KO"
	t_check "profiles pushed again after insmod" wait_for 10 all_learned
	# what daccd holds: the state's profiles, or the estimate of the
	# restored samples if it moved past the hysteresis meanwhile (under a
	# slow debug kernel the window's oldest samples expire first)
	wait_for 5 same_as_pushed
	t_eq "the kernel has again what daccd pushed" "$(pushed_profiles)" "$(profiles)"
	t_check "resyncs counted" wait_for 5 metric_cmp snd daccd_kernel_resyncs_total -ge 3
else
	t_fail "rmmod tcp_dacc" "expected: the module unloads" "got: $(lsmod | grep tcp_dacc)"
fi
t_check "sender alive" daccd_alive snd
t_done
