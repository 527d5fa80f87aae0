// SPDX-License-Identifier: GPL-2.0
/* The dacc command's parser on any -batch line: split_line, then the
 * arguments of the profile object, without a kernel (profile_parse only
 * parses; cmd.c, which talks netlink, is linked but never called).  A
 * profile that parses prints, as "dacc profile show" prints it, a line that
 * "dacc profile add" reads back as the same profile.
 *
 * Input: one line, "profile COMMAND ARGS..." or "COMMAND ARGS...".
 */
#include <string.h>

#include "fuzz.h"
#include "../userspace/dacc/dacc.h"

#define MAX_WORDS 64	/* dacc.c's BATCH_MAX_WORDS */

static struct cli cli;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	cli.err = fopen("/dev/null", "w");
	if (!cli.err)
		abort();
	return 0;
}

static bool profile_equal(const struct dacc_profile *a, const struct dacc_profile *b)
{
	return a->prefix.family == b->prefix.family && a->prefix.plen == b->prefix.plen &&
	       !memcmp(a->prefix.addr.raw, b->prefix.addr.raw, sizeof(a->prefix.addr.raw)) &&
	       a->rtt_us == b->rtt_us && a->rttvar_us == b->rttvar_us &&
	       a->bw_bps == b->bw_bps && a->loss_ppm == b->loss_ppm && a->source == b->source;
}

static void check_values(const struct dacc_profile *p)
{
	FUZZ_CHECK(p->rtt_us >= DACC_RTT_MIN_US && p->rtt_us <= DACC_RTT_MAX_US, "rtt %u",
		   p->rtt_us);
	FUZZ_CHECK(p->rttvar_us <= DACC_RTT_MAX_US, "jitter %u", p->rttvar_us);
	FUZZ_CHECK(!p->has_bw || (p->bw_bps && p->bw_bps <= DACC_BW_MAX_BPS), "bw %llu",
		   (unsigned long long)p->bw_bps);
	FUZZ_CHECK(p->loss_ppm <= DACC_LOSS_MAX_PPM, "loss %u", p->loss_ppm);
	FUZZ_CHECK(p->source < __DACC_SOURCE_MAX, "source %u", p->source);
}

/* The profile as "dacc profile show" prints it, read back by "add". */
static void check_show_add(const struct dacc_profile *p)
{
	char *text = NULL, *argv[MAX_WORDS], line[1100];
	struct profile_req back;
	const char *why;
	size_t len = 0;
	int argc;

	cli.out.f = open_memstream(&text, &len);
	if (!cli.out.f)
		abort();
	out_init(&cli.out, cli.out.f, false, false);
	print_profile(&cli, p, NULL, 0);
	fclose(cli.out.f);
	FUZZ_CHECK(len > 0 && len < sizeof(line) - 4, "printed %zu bytes", len);
	snprintf(line, sizeof(line), "add %s", text);
	argc = split_line(line, argv, MAX_WORDS, &why);
	FUZZ_CHECK(argc > 0, "\"%s\" does not split", text);
	FUZZ_CHECK(!profile_parse(&cli, argc, argv, &back), "\"dacc profile show\" prints "
		   "\"%.*s\", which \"dacc profile add\" refuses", (int)len - 1, text);
	FUZZ_CHECK(profile_equal(p, &back.p), "\"dacc profile show\" prints \"%.*s\", which "
		   "\"dacc profile add\" reads as another profile", (int)len - 1, text);
	free(text);

	/* and in JSON, for out.c */
	out_init(&cli.out, cli.err, true, p->rtt_us & 1);
	out_open(&cli.out, NULL, true);
	print_profile(&cli, p, NULL, PRINT_AGE);
	out_close(&cli.out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct keyword objs[] = { { "profile", 0 }, { NULL, 0 } };
	char *line = malloc(size + 1), *argv[MAX_WORDS];
	struct profile_req r;
	const char *why = NULL;
	int argc, i, skip;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	argc = split_line(line, argv, MAX_WORDS, &why);
	if (argc < 0) {
		FUZZ_CHECK(why && *why, "refused without a reason");
		goto out;
	}
	FUZZ_CHECK(argc <= MAX_WORDS, "%d words", argc);
	for (i = 0; i < argc; i++)
		FUZZ_CHECK(argv[i] >= line && argv[i] <= line + size &&
			   strlen(argv[i]) <= size - (size_t)(argv[i] - line),
			   "word %d outside the line", i);
	/* As the batch runs it ("profile add ..."), or as a command alone. */
	skip = argc && kw_match(objs, argv[0]) == 0;
	if (profile_parse(&cli, argc - skip, argv + skip, &r))
		goto out;
	FUZZ_CHECK(r.cmd <= PROFILE_HELP, "command %d", r.cmd);
	if (r.has_prefix)
		FUZZ_CHECK(r.p.prefix.family == AF_INET || r.p.prefix.family == AF_INET6,
			   "family %u", r.p.prefix.family);
	if (r.cmd == PROFILE_ADD || r.cmd == PROFILE_REPLACE) {
		FUZZ_CHECK(r.has_prefix, "add without a prefix");
		check_values(&r.p);
		check_show_add(&r.p);
	}
out:
	free(line);
	return 0;
}
