#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad input is refused with an error naming what is wrong, and the table
# stays exactly as it was (the JSON dump, ages left out, and the statistics
# with their generation counter byte-identical before and after):
#  - what the dacc command refuses itself, and kernel refusals it reports;
#  - what only the kernel can refuse: raw requests from genl_raw
#    (netlink_lib.sh) with wrong types and lengths, truncated messages,
#    unknown, read-only and missing attributes, family mismatches...;
#  - a full table (module parameter max_profiles): -ENOSPC.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/netlink_lib.sh"

dacc_cli_setup
snapshot()
{
	D -j profile show | sed -E 's/"age_ms":[0-9]+,//g'
	D -j stats
}

D profile add 10.1.0.0/16 rtt 16ms jitter 1ms bw 10gbit loss 10ppm
D profile add 0.0.0.0/0 rtt 100ms source learned
D profile add fd00::/16 rtt 2ms
D profile add 2001:db8::1 rtt 5ms bw 1gbit
t_eq "the table to keep: 4 profiles" 4 "$(D profile show | wc -l)"

# cli_bad DESCRIPTION EXPECTED_MESSAGE DACC_ARGS...
cli_bad()
{
	local d=$1 exp=$2 before after out rc state

	shift 2
	before=$(snapshot)
	out=$(D "$@" 2>&1)
	rc=$?
	after=$(snapshot)
	state=unchanged
	[ "$before" = "$after" ] || state=CHANGED
	if [ $rc = 1 ] && [ "$out" = "$exp" ] && [ $state = unchanged ]; then
		t_ok "$d"
	else
		t_fail "$d: dacc $*" "expected: exit 1, table unchanged, \"$exp\"" \
			"got:      exit $rc, table $state, \"$out\""
	fi
}

# Refused by the command before anything is sent.
cli_bad "CLI: prefix is not an address" \
	'Error: argument "10.1.0/16" is wrong: "10.1.0" is not an IPv4 or IPv6 address' \
	profile add 10.1.0/16 rtt 1ms
cli_bad "CLI: IPv4 prefix length 33" \
	'Error: argument "10.0.0.0/33" is wrong: the prefix length must be a number from 0 to 32' \
	profile add 10.0.0.0/33 rtt 1ms
cli_bad "CLI: IPv6 prefix length 129" \
	'Error: argument "fd00::/129" is wrong: the prefix length must be a number from 0 to 128' \
	profile replace fd00::/129 rtt 1ms
cli_bad "CLI: host bits beyond the prefix" \
	'Error: argument "10.1.2.3/16" is wrong: host bits are set beyond /16 (did you mean 10.1.0.0/16?)' \
	profile replace 10.1.2.3/16 rtt 1ms
cli_bad "CLI: rtt 0" \
	'Error: argument "0ms" is wrong: rtt must be from 1us to 10s' \
	profile replace 10.1.0.0/16 rtt 0ms
cli_bad "CLI: rtt absurd (1h)" \
	'Error: argument "3600s" is wrong: rtt must be from 1us to 10s' \
	profile replace 10.1.0.0/16 rtt 3600s
cli_bad "CLI: rtt not a time" \
	'Error: argument "fast" is wrong: rtt is a time such as 48ms, 300us or 1.5s' \
	profile replace 10.1.0.0/16 rtt fast
cli_bad "CLI: rtt missing" \
	'Error: "rtt" is required: dacc profile add PREFIX rtt TIME ...' \
	profile replace 10.1.0.0/16 jitter 1ms
cli_bad "CLI: unknown keyword" \
	'Error: argument "latency" is wrong: unknown keyword; expected rtt, jitter, bw, loss or source' \
	profile replace 10.1.0.0/16 latency 1ms
cli_bad "CLI: bw 0" \
	'Error: argument "0gbit" is wrong: bw must be from 1bit to 1.6Tbit' \
	profile replace 10.1.0.0/16 rtt 1ms bw 0gbit
cli_bad "CLI: bw above 1.6 Tbit/s" \
	'Error: argument "2tbit" is wrong: bw must be from 1bit to 1.6Tbit' \
	profile replace 10.1.0.0/16 rtt 1ms bw 2tbit
cli_bad "CLI: loss above 10%" \
	'Error: argument "11%" is wrong: loss is a whole number of ppm from 0 to 100000 ("100ppm", "0.01%")' \
	profile replace 10.1.0.0/16 rtt 1ms loss 11%
cli_bad "CLI: unknown source" \
	'Error: argument "manual" is wrong: source is "static" or "learned"' \
	profile flush source manual
cli_bad "CLI: unknown command" \
	'Command "erase" is unknown, try "dacc profile help".' \
	profile erase 10.1.0.0/16
cli_bad "CLI: get of a prefix" \
	'Error: argument "10.1.0.0/16" is wrong: get takes an address, not a prefix' \
	profile get 10.1.0.0/16
# Refused by the kernel, reported by the command.
cli_bad "kernel via CLI: duplicate add (NLM_F_EXCL)" \
	'Error: a profile for this prefix exists (NLM_F_EXCL).' \
	profile add 10.1.0.0/16 rtt 1ms
cli_bad "kernel via CLI: del of a missing prefix" \
	'Error: no profile for this prefix.' \
	profile del 10.2.0.0/16
cli_bad "kernel via CLI: del of a longer prefix than the one present" \
	'Error: no profile for this prefix.' \
	profile del 10.1.0.0/24
cli_bad "kernel via CLI: get with nothing matching (IPv6)" \
	'Error: no profile matches this address.' \
	profile get 2001:db9::1

# Refused by the kernel alone: CASE|ERRNO|extack message|attribute named.
expect=(
	"no-profile-nest|EINVAL||missing profile"
	"family-unknown|EINVAL|family must be AF_INET or AF_INET6|family"
	"family-v4-addr-16-bytes|EINVAL|addr must be 4 bytes for AF_INET|addr"
	"family-v6-addr-4-bytes|EINVAL|addr must be 16 bytes for AF_INET6|addr"
	"addr-5-bytes|EINVAL|addr must be 4 bytes for AF_INET|addr"
	"prefixlen-33-v4|ERANGE|prefixlen must be at most 32 for AF_INET|prefixlen"
	"prefixlen-129-v6|ERANGE|integer out of range|prefixlen"
	"host-bits-set|EINVAL|addr has host bits set past prefixlen|addr"
	"rtt-zero|ERANGE|integer out of range|rtt-us"
	"rtt-above-10s|ERANGE|integer out of range|rtt-us"
	"rttvar-above-10s|ERANGE|integer out of range|rttvar-us"
	"bw-zero|ERANGE|integer out of range|bw-bps"
	"loss-above-1e6|ERANGE|integer out of range|loss-ppm"
	"loss-above-max|ERANGE|integer out of range|loss-ppm"
	"bw-above-max|ERANGE|integer out of range|bw-bps"
	"bw-u64-max|ERANGE|integer out of range|bw-bps"
	"add-without-create|ENOENT|no profile for this prefix (NLM_F_CREATE not set)|"
	"add-existing-without-replace|EEXIST|a profile for this prefix exists (NLM_F_REPLACE not set)|"
	"source-unknown|ERANGE|integer out of range|source"
	"rtt-missing|EINVAL|missing attribute: rtt-us|missing rtt-us"
	"prefixlen-missing|EINVAL|missing attribute: prefixlen|missing prefixlen"
	"addr-missing|EINVAL|missing attribute: addr|missing addr"
	"family-missing|EINVAL|missing attribute: family|missing family"
	"read-only-age|EINVAL|read-only attribute|age-ms"
	"read-only-flows|EINVAL|read-only attribute|flows"
	"pad-in-request|EINVAL|Attribute failed policy validation|pad"
	"unknown-attr-in-nest|EINVAL|Unknown attribute type|99"
	"unknown-attr-top-level|EINVAL|Unknown attribute type|9"
	"rtt-as-u16|EINVAL|invalid attribute length|rtt-us"
	"prefixlen-as-u32|EINVAL|invalid attribute length|prefixlen"
	"truncated-genl-header|EINVAL||"
	"truncated-nest|EINVAL|bytes leftover after parsing attributes|"
	"truncated-attr-in-nest|EINVAL|bytes leftover after parsing attributes|"
	"genl-reserved-set|EINVAL|genlmsghdr.reserved field is not 0|"
	"nlmsg-flags-append|EINVAL|unsupported bits set in nlmsg_flags|"
	"nest-without-nested-flag|EINVAL|NLA_F_NESTED is missing|profile"
	"unknown-command|EOPNOTSUPP||"
	"event-command-as-request|EOPNOTSUPP||"
	"stats-attr-in-request|EINVAL|read-only attribute|stats"
	"flush-by-rtt|EINVAL|flush selects by source only|rtt-us"
	"flush-source-unknown|ERANGE|integer out of range|source"
	"get-family-mismatch|EINVAL|addr must be 16 bytes for AF_INET6|addr"
	"del-missing-prefix|ENOENT|no profile for this prefix|"
	"add-existing-excl|EEXIST|a profile for this prefix exists (NLM_F_EXCL)|"
)
names=()
for e in "${expect[@]}"; do
	names+=("${e%%|*}")
done
snap_cmd="'$DACC' -n '$(ns t)' -j profile show; '$DACC' -n '$(ns t)' -j stats"
got=$(GENL_SNAPSHOT=$snap_cmd genl_raw_ns t "${names[@]}" 2>&1)
for e in "${expect[@]}"; do
	name=${e%%|*}
	line=$(printf '%s\n' "$got" | grep -m1 "^$name|")
	# ENOTSUP and EOPNOTSUPP are one number; Python names it either way.
	line=${line/|ENOTSUP|/|EOPNOTSUPP|}
	t_eq "kernel refuses $name, table unchanged" "$e|table unchanged" "$line"
done
[ "$(printf '%s\n' "$got" | wc -l)" = ${#expect[@]} ] ||
	t_fail "genl_raw ran every case" "$got"

# A full table: max_profiles is the module's, so set it to what this
# namespace holds and put it back.
param=/sys/module/tcp_dacc/parameters/max_profiles
if [ -w $param ]; then
	old=$(cat $param)
	on_exit "echo $old > $param"
	echo 4 >$param
	cli_bad "kernel via CLI: a fifth profile past max_profiles=4" \
		'Error: profile table is full (module parameter max_profiles).' \
		profile add 10.3.0.0/16 rtt 1ms
	t_check "replacing a profile of a full table still works" \
		D profile replace 10.1.0.0/16 rtt 17ms
	echo "$old" >$param
else
	t_skip "a full table refuses a new profile" "$param not writable"
fi

# A -batch stops at the bad line: the lines before it are applied.
batch=$(mktemp)
on_exit "rm -f $batch"
printf 'profile add 10.7.0.0/16 rtt 7ms\nprofile add 10.8.0.0/16 rtt 0\nprofile add 10.9.0.0/16 rtt 9ms\n' >"$batch"
out=$(D -batch "$batch" 2>&1)
rc=$?
t_eq "-batch names the bad word and the failing line" \
	"1:Error: argument \"0\" is wrong: rtt must be from 1us to 10s
Command failed $batch:2" "$rc:$out"
t_eq "-batch applied the line before, not the one after" "10.7.0.0/16 rtt 7ms" \
	"$(D profile show | grep -E '^10\.[789]\.' | sed 's/ source.*//')"
sed -i 's/^profile add 10.7/profile replace 10.7/' "$batch"
out=$(D -force -batch "$batch" 2>&1)
rc=$?
t_eq "-force -batch names the bad line, goes on, and fails" \
	"1:Error: argument \"0\" is wrong: rtt must be from 1us to 10s
Command failed $batch:2" "$rc:$out"
t_eq "-force -batch applied the lines before and after" "10.7.0.0/16 rtt 7ms
10.9.0.0/16 rtt 9ms" "$(D profile show | grep -E '^10\.[789]\.' | sed 's/ source.*//')"
t_done
