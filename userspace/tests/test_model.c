// SPDX-License-Identifier: GPL-2.0
/* The dacc model (kmod/dacc_model.h) driven through ACK sequences: by hand,
 * and through the project's packet-level simulator (bench/sim).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../kmod/dacc_model.h"
#include "../../bench/sim/sim.h"

#define MSS 1448U
/* The RTT's mean deviation in the tests that drive rounds by hand: a quiet
 * host (the thresholds' noise is 200 us; a VM's samples wander by a ms).
 */
#define HOST_MDEV_US 100U
#define VM_MDEV_US 1000U

static struct dacc_model_cfg cfg(u32 prof_rtt_us, u64 hint_bps, u32 srtt_us)
{
	return (struct dacc_model_cfg){
		.prof_rtt_us = prof_rtt_us, .hint_bytes_ps = hint_bps / 8, .srtt_us = srtt_us,
		.mss = MSS, .alpha_pkts = 8, .qtarget_us = 1500,
	};
}

/* ---- simulated paths ---- */

#define SEC SIM_PS_PER_S
#define MS SIM_PS_PER_MS

/* One bottleneck of rate_bps with a buffer of limit packets (of the
 * 1500 bytes each segment takes on the wire) and random loss.
 */
static void one_link(struct sim *s, uint64_t rate_bps, u32 limit, u32 loss_ppm)
{
	sim_init(s, MSS, 42);
	sim_add_link(s, rate_bps, (uint64_t)limit * s->hdr);
	s->links[0].loss_ppm = loss_ppm;
}

static struct sim_flow *add_flow(struct sim *s, u32 base_us, const struct dacc_model_cfg *c)
{
	int path = 0, i = sim_add_flow(s, &path, 1, base_us, c);

	return &s->flows[i];
}

/* A flow's goodput over the measured time as a fraction of the link's. */
static double rate_frac(const struct sim *s, const struct sim_flow *f)
{
	return sim_flow_rate_bps(s, f) / sim_link_goodput_bps(s, &s->links[0]);
}

static double q_mean_ms(const struct sim *s)
{
	return sim_link_q_mean_us(&s->links[0]) / 1000;
}

/* ---- tests ---- */

static void test_init_hint_starts_at_bdp(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(100000, 100000000, 100500);

	dacc_model_init(&m, &c, 0, 0);
	/* The handshake's 100.5 ms is within the hosts' latency over the
	 * profile: the base.  100 Mbit/s on the wire is 95.6 of 1448-byte
	 * segments in 1514-byte frames: x 100.5 ms = 829.8 packets, plus
	 * alpha.
	 */
	assert_int_equal(m.mode, DACC_CRUISE);
	assert_in_range(dacc_model_cwnd(&m), 829 + 12, 830 + 12);
	assert_int_equal(dacc_model_base(&m), 100500);
	assert_in_range(dacc_model_pacing_rate(&m), 12200000, 12500000);
	/* alpha: 1.5 ms of that goodput = 12.4 packets, rounded. */
	assert_int_equal(m.alpha_w, 12 * DACC_W_ONE);
}

static void test_init_no_profile(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(0, 0, 20000);

	dacc_model_init(&m, &c, 0, 0);
	assert_int_equal(m.mode, DACC_START);
	assert_int_equal(dacc_model_cwnd(&m), DACC_INIT_CWND);
	assert_int_equal(dacc_model_base(&m), 20000);
	assert_int_equal(m.alpha_w, 8 * DACC_W_ONE);
	/* START paces at twice the window's rate: 2 x 10 x 1448 B / 20 ms. */
	assert_int_equal(m.pacing_kbytes_ps, 2ULL * 10 * MSS * 1000000 / 20000 / 1024);
}

/* Rounds by hand: every ACK of a round carries the same RTT, and with
 * owd_us != 0 the same reverse one-way delay (from the peer's timestamp);
 * samples RTT samples a round (0: one per ACK, as without stretch ACKs).
 */
static void drive_rounds_sampled(struct dacc_model *m, u32 *now, u32 *deliv, int rounds,
				 u32 rtt_us, u32 loss_every, u32 owd_us, u32 samples)
{
	for (int r = 0; r < rounds; r++) {
		u32 cwnd = dacc_model_cwnd(m), start = *deliv;
		u32 every = samples ? dacc_max_u32(cwnd / samples, 1) : 1;

		for (u32 i = 0; i < cwnd; i++) {
			struct dacc_ack a = {
				.now_us = *now + rtt_us * (i + 1) / cwnd,
				.delivered = *deliv + 1, .prior_delivered = start,
				.losses = loss_every && i % loss_every == loss_every - 1,
				.inflight = cwnd, .mss = MSS, .srtt_us = rtt_us,
				.mdev_us = HOST_MDEV_US,
				.cwnd_limited = true,
			};
			if (i % every == 0)
				dacc_model_rtt_sample(m, rtt_us, HOST_MDEV_US, a.now_us, owd_us != 0,
						      owd_us);
			dacc_model_on_ack(m, &a);
			(*deliv)++;
		}
		*now += rtt_us;
	}
}

static void drive_rounds_rev(struct dacc_model *m, u32 *now, u32 *deliv, int rounds,
			     u32 rtt_us, u32 loss_every, u32 owd_us)
{
	drive_rounds_sampled(m, now, deliv, rounds, rtt_us, loss_every, owd_us, 0);
}

static void drive_rounds(struct dacc_model *m, u32 *now, u32 *deliv, int rounds, u32 rtt_us,
			 u32 loss_every)
{
	drive_rounds_rev(m, now, deliv, rounds, rtt_us, loss_every, 0);
}

/* A sub-millisecond profile (same site) and an own minimum a little above
 * it: host latency, and no arithmetic wrap.
 */
static void test_short_profile_host_latency(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(200, 0, 600);

	/* A 0.2 ms profile, hosts that add 0.4 ms: their latency, not a
	 * queue.  The base follows the own minimum up to 1 ms + 1/64 above
	 * the profile, and stops there (the rest is a standing queue).
	 */
	dacc_model_init(&m, &c, 0, 0);
	assert_int_equal(dacc_model_base(&m), 600);
	assert_false(dacc_model_distrust(&m));
	dacc_model_rtt_sample(&m, 2500, HOST_MDEV_US, 10, false, 0);
	assert_int_equal(dacc_model_base(&m), 600);
	dacc_model_rtt_sample(&m, 450, HOST_MDEV_US, 20, false, 0);
	assert_int_equal(dacc_model_base(&m), 450);
	c = cfg(200, 0, 1210);		/* up to 200 + 200 / 8 + 1000 is trusted */
	dacc_model_init(&m, &c, 0, 0);
	assert_false(dacc_model_distrust(&m));
	assert_int_equal(dacc_model_base(&m), 200 + 200 / 64 + 1000);
}

static void test_queue_building_shrinks_window(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(20000, 0, 20000);
	u32 now = 0, deliv = 0, w0, w1, w2;

	dacc_model_init(&m, &c, 0, 0);
	m.mode = DACC_CRUISE;
	m.w = 200 * DACC_W_ONE;
	drive_rounds(&m, &now, &deliv, 3, 20000, 0);
	w0 = dacc_model_cwnd(&m);
	assert_true(w0 > 200);			/* empty queue: grows by alpha/2 */
	drive_rounds(&m, &now, &deliv, 5, 23000, 0);
	w1 = dacc_model_cwnd(&m);
	drive_rounds(&m, &now, &deliv, 5, 23000, 0);
	w2 = dacc_model_cwnd(&m);
	assert_true(w1 < w0);
	assert_true(w2 < w1);
	/* Equilibrium: a backlog of alpha = w * (rtt - base) / rtt = 8
	 * packets at 3 ms over 20 ms base: w = 61.
	 */
	drive_rounds(&m, &now, &deliv, 100, 23000, 0);
	assert_in_range(dacc_model_cwnd(&m), 59, 63);
	assert_int_equal(m.mode, DACC_CRUISE);	/* a 3 ms queue is ours, not a rival's */
}

static void test_random_loss_keeps_window(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(50000, 0, 50000);
	u32 now = 0, deliv = 0, w0;

	dacc_model_init(&m, &c, 0, 0);
	m.mode = DACC_CRUISE;
	m.w = 400 * DACC_W_ONE;
	/* 1% loss, RTT at the base plus our backlog: not congestion. */
	drive_rounds(&m, &now, &deliv, 10, 51000, 100);
	w0 = dacc_model_cwnd(&m);
	assert_true(w0 >= 400);
	dacc_model_on_loss(&m);
	drive_rounds(&m, &now, &deliv, 5, 51000, 100);
	assert_true(dacc_model_cwnd(&m) >= w0);
}

static void test_loss_with_queue_cuts_once_per_round(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(50000, 0, 50000);

	dacc_model_init(&m, &c, 0, 0);
	m.mode = DACC_CRUISE;
	m.w = 1000 * DACC_W_ONE;
	/* 10 losses in a round with 60 ms of queue: one cut to 0.7 w (the
	 * FAST rule does not run in that round).
	 */
	m.round_start_delivered = 1;
	for (u32 i = 0; i < 1000; i++) {
		struct dacc_ack a = {
			.now_us = 100 * i, .delivered = i + 1, .prior_delivered = 0,
			.losses = i % 100 == 99, .inflight = 1000, .mss = MSS,
			.mdev_us = HOST_MDEV_US,
			.cwnd_limited = true,
		};
		dacc_model_rtt_sample(&m, 110000, HOST_MDEV_US, a.now_us, false, 0);
		assert_false(dacc_model_on_ack(&m, &a));
	}
	{
		struct dacc_ack a = {
			.now_us = 110000, .delivered = 1001, .prior_delivered = 1,
			.inflight = 1000, .mss = MSS, .mdev_us = HOST_MDEV_US,
			.cwnd_limited = true,
		};
		assert_true(dacc_model_on_ack(&m, &a));
	}
	assert_in_range(dacc_model_cwnd(&m), 699, 701);
}

static void test_rto_halves_and_undo_restores(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(0, 0, 10000);

	dacc_model_init(&m, &c, 0, 0);
	m.w = 300 * DACC_W_ONE;
	assert_int_equal(dacc_model_on_loss(&m), 300);	/* ssthresh */
	dacc_model_on_rto(&m, MSS, true);
	assert_int_equal(dacc_model_cwnd(&m), 150);
	assert_int_equal(m.mode, DACC_CRUISE);
	assert_int_equal(dacc_model_undo(&m), 300);
	/* Repeated RTOs of one episode bottom out at the minimum window, and
	 * a spurious one is undone to the window before the first (it was
	 * the last one's: 1000 and three RTOs gave 250).
	 */
	m.w = 1000 * DACC_W_ONE;
	dacc_model_on_rto(&m, MSS, true);
	for (int i = 0; i < 20; i++)
		dacc_model_on_rto(&m, MSS, false);
	assert_int_equal(dacc_model_cwnd(&m), DACC_MIN_CWND);
	assert_int_equal(dacc_model_undo(&m), 1000);
}

/* The kernel's window at init: a route's initcwnd or the 1 of a
 * retransmitted SYN is kept over the profile's start (dacc set 10, or one
 * BDP with a hint); a flow switched to dacc mid-flow keeps its window, in
 * CRUISE (it was reset to the start's).
 */
static void test_init_keeps_kernel_window(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(0, 0, 10000), h = cfg(10000, 1000000000, 10000);

	c.cwnd = 10;
	dacc_model_init(&m, &c, 0, 0);
	assert_int_equal(dacc_model_cwnd(&m), DACC_INIT_CWND);
	assert_int_equal(m.mode, DACC_START);
	h.cwnd = 10;
	dacc_model_init(&m, &h, 0, 0);
	assert_true(dacc_model_cwnd(&m) > 800);		/* the hint's BDP */
	/* The model's floor is DACC_MIN_CWND: the kernel's 1 holds for the
	 * first flight (cong.c leaves it), the model's 4 from the first ACK.
	 */
	for (u32 w = 1; w <= 6; w += 5) {
		c.cwnd = h.cwnd = w;
		dacc_model_init(&m, &c, 0, 0);
		assert_int_equal(dacc_model_cwnd(&m), w > DACC_MIN_CWND ? w : DACC_MIN_CWND);
		assert_int_equal(m.mode, DACC_START);
		dacc_model_init(&m, &h, 0, 0);
		assert_int_equal(dacc_model_cwnd(&m), w > DACC_MIN_CWND ? w : DACC_MIN_CWND);
	}
	c.cwnd = 5000;
	c.established = true;
	dacc_model_init(&m, &c, 0, 0);
	assert_int_equal(dacc_model_cwnd(&m), 5000);
	assert_int_equal(m.mode, DACC_CRUISE);
	assert_true(dacc_model_pacing_rate(&m) > 0);
}

/* Recovery: the first ACK sets what is in flight plus what it delivered;
 * the rest of the round conserves packets; then, and after an RTO, the
 * window grows back by what each ACK delivers, to the model's.  It was the
 * model's window on every ACK: after an RTO, w/2 at once.
 */
static void test_recovery_conserves_packets(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(0, 0, 10000);
	u32 cwnd;

	dacc_model_init(&m, &c, 0, 0);
	m.w = 100 * DACC_W_ONE;
	assert_int_equal(dacc_model_recovery_cwnd(&m, 100, 90, 1, 0, false), 100);
	m.recov = DACC_RECOV_ENTER;
	cwnd = dacc_model_recovery_cwnd(&m, 100, 60, 2, 3, false);
	assert_int_equal(cwnd, 62);
	cwnd = dacc_model_recovery_cwnd(&m, cwnd, 58, 1, 0, false);
	assert_int_equal(cwnd, 62);			/* never below inflight + acked */
	cwnd = dacc_model_recovery_cwnd(&m, cwnd, 40, 1, 5, false);
	assert_int_equal(cwnd, 57);			/* losses come off */
	cwnd = dacc_model_recovery_cwnd(&m, cwnd, 50, 2, 0, true);
	assert_int_equal(m.recov, DACC_RECOV_GROW);
	assert_int_equal(cwnd, 59);			/* grows by what is delivered */
	for (int i = 0; i < 100; i++)
		cwnd = dacc_model_recovery_cwnd(&m, cwnd, 50, 2, 0, false);
	assert_int_equal(cwnd, 100);			/* up to the model's window */

	/* After an RTO: from the kernel's window of one, by what is delivered. */
	dacc_model_on_rto(&m, MSS, true);
	m.recov = DACC_RECOV_GROW;
	cwnd = dacc_model_recovery_cwnd(&m, 1, 0, 1, 0, false);
	assert_int_equal(cwnd, 2);
	for (int i = 0; i < 200; i++)
		cwnd = dacc_model_recovery_cwnd(&m, cwnd, 0, 1, 0, i % 4 == 0);
	assert_int_equal(cwnd, 50);
	m.recov = DACC_RECOV_NONE;
	assert_int_equal(dacc_model_recovery_cwnd(&m, cwnd, 0, 1, 0, false), 50);
}

static void test_standing_queue_seen_with_profile(void **state)
{
	struct dacc_model with, without;
	struct dacc_model_cfg c1 = cfg(100000, 0, 110000), c0 = cfg(0, 0, 110000);
	u32 now = 0, deliv = 0;

	/* The flow starts into a 10 ms standing queue and never sees less:
	 * with the profile it sees most of it (all but the 1 ms + 1/64 of
	 * host latency it allows), without it none.
	 */
	dacc_model_init(&with, &c1, 0, 0);
	dacc_model_init(&without, &c0, 0, 0);
	assert_int_equal(dacc_model_base(&with), 100000 + 100000 / 64 + 1000);
	assert_int_equal(dacc_model_base(&without), 110000);
	with.mode = without.mode = DACC_CRUISE;
	with.w = without.w = 400 * DACC_W_ONE;
	drive_rounds(&with, &now, &deliv, 5, 110000, 0);
	now = deliv = 0;
	drive_rounds(&without, &now, &deliv, 5, 110000, 0);
	/* Only the flow with the profile sees the queue and yields. */
	assert_true(dacc_model_cwnd(&with) < 400);
	assert_true(dacc_model_cwnd(&without) > 400);
}

/* 20 ms of queue on the way back and none on ours.  The reverse excess
 * can read up to a timestamp tick (1 ms) above the RTT's whole excess: its
 * minimum caught a tick's start.  That is still all of the excess, not a
 * peer clock at another rate; more than a tick above is.
 */
static void test_reverse_excess_within_a_tick(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(20000, 0, 20000);
	u32 excess[] = { 20800, 22000 };

	for (int k = 0; k < 2; k++) {
		u32 now = 0, deliv = 0;

		dacc_model_init(&m, &c, 0, 0);
		m.mode = DACC_CRUISE;
		m.w = 100 * DACC_W_ONE;
		drive_rounds_rev(&m, &now, &deliv, 2, 20000, 0, 5000);
		drive_rounds_rev(&m, &now, &deliv, 6, 40000, 0, 5000 + excess[k]);
		print_message("# reverse excess %u us over 20000 us of RTT excess: cwnd %u\n",
			      excess[k], dacc_model_cwnd(&m));
		if (k == 0)
			assert_true(dacc_model_cwnd(&m) >= 100);	/* not our queue */
		else
			assert_true(dacc_model_cwnd(&m) < 70);		/* ours, as without */
	}
}

/* A reverse wait that rises by 3 ms a round (a loss-based flow filling
 * the buffer the other way), no queue of ours, and four RTT samples a
 * round (stretched ACKs): a block of 16 spans four rounds.  The round's
 * RTT less the block's older, smaller reverse wait read the rise as our
 * queue, and the window shrank from 100 packets to 44; the forward RTTs,
 * each less its own wait, show none (276: it grows, as the pipe allows).
 */
static void test_reverse_wait_rising(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(20000, 0, 20000);
	u32 now = 0, deliv = 0;

	dacc_model_init(&m, &c, 0, 0);
	m.mode = DACC_CRUISE;
	m.w = 100 * DACC_W_ONE;
	drive_rounds_rev(&m, &now, &deliv, 4, 20000, 0, 5000);
	for (u32 r = 1; r <= 15; r++)
		drive_rounds_sampled(&m, &now, &deliv, 1, 20000 + 3000 * r, 0, 5000 + 3000 * r, 4);
	print_message("# reverse wait rising 3 ms a round, 4 samples a round: cwnd %u\n",
		      dacc_model_cwnd(&m));
	assert_true(dacc_model_cwnd(&m) >= 100);
}

static void test_competitor_switches_mode(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(20000, 0, 20000);
	u32 now = 0, deliv = 0;

	dacc_model_init(&m, &c, 0, 0);
	m.mode = DACC_CRUISE;
	m.w = 300 * DACC_W_ONE;
	drive_rounds(&m, &now, &deliv, 2, 20500, 0);
	/* A loss-based flow holds 50 ms of queue whatever we do, and the
	 * buffer overflows now and then.
	 */
	drive_rounds(&m, &now, &deliv, 8, 70000, 200);
	assert_int_equal(m.mode, DACC_CRUISE);	/* 8 rounds, < 1 s: not yet */
	for (int i = 0; i < 12 && m.mode != DACC_COMPETE; i++)
		drive_rounds(&m, &now, &deliv, 1, 70000, 200);
	assert_int_equal(m.mode, DACC_COMPETE);
	assert_true(dacc_model_cwnd(&m) >= 300);	/* what it gave away, back */
	/* Still there at the next check (a tick of the 4.2 s grid, at least
	 * DACC_COMP_MIN_US on): dacc drains its own part of the queue for two
	 * rounds (CHECK), sees the rest stay, and returns to COMPETE with its
	 * window.
	 */
	{
		u32 t0 = now, w;

		while (m.mode == DACC_COMPETE && now - t0 < 2U << DACC_CHECK_SHIFT)
			drive_rounds(&m, &now, &deliv, 1, 70000, 0);
		assert_int_equal(m.mode, DACC_CHECK);
		assert_true(now - t0 >= DACC_COMP_MIN_US);
		assert_true(now - t0 <= DACC_COMP_MIN_US + (1U << DACC_CHECK_SHIFT) + 70000);
		w = m.prior_w >> DACC_W_SHIFT;
		/* The drain: the delivery rate x the base, below the window. */
		assert_true(dacc_model_cwnd(&m) < w);
		drive_rounds(&m, &now, &deliv, 2, 70000, 0);
		assert_int_equal(m.mode, DACC_COMPETE);
		assert_true(dacc_model_cwnd(&m) >= w);
	}
	/* The next check finds the queue gone with our part of it: the
	 * competitor left, back to CRUISE.
	 */
	{
		u32 t0 = now;

		while (m.mode == DACC_COMPETE && now - t0 < 2U << DACC_CHECK_SHIFT)
			drive_rounds(&m, &now, &deliv, 1, 70000, 0);
		assert_int_equal(m.mode, DACC_CHECK);
		drive_rounds(&m, &now, &deliv, 2, 20500, 0);
		assert_int_equal(m.mode, DACC_CRUISE);
	}
	m.mode = DACC_COMPETE;
	m.comp_since_us = now;
	/* The queue drains: back to CRUISE (the estimate lags a block). */
	drive_rounds(&m, &now, &deliv, 2, 20500, 0);
	assert_int_equal(m.mode, DACC_CRUISE);
}

/* With a bandwidth hint, COMPETE starts at half the pipe (the hint x the
 * RTT, the competitor's queue included), not at the few packets dacc had
 * left while it yielded.
 */
static void test_competitor_entry_half_pipe(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(20000, 20000000, 20000);
	u32 now = 0, deliv = 0;

	dacc_model_init(&m, &c, 0, 0);
	m.w = m.prior_w = 12 * DACC_W_ONE;
	for (int i = 0; i < 40 && m.mode != DACC_COMPETE; i++)
		drive_rounds(&m, &now, &deliv, 1, 70000, 5);
	assert_int_equal(m.mode, DACC_COMPETE);
	/* 20 Mbit/s (19.1 of goodput) x 70 ms = 115.7 packets of 1448 B:
	 * half is 57.8.
	 */
	assert_in_range(dacc_model_cwnd(&m), 57, 61);
}

static void test_idle_restart_paces_at_history(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(40000, 0, 40000);
	u32 now = 0, deliv = 0, w;

	dacc_model_init(&m, &c, 0, 0);
	m.mode = DACC_CRUISE;
	m.w = 345 * DACC_W_ONE;		/* 100 Mbit/s x 40 ms */
	drive_rounds(&m, &now, &deliv, 4, 40500, 0);
	w = dacc_model_cwnd(&m);
	dacc_model_idle_restart(&m, now + 2000000, deliv, 0);
	/* The window stays; the pacer runs at the rate delivered before. */
	assert_int_equal(dacc_model_cwnd(&m), w);
	assert_true(m.pacing_kbytes_ps <= m.bw_kbytes_ps);
	assert_true(dacc_model_bw(&m) > 11000000);
}

/* Simulated: a receiving host that stalls 3 ms at a time, every 8 ms on
 * average (an emulated host: the VM's vCPU), 100 Mbit/s x 20 ms, hinted.
 * The ACKs of a stall come late together; a block of samples inside one
 * reads as queue, and alpha's 8 packets (1 ms) are below it: 0.927 of the
 * link.  alpha stands above the RTT's noise when that is more.
 */
static void test_sim_host_stalls(void **state)
{
	struct dacc_model_cfg c = cfg(20000, 100000000, 20000);
	struct sim_flow *f;
	struct sim s;

	c.qtarget_us = 150;
	sim_init(&s, MSS, 1);
	s.stall_ps = 3 * MS;
	s.stall_every_ps = 8 * MS;
	sim_add_link(&s, 100000000, 100000000 / 8 / 50);
	f = add_flow(&s, 20000, &c);
	s.warm_ps = 2 * SEC;
	sim_run(&s, 12 * SEC);
	print_message("# host stalls: utilisation %.3f, alpha %.1f\n",
		      sim_link_util(&s, &s.links[0]), f->m.alpha_w / 16.0);
	assert_true(sim_link_util(&s, &s.links[0]) > 0.95);
	sim_free(&s);
}

/* Simulated: messages smaller than the BDP with idle between them (a ring
 * all-reduce's chunks), hinted: 256 KB at 100 Mbit/s x 40 ms, 8 MB at
 * 10 Gbit/s x 10 ms, 50 ms apart.  After idle the pacer ran at the rate
 * the flow had shown, at most a message a round: 104 and 28 ms per
 * message where the link and the path take 62 and 17.
 */
static void test_sim_idle_messages_hint(void **state)
{
	static const struct { uint64_t bps; u32 rtt_us; uint64_t bytes; } c[] = {
		{ 100000000ULL, 40000, 262144 }, { 10000000000ULL, 10000, 8388608 },
	};

	for (unsigned int k = 0; k < 2; k++) {
		struct dacc_model_cfg mc = cfg(c[k].rtt_us, c[k].bps, c[k].rtt_us);
		double sum = 0, ideal;
		struct sim_flow *f;
		struct sim s;

		mc.qtarget_us = 150;
		one_link(&s, c[k].bps, (u32)(c[k].bps / 8 * c[k].rtt_us / 1000000 / 1514), 0);
		f = add_flow(&s, c[k].rtt_us, &mc);
		f->msg_bytes = c[k].bytes;
		f->msgs = 20;
		f->gap_ps = 50 * MS;
		sim_run(&s, 20 * SEC);
		f = &s.flows[0];
		assert_int_equal(f->msg_done, 20);
		for (u32 i = 1; i < f->msg_done; i++)
			sum += (double)f->fct_ps[i];
		sum /= f->msg_done - 1;
		ideal = c[k].bytes * 8.0 / sim_link_goodput_bps(&s, &s.links[0]) * 1e12 +
			c[k].rtt_us * 1e6;
		print_message("# %llu-byte messages at %.1f Gbit/s: %.1f ms each, %.1f ideal\n",
			      (unsigned long long)c[k].bytes, c[k].bps / 1e9, sum / 1e9,
			      ideal / 1e9);
		assert_true(sum < 1.1 * ideal);
		sim_free(&s);
	}
}

/* One flow to a 20 ms destination with its full profile, 100 Mbit/s, a
 * buffer of 3000 packets; ts: the peer's timestamps (see struct sim_flow).
 */
static struct sim_flow *sim_one(struct sim *s, int ts)
{
	struct dacc_model_cfg c = cfg(20000, 100000000, 20000);
	struct sim_flow *f;

	one_link(s, 100000000, 3000, 0);
	f = add_flow(s, 20000, &c);
	f->ts = ts;
	return f;
}

/* Simulated: one flow with the full profile fills the link and keeps the
 * queue near alpha.  The same with a peer whose timestamp clock runs at
 * half our rate: its "reverse delay" grows without bound, and dacc must
 * ignore it, not flood.
 */
static void test_sim_steady_state(void **state)
{
	for (int ts = 1; ts <= 2; ts++) {
		struct sim s;
		struct sim_flow *f = sim_one(&s, ts);

		s.warm_ps = 1 * SEC;
		sim_run(&s, 5 * SEC);
		print_message("# timestamps %d: rate %.3f queue %.2f ms\n", ts, rate_frac(&s, f),
			      q_mean_ms(&s));
		assert_true(rate_frac(&s, f) > 0.97);
		assert_true(q_mean_ms(&s) < 2.0);
		assert_int_equal(f->m.mode, DACC_CRUISE);
		sim_free(&s);
	}
}

/* Simulated: without a bandwidth hint, full rate on a 100 ms path after a
 * few rounds and no buffer overflow with a 1 BDP buffer.
 */
static void test_sim_start_without_hint(void **state)
{
	struct sim s;
	struct dacc_model_cfg c = cfg(100000, 0, 100000);
	struct sim_flow *f;

	one_link(&s, 100000000, 850, 0);
	f = add_flow(&s, 100000, &c);
	s.warm_ps = 2 * SEC;
	sim_run(&s, 5 * SEC);
	assert_int_equal(s.links[0].drops_total, 0);
	assert_true(rate_frac(&s, f) > 0.93);
	sim_free(&s);
}

/* Simulated: 1% random loss costs no rate. */
static void test_sim_random_loss(void **state)
{
	struct sim s;
	struct dacc_model_cfg c = cfg(50000, 100000000, 50000);
	struct sim_flow *f;

	one_link(&s, 100000000, 850, 10000);
	f = add_flow(&s, 50000, &c);
	s.warm_ps = 1 * SEC;
	sim_run(&s, 6 * SEC);
	/* 1% of the packets are lost, so at most 99% arrives. */
	print_message("# 1%% loss: rate %.3f\n", rate_frac(&s, f));
	assert_true(rate_frac(&s, f) > 0.93);
	sim_free(&s);
}

/* Simulated: the same 1% of random loss from a host that stalls 5 ms every
 * 200 ms (a loaded VM at 100 Mbit/s, the bench's S4 there), hinted as
 * there.  A stall's block of late samples read as queue, the round's
 * random losses as congestion: 46 cuts in 20 s, 0.83 of the link.  A
 * queue that makes losses congestion shows in the round's lowest sample
 * too, or lasts past a round's end.
 */
static void test_sim_stalls_random_loss(void **state)
{
	static const u32 seeds[] = { 1, 2, 3 };

	for (unsigned int k = 0; k < 3; k++) {
		struct dacc_model_cfg c = cfg(50000, 100000000, 50000);
		struct sim_flow *f;
		struct sim s;

		c.qtarget_us = 150;
		sim_init(&s, MSS, seeds[k]);
		sim_add_link(&s, 100000000, (uint64_t)413 * s.hdr);
		s.links[0].loss_ppm = 10000;
		s.rcv_jit_ps = 500 * SIM_PS_PER_US;
		s.stall_ps = 5 * MS;
		s.stall_every_ps = 200 * MS;
		f = add_flow(&s, 50000, &c);
		s.warm_ps = 2 * SEC;
		sim_run(&s, 20 * SEC);
		print_message("# 1%% loss, stalls, seed %u: rate %.3f\n", seeds[k], rate_frac(&s, f));
		assert_true(rate_frac(&s, f) > 0.9);
		sim_free(&s);
	}
}

/* Simulated: 2 ms and 100 ms flows converge to equal rates. */
static void test_sim_rtt_fairness(void **state)
{
	struct sim s;
	struct dacc_model_cfg c1 = cfg(2000, 100000000, 2000), c2 = cfg(100000, 100000000, 100000);
	int both[] = { 0, 1 };
	double r0, r1;

	one_link(&s, 100000000, 850, 0);
	add_flow(&s, 2000, &c1);
	add_flow(&s, 100000, &c2);
	s.warm_ps = 5 * SEC;
	sim_run(&s, 20 * SEC);
	r0 = rate_frac(&s, &s.flows[0]);
	r1 = rate_frac(&s, &s.flows[1]);
	print_message("# near %.3f far %.3f jain %.3f queue %.2f ms\n", r0, r1,
		      sim_jain(&s, both, 2), q_mean_ms(&s));
	assert_true(r0 + r1 > 0.95);
	assert_true(sim_jain(&s, both, 2) > 0.98);
	sim_free(&s);
}

/* Simulated: a profile whose base RTT is 2x too high: the flow's own
 * minimum wins, the queue stays small.
 */
static void test_sim_profile_too_high(void **state)
{
	struct sim s;
	struct dacc_model_cfg c = cfg(40000, 0, 20000);
	struct sim_flow *f;

	one_link(&s, 100000000, 3000, 0);
	f = add_flow(&s, 20000, &c);
	s.warm_ps = 2 * SEC;
	sim_run(&s, 5 * SEC);
	assert_true(dacc_model_base(&f->m) < 21000);
	assert_true(rate_frac(&s, f) > 0.95);
	assert_true(q_mean_ms(&s) < 3.0);
	sim_free(&s);
}

/* Simulated: a profile 2x too low: dacc sees its own minimum far above it,
 * stops trusting it, and neither collapses nor floods the buffer.
 */
static void test_sim_profile_too_low(void **state)
{
	struct sim s;
	struct dacc_model_cfg c = cfg(10000, 0, 20000);
	struct sim_flow *f;

	one_link(&s, 100000000, 3000, 0);
	f = add_flow(&s, 20000, &c);
	s.warm_ps = 2 * SEC;
	sim_run(&s, 5 * SEC);
	assert_true(dacc_model_distrust(&f->m));
	assert_true(rate_frac(&s, f) > 0.95);
	assert_true(q_mean_ms(&s) < 3.0);
	sim_free(&s);
}

/* Simulated: the ACKs queue 20 ms on the way back (the other direction's
 * data, or a loss-based flow there).  With the peer's timestamps dacc sees
 * that the wait is not in its own queue and keeps the link full; without
 * them the longer RTT reads as its own queue and the window yields.
 */
static double sim_reverse_queue(int ts, double *q_ms)
{
	struct sim s;
	struct sim_flow *f = sim_one(&s, ts);
	double r;

	s.warm_ps = 4 * SEC;
	sim_run(&s, 2 * SEC);
	s.rev_q_ps = 20 * MS;
	sim_run(&s, 8 * SEC);
	*q_ms = q_mean_ms(&s);
	r = rate_frac(&s, f);
	print_message("# timestamps %d: rate %.3f queue %.2f ms mode %u\n", ts, r, *q_ms,
		      f->m.mode);
	sim_free(&s);
	return r;
}

static void test_sim_reverse_queue(void **state)
{
	double q;

	assert_true(sim_reverse_queue(1, &q) > 0.95);
	assert_true(q < 3.0);
	assert_true(sim_reverse_queue(0, &q) < 0.9);
}

/* Simulated: the same reverse queue moving by 0-20 ms from ACK to ACK,
 * and a receiver that sends its ACKs 0-4 ms late (a busy host).  The
 * lowest RTT and the lowest reverse delay of a block then come from
 * different ACKs; only the reverse delay of each RTT sample's own ACK says
 * how much of that sample waited on the way back.
 */
static void test_sim_reverse_queue_jitter(void **state)
{
	struct sim s;
	struct sim_flow *f = sim_one(&s, 1);
	double r;

	s.warm_ps = 4 * SEC;
	sim_run(&s, 2 * SEC);
	s.rev_q_ps = 20 * MS;
	s.rev_jit_ps = 20 * MS;
	s.rcv_jit_ps = 4 * MS;
	sim_run(&s, 10 * SEC);
	r = rate_frac(&s, f);
	print_message("# jittery reverse queue: rate %.3f queue %.2f ms mode %u\n", r,
		      q_mean_ms(&s), f->m.mode);
	assert_true(r > 0.92);		/* 0.53 with the two minima of a block */
	assert_true(q_mean_ms(&s) < 3.0);
	sim_free(&s);
}

/* Simulated: two dacc flows that both reached COMPETE (a loss-based flow
 * was there and left), at different times.  Their checks fall on the same
 * grid tick, both drain their part of the queue at once, and both find
 * the queue gone: back to CRUISE, the queue small again.  Checked apart,
 * each would find the other's part still there, forever.
 */
static void test_sim_two_compete_unlock(void **state)
{
	struct sim s;
	struct dacc_model_cfg c = cfg(20000, 100000000, 20000);

	one_link(&s, 100000000, 850, 0);
	for (int i = 0; i < 2; i++)
		s.flows[add_flow(&s, 20000, &c) - s.flows].start_ps = 3 * SEC;
	sim_run(&s, 3 * SEC);
	s.links[0].tail_ps = s.now_ps + 40 * MS;	/* the queue the loss-based flow left */
	for (int i = 0; i < 2; i++) {
		struct sim_flow *f = &s.flows[i];

		f->m.mode = DACC_COMPETE;
		f->m.w = 260 * DACC_W_ONE;	/* 1.5 BDP each: 40 ms of queue */
		f->m.comp_since_us = i * 2500000;	/* 3 s and 0.5 s ago */
	}
	s.warm_ps = 15 * SEC;
	sim_run(&s, 17 * SEC);
	print_message("# modes %u %u queue %.2f ms\n", s.flows[0].m.mode, s.flows[1].m.mode,
		      q_mean_ms(&s));
	assert_int_equal(s.flows[0].m.mode, DACC_CRUISE);
	assert_int_equal(s.flows[1].m.mode, DACC_CRUISE);
	assert_true(q_mean_ms(&s) < 4.0);	/* 2 x alpha is 3.1 ms; locked, 75 ms */
	sim_free(&s);
}

/* Simulated: no profile at all, own estimates only. */
static void test_sim_no_profile(void **state)
{
	struct sim s;
	struct dacc_model_cfg c = cfg(0, 0, 20000);
	struct sim_flow *f;

	one_link(&s, 100000000, 850, 0);
	f = add_flow(&s, 20000, &c);
	s.warm_ps = 2 * SEC;
	sim_run(&s, 25 * SEC);
	assert_true(rate_frac(&s, f) > 0.95);
	assert_true(q_mean_ms(&s) < 3.0);	/* min RTT renewals do not drift */
	sim_free(&s);
}

/* The fixed point at 800 Gbit/s x 300 ms: the window holds the BDP (20.7 M
 * packets of 1448 bytes; the cap was 4 M), alpha's delay uses the whole
 * rate (in bytes/s in a u32 it was cut at 34 Gbit/s), and a round's bytes
 * acked may pass 4 GiB.
 */
static void test_fixed_point_limits(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(300000, 800000000000ULL, 300000);
	u32 last_kb = 0;

	dacc_model_init(&m, &c, 0, 0);
	/* the goodput of 1448-byte segments in 1514-byte frames */
	assert_true(dacc_model_cwnd(&m) >= 800000000000ULL / 8 * 3 / 10 / (MSS + 66));
	assert_true(dacc_model_pacing_rate(&m) >= 99000000000ULL);
	/* 64 packets of 1448 bytes at 40 Gbit/s: 18.5 us (21.6 when cut). */
	m.alpha_w = 64 * DACC_W_ONE;
	m.bw_kbytes_ps = 5000000000U / 1024;
	assert_in_range(dacc_model_alpha_delay(&m, MSS), 18, 19);
	/* Two reports of 5 GiB and 7 GiB + 1 KiB, from a u64 byte count. */
	assert_true(dacc_acct_bytes(5ULL << 30, &last_kb) == 5ULL << 30);
	assert_true(dacc_acct_bytes((12ULL << 30) + 1024, &last_kb) == (7ULL << 30) + 1024);
}

/* One flow on one link of rate_bps, base RTT rtt_us, a buffer of a BDP,
 * for dur_s (counted after warm_s); returns the goodput fraction.
 */
static double sim_single(uint64_t rate_bps, u32 rtt_us, const struct dacc_model_cfg *c,
			 int dur_s, int warm_s, double *q_p50_us, double *q_p99_us)
{
	struct sim s;
	double r;
	struct sim_flow *f;

	sim_init(&s, MSS, 42);
	s.ack_every = 16;
	s.ack_delay_ps = 20 * SIM_PS_PER_US;
	sim_add_link(&s, rate_bps, rate_bps / 8 * rtt_us / 1000000);
	f = add_flow(&s, rtt_us, c);
	s.warm_ps = (uint64_t)warm_s * SEC;
	sim_run(&s, (uint64_t)dur_s * SEC);
	r = rate_frac(&s, f);
	*q_p50_us = sim_link_q_us(&s.links[0], 0.5);
	*q_p99_us = sim_link_q_us(&s.links[0], 0.99);
	print_message("# %llu Gbit/s, %u us: rate %.3f, queue p50 %.0f p99 %.0f us, cwnd %u\n",
		      (unsigned long long)(rate_bps / 1000000000), rtt_us, r, *q_p50_us,
		      *q_p99_us, sim_flow_cwnd(f));
	sim_free(&s);
	return r;
}

/* Simulated: 40 Gbit/s at 10 ms, no profile, and the window halved at 1 s
 * (an RTO; or a flow that left).  A quarter of alpha's delay is 0.6 us
 * there and rounded to 0: no queue was never "low", and the window grew
 * back by alpha/2 = 4 packets a round, 16 k packets in 40 s.
 */
static void test_sim_growth_without_hint_40g(void **state)
{
	struct dacc_model_cfg c = cfg(0, 0, 10000);
	struct sim s;
	struct sim_flow *f;
	double r;

	sim_init(&s, MSS, 42);
	s.ack_every = 16;
	s.ack_delay_ps = 20 * SIM_PS_PER_US;
	sim_add_link(&s, 40000000000ULL, 40000000000ULL / 8 / 100);
	f = add_flow(&s, 10000, &c);
	s.warm_ps = 1500 * MS;
	sim_run(&s, 1 * SEC);
	dacc_model_on_rto(&f->m, MSS, true);
	sim_run(&s, 3 * SEC);
	r = rate_frac(&s, f);
	print_message("# 40 Gbit/s, 10 ms, halved at 1 s: rate %.3f, cwnd %u\n", r,
		      sim_flow_cwnd(f));
	assert_true(r > 0.95);
	sim_free(&s);
}

/* Simulated: a hint 10% below the link, 10 Gbit/s at 100 ms.  Growth past
 * the hint's pipe converges, without a cycle of standing queue.
 */
static void test_sim_hint_low_converges(void **state)
{
	struct dacc_model_cfg c = cfg(100000, 9000000000ULL, 100000);
	double q50, q99;

	assert_true(sim_single(10000000000ULL, 100000, &c, 8, 4, &q50, &q99) > 0.99);
	assert_true(q99 < 1000);	/* base/100 */
}

/* Simulated: 10 Gbit/s at 10 ms with the full profile and timestamps: 52
 * ACKs a millisecond, so a block of 16 falls inside one tick of the peer's
 * 1 ms clock.  The tick's phase is not a reverse queue (taken as one it
 * hid up to a tick of our own queue from the window: ~980 us standing).
 * The p99 is a cycle of its own (FAST's undershoot, then fast growth),
 * up to 440 us here: not this test's.
 */
static void test_sim_timestamp_tick_10g(void **state)
{
	struct dacc_model_cfg c = cfg(10000, 10000000000ULL, 10000);
	double q50, q99;

	assert_true(sim_single(10000000000ULL, 10000, &c, 3, 1, &q50, &q99) > 0.97);
	assert_true(q50 < 200);
}

/* ECN by hand: a round whose deliveries all came back marked cuts the
 * window to 0.8 (RFC 8511's reduction for a mark; DCTCP's alpha starts at
 * 1, which would halve), once a round; a tenth marked, round after round,
 * converges to DCTCP's 5% a round (alpha's gain is 1/16: 80 rounds take it
 * within 0.6% of 0.1).
 */
static void test_ecn_response(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(20000, 0, 20000);
	u32 now = 0;

	dacc_model_init(&m, &c, 0, 0);
	m.mode = DACC_CRUISE;
	m.w = 100000 * DACC_W_ONE;
	for (int r = 0; r < 80; r++) {
		u32 w0 = dacc_model_cwnd(&m), start = (u32)r * 1000;
		struct dacc_ack a = {
			.now_us = now += 20000, .delivered = start + 1000,
			.prior_delivered = start, .inflight = w0, .mss = MSS,
			.mdev_us = HOST_MDEV_US,
			.cwnd_limited = true, .ecn_delivered = 1000,
			.ecn_ce = r < 1 ? 1000 : 100,
		};

		m.round_start_delivered = start;
		dacc_model_rtt_sample(&m, 20000, HOST_MDEV_US, now, false, 0);
		assert_true(dacc_model_on_ack(&m, &a));
		if (r == 0)
			assert_in_range(dacc_model_cwnd(&m), 79999, 80001);
		if (r == 79) {
			/* alpha near 0.1: a cut of 5% (FAST does not run) */
			assert_in_range(m.ce_alpha, DACC_ECN_ONE / 10 - 150, DACC_ECN_ONE / 10 + 150);
			assert_in_range(dacc_model_cwnd(&m), w0 * 94 / 100, w0 * 96 / 100 + 1);
		}
	}
}

/* Simulated: 16 dacc flows over 1 ms on a 1 Gbit/s link marking ECN above
 * 100 us (K).  Their backlog, 16 x alpha, is 1.3 ms of queue without the
 * marks; with them the queue stays near K.
 */
static void test_sim_ecn_holds_queue_at_k(void **state)
{
	double q[2], util[2];

	for (int ecn = 0; ecn < 2; ecn++) {
		struct dacc_model_cfg c = cfg(0, 0, 1000);
		struct sim s;

		one_link(&s, 1000000000, 416, 0);
		s.links[0].ecn_k_bytes = 12500;
		for (int i = 0; i < 16; i++)
			add_flow(&s, 1000, &c);
		for (int i = 0; i < 16; i++)
			s.flows[i].ecn = ecn;
		s.warm_ps = 1 * SEC;
		sim_run(&s, 3 * SEC);
		q[ecn] = sim_link_q_us(&s.links[0], 0.5);
		util[ecn] = sim_link_util(&s, &s.links[0]);
		print_message("# ECN %s: queue p50 %.0f us, utilisation %.3f, loss %.4f\n",
			      ecn ? "on" : "off", q[ecn], util[ecn], sim_link_loss(&s.links[0]));
		assert_true(sim_link_loss(&s.links[0]) < 0.001);
		sim_free(&s);
	}
	assert_true(q[0] > 1000);
	assert_true(q[1] < 400);
	assert_true(util[1] > 0.9);
}

/* Simulated: a datacenter switch, 10 Gbit/s with 150 us of buffer (125
 * packets), and 16 hinted flows at 100 us: their backlog, 16 x 64
 * packets, cannot fit, the queue never reaches the congestion threshold,
 * and the loss rate alone says congestion.  With alpha fixed, 30% of the
 * packets were lost for good; halving it on that loss rate brings it to
 * under 2% (the target, 0.1%, is not met: noted).
 */
static void test_sim_shallow_buffer_loss(void **state)
{
	struct dacc_model_cfg c = cfg(100, 10000000000ULL, 100);
	int all[16];
	struct sim s;

	sim_init(&s, MSS, 42);
	s.ack_every = 16;
	s.ack_delay_ps = 20 * SIM_PS_PER_US;
	sim_add_link(&s, 10000000000ULL, 10000000000ULL / 8 * 150 / 1000000);
	for (int i = 0; i < 16; i++)
		all[i] = (int)(add_flow(&s, 100, &c) - s.flows);
	s.warm_ps = 300 * MS;
	sim_run(&s, 1 * SEC);
	print_message("# 16 flows, 150 us buffer: loss %.4f, utilisation %.3f, Jain %.3f\n",
		      sim_link_loss(&s.links[0]), sim_link_util(&s, &s.links[0]),
		      sim_jain(&s, all, 16));
	/* 1.87% with alpha halved only above 5% of loss (the flows regrew
	 * it by a sixteenth of a packet each 200-us round); 10-35% with the
	 * 4 ms congestion floor.  The target: 0.1%.
	 */
	assert_true(sim_link_loss(&s.links[0]) <= 0.001);
	assert_true(sim_link_util(&s, &s.links[0]) > 0.95);
	assert_true(sim_link_q_us(&s.links[0], 0.99) <= 100);
	assert_true(sim_jain(&s, all, 16) > 0.95);
	sim_free(&s);
}

/* Simulated: 16 flows of one hinted profile start together, 10 Gbit/s at
 * 1 ms with a BDP of buffer.  Each took the whole hint (a BDP, paced at
 * the link's rate): 80% of their first 3 ms lost.  The n-th takes 1/n^2.
 */
static void test_sim_hinted_incast(void **state)
{
	struct dacc_model_cfg c = cfg(1000, 10000000000ULL, 1000);
	struct sim s;

	sim_init(&s, MSS, 42);
	s.ack_every = 16;
	s.ack_delay_ps = 20 * SIM_PS_PER_US;
	sim_add_link(&s, 10000000000ULL, 10000000000ULL / 8 / 1000);
	for (int i = 0; i < 16; i++)
		add_flow(&s, 1000, &c)->prof_id = 0;
	sim_run(&s, 3 * MS);
	print_message("# 16 hinted flows at once: loss %.4f in the first 3 RTTs, utilisation %.3f\n",
		      sim_link_loss(&s.links[0]), sim_link_util(&s, &s.links[0]));
	assert_true(sim_link_loss(&s.links[0]) < 0.01);
	sim_free(&s);
	/* Alone it still starts with the whole pipe: 90% of the link within
	 * the second round.
	 */
	sim_init(&s, MSS, 42);
	s.ack_every = 16;
	s.ack_delay_ps = 20 * SIM_PS_PER_US;
	s.sample_ps = 250 * SIM_PS_PER_US;
	sim_add_link(&s, 10000000000ULL, 10000000000ULL / 8 / 1000);
	add_flow(&s, 1000, &c);
	sim_run(&s, 3 * MS);
	{
		uint64_t at = UINT64_MAX;

		for (uint32_t k = 0; k < s.nseries && at == UINT64_MAX; k++)
			if (s.series[k].rate_bps[0] >= 0.9 * sim_link_goodput_bps(&s, &s.links[0]))
				at = s.series[k].t_ps;
		print_message("# alone: 90%% of the link at %.2f ms\n", (double)at / MS);
		assert_true(at <= 2 * MS);
	}
	sim_free(&s);
}

/* Simulated: one dacc and one cubic flow, 1 Gbit/s at 10 ms, a BDP of
 * buffer.  cubic holds 2-10 ms of queue; dacc's competitor threshold was 3
 * x its own backlog's delay at its own rate, which rose to the 16 ms cap
 * as it yielded: it never competed (a share of 0.02 at 10 Gbit/s).
 */
static void test_sim_coexist_cubic_1g(void **state)
{
	struct dacc_model_cfg c = cfg(10000, 1000000000ULL, 10000);
	struct sim s;
	double share;

	one_link(&s, 1000000000ULL, 833, 0);
	add_flow(&s, 10000, &c);
	add_flow(&s, 10000, NULL)->cc = SIM_CUBIC;
	s.warm_ps = 5 * SEC;
	sim_run(&s, 20 * SEC);
	share = sim_flow_rate_bps(&s, &s.flows[0]) /
		(sim_flow_rate_bps(&s, &s.flows[0]) + sim_flow_rate_bps(&s, &s.flows[1]));
	print_message("# beside cubic: dacc's share %.3f, mode %u\n", share, s.flows[0].m.mode);
	/* 0.165 before the threshold counted the hint's rate; 0.257 with
	 * its 4 ms floor (a VM's noise, which held dacc back for seconds);
	 * 0.407 with the thresholds at the RTT's noise and alpha adapted to
	 * losses (both changed at once).  The issue asks 0.3-0.7.
	 */
	assert_true(share > 0.3 && share < 0.7);
	sim_free(&s);
}

/* Simulated: four hinted flows of one profile start together, 1 Gbit/s
 * at 60 ms and 10 Gbit/s at 150 ms, a BDP of buffer.  They start at 1/n^2
 * of the hint each, and FAST closes the gap by q / RTT a round: Jain 0.89
 * and 0.66 after 4 and 8 s, with 3.4-3.8 ms of queue (4 x alpha).  The
 * profile's bulk flows share the hint's pipe and its queue target.
 */
static void test_sim_profile_flows_converge(void **state)
{
	static const struct { uint64_t bps; u32 rtt_us, end_ms; } c[] = {
		{ 1000000000ULL, 60000, 4000 }, { 10000000000ULL, 150000, 8000 },
	};

	for (unsigned int k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		struct dacc_model_cfg mc = cfg(c[k].rtt_us, c[k].bps, c[k].rtt_us);
		int all[4];
		struct sim s;

		one_link(&s, c[k].bps, (u32)(c[k].bps / 8 * c[k].rtt_us / 1000000 / 1514), 0);
		s.ack_every = 16;
		s.ack_delay_ps = 20 * SIM_PS_PER_US;
		for (int i = 0; i < 4; i++) {
			struct sim_flow *f = add_flow(&s, c[k].rtt_us, &mc);

			f->prof_id = 0;
			all[i] = (int)(f - s.flows);
		}
		s.warm_ps = (uint64_t)c[k].end_ms * MS * 3 / 8;
		sim_run(&s, (uint64_t)c[k].end_ms * MS);
		print_message("# 4 flows of a profile, %.0f Gbit/s at %u ms: Jain %.3f, util %.3f, "
			      "queue p99 %.0f us\n", c[k].bps / 1e9, c[k].rtt_us / 1000,
			      sim_jain(&s, all, 4), sim_link_util(&s, &s.links[0]),
			      sim_link_q_us(&s.links[0], 0.99));
		assert_true(sim_jain(&s, all, 4) > 0.98);
		assert_true(sim_link_util(&s, &s.links[0]) > 0.98);
		assert_true(sim_link_q_us(&s.links[0], 0.99) < 2000);
		sim_free(&s);
	}
}

/* Simulated: starts without a hint at datacenter rates, a BDP of buffer
 * (10 and 100 Gbit/s at 1 ms).  START ended on max(2 ms, base/8) of
 * queue, more than the buffer holds: it ended on loss, 9.8% and 6.4% of
 * what was sent in 60 rounds.  The threshold is the RTT's noise now.
 */
static void test_sim_start_exit_dc(void **state)
{
	static const uint64_t bps[] = { 10000000000ULL, 100000000000ULL };

	for (unsigned int k = 0; k < 2; k++) {
		struct dacc_model_cfg c = cfg(1000, 0, 1000);
		struct sim_flow *f;
		struct sim s;

		one_link(&s, bps[k], (u32)(bps[k] / 8 / 1000 / 1514), 0);
		s.ack_every = 16;
		s.ack_delay_ps = 20 * SIM_PS_PER_US;
		f = add_flow(&s, 1000, &c);
		sim_run(&s, 60 * MS);
		print_message("# START at %.0f Gbit/s, 1 ms: %llu of %llu lost\n", bps[k] / 1e9,
			      (unsigned long long)f->lost_pkts, (unsigned long long)f->sent_pkts);
		assert_int_equal(f->m.mode, DACC_CRUISE);
		assert_true(f->lost_pkts * 100 < f->sent_pkts);
		sim_free(&s);
	}
}

/* The thresholds that are times scale with the RTT's noise: in a
 * datacenter (mdev 10 us) a loss with 300 us of queue is congestion; on a
 * host whose RTT wanders by a millisecond it needs 4 ms, as before.
 */
static void test_cong_q_scales_with_noise(void **state)
{
	struct dacc_model_cfg c = cfg(100, 10000000000ULL, 100);
	struct dacc_ack a = { .mss = MSS, .mdev_us = 10, .share = 16 };
	struct dacc_model m;

	c.qtarget_us = 150;
	dacc_model_init(&m, &c, 0, 0);
	m.alpha_w = 2 * DACC_W_ONE;		/* as the shallow buffer leaves it */
	assert_in_range(dacc_model_cong_q(&m, &a), 1, 300);
	a.mdev_us = VM_MDEV_US;
	assert_int_equal(dacc_model_cong_q(&m, &a), 4000);
	a.mdev_us = 50000;			/* at most a VM's noise */
	assert_int_equal(dacc_model_cong_q(&m, &a), 4000);
}

/* Simulated: a start without a hint into a shallow buffer (100 Mbit/s,
 * 20 ms, 20 packets).  START ends on its first losses at the delivery rate
 * x the base; the round then wrote back the doubled window it had left
 * (320 packets into a pipe of 187): 460 packets lost, then cut after cut.
 */
static void test_sim_start_exit_on_loss(void **state)
{
	struct dacc_model_cfg c = cfg(20000, 0, 20000);
	struct sim_flow *f;
	struct sim s;

	one_link(&s, 100000000, 20, 0);
	f = add_flow(&s, 20000, &c);
	sim_run(&s, 500 * MS);
	print_message("# START into 20 packets of buffer: %llu lost, cwnd %u\n",
		      (unsigned long long)f->lost_pkts, sim_flow_cwnd(f));
	assert_true(f->lost_pkts < 350);
	s.warm_ps = 500 * MS;
	sim_run(&s, 1500 * MS);
	assert_true(rate_frac(&s, f) > 0.95);
	sim_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_hint_starts_at_bdp),
		cmocka_unit_test(test_fixed_point_limits),
		cmocka_unit_test(test_ecn_response),
		cmocka_unit_test(test_sim_ecn_holds_queue_at_k),
		cmocka_unit_test(test_sim_shallow_buffer_loss),
		cmocka_unit_test(test_sim_hinted_incast),
		cmocka_unit_test(test_sim_coexist_cubic_1g),
		cmocka_unit_test(test_sim_start_exit_on_loss),
		cmocka_unit_test(test_sim_profile_flows_converge),
		cmocka_unit_test(test_sim_start_exit_dc),
		cmocka_unit_test(test_cong_q_scales_with_noise),
		cmocka_unit_test(test_sim_growth_without_hint_40g),
		cmocka_unit_test(test_sim_hint_low_converges),
		cmocka_unit_test(test_sim_timestamp_tick_10g),
		cmocka_unit_test(test_sim_reverse_queue),
		cmocka_unit_test(test_sim_reverse_queue_jitter),
		cmocka_unit_test(test_reverse_wait_rising),
		cmocka_unit_test(test_competitor_entry_half_pipe),
		cmocka_unit_test(test_sim_two_compete_unlock),
		cmocka_unit_test(test_init_no_profile),
		cmocka_unit_test(test_short_profile_host_latency),
		cmocka_unit_test(test_queue_building_shrinks_window),
		cmocka_unit_test(test_random_loss_keeps_window),
		cmocka_unit_test(test_loss_with_queue_cuts_once_per_round),
		cmocka_unit_test(test_rto_halves_and_undo_restores),
		cmocka_unit_test(test_init_keeps_kernel_window),
		cmocka_unit_test(test_recovery_conserves_packets),
		cmocka_unit_test(test_standing_queue_seen_with_profile),
		cmocka_unit_test(test_reverse_excess_within_a_tick),
		cmocka_unit_test(test_competitor_switches_mode),
		cmocka_unit_test(test_idle_restart_paces_at_history),
		cmocka_unit_test(test_sim_idle_messages_hint),
		cmocka_unit_test(test_sim_host_stalls),
		cmocka_unit_test(test_sim_steady_state),
		cmocka_unit_test(test_sim_start_without_hint),
		cmocka_unit_test(test_sim_random_loss),
		cmocka_unit_test(test_sim_stalls_random_loss),
		cmocka_unit_test(test_sim_rtt_fairness),
		cmocka_unit_test(test_sim_profile_too_high),
		cmocka_unit_test(test_sim_profile_too_low),
		cmocka_unit_test(test_sim_no_profile),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
