// SPDX-License-Identifier: GPL-2.0
/* The words of libdacc: times, rates and prefixes.  What dacc and daccd
 * print must read back as the same value ("dacc profile show" output fed to
 * "dacc profile add" or a -batch file), so each parse is followed by a
 * format and a second parse that must give the value back exactly.
 *
 * Input: the first byte selects the function (modulo FUZZ_NFUNCS), the
 * rest is the word (up to a NUL, which ends it); for the format-first
 * functions the 8 bytes after the first are the value, big-endian.
 */
#include <string.h>
#include <arpa/inet.h>

#include "fuzz.h"
#include "dacc_nl.h"
#include "units.h"

/* What the parsers take at most (units.c). */
#define TIME_MAX_US	3600000000ULL
#define RATE_MAX_BPS	1000000000000000000ULL

enum {
	F_TIME,		/* parse a time, format, parse */
	F_RATE,		/* parse a rate, format, parse */
	F_PREFIX,	/* parse a prefix, format, parse */
	F_PREFIX_HOST,	/* the same with host bits allowed (and cleared) */
	F_TIME_VALUE,	/* format a time, parse */
	F_RATE_VALUE,	/* format a rate, parse */
	FUZZ_NFUNCS
};

static void check_time(uint64_t us, const char *word)
{
	char buf[64];
	uint64_t back;

	dacc_format_time(buf, sizeof(buf), us);
	FUZZ_CHECK(strlen(buf) + 1 < sizeof(buf), "\"%s\" may be cut", buf);
	FUZZ_CHECK(!dacc_parse_time_us(buf, &back), "%lluus (from \"%s\") prints as \"%s\", "
		   "which does not parse", (unsigned long long)us, word, buf);
	FUZZ_CHECK(back == us, "%lluus (from \"%s\") prints as \"%s\", which parses as %lluus",
		   (unsigned long long)us, word, buf, (unsigned long long)back);
}

static void check_rate(uint64_t bps, const char *word)
{
	char buf[64];
	uint64_t back;

	dacc_format_rate(buf, sizeof(buf), bps);
	FUZZ_CHECK(strlen(buf) + 1 < sizeof(buf), "\"%s\" may be cut", buf);
	FUZZ_CHECK(!dacc_parse_rate_bps(buf, &back), "%llubit (from \"%s\") prints as \"%s\", "
		   "which does not parse", (unsigned long long)bps, word, buf);
	FUZZ_CHECK(back == bps, "%llubit (from \"%s\") prints as \"%s\", which parses as %llubit",
		   (unsigned long long)bps, word, buf, (unsigned long long)back);
}

static bool prefix_equal(const struct dacc_prefix *a, const struct dacc_prefix *b)
{
	return a->family == b->family && a->plen == b->plen &&
	       !memcmp(a->addr.raw, b->addr.raw, sizeof(a->addr.raw));
}

static bool all_zero_tail(const struct dacc_prefix *p)
{
	for (size_t i = 4; i < sizeof(p->addr.raw); i++)
		if (p->addr.raw[i])
			return false;
	return true;
}

static void check_prefix(const char *word, bool allow_host_bits)
{
	char buf[DACC_PREFIX_STRLEN];
	struct dacc_prefix p, q;
	unsigned int bits, i;

	if (dacc_prefix_parse(word, &p, allow_host_bits))
		return;
	FUZZ_CHECK(p.family == AF_INET || p.family == AF_INET6, "family %u", p.family);
	bits = p.family == AF_INET ? 32 : 128;
	FUZZ_CHECK(p.plen <= bits, "plen %u", p.plen);
	for (i = p.plen; i < bits; i++)
		FUZZ_CHECK(!(p.addr.raw[i / 8] & (0x80 >> (i % 8))), "host bit %u set", i);
	if (p.family == AF_INET)
		FUZZ_CHECK(all_zero_tail(&p), "IPv4 bytes beyond 4");
	dacc_prefix_format(&p, buf, sizeof(buf));
	FUZZ_CHECK(!dacc_prefix_parse(buf, &q, false), "\"%s\" prints as \"%s\", which does "
		   "not parse", word, buf);
	FUZZ_CHECK(prefix_equal(&p, &q), "\"%s\" prints as \"%s\", which parses to another "
		   "prefix", word, buf);
}

static uint64_t value_of(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < 8 && i < n; i++)
		v = v << 8 | p[i];
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char word[256];
	uint64_t v;
	size_t n;

	if (!size)
		return 0;
	n = size - 1 < sizeof(word) - 1 ? size - 1 : sizeof(word) - 1;
	memcpy(word, data + 1, n);
	word[n] = '\0';

	switch (data[0] % FUZZ_NFUNCS) {
	case F_TIME:
		if (!dacc_parse_time_us(word, &v)) {
			FUZZ_CHECK(v <= TIME_MAX_US, "\"%s\" is %lluus", word, (unsigned long long)v);
			check_time(v, word);
		}
		break;
	case F_RATE:
		if (!dacc_parse_rate_bps(word, &v)) {
			FUZZ_CHECK(v <= RATE_MAX_BPS, "\"%s\" is %llubit", word,
				   (unsigned long long)v);
			check_rate(v, word);
		}
		break;
	case F_PREFIX:
		check_prefix(word, false);
		break;
	case F_PREFIX_HOST:
		check_prefix(word, true);
		break;
	case F_TIME_VALUE:
		/* every time the parser takes, so every time a profile holds */
		v = value_of(data + 1, size - 1) % (TIME_MAX_US + 1);
		check_time(v, "(value)");
		break;
	case F_RATE_VALUE:
		/* every rate the parser takes, beyond what a profile holds */
		v = value_of(data + 1, size - 1) % (RATE_MAX_BPS + 1);
		check_rate(v, "(value)");
		break;
	}
	return 0;
}
