#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's per-profile telemetry in daccd's metrics: a profile's values
# in Prometheus's units before any connection, then what a dacc transfer to
# it did (a flow, its bytes, its RTT), the same over HTTP as in the file,
# the export bounded by metrics.kernel_profiles_max, and nothing left of a
# flushed table.
#
#   snd [daccd, metrics] --- r1 ==20 Mbit/s== r2 --- metro (20 ms)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daccd_lib.sh"

[ -x "$DACCD" ] || t_skip_all "daccd not built"
cc_flow_prereqs
BOTTLENECK_RATE=20mbit BOTTLENECK_LIMIT=100
topo_create || { t_fail "topology" "topo_create failed"; t_done; }

profiles3()
{
	nsx snd "$DACC" profile add 10.2.0.0/24 rtt 20ms jitter 1ms bw 20mbit loss 100ppm &&
		nsx snd "$DACC" profile add 10.1.0.0/24 rtt 2ms &&
		nsx snd "$DACC" profile add 10.3.0.0/24 rtt 100ms
}
t_check "three static profiles in snd" profiles3

daccd_conf snd 'probe = { enabled = false; }; passive = { enabled = false; };
listen = { reflector = false; };
destinations = ();' 'listen = "127.0.0.1:9862"; kernel_profiles_max = 2;'
daccd_start snd snd
t_check "daccd up with metrics" daccd_alive snd

m() { daccd_metric snd "$1"; }
P='{prefix="10.2.0.0/24",source="static"}'
wait_for 5 metric_cmp snd dacc_table_profiles -eq 3
t_eq "the table's size" 3 "$(m dacc_table_profiles)"
t_eq "series for kernel_profiles_max = 2 of the 3" 2 "$(m dacc_table_profiles_exported)"
t_eq "profiles with series" 2 "$(grep -c '^dacc_profile_base_rtt_seconds{' "$DACCD_TMP/snd/metrics.prom")"
t_eq "base RTT in seconds" 0.020000 "$(m "dacc_profile_base_rtt_seconds$P")"
t_eq "jitter in seconds" 0.001000 "$(m "dacc_profile_rtt_variation_seconds$P")"
t_eq "bandwidth hint in bytes/s" 2500000 "$(m "dacc_profile_bandwidth_hint_bytes_per_second$P")"
t_eq "loss baseline as a ratio" 0.000100 "$(m "dacc_profile_loss_baseline_ratio$P")"
t_eq "no flow yet" 0 "$(m "dacc_profile_flows_total$P")"
t_eq "no RTT before a connection reported" "" "$(m "dacc_profile_rtt_min_seconds$P")"

# A dacc transfer of 4 MiB to metro.
nsx_bg metro iperf3 -s -1 -p 5470 >/dev/null 2>&1
srv=$!
wait_for 5 tcp_listening metro 5470
lookups0=$(m dacc_table_lookups_total)
t_check "4 MiB to metro with dacc" nsx snd iperf3 -c 10.2.0.2 -p 5470 -C dacc -n 4M
wait "$srv"
wait_for 5 metric_cmp snd "dacc_profile_flows_total$P" -ge 1
t_eq "one flow counted" 1 "$(m "dacc_profile_flows_total$P")"
# The kernel adds a connection's bytes once a round and when it closes:
# the exporter shows what the kernel says (dacc -s), once it has settled.
kbytes()
{
	nsx snd "$DACC" -s -j profile show 10.2.0.0/24 |
		python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["stats"]["bytes_acked"])'
}
settled() { [ "$(m "dacc_profile_acked_bytes_total$P")" = "$(kbytes)" ]; }
wait_for 10 metric_cmp snd "dacc_profile_acked_bytes_total$P" -ge 3500000
sleep 2
wait_for 5 settled
bytes=$(m "dacc_profile_acked_bytes_total$P") kb=$(kbytes)
if [ -n "$bytes" ] && [ "$bytes" = "$kb" ] && [ "$bytes" -ge 3500000 ] && [ "$bytes" -le 4300000 ]; then
	t_ok "its bytes acked: $bytes, as dacc -s says"
else
	t_fail "its bytes acked" "expected dacc -s's $kb, 3.5-4.3 MB (4 MiB sent)" "got ${bytes:-none}"
fi
t_check "the lookup counted" test "$(m dacc_table_lookups_total)" -gt "${lookups0:-0}"
within_s()
{
	awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v + 0 >= lo && v + 0 <= hi) }'
}
min=$(m "dacc_profile_rtt_min_seconds$P") srtt=$(m "dacc_profile_rtt_smoothed_seconds$P")
q=$(m "dacc_profile_queueing_seconds$P")
if within_s "$min" 0.0195 0.030; then
	t_ok "its lowest RTT in seconds: $min (netem 20 ms)"
else
	t_fail "its lowest RTT" "expected 0.0195-0.030 s" "got ${min:-none}"
fi
if within_s "$q" 0 0.2 && awk -v q="$q" -v s="$srtt" 'BEGIN { exit !(q + 0.020 - s < 0.000002 && s - q - 0.020 < 0.000002) }'; then
	t_ok "queueing = smoothed RTT - base: $q ($srtt - 0.020)"
else
	t_fail "queueing" "expected smoothed RTT ($srtt) - 0.020" "got ${q:-none}"
fi

# The same over HTTP.
http=$(nsx snd python3 -c 'import urllib.request as u; print(u.urlopen("http://127.0.0.1:9862/metrics", timeout=5).read().decode())' 2>&1)
hb=$(awk -v k="dacc_profile_acked_bytes_total$P" '$1 == k { print $2 }' <<<"$http")
if [ -n "$hb" ] && [ "$hb" -ge "${bytes:-0}" ] && [ "$hb" -le 4300000 ]; then
	t_ok "the HTTP scrape has them too: $hb"
else
	t_fail "the HTTP scrape has the bytes" "expected $bytes-4300000" "got ${hb:-none}"
fi
t_eq "one HELP per family" 1 "$(grep -c '^# HELP dacc_profile_acked_bytes_total ' <<<"$http")"

# A flushed table: the counters of the table stay, the profiles' go.
t_check "flush" nsx snd "$DACC" profile flush
wait_for 5 metric_cmp snd dacc_table_profiles -eq 0
t_eq "no profile left" 0 "$(m dacc_table_profiles)"
t_eq "no per-profile series left" 0 "$(grep -c '^dacc_profile_' "$DACCD_TMP/snd/metrics.prom")"
t_check "daccd still alive" daccd_alive snd
t_done
