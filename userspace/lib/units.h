/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time and rate units as tc(8) writes them: "48ms", "300us", "1.5s",
 * "100gbit", "10mbit", "125mbps" (bytes).
 */
#ifndef DACC_UNITS_H
#define DACC_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* A time to microseconds; a bare number is microseconds, as in tc.
 * Returns 0, or -1 when the word is not a time or does not fit.
 */
int dacc_parse_time_us(const char *word, uint64_t *us);
/* A rate to bit/s; a bare number is bit/s.  Returns 0 or -1. */
int dacc_parse_rate_bps(const char *word, uint64_t *bps);

/* The largest unit that keeps the value exact with at most three decimals,
 * so that it parses back to the same value: "48ms", "2.5ms", "300us",
 * "1.2s", "1234.567ms".
 */
const char *dacc_format_time(char *buf, size_t len, uint64_t us);
/* The same for rates: "100Gbit", "2.5Mbit", "999bit", "1234567.891Kbit". */
const char *dacc_format_rate(char *buf, size_t len, uint64_t bps);

#endif
