#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcp_dacc loads, registers "dacc" as available and allowed to everyone,
# becomes the namespace default by sysctl, and unloads cleanly.
. "$(dirname "$0")/lib.sh"

module_unload
t_check "insmod tcp_dacc.ko" module_load
avail=$(cat /proc/sys/net/ipv4/tcp_available_congestion_control)
case " $avail " in
*" dacc "*) t_ok "dacc is in tcp_available_congestion_control" ;;
*) t_fail "dacc is in tcp_available_congestion_control" "expected dacc among" "got: $avail" ;;
esac
allowed=$(cat /proc/sys/net/ipv4/tcp_allowed_congestion_control)
case " $allowed " in
*" dacc "*) t_ok "dacc is in tcp_allowed_congestion_control (non-restricted)" ;;
*) t_fail "dacc is in tcp_allowed_congestion_control" "expected dacc among" "got: $allowed" ;;
esac

# The default is per namespace: set it in a fresh one and open a connection.
ns_create a
t_check "sysctl net.ipv4.tcp_congestion_control=dacc" \
	nsx a sysctl -qw net.ipv4.tcp_congestion_control=dacc
t_eq "the namespace default reads back dacc" dacc \
	"$(nsx a cat /proc/sys/net/ipv4/tcp_congestion_control)"
conn_open a a 127.0.0.1 5201
t_eq "a new connection uses dacc (ss -ti)" dacc "$(conn_ccs a 5201)"
t_check "another namespace keeps its own default" \
	sh -c "[ \"\$(cat /proc/sys/net/ipv4/tcp_congestion_control)\" != dacc ]"

# The namespace default holds a module reference until the namespace goes.
_run_cleanups
_cleanups=()
if wait_for 10 module_unload; then
	t_ok "rmmod tcp_dacc once no namespace uses it"
else
	t_fail "rmmod tcp_dacc once no namespace uses it" "expected rmmod to succeed" \
		"got: $(rmmod tcp_dacc 2>&1)"
fi
avail=$(cat /proc/sys/net/ipv4/tcp_available_congestion_control)
case " $avail " in
*" dacc "*) t_fail "dacc is gone after rmmod" "expected no dacc" "got: $avail" ;;
*) t_ok "dacc is gone after rmmod" ;;
esac
t_done
