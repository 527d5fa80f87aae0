// SPDX-License-Identifier: GPL-2.0
/* Arguments of the dacc command: keywords, prefixes, units, -batch lines.
 * Every check names the word it refused.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dacc.h"
#include "dacc_msg.h"
#include "units.h"

void cli_invarg(struct cli *c, const char *word, const char *fmt, ...)
{
	va_list ap;

	fprintf(c->err, "Error: argument \"%s\" is wrong: ", word);
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fputc('\n', c->err);
}

int kw_match(const struct keyword *kws, const char *word)
{
	const struct keyword *k;
	int id = -1;
	size_t n = strlen(word);

	if (!n)
		return -1;
	for (k = kws; k->name; k++)
		if (!strcmp(k->name, word))
			return k->id;
	for (k = kws; k->name; k++) {
		if (strncmp(k->name, word, n))
			continue;
		if (id >= 0 && id != k->id)
			return -2;
		id = k->id;
	}
	return id;
}

int parse_prefix(struct cli *c, const char *word, struct dacc_prefix *out)
{
	char addr[INET6_ADDRSTRLEN + 1], buf[DACC_PREFIX_STRLEN];
	const char *slash = strchr(word, '/');
	size_t alen = slash ? (size_t)(slash - word) : strlen(word);
	struct dacc_prefix p;
	unsigned char tmp[16];
	int max;

	if (dacc_prefix_parse(word, out, false) == 0)
		return 0;
	/* Say which part is wrong. */
	if (alen == 0 || alen >= sizeof(addr)) {
		cli_invarg(c, word, "not a prefix (10.0.0.0/8, fd00::/16 or an address)");
		return -1;
	}
	memcpy(addr, word, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, tmp) == 1) {
		max = 32;
	} else if (inet_pton(AF_INET6, addr, tmp) == 1) {
		max = 128;
	} else {
		cli_invarg(c, word, "\"%s\" is not an IPv4 or IPv6 address", addr);
		return -1;
	}
	if (slash && (!slash[1] || strspn(slash + 1, "0123456789") != strlen(slash + 1) ||
		      strlen(slash + 1) > 3 || atoi(slash + 1) > max)) {
		cli_invarg(c, word, "the prefix length must be a number from 0 to %d", max);
		return -1;
	}
	if (dacc_prefix_parse(word, &p, true) == 0) {
		cli_invarg(c, word, "host bits are set beyond /%u (did you mean %s?)",
			   p.plen, dacc_prefix_format(&p, buf, sizeof(buf)));
		return -1;
	}
	cli_invarg(c, word, "not a prefix");
	return -1;
}

enum { KW_RTT, KW_JITTER, KW_BW, KW_LOSS, KW_SOURCE };

static const struct keyword profile_kws[] = {
	{ "rtt", KW_RTT }, { "jitter", KW_JITTER },
	{ "bw", KW_BW }, { "loss", KW_LOSS }, { "source", KW_SOURCE },
	{ NULL, 0 },
};

static const struct keyword source_kws[] = {
	{ "static", DACC_SOURCE_STATIC }, { "learned", DACC_SOURCE_LEARNED },
	{ NULL, 0 },
};

static const struct keyword cmd_kws[] = {
	{ "add", PROFILE_ADD }, { "replace", PROFILE_REPLACE },
	{ "delete", PROFILE_DEL }, { "del", PROFILE_DEL },
	{ "get", PROFILE_GET }, { "show", PROFILE_SHOW }, { "list", PROFILE_SHOW },
	{ "flush", PROFILE_FLUSH }, { "help", PROFILE_HELP },
	{ NULL, 0 },
};

static int parse_source(struct cli *c, const char *word, int *out)
{
	int id = kw_match(source_kws, word);

	if (id < 0) {
		cli_invarg(c, word, "source is \"static\" or \"learned\"");
		return -1;
	}
	*out = id;
	return 0;
}

/* "100", "100ppm" or "0.01%": a whole number of ppm, 0..DACC_LOSS_MAX_PPM. */
static int parse_loss(const char *word, uint32_t *ppm)
{
	size_t n = strspn(word, "0123456789.");
	char *end;
	double v;

	if (!n || word[0] == '.' || strchr(word, '.') != strrchr(word, '.'))
		return -1;
	v = strtod(word, &end);
	if (end != word + n)
		return -1;
	if (!strcmp(end, "%"))
		v *= 10000;
	else if (*end && strcasecmp(end, "ppm"))
		return -1;
	if (v > DACC_LOSS_MAX_PPM || fabs(v - round(v)) > 1e-6)
		return -1;
	*ppm = (uint32_t)round(v);
	return 0;
}

/* The values after PREFIX of add/replace. */
static int parse_values(struct cli *c, int argc, char **argv, struct dacc_profile *p)
{
	bool seen[KW_SOURCE + 1] = { false };
	char b1[32], b2[32];
	uint64_t v;
	int i, id, src;

	for (i = 0; i < argc; i += 2) {
		const char *kw = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		id = kw_match(profile_kws, kw);
		if (id < 0) {
			cli_invarg(c, kw, "%s keyword; expected rtt, jitter, bw, loss or source",
				   id == -2 ? "ambiguous" : "unknown");
			return -1;
		}
		if (!val) {
			fprintf(c->err, "Error: \"%s\" needs a value.\n", kw);
			return -1;
		}
		if (seen[id]) {
			fprintf(c->err, "Error: duplicate \"%s\": \"%s\" is the second value.\n",
				kw, val);
			return -1;
		}
		seen[id] = true;
		switch (id) {
		case KW_RTT:
		case KW_JITTER:
			if (dacc_parse_time_us(val, &v)) {
				cli_invarg(c, val, "%s is a time such as 48ms, 300us or 1.5s",
					   id == KW_RTT ? "rtt" : "jitter");
				return -1;
			}
			if (v > DACC_RTT_MAX_US || (id == KW_RTT && v < DACC_RTT_MIN_US)) {
				cli_invarg(c, val, "%s must be from %s to %s",
					   id == KW_RTT ? "rtt" : "jitter",
					   id == KW_RTT ? "1us" : "0",
					   dacc_format_time(b2, sizeof(b2), DACC_RTT_MAX_US));
				return -1;
			}
			if (id == KW_RTT) {
				p->rtt_us = (uint32_t)v;
			} else {
				p->rttvar_us = (uint32_t)v;
				p->has_rttvar = true;
			}
			break;
		case KW_BW:
			if (dacc_parse_rate_bps(val, &v)) {
				cli_invarg(c, val, "bw is a rate such as 100gbit, 10mbit or 125mbps");
				return -1;
			}
			if (!v || v > DACC_BW_MAX_BPS) {
				cli_invarg(c, val, "bw must be from %s to %s",
					   dacc_format_rate(b1, sizeof(b1), 1),
					   dacc_format_rate(b2, sizeof(b2), DACC_BW_MAX_BPS));
				return -1;
			}
			p->bw_bps = v;
			p->has_bw = true;
			break;
		case KW_LOSS:
			if (parse_loss(val, &p->loss_ppm)) {
				cli_invarg(c, val, "loss is a whole number of ppm from 0 to %u (\"100ppm\", \"0.01%%\")",
					   DACC_LOSS_MAX_PPM);
				return -1;
			}
			p->has_loss = true;
			break;
		case KW_SOURCE:
			if (parse_source(c, val, &src))
				return -1;
			p->source = (uint8_t)src;
			break;
		}
	}
	if (!seen[KW_RTT]) {
		fprintf(c->err, "Error: \"rtt\" is required: dacc profile add PREFIX rtt TIME ...\n");
		return -1;
	}
	return 0;
}

/* An optional "source static|learned" and nothing else. */
static int parse_source_filter(struct cli *c, int argc, char **argv, int *source)
{
	if (!argc)
		return 0;
	if (kw_match(profile_kws, argv[0]) != KW_SOURCE) {
		cli_invarg(c, argv[0], "unexpected; only \"source static|learned\" may follow");
		return -1;
	}
	if (argc < 2) {
		fprintf(c->err, "Error: \"%s\" needs a value.\n", argv[0]);
		return -1;
	}
	if (parse_source(c, argv[1], source))
		return -1;
	if (argc > 2) {
		cli_invarg(c, argv[2], "unexpected after \"%s %s\"", argv[0], argv[1]);
		return -1;
	}
	return 0;
}

int profile_parse(struct cli *c, int argc, char **argv, struct profile_req *r)
{
	const char *cmd = argc ? argv[0] : "show";
	int id;

	memset(r, 0, sizeof(*r));
	r->source = -1;
	id = kw_match(cmd_kws, cmd);
	if (id < 0) {
		fprintf(c->err, "Command \"%s\" is %s, try \"dacc profile help\".\n", cmd,
			id == -2 ? "ambiguous" : "unknown");
		return -1;
	}
	r->cmd = id;
	if (argc)
		argc--, argv++;

	switch (r->cmd) {
	case PROFILE_HELP:
		return 0;
	case PROFILE_ADD:
	case PROFILE_REPLACE:
	case PROFILE_DEL:
	case PROFILE_GET:
		if (!argc) {
			fprintf(c->err, "Error: \"%s\" needs %s; try \"dacc profile help\".\n",
				cmd, r->cmd == PROFILE_GET ? "an address" : "a prefix");
			return -1;
		}
		if (parse_prefix(c, argv[0], &r->p.prefix))
			return -1;
		r->has_prefix = true;
		if (r->cmd == PROFILE_GET && strchr(argv[0], '/') &&
		    r->p.prefix.plen != (r->p.prefix.family == AF_INET ? 32 : 128)) {
			cli_invarg(c, argv[0], "get takes an address, not a prefix");
			return -1;
		}
		if (r->cmd == PROFILE_ADD || r->cmd == PROFILE_REPLACE)
			return parse_values(c, argc - 1, argv + 1, &r->p);
		if (argc > 1) {
			cli_invarg(c, argv[1], "unexpected after the %s",
				   r->cmd == PROFILE_GET ? "address" : "prefix");
			return -1;
		}
		return 0;
	case PROFILE_SHOW:
		if (argc && kw_match(profile_kws, argv[0]) != KW_SOURCE) {
			if (parse_prefix(c, argv[0], &r->p.prefix))
				return -1;
			r->has_prefix = true;
			argc--, argv++;
		}
		return parse_source_filter(c, argc, argv, &r->source);
	case PROFILE_FLUSH:
		return parse_source_filter(c, argc, argv, &r->source);
	}
	return -1;
}

int split_line(char *line, char **argv, int max, const char **why)
{
	char *r = line, *w = line;
	int argc = 0;

	for (;;) {
		char quote = 0;

		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			break;
		if (argc == max) {
			*why = "too many words";
			return -1;
		}
		argv[argc++] = w;
		while (*r) {
			if (quote) {
				if (*r == quote) {
					quote = 0;
					r++;
					continue;
				}
			} else if (*r == '\'' || *r == '"') {
				quote = *r++;
				continue;
			} else if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
				break;
			}
			*w++ = *r++;
		}
		if (quote) {
			*why = "a quote is not closed";
			return -1;
		}
		if (*r)
			r++;
		*w++ = '\0';
	}
	return argc;
}
