// SPDX-License-Identifier: GPL-2.0
/* The simulator's engine: an event heap, FIFO links, senders and receivers
 * (see sim.h for what is modelled).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

enum ev_type { EV_TX, EV_HOP, EV_RCV, EV_ACK, EV_DELACK, EV_RTO, EV_START, EV_SAMPLE, EV_MSG };

struct sim_ev {
	uint64_t t;
	uint64_t seq;		/* ties in insertion order: runs repeat exactly */
	uint32_t flow, idx, aux;
	uint8_t type, hop;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "sim: out of memory\n");
		exit(1);
	}
	return p;
}

/* ---- the event heap ---- */

static bool ev_before(const struct sim_ev *a, const struct sim_ev *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void ev_push(struct sim *s, uint64_t t, enum ev_type type, uint32_t flow, uint32_t idx,
		    uint32_t aux, uint8_t hop)
{
	struct sim_ev e = { .t = t, .seq = s->events++, .flow = flow, .idx = idx, .aux = aux,
			    .type = (uint8_t)type, .hop = hop };
	uint32_t i;

	if (s->nev == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->heap = xrealloc(s->heap, s->cap * sizeof(*s->heap));
	}
	i = s->nev++;
	while (i && ev_before(&e, &s->heap[(i - 1) / 2])) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i] = e;
}

static struct sim_ev ev_pop(struct sim *s)
{
	struct sim_ev top = s->heap[0], last = s->heap[--s->nev];
	uint32_t i = 0;

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= s->nev)
			break;
		if (c + 1 < s->nev && ev_before(&s->heap[c + 1], &s->heap[c]))
			c++;
		if (!ev_before(&s->heap[c], &last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->nev)
		s->heap[i] = last;
	return top;
}

static uint32_t rnd(struct sim *s)
{
	s->rng = s->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(s->rng >> 33);
}

static uint64_t jitter(struct sim *s, uint64_t max_ps)
{
	if (!max_ps)
		return 0;
	return (((uint64_t)rnd(s) << 31) | rnd(s)) % max_ps;
}

/* ---- setup ---- */

void sim_init(struct sim *s, uint32_t mss, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->mss = mss;
	s->hdr = mss + 52;		/* IP + TCP with timestamps */
	s->ack_every = 2;
	s->ack_delay_ps = 200 * SIM_PS_PER_US;
	s->rto_min_ps = 1 * SIM_PS_PER_MS;
	s->rng = seed ? seed : 42;
	s->end_ps = 0;
}

int sim_add_link(struct sim *s, uint64_t rate_bps, uint64_t buf_bytes)
{
	struct sim_link *l;

	s->links = xrealloc(s->links, (s->nlinks + 1) * sizeof(*s->links));
	l = &s->links[s->nlinks];
	memset(l, 0, sizeof(*l));
	l->rate_bps = rate_bps;
	l->buf_bytes = buf_bytes;
	return s->nlinks++;
}

int sim_add_flow(struct sim *s, const int *path, int npath, uint32_t rtt_us,
		 const struct dacc_model_cfg *mcfg)
{
	struct sim_flow *f;

	s->flows = xrealloc(s->flows, (s->nflows + 1) * sizeof(*s->flows));
	s->prof_users = xrealloc(s->prof_users, (s->nflows + 1) * sizeof(*s->prof_users));
	s->prof_users[s->nflows] = 0;
	s->prof_bulk = xrealloc(s->prof_bulk, (s->nflows + 1) * sizeof(*s->prof_bulk));
	s->prof_bulk[s->nflows] = 0;
	f = &s->flows[s->nflows++];
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < npath && i < SIM_MAX_HOPS; i++)
		f->links[f->nlinks++] = path[i];
	f->cc = SIM_DACC;
	f->rtt_us = rtt_us;
	f->msgs = 1;
	f->group = -1;
	f->ts = 1;
	f->prof_id = s->nflows - 1;
	if (mcfg)
		f->mcfg = *mcfg;
	f->mcfg.mss = s->mss;
	return s->nflows - 1;
}

void sim_free(struct sim *s)
{
	for (int i = 0; i < s->nflows; i++) {
		free(s->flows[i].ring);
		free(s->flows[i].fct_ps);
	}
	for (uint32_t i = 0; i < s->nseries; i++) {
		free(s->series[i].rate_bps);
		free(s->series[i].cwnd);
		free(s->series[i].q_us);
	}
	for (int i = 0; i < SIM_MAX_GROUPS; i++)
		free(s->groups[i].step_ps);
	free(s->series);
	free(s->flows);
	free(s->prof_users);
	free(s->prof_bulk);
	free(s->links);
	free(s->heap);
	memset(s, 0, sizeof(*s));
}

/* ---- links ---- */

static unsigned int qbin(uint64_t ns)
{
	unsigned int e;

	if (ns < 16)
		return (unsigned int)ns;
	e = 63 - (unsigned int)__builtin_clzll(ns);
	return (e - 3) * 16 + (unsigned int)((ns >> (e - 4)) & 15);
}

static double qbin_ns(unsigned int b)
{
	unsigned int e;

	if (b < 16)
		return b;
	e = b / 16 + 3;
	return (double)((16ULL + b % 16) << (e - 4));
}

static uint64_t link_backlog_bytes(const struct sim_link *l, uint64_t now)
{
	unsigned __int128 b;

	if (l->tail_ps <= now)
		return 0;
	b = (unsigned __int128)(l->tail_ps - now) * l->rate_bps / (8 * SIM_PS_PER_S);
	return (uint64_t)b;
}

/* A packet arrives: returns when it has left, 0 when dropped. */
static uint64_t link_enqueue(struct sim *s, struct sim_link *l, uint32_t bytes, bool ect,
			     uint8_t *ce)
{
	uint64_t backlog = link_backlog_bytes(l, s->now_ps), wait;
	bool warm = s->now_ps >= s->warm_ps;

	if (warm)
		l->pkts_in++;
	if (backlog + bytes > l->buf_bytes) {
		l->drops_total++;
		if (warm)
			l->drops++;
		return 0;
	}
	if (l->loss_ppm && rnd(s) % 1000000 < l->loss_ppm) {
		if (warm)
			l->rand_drops++;
		return 0;
	}
	if (ect && l->ecn_k_bytes && backlog > l->ecn_k_bytes) {
		*ce = 1;
		if (warm)
			l->marks++;
	}
	wait = l->tail_ps > s->now_ps ? l->tail_ps - s->now_ps : 0;
	if (warm) {
		l->bytes_out += bytes;
		l->qhist[qbin(wait / 1000)]++;
		l->q_sum_ps += wait;
		if (wait > l->q_max_ps)
			l->q_max_ps = wait;
	}
	l->tail_ps = (l->tail_ps > s->now_ps ? l->tail_ps : s->now_ps) +
		     (uint64_t)bytes * 8 * SIM_PS_PER_S / l->rate_bps;
	return l->tail_ps;
}

/* ---- senders ---- */

static uint32_t fidx(const struct sim *s, const struct sim_flow *f)
{
	return (uint32_t)(f - s->flows);
}

uint32_t sim_flow_cwnd(const struct sim_flow *f)
{
	if (f->cc == SIM_DACC)
		return dacc_model_cwnd(&f->m);
	return f->cwnd < 2 ? 2 : (uint32_t)f->cwnd;
}

static uint32_t inflight(const struct sim_flow *f)
{
	return f->tail - f->head;
}

static uint64_t rto_ps(const struct sim *s, const struct sim_flow *f)
{
	uint64_t t = (2ULL * f->srtt_us + 4ULL * f->mdev_us) * SIM_PS_PER_US + s->ack_delay_ps;

	return t > s->rto_min_ps ? t : s->rto_min_ps;
}

static void ring_grow(struct sim_flow *f)
{
	uint32_t cap = f->ring ? 2 * (f->ring_mask + 1) : 1024;
	struct sim_pkt *r = calloc(cap, sizeof(*r));

	if (!r) {
		fprintf(stderr, "sim: out of memory\n");
		exit(1);
	}
	for (uint32_t i = f->head; i != f->tail; i++)
		r[i & (cap - 1)] = f->ring[i & f->ring_mask];
	free(f->ring);
	f->ring = r;
	f->ring_mask = cap - 1;
}

static void flow_send(struct sim *s, struct sim_flow *f)
{
	struct sim_pkt *p;
	uint32_t idx;
	uint64_t dep;

	if (!f->ring || inflight(f) > f->ring_mask)
		ring_grow(f);
	idx = f->tail++;
	p = &f->ring[idx & f->ring_mask];
	p->sent_ps = s->now_ps;
	p->prior_delivered = f->delivered;
	p->prior_delivered_ce = f->delivered_ce;
	p->lost = 0;
	p->ce = 0;
	f->msg_sent += s->mss;
	f->sent_pkts++;
	dep = link_enqueue(s, &s->links[f->links[0]], s->hdr, f->ecn, &p->ce);
	if (!dep)
		p->lost = 1;
	else if (f->nlinks > 1)
		ev_push(s, dep, EV_HOP, fidx(s, f), idx, 0, 1);
	else
		ev_push(s, dep + (uint64_t)(f->rtt_us / 2) * SIM_PS_PER_US, EV_RCV, fidx(s, f),
			idx, 0, 0);
	if (f->cc == SIM_DACC && f->m.pacing_kbytes_ps) {
		uint64_t rate = dacc_model_pacing_rate(&f->m);

		f->next_tx_ps = s->now_ps + (uint64_t)s->hdr * SIM_PS_PER_S / rate;
	}
	if (!f->rto_armed) {
		f->rto_armed = true;
		ev_push(s, s->now_ps + rto_ps(s, f), EV_RTO, fidx(s, f), 0, 0, 0);
	}
}

static void try_send(struct sim *s, struct sim_flow *f)
{
	while (f->started && !f->done && !f->idle) {
		if (f->msg_bytes && f->msg_sent >= f->msg_bytes)
			break;
		if (inflight(f) >= sim_flow_cwnd(f))
			break;
		if (s->now_ps < f->next_tx_ps) {
			if (!f->tx_armed) {
				f->tx_armed = true;
				ev_push(s, f->next_tx_ps, EV_TX, fidx(s, f), 0, 0, 0);
			}
			break;
		}
		flow_send(s, f);
	}
}

static void msg_start(struct sim *s, struct sim_flow *f)
{
	bool was_idle = f->idle || f->msg_done;

	f->msg_sent = 0;
	f->msg_acked = 0;
	f->msg_start_ps = s->now_ps;
	f->idle = false;
	if (f->cc == SIM_DACC && was_idle)
		dacc_model_idle_restart(&f->m, (uint32_t)(s->now_ps / SIM_PS_PER_US),
					f->delivered, s->prof_users[f->prof_id]);
	try_send(s, f);
}

static void msg_complete(struct sim *s, struct sim_flow *f)
{
	uint64_t fct = s->now_ps - f->msg_start_ps;
	struct sim_group *gr;

	f->fct_ps = xrealloc(f->fct_ps, (f->msg_done + 1) * sizeof(*f->fct_ps));
	f->fct_ps[f->msg_done++] = fct;
	f->idle = true;
	if (f->msg_done >= f->msgs) {
		f->done = true;
		if (f->cc == SIM_DACC) {
			s->prof_users[f->prof_id]--;
			if (f->m.bulk)
				s->prof_bulk[f->prof_id]--;
			f->m.bulk = 0;
		}
		if (f->group < 0)
			return;
	}
	if (f->group < 0) {
		if (f->gap_ps)
			ev_push(s, s->now_ps + f->gap_ps, EV_MSG, fidx(s, f), 0, 0, 0);
		else
			msg_start(s, f);
		return;
	}
	/* Lock step: the group's next message starts when all have done this. */
	for (int i = 0; i < s->nflows; i++) {
		const struct sim_flow *g = &s->flows[i];

		if (g->group == f->group && g->msg_done < f->msg_done)
			return;
	}
	gr = &s->groups[f->group];
	gr->step_ps = xrealloc(gr->step_ps, (gr->nsteps + 1) * sizeof(*gr->step_ps));
	gr->step_ps[gr->nsteps++] = s->now_ps - gr->step_start_ps;
	gr->step_start_ps = s->now_ps;
	for (int i = 0; i < s->nflows; i++) {
		struct sim_flow *g = &s->flows[i];

		if (g->group == f->group && !g->done && g->started)
			msg_start(s, g);
	}
}

static void cc_loss_based(struct sim *s, struct sim_flow *f, uint32_t acked, bool congested)
{
	const double beta = f->cc == SIM_CUBIC ? 0.7 : 0.5;

	if (congested && s->now_ps >= f->recover_ps) {
		f->w_max = f->cwnd;
		f->cwnd = f->cwnd * beta < 2 ? 2 : f->cwnd * beta;
		f->ssthresh = f->cwnd;
		f->epoch_ps = s->now_ps;
		f->k_s = cbrt(f->w_max * (1 - beta) / 0.4);
		f->recover_ps = s->now_ps + (uint64_t)f->srtt_us * SIM_PS_PER_US;
		return;
	}
	if (s->now_ps < f->recover_ps || !acked)
		return;
	if (f->cwnd < f->ssthresh) {
		f->cwnd += acked;
	} else if (f->cc == SIM_RENO) {
		f->cwnd += (double)acked / f->cwnd;
	} else {
		/* RFC 9438: W(t) = C (t - K)^3 + W_max, and Reno's rate as a floor. */
		double t = (double)(s->now_ps - f->epoch_ps) / SIM_PS_PER_S +
			   f->srtt_us / 1e6;
		double target = 0.4 * pow(t - f->k_s, 3) + f->w_max;
		double reno = f->w_max * 0.7 + 3 * 0.3 / 1.7 *
			      ((double)(s->now_ps - f->epoch_ps) / SIM_PS_PER_S) /
			      (f->srtt_us / 1e6 + 1e-9);

		if (reno > target)
			target = reno;
		if (target > f->cwnd)
			f->cwnd += (target - f->cwnd) / f->cwnd * acked;
		else
			f->cwnd += 0.01 * acked / f->cwnd;
	}
}

static void flow_ack(struct sim *s, struct sim_flow *f, uint32_t upto, uint32_t tsval)
{
	uint32_t now_us = (uint32_t)(s->now_ps / SIM_PS_PER_US), acked = 0, ce = 0, rtt_us;
	uint32_t before = inflight(f);
	const struct sim_pkt *last = NULL;
	bool warm = s->now_ps >= s->warm_ps;

	if ((int32_t)(upto - f->head) <= 0)
		return;
	for (; f->head != upto; f->head++) {
		const struct sim_pkt *p = &f->ring[f->head & f->ring_mask];

		if (p->lost) {
			f->pending_losses++;
			f->lost_pkts++;
			f->msg_sent -= s->mss;	/* sent again */
			continue;
		}
		acked++;
		f->delivered++;
		f->msg_acked += s->mss;
		f->sample_bytes += s->mss;
		if (p->ce) {
			ce++;
			f->delivered_ce++;
			f->ce_pkts++;
		}
		if (warm)
			f->bytes += s->mss;
		last = p;
	}
	if (!last)
		return;
	rtt_us = (uint32_t)((s->now_ps - last->sent_ps) / SIM_PS_PER_US);
	if (f->srtt_us) {
		uint32_t err = rtt_us > f->srtt_us ? rtt_us - f->srtt_us : f->srtt_us - rtt_us;

		f->mdev_us = f->mdev_us - (f->mdev_us >> 2) + (err >> 2);
		f->srtt_us = f->srtt_us - (f->srtt_us >> 3) + (rtt_us >> 3);
	} else {
		f->srtt_us = rtt_us;
		f->mdev_us = rtt_us >> 1;
	}
	if (f->cc == SIM_DACC) {
		struct dacc_ack a = {
			.now_us = now_us,
			.delivered = f->delivered,
			.prior_delivered = last->prior_delivered,
			.losses = f->pending_losses,
			.inflight = inflight(f),
			.mss = s->mss,
			.srtt_us = f->srtt_us,
			.mdev_us = f->mdev_us,
			.cwnd_limited = !f->idle && before + 1 >= sim_flow_cwnd(f),
			.ecn_delivered = f->delivered - last->prior_delivered,
			.ecn_ce = f->delivered_ce - last->prior_delivered_ce,
			.share = s->prof_bulk[f->prof_id] + !f->m.bulk,
		};
		bool bulk = f->m.bulk;

		dacc_model_rtt_sample(&f->m, rtt_us, f->mdev_us, now_us, f->ts != 0,
				      now_us - tsval * 1000);	/* as cong.c does */
		dacc_model_on_ack(&f->m, &a);
		if (f->m.bulk != bulk && !f->done)	/* as cong.c counts */
			s->prof_bulk[f->prof_id] += f->m.bulk ? 1 : -1;
	} else {
		cc_loss_based(s, f, acked, f->pending_losses || ce);
	}
	f->pending_losses = 0;
	if (f->msg_bytes && f->msg_acked >= f->msg_bytes)
		msg_complete(s, f);
	try_send(s, f);
}

/* Nothing acknowledged for a while: the tail was lost (TLP, then RTO). */
static void flow_rto(struct sim *s, struct sim_flow *f)
{
	uint32_t n = 0;

	f->rto_armed = false;
	if (!inflight(f))
		return;
	if (s->now_ps < f->ring[f->head & f->ring_mask].sent_ps + rto_ps(s, f)) {
		f->rto_armed = true;
		ev_push(s, f->ring[f->head & f->ring_mask].sent_ps + rto_ps(s, f), EV_RTO,
			fidx(s, f), 0, 0, 0);
		return;
	}
	for (uint32_t i = f->head; i != f->tail; i++)
		if (!f->ring[i & f->ring_mask].lost)
			goto rearm;		/* ACKs are still on their way */
	for (; f->head != f->tail; f->head++, n++) {
		f->lost_pkts++;
		f->msg_sent -= s->mss;
	}
	if (f->cc == SIM_DACC)
		dacc_model_on_rto(&f->m, s->mss, true);	/* no episodes here */
	else
		f->cwnd = 2;
	f->pending_losses += n;
	try_send(s, f);
	return;
rearm:
	f->rto_armed = true;
	ev_push(s, s->now_ps + rto_ps(s, f), EV_RTO, fidx(s, f), 0, 0, 0);
}

/* ---- receivers ---- */

/* When an ACK due at t leaves the receiving host: after the stall t falls
 * in, if any (stalls come one after the other, each a random gap of 0 to
 * twice stall_every_ps after the last).
 */
static uint64_t host_stall(struct sim *s, uint64_t t)
{
	if (!s->stall_ps || !s->stall_every_ps)
		return t;
	while (t >= s->stall_end_ps) {
		s->stall_start_ps = s->stall_end_ps + jitter(s, 2 * s->stall_every_ps);
		s->stall_end_ps = s->stall_start_ps + s->stall_ps;
	}
	return t >= s->stall_start_ps ? s->stall_end_ps : t;
}

static void send_ack(struct sim *s, struct sim_flow *f)
{
	uint64_t t = host_stall(s, s->now_ps + jitter(s, s->rcv_jit_ps)), at;
	uint64_t tick = (f->ts == 2 ? 2 : 1) * SIM_PS_PER_MS;
	uint32_t tsval = 777777 + (uint32_t)(t / tick);

	at = t + (uint64_t)(f->rtt_us - f->rtt_us / 2) * SIM_PS_PER_US + s->rev_q_ps +
	     jitter(s, s->rev_jit_ps);
	if (at < f->last_ack_ps)
		at = f->last_ack_ps;
	f->last_ack_ps = at;
	f->rcv_pending = 0;
	ev_push(s, at, EV_ACK, fidx(s, f), f->rcv_next, tsval, 0);
}

static void flow_rcv(struct sim *s, struct sim_flow *f, uint32_t idx)
{
	f->rcv_next = idx + 1;
	if (++f->rcv_pending >= s->ack_every) {
		send_ack(s, f);
	} else if (!f->delack_armed) {
		f->delack_armed = true;
		ev_push(s, s->now_ps + s->ack_delay_ps, EV_DELACK, fidx(s, f), 0, 0, 0);
	}
}

/* ---- the loop ---- */

static void take_sample(struct sim *s)
{
	struct sim_series *r;
	double dt = (double)s->sample_ps / SIM_PS_PER_S;

	if (s->nseries == s->series_cap) {
		s->series_cap = s->series_cap ? 2 * s->series_cap : 256;
		s->series = xrealloc(s->series, s->series_cap * sizeof(*s->series));
	}
	r = &s->series[s->nseries++];
	r->t_ps = s->now_ps;
	r->rate_bps = xrealloc(NULL, (s->nflows + 1) * sizeof(float));
	r->cwnd = xrealloc(NULL, (s->nflows + 1) * sizeof(uint32_t));
	r->q_us = xrealloc(NULL, (s->nlinks + 1) * sizeof(float));
	for (int i = 0; i < s->nflows; i++) {
		struct sim_flow *f = &s->flows[i];

		r->rate_bps[i] = (float)(f->sample_bytes * 8 / dt);
		r->cwnd[i] = f->started ? sim_flow_cwnd(f) : 0;
		f->sample_bytes = 0;
	}
	for (int i = 0; i < s->nlinks; i++) {
		const struct sim_link *l = &s->links[i];

		r->q_us[i] = l->tail_ps > s->now_ps ?
			     (float)(l->tail_ps - s->now_ps) / SIM_PS_PER_US : 0;
	}
}

static void flow_start(struct sim *s, struct sim_flow *f)
{
	if (f->group >= 0 && !s->groups[f->group].nsteps)
		s->groups[f->group].step_start_ps = s->now_ps;
	f->started = true;
	f->mcfg.mss = s->mss;
	if (f->cc == SIM_DACC) {
		/* The kernel counts the live connections of a profile. */
		f->mcfg.share = ++s->prof_users[f->prof_id];
		dacc_model_init(&f->m, &f->mcfg, (uint32_t)(s->now_ps / SIM_PS_PER_US),
				f->delivered);
	} else {
		f->cwnd = DACC_INIT_CWND;
		f->ssthresh = 1e12;
	}
	msg_start(s, f);
}

void sim_run(struct sim *s, uint64_t end_ps)
{
	if (!s->end_ps) {
		/* First run: schedule the starts and the sampler. */
		for (int i = 0; i < s->nflows; i++)
			if (!s->flows[i].started)
				ev_push(s, s->flows[i].start_ps > s->now_ps ?
					   s->flows[i].start_ps : s->now_ps,
					EV_START, (uint32_t)i, 0, 0, 0);
		if (s->sample_ps)
			ev_push(s, s->now_ps + s->sample_ps, EV_SAMPLE, 0, 0, 0, 0);
	}
	s->end_ps = end_ps;
	while (s->nev && s->heap[0].t <= end_ps) {
		struct sim_ev e = ev_pop(s);
		struct sim_flow *f = &s->flows[e.flow];
		uint64_t dep;
		uint8_t ce;

		s->now_ps = e.t;
		switch (e.type) {
		case EV_TX:
			f->tx_armed = false;
			try_send(s, f);
			break;
		case EV_HOP:
			ce = f->ring[e.idx & f->ring_mask].ce;
			dep = link_enqueue(s, &s->links[f->links[e.hop]], s->hdr, f->ecn, &ce);
			f->ring[e.idx & f->ring_mask].ce = ce;
			if (!dep)
				f->ring[e.idx & f->ring_mask].lost = 1;
			else if (e.hop + 1 < f->nlinks)
				ev_push(s, dep, EV_HOP, e.flow, e.idx, 0, e.hop + 1);
			else
				ev_push(s, dep + (uint64_t)(f->rtt_us / 2) * SIM_PS_PER_US, EV_RCV,
					e.flow, e.idx, 0, 0);
			break;
		case EV_RCV:
			flow_rcv(s, f, e.idx);
			break;
		case EV_ACK:
			flow_ack(s, f, e.idx, e.aux);
			break;
		case EV_DELACK:
			f->delack_armed = false;
			if (f->rcv_pending)
				send_ack(s, f);
			break;
		case EV_RTO:
			flow_rto(s, f);
			break;
		case EV_START:
			flow_start(s, f);
			break;
		case EV_MSG:
			msg_start(s, f);
			break;
		case EV_SAMPLE:
			take_sample(s);
			ev_push(s, s->now_ps + s->sample_ps, EV_SAMPLE, 0, 0, 0, 0);
			break;
		}
	}
	s->now_ps = end_ps;
}

/* ---- results ---- */

static double measured_s(const struct sim *s)
{
	uint64_t from = s->warm_ps < s->now_ps ? s->warm_ps : 0;

	return (double)(s->now_ps - from) / SIM_PS_PER_S;
}

double sim_flow_rate_bps(const struct sim *s, const struct sim_flow *f)
{
	return (double)f->bytes * 8 / measured_s(s);
}

double sim_link_goodput_bps(const struct sim *s, const struct sim_link *l)
{
	return (double)l->rate_bps * s->mss / s->hdr;
}

/* What left the link over the measured time, over its capacity: what is
 * still queued at the end has not left.
 */
double sim_link_util(const struct sim *s, const struct sim_link *l)
{
	uint64_t q = link_backlog_bytes(l, s->now_ps);
	uint64_t out = l->bytes_out > q ? l->bytes_out - q : 0;

	return (double)out * 8 / measured_s(s) / (double)l->rate_bps;
}

double sim_link_loss(const struct sim_link *l)
{
	return l->pkts_in ? (double)(l->drops + l->rand_drops) / (double)l->pkts_in : 0;
}

double sim_link_q_us(const struct sim_link *l, double q)
{
	uint64_t n = 0, want, acc = 0;

	for (unsigned int i = 0; i < SIM_QBINS; i++)
		n += l->qhist[i];
	if (!n)
		return 0;
	want = (uint64_t)ceil(q * (double)n);
	if (!want)
		want = 1;
	for (unsigned int i = 0; i < SIM_QBINS; i++) {
		acc += l->qhist[i];
		if (acc >= want)
			return qbin_ns(i) / 1000;
	}
	return (double)l->q_max_ps / SIM_PS_PER_US;
}

double sim_link_q_mean_us(const struct sim_link *l)
{
	uint64_t n = l->pkts_in - l->drops - l->rand_drops;

	return n ? (double)l->q_sum_ps / (double)n / SIM_PS_PER_US : 0;
}

double sim_jain(const struct sim *s, const int *idx, int n)
{
	double sum = 0, sq = 0;

	for (int i = 0; i < n; i++) {
		double r = sim_flow_rate_bps(s, &s->flows[idx[i]]);

		sum += r;
		sq += r * r;
	}
	return sq > 0 ? sum * sum / (n * sq) : 0;
}
