/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daccd: the configuration file (libconfig syntax), read and validated in
 * full before anything uses it; errors name the file's line.
 */
#ifndef DACCD_CONFIG_H
#define DACCD_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "dacc_nl.h"
#include "estimator.h"

#define DCFG_PATH_DEFAULT	"/etc/dacc/daccd.conf"
#define DCFG_STATE_DIR_DEFAULT	"/var/lib/dacc"
#define DCFG_MAX_DESTS		1024
#define DCFG_MAX_TARGETS	8
#define STAMP_PORT_DEFAULT_CFG	862
#define DCFG_MAX_BIND		8	/* listen.bind addresses */
#define DCFG_MAX_ALLOW		256	/* listen.allow prefixes */
/* Probes daccd can have outstanding: max_pps * timeout_ms must fit. */
#define DCFG_PROBE_SLOTS	4096
/* A config file larger than this is refused unread. */
#define DCFG_MAX_BYTES		(16 << 20)

enum dcfg_method {
	DCFG_METHOD_AUTO,	/* STAMP, ICMP echo while STAMP gets no answer */
	DCFG_METHOD_STAMP,
	DCFG_METHOD_ICMP,
	DCFG_METHOD_PASSIVE,	/* no probes: learn from TCP sockets only */
};

struct dcfg_dest {
	struct dacc_prefix prefix;
	struct sockaddr_storage targets[DCFG_MAX_TARGETS];
	unsigned int ntargets;
	enum dcfg_method method;
	uint32_t interval_ms;
	uint16_t port;		/* the reflectors' STAMP port */
	int line;
};

struct dcfg {
	/* listen: the reflector */
	bool reflector;
	uint16_t stamp_port;
	uint32_t reflector_max_pps;		/* all sources together */
	uint32_t reflector_max_pps_source;	/* each source address */
	struct sockaddr_storage bind[DCFG_MAX_BIND];	/* none: the wildcard */
	unsigned int nbind;
	struct dacc_prefix allow[DCFG_MAX_ALLOW];	/* none: any source */
	unsigned int nallow;
	/* probe: the sender */
	bool probe_enabled;
	uint32_t interval_ms, timeout_ms, max_pps;
	uint16_t source_port;	/* 0: ephemeral */
	/* passive learning */
	bool passive_enabled;
	uint32_t passive_interval_ms;
	struct est_params est;
	/* push */
	uint32_t hyst_pct, hyst_min_us, kernel_poll_ms;
	/* persistence */
	char state_dir[PATH_MAX];
	uint32_t save_interval_ms;
	uint32_t state_max_age_ms;	/* an older state file is not restored */
	/* metrics: "host:port" or "" and a file path or "" */
	char metrics_listen[128];
	char metrics_file[PATH_MAX];
	uint32_t metrics_interval_ms;
	uint32_t metrics_kernel_profiles_max;	/* profiles with series of their own */

	struct dcfg_dest *dests;
	unsigned int ndests;
};

/* Read and validate; on error NULL and "FILE:LINE: message" in err. */
struct dcfg *dcfg_load(const char *path, char *err, size_t errlen);
/* The same from a string (the name is used in messages). */
struct dcfg *dcfg_parse(const char *text, const char *name, char *err, size_t errlen);
/* The whole regular file at path, NUL-terminated, at most max bytes: 0
 * with *text (malloc'ed) and *len, or -errno (-EISDIR: a directory,
 * -EINVAL: not a regular file, -EFBIG: larger than max).  flags are added
 * to open(2)'s (O_NOFOLLOW).
 */
int dcfg_read_file(const char *path, int flags, size_t max, char **text, size_t *len);
/* The same from len bytes (NUL-terminated at text[len]). */
struct dcfg *dcfg_parse_len(const char *text, size_t len, const char *name, char *err,
			    size_t errlen);
void dcfg_free(struct dcfg *c);
const char *dcfg_method_name(enum dcfg_method m);
/* -1 when none matches exactly. */
int dcfg_find_dest(const struct dcfg *c, const struct dacc_prefix *p);
bool dacc_prefix_equal(const struct dacc_prefix *a, const struct dacc_prefix *b);
bool dacc_prefix_contains(const struct dacc_prefix *p, int family, const void *addr);
/* An address a probe may go to or a reflector may bind: not unspecified,
 * multicast or the limited broadcast (an IPv4-mapped one counts as IPv4).
 */
bool dcfg_unicast(int family, const void *addr);
/* "ADDRESS:PORT" or "[IPV6]:PORT" (the port digits only, 1-65535) into
 * ss and sl; 0 or -EINVAL.
 */
int dcfg_parse_hostport(const char *s, struct sockaddr_storage *ss, socklen_t *sl);
/* Does the listen.allow list admit a packet from addr? */
bool dcfg_allowed(const struct dcfg *c, int family, const void *addr);

#endif
