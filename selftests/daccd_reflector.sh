#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# daccd's STAMP reflector on a network nobody trusts: it answers unicast test
# packets only, from the address they were sent to, never a reflection (two
# reflectors or an echo service cannot bounce a packet), never to ports
# below 1024; one noisy source cannot starve the others; listen.bind and
# listen.allow limit who may use it; a reload that cannot open its sockets
# changes nothing; the metrics HTTP server survives idle and split clients.
#
#   c [client, daccd B :5002]  10.9.0.2 .4 .5 --- veth --- 10.9.0.1 .3  r [daccd A :5001]
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daccd_lib.sh"

PY=$(dirname "$0")/daccd_reflector.py
A=5001
B=5002
[ -x "$DACCD" ] || t_skip_all "daccd not built"
command -v python3 >/dev/null || t_skip_all "python3 missing"
ns_create r c || t_skip_all "cannot create namespaces"
veth_pair r eth0 10.9.0.1/24 c eth0 10.9.0.2/24 || t_skip_all "cannot create veth"
nsx r $IP addr add 10.9.0.3/24 dev eth0
nsx c $IP addr add 10.9.0.4/24 dev eth0
nsx c $IP addr add 10.9.0.5/24 dev eth0

probe() { nsx c python3 "$PY" probe "$@" 2>&1; }
refl_a() { daccd_metric a "daccd_dropped_total{socket=\"reflector\",reason=\"$1\"}"; }
sent() { daccd_metric "$1" daccd_reflector_sent_total; }
# settle NAME: wait until NAME's metrics file was rewritten after now
settle()
{
	local f=$DACCD_TMP/$1/metrics.prom t

	t=$(date +%s.%N)
	sleep 0.3
	wait_for 5 test "$(stat -c %.9Y "$f")" \> "$t"
}

A_BODY="probe = { enabled = false; }; passive = { enabled = false; };"
daccd_conf a "listen = { stamp_port = $A; reflector_max_pps = 200; };
$A_BODY" 'listen = "10.9.0.1:9862";'
daccd_start r a
t_check "daccd A up" daccd_alive a

# --- unicast, and from the address asked ------------------------------------
out=$(probe 10.9.0.2 10.9.0.1 $A 5 50)
t_eq "answers a unicast probe ($out)" "5 5 10.9.0.1" "$out"
out=$(probe 10.9.0.2 10.9.0.3 $A 5 50)
t_eq "a probe to the secondary address is answered from it ($out)" "5 5 10.9.0.3" "$out"

n0=$(sent a)
out=$(probe 10.9.0.2 10.9.0.255 $A 5 50 bcast)
t_eq "no answer to the subnet's broadcast address ($out)" "5 0 -" "$out"
out=$(probe 10.9.0.2 255.255.255.255 $A 5 50 bcast)
t_eq "no answer to the limited broadcast ($out)" "5 0 -" "$out"
settle a
t_check "counted as not_unicast ($(refl_a not_unicast))" test "$(refl_a not_unicast)" -ge 10
t_eq "nothing reflected meanwhile" "$n0" "$(sent a)"

# --- loops ------------------------------------------------------------------
# An echo service at c: a reflection sent to it comes back to the reflector.
nsx_bg c python3 "$PY" echo 10.9.0.2 7777 3 >"$DACCD_TMP/echo.out"
epid=$!
sleep 0.3
nsx c python3 "$PY" spoof 10.9.0.2 7777 10.9.0.1 $A >/dev/null
wait $epid
echoes=$(cat "$DACCD_TMP/echo.out")
t_check "echo service: one reflection, not a ping-pong ($echoes echoes)" test "${echoes:-99}" -le 1
settle a
t_check "its echo dropped as a loop ($(refl_a loop))" test "$(refl_a loop)" -ge 1

# A second reflector, B, on another port; a packet spoofed from B's port.
daccd_conf b "listen = { stamp_port = $B; }; $A_BODY"
daccd_start c b
t_check "daccd B up" daccd_alive b
a0=$(sent a) b0=$(sent b)
nsx c python3 "$PY" spoof 10.9.0.2 $B 10.9.0.1 $A >/dev/null
sleep 2
settle a
settle b
na=$(($(sent a) - a0)) nb=$(($(sent b) - b0))
t_check "two reflectors: A answers once, B not at all ($na, $nb)" test $na -le 1 -a $nb -eq 0
out=$(nsx c python3 "$PY" spoof 10.9.0.2 53 10.9.0.1 $A; sleep 0.5; settle a; refl_a loop)
t_check "a source port below 1024 is refused (loop: $(refl_a loop))" test "$(refl_a loop)" -ge 2

# --- one source cannot starve the others --------------------------------------
# Junk at 10x the global limit from .4, while .2 probes at 20/s.
nsx_bg c python3 "$PY" junk 10.9.0.4 10.9.0.1 $A 6000 2000 >/dev/null
jpid=$!
out=$(probe 10.9.0.2 10.9.0.1 $A 40 20)
wait $jpid
set -- $out
t_check "junk from one source: another still answered ($2 of $1)" test "$2" -ge 36
# Valid probes at 10x the global limit from .4.
nsx_bg c python3 "$PY" probe 10.9.0.4 10.9.0.1 $A 6000 2000 >"$DACCD_TMP/flood.out"
fpid=$!
out=$(probe 10.9.0.2 10.9.0.1 $A 40 20)
wait $fpid
set -- $out
t_check "a flood of valid probes: another source still answered ($2 of $1)" test "$2" -ge 36
read -r fs fa _ <"$DACCD_TMP/flood.out"
t_check "the flooding source held to its own limit ($fa of $fs answered)" test "$fa" -le 1000
settle a
t_check "counted as ratelimit_source ($(refl_a ratelimit_source))" test "$(refl_a ratelimit_source)" -gt 0
t_check "short junk dropped as short, not charged ($(refl_a short))" test "$(refl_a short)" -gt 1000

# --- bind and allow, by a reload ----------------------------------------------
daccd_conf a "listen = { stamp_port = $A; reflector_max_pps = 200; bind = [\"10.9.0.1\"];
  allow = [\"10.9.0.2/32\"]; };
$A_BODY" 'listen = "10.9.0.1:9862";'
kill -HUP "${DACCD_PID[a]}"
t_check "reload with bind and allow" wait_for 10 metric_cmp a daccd_config_reloads_total = 1
out=$(probe 10.9.0.2 10.9.0.1 $A 5 50)
t_eq "bound address answers an allowed source ($out)" "5 5 10.9.0.1" "$out"
out=$(probe 10.9.0.2 10.9.0.3 $A 5 50)
t_eq "an address not in listen.bind does not answer ($out)" "5 0 -" "$out"
out=$(probe 10.9.0.5 10.9.0.1 $A 5 50)
t_eq "a source outside listen.allow is refused ($out)" "5 0 -" "$out"
settle a
t_check "counted as denied ($(refl_a denied))" test "$(refl_a denied)" -ge 5

# --- a reload that cannot have its sockets changes nothing --------------------
nsx_bg r python3 "$PY" hold 10.9.0.1 0 30 >"$DACCD_TMP/hold.out"
hpid=$!
on_exit "kill $hpid"
wait_for 5 test -s "$DACCD_TMP/hold.out"
busy=$(cat "$DACCD_TMP/hold.out")
t_check "a UDP port held busy ($busy)" test "${busy:-0}" -gt 0
daccd_conf a "listen = { stamp_port = $busy; }; $A_BODY" 'listen = "10.9.0.1:9863";'
kill -HUP "${DACCD_PID[a]}"
t_check "a reload onto a busy port is refused and counted" \
	wait_for 10 metric_cmp a daccd_config_reload_errors_total = 1
t_eq "the reload did not count as done" 1 "$(daccd_metric a daccd_config_reloads_total)"
out=$(probe 10.9.0.2 10.9.0.1 $A 5 50)
t_eq "the old reflector still answers ($out)" "5 5 10.9.0.1" "$out"
out=$(nsx c python3 "$PY" http 10.9.0.1 9862 get /metrics 2>&1)
t_check "the old metrics listener still serves ($out)" test "${out%% *}" = 200
kill $hpid 2>/dev/null
# the config path becomes a directory
mv "$DACCD_TMP/a/a.conf" "$DACCD_TMP/a/a.conf.bak"
mkdir "$DACCD_TMP/a/a.conf"
kill -HUP "${DACCD_PID[a]}"
t_check "a config that is a directory is refused" \
	wait_for 10 metric_cmp a daccd_config_reload_errors_total = 2
t_check "and daccd lives on" daccd_alive a
t_check "the refusal says why" grep -q 'a.conf: is a directory' "$DACCD_TMP/a/log"
out=$("$DACCD" --check-config -c "$DACCD_TMP/a/a.conf" 2>&1)
rc=$?
t_check "--check-config on a directory: exit 1 with a message ($rc: $out)" \
	test $rc = 1 -a -n "$out"

# --- metrics over HTTP ----------------------------------------------------------
out=$(nsx c python3 "$PY" http 10.9.0.1 9862 idle 40 0.1 2>&1)
set -- $out
t_check "40 idle connections do not deny a scrape ($out)" test "$1" = 200 -a "$2" = "$3"
out=$(nsx c python3 "$PY" http 10.9.0.1 9862 split /metrics 2>&1)
t_check "a request split over two segments is served ($out)" test "${out%% *}" = 200
out=$(nsx c python3 "$PY" http 10.9.0.1 9862 get /etc/passwd 2>&1)
t_check "another path is 404 ($out)" test "${out%% *}" = 404
out=$(nsx c python3 "$PY" http 10.9.0.1 9862 post /metrics 2>&1)
t_check "another method is 405 ($out)" test "${out%% *}" = 405
# The largest config renders about a megabyte; a client that reads slowly
# through a 4 KiB receive buffer still gets all of it.
{
	echo "destinations = ("
	for i in $(seq 0 1023); do
		printf '%s{ prefix = "fd00:%x:%x::/48"; method = "passive"; }\n' \
			"$([ "$i" = 0 ] || echo ,)" $((i / 256 + 4096)) $((i % 256 + 4096))
	done
	echo ");"
} >"$DACCD_TMP/big.dests"
daccd_conf big "listen = { reflector = false; }; probe = { enabled = false; };
$(cat "$DACCD_TMP/big.dests")" 'listen = "10.9.0.1:9864";'
daccd_start r big
out=$(nsx c python3 "$PY" http 10.9.0.1 9864 slow /metrics 2>&1)
set -- $out
t_check "1024 destinations, a slow reader: all $2 bytes ($3 read)" \
	test "$1" = 200 -a "$2" = "$3" -a "${2:-0}" -gt 500000
# --- a destination that never answered becomes stale -------------------------
daccd_conf stale "listen = { reflector = false; }; passive = { enabled = false; };
probe = { interval_ms = 200; timeout_ms = 500; };
estimator = { stale_ms = 1000; };
destinations = ( { prefix = \"10.9.0.96/28\"; targets = [\"10.9.0.99\"]; method = \"stamp\"; } );"
daccd_start r stale
t_check "never a sample: stale after stale_ms" \
	wait_for 10 metric_cmp stale 'daccd_dest_stale{prefix="10.9.0.96/28"}' = 1
t_check "and logged so" grep -q 'destination stale.*10.9.0.96/28.*never=true' "$DACCD_TMP/stale/log"

# --- logs: a value cannot forge a line ----------------------------------------
daccd_conf esc "listen = { reflector = false; }; probe = { enabled = false; };
passive = { enabled = false; };"
daccd_start r esc -s "$DACCD_TMP/esc/x\"y
ts=forged level=error msg=pwned"
t_check "daccd with a hostile state directory name up" daccd_alive esc
t_check "no forged log line" test -z "$(grep '^ts=forged' "$DACCD_TMP/esc/log")"
t_check "the value is quoted and escaped" grep -qF 'state_dir="'"$DACCD_TMP"'/esc/x\"y\nts=forged' "$DACCD_TMP/esc/log"
# the kernel's table comes last when the module is there
last='daccd_dest_probes_lost_total{prefix="fd00:1003:10ff::/48"}'
[ -d /sys/module/tcp_dacc ] && last=dacc_table_profiles_exported
t_check "the last line is the renderer's last ($4)" test "$4" = "$last"
t_done
