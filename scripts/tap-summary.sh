#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tap-summary.sh LOG: the last line of make check and make check-debug,
# "N passed, N failed" (", N skipped"); exits 1 if anything failed.
exec awk '
/^not ok/ { failed++; next }
/^ok .*# [Ss][Kk][Ii][Pp]/ { skipped++; next }
/^ok/ { passed++ }
END {
	printf "%d passed, %d failed", passed, failed
	if (skipped) printf ", %d skipped", skipped
	printf "\n"
	exit failed ? 1 : 0
}' "$1"
