/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daccd: the per-destination RTT estimator.  Pure arithmetic over samples
 * and the caller's clock (milliseconds), so unit tests drive it directly.
 */
#ifndef DACCD_ESTIMATOR_H
#define DACCD_ESTIMATOR_H

#include <stdbool.h>
#include <stdint.h>

/* Samples kept per destination, whatever the window's length in time. */
#define EST_MAX_SAMPLES	256

struct est_params {
	uint32_t window_ms;	/* samples older than this are forgotten */
	uint32_t pct;		/* the low percentile taken as base RTT */
	uint32_t min_samples;	/* fewer samples than this: not trustworthy */
	uint32_t change_samples; /* a path change: this many recent samples ... */
	uint32_t change_ms;	/* ... spanning at least this long ... */
	uint32_t band_pct;	/* ... outside base +- max(band_pct%, band_min_us, */
	uint32_t band_min_us;	/*    2 * jitter) */
	uint32_t stale_ms;	/* no sample for this long: stale */
};

/* Defaults for a probe every second. */
#define EST_PARAMS_DEFAULT {						\
	.window_ms = 60000, .pct = 10, .min_samples = 8,		\
	.change_samples = 8, .change_ms = 5000, .band_pct = 10,		\
	.band_min_us = 1000, .stale_ms = 30000,				\
}

struct est_sample {
	uint64_t t_ms;
	uint32_t rtt_us;
};

struct est {
	/* a ring, oldest at head */
	struct est_sample s[EST_MAX_SAMPLES];
	unsigned int head, n;
	/* the estimate from the samples in the window */
	uint32_t base_us, jitter_us;
	uint64_t last_ms;	/* time of the newest sample, 0: none ever */
	uint64_t total;		/* samples ever added */
	uint32_t changes;	/* path changes followed */
};

enum {
	EST_F_CHANGE = 1,	/* this sample completed a path change */
};

void est_init(struct est *e);
/* Add a sample taken at now_ms; returns EST_F_* flags. */
int est_add(struct est *e, const struct est_params *p, uint64_t now_ms, uint32_t rtt_us);
/* Append a sample restored from disk (no change detection); call
 * est_refresh() after the last one.
 */
void est_restore_sample(struct est *e, uint64_t t_ms, uint32_t rtt_us);
void est_refresh(struct est *e, const struct est_params *p);
/* Forget samples older than the window. */
void est_expire(struct est *e, const struct est_params *p, uint64_t now_ms);
bool est_trusted(const struct est *e, const struct est_params *p);
bool est_stale(const struct est *e, const struct est_params *p, uint64_t now_ms);
/* The i-th sample, oldest first (i < e->n). */
const struct est_sample *est_sample_at(const struct est *e, unsigned int i);

/* Push hysteresis: is (base, jitter) far enough from what the kernel has? */
bool est_meaningful_change(uint32_t pushed_base_us, uint32_t pushed_jitter_us,
			   uint32_t base_us, uint32_t jitter_us,
			   uint32_t hyst_pct, uint32_t hyst_min_us);

#endif
