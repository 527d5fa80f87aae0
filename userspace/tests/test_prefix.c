// SPDX-License-Identifier: GPL-2.0
/* Prefixes as dacc reads and prints them: both families, every length,
 * host bits refused or cleared, and everything that is not a prefix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "dacc_nl.h"

static void check_ok(const char *in, uint16_t family, uint8_t plen, const char *out)
{
	struct dacc_prefix p;
	char b[DACC_PREFIX_STRLEN];

	assert_int_equal(dacc_prefix_parse(in, &p, false), 0);
	assert_int_equal(p.family, family);
	assert_int_equal(p.plen, plen);
	assert_string_equal(dacc_prefix_format(&p, b, sizeof(b)), out);
}

static void test_parse_v4(void **state)
{
	check_ok("10.20.0.0/16", AF_INET, 16, "10.20.0.0/16");
	check_ok("0.0.0.0/0", AF_INET, 0, "0.0.0.0/0");
	check_ok("10.0.0.0/8", AF_INET, 8, "10.0.0.0/8");
	check_ok("192.0.2.7/32", AF_INET, 32, "192.0.2.7/32");
	check_ok("192.0.2.7", AF_INET, 32, "192.0.2.7/32");
	check_ok("128.0.0.0/1", AF_INET, 1, "128.0.0.0/1");
	check_ok("10.0.0.0/08", AF_INET, 8, "10.0.0.0/8");
}

static void test_parse_v6(void **state)
{
	check_ok("fd00::/16", AF_INET6, 16, "fd00::/16");
	check_ok("::/0", AF_INET6, 0, "::/0");
	check_ok("2001:db8::1", AF_INET6, 128, "2001:db8::1/128");
	check_ok("2001:DB8:0:0::/64", AF_INET6, 64, "2001:db8::/64");
	check_ok("::ffff:10.0.0.0/104", AF_INET6, 104, "::ffff:10.0.0.0/104");
	check_ok("fd00:0:0:1::/127", AF_INET6, 127, "fd00:0:0:1::/127");
}

/* Every length of each family: the last set bit decides. */
static void test_every_length(void **state)
{
	struct dacc_prefix p;
	char in[64];

	for (int plen = 0; plen <= 32; plen++) {
		snprintf(in, sizeof(in), "255.255.255.255/%d", plen);
		assert_int_equal(dacc_prefix_parse(in, &p, plen == 32 ? false : true), 0);
		assert_int_equal(p.plen, plen);
		assert_int_equal(ntohl(p.addr.v4.s_addr),
				 plen ? (uint32_t)(0xffffffffULL << (32 - plen)) : 0);
		assert_int_equal(dacc_prefix_parse(in, &p, false), plen == 32 ? 0 : -EINVAL);
	}
	for (int plen = 0; plen <= 128; plen++) {
		int bits = 0;

		snprintf(in, sizeof(in), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/%d", plen);
		assert_int_equal(dacc_prefix_parse(in, &p, true), 0);
		for (int i = 0; i < 16; i++)
			bits += __builtin_popcount(p.addr.raw[i]);
		assert_int_equal(bits, plen);
	}
}

static void test_host_bits(void **state)
{
	struct dacc_prefix p;
	char b[DACC_PREFIX_STRLEN];

	assert_int_equal(dacc_prefix_parse("10.1.2.3/8", &p, false), -EINVAL);
	assert_int_equal(dacc_prefix_parse("10.1.2.3/8", &p, true), 0);
	assert_string_equal(dacc_prefix_format(&p, b, sizeof(b)), "10.0.0.0/8");
	assert_int_equal(dacc_prefix_parse("fd00::1/64", &p, false), -EINVAL);
	assert_int_equal(dacc_prefix_parse("fd00::1/64", &p, true), 0);
	assert_string_equal(dacc_prefix_format(&p, b, sizeof(b)), "fd00::/64");
	assert_int_equal(dacc_prefix_parse("1.0.0.0/0", &p, false), -EINVAL);
}

static void test_reject(void **state)
{
	static const char *const bad[] = {
		"", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8",
		"10.0.0.0/8x", "10.0.0.0/ 8", "10.0.0.0/0x8", "10.0.0.0/0008",
		"10.0.0/8", "10.0.0.256/32", "1.2.3.4.5", "10.0.0.0/8/8", "fd00::/129",
		"fd00::/1000", "fe80::1%eth0", "fd00:::/16", "::g/16", "localhost",
		"10.0.0.0 /8", " 10.0.0.0/8", "10.0.0.0/8 ", "0x0a000000/8",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/16",
	};
	struct dacc_prefix p = { .family = 77 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dacc_prefix_parse(bad[i], &p, true) != -EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(p.family, 77);	/* untouched on error */
	}
	assert_int_equal(dacc_prefix_parse(NULL, &p, true), -EINVAL);
}

/* What is printed reads back as the same prefix. */
static void test_round_trip(void **state)
{
	static const char *const in[] = {
		"0.0.0.0/0", "10.0.0.0/8", "10.20.0.0/16", "10.20.30.40/32", "::/0",
		"fd00::/8", "2001:db8:1:2:3:4:5:6/128", "::1/128", "::ffff:0.0.0.0/96",
	};
	struct dacc_prefix p, q;
	char b[DACC_PREFIX_STRLEN];

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		assert_int_equal(dacc_prefix_parse(in[i], &p, false), 0);
		dacc_prefix_format(&p, b, sizeof(b));
		assert_int_equal(dacc_prefix_parse(b, &q, false), 0);
		assert_memory_equal(&p, &q, sizeof(p));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4),
		cmocka_unit_test(test_parse_v6),
		cmocka_unit_test(test_every_length),
		cmocka_unit_test(test_host_bits),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
