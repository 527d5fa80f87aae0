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
# STAMP and ICMP only: the TCP connections below must not teach it
daccd_conf snd "$DACCD_FAST
passive = { enabled = false; };
destinations = (
$(daccd_dests_sites stamp | sed '1d;$d'),
  { prefix = \"fd00:13::/64\"; targets = [\"fd00:13::2\"]; method = \"stamp\"; },
  { prefix = \"10.0.2.0/24\"; targets = [\"10.0.2.2\"]; method = \"auto\"; }
);" 'listen = "127.0.0.1:9862";'
t0=$(date +%s)
daccd_start snd snd
t_check "sender daccd up" daccd_alive snd
all_learned()
{
	local s p

	for s in $DACCD_SITES; do
		p=$(cut -d: -f2 <<<"$s")
		prof_learned snd "$p" || return 1
	done
}
if wait_for 30 all_learned; then
	t_ok "three sites learned in $(($(date +%s) - t0)) s"
else
	t_fail "three sites learned within 30 s" "expected: learned profiles for near, metro, far" \
		"got: $(nsx snd "$DACC" profile show 2>&1)"
fi

# The paths' RTT as the kernel measures TCP handshakes, for reference:
# under the VM's emulation every netem stage adds its own timer latency, so
# a path's real RTT is a little above its nominal netem delay.
port=5310
for s in $DACCD_SITES; do
	IFS=: read -r n p t d i <<<"$s"
	nsx_bg "$n" iperf3 -s -p $port >/dev/null 2>&1
	on_exit "kill $!"
	wait_for 5 tcp_listening "$n" $port
	nsx snd python3 "$(dirname "$0")/daccd_tcprtt.py" "$t" $port 20 >"$DACCD_TMP/tcp.$n"
	port=$((port + 1))
done

# site_ok NETEM_US PREFIX REF_US: the kernel's profile is within max(5 %,
# 0.5 ms) of the netem RTT, or of the path as TCP measures it.
site_ok()
{
	got=$(prof snd "$2" rtt_us)
	within "$got" "$1" || within_path "$got" "$1" "${3:-0}"
}
t_figures
for s in $DACCD_SITES; do
	IFS=: read -r n p t d i <<<"$s"
	want=$((2 * d))
	tmin=$(cat "$DACCD_TMP/tcp.$n")
	if wait_for 20 site_ok "$want" "$p" "$tmin"; then
		t_ok "$n: learned rtt ${got} us, netem ${want} us, TCP handshake ${tmin} us"
	else
		t_fail "$n: learned rtt within the path" \
			"expected: $want us (netem) to ${tmin:-?} us (TCP handshake), each +- max(5%, 500 us)" \
			"got:      $got us"
	fi
done
t_figures_end

if wait_for 30 prof_learned snd fd00:13::/64; then
	got=$(prof snd fd00:13::/64 rtt_us)
	t_figures
	within "$got" 100000 && t_ok "far over IPv6: learned rtt $got us" ||
		t_fail "far over IPv6: rtt within tolerance" "expected: 100000 us" "got: $got us"
	t_figures_end
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
