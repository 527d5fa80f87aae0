#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `ip route ... congctl dacc` makes connections over that route use dacc,
# while connections over other routes keep the namespace default.
#
#   a (10.9.1.1, fd09::1) ---veth--- b (10.9.1.2, fd09::2; 10.9.2.2 on lo)
. "$(dirname "$0")/lib.sh"

module_load || t_skip_all "tcp_dacc.ko does not load"
ns_create a b
veth_pair a veth0 10.9.1.1/24 b veth0 10.9.1.2/24
nsx a $IP -6 addr add fd09::1/64 dev veth0 nodad
nsx b $IP -6 addr add fd09::2/64 dev veth0 nodad
nsx b $IP addr add 10.9.2.2/32 dev lo
t_check "ip route add 10.9.2.0/24 ... congctl dacc" \
	nsx a $IP route add 10.9.2.0/24 via 10.9.1.2 congctl dacc
t_check "ip -6 route add fd09::2/128 ... congctl dacc" \
	nsx a $IP -6 route add fd09::2/128 dev veth0 congctl dacc
route=$(nsx a $IP route show 10.9.2.0/24)
case $route in
*"congctl dacc"*) t_ok "the route shows congctl dacc" ;;
*) t_fail "the route shows congctl dacc" "expected congctl dacc" "got: $route" ;;
esac
default=$(nsx a cat /proc/sys/net/ipv4/tcp_congestion_control)

conn_open b a 10.9.2.2 5201
t_eq "connection over the congctl route (IPv4) uses dacc" dacc "$(conn_ccs a 5201)"
conn_open b a fd09::2 5202
t_eq "connection over the congctl route (IPv6) uses dacc" dacc "$(conn_ccs a 5202)"
conn_open b a 10.9.1.2 5203
t_eq "connection over another route uses the default ($default)" "$default" \
	"$(conn_ccs a 5203)"
t_done
