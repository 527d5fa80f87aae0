// SPDX-License-Identifier: GPL-2.0
/* daccd: the kernel's profile telemetry in the Prometheus text format.
 * Times in seconds and sizes in bytes (Prometheus's base units), counters
 * as _total; each profile is labelled with its prefix and source.  The
 * kernel keeps a profile's counters across a replace and drops them with
 * the profile: a delete and re-add is a counter reset.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dacc_msg.h"
#include "ktel.h"

int ktel_init(struct ktel *t, unsigned int max)
{
	memset(t, 0, sizeof(*t));
	if (max) {
		t->p = calloc(max, sizeof(*t->p));
		if (!t->p)
			return -ENOMEM;
	}
	t->max = max;
	return 0;
}

void ktel_reset(struct ktel *t)
{
	t->n = 0;
	t->total = 0;
	t->up = false;
	memset(&t->st, 0, sizeof(t->st));
}

void ktel_free(struct ktel *t)
{
	free(t->p);
	t->p = NULL;
	t->n = 0;
	t->max = 0;
}

int ktel_add(const struct dacc_profile *p, void *arg)
{
	struct ktel *t = arg;

	t->total++;
	if (t->n < t->max)
		t->p[t->n++] = *p;
	return 0;
}

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP dacc_%s %s\n# TYPE dacc_%s %s\n", name, help, name, type);
}

/* Millionths (microseconds as seconds, ppm as a ratio), exactly. */
static void put_micro(FILE *f, uint64_t v)
{
	fprintf(f, "%llu.%06llu\n", (unsigned long long)(v / 1000000),
		(unsigned long long)(v % 1000000));
}

static void labels(FILE *f, const char *name, const struct dacc_profile *p)
{
	char buf[DACC_PREFIX_STRLEN];

	fprintf(f, "dacc_%s{prefix=\"%s\",source=\"%s\"} ", name,
		dacc_prefix_format(&p->prefix, buf, sizeof(buf)), dacc_source_name(p->source));
}

/* What one series of a profile shows, or false when the profile has none. */
enum kval { KV_MICRO, KV_U64 };	/* millionths (us as seconds, ppm), units */
struct kseries {
	const char *name, *type, *help;
	enum kval kind;
	bool (*get)(const struct dacc_profile *p, uint64_t *v);
};

static bool g_base(const struct dacc_profile *p, uint64_t *v)
{
	*v = p->rtt_us;
	return true;
}

static bool g_rttvar(const struct dacc_profile *p, uint64_t *v)
{
	*v = p->rttvar_us;
	return p->has_rttvar;
}

static bool g_bw(const struct dacc_profile *p, uint64_t *v)
{
	*v = p->bw_bps / 8;
	return p->has_bw;
}

static bool g_loss(const struct dacc_profile *p, uint64_t *v)
{
	*v = p->loss_ppm;
	return p->has_loss;
}

static bool g_age(const struct dacc_profile *p, uint64_t *v)
{
	*v = p->age_ms * 1000;
	return true;
}

static bool g_flows(const struct dacc_profile *p, uint64_t *v)
{
	*v = p->flows;
	return true;
}

static bool g_bytes(const struct dacc_profile *p, uint64_t *v)
{
	*v = p->bytes_acked;
	return true;
}

static bool g_retrans(const struct dacc_profile *p, uint64_t *v)
{
	*v = p->retrans;
	return true;
}

static bool g_min(const struct dacc_profile *p, uint64_t *v)
{
	*v = p->min_rtt_us;
	return p->min_rtt_us != 0;
}

static bool g_srtt(const struct dacc_profile *p, uint64_t *v)
{
	*v = p->srtt_us;
	return p->srtt_us != 0;
}

/* What an operator reads first: the RTT its flows see over the base. */
static bool g_queue(const struct dacc_profile *p, uint64_t *v)
{
	*v = p->srtt_us > p->rtt_us ? p->srtt_us - p->rtt_us : 0;
	return p->srtt_us != 0;
}

static const struct kseries series[] = {
	{ "profile_base_rtt_seconds", "gauge", "The profile's base RTT.", KV_MICRO, g_base },
	{ "profile_rtt_variation_seconds", "gauge", "The profile's RTT variation (jitter).",
	  KV_MICRO, g_rttvar },
	{ "profile_bandwidth_hint_bytes_per_second", "gauge",
	  "The profile's bottleneck bandwidth hint.", KV_U64, g_bw },
	{ "profile_loss_baseline_ratio", "gauge", "The profile's random-loss baseline.",
	  KV_MICRO, g_loss },
	{ "profile_age_seconds", "gauge", "Since the profile was last set.", KV_MICRO, g_age },
	{ "profile_flows_total", "counter", "Connections that started with the profile.",
	  KV_U64, g_flows },
	{ "profile_acked_bytes_total", "counter", "Bytes acknowledged on those connections.",
	  KV_U64, g_bytes },
	{ "profile_retransmitted_segments_total", "counter",
	  "Segments retransmitted on those connections.", KV_U64, g_retrans },
	{ "profile_rtt_min_seconds", "gauge", "Lowest RTT those connections saw.", KV_MICRO, g_min },
	{ "profile_rtt_smoothed_seconds", "gauge",
	  "Smoothed RTT those connections saw, as last reported.", KV_MICRO, g_srtt },
	{ "profile_queueing_seconds", "gauge",
	  "Smoothed RTT seen over the profile's base RTT (0 when below).", KV_MICRO, g_queue },
};

static void put_value(FILE *f, enum kval kind, uint64_t v)
{
	if (kind == KV_MICRO)
		put_micro(f, v);
	else
		fprintf(f, "%llu\n", (unsigned long long)v);
}

void ktel_render(FILE *f, const struct ktel *t)
{
	unsigned int i, k;
	uint64_t v;

	if (!t->up)
		return;
	family(f, "table_profiles", "gauge", "Profiles in the kernel's table.");
	fprintf(f, "dacc_table_profiles %u\n", t->st.profiles);
	family(f, "table_profiles_max", "gauge", "The module's max_profiles.");
	fprintf(f, "dacc_table_profiles_max %u\n", t->st.max_profiles);
	family(f, "table_lookups_total", "counter",
	       "Connection starts that looked their destination up.");
	fprintf(f, "dacc_table_lookups_total %llu\n", (unsigned long long)t->st.lookups);
	family(f, "table_lookup_hits_total", "counter", "Lookups that found a profile.");
	fprintf(f, "dacc_table_lookup_hits_total %llu\n", (unsigned long long)t->st.hits);
	family(f, "table_adds_total", "counter", "Profiles added or replaced.");
	fprintf(f, "dacc_table_adds_total %llu\n", (unsigned long long)t->st.adds);
	family(f, "table_deletes_total", "counter", "Profiles deleted.");
	fprintf(f, "dacc_table_deletes_total %llu\n", (unsigned long long)t->st.dels);
	family(f, "table_profiles_exported", "gauge",
	       "Profiles with series below (metrics.kernel_profiles_max of them at most).");
	fprintf(f, "dacc_table_profiles_exported %u\n", t->n);
	for (k = 0; k < sizeof(series) / sizeof(series[0]); k++) {
		bool any = false;

		for (i = 0; i < t->n && !any; i++)
			any = series[k].get(&t->p[i], &v);
		if (!any)
			continue;
		family(f, series[k].name, series[k].type, series[k].help);
		for (i = 0; i < t->n; i++) {
			if (!series[k].get(&t->p[i], &v))
				continue;
			labels(f, series[k].name, &t->p[i]);
			put_value(f, series[k].kind, v);
		}
	}
}
