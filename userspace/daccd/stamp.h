/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daccd: the STAMP (RFC 8762) unauthenticated packet codec and the NTP
 * timestamp arithmetic the RTT computation needs.  No sockets here.
 */
#ifndef DACCD_STAMP_H
#define DACCD_STAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define STAMP_PORT_DEFAULT	862
/* Both unauthenticated packets are 44 bytes (RFC 8762 4.2.1 and 4.3.1). */
#define STAMP_PKT_LEN		44
/* A reflector answers with as many bytes as it got, up to this. */
#define STAMP_PKT_MAX		1472

/* Error Estimate (RFC 4656 4.1.2, RFC 8762 4.2.1): S, Z, Scale, Multiplier. */
#define STAMP_ERR_S		0x8000	/* clock synchronized to UTC */
#define STAMP_ERR_Z		0x4000	/* 1: PTPv2 timestamp format, 0: NTP */
#define STAMP_ERR_SCALE(e)	(((e) >> 8) & 0x3f)
#define STAMP_ERR_MULT(e)	((e) & 0xff)

/* Session-Sender test packet, unauthenticated mode. */
struct stamp_test {
	uint32_t seq;
	uint64_t ts;		/* NTP 64-bit: seconds since 1900 << 32 | fraction */
	uint16_t err;
};

/* Session-Reflector test packet, unauthenticated mode. */
struct stamp_refl {
	uint32_t seq;
	uint64_t ts;		/* transmit timestamp (t3) */
	uint16_t err;
	uint64_t rx_ts;		/* receive timestamp (t2) */
	uint32_t ss_seq;	/* the Session-Sender's, copied */
	uint64_t ss_ts;		/* the Session-Sender's timestamp (t1), copied */
	uint16_t ss_err;
	uint8_t ss_ttl;
};

enum stamp_err {
	STAMP_OK = 0,
	STAMP_E_SHORT = -1,	/* fewer than 44 bytes */
	STAMP_E_ERR_EST = -2,	/* Error Estimate with multiplier 0 */
	STAMP_E_TS = -3,	/* timestamp of zero */
};

/* Encode into buf (len >= STAMP_PKT_LEN): writes exactly 44 bytes, MBZ zero. */
void stamp_test_encode(const struct stamp_test *t, uint8_t *buf);
int stamp_test_decode(const uint8_t *buf, size_t len, struct stamp_test *t);
void stamp_refl_encode(const struct stamp_refl *r, uint8_t *buf);
int stamp_refl_decode(const uint8_t *buf, size_t len, struct stamp_refl *r);
const char *stamp_strerror(int err);

/* The reflector's answer to a test packet received at rx_ts, sent at tx_ts. */
void stamp_reflect(const struct stamp_test *t, uint8_t ttl, uint64_t rx_ts,
		   uint64_t tx_ts, uint16_t err, struct stamp_refl *r);

/* An Error Estimate of about err_ns nanoseconds (multiplier never zero). */
uint16_t stamp_err_estimate(bool synced, uint64_t err_ns);

/* NTP timestamps from and to struct timespec (CLOCK_REALTIME). */
uint64_t ntp_from_timespec(const struct timespec *ts);
void ntp_to_timespec(uint64_t ntp, struct timespec *ts);
/* b - a in nanoseconds (signed; the difference of two NTP timestamps). */
int64_t ntp_diff_ns(uint64_t a, uint64_t b);

/* Round-trip time (t4 - t1) - (t3 - t2) in nanoseconds; t1/t4 are the
 * sender's clock, t2/t3 the reflector's, so clock offsets cancel.
 * Returns false when the numbers are inconsistent (negative turnaround,
 * negative result).
 */
bool stamp_rtt_ns(uint64_t t1, uint64_t t2, uint64_t t3, uint64_t t4, int64_t *rtt_ns);

#endif
