#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The libFuzzer harnesses of fuzz/ (clang, ASan + UBSan), one at a time.
#
#   scripts/fuzz.sh [HARNESS...]           fuzz each for FUZZ_SECONDS (make fuzz)
#   scripts/fuzz.sh --replay [HARNESS...]  each over its committed corpus once,
#                                          TAP on stdout (make check)
#   scripts/fuzz.sh --merge [HARNESS...]   add what the runs found that covers
#                                          something new to fuzz/corpus/
#
# A run reads fuzz/corpus/H/ and never writes it: new inputs go to
# build/fuzz/corpus-new/H/, kept from run to run, and --merge copies the
# interesting ones (libFuzzer's -merge=1, smallest first) into the corpus.
# A crash, leak or timeout is saved as fuzz/crashes/H-crash-SHA1 (-leak-,
# -timeout-) and makes the run fail; reproduce it with
#   build/fuzz/fuzz_H fuzz/crashes/H-crash-SHA1
# and once fixed, copy it into fuzz/corpus/H/ so the replay keeps it fixed.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
bin=build/fuzz
new=build/fuzz/corpus-new
crashes=fuzz/crashes
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# leaks of libraries we do not build, each explained there
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/fuzz/lsan.supp:print_suppressions=0}

mode=fuzz
case ${1:-} in
--replay) mode=replay; shift ;;
--merge) mode=merge; shift ;;
-h|--help) sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
-*) echo "fuzz.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
esac

all=$(make -s --no-print-directory -C fuzz list)
harnesses=${*:-$all}
for h in $harnesses; do
	case " $all " in
	*" $h "*) ;;
	*) echo "fuzz.sh: no harness \"$h\"; there are: $all" >&2; exit 2 ;;
	esac
done

# build: one TAP line when it fails (the replay is a step of make check)
build()
{
	local log=build/fuzz-build.log

	mkdir -p build
	if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
		echo "not ok - fuzz: ${FUZZ_CC:-clang} is not installed (make deps)"
		return 1
	fi
	if ! make -s -C fuzz -j"$(nproc)" >"$log" 2>&1; then
		echo "not ok - fuzz: the harnesses do not build"
		sed 's/^/#   /' "$log"
		return 1
	fi
}

# corpus_files H: the committed inputs of H, one a line
corpus_files()
{
	find "fuzz/corpus/$1" -maxdepth 1 -type f 2>/dev/null | LC_ALL=C sort
}

replay()
{
	local h=$1 out n rc last files

	mapfile -t files < <(corpus_files "$h")
	n=${#files[@]}
	if [ "$n" = 0 ]; then
		echo "not ok - fuzz replay: $h (no inputs in fuzz/corpus/$h)"
		return 1
	fi
	out=$(mktemp)
	"$bin/fuzz_$h" -timeout=10 -rss_limit_mb=2048 "${files[@]}" >"$out" 2>&1
	rc=$?
	if [ "$rc" = 0 ]; then
		echo "ok - fuzz replay: $h ($n inputs)"
	else
		last=$(grep '^Running: ' "$out" | tail -n 1)
		echo "not ok - fuzz replay: $h ($n inputs): ${last#Running: } (exit $rc)"
		grep -E '^(fuzz:|==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$out" | head -n 5 |
			sed 's/^/#   /'
		echo "#   reproduce: $bin/fuzz_$h ${last#Running: }"
	fi
	rm -f "$out"
	return "$rc"
}

# final_stat NAME LOG: a number of -print_final_stats=1
final_stat()
{
	sed -n "s/^stat::$1: *\([0-9]*\).*/\1/p" "$2" | tail -n 1
}

fuzz_one()
{
	local h=$1
	local log=build/fuzz/fuzz-$h.log dict=() rc cpu execs eps added found

	mkdir -p "$new/$h" "$crashes"
	[ -f "fuzz/dict/$h.dict" ] && dict=(-dict="fuzz/dict/$h.dict")
	echo "# fuzz: $h for ${FUZZ_SECONDS}s (log $log)"
	# bash's time: the CPU seconds of the fuzzer, user + system
	TIMEFORMAT='%R %U %S'
	{ time "$bin/fuzz_$h" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
		-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$crashes/$h-" "${dict[@]}" \
		"$new/$h" "fuzz/corpus/$h" >"$log" 2>&1; } 2>"build/fuzz/time-$h"
	rc=$?
	cpu=$(awk '{ printf "%.1f", $2 + $3 }' "build/fuzz/time-$h")
	execs=$(final_stat number_of_executed_units "$log")
	eps=$(final_stat average_exec_per_sec "$log")
	# libFuzzer's is 0 for a run shorter than a second (a crash at once)
	[ "${eps:-0}" = 0 ] && [ -n "$execs" ] &&
		eps=$(awk -v n="$execs" '{ printf "%d", ($1 > 0 ? n / $1 : 0) }' "build/fuzz/time-$h")
	added=$(final_stat new_units_added "$log")
	found=$(grep -c 'Test unit written to' "$log")
	printf '# fuzz: %-7s executions %s, %s exec/s, %ss CPU, %s new corpus entries, %s crashes\n' \
		"$h" "${execs:-?}" "${eps:-?}" "$cpu" "${added:-?}" "$found"
	if [ "$rc" = 0 ]; then
		echo "ok - fuzz: $h (${FUZZ_SECONDS}s, ${execs:-?} executions)"
		return 0
	fi
	echo "not ok - fuzz: $h (exit $rc)"
	grep -E '^(fuzz:|==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5 |
		sed 's/^/#   /'
	sed -n "s|.*Test unit written to \(.*\)|#   reproduce: $bin/fuzz_$h \1|p" "$log"
	return 1
}

merge_one()
{
	local h=$1 before after

	if [ -z "$(ls -A "$new/$h" 2>/dev/null)" ]; then
		echo "# merge: $h: nothing new in $new/$h"
		return 0
	fi
	before=$(corpus_files "$h" | wc -l)
	"$bin/fuzz_$h" -merge=1 -artifact_prefix="build/fuzz/merge-$h-" \
		"fuzz/corpus/$h" "$new/$h" >"build/fuzz/merge-$h.log" 2>&1 ||
		{ echo "# merge: $h failed, see build/fuzz/merge-$h.log"; return 1; }
	after=$(corpus_files "$h" | wc -l)
	echo "# merge: $h: $before + $((after - before)) inputs" \
		"($(cat "fuzz/corpus/$h"/* | wc -c) bytes)"
	[ "$after" -le 200 ] || echo "# merge: $h has $after inputs: more than 200, minimize it"
}

build || exit 1
rc=0
for h in $harnesses; do
	case $mode in
	replay) replay "$h" || rc=1 ;;
	merge) merge_one "$h" || rc=1 ;;
	fuzz) fuzz_one "$h" || rc=1 ;;
	esac
done
exit $rc
