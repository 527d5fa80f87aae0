# SPDX-License-Identifier: GPL-2.0
# Shared helpers of the dacc selftests: KTAP output, namespaces with unique
# names that are always cleaned up, bounded waits, the module.
#
# Topology made by topo_create (delays are one way, applied in both directions
# on r2's side of each receiver link; bottleneck on r1 -> r2):
#
#   snd --- r1 ==bottleneck== r2 --+-- near   (RTT  2 ms)
#                                  +-- metro  (RTT 20 ms)
#                                  +-- far    (RTT 100 ms)
#
# snd 10.0.1.1/24 fd00:1::1/64, r1 10.0.1.2 | 10.0.2.1, r2 10.0.2.2 |
# near 10.1.0.2 (10.1.0.1 on r2), metro 10.2.0.2, far 10.3.0.2 (and fd00:N::2).

ksft_pass=0
ksft_fail=0
ksft_skip=4
_t_n=0
_t_failed=0
_t_skipped=0
_t_passed=0
NS_PREFIX="dacc$$-"
TOP=${DACC_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
DACC_KO=${DACC_KO:-$TOP/kmod/tcp_dacc.ko}
VERBOSE=${VERBOSE:-0}
_cleanups=()
_t_figures=0
# The debug kernel of make check-debug (KASAN, lockdep...) runs several
# times slower: waits stretch by DACC_SLOW, and what a test measures
# between t_figures and t_figures_end is reported, not judged (a skip).
if [[ $(uname -r) == *-dacc-debug ]]; then
	DACC_DEBUG_KERNEL=1
	DACC_SLOW=${DACC_SLOW:-4}
else
	DACC_DEBUG_KERNEL=0
	DACC_SLOW=${DACC_SLOW:-1}
fi

IP=/usr/bin/ip
[ -x $IP ] || IP=/sbin/ip
TC=/usr/sbin/tc
[ -x $TC ] || TC=/sbin/tc
SS=/usr/bin/ss
[ -x $SS ] || SS=/bin/ss

echo "TAP version 13"
echo "# $(basename "$0")"

t_ok()
{
	_t_n=$((_t_n + 1))
	_t_passed=$((_t_passed + 1))
	echo "ok $_t_n - $*"
}

# t_figures / t_figures_end: the checks between them judge performance
# figures (rates, learned RTTs); under the debug kernel a miss is a skip.
t_figures() { _t_figures=1; }
t_figures_end() { _t_figures=0; }

# t_fail DESCRIPTION [DETAIL...]: DETAIL lines say what was expected and got.
t_fail()
{
	local d=$1

	shift
	if [ "$_t_figures" = 1 ] && [ "$DACC_DEBUG_KERNEL" = 1 ]; then
		t_skip "$d" "a performance figure, not judged under the debug kernel: $(printf '%s ' "$@" | tr '\n' ' ')"
		return
	fi
	_t_n=$((_t_n + 1))
	_t_failed=$((_t_failed + 1))
	echo "not ok $_t_n - $d"
	for l in "$@"; do
		printf '%s\n' "$l" | sed 's/^/#   /'
	done
}

t_skip()
{
	_t_n=$((_t_n + 1))
	_t_skipped=$((_t_skipped + 1))
	echo "ok $_t_n - $1 # SKIP $2"
}

# t_check DESCRIPTION CMD...: pass when CMD succeeds; on failure show its output.
t_check()
{
	local d=$1 out rc

	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc = 0 ]; then
		t_ok "$d"
		[ "$VERBOSE" = 1 ] && [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
		return 0
	fi
	t_fail "$d" "expected success of: $*" "got status $rc and: $out"
	return 1
}

# t_check_fail DESCRIPTION CMD...: pass when CMD fails.
t_check_fail()
{
	local d=$1 out

	shift
	if out=$("$@" 2>&1); then
		t_fail "$d" "expected failure of: $*" "got success: $out"
		return 1
	fi
	t_ok "$d"
	return 0
}

# t_eq DESCRIPTION EXPECTED GOT
t_eq()
{
	if [ "$2" = "$3" ]; then
		t_ok "$1"
	else
		t_fail "$1" "expected: $2" "got:      $3"
	fi
}

# End the script: plan, and the kselftest exit status.
t_done()
{
	echo "1..$_t_n"
	echo "# passed $_t_passed, failed $_t_failed, skipped $_t_skipped"
	[ $_t_failed -gt 0 ] && exit 1
	[ $_t_n -gt 0 ] && [ $_t_skipped -eq $_t_n ] && exit $ksft_skip
	exit 0
}

# Skip the whole script with a reason.
t_skip_all()
{
	echo "1..0 # SKIP $*"
	exit $ksft_skip
}

on_exit()
{
	_cleanups+=("$*")
}

_run_cleanups()
{
	local i

	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[$i]}" >/dev/null 2>&1
	done
	for ns in $($IP netns list 2>/dev/null | awk '{print $1}' | grep "^$NS_PREFIX"); do
		$IP netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		$IP netns del "$ns" 2>/dev/null
	done
}
trap _run_cleanups EXIT

# The namespace's full name.
ns()
{
	echo "$NS_PREFIX$1"
}

# Run a command in namespace $1.
nsx()
{
	local n=$1

	shift
	$IP netns exec "$NS_PREFIX$n" "$@"
}

# Start a command in namespace $1 in the background; $! is its own pid.
nsx_bg()
{
	local n=$1

	shift
	$IP netns exec "$NS_PREFIX$n" "$@" &
}

ns_create()
{
	local n

	for n in "$@"; do
		$IP netns add "$NS_PREFIX$n" || return 1
		nsx "$n" $IP link set lo up
		nsx "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	done
}

# wait_for TIMEOUT_S CMD...: poll CMD every 50 ms, at most TIMEOUT_S seconds.
wait_for()
{
	local deadline=$(($(date +%s) + $1 * DACC_SLOW))

	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
	return 0
}

# nl_subscribed NS PID: PID's generic netlink socket in NS joined a group
# (the group's bit shows in /proc/net/netlink; dacc's is a low number).
nl_subscribed()
{
	nsx "$1" awk -v p="$2" '$2 == 16 && $3 == p && $4 != "00000000" { f = 1 } END { exit !f }' \
		/proc/net/netlink
}

# True when something listens on TCP port $2 in namespace $1.
tcp_listening()
{
	nsx "$1" $SS -Hltn "sport = :$2" | grep -q LISTEN
}

# conn_open SRV_NS CLI_NS ADDR PORT [IPERF3_ARGS...]: a slow, long-lived TCP
# connection (iperf3 at 100 kbit/s) from CLI_NS to ADDR:PORT served in SRV_NS.
conn_open()
{
	local srv=$1 cli=$2 addr=$3 port=$4

	shift 4
	nsx_bg "$srv" iperf3 -s -1 -p "$port" >/dev/null 2>&1
	wait_for 5 tcp_listening "$srv" "$port" || return 1
	nsx_bg "$cli" iperf3 -c "$addr" -p "$port" -b 100k -t 60 "$@" >/dev/null 2>&1
	on_exit "kill $!"
	wait_for 10 conn_established "$cli" "$port"
}

conn_established()
{
	[ "$(conn_ccs "$1" "$2")" != "" ]
}

# conn_ccs NS PORT: the algorithms of NS's established connections to PORT,
# sorted, one word each ("dacc", or "cubic dacc" for a mix).
conn_ccs()
{
	nsx "$1" $SS -Htin state established dport = :"$2" |
		awk '/ rto:/ { print $1 }' | sort -u | xargs
}

# dacc_cli_setup [NS...]: $DACC (the tree's CLI unless set), python3 and the
# module, or skip the script; then namespaces NS... ("t" by default), and D
# running the CLI in the first of them.
dacc_cli_setup()
{
	DACC=${DACC:-$(command -v dacc || echo "$TOP/userspace/dacc/dacc")}
	[ -x "$DACC" ] || t_skip_all "dacc not built (make userspace)"
	command -v python3 >/dev/null || t_skip_all "python3 missing"
	module_load || t_skip_all "tcp_dacc.ko does not load"
	ns_create "${@:-t}" || t_skip_all "cannot create network namespaces"
	_dacc_cli_ns=${1:-t}
}

D()
{
	"$DACC" -n "$(ns "$_dacc_cli_ns")" "$@"
}

# What the flow tests need: the module loaded, the dacc CLI and iperf3.
# Skips the whole script, naming what is missing.
cc_flow_prereqs()
{
	module_load || t_skip_all "tcp_dacc.ko does not load"
	command -v dacc >/dev/null || t_skip_all "the dacc CLI is not built"
	command -v iperf3 >/dev/null || t_skip_all "iperf3 is not installed"
}

# Load the module from the tree unless it is already there.
module_load()
{
	grep -q '^tcp_dacc ' /proc/modules && return 0
	insmod "$DACC_KO"
}

module_unload()
{
	grep -q '^tcp_dacc ' /proc/modules || return 0
	rmmod tcp_dacc
}

# veth between namespaces: veth_pair NS1 IF1 ADDR1 NS2 IF2 ADDR2 (CIDR or "").
veth_pair()
{
	local n1=$1 i1=$2 a1=$3 n2=$4 i2=$5 a2=$6

	$IP link add "$i1" netns "$NS_PREFIX$n1" type veth peer name "$i2" netns "$NS_PREFIX$n2" || return 1
	nsx "$n1" $IP link set "$i1" up
	nsx "$n2" $IP link set "$i2" up
	[ -n "$a1" ] && nsx "$n1" $IP addr add "$a1" dev "$i1"
	[ -n "$a2" ] && nsx "$n2" $IP addr add "$a2" dev "$i2"
	# No segmentation offloads: netem and tbf should see wire-sized packets.
	for x in "$n1:$i1" "$n2:$i2"; do
		nsx "${x%%:*}" ethtool -K "${x#*:}" tso off gso off gro off >/dev/null 2>&1
	done
	return 0
}

# netem on both ends of a link: delay_link NS1 IF1 NS2 IF2 ONE_WAY_DELAY [EXTRA...]
delay_link()
{
	local n1=$1 i1=$2 n2=$3 i2=$4 d=$5

	shift 5
	nsx "$n1" $TC qdisc replace dev "$i1" root netem delay "$d" limit 100000 "$@" &&
	nsx "$n2" $TC qdisc replace dev "$i2" root netem delay "$d" limit 100000 "$@"
}

# The DESIGN.md topology.  BOTTLENECK_RATE (default 100mbit) and
# BOTTLENECK_LIMIT (packets, default 1 BDP of the far path) shape r1 -> r2.
topo_create()
{
	local rate=${BOTTLENECK_RATE:-100mbit} limit=${BOTTLENECK_LIMIT:-850} i site d

	ns_create snd r1 r2 near metro far || return 1
	veth_pair snd eth0 10.0.1.1/24 r1 eth0 10.0.1.2/24 || return 1
	nsx snd $IP -6 addr add fd00:1::1/64 dev eth0
	nsx r1 $IP -6 addr add fd00:1::2/64 dev eth0
	veth_pair r1 eth1 10.0.2.1/24 r2 eth0 10.0.2.2/24 || return 1
	nsx r1 $IP -6 addr add fd00:2::1/64 dev eth1
	nsx r2 $IP -6 addr add fd00:2::2/64 dev eth0
	for n in r1 r2; do
		nsx $n sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	done
	nsx r1 $TC qdisc replace dev eth1 root netem rate "$rate" limit "$limit" || return 1
	i=1
	for site in near:1ms metro:10ms far:50ms; do
		d=${site#*:}
		site=${site%%:*}
		veth_pair r2 "eth$i" "10.$i.0.1/24" "$site" eth0 "10.$i.0.2/24" || return 1
		nsx r2 $IP -6 addr add "fd00:1$i::1/64" dev "eth$i"
		nsx "$site" $IP -6 addr add "fd00:1$i::2/64" dev eth0
		delay_link r2 "eth$i" "$site" eth0 "$d" || return 1
		nsx "$site" $IP route add default via "10.$i.0.1"
		nsx "$site" $IP -6 route add default via "fd00:1$i::1"
		i=$((i + 1))
	done
	nsx snd $IP route add default via 10.0.1.2
	nsx snd $IP -6 route add default via fd00:1::2
	nsx r1 $IP route add default via 10.0.2.2
	nsx r1 $IP -6 route add default via fd00:2::2
	nsx r2 $IP route add 10.0.1.0/24 via 10.0.2.1
	nsx r2 $IP -6 route add fd00:1::/64 via fd00:2::1
	# Let the nd/arp settle so the first measured RTT is the path's.
	wait_for 5 nsx snd ping -c 1 -W 1 10.3.0.2
}
