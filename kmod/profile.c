// SPDX-License-Identifier: GPL-2.0
/*
 * The per-namespace profile table: IPv4/IPv6 prefixes to what is known of
 * the path (base RTT, jitter, bandwidth, loss), with longest-prefix match.
 *
 * Two indexes over the same entries.  An rhashtable keyed by (family,
 * prefix length, masked address) serves the congestion ops: a lookup probes
 * the prefix lengths in use, longest first, under RCU, with no lock and no
 * allocation.  An rbtree ordered by the same key serves netlink: exact
 * get/del, and dumps that resume after the last key sent, so a dump racing
 * with changes never repeats an entry.  Writers hold the table's mutex;
 * readers (the congestion ops, netlink's get and dumps) take no lock: the
 * rbtree's writers store its pointers with WRITE_ONCE (lib/rbtree.c), so a
 * walk under RCU never loops or touches freed memory, and the table's
 * seqcount tells a walk that raced with a change to retry.
 *
 * Memory: an unprivileged user who creates a user and network namespace
 * owns that namespace's table, so profiles and their telemetry are charged
 * to the writer's memory cgroup (SLAB_ACCOUNT, GFP_KERNEL_ACCOUNT).
 *
 * A profile's telemetry lives in a separately refcounted block, shared by
 * the profile and every connection that attached to it, so a connection
 * can keep counting after its profile was replaced or deleted.
 */
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/rbtree.h>
#include <linux/ipv6.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "dacc.h"
#include "profile.h"

static unsigned int max_profiles __read_mostly = 65536;
module_param(max_profiles, uint, 0644);
MODULE_PARM_DESC(max_profiles, "Most profiles one network namespace may hold (default 65536)");

static unsigned int dacc_net_id __read_mostly;

/* Own caches: /proc/slabinfo shows the table's memory, and destroying them
 * at unload complains about any profile or stats block left behind.
 */
static struct kmem_cache *dacc_profile_cache __read_mostly;
static struct kmem_cache *dacc_pstats_cache __read_mostly;

static const struct rhashtable_params dacc_ht_params = {
	.key_len		= sizeof(struct dacc_key),
	.key_offset		= offsetof(struct dacc_profile, key),
	.head_offset		= offsetof(struct dacc_profile, node),
	.automatic_shrinking	= true,
};

struct dacc_table *dacc_table(const struct net *net)
{
	return net_generic(net, dacc_net_id);
}

unsigned int dacc_max_profiles(void)
{
	return READ_ONCE(max_profiles);
}

static unsigned int dacc_key_bits(u8 family)
{
	return family == AF_INET ? 32 : 128;
}

/* Clear the address bits past plen. */
void dacc_key_mask(struct dacc_key *key)
{
	unsigned int i, plen = key->plen;

	for (i = 0; i < ARRAY_SIZE(key->addr); i++) {
		if (plen >= 32) {
			plen -= 32;
			continue;
		}
		key->addr[i] &= plen ? htonl(~0U << (32 - plen)) : 0;
		plen = 0;
	}
}

/* True when address bits past plen are set. */
bool dacc_key_has_host_bits(const struct dacc_key *key)
{
	struct dacc_key masked = *key;

	dacc_key_mask(&masked);
	return memcmp(masked.addr, key->addr, sizeof(key->addr)) != 0;
}

static int dacc_key_cmp(const struct dacc_key *a, const struct dacc_key *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof(a->addr));
}

static unsigned long *dacc_plens(struct dacc_table *t, u8 family)
{
	return family == AF_INET ? t->plens4 : t->plens6;
}

static u32 *dacc_plen_counts(struct dacc_table *t, u8 family)
{
	return family == AF_INET ? t->plen_count4 : t->plen_count6;
}

/* Longest-prefix match of a full-length key.  Caller holds rcu_read_lock. */
static struct dacc_profile *dacc_lookup_rcu(struct dacc_table *t,
					    const struct dacc_key *addr)
{
	const unsigned long *plens = dacc_plens(t, addr->family);
	struct dacc_profile *p;
	struct dacc_key key;
	int plen;

	for (plen = dacc_key_bits(addr->family); plen >= 0; plen--) {
		if (!test_bit(plen, plens))
			continue;
		key = *addr;
		key.plen = plen;
		dacc_key_mask(&key);
		p = rhashtable_lookup(&t->ht, &key, dacc_ht_params);
		if (p)
			return p;
	}
	return NULL;
}

/* Longest-prefix match; caller holds rcu_read_lock, the result lives
 * until it drops it.
 */
struct dacc_profile *dacc_profile_match_rcu(struct dacc_table *t,
					    const struct dacc_key *addr)
{
	return dacc_lookup_rcu(t, addr);
}

struct dacc_profile *dacc_profile_find(struct dacc_table *t,
				       const struct dacc_key *key)
{
	struct rb_node *n = t->root.rb_node;
	struct dacc_profile *p;
	int c;

	lockdep_assert_held(&t->lock);
	while (n) {
		p = rb_entry(n, struct dacc_profile, rb);
		c = dacc_key_cmp(key, &p->key);
		if (!c)
			return p;
		n = c < 0 ? n->rb_left : n->rb_right;
	}
	return NULL;
}

/* The first profile whose key is greater than key (all when key is NULL). */
struct dacc_profile *dacc_profile_next(struct dacc_table *t,
				       const struct dacc_key *key)
{
	struct rb_node *n = t->root.rb_node;
	struct dacc_profile *p, *best = NULL;

	lockdep_assert_held(&t->lock);
	if (!key) {
		n = rb_first(&t->root);
		return n ? rb_entry(n, struct dacc_profile, rb) : NULL;
	}
	while (n) {
		p = rb_entry(n, struct dacc_profile, rb);
		if (dacc_key_cmp(&p->key, key) > 0) {
			best = p;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best;
}

/*
 * The same under RCU, for dumps: *seq is the table's sequence the walk
 * started at (read_seqcount_begin); after using the result, a caller for
 * whom dacc_profile_walk_retry() is true drops it and walks again.  The
 * rbtree is not RCU-safe in general: a walk racing with a rotation may
 * miss entries (never loop, never fault), which the retry catches.
 */
struct dacc_profile *dacc_profile_next_rcu(struct dacc_table *t,
					   const struct dacc_key *key,
					   unsigned int *seq)
{
	struct rb_node *n;
	struct dacc_profile *p, *best = NULL;

	*seq = read_seqcount_begin(&t->seq);
	n = rcu_dereference_raw(t->root.rb_node);
	while (n) {
		p = rb_entry(n, struct dacc_profile, rb);
		if (!key || dacc_key_cmp(&p->key, key) > 0) {
			best = p;
			n = rcu_dereference_raw(n->rb_left);
		} else {
			n = rcu_dereference_raw(n->rb_right);
		}
	}
	return best;
}

bool dacc_profile_walk_retry(struct dacc_table *t, unsigned int seq)
{
	return read_seqcount_retry(&t->seq, seq);
}

void dacc_pstats_put(struct dacc_pstats *ps)
{
	if (ps && refcount_dec_and_test(&ps->refcnt))
		kmem_cache_free(dacc_pstats_cache, ps);
}

u32 dacc_pstats_users(const struct dacc_pstats *ps)
{
	/* One reference is the profile's while it is in the table; after
	 * it left, one connection is undercounted: the start is bolder.
	 */
	return max_t(int, refcount_read(&ps->refcnt) - 1, 1);
}

void dacc_pstats_bulk(struct dacc_pstats *ps, bool on)
{
	if (on)
		atomic_inc(&ps->bulk);
	else
		atomic_dec(&ps->bulk);
}

u32 dacc_pstats_bulk_flows(const struct dacc_pstats *ps)
{
	return max_t(int, atomic_read(&ps->bulk), 0);
}

void dacc_pstats_account(struct dacc_pstats *ps, u64 bytes_acked, u32 retrans)
{
	if (bytes_acked)
		atomic64_add(bytes_acked, &ps->bytes_acked);
	if (retrans)
		atomic64_add(retrans, &ps->retrans);
}

void dacc_pstats_rtt(struct dacc_pstats *ps, u32 rtt_us)
{
	u32 old, srtt;

	if (!rtt_us)
		return;
	old = atomic_read(&ps->min_rtt_us);
	while (!old || rtt_us < old) {
		u32 seen = atomic_cmpxchg(&ps->min_rtt_us, old, rtt_us);

		if (seen == old)
			break;
		old = seen;
	}
	/* EWMA with gain 1/8, as TCP's srtt; a lost race only drops a sample. */
	srtt = atomic_read(&ps->srtt_us);
	srtt = srtt ? srtt - (srtt >> 3) + (rtt_us >> 3) : rtt_us;
	atomic_set(&ps->srtt_us, srtt);
}

/* The key of a socket's destination (a v4-mapped IPv6 one is IPv4's). */
static void dacc_sk_key(const struct sock *sk, struct dacc_key *key)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6 && !ipv6_addr_v4mapped(&sk->sk_v6_daddr)) {
		key->family = AF_INET6;
		key->plen = 128;
		memcpy(key->addr, &sk->sk_v6_daddr, sizeof(key->addr));
		return;
	}
#endif
	key->family = AF_INET;
	key->plen = 32;
	key->addr[0] = sk->sk_daddr;
}

struct dacc_pstats *dacc_profile_attach(const struct sock *sk, struct dacc_path *path)
{
	struct dacc_table *t = dacc_table(sock_net(sk));
	struct dacc_pstats *ps = NULL;
	struct dacc_profile *p;
	struct dacc_key key = {};

	dacc_sk_key(sk, &key);

	atomic64_inc(&t->lookups);
	rcu_read_lock();
	p = dacc_lookup_rcu(t, &key);
	if (p) {
		path->base_rtt_us = p->rtt_us;
		path->rttvar_us = p->rttvar_us;
		path->bw_bps = p->bw_bps;
		path->loss_ppm = p->loss_ppm;
		/* The profile holds a reference until an RCU grace period
		 * after it left the table, so this one cannot be the first.
		 */
		ps = p->stats;
		refcount_inc(&ps->refcnt);
		atomic64_inc(&ps->flows);
		atomic64_inc(&t->hits);
	}
	rcu_read_unlock();
	return ps;
}

static void dacc_profile_free_rcu(struct rcu_head *head)
{
	struct dacc_profile *p = container_of(head, struct dacc_profile, rcu);

	dacc_pstats_put(p->stats);
	kmem_cache_free(dacc_profile_cache, p);
}

static void dacc_plen_get(struct dacc_table *t, const struct dacc_key *key)
{
	if (!dacc_plen_counts(t, key->family)[key->plen]++)
		set_bit(key->plen, dacc_plens(t, key->family));
}

static void dacc_plen_put(struct dacc_table *t, const struct dacc_key *key)
{
	if (!--dacc_plen_counts(t, key->family)[key->plen])
		clear_bit(key->plen, dacc_plens(t, key->family));
}

/*
 * Insert a new profile or replace the one with the same key.  *tmpl holds
 * the key (masked) and the path values.  Returns the profile now in the
 * table, or an ERR_PTR: -EEXIST (excl), -ENOSPC (full), -ENOMEM.
 */
struct dacc_profile *dacc_profile_set(struct dacc_table *t,
				      const struct dacc_profile *tmpl, bool excl)
{
	struct dacc_profile *old, *p;
	struct rb_node **link, *parent = NULL;
	int err;

	lockdep_assert_held(&t->lock);
	old = dacc_profile_find(t, &tmpl->key);
	if (old && excl)
		return ERR_PTR(-EEXIST);
	if (!old && t->count >= dacc_max_profiles())
		return ERR_PTR(-ENOSPC);

	p = kmem_cache_alloc(dacc_profile_cache, GFP_KERNEL_ACCOUNT);
	if (!p)
		return ERR_PTR(-ENOMEM);
	*p = *tmpl;
	p->updated = jiffies;

	if (old) {
		/* Same telemetry block: the counters go on across a replace. */
		p->stats = old->stats;
		refcount_inc(&p->stats->refcnt);
		err = rhashtable_replace_fast(&t->ht, &old->node, &p->node, dacc_ht_params);
		if (err) {
			dacc_pstats_put(p->stats);
			kmem_cache_free(dacc_profile_cache, p);
			return ERR_PTR(err);
		}
		write_seqcount_begin(&t->seq);
		rb_replace_node_rcu(&old->rb, &p->rb, &t->root);
		write_seqcount_end(&t->seq);
		call_rcu(&old->rcu, dacc_profile_free_rcu);
		goto out;
	}

	p->stats = kmem_cache_zalloc(dacc_pstats_cache, GFP_KERNEL_ACCOUNT);
	if (!p->stats) {
		kmem_cache_free(dacc_profile_cache, p);
		return ERR_PTR(-ENOMEM);
	}
	refcount_set(&p->stats->refcnt, 1);
	err = rhashtable_insert_fast(&t->ht, &p->node, dacc_ht_params);
	if (err) {
		dacc_pstats_put(p->stats);
		kmem_cache_free(dacc_profile_cache, p);
		return ERR_PTR(err);
	}
	link = &t->root.rb_node;
	while (*link) {
		parent = *link;
		if (dacc_key_cmp(&p->key, &rb_entry(parent, struct dacc_profile, rb)->key) < 0)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	write_seqcount_begin(&t->seq);
	rb_link_node_rcu(&p->rb, parent, link);
	rb_insert_color(&p->rb, &t->root);
	write_seqcount_end(&t->seq);
	dacc_plen_get(t, &p->key);
	WRITE_ONCE(t->count, t->count + 1);
out:
	WRITE_ONCE(t->generation, t->generation + 1);
	atomic64_inc(&t->adds);
	return p;
}

/* Unlink a profile; it is freed after a grace period. */
void dacc_profile_remove(struct dacc_table *t, struct dacc_profile *p)
{
	lockdep_assert_held(&t->lock);
	rhashtable_remove_fast(&t->ht, &p->node, dacc_ht_params);
	write_seqcount_begin(&t->seq);
	rb_erase(&p->rb, &t->root);
	write_seqcount_end(&t->seq);
	dacc_plen_put(t, &p->key);
	WRITE_ONCE(t->count, t->count - 1);
	WRITE_ONCE(t->generation, t->generation + 1);
	atomic64_inc(&t->dels);
	call_rcu(&p->rcu, dacc_profile_free_rcu);
}

static void dacc_plens_clear(unsigned long *plens, unsigned int nbits)
{
	unsigned int b;

	for_each_set_bit(b, plens, nbits)
		clear_bit(b, plens);
}

/* Remove every profile, or those of one source (source < 0: all). */
unsigned int dacc_profile_flush(struct dacc_table *t, int source)
{
	struct dacc_profile *p, *next;
	struct rb_root old;
	unsigned int n = 0;

	lockdep_assert_held(&t->lock);
	if (source >= 0) {
		for (p = dacc_profile_next(t, NULL); p; p = next) {
			next = dacc_profile_next(t, &p->key);
			if (p->source == source) {
				dacc_profile_remove(t, p);
				n++;
			}
		}
		return n;
	}
	/* Readers walking the tree see it emptied at once (its root), then
	 * the entries go after a grace period; none is freed under a walk.
	 */
	old = t->root;
	write_seqcount_begin(&t->seq);
	WRITE_ONCE(t->root.rb_node, NULL);
	write_seqcount_end(&t->seq);
	rbtree_postorder_for_each_entry_safe(p, next, &old, rb) {
		rhashtable_remove_fast(&t->ht, &p->node, dacc_ht_params);
		call_rcu(&p->rcu, dacc_profile_free_rcu);
		n++;
	}
	memset(t->plen_count4, 0, sizeof(t->plen_count4));
	memset(t->plen_count6, 0, sizeof(t->plen_count6));
	/* Bit by bit: lookups test them without the lock (test_bit). */
	dacc_plens_clear(t->plens4, DACC_PLENS4);
	dacc_plens_clear(t->plens6, DACC_PLENS6);
	WRITE_ONCE(t->count, 0);
	WRITE_ONCE(t->generation, t->generation + 1);
	atomic64_add(n, &t->dels);
	return n;
}

static int __net_init dacc_net_init(struct net *net)
{
	struct dacc_table *t = dacc_table(net);

	mutex_init(&t->lock);
	seqcount_mutex_init(&t->seq, &t->lock);
	t->root = RB_ROOT;
	return rhashtable_init(&t->ht, &dacc_ht_params);
}

static void __net_exit dacc_net_exit(struct net *net)
{
	struct dacc_table *t = dacc_table(net);

	mutex_lock(&t->lock);
	dacc_profile_flush(t, -1);
	mutex_unlock(&t->lock);
	/* No socket of a dying namespace can look up any more. */
	rhashtable_destroy(&t->ht);
}

static struct pernet_operations dacc_net_ops = {
	.init	= dacc_net_init,
	.exit	= dacc_net_exit,
	.id	= &dacc_net_id,
	.size	= sizeof(struct dacc_table),
};

int dacc_profile_init(void)
{
	int err = -ENOMEM;

	dacc_profile_cache = KMEM_CACHE(dacc_profile, SLAB_ACCOUNT);
	dacc_pstats_cache = KMEM_CACHE(dacc_pstats, SLAB_ACCOUNT);
	if (!dacc_profile_cache || !dacc_pstats_cache)
		goto err_cache;
	err = register_pernet_subsys(&dacc_net_ops);
	if (err)
		goto err_cache;
	return 0;

err_cache:
	kmem_cache_destroy(dacc_pstats_cache);
	kmem_cache_destroy(dacc_profile_cache);
	return err;
}

void dacc_profile_exit(void)
{
	unregister_pernet_subsys(&dacc_net_ops);
	/* Wait for the profiles' RCU callbacks before the caches go away. */
	rcu_barrier();
	kmem_cache_destroy(dacc_pstats_cache);
	kmem_cache_destroy(dacc_profile_cache);
}
