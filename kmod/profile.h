/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The profile table's entries and its interface to the netlink family.
 * The congestion ops use only the dacc_profile_attach() family in dacc.h.
 */
#ifndef _DACC_PROFILE_H
#define _DACC_PROFILE_H

#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/seqlock.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>

#define DACC_PLENS4	33	/* prefix lengths 0..32 */
#define DACC_PLENS6	129	/* prefix lengths 0..128 */

/* Hash and order key: family, prefix length, address with host bits clear. */
struct dacc_key {
	u8 family;		/* AF_INET or AF_INET6 */
	u8 plen;
	u16 zero;		/* hashed: always 0 */
	__be32 addr[4];		/* IPv4 in addr[0], the rest 0 */
};

struct dacc_pstats {
	refcount_t refcnt;	/* the profile's and each connection's */
	atomic_t min_rtt_us;	/* 0: no sample yet */
	atomic_t srtt_us;
	atomic_t bulk;		/* connections whose last round was window-limited */
	atomic64_t flows;
	atomic64_t bytes_acked;
	atomic64_t retrans;
};

struct dacc_profile {
	struct rhash_head node;
	struct rb_node rb;
	struct dacc_key key;
	u32 rtt_us;
	u32 rttvar_us;
	u32 loss_ppm;
	u8 source;		/* enum dacc_source */
	u8 has_loss:1;
	u64 bw_bps;		/* 0: not set */
	unsigned long updated;	/* jiffies */
	struct dacc_pstats *stats;
	struct rcu_head rcu;
};

struct dacc_table {
	struct rhashtable ht;	/* lookups, under RCU */
	struct rb_root root;	/* ordered; walked under RCU, see seq */
	struct mutex lock;	/* serialises writers */
	/* Bumped around every change of the tree's shape: a walk under RCU
	 * (dumps) that saw it move retries (see dacc_profile_next_rcu()).
	 */
	seqcount_mutex_t seq;
	u32 count;		/* written under lock, read with READ_ONCE */
	u32 generation;
	DECLARE_BITMAP(plens4, DACC_PLENS4);	/* lengths in use */
	DECLARE_BITMAP(plens6, DACC_PLENS6);
	u32 plen_count4[DACC_PLENS4];
	u32 plen_count6[DACC_PLENS6];
	atomic64_t lookups;
	atomic64_t hits;
	atomic64_t adds;
	atomic64_t dels;
};

struct dacc_table *dacc_table(const struct net *net);
unsigned int dacc_max_profiles(void);
void dacc_key_mask(struct dacc_key *key);
bool dacc_key_has_host_bits(const struct dacc_key *key);

struct dacc_profile *dacc_profile_find(struct dacc_table *t, const struct dacc_key *key);
struct dacc_profile *dacc_profile_next(struct dacc_table *t, const struct dacc_key *key);
struct dacc_profile *dacc_profile_match_rcu(struct dacc_table *t, const struct dacc_key *addr);
struct dacc_profile *dacc_profile_next_rcu(struct dacc_table *t, const struct dacc_key *key,
					   unsigned int *seq);
bool dacc_profile_walk_retry(struct dacc_table *t, unsigned int seq);
struct dacc_profile *dacc_profile_set(struct dacc_table *t,
				      const struct dacc_profile *tmpl, bool excl);
void dacc_profile_remove(struct dacc_table *t, struct dacc_profile *p);
unsigned int dacc_profile_flush(struct dacc_table *t, int source);

#endif /* _DACC_PROFILE_H */
