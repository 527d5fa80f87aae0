/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dacc: distance-aware congestion control, generic netlink UAPI.
 * The contract is Documentation/netlink/dacc.yaml; keep both in step.
 */
#ifndef _UAPI_LINUX_DACC_H
#define _UAPI_LINUX_DACC_H

#define DACC_GENL_NAME		"dacc"
#define DACC_GENL_VERSION	1
#define DACC_MCGRP_EVENTS	"events"

/* Limits enforced by the kernel's policy (and checked early by the CLI). */
#define DACC_RTT_MIN_US		1U
#define DACC_RTT_MAX_US		10000000U	/* 10 s */
/* A path that loses more than a tenth of its packets at random is broken,
 * not one to model: the loss response counts a loss rate above 4 x the
 * baseline as congestion, which at 25% would never be.
 */
#define DACC_LOSS_MAX_PPM	100000U
/* Twice the 800 Gbit/s the model's fixed point is sized for. */
#define DACC_BW_MAX_BPS		1600000000000ULL

/* Where a profile came from: set by the operator, or learned by daccd. */
enum dacc_source {
	DACC_SOURCE_STATIC,
	DACC_SOURCE_LEARNED,

	/* private: */
	__DACC_SOURCE_MAX,
};

enum {
	DACC_CMD_UNSPEC,
	DACC_CMD_PROFILE_ADD,	/* NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE as rtnetlink */
	DACC_CMD_PROFILE_DEL,	/* exact prefix */
	DACC_CMD_PROFILE_GET,	/* doit: longest-prefix match of an address;
				 * dumpit: every profile of the namespace
				 */
	DACC_CMD_PROFILE_FLUSH,	/* delete all; DACC_A_PROFILE_SOURCE limits it */
	DACC_CMD_STATS_GET,	/* namespace-wide statistics */
	DACC_CMD_PROFILE_NTF,	/* event: a profile was added or replaced */
	DACC_CMD_PROFILE_DEL_NTF, /* event: a profile was deleted */
	DACC_CMD_FLUSH_NTF,	/* event: the table was flushed */

	/* private: */
	__DACC_CMD_MAX,
};

#define DACC_CMD_MAX (__DACC_CMD_MAX - 1)

/* Top-level attributes. */
enum {
	DACC_A_UNSPEC,
	DACC_A_PAD,
	DACC_A_PROFILE,		/* nest, DACC_A_PROFILE_* */
	DACC_A_STATS,		/* nest, DACC_A_STATS_* */

	/* private: */
	__DACC_A_MAX,
};

#define DACC_A_MAX (__DACC_A_MAX - 1)

/* A profile: what is known about the path to a destination prefix. */
enum {
	DACC_A_PROFILE_UNSPEC,
	DACC_A_PROFILE_PAD,
	DACC_A_PROFILE_FAMILY,		/* u16, AF_INET or AF_INET6 */
	DACC_A_PROFILE_ADDR,		/* binary, 4 or 16 bytes, network order */
	DACC_A_PROFILE_PREFIXLEN,	/* u8, 0..32 or 0..128 */
	DACC_A_PROFILE_RTT_US,		/* u32, base (propagation) RTT */
	DACC_A_PROFILE_RTTVAR_US,	/* u32, RTT variation (jitter) */
	DACC_A_PROFILE_BW_BPS,		/* u64, bottleneck bandwidth, bit/s */
	DACC_A_PROFILE_LOSS_PPM,	/* u32, random-loss baseline */
	DACC_A_PROFILE_SOURCE,		/* u8, enum dacc_source */
	DACC_A_PROFILE_AGE_MS,		/* u64, since the last update (read-only) */
	/* per-profile telemetry, maintained by the congestion ops (read-only) */
	DACC_A_PROFILE_FLOWS,		/* u64, connections started */
	DACC_A_PROFILE_BYTES_ACKED,	/* u64 */
	DACC_A_PROFILE_RETRANS,		/* u64, retransmitted segments */
	DACC_A_PROFILE_MIN_RTT_US,	/* u32, lowest RTT seen (0: none yet) */
	DACC_A_PROFILE_SRTT_US,		/* u32, smoothed RTT seen (0: none yet) */

	/* private: */
	__DACC_A_PROFILE_MAX,
};

#define DACC_A_PROFILE_MAX (__DACC_A_PROFILE_MAX - 1)

/* Namespace-wide statistics (read-only). */
enum {
	DACC_A_STATS_UNSPEC,
	DACC_A_STATS_PAD,
	DACC_A_STATS_PROFILES,		/* u32, profiles in this namespace */
	DACC_A_STATS_MAX_PROFILES,	/* u32, the module's limit */
	DACC_A_STATS_LOOKUPS,		/* u64, connection inits that looked up */
	DACC_A_STATS_HITS,		/* u64, lookups that found a profile */
	DACC_A_STATS_ADDS,		/* u64, profiles added or replaced */
	DACC_A_STATS_DELS,		/* u64, profiles deleted (flush included) */
	DACC_A_STATS_GENERATION,	/* u32, bumped on every table change */

	/* private: */
	__DACC_A_STATS_MAX,
};

#define DACC_A_STATS_MAX (__DACC_A_STATS_MAX - 1)

#endif /* _UAPI_LINUX_DACC_H */
