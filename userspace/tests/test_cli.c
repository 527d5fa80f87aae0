// SPDX-License-Identifier: GPL-2.0
/* The dacc command without a kernel: keywords, the arguments of each profile
 * command and the error naming the bad word, -batch line splitting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../dacc/dacc.h"

struct fixture {
	struct cli c;
	char *err;
	size_t err_len;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->c.err = open_memstream(&f->err, &f->err_len);
	out_init(&f->c.out, stdout, false, false);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fclose(f->c.err);
	free(f->err);
	free(f);
	return 0;
}

/* Parse a command line of the profile object given as one string. */
static int parse(struct fixture *f, const char *line, struct profile_req *r)
{
	char buf[512], *argv[32];
	const char *why;
	int argc;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = split_line(buf, argv, 32, &why);
	assert_true(argc >= 0);
	fclose(f->c.err);
	free(f->err);
	f->c.err = open_memstream(&f->err, &f->err_len);
	return profile_parse(&f->c, argc, argv, r);
}

static const char *errtext(struct fixture *f)
{
	fflush(f->c.err);
	return f->err;
}

static void test_keywords(void **state)
{
	static const struct keyword kws[] = {
		{ "show", 1 }, { "list", 1 }, { "stats", 2 }, { "del", 3 },
		{ "delete", 3 }, { NULL, 0 },
	};

	assert_int_equal(kw_match(kws, "show"), 1);
	assert_int_equal(kw_match(kws, "sh"), 1);
	assert_int_equal(kw_match(kws, "l"), 1);
	assert_int_equal(kw_match(kws, "st"), 2);
	assert_int_equal(kw_match(kws, "s"), -2);	/* show or stats */
	assert_int_equal(kw_match(kws, "d"), 3);	/* both mean delete */
	assert_int_equal(kw_match(kws, "del"), 3);
	assert_int_equal(kw_match(kws, "shows"), -1);
	assert_int_equal(kw_match(kws, ""), -1);
	assert_int_equal(kw_match(kws, "x"), -1);
}

static void test_add_full(void **state)
{
	struct fixture *f = *state;
	struct profile_req r;

	assert_int_equal(parse(f, "add 10.20.0.0/16 rtt 48ms jitter 2ms bw 100gbit "
			       "loss 100ppm source learned", &r), 0);
	assert_int_equal(r.cmd, PROFILE_ADD);
	assert_int_equal(r.p.prefix.family, AF_INET);
	assert_int_equal(r.p.prefix.plen, 16);
	assert_int_equal(r.p.rtt_us, 48000);
	assert_true(r.p.has_rttvar);
	assert_int_equal(r.p.rttvar_us, 2000);
	assert_true(r.p.has_bw);
	assert_int_equal(r.p.bw_bps, 100000000000ULL);
	assert_true(r.p.has_loss);
	assert_int_equal(r.p.loss_ppm, 100);
	assert_int_equal(r.p.source, DACC_SOURCE_LEARNED);
	assert_string_equal(errtext(f), "");
}

static void test_add_minimal_and_forms(void **state)
{
	struct fixture *f = *state;
	struct profile_req r;

	assert_int_equal(parse(f, "a fd00::/16 r 300us", &r), 0);
	assert_int_equal(r.cmd, PROFILE_ADD);
	assert_int_equal(r.p.prefix.family, AF_INET6);
	assert_int_equal(r.p.rtt_us, 300);
	assert_false(r.p.has_rttvar || r.p.has_bw || r.p.has_loss);
	assert_int_equal(r.p.source, DACC_SOURCE_STATIC);

	assert_int_equal(parse(f, "replace 10.0.0.1 rtt 10s loss 0.01% jitter 0", &r), 0);
	assert_int_equal(r.cmd, PROFILE_REPLACE);
	assert_int_equal(r.p.prefix.plen, 32);
	assert_int_equal(r.p.rtt_us, 10000000);
	assert_int_equal(r.p.loss_ppm, 100);
	assert_true(r.p.has_rttvar);
	assert_int_equal(r.p.rttvar_us, 0);

	assert_int_equal(parse(f, "add 0.0.0.0/0 rtt 1us loss 100000", &r), 0);
	assert_int_equal(r.p.rtt_us, 1);
	assert_int_equal(r.p.loss_ppm, 100000);
	assert_int_equal(parse(f, "add ::/0 rtt 1 bw 1 loss 10%", &r), 0);
	assert_int_equal(r.p.bw_bps, 1);
	assert_int_equal(r.p.loss_ppm, 100000);
	assert_int_equal(parse(f, "add ::/0 rtt 1 bw 1.6tbit", &r), 0);
	assert_true(r.p.bw_bps == 1600000000000ULL);
}

/* Each bad command line fails with a message naming the bad word. */
static void test_errors(void **state)
{
	static const struct { const char *line, *err; } cases[] = {
		{ "frob", "Command \"frob\" is unknown, try \"dacc profile help\".\n" },
		{ "add", "Error: \"add\" needs a prefix; try \"dacc profile help\".\n" },
		{ "add 10.0.0.0/8", "Error: \"rtt\" is required: dacc profile add PREFIX rtt TIME ...\n" },
		{ "add 10.0.0.1/8 rtt 1ms",
		  "Error: argument \"10.0.0.1/8\" is wrong: host bits are set beyond /8 (did you mean 10.0.0.0/8?)\n" },
		{ "add 10.0.0.0/33 rtt 1ms",
		  "Error: argument \"10.0.0.0/33\" is wrong: the prefix length must be a number from 0 to 32\n" },
		{ "add fd00::/129 rtt 1ms",
		  "Error: argument \"fd00::/129\" is wrong: the prefix length must be a number from 0 to 128\n" },
		{ "add 10.0.0.0/x rtt 1ms",
		  "Error: argument \"10.0.0.0/x\" is wrong: the prefix length must be a number from 0 to 32\n" },
		{ "add 10.0.0/8 rtt 1ms",
		  "Error: argument \"10.0.0/8\" is wrong: \"10.0.0\" is not an IPv4 or IPv6 address\n" },
		{ "add 10.0.0.0/8 rtt 0",
		  "Error: argument \"0\" is wrong: rtt must be from 1us to 10s\n" },
		{ "add 10.0.0.0/8 rtt 11s",
		  "Error: argument \"11s\" is wrong: rtt must be from 1us to 10s\n" },
		{ "add 10.0.0.0/8 rtt 48xs",
		  "Error: argument \"48xs\" is wrong: rtt is a time such as 48ms, 300us or 1.5s\n" },
		{ "add 10.0.0.0/8 rtt 1ms jitter 20s",
		  "Error: argument \"20s\" is wrong: jitter must be from 0 to 10s\n" },
		{ "add 10.0.0.0/8 rtt 1ms bw 0",
		  "Error: argument \"0\" is wrong: bw must be from 1bit to 1.6Tbit\n" },
		{ "add 10.0.0.0/8 rtt 1ms bw 1601gbit",
		  "Error: argument \"1601gbit\" is wrong: bw must be from 1bit to 1.6Tbit\n" },
		{ "add 10.0.0.0/8 rtt 1ms bw fast",
		  "Error: argument \"fast\" is wrong: bw is a rate such as 100gbit, 10mbit or 125mbps\n" },
		{ "add 10.0.0.0/8 rtt 1ms loss 100001",
		  "Error: argument \"100001\" is wrong: loss is a whole number of ppm from 0 to 100000 (\"100ppm\", \"0.01%\")\n" },
		{ "add 10.0.0.0/8 rtt 1ms loss 11%",
		  "Error: argument \"11%\" is wrong: loss is a whole number of ppm from 0 to 100000 (\"100ppm\", \"0.01%\")\n" },
		{ "add 10.0.0.0/8 rtt 1ms loss 1.5ppm",
		  "Error: argument \"1.5ppm\" is wrong: loss is a whole number of ppm from 0 to 100000 (\"100ppm\", \"0.01%\")\n" },
		{ "add 10.0.0.0/8 rtt 1ms source remote",
		  "Error: argument \"remote\" is wrong: source is \"static\" or \"learned\"\n" },
		{ "add 10.0.0.0/8 rtt 1ms rtt 2ms",
		  "Error: duplicate \"rtt\": \"2ms\" is the second value.\n" },
		{ "add 10.0.0.0/8 rtt", "Error: \"rtt\" needs a value.\n" },
		{ "add 10.0.0.0/8 rtt 1ms speed 1",
		  "Error: argument \"speed\" is wrong: unknown keyword; expected rtt, jitter, bw, loss or source\n" },
		{ "del 10.0.0.0/8 rtt 1ms",
		  "Error: argument \"rtt\" is wrong: unexpected after the prefix\n" },
		{ "get 10.0.0.0/8",
		  "Error: argument \"10.0.0.0/8\" is wrong: get takes an address, not a prefix\n" },
		{ "get", "Error: \"get\" needs an address; try \"dacc profile help\".\n" },
		{ "flush all", "Error: argument \"all\" is wrong: unexpected; only \"source static|learned\" may follow\n" },
		{ "flush source", "Error: \"source\" needs a value.\n" },
		{ "show 10.0.0.0/8 extra",
		  "Error: argument \"extra\" is wrong: unexpected; only \"source static|learned\" may follow\n" },
		{ "show source learned x",
		  "Error: argument \"x\" is wrong: unexpected after \"source learned\"\n" },
	};
	struct fixture *f = *state;
	struct profile_req r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (parse(f, cases[i].line, &r) != -1)
			fail_msg("accepted \"%s\"", cases[i].line);
		if (strcmp(errtext(f), cases[i].err))
			fail_msg("\"%s\":\n  expected: %s  got:      %s", cases[i].line,
				 cases[i].err, errtext(f));
	}
}

static void test_other_commands(void **state)
{
	struct fixture *f = *state;
	struct profile_req r;

	assert_int_equal(parse(f, "", &r), 0);
	assert_int_equal(r.cmd, PROFILE_SHOW);
	assert_false(r.has_prefix);
	assert_int_equal(r.source, -1);
	assert_int_equal(parse(f, "sh fd00::/16", &r), 0);
	assert_int_equal(r.cmd, PROFILE_SHOW);
	assert_true(r.has_prefix);
	assert_int_equal(parse(f, "list source static", &r), 0);
	assert_false(r.has_prefix);
	assert_int_equal(r.source, DACC_SOURCE_STATIC);
	assert_int_equal(parse(f, "flush", &r), 0);
	assert_int_equal(r.cmd, PROFILE_FLUSH);
	assert_int_equal(r.source, -1);
	assert_int_equal(parse(f, "flush source learned", &r), 0);
	assert_int_equal(r.source, DACC_SOURCE_LEARNED);
	assert_int_equal(parse(f, "delete 10.0.0.0/8", &r), 0);
	assert_int_equal(r.cmd, PROFILE_DEL);
	assert_int_equal(parse(f, "get 10.1.2.3", &r), 0);
	assert_int_equal(r.cmd, PROFILE_GET);
	assert_int_equal(r.p.prefix.plen, 32);
	assert_int_equal(parse(f, "get 2001:db8::1/128", &r), 0);
	assert_int_equal(parse(f, "help", &r), 0);
	assert_int_equal(r.cmd, PROFILE_HELP);
}

static void test_split(void **state)
{
	char line[256], *argv[8];
	const char *why = NULL;

	strcpy(line, "  profile add\t10.0.0.0/8 rtt 1ms  # a comment\n");
	assert_int_equal(split_line(line, argv, 8, &why), 5);
	assert_string_equal(argv[0], "profile");
	assert_string_equal(argv[2], "10.0.0.0/8");
	assert_string_equal(argv[4], "1ms");

	strcpy(line, "profile 'sh ow' \"a\"b'c'\r\n");
	assert_int_equal(split_line(line, argv, 8, &why), 3);
	assert_string_equal(argv[1], "sh ow");
	assert_string_equal(argv[2], "abc");

	strcpy(line, "a#b #c");
	assert_int_equal(split_line(line, argv, 8, &why), 1);
	assert_string_equal(argv[0], "a#b");

	strcpy(line, "   # only a comment");
	assert_int_equal(split_line(line, argv, 8, &why), 0);
	strcpy(line, "\n");
	assert_int_equal(split_line(line, argv, 8, &why), 0);
	strcpy(line, "''");
	assert_int_equal(split_line(line, argv, 8, &why), 1);
	assert_string_equal(argv[0], "");

	strcpy(line, "profile 'open");
	assert_int_equal(split_line(line, argv, 8, &why), -1);
	assert_string_equal(why, "a quote is not closed");
	strcpy(line, "1 2 3 4 5 6 7 8 9");
	assert_int_equal(split_line(line, argv, 8, &why), -1);
	assert_string_equal(why, "too many words");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keywords),
		cmocka_unit_test_setup_teardown(test_add_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_minimal_and_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_commands, setup, teardown),
		cmocka_unit_test(test_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
