/* SPDX-License-Identifier: GPL-2.0 */
/* daccd: the kernel's profile table and its per-profile telemetry (what
 * `dacc -s profile show` reads) as Prometheus metrics, for the exporter.
 */
#ifndef DACCD_KTEL_H
#define DACCD_KTEL_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dacc_nl.h"

struct ktel {
	struct dacc_profile *p;	/* the first max profiles of the dump */
	unsigned int n, max;
	uint64_t total;		/* profiles in the dump */
	struct dacc_stats st;
	bool up;		/* the module answered the dump and the stats */
};

/* Empty, with room for max profiles (0: the table's counters only);
 * -ENOMEM.  ktel_reset() empties it for another dump.
 */
int ktel_init(struct ktel *t, unsigned int max);
void ktel_reset(struct ktel *t);
void ktel_free(struct ktel *t);
/* A dacc_profile_dump() callback: keeps p if there is room, counts it;
 * never fails (the room is allocated by ktel_init()).
 */
int ktel_add(const struct dacc_profile *p, void *arg);
/* The metrics, in the text format (HELP and TYPE once per family). */
void ktel_render(FILE *f, const struct ktel *t);

#endif
