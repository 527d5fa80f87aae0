// SPDX-License-Identifier: GPL-2.0
/* The STAMP codec of daccd on any packet a socket could hand it: decoding
 * never reads past len, a decoded packet encodes to the bytes it came from
 * and decodes back to the same fields, and the NTP arithmetic of the RTT
 * has no undefined behaviour whatever the timestamps.
 *
 * Input: a packet (test and reflected decoders both see it); bytes 44..51,
 * when present, are the sender's receive time t4.
 */
#include <string.h>

#include "fuzz.h"
#include "../userspace/daccd/stamp.h"

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static bool test_equal(const struct stamp_test *a, const struct stamp_test *b)
{
	return a->seq == b->seq && a->ts == b->ts && a->err == b->err;
}

static bool refl_equal(const struct stamp_refl *a, const struct stamp_refl *b)
{
	return a->seq == b->seq && a->ts == b->ts && a->err == b->err &&
	       a->rx_ts == b->rx_ts && a->ss_seq == b->ss_seq && a->ss_ts == b->ss_ts &&
	       a->ss_err == b->ss_err && a->ss_ttl == b->ss_ttl;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* An NTP timestamp through struct timespec and back: within a nanosecond. */
static void check_timespec(uint64_t ntp)
{
	struct timespec ts;
	int64_t d;

	ntp_to_timespec(ntp, &ts);
	FUZZ_CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L, "tv_nsec %ld", ts.tv_nsec);
	d = ntp_diff_ns(ntp, ntp_from_timespec(&ts));
	FUZZ_CHECK(d >= -1 && d <= 1, "ntp %#llx comes back %lld ns off",
		   (unsigned long long)ntp, (long long)d);
}

static void fuzz_test(const uint8_t *data, size_t size)
{
	uint8_t buf[STAMP_PKT_LEN];
	struct stamp_test t, t2;
	int rc;

	rc = stamp_test_decode(data, size, &t);
	FUZZ_CHECK(rc == (size < STAMP_PKT_LEN ? STAMP_E_SHORT : STAMP_OK), "rc %d", rc);
	if (rc)
		return;
	stamp_test_encode(&t, buf);
	FUZZ_CHECK(!memcmp(buf, data, 14) && all_zero(buf + 14, STAMP_PKT_LEN - 14),
		   "test packet encodes to other bytes");
	FUZZ_CHECK(stamp_test_decode(buf, sizeof(buf), &t2) == STAMP_OK, "re-decode");
	FUZZ_CHECK(test_equal(&t, &t2), "test packet round trip");
	check_timespec(t.ts);
}

static void fuzz_refl(const uint8_t *data, size_t size)
{
	/* The bytes of a reflected packet that carry fields (the rest is MBZ). */
	static const struct { size_t off, len; } fields[] = {
		{ 0, 14 }, { 16, 22 }, { 40, 1 },
	};
	uint8_t buf[STAMP_PKT_LEN], pkt[STAMP_PKT_LEN];
	struct stamp_refl r, r2;
	struct stamp_test t;
	uint64_t t4;
	int64_t rtt, d1, d2;
	size_t i;
	int rc;

	rc = stamp_refl_decode(data, size, &r);
	FUZZ_CHECK(rc == STAMP_OK || rc == STAMP_E_SHORT || rc == STAMP_E_ERR_EST ||
		   rc == STAMP_E_TS, "rc %d", rc);
	FUZZ_CHECK(strcmp(stamp_strerror(rc), "unknown error"), "rc %d has no text", rc);
	if (rc == STAMP_E_SHORT) {
		FUZZ_CHECK(size < STAMP_PKT_LEN, "%zu bytes are short", size);
		return;
	}
	FUZZ_CHECK(size >= STAMP_PKT_LEN, "%zu bytes decoded", size);
	stamp_refl_encode(&r, buf);
	memset(pkt, 0, sizeof(pkt));
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		memcpy(pkt + fields[i].off, data + fields[i].off, fields[i].len);
	FUZZ_CHECK(!memcmp(buf, pkt, sizeof(pkt)), "reflected packet encodes to other bytes");
	FUZZ_CHECK(stamp_refl_decode(buf, sizeof(buf), &r2) == rc, "re-decode differs");
	FUZZ_CHECK(refl_equal(&r, &r2), "reflected packet round trip");
	if (rc)
		return;

	/* What a reflector would have answered to the copied test packet. */
	t.seq = r.ss_seq;
	t.ts = r.ss_ts;
	t.err = r.ss_err;
	stamp_reflect(&t, r.ss_ttl, r.rx_ts, r.ts, r.err, &r2);
	FUZZ_CHECK(r2.ss_ts == r.ss_ts && r2.rx_ts == r.rx_ts && r2.ts == r.ts, "reflect");

	/* t1 = ss_ts, t2 = rx_ts, t3 = ts; t4 from the input or t3. */
	t4 = size >= STAMP_PKT_LEN + 8 ? get64(data + STAMP_PKT_LEN) : r.ts;
	d1 = ntp_diff_ns(r.ss_ts, t4);
	d2 = ntp_diff_ns(r.rx_ts, r.ts);
	if (stamp_rtt_ns(r.ss_ts, r.rx_ts, r.ts, t4, &rtt))
		FUZZ_CHECK(rtt >= 0 && rtt == d1 - d2, "rtt %lld", (long long)rtt);
	else
		FUZZ_CHECK(d2 < 0 || d1 < 0 || d2 > d1, "consistent times refused");
	check_timespec(r.rx_ts);
	check_timespec(t4);
}

/* The Error Estimate daccd would send for the first 8 bytes as nanoseconds. */
static void fuzz_err_estimate(const uint8_t *data, size_t size)
{
	uint16_t e;

	if (size < 8)
		return;
	e = stamp_err_estimate(data[0] & 1, get64(data));
	FUZZ_CHECK(STAMP_ERR_MULT(e) != 0, "multiplier 0 for %#llx",
		   (unsigned long long)get64(data));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_test(data, size);
	fuzz_refl(data, size);
	fuzz_err_estimate(data, size);
	return 0;
}
