#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# daccd and bad input: bad config lines are refused with the line named (at
# start, by --check-config, and on SIGHUP, which keeps the old config); and
# malformed, truncated, spoofed, looping and flooding STAMP packets sent to
# a reflector and to the sender's port are counted and dropped, the daemons
# stay up and the estimates do not move.
#
#   snd [daccd sender, port 8621] --- r1 ==== r2 --+-- metro [fuzzer]
#                                                  +-- far   [daccd reflector, fuzzer]
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daccd_lib.sh"

P=10.3.0.0/24
FUZZ=$(dirname "$0")/daccd_fuzz.py
[ -x "$DACCD" ] || t_skip_all "daccd not built"
[ -x "$DACC" ] || t_skip_all "dacc not built"

# --- configuration ---------------------------------------------------------
# each: the line the error must name, then the config
bad_configs=(
	'2|probe = { interval_ms = 100; };
probe = { interval_ms = 5; };'
	'1|probe = { intervall_ms = 100; };'
	'3|destinations = (
  { prefix = "10.3.0.0/24"; targets = ["10.3.0.2"]; },
  { prefix = "10.4.0.0/24"; targets = ["10.3.0.2"]; }
);'
	'2|destinations = (
  { prefix = "10.3.0.1/24"; targets = ["10.3.0.2"]; }
);'
	'2|destinations = (
  { prefix = "10.3.0.0/24"; targets = ["10.3.0.2"]; method = "smoke-signals"; }
);'
	'1|listen = { stamp_port = 0; };'
	'2|metrics = { file = "/tmp/x"; };
passive = { enabled = yes; };'
	'3|probe = {
  interval_ms = 100;
  max_pps = ;
};'
)
for b in "${bad_configs[@]}"; do
	line=${b%%|*}
	f=$DACCD_TMP/bad.conf
	printf '%s\n' "${b#*|}" >"$f"
	out=$("$DACCD" --check-config -c "$f" 2>&1)
	rc=$?
	if [ $rc != 0 ] && grep -q "^daccd: $f:$line: " <<<"$out"; then
		t_ok "bad config refused at line $line: ${out#*: }"
	else
		t_fail "bad config refused, line $line named" "expected: non-zero and \"$f:$line: ...\"" \
			"got: status $rc, \"$out\""
	fi
done
printf '%s\n' 'probe = { interval_ms = 100; };' >"$DACCD_TMP/good.conf"
t_check "a good config passes --check-config" "$DACCD" --check-config -c "$DACCD_TMP/good.conf"
t_check_fail "a missing config is refused" "$DACCD" --check-config -c "$DACCD_TMP/none.conf"
t_check_fail "an unknown option is refused" "$DACCD" --frobnicate

module_load || t_skip_all "cannot load $DACC_KO"
topo_create || { t_fail "topology" "topo_create failed"; t_done; }

# a reflector answering at most 100 packets/s from one source, so the flood
# surely exceeds it
daccd_conf far 'listen = { reflector_max_pps_per_source = 100; };
probe = { enabled = false; }; passive = { enabled = false; };'
daccd_start far far
SND_BODY="probe = { interval_ms = 200; timeout_ms = 1000; max_pps = 100; source_port = 8621; };
$DACCD_FAST_EST"
FAR_DEST="{ prefix = \"$P\"; targets = [\"10.3.0.2\"]; method = \"stamp\"; }"
daccd_conf snd "$SND_BODY
destinations = ( $FAR_DEST );"
daccd_start snd snd
t_check "far learned" wait_for 30 prof_learned snd $P
# the emulation's overhead on this path, as first learned
overhead=$(($(prof snd $P rtt_us) - 100000))
[ $overhead -lt 0 ] && overhead=0

# --- SIGHUP with a bad config keeps the old one -----------------------------
samples()
{
	daccd_metric snd "daccd_dest_samples_total{prefix=\"$P\"}"
}
daccd_conf snd "$SND_BODY
destinations = ( $FAR_DEST );
colour = \"red\";"
kill -HUP "${DACCD_PID[snd]}"
t_check "bad reload refused" wait_for 10 metric_cmp snd daccd_config_reload_errors_total = 1
t_check "the refusal names the line" grep -q 'reload refused.*snd.conf:[0-9]*: .*colour' "$DACCD_TMP/snd/log"
n0=$(samples)
t_check "still probing with the old config" wait_for 10 metric_cmp snd "daccd_dest_samples_total{prefix=\"$P\"}" -gt $((n0 + 3))
daccd_conf snd "$SND_BODY
destinations = ( $FAR_DEST,
  { prefix = \"10.2.0.0/24\"; targets = [\"10.2.0.2\"]; method = \"icmp\"; } );"
kill -HUP "${DACCD_PID[snd]}"
t_check "good reload applied" wait_for 10 metric_cmp snd daccd_config_reloads_total = 1
t_check "the new destination is learned" wait_for 30 prof_learned snd 10.2.0.0/24
t_eq "far kept across the reload" learned "$(prof snd $P source)"

# --- packets ----------------------------------------------------------------
r0=$(prof snd $P rtt_us)
e0=$(daccd_metric snd "daccd_dest_base_rtt_us{prefix=\"$P\"}")
out=$(nsx far python3 "$FUZZ" sender 10.0.1.1 8621 10.3.0.2 862 2>&1)
t_check "fuzz sent to the sender's port ($out packets)" test "${out:-0}" -gt 0 2>/dev/null
out=$(nsx metro python3 "$FUZZ" reflector 10.3.0.2 862 2>&1)
t_check "fuzz sent to the reflector ($out packets)" test "${out:-0}" -gt 0 2>/dev/null
nsx metro python3 "$FUZZ" loop 10.3.0.2 862 862 >/dev/null 2>&1
nsx metro python3 "$FUZZ" flood 10.3.0.2 862 2000 >/dev/null 2>&1
# let the daemons read their queues: wait for the counters to settle
wait_for 10 metric_cmp far 'daccd_dropped_total{socket="reflector",reason="loop"}' -ge 1

t_check "sender alive" daccd_alive snd
t_check "reflector alive" daccd_alive far
for r in short malformed unmatched; do
	v=$(daccd_metric snd "daccd_dropped_total{socket=\"sender\",reason=\"$r\"}")
	t_check "sender dropped and counted $r packets ($v)" test "${v:-0}" -gt 0
done
for r in short ratelimit_source loop; do
	v=$(daccd_metric far "daccd_dropped_total{socket=\"reflector\",reason=\"$r\"}")
	t_check "reflector dropped and counted $r packets ($v)" test "${v:-0}" -gt 0
done
n0=$(samples)
t_check "still learning after the fuzz" wait_for 10 metric_cmp snd "daccd_dest_samples_total{prefix=\"$P\"}" -gt $((n0 + 5))
r1=$(prof snd $P rtt_us)
t_check "far's profile unchanged ($r0 -> $r1 us)" near_us "$r1" "$r0"
e1=$(daccd_metric snd "daccd_dest_base_rtt_us{prefix=\"$P\"}")
t_check "far's estimate still the path's ($e0 -> $e1 us)" within "$e1" $((100000 + overhead))
# not one forged packet taken for an answer: no more answers than probes
# (both from one snapshot of the metrics)
answers_le_probes()
{
	awk '$1 == "daccd_probe_replies_total" { r = $2 }
	     $1 ~ /^daccd_probes_sent_total\{/ { s += $2 }
	     END { printf "%d answers, %d probes\n", r, s; exit !(r <= s) }' \
		"$DACCD_TMP/snd/metrics.prom"
}
t_check "no forged packet counted as an answer ($(answers_le_probes))" answers_le_probes
t_done
