// SPDX-License-Identifier: GPL-2.0
/* Messages of the dacc generic netlink family: build requests, parse
 * replies and events, read extended ACKs (see dacc_msg.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "dacc_msg.h"

static const char *const profile_attr_names[] = {
	[DACC_A_PROFILE_PAD] = "pad",
	[DACC_A_PROFILE_FAMILY] = "family",
	[DACC_A_PROFILE_ADDR] = "addr",
	[DACC_A_PROFILE_PREFIXLEN] = "prefixlen",
	[DACC_A_PROFILE_RTT_US] = "rtt-us",
	[DACC_A_PROFILE_RTTVAR_US] = "rttvar-us",
	[DACC_A_PROFILE_BW_BPS] = "bw-bps",
	[DACC_A_PROFILE_LOSS_PPM] = "loss-ppm",
	[DACC_A_PROFILE_SOURCE] = "source",
	[DACC_A_PROFILE_AGE_MS] = "age-ms",
	[DACC_A_PROFILE_FLOWS] = "flows",
	[DACC_A_PROFILE_BYTES_ACKED] = "bytes-acked",
	[DACC_A_PROFILE_RETRANS] = "retrans",
	[DACC_A_PROFILE_MIN_RTT_US] = "min-rtt-us",
	[DACC_A_PROFILE_SRTT_US] = "srtt-us",
};

static const char *const top_attr_names[] = {
	[DACC_A_PAD] = "pad",
	[DACC_A_PROFILE] = "profile",
	[DACC_A_STATS] = "stats",
};

const char *dacc_profile_attr_name(unsigned int type)
{
	if (type >= sizeof(profile_attr_names) / sizeof(profile_attr_names[0]))
		return NULL;
	return profile_attr_names[type];
}

const char *dacc_source_name(unsigned int source)
{
	switch (source) {
	case DACC_SOURCE_STATIC:
		return "static";
	case DACC_SOURCE_LEARNED:
		return "learned";
	}
	return NULL;
}

static size_t family_addr_len(uint16_t family)
{
	if (family == AF_INET)
		return 4;
	if (family == AF_INET6)
		return 16;
	return 0;
}

struct nlmsghdr *dacc_msg_start(void *buf, uint16_t family_id, uint8_t cmd,
				uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(buf, 0, DACC_MSG_REQ_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = DACC_GENL_VERSION;
	return nlh;
}

void dacc_msg_put_profile(struct nlmsghdr *nlh, const struct dacc_profile *p,
			  unsigned int what)
{
	const struct dacc_prefix *k = &p->prefix;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, DACC_A_PROFILE);
	if (what & DACC_PUT_KEY) {
		mnl_attr_put_u16(nlh, DACC_A_PROFILE_FAMILY, k->family);
		mnl_attr_put(nlh, DACC_A_PROFILE_ADDR, family_addr_len(k->family),
			     k->addr.raw);
		mnl_attr_put_u8(nlh, DACC_A_PROFILE_PREFIXLEN, k->plen);
	}
	if (what & DACC_PUT_VALUES) {
		mnl_attr_put_u32(nlh, DACC_A_PROFILE_RTT_US, p->rtt_us);
		if (p->has_rttvar)
			mnl_attr_put_u32(nlh, DACC_A_PROFILE_RTTVAR_US, p->rttvar_us);
		if (p->has_bw)
			mnl_attr_put_u64(nlh, DACC_A_PROFILE_BW_BPS, p->bw_bps);
		if (p->has_loss)
			mnl_attr_put_u32(nlh, DACC_A_PROFILE_LOSS_PPM, p->loss_ppm);
		mnl_attr_put_u8(nlh, DACC_A_PROFILE_SOURCE, p->source);
	}
	mnl_attr_nest_end(nlh, nest);
}

/* The first attribute of type `type` among the genl message's attributes. */
static const struct nlattr *msg_attr(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return NULL;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == type)
			return a;
	}
	return NULL;
}

/* Check an attribute's payload has exactly the size of its type. */
static bool attr_len_is(const struct nlattr *a, size_t len)
{
	return mnl_attr_get_payload_len(a) == len;
}

static int parse_profile_nest(const struct nlattr *nest, struct dacc_profile *p)
{
	const struct nlattr *a;
	bool fam = false, addr = false, plen = false;
	uint16_t alen = 0;
	size_t want;

	memset(p, 0, sizeof(*p));
	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);

		switch (type) {
		case DACC_A_PROFILE_FAMILY:
			if (!attr_len_is(a, 2))
				return -EINVAL;
			p->prefix.family = mnl_attr_get_u16(a);
			fam = true;
			break;
		case DACC_A_PROFILE_ADDR:
			alen = mnl_attr_get_payload_len(a);
			if (alen != 4 && alen != 16)
				return -EINVAL;
			memcpy(p->prefix.addr.raw, mnl_attr_get_payload(a), alen);
			addr = true;
			break;
		case DACC_A_PROFILE_PREFIXLEN:
			if (!attr_len_is(a, 1))
				return -EINVAL;
			p->prefix.plen = mnl_attr_get_u8(a);
			plen = true;
			break;
		case DACC_A_PROFILE_SOURCE:
			if (!attr_len_is(a, 1))
				return -EINVAL;
			p->source = mnl_attr_get_u8(a);
			break;
		case DACC_A_PROFILE_RTT_US:
		case DACC_A_PROFILE_RTTVAR_US:
		case DACC_A_PROFILE_LOSS_PPM:
		case DACC_A_PROFILE_MIN_RTT_US:
		case DACC_A_PROFILE_SRTT_US:
			if (!attr_len_is(a, 4))
				return -EINVAL;
			switch (type) {
			case DACC_A_PROFILE_RTT_US:
				p->rtt_us = mnl_attr_get_u32(a);
				break;
			case DACC_A_PROFILE_RTTVAR_US:
				p->rttvar_us = mnl_attr_get_u32(a);
				p->has_rttvar = true;
				break;
			case DACC_A_PROFILE_LOSS_PPM:
				p->loss_ppm = mnl_attr_get_u32(a);
				p->has_loss = true;
				break;
			case DACC_A_PROFILE_MIN_RTT_US:
				p->min_rtt_us = mnl_attr_get_u32(a);
				break;
			default:
				p->srtt_us = mnl_attr_get_u32(a);
			}
			break;
		case DACC_A_PROFILE_BW_BPS:
		case DACC_A_PROFILE_AGE_MS:
		case DACC_A_PROFILE_FLOWS:
		case DACC_A_PROFILE_BYTES_ACKED:
		case DACC_A_PROFILE_RETRANS:
			if (!attr_len_is(a, 8))
				return -EINVAL;
			switch (type) {
			case DACC_A_PROFILE_BW_BPS:
				p->bw_bps = mnl_attr_get_u64(a);
				p->has_bw = true;
				break;
			case DACC_A_PROFILE_AGE_MS:
				p->age_ms = mnl_attr_get_u64(a);
				break;
			case DACC_A_PROFILE_FLOWS:
				p->flows = mnl_attr_get_u64(a);
				break;
			case DACC_A_PROFILE_BYTES_ACKED:
				p->bytes_acked = mnl_attr_get_u64(a);
				break;
			default:
				p->retrans = mnl_attr_get_u64(a);
			}
			break;
		default:
			break;	/* newer kernel, pad: not ours to judge */
		}
	}
	if (!fam || !addr || !plen)
		return -EINVAL;
	want = family_addr_len(p->prefix.family);
	if (!want || want != alen || p->prefix.plen > want * 8)
		return -EINVAL;
	return 0;
}

int dacc_msg_parse_profile(const struct nlmsghdr *nlh, struct dacc_profile *out)
{
	const struct nlattr *nest = msg_attr(nlh, DACC_A_PROFILE);

	if (!nest)
		return -EINVAL;
	return parse_profile_nest(nest, out);
}

int dacc_msg_parse_stats(const struct nlmsghdr *nlh, struct dacc_stats *s)
{
	const struct nlattr *nest = msg_attr(nlh, DACC_A_STATS), *a;

	memset(s, 0, sizeof(*s));
	if (!nest)
		return -EINVAL;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case DACC_A_STATS_PROFILES:
		case DACC_A_STATS_MAX_PROFILES:
		case DACC_A_STATS_GENERATION:
			if (!attr_len_is(a, 4))
				return -EINVAL;
			if (mnl_attr_get_type(a) == DACC_A_STATS_PROFILES)
				s->profiles = mnl_attr_get_u32(a);
			else if (mnl_attr_get_type(a) == DACC_A_STATS_MAX_PROFILES)
				s->max_profiles = mnl_attr_get_u32(a);
			else
				s->generation = mnl_attr_get_u32(a);
			break;
		case DACC_A_STATS_LOOKUPS:
		case DACC_A_STATS_HITS:
		case DACC_A_STATS_ADDS:
		case DACC_A_STATS_DELS:
			if (!attr_len_is(a, 8))
				return -EINVAL;
			if (mnl_attr_get_type(a) == DACC_A_STATS_LOOKUPS)
				s->lookups = mnl_attr_get_u64(a);
			else if (mnl_attr_get_type(a) == DACC_A_STATS_HITS)
				s->hits = mnl_attr_get_u64(a);
			else if (mnl_attr_get_type(a) == DACC_A_STATS_ADDS)
				s->adds = mnl_attr_get_u64(a);
			else
				s->dels = mnl_attr_get_u64(a);
			break;
		default:
			break;
		}
	}
	return 0;
}

int dacc_msg_parse_event(const struct nlmsghdr *nlh, struct dacc_event *ev)
{
	const struct nlattr *nest, *a;
	const struct genlmsghdr *g;

	memset(ev, 0, sizeof(*ev));
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EINVAL;
	g = mnl_nlmsg_get_payload(nlh);
	ev->cmd = g->cmd;
	switch (g->cmd) {
	case DACC_CMD_PROFILE_NTF:
	case DACC_CMD_PROFILE_DEL_NTF:
		return dacc_msg_parse_profile(nlh, &ev->profile);
	case DACC_CMD_FLUSH_NTF:
		/* A nest holding only the source, when the flush was limited. */
		ev->flush_source = -1;
		nest = msg_attr(nlh, DACC_A_PROFILE);
		if (!nest)
			return 0;
		mnl_attr_for_each_nested(a, nest) {
			if (mnl_attr_get_type(a) != DACC_A_PROFILE_SOURCE)
				continue;
			if (!attr_len_is(a, 1))
				return -EINVAL;
			ev->flush_source = mnl_attr_get_u8(a);
		}
		return 0;
	}
	return -ENOENT;
}

/* Name the attribute that starts `off` bytes into the request req: a
 * top-level one or one inside the profile nest.
 */
static const char *req_attr_at(const struct nlmsghdr *req, uint32_t off, bool *in_nest)
{
	const struct nlattr *a, *b;
	const char *base = (const char *)req;

	if (!req || off >= req->nlmsg_len || req->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return NULL;
	mnl_attr_for_each(a, req, GENL_HDRLEN) {
		if ((const char *)a - base == off) {
			*in_nest = false;
			return mnl_attr_get_type(a) < sizeof(top_attr_names) /
				sizeof(top_attr_names[0]) ?
				top_attr_names[mnl_attr_get_type(a)] : NULL;
		}
		if (mnl_attr_get_type(a) != DACC_A_PROFILE)
			continue;
		mnl_attr_for_each_nested(b, a) {
			if ((const char *)b - base == off) {
				*in_nest = true;
				return dacc_profile_attr_name(mnl_attr_get_type(b));
			}
		}
	}
	return NULL;
}

static bool has_word(const char *text, const char *word)
{
	return text[0] && strstr(text, word);
}

int dacc_msg_parse_ack(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		       char *msg, size_t len)
{
	const struct nlattr *tb_msg = NULL, *tb_offs = NULL, *tb_miss = NULL,
			    *tb_miss_nest = NULL, *a;
	unsigned int off;
	const char *name;
	bool in_nest = false;
	size_t n;
	int err;

	if (len)
		msg[0] = '\0';
	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(int))
			return 0;
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		off = NLMSG_HDRLEN + sizeof(int);
	} else if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
			return -EBADMSG;
		err = e->error;
		off = NLMSG_HDRLEN + sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	} else {
		return -EBADMSG;
	}
	if (err > 0)
		err = -err;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off > nlh->nlmsg_len)
		return err;

	mnl_attr_for_each(a, nlh, off - NLMSG_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case NLMSGERR_ATTR_MSG:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				tb_msg = a;
			break;
		case NLMSGERR_ATTR_OFFS:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				tb_offs = a;
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				tb_miss = a;
			break;
		case NLMSGERR_ATTR_MISS_NEST:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				tb_miss_nest = a;
			break;
		}
	}
	if (!len)
		return err;
	if (tb_msg)
		snprintf(msg, len, "%s", mnl_attr_get_str(tb_msg));
	n = strlen(msg);
	if (tb_offs) {
		name = req_attr_at(req, mnl_attr_get_u32(tb_offs), &in_nest);
		if (name && !has_word(msg, name))
			snprintf(msg + n, len - n, "%sattribute \"%s\"%s",
				 n ? " (" : "invalid ", name, n ? ")" : "");
	} else if (tb_miss) {
		unsigned int type = mnl_attr_get_u32(tb_miss);

		/* Inside a nest it can only be the profile's. */
		name = tb_miss_nest ? dacc_profile_attr_name(type) :
			(type < sizeof(top_attr_names) / sizeof(top_attr_names[0]) ?
			 top_attr_names[type] : NULL);
		if (name && has_word(msg, name))
			;	/* the kernel's message names it */
		else if (name)
			snprintf(msg + n, len - n, "%smissing attribute \"%s\"%s",
				 n ? " (" : "", name, n ? ")" : "");
		else
			snprintf(msg + n, len - n, "%smissing attribute %u%s",
				 n ? " (" : "", type, n ? ")" : "");
	}
	return err;
}
