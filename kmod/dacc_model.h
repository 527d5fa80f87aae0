/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dacc congestion model: integer update rules shared by the kernel's
 * congestion ops (kmod/cong.c) and the userspace unit tests, which drive it
 * through ACK sequences.  No kernel-only includes; see cong.c for the model.
 *
 * Fixed point, named once, sized for 800 Gbit/s x 300 ms (20 M packets of
 * 1500 bytes, 30 GB a round):
 *   window  w         packets << DACC_W_SHIFT (1/16 packet; u32: 256 M packets)
 *   gains             << DACC_GAIN_SHIFT, DACC_UNIT is 1.0
 *   rates             1024 bytes per second (u32, "kbytes": 35 Tbit/s);
 *                     computed in bytes per second (u64) and shifted
 *   times             microseconds (u32; differences survive the wrap)
 * Divisions: u64 by u32 (div_u64), only once a round of the model (the
 * rate, the thresholds' delays, alpha's floor, the FAST rule, the fair
 * share's pipe, the ECN fraction, the pacing rate: at most about twenty),
 * never per ACK; the per-ACK path only compares, adds and shifts.
 */
#ifndef _DACC_MODEL_H
#define _DACC_MODEL_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/math64.h>
#else
#include <stdbool.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}
#endif

#define DACC_W_SHIFT		4
#define DACC_W_ONE		16U		/* 1 << DACC_W_SHIFT */
#define DACC_GAIN_SHIFT		8
#define DACC_UNIT		256U		/* 1 << DACC_GAIN_SHIFT */

#define DACC_USEC_PER_SEC	1000000U
#define DACC_MIN_CWND		4U		/* packets */
#define DACC_MAX_W		0x40000000U	/* 64 M packets, in W units */
#define DACC_INIT_CWND		10U		/* packets, when nothing is known */
#define DACC_MAX_ALPHA_PKTS	64U		/* the backlog target's cap */

/* Pacing gains: START doubles per round, the other modes pace a quarter
 * above the window's rate so the window, not the pacer, is the limit.
 */
#define DACC_START_GAIN		(2 * DACC_UNIT)
#define DACC_CRUISE_GAIN	(DACC_UNIT * 5 / 4)
/* Multiplicative decrease on a loss that the delay confirms: 0.7, cubic's. */
#define DACC_BETA		(DACC_UNIT * 7 / 10)
/* The RTT's noise, which a queue estimate must stand above: twice the
 * mean deviation of the samples (the kernel's mdev), which a host's jitter
 * and the ACKs' coalescing make, up to this (an emulated host's jitter of
 * milliseconds: a loaded VM at 20 Mbit/s).  Tens of us in a datacenter.
 */
#define DACC_NOISE_MAX_US	2000U
/* START ends when consecutive RTT samples show more queue over the base
 * than the noise, or base/8 if more.
 */
#define DACC_START_EXIT_SAMPLES	4U
/* Queue over the base that counts as "the buffer is filling": losses seen
 * with less are random, and this much for DACC_COMP_ROUNDS rounds while the
 * window yields, with the buffer overflowing, means a competitor that does
 * not back off.  At least twice the noise (dacc_model_cong_q()).
 */
#define DACC_COMP_ROUNDS	8U
/* ... and above 3 x the queue our own backlog makes, up to this (a flow
 * yielding to a competitor has a low rate, so a long own-queue time).
 */
#define DACC_CONG_Q_OWN_MAX_US	16000U
/* ... and for at least this long: a long-RTT dacc flow draining its start
 * is not a competitor.
 */
#define DACC_COMP_MIN_US	1000000U
/* A yielding flow with a window of a few packets rarely sees the losses of
 * a buffer-filling competitor: without them, wait this long.
 */
#define DACC_COMP_NOLOSS_US	3000000U
/* In COMPETE, once DACC_COMP_MIN_US has passed, dacc drains its own part
 * of the queue for two rounds (CHECK) at every tick of a grid of 2^22 us
 * (4.2 s) of the host's clock, to see whether the rest drains too, that
 * is, whether the competitor is still there.  On one grid the dacc flows of
 * a host check together: two that both reached COMPETE then find the queue
 * gone once the loss-based flow has left, instead of each finding the
 * other's part of it.
 */
#define DACC_CHECK_SHIFT	22
/* ECN: DCTCP's estimate of the marked fraction, 1.0 = 1 << DACC_ECN_SHIFT,
 * its gain 1/16 a round.
 */
#define DACC_ECN_SHIFT		14
#define DACC_ECN_ONE		16384U		/* 1 << DACC_ECN_SHIFT */
#define DACC_ECN_G_SHIFT	4
/* Losses above max(this, 4 x the profile's baseline) are congestion too. */
#define DACC_LOSS_LIMIT_PPM	50000U
/* Losses above max(this, 4 x the baseline) that the queue does not explain
 * (dacc_model_adapt_alpha()): the flows' backlogs overflow the buffer.
 * Twice the highest random loss a path worth using has (0.1%).
 */
#define DACC_ALPHA_LOSS_PPM	2000U
/* The profile's base RTT is trusted while the flow's own minimum stays
 * within base + base/8 + this; above, the profile is taken as wrong.
 */
#define DACC_TRUST_SLACK_US	1000U
/* RTT samples per block of the queue estimate. */
#define DACC_BLK_SAMPLES	16U
/* Host latency above the profile's base that is not queue: 1 ms + 1/64. */
#define DACC_HOST_SLACK_US	1000U
/* Own minimum RTT window; at expiry one round runs 2 alpha smaller. */
#define DACC_MIN_RTT_WIN_US	(10U * DACC_USEC_PER_SEC)
/* The reverse path's minimum one-way delay moves up by at most this per
 * DACC_MIN_RTT_WIN_US (50 ppm of clock drift between the hosts).
 */
#define DACC_REV_DRIFT_US	500U
#define DACC_REV_NONE		0xffffU
#define DACC_TS_TICK_US		1000U	/* a peer's TCP timestamp tick, at most */

enum dacc_mode {
	DACC_START = 0,		/* paced exponential start, no bandwidth hint */
	DACC_CRUISE = 1,	/* FAST-style backlog of alpha packets */
	DACC_COMPETE = 2,	/* a loss-based competitor holds the queue */
	DACC_CHECK = 3,		/* COMPETE, our own queue drained: is it still? */
};

/* The kernel's loss recovery, as the glue tells it (dacc_model_recovery_cwnd()). */
enum dacc_recov {
	DACC_RECOV_NONE = 0,	/* Open, Disorder, CWR: the window is the model's */
	DACC_RECOV_ENTER = 1,	/* Recovery began: its first ACK */
	DACC_RECOV_CONSERVE = 2,	/* ... the rest of its first round */
	DACC_RECOV_GROW = 3,	/* later in Recovery, and in Loss (after an RTO) */
};

/* What the flow knows at init: the profile (zeros without one). */
struct dacc_model_cfg {
	u32 prof_rtt_us;	/* profile base RTT, 0: none */
	u64 hint_bytes_ps;		/* bottleneck bandwidth hint, bytes/s, 0: none */
	u32 loss_ppm;		/* random-loss baseline of the path */
	u32 srtt_us;		/* RTT of the handshake, 0: unknown */
	u32 mss;		/* bytes */
	u32 alpha_pkts;		/* backlog target without a hint */
	u32 qtarget_us;		/* backlog target with a hint, as queue time */
	u32 share;		/* dacc flows on the profile now, this one too; 0: 1 */
	/* The kernel's window when the flow comes to dacc, packets (0:
	 * unknown); established: it comes mid-flow (TCP_CONGESTION on a
	 * connection that has sent data).  See dacc_model_init().
	 */
	u32 cwnd;
	bool established;
};

/* One ACK, as the congestion ops see it. */
struct dacc_ack {
	u32 now_us;
	u32 delivered;		/* packets delivered so far (tp->delivered) */
	u32 prior_delivered;	/* delivered when the ACKed packet was sent */
	u32 losses;		/* packets newly marked lost */
	u32 inflight;		/* packets in flight after this ACK */
	u32 mss;
	u32 srtt_us;		/* smoothed RTT (1/8 per sample), 0: none */
	u32 mdev_us;		/* its mean deviation (1/4 per sample) */
	bool cwnd_limited;	/* the window, not the application, limited us */
	/* Of the packets delivered since the ACKed one was sent (the rate
	 * sample's interval, a round at a round's end): how many, and how
	 * many of them the receiver echoed as CE-marked (ECE).
	 */
	u32 ecn_delivered;
	u32 ecn_ce;
	/* The profile's bulk flows now (their last round was window-limited;
	 * the kernel counts them), this one included; 0: no profile.
	 */
	u32 share;
};

struct dacc_model {
	u32 bw_kbytes_ps;		/* own delivery-rate estimate (decaying max) */
	u32 pacing_kbytes_ps;		/* what the pacer should do, 0: default */
	u32 hint_kbytes_ps;		/* profile bandwidth hint, 1024 bytes/s, 0: none */
	u32 prof_rtt_us;	/* profile base RTT, 0: none */
	u32 min_rtt_us;		/* own windowed minimum, ~0U: no sample yet */
	u32 w;			/* window, W units */
	u32 prior_w;		/* window before the queue rose (COMPETE) */
	u32 undo_w;		/* window before the last loss episode (undo) */
	u32 comp_since_us;	/* queue high since (CRUISE), COMPETE since */

	u32 round_start_us;
	u32 round_start_delivered;	/* a round ends once this is delivered */
	u32 round_min_rtt_us;	/* lowest RTT sample of the round, ~0U: none */
	u32 blk_min_us;		/* lowest RTT of the current block of samples */
	u32 blk_last_us;	/* ... of the last complete block, 0: none */
	u32 blk_fwd_us;		/* lowest forward RTT (dacc_model_fwd_rtt()) of the block */
	/* Reverse one-way delay, see dacc_model_rev_sample(). */
	u32 rev_min_us;		/* lowest sample (clock offset included) */
	u16 rev_q_us;		/* last block: lowest RTT - lowest forward RTT */
	u16 round_rev_us;	/* the round's: lowest RTT - lowest forward RTT */
	/* when min_rtt_us was last lowered or renewed, 1024 us units (wraps
	 * in 67 s, as rev_stamp: an idle flow renews its minimum up to
	 * DACC_MIN_RTT_WIN_US late)
	 */
	u16 min_rtt_stamp;
	u16 rev_win_us;		/* lowest excess over rev_min_us since rev_stamp */
	u16 rev_stamp;		/* window start, 1024 us units (wraps in 67 s) */
	u16 round_losses;	/* saturates */
	u16 loss_ewma;		/* smoothed per-round loss fraction, ppm / 16 */
	u16 alpha_w;		/* backlog target, W units (at most DACC_MAX_ALPHA) */
	u16 loss_base;		/* 4 x the profile's random loss, ppm / 16 */
	u16 ce_alpha;		/* marked fraction, DCTCP's alpha, / DACC_ECN_ONE */
	u8 alpha_cfg;		/* alpha as configured, packets (dacc_model_adapt_alpha()) */
	u8 blk_n:5,		/* samples in the current block */
	   start_high:3;	/* consecutive START samples showing a queue, saturates */
	u8 comp_rounds:4,	/* consecutive rounds with a high queue, saturates */
	   bulk:1,		/* the last round was window-limited (see dacc_ack.share) */
	   q_hi:1,		/* the last CRUISE round's queue was above 3 x alpha's (hinted) */
	   recov:2;		/* enum dacc_recov: the kernel's loss recovery */
	u8 mode:2,		/* enum dacc_mode */
	   cwnd_limited:1,	/* some ACK of the round was window-limited */
	   probe_rtt:1,		/* this round drains 2 alpha to renew min RTT */
	   comp_loss:1,		/* the buffer overflowed in this high-queue episode */
	   low_q:2,		/* rounds in a row with a queue far below our backlog's */
	   rev_ok:1;		/* rev_min_us holds a sample */
};

/* Rates in bytes per second. */
static inline u64 dacc_model_bw(const struct dacc_model *m)
{
	return (u64)m->bw_kbytes_ps << 10;
}

static inline u64 dacc_model_pacing_rate(const struct dacc_model *m)
{
	return (u64)m->pacing_kbytes_ps << 10;
}

static inline u32 dacc_kbytes(u64 bytes_ps)
{
	bytes_ps >>= 10;
	return bytes_ps > ~0U ? ~0U : (u32)bytes_ps;
}

static inline u32 dacc_min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

static inline u32 dacc_max_u32(u32 a, u32 b)
{
	return a > b ? a : b;
}

static inline u64 dacc_min_u64(u64 a, u64 b)
{
	return a < b ? a : b;
}

static inline u64 dacc_max_u64(u64 a, u64 b)
{
	return a > b ? a : b;
}

static inline u32 dacc_clamp_w(u64 w)
{
	if (w < (u64)DACC_MIN_CWND << DACC_W_SHIFT)
		return DACC_MIN_CWND << DACC_W_SHIFT;
	if (w > DACC_MAX_W)
		return DACC_MAX_W;
	return (u32)w;
}

/* Bytes of headers a segment carries on the wire beside its mss of data:
 * Ethernet 14, IPv4 20, TCP with timestamps 32.
 */
#define DACC_WIRE_HDR_BYTES	66U

/* Packets that fit rate_bytes_ps x rtt_us, in W units. */
static inline u64 dacc_bdp_w(u64 rate_bytes_ps, u32 rtt_us, u32 mss)
{
	u64 bytes = div_u64(rate_bytes_ps * rtt_us, DACC_USEC_PER_SEC);

	return div_u64(bytes << DACC_W_SHIFT, mss ? mss : 1);
}

/* The hint is the link's rate on the wire; the window counts mss of data:
 * the hint's goodput in bytes/s.  (The hint itself as the goodput put
 * 4.5% of the BDP in the queue: 5.4 ms at 150 ms.)
 */
static inline u64 dacc_model_hint_goodput(const struct dacc_model *m, u32 mss)
{
	return div_u64(((u64)m->hint_kbytes_ps << 10) * mss, mss + DACC_WIRE_HDR_BYTES);
}

/* ... of one of the profile's n bulk flows (n: dacc_ack.share). */
static inline u64 dacc_model_share_goodput(const struct dacc_model *m, u32 mss, u32 n)
{
	u64 g = dacc_model_hint_goodput(m, mss);

	return n > 1 ? div_u64(g, n) : g;
}

/* The profile's base RTT is wrong: our own minimum lies more than 1/8 +
 * 1 ms above it, farther than any standing queue a start leaves.  Not
 * sticky: a slow first sample (the handshake's) is forgotten as soon as a
 * lower one arrives.
 */
static inline bool dacc_model_distrust(const struct dacc_model *m)
{
	u32 prof = m->prof_rtt_us;

	return prof && m->min_rtt_us != ~0U &&
	       m->min_rtt_us > prof + (prof >> 3) + DACC_TRUST_SLACK_US;
}

/* The base RTT in use (~0U: none yet).  The lower of the profile's and our
 * own minimum, within reason: ours alone without a profile or when it is
 * wrong.  Up to 1/64 + 1 ms above the profile is the hosts' own latency
 * (stacks, NICs, a full packet's serialization), which the profile does
 * not include: the base follows our minimum there, and what lies above
 * that is a standing queue.  Derived, not stored: the minimum changes it.
 */
static inline u32 dacc_model_base(const struct dacc_model *m)
{
	u32 own = m->min_rtt_us, prof = m->prof_rtt_us;

	if (!prof || dacc_model_distrust(m))
		return own;
	if (own == ~0U || own <= prof)
		return dacc_min_u32(prof, own);
	return dacc_min_u32(own, prof + (prof >> 6) + DACC_HOST_SLACK_US);
}

/* Queueing delay of an RTT: what exceeds the base. */
static inline u32 dacc_model_qdelay(const struct dacc_model *m, u32 rtt_us)
{
	if (dacc_model_base(m) == ~0U || rtt_us <= dacc_model_base(m))
		return 0;
	return rtt_us - dacc_model_base(m);
}

/* Queueing delay our own backlog makes at a rate (us); zero while the rate
 * is unknown.  The rate in its own units (1024 bytes/s, u32 up to 35
 * Tbit/s): in bytes/s it does not fit the divisor's u32 above 34 Gbit/s.
 */
static inline u32 dacc_w_delay(u32 w, u32 mss, u32 kbytes_ps)
{
	u64 bytes = ((u64)w * mss) >> DACC_W_SHIFT;

	if (!kbytes_ps)
		return 0;
	return (u32)dacc_min_u64(div_u64((bytes * DACC_USEC_PER_SEC) >> 10, kbytes_ps), ~0U);
}

static inline u32 dacc_model_alpha_delay_at(const struct dacc_model *m, u32 mss, u32 kbytes_ps)
{
	return dacc_w_delay(m->alpha_w, mss, kbytes_ps);
}

/* ... at our delivery rate. */
static inline u32 dacc_model_alpha_delay(const struct dacc_model *m, u32 mss)
{
	return dacc_model_alpha_delay_at(m, mss, m->bw_kbytes_ps);
}

/* The RTT's noise (see DACC_NOISE_MAX_US), from the mean deviation. */
static inline u32 dacc_model_noise(u32 mdev_us)
{
	return dacc_min_u32(2 * dacc_min_u32(mdev_us, DACC_NOISE_MAX_US), DACC_NOISE_MAX_US);
}

/* Loss fractions, ppm / 16 as loss_ewma: above the first, losses are
 * congestion whatever the queue; above the second, backlogs overflow.
 */
static inline u32 dacc_model_loss_limit(const struct dacc_model *m)
{
	return dacc_max_u32(DACC_LOSS_LIMIT_PPM >> 4, m->loss_base);
}

static inline u32 dacc_model_alpha_loss_limit(const struct dacc_model *m)
{
	return dacc_max_u32(DACC_ALPHA_LOSS_PPM >> 4, m->loss_base);
}

/* The queue that says the buffer is filling: well above what the dacc
 * flows make (alpha at our rate, which is N alpha at the link's: the
 * threshold scales with the number of flows), above twice the RTT's noise
 * (4 ms in a loaded VM, tens of us in a datacenter, whose switches hold
 * 100-200 us: a constant 4 ms there took no loss for congestion), and
 * above base/16 (a long path's routers).
 * A flow that yields to a competitor has a low rate, so a long own-queue
 * time, and a threshold that rose out of reach as it yielded (16 ms, the
 * cap, beside cubic's 2-6 ms at 10 Gbit/s: 1.5% of the link).  With a
 * hint its rate counts as at least its share of it (the profile's flows
 * now), which is what the dacc flows alone give it.
 */
static inline u32 dacc_model_cong_q(const struct dacc_model *m, const struct dacc_ack *a)
{
	u32 b = dacc_model_base(m) == ~0U ? 0 : dacc_model_base(m);
	u32 rate = m->bw_kbytes_ps, own;

	if (m->hint_kbytes_ps)
		rate = dacc_max_u32(rate, m->hint_kbytes_ps / (a->share ? a->share : 1));
	own = dacc_model_alpha_delay_at(m, a->mss, rate);

	own = dacc_min_u32(own, DACC_CONG_Q_OWN_MAX_US / 3) * 3;
	return dacc_max_u32(dacc_max_u32(2 * dacc_model_noise(a->mdev_us), b >> 4), own);
}

/* The RTT the pacer divides by: the round's lowest sample, else the base. */
static inline u32 dacc_model_rtt(const struct dacc_model *m)
{
	if (m->round_min_rtt_us != ~0U)
		return m->round_min_rtt_us;
	if (dacc_model_base(m) != ~0U)
		return dacc_model_base(m);
	return 0;
}

static inline void dacc_model_set_pacing(struct dacc_model *m, u32 mss, u32 gain)
{
	u32 rtt = dacc_model_rtt(m);
	u64 bytes = ((u64)m->w * mss) >> DACC_W_SHIFT;

	if (!rtt) {
		m->pacing_kbytes_ps = 0;	/* unknown: the kernel's default applies */
		return;
	}
	m->pacing_kbytes_ps = dacc_kbytes((div_u64(bytes * DACC_USEC_PER_SEC, rtt) * gain) >>
					  DACC_GAIN_SHIFT);
}

static inline u32 dacc_model_gain(const struct dacc_model *m)
{
	return m->mode == DACC_START ? DACC_START_GAIN : DACC_CRUISE_GAIN;
}

/* The window the socket should use, packets. */
static inline u32 dacc_model_cwnd(const struct dacc_model *m)
{
	u32 c = m->w >> DACC_W_SHIFT;

	if (m->probe_rtt)
		c = c > 2 * (m->alpha_w >> DACC_W_SHIFT) ? c - 2 * (m->alpha_w >> DACC_W_SHIFT) : 0;
	return dacc_max_u32(c, DACC_MIN_CWND);
}

static inline void dacc_model_round_reset(struct dacc_model *m, u32 now_us, u32 delivered)
{
	m->round_start_us = now_us;
	m->round_start_delivered = delivered;
	m->round_min_rtt_us = ~0U;
	m->round_rev_us = 0;
	m->round_losses = 0;
	m->cwnd_limited = 0;
}

static inline void dacc_model_init(struct dacc_model *m, const struct dacc_model_cfg *c,
				   u32 now_us, u32 delivered)
{
	u32 mss = c->mss ? c->mss : 1;
	u64 alpha;

	*m = (struct dacc_model){ 0 };
	m->prof_rtt_us = c->prof_rtt_us;
	if (c->prof_rtt_us)
		m->hint_kbytes_ps = (u32)dacc_min_u64(c->hint_bytes_ps >> 10, ~0U);
	m->loss_base = (u16)(dacc_min_u64(4 * (u64)c->loss_ppm, DACC_USEC_PER_SEC) >> 4);
	m->min_rtt_us = c->srtt_us ? c->srtt_us : ~0U;
	m->min_rtt_stamp = (u16)(now_us >> 10);
	m->blk_min_us = ~0U;
	m->blk_fwd_us = ~0U;
	m->rev_win_us = DACC_REV_NONE;
	m->ce_alpha = DACC_ECN_ONE;	/* DCTCP's start: the first mark halves */
	dacc_model_round_reset(m, now_us, delivered);

	/* The backlog each flow keeps in the bottleneck queue.  Equal for all
	 * flows of a bottleneck, so equal rates whatever their RTT.  With a
	 * bandwidth hint it is qtarget_us of queue at that rate, but never
	 * less than alpha_pkts: below that, the hosts' and ACKs' jitter
	 * swamps the signal and the window starves.
	 */
	alpha = (u64)c->alpha_pkts << DACC_W_SHIFT;
	if (m->hint_kbytes_ps) {
		u64 q = dacc_bdp_w(dacc_model_hint_goodput(m, mss), c->qtarget_us, mss);

		alpha = dacc_max_u64(alpha, q + DACC_W_ONE / 2);
	}
	if (alpha < 2 * DACC_W_ONE)
		alpha = 2 * DACC_W_ONE;
	if (alpha > DACC_MAX_ALPHA_PKTS * DACC_W_ONE)
		alpha = DACC_MAX_ALPHA_PKTS * DACC_W_ONE;
	m->alpha_w = (u16)(alpha & ~(u64)(DACC_W_ONE - 1));
	m->alpha_cfg = (u8)(m->alpha_w >> DACC_W_SHIFT);

	if (m->hint_kbytes_ps && dacc_model_base(m) != ~0U) {
		/* Bandwidth and delay known: one BDP plus our backlog, paced at
		 * the hint from the first round.  The hint is the path's
		 * capacity, not one flow's: the n-th flow of a profile (the
		 * kernel counts them) starts at 1/n^2 of that, paced over the
		 * round.  Any number of flows starting together then send at
		 * most pi^2/6 = 1.64 of it in their first round, which the pipe
		 * and a buffer of a BDP hold (each taking all of it, 16 flows
		 * at 1 ms lost 80% of their first 3 ms; at 1/n, 42%; at 1/n^2
		 * paced at 1/n, 1.6%: the bursts met); alone, a flow still has
		 * the whole pipe from the first round.
		 */
		u64 hint = dacc_model_hint_goodput(m, mss);
		u32 n = c->share > 1 ? dacc_min_u32(c->share, 0xffff) : 1;

		m->w = dacc_clamp_w(div_u64(dacc_bdp_w(hint, dacc_model_base(m), mss) + m->alpha_w,
					    n * n));
		m->mode = DACC_CRUISE;
		m->pacing_kbytes_ps = dacc_kbytes(div_u64((u64)m->hint_kbytes_ps << 10, n * n));
	} else {
		m->w = DACC_INIT_CWND << DACC_W_SHIFT;
		m->mode = DACC_START;
		dacc_model_set_pacing(m, mss, DACC_START_GAIN);
	}
	/* The kernel's own window when the flow comes to dacc: one it chose
	 * (a route's initcwnd, 1 after a retransmitted SYN) is the
	 * operator's or the path's word, over the profile's start; a flow
	 * switched to dacc mid-flow keeps the window it has, in CRUISE.
	 */
	if (c->cwnd && (c->established || c->cwnd != DACC_INIT_CWND)) {
		m->w = dacc_clamp_w((u64)c->cwnd << DACC_W_SHIFT);
		m->mode = c->established ? DACC_CRUISE : DACC_START;
		dacc_model_set_pacing(m, mss, c->established ? DACC_CRUISE_GAIN : DACC_START_GAIN);
	}
	m->prior_w = m->w;
	m->undo_w = m->w;
}

/* Leave START: a window of the delivery rate seen times the base, plus our
 * backlog; the overshoot in the queue drains in the next rounds.
 */
static inline void dacc_model_end_start(struct dacc_model *m, u32 now_us, u32 delivered,
					u32 mss)
{
	u32 elapsed = now_us - m->round_start_us;
	u32 pkts = delivered - m->round_start_delivered;
	u64 bw = dacc_model_bw(m), w;

	if (elapsed && pkts) {
		u64 r = div_u64((u64)pkts * mss * DACC_USEC_PER_SEC, elapsed);

		if (r > bw)
			bw = r;
	}
	m->mode = DACC_CRUISE;
	if (bw && dacc_model_base(m) != ~0U) {
		w = dacc_bdp_w(bw, dacc_model_base(m), mss) + m->alpha_w;
		if (w < m->w)
			m->w = dacc_clamp_w(w);
	}
	dacc_model_set_pacing(m, mss, DACC_CRUISE_GAIN);
}

static inline u16 dacc_rev_add(u16 ex, u32 d)
{
	if (ex == DACC_REV_NONE)
		return ex;
	return (u16)dacc_min_u32(ex + d, DACC_REV_NONE - 1);
}

/* Every RTT sample whose ACK carried a timestamp: the reverse path's
 * one-way delay.  What it has above its minimum is queueing on the way back
 * (our ACKs behind the other direction's data): it lengthens the RTT, yet it
 * is not in our bottleneck's queue.  The minimum absorbs the clock offset
 * between the hosts.  Returns the sample's excess over the minimum (us).
 */
static inline u32 dacc_model_rev_sample(struct dacc_model *m, u32 owd_us, u32 now_us)
{
	s32 ex = (s32)(owd_us - m->rev_min_us);

	if (!m->rev_ok || ex < 0) {
		if (!m->rev_ok)
			m->rev_stamp = (u16)(now_us >> 10);
		else
			m->rev_win_us = dacc_rev_add(m->rev_win_us, (u32)-ex);
		m->rev_min_us = owd_us;
		m->rev_ok = 1;
		ex = 0;
	}
	if ((u32)ex < m->rev_win_us)
		m->rev_win_us = (u16)dacc_min_u32((u32)ex, DACC_REV_NONE - 1);
	return (u32)ex;
}

/* An RTT sample without the wait its own ACK had on the way back.  The
 * excess of one sample, not of a block: the lowest RTT and the lowest
 * reverse delay of a block come from different ACKs, and their difference
 * overstates our queue by as much as the reverse queue moves within the
 * block (tens of ms beside a loss-based reverse flow, or a busy host).
 * The peer's clock ticks in ms, so an excess reads up to a tick high (the
 * phase of the send time within the tick that the minimum did not have):
 * one within a tick may be only that, and is not taken as a reverse queue
 * (at datacenter rates that phase would hide our own queue); above a tick,
 * half a tick of it (the mean phase) stays in the RTT.  An excess above the
 * RTT's whole excess plus a tick is no queue but a peer clock at another
 * rate: ignored.
 */
static inline u32 dacc_model_fwd_rtt(const struct dacc_model *m, u32 rtt_us, u32 rev_ex_us)
{
	u32 ex;

	if (dacc_model_base(m) == ~0U)
		return rtt_us;
	ex = rtt_us > dacc_model_base(m) ? rtt_us - dacc_model_base(m) : 0;
	if (rev_ex_us > ex + DACC_TS_TICK_US || rev_ex_us <= DACC_TS_TICK_US)
		return rtt_us;
	return rtt_us - dacc_min_u32(rev_ex_us - DACC_TS_TICK_US / 2, ex);
}

/* Once a round: every DACC_MIN_RTT_WIN_US the minimum may rise to the
 * lowest sample of the window, by at most DACC_REV_DRIFT_US.  That follows
 * the drift of the two clocks, and forgets a standing reverse queue only
 * slowly (a bidirectional bulk transfer keeps one for minutes).
 */
static inline void dacc_model_rev_renew(struct dacc_model *m, u32 now_us)
{
	u32 up;

	if (!m->rev_ok ||
	    (u16)((now_us >> 10) - m->rev_stamp) < (DACC_MIN_RTT_WIN_US >> 10))
		return;
	m->rev_stamp = (u16)(now_us >> 10);
	if (m->rev_win_us == DACC_REV_NONE)
		return;
	up = dacc_min_u32(m->rev_win_us, DACC_REV_DRIFT_US);
	m->rev_min_us += up;
	m->rev_win_us = DACC_REV_NONE;
}

/* The round's lowest forward RTT (~0U: no sample yet). */
static inline u32 dacc_model_round_fwd(const struct dacc_model *m)
{
	if (m->round_min_rtt_us == ~0U)
		return ~0U;
	return m->round_min_rtt_us - m->round_rev_us;
}

/* The round's lowest RTT and lowest forward RTT, kept as the first and
 * their difference (at most 65 ms, as rev_q_us).  A sample's forward RTT
 * is at most its RTT, so the difference is never negative.
 */
static inline void dacc_model_round_sample(struct dacc_model *m, u32 rtt_us, u32 fwd_us)
{
	u32 fwd = dacc_min_u32(dacc_model_round_fwd(m), fwd_us), rtt;

	if (rtt_us < m->round_min_rtt_us)
		m->round_min_rtt_us = rtt_us;
	rtt = m->round_min_rtt_us;
	m->round_rev_us = (u16)dacc_min_u32(rtt - dacc_min_u32(fwd, rtt), DACC_REV_NONE - 1);
}

/* Every RTT sample (pkts_acked): min filters, and START's early exit.
 * mdev_us: the samples' mean deviation with this one (the kernel's mdev).
 * rev_valid: the ACK carried the peer's timestamp, and rev_owd_us is our
 * clock (us) minus that TSval in our units, the reverse one-way delay plus
 * an unknown clock offset (only differences between samples mean anything).
 */
static inline void dacc_model_rtt_sample(struct dacc_model *m, u32 rtt_us, u32 mdev_us,
					 u32 now_us, bool rev_valid, u32 rev_owd_us)
{
	u32 fwd;

	if (!rtt_us)
		rtt_us = 1;
	fwd = rtt_us;
	if (rev_valid)
		fwd = dacc_model_fwd_rtt(m, rtt_us, dacc_model_rev_sample(m, rev_owd_us, now_us));
	if (m->mode == DACC_START) {
		if (dacc_model_qdelay(m, rtt_us) >
		    dacc_max_u32(dacc_model_noise(mdev_us), dacc_model_base(m) >> 3))
			m->start_high += m->start_high < 7;
		else
			m->start_high = 0;
	}
	dacc_model_round_sample(m, rtt_us, fwd);
	if (rtt_us < m->blk_min_us)
		m->blk_min_us = rtt_us;
	if (fwd < m->blk_fwd_us)
		m->blk_fwd_us = fwd;
	if (++m->blk_n >= DACC_BLK_SAMPLES) {
		m->blk_last_us = m->blk_min_us;
		m->rev_q_us = (u16)dacc_min_u32(m->blk_min_us - m->blk_fwd_us,
						DACC_REV_NONE - 1);
		m->blk_min_us = ~0U;
		m->blk_fwd_us = ~0U;
		m->blk_n = 0;
	}
	if (rtt_us <= m->min_rtt_us) {
		m->min_rtt_us = rtt_us;
		m->min_rtt_stamp = (u16)(now_us >> 10);
	}
}

/* The pipe is not full: grow by an eighth a round, but not past what the
 * path holds for us when a bandwidth hint says so (our share's BDP at the
 * RTT without our queue, rtt_us, plus our backlog: a flow of four growing
 * to the whole hint's pipe put 3 ms in the queue at 60 ms).  The queue
 * shows an overshoot a round
 * late, when the window has grown once more: uncapped, a flow alone
 * overshoots by a quarter of the BDP, and a random loss in that queue
 * reads as congestion.  Past that and still no queue, the hint is low:
 * grow by 1/128 a round, which a round's lag turns into less than 1% of
 * the BDP of queue (a hint a tenth low takes 13 rounds, not the thousands
 * of alpha/2; a sixteenth a round overshot by 5%, 5 ms at 100 ms, and
 * cycled).
 */
static inline u64 dacc_model_fast_growth(const struct dacc_model *m, u64 w, u32 rtt_us, u32 mss,
					 u32 share, bool long_low)
{
	u64 pipe;

	if (!m->hint_kbytes_ps)
		return w + (w >> 3);
	pipe = dacc_bdp_w(dacc_model_share_goodput(m, mss, share), rtt_us, mss) + m->alpha_w;
	if (w < pipe)
		return dacc_min_u64(w + (w >> 3), pipe);
	/* At the pipe a round or two still read low (the queue shows a
	 * round late): only a third low round in a row says the hint is.
	 */
	return long_low ? w + (w >> 7) : w;
}

/* ECN, once a round: the fraction of the round's deliveries that came back
 * marked (the kernel's rate sample counts them whether the receiver echoes
 * as RFC 3168 says, ECE until our CWR, or per packet as DCTCP's do) into
 * DCTCP's moving average.  Returns whether the round saw a mark.
 */
static inline bool dacc_model_ecn(struct dacc_model *m, const struct dacc_ack *a)
{
	u32 f;

	if (!a->ecn_delivered)
		return false;
	f = a->ecn_ce >= a->ecn_delivered ? DACC_ECN_ONE :
	    (u32)div_u64((u64)a->ecn_ce << DACC_ECN_SHIFT, a->ecn_delivered);
	m->ce_alpha = (u16)(m->ce_alpha - (m->ce_alpha >> DACC_ECN_G_SHIFT) +
			    (f >> DACC_ECN_G_SHIFT));
	return a->ecn_ce > 0;
}

/* A round with marks: DCTCP's cut, w (1 - alpha / 2), but never below
 * 0.8 w, the reduction RFC 8511 (ABE) gives a mark: an AQM marks at a
 * short queue, not a full buffer.  With RFC 3168's echo (ECE on every ACK
 * until our CWR) alpha nears 1, and halving at a 1 ms threshold on a
 * 20 ms path left a quarter of the link idle.  A switch marks above a
 * threshold K that is usually below the N x alpha backlog of the dacc
 * flows (a datacenter's 100-200 us buffer is smaller still): the marks,
 * not the delay, then hold the queue, at K.
 */
static inline u64 dacc_model_ecn_cut(const struct dacc_model *m, u64 w)
{
	u64 cut = (w * m->ce_alpha) >> (DACC_ECN_SHIFT + 1);

	return w - dacc_min_u64(cut, w / 5);
}

/* What a round's end measured, for the rules of each mode. */
struct dacc_round {
	u32 rtt;		/* the RTT the window sees (block and round) */
	u32 q;			/* our queue in it */
	u32 q_rev;		/* the wait of its ACKs on the way back */
	u32 cong_q;		/* a queue above this: the buffer is filling */
	bool loss_cong;		/* the round's losses were congestion */
	bool ce;		/* the round's deliveries carried CE marks */
};

/* What the RTT's noise is worth at our rate, 1 to 64 packets: below, the
 * queue estimate is noise and the window starves.
 */
static inline u32 dacc_model_noise_w(const struct dacc_model *m, u32 mss, u32 mdev_us)
{
	u64 w = dacc_bdp_w(dacc_model_bw(m), dacc_model_noise(mdev_us), mss);

	return (u32)dacc_min_u64(dacc_max_u64(w, DACC_W_ONE), DACC_MAX_ALPHA_PKTS * DACC_W_ONE);
}

/* The queue is above a threshold and held in the buffer, not made by a
 * host's stall.  A stall of the receiver (a VM's vCPU preempted, an
 * interrupt storm) delays the ACKs of a few ms of packets: a block of high
 * samples whose packets queued nowhere, while the window that keeps the
 * link busy across stalls is lost at the bottleneck at random.  A buffer
 * that fills shows it in the round's lowest sample too (half of it), or
 * held it at the last round's end (prev: a stall rarely spans two).
 */
static inline bool dacc_model_q_held(const struct dacc_model *m, const struct dacc_round *r,
				     u32 thresh, bool prev)
{
	return r->q > thresh &&
	       (prev || 2 * (u64)dacc_model_qdelay(m, dacc_model_round_fwd(m)) > thresh);
}

/* alpha, once a CRUISE round.  The flows of a bottleneck see the same
 * losses and move their alpha alike, so their rates stay equal: down by
 * half, up by a sixteenth of a packet a round without a loss (AIMD: flows
 * that started apart converge), up to the configured alpha.
 *  - A loss rate no random loss explains (above 5%): halve.
 *  - A buffer smaller than the backlogs (N x alpha; a datacenter switch
 *    holds 100-200 us, 16 flows of 64 packets want 1 ms at 10 Gbit/s)
 *    overflows with no queue above the congestion threshold: losses above
 *    0.2% while the queue holds more than 1.5 x the backlog the flow is
 *    to keep (its cap below) at the hint's rate: others queue beside it.
 *    Halve, down to the floor.  At the floor, with more than three such
 *    backlogs held in the queue (dacc_model_q_held(); q_hi says the last
 *    round ended above them), they are congestion (returns true): the
 *    window must yield (four 10 ms flows beside datacenter RPCs in a
 *    150 us buffer kept 4% of the RPCs' packets lost; two flows of
 *    different profiles at 20 Mbit/s, 2 and 100 ms, lost their fairness,
 *    Jain 0.96 -> 0.81).  Against the backlog it keeps now, not its cap,
 *    a flow alone with random loss halved its way down to the floor,
 *    where any noise is 3 x, and cut: 1% of loss cost 13% of the link.
 * With a hint, the configured alpha is qtarget_us at the link's rate: the
 * path's, as the hint is.  The profile's flows share it, so that together
 * they keep qtarget_us of queue: each at most its 1/n, not below the floor
 * (the kernel counts them; 4 flows at 10 Gbit/s kept 4 x 77 us); and it
 * grows back only while the queue is within that target (in a shallow
 * buffer, 16 flows of distinct hosts regrew in a few ms of 200-us rounds
 * and lost 2%).
 * A host whose RTT's noise is worth more than the configured alpha at our
 * rate (a VM at 100 Mbit/s: 2 ms, 17 packets, where alpha is 8) would
 * read its noise as queue and starve the window: alpha is at least the
 * noise's worth then (up to 64 packets).
 */
static inline bool dacc_model_adapt_alpha(struct dacc_model *m, const struct dacc_ack *a,
					  const struct dacc_round *r)
{
	u32 cfg = (u32)m->alpha_cfg << DACC_W_SHIFT, cap = cfg, hint = m->hint_kbytes_ps;
	u32 noise = dacc_model_noise_w(m, a->mss, a->mdev_us), floor = dacc_min_u32(noise, cfg);
	u32 target = dacc_w_delay(cfg, a->mss, hint), one;
	bool ret = false;

	if (hint && a->share > 1)
		cap = dacc_max_u32(cap / a->share, floor);
	one = dacc_w_delay(cap, a->mss, hint);
	if (m->round_losses && m->loss_ewma > dacc_model_loss_limit(m)) {
		m->alpha_w = (u16)dacc_max_u32(m->alpha_w >> 1, DACC_W_ONE);
	} else if (hint && m->round_losses && !r->loss_cong &&
		 m->loss_ewma > dacc_model_alpha_loss_limit(m) &&
		 2 * (u64)r->q > 3 * (u64)one) {
		if (m->alpha_w > floor)
			m->alpha_w = (u16)dacc_max_u32(m->alpha_w >> 1, floor);
		else if (dacc_model_q_held(m, r, 3 * one, m->q_hi))
			ret = true;
	} else if (m->alpha_w > cap) {
		m->alpha_w = (u16)cap;
	} else if (!m->round_losses && m->alpha_w < cap && (!hint || r->q <= target)) {
		m->alpha_w++;
	}
	if (noise > cfg && m->alpha_w < noise)
		m->alpha_w = (u16)noise;
	m->q_hi = r->q > 3 * (u64)one;
	return ret;
}

/* Delivery rate of the round, a decaying max held when app-limited; and
 * the smoothed loss fraction.
 */
static inline void dacc_model_update_rate(struct dacc_model *m, const struct dacc_ack *a)
{
	u32 elapsed = a->now_us - m->round_start_us;
	u32 pkts = a->delivered - m->round_start_delivered;
	u64 r, bw = dacc_model_bw(m);

	if (!elapsed || !pkts)
		return;
	r = div_u64((u64)pkts * a->mss * DACC_USEC_PER_SEC, elapsed);
	if (m->cwnd_limited)
		m->bw_kbytes_ps = dacc_kbytes(dacc_max_u64(r, bw - (bw >> 3)));
	else if (r > bw)
		m->bw_kbytes_ps = dacc_kbytes(r);
	m->loss_ewma -= m->loss_ewma >> 3;
	m->loss_ewma += (u16)((m->round_losses * (DACC_USEC_PER_SEC >> 7)) /
			      (pkts + m->round_losses));
}

/* The own minimum expires after DACC_MIN_RTT_WIN_US: without a profile to
 * anchor the base (or a wrong one), one round runs 2 alpha smaller and the
 * minimum is renewed from it.
 */
static inline void dacc_model_renew_min(struct dacc_model *m, const struct dacc_ack *a)
{
	bool expired = (u16)((a->now_us >> 10) - m->min_rtt_stamp) > (DACC_MIN_RTT_WIN_US >> 10);

	if (m->probe_rtt) {
		m->probe_rtt = 0;
		if (m->round_min_rtt_us != ~0U) {
			m->min_rtt_us = m->round_min_rtt_us;
			m->min_rtt_stamp = (u16)(a->now_us >> 10);
		}
	} else if (expired && (!m->prof_rtt_us || dacc_model_distrust(m))) {
		m->probe_rtt = 1;
	} else if (expired) {
		m->min_rtt_stamp = (u16)(a->now_us >> 10);	/* profile anchors the base */
	}
}

/* Whether the round's losses were congestion: at a loss rate no random
 * loss explains, whatever the queue; else with the queue above the
 * threshold and held in the buffer (dacc_model_q_held(); comp_rounds
 * counts the rounds that ended above it), not made by a host's stall (1%
 * of random loss, 100 Mbit/s x 50 ms, 5 ms stalls: 0.83 of the link).
 * Outside CRUISE, any queue above it: COMPETE is beside a flow that fills
 * the buffer.
 */
static inline bool dacc_model_loss_cong(const struct dacc_model *m, const struct dacc_round *r)
{
	if (!m->round_losses)
		return false;
	if (m->loss_ewma > dacc_model_loss_limit(m))
		return true;
	if (m->mode != DACC_CRUISE)
		return r->q > r->cong_q;
	return dacc_model_q_held(m, r, r->cong_q, m->comp_rounds);
}

/* The queue the window sees: the lowest RTT of the last block of
 * DACC_BLK_SAMPLES samples (or the round's, if higher).  A minimum
 * filters the host's jitter (it only adds delay); over a fixed number of
 * samples, not a round, so a long path's many samples do not bias it low
 * against a short path's few (a long flow would take more than its share).
 * Of it, what waited on the way back is not our queue: for the window it
 * is distance, like the base (see dacc_model_fwd_rtt()).  Our queue is
 * taken from the forward RTTs by the same rule, the block's lowest or the
 * round's if higher, each against its own samples: the round's RTT less
 * the block's reverse wait read a reverse queue that grew since the block
 * as our own (a block spans rounds when ACKs are few: beside a reverse
 * bulk flow on a loaded host, 33 ms of "queue" for 5 ms, and the window
 * starved at a third of the link).  False while no RTT or base is known.
 * The round's losses are congestion (dacc_model_loss_cong()) when that
 * queue is above the threshold and it is no host's stall, or when their
 * rate is.
 */
static inline bool dacc_model_queue(const struct dacc_model *m, struct dacc_round *r)
{
	u32 fwd = dacc_model_round_fwd(m), all;

	r->rtt = m->round_min_rtt_us;
	if (r->rtt == ~0U || dacc_model_base(m) == ~0U)
		return false;
	if (m->blk_last_us) {
		r->rtt = dacc_max_u32(r->rtt, m->blk_last_us);
		fwd = dacc_max_u32(fwd, m->blk_last_us - m->rev_q_us);
	}
	/* fwd <= rtt: each forward RTT is at most its RTT */
	all = dacc_model_qdelay(m, r->rtt);
	r->q = dacc_min_u32(dacc_model_qdelay(m, fwd), all);
	r->q_rev = all - r->q;
	r->loss_cong = dacc_model_loss_cong(m, r);
	return true;
}

/* CRUISE's window without congestion, FAST's rule:
 * w <- (w + w * (base + q_rev) / rtt + alpha) / 2, at most 2w; faster
 * while the pipe is not full; no growth when the application limited us.
 */
static inline u64 dacc_model_fast_rule(struct dacc_model *m, const struct dacc_ack *a,
				       const struct dacc_round *r, u64 w)
{
	u32 mss = a->mss;
	u64 t = div_u64(w * (dacc_model_base(m) + r->q_rev), r->rtt) + m->alpha_w;
	/* A queue far below what our alpha makes at our rate: the pipe is
	 * not full (after START or an RTO, or a flow left), so grow by an
	 * eighth instead of alpha/2.  Two rounds in a row: one low minimum
	 * is noise.  At datacenter rates a quarter of alpha's delay is below
	 * a microsecond: then only no queue at all is low.
	 */
	bool low = r->q <= dacc_model_alpha_delay(m, mss) >> 2;

	t = (w + t) >> 1;
	if (low && m->low_q)
		t = dacc_max_u64(t, dacc_model_fast_growth(m, w, r->rtt - r->q, mss, a->share,
							   m->low_q == 3));
	m->low_q = low ? m->low_q + (m->low_q < 3) : 0;
	if (t > w && !m->cwnd_limited)
		t = w;		/* app-limited: no growth */
	return t < 2 * w ? t : 2 * w;
}

/* FAST's rule converges to equal rates by q / RTT a round: with 150 us of
 * queue, 130 rounds an e-fold at 10 ms, 1000 at 150 ms (2.5 minutes), and
 * flows of one profile start unequal (1/n^2 of the hint each).  The hint
 * and the profile's bulk flows (the kernel counts them) give the fair
 * share, its pipe: hint / n x base, plus alpha.  A flow above it, while
 * the queue holds more than its own backlog (others queue beside it),
 * moves halfway down to it; one below grows by up to an eighth a round
 * toward it (as the fast growth does), not alpha/2.  Flows of other hosts
 * are not counted: their share is high, and FAST's pace is left.
 */
static inline u64 dacc_model_fair_share(const struct dacc_model *m, const struct dacc_ack *a,
					const struct dacc_round *r, u64 w, u64 t)
{
	u64 pipe;

	if (!m->hint_kbytes_ps || a->share < 2 || !m->cwnd_limited)
		return t;
	pipe = dacc_bdp_w(dacc_model_share_goodput(m, a->mss, a->share),
			  dacc_model_base(m) + r->q_rev, a->mss) + m->alpha_w;
	if (w < pipe)
		return dacc_max_u64(t, dacc_min_u64(pipe, w + (w >> 3)));
	if (2 * (u64)r->q <= 3 * (u64)dacc_model_alpha_delay_at(m, a->mss, m->hint_kbytes_ps))
		return t;
	return dacc_min_u64(t, dacc_max_u64(pipe, (w + pipe) >> 1));
}

/* CRUISE: FAST's rule, cut by congestion loss or ECN; and the watch for a
 * competitor.  dacc flows alone keep N x alpha of queue and never overflow
 * the buffer, however slowly they converge; a loss-based flow fills it
 * until packets drop.  A queue above the threshold for DACC_COMP_ROUNDS
 * rounds and a while (longer without a loss) is such a flow: COMPETE.
 */
static inline u64 dacc_model_cruise(struct dacc_model *m, const struct dacc_ack *a,
				    const struct dacc_round *r, u64 w)
{
	if (dacc_model_adapt_alpha(m, a, r) || r->loss_cong)
		w = (w * DACC_BETA) >> DACC_GAIN_SHIFT;
	else if (r->ce)
		w = dacc_model_ecn_cut(m, w);
	else
		w = dacc_model_fair_share(m, a, r, w, dacc_model_fast_rule(m, a, r, w));
	if (r->q > r->cong_q) {
		if (!m->comp_rounds) {
			m->comp_since_us = a->now_us;
			m->comp_loss = 0;
		}
		if (m->comp_rounds < 15)
			m->comp_rounds++;
		if (r->loss_cong)
			m->comp_loss = 1;
	} else {
		m->comp_rounds = 0;
	}
	if (m->comp_rounds >= DACC_COMP_ROUNDS &&
	    a->now_us - m->comp_since_us >=
	    (m->comp_loss ? DACC_COMP_MIN_US : DACC_COMP_NOLOSS_US)) {
		m->mode = DACC_COMPETE;
		m->comp_since_us = a->now_us;
		/* What we gave away while the queue did not drain; with a
		 * bandwidth hint at least half the pipe (the hint x this RTT,
		 * the competitor's queue included): our share beside one
		 * competitor.
		 */
		if (m->prior_w > w)
			w = m->prior_w;
		if (m->hint_kbytes_ps)
			w = dacc_max_u64(w, dacc_bdp_w(dacc_model_hint_goodput(m, a->mss),
						       r->rtt, a->mss) >> 1);
	}
	return w;
}

/* COMPETE: Reno-like beside the competitor, until the queue drains; at the
 * grid's ticks, CHECK whether it is still there.
 */
static inline u64 dacc_model_compete(struct dacc_model *m, const struct dacc_ack *a,
				     const struct dacc_round *r, u64 w)
{
	if (r->q < r->cong_q / 2) {
		m->mode = DACC_CRUISE;
		m->comp_rounds = 0;
	} else if (a->now_us - m->comp_since_us >= DACC_COMP_MIN_US &&
		   (a->now_us >> DACC_CHECK_SHIFT) !=
		   ((m->comp_since_us + DACC_COMP_MIN_US) >> DACC_CHECK_SHIFT)) {
		/* On time: shrink to our share of the pipe without queue
		 * (delivery rate x base), which drains the packets we hold in
		 * the queue.  Alone, the queue empties; beside a competitor it
		 * stays.
		 */
		u64 bw = dacc_model_bw(m);

		m->prior_w = m->w;
		m->mode = DACC_CHECK;
		m->comp_rounds = 0;
		if (bw)
			w = dacc_min_u64(w, dacc_bdp_w(bw, dacc_model_base(m) + r->q_rev,
						       a->mss));
		else
			w = w >> 1;
	} else if (r->loss_cong) {
		w = (w * DACC_BETA) >> DACC_GAIN_SHIFT;
	} else if (r->ce) {
		w = dacc_model_ecn_cut(m, w);
	} else if (m->cwnd_limited) {
		w += DACC_W_ONE;	/* Reno's one packet per round */
	}
	return w;
}

/* CHECK: the drain shows in the second round; judged on that round's
 * lowest RTT alone (a block may predate it).
 */
static inline u64 dacc_model_check(struct dacc_model *m, const struct dacc_ack *a,
				   const struct dacc_round *r, u64 w)
{
	u32 q;

	if (++m->comp_rounds < 2)
		return w;
	q = dacc_model_qdelay(m, dacc_model_round_fwd(m));
	if (q < r->cong_q / 2) {
		m->mode = DACC_CRUISE;		/* the competitor left */
	} else {
		m->mode = DACC_COMPETE;		/* still there: back */
		m->comp_since_us = a->now_us;
		w = dacc_max_u64(w, m->prior_w);
	}
	m->comp_rounds = 0;
	return w;
}

/* The once-per-round update: the rate, the minimum, the queue, then the
 * rules of the mode.
 */
static inline void dacc_model_round(struct dacc_model *m, const struct dacc_ack *a)
{
	struct dacc_round r = {
		.cong_q = dacc_model_cong_q(m, a),
		.ce = dacc_model_ecn(m, a),
	};
	u64 w = m->w;

	dacc_model_update_rate(m, a);
	dacc_model_renew_min(m, a);
	dacc_model_rev_renew(m, a->now_us);
	if (!dacc_model_queue(m, &r))
		goto out;

	switch (m->mode) {
	case DACC_START:
		if (m->round_losses || r.ce) {
			dacc_model_end_start(m, a->now_us, a->delivered, a->mss);
			w = m->w;	/* its window, not the one it left */
		} else if (m->cwnd_limited) {
			w = w * 2;
		}
		break;
	case DACC_CRUISE:
		w = dacc_model_cruise(m, a, &r, w);
		break;
	case DACC_COMPETE:
		w = dacc_model_compete(m, a, &r, w);
		break;
	case DACC_CHECK:
		w = dacc_model_check(m, a, &r, w);
		break;
	}
	if (m->mode == DACC_CRUISE && m->comp_rounds == 0)
		m->prior_w = (u32)(w < DACC_MAX_W ? w : DACC_MAX_W);
	m->w = dacc_clamp_w(w);
out:
	dacc_model_set_pacing(m, a->mss, dacc_model_gain(m));
}

/* Every ACK (cong_control).  Returns true when a round ended. */
static inline bool dacc_model_on_ack(struct dacc_model *m, const struct dacc_ack *a)
{
	m->round_losses = (u16)dacc_min_u32(m->round_losses + a->losses, 0xffff);
	if (a->cwnd_limited)
		m->cwnd_limited = 1;
	/* Nothing in flight: the application has stopped, and an idle flow
	 * has no rounds to say so (an RPC connection would count as bulk
	 * between its messages).  The kernel's cwnd_limited does not tell:
	 * it holds for a window after a burst.
	 */
	if (!a->inflight)
		m->bulk = 0;

	/* START ends as soon as one sample shows a queue: the base is known,
	 * so the overshoot is limited to what one RTT of doubling adds.
	 */
	if (m->mode == DACC_START && m->start_high >= DACC_START_EXIT_SAMPLES)
		dacc_model_end_start(m, a->now_us, a->delivered, a->mss);

	if ((s32)(a->prior_delivered - m->round_start_delivered) < 0)
		return false;
	dacc_model_round(m, a);
	m->bulk = m->cwnd_limited;
	dacc_model_round_reset(m, a->now_us, a->delivered);
	return true;
}

/* Recovery starts (ssthresh): remember the window for undo; random loss
 * does not shrink it, the next round's rule decides.
 */
static inline u32 dacc_model_on_loss(struct dacc_model *m)
{
	m->undo_w = m->w;
	return dacc_model_cwnd(m);
}

/* Retransmission timeout: halve, and no more exponential start.  The
 * kernel tells every RTO, the repeated ones of an episode too: undo goes
 * back to the window before the episode's first (first: this one began
 * it, from Open, Disorder or CWR; an RTO in Recovery keeps Recovery's).
 * Three RTOs of a window of 1000 were undone to 250.
 */
static inline void dacc_model_on_rto(struct dacc_model *m, u32 mss, bool first)
{
	if (first)
		m->undo_w = m->w;
	m->w = dacc_clamp_w(m->w >> 1);
	if (m->mode == DACC_START)
		m->mode = DACC_CRUISE;
	dacc_model_set_pacing(m, mss, DACC_CRUISE_GAIN);
}

/* The window during the kernel's loss recovery.  With cong_control the
 * kernel runs no PRR and keeps no packet conservation: the algorithm sets
 * cwnd on every ACK, and writing the model's window there (which random
 * loss leaves as it was, an RTO halves) sends it at once into a path that
 * has just lost packets.  bbr's rules: on the first ACK of Recovery, what
 * is in flight plus what this ACK delivered; for the rest of its first
 * round (at most one RTT: until the model's round ends), never below that
 * (one packet out for one delivered); then, and in Loss after an RTO
 * (from the kernel's window of one), up by at most what each ACK
 * delivered, to the model's window.  Losses come off first.
 */
static inline u32 dacc_model_recovery_cwnd(struct dacc_model *m, u32 cwnd, u32 inflight,
					   u32 acked, u32 losses, bool round_end)
{
	u32 w = dacc_model_cwnd(m);

	if (m->recov == DACC_RECOV_NONE)
		return w;
	cwnd = cwnd > losses ? cwnd - losses : 1;
	switch (m->recov) {
	case DACC_RECOV_ENTER:
		m->recov = DACC_RECOV_CONSERVE;
		return dacc_max_u32(inflight + acked, 1);
	case DACC_RECOV_CONSERVE:
		if (!round_end)
			return dacc_max_u32(cwnd, inflight + acked);
		m->recov = DACC_RECOV_GROW;
		break;
	default:
		break;
	}
	return dacc_max_u32(dacc_min_u32(cwnd + acked, w), 1);
}

/* The loss was spurious: back to where we were. */
static inline u32 dacc_model_undo(struct dacc_model *m)
{
	m->w = dacc_max_u32(m->w, m->undo_w);
	return dacc_model_cwnd(m);
}

/* Sending resumes after idle: keep the window, pace at the rate the flow
 * has shown, not above; a new round starts now.  With a hint, at least at
 * the hint's share among the users of the profile (the connections that
 * hold it, all of which may resume together: a collective's parallel
 * flows do), at most the hint.  The rate a flow shows is at most a
 * message a round: a message smaller than the BDP (a ring all-reduce's
 * chunk at 100 Mbit/s x 40 ms) paced the next at that, 104 ms a message
 * where the link and the path take 62.
 */
static inline void dacc_model_idle_restart(struct dacc_model *m, u32 now_us, u32 delivered,
					   u32 users)
{
	u32 rate = m->bw_kbytes_ps, hint = m->hint_kbytes_ps;

	if (hint)
		rate = dacc_min_u32(dacc_max_u32(rate, hint / (users > 1 ? users : 1)), hint);
	if (rate && (!m->pacing_kbytes_ps || rate < m->pacing_kbytes_ps))
		m->pacing_kbytes_ps = rate;
	dacc_model_round_reset(m, now_us, delivered);
}

/* Bytes acknowledged since the last report (about once a round), from the
 * socket's u64 count; *last_kb keeps it in 1024-byte units, low 32 bits, so
 * a round may carry up to 4 TiB (800 Gbit/s x 300 ms is 30 GB; bytes in a
 * u32 wrapped at 4 GiB).  The sum of the reports is exact to 1 KiB.
 */
static inline u64 dacc_acct_bytes(u64 bytes_acked, u32 *last_kb)
{
	u32 kb = (u32)(bytes_acked >> 10);
	u64 d = (u64)(u32)(kb - *last_kb) << 10;

	*last_kb = kb;
	return d;
}

#endif /* _DACC_MODEL_H */
