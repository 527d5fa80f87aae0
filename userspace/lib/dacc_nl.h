/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libdacc: a small client of the "dacc" generic netlink family over libmnl,
 * shared by the dacc CLI and daccd.  Errors come back as -errno with the
 * kernel's extack text (when it sent one) in dacc_nl_error(nl).
 */
#ifndef DACC_NL_H
#define DACC_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/dacc.h>

struct dacc_nl;

/* A destination prefix: family AF_INET or AF_INET6, address in network order
 * (host bits beyond plen must be zero for the kernel to accept it).
 */
struct dacc_prefix {
	uint16_t family;
	uint8_t plen;
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t raw[16];
	} addr;
};

/* A profile as sent and received.  Fields a request does not set are zero;
 * the has_* flags say which optional attributes are present.
 */
struct dacc_profile {
	struct dacc_prefix prefix;
	uint32_t rtt_us;		/* base RTT, required on add */
	uint32_t rttvar_us;
	uint64_t bw_bps;
	uint32_t loss_ppm;
	uint8_t source;			/* enum dacc_source */
	bool has_rttvar, has_bw, has_loss;
	/* read-only, filled on get/dump */
	uint64_t age_ms;
	uint64_t flows, bytes_acked, retrans;
	uint32_t min_rtt_us, srtt_us;
};

struct dacc_stats {
	uint32_t profiles, max_profiles, generation;
	uint64_t lookups, hits, adds, dels;
};

/* An event from the "events" multicast group. */
struct dacc_event {
	uint8_t cmd;		/* DACC_CMD_PROFILE_NTF, _DEL_NTF or _FLUSH_NTF */
	struct dacc_profile profile;	/* not set for a flush */
	int flush_source;	/* FLUSH_NTF: the source flushed, -1: all */
};

/* Open a netlink socket and resolve the family.  NULL with errno set on
 * failure; -ENOENT (family missing) means the module is not loaded.
 */
struct dacc_nl *dacc_nl_open(void);
void dacc_nl_close(struct dacc_nl *nl);
/* The extack message of the last failed request, or strerror of it. */
const char *dacc_nl_error(const struct dacc_nl *nl);
/* The socket, for poll() in daemons. */
int dacc_nl_fd(const struct dacc_nl *nl);
/* The family's id, as resolved by dacc_nl_open(). */
uint16_t dacc_nl_family_id(const struct dacc_nl *nl);

/* Add a profile; excl: fail with -EEXIST if the prefix exists (NLM_F_EXCL),
 * else create or replace.
 */
int dacc_profile_add(struct dacc_nl *nl, const struct dacc_profile *p, bool excl);
int dacc_profile_del(struct dacc_nl *nl, const struct dacc_prefix *prefix);
/* The profile that applies to an address (longest-prefix match): a prefix
 * with plen 32/128.  -ENOENT when none.
 */
int dacc_profile_get(struct dacc_nl *nl, const struct dacc_prefix *addr,
		     struct dacc_profile *out);
/* Call cb for every profile of the namespace; a non-zero cb return stops
 * the dump and is returned.
 */
int dacc_profile_dump(struct dacc_nl *nl,
		      int (*cb)(const struct dacc_profile *p, void *arg), void *arg);
/* True when the kernel flagged the last dump as interrupted by a change of
 * the table (NLM_F_DUMP_INTR): it may have missed or repeated profiles.
 */
bool dacc_nl_dump_interrupted(const struct dacc_nl *nl);
/* Flush all profiles, or only those of one source (source < 0: all). */
int dacc_profile_flush(struct dacc_nl *nl, int source);
int dacc_stats_get(struct dacc_nl *nl, struct dacc_stats *out);

/* Join the events group; then dacc_nl_recv_event() blocks for one event.
 * Events that arrive while a request runs on the same handle are dropped:
 * use a handle of its own for events.  -ENOBUFS: events were lost.
 */
int dacc_nl_subscribe(struct dacc_nl *nl);
int dacc_nl_recv_event(struct dacc_nl *nl, struct dacc_event *ev);

/* Parse "10.0.0.0/8", "fd00::/16", or a bare address (plen = full length).
 * Rejects host bits set beyond plen unless allow_host_bits (then they are
 * cleared).  Returns 0 or -EINVAL.
 */
int dacc_prefix_parse(const char *word, struct dacc_prefix *out, bool allow_host_bits);
/* "10.0.0.0/8"; buf of at least DACC_PREFIX_STRLEN bytes. */
#define DACC_PREFIX_STRLEN (INET6_ADDRSTRLEN + 5)
const char *dacc_prefix_format(const struct dacc_prefix *p, char *buf, size_t len);

#endif
