#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An unprivileged process may pick dacc with setsockopt(TCP_CONGESTION) and
# reads it back; a restricted algorithm stays refused to it.
. "$(dirname "$0")/lib.sh"

sel=$TOP/selftests/cc_select
[ -x "$sel" ] || t_skip_all "cc_select not built (make -C selftests)"
module_load || t_skip_all "tcp_dacc.ko does not load"
as_nobody()
{
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}

t_eq "unprivileged process runs as uid 65534" 65534 "$(as_nobody id -u)"
out=$(as_nobody "$sel" dacc 2>&1)
rc=$?
t_eq "uid 65534: setsockopt(TCP_CONGESTION, dacc) then getsockopt" "0:uid 65534: dacc" "$rc:$out"

# The control: vegas is loaded but not in the allowed list, so the same
# program as the same user is refused.  This shows the check above can fail.
modprobe tcp_vegas
allowed=$(cat /proc/sys/net/ipv4/tcp_allowed_congestion_control)
case " $allowed " in
*" vegas "*) t_skip "uid 65534 is refused a restricted algorithm" "vegas is allowed here ($allowed)" ;;
*) t_check_fail "uid 65534 is refused a restricted algorithm (vegas)" as_nobody "$sel" vegas ;;
esac
t_check "root may select the restricted algorithm" "$sel" vegas
t_done
