#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The flows of a hinted profile share its hint: the kernel counts the
# profile's window-limited (bulk) connections, and each keeps 1/n of the
# configured backlog, alpha (ss -ti shows it as cwnd_gain), and converges
# to 1/n of the pipe.  A nearly idle connection of the profile (nothing in
# flight between its writes) is not counted, and a connection that closes
# leaves the count: a flow alone afterwards has its whole alpha again.
#
#   snd ==20 Mbit/s, 1 BDP==> r1 -> r2 -> metro (RTT 20 ms)
#   profile 10.2.0.0/24 rtt 20ms bw 20mbit: alpha 8 packets alone
. "$(dirname "$0")/lib.sh"

cc_flow_prereqs

BOTTLENECK_RATE=20mbit BOTTLENECK_LIMIT=34 t_check "topology with a 20 Mbit/s bottleneck" topo_create
t_check "dacc profile add 10.2.0.0/24 rtt 20ms bw 20mbit (in snd)" \
	nsx snd dacc profile add 10.2.0.0/24 rtt 20ms bw 20mbit

# flows SECS PORT [IPERF_ARGS...]: one iperf3 client per PORT (a list,
# comma-separated), all at once, dacc, to metro; prints, from ss -ti
# sampled every 0.5 s over seconds 3..SECS-1, "PORT median-cwnd_gain
# median-mbit" for each data connection, then "sum MBIT" (iperf3's).
flows()
{
	local secs=$1 ports=$2 p s pids=() js=()

	shift 2
	s=$(mktemp)
	for p in ${ports//,/ }; do
		nsx_bg metro iperf3 -s -1 -p "$p" >/dev/null 2>&1
		wait_for 5 tcp_listening metro "$p" || return 1
	done
	for p in ${ports//,/ }; do
		js+=("$(mktemp)")
		nsx_bg snd iperf3 -c 10.2.0.2 -p "$p" -C dacc -t "$secs" -J "$@" >"${js[-1]}"
		pids+=($!)
	done
	sleep 3
	for _ in $(seq $(((secs - 4) * 2))); do
		nsx snd $SS -tin state established '( dport >= :5600 and dport <= :5699 )' |
			awk '/^[0-9]/ { split($4, a, ":"); port = a[length(a)]; b = 0 }
			     /cwnd_gain/ { if (match($0, /cwnd_gain:[0-9.]+/))
				g = substr($0, RSTART + 10, RLENGTH - 10);
			     if (match($0, /bytes_acked:[0-9]+/))
				b = substr($0, RSTART + 12, RLENGTH - 12);
			     if (b > 100000) print port, g }' >>"$s"
		sleep 0.5
	done
	wait "${pids[@]}"
	python3 - "$s" "${js[@]}" <<'PY'
import collections, json, statistics, sys
g = collections.defaultdict(list)
for line in open(sys.argv[1]):
    p, v = line.split()
    g[p].append(float(v))
mbit = 0.0
for f in sys.argv[2:]:
    try:
        d = json.load(open(f))
        port = str(d["start"]["connecting_to"]["port"])
        m = d["end"]["sum_received"]["bits_per_second"] / 1e6
    except (ValueError, KeyError):
        continue
    mbit += m
    if port in g:
        print(port, "%.2f" % statistics.median(g[port]), "%.2f" % m)
print("sum %.2f" % mbit)
PY
	rm -f "$s" "${js[@]}"
}

# One flow alone: the whole alpha.
out=$(flows 8 5601)
echo "$out" | sed 's/^/# alone: /'
a1=$(echo "$out" | awk '$1 == 5601 { print $2 }')
alone=$(echo "$out" | awk '$1 == "sum" { print $2 }')
t_figures
if awk -v a="${a1:-0}" 'BEGIN { exit !(a >= 7.5) }'; then
	t_ok "a flow alone keeps alpha 8: cwnd_gain ${a1}"
else
	t_fail "a flow alone keeps alpha 8" "expected cwnd_gain >= 7.5" "got: ${a1:-nothing}"
fi
t_figures_end

# Three bulk flows: a third each (2.7 packets; at most 4 leaves room for
# a flow that is counted a round late), equal rates, the link full.
out=$(flows 12 5611,5612,5613)
echo "$out" | sed 's/^/# three: /'
if echo "$out" | awk '$1 ~ /^561/ { n++; if ($2 > 4 || $2 < 1) bad++ }
		      END { exit !(n == 3 && !bad) }'; then
	t_ok "three bulk flows of the profile keep a third of alpha each: $(echo "$out" |
		awk '$1 ~ /^561/ { printf "%s ", $2 }')"
else
	t_fail "three bulk flows of the profile keep a third of alpha each" \
		"expected three flows with cwnd_gain in [1, 4]" "got: $(echo "$out" | tr '\n' ';')"
fi
jain=$(echo "$out" | awk '$1 ~ /^561/ { s += $3; q += $3 * $3; n++ }
			  END { if (n && q) printf "%.3f", s * s / (n * q); else print 0 }')
sum=$(echo "$out" | awk '$1 == "sum" { print $2 }')
# Together they carry what one alone did (a CPU hog beside the VM took
# both to 15.5-16.5 Mbit/s; idle, 18.4-19.0): at least 90% of it.
if awk -v j="$jain" -v s="${sum:-0}" -v a="${alone:-99}" \
	'BEGIN { exit !(j >= 0.9 && s >= 0.9 * a) }'; then
	t_ok "they share the link: Jain ${jain}, ${sum} Mbit/s together, ${alone} alone"
else
	t_fail "they share the link" "expected Jain >= 0.9 and >= 0.9 x ${alone} Mbit/s together" \
		"got: Jain ${jain}, ${sum:-nothing} Mbit/s"
fi

# Two bulk flows beside one that is nearly idle (100 bytes, 10 times a
# second, as a keepalive or a control channel would): halves.  It holds
# the profile, which counts it among its users (1/n^2 at the start), but
# not among its bulk flows.  (An application that writes in bursts is
# counted while a burst fills its window, until nothing is in flight;
# with 1 Mbit/s of iperf3's 128 KB writes the others' alpha was 2.9-3.2.)
out=$(flows 12 5621,5622 & sleep 0.2; flows 11 5623 -b 8k -l 100)
echo "$out" | sed 's/^/# two and a slow one: /'
t_figures
if echo "$out" | awk '$1 == 5621 || $1 == 5622 { n++; if ($2 < 3 || $2 > 5) bad++ }
		      END { exit !(n == 2 && !bad) }'; then
	t_ok "a nearly idle flow of the profile is not counted: $(echo "$out" |
		awk '$1 == 5621 || $1 == 5622 { printf "%s ", $2 }')"
else
	t_fail "a nearly idle flow of the profile is not counted" \
		"expected the two bulk flows at cwnd_gain 4 (in [3, 5])" \
		"got: $(echo "$out" | tr '\n' ';')"
fi
t_figures_end

# All closed: the count is back to none, a flow alone has alpha 8 again.
out=$(flows 8 5631)
echo "$out" | sed 's/^/# alone again: /'
a2=$(echo "$out" | awk '$1 == 5631 { print $2 }')
if awk -v a="${a2:-0}" 'BEGIN { exit !(a >= 7.5) }'; then
	t_ok "closed flows leave the count: alone again, cwnd_gain ${a2}"
else
	t_fail "closed flows leave the count" "expected cwnd_gain >= 7.5" "got: ${a2:-nothing}"
fi
t_done
