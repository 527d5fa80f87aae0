/* SPDX-License-Identifier: GPL-2.0 */
/* What the bench tools share: one clock, one way to fail. */
#ifndef DACC_BENCH_TOOL_H
#define DACC_BENCH_TOOL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CLOCK_MONOTONIC in ns: one clock for every process of the host (and
 * every network namespace of the bench's VM).
 */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* "TOOL: WHAT: strerror(errno)", exit 1. */
static inline void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what, strerror(errno));
	exit(1);
}

#endif
