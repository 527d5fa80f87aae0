#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Helpers of the benchmark guest (bench/guest.sh): the ring topology of S5,
# profiles for dacc, flows measured with daccperf, the ping probe.
# Sourced after selftests/lib.sh.

# profiles NS PREFIX:RTT... : one profile per destination, bandwidth hint
# $BENCH_RATE, in namespace NS (profiles are per network namespace).
profiles()
{
	local n=$1 p

	shift
	nsx "$n" dacc profile flush >/dev/null 2>&1
	for p in "$@"; do
		nsx "$n" dacc profile add "${p%%:*}" rtt "${p#*:}" ${BW_HINT:+bw $BW_HINT} || return 1
	done
}

# ping_probe NS ADDR SECONDS FILE: 20 probes a second (the VM's ping is
# busybox's: no timestamps, the sequence number gives the time).
ping_probe()
{
	nsx_bg "$1" ping -i 0.05 -w "$3" "$2" >"$4" 2>&1
}

# base_rtt NS ADDR: the lowest of 20 pings on the idle path, ms.
base_rtt()
{
	nsx "$1" ping -i 0.02 -c 20 "$2" | grep -o 'time=[0-9.]*' | cut -d= -f2 |
		sort -g | head -n 1
}

# flows OUT SRV_NS PORT "CLI_NS ADDR ALGO ARGS"... : start a daccperf server
# for the flows, then every client at once; wait for all.  The server's
# JSON is OUT/srv.json, client i's TCP_INFO samples OUT/cli<i>.txt.
flows()
{
	local out=$1 srv=$2 port=$3 i=0 f pids=()

	shift 3
	mkdir -p "$out"
	nsx_bg "$srv" timeout 120 daccperf -s -p "$port" -n $# -i 100 -o "$out/srv.json"
	local spid=$!
	wait_for 5 tcp_listening "$srv" "$port" || return 1
	for f in "$@"; do
		set -- $f
		local cns=$1 addr=$2 algo=$3

		shift 3
		nsx_bg "$cns" timeout 120 daccperf -c "$addr" -p "$port" -C "$algo" -I $i -S 100 \
			-o "$out/cli$i.txt" "$@"
		pids+=($!)
		i=$((i + 1))
	done
	wait "${pids[@]}" "$spid"
}

# The ring of S5: ranks r0 r1 on site A, r2 r3 on site B, sites joined by a
# WAN link (wa - wb) of rate $BENCH_RATE and one-way delay 20 ms (sites
# 40 ms apart), ranks 0.05 ms (one way) from their site router (0.2 ms RTT
# within a site).
#
#   r0 --+               +-- r2
#        wa ==== WAN ==== wb
#   r1 --+               +-- r3
#
# Site A is 10.50.0.0/24 (r0 .10, r1 .11), site B 10.60.0.0/24 (r2 .20, r3 .21).
ring_create()
{
	local loss=$1 wan_limit=$2 i site ip

	ns_create wa wb r0 r1 r2 r3 || return 1
	veth_pair wa wan 10.99.0.1/30 wb wan 10.99.0.2/30 || return 1
	# The delay first, then the rate and its buffer: netem's limit counts
	# the packets still in the delay line, so one netem with both would
	# leave a buffer of limit minus 20 ms of packets (and of ACKs).
	for n in wa wb; do
		nsx $n sysctl -qw net.ipv4.ip_forward=1
		nsx $n $TC qdisc replace dev wan root handle 1: netem delay 20ms limit 100000 ||
			return 1
		nsx $n $TC qdisc add dev wan parent 1:1 handle 2: netem rate "$BENCH_RATE" \
			limit "$wan_limit" ${loss:+loss $loss} || return 1
	done
	nsx wa $IP route add 10.60.0.0/24 via 10.99.0.2
	nsx wb $IP route add 10.50.0.0/24 via 10.99.0.1
	for i in 0 1 2 3; do
		if [ $i -lt 2 ]; then site=wa ip=10.50.0.$((10 + i)) gw=10.50.0.1
		else site=wb ip=10.60.0.$((18 + i)) gw=10.60.0.1
		fi
		$IP link add "p$i" netns "$(ns $site)" type veth peer name eth0 netns "$(ns r$i)" ||
			return 1
		nsx $site $IP link set "p$i" up
		nsx r$i $IP link set eth0 up
		nsx r$i $IP addr add "$ip/32" dev eth0
		nsx $site $IP addr add "$gw/32" dev "p$i" 2>/dev/null
		nsx $site $IP route add "$ip/32" dev "p$i"
		nsx r$i $IP route add "$gw/32" dev eth0
		nsx r$i $IP route add default via "$gw"
		for x in "$site:p$i" "r$i:eth0"; do
			nsx "${x%%:*}" ethtool -K "${x#*:}" tso off gso off gro off >/dev/null 2>&1
			nsx "${x%%:*}" $TC qdisc replace dev "${x#*:}" root netem delay 0.05ms limit 100000
		done
		nsx r$i sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
	done
	for n in wa wb; do
		nsx $n sysctl -qw net.ipv4.conf.all.rp_filter=0
	done
	wait_for 5 nsx r0 ping -c 1 -W 1 10.60.0.21
}
