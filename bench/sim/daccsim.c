// SPDX-License-Identifier: GPL-2.0
/* daccsim: run one scenario file (libconfig) through the simulator and print
 * the results as JSON.  See bench/sim/README.md for the scenario keys.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <libconfig.h>
#include <json-c/json.h>

#include "units.h"
#include "sim.h"

#define MAX_FLOWS 4096

struct ctx {
	const char *file;
	bool failed;
};

static void __attribute__((format(printf, 3, 4)))
fail(struct ctx *x, const config_setting_t *st, const char *fmt, ...)
{
	va_list ap;

	if (x->failed)
		return;
	x->failed = true;
	if (st && config_setting_source_line(st))
		fprintf(stderr, "daccsim: %s:%d: ", x->file, config_setting_source_line(st));
	else
		fprintf(stderr, "daccsim: %s: ", x->file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Every child of group g must be one of names (NULL-terminated). */
static void check_names(struct ctx *x, const config_setting_t *g, const char *const *names)
{
	for (int i = 0; i < config_setting_length(g) && !x->failed; i++) {
		const config_setting_t *c = config_setting_get_elem(g, i);
		const char *n = config_setting_name(c);
		int k;

		for (k = 0; names[k] && strcmp(names[k], n); k++)
			;
		if (!names[k])
			fail(x, c, "unknown setting \"%s\"", n);
	}
}

/* A setting in tc's units, through parse; what names them in the error. */
static uint64_t get_unit(struct ctx *x, const config_setting_t *g, const char *key,
			 uint64_t dflt, int (*parse)(const char *, uint64_t *), const char *what)
{
	const config_setting_t *c = config_setting_get_member(g, key);
	const char *v;
	uint64_t n;

	if (!c)
		return dflt;
	v = config_setting_get_string(c);
	if (!v || parse(v, &n)) {
		fail(x, c, "%s: expected %s", key, what);
		return dflt;
	}
	return n;
}

/* A time setting ("150us", "2s"; a bare number is us), as picoseconds. */
static uint64_t get_time(struct ctx *x, const config_setting_t *g, const char *key,
			 uint64_t dflt)
{
	return get_unit(x, g, key, dflt / SIM_PS_PER_US, dacc_parse_time_us,
			"a time like \"150us\" or \"2s\"") * SIM_PS_PER_US;
}

static int parse_rate_nonzero(const char *word, uint64_t *bps)
{
	return dacc_parse_rate_bps(word, bps) || !*bps ? -1 : 0;
}

static uint64_t get_rate(struct ctx *x, const config_setting_t *g, const char *key,
			 uint64_t dflt)
{
	return get_unit(x, g, key, dflt, parse_rate_nonzero, "a rate like \"100gbit\"");
}

static long long get_int(struct ctx *x, const config_setting_t *g, const char *key,
			 long long dflt, long long min, long long max)
{
	const config_setting_t *c = config_setting_get_member(g, key);
	long long v;

	if (!c)
		return dflt;
	if (config_setting_type(c) != CONFIG_TYPE_INT && config_setting_type(c) != CONFIG_TYPE_INT64) {
		fail(x, c, "%s: expected an integer", key);
		return dflt;
	}
	v = config_setting_get_int64(c);
	if (v < min || v > max) {
		fail(x, c, "%s: %lld is out of range [%lld, %lld]", key, v, min, max);
		return dflt;
	}
	return v;
}

/* A probability: a float in [0, 1], as ppm. */
static uint32_t get_ppm(struct ctx *x, const config_setting_t *g, const char *key)
{
	const config_setting_t *c = config_setting_get_member(g, key);
	double v;

	if (!c)
		return 0;
	if (config_setting_type(c) == CONFIG_TYPE_FLOAT)
		v = config_setting_get_float(c);
	else if (config_setting_type(c) == CONFIG_TYPE_INT)
		v = config_setting_get_int(c);
	else
		v = -1;
	if (!(v >= 0 && v <= 1)) {
		fail(x, c, "%s: expected a fraction in [0, 1]", key);
		return 0;
	}
	return (uint32_t)lround(v * 1e6);
}

static bool get_bool(struct ctx *x, const config_setting_t *g, const char *key, bool dflt)
{
	const config_setting_t *c = config_setting_get_member(g, key);

	if (!c)
		return dflt;
	if (config_setting_type(c) != CONFIG_TYPE_BOOL) {
		fail(x, c, "%s: expected true or false", key);
		return dflt;
	}
	return config_setting_get_bool(c);
}

static const char *get_str(struct ctx *x, const config_setting_t *g, const char *key,
			   const char *dflt)
{
	const config_setting_t *c = config_setting_get_member(g, key);
	const char *v;

	if (!c)
		return dflt;
	v = config_setting_get_string(c);
	if (!v)
		fail(x, c, "%s: expected a string", key);
	return v ? v : dflt;
}

struct scenario {
	const char *name;
	uint64_t duration_ps;
	uint32_t alpha_pkts, qtarget_us;
	const char **link_names;
	const char **flow_names;
	const char **flow_cc;
	int bottleneck;
};

static const char *const top_keys[] = {
	"name", "duration", "warmup", "mss", "ack_every", "ack_delay", "rcv_jitter",
	"rcv_stall", "rcv_stall_every", "rev_jitter", "rev_queue", "rto_min", "seed", "sample", "bottleneck",
	"dacc_alpha_pkts", "dacc_qtarget", "links", "flows", NULL,
};
static const char *const link_keys[] = {
	"name", "rate", "buffer", "buffer_bytes", "ecn_k", "loss", NULL,
};
static const char *const flow_keys[] = {
	"name", "cc", "path", "rtt", "count", "start", "stagger", "size", "msgs", "group", "gap",
	"timestamps", "ecn", "profile", NULL,
};
static const char *const profile_keys[] = { "rtt", "bw", "loss", NULL };

static int link_index(const struct scenario *sc, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(sc->link_names[i], name))
			return i;
	return -1;
}

static void load_links(struct ctx *x, struct sim *s, struct scenario *sc,
		       const config_setting_t *ls)
{
	int n = ls ? config_setting_length(ls) : 0;

	if (!ls || !config_setting_is_list(ls) || !n) {
		fail(x, ls, "links: expected a list of at least one link ( { ... } )");
		return;
	}
	sc->link_names = calloc(n, sizeof(*sc->link_names));
	for (int i = 0; i < n && !x->failed; i++) {
		const config_setting_t *g = config_setting_get_elem(ls, i);
		uint64_t rate, buf;
		int k;

		if (!config_setting_is_group(g)) {
			fail(x, g, "links: each link is a group { ... }");
			return;
		}
		check_names(x, g, link_keys);
		sc->link_names[i] = get_str(x, g, "name", NULL);
		if (!sc->link_names[i]) {
			fail(x, g, "link %d: needs a name", i);
			return;
		}
		if (link_index(sc, i, sc->link_names[i]) >= 0)
			fail(x, g, "link \"%s\" defined twice", sc->link_names[i]);
		rate = get_rate(x, g, "rate", 0);
		if (!rate)
			fail(x, g, "link \"%s\": needs a rate", sc->link_names[i]);
		/* A buffer as time at line rate, or in bytes. */
		buf = (uint64_t)get_int(x, g, "buffer_bytes", 0, 0, 1LL << 40);
		if (!buf && config_setting_get_member(g, "buffer"))
			buf = (uint64_t)((unsigned __int128)get_time(x, g, "buffer", 0) * rate /
					 (8 * SIM_PS_PER_S));
		if (!buf && !x->failed)
			fail(x, g, "link \"%s\": needs buffer (time) or buffer_bytes",
			     sc->link_names[i]);
		if (x->failed)
			return;
		k = sim_add_link(s, rate, buf);
		s->links[k].ecn_k_bytes = (uint64_t)((unsigned __int128)get_time(x, g, "ecn_k", 0) *
						     rate / (8 * SIM_PS_PER_S));
		s->links[k].loss_ppm = get_ppm(x, g, "loss");
	}
}

static void load_flows(struct ctx *x, struct sim *s, struct scenario *sc,
		       const config_setting_t *fs)
{
	int n = fs ? config_setting_length(fs) : 0;

	if (!fs || !config_setting_is_list(fs) || !n) {
		fail(x, fs, "flows: expected a list of at least one flow ( { ... } )");
		return;
	}
	sc->flow_names = calloc(MAX_FLOWS, sizeof(*sc->flow_names));
	sc->flow_cc = calloc(MAX_FLOWS, sizeof(*sc->flow_cc));
	for (int i = 0; i < n && !x->failed; i++) {
		const config_setting_t *g = config_setting_get_elem(fs, i), *pa, *pr;
		const char *cc, *name;
		int path[SIM_MAX_HOPS], np, count, group;
		uint64_t rtt, start, stagger, size, gap;
		struct dacc_model_cfg mc = {
			.alpha_pkts = sc->alpha_pkts, .qtarget_us = sc->qtarget_us,
		};
		enum sim_cc kind = SIM_DACC;

		if (!config_setting_is_group(g)) {
			fail(x, g, "flows: each flow is a group { ... }");
			return;
		}
		check_names(x, g, flow_keys);
		name = get_str(x, g, "name", "f");
		cc = get_str(x, g, "cc", "dacc");
		if (!strcmp(cc, "dacc"))
			kind = SIM_DACC;
		else if (!strcmp(cc, "cubic"))
			kind = SIM_CUBIC;
		else if (!strcmp(cc, "reno"))
			kind = SIM_RENO;
		else
			fail(x, g, "cc: \"%s\" is not one of dacc, cubic, reno", cc);
		pa = config_setting_get_member(g, "path");
		np = pa ? config_setting_length(pa) : 0;
		if (!pa || !config_setting_is_array(pa) || np < 1 || np > SIM_MAX_HOPS) {
			fail(x, pa ? pa : g, "path: expected [\"link\"] or [\"link1\", \"link2\"]");
			return;
		}
		for (int k = 0; k < np && !x->failed; k++) {
			const char *ln = config_setting_get_string_elem(pa, k);

			path[k] = ln ? link_index(sc, s->nlinks, ln) : -1;
			if (path[k] < 0)
				fail(x, pa, "path: no link \"%s\"", ln ? ln : "?");
		}
		rtt = get_time(x, g, "rtt", 0);
		if (!rtt && !x->failed)
			fail(x, g, "flow \"%s\": needs an rtt", name);
		count = (int)get_int(x, g, "count", 1, 1, MAX_FLOWS);
		start = get_time(x, g, "start", 0);
		stagger = get_time(x, g, "stagger", 0);
		gap = get_time(x, g, "gap", 0);
		size = (uint64_t)get_int(x, g, "size", 0, 0, 1LL << 50);
		group = (int)get_int(x, g, "group", -1, -1, SIM_MAX_GROUPS - 1);
		pr = config_setting_get_member(g, "profile");
		if (pr) {
			if (!config_setting_is_group(pr)) {
				fail(x, pr, "profile: expected a group { rtt = ...; bw = ...; }");
				return;
			}
			check_names(x, pr, profile_keys);
			mc.prof_rtt_us = (uint32_t)(get_time(x, pr, "rtt", rtt) / SIM_PS_PER_US);
			mc.hint_bytes_ps = get_rate(x, pr, "bw", 0) / 8;
			mc.loss_ppm = get_ppm(x, pr, "loss");
		}
		if (x->failed)
			return;
		if (s->nflows + count > MAX_FLOWS) {
			fail(x, g, "more than %d flows", MAX_FLOWS);
			return;
		}
		/* The handshake measured the path as it was: empty. */
		mc.srtt_us = (uint32_t)(rtt / SIM_PS_PER_US);
		for (int k = 0; k < count; k++) {
			int fi = sim_add_flow(s, path, np, (uint32_t)(rtt / SIM_PS_PER_US), &mc);
			struct sim_flow *f = &s->flows[fi];

			f->cc = kind;
			f->start_ps = start + (uint64_t)k * stagger;
			f->msg_bytes = size;
			f->msgs = (uint32_t)get_int(x, g, "msgs", 1, 1, 1 << 30);
			f->group = group;
			f->gap_ps = gap;
			f->prof_id = i;		/* the flows of one entry share a profile */
			f->ts = get_bool(x, g, "timestamps", true);
			f->ecn = get_bool(x, g, "ecn", false);
			sc->flow_names[fi] = name;
			sc->flow_cc[fi] = cc;
		}
	}
}

static int load(const char *file, struct sim *s, struct scenario *sc, uint64_t seed)
{
	struct ctx x = { .file = file };
	config_t cfg;
	const config_setting_t *r;
	const char *bn;
	int mss;

	config_init(&cfg);
	if (!strcmp(file, "-") ? !config_read(&cfg, stdin) : !config_read_file(&cfg, file)) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			fprintf(stderr, "daccsim: %s: cannot read: %s\n", file, strerror(errno));
		else
			fprintf(stderr, "daccsim: %s:%d: %s\n", file, config_error_line(&cfg),
				config_error_text(&cfg));
		config_destroy(&cfg);
		return -1;
	}
	r = config_root_setting(&cfg);
	check_names(&x, r, top_keys);
	sc->name = strdup(get_str(&x, r, "name", file));
	mss = (int)get_int(&x, r, "mss", 1448, 64, 65000);
	sim_init(s, (uint32_t)mss, seed ? seed : (uint64_t)get_int(&x, r, "seed", 1, 1, 1LL << 62));
	sc->duration_ps = get_time(&x, r, "duration", 10 * SIM_PS_PER_S);
	s->warm_ps = get_time(&x, r, "warmup", 0);
	s->ack_every = (uint32_t)get_int(&x, r, "ack_every", 2, 1, 1024);
	s->ack_delay_ps = get_time(&x, r, "ack_delay", s->ack_delay_ps);
	s->rcv_jit_ps = get_time(&x, r, "rcv_jitter", 0);
	s->stall_ps = get_time(&x, r, "rcv_stall", 0);
	s->stall_every_ps = get_time(&x, r, "rcv_stall_every", 0);
	s->rev_jit_ps = get_time(&x, r, "rev_jitter", 0);
	s->rev_q_ps = get_time(&x, r, "rev_queue", 0);
	s->rto_min_ps = get_time(&x, r, "rto_min", s->rto_min_ps);
	s->sample_ps = get_time(&x, r, "sample", 0);
	sc->alpha_pkts = (uint32_t)get_int(&x, r, "dacc_alpha_pkts", 8, 1, 1 << 20);
	sc->qtarget_us = (uint32_t)(get_time(&x, r, "dacc_qtarget", 150 * SIM_PS_PER_US) /
				    SIM_PS_PER_US);
	if (!x.failed)
		load_links(&x, s, sc, config_setting_get_member(r, "links"));
	if (!x.failed)
		load_flows(&x, s, sc, config_setting_get_member(r, "flows"));
	bn = x.failed ? NULL : get_str(&x, r, "bottleneck", NULL);
	sc->bottleneck = bn ? link_index(sc, s->nlinks, bn) : 0;
	if (sc->bottleneck < 0)
		fail(&x, config_setting_get_member(r, "bottleneck"), "bottleneck: no link \"%s\"",
		     bn);
	if (!x.failed && sc->duration_ps <= s->warm_ps)
		fail(&x, config_setting_get_member(r, "duration"),
		     "duration must be longer than warmup");
	/* The names point into cfg: keep copies. */
	if (!x.failed) {
		for (int i = 0; i < s->nlinks; i++)
			sc->link_names[i] = strdup(sc->link_names[i]);
		for (int i = 0; i < s->nflows; i++) {
			sc->flow_names[i] = strdup(sc->flow_names[i]);
			sc->flow_cc[i] = strdup(sc->flow_cc[i]);
		}
	}
	config_destroy(&cfg);
	return x.failed ? -1 : 0;
}

/* ---- output ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* {n, mean, p50, p99, max} of times in ps, as us. */
static json_object *time_stats(const uint64_t *v, uint32_t n)
{
	json_object *o = json_object_new_object();
	uint64_t *c, sum = 0;

	json_object_object_add(o, "n", json_object_new_int64(n));
	if (!n)
		return o;
	c = malloc(n * sizeof(*c));
	memcpy(c, v, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_u64);
	for (uint32_t i = 0; i < n; i++)
		sum += c[i];
	json_object_object_add(o, "mean", json_object_new_double((double)sum / n / SIM_PS_PER_US));
	json_object_object_add(o, "p50",
			       json_object_new_double((double)c[(n - 1) / 2] / SIM_PS_PER_US));
	json_object_object_add(o, "p99", json_object_new_double(
		(double)c[(uint32_t)ceil(0.99 * n) - 1] / SIM_PS_PER_US));
	json_object_object_add(o, "max", json_object_new_double((double)c[n - 1] / SIM_PS_PER_US));
	free(c);
	return o;
}

static void put_d(json_object *o, const char *k, double v)
{
	json_object_object_add(o, k, json_object_new_double(isfinite(v) ? v : 0));
}

/* When the flow's rate over a sample first reached 90% of the bottleneck's
 * goodput, from its start (us); -1: never.
 */
static double ramp90_us(const struct sim *s, const struct scenario *sc, int fi)
{
	double cap = sim_link_goodput_bps(s, &s->links[sc->bottleneck]);

	for (uint32_t k = 0; k < s->nseries; k++)
		if (s->series[k].rate_bps[fi] >= 0.9 * cap &&
		    s->series[k].t_ps > s->flows[fi].start_ps)
			return (double)(s->series[k].t_ps - s->flows[fi].start_ps) / SIM_PS_PER_US;
	return -1;
}

static json_object *report(const struct sim *s, const struct scenario *sc, double wall_s,
			   bool series)
{
	json_object *o = json_object_new_object(), *ls = json_object_new_array();
	json_object *fs = json_object_new_array(), *gs = json_object_new_array(), *sum;
	const struct sim_link *b = &s->links[sc->bottleneck];
	int *all = malloc((s->nflows + 1) * sizeof(int)), nbulk = 0;
	uint64_t pkts = 0;

	json_object_object_add(o, "engine", json_object_new_string("daccsim"));
	json_object_object_add(o, "scenario", json_object_new_string(sc->name));
	put_d(o, "duration_s", (double)sc->duration_ps / SIM_PS_PER_S);
	put_d(o, "warmup_s", (double)s->warm_ps / SIM_PS_PER_S);
	json_object_object_add(o, "mss", json_object_new_int(s->mss));
	json_object_object_add(o, "events", json_object_new_int64((int64_t)s->events));
	put_d(o, "wall_s", wall_s);
	for (int i = 0; i < s->nlinks; i++) {
		const struct sim_link *l = &s->links[i];
		json_object *j = json_object_new_object(), *q = json_object_new_object();

		json_object_object_add(j, "name", json_object_new_string(sc->link_names[i]));
		json_object_object_add(j, "rate_bps", json_object_new_int64((int64_t)l->rate_bps));
		json_object_object_add(j, "buffer_bytes",
				       json_object_new_int64((int64_t)l->buf_bytes));
		json_object_object_add(j, "ecn_k_bytes",
				       json_object_new_int64((int64_t)l->ecn_k_bytes));
		put_d(j, "util", sim_link_util(s, l));
		put_d(j, "loss", sim_link_loss(l));
		json_object_object_add(j, "drops", json_object_new_int64((int64_t)l->drops));
		json_object_object_add(j, "random_drops",
				       json_object_new_int64((int64_t)l->rand_drops));
		json_object_object_add(j, "marks", json_object_new_int64((int64_t)l->marks));
		put_d(q, "p50", sim_link_q_us(l, 0.5));
		put_d(q, "p99", sim_link_q_us(l, 0.99));
		put_d(q, "mean", sim_link_q_mean_us(l));
		put_d(q, "max", (double)l->q_max_ps / SIM_PS_PER_US);
		json_object_object_add(j, "q_us", q);
		json_object_array_add(ls, j);
		pkts += l->pkts_in;
	}
	json_object_object_add(o, "links", ls);
	for (int i = 0; i < s->nflows; i++) {
		const struct sim_flow *f = &s->flows[i];
		json_object *j = json_object_new_object();

		json_object_object_add(j, "name", json_object_new_string(sc->flow_names[i]));
		json_object_object_add(j, "cc", json_object_new_string(sc->flow_cc[i]));
		json_object_object_add(j, "rtt_us", json_object_new_int(f->rtt_us));
		put_d(j, "rate_bps", sim_flow_rate_bps(s, f));
		json_object_object_add(j, "bytes", json_object_new_int64((int64_t)f->bytes));
		json_object_object_add(j, "sent_pkts", json_object_new_int64((int64_t)f->sent_pkts));
		json_object_object_add(j, "lost_pkts", json_object_new_int64((int64_t)f->lost_pkts));
		json_object_object_add(j, "ce_pkts", json_object_new_int64((int64_t)f->ce_pkts));
		json_object_object_add(j, "cwnd", json_object_new_int64(sim_flow_cwnd(f)));
		if (f->cc == SIM_DACC)
			json_object_object_add(j, "mode", json_object_new_int(f->m.mode));
		if (f->msg_bytes)
			json_object_object_add(j, "fct_us", time_stats(f->fct_ps, f->msg_done));
		else
			all[nbulk++] = i;
		if (s->sample_ps)
			put_d(j, "ramp90_us", ramp90_us(s, sc, i));
		json_object_array_add(fs, j);
	}
	json_object_object_add(o, "flows", fs);
	for (int g = 0; g < SIM_MAX_GROUPS; g++) {
		json_object *j;

		if (!s->groups[g].nsteps)
			continue;
		j = json_object_new_object();
		json_object_object_add(j, "group", json_object_new_int(g));
		json_object_object_add(j, "step_us", time_stats(s->groups[g].step_ps,
								 s->groups[g].nsteps));
		json_object_array_add(gs, j);
	}
	json_object_object_add(o, "groups", gs);
	sum = json_object_new_object();
	json_object_object_add(sum, "bottleneck",
			       json_object_new_string(sc->link_names[sc->bottleneck]));
	put_d(sum, "jain", nbulk ? sim_jain(s, all, nbulk) : 0);
	put_d(sum, "util", sim_link_util(s, b));
	put_d(sum, "loss", sim_link_loss(b));
	put_d(sum, "q_p99_us", sim_link_q_us(b, 0.99));
	put_d(sum, "pkts_per_wall_s", wall_s > 0 ? (double)pkts / wall_s : 0);
	json_object_object_add(o, "summary", sum);
	if (series && s->nseries) {
		json_object *jt = json_object_new_array(), *jr = json_object_new_array();
		json_object *jc = json_object_new_array(), *jq = json_object_new_array();

		for (uint32_t k = 0; k < s->nseries; k++) {
			json_object *r = json_object_new_array(), *c = json_object_new_array();
			json_object *q = json_object_new_array();

			json_object_array_add(jt, json_object_new_double(
				(double)s->series[k].t_ps / SIM_PS_PER_S));
			for (int i = 0; i < s->nflows; i++) {
				json_object_array_add(r, json_object_new_double(
					s->series[k].rate_bps[i]));
				json_object_array_add(c, json_object_new_int64(
					s->series[k].cwnd[i]));
			}
			for (int i = 0; i < s->nlinks; i++)
				json_object_array_add(q, json_object_new_double(
					s->series[k].q_us[i]));
			json_object_array_add(jr, r);
			json_object_array_add(jc, c);
			json_object_array_add(jq, q);
		}
		json_object *js = json_object_new_object();

		json_object_object_add(js, "t_s", jt);
		json_object_object_add(js, "rate_bps", jr);
		json_object_object_add(js, "cwnd", jc);
		json_object_object_add(js, "q_us", jq);
		json_object_object_add(o, "series", js);
	}
	free(all);
	return o;
}

static void usage(FILE *to)
{
	fprintf(to,
		"usage: daccsim [--series] [--seed N] SCENARIO\n"
		"  SCENARIO  a scenario file (libconfig syntax; - reads stdin)\n"
		"  --series  add rate, cwnd and queue time series (needs sample = ...)\n"
		"  --seed N  override the scenario's seed\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "series", no_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scenario sc = { 0 };
	struct timespec t0, t1;
	bool series = false;
	uint64_t seed = 0;
	json_object *out;
	struct sim s;
	int c;

	while ((c = getopt_long(argc, argv, "sS:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			series = true;
			break;
		case 'S': {
			char *end;

			errno = 0;
			seed = strtoull(optarg, &end, 10);
			if (errno || *end || !seed) {
				fprintf(stderr, "daccsim: --seed \"%s\" is not a positive integer\n",
					optarg);
				return 2;
			}
			break;
		}
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (load(argv[optind], &s, &sc, seed))
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sim_run(&s, sc.duration_ps);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out = report(&s, &sc, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		     series);
	puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(out);
	for (int i = 0; i < s.nlinks; i++)
		free((void *)sc.link_names[i]);
	for (int i = 0; i < s.nflows; i++) {
		free((void *)sc.flow_names[i]);
		free((void *)sc.flow_cc[i]);
	}
	free(sc.link_names);
	free(sc.flow_names);
	free(sc.flow_cc);
	free((void *)sc.name);
	sim_free(&s);
	return 0;
}
