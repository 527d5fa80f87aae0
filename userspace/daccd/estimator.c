// SPDX-License-Identifier: GPL-2.0
/* daccd: the estimator.  Base RTT is a low percentile of a time window of
 * samples, never the single minimum: one lucky sample does not move it, and
 * delayed samples (queueing, a slow reflector) are above it by nature.
 *
 * Path change: when the recent change_samples samples spanning change_ms are
 * all (bar a quarter of them) outside a band around the base, on the same
 * side, the path has moved; the window restarts from those of them on the
 * new path, so the base follows in seconds instead of waiting for the old
 * samples to age out.  A single outlier never fills three quarters of the
 * recent set, so it cannot trigger a change.
 */
#include <stdlib.h>
#include <string.h>

#include "estimator.h"

void est_init(struct est *e)
{
	memset(e, 0, sizeof(*e));
}

const struct est_sample *est_sample_at(const struct est *e, unsigned int i)
{
	return &e->s[(e->head + i) % EST_MAX_SAMPLES];
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The pct-th percentile of sorted v[0..n): nearest rank below, but never the
 * single lowest of three or more (one lucky sample must not decide).
 */
static uint32_t pct_of_sorted(const uint32_t *v, unsigned int n, uint32_t pct)
{
	unsigned int i = (unsigned int)((uint64_t)n * pct / 100);

	if (i >= n)
		i = n - 1;
	if (i < 1 && n > 2 && pct > 0)
		i = 1;
	return v[i];
}

/* Sorted RTTs of the last k samples into v. */
static void recent_sorted(const struct est *e, unsigned int k, uint32_t *v)
{
	unsigned int i;

	for (i = 0; i < k; i++)
		v[i] = est_sample_at(e, e->n - k + i)->rtt_us;
	qsort(v, k, sizeof(*v), cmp_u32);
}

/* The median absolute deviation of sorted v[0..n) from its median: robust
 * to outliers both ways, so a few slow first samples do not make it huge.
 */
static uint32_t mad_of_sorted(const uint32_t *v, unsigned int n)
{
	uint32_t d[EST_MAX_SAMPLES], med = v[n / 2];
	unsigned int i;

	for (i = 0; i < n; i++)
		d[i] = v[i] > med ? v[i] - med : med - v[i];
	qsort(d, n, sizeof(*d), cmp_u32);
	return d[n / 2];
}

static void est_recompute(struct est *e, const struct est_params *p)
{
	uint32_t v[EST_MAX_SAMPLES];

	if (!e->n) {
		e->base_us = 0;
		e->jitter_us = 0;
		return;
	}
	recent_sorted(e, e->n, v);
	e->base_us = pct_of_sorted(v, e->n, p->pct);
	e->jitter_us = mad_of_sorted(v, e->n);
}

static void est_drop_oldest(struct est *e, unsigned int k)
{
	if (k > e->n)
		k = e->n;
	e->head = (e->head + k) % EST_MAX_SAMPLES;
	e->n -= k;
}

void est_expire(struct est *e, const struct est_params *p, uint64_t now_ms)
{
	unsigned int k = 0;

	while (k < e->n && est_sample_at(e, k)->t_ms + p->window_ms < now_ms)
		k++;
	if (k) {
		est_drop_oldest(e, k);
		est_recompute(e, p);
	}
}

/* The band around base_us a path change must leave: band_pct of the base,
 * at least band_min_us, and at least twice the jitter.
 */
static uint64_t est_band_us(uint32_t base_us, uint32_t jitter_us, const struct est_params *p)
{
	uint64_t band = (uint64_t)base_us * p->band_pct / 100;

	if (band < p->band_min_us)
		band = p->band_min_us;
	if (band < 2ULL * jitter_us)
		band = 2ULL * jitter_us;
	return band;
}

/* Do the last change_samples samples disagree with the ones before them?
 * +1: the path got longer, -1: shorter, 0: no.  The history's base and
 * band are computed without the recent samples, so a shift is caught even
 * when the percentile over the whole window has already begun to move.
 */
static int est_path_changed(const struct est *e, const struct est_params *p,
			    uint32_t *old_base, uint64_t *band)
{
	uint32_t v[EST_MAX_SAMPLES];
	unsigned int k = p->change_samples, m = e->n - k, i;
	uint32_t lo, hi;

	if (k < 2 || e->n < k + p->min_samples)
		return 0;
	if (est_sample_at(e, e->n - 1)->t_ms - est_sample_at(e, m)->t_ms < p->change_ms)
		return 0;
	for (i = 0; i < m; i++)
		v[i] = est_sample_at(e, i)->rtt_us;
	qsort(v, m, sizeof(*v), cmp_u32);
	*old_base = pct_of_sorted(v, m, p->pct);
	*band = est_band_us(*old_base, mad_of_sorted(v, m), p);

	recent_sorted(e, k, v);
	lo = v[k / 4];			/* all but a quarter are above this */
	hi = v[k - 1 - k / 4];		/* all but a quarter are below this */
	if (lo > *old_base + *band)
		return 1;
	if ((uint64_t)hi + *band < *old_base)
		return -1;
	return 0;
}

/* Restart the window from the recent samples that are on the new path. */
static void est_restart(struct est *e, const struct est_params *p, int dir,
			uint32_t old_base, uint64_t band)
{
	struct est_sample keep[EST_MAX_SAMPLES];
	unsigned int k = p->change_samples, i, n = 0;

	for (i = e->n - k; i < e->n; i++) {
		const struct est_sample *s = est_sample_at(e, i);

		if (dir > 0 ? s->rtt_us > old_base + band : s->rtt_us + band < old_base)
			keep[n++] = *s;
	}
	e->head = 0;
	e->n = 0;
	for (i = 0; i < n; i++)
		e->s[e->n++] = keep[i];
}

int est_add(struct est *e, const struct est_params *p, uint64_t now_ms, uint32_t rtt_us)
{
	struct est_sample *s;
	int flags = 0, dir;
	uint32_t old_base = 0;
	uint64_t band = 0;

	if (!rtt_us)
		return 0;
	est_expire(e, p, now_ms);
	if (e->n == EST_MAX_SAMPLES)
		est_drop_oldest(e, 1);
	s = &e->s[(e->head + e->n) % EST_MAX_SAMPLES];
	s->t_ms = now_ms;
	s->rtt_us = rtt_us;
	e->n++;
	e->total++;
	e->last_ms = now_ms;

	dir = est_path_changed(e, p, &old_base, &band);
	if (dir) {
		est_restart(e, p, dir, old_base, band);
		e->changes++;
		flags |= EST_F_CHANGE;
	}
	est_recompute(e, p);
	return flags;
}

void est_restore_sample(struct est *e, uint64_t t_ms, uint32_t rtt_us)
{
	struct est_sample *s;

	if (!rtt_us)
		return;
	if (e->n == EST_MAX_SAMPLES)
		est_drop_oldest(e, 1);
	s = &e->s[(e->head + e->n) % EST_MAX_SAMPLES];
	s->t_ms = t_ms;
	s->rtt_us = rtt_us;
	e->n++;
	if (t_ms > e->last_ms)
		e->last_ms = t_ms;
}

void est_refresh(struct est *e, const struct est_params *p)
{
	est_recompute(e, p);
}

bool est_trusted(const struct est *e, const struct est_params *p)
{
	return e->n >= p->min_samples && e->n > 0;
}

bool est_stale(const struct est *e, const struct est_params *p, uint64_t now_ms)
{
	return !e->last_ms || now_ms > e->last_ms + p->stale_ms;
}

static uint32_t absdiff(uint32_t a, uint32_t b)
{
	return a > b ? a - b : b - a;
}

bool est_meaningful_change(uint32_t pushed_base_us, uint32_t pushed_jitter_us,
			   uint32_t base_us, uint32_t jitter_us,
			   uint32_t hyst_pct, uint32_t hyst_min_us)
{
	uint64_t th = (uint64_t)pushed_base_us * hyst_pct / 100;

	if (th < hyst_min_us)
		th = hyst_min_us;
	if (absdiff(base_us, pushed_base_us) > th)
		return true;
	/* Jitter moves a lot by nature: it counts when it more than doubles
	 * or collapses, and by more than 4 * hyst_min_us and hyst_pct of the
	 * base RTT.
	 */
	th = (uint64_t)pushed_base_us * hyst_pct / 100;
	if (th < 4ULL * hyst_min_us)
		th = 4ULL * hyst_min_us;
	if (th < pushed_jitter_us)
		th = pushed_jitter_us;
	return absdiff(jitter_us, pushed_jitter_us) > th;
}
