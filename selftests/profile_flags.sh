#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The netlink flags of a change mean what rtnetlink's do: NLM_F_CREATE may
# create, NLM_F_REPLACE may replace, NLM_F_EXCL refuses an existing profile;
# NLM_F_ECHO sends the change's notification back to the requester, with
# its sequence number, and a listener of the events group still gets it.
# (The refusals themselves are among profile_badinput.sh's cases.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/netlink_lib.sh"

dacc_cli_setup t
work=$(mktemp -d)
on_exit "rm -rf $work"

nsx_bg t "$DACC" monitor >"$work/mon" 2>&1
mon=$!
on_exit "kill $mon"
wait_for 10 nl_subscribed t $mon || t_fail "the monitor subscribed" "$(cat "$work/mon")"

t_eq "NLM_F_ECHO: each change comes back to its sender, and only with ECHO" \
"add: ack
add echo: profile_ntf seq=same, ack
replace echo: profile_ntf seq=same, ack
del echo: profile_del_ntf seq=same, ack
del: ack
flush echo: flush_ntf seq=same, ack" "$(genl_raw_ns t echo 2>&1)"

wait_for 5 sh -c "[ \$(wc -l <'$work/mon') -ge 6 ]"
t_eq "a listener of the events group saw all six changes once" \
"add 10.77.0.0/16 rtt 1ms source static
add 10.78.0.0/16 rtt 1ms source static
add 10.77.0.0/16 rtt 1ms source static
del 10.77.0.0/16 rtt 1ms source static
del 10.78.0.0/16 rtt 1ms source static
flush" "$(cat "$work/mon")"

# The command's words map to the flags: add is CREATE|EXCL, replace is
# CREATE|REPLACE (creates or replaces).
t_check "replace creates a missing profile" D profile replace 10.5.0.0/16 rtt 5ms
t_check "replace replaces it" D profile replace 10.5.0.0/16 rtt 6ms
t_check_fail "add refuses an existing one" D profile add 10.5.0.0/16 rtt 7ms
t_eq "the table holds the replaced value" "10.5.0.0/16 rtt 6ms source static" \
	"$(D profile show | sed 's/ age .*//')"
t_done
