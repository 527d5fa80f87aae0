#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An unprivileged user (uid 65534, no capabilities) may read the profiles,
# the statistics and the events, and may change nothing: add, replace, del
# and flush fail with EPERM and the table stays as it was.  Root, the
# control, may.
. "$(dirname "$0")/lib.sh"

dacc_cli_setup
# The namespace is entered as root, then privileges are dropped.
U()
{
	nsx t setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all "$DACC" "$@"
}
snapshot()
{
	D -j profile show | sed -E 's/"age_ms":[0-9]+,//g'
	D -j stats
}

t_eq "the unprivileged user is uid 65534" 65534 \
	"$(nsx t setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all id -u)"
D profile add 10.1.0.0/16 rtt 16ms
D profile add fd00::/16 rtt 2ms source learned
before=$(snapshot)

t_eq "user: show" "10.1.0.0/16 fd00::/16" "$(U profile show | awk '{print $1}' | xargs)"
t_eq "user: show -j -s" 2 "$(U -j -s profile show | grep -o '"prefix"' | wc -l)"
t_eq "user: get" "10.1.0.0/16" "$(U profile get 10.1.5.5 | awk '{print $1}')"
t_eq "user: stats" "profiles 2" "$(U stats | head -n1 | cut -d' ' -f1-2)"

# user_denied DESCRIPTION DACC_ARGS...
user_denied()
{
	local d=$1 out rc

	shift
	out=$(U "$@" 2>&1)
	rc=$?
	t_eq "user may not $d" "1:Error: Operation not permitted." "$rc:$out"
}
user_denied "add" profile add 10.2.0.0/16 rtt 1ms
user_denied "replace" profile replace 10.1.0.0/16 rtt 1ms
user_denied "del" profile del 10.1.0.0/16
user_denied "flush" profile flush
user_denied "flush source learned" profile flush source learned
t_eq "the user's attempts changed nothing" "$before" "$(snapshot)"

# Events are for everyone: a user's monitor sees root's change.
out=$(mktemp)
on_exit "rm -f $out"
nsx_bg t setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$DACC" monitor >"$out" 2>&1
mon=$!
on_exit "kill $mon"
subscribed()
{
	nsx t awk -v p="$1" '$2 == 16 && $3 == p && $4 != "00000000" { f = 1 } END { exit !f }' \
		/proc/net/netlink
}
if wait_for 10 subscribed "$mon"; then
	D profile add 10.3.0.0/16 rtt 3ms
	wait_for 10 grep -q 10.3.0.0/16 "$out"
	t_eq "user: monitor sees root's add" "add 10.3.0.0/16 rtt 3ms source static" "$(cat "$out")"
else
	t_fail "user: monitor subscribes to the events group" "$(cat "$out")"
fi
t_check "root (the control) may del" D profile del 10.1.0.0/16
t_done
