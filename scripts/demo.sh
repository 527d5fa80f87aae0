#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the VM: the three sites of DESIGN.md, daccd learning how
# far each is, and a 4 MiB transfer to `far` (100 ms RTT, 1 BDP of buffer)
# with cubic, bbr and dacc, one after another on the same path, timed at the
# receiving application.  The bottleneck is 20 Mbit/s, as in make bench: the
# emulated VM cannot forward 100 Mbit/s without its own CPU becoming the
# bottleneck (see bench/results/latest.md).
. /dacc/selftests/lib.sh >/dev/null
. /dacc/selftests/daccd_lib.sh
. /dacc/bench/lib-bench.sh

insmod /dacc/kmod/tcp_dacc.ko || exit 1
modprobe tcp_bbr
out=$(mktemp -d)

rate_mbit=${DEMO_RATE_MBIT:-20}
echo "== 1. Three sites behind one $rate_mbit Mbit/s bottleneck"
echo "#   snd -- r1 ==$rate_mbit Mbit/s== r2 -- near (2 ms) / metro (20 ms) / far (100 ms)"
# One BDP of the far path in 1500-byte packets.
BOTTLENECK_RATE=${rate_mbit}mbit BOTTLENECK_LIMIT=$((rate_mbit * 100000 / 8 / 1500)) \
	topo_create || { echo "topology failed"; exit 1; }
for s in near:10.1.0.2 metro:10.2.0.2 far:10.3.0.2; do
	printf '#   %-6s %-9s lowest ping %s ms\n' "${s%%:*}" "${s#*:}" "$(base_rtt snd "${s#*:}")"
done

echo
echo "== 2. daccd learns the distances and gives them to the kernel"
daccd_demo || exit 1

echo
echo "== 3. 4 MiB to far: completion time at the receiver"
bytes=4194304
# Ideal: one RTT of handshake, the bytes at the bottleneck rate, half an RTT
# for the last one.
# The bottleneck carries 1448 bytes of data in a 1514-byte frame.
ideal=$(awk -v b=$bytes -v r=$rate_mbit \
	'BEGIN { printf "%.3f", 0.100 + b * 8 / (r * 1e6 * 1448 / 1514) + 0.050 }')
printf '%-7s %9s %9s %9s %8s\n' algo "time (s)" "x ideal" "Mbit/s" retrans
port=5400
for run in cubic bbr dacc dacc+bw; do
	cc=${run%+bw}
	if [ "$run" = dacc+bw ]; then
		# The operator adds the bottleneck's rate to the learned distance:
		# a static profile, which daccd leaves alone.
		learned=$(nsx snd dacc -j profile show 10.3.0.0/24 |
			python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["rtt_us"])')
		nsx snd dacc profile replace 10.3.0.0/24 rtt "${learned}us" bw "${rate_mbit}mbit"
	fi
	port=$((port + 1))
	flows "$out/$run" far $port "snd 10.3.0.2 $cc -b $bytes" &
	fpid=$!
	if [ $run = dacc ]; then
		# What ss -ti shows of a dacc flow: the BBR-style block carries
		# dacc's state; mrtt is the base RTT it uses (the profile's).
		wait_for 10 sh -c "$IP netns exec $(ns snd) $SS -Htin dst 10.3.0.2 dport = :$port | grep -q dacc"
		sleep 1
		nsx snd $SS -Htin dst 10.3.0.2 dport = :$port | tr -s ' \t' ' ' |
			grep -oE 'dacc .*cwnd:[0-9]+|bbr:\([^)]*\)|pacing_rate [0-9a-zA-Z.]+' |
			sed 's/^/#   ss -ti: /' >"$out/ss.txt"
	fi
	wait $fpid
	python3 - "$out/$run/srv.json" "$out/$run/cli0.txt" "$run" "$ideal" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["flows"][0]
last = open(sys.argv[2]).read().split("\n")[-2].split()
ideal = float(sys.argv[4])
print("%-7s %9.2f %9.2f %9.1f %8s" % (sys.argv[3], f["fct_s"], f["fct_s"] / ideal,
      f["bytes"] * 8 / f["fct_s"] / 1e6, last[5] if len(last) > 5 else "?"))
PY
done
echo "#   ideal: 0.1 s handshake + the data at $rate_mbit Mbit/s (1448 of each 1514 bytes)" \
	"+ 0.05 s = $ideal s"
echo "#   dacc: the profile daccd learned (distance only); dacc+bw: the same with"
echo "#   the bottleneck's rate added by the operator (bw ${rate_mbit}mbit)"

echo
echo "== 4. What dacc used and counted"
cat "$out/ss.txt"
echo "#   dacc -s profile show 10.3.0.0/24 (in snd's namespace):"
nsx snd dacc -s profile show 10.3.0.0/24 | sed 's/^/#     /'
