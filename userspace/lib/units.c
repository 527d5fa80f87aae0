// SPDX-License-Identifier: GPL-2.0
/* Parse and print times and rates in tc's units (see units.h). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "units.h"

struct unit {
	const char *name;
	double scale;
};

static const struct unit time_units[] = {
	{ "s", 1e6 }, { "sec", 1e6 }, { "secs", 1e6 },
	{ "ms", 1e3 }, { "msec", 1e3 }, { "msecs", 1e3 },
	{ "us", 1 }, { "usec", 1 }, { "usecs", 1 }, { "", 1 },
	{ NULL, 0 },
};

/* Bits per second; "bps" units are bytes per second, as in tc. */
static const struct unit rate_units[] = {
	{ "bit", 1 }, { "", 1 },
	{ "kbit", 1e3 }, { "mbit", 1e6 }, { "gbit", 1e9 }, { "tbit", 1e12 },
	{ "kibit", 1024.0 }, { "mibit", 1048576.0 }, { "gibit", 1073741824.0 },
	{ "tibit", 1099511627776.0 },
	{ "bps", 8 }, { "kbps", 8e3 }, { "mbps", 8e6 }, { "gbps", 8e9 },
	{ "tbps", 8e12 },
	{ NULL, 0 },
};

static int parse_scaled(const char *word, const struct unit *units, double max,
			uint64_t *out)
{
	const struct unit *u;
	char *end;
	double v;

	if (!word || !*word || *word == '-' || *word == '+' || isspace((unsigned char)*word))
		return -1;
	errno = 0;
	v = strtod(word, &end);
	if (end == word || errno || !isfinite(v) || v < 0)
		return -1;
	/* strtod also takes "inf", "nan" and hex floats: digits only here. */
	if (strspn(word, "0123456789.") != (size_t)(end - word))
		return -1;
	for (u = units; u->name; u++) {
		if (strcasecmp(end, u->name))
			continue;
		v = round(v * u->scale);
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
	return parse_scaled(word, time_units, 3600e6, us);
}

int dacc_parse_rate_bps(const char *word, uint64_t *bps)
{
	return parse_scaled(word, rate_units, 1e18, bps);
}

/* Print v / div with up to three decimals, trailing zeros removed. */
static const char *format_scaled(char *buf, size_t len, uint64_t v, uint64_t div,
				 const char *unit)
{
	uint64_t ip = v / div, frac = (v % div) * 1000 / div;
	char f[8] = "";

	if (frac) {
		snprintf(f, sizeof(f), ".%03u", (unsigned int)frac);
		for (size_t i = strlen(f) - 1; f[i] == '0'; i--)
			f[i] = '\0';
	}
	snprintf(buf, len, "%llu%s%s", (unsigned long long)ip, f, unit);
	return buf;
}

const char *dacc_format_time(char *buf, size_t len, uint64_t us)
{
	if (us >= 1000000)
		return format_scaled(buf, len, us, 1000000, "s");
	if (us >= 1000)
		return format_scaled(buf, len, us, 1000, "ms");
	return format_scaled(buf, len, us, 1, "us");
}

const char *dacc_format_rate(char *buf, size_t len, uint64_t bps)
{
	if (bps >= 1000000000000ULL)
		return format_scaled(buf, len, bps, 1000000000000ULL, "Tbit");
	if (bps >= 1000000000ULL)
		return format_scaled(buf, len, bps, 1000000000ULL, "Gbit");
	if (bps >= 1000000ULL)
		return format_scaled(buf, len, bps, 1000000ULL, "Mbit");
	if (bps >= 1000ULL)
		return format_scaled(buf, len, bps, 1000ULL, "Kbit");
	return format_scaled(buf, len, bps, 1, "bit");
}
