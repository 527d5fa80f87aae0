/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The project's packet-level simulator: flows over one or two FIFO links in
 * series, driving the unchanged kmod/dacc_model.h (and two loss-based peers,
 * cubic and reno) through the ACKs a Linux sender would see.  Used by the
 * model's unit tests and by daccsim(1), which reads scenario files.
 *
 * What is modelled, and how:
 *   links     rate, buffer in bytes (drop-tail), random loss, ECN marking of
 *             packets that find more than K bytes queued (DCTCP's step); a
 *             FIFO computed at arrival (the time its last byte leaves), so a
 *             packet costs no dequeue event.  Times are picoseconds: a
 *             9000-byte frame at 400 Gbit/s takes 180 ns.
 *   paths     a flow crosses its links in order with no delay between them
 *             (a ToR uplink and the WAN router of one site), then its
 *             one-way propagation; its ACKs come back unqueued after the
 *             other half of the base RTT, plus an optional reverse queue.
 *   receiver  one ACK per ack_every segments or after ack_delay (delayed ACK
 *             or GRO: 16-64 segments per ACK at datacenter rates), host
 *             jitter before the ACK leaves (receiver) and on the way back,
 *             a TCP timestamp from a 1 ms clock, and accurate ECN feedback
 *             (each ACK reports the CE marks of the segments it covers).
 *   sender    SACK-like loss detection (a hole is lost once a later segment
 *             is acknowledged), a tail-loss timer, pacing at the model's
 *             rate, cwnd_limited as tcp_is_cwnd_limited() says, and
 *             CA_EVENT_TX_START when a message starts after idle.
 *   traffic   bulk flows, sized flows (completion time), and groups that
 *             send messages in lock step (a collective's steps).
 */
#ifndef DACC_SIM_H
#define DACC_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "../../kmod/dacc_model.h"

#define SIM_PS_PER_US	1000000ULL
#define SIM_PS_PER_MS	1000000000ULL
#define SIM_PS_PER_S	1000000000000ULL
#define SIM_MAX_HOPS	2
#define SIM_QBINS	1024		/* queueing-delay histogram, log-linear */
#define SIM_MAX_GROUPS	16

enum sim_cc { SIM_DACC, SIM_CUBIC, SIM_RENO };

struct sim_link {
	/* configuration */
	uint64_t rate_bps;
	uint64_t buf_bytes;		/* drop-tail limit */
	uint64_t ecn_k_bytes;		/* mark above this backlog, 0: no ECN */
	uint32_t loss_ppm;		/* random loss */
	/* state */
	uint64_t tail_ps;		/* when the last queued byte leaves */
	/* statistics after the warm-up */
	uint64_t bytes_out, pkts_in, drops, rand_drops, marks;
	uint64_t drops_total;		/* overflows since the start */
	uint64_t qhist[SIM_QBINS];	/* per packet, the wait it found */
	uint64_t q_sum_ps, q_max_ps;
};

struct sim_pkt {
	uint64_t sent_ps;
	uint32_t prior_delivered, prior_delivered_ce;
	uint8_t lost, ce;
};

struct sim_flow {
	/* configuration */
	enum sim_cc cc;
	int links[SIM_MAX_HOPS], nlinks;
	uint32_t rtt_us;		/* propagation RTT, without serialization */
	uint64_t start_ps;
	uint64_t msg_bytes;		/* 0: bulk */
	uint32_t msgs;			/* messages to send (sized flows: 1) */
	int group;			/* -1 none, else < SIM_MAX_GROUPS: lock step */
	uint64_t gap_ps;		/* idle between messages (no group) */
	int ts;				/* peer timestamps: 0 none, 1 ms clock, 2 half rate */
	bool ecn;			/* ECN-capable (marks instead of drops) */
	struct dacc_model_cfg mcfg;	/* dacc: what it knows at init */
	int prof_id;			/* flows of one profile (its share counts them) */

	/* sender */
	struct dacc_model m;
	double cwnd;			/* cubic/reno window, packets */
	double ssthresh, w_max, k_s;
	uint64_t epoch_ps, recover_ps;	/* cubic epoch; no second cut before */
	struct sim_pkt *ring;
	uint32_t ring_mask;
	uint32_t head, tail;		/* in flight: [head, tail) */
	uint32_t delivered, delivered_ce;
	uint32_t pending_losses;
	uint64_t next_tx_ps;
	bool tx_armed, rto_armed, started, done;
	uint32_t srtt_us, mdev_us;
	uint64_t last_ack_ps;		/* ACKs of one flow arrive in order */

	/* receiver */
	uint32_t rcv_next;		/* ring index after the last received */
	uint32_t rcv_pending;		/* segments not yet acknowledged */
	bool delack_armed;

	/* the current message */
	uint32_t msg_done;		/* messages completed */
	uint64_t msg_sent, msg_acked;	/* bytes: sent, delivered (this message) */
	uint64_t msg_start_ps;
	bool idle;			/* between messages */

	/* statistics */
	uint64_t bytes;			/* delivered after the warm-up */
	uint64_t sent_pkts, lost_pkts, ce_pkts;
	uint64_t *fct_ps;		/* completion time of each message */
	uint64_t sample_bytes;		/* delivered since the last sample */
};

struct sim_series {
	uint64_t t_ps;
	float *rate_bps;		/* per flow */
	uint32_t *cwnd;			/* per flow, packets */
	float *q_us;			/* per link */
};

/* Flows sending messages in lock step: a step ends with its last message. */
struct sim_group {
	uint64_t step_start_ps;
	uint64_t *step_ps;		/* duration of each step */
	uint32_t nsteps;
};

struct sim {
	uint64_t now_ps, end_ps, warm_ps;
	uint32_t mss, hdr;		/* segment payload; bytes on the wire per segment */
	uint32_t ack_every;		/* segments per ACK */
	uint64_t ack_delay_ps;		/* delayed ACK / GRO flush */
	uint64_t rcv_jit_ps, rev_jit_ps;	/* host jitter, uniform */
	/* The receiving host stalls for stall_ps at random, every stall_every_ps
	 * on average (a vCPU descheduled, a softirq burst): the ACKs due in a
	 * stall leave at its end, together.  0: never.
	 */
	uint64_t stall_ps, stall_every_ps;
	uint64_t stall_start_ps, stall_end_ps;
	uint64_t rev_q_ps;		/* queue on the way back, every ACK */
	uint64_t rto_min_ps;
	uint64_t sample_ps;		/* time series interval, 0: none */
	uint64_t rng;

	struct sim_link *links;
	int nlinks;
	struct sim_flow *flows;
	int nflows;
	uint32_t *prof_users;		/* by prof_id: live dacc flows (the kernel's count) */
	uint32_t *prof_bulk;		/* by prof_id: those window-limited (ditto) */

	struct sim_ev *heap;
	uint32_t nev, cap;
	uint64_t events;

	struct sim_series *series;
	uint32_t nseries, series_cap;

	struct sim_group groups[SIM_MAX_GROUPS];
};

/* Setup: zeroed defaults (1448-byte segments, ACK every 2, 1 ms tick). */
void sim_init(struct sim *s, uint32_t mss, uint64_t seed);
int sim_add_link(struct sim *s, uint64_t rate_bps, uint64_t buf_bytes);
/* A dacc flow over the links of path[] (npath of them), RTT rtt_us;
 * returns its index in s->flows (pointers into it move with each add).
 * The caller may change its configuration before sim_run().
 */
int sim_add_flow(struct sim *s, const int *path, int npath, uint32_t rtt_us,
		 const struct dacc_model_cfg *mcfg);
/* Run until end_ps (may be called again with a later end). */
void sim_run(struct sim *s, uint64_t end_ps);
void sim_free(struct sim *s);

/* Results. */
double sim_flow_rate_bps(const struct sim *s, const struct sim_flow *f);
double sim_link_util(const struct sim *s, const struct sim_link *l);
double sim_link_loss(const struct sim_link *l);
/* The q-quantile (0..1) of the queueing delay packets found, us. */
double sim_link_q_us(const struct sim_link *l, double q);
double sim_link_q_mean_us(const struct sim_link *l);
double sim_jain(const struct sim *s, const int *idx, int n);
uint32_t sim_flow_cwnd(const struct sim_flow *f);
/* The bottleneck capacity in goodput terms (payload bytes/s) of link l. */
double sim_link_goodput_bps(const struct sim *s, const struct sim_link *l);

#endif /* DACC_SIM_H */
