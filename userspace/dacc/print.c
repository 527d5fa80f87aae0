// SPDX-License-Identifier: GPL-2.0
/* How dacc prints a profile and the statistics, in text and JSON alike. */
#include <string.h>

#include "dacc.h"
#include "dacc_msg.h"
#include "units.h"

static void print_time(struct out *o, const char *word, const char *key, uint64_t us,
		       bool in_text)
{
	char b[32], fmt[48];

	if (o->json) {
		out_u64(o, key, NULL, us);
		return;
	}
	if (!in_text)
		return;
	snprintf(fmt, sizeof(fmt), "%s %s", word, dacc_format_time(b, sizeof(b), us));
	out_string(o, NULL, "%s", fmt);
}

void print_profile(struct cli *c, const struct dacc_profile *p, const char *event,
		   unsigned int flags)
{
	struct out *o = &c->out;
	char b[DACC_PREFIX_STRLEN], src[16];
	const char *name = dacc_source_name(p->source);

	if (!name) {
		snprintf(src, sizeof(src), "%u", p->source);
		name = src;
	}
	out_open(o, NULL, false);
	if (event)
		out_string(o, "event", "%s", event);
	out_string(o, "prefix", "%s", dacc_prefix_format(&p->prefix, b, sizeof(b)));
	print_time(o, "rtt", "rtt_us", p->rtt_us, true);
	print_time(o, "jitter", "rttvar_us", p->rttvar_us, p->rttvar_us);
	if (o->json) {
		out_u64(o, "bw_bps", NULL, p->bw_bps);
		out_u64(o, "loss_ppm", NULL, p->loss_ppm);
	} else {
		if (p->bw_bps)
			out_string(o, NULL, "bw %s", dacc_format_rate(b, sizeof(b), p->bw_bps));
		if (p->loss_ppm)
			out_u64(o, NULL, "loss %lluppm", p->loss_ppm);
	}
	out_string(o, "source", "source %s", name);
	if (flags & PRINT_AGE) {
		if (o->json)
			out_u64(o, "age_ms", NULL, p->age_ms);
		else
			out_string(o, NULL, "age %s",
				   dacc_format_time(b, sizeof(b), p->age_ms * 1000));
	}
	/* Telemetry: always in JSON, on a second line of text with -s. */
	if ((flags & PRINT_AGE) && (o->json || c->stats)) {
		out_nl(o);
		out_raw(o, "    ");
		out_open(o, "stats", false);
		out_u64(o, "flows", "flows %llu", p->flows);
		out_u64(o, "bytes_acked", "bytes_acked %llu", p->bytes_acked);
		out_u64(o, "retrans", "retrans %llu", p->retrans);
		print_time(o, "min_rtt", "min_rtt_us", p->min_rtt_us, p->min_rtt_us);
		print_time(o, "srtt", "srtt_us", p->srtt_us, p->srtt_us);
		out_close(o);
	}
	out_nl(o);
	out_close(o);
}

void print_stats(struct cli *c, const struct dacc_stats *s)
{
	struct out *o = &c->out;

	out_open(o, NULL, false);
	out_u64(o, "profiles", "profiles %llu", s->profiles);
	out_u64(o, "max_profiles", "max_profiles %llu", s->max_profiles);
	out_u64(o, "generation", "generation %llu", s->generation);
	out_nl(o);
	out_u64(o, "lookups", "lookups %llu", s->lookups);
	out_u64(o, "hits", "hits %llu", s->hits);
	out_u64(o, "adds", "adds %llu", s->adds);
	out_u64(o, "dels", "dels %llu", s->dels);
	out_nl(o);
	out_close(o);
}
