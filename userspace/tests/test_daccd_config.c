// SPDX-License-Identifier: GPL-2.0
/* daccd's configuration: a full file read back, defaults, and every kind of
 * bad line refused with a message that names the line.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../daccd/config.h"

static const char full[] =
	"listen = { stamp_port = 8620; reflector = true; reflector_max_pps = 500; };\n"
	"probe = { interval_ms = 200; timeout_ms = 1500; max_pps = 30; source_port = 8621; };\n"
	"passive = { enabled = false; interval_ms = 500; };\n"
	"estimator = { window_ms = 30000; percentile = 5; min_samples = 6;\n"
	"  change_samples = 8; change_ms = 1000; stale_ms = 3000; };\n"
	"push = { hysteresis_pct = 5; hysteresis_min_us = 300; kernel_poll_ms = 1000; };\n"
	"state_dir = \"/tmp/x\";\n"
	"metrics = { listen = \"127.0.0.1:9862\"; file = \"/tmp/m.prom\"; kernel_profiles_max = 0; };\n"
	"destinations = (\n"
	"  { prefix = \"10.3.0.0/24\"; targets = [\"10.3.0.2\", \"10.3.0.3\"]; method = \"stamp\"; },\n"
	"  { prefix = \"fd00:13::/64\"; targets = [\"fd00:13::2\"]; method = \"icmp\";\n"
	"    interval_ms = 1000; },\n"
	"  { prefix = \"10.9.0.0/16\"; method = \"passive\"; port = 9000; }\n"
	");\n";

static void test_full(void **state)
{
	char err[256] = "";
	struct dcfg *c = dcfg_parse(full, "t.conf", err, sizeof(err));
	struct sockaddr_in *s4;

	assert_non_null(c);
	assert_int_equal(c->stamp_port, 8620);
	assert_int_equal(c->reflector_max_pps, 500);
	assert_int_equal(c->interval_ms, 200);
	assert_int_equal(c->timeout_ms, 1500);
	assert_int_equal(c->max_pps, 30);
	assert_int_equal(c->source_port, 8621);
	assert_false(c->passive_enabled);
	assert_int_equal(c->est.window_ms, 30000);
	assert_int_equal(c->est.pct, 5);
	assert_int_equal(c->est.min_samples, 6);
	assert_int_equal(c->hyst_pct, 5);
	assert_string_equal(c->state_dir, "/tmp/x");
	assert_string_equal(c->metrics_listen, "127.0.0.1:9862");
	assert_int_equal(c->metrics_kernel_profiles_max, 0);
	assert_int_equal(c->ndests, 3);
	assert_int_equal(c->dests[0].prefix.family, AF_INET);
	assert_int_equal(c->dests[0].prefix.plen, 24);
	assert_int_equal(c->dests[0].ntargets, 2);
	assert_int_equal(c->dests[0].method, DCFG_METHOD_STAMP);
	assert_int_equal(c->dests[0].interval_ms, 200);	/* the global one */
	assert_int_equal(c->dests[0].port, 862);
	assert_int_equal(c->dests[0].line, 10);
	s4 = (struct sockaddr_in *)&c->dests[0].targets[1];
	assert_int_equal(s4->sin_addr.s_addr, inet_addr("10.3.0.3"));
	assert_int_equal(c->dests[1].prefix.family, AF_INET6);
	assert_int_equal(c->dests[1].method, DCFG_METHOD_ICMP);
	assert_int_equal(c->dests[1].interval_ms, 1000);
	assert_int_equal(c->dests[2].method, DCFG_METHOD_PASSIVE);
	assert_int_equal(c->dests[2].ntargets, 0);
	assert_int_equal(c->dests[2].port, 9000);
	assert_int_equal(dcfg_find_dest(c, &c->dests[1].prefix), 1);
	dcfg_free(c);
}

static void test_defaults(void **state)
{
	char err[256] = "";
	struct dcfg *c = dcfg_parse("", "empty.conf", err, sizeof(err));

	assert_non_null(c);
	assert_int_equal(c->stamp_port, 862);
	assert_true(c->reflector);
	assert_true(c->probe_enabled);
	assert_true(c->passive_enabled);
	assert_int_equal(c->interval_ms, 1000);
	assert_string_equal(c->state_dir, "/var/lib/dacc");
	assert_string_equal(c->metrics_listen, "");
	assert_int_equal(c->metrics_kernel_profiles_max, 1024);
	assert_int_equal(c->ndests, 0);
	dcfg_free(c);
}

/* Each bad config: the error must start with the expected "name:line:"
 * and contain the word that is wrong.
 */
static void test_errors(void **state)
{
	static const struct { const char *text, *where, *word; } bad[] = {
		{ "probe = { interval_ms = ; };\n", "b.conf:1:", "syntax" },
		{ "probe = {\n interval_ms = 100;\n\n", "b.conf:4:", "syntax" },
		{ "\nprobe = { interval_ms = 5; };\n", "b.conf:2:", "probe.interval_ms" },
		{ "probe = {\n  interval = 100; };\n", "b.conf:2:", "probe.interval" },
		{ "probe = { interval_ms = \"100\"; };\n", "b.conf:1:", "integer" },
		{ "probe = { enabled = 1; };\n", "b.conf:1:", "true or false" },
		{ "colour = 3;\n", "b.conf:1:", "colour" },
		{ "listen = 862;\n", "b.conf:1:", "group" },
		{ "listen = { stamp_port = 70000; };\n", "b.conf:1:", "stamp_port" },
		{ "state_dir = \"relative\";\n", "b.conf:1:", "absolute" },
		{ "metrics = { listen = \"localhost\"; };\n", "b.conf:1:", "ADDRESS:PORT" },
		{ "metrics = { listen = \"1.2.3.4:0\"; };\n", "b.conf:1:", "ADDRESS:PORT" },
		{ "metrics = { kernel_profiles_max = 65537; };\n", "b.conf:1:", "kernel_profiles_max" },
		{ "metrics = { kernel_profiles_max = -1; };\n", "b.conf:1:", "kernel_profiles_max" },
		{ "destinations = (\n{ prefix = \"10.0.0.1/8\"; targets = [\"10.0.0.1\"]; }\n);\n",
		  "b.conf:2:", "10.0.0.1/8" },
		{ "destinations = (\n{ prefix = \"10.0.0.0/8\";\n targets = [\"11.0.0.1\"]; }\n);\n",
		  "b.conf:3:", "11.0.0.1" },
		{ "destinations = (\n{ prefix = \"10.0.0.0/8\";\n targets = [\"10.0.0.x\"]; }\n);\n",
		  "b.conf:3:", "10.0.0.x" },
		{ "destinations = (\n{ prefix = \"10.0.0.0/8\"; }\n);\n", "b.conf:2:", "targets" },
		{ "destinations = (\n{ prefix = \"10.0.0.0/8\"; targets = [\"10.0.0.1\"];\n"
		  "  method = \"carrier-pigeon\"; }\n);\n", "b.conf:3:", "carrier-pigeon" },
		{ "destinations = (\n{ targets = [\"10.0.0.1\"]; }\n);\n", "b.conf:2:", "prefix" },
		{ "destinations = (\n{ prefix = \"10.0.0.0/8\"; targets = [\"10.0.0.1\"]; },\n"
		  "{ prefix = \"10.0.0.0/8\"; targets = [\"10.0.0.2\"]; }\n);\n",
		  "b.conf:3:", "twice" },
		{ "destinations = (\n{ prefix = \"10.0.0.0/8\"; targets = [\"10.0.0.1\"];\n"
		  "  colour = \"red\"; }\n);\n", "b.conf:3:", "colour" },
		{ "destinations = (\n{ prefix = \"10.0.0.0/8\"; targets = [\"10.0.0.1\"];\n"
		  "  interval_ms = 1; }\n);\n", "b.conf:3:", "interval_ms" },
		{ "destinations = { prefix = \"10.0.0.0/8\"; };\n", "b.conf:1:", "list" },
		/* probes to broadcast and multicast addresses */
		{ "destinations = (\n{ prefix = \"224.0.0.0/4\";\n targets = [\"224.0.0.1\"]; }\n);\n",
		  "b.conf:3:", "224.0.0.1" },
		{ "destinations = (\n{ prefix = \"255.255.255.255/32\";\n"
		  " targets = [\"255.255.255.255\"]; }\n);\n", "b.conf:3:", "unicast" },
		{ "destinations = (\n{ prefix = \"ff02::/16\";\n targets = [\"ff02::1\"]; }\n);\n",
		  "b.conf:3:", "ff02::1" },
		{ "destinations = (\n{ prefix = \"::/0\";\n targets = [\"::ffff:239.1.1.1\"]; }\n);\n",
		  "b.conf:3:", "unicast" },
		/* more probes outstanding than daccd tracks */
		{ "probe = { max_pps = 10000;\n timeout_ms = 1000; };\n", "b.conf:1:", "timeout_ms" },
		{ "probe = { source_port = 862; };\n", "b.conf:1:", "1024" },
		/* ports with a sign or blanks */
		{ "metrics = { listen = \"127.0.0.1:+80\"; };\n", "b.conf:1:", "ADDRESS:PORT" },
		{ "metrics = { listen = \"127.0.0.1: 80\"; };\n", "b.conf:1:", "ADDRESS:PORT" },
		{ "metrics = { listen = \"127.0.0.1:080000\"; };\n", "b.conf:1:", "ADDRESS:PORT" },
		/* the reflector's addresses and sources */
		{ "listen = { bind = [\"10.0.0.256\"]; };\n", "b.conf:1:", "10.0.0.256" },
		{ "listen = { bind = [\"255.255.255.255\"]; };\n", "b.conf:1:", "unicast" },
		{ "listen = { bind = [\"0.0.0.0\"]; };\n", "b.conf:1:", "unicast" },
		{ "listen = { bind = [\"10.0.0.1\", \"10.0.0.1\"]; };\n", "b.conf:1:", "twice" },
		{ "listen = { bind = \"10.0.0.1\"; };\n", "b.conf:1:", "list" },
		{ "listen = { bind = [1]; };\n", "b.conf:1:", "string" },
		{ "listen = { allow = [\"10.0.0.1/8\"]; };\n", "b.conf:1:", "10.0.0.1/8" },
		{ "listen = { allow = []; };\n", "b.conf:1:", "empty" },
		{ "listen = { reflector_max_pps_per_source = 0; };\n", "b.conf:1:",
		  "reflector_max_pps_per_source" },
		{ "state_max_age_ms = 10;\n", "b.conf:1:", "state_max_age_ms" },
		/* one file: libconfig would open an @include itself */
		{ "probe = { enabled = true; };\n@include \"/etc\"\n", "b.conf:2:", "@include" },
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dcfg *c;

		err[0] = 0;
		c = dcfg_parse(bad[i].text, "b.conf", err, sizeof(err));
		if (c || strncmp(err, bad[i].where, strlen(bad[i].where)) ||
		    !strstr(err, bad[i].word)) {
			dcfg_free(c);
			fail_msg("config %zu: expected an error at \"%s\" naming \"%s\", got \"%s\"",
				 i, bad[i].where, bad[i].word, c ? "(accepted)" : err);
		}
	}
}

static void test_missing_file(void **state)
{
	char err[256] = "";

	assert_null(dcfg_load("/nonexistent/daccd.conf", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/daccd.conf"));
	assert_non_null(strstr(err, "No such file"));
}

static void test_not_a_file(void **state)
{
	char err[256] = "";

	/* a directory: libconfig's own reader would exit(2) on it */
	assert_null(dcfg_load("/tmp", err, sizeof(err)));
	assert_non_null(strstr(err, "/tmp: is a directory"));
	assert_null(dcfg_load("/dev/null", err, sizeof(err)) ? (void *)1 : NULL);
	err[0] = 0;
	assert_null(dcfg_load("/dev/zero", err, sizeof(err)));
	assert_non_null(strstr(err, "not a regular file"));
	assert_null(dcfg_parse_len("a = 1;\0b = 2;", 13, "n.conf", err, sizeof(err)));
	assert_non_null(strstr(err, "NUL"));
}

static void test_reflector_settings(void **state)
{
	static const char text[] =
		"listen = { bind = [\"192.0.2.1\", \"2001:db8::1\"];\n"
		"  allow = [\"10.0.0.0/8\", \"2001:db8::/32\"];\n"
		"  reflector_max_pps_per_source = 7; };\n"
		"state_max_age_ms = 60000;\n";
	char err[256] = "";
	struct dcfg *c = dcfg_parse(text, "r.conf", err, sizeof(err));
	struct in6_addr a6;
	struct in_addr a4;

	if (!c)
		fail_msg("expected the config accepted, got \"%s\"", err);
	assert_int_equal(c->nbind, 2);
	assert_int_equal(c->bind[0].ss_family, AF_INET);
	assert_int_equal(((struct sockaddr_in *)&c->bind[0])->sin_addr.s_addr,
			 inet_addr("192.0.2.1"));
	assert_int_equal(c->bind[1].ss_family, AF_INET6);
	assert_int_equal(c->nallow, 2);
	assert_int_equal(c->reflector_max_pps_source, 7);
	assert_int_equal(c->state_max_age_ms, 60000);
	inet_pton(AF_INET, "10.1.2.3", &a4);
	assert_true(dcfg_allowed(c, AF_INET, &a4));
	inet_pton(AF_INET, "11.1.2.3", &a4);
	assert_false(dcfg_allowed(c, AF_INET, &a4));
	inet_pton(AF_INET6, "2001:db8:5::1", &a6);
	assert_true(dcfg_allowed(c, AF_INET6, &a6));
	inet_pton(AF_INET6, "2001:db9::1", &a6);
	assert_false(dcfg_allowed(c, AF_INET6, &a6));
	dcfg_free(c);

	/* defaults: the wildcard, every source, a day of state */
	c = dcfg_parse("", "d.conf", err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(c->nbind, 0);
	assert_int_equal(c->nallow, 0);
	assert_true(dcfg_allowed(c, AF_INET, &a4));
	assert_int_equal(c->reflector_max_pps_source, 100);
	assert_int_equal(c->state_max_age_ms, 86400000);
	dcfg_free(c);
}

static void test_unicast(void **state)
{
	static const struct { const char *a; bool ok; } v[] = {
		{ "10.0.0.1", true }, { "192.0.2.255", true }, { "223.255.255.254", true },
		{ "0.0.0.0", false }, { "0.1.2.3", false }, { "224.0.0.1", false },
		{ "239.255.255.250", false }, { "255.255.255.255", false }, { "240.0.0.1", false },
		{ "2001:db8::1", true }, { "::1", true }, { "fe80::1", true }, { "::", false },
		{ "ff02::1", false }, { "ff05::2", false }, { "::ffff:10.0.0.1", true },
		{ "::ffff:224.0.0.1", false }, { "::ffff:255.255.255.255", false },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t a[16];
		int fam = strchr(v[i].a, ':') ? AF_INET6 : AF_INET;

		assert_int_equal(inet_pton(fam, v[i].a, a), 1);
		if (dcfg_unicast(fam, a) != v[i].ok)
			fail_msg("%s: expected %s, got the opposite", v[i].a,
				 v[i].ok ? "unicast" : "not unicast");
	}
}

static void test_prefix_contains(void **state)
{
	struct dacc_prefix p;
	struct in_addr a;

	assert_int_equal(dacc_prefix_parse("10.3.0.0/23", &p, false), 0);
	inet_pton(AF_INET, "10.3.1.77", &a);
	assert_true(dacc_prefix_contains(&p, AF_INET, &a));
	inet_pton(AF_INET, "10.3.2.1", &a);
	assert_false(dacc_prefix_contains(&p, AF_INET, &a));
	assert_false(dacc_prefix_contains(&p, AF_INET6, &a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_prefix_contains),
		cmocka_unit_test(test_not_a_file),
		cmocka_unit_test(test_reflector_settings),
		cmocka_unit_test(test_unicast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
