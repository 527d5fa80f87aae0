#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict --no-tree -f on every file of kmod/, one TAP line each.
checkpatch=$1
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
rc=0
for f in $(ls kmod/*.c kmod/*.h | grep -v "\.mod\.c$") include/uapi/linux/dacc.h; do
	[ -e "$f" ] || continue
	out=$(perl "$checkpatch" --strict --no-tree --no-summary --terse --show-types \
		--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES -f "$f" 2>&1)
	if [ -z "$out" ]; then
		echo "ok - checkpatch $f"
	else
		echo "not ok - checkpatch $f"
		printf '%s\n' "$out" | sed 's/^/#   /'
		rc=1
	fi
done
exit $rc
