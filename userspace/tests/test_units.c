// SPDX-License-Identifier: GPL-2.0
/* Units as tc writes them: parse, print, and refuse what is not a unit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "units.h"

static void test_time_parse(void **state)
{
	static const struct { const char *in; uint64_t us; } ok[] = {
		{ "48ms", 48000 }, { "300us", 300 }, { "1s", 1000000 },
		{ "1.5ms", 1500 }, { "250", 250 }, { "0.2ms", 200 },
		{ "10sec", 10000000 }, { "2MS", 2000 }, { "100msec", 100000 },
	};
	uint64_t us;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		us = 0;
		assert_int_equal(dacc_parse_time_us(ok[i].in, &us), 0);
		assert_int_equal(us, ok[i].us);
	}
}

static void test_time_reject(void **state)
{
	static const char *const bad[] = {
		"", "ms", "-5ms", "+5ms", "5 ms", " 5ms", "5mss", "5m", "abc",
		"inf", "nan", "0x10ms", "1e3ms", "5hours", "3601s",
	};
	uint64_t us = 77;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(dacc_parse_time_us(bad[i], &us), -1);
		assert_int_equal(us, 77);	/* untouched on error */
	}
	assert_int_equal(dacc_parse_time_us(NULL, &us), -1);
}

static void test_rate_parse(void **state)
{
	static const struct { const char *in; uint64_t bps; } ok[] = {
		{ "100gbit", 100000000000ULL }, { "10mbit", 10000000 },
		{ "1kbit", 1000 }, { "1kibit", 1024 }, { "125mbps", 1000000000 },
		{ "1.5gbit", 1500000000 }, { "64000", 64000 }, { "2Tbit", 2000000000000ULL },
	};
	uint64_t bps;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		bps = 0;
		assert_int_equal(dacc_parse_rate_bps(ok[i].in, &bps), 0);
		assert_int_equal(bps, ok[i].bps);
	}
	assert_int_equal(dacc_parse_rate_bps("fast", &bps), -1);
	assert_int_equal(dacc_parse_rate_bps("10mbitt", &bps), -1);
	assert_int_equal(dacc_parse_rate_bps("-1gbit", &bps), -1);
}

static void test_format(void **state)
{
	char b[32];

	assert_string_equal(dacc_format_time(b, sizeof(b), 48000), "48ms");
	assert_string_equal(dacc_format_time(b, sizeof(b), 2500), "2.5ms");
	assert_string_equal(dacc_format_time(b, sizeof(b), 300), "300us");
	assert_string_equal(dacc_format_time(b, sizeof(b), 1200000), "1.2s");
	assert_string_equal(dacc_format_time(b, sizeof(b), 0), "0us");
	assert_string_equal(dacc_format_rate(b, sizeof(b), 100000000000ULL), "100Gbit");
	assert_string_equal(dacc_format_rate(b, sizeof(b), 2500000), "2.5Mbit");
	assert_string_equal(dacc_format_rate(b, sizeof(b), 999), "999bit");
}

/* What is printed parses back to the same value. */
static void test_round_trip(void **state)
{
	static const uint64_t times[] = { 1, 999, 1000, 1001, 48000, 123456, 10000000,
					  1234567, 3599999999ULL, 1000001 };
	static const uint64_t rates[] = { 1, 999, 1001, 1234567891ULL, 1600000000000ULL,
					  1599999999999ULL, 8000000001ULL, 1000000000000000000ULL };
	uint64_t v, x = 88172645463325252ULL;
	char b[48];
	int i;

	for (size_t k = 0; k < sizeof(times) / sizeof(times[0]); k++) {
		dacc_format_time(b, sizeof(b), times[k]);
		assert_int_equal(dacc_parse_time_us(b, &v), 0);
		if (v != times[k])
			fail_msg("time %llu printed as %s parses as %llu",
				 (unsigned long long)times[k], b, (unsigned long long)v);
	}
	for (size_t k = 0; k < sizeof(rates) / sizeof(rates[0]); k++) {
		dacc_format_rate(b, sizeof(b), rates[k]);
		assert_int_equal(dacc_parse_rate_bps(b, &v), 0);
		if (v != rates[k])
			fail_msg("rate %llu printed as %s parses as %llu",
				 (unsigned long long)rates[k], b, (unsigned long long)v);
	}
	/* and 100000 values of every size (xorshift) */
	for (i = 0; i < 100000; i++) {
		uint64_t t, r;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		t = (x >> (i % 40)) % 3600000001ULL;
		r = (x >> (i % 60)) % 1000000000000000001ULL;
		dacc_format_time(b, sizeof(b), t);
		if (dacc_parse_time_us(b, &v) || v != t)
			fail_msg("time %llu printed as %s does not parse back",
				 (unsigned long long)t, b);
		dacc_format_rate(b, sizeof(b), r);
		if (dacc_parse_rate_bps(b, &v) || v != r)
			fail_msg("rate %llu printed as %s does not parse back",
				 (unsigned long long)r, b);
	}
	/* exact, and still short where it can be */
	assert_string_equal(dacc_format_time(b, sizeof(b), 1234567), "1234.567ms");
	assert_string_equal(dacc_format_time(b, sizeof(b), 1234000), "1.234s");
	assert_string_equal(dacc_format_rate(b, sizeof(b), 1234567891ULL), "1234567.891Kbit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_time_reject),
		cmocka_unit_test(test_rate_parse),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
