// SPDX-License-Identifier: GPL-2.0
/* The dacc model (kmod/dacc_model.h) driven through ACK sequences: by hand,
 * and by a small packet-level simulator of flows sharing one FIFO bottleneck.
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

#define MSS 1448U
#define PKT_BITS (1500ULL * 8)

static struct dacc_model_cfg cfg(u32 prof_rtt_us, u64 hint_bps, u32 srtt_us)
{
	return (struct dacc_model_cfg){
		.prof_rtt_us = prof_rtt_us, .hint_bytes_ps = hint_bps / 8, .srtt_us = srtt_us,
		.mss = MSS, .alpha_pkts = 8, .qtarget_us = 1500,
	};
}

/* ---- the simulator ---- */

#define SEC 1000000000ULL
#define MS 1000000ULL

#define MAXPKT 65536

struct pkt {
	uint64_t ack_ns;	/* when its ACK (or loss notice) reaches the sender */
	uint64_t sent_ns;
	u32 prior_delivered;
	u32 tsval;		/* the peer's timestamp on its ACK */
	uint64_t q_ns;		/* its wait in the bottleneck queue */
	int lost;
};

struct flow {
	struct dacc_model m;
	u32 base_us;		/* true propagation RTT */
	struct pkt ring[MAXPKT];
	unsigned int head, tail;	/* in flight: [head, tail) */
	u32 delivered;
	u32 pending_losses;
	uint64_t bytes;		/* delivered after warm-up */
	uint64_t last_ack_ns;
	uint64_t idle_until_ns;	/* app-limited until then */
	uint64_t next_tx_ns;	/* the pacer's next departure */
	u32 srtt_us, mdev_us;
	int ts;			/* peer timestamps: 0 none, 1 ms clock, 2 at half rate */
};

static struct flow pool[2];
static int pool_used;

struct sim {
	uint64_t now_ns;
	uint64_t svc_ns;	/* transmission time of one packet */
	uint64_t last_dep_ns;
	u32 limit;		/* bottleneck queue, packets */
	u32 loss_ppm;		/* random loss */
	uint64_t rev_q_ns;	/* queueing on the way back, for every ACK */
	/* Host jitter, uniform per packet: the receiver's before it stamps
	 * and sends the ACK, and on the way back after it.
	 */
	uint64_t rcv_jit_ns, rev_jit_ns;
	uint64_t rng;
	/* queueing delay statistics after warm-up */
	uint64_t q_sum_ns, q_n, q_max_ns;
	uint64_t drops_overflow;
};

static u32 rnd(struct sim *s)
{
	s->rng = s->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (u32)(s->rng >> 33);
}

static void sim_init(struct sim *s, uint64_t rate_bps, u32 limit, u32 loss_ppm)
{
	memset(s, 0, sizeof(*s));
	s->svc_ns = PKT_BITS * 1000000000ULL / rate_bps;
	s->limit = limit;
	s->loss_ppm = loss_ppm;
	s->rng = 42;
}

static struct flow *flow_new(u32 base_us, const struct dacc_model_cfg *c)
{
	struct flow *f;

	if (pool_used >= 2)
		pool_used = 0;
	f = &pool[pool_used++];
	memset(f, 0, sizeof(*f));
	f->base_us = base_us;
	f->ts = 1;
	dacc_model_init(&f->m, c, 0, 0);
	return f;
}

static u32 inflight(const struct flow *f)
{
	return f->tail - f->head;
}

static void flow_send(struct sim *s, struct flow *f)
{
	struct pkt *p = &f->ring[f->tail % MAXPKT];
	uint64_t qlen = s->last_dep_ns > s->now_ns ? (s->last_dep_ns - s->now_ns) / s->svc_ns : 0;

	p->sent_ns = s->now_ns;
	p->prior_delivered = f->delivered;
	p->lost = 0;
	if (qlen >= s->limit) {
		p->lost = 1;
		s->drops_overflow++;
	} else if (s->loss_ppm && rnd(s) % 1000000 < s->loss_ppm) {
		p->lost = 1;
	}
	if (p->lost) {
		p->ack_ns = s->now_ns + (uint64_t)f->base_us * 1000 + s->svc_ns;
	} else {
		uint64_t dep = (s->last_dep_ns > s->now_ns ? s->last_dep_ns : s->now_ns) + s->svc_ns;

		s->last_dep_ns = dep;
		p->q_ns = dep - s->svc_ns - s->now_ns;
		if (s->rcv_jit_ns)
			dep += rnd(s) % s->rcv_jit_ns;
		p->ack_ns = dep + (uint64_t)f->base_us * 1000 + s->rev_q_ns;
		if (s->rev_jit_ns)
			p->ack_ns += rnd(s) % s->rev_jit_ns;
		/* The receiver stamps its ACK when it sends it. */
		dep += (uint64_t)f->base_us * 500;
		p->tsval = 777777 + (u32)(dep / (f->ts == 2 ? 2 * MS : MS));
	}
	/* ACKs of one flow arrive in order. */
	if (p->ack_ns < f->last_ack_ns)
		p->ack_ns = f->last_ack_ns;
	f->last_ack_ns = p->ack_ns;
	f->tail++;
	if (f->m.pacing_kbytes_ps)
		f->next_tx_ns = s->now_ns + (uint64_t)MSS * 1000000000ULL /
				dacc_model_pacing_rate(&f->m);
}

static void flow_ack(struct sim *s, struct flow *f, uint64_t warm_ns)
{
	struct pkt *p = &f->ring[f->head % MAXPKT];
	struct dacc_ack a = { 0 };
	u32 rtt_us = (u32)((p->ack_ns - p->sent_ns) / 1000);

	f->head++;
	if (p->lost) {
		f->pending_losses++;
		return;
	}
	f->delivered++;
	if (s->now_ns >= warm_ns) {
		uint64_t q = p->q_ns;

		f->bytes += MSS;
		s->q_sum_ns += q;
		s->q_n++;
		if (q > s->q_max_ns)
			s->q_max_ns = q;
	}
	a.now_us = (u32)(s->now_ns / 1000);
	dacc_model_rtt_sample(&f->m, rtt_us, a.now_us, f->ts != 0,
			      a.now_us - p->tsval * 1000);	/* as cong.c does */
	if (f->srtt_us) {
		u32 err = rtt_us > f->srtt_us ? rtt_us - f->srtt_us : f->srtt_us - rtt_us;

		f->mdev_us = f->mdev_us - (f->mdev_us >> 2) + (err >> 2);
		f->srtt_us = f->srtt_us - (f->srtt_us >> 3) + (rtt_us >> 3);
	} else {
		f->srtt_us = rtt_us;
		f->mdev_us = rtt_us >> 1;
	}
	a.srtt_us = f->srtt_us;
	a.mdev_us = f->mdev_us;
	a.delivered = f->delivered;
	a.prior_delivered = p->prior_delivered;
	a.losses = f->pending_losses;
	a.inflight = inflight(f);
	a.mss = MSS;
	a.cwnd_limited = s->now_ns >= f->idle_until_ns && inflight(f) + 1 >= dacc_model_cwnd(&f->m);
	f->pending_losses = 0;
	if (dacc_model_on_ack(&f->m, &a) && getenv("MODEL_TRACE"))
		print_message("# t %llu ms base %u rtt %u mode %u cwnd %u pacing %llu bw %llu\n",
			      (unsigned long long)(s->now_ns / MS), f->base_us, rtt_us, f->m.mode,
			      dacc_model_cwnd(&f->m),
			      (unsigned long long)dacc_model_pacing_rate(&f->m),
			      (unsigned long long)dacc_model_bw(&f->m));
}

/* Run flows until end_ns; count delivery after warm_ns. */
static void sim_run(struct sim *s, struct flow **fl, int n, uint64_t end_ns, uint64_t warm_ns)
{
	while (s->now_ns < end_ns) {
		uint64_t next = UINT64_MAX;
		int who = -1;

		for (int i = 0; i < n; i++) {
			struct flow *f = fl[i];

			bool open;

			while (s->now_ns >= f->idle_until_ns && s->now_ns >= f->next_tx_ns &&
			       inflight(f) < dacc_model_cwnd(&f->m) && inflight(f) < MAXPKT - 1)
				flow_send(s, f);
			open = inflight(f) < dacc_model_cwnd(&f->m) && inflight(f) < MAXPKT - 1;
			if (open && s->now_ns >= f->idle_until_ns && f->next_tx_ns < next) {
				next = f->next_tx_ns;
				who = -2;
			}
			if (f->head != f->tail && f->ring[f->head % MAXPKT].ack_ns < next) {
				next = f->ring[f->head % MAXPKT].ack_ns;
				who = i;
			}
			if (f->head == f->tail && f->idle_until_ns > s->now_ns &&
			    f->idle_until_ns < next) {
				next = f->idle_until_ns;
				who = -2;
			}
		}
		if (who == -1)
			break;
		s->now_ns = next;
		if (who >= 0)
			flow_ack(s, fl[who], warm_ns);
	}
}

static double rate_frac(const struct sim *s, const struct flow *f, uint64_t dur_ns)
{
	double link = 1e9 / (double)s->svc_ns * MSS;	/* goodput bytes/s */

	return (double)f->bytes / ((double)dur_ns / 1e9) / link;
}

static double q_mean_ms(const struct sim *s)
{
	return s->q_n ? (double)s->q_sum_ns / (double)s->q_n / 1e6 : 0;
}


/* ---- tests ---- */

static void test_init_hint_starts_at_bdp(void **state)
{
	struct dacc_model m;
	struct dacc_model_cfg c = cfg(100000, 100000000, 100500);

	dacc_model_init(&m, &c, 0, 0);
	/* The handshake's 100.5 ms is within the hosts' latency over the
	 * profile: the base.  100 Mbit/s x 100.5 ms = 868 packets of 1448,
	 * plus alpha.
	 */
	assert_int_equal(m.mode, DACC_CRUISE);
	assert_in_range(dacc_model_cwnd(&m), 868 + 12, 868 + 14);
	assert_int_equal(dacc_model_base(&m), 100500);
	assert_in_range(dacc_model_pacing_rate(&m), 12200000, 12500000);
	/* alpha: 1.5 ms at 100 Mbit/s = 12.9 packets, rounded. */
	assert_int_equal(m.alpha_w, 13 * DACC_W_ONE);
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
 * owd_us != 0 the same reverse one-way delay (from the peer's timestamp).
 */
static void drive_rounds_rev(struct dacc_model *m, u32 *now, u32 *deliv, int rounds,
			     u32 rtt_us, u32 loss_every, u32 owd_us)
{
	for (int r = 0; r < rounds; r++) {
		u32 cwnd = dacc_model_cwnd(m), start = *deliv;

		for (u32 i = 0; i < cwnd; i++) {
			struct dacc_ack a = {
				.now_us = *now + rtt_us * (i + 1) / cwnd,
				.delivered = *deliv + 1, .prior_delivered = start,
				.losses = loss_every && i % loss_every == loss_every - 1,
				.inflight = cwnd, .mss = MSS, .srtt_us = rtt_us,
				.cwnd_limited = true,
			};
			dacc_model_rtt_sample(m, rtt_us, a.now_us, owd_us != 0, owd_us);
			dacc_model_on_ack(m, &a);
			(*deliv)++;
		}
		*now += rtt_us;
	}
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
	dacc_model_rtt_sample(&m, 2500, 10, false, 0);
	assert_int_equal(dacc_model_base(&m), 600);
	dacc_model_rtt_sample(&m, 450, 20, false, 0);
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
			.cwnd_limited = true,
		};
		dacc_model_rtt_sample(&m, 110000, a.now_us, false, 0);
		assert_false(dacc_model_on_ack(&m, &a));
	}
	{
		struct dacc_ack a = {
			.now_us = 110000, .delivered = 1001, .prior_delivered = 1,
			.inflight = 1000, .mss = MSS, .cwnd_limited = true,
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
	dacc_model_on_rto(&m, MSS);
	assert_int_equal(dacc_model_cwnd(&m), 150);
	assert_int_equal(m.mode, DACC_CRUISE);
	assert_int_equal(dacc_model_undo(&m), 300);
	/* Repeated RTOs bottom out at the minimum window. */
	for (int i = 0; i < 20; i++)
		dacc_model_on_rto(&m, MSS);
	assert_int_equal(dacc_model_cwnd(&m), DACC_MIN_CWND);
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
	/* 20 Mbit/s x 70 ms = 120.9 packets of 1448 B: half is 60. */
	assert_in_range(dacc_model_cwnd(&m), 60, 64);
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
	dacc_model_idle_restart(&m, now + 2000000, deliv);
	/* The window stays; the pacer runs at the rate delivered before. */
	assert_int_equal(dacc_model_cwnd(&m), w);
	assert_true(m.pacing_kbytes_ps <= m.bw_kbytes_ps);
	assert_true(dacc_model_bw(&m) > 11000000);
}

/* One flow to a 20 ms destination with its full profile, 100 Mbit/s, a
 * buffer of 3000 packets; ts: the peer's timestamps (see struct flow).
 */
static struct flow *sim_one(struct sim *s, int ts)
{
	struct dacc_model_cfg c = cfg(20000, 100000000, 20000);
	struct flow *f;

	sim_init(s, 100000000, 3000, 0);
	f = flow_new(20000, &c);
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
		struct flow *f = sim_one(&s, ts);

		sim_run(&s, &f, 1, 5 * SEC, 1 * SEC);
		assert_true(rate_frac(&s, f, 4 * SEC) > 0.97);
		assert_true(q_mean_ms(&s) < 2.0);
		assert_int_equal(f->m.mode, DACC_CRUISE);
	}
}

/* Simulated: without a bandwidth hint, full rate on a 100 ms path after a
 * few rounds and no buffer overflow with a 1 BDP buffer.
 */
static void test_sim_start_without_hint(void **state)
{
	struct sim s;
	struct dacc_model_cfg c = cfg(100000, 0, 100000);
	struct flow *f;

	sim_init(&s, 100000000, 850, 0);
	f = flow_new(100000, &c);
	sim_run(&s, &f, 1, 5 * SEC, 2 * SEC);
	assert_int_equal(s.drops_overflow, 0);
	assert_true(rate_frac(&s, f, 3 * SEC) > 0.93);
}

/* Simulated: 1% random loss costs no rate. */
static void test_sim_random_loss(void **state)
{
	struct sim s;
	struct dacc_model_cfg c = cfg(50000, 100000000, 50000);
	struct flow *f;

	sim_init(&s, 100000000, 850, 10000);
	f = flow_new(50000, &c);
	sim_run(&s, &f, 1, 6 * SEC, 1 * SEC);
	/* 1% of the packets are lost, so at most 99% arrives. */
	assert_true(rate_frac(&s, f, 5 * SEC) > 0.93);
}

/* Simulated: 2 ms and 100 ms flows converge to equal rates. */
static void test_sim_rtt_fairness(void **state)
{
	struct sim s;
	struct dacc_model_cfg c1 = cfg(2000, 100000000, 2000), c2 = cfg(100000, 100000000, 100000);
	struct flow *f[2];
	double r0, r1, jain;

	sim_init(&s, 100000000, 850, 0);
	f[0] = flow_new(2000, &c1);
	f[1] = flow_new(100000, &c2);
	sim_run(&s, f, 2, 20 * SEC, 5 * SEC);
	r0 = rate_frac(&s, f[0], 15 * SEC);
	r1 = rate_frac(&s, f[1], 15 * SEC);
	jain = (r0 + r1) * (r0 + r1) / (2 * (r0 * r0 + r1 * r1));
	print_message("# near %.3f far %.3f jain %.3f queue %.2f ms\n", r0, r1, jain, q_mean_ms(&s));
	assert_true(r0 + r1 > 0.95);
	assert_true(jain > 0.98);
}

/* Simulated: a profile whose base RTT is 2x too high: the flow's own
 * minimum wins, the queue stays small.
 */
static void test_sim_profile_too_high(void **state)
{
	struct sim s;
	struct dacc_model_cfg c = cfg(40000, 0, 20000);
	struct flow *f;

	sim_init(&s, 100000000, 3000, 0);
	f = flow_new(20000, &c);
	sim_run(&s, &f, 1, 5 * SEC, 2 * SEC);
	assert_true(dacc_model_base(&f->m) < 21000);
	assert_true(rate_frac(&s, f, 3 * SEC) > 0.95);
	assert_true(q_mean_ms(&s) < 3.0);
}

/* Simulated: a profile 2x too low: dacc sees its own minimum far above it,
 * stops trusting it, and neither collapses nor floods the buffer.
 */
static void test_sim_profile_too_low(void **state)
{
	struct sim s;
	struct dacc_model_cfg c = cfg(10000, 0, 20000);
	struct flow *f;

	sim_init(&s, 100000000, 3000, 0);
	f = flow_new(20000, &c);
	sim_run(&s, &f, 1, 5 * SEC, 2 * SEC);
	assert_true(dacc_model_distrust(&f->m));
	assert_true(rate_frac(&s, f, 3 * SEC) > 0.95);
	assert_true(q_mean_ms(&s) < 3.0);
}

/* Simulated: the ACKs queue 20 ms on the way back (the other direction's
 * data, or a loss-based flow there).  With the peer's timestamps dacc sees
 * that the wait is not in its own queue and keeps the link full; without
 * them the longer RTT reads as its own queue and the window yields.
 */
static double sim_reverse_queue(int ts, double *q_ms)
{
	struct sim s;
	struct flow *f = sim_one(&s, ts);

	sim_run(&s, &f, 1, 2 * SEC, 2 * SEC);
	s.rev_q_ns = 20 * MS;
	sim_run(&s, &f, 1, 8 * SEC, 4 * SEC);
	*q_ms = q_mean_ms(&s);
	print_message("# timestamps %d: rate %.3f queue %.2f ms mode %u\n", ts,
		      rate_frac(&s, f, 4 * SEC), *q_ms, f->m.mode);
	return rate_frac(&s, f, 4 * SEC);
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
	struct flow *f = sim_one(&s, 1);
	double r;

	sim_run(&s, &f, 1, 2 * SEC, 2 * SEC);
	s.rev_q_ns = 20 * MS;
	s.rev_jit_ns = 20 * MS;
	s.rcv_jit_ns = 4 * MS;
	sim_run(&s, &f, 1, 10 * SEC, 4 * SEC);
	r = rate_frac(&s, f, 6 * SEC);
	print_message("# jittery reverse queue: rate %.3f queue %.2f ms mode %u\n", r,
		      q_mean_ms(&s), f->m.mode);
	assert_true(r > 0.95);		/* 0.53 with the two minima of a block */
	assert_true(q_mean_ms(&s) < 3.0);
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
	struct flow *f[2];

	sim_init(&s, 100000000, 850, 0);
	s.now_ns = 3 * SEC;
	s.last_dep_ns = s.now_ns + 40 * MS;	/* the queue the loss-based flow left */
	for (int i = 0; i < 2; i++) {
		f[i] = flow_new(20000, &c);
		f[i]->m.mode = DACC_COMPETE;
		f[i]->m.w = 260 * DACC_W_ONE;	/* 1.5 BDP each: 40 ms of queue */
		f[i]->m.comp_since_us = i * 2500000;	/* 3 s and 0.5 s ago */
		f[i]->idle_until_ns = s.now_ns;
		f[i]->next_tx_ns = s.now_ns;
	}
	sim_run(&s, f, 2, 17 * SEC, 15 * SEC);
	print_message("# modes %u %u queue %.2f ms\n", f[0]->m.mode, f[1]->m.mode, q_mean_ms(&s));
	assert_int_equal(f[0]->m.mode, DACC_CRUISE);
	assert_int_equal(f[1]->m.mode, DACC_CRUISE);
	assert_true(q_mean_ms(&s) < 4.0);	/* 2 x alpha is 3.1 ms; locked, 75 ms */
}

/* Simulated: no profile at all, own estimates only. */
static void test_sim_no_profile(void **state)
{
	struct sim s;
	struct dacc_model_cfg c = cfg(0, 0, 20000);
	struct flow *f;

	sim_init(&s, 100000000, 850, 0);
	f = flow_new(20000, &c);
	sim_run(&s, &f, 1, 25 * SEC, 2 * SEC);
	assert_true(rate_frac(&s, f, 23 * SEC) > 0.95);
	assert_true(q_mean_ms(&s) < 3.0);	/* min RTT renewals do not drift */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_hint_starts_at_bdp),
		cmocka_unit_test(test_sim_reverse_queue),
		cmocka_unit_test(test_sim_reverse_queue_jitter),
		cmocka_unit_test(test_competitor_entry_half_pipe),
		cmocka_unit_test(test_sim_two_compete_unlock),
		cmocka_unit_test(test_init_no_profile),
		cmocka_unit_test(test_short_profile_host_latency),
		cmocka_unit_test(test_queue_building_shrinks_window),
		cmocka_unit_test(test_random_loss_keeps_window),
		cmocka_unit_test(test_loss_with_queue_cuts_once_per_round),
		cmocka_unit_test(test_rto_halves_and_undo_restores),
		cmocka_unit_test(test_standing_queue_seen_with_profile),
		cmocka_unit_test(test_reverse_excess_within_a_tick),
		cmocka_unit_test(test_competitor_switches_mode),
		cmocka_unit_test(test_idle_restart_paces_at_history),
		cmocka_unit_test(test_sim_steady_state),
		cmocka_unit_test(test_sim_start_without_hint),
		cmocka_unit_test(test_sim_random_loss),
		cmocka_unit_test(test_sim_rtt_fairness),
		cmocka_unit_test(test_sim_profile_too_high),
		cmocka_unit_test(test_sim_profile_too_low),
		cmocka_unit_test(test_sim_no_profile),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
