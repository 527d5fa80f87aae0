# SPDX-License-Identifier: GPL-2.0
# Helpers of the daccd selftests (source after lib.sh): a config per daccd
# instance, start/stop in a namespace, its metrics, the kernel's profiles as
# `dacc -j` shows them; and daccd_demo, the daccd part of `make demo`.
#
# Every instance NAME keeps its files in $DACCD_TMP/NAME/: NAME.conf, the
# state file, metrics.prom (rewritten every 200 ms) and log (stderr).

DACCD=${DACCD:-$(command -v daccd || echo "$TOP/userspace/daccd/daccd")}
DACC=${DACC:-$(command -v dacc || echo "$TOP/userspace/dacc/dacc")}
DACCD_TMP=$(mktemp -d /tmp/daccd-test.XXXXXX)
[ -n "${DACCD_KEEP:-}" ] || on_exit "rm -rf $DACCD_TMP"
# Keep the logs, configs and metrics of a VM run (run.sh -o OUTDIR).
[ -n "${DACC_OUT:-}" ] && on_exit "mkdir -p $DACC_OUT/$(basename "$0" .sh) && cp -r $DACCD_TMP/. $DACC_OUT/$(basename "$0" .sh)/"
declare -A DACCD_PID

# The sites of topo_create: name, IPv4 prefix and target, one-way netem delay
# in microseconds (RTT = 2 x), r2's interface towards it.
DACCD_SITES="near:10.1.0.0/24:10.1.0.2:1000:eth1
metro:10.2.0.0/24:10.2.0.2:10000:eth2
far:10.3.0.0/24:10.3.0.2:50000:eth3"

# daccd_conf NAME BODY [METRICS_EXTRA]: write NAME's config; BODY holds any
# settings but state_dir, save_interval_ms and metrics, set here.
daccd_conf()
{
	local name=$1 body=$2 extra=${3:-}

	mkdir -p "$DACCD_TMP/$name"
	cat >"$DACCD_TMP/$name/$name.conf" <<EOC
state_dir = "$DACCD_TMP/$name";
save_interval_ms = 1000;
metrics = { file = "$DACCD_TMP/$name/metrics.prom"; interval_ms = 200; $extra };
$body
EOC
}

# A reflector-only config for a site.
daccd_conf_reflector()
{
	daccd_conf "$1" 'probe = { enabled = false; }; passive = { enabled = false; };'
}

# Destination entries for the three sites with METHOD (stamp by default).
daccd_dests_sites()
{
	local method=${1:-stamp} s sep=""

	echo "destinations = ("
	for s in $DACCD_SITES; do
		IFS=: read -r n p t d i <<<"$s"
		echo "$sep { prefix = \"$p\"; targets = [\"$t\"]; method = \"$method\"; }"
		sep=","
	done
	echo ");"
}

# The sender's usual settings: 200 ms probes, quick trust, quick change.
DACCD_FAST_EST='estimator = { min_samples = 8; change_samples = 8; change_ms = 1000;
              window_ms = 30000; stale_ms = 3000; };
push = { kernel_poll_ms = 500; };'
DACCD_FAST="probe = { interval_ms = 200; timeout_ms = 1000; max_pps = 100; };
$DACCD_FAST_EST"

# daccd_start NS NAME [ARGS...]: run NAME's daccd in NS, wait until it is up.
# DACCD_WRAP: a command to run it under (setpriv ...).
daccd_start()
{
	local ns=$1 name=$2

	shift 2
	rm -f "$DACCD_TMP/$name/metrics.prom"
	nsx_bg "$ns" ${DACCD_WRAP:-} "$DACCD" -f -c "$DACCD_TMP/$name/$name.conf" ${DACCD_ARGS:-} "$@" \
		2>>"$DACCD_TMP/$name/log"
	DACCD_PID[$name]=$!
	on_exit "kill -9 $!"
	wait_for 10 test -s "$DACCD_TMP/$name/metrics.prom"
}

daccd_alive()
{
	kill -0 "${DACCD_PID[$1]}" 2>/dev/null
}

# daccd_stop NAME [SIGNAL]
daccd_stop()
{
	kill "-${2:-TERM}" "${DACCD_PID[$1]}" 2>/dev/null
	wait "${DACCD_PID[$1]}" 2>/dev/null
	return 0
}

# daccd_metric NAME 'METRIC{labels}': its value in NAME's metrics file.
daccd_metric()
{
	awk -v k="$2" '$1 == k { print $2 }' "$DACCD_TMP/$1/metrics.prom" 2>/dev/null
}

# metric_cmp NAME 'METRIC{labels}' OP VALUE: test(1) on the metric's current
# value (read anew at each call, for wait_for).
metric_cmp()
{
	local v

	v=$(daccd_metric "$1" "$2")
	[ -n "$v" ] && test "$v" "$3" "$4"
}

# prof NS PREFIX FIELD: FIELD of the kernel's profile for PREFIX, from
# `dacc -j profile show` (empty when there is none).
prof()
{
	nsx "$1" "$DACC" -j profile show 2>/dev/null | tr '{' '\n' |
		grep "\"prefix\": *\"$2\"" | grep -o "\"$3\": *[^,}]*" |
		sed 's/^[^:]*: *//; s/"//g'
}

# True when NS's kernel has a learned profile for PREFIX.
prof_learned()
{
	[ "$(prof "$1" "$2" source)" = learned ]
}

# within GOT_US WANT_US: true when |got - want| <= max(5 %, 500 us).
within()
{
	local got=$1 want=$2 tol

	[ -n "$got" ] || return 1
	tol=$((want / 20))
	[ $tol -lt 500 ] && tol=500
	[ $((got - want)) -le $tol ] && [ $((want - got)) -le $tol ]
}

# conn_minrtt ADDR PORT: the min_rtt (us) the kernel's TCP measures on snd's
# connection to ADDR:PORT.  Under the VM's emulation every netem stage adds
# its own timer latency, so a path's real RTT is a little above its nominal
# netem delay: TCP, timestamped in the kernel as daccd's probes are, tells
# by how much.
conn_minrtt()
{
	nsx snd $SS -Htin state established dst "$1" dport = :"$2" |
		grep -o 'minrtt:[0-9.]*' | head -n 1 | awk -F: '{ printf "%d\n", $2 * 1000 }' | grep .
}

# within_path GOT_US NETEM_US TCP_US: the learned RTT lies between the
# nominal netem RTT and the path's RTT as TCP measures it, each widened by
# max(5 %, 0.5 ms), and that path within 2 ms + 5 % above netem (the
# emulation's overhead: a slow host's TCG VM adds 1.5 ms to a 2 ms path).
within_path()
{
	local tol=$(($2 / 20))

	[ $tol -lt 500 ] && tol=500
	[ -n "$1" ] && [ "$3" -ge "$2" ] && [ $(($3 - $2)) -le $((2000 + $2 / 20)) ] &&
		[ "$1" -ge $(($2 - tol)) ] && [ "$1" -le $(($3 + tol)) ]
}

# near_us A B: |A - B| <= max(1 %, 250 us): the same estimate up to noise
# (a mean would move by 15 ms for one 300 ms outlier among 20 samples).
near_us()
{
	local tol=$(($2 / 100))

	[ -n "$1" ] || return 1
	[ $tol -lt 250 ] && tol=250
	[ $(($1 - $2)) -le $tol ] && [ $(($2 - $1)) -le $tol ]
}

# Reflectors at near, metro and far.
daccd_start_reflectors()
{
	local s n

	for s in $DACCD_SITES; do
		n=${s%%:*}
		daccd_conf_reflector "$n"
		daccd_start "$n" "$n" || return 1
	done
}

# make demo: after topo_create (and the module loaded), run daccd as STAMP
# reflector at the three sites and as sender at snd; print what it learned
# and what the kernel holds, then show a dacc flow to far using the learned
# profile.  DEMO_OUT: where to print (stdout by default).
daccd_demo()
{
	local s n p t d want got var t0 i

	echo "# daccd: reflectors at near, metro, far; learning from snd (STAMP, 200 ms)"
	daccd_start_reflectors || { echo "# daccd: reflectors failed to start"; return 1; }
	daccd_conf snd "$DACCD_FAST
$(daccd_dests_sites stamp)"
	t0=$EPOCHREALTIME
	daccd_start snd snd || { echo "# daccd: sender failed to start"; return 1; }
	for s in $DACCD_SITES; do
		IFS=: read -r n p t d i <<<"$s"
		wait_for 30 prof_learned snd "$p"
	done
	awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "# learned in %.1f s\n", b - a }'
	printf '%-6s %-13s %12s %12s %12s %8s\n' site prefix "netem RTT" "learned" jitter source
	for s in $DACCD_SITES; do
		IFS=: read -r n p t d i <<<"$s"
		want=$((2 * d))
		got=$(prof snd "$p" rtt_us)
		var=$(prof snd "$p" rttvar_us)
		printf '%-6s %-13s %9d us %9s us %9s us %8s\n' "$n" "$p" "$want" "${got:--}" \
			"${var:--}" "$(prof snd "$p" source)"
	done
	echo "# dacc -n snd profile show:"
	nsx snd "$DACC" profile show | sed 's/^/#   /'
	nsx_bg far iperf3 -s -1 -p 5299 >/dev/null 2>&1
	wait_for 5 tcp_listening far 5299
	nsx snd iperf3 -c 10.3.0.2 -p 5299 -C dacc -n 2M >/dev/null 2>&1
	echo "# after a 2 MB dacc transfer to far, the profile's telemetry:"
	nsx snd "$DACC" -s profile show 10.3.0.0/24 | sed 's/^/#   /'
}
