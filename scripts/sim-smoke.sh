#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check's run of the simulator: that daccsim and make sim's grid work
# end to end (scenarios in, JSON out, bad input refused), not how well
# dacc does; that is make sim's.  TAP on stdout.
top=$(cd "$(dirname "$0")/.." && pwd)
sim=$top/bench/sim/daccsim
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
fail()
{
	n=$((n + 1)); failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	printf '%s\n' "$@" | sed 's/^/#   /'
}

out=$("$sim" "$top/bench/sim/scenarios/smoke.cfg" 2>&1)
if python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["engine"] == "daccsim" and d["events"] > 0, "no events"
assert len(d["flows"]) == 3 and len(d["links"]) == 1, "flows/links"
assert all(f["bytes"] >= 0 for f in d["flows"]), "bytes"
assert 0 < d["summary"]["util"] <= 1.0001, "util %r" % d["summary"]["util"]
assert d["flows"][2]["fct_us"]["n"] == 20, "the 20 RPCs completed"
' "$out" 2>/tmp/sim-smoke.err; then
	ok "daccsim runs the smoke scenario: JSON with links, flows, 20 completed RPCs"
else
	fail "daccsim runs the smoke scenario" "expected JSON with 3 flows, 20 RPCs" \
		"got: $(cat /tmp/sim-smoke.err | tail -n 1)" "$(printf '%s' "$out" | head -c 300)"
fi

# Bad input: each refused with exit 2 and a message naming the key.
bad=$(mktemp)
check_bad()
{
	local what=$1 text=$2 want=$3 msg rc

	printf '%s\n' "$text" >"$bad"
	msg=$("$sim" "$bad" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = 2 ] && grep -q -- "$want" <<<"$msg"; then
		ok "daccsim refuses $what: $msg"
	else
		fail "daccsim refuses $what" "expected exit 2 and a message with \"$want\"" \
			"got: exit $rc, \"$msg\""
	fi
}
base='links = ( { name = "b"; rate = "1gbit"; buffer = "1ms"; } );'
fl='flows = ( { path = [ "b" ]; rtt = "1ms"; } );'
check_bad "an unknown key" "$base $fl colour = 3;" 'unknown setting "colour"'
check_bad "a bad rate" 'links = ( { name = "b"; rate = "fast"; buffer = "1ms"; } );'" $fl" 'rate: expected'
check_bad "a path to no link" "$base"' flows = ( { path = [ "x" ]; rtt = "1ms"; } );' 'no link "x"'
check_bad "a loss above 1" 'links = ( { name = "b"; rate = "1gbit"; buffer = "1ms"; loss = 2.0; } );'" $fl" 'loss: expected a fraction'
check_bad "a syntax error" "$base flows = (" 'syntax error'
rm -f "$bad"

# make sim's grid, one seed of its smoke subset, into a scratch directory.
res=$(mktemp -d)
if "$top/bench/sim/grid.py" --quick --out "$res" >"$res/log" 2>&1 &&
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["cases"]) == 5, len(d["cases"])
' "$res/latest.json" && [ -s "$res/latest.md" ]; then
	ok "make sim's grid runs (smoke subset: $(grep -c '^ok\|^MISS' "$res/log") cases, results written)"
else
	fail "make sim's grid runs (smoke subset)" "expected latest.json with 5 cases and latest.md" \
		"got: $(tail -n 3 "$res/log")"
fi
rm -rf "$res"
[ "$failed" = 0 ]
