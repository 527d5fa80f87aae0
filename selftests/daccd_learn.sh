#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# daccd learns the three sites of topo_create from snd with STAMP (IPv4 and
# IPv6), each site running daccd as reflector, and pushes profiles that
# `dacc -j profile show` returns within max(5 %, 0.5 ms) of the netem RTT.
# A destination without a reflector (r2) is learned with ICMP echo instead.
#
#   snd [daccd sender] --- r1 ==== r2 --+-- near  [daccd reflector]  2 ms
#                                       +-- metro [daccd reflector] 20 ms
#                                       +-- far   [daccd reflector] 100 ms
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daccd_lib.sh"

[ -x "$DACCD" ] || t_skip_all "daccd not built"
[ -x "$DACC" ] || t_skip_all "dacc not built"
module_load || t_skip_all "cannot load $DACC_KO"
topo_create || { t_fail "topology" "topo_create failed"; t_done; }

daccd_start_reflectors
t_check "reflectors up at near, metro, far" daccd_alive far
daccd_conf snd "$DACCD_FAST
destinations = (
$(daccd_dests_sites stamp | sed '1d;$d'),
  { prefix = \"fd00:13::/64\"; targets = [\"fd00:13::2\"]; method = \"stamp\"; },
  { prefix = \"10.0.2.0/24\"; targets = [\"10.0.2.2\"]; method = \"auto\"; }
);" 'listen = "127.0.0.1:9862";'
# the paths' RTT as ping measures them, while the VM is quiet
for s in $DACCD_SITES; do
	IFS=: read -r n p t d i <<<"$s"
	ping_min snd "$t" >"$DACCD_TMP/ping.$n" &
	pids="${pids:-} $!"
done
wait $pids
t0=$(date +%s)
daccd_start snd snd
t_check "sender daccd up" daccd_alive snd

for s in $DACCD_SITES; do
	IFS=: read -r n p t d i <<<"$s"
	want=$((2 * d))
	pmin=$(cat "$DACCD_TMP/ping.$n")
	if wait_for 30 prof_learned snd "$p"; then
		got=$(prof snd "$p" rtt_us)
		if within "$got" "$want"; then
			t_ok "$n: learned rtt ${got} us, netem ${want} us, ping min ${pmin} us"
		elif within_path "$got" "$want" "$pmin"; then
			t_ok "$n: learned rtt ${got} us, netem ${want} us + emulation overhead (ping min ${pmin} us)"
		else
			t_fail "$n: learned rtt within max(5%, 0.5 ms) of the path" \
				"expected: $want us (netem) or $pmin us (ping min) +- max(5%, 500 us)" \
				"got:      $got us"
		fi
	else
		t_fail "$n: learned profile in the kernel" "expected: a learned profile for $p" \
			"got: $(nsx snd "$DACC" profile show 2>&1)"
	fi
done
echo "# learned all three in $(($(date +%s) - t0)) s"

if wait_for 30 prof_learned snd fd00:13::/64; then
	got=$(prof snd fd00:13::/64 rtt_us)
	within "$got" 100000 && t_ok "far over IPv6: learned rtt $got us" ||
		t_fail "far over IPv6: rtt within tolerance" "expected: 100000 us" "got: $got us"
else
	t_fail "far over IPv6: learned profile" "expected: fd00:13::/64 learned" \
		"got: $(nsx snd "$DACC" profile show 2>&1)"
fi

# r2 runs no reflector: auto falls back to ICMP echo.
if wait_for 30 prof_learned snd 10.0.2.0/24; then
	t_ok "no reflector at r2: learned with ICMP echo ($(prof snd 10.0.2.0/24 rtt_us) us)"
else
	t_fail "no reflector at r2: ICMP fallback" "expected: 10.0.2.0/24 learned" \
		"got: $(nsx snd "$DACC" profile show 2>&1)"
fi
t_check "ICMP probes were sent" test "$(daccd_metric snd 'daccd_probes_sent_total{method="icmp"}')" -gt 0

# kernel RX timestamps on both sides
t_eq "sender: every reply had a kernel timestamp" 0 "$(daccd_metric snd daccd_no_kernel_timestamp_total)"
t_eq "far reflector: every packet had a kernel timestamp" 0 \
	"$(daccd_metric far daccd_no_kernel_timestamp_total)"
t_check "far reflector reflected packets" test "$(daccd_metric far daccd_reflector_sent_total)" -gt 0

# metrics over HTTP too
out=$(nsx snd python3 -c 'import urllib.request as u; print(u.urlopen("http://127.0.0.1:9862/metrics", timeout=5).read().decode())' 2>&1)
if grep -q '^daccd_dest_base_rtt_us{prefix="10.3.0.0/24"} [0-9]' <<<"$out"; then
	t_ok "metrics served over HTTP with per-destination estimates"
else
	t_fail "metrics over HTTP" "expected: daccd_dest_base_rtt_us for 10.3.0.0/24" \
		"got: $(head -n 5 <<<"$out")"
fi
t_check "pushes counted" test "$(daccd_metric snd daccd_pushes_total)" -ge 5
t_check "sender daccd still alive" daccd_alive snd
[ "$VERBOSE" = 1 ] && sed 's/^/# /' "$DACCD_TMP/snd/log"
t_done
