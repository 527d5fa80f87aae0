#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The netlink family under netlink_fuzz (see netlink_fuzz.c): random and
# boundary requests of every command and flag, a quarter of them mutated
# into invalid ones, from root, from nobody and from nobody's own user+net
# namespace, each answer checked against a reference model of the table,
# and the table compared with the model after the run.  NETLINK_FUZZ_N
# sets root's messages (make check: 20000; make check-debug: 100000).
. "$(dirname "$0")/lib.sh"

module_load || t_skip_all "tcp_dacc.ko does not load"
fuzz=$TOP/selftests/netlink_fuzz
[ -x "$fuzz" ] || t_skip_all "netlink_fuzz is not built (make -C selftests)"
ns_create t || t_skip_all "cannot create network namespaces"
n=${NETLINK_FUZZ_N:-20000}
# Its own TAP, in this namespace (the others' tables are not touched).
nsx t "$fuzz" -n "$n" -u $((n / 20)) -c $((n / 5)) ${NETLINK_FUZZ_SEED:+-s $NETLINK_FUZZ_SEED}
