#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "dacc profile get ADDR" finds the longest prefix that covers ADDR: nested
# /0, /8, /16, /32 (and /0, /8, /32, /48, /128 in IPv6), odd lengths at
# their boundaries, the fallback to a shorter prefix after a delete, IPv4 and
# IPv6 kept apart; then 300 random prefixes against 400 random addresses,
# the expected answers computed by python's ipaddress module.
. "$(dirname "$0")/lib.sh"

dacc_cli_setup
# lpm ADDR EXPECTED_PREFIX
lpm()
{
	t_eq "get $1 -> $2" "$2" "$(D profile get "$1" 2>&1 | awk '{print $1}')"
}

printf 'profile add %s\n' \
	"0.0.0.0/0 rtt 100ms" "10.0.0.0/8 rtt 8ms" "10.1.0.0/16 rtt 16ms" \
	"10.1.2.3/32 rtt 32ms" "10.128.0.0/9 rtt 9ms" "10.1.2.0/31 rtt 31ms" \
	"::/0 rtt 100ms" "fd00::/8 rtt 8ms" "fd00:1::/32 rtt 32ms" \
	"fd00:1:2::/48 rtt 48ms" "fd00:1:2::3/128 rtt 128ms" | D -batch -
t_eq "11 overlapping prefixes added" 11 "$(D profile show | wc -l)"

lpm 10.1.2.3 10.1.2.3/32
lpm 10.1.2.0 10.1.2.0/31
lpm 10.1.2.1 10.1.2.0/31
lpm 10.1.2.2 10.1.0.0/16
lpm 10.1.2.4 10.1.0.0/16
lpm 10.1.255.255 10.1.0.0/16
lpm 10.0.255.255 10.0.0.0/8
lpm 10.2.0.1 10.0.0.0/8
lpm 10.127.255.255 10.0.0.0/8
lpm 10.128.0.0 10.128.0.0/9
lpm 10.255.255.255 10.128.0.0/9
lpm 11.0.0.0 0.0.0.0/0
lpm 9.255.255.255 0.0.0.0/0
lpm 255.255.255.255 0.0.0.0/0
lpm fd00:1:2::3 fd00:1:2::3/128
lpm fd00:1:2::4 fd00:1:2::/48
lpm fd00:1:3:: fd00:1::/32
lpm fd00:2:: fd00::/8
lpm fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff fd00::/8
lpm fe00:: ::/0
lpm ::ffff:10.1.2.3 ::/0
t_eq "get prints the matching profile's values" "10.1.0.0/16 rtt 16ms source static" \
	"$(D profile get 10.1.9.9 | sed 's/ age .*//')"

t_check "del 10.1.0.0/16" D profile del 10.1.0.0/16
lpm 10.1.2.4 10.0.0.0/8
lpm 10.1.2.3 10.1.2.3/32
t_check "del 10.0.0.0/8" D profile del 10.0.0.0/8
lpm 10.1.2.4 0.0.0.0/0
t_check "del 0.0.0.0/0" D profile del 0.0.0.0/0
out=$(D profile get 10.1.2.4 2>&1)
t_eq "no prefix left covers 10.1.2.4: error, exit 1" "1:Error: no profile matches this address." "$?:$out"
lpm 10.1.2.3 10.1.2.3/32
t_check "del fd00:1::/32" D profile del fd00:1::/32
lpm fd00:1:3:: fd00::/8
lpm fd00:1:2::4 fd00:1:2::/48

# Random prefixes (with /0 so that every address matches something), asked
# all at once through -batch with -j; python checks every answer.
t_check "flush" D profile flush
work=$(mktemp -d)
on_exit "rm -rf $work"
python3 - "$work" <<'PY'
import ipaddress, json, random, sys
random.seed(7)
w = sys.argv[1]
nets = {ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0")}
while len(nets) < 300:
    if random.random() < 0.6:
        # few distinct high bytes, so that prefixes nest
        a = ipaddress.IPv4Address(random.choice([10, 172, 192]) << 24 | random.getrandbits(24))
        n = ipaddress.ip_network("%s/%d" % (a, random.randint(1, 32)), strict=False)
    else:
        a = ipaddress.IPv6Address(0xfd00 << 112 | random.getrandbits(20) << 92 | random.getrandbits(92))
        n = ipaddress.ip_network("%s/%d" % (a, random.randint(1, 128)), strict=False)
    nets.add(n)
nets = sorted(nets, key=lambda n: (n.version, n.prefixlen, n.network_address))
with open(w + "/add", "w") as f:
    for i, n in enumerate(nets):
        f.write("profile add %s rtt %dus\n" % (n, i + 1))
addrs, want = [], []
for i in range(400):
    n = random.choice(nets)
    a = n.network_address + random.getrandbits(n.max_prefixlen - n.prefixlen)
    if random.random() < 0.2:
        a = ipaddress.ip_address(random.getrandbits(32)) if n.version == 4 else \
            ipaddress.ip_address(random.getrandbits(128))
    best = max((m for m in nets if m.version == a.version and a in m), key=lambda m: m.prefixlen)
    addrs.append(a)
    want.append(str(best))
with open(w + "/get", "w") as f:
    f.writelines("profile get %s\n" % a for a in addrs)
with open(w + "/want", "w") as f:
    f.write("\n".join(want) + "\n")
PY
out=$(D -batch "$work/add" 2>&1)
t_eq "300 random prefixes added with -batch" "0:" "$?:$out"
D -j -batch "$work/get" >"$work/got" 2>&1
t_eq "400 gets in one -batch -j" "0" "$?"
bad=$(python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
want = open(w + "/want").read().split()
got = [json.loads(l)[0]["prefix"] for l in open(w + "/got")]
addrs = [l.split()[2] for l in open(w + "/get")]
bad = ["%s: expected %s, got %s" % (a, x, y) for a, x, y in zip(addrs, want, got) if x != y]
if len(got) != len(want):
    bad.append("%d answers for %d questions" % (len(got), len(want)))
print("\n".join(bad[:10]))
PY
)
t_eq "every random address got its longest prefix" "" "$bad"
t_done
