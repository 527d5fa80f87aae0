#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench, inside the VM: every scenario of DESIGN.md for every algorithm,
# BENCH_REPS times, raw measurements under $DACC_OUT/raw/<scenario>/<algo>/<rep>/.
# bench/report.py turns them into bench/results/.  Parameters (environment,
# passed by bench/run.sh): BENCH_SCENARIOS, BENCH_CCS, BENCH_REPS, BENCH_RATE,
# the durations below, and BENCH_DACC_PARAMS: module parameters for
# tcp_dacc.ko (say "alpha_pkts=16"), for experiments; the results record them.
#
# S1 ramp: BENCH_S1_BYTES to far (100 ms), buffer 1 BDP.
# S2 RTT fairness: near (2 ms) and far (100 ms) at once, BENCH_S2_SECS.
# S3 queueing: bulk to metro (20 ms), buffer 3000 packets, ping probe.
# S4 random loss: 1% on the bottleneck, destination 50 ms away.
# S5 / S5L ring all-reduce, 4 ranks on 2 sites 40 ms apart (S5L: 0.1% loss).
# S6 coexistence: the algorithm and cubic to metro at once.
for a in "$@"; do	# VAR=VALUE arguments from bench/run.sh
	case $a in BENCH_*=*) export "$a" ;; esac
done
top=${DACC_TOP:-/dacc}
. "$top/selftests/lib.sh" >/dev/null
. "$top/bench/lib-bench.sh"

out=${DACC_OUT:-/tmp/bench-out}
scen=${BENCH_SCENARIOS:-S1 S2 S3 S4 S5 S5L S6}
ccs=${BENCH_CCS:-dacc cubic bbr hybla htcp illinois vegas westwood}
reps=${BENCH_REPS:-3}
BENCH_RATE=${BENCH_RATE:-20mbit}
rate_mbit=${BENCH_RATE%mbit}
BW_HINT=$BENCH_RATE
# Buffers in packets of 1514 bytes: one BDP of the path the scenario names.
bdp_pkts() { echo $(($1 * rate_mbit * 1000 / 8 / 1514 + 1)); }

# shellcheck disable=SC2086 # one word per parameter
insmod "$top/kmod/tcp_dacc.ko" ${BENCH_DACC_PARAMS:-} ||
	{ echo "# tcp_dacc.ko does not load${BENCH_DACC_PARAMS:+ with \"$BENCH_DACC_PARAMS\"}"; exit 1; }
for m in tcp_bbr tcp_hybla tcp_htcp tcp_illinois tcp_vegas tcp_westwood sch_fq; do
	modprobe $m 2>/dev/null
done
mkdir -p "$out/raw"
for cc in $ccs; do
	grep -qw "$cc" /proc/sys/net/ipv4/tcp_available_congestion_control ||
		echo "# warning: $cc is not available"
done
python3 - "$out/meta.json" <<PY
import json, os, platform, sys, time
json.dump({"kernel": platform.release(), "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "rate_mbit": $rate_mbit, "reps": $reps, "ccs": "$ccs".split(), "scenarios": "$scen".split(),
           "s1_bytes": ${BENCH_S1_BYTES:-4194304}, "s2_secs": ${BENCH_S2_SECS:-10},
           "s3_secs": ${BENCH_S3_SECS:-6}, "s4_secs": ${BENCH_S4_SECS:-6},
           "s5_bytes": ${BENCH_S5_BYTES:-1048576}, "s5_gap_ms": ${BENCH_S5_GAP_MS:-500},
           "s5_iters": ${BENCH_S5_ITERS:-2}, "dacc_params": "${BENCH_DACC_PARAMS:-}",
           "s6_secs": ${BENCH_S6_SECS:-10}, "cpus": os.cpu_count(),
           "noprofile": ${BENCH_NOPROFILE:-0} == 1}, open(sys.argv[1], "w"))
PY

say() { echo "# bench: $*"; }

# One scenario: its topology once, then every algorithm, rep after rep.
run_s1()
{
	local d=$1 cc=$2

	flows "$d" far 5501 "snd 10.3.0.2 $cc -b ${BENCH_S1_BYTES:-4194304}"
}

run_s2()
{
	local d=$1 cc=$2

	flows "$d" far 5502 "snd 10.3.0.2 $cc -t ${BENCH_S2_SECS:-10}" &
	local a=$!
	flows "$d/near" near 5503 "snd 10.1.0.2 $cc -t ${BENCH_S2_SECS:-10}"
	wait $a
}

run_s3()
{
	local d=$1 cc=$2 s=${BENCH_S3_SECS:-6}

	mkdir -p "$d"
	base_rtt snd 10.2.0.2 >"$d/base_ms"
	ping_probe snd 10.2.0.2 "$s" "$d/ping.txt"
	local p=$!
	flows "$d" metro 5504 "snd 10.2.0.2 $cc -t $s"
	wait $p
}

run_s4()
{
	local d=$1 cc=$2

	flows "$d" metro 5505 "snd 10.2.0.2 $cc -t ${BENCH_S4_SECS:-6}"
}

run_s5()
{
	local d=$1 cc=$2 i pids=() addrs=10.50.0.10,10.50.0.11,10.60.0.20,10.60.0.21

	mkdir -p "$d"
	for i in 3 2 1 0; do
		nsx_bg r$i timeout 120 daccring -r $i -a $addrs -p 5600 -C "$cc" \
			-s "${BENCH_S5_BYTES:-1048576}" -w 1 -i "${BENCH_S5_ITERS:-2}" -g "${BENCH_S5_GAP_MS:-500}" \
			-o "$d/ring.json"
		pids+=($!)
	done
	wait "${pids[@]}"
}

run_s6()
{
	local d=$1 cc=$2 s=${BENCH_S6_SECS:-10}

	flows "$d" metro 5506 "snd 10.2.0.2 $cc -t $s" "snd 10.2.0.2 cubic -t $s"
}

setup_topo()
{
	case $1 in
	S1) BOTTLENECK_RATE=$BENCH_RATE BOTTLENECK_LIMIT=$(bdp_pkts 100) topo_create &&
		profiles snd 10.3.0.0/24:100ms ;;
	S2) BOTTLENECK_RATE=$BENCH_RATE BOTTLENECK_LIMIT=$(bdp_pkts 100) topo_create &&
		profiles snd 10.1.0.0/24:2ms 10.3.0.0/24:100ms ;;
	S3) BOTTLENECK_RATE=$BENCH_RATE BOTTLENECK_LIMIT=3000 topo_create &&
		profiles snd 10.2.0.0/24:20ms ;;
	S4) BOTTLENECK_RATE=$BENCH_RATE BOTTLENECK_LIMIT=$(bdp_pkts 50) topo_create &&
		delay_link r2 eth2 metro eth0 25ms &&
		nsx r1 $TC qdisc replace dev eth1 root netem rate "$BENCH_RATE" \
			limit "$(bdp_pkts 50)" loss 1% &&
		profiles snd 10.2.0.0/24:50ms ;;
	S5 | S5L)
		ring_create "$([ "$1" = S5L ] && echo 0.1%)" "$(bdp_pkts 40)" || return 1
		for i in 0 1 2 3; do
			BW_HINT=$BENCH_RATE profiles r$i 10.50.0.0/24:40ms 10.60.0.0/24:40ms ||
				return 1
			# Same site: 0.2 ms, no bandwidth hint (veth, unshaped).
			local own=10.50.0.0/24
			[ $i -ge 2 ] && own=10.60.0.0/24
			nsx r$i dacc profile del $own >/dev/null
			nsx r$i dacc profile add $own rtt 0.2ms || return 1
		done ;;
	S6) BOTTLENECK_RATE=$BENCH_RATE BOTTLENECK_LIMIT=$(bdp_pkts 100) topo_create &&
		profiles snd 10.2.0.0/24:20ms ;;
	*) echo "# unknown scenario $1"; return 1 ;;
	esac
}

# BENCH_NOPROFILE=1: the same scenarios with every profile removed, so
# dacc runs on its own estimates (the issue's "within 10% of bbr").
setup()
{
	local n

	setup_topo "$1" || return 1
	[ "${BENCH_NOPROFILE:-0}" = 1 ] || return 0
	for n in $($IP netns list | awk '{print $1}' | grep "^$NS_PREFIX"); do
		$IP netns exec "$n" dacc profile flush >/dev/null || return 1
	done
}

teardown()
{
	local n

	for n in $($IP netns list | awk '{print $1}' | grep "^$NS_PREFIX"); do
		$IP netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null
		$IP netns del "$n"
	done
}

rc=0
for s in $scen; do
	start=$(date +%s)
	if ! setup "$s"; then
		echo "not ok - bench $s: topology"
		rc=1
		teardown
		continue
	fi
	fn=run_$(echo "$s" | tr 'A-Z' 'a-z')
	[ "$s" = S5L ] && fn=run_s5
	for rep in $(seq 1 "$reps"); do
		for cc in $ccs; do
			d=$out/raw/$s/$cc/$rep
			mkdir -p "$d"
			$fn "$d" "$cc" || { echo "# bench: $s $cc rep $rep failed"; rc=1; }
			sleep 0.5	# let the bottleneck queue drain
		done
	done
	teardown
	say "$s done in $(($(date +%s) - start)) s"
done
exit $rc
