#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot the VM once with bench/guest.sh (every scenario for every
# algorithm), then write bench/results/latest.{json,md} and the plots.
#
#   BENCH_SCENARIOS="S1 S2 S3 S4 S5 S5L S6"  BENCH_REPS=3  BENCH_RATE=20mbit
#   BENCH_CCS="dacc cubic bbr hybla htcp illinois vegas westwood"
#   BENCH_RESULTS=DIR (default bench/results)  BENCH_RAW=DIR (keep raw data)
# and the durations BENCH_S1_BYTES, BENCH_S2_SECS, BENCH_S3_SECS,
# BENCH_S4_SECS, BENCH_S5_BYTES, BENCH_S5_GAP_MS, BENCH_S5_ITERS (timed
# iterations per repetition, 2), BENCH_S6_SECS; BENCH_DACC_PARAMS="NAME=VALUE ..."
# loads tcp_dacc.ko with those module parameters (experiments).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
results=${BENCH_RESULTS:-$top/bench/results}
raw=${BENCH_RAW:-$(mktemp -d /tmp/dacc-bench.XXXXXX)}
args=()
for v in $(env | grep -o '^BENCH_[A-Z0-9_]*' | grep -v '^BENCH_RESULTS$\|^BENCH_RAW$'); do
	args+=("$v=${!v}")
done
for t in daccperf daccring; do
	[ -x "$top/bench/tools/$t" ] || { echo "bench: bench/tools/$t is not built (make userspace)" >&2; exit 2; }
done
command -v dacc >/dev/null || [ -x "$top/userspace/dacc/dacc" ] ||
	{ echo "bench: the dacc CLI is not built (make userspace)" >&2; exit 2; }
echo "# bench: raw data in $raw"
# The kernel as deployed: no slub_debug (it cost the 4-rank ring of S5 a
# third of its bus bandwidth in the emulated VM, every algorithm alike).
VM_MEM=${VM_MEM:-2048} VM_TIMEOUT=${VM_TIMEOUT:-3000} VM_SLUB_DEBUG= \
	"$top/selftests/vm/run.sh" -o "$raw" "$top/bench/guest.sh" "${args[@]}"
rc=$?
mkdir -p "$results"
extra=()
if [ -x "$top/bench/profile_scale.sh" ] && [ "${BENCH_SCALE:-1}" != 0 ]; then
	# The control plane's scale figures: a VM of its own, so the profile
	# table's memory is measured on a module that did nothing else.
	"$top/selftests/vm/run.sh" -o "$raw/scale" "$top/bench/profile_scale.sh" \
		>"$raw/profile_scale.log" 2>&1 &&
		grep -v -E '^\[ *[0-9.]+\]|^DACC-VM-' "$raw/profile_scale.log" >"$raw/profile_scale.txt" &&
		extra=(--scale "$raw/profile_scale.txt")
fi
python3 "$top/bench/report.py" "$raw" "$results" "${extra[@]}" || rc=1
exit $rc
