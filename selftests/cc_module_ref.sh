#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An open dacc socket pins the module: rmmod fails while it lives and
# succeeds once it is closed.
. "$(dirname "$0")/lib.sh"

module_load || t_skip_all "tcp_dacc.ko does not load"
ns_create a
nsx a iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
wait_for 5 tcp_listening a 5201
nsx_bg a iperf3 -c 127.0.0.1 -p 5201 -C dacc -b 1M -t 120 >/dev/null 2>&1
client=$!
dacc_conn()
{
	nsx a $SS -Htin state established dport = :5201 | grep -qw dacc
}
wait_for 10 dacc_conn
t_check "an iperf3 -C dacc connection is established" dacc_conn
refs=$(awk '$1 == "tcp_dacc" { print $3 }' /proc/modules)
if [ "${refs:-0}" -ge 1 ]; then
	t_ok "the module's use count is $refs with the socket open"
else
	t_fail "the module is in use with the socket open" "expected use count >= 1" "got: ${refs:-none}"
fi
t_check_fail "rmmod tcp_dacc fails while the socket is open" rmmod tcp_dacc
t_check "the module is still loaded" grep -q '^tcp_dacc ' /proc/modules
kill $client 2>/dev/null
wait $client 2>/dev/null
wait_for 10 sh -c "! $IP netns exec $(ns a) $SS -Htin | grep -qw dacc"
if wait_for 10 rmmod tcp_dacc; then
	t_ok "rmmod tcp_dacc succeeds after the socket closed"
else
	t_fail "rmmod tcp_dacc succeeds after the socket closed" "expected success" "got: $(rmmod tcp_dacc 2>&1)"
fi
t_done
