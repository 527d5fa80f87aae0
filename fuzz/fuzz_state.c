// SPDX-License-Identifier: GPL-2.0
/* daccd's state file on any bytes: a file damaged, truncated, of another
 * version or written by hand restores only what is valid, into the
 * destinations configured, and never anything out of range.
 *
 * Two destinations are configured (as in tests/test_daccd_state.c); before
 * each input they are reset to what daccd has before it loads its state.
 * The clocks are fixed: a seed's "saved_ms" must be near FUZZ_WALL_MS.
 *
 * Input: the state file.
 */
#include <string.h>

#include "fuzz.h"
#include "../userspace/daccd/daccd.h"

#define FUZZ_MONO_MS	5000000ULL
#define FUZZ_WALL_MS	1700000000000ULL	/* 2023-11-14T22:13:20Z */

/* What daccd.c provides to state.c. */
struct daccd D;

uint64_t now_ms(void)
{
	return FUZZ_MONO_MS;
}

uint64_t wall_ms(void)
{
	return FUZZ_WALL_MS;
}

static const char conf[] =
	"destinations = (\n"
	"  { prefix = \"10.3.0.0/24\"; targets = [\"10.3.0.2\"]; },\n"
	"  { prefix = \"fd00:13::/64\"; targets = [\"fd00:13::2\"]; }\n"
	");\n";

/* The destinations as daccd sets them up from the configuration. */
static struct dest *fresh;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];
	unsigned int i;

	log_level = -1;		/* quiet: every input logs why it is refused */
	D.cfg = dcfg_parse(conf, "fuzz.conf", err, sizeof(err));
	if (!D.cfg) {
		fprintf(stderr, "fuzz_state: %s\n", err);
		abort();
	}
	D.ndests = D.cfg->ndests;
	D.dests = calloc(D.ndests, sizeof(*D.dests));
	fresh = calloc(D.ndests, sizeof(*fresh));
	if (!D.dests || !fresh)
		abort();
	for (i = 0; i < D.ndests; i++) {
		struct dest *d = &fresh[i];

		d->prefix = D.cfg->dests[i].prefix;
		d->cfg = &D.cfg->dests[i];
		dacc_prefix_format(&d->prefix, d->name, sizeof(d->name));
		est_init(&d->est);
	}
	return 0;
}

static void check_dest(const struct dest *d)
{
	const struct est_params *p = &D.cfg->est;
	unsigned int i;

	FUZZ_CHECK(d->est.n <= EST_MAX_SAMPLES, "%s: %u samples", d->name, d->est.n);
	if (d->pushed) {
		FUZZ_CHECK(d->pushed_rtt_us >= DACC_RTT_MIN_US && d->pushed_rtt_us <= DACC_RTT_MAX_US,
			   "%s: pushed rtt %u", d->name, d->pushed_rtt_us);
		FUZZ_CHECK(d->pushed_rttvar_us <= DACC_RTT_MAX_US, "%s: pushed jitter %u",
			   d->name, d->pushed_rttvar_us);
	}
	/* The estimator's ring is in time order: est_expire() drops from its
	 * head only, so a sample older than the one before it would stay.
	 */
	for (i = 0; i < d->est.n; i++) {
		const struct est_sample *s = est_sample_at(&d->est, i);

		FUZZ_CHECK(s->rtt_us >= DACC_RTT_MIN_US && s->rtt_us <= DACC_RTT_MAX_US,
			   "%s: sample %u rtt %u", d->name, i, s->rtt_us);
		FUZZ_CHECK(!i || s->t_ms >= est_sample_at(&d->est, i - 1)->t_ms,
			   "%s: sample %u (%llu ms) is older than sample %u (%llu ms)", d->name,
			   i, (unsigned long long)s->t_ms, i - 1,
			   (unsigned long long)est_sample_at(&d->est, i - 1)->t_ms);
		FUZZ_CHECK(s->t_ms <= FUZZ_MONO_MS && FUZZ_MONO_MS - s->t_ms <= p->window_ms,
			   "%s: sample %u at %llu ms is outside the window, now %llu ms",
			   d->name, i, (unsigned long long)s->t_ms, FUZZ_MONO_MS);
	}
	if (d->est.n)
		FUZZ_CHECK(d->est.base_us >= DACC_RTT_MIN_US && d->est.base_us <= DACC_RTT_MAX_US,
			   "%s: base %u", d->name, d->est.base_us);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	unsigned int i;
	int r;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memcpy(D.dests, fresh, D.ndests * sizeof(*D.dests));
	memset(&D.c, 0, sizeof(D.c));
	D.state_dirty = false;

	r = state_load_buf(text, size, "fuzz.state");
	FUZZ_CHECK(r < 0 || (unsigned int)r <= D.ndests, "%d restored of %u", r, D.ndests);
	for (i = 0; i < D.ndests; i++) {
		FUZZ_CHECK(!memcmp(&D.dests[i].prefix, &fresh[i].prefix, sizeof(fresh[i].prefix)) &&
			   D.dests[i].cfg == fresh[i].cfg && !strcmp(D.dests[i].name, fresh[i].name),
			   "destination %u was replaced", i);
		if (r < 0)
			FUZZ_CHECK(!memcmp(&D.dests[i], &fresh[i], sizeof(fresh[i])),
				   "a refused state (%d) changed destination %u", r, i);
		check_dest(&D.dests[i]);
	}
	free(text);
	return 0;
}
