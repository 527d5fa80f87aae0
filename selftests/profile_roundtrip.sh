#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Profiles go in and come back out as they were: add, show (text, and JSON
# read back by python), get, replace, del and flush, IPv4 and IPv6, in a
# namespace of the test's own; what show prints can be fed back to -batch;
# the statistics count it all.
. "$(dirname "$0")/lib.sh"

dacc_cli_setup
# The text without the age, which grows.
show()
{
	D profile show "$@" | sed -E 's/ age [^ ]+$//'
}
# json_eq DESCRIPTION EXPECTED_JSON DACC_ARGS...: the JSON dacc prints, read
# back, equals EXPECTED once ages and telemetry are set aside.
json_eq()
{
	local d=$1 exp=$2 got

	shift 2
	got=$(D -j "$@" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
for o in doc:
    assert isinstance(o.pop("age_ms"), int)
    assert sorted(o.pop("stats")) == ["bytes_acked", "flows", "min_rtt_us", "retrans", "srtt_us"]
print(json.dumps(doc, sort_keys=True))' 2>&1)
	exp=$(python3 -c 'import json, sys; print(json.dumps(json.loads(sys.argv[1]), sort_keys=True))' "$exp")
	t_eq "$d" "$exp" "$got"
}

t_eq "a new namespace has no profiles (text)" "" "$(D profile show)"
t_eq "a new namespace has no profiles (JSON)" "[]" "$(D -j profile show)"

t_check "add 10.20.0.0/16 with every value" \
	D profile add 10.20.0.0/16 rtt 48ms jitter 2ms bw 100gbit loss 100ppm
t_check "add 192.0.2.1 (a host, /32)" D profile add 192.0.2.1 rtt 300us
t_check "add 0.0.0.0/0" D profile add 0.0.0.0/0 rtt 10s source learned
t_check "add fd00:20::/32" D profile add fd00:20::/32 rtt 1.5ms jitter 250us source learned
t_check "add 2001:db8::1/128" D profile add 2001:db8::1/128 rtt 1us bw 1bit loss 100000
t_check "add ::/0" D profile add ::/0 rtt 250ms loss 0.01%

t_eq "show: one line each, IPv4 first, by prefix length" \
"0.0.0.0/0 rtt 10s source learned
10.20.0.0/16 rtt 48ms jitter 2ms bw 100Gbit loss 100ppm source static
192.0.2.1/32 rtt 300us source static
::/0 rtt 250ms loss 100ppm source static
fd00:20::/32 rtt 1.5ms jitter 250us source learned
2001:db8::1/128 rtt 1us bw 1bit loss 100000ppm source static" "$(show)"

json_eq "show -j: every value read back" '[
 {"prefix": "0.0.0.0/0", "rtt_us": 10000000, "rttvar_us": 0, "bw_bps": 0, "loss_ppm": 0, "source": "learned"},
 {"prefix": "10.20.0.0/16", "rtt_us": 48000, "rttvar_us": 2000, "bw_bps": 100000000000, "loss_ppm": 100, "source": "static"},
 {"prefix": "192.0.2.1/32", "rtt_us": 300, "rttvar_us": 0, "bw_bps": 0, "loss_ppm": 0, "source": "static"},
 {"prefix": "::/0", "rtt_us": 250000, "rttvar_us": 0, "bw_bps": 0, "loss_ppm": 100, "source": "static"},
 {"prefix": "fd00:20::/32", "rtt_us": 1500, "rttvar_us": 250, "bw_bps": 0, "loss_ppm": 0, "source": "learned"},
 {"prefix": "2001:db8::1/128", "rtt_us": 1, "rttvar_us": 0, "bw_bps": 1, "loss_ppm": 100000, "source": "static"}
]' profile show
t_eq "-j -p prints the same document" "$(D -j profile show | sed -E 's/"age_ms":[0-9]+//g')" \
	"$(D -j -p profile show | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin), separators=(",", ":")))' |
	   sed -E 's/"age_ms":[0-9]+//g')"
out=$(D -s profile show 10.20.0.0/16)
t_eq "-s adds a line of telemetry" "    flows 0 bytes_acked 0 retrans 0" "$(echo "$out" | sed -n 2p)"

t_eq "show PREFIX: that prefix only" "10.20.0.0/16 rtt 48ms jitter 2ms bw 100Gbit loss 100ppm source static" \
	"$(show 10.20.0.0/16)"
t_eq "show PREFIX: no covering match" "" "$(show 10.20.0.0/17)"
t_eq "show source learned" "0.0.0.0/0 fd00:20::/32" "$(show source learned | awk '{print $1}' | xargs)"
t_eq "get 10.20.7.7: its /16" "10.20.0.0/16" "$(D profile get 10.20.7.7 | awk '{print $1}')"
t_eq "get fd00:20:1::5: its /32" "fd00:20::/32" "$(D profile get fd00:20:1::5 | awk '{print $1}')"
json_eq "get -j 2001:db8::1" '[{"prefix": "2001:db8::1/128", "rtt_us": 1, "rttvar_us": 0,
	"bw_bps": 1, "loss_ppm": 100000, "source": "static"}]' profile get 2001:db8::1

# replace: the new values, every unset one back to none.
t_check "replace 10.20.0.0/16 with rtt only" D profile replace 10.20.0.0/16 rtt 50ms
json_eq "replace: unset values are gone" '[{"prefix": "10.20.0.0/16", "rtt_us": 50000,
	"rttvar_us": 0, "bw_bps": 0, "loss_ppm": 0, "source": "static"}]' profile show 10.20.0.0/16
t_check "replace creates a missing prefix" D profile replace 10.30.0.0/16 rtt 30ms
t_eq "the new prefix is there" "10.30.0.0/16 rtt 30ms source static" "$(show 10.30.0.0/16)"
t_check "unique keyword prefixes work (dacc pro rep ... r 31ms)" D pro rep 10.30.0.0/16 r 31ms
t_eq "... and changed it" "10.30.0.0/16 rtt 31ms source static" "$(show 10.30.0.0/16)"

# What show prints is what add reads: dump, flush, restore, compare.
before=$(D -j profile show | sed -E 's/"age_ms":[0-9]+,//g')
lines=$(show | sed 's/^/profile add /')
t_check "flush" D profile flush
t_eq "flush emptied the table" "" "$(D profile show)"
out=$(printf '%s\n' "$lines" | D -batch - 2>&1)
t_eq "-batch - restores the printed table" "0:" "$?:$out"
t_eq "restored table equals the original (JSON, ages aside)" "$before" \
	"$(D -j profile show | sed -E 's/"age_ms":[0-9]+,//g')"

t_check "del 192.0.2.1/32" D profile del 192.0.2.1/32
t_check "del ::/0" D profile del ::/0
t_eq "del removed exactly those" "0.0.0.0/0 10.20.0.0/16 10.30.0.0/16 fd00:20::/32 2001:db8::1/128" \
	"$(show | awk '{print $1}' | xargs)"
out=$(D profile del 192.0.2.1/32 2>&1)
t_eq "del again: not found, exit 1" "1:Error: no profile for this prefix." "$?:$out"
t_check "flush source learned" D profile flush source learned
t_eq "flush source learned kept the static ones" "10.20.0.0/16 10.30.0.0/16 2001:db8::1/128" \
	"$(show | awk '{print $1}' | xargs)"
t_check "flush source static" D profile flush source static
t_eq "then nothing is left" "" "$(D profile show)"

stats=$(D -j stats)
t_eq "stats -j counts it all" "profiles=0 max=$(cat /sys/module/tcp_dacc/parameters/max_profiles) adds=16 dels=14" \
	"$(echo "$stats" | python3 -c 'import json, sys; s = json.load(sys.stdin)
print("profiles=%d max=%d adds=%d dels=%d" % (s["profiles"], s["max_profiles"], s["adds"], s["dels"]))')"
t_eq "stats text" "profiles 0 max_profiles" "$(D stats | head -n1 | cut -d' ' -f1-3)"

# Without the family the command says so.
if module_unload 2>/dev/null; then
	out=$(D profile show 2>&1)
	t_eq "module unloaded: the family is not available, exit 1" \
		"1:dacc: the dacc family is not available (is tcp_dacc loaded?)" "$?:$out"
	module_load
else
	t_skip "module unloaded: the family is not available" "tcp_dacc is in use"
fi
out=$("$DACC" -n no-such-ns profile show 2>&1)
t_eq "-n of a missing namespace, exit 1" \
	"1:Cannot open network namespace \"no-such-ns\": No such file or directory" "$?:$out"
t_done
