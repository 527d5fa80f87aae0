/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_dacc internals shared by the module's files: the congestion ops, the
 * per-namespace profile table and the generic netlink family.
 */
#ifndef _DACC_H
#define _DACC_H

#include <linux/init.h>
#include <linux/types.h>
#include <net/sock.h>

/* What a connection learns from its destination's profile at init. */
struct dacc_path {
	u32 base_rtt_us;	/* propagation RTT */
	u32 rttvar_us;		/* RTT variation (jitter) */
	u64 bw_bps;		/* bottleneck bandwidth, bit/s; 0: unknown */
	u32 loss_ppm;		/* random-loss baseline; 0: none known */
};

/*
 * Per-profile telemetry.  A connection that found a profile holds a
 * reference to its counters, so they outlive a deleted or replaced profile;
 * the congestion ops add to them without allocating or locking.
 */
struct dacc_pstats;

/* Look up sk's destination (longest-prefix match in sk's namespace).  On a
 * hit fill *path, count a started flow and return a referenced stats block;
 * NULL when no profile applies.  Callable from the congestion ops' init
 * (softirq or process context): RCU only, no allocation, no lock.
 */
struct dacc_pstats *dacc_profile_attach(const struct sock *sk, struct dacc_path *path);
/* Add a connection's progress since its last report. */
void dacc_pstats_account(struct dacc_pstats *ps, u64 bytes_acked, u32 retrans);
/* Report an RTT sample: folds into the lowest and the smoothed RTT seen. */
void dacc_pstats_rtt(struct dacc_pstats *ps, u32 rtt_us);
/* The connections that hold the stats block now (its profile's hint is
 * theirs to share), at least 1.
 */
u32 dacc_pstats_users(const struct dacc_pstats *ps);
/* The connections of the block that are window-limited (bulk transfers,
 * which share the hint's bandwidth): a connection enters and leaves the
 * count as its rounds change, at most once a round, and leaves it before
 * its put.
 */
void dacc_pstats_bulk(struct dacc_pstats *ps, bool on);
u32 dacc_pstats_bulk_flows(const struct dacc_pstats *ps);
/* Drop the connection's reference (from the congestion ops' release). */
void dacc_pstats_put(struct dacc_pstats *ps);

int dacc_cong_register(void);
void dacc_cong_unregister(void);

int dacc_profile_init(void);
void dacc_profile_exit(void);

int dacc_nl_init(void);
void dacc_nl_exit(void);

#endif /* _DACC_H */
