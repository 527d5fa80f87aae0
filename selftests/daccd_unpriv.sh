#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# daccd needs no root: as user nobody with only CAP_NET_ADMIN and CAP_NET_RAW
# it learns far (STAMP) and r2 (ICMP echo) and pushes the profiles; a
# reflector needs only CAP_NET_BIND_SERVICE (port 862); without
# CAP_NET_ADMIN the kernel refuses the pushes, daccd counts them and lives.
#
#   snd [daccd, nobody, NET_ADMIN+NET_RAW] --- r1 ==== r2 --- far [daccd reflector, nobody]
#   metro [daccd, nobody, no capability] --- r2
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daccd_lib.sh"

[ -x "$DACCD" ] || t_skip_all "daccd not built"
[ -x "$DACC" ] || t_skip_all "dacc not built"
command -v setpriv >/dev/null || t_skip_all "setpriv missing"
module_load || t_skip_all "cannot load $DACC_KO"
topo_create || { t_fail "topology" "topo_create failed"; t_done; }

# as_nobody CAP,...: setpriv prefix keeping exactly these capabilities
as_nobody()
{
	local caps=${1:+,+${1//,/,+}}

	echo "setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all$caps" \
		"--ambient-caps=-all$caps --bounding-set=-all$caps"
}
chmod 0755 "$DACCD_TMP"

daccd_conf_reflector far
chmod 0777 "$DACCD_TMP/far"
DACCD_WRAP=$(as_nobody net_bind_service) daccd_start far far
t_check "reflector runs as nobody with CAP_NET_BIND_SERVICE only" daccd_alive far

daccd_conf snd "listen = { reflector = false; };
$DACCD_FAST
passive = { enabled = true; interval_ms = 500; };
destinations = (
  { prefix = \"10.3.0.0/24\"; targets = [\"10.3.0.2\"]; method = \"stamp\"; },
  { prefix = \"10.0.2.0/24\"; targets = [\"10.0.2.2\"]; method = \"icmp\"; }
);"
chmod 0777 "$DACCD_TMP/snd"
DACCD_WRAP=$(as_nobody net_admin,net_raw) daccd_start snd snd
pid=${DACCD_PID[snd]}
t_eq "sender runs as nobody" 65534 "$(awk '/^Uid:/ { print $2 }' /proc/$pid/status)"
# CAP_NET_ADMIN (12) and CAP_NET_RAW (13), nothing else
t_eq "sender's effective capabilities: NET_ADMIN, NET_RAW" 0000000000003000 \
	"$(awk '/^CapEff:/ { print $2 }' /proc/$pid/status)"
t_check "far learned over STAMP, unprivileged" wait_for 30 prof_learned snd 10.3.0.0/24
t_check "r2 learned over ICMP echo, unprivileged" wait_for 30 prof_learned snd 10.0.2.0/24
t_check "state saved by nobody" wait_for 10 test -s "$DACCD_TMP/snd/daccd.state"

daccd_conf metro "listen = { reflector = false; };
$DACCD_FAST
destinations = ( { prefix = \"10.3.0.0/24\"; targets = [\"10.3.0.2\"]; method = \"stamp\"; } );"
chmod 0777 "$DACCD_TMP/metro"
DACCD_WRAP=$(as_nobody "") daccd_start metro metro
t_check "without CAP_NET_ADMIN the pushes are refused and counted" \
	wait_for 30 metric_cmp metro daccd_push_errors_total -ge 1
t_eq "nothing in metro's table" "" "$(nsx metro "$DACC" profile show)"
t_check "still measuring" wait_for 10 metric_cmp metro 'daccd_dest_trusted{prefix="10.3.0.0/24"}' = 1
t_check "unprivileged daemons alive" daccd_alive metro
t_done
