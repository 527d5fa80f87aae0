// SPDX-License-Identifier: GPL-2.0
/* daccd: STAMP (RFC 8762) unauthenticated packets, encoded and decoded field
 * by field in network order, and the NTP timestamp arithmetic of the RTT.
 */
#include <string.h>

#include "stamp.h"

/* Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
#define NTP_UNIX_OFFSET	2208988800ULL
#define NS_PER_S	1000000000ULL

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v >> 32);
	put32(p + 4, (uint32_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

/* Session-Sender packet: seq 0..3, timestamp 4..11, error estimate 12..13,
 * MBZ 14..43.
 */
void stamp_test_encode(const struct stamp_test *t, uint8_t *buf)
{
	memset(buf, 0, STAMP_PKT_LEN);
	put32(buf, t->seq);
	put64(buf + 4, t->ts);
	put16(buf + 12, t->err);
}

int stamp_test_decode(const uint8_t *buf, size_t len, struct stamp_test *t)
{
	if (len < STAMP_PKT_LEN)
		return STAMP_E_SHORT;
	t->seq = get32(buf);
	t->ts = get64(buf + 4);
	t->err = get16(buf + 12);
	/* MBZ is not checked: RFC 8762 4.2 says it is ignored on receipt. */
	return STAMP_OK;
}

/* Session-Reflector packet: seq 0..3, timestamp 4..11, error estimate
 * 12..13, MBZ 14..15, receive timestamp 16..23, sender seq 24..27, sender
 * timestamp 28..35, sender error estimate 36..37, MBZ 38..39, sender TTL 40,
 * MBZ 41..43.
 */
void stamp_refl_encode(const struct stamp_refl *r, uint8_t *buf)
{
	memset(buf, 0, STAMP_PKT_LEN);
	put32(buf, r->seq);
	put64(buf + 4, r->ts);
	put16(buf + 12, r->err);
	put64(buf + 16, r->rx_ts);
	put32(buf + 24, r->ss_seq);
	put64(buf + 28, r->ss_ts);
	put16(buf + 36, r->ss_err);
	buf[40] = r->ss_ttl;
}

int stamp_refl_decode(const uint8_t *buf, size_t len, struct stamp_refl *r)
{
	if (len < STAMP_PKT_LEN)
		return STAMP_E_SHORT;
	r->seq = get32(buf);
	r->ts = get64(buf + 4);
	r->err = get16(buf + 12);
	r->rx_ts = get64(buf + 16);
	r->ss_seq = get32(buf + 24);
	r->ss_ts = get64(buf + 28);
	r->ss_err = get16(buf + 36);
	r->ss_ttl = buf[40];
	if (!STAMP_ERR_MULT(r->err))
		return STAMP_E_ERR_EST;
	if (!r->ts || !r->rx_ts || !r->ss_ts)
		return STAMP_E_TS;
	return STAMP_OK;
}

const char *stamp_strerror(int err)
{
	switch (err) {
	case STAMP_OK:
		return "ok";
	case STAMP_E_SHORT:
		return "shorter than 44 bytes";
	case STAMP_E_ERR_EST:
		return "error estimate multiplier is zero";
	case STAMP_E_TS:
		return "zero timestamp";
	}
	return "unknown error";
}

/* Stateless reflector (RFC 8762 4.3): the sequence number is the sender's. */
void stamp_reflect(const struct stamp_test *t, uint8_t ttl, uint64_t rx_ts,
		   uint64_t tx_ts, uint16_t err, struct stamp_refl *r)
{
	memset(r, 0, sizeof(*r));
	r->seq = t->seq;
	r->ts = tx_ts;
	r->err = err;
	r->rx_ts = rx_ts;
	r->ss_seq = t->seq;
	r->ss_ts = t->ts;
	r->ss_err = t->err;
	r->ss_ttl = ttl;
}

/* Error = Multiplier * 2^(Scale - 32) seconds: the smallest scale whose
 * 8-bit multiplier can hold the error.
 */
uint16_t stamp_err_estimate(bool synced, uint64_t err_ns)
{
	/* err in units of 2^-32 s */
	unsigned __int128 units = ((unsigned __int128)err_ns << 32) / NS_PER_S;
	unsigned int scale = 0;
	uint16_t v;

	while (units > 0xff && scale < 63) {
		units = (units + 1) >> 1;
		scale++;
	}
	if (!units)
		units = 1;
	if (units > 0xff)
		units = 0xff;
	v = (uint16_t)(scale << 8 | (unsigned int)units);
	if (synced)
		v |= STAMP_ERR_S;
	return v;
}

uint64_t ntp_from_timespec(const struct timespec *ts)
{
	uint64_t sec = (uint64_t)ts->tv_sec + NTP_UNIX_OFFSET;
	uint64_t frac = ((uint64_t)ts->tv_nsec << 32) / NS_PER_S;

	return (sec << 32) | (frac & 0xffffffffULL);
}

void ntp_to_timespec(uint64_t ntp, struct timespec *ts)
{
	uint64_t frac = ntp & 0xffffffffULL;

	ts->tv_sec = (time_t)((ntp >> 32) - NTP_UNIX_OFFSET);
	/* round to the nearest nanosecond */
	ts->tv_nsec = (long)((frac * NS_PER_S + (1ULL << 31)) >> 32);
	if (ts->tv_nsec >= (long)NS_PER_S) {
		ts->tv_sec++;
		ts->tv_nsec -= NS_PER_S;
	}
}

int64_t ntp_diff_ns(uint64_t a, uint64_t b)
{
	/* Wrap-safe: the difference of two nearby NTP timestamps fits. */
	int64_t d = (int64_t)(b - a);
	int64_t sec = d >> 32;			/* arithmetic shift: floor */
	int64_t frac = d & 0xffffffffLL;

	return sec * (int64_t)NS_PER_S + (int64_t)((frac * NS_PER_S + (1ULL << 31)) >> 32);
}

bool stamp_rtt_ns(uint64_t t1, uint64_t t2, uint64_t t3, uint64_t t4, int64_t *rtt_ns)
{
	int64_t total = ntp_diff_ns(t1, t4);
	int64_t turn = ntp_diff_ns(t2, t3);

	if (turn < 0 || total < 0 || turn > total)
		return false;
	*rtt_ns = total - turn;
	return true;
}
