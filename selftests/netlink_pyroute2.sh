#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A client the project did not write talks to the family: Debian's
# python3-pyroute2 (GenericNetlinkSocket with a message class of its own)
# adds, gets, dumps, deletes profiles, reads the statistics and receives the
# events, agreeing with the dacc command; iproute2's genl shows the family.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x $PY ] || PY=python3
$PY -c 'import pyroute2' 2>/dev/null || t_skip_all "python3-pyroute2 missing"
dacc_cli_setup

out=$(nsx t genl ctrl get name dacc 2>&1)
t_eq "genl ctrl get name dacc: name and version" "Name: dacc Version: 0x1" \
	"$(echo "$out" | grep -oE 'Name: dacc|Version: 0x[0-9a-f]+' | xargs)"
t_eq "genl ctrl get name dacc: the events group" "events" \
	"$(echo "$out" | grep -oE 'name: events' | awk '{print $2}')"

D profile add 10.60.0.0/16 rtt 60ms jitter 6ms bw 40gbit

# The pyroute2 client prints one "what: result" line per step.
got=$(DACC="$DACC" nsx t $PY - <<'PY' 2>&1
import os, select, socket, subprocess
from pyroute2.netlink import genlmsg, nla, NLA_F_NESTED, NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP
from pyroute2.netlink.exceptions import NetlinkError
from pyroute2.netlink.generic import GenericNetlinkSocket

NLM_F_EXCL, NLM_F_CREATE = 0x200, 0x400
ADD, DEL, GET, FLUSH, STATS = 1, 2, 3, 4, 5


class daccmsg(genlmsg):
    nla_map = (("DACC_A_UNSPEC", "none"),
               ("DACC_A_PAD", "none"),
               ("DACC_A_PROFILE", "profile", NLA_F_NESTED),
               ("DACC_A_STATS", "stats", NLA_F_NESTED))

    class profile(nla):
        nla_map = (("DACC_A_PROFILE_UNSPEC", "none"),
                   ("DACC_A_PROFILE_PAD", "none"),
                   ("DACC_A_PROFILE_FAMILY", "uint16"),
                   ("DACC_A_PROFILE_ADDR", "cdata"),
                   ("DACC_A_PROFILE_PREFIXLEN", "uint8"),
                   ("DACC_A_PROFILE_RTT_US", "uint32"),
                   ("DACC_A_PROFILE_RTTVAR_US", "uint32"),
                   ("DACC_A_PROFILE_BW_BPS", "uint64"),
                   ("DACC_A_PROFILE_LOSS_PPM", "uint32"),
                   ("DACC_A_PROFILE_SOURCE", "uint8"),
                   ("DACC_A_PROFILE_AGE_MS", "uint64"),
                   ("DACC_A_PROFILE_FLOWS", "uint64"),
                   ("DACC_A_PROFILE_BYTES_ACKED", "uint64"),
                   ("DACC_A_PROFILE_RETRANS", "uint64"),
                   ("DACC_A_PROFILE_MIN_RTT_US", "uint32"),
                   ("DACC_A_PROFILE_SRTT_US", "uint32"))

    class stats(nla):
        nla_map = (("DACC_A_STATS_UNSPEC", "none"),
                   ("DACC_A_STATS_PAD", "none"),
                   ("DACC_A_STATS_PROFILES", "uint32"),
                   ("DACC_A_STATS_MAX_PROFILES", "uint32"),
                   ("DACC_A_STATS_LOOKUPS", "uint64"),
                   ("DACC_A_STATS_HITS", "uint64"),
                   ("DACC_A_STATS_ADDS", "uint64"),
                   ("DACC_A_STATS_DELS", "uint64"),
                   ("DACC_A_STATS_GENERATION", "uint32"))


def key(prefix):
    a, plen = prefix.split("/")
    fam = socket.AF_INET6 if ":" in a else socket.AF_INET
    return [("DACC_A_PROFILE_FAMILY", fam),
            ("DACC_A_PROFILE_ADDR", socket.inet_pton(fam, a)),
            ("DACC_A_PROFILE_PREFIXLEN", int(plen))]


def request(s, cmd, attrs, flags):
    m = daccmsg()
    m["cmd"] = cmd
    m["version"] = 1
    m["attrs"] = attrs
    return s.nlm_request(m, msg_type=s.prid, msg_flags=NLM_F_REQUEST | flags)


def show(p):
    p = p.get_attr("DACC_A_PROFILE")
    fam = p.get_attr("DACC_A_PROFILE_FAMILY")
    return "%s/%d rtt_us=%d rttvar_us=%d bw_bps=%d" % (
        socket.inet_ntop(fam, p.get_attr("DACC_A_PROFILE_ADDR")),
        p.get_attr("DACC_A_PROFILE_PREFIXLEN"), p.get_attr("DACC_A_PROFILE_RTT_US"),
        p.get_attr("DACC_A_PROFILE_RTTVAR_US"), p.get_attr("DACC_A_PROFILE_BW_BPS") or 0)


s = GenericNetlinkSocket()
s.bind("dacc", daccmsg)
print("bind: family id", "ok" if s.prid > 0x10 else s.prid, "groups", sorted(s.mcast_groups))
ev = GenericNetlinkSocket()
ev.bind("dacc", daccmsg)
ev.add_membership("events")

request(s, ADD, [("DACC_A_PROFILE", {"attrs": key("10.70.0.0/16") + [
    ("DACC_A_PROFILE_RTT_US", 70000), ("DACC_A_PROFILE_BW_BPS", 10**12)]})],
    NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
print("add 10.70.0.0/16: ok")
request(s, ADD, [("DACC_A_PROFILE", {"attrs": key("fd00:70::/32") + [
    ("DACC_A_PROFILE_RTT_US", 700), ("DACC_A_PROFILE_RTTVAR_US", 7)]})],
    NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
print("add fd00:70::/32: ok")
try:
    request(s, ADD, [("DACC_A_PROFILE", {"attrs": key("10.70.0.0/16") + [
        ("DACC_A_PROFILE_RTT_US", 1)]})], NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
    print("add again: accepted")
except NetlinkError as e:
    print("add again:", os.strerror(e.code))
try:
    request(s, ADD, [("DACC_A_PROFILE", {"attrs": key("10.71.0.0/16") + [
        ("DACC_A_PROFILE_RTT_US", 0)]})], NLM_F_ACK | NLM_F_CREATE)
    print("rtt 0: accepted")
except NetlinkError as e:
    print("rtt 0:", os.strerror(e.code))

for m in request(s, GET, [], NLM_F_DUMP):
    print("dump:", show(m))
for m in request(s, GET, [("DACC_A_PROFILE", {"attrs": key("10.70.1.2/32")})], 0):
    print("get 10.70.1.2:", show(m))
out = subprocess.run([os.environ["DACC"], "profile", "show", "10.70.0.0/16"],
                     capture_output=True, text=True).stdout
print("dacc shows:", " ".join(out.split()[:5]))

request(s, DEL, [("DACC_A_PROFILE", {"attrs": key("10.60.0.0/16")})], NLM_F_ACK)
print("del 10.60.0.0/16: ok")
for m in request(s, STATS, [], 0):
    st = m.get_attr("DACC_A_STATS")
    print("stats: profiles %d adds %d dels %d" % (
        st.get_attr("DACC_A_STATS_PROFILES"), st.get_attr("DACC_A_STATS_ADDS"),
        st.get_attr("DACC_A_STATS_DELS")))

names = {6: "add", 7: "del", 8: "flush"}
events = []
while len(events) < 3 and select.select([ev], [], [], 10)[0]:
    for m in ev.get():
        p = m.get_attr("DACC_A_PROFILE")
        events.append(names.get(m["cmd"], m["cmd"]) + (" " + show(m).split()[0] if p else ""))
print("events:", ", ".join(events))
PY
)
want="bind: family id ok groups ['events']
add 10.70.0.0/16: ok
add fd00:70::/32: ok
add again: File exists
rtt 0: Numerical result out of range
dump: 10.60.0.0/16 rtt_us=60000 rttvar_us=6000 bw_bps=40000000000
dump: 10.70.0.0/16 rtt_us=70000 rttvar_us=0 bw_bps=1000000000000
dump: fd00:70::/32 rtt_us=700 rttvar_us=7 bw_bps=0
get 10.70.1.2: 10.70.0.0/16 rtt_us=70000 rttvar_us=0 bw_bps=1000000000000
dacc shows: 10.70.0.0/16 rtt 70ms bw 1Tbit
del 10.60.0.0/16: ok
stats: profiles 2 adds 3 dels 1
events: add 10.70.0.0/16, add fd00:70::/32, del 10.60.0.0/16"
# One TAP line per step, so a failure says which.
i=0
while IFS= read -r w; do
	i=$((i + 1))
	t_eq "pyroute2: ${w%%:*}" "$w" "$(printf '%s\n' "$got" | sed -n "${i}p")"
done <<<"$want"
[ "$(printf '%s\n' "$got" | wc -l)" -le "$i" ] ||
	t_fail "pyroute2 client printed nothing more" "$(printf '%s\n' "$got" | sed -n "$((i + 1)),\$p")"
t_eq "the dacc command sees pyroute2's profiles" "10.70.0.0/16 rtt 70ms bw 1Tbit source static fd00:70::/32 rtt 700us jitter 7us source static" \
	"$(D profile show | sed -E 's/ age [^ ]+$//' | xargs)"
t_done
