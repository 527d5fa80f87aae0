// SPDX-License-Identifier: GPL-2.0
/*
 * dacc: distance-aware TCP congestion control.  The ops glue the integer
 * model of dacc_model.h (shared with the userspace unit tests) to the socket.
 *
 * What dacc knows that others do not: the destination's profile, set by the
 * operator or learned by daccd, gives the propagation RTT of the path and
 * optionally its bottleneck bandwidth.  A loss-based algorithm (cubic) only
 * learns the path by filling its buffer; a delay-based one (Vegas, FAST)
 * must guess the propagation delay from its own minimum RTT, and a flow that
 * starts into a standing queue takes the queue for distance and keeps it.
 *
 * The model, per round trip (a "round": the time for the data sent at its
 * start to be acknowledged):
 *
 *   queueing delay  q = min RTT of the round - base RTT
 *   base RTT        our own windowed minimum, but at most the profile's
 *                   + 1/64 + 1 ms (the hosts' latency; above that a queue
 *                   never seen to drain); ours alone when the profile is
 *                   absent or clearly wrong (own minimum above profile +
 *                   1/8 + 1 ms)
 *   CRUISE          w <- min(2w, (w + w * (base + qrev) / rtt + alpha) / 2)
 *   qrev            the part of q spent on the way back (below)
 *
 * CRUISE is FAST TCP's rule: it settles where the flow keeps alpha packets
 * of backlog in the bottleneck queue.  Every flow keeps the same backlog, so
 * the queue is small (N x alpha) and the rates equal whatever the RTTs: the
 * update runs once per round, so a 100 ms flow moves as far per round as a
 * 2 ms one does (growth normalised by RTT, not per ACK).  alpha is
 * qtarget_us (150 us) of queue at the profile's bandwidth hint, or
 * alpha_pkts (8) without one.
 *
 * Noise.  The thresholds that are times stand above the RTT's noise: twice
 * the kernel's mean deviation of the samples (mdev), at most 2 ms, which a
 * loaded VM reaches and a datacenter host's tens of us do not.
 *
 * The profile's flows.  The hint is the path's bandwidth, shared by the
 * connections of the profile that are window-limited (bulk; the profile's
 * stats block counts them, a flow entering and leaving the count at a
 * round's end).  Each keeps at most 1/n of the configured alpha, so that
 * together they keep qtarget_us; and a flow above its pipe (hint / n x
 * base, plus alpha) while others queue beside it moves halfway down to
 * it each round, one below grows toward it by an eighth: FAST alone closes
 * such a gap by q / RTT a round (minutes at 150 ms with 150 us of queue).
 *
 * Start.  A window the kernel chose (a route's initcwnd, 1 after a
 * retransmitted SYN) is the first flight, and a connection switched to dacc
 * mid-flow keeps its window.  Else with a bandwidth hint the flow starts at
 * one BDP (hint x base RTT)
 * plus alpha, paced at the hint: full rate from the first round.  The hint
 * is the path's, not the flow's: the n-th connection holding the profile
 * takes 1/n^2 of it (any number starting at once send 1.64 BDP).  Without
 * one it doubles its window per round, paced at twice the window's rate
 * (START); because the base is known, the first RTT samples that show
 * more queue than the noise (or base/8) end START, and the window drops to the
 * delivery rate seen times the base: the overshoot is bounded by one round.
 *
 * Loss.  A loss is congestion only if the round's queueing delay also says
 * the buffer is filling (q above twice the noise, base/16 and 3 x our
 * backlog's delay), or if the smoothed loss fraction exceeds max(5%, 4 x
 * the profile's loss baseline); then w shrinks to 0.7 w, at most once a
 * round.  Isolated random loss is retransmitted and otherwise ignored.  A
 * retransmission timeout halves the window (undo goes back to the window
 * before an episode's first RTO).  The kernel runs no PRR for a
 * cong_control algorithm: in Recovery the window is what is in flight plus
 * what each ACK delivers for the first round (packet conservation), then,
 * and in Loss after an RTO, it grows back by what each ACK delivers, to
 * the model's (bbr's rules).  A loss rate above that limit
 * halves alpha, and so does one above max(0.2%, 4 x the baseline) while
 * the queue holds more than our backlog (hinted flows): a switch buffer
 * smaller than the flows' N x alpha overflows below the queue threshold.
 * alpha grows back by 1/16 packet a loss-free round (with a hint, while
 * the queue is within the target), down to a floor of the noise at our
 * rate; and where that noise is worth more than the configured alpha (an
 * emulated host at 100 Mbit/s), alpha is raised to it.  With alpha at that
 * floor and losses above 0.2% while the queue holds more than three of the
 * flow's backlogs, the window yields (0.7 w) too.
 *
 * ECN.  The rate sample of a round's last ACK counts the deliveries that
 * came back CE-marked (rs->delivered_ce, RFC 3168's echo or DCTCP's); their
 * fraction feeds DCTCP's moving average, and a round with marks cuts w by
 * alpha/2, at most a fifth (RFC 8511), instead of FAST's rule.
 *
 * Reverse path.  ACKs that wait in a queue on the way back (behind the
 * other direction's data) lengthen the RTT without being in dacc's queue.
 * The peer's TCP timestamp (TSval, ms on Linux) against our clock gives the
 * reverse one-way delay plus a clock offset; its excess over the minimum is
 * that wait.  Each RTT sample loses the wait of its own ACK (not the lowest
 * wait of some other ACK: beside a moving reverse queue, or on a busy host,
 * that overstates our queue by how far the wait moves), less half a tick of
 * the peer's ms clock, and nothing when the wait is within a tick (its
 * phase); the lowest such forward RTT of a block of 16 (or of the round,
 * if higher: the RTT's rule, each RTT less its own wait) is our queue, and
 * the rest of the RTT counts with the base (at most 65 ms, and only while
 * it is below the RTT's whole excess: a peer clock at another rate yields
 * nonsense that no RTT explains).  The minimum may rise by 0.5 ms
 * every 10 s, which follows the drift of the two clocks.  A flow that
 * starts into a reverse queue never saw its minimum and takes it as
 * distance.  Without timestamps the wait counts as queue, as in FAST.
 *
 * Competition.  Against a loss-based flow the queue stays high however far
 * dacc yields.  After 8 rounds (and 1 s, or 3 s without a loss) with q
 * above the congestion threshold dacc restores the window it had before,
 * or with a bandwidth hint half the pipe (hint x RTT / 2) if that is more,
 * and runs Reno-like (COMPETE: one packet more per round, 0.7 w on loss)
 * until the queue drains to half the threshold.  At every tick of a 4.2 s
 * grid of the host's clock (after at least 1 s) it checks (CHECK): for two
 * rounds it shrinks to delivery rate x base, which drains its own packets
 * from the queue; if the rest drains too the competitor has left (CRUISE),
 * else it returns to COMPETE with its window.  The dacc flows of a host
 * check on the same ticks, so two of them in COMPETE do not keep the queue
 * up for each other once the loss-based flow has gone.
 *
 * Idle.  The kernel does not restart the window after idle for an algorithm
 * with cong_control; on CA_EVENT_TX_START dacc keeps its window and paces the
 * first round at the rate the flow delivered before, or with a hint at
 * least the hint over the profile's users (at most the hint: a message
 * smaller than the BDP shows less than the path's rate), so
 * iteration-based traffic resumes at speed without touching
 * tcp_slow_start_after_idle.
 *
 * Pacing: 1.25 x w / rtt (2 x in START), always on (SK_PACING_NEEDED, the
 * kernel's own pacer unless fq paces).  ss -ti shows the state in the BBR
 * block: bw (delivery-rate estimate), mrtt (the base RTT in use: the
 * profile's when it is trusted), pacing_gain, cwnd_gain (alpha, packets).
 */
#include <linux/module.h>
#include <linux/inet_diag.h>
#include <net/tcp.h>

#include "dacc.h"
#include "dacc_model.h"

static unsigned int alpha_pkts __read_mostly = 8;
module_param(alpha_pkts, uint, 0644);
MODULE_PARM_DESC(alpha_pkts, "backlog per flow in the bottleneck queue without a bandwidth hint (packets)");

static unsigned int qtarget_us __read_mostly = 150;
module_param(qtarget_us, uint, 0644);
MODULE_PARM_DESC(qtarget_us, "backlog per flow with a bandwidth hint, as queueing time at the hint (us)");

struct dacc {
	struct dacc_model m;
	struct dacc_pstats *ps;		/* the profile's counters, NULL: none */
	u32 acct_kb;			/* tp->bytes_acked >> 10 at the last report */
	u32 acct_retrans;		/* tp->total_retrans at the last report */
};

static u32 dacc_now_us(const struct tcp_sock *tp)
{
	return (u32)tp->tcp_mstamp;
}

static void dacc_set_pacing_rate(struct sock *sk, const struct dacc *ca)
{
	u64 rate = dacc_model_pacing_rate(&ca->m);

	if (!rate)
		return;
	sk->sk_pacing_rate = min_t(u64, rate, READ_ONCE(sk->sk_max_pacing_rate));
}

/* Per-profile counters, about once a round: keeps atomics off the ACK path. */
static void dacc_report(struct sock *sk, struct dacc *ca)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!ca->ps)
		return;
	dacc_pstats_account(ca->ps, dacc_acct_bytes(tp->bytes_acked, &ca->acct_kb),
			    tp->total_retrans - ca->acct_retrans);
	ca->acct_retrans = tp->total_retrans;
	if (tp->srtt_us)
		dacc_pstats_rtt(ca->ps, tp->srtt_us >> 3);
}

static void dacc_init(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct dacc *ca = inet_csk_ca(sk);
	struct dacc_path path = { 0 };
	struct dacc_model_cfg cfg = {
		.srtt_us = tp->srtt_us >> 3,
		.mss = tp->mss_cache,
		.alpha_pkts = READ_ONCE(alpha_pkts),
		.qtarget_us = READ_ONCE(qtarget_us),
		/* The kernel's window: tcp_init_transfer() set it (a route's
		 * initcwnd, 1 after a retransmitted SYN) just before; or the
		 * connection has sent data already and switched to dacc
		 * (TCP_CONGESTION): the model keeps it (dacc_model_init()).
		 */
		.cwnd = tp->srtt_us ? tcp_snd_cwnd(tp) : 0,
		.established = tp->data_segs_out > 0,
	};

	ca->ps = dacc_profile_attach(sk, &path);
	if (ca->ps) {
		cfg.prof_rtt_us = path.base_rtt_us;
		cfg.hint_bytes_ps = path.bw_bps >> 3;
		cfg.loss_ppm = path.loss_ppm;
		cfg.share = dacc_pstats_users(ca->ps);	/* this one included */
	}
	if (cfg.established && tcp_min_rtt(tp) != ~0U)
		cfg.srtt_us = tcp_min_rtt(tp);	/* its lowest RTT, not the last */
	ca->acct_kb = (u32)(tp->bytes_acked >> 10);
	ca->acct_retrans = tp->total_retrans;
	dacc_model_init(&ca->m, &cfg, dacc_now_us(tp), tp->delivered);
	/* A flow that starts established (after the handshake) gets its
	 * window now; one that starts before only its pacing.
	 */
	if (tp->srtt_us)
		tcp_snd_cwnd_set(tp, min3(dacc_model_cwnd(&ca->m), tp->snd_cwnd_clamp,
					  cfg.cwnd < DACC_MIN_CWND ? cfg.cwnd : ~0U));
	dacc_set_pacing_rate(sk, ca);
	cmpxchg(&sk->sk_pacing_status, SK_PACING_NONE, SK_PACING_NEEDED);
}

static void dacc_release(struct sock *sk)
{
	struct dacc *ca = inet_csk_ca(sk);

	if (!ca->ps)
		return;
	dacc_report(sk, ca);
	if (ca->m.bulk)
		dacc_pstats_bulk(ca->ps, false);
	dacc_pstats_put(ca->ps);
	ca->ps = NULL;
}

static void dacc_pkts_acked(struct sock *sk, const struct ack_sample *sample)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct dacc *ca = inet_csk_ca(sk);
	u32 now = dacc_now_us(tp);

	if (sample->rtt_us <= 0)
		return;
	/* The ACK's reverse one-way delay, from the peer's timestamp clock:
	 * ms (TCP_TS_HZ) on Linux; one at another rate is caught by the model
	 * (see dacc_model_fwd_rtt()).
	 */
	dacc_model_rtt_sample(&ca->m, sample->rtt_us, tp->mdev_us >> 2, now,
			      tp->rx_opt.saw_tstamp,
			      now - tp->rx_opt.rcv_tsval * (USEC_PER_SEC / TCP_TS_HZ));
}

static void dacc_cong_control(struct sock *sk, const struct rate_sample *rs)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct dacc *ca = inet_csk_ca(sk);
	struct dacc_ack a = {
		.now_us = dacc_now_us(tp),
		.delivered = tp->delivered,
		.prior_delivered = rs->prior_delivered,
		.losses = rs->losses > 0 ? rs->losses : 0,
		.inflight = tcp_packets_in_flight(tp),
		.mss = tp->mss_cache,
		.srtt_us = tp->srtt_us >> 3,
		.mdev_us = tp->mdev_us >> 2,
		.cwnd_limited = tcp_is_cwnd_limited(sk),
		.ecn_delivered = rs->delivered > 0 ? rs->delivered : 0,
		.ecn_ce = rs->delivered_ce > 0 ? rs->delivered_ce : 0,
		/* the profile's bulk flows, this one among them: a read */
		.share = ca->ps ? dacc_pstats_bulk_flows(ca->ps) + !ca->m.bulk : 0,
	};
	bool bulk = ca->m.bulk, round;
	u32 cwnd;

	if (rs->delivered < 0 || rs->interval_us <= 0) {
		/* No valid sample (e.g. a pure loss marking): losses only. */
		a.prior_delivered = ca->m.round_start_delivered - 1;
	}
	round = dacc_model_on_ack(&ca->m, &a);
	if (round)
		dacc_report(sk, ca);
	if (ca->ps && ca->m.bulk != bulk)
		dacc_pstats_bulk(ca->ps, ca->m.bulk);	/* at a round's end */
	/* In Recovery and Loss, packet conservation (bbr's rules). */
	cwnd = dacc_model_recovery_cwnd(&ca->m, tcp_snd_cwnd(tp), a.inflight,
					max_t(int, rs->acked_sacked, 0), a.losses, round);
	tcp_snd_cwnd_set(tp, min(cwnd, tp->snd_cwnd_clamp));
	dacc_set_pacing_rate(sk, ca);
}

static u32 dacc_ssthresh(struct sock *sk)
{
	struct dacc *ca = inet_csk_ca(sk);

	return max(dacc_model_on_loss(&ca->m), 2U);
}

static u32 dacc_undo_cwnd(struct sock *sk)
{
	struct dacc *ca = inet_csk_ca(sk);

	return dacc_model_undo(&ca->m);
}

/* Called before icsk_ca_state changes, on every RTO too (Loss to Loss). */
static void dacc_set_state(struct sock *sk, u8 new_state)
{
	struct dacc *ca = inet_csk_ca(sk);
	u8 old = inet_csk(sk)->icsk_ca_state;

	switch (new_state) {
	case TCP_CA_Loss:
		dacc_model_on_rto(&ca->m, tcp_sk(sk)->mss_cache, old < TCP_CA_Recovery);
		ca->m.recov = DACC_RECOV_GROW;
		break;
	case TCP_CA_Recovery:
		ca->m.recov = DACC_RECOV_ENTER;
		break;
	default:
		ca->m.recov = DACC_RECOV_NONE;
		break;
	}
}

static void dacc_cwnd_event(struct sock *sk, enum tcp_ca_event event)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct dacc *ca = inet_csk_ca(sk);

	if (event != CA_EVENT_TX_START || !tp->app_limited)
		return;
	dacc_model_idle_restart(&ca->m, dacc_now_us(tp), tp->delivered,
				ca->ps ? dacc_pstats_users(ca->ps) : 0);
	dacc_set_pacing_rate(sk, ca);
}

static size_t dacc_get_info(struct sock *sk, u32 ext, int *attr, union tcp_cc_info *info)
{
	const struct dacc *ca = inet_csk_ca(sk);
	u64 bw = dacc_model_bw(&ca->m);

	if (!(ext & (1 << (INET_DIAG_BBRINFO - 1))) &&
	    !(ext & (1 << (INET_DIAG_VEGASINFO - 1))))
		return 0;
	memset(&info->bbr, 0, sizeof(info->bbr));
	info->bbr.bbr_bw_lo = (u32)bw;
	info->bbr.bbr_bw_hi = (u32)(bw >> 32);
	info->bbr.bbr_min_rtt = dacc_model_base(&ca->m);
	info->bbr.bbr_pacing_gain = dacc_model_gain(&ca->m);
	/* alpha in packets << 8, the scale ss reads gains in */
	info->bbr.bbr_cwnd_gain = (u32)ca->m.alpha_w << (8 - DACC_W_SHIFT);
	*attr = INET_DIAG_BBRINFO;
	return sizeof(info->bbr);
}

static struct tcp_congestion_ops dacc_cong_ops __read_mostly = {
	.flags		= TCP_CONG_NON_RESTRICTED,
	.name		= "dacc",
	.owner		= THIS_MODULE,
	.init		= dacc_init,
	.release	= dacc_release,
	.ssthresh	= dacc_ssthresh,
	.undo_cwnd	= dacc_undo_cwnd,
	.cong_control	= dacc_cong_control,
	.set_state	= dacc_set_state,
	.cwnd_event	= dacc_cwnd_event,
	.pkts_acked	= dacc_pkts_acked,
	.get_info	= dacc_get_info,
};

int dacc_cong_register(void)
{
	BUILD_BUG_ON(sizeof(struct dacc) > ICSK_CA_PRIV_SIZE);
	BUILD_BUG_ON(DACC_W_SHIFT > 8);
	BUILD_BUG_ON(DACC_MAX_ALPHA_PKTS > 255);	/* dacc_model.alpha_cfg */
	return tcp_register_congestion_control(&dacc_cong_ops);
}

void dacc_cong_unregister(void)
{
	tcp_unregister_congestion_control(&dacc_cong_ops);
}
