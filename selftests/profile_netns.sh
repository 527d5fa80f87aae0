#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Each network namespace has a table of its own: what one namespace adds,
# replaces or flushes, another does not see; a process that is root only in
# a child user namespace can fill its own namespace's table but can neither
# change its parent's (EPERM, even through a socket opened there) nor see it
# from its own; a namespace with profiles goes away cleanly.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/netlink_lib.sh"

dacc_cli_setup a b
A()
{
	"$DACC" -n "$(ns a)" "$@"
}
B()
{
	"$DACC" -n "$(ns b)" "$@"
}
show()
{
	"$DACC" -n "$(ns "$1")" profile show | sed -E 's/ age [^ ]+$//' | xargs
}
init_before=$("$DACC" -j profile show | sed -E 's/"age_ms":[0-9]+,//g')

A profile add 10.1.0.0/16 rtt 10ms
A profile add fd00::/16 rtt 1ms
B profile add 10.1.0.0/16 rtt 20ms
t_eq "a sees its own" "10.1.0.0/16 rtt 10ms source static fd00::/16 rtt 1ms source static" "$(show a)"
t_eq "b sees its own" "10.1.0.0/16 rtt 20ms source static" "$(show b)"
t_eq "get in b answers from b's table" "10.1.0.0/16 rtt 20ms source static" \
	"$(B profile get 10.1.1.1 | sed 's/ age.*//')"
out=$(B profile get fd00::1 2>&1)
t_eq "b cannot get a's IPv6 profile" "1:Error: no profile matches this address." "$?:$out"
out=$(B profile del fd00::/16 2>&1)
t_eq "b cannot delete a's profile" "1:Error: no profile for this prefix." "$?:$out"
t_check "b flushes its table" B profile flush
t_eq "a's table survives b's flush" "10.1.0.0/16 rtt 10ms source static fd00::/16 rtt 1ms source static" \
	"$(show a)"
t_eq "b is empty" "" "$(show b)"
t_eq "b's statistics are b's" "profiles 0" "$(B stats | head -n1 | cut -d' ' -f1-2)"
t_eq "a's statistics are a's" "profiles 2" "$(A stats | head -n1 | cut -d' ' -f1-2)"
t_eq "the initial namespace is untouched" "$init_before" \
	"$("$DACC" -j profile show | sed -E 's/"age_ms":[0-9]+,//g')"

# Root of a child user namespace, seen through genl_raw (netlink_lib.sh).
out=$(genl_raw_ns a userns 2>&1)
t_eq "child userns: sees the parent's table through a parent socket" \
	"child userns, parent socket, dump: 10.1.0.0/16 fd00::/16" \
	"$(echo "$out" | grep '^child userns, parent socket, dump')"
t_eq "child userns: cannot add through a socket of the parent namespace" \
	"child userns, parent socket, add: EPERM" "$(echo "$out" | grep '^child userns, parent socket, add')"
t_eq "child userns: cannot add through a new socket in the parent namespace" \
	"child userns, new socket in parent netns, add: EPERM" \
	"$(echo "$out" | grep '^child userns, new socket')"
t_eq "child netns: starts empty, cannot see the parent's" "child netns, dump:" \
	"$(echo "$out" | grep '^child netns, dump:' | sed 's/ *$//')"
t_eq "child netns: its root may add to its own table" "child netns, add: OK" \
	"$(echo "$out" | grep '^child netns, add')"
t_eq "child netns: holds only its own" "child netns, dump after: 192.0.2.3/32" \
	"$(echo "$out" | grep '^child netns, dump after')"
t_eq "the parent's table did not change" "10.1.0.0/16 rtt 10ms source static fd00::/16 rtt 1ms source static" \
	"$(show a)"

# A namespace that goes away with profiles in it frees them (the module's
# statistics of other namespaces are unaffected; the kernel log is checked
# for leaks and warnings by the VM runner).
for i in $(seq 1 50); do
	echo "profile add 10.2.$i.0/24 rtt ${i}ms"
done | A -batch -
t_eq "a holds 52 profiles" 52 "$(A profile show | wc -l)"
t_check "a namespace with profiles is deleted" $IP netns del "$(ns a)"
t_eq "b is unaffected" "profiles 0" "$(B stats | head -n1 | cut -d' ' -f1-2)"
t_done
