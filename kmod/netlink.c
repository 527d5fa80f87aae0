// SPDX-License-Identifier: GPL-2.0
/*
 * The "dacc" generic netlink family: add, delete, get, dump and flush
 * profiles of the caller's network namespace, read its statistics, and
 * announce changes on the "events" group.  Contract: Documentation/netlink/dacc.yaml.
 *
 * The family runs its operations in parallel (no genl_mutex): writers take
 * their namespace's table mutex, reads (get, dumps, stats) take no lock at
 * all, as tcp_metrics does, so no request of one namespace (an unprivileged
 * user's dump, a 65536-entry flush) holds up another's.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include <linux/dacc.h>
#include "dacc.h"
#include "profile.h"

enum dacc_nl_groups {
	DACC_NLGRP_EVENTS,
};

static const struct genl_multicast_group dacc_mcgrps[] = {
	[DACC_NLGRP_EVENTS] = { .name = DACC_MCGRP_EVENTS },
};

/* Read-only once loaded: 6.1's nla_policy points at them without const. */
static struct netlink_range_validation dacc_rtt_range __ro_after_init = {
	.min = DACC_RTT_MIN_US,
	.max = DACC_RTT_MAX_US,
};

static struct netlink_range_validation dacc_rttvar_range __ro_after_init = {
	.min = 0,
	.max = DACC_RTT_MAX_US,
};

static struct netlink_range_validation dacc_loss_range __ro_after_init = {
	.min = 0,
	.max = DACC_LOSS_MAX_PPM,
};

static struct netlink_range_validation dacc_bw_range __ro_after_init = {
	.min = 1,
	.max = DACC_BW_MAX_BPS,
};

#define DACC_READ_ONLY { .type = NLA_REJECT, .reject_message = "read-only attribute" }

static const struct nla_policy dacc_profile_policy[DACC_A_PROFILE_MAX + 1] = {
	[DACC_A_PROFILE_PAD]		= { .type = NLA_REJECT },
	/* Not NLA_POLICY_VALIDATE_FN: 6.1 dumps the policy of an attribute
	 * with a bad length into the extack, reads the function pointer as
	 * min/max and WARNs (lib/nlattr.c, nla_get_range_unsigned()): any
	 * user could.  dacc_nl_key() takes AF_INET or AF_INET6.
	 */
	[DACC_A_PROFILE_FAMILY]		= NLA_POLICY_MAX(NLA_U16, AF_INET6),
	[DACC_A_PROFILE_ADDR]		= NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[DACC_A_PROFILE_PREFIXLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[DACC_A_PROFILE_RTT_US]		= NLA_POLICY_FULL_RANGE(NLA_U32, &dacc_rtt_range),
	[DACC_A_PROFILE_RTTVAR_US]	= NLA_POLICY_FULL_RANGE(NLA_U32, &dacc_rttvar_range),
	[DACC_A_PROFILE_BW_BPS]		= NLA_POLICY_FULL_RANGE(NLA_U64, &dacc_bw_range),
	[DACC_A_PROFILE_LOSS_PPM]	= NLA_POLICY_FULL_RANGE(NLA_U32, &dacc_loss_range),
	[DACC_A_PROFILE_SOURCE]		= NLA_POLICY_MAX(NLA_U8, __DACC_SOURCE_MAX - 1),
	[DACC_A_PROFILE_AGE_MS]		= DACC_READ_ONLY,
	[DACC_A_PROFILE_FLOWS]		= DACC_READ_ONLY,
	[DACC_A_PROFILE_BYTES_ACKED]	= DACC_READ_ONLY,
	[DACC_A_PROFILE_RETRANS]	= DACC_READ_ONLY,
	[DACC_A_PROFILE_MIN_RTT_US]	= DACC_READ_ONLY,
	[DACC_A_PROFILE_SRTT_US]	= DACC_READ_ONLY,
};

static const struct nla_policy dacc_policy[DACC_A_MAX + 1] = {
	[DACC_A_PAD]		= { .type = NLA_REJECT },
	[DACC_A_PROFILE]	= NLA_POLICY_NESTED(dacc_profile_policy),
	[DACC_A_STATS]		= DACC_READ_ONLY,
};

static struct genl_family dacc_family;

/* The profile nest of a request, parsed; -EINVAL with extack if absent. */
static int dacc_nl_profile_attrs(struct genl_info *info, struct nlattr **tb)
{
	if (GENL_REQ_ATTR_CHECK(info, DACC_A_PROFILE))
		return -EINVAL;
	return nla_parse_nested(tb, DACC_A_PROFILE_MAX, info->attrs[DACC_A_PROFILE],
				dacc_profile_policy, info->extack);
}

/*
 * The key of a request.  With need_plen the prefix length is required and
 * host bits past it are refused; without, the key is the full address.
 */
static int dacc_nl_key(struct nlattr *nest, struct nlattr **tb, bool need_plen,
		       struct dacc_key *key, struct netlink_ext_ack *extack)
{
	unsigned int bits, len;

	if (!tb[DACC_A_PROFILE_FAMILY]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, DACC_A_PROFILE_FAMILY);
		NL_SET_ERR_MSG(extack, "missing attribute: family");
		return -EINVAL;
	}
	if (!tb[DACC_A_PROFILE_ADDR]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, DACC_A_PROFILE_ADDR);
		NL_SET_ERR_MSG(extack, "missing attribute: addr");
		return -EINVAL;
	}
	memset(key, 0, sizeof(*key));
	key->family = nla_get_u16(tb[DACC_A_PROFILE_FAMILY]);
	if (key->family != AF_INET && key->family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DACC_A_PROFILE_FAMILY],
				    "family must be AF_INET or AF_INET6");
		return -EINVAL;
	}
	bits = key->family == AF_INET ? 32 : 128;
	len = bits / 8;
	if (nla_len(tb[DACC_A_PROFILE_ADDR]) != len) {
		if (key->family == AF_INET)
			NL_SET_ERR_MSG_ATTR(extack, tb[DACC_A_PROFILE_ADDR],
					    "addr must be 4 bytes for AF_INET");
		else
			NL_SET_ERR_MSG_ATTR(extack, tb[DACC_A_PROFILE_ADDR],
					    "addr must be 16 bytes for AF_INET6");
		return -EINVAL;
	}
	memcpy(key->addr, nla_data(tb[DACC_A_PROFILE_ADDR]), len);

	if (!need_plen) {
		key->plen = bits;
		return 0;
	}
	if (!tb[DACC_A_PROFILE_PREFIXLEN]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, DACC_A_PROFILE_PREFIXLEN);
		NL_SET_ERR_MSG(extack, "missing attribute: prefixlen");
		return -EINVAL;
	}
	key->plen = nla_get_u8(tb[DACC_A_PROFILE_PREFIXLEN]);
	if (key->plen > bits) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DACC_A_PROFILE_PREFIXLEN],
				    "prefixlen must be at most 32 for AF_INET");
		return -ERANGE;	/* as the policy answers 129 for AF_INET6 */
	}
	if (dacc_key_has_host_bits(key)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DACC_A_PROFILE_ADDR],
				    "addr has host bits set past prefixlen");
		return -EINVAL;
	}
	return 0;
}

static int dacc_nl_put_profile(struct sk_buff *skb, const struct dacc_profile *p)
{
	const struct dacc_pstats *ps = p->stats;
	u64 age_ms = jiffies_to_msecs(jiffies - p->updated);
	struct nlattr *nest;

	nest = nla_nest_start(skb, DACC_A_PROFILE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, DACC_A_PROFILE_FAMILY, p->key.family) ||
	    nla_put(skb, DACC_A_PROFILE_ADDR, p->key.family == AF_INET ? 4 : 16,
		    p->key.addr) ||
	    nla_put_u8(skb, DACC_A_PROFILE_PREFIXLEN, p->key.plen) ||
	    nla_put_u32(skb, DACC_A_PROFILE_RTT_US, p->rtt_us) ||
	    nla_put_u32(skb, DACC_A_PROFILE_RTTVAR_US, p->rttvar_us) ||
	    (p->bw_bps && nla_put_u64_64bit(skb, DACC_A_PROFILE_BW_BPS, p->bw_bps,
					    DACC_A_PROFILE_PAD)) ||
	    (p->has_loss && nla_put_u32(skb, DACC_A_PROFILE_LOSS_PPM, p->loss_ppm)) ||
	    nla_put_u8(skb, DACC_A_PROFILE_SOURCE, p->source) ||
	    nla_put_u64_64bit(skb, DACC_A_PROFILE_AGE_MS, age_ms, DACC_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(skb, DACC_A_PROFILE_FLOWS, atomic64_read(&ps->flows),
			      DACC_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(skb, DACC_A_PROFILE_BYTES_ACKED,
			      atomic64_read(&ps->bytes_acked), DACC_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(skb, DACC_A_PROFILE_RETRANS, atomic64_read(&ps->retrans),
			      DACC_A_PROFILE_PAD) ||
	    nla_put_u32(skb, DACC_A_PROFILE_MIN_RTT_US, atomic_read(&ps->min_rtt_us)) ||
	    nla_put_u32(skb, DACC_A_PROFILE_SRTT_US, atomic_read(&ps->srtt_us))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* One message: cmd, and the profile when p is set. */
static int dacc_nl_fill(struct sk_buff *skb, u32 portid, u32 seq, int flags,
			u8 cmd, const struct dacc_profile *p)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &dacc_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (p && dacc_nl_put_profile(skb, p)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * A change, on the events group and, with NLM_F_ECHO, back to the requester
 * (genl_notify(): once, even if it listens to the group too); stamped with
 * the request's port and sequence, as rtnetlink does.
 */
static bool dacc_nl_notify_wanted(struct genl_info *info)
{
	return (info->nlhdr->nlmsg_flags & NLM_F_ECHO) ||
	       genl_has_listeners(&dacc_family, genl_info_net(info), DACC_NLGRP_EVENTS);
}

static void dacc_nl_notify(struct genl_info *info, u8 cmd, const struct dacc_profile *p)
{
	struct sk_buff *skb;

	if (!dacc_nl_notify_wanted(info))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (dacc_nl_fill(skb, info->snd_portid, info->snd_seq, 0, cmd, p)) {
		nlmsg_free(skb);
		return;
	}
	genl_notify(&dacc_family, skb, info, DACC_NLGRP_EVENTS, GFP_KERNEL);
}

/* Walks of a dump step redone before it waits for the writer. */
#define DACC_DUMP_TRIES	8

#define DACC_ADD_FLAGS (NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO | NLM_F_CREATE | \
			NLM_F_EXCL | NLM_F_REPLACE)

/* A flush limited to one source says which, in a profile nest of its own. */
static void dacc_nl_notify_flush(struct genl_info *info, int source)
{
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	if (!dacc_nl_notify_wanted(info))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, info->snd_portid, info->snd_seq, &dacc_family, 0,
			  DACC_CMD_FLUSH_NTF);
	if (!hdr)
		goto err_free;
	if (source >= 0) {
		nest = nla_nest_start(skb, DACC_A_PROFILE);
		if (!nest || nla_put_u8(skb, DACC_A_PROFILE_SOURCE, source))
			goto err_free;
		nla_nest_end(skb, nest);
	}
	genlmsg_end(skb, hdr);
	genl_notify(&dacc_family, skb, info, DACC_NLGRP_EVENTS, GFP_KERNEL);
	return;

err_free:
	nlmsg_free(skb);
}

static int dacc_nl_profile_add(struct sk_buff *skb, struct genl_info *info)
{
	struct dacc_table *t = dacc_table(genl_info_net(info));
	struct nlattr *tb[DACC_A_PROFILE_MAX + 1];
	struct dacc_profile tmpl = {}, *p;
	u16 flags = info->nlhdr->nlmsg_flags;
	int err;

	/* The core's header check skips ADD (see resv_start_op): do it here. */
	if (info->genlhdr->reserved) {
		NL_SET_ERR_MSG(info->extack, "genlmsghdr.reserved field is not 0");
		return -EINVAL;
	}
	if (info->nlhdr->nlmsg_flags & ~DACC_ADD_FLAGS) {
		NL_SET_ERR_MSG(info->extack, "unsupported bits set in nlmsg_flags");
		return -EINVAL;
	}
	err = dacc_nl_profile_attrs(info, tb);
	if (err)
		return err;
	err = dacc_nl_key(info->attrs[DACC_A_PROFILE], tb, true, &tmpl.key, info->extack);
	if (err)
		return err;
	if (!tb[DACC_A_PROFILE_RTT_US]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[DACC_A_PROFILE],
				     DACC_A_PROFILE_RTT_US);
		NL_SET_ERR_MSG(info->extack, "missing attribute: rtt-us");
		return -EINVAL;
	}
	tmpl.rtt_us = nla_get_u32(tb[DACC_A_PROFILE_RTT_US]);
	if (tb[DACC_A_PROFILE_RTTVAR_US])
		tmpl.rttvar_us = nla_get_u32(tb[DACC_A_PROFILE_RTTVAR_US]);
	if (tb[DACC_A_PROFILE_BW_BPS])
		tmpl.bw_bps = nla_get_u64(tb[DACC_A_PROFILE_BW_BPS]);
	if (tb[DACC_A_PROFILE_LOSS_PPM]) {
		tmpl.loss_ppm = nla_get_u32(tb[DACC_A_PROFILE_LOSS_PPM]);
		tmpl.has_loss = 1;
	}
	tmpl.source = DACC_SOURCE_STATIC;
	if (tb[DACC_A_PROFILE_SOURCE])
		tmpl.source = nla_get_u8(tb[DACC_A_PROFILE_SOURCE]);

	/* rtnetlink's flags: CREATE may create, REPLACE may replace, EXCL
	 * refuses an existing one (and wins over REPLACE).
	 */
	mutex_lock(&t->lock);
	p = dacc_profile_find(t, &tmpl.key);
	if (p && !(flags & NLM_F_EXCL) && !(flags & NLM_F_REPLACE)) {
		NL_SET_ERR_MSG(info->extack,
			       "a profile for this prefix exists (NLM_F_REPLACE not set)");
		err = -EEXIST;
		goto out_unlock;
	}
	if (!p && !(flags & NLM_F_CREATE)) {
		NL_SET_ERR_MSG(info->extack,
			       "no profile for this prefix (NLM_F_CREATE not set)");
		err = -ENOENT;
		goto out_unlock;
	}
	p = dacc_profile_set(t, &tmpl, flags & NLM_F_EXCL);
	if (IS_ERR(p)) {
		err = PTR_ERR(p);
		if (err == -EEXIST)
			NL_SET_ERR_MSG(info->extack,
				       "a profile for this prefix exists (NLM_F_EXCL)");
		else if (err == -ENOSPC)
			NL_SET_ERR_MSG(info->extack,
				       "profile table is full (module parameter max_profiles)");
		goto out_unlock;
	}
	dacc_nl_notify(info, DACC_CMD_PROFILE_NTF, p);
	err = 0;
out_unlock:
	mutex_unlock(&t->lock);
	return err;
}

static int dacc_nl_profile_del(struct sk_buff *skb, struct genl_info *info)
{
	struct dacc_table *t = dacc_table(genl_info_net(info));
	struct nlattr *tb[DACC_A_PROFILE_MAX + 1];
	struct dacc_profile *p;
	struct dacc_key key;
	int err;

	err = dacc_nl_profile_attrs(info, tb);
	if (err)
		return err;
	err = dacc_nl_key(info->attrs[DACC_A_PROFILE], tb, true, &key, info->extack);
	if (err)
		return err;

	mutex_lock(&t->lock);
	p = dacc_profile_find(t, &key);
	if (!p) {
		NL_SET_ERR_MSG(info->extack, "no profile for this prefix");
		err = -ENOENT;
		goto out_unlock;
	}
	dacc_nl_notify(info, DACC_CMD_PROFILE_DEL_NTF, p);
	dacc_profile_remove(t, p);
out_unlock:
	mutex_unlock(&t->lock);
	return err;
}

static int dacc_nl_profile_get(struct sk_buff *skb, struct genl_info *info)
{
	struct dacc_table *t = dacc_table(genl_info_net(info));
	struct nlattr *tb[DACC_A_PROFILE_MAX + 1];
	struct dacc_profile *p;
	struct sk_buff *msg;
	struct dacc_key key;
	int err;

	err = dacc_nl_profile_attrs(info, tb);
	if (err)
		return err;
	err = dacc_nl_key(info->attrs[DACC_A_PROFILE], tb, false, &key, info->extack);
	if (err)
		return err;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	p = dacc_profile_match_rcu(t, &key);
	if (!p) {
		NL_SET_ERR_MSG(info->extack, "no profile matches this address");
		err = -ENOENT;
	} else {
		err = dacc_nl_fill(msg, info->snd_portid, info->snd_seq, 0,
				   DACC_CMD_PROFILE_GET, p);
	}
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Dumps resume after the last key sent (kept in cb->args), not at an
 * index, so profiles added or removed between two parts of a dump shift
 * nothing: each profile present throughout is sent exactly once.  No lock:
 * each step is a walk of the tree under RCU, redone (and its message taken
 * back) when a writer changed the tree meanwhile, after which the mutex
 * ends a writer's stream of changes that keeps it retrying.
 */
static int dacc_nl_profile_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dacc_table *t = dacc_table(sock_net(skb->sk));
	struct dacc_key last = {}, *after = NULL;
	unsigned int seq, tries = 0;
	struct dacc_profile *p;
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(last.addr) + 2 > ARRAY_SIZE(cb->args));
	if (cb->args[0]) {
		last.family = cb->args[1] >> 8;
		last.plen = cb->args[1] & 0xff;
		for (i = 0; i < ARRAY_SIZE(last.addr); i++)
			last.addr[i] = (__force __be32)(u32)cb->args[2 + i];
		after = &last;
	}

	rcu_read_lock();
	for (;;) {
		const void *mark = skb_tail_pointer(skb);

		p = dacc_profile_next_rcu(t, after, &seq);
		if (p && dacc_nl_fill(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				      NLM_F_MULTI, DACC_CMD_PROFILE_GET, p))
			break;
		if (dacc_profile_walk_retry(t, seq)) {
			nlmsg_trim(skb, mark);
			if (++tries > DACC_DUMP_TRIES) {
				/* Let the writer finish, then go on. */
				rcu_read_unlock();
				mutex_lock(&t->lock);
				mutex_unlock(&t->lock);
				rcu_read_lock();
				tries = 0;
			}
			continue;
		}
		if (!p)
			break;
		last = p->key;
		after = &last;
		cb->args[0] = 1;
		cb->args[1] = (p->key.family << 8) | p->key.plen;
		for (i = 0; i < ARRAY_SIZE(p->key.addr); i++)
			cb->args[2 + i] = (__force u32)p->key.addr[i];
	}
	rcu_read_unlock();
	return skb->len;
}

static int dacc_nl_profile_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct dacc_table *t = dacc_table(genl_info_net(info));
	struct nlattr *tb[DACC_A_PROFILE_MAX + 1];
	int source = -1, err, i;

	if (info->attrs[DACC_A_PROFILE]) {
		err = dacc_nl_profile_attrs(info, tb);
		if (err)
			return err;
		for (i = 0; i <= DACC_A_PROFILE_MAX; i++) {
			if (tb[i] && i != DACC_A_PROFILE_SOURCE) {
				NL_SET_ERR_MSG_ATTR(info->extack, tb[i],
						    "flush selects by source only");
				return -EINVAL;
			}
		}
		if (tb[DACC_A_PROFILE_SOURCE])
			source = nla_get_u8(tb[DACC_A_PROFILE_SOURCE]);
	}

	mutex_lock(&t->lock);
	dacc_profile_flush(t, source);
	dacc_nl_notify_flush(info, source);
	mutex_unlock(&t->lock);
	return 0;
}

static int dacc_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct dacc_table *t = dacc_table(genl_info_net(info));
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &dacc_family, 0, DACC_CMD_STATS_GET);
	if (!hdr)
		goto nla_put_failure;
	nest = nla_nest_start(msg, DACC_A_STATS);
	if (!nest)
		goto nla_put_failure;

	if (nla_put_u32(msg, DACC_A_STATS_PROFILES, READ_ONCE(t->count)) ||
	    nla_put_u32(msg, DACC_A_STATS_MAX_PROFILES, dacc_max_profiles()) ||
	    nla_put_u32(msg, DACC_A_STATS_GENERATION, READ_ONCE(t->generation)) ||
	    nla_put_u64_64bit(msg, DACC_A_STATS_LOOKUPS, atomic64_read(&t->lookups),
			      DACC_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, DACC_A_STATS_HITS, atomic64_read(&t->hits),
			      DACC_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, DACC_A_STATS_ADDS, atomic64_read(&t->adds),
			      DACC_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, DACC_A_STATS_DELS, atomic64_read(&t->dels),
			      DACC_A_STATS_PAD))
		goto nla_put_failure;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nla_put_failure:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct genl_small_ops dacc_ops[] = {
	{
		.cmd	= DACC_CMD_PROFILE_ADD,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= dacc_nl_profile_add,
	},
	{
		.cmd	= DACC_CMD_PROFILE_DEL,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= dacc_nl_profile_del,
	},
	{
		.cmd	= DACC_CMD_PROFILE_GET,
		.doit	= dacc_nl_profile_get,
		.dumpit	= dacc_nl_profile_dump,
	},
	{
		.cmd	= DACC_CMD_PROFILE_FLUSH,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= dacc_nl_profile_flush,
	},
	{
		.cmd	= DACC_CMD_STATS_GET,
		.doit	= dacc_nl_stats_get,
	},
};

static struct genl_family dacc_family __ro_after_init = {
	.name		= DACC_GENL_NAME,
	.version	= DACC_GENL_VERSION,
	.maxattr	= DACC_A_MAX,
	.policy		= dacc_policy,
	.netnsok	= true,
	.parallel_ops	= true,
	/*
	 * From PROFILE_DEL on, the core checks the header: reserved bits and
	 * nlmsg_flags beyond REQUEST, ACK and ECHO are refused.  ADD is left
	 * out only because NLM_F_EXCL shares its bit with NLM_F_ROOT; its
	 * doit makes the same checks while letting CREATE/EXCL/REPLACE in.
	 */
	.resv_start_op	= DACC_CMD_PROFILE_ADD + 1,
	.module		= THIS_MODULE,
	.small_ops	= dacc_ops,
	.n_small_ops	= ARRAY_SIZE(dacc_ops),
	.mcgrps		= dacc_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(dacc_mcgrps),
};

int __init dacc_nl_init(void)
{
	return genl_register_family(&dacc_family);
}

void dacc_nl_exit(void)
{
	genl_unregister_family(&dacc_family);
}

MODULE_ALIAS_GENL_FAMILY(DACC_GENL_NAME);
