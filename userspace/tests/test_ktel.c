// SPDX-License-Identifier: GPL-2.0
/* The kernel's telemetry as daccd exports it: units (seconds, bytes,
 * ratios, exactly), one HELP/TYPE per family, series only where the
 * profile has the value, the export bound, and Prometheus's own linter
 * (promtool check metrics) on the result.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "../daccd/ktel.h"

static struct dacc_profile prof(const char *prefix, uint32_t rtt_us)
{
	struct dacc_profile p = { .rtt_us = rtt_us, .source = DACC_SOURCE_STATIC };

	assert_int_equal(dacc_prefix_parse(prefix, &p.prefix, false), 0);
	return p;
}

/* Two profiles: one with every field, one learned with only its RTT. */
static char *render(unsigned int max, unsigned int *n)
{
	struct dacc_profile a = prof("10.2.0.0/24", 20000), b = prof("fd00:13::/64", 100500);
	struct ktel t;
	char *buf = NULL;
	size_t len;
	FILE *f;

	a.has_rttvar = a.has_bw = a.has_loss = true;
	a.rttvar_us = 1500;
	a.bw_bps = 20000000;
	a.loss_ppm = 100;
	a.age_ms = 61234;
	a.flows = 3;
	a.bytes_acked = 5000000000ULL;
	a.retrans = 17;
	a.min_rtt_us = 20112;
	a.srtt_us = 25000;
	b.source = DACC_SOURCE_LEARNED;
	b.age_ms = 5;
	assert_int_equal(ktel_init(&t, max), 0);
	assert_int_equal(ktel_add(&a, &t), 0);
	assert_int_equal(ktel_add(&b, &t), 0);
	t.up = true;
	t.st.profiles = 2;
	t.st.max_profiles = 65536;
	t.st.lookups = 9;
	t.st.hits = 7;
	t.st.adds = 4;
	t.st.dels = 2;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	ktel_render(f, &t);
	assert_int_equal(fclose(f), 0);
	*n = t.n;
	ktel_free(&t);
	return buf;
}

static void has(const char *text, const char *line)
{
	const char *p = text;
	size_t l = strlen(line);

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && (p[l] == '\n' || !p[l]))
			return;
		p += l;
	}
	fail_msg("expected the line '%s' in:\n%s", line, text);
}

static unsigned int count(const char *text, const char *needle)
{
	unsigned int n = 0;
	const char *p = text;

	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static void test_units(void **state)
{
	unsigned int n;
	char *m = render(16, &n);

	(void)state;
	assert_int_equal(n, 2);
	has(m, "dacc_profile_base_rtt_seconds{prefix=\"10.2.0.0/24\",source=\"static\"} 0.020000");
	has(m, "dacc_profile_base_rtt_seconds{prefix=\"fd00:13::/64\",source=\"learned\"} 0.100500");
	has(m, "dacc_profile_rtt_variation_seconds{prefix=\"10.2.0.0/24\",source=\"static\"} 0.001500");
	has(m, "dacc_profile_bandwidth_hint_bytes_per_second{prefix=\"10.2.0.0/24\",source=\"static\"} 2500000");
	has(m, "dacc_profile_loss_baseline_ratio{prefix=\"10.2.0.0/24\",source=\"static\"} 0.000100");
	has(m, "dacc_profile_age_seconds{prefix=\"10.2.0.0/24\",source=\"static\"} 61.234000");
	has(m, "dacc_profile_flows_total{prefix=\"10.2.0.0/24\",source=\"static\"} 3");
	has(m, "dacc_profile_acked_bytes_total{prefix=\"10.2.0.0/24\",source=\"static\"} 5000000000");
	has(m, "dacc_profile_retransmitted_segments_total{prefix=\"10.2.0.0/24\",source=\"static\"} 17");
	has(m, "dacc_profile_rtt_min_seconds{prefix=\"10.2.0.0/24\",source=\"static\"} 0.020112");
	has(m, "dacc_profile_rtt_smoothed_seconds{prefix=\"10.2.0.0/24\",source=\"static\"} 0.025000");
	has(m, "dacc_profile_queueing_seconds{prefix=\"10.2.0.0/24\",source=\"static\"} 0.005000");
	/* counters are there from zero; what was never seen is absent */
	has(m, "dacc_profile_flows_total{prefix=\"fd00:13::/64\",source=\"learned\"} 0");
	assert_null(strstr(m, "dacc_profile_rtt_min_seconds{prefix=\"fd00:13::/64\""));
	assert_null(strstr(m, "dacc_profile_queueing_seconds{prefix=\"fd00:13::/64\""));
	assert_null(strstr(m, "dacc_profile_bandwidth_hint_bytes_per_second{prefix=\"fd00:13::/64\""));
	has(m, "dacc_table_profiles 2");
	has(m, "dacc_table_profiles_max 65536");
	has(m, "dacc_table_lookups_total 9");
	has(m, "dacc_table_lookup_hits_total 7");
	has(m, "dacc_table_adds_total 4");
	has(m, "dacc_table_deletes_total 2");
	has(m, "dacc_table_profiles_exported 2");
	/* one HELP and one TYPE per family, before its samples */
	assert_int_equal(count(m, "# TYPE dacc_profile_base_rtt_seconds gauge\n"), 1);
	assert_int_equal(count(m, "# HELP dacc_profile_flows_total "), 1);
	assert_true(strstr(m, "# TYPE dacc_profile_flows_total counter\n") <
		    strstr(m, "dacc_profile_flows_total{"));
	free(m);
}

static void test_bound(void **state)
{
	unsigned int n;
	char *m = render(1, &n);

	(void)state;
	assert_int_equal(n, 1);
	has(m, "dacc_table_profiles 2");
	has(m, "dacc_table_profiles_exported 1");
	assert_int_equal(count(m, "dacc_profile_base_rtt_seconds{"), 1);
	free(m);
	m = render(0, &n);
	assert_int_equal(n, 0);
	has(m, "dacc_table_profiles 2");
	assert_null(strstr(m, "dacc_profile_"));
	free(m);
}

static void test_down(void **state)
{
	struct ktel t;
	char *buf = NULL;
	size_t len;
	FILE *f;

	(void)state;
	assert_int_equal(ktel_init(&t, 4), 0);
	f = open_memstream(&buf, &len);
	ktel_render(f, &t);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(len, 0);	/* no module: nothing, not zeros */
	free(buf);
	ktel_free(&t);
}

/* promtool check metrics: exit 0 and no lint message. */
static void test_promtool(void **state)
{
	const char *tool = getenv("PROMTOOL") ? getenv("PROMTOOL") : "promtool";
	char cmd[512], out[4096] = "", path[] = "/tmp/test_ktel.XXXXXX";
	unsigned int n;
	char *m = render(16, &n);
	ssize_t got;
	FILE *p;
	int st, fd;

	(void)state;
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null", tool);
	if (system(cmd)) {
		free(m);
		print_message("# no promtool at %s (make deps unpacks it from Debian's prometheus)\n", tool);
		skip();
	}
	fd = mkstemp(path);
	assert_true(fd >= 0);
	snprintf(cmd, sizeof(cmd), "%s check metrics >%s 2>&1", tool, path);
	p = popen(cmd, "w");
	assert_non_null(p);
	assert_int_equal(fwrite(m, 1, strlen(m), p), strlen(m));
	st = pclose(p);
	got = read(fd, out, sizeof(out) - 1);
	close(fd);
	unlink(path);
	assert_true(got >= 0);
	out[got] = 0;
	if (!WIFEXITED(st) || WEXITSTATUS(st) || got)
		fail_msg("expected promtool check metrics clean, got status %d: %s", st, out);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_down),
		cmocka_unit_test(test_promtool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
