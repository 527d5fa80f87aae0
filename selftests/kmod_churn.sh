#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Churn under load (make check-debug: under KASAN, lockdep and kmemleak):
#  - profile operations (add, replace, delete, flush, dumps racing them) in
#    three client namespaces for CHURN_SECS (60) while CHURN_CONNS (1000)
#    dacc connections open, transfer 64 KB and close from them;
#  - a namespace destroyed with live dacc sockets and profiles;
#  - rmmod refused while a dacc socket lives, accepted once it is gone;
#  - CHURN_CYCLES (100) rmmod/insmod cycles, each with a burst of traffic;
#  - the module's slab caches hold no object before each unload.
# The figures (operations a second, connections) are printed.
. "$(dirname "$0")/lib.sh"

DACC=${DACC:-$TOP/userspace/dacc/dacc}
perf=$TOP/bench/tools/daccperf
[ -x "$DACC" ] || t_skip_all "dacc CLI not built"
[ -x "$perf" ] || t_skip_all "bench/tools/daccperf not built (make userspace)"
module_load || t_skip_all "tcp_dacc.ko does not load"
secs=${CHURN_SECS:-60}
conns=${CHURN_CONNS:-1000}
cycles=${CHURN_CYCLES:-100}
work=$(mktemp -d)
on_exit "rm -rf $work"

ns_create srv c1 c2 c3 || t_skip_all "cannot create namespaces"
for i in 1 2 3; do
	veth_pair c$i eth0 10.9.$i.2/24 srv c$i 10.9.$i.1/24 || t_skip_all "veth"
	nsx c$i sysctl -qw net.ipv4.tcp_congestion_control=dacc
done

# One writer's stream: replaces (creating) and deletes of 1028 prefixes
# around the servers' (the connections' profiles come and go), a flush now
# and then.
awk 'BEGIN { srand(7); for (i = 0; i < 2000; i++) {
	if (rand() < 0.5) p = sprintf("10.9.%d.0/24", int(rand() * 4))
	else p = sprintf("10.9.%d.%d/32", int(rand() * 4), int(rand() * 256))
	r = rand()
	if (r < 0.55)
		printf "profile replace %s rtt %dus bw %dmbit\n", p, 100 + int(rand() * 100000),
			1 + int(rand() * 10000)
	else if (r < 0.995)
		printf "profile del %s\n", p
	else
		print "profile flush"
} }' >"$work/ops.batch"

# A churner: the batch again and again until the deadline (deletions of
# what is absent fail: -force goes on), counting the lines done.
churn()
{
	local n=$1 end=$2 done=0 lines

	lines=$(wc -l <"$work/ops.batch")
	while [ "$(date +%s)" -lt "$end" ]; do
		nsx "$n" "$DACC" -force -batch "$work/ops.batch" >/dev/null 2>&1
		done=$((done + lines))
	done
	echo $done >"$work/churn.$n"
}
# A dumper: full dumps racing the writers.
dumper()
{
	local n=$1 end=$2 d=0

	while [ "$(date +%s)" -lt "$end" ]; do
		nsx "$n" "$DACC" -j profile show >/dev/null || echo fail >>"$work/dumpfail"
		d=$((d + 1))
	done
	echo $d >"$work/dumps.$n"
}

# The sink: accepts CONNS connections, reads each to its end, prints how
# many it served in full (64 KB and the 16-byte header of daccperf).
cat >"$work/sink.py" <<'EOF'
import selectors, socket, sys
n, port = int(sys.argv[1]), int(sys.argv[2])
ls = socket.socket(socket.AF_INET6)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("::", port))
ls.listen(256)
sel = selectors.DefaultSelector()
sel.register(ls, selectors.EVENT_READ)
got, done, accepted = {}, 0, 0
while done < n:
    for key, _ in sel.select():
        s = key.fileobj
        if s is ls:
            c, _ = ls.accept()
            accepted += 1
            got[c] = 0
            sel.register(c, selectors.EVENT_READ)
            continue
        b = s.recv(65536)
        if b:
            got[s] += len(b)
            continue
        done += 1
        full = got.pop(s) >= 65536 + 16
        print("full" if full else "short", flush=True)
        sel.unregister(s)
        s.close()
EOF
nsx_bg srv python3 "$work/sink.py" "$conns" 5900 >"$work/sink.out"
srv_pid=$!
on_exit "kill $srv_pid 2>/dev/null"
wait_for 10 tcp_listening srv 5900 || t_fail "the server listens"

start=$(date +%s)
end=$((start + secs))
for i in 1 2 3; do
	churn c$i $end &
	dumper c$i $end &
done
# The connections, 16 at a time, round-robin over the three namespaces.
opened=0
while [ $opened -lt "$conns" ]; do
	for ((k = 0; k < 16 && opened < conns; k++)); do
		i=$((opened % 3 + 1))
		nsx_bg c$i "$perf" -c 10.9.$i.1 -p 5900 -C dacc -b 65536 -I $opened 2>>"$work/cli.err"
		opened=$((opened + 1))
	done
	wait -n 2>/dev/null
done
while [ "$(jobs -rp | wc -l)" -gt 1 ]; do
	wait -n 2>/dev/null
done
elapsed=$(($(date +%s) - start))
wait_for 30 sh -c "! kill -0 $srv_pid 2>/dev/null"
ops=0
for i in 1 2 3; do
	ops=$((ops + $(cat "$work/churn.c$i" 2>/dev/null || echo 0)))
done
dumps=$(cat "$work"/dumps.* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
flows=$(grep -c '^full$' "$work/sink.out")
t_eq "all $conns dacc connections completed beside the churn" "$conns" "$flows"
t_check "the churn ran: $ops profile operations in ${elapsed}s ($((ops / (elapsed ? elapsed : 1)))/s), $dumps dumps" \
	test "$ops" -gt 0
t_check "no dump failed" test ! -s "$work/dumpfail"
t_eq "the connections used dacc with a profile (lookups hit)" "yes" \
	"$(nsx c1 "$DACC" -j stats | python3 -c 'import json,sys; s=json.load(sys.stdin); print("yes" if s["hits"] > 0 else s)')"

# A namespace destroyed with a live dacc socket and profiles in it.
nsx c2 "$DACC" profile replace 10.9.2.0/24 rtt 1ms
nsx_bg srv iperf3 -s -1 -p 5901 >/dev/null 2>&1
wait_for 5 tcp_listening srv 5901
nsx_bg c2 iperf3 -c 10.9.2.1 -p 5901 -b 1m -t 30 -C dacc >/dev/null 2>&1
ip3=$!
wait_for 10 conn_established c2 5901
t_check "delete namespace c2 with a live dacc socket and profiles" $IP netns del "$(ns c2)"
kill $ip3 2>/dev/null
wait $ip3 2>/dev/null

# rmmod is refused while a dacc socket lives.
nsx_bg srv iperf3 -s -1 -p 5902 >/dev/null 2>&1
wait_for 5 tcp_listening srv 5902
nsx_bg c1 iperf3 -c 10.9.1.1 -p 5902 -b 1m -t 30 -C dacc >/dev/null 2>&1
ip4=$!
wait_for 10 conn_established c1 5902
t_check_fail "rmmod is refused while a dacc socket lives" rmmod tcp_dacc
kill $ip4 2>/dev/null
wait $ip4 2>/dev/null
for n in c1 c3; do
	nsx $n sysctl -qw net.ipv4.tcp_congestion_control=cubic
	nsx $n "$DACC" profile flush
done

# slab_empty: the module's caches hold no object (after a grace period).
slab_empty()
{
	awk '$1 ~ /^dacc_/ && $2 != 0 { bad = 1 } END { exit bad }' /proc/slabinfo
}
if [ "$DACC_DEBUG_KERNEL" = 1 ]; then
	# KASAN's quarantine holds freed objects, still counted in slabinfo;
	# rmmod's kmem_cache_destroy() flushes it and reports what remains.
	t_skip "the module's caches are empty once sockets and profiles are gone" \
		"KASAN's quarantine keeps freed objects counted (rmmod checks instead)"
else
	t_check "the module's caches are empty once sockets and profiles are gone" \
		wait_for 30 slab_empty
fi
t_check "rmmod once the last socket has gone" wait_for 30 rmmod tcp_dacc

# Load, burst, unload.
ok=0
cstart=$(date +%s)
for ((c = 0; c < cycles; c++)); do
	module_load || break
	nsx c1 "$DACC" profile add 10.9.1.0/24 rtt 1ms bw 1gbit >/dev/null || break
	nsx_bg srv "$perf" -s -p 5903 -n 1 -o /dev/null
	wait_for 5 tcp_listening srv 5903 || break
	nsx c1 "$perf" -c 10.9.1.1 -p 5903 -C dacc -b 262144 2>/dev/null || break
	wait 2>/dev/null
	nsx c1 "$DACC" profile flush >/dev/null
	wait_for 30 rmmod tcp_dacc || break
	ok=$((ok + 1))
done
t_eq "$cycles insmod/traffic/rmmod cycles ($(($(date +%s) - cstart))s)" "$cycles" "$ok"
t_check "after the last unload no dacc cache remains" \
	sh -c "! grep -q '^dacc_' /proc/slabinfo"
t_done
