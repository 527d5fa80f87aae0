// SPDX-License-Identifier: GPL-2.0
/* Parse and print times and rates in tc's units (see units.h). */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "units.h"

struct unit {
	const char *name;
	uint64_t scale;
};

static const struct unit time_units[] = {
	{ "s", 1000000 }, { "sec", 1000000 }, { "secs", 1000000 },
	{ "ms", 1000 }, { "msec", 1000 }, { "msecs", 1000 },
	{ "us", 1 }, { "usec", 1 }, { "usecs", 1 }, { "", 1 },
	{ NULL, 0 },
};

/* Bits per second; "bps" units are bytes per second, as in tc. */
static const struct unit rate_units[] = {
	{ "bit", 1 }, { "", 1 },
	{ "kbit", 1000ULL }, { "mbit", 1000000ULL }, { "gbit", 1000000000ULL },
	{ "tbit", 1000000000000ULL },
	{ "kibit", 1ULL << 10 }, { "mibit", 1ULL << 20 }, { "gibit", 1ULL << 30 },
	{ "tibit", 1ULL << 40 },
	{ "bps", 8 }, { "kbps", 8000ULL }, { "mbps", 8000000ULL }, { "gbps", 8000000000ULL },
	{ "tbps", 8000000000000ULL },
	{ NULL, 0 },
};

/* NUMBER[.DIGITS]UNIT in exact integer arithmetic (a double would round
 * what dacc_format_* prints), rounded half up to an integer of the base
 * unit; at most max.
 */
static int parse_scaled(const char *word, const struct unit *units, uint64_t max,
			uint64_t *out)
{
	unsigned __int128 num = 0, den = 1, v;
	const struct unit *u;
	const char *p = word;
	bool digits = false;

	if (!word)
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		num = num * 10 + (unsigned int)(*p - '0');
		digits = true;
		if (num > max)
			return -1;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++) {
			digits = true;
			if (den >= 1000000000000000000ULL)
				continue;	/* beyond 18 decimals: below any unit */
			num = num * 10 + (unsigned int)(*p - '0');
			den *= 10;
		}
	}
	if (!digits)
		return -1;
	for (u = units; u->name; u++) {
		if (strcasecmp(p, u->name))
			continue;
		v = (num * u->scale + den / 2) / den;
		if (v > max)
			return -1;
		*out = (uint64_t)v;
		return 0;
	}
	return -1;
}

int dacc_parse_time_us(const char *word, uint64_t *us)
{
	/* Up to an hour; callers apply their own narrower limits. */
	return parse_scaled(word, time_units, 3600000000ULL, us);
}

int dacc_parse_rate_bps(const char *word, uint64_t *bps)
{
	return parse_scaled(word, rate_units, 1000000000000000000ULL, bps);
}

/* Print v / div with up to three decimals, trailing zeros removed: only
 * called when v / div has no more (so the text parses back to v).
 */
static const char *format_scaled(char *buf, size_t len, uint64_t v, uint64_t div,
				 const char *unit)
{
	uint64_t ip = v / div, frac = div >= 1000 ? (v % div) / (div / 1000) : 0;
	char f[8] = "";

	if (frac) {
		snprintf(f, sizeof(f), ".%03u", (unsigned int)frac);
		for (size_t i = strlen(f) - 1; f[i] == '0'; i--)
			f[i] = '\0';
	}
	snprintf(buf, len, "%llu%s%s", (unsigned long long)ip, f, unit);
	return buf;
}

/* The largest of units (largest first) in which v has at most three
 * decimals: 1234567us prints as 1234.567ms, not as a rounded 1.234s.
 */
static const char *format_exact(char *buf, size_t len, uint64_t v, const struct unit *u)
{
	for (; u->scale > 1; u++)
		if (v >= u->scale && !(v % (u->scale >= 1000 ? u->scale / 1000 : u->scale)))
			break;
	return format_scaled(buf, len, v, u->scale, u->name);
}

const char *dacc_format_time(char *buf, size_t len, uint64_t us)
{
	static const struct unit u[] = { { "s", 1000000 }, { "ms", 1000 }, { "us", 1 } };

	return format_exact(buf, len, us, u);
}

const char *dacc_format_rate(char *buf, size_t len, uint64_t bps)
{
	static const struct unit u[] = {
		{ "Tbit", 1000000000000ULL }, { "Gbit", 1000000000ULL }, { "Mbit", 1000000ULL },
		{ "Kbit", 1000ULL }, { "bit", 1 },
	};

	return format_exact(buf, len, bps, u);
}
