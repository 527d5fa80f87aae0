// SPDX-License-Identifier: GPL-2.0
/* The STAMP codec against packets written byte by byte from the layouts of
 * RFC 8762 4.2.1 (Session-Sender) and 4.3.1 (Session-Reflector), and the
 * NTP arithmetic of the round-trip time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../daccd/stamp.h"

/* Sender: seq 0x01020304, timestamp 0xE2F3A4B5.C6D7E8F9, error estimate
 * S=1 Z=0 scale=0x16 multiplier=0x01, then 30 bytes MBZ.
 */
static const uint8_t sender_pkt[44] = {
	0x01, 0x02, 0x03, 0x04,				/* Sequence Number */
	0xE2, 0xF3, 0xA4, 0xB5, 0xC6, 0xD7, 0xE8, 0xF9,	/* Timestamp */
	0x96, 0x01,					/* Error Estimate */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* MBZ (30) */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Reflector: seq 0x0A0B0C0D, timestamp (t3) 0xE2F3A4B6.00000010, error
 * estimate 0x0001, MBZ, receive timestamp (t2) 0xE2F3A4B6.00000001, sender
 * seq 0x01020304, sender timestamp, sender error estimate 0x9601, MBZ,
 * sender TTL 0xFE, MBZ.
 */
static const uint8_t refl_pkt[44] = {
	0x0A, 0x0B, 0x0C, 0x0D,				/* Sequence Number */
	0xE2, 0xF3, 0xA4, 0xB6, 0x00, 0x00, 0x00, 0x10,	/* Timestamp */
	0x00, 0x01,					/* Error Estimate */
	0x00, 0x00,					/* MBZ */
	0xE2, 0xF3, 0xA4, 0xB6, 0x00, 0x00, 0x00, 0x01,	/* Receive Timestamp */
	0x01, 0x02, 0x03, 0x04,				/* Session-Sender Seq */
	0xE2, 0xF3, 0xA4, 0xB5, 0xC6, 0xD7, 0xE8, 0xF9,	/* Session-Sender Timestamp */
	0x96, 0x01,					/* Session-Sender Error Est. */
	0x00, 0x00,					/* MBZ */
	0xFE,						/* Ses-Sender TTL */
	0x00, 0x00, 0x00,				/* MBZ */
};

static void test_sender_encode(void **state)
{
	struct stamp_test t = { .seq = 0x01020304, .ts = 0xE2F3A4B5C6D7E8F9ULL, .err = 0x9601 };
	uint8_t buf[64];

	memset(buf, 0xAA, sizeof(buf));
	stamp_test_encode(&t, buf);
	assert_memory_equal(buf, sender_pkt, sizeof(sender_pkt));
	/* exactly 44 bytes written */
	assert_int_equal(buf[44], 0xAA);
}

static void test_sender_decode(void **state)
{
	struct stamp_test t;
	uint8_t big[100] = { 0 };

	assert_int_equal(stamp_test_decode(sender_pkt, sizeof(sender_pkt), &t), STAMP_OK);
	assert_int_equal(t.seq, 0x01020304);
	assert_true(t.ts == 0xE2F3A4B5C6D7E8F9ULL);
	assert_int_equal(t.err, 0x9601);
	assert_true(t.err & STAMP_ERR_S);
	assert_false(t.err & STAMP_ERR_Z);
	assert_int_equal(STAMP_ERR_SCALE(t.err), 0x16);
	assert_int_equal(STAMP_ERR_MULT(t.err), 0x01);
	/* longer packets (padding) decode the same */
	memcpy(big, sender_pkt, sizeof(sender_pkt));
	assert_int_equal(stamp_test_decode(big, sizeof(big), &t), STAMP_OK);
	assert_int_equal(t.seq, 0x01020304);
}

static void test_refl_encode(void **state)
{
	struct stamp_refl r = {
		.seq = 0x0A0B0C0D, .ts = 0xE2F3A4B600000010ULL, .err = 0x0001,
		.rx_ts = 0xE2F3A4B600000001ULL, .ss_seq = 0x01020304,
		.ss_ts = 0xE2F3A4B5C6D7E8F9ULL, .ss_err = 0x9601, .ss_ttl = 0xFE,
	};
	uint8_t buf[44];

	memset(buf, 0xAA, sizeof(buf));
	stamp_refl_encode(&r, buf);
	assert_memory_equal(buf, refl_pkt, sizeof(refl_pkt));
}

static void test_refl_decode(void **state)
{
	struct stamp_refl r;

	assert_int_equal(stamp_refl_decode(refl_pkt, sizeof(refl_pkt), &r), STAMP_OK);
	assert_int_equal(r.seq, 0x0A0B0C0D);
	assert_true(r.ts == 0xE2F3A4B600000010ULL);
	assert_int_equal(r.err, 1);
	assert_true(r.rx_ts == 0xE2F3A4B600000001ULL);
	assert_int_equal(r.ss_seq, 0x01020304);
	assert_true(r.ss_ts == 0xE2F3A4B5C6D7E8F9ULL);
	assert_int_equal(r.ss_err, 0x9601);
	assert_int_equal(r.ss_ttl, 0xFE);
}

static void test_truncated(void **state)
{
	struct stamp_test t;
	struct stamp_refl r;
	size_t len;

	for (len = 0; len < 44; len++) {
		assert_int_equal(stamp_test_decode(sender_pkt, len, &t), STAMP_E_SHORT);
		assert_int_equal(stamp_refl_decode(refl_pkt, len, &r), STAMP_E_SHORT);
	}
}

static void test_malformed(void **state)
{
	uint8_t p[44];
	struct stamp_refl r;

	/* Error Estimate multiplier zero: RFC 4656 says it MUST NOT be */
	memcpy(p, refl_pkt, sizeof(p));
	p[13] = 0;
	assert_int_equal(stamp_refl_decode(p, sizeof(p), &r), STAMP_E_ERR_EST);
	/* zero receive timestamp */
	memcpy(p, refl_pkt, sizeof(p));
	memset(p + 16, 0, 8);
	assert_int_equal(stamp_refl_decode(p, sizeof(p), &r), STAMP_E_TS);
	/* an all-zero packet */
	memset(p, 0, sizeof(p));
	assert_int_not_equal(stamp_refl_decode(p, sizeof(p), &r), STAMP_OK);
	assert_string_equal(stamp_strerror(STAMP_E_SHORT), "shorter than 44 bytes");
}

static void test_reflect(void **state)
{
	struct stamp_test t;
	struct stamp_refl r;
	uint8_t buf[44];

	assert_int_equal(stamp_test_decode(sender_pkt, sizeof(sender_pkt), &t), STAMP_OK);
	stamp_reflect(&t, 0xFE, 0xE2F3A4B600000001ULL, 0, 0x0001, &r);
	r.ts = 0xE2F3A4B600000010ULL;
	stamp_refl_encode(&r, buf);
	/* stateless: the reflector's sequence number is the sender's */
	assert_int_equal(r.seq, 0x01020304);
	assert_memory_equal(buf + 16, refl_pkt + 16, 28);
}

static void test_ntp(void **state)
{
	struct timespec ts = { 0, 0 }, back;

	/* the Unix epoch is 2208988800 s after the NTP epoch */
	assert_true(ntp_from_timespec(&ts) == 2208988800ULL << 32);
	ts.tv_nsec = 500000000;
	assert_true(ntp_from_timespec(&ts) == ((2208988800ULL << 32) | 0x80000000ULL));
	ts.tv_sec = 1700000000;
	ts.tv_nsec = 123456789;
	ntp_to_timespec(ntp_from_timespec(&ts), &back);
	assert_int_equal(back.tv_sec, ts.tv_sec);
	assert_true(back.tv_nsec - ts.tv_nsec <= 1 && ts.tv_nsec - back.tv_nsec <= 1);
	/* differences, both signs, across a second boundary */
	assert_int_equal(ntp_diff_ns(0xE2F3A4B5F0000000ULL, 0xE2F3A4B610000000ULL), 125000000);
	assert_int_equal(ntp_diff_ns(0xE2F3A4B610000000ULL, 0xE2F3A4B5F0000000ULL), -125000000);
}

static uint64_t ntp_ms(uint64_t s, uint64_t ms)
{
	struct timespec ts = { (time_t)s, (long)(ms * 1000000) };

	return ntp_from_timespec(&ts);
}

static void test_rtt(void **state)
{
	int64_t rtt;

	/* t1 = 1000.000, t2 = 5000.010, t3 = 5000.012, t4 = 1000.052 on two
	 * clocks 4000 s apart: 52 ms in total, 2 ms in the reflector.
	 */
	assert_true(stamp_rtt_ns(ntp_ms(1000, 0), ntp_ms(5000, 10), ntp_ms(5000, 12),
				 ntp_ms(1000, 52), &rtt));
	assert_true(rtt >= 50000000 - 2 && rtt <= 50000000 + 2);
	/* a reflector that answers before it received */
	assert_false(stamp_rtt_ns(ntp_ms(1000, 0), ntp_ms(5000, 12), ntp_ms(5000, 10),
				  ntp_ms(1000, 52), &rtt));
	/* a reply before its request */
	assert_false(stamp_rtt_ns(ntp_ms(1000, 52), ntp_ms(5000, 10), ntp_ms(5000, 12),
				  ntp_ms(1000, 0), &rtt));
	/* a turnaround longer than the whole round trip */
	assert_false(stamp_rtt_ns(ntp_ms(1000, 0), ntp_ms(5000, 0), ntp_ms(5000, 60),
				  ntp_ms(1000, 52), &rtt));
}

static void test_err_estimate(void **state)
{
	uint16_t e = stamp_err_estimate(true, 1000000);	/* 1 ms */
	double v = STAMP_ERR_MULT(e);
	unsigned int s;

	assert_true(e & STAMP_ERR_S);
	assert_false(e & STAMP_ERR_Z);
	for (s = 0; s < STAMP_ERR_SCALE(e); s++)
		v *= 2;
	v /= 4294967296.0;
	assert_true(v > 0.00099 && v < 0.00101);
	/* never a zero multiplier, even for no error at all */
	assert_int_not_equal(STAMP_ERR_MULT(stamp_err_estimate(false, 0)), 0);
	assert_false(stamp_err_estimate(false, 5) & STAMP_ERR_S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sender_encode),
		cmocka_unit_test(test_sender_decode),
		cmocka_unit_test(test_refl_encode),
		cmocka_unit_test(test_refl_decode),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_reflect),
		cmocka_unit_test(test_ntp),
		cmocka_unit_test(test_rtt),
		cmocka_unit_test(test_err_estimate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
