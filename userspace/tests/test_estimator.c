// SPDX-License-Identifier: GPL-2.0
/* daccd's estimator: a robust low percentile, path changes followed both
 * ways, outliers ignored, the window, staleness and the push hysteresis.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../daccd/estimator.h"

static const struct est_params P = {
	.window_ms = 60000, .pct = 10, .min_samples = 8, .change_samples = 8,
	.change_ms = 1000, .band_pct = 10, .band_min_us = 1000, .stale_ms = 5000,
};

/* n samples of rtt_us, one every step_ms from *t. */
static void feed(struct est *e, uint64_t *t, unsigned int n, uint32_t rtt_us, uint32_t step_ms)
{
	while (n--) {
		est_add(e, &P, *t, rtt_us);
		*t += step_ms;
	}
}

static void test_trust(void **state)
{
	struct est e;
	uint64_t t = 1000;

	est_init(&e);
	assert_false(est_trusted(&e, &P));
	feed(&e, &t, 7, 20000, 200);
	assert_false(est_trusted(&e, &P));
	feed(&e, &t, 1, 20000, 200);
	assert_true(est_trusted(&e, &P));
	assert_int_equal(e.base_us, 20000);
	assert_int_equal(e.jitter_us, 0);
	/* a zero RTT is no sample */
	est_add(&e, &P, t, 0);
	assert_int_equal(e.n, 8);
}

/* Jitter: the median absolute deviation, so the two slow first samples of
 * a busy start do not make a 100 ms path look 150 ms jittery.
 */
static void test_jitter(void **state)
{
	struct est e;
	uint64_t t = 1000;
	unsigned int i;

	est_init(&e);
	feed(&e, &t, 2, 250000, 200);
	feed(&e, &t, 6, 100000, 200);
	assert_true(est_trusted(&e, &P));
	assert_int_equal(e.base_us, 100000);
	assert_int_equal(e.jitter_us, 0);
	/* samples spread evenly over 100..104 ms: about a quarter of it */
	est_init(&e);
	for (i = 0; i < 41; i++)
		feed(&e, &t, 1, 100000 + i * 100, 200);
	assert_int_equal(e.jitter_us, 1000);
}

static void test_lucky_sample(void **state)
{
	struct est e;
	uint64_t t = 1000;
	unsigned int i;

	est_init(&e);
	/* jittery 100 ms path: 100.0 .. 101.9 ms */
	for (i = 0; i < 20; i++)
		feed(&e, &t, 1, 100000 + (i * 700) % 2000, 200);
	assert_int_equal(e.base_us, 100200);
	/* one impossibly lucky sample: the minimum moves, the base stays on
	 * the real samples (the next lower one at most)
	 */
	feed(&e, &t, 1, 60000, 200);
	assert_int_equal(e.base_us, 100100);
	assert_int_equal(e.changes, 0);
}

static void test_delayed_sample(void **state)
{
	struct est e;
	uint64_t t = 1000;

	est_init(&e);
	feed(&e, &t, 20, 100000, 200);
	feed(&e, &t, 1, 400000, 200);	/* one probe stuck in a queue */
	assert_int_equal(e.base_us, 100000);
	feed(&e, &t, 5, 100000, 200);
	assert_int_equal(e.base_us, 100000);
	assert_int_equal(e.changes, 0);
	/* a burst of fewer than 3/4 of change_samples: still no change */
	feed(&e, &t, 5, 150000, 200);
	assert_int_equal(e.base_us, 100000);
	assert_int_equal(e.changes, 0);
}

static void test_shift_up(void **state)
{
	struct est e;
	uint64_t t = 1000;
	int flags = 0;
	unsigned int i;

	est_init(&e);
	feed(&e, &t, 40, 60000, 200);
	assert_int_equal(e.base_us, 60000);
	/* the route lengthens: 100 ms from now on */
	for (i = 0; i < 5; i++) {
		flags |= est_add(&e, &P, t, 100000 + i * 100);
		t += 200;
	}
	assert_int_equal(e.base_us, 60000);
	assert_false(flags & EST_F_CHANGE);
	/* three quarters of change_samples on the new path: followed */
	flags = est_add(&e, &P, t, 100000);
	t += 200;
	assert_true(flags & EST_F_CHANGE);
	assert_int_equal(e.changes, 1);
	assert_int_equal(e.base_us, 100000);
	/* the window restarted from the new path's samples only */
	assert_int_equal(e.n, 6);
	assert_false(est_trusted(&e, &P));
	feed(&e, &t, 2, 100000, 200);
	assert_true(est_trusted(&e, &P));
	assert_int_equal(e.base_us, 100000);
}

static void test_shift_down(void **state)
{
	struct est e;
	uint64_t t = 1000;

	est_init(&e);
	feed(&e, &t, 100, 100000, 200);
	feed(&e, &t, 8, 60000, 200);
	assert_int_equal(e.base_us, 60000);
	assert_int_equal(e.changes, 1);
	/* the old path's samples are gone from the jitter too */
	feed(&e, &t, 10, 60500, 200);
	assert_int_equal(e.base_us, 60000);
	assert_true(e.jitter_us <= 500);
}

/* Few samples in the window: the percentile moves before the detector
 * fires; the detector must still restart the window, or the old path's
 * samples would inflate the jitter for a whole window.
 */
static void test_shift_down_few_samples(void **state)
{
	struct est e;
	uint64_t t = 1000;

	est_init(&e);
	feed(&e, &t, 25, 101000, 200);
	feed(&e, &t, 3, 61000, 200);
	assert_int_equal(e.base_us, 61000);	/* the 10th percentile of 28 */
	assert_int_equal(e.changes, 0);
	feed(&e, &t, 3, 61000, 200);
	assert_int_equal(e.changes, 1);
	feed(&e, &t, 10, 61000, 200);
	assert_int_equal(e.base_us, 61000);
	assert_int_equal(e.jitter_us, 0);
}

static void test_shift_needs_time(void **state)
{
	struct est e;
	uint64_t t = 1000;

	est_init(&e);
	feed(&e, &t, 40, 60000, 200);
	/* 8 high samples within 70 ms: a burst, not a sustained shift */
	feed(&e, &t, 8, 100000, 10);
	assert_int_equal(e.base_us, 60000);
	assert_int_equal(e.changes, 0);
}

static void test_noise_no_change(void **state)
{
	struct est e;
	uint64_t t = 1000;
	unsigned int i;

	est_init(&e);
	/* 20 ms with +-3 ms of noise and a delayed sample every 5th */
	for (i = 0; i < 200; i++) {
		uint32_t r = 20000 + (i * 7919) % 3000;

		if (i % 5 == 4)
			r += 15000;
		est_add(&e, &P, t, r);
		t += 200;
	}
	assert_int_equal(e.changes, 0);
	assert_true(e.base_us >= 20000 && e.base_us <= 20500);
	assert_true(e.jitter_us > 0);
}

static void test_window(void **state)
{
	struct est e;
	uint64_t t = 1000;

	est_init(&e);
	feed(&e, &t, 300, 5000, 100);	/* more than the ring holds */
	assert_int_equal(e.n, EST_MAX_SAMPLES);
	assert_int_equal(e.total, 300);
	assert_true(est_sample_at(&e, 0)->t_ms == 1000 + 44 * 100);
	/* 61 s later, everything has left the window */
	t += 61000;
	est_expire(&e, &P, t);
	assert_int_equal(e.n, 0);
	assert_false(est_trusted(&e, &P));
	assert_int_equal(e.base_us, 0);
}

static void test_stale(void **state)
{
	struct est e;
	uint64_t t = 1000;

	est_init(&e);
	assert_true(est_stale(&e, &P, t));
	feed(&e, &t, 10, 5000, 100);
	assert_false(est_stale(&e, &P, t + 4000));
	assert_true(est_stale(&e, &P, t + 6000));
	/* stale is about freshness; the estimate stays while in the window */
	assert_int_equal(e.base_us, 5000);
}

static void test_restore(void **state)
{
	struct est e;
	unsigned int i;

	est_init(&e);
	for (i = 0; i < 10; i++)
		est_restore_sample(&e, 1000 + i * 100, 30000 + i);
	est_refresh(&e, &P);
	assert_int_equal(e.n, 10);
	assert_int_equal(e.base_us, 30001);
	assert_true(e.last_ms == 1900);
}

static void test_hysteresis(void **state)
{
	/* 3 % or 250 us, whichever is larger */
	assert_false(est_meaningful_change(100000, 1000, 102900, 1000, 3, 250));
	assert_true(est_meaningful_change(100000, 1000, 103100, 1000, 3, 250));
	assert_true(est_meaningful_change(100000, 1000, 96000, 1000, 3, 250));
	assert_false(est_meaningful_change(2000, 100, 2200, 100, 3, 250));
	assert_true(est_meaningful_change(2000, 100, 2300, 100, 3, 250));
	/* jitter counts when it more than doubles, by more than 1 ms and 3 %
	 * of the base
	 */
	assert_false(est_meaningful_change(100000, 1000, 100000, 1900, 3, 250));
	assert_false(est_meaningful_change(100000, 1000, 100000, 3900, 3, 250));
	assert_true(est_meaningful_change(100000, 1000, 100000, 4100, 3, 250));
	assert_true(est_meaningful_change(100000, 4000, 100000, 8100, 3, 250));
	assert_false(est_meaningful_change(2000, 100, 2000, 1000, 3, 250));
	assert_true(est_meaningful_change(2000, 100, 2000, 1200, 3, 250));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trust),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_lucky_sample),
		cmocka_unit_test(test_delayed_sample),
		cmocka_unit_test(test_shift_up),
		cmocka_unit_test(test_shift_down),
		cmocka_unit_test(test_shift_down_few_samples),
		cmocka_unit_test(test_shift_needs_time),
		cmocka_unit_test(test_noise_no_change),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_restore),
		cmocka_unit_test(test_hysteresis),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
