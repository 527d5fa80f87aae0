#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# daccd's probe rate is bounded: per destination by its interval, in all by
# probe.max_pps.  Four destinations wanting 20 probes/s each against a
# global limit of 20/s, in one namespace over loopback (daccd answers its
# own probes as reflector).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daccd_lib.sh"

[ -x "$DACCD" ] || t_skip_all "daccd not built"
ns_create lo || t_skip_all "cannot create a namespace"

daccd_conf lo "probe = { interval_ms = 50; max_pps = 20; timeout_ms = 500; };
passive = { enabled = false; };
destinations = (
  { prefix = \"127.0.0.0/24\"; targets = [\"127.0.0.1\"]; method = \"stamp\"; },
  { prefix = \"127.0.1.0/24\"; targets = [\"127.0.1.1\"]; method = \"stamp\"; },
  { prefix = \"127.0.2.0/24\"; targets = [\"127.0.2.1\"]; method = \"stamp\"; },
  { prefix = \"127.0.3.0/24\"; targets = [\"127.0.3.1\"]; method = \"stamp\"; }
);"
daccd_start lo lo
t_check "daccd up" daccd_alive lo
t_check "probes flow" wait_for 10 metric_cmp lo daccd_probe_replies_total -ge 10
# The metrics file is rewritten every 200 ms: a count and the time it was
# rendered are read from one open of it (its mtime), so the window is the
# daemon's own.  A token bucket sends at most rate x T + burst in T (the
# burst, max_pps, comes back after a stall of the daemon).
sent_at()
{
	{ stat -L -c %.9Y /proc/self/fd/0
	  awk -v k='daccd_probes_sent_total{method="stamp"}' '$1 == k { print $2 }'
	} < "$DACCD_TMP/lo/metrics.prom" | tr '\n' ' '
}
# from when the bucket's first burst is spent
wait_for 10 metric_cmp lo daccd_probes_ratelimited_total -gt 0
read -r m0 s0 <<<"$(sent_at)"
wait_for 20 metric_cmp lo 'daccd_probes_sent_total{method="stamp"}' -ge $((s0 + 100))
read -r m1 s1 <<<"$(sent_at)"
read -r pps bound <<<"$(awk -v n=$((s1 - s0)) -v a="$m0" -v b="$m1" \
	'BEGIN { t = b - a; printf "%.1f %d\n", (t > 0 ? n / t : 0), 20 * t + 20 + 1 }')"
t_check "global rate at most max_pps: $((s1 - s0)) probes, $pps/s for 80 wanted (at most $bound)" \
	test $((s1 - s0)) -le "$bound" -a $((s1 - s0)) -gt 0
t_check "the rest counted as rate-limited" metric_cmp lo daccd_probes_ratelimited_total -gt 0
total=$(daccd_metric lo 'daccd_probes_sent_total{method="stamp"}')
for i in 0 1 2 3; do
	n=$(daccd_metric lo "daccd_dest_probes_sent_total{prefix=\"127.0.$i.0/24\"}")
	t_check "127.0.$i.0/24 got a fair share: $n of $total probes" test $((${n:-0} * 5)) -ge "$total"
done
t_check "reflector answered over loopback" metric_cmp lo daccd_reflector_sent_total -gt 0
t_done
