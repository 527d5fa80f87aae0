// SPDX-License-Identifier: GPL-2.0
/* daccd: keeping the kernel's profile table current through libdacc.
 * A learned profile is pushed when it first becomes trustworthy and then on
 * a meaningful change only; a static profile (the operator's) is never
 * replaced.  A poll notices the module appearing, reloading (the family id
 * changes, the table is empty) or losing our profiles, and pushes again.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "daccd.h"

static struct dacc_nl *nl;
static const struct timeval nl_timeout = { .tv_sec = 0, .tv_usec = 500000 };
/* The table as last dumped: which prefixes hold a static profile. */
struct kview {
	const struct dacc_profile *p;
};

static bool module_present(void)
{
	/* Looking the family up would autoload the module: do not, so that
	 * an operator's rmmod sticks while daccd runs.
	 */
	return access("/sys/module/tcp_dacc", F_OK) == 0;
}

static void kernel_down(const char *why)
{
	unsigned int i;

	if (nl) {
		dacc_nl_close(nl);
		nl = NULL;
	}
	if (D.kernel_up)
		log_warn("msg=\"kernel module gone\" reason=\"%s\"", log_esc(why));
	D.kernel_up = false;
	for (i = 0; i < D.ndests; i++)
		D.dests[i].static_seen = false;
}

void kernel_close(void)
{
	if (nl)
		dacc_nl_close(nl);
	nl = NULL;
	D.kernel_up = false;
}

static bool kernel_open(void)
{
	if (nl)
		return true;
	if (!module_present())
		return false;
	nl = dacc_nl_open();
	if (!nl) {
		if (errno != ENOENT)
			log_warn("msg=\"cannot talk to the dacc netlink family\" error=\"%s\"",
				 strerror(errno));
		return false;
	}
	/* A daemon must not hang on the kernel: bound every wait for an answer. */
	setsockopt(dacc_nl_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &nl_timeout, sizeof(nl_timeout));
	if (!D.kernel_up)
		log_info("msg=\"kernel module present\"");
	D.kernel_up = true;
	return true;
}

/* What a dump tells about one of our destinations. */
struct seen {
	bool present, is_static;
	uint32_t rtt_us, rttvar_us;
};

static struct seen *seen_tab;

static int dump_cb(const struct dacc_profile *p, void *arg)
{
	unsigned int i;

	for (i = 0; i < D.ndests; i++) {
		if (!dacc_prefix_equal(&p->prefix, &D.dests[i].prefix))
			continue;
		seen_tab[i].present = true;
		seen_tab[i].is_static = p->source == DACC_SOURCE_STATIC;
		seen_tab[i].rtt_us = p->rtt_us;
		seen_tab[i].rttvar_us = p->rttvar_us;
	}
	return 0;
}

/* Dump the table into seen_tab; false when the kernel is not reachable. */
static bool kernel_dump(struct seen *tab)
{
	int err;

	memset(tab, 0, sizeof(*tab) * (D.ndests ? D.ndests : 1));
	seen_tab = tab;
	err = dacc_profile_dump(nl, dump_cb, NULL);
	seen_tab = NULL;
	if (err < 0) {
		/* The family went away or was re-registered under a new id. */
		kernel_down(dacc_nl_error(nl));
		return false;
	}
	return true;
}

static int push(struct dest *d, uint32_t rtt_us, uint32_t rttvar_us)
{
	struct dacc_profile p = {
		.prefix = d->prefix,
		.rtt_us = rtt_us,
		.rttvar_us = rttvar_us,
		.has_rttvar = true,
		.source = DACC_SOURCE_LEARNED,
	};
	int err;

	if (p.rtt_us < DACC_RTT_MIN_US)
		p.rtt_us = DACC_RTT_MIN_US;
	if (p.rtt_us > DACC_RTT_MAX_US)
		p.rtt_us = DACC_RTT_MAX_US;
	if (p.rttvar_us > DACC_RTT_MAX_US)
		p.rttvar_us = DACC_RTT_MAX_US;
	err = dacc_profile_add(nl, &p, false);
	if (err == -EAGAIN || err == -EWOULDBLOCK) {
		/* No answer in time: look whether the kernel took it. */
		struct seen tab[D.ndests ? D.ndests : 1];
		unsigned int i = (unsigned int)(d - D.dests);

		if (kernel_dump(tab) && tab[i].present && !tab[i].is_static &&
		    tab[i].rtt_us == p.rtt_us && tab[i].rttvar_us == p.rttvar_us)
			err = 0;
		if (!nl)
			return err;
	}
	if (err < 0) {
		/* the periodic poll retries; samples do not hammer the kernel */
		d->push_retry_ms = now_ms() + D.cfg->kernel_poll_ms;
		D.c.push_errors++;
		log_err("msg=\"push failed\" prefix=%s error=\"%s\"", d->name,
			log_esc(dacc_nl_error(nl)));
		if (err == -ENOENT || err == -EOPNOTSUPP)
			kernel_down("push failed");
		return err;
	}
	D.c.pushes++;
	d->pushes++;
	d->pushed = true;
	d->pushed_rtt_us = p.rtt_us;
	d->pushed_rttvar_us = p.rttvar_us;
	d->pushed_at_ms = now_ms();
	D.state_dirty = true;
	log_info("msg=\"pushed profile\" prefix=%s rtt_us=%u rttvar_us=%u samples=%u",
		 d->name, p.rtt_us, p.rttvar_us, d->est.n);
	return 0;
}

/* What the destination should have in the kernel: the estimate when it is
 * trustworthy, else what was pushed before (restored from disk).
 */
static bool wanted(const struct dest *d, uint32_t *rtt, uint32_t *var)
{
	const struct dcfg *c = D.cfg;

	if (est_trusted(&d->est, &c->est)) {
		if (!d->pushed ||
		    est_meaningful_change(d->pushed_rtt_us, d->pushed_rttvar_us, d->est.base_us,
					  d->est.jitter_us, c->hyst_pct, c->hyst_min_us)) {
			*rtt = d->est.base_us;
			*var = d->est.jitter_us;
			return true;
		}
	}
	if (!d->pushed)
		return false;
	*rtt = d->pushed_rtt_us;
	*var = d->pushed_rttvar_us;
	return true;
}

static void sync_dest(struct dest *d, const struct seen *s)
{
	uint32_t rtt, var;

	if (s->is_static) {
		if (!d->static_seen)
			log_info("msg=\"static profile set by the operator, not pushing\" prefix=%s",
				 d->name);
		d->static_seen = true;
		return;
	}
	d->static_seen = false;
	if (!wanted(d, &rtt, &var))
		return;
	if (s->present && s->rtt_us == rtt && s->rttvar_us == var)
		return;
	if (d->pushed && (!s->present || s->rtt_us != d->pushed_rtt_us) &&
	    rtt == d->pushed_rtt_us) {
		D.c.kernel_resyncs++;
		log_info("msg=\"kernel lost the profile, pushing it again\" prefix=%s", d->name);
	}
	push(d, rtt, var);
}

void kernel_push_dest(struct dest *d)
{
	struct seen s;
	uint32_t rtt, var;
	unsigned int i = (unsigned int)(d - D.dests);

	if (!wanted(d, &rtt, &var) || (d->pushed && rtt == d->pushed_rtt_us &&
				       var == d->pushed_rttvar_us))
		return;
	if (now_ms() < d->push_retry_ms)
		return;
	if (!kernel_open())
		return;
	/* Look at the table right before writing: never replace a static one. */
	{
		struct seen tab[D.ndests ? D.ndests : 1];

		if (!kernel_dump(tab))
			return;
		s = tab[i];
	}
	if (s.is_static) {
		if (!d->static_seen)
			D.c.push_skipped_static++;
		sync_dest(d, &s);
		return;
	}
	sync_dest(d, &s);
}

void kernel_poll(void)
{
	unsigned int i;

	if (!kernel_open())
		return;
	{
		struct seen tab[D.ndests ? D.ndests : 1];

		if (!kernel_dump(tab))
			return;
		for (i = 0; i < D.ndests && nl; i++) {
			if (tab[i].is_static && !D.dests[i].static_seen && wanted(&D.dests[i], &(uint32_t){0}, &(uint32_t){0}))
				D.c.push_skipped_static++;
			sync_dest(&D.dests[i], &tab[i]);
		}
	}
}

bool kernel_telemetry(struct ktel *t)
{
	int err, tries = 2;

	ktel_reset(t);
	if (!kernel_open())
		return false;
	do {
		/* A table changed during the dump may miss or repeat a
		 * profile: once more, then as it is.
		 */
		ktel_reset(t);
		err = dacc_profile_dump(nl, ktel_add, t);
	} while (!err && dacc_nl_dump_interrupted(nl) && --tries);
	if (!err)
		err = dacc_stats_get(nl, &t->st);
	if (err < 0) {
		kernel_down(dacc_nl_error(nl));
		return false;
	}
	t->up = true;
	return true;
}

void kernel_push_all(void)
{
	kernel_poll();
}

void kernel_forget(const struct dest *d)
{
	struct seen tab[D.ndests ? D.ndests : 1];
	unsigned int i = (unsigned int)(d - D.dests);

	if (!d->pushed || !kernel_open() || !kernel_dump(tab))
		return;
	if (tab[i].present && !tab[i].is_static)
		dacc_profile_del(nl, &d->prefix);
}
