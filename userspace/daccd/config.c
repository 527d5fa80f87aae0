// SPDX-License-Identifier: GPL-2.0
/* daccd: configuration.  libconfig parses the syntax; here every setting is
 * checked for its name, type and range, and errors name the line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libconfig.h>

#include "config.h"

struct ctx {
	const char *name;
	char *err;
	size_t errlen;
	bool failed;
};

static void __attribute__((format(printf, 3, 4)))
fail(struct ctx *x, const config_setting_t *s, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (x->failed)
		return;
	x->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s && config_setting_source_line(s))
		snprintf(x->err, x->errlen, "%s:%d: %s", x->name,
			 config_setting_source_line(s), msg);
	else
		snprintf(x->err, x->errlen, "%s: %s", x->name, msg);
}

/* A setting's full name for messages: "probe.interval_ms". */
static const char *sname(const config_setting_t *s, char *buf, size_t len)
{
	const config_setting_t *p = config_setting_parent(s);
	const char *n = config_setting_name(s);

	if (p && config_setting_name(p) && n)
		snprintf(buf, len, "%s.%s", config_setting_name(p), n);
	else
		snprintf(buf, len, "%s", n ? n : "(element)");
	return buf;
}

/* Every child of group g must be one of names (a NULL-terminated list). */
static void check_names(struct ctx *x, const config_setting_t *g, const char *const *names)
{
	int i, n = config_setting_length(g);

	for (i = 0; i < n && !x->failed; i++) {
		const config_setting_t *s = config_setting_get_elem(g, i);
		const char *nm = config_setting_name(s);
		const char *const *k;
		char b[128];

		for (k = names; *k; k++)
			if (nm && !strcmp(nm, *k))
				break;
		if (!*k)
			fail(x, s, "unknown setting \"%s\"", sname(s, b, sizeof(b)));
	}
}

static const config_setting_t *group(struct ctx *x, const config_setting_t *parent,
				     const char *name, const char *const *names)
{
	const config_setting_t *g = config_setting_get_member(parent, name);

	if (!g)
		return NULL;
	if (!config_setting_is_group(g)) {
		fail(x, g, "\"%s\" must be a group { ... }", name);
		return NULL;
	}
	check_names(x, g, names);
	return g;
}

static void get_u32(struct ctx *x, const config_setting_t *g, const char *name,
		    uint32_t *out, long long min, long long max)
{
	const config_setting_t *s = g ? config_setting_get_member(g, name) : NULL;
	long long v;
	char b[128];

	if (!s || x->failed)
		return;
	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64) {
		fail(x, s, "%s must be an integer", sname(s, b, sizeof(b)));
		return;
	}
	v = config_setting_get_int64(s);
	if (v < min || v > max) {
		fail(x, s, "%s = %lld is out of range [%lld, %lld]",
		     sname(s, b, sizeof(b)), v, min, max);
		return;
	}
	*out = (uint32_t)v;
}

static void get_u16(struct ctx *x, const config_setting_t *g, const char *name,
		    uint16_t *out, long long min, long long max)
{
	uint32_t v = *out;

	get_u32(x, g, name, &v, min, max);
	*out = (uint16_t)v;
}

static void get_bool(struct ctx *x, const config_setting_t *g, const char *name, bool *out)
{
	const config_setting_t *s = g ? config_setting_get_member(g, name) : NULL;
	char b[128];

	if (!s || x->failed)
		return;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		fail(x, s, "%s must be true or false", sname(s, b, sizeof(b)));
		return;
	}
	*out = config_setting_get_bool(s);
}

static void get_str(struct ctx *x, const config_setting_t *g, const char *name,
		    char *out, size_t len)
{
	const config_setting_t *s = g ? config_setting_get_member(g, name) : NULL;
	const char *v;
	char b[128];

	if (!s || x->failed)
		return;
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		fail(x, s, "%s must be a string", sname(s, b, sizeof(b)));
		return;
	}
	v = config_setting_get_string(s);
	if (strlen(v) >= len) {
		fail(x, s, "%s is too long (at most %zu bytes)", sname(s, b, sizeof(b)), len - 1);
		return;
	}
	strcpy(out, v);
}

const char *dcfg_method_name(enum dcfg_method m)
{
	switch (m) {
	case DCFG_METHOD_AUTO:
		return "auto";
	case DCFG_METHOD_STAMP:
		return "stamp";
	case DCFG_METHOD_ICMP:
		return "icmp";
	case DCFG_METHOD_PASSIVE:
		return "passive";
	}
	return "?";
}

bool dacc_prefix_equal(const struct dacc_prefix *a, const struct dacc_prefix *b)
{
	size_t alen = a->family == AF_INET ? 4 : 16;

	return a->family == b->family && a->plen == b->plen &&
	       !memcmp(a->addr.raw, b->addr.raw, alen);
}

bool dacc_prefix_contains(const struct dacc_prefix *p, int family, const void *addr)
{
	const uint8_t *a = addr;
	unsigned int bits = p->plen, i;

	if (family != p->family)
		return false;
	for (i = 0; bits >= 8; i++, bits -= 8)
		if (a[i] != p->addr.raw[i])
			return false;
	if (bits) {
		uint8_t m = (uint8_t)(0xff << (8 - bits));

		if ((a[i] & m) != (p->addr.raw[i] & m))
			return false;
	}
	return true;
}

bool dcfg_unicast(int family, const void *addr)
{
	const uint8_t *a = addr;
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (family == AF_INET6 && !memcmp(a, mapped, 12)) {
		family = AF_INET;
		a += 12;
	}
	if (family == AF_INET)
		/* 0.0.0.0/8, 224.0.0.0/4 (multicast), 240.0.0.0/4 and
		 * 255.255.255.255 (reserved and the limited broadcast)
		 */
		return a[0] != 0 && a[0] < 224;
	if (family == AF_INET6) {
		static const uint8_t zero[16];

		return a[0] != 0xff && memcmp(a, zero, 16);
	}
	return false;
}

bool dcfg_allowed(const struct dcfg *c, int family, const void *addr)
{
	unsigned int i;

	if (!c->nallow)
		return true;
	for (i = 0; i < c->nallow; i++)
		if (dacc_prefix_contains(&c->allow[i], family, addr))
			return true;
	return false;
}

int dcfg_find_dest(const struct dcfg *c, const struct dacc_prefix *p)
{
	unsigned int i;

	for (i = 0; i < c->ndests; i++)
		if (dacc_prefix_equal(&c->dests[i].prefix, p))
			return (int)i;
	return -1;
}

static const char *const dest_names[] = {
	"prefix", "targets", "method", "interval_ms", "port", NULL
};

static void parse_dest(struct ctx *x, struct dcfg *c, const config_setting_t *d,
		       struct dcfg_dest *out)
{
	const config_setting_t *s;
	char buf[32] = "auto", pbuf[256] = "";
	unsigned int i, n;

	out->line = config_setting_source_line(d);
	if (!config_setting_is_group(d)) {
		fail(x, d, "a destination must be a group { prefix = ...; targets = [...]; }");
		return;
	}
	check_names(x, d, dest_names);
	s = config_setting_get_member(d, "prefix");
	if (!s) {
		fail(x, d, "destination without \"prefix\"");
		return;
	}
	get_str(x, d, "prefix", pbuf, sizeof(pbuf));
	if (x->failed)
		return;
	if (dacc_prefix_parse(pbuf, &out->prefix, false) < 0) {
		fail(x, s, "prefix \"%s\" is not an address/length with no host bits set", pbuf);
		return;
	}
	if (dcfg_find_dest(c, &out->prefix) >= 0) {
		fail(x, s, "prefix \"%s\" appears twice", pbuf);
		return;
	}
	get_str(x, d, "method", buf, sizeof(buf));
	if (x->failed)
		return;
	if (!strcmp(buf, "auto"))
		out->method = DCFG_METHOD_AUTO;
	else if (!strcmp(buf, "stamp"))
		out->method = DCFG_METHOD_STAMP;
	else if (!strcmp(buf, "icmp"))
		out->method = DCFG_METHOD_ICMP;
	else if (!strcmp(buf, "passive"))
		out->method = DCFG_METHOD_PASSIVE;
	else {
		fail(x, config_setting_get_member(d, "method"),
		     "method \"%s\" is unknown (auto, stamp, icmp or passive)", buf);
		return;
	}
	out->interval_ms = c->interval_ms;
	get_u32(x, d, "interval_ms", &out->interval_ms, 10, 3600000);
	out->port = 0;
	get_u16(x, d, "port", &out->port, 1, 65535);
	if (!out->port)
		out->port = STAMP_PORT_DEFAULT_CFG;

	s = config_setting_get_member(d, "targets");
	if (!s) {
		if (out->method != DCFG_METHOD_PASSIVE)
			fail(x, d, "destination %s has no \"targets\" (or use method \"passive\")",
			     pbuf);
		return;
	}
	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		fail(x, s, "targets must be a list of addresses [\"10.0.0.1\", ...]");
		return;
	}
	n = (unsigned int)config_setting_length(s);
	if (n > DCFG_MAX_TARGETS) {
		fail(x, s, "at most %d targets per destination", DCFG_MAX_TARGETS);
		return;
	}
	if (!n && out->method != DCFG_METHOD_PASSIVE) {
		fail(x, s, "targets is empty");
		return;
	}
	for (i = 0; i < n; i++) {
		const config_setting_t *t = config_setting_get_elem(s, i);
		const char *a = config_setting_get_string(t);
		struct sockaddr_storage *ss = &out->targets[i];
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		if (!a) {
			fail(x, s, "target %u must be a string", i + 1);
			return;
		}
		memset(ss, 0, sizeof(*ss));
		if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
			s4->sin_family = AF_INET;
			if (!dcfg_unicast(AF_INET, &s4->sin_addr)) {
				fail(x, s, "target %s is not a unicast address", a);
				return;
			}
			if (!dacc_prefix_contains(&out->prefix, AF_INET, &s4->sin_addr)) {
				fail(x, s, "target %s is not in prefix %s", a, pbuf);
				return;
			}
		} else if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1) {
			s6->sin6_family = AF_INET6;
			if (!dcfg_unicast(AF_INET6, &s6->sin6_addr)) {
				fail(x, s, "target %s is not a unicast address", a);
				return;
			}
			if (!dacc_prefix_contains(&out->prefix, AF_INET6, &s6->sin6_addr)) {
				fail(x, s, "target %s is not in prefix %s", a, pbuf);
				return;
			}
		} else {
			fail(x, s, "target \"%s\" is not an IPv4 or IPv6 address", a);
			return;
		}
	}
	out->ntargets = n;
}

/* A list of strings at g.name: each is handed to one(); NULL when absent. */
static const config_setting_t *str_list(struct ctx *x, const config_setting_t *g,
					const char *name, unsigned int max)
{
	const config_setting_t *s = g ? config_setting_get_member(g, name) : NULL;
	char b[128];

	if (!s || x->failed)
		return NULL;
	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		fail(x, s, "%s must be a list of strings [\"...\", ...]", sname(s, b, sizeof(b)));
		return NULL;
	}
	if ((unsigned int)config_setting_length(s) > max) {
		fail(x, s, "%s: at most %u entries", sname(s, b, sizeof(b)), max);
		return NULL;
	}
	return s;
}

static void parse_bind(struct ctx *x, const config_setting_t *g, struct dcfg *c)
{
	const config_setting_t *s = str_list(x, g, "bind", DCFG_MAX_BIND);
	unsigned int i, k, n = s ? (unsigned int)config_setting_length(s) : 0;

	for (i = 0; i < n && !x->failed; i++) {
		const char *a = config_setting_get_string(config_setting_get_elem(s, i));
		struct sockaddr_storage *ss = &c->bind[i];
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		const void *ap;

		memset(ss, 0, sizeof(*ss));
		if (!a) {
			fail(x, s, "listen.bind entry %u must be a string", i + 1);
			return;
		}
		if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
			s4->sin_family = AF_INET;
			ap = &s4->sin_addr;
		} else if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1) {
			s6->sin6_family = AF_INET6;
			ap = &s6->sin6_addr;
		} else {
			fail(x, s, "listen.bind \"%s\" is not an IPv4 or IPv6 address", a);
			return;
		}
		if (!dcfg_unicast(ss->ss_family, ap)) {
			fail(x, s, "listen.bind \"%s\" is not a unicast address (leave bind out to listen on every address)",
			     a);
			return;
		}
		for (k = 0; k < i; k++)
			if (!memcmp(&c->bind[k], ss, sizeof(*ss))) {
				fail(x, s, "listen.bind \"%s\" appears twice", a);
				return;
			}
	}
	c->nbind = x->failed ? 0 : n;
}

static void parse_allow(struct ctx *x, const config_setting_t *g, struct dcfg *c)
{
	const config_setting_t *s = str_list(x, g, "allow", DCFG_MAX_ALLOW);
	unsigned int i, n = s ? (unsigned int)config_setting_length(s) : 0;

	if (s && !n) {
		fail(x, s, "listen.allow is empty: it would refuse every sender (set reflector = false instead)");
		return;
	}
	for (i = 0; i < n && !x->failed; i++) {
		const char *a = config_setting_get_string(config_setting_get_elem(s, i));

		if (!a) {
			fail(x, s, "listen.allow entry %u must be a string", i + 1);
			return;
		}
		if (dacc_prefix_parse(a, &c->allow[i], false) < 0) {
			fail(x, s, "listen.allow \"%s\" is not an address/length with no host bits set",
			     a);
			return;
		}
	}
	c->nallow = x->failed ? 0 : n;
}

int dcfg_parse_hostport(const char *listen_addr, struct sockaddr_storage *ss, socklen_t *sl)
{
	const char *colon = strrchr(listen_addr, ':');
	char host[128];
	unsigned long port;

	memset(ss, 0, sizeof(*ss));
	if (!colon || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return -EINVAL;
	port = strtoul(colon + 1, NULL, 10);
	if (!port || port > 65535)
		return -EINVAL;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - listen_addr), listen_addr);
	if (host[0] == '[' && strlen(host) >= 2 && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = 0;
	}
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		ss->ss_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		*sl = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		ss->ss_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		*sl = sizeof(struct sockaddr_in6);
	} else {
		return -EINVAL;
	}
	return 0;
}

static const char *const top_names[] = {
	"listen", "probe", "passive", "estimator", "push", "state_dir",
	"save_interval_ms", "state_max_age_ms", "metrics", "destinations", NULL
};
static const char *const listen_names[] = {
	"stamp_port", "reflector", "reflector_max_pps", "reflector_max_pps_per_source",
	"bind", "allow", NULL
};
static const char *const probe_names[] = {
	"enabled", "interval_ms", "timeout_ms", "max_pps", "source_port", NULL
};
static const char *const passive_names[] = { "enabled", "interval_ms", NULL };
static const char *const est_names[] = {
	"window_ms", "percentile", "min_samples", "change_samples", "change_ms",
	"band_pct", "band_min_us", "stale_ms", NULL
};
static const char *const push_names[] = {
	"hysteresis_pct", "hysteresis_min_us", "kernel_poll_ms", NULL
};
static const char *const metrics_names[] = { "listen", "file", "interval_ms", "kernel_profiles_max",
					       NULL };

static void dcfg_defaults(struct dcfg *c)
{
	const struct est_params ep = EST_PARAMS_DEFAULT;

	c->reflector = true;
	c->stamp_port = STAMP_PORT_DEFAULT_CFG;
	c->reflector_max_pps = 1000;
	c->reflector_max_pps_source = 100;
	c->probe_enabled = true;
	c->interval_ms = 1000;
	c->timeout_ms = 2000;
	c->max_pps = 50;
	c->source_port = 0;
	c->passive_enabled = true;
	c->passive_interval_ms = 1000;
	c->est = ep;
	c->hyst_pct = 3;
	c->hyst_min_us = 250;
	c->kernel_poll_ms = 2000;
	snprintf(c->state_dir, sizeof(c->state_dir), "%s", DCFG_STATE_DIR_DEFAULT);
	c->save_interval_ms = 10000;
	c->state_max_age_ms = 86400000;
	c->metrics_interval_ms = 5000;
	/* a table may hold 65536 profiles, each a dozen series */
	c->metrics_kernel_profiles_max = 1024;
}

static void parse_root(struct ctx *x, config_t *cf, struct dcfg *c)
{
	const config_setting_t *root = config_root_setting(cf), *g, *d;
	unsigned int i, n;

	check_names(x, root, top_names);
	g = group(x, root, "listen", listen_names);
	get_u16(x, g, "stamp_port", &c->stamp_port, 1, 65535);
	get_bool(x, g, "reflector", &c->reflector);
	get_u32(x, g, "reflector_max_pps", &c->reflector_max_pps, 1, 1000000);
	get_u32(x, g, "reflector_max_pps_per_source", &c->reflector_max_pps_source, 1, 1000000);
	parse_bind(x, g, c);
	parse_allow(x, g, c);

	g = group(x, root, "probe", probe_names);
	get_bool(x, g, "enabled", &c->probe_enabled);
	get_u32(x, g, "interval_ms", &c->interval_ms, 10, 3600000);
	get_u32(x, g, "timeout_ms", &c->timeout_ms, 10, 60000);
	get_u32(x, g, "max_pps", &c->max_pps, 1, 100000);
	get_u16(x, g, "source_port", &c->source_port, 0, 65535);
	if (!x->failed && c->source_port && c->source_port < 1024)
		fail(x, config_setting_get_member(g, "source_port"),
		     "probe.source_port %u: reflectors refuse ports below 1024 (0: any)",
		     c->source_port);

	g = group(x, root, "passive", passive_names);
	get_bool(x, g, "enabled", &c->passive_enabled);
	get_u32(x, g, "interval_ms", &c->passive_interval_ms, 100, 3600000);

	g = group(x, root, "estimator", est_names);
	get_u32(x, g, "window_ms", &c->est.window_ms, 1000, 86400000);
	get_u32(x, g, "percentile", &c->est.pct, 1, 50);
	get_u32(x, g, "min_samples", &c->est.min_samples, 3, EST_MAX_SAMPLES / 2);
	get_u32(x, g, "change_samples", &c->est.change_samples, 3, EST_MAX_SAMPLES / 2);
	get_u32(x, g, "change_ms", &c->est.change_ms, 0, 3600000);
	get_u32(x, g, "band_pct", &c->est.band_pct, 1, 100);
	get_u32(x, g, "band_min_us", &c->est.band_min_us, 0, 1000000);
	get_u32(x, g, "stale_ms", &c->est.stale_ms, 100, 86400000);

	g = group(x, root, "push", push_names);
	get_u32(x, g, "hysteresis_pct", &c->hyst_pct, 0, 100);
	get_u32(x, g, "hysteresis_min_us", &c->hyst_min_us, 0, 1000000);
	get_u32(x, g, "kernel_poll_ms", &c->kernel_poll_ms, 100, 600000);

	get_str(x, root, "state_dir", c->state_dir, sizeof(c->state_dir));
	if (!x->failed && c->state_dir[0] != '/')
		fail(x, config_setting_get_member(root, "state_dir"),
		     "state_dir \"%s\" must be an absolute path", c->state_dir);
	get_u32(x, root, "save_interval_ms", &c->save_interval_ms, 100, 3600000);
	get_u32(x, root, "state_max_age_ms", &c->state_max_age_ms, 1000, 2592000000LL);

	g = group(x, root, "metrics", metrics_names);
	get_str(x, g, "listen", c->metrics_listen, sizeof(c->metrics_listen));
	get_str(x, g, "file", c->metrics_file, sizeof(c->metrics_file));
	get_u32(x, g, "interval_ms", &c->metrics_interval_ms, 100, 3600000);
	get_u32(x, g, "kernel_profiles_max", &c->metrics_kernel_profiles_max, 0, 65536);
	if (!x->failed && c->metrics_listen[0]) {
		struct sockaddr_storage ss;
		socklen_t sl;

		/* digits only: strtol alone would take "+80" and " 80" */
		if (dcfg_parse_hostport(c->metrics_listen, &ss, &sl))
			fail(x, config_setting_get_member(g, "listen"),
			     "metrics.listen \"%s\" is not ADDRESS:PORT (e.g. 127.0.0.1:9862)",
			     c->metrics_listen);
	}
	if (x->failed)
		return;
	if (c->est.change_samples > c->est.min_samples * 4)
		fail(x, config_setting_get_member(root, "estimator"),
		     "estimator.change_samples %u is more than 4 * min_samples",
		     c->est.change_samples);

	if ((uint64_t)c->max_pps * c->timeout_ms > (uint64_t)DCFG_PROBE_SLOTS * 1000)
		fail(x, config_setting_get_member(root, "probe"),
		     "probe.timeout_ms %u at probe.max_pps %u keeps up to %llu probes outstanding; daccd tracks %d: lower one of them",
		     c->timeout_ms, c->max_pps,
		     (unsigned long long)c->max_pps * c->timeout_ms / 1000, DCFG_PROBE_SLOTS);
	if (x->failed)
		return;

	d = config_setting_get_member(root, "destinations");
	if (!d || x->failed)
		return;
	if (!config_setting_is_list(d)) {
		fail(x, d, "destinations must be a list ( { ... }, { ... } )");
		return;
	}
	n = (unsigned int)config_setting_length(d);
	if (n > DCFG_MAX_DESTS) {
		fail(x, d, "at most %d destinations", DCFG_MAX_DESTS);
		return;
	}
	c->dests = calloc(n ? n : 1, sizeof(*c->dests));
	if (!c->dests) {
		fail(x, d, "out of memory");
		return;
	}
	for (i = 0; i < n && !x->failed; i++) {
		parse_dest(x, c, config_setting_get_elem(d, i), &c->dests[i]);
		if (!x->failed)
			c->ndests = i + 1;
	}
}

static struct dcfg *dcfg_from(config_t *cf, int rc, const char *name, char *err, size_t errlen)
{
	struct ctx x = { .name = name, .err = err, .errlen = errlen };
	struct dcfg *c;

	if (rc != CONFIG_TRUE) {
		if (config_error_type(cf) == CONFIG_ERR_FILE_IO)
			snprintf(err, errlen, "%s: cannot read the file", name);
		else
			snprintf(err, errlen, "%s:%d: %s", name, config_error_line(cf),
				 config_error_text(cf));
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	dcfg_defaults(c);
	parse_root(&x, cf, c);
	if (x.failed) {
		dcfg_free(c);
		return NULL;
	}
	return c;
}

int dcfg_read_file(const char *path, int flags, size_t max, char **text, size_t *len)
{
	struct stat st;
	size_t got = 0;
	char *buf;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | flags);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		err = -errno;
	else if (S_ISDIR(st.st_mode))
		err = -EISDIR;
	else if (!S_ISREG(st.st_mode))
		err = -EINVAL;
	else if ((uint64_t)st.st_size > max)
		err = -EFBIG;
	buf = err ? NULL : malloc((size_t)st.st_size + 1);
	if (!err && !buf)
		err = -ENOMEM;
	while (!err && got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	buf[got] = 0;
	*text = buf;
	*len = got;
	return 0;
}

struct dcfg *dcfg_load(const char *path, char *err, size_t errlen)
{
	struct dcfg *c;
	char *text;
	size_t len;
	int r;

	/* Read it here, whole, and hand libconfig a string: its file scanner
	 * exits the process on a read error (a directory, say).
	 */
	r = dcfg_read_file(path, 0, DCFG_MAX_BYTES, &text, &len);
	if (r) {
		snprintf(err, errlen, "%s: %s", path,
			 r == -EISDIR ? "is a directory, not a configuration file" :
			 r == -EINVAL ? "is not a regular file" :
			 r == -EFBIG ? "is larger than 16 MiB: not a daccd configuration" :
			 strerror(-r));
		return NULL;
	}
	c = dcfg_parse_len(text, len, path, err, errlen);
	free(text);
	return c;
}

/* libconfig's @include opens files with its own scanner (see dcfg_load),
 * relative to the working directory: daccd configurations are one file.
 */
static int find_include(const char *text, size_t len)
{
	size_t i = 0;
	int line = 1;

	while (i < len) {
		size_t k = i;

		while (k < len && (text[k] == ' ' || text[k] == '\t'))
			k++;
		if (len - k >= 8 && !memcmp(text + k, "@include", 8))
			return line;
		while (i < len && text[i] != '\n')
			i++;
		i++;
		line++;
	}
	return 0;
}

struct dcfg *dcfg_parse_len(const char *text, size_t len, const char *name, char *err,
			    size_t errlen)
{
	struct dcfg *c;
	config_t cf;
	int rc, line;

	if (memchr(text, 0, len)) {
		snprintf(err, errlen, "%s: a NUL byte: not a text file", name);
		return NULL;
	}
	line = find_include(text, len);
	if (line) {
		snprintf(err, errlen, "%s:%d: @include is not supported: put everything in one file",
			 name, line);
		return NULL;
	}
	config_init(&cf);
	rc = config_read_string(&cf, text);
	c = dcfg_from(&cf, rc, name, err, errlen);
	config_destroy(&cf);
	return c;
}

struct dcfg *dcfg_parse(const char *text, const char *name, char *err, size_t errlen)
{
	return dcfg_parse_len(text, strlen(text), name, err, errlen);
}

void dcfg_free(struct dcfg *c)
{
	if (!c)
		return;
	free(c->dests);
	free(c);
}
