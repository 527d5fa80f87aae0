// SPDX-License-Identifier: GPL-2.0
/* libdacc: the client of the dacc generic netlink family (see dacc_nl.h):
 * one socket, family lookup, request/reply with extended ACK, dumps, events.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "dacc_msg.h"
#include "dacc_nl.h"

/* The kernel fills dump skbs up to 32 KiB for a reader with a large buffer. */
#define DACC_NL_RXBUF	(64 * 1024)

struct dacc_nl {
	struct mnl_socket *sk;
	unsigned int portid;
	uint32_t seq;
	uint16_t family_id;
	uint32_t family_version;
	uint32_t events_group;
	bool dump_intr;
	char errmsg[512];
	char req[DACC_MSG_REQ_SIZE];
	char *rx;
	/* events not yet returned by dacc_nl_recv_event() */
	char *evbuf;
	size_t ev_len, ev_off;
};

/* A message of a reply or dump; return 0 to go on, non-zero to stop calling
 * (the rest of the reply is still read).
 */
typedef int (*reply_cb)(struct dacc_nl *nl, const struct nlmsghdr *nlh, void *arg);

static void set_error(struct dacc_nl *nl, int err, const char *msg)
{
	if (msg && msg[0])
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", msg);
	else
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", strerror(-err));
}

const char *dacc_nl_error(const struct dacc_nl *nl)
{
	return nl->errmsg;
}

int dacc_nl_fd(const struct dacc_nl *nl)
{
	return mnl_socket_get_fd(nl->sk);
}

bool dacc_nl_dump_interrupted(const struct dacc_nl *nl)
{
	return nl->dump_intr;
}

uint16_t dacc_nl_family_id(const struct dacc_nl *nl)
{
	return nl->family_id;
}

/*
 * Send the request in nl->req and read until its ACK (or NLMSG_DONE for a
 * dump), handing every message of the family to cb.  Messages of another
 * sequence number (events on a subscribed socket, stale replies) are
 * skipped.  Returns 0, the first non-zero cb result, or -errno with the
 * error text in nl->errmsg.
 */
static int run_request(struct dacc_nl *nl, reply_cb cb, void *arg)
{
	struct nlmsghdr *req = (struct nlmsghdr *)nl->req;
	bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	char text[sizeof(nl->errmsg)];
	int cb_ret = 0, err;
	ssize_t n;

	nl->errmsg[0] = '\0';
	nl->dump_intr = false;
	req->nlmsg_seq = ++nl->seq;
	if (!dump)
		req->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0) {
		err = -errno;
		set_error(nl, err, NULL);
		return err;
	}
	for (;;) {
		const struct nlmsghdr *nlh;
		int left;

		n = mnl_socket_recvfrom(nl->sk, nl->rx, DACC_NL_RXBUF);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			set_error(nl, err, NULL);
			return err;
		}
		left = (int)n;
		for (nlh = (const struct nlmsghdr *)nl->rx; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_seq != req->nlmsg_seq ||
			    (nlh->nlmsg_pid && nlh->nlmsg_pid != nl->portid))
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				nl->dump_intr = true;
			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
				continue;
			case NLMSG_ERROR:
			case NLMSG_DONE:
				err = dacc_msg_parse_ack(nlh, req, text, sizeof(text));
				if (err) {
					set_error(nl, err, text);
					return err;
				}
				/* A dump ends with DONE, a request with its ACK. */
				if (nlh->nlmsg_type == NLMSG_DONE || !dump)
					return cb_ret;
				continue;
			case NLMSG_OVERRUN:
				set_error(nl, -ENOBUFS, NULL);
				return -ENOBUFS;
			}
			if (nlh->nlmsg_type != nl->family_id || !cb || cb_ret)
				continue;
			cb_ret = cb(nl, nlh, arg);
		}
	}
}

static struct nlmsghdr *req_start(struct dacc_nl *nl, uint8_t cmd, uint16_t flags)
{
	return dacc_msg_start(nl->req, nl->family_id, cmd, flags);
}

/* The family's id, version and events group, from the controller. */
static int ctrl_family_cb(struct dacc_nl *nl, const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a, *grp, *g;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				nl->family_id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_VERSION:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				nl->family_version = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(grp, a) {
				const char *name = NULL;
				uint32_t id = 0;

				mnl_attr_for_each_nested(g, grp) {
					if (mnl_attr_get_type(g) == CTRL_ATTR_MCAST_GRP_NAME &&
					    mnl_attr_validate(g, MNL_TYPE_NUL_STRING) == 0)
						name = mnl_attr_get_str(g);
					if (mnl_attr_get_type(g) == CTRL_ATTR_MCAST_GRP_ID &&
					    mnl_attr_validate(g, MNL_TYPE_U32) == 0)
						id = mnl_attr_get_u32(g);
				}
				if (name && !strcmp(name, DACC_MCGRP_EVENTS))
					nl->events_group = id;
			}
			break;
		}
	}
	return 0;
}

static int resolve_family(struct dacc_nl *nl)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int err;

	memset(nl->req, 0, sizeof(nl->req));
	nlh = mnl_nlmsg_put_header(nl->req);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, DACC_GENL_NAME);
	/* The controller answers with its own type: accept it for this call. */
	nl->family_id = GENL_ID_CTRL;
	err = run_request(nl, ctrl_family_cb, NULL);
	if (!err && nl->family_id == GENL_ID_CTRL)
		err = -ENOENT;
	return err;
}

struct dacc_nl *dacc_nl_open(void)
{
	struct dacc_nl *nl = calloc(1, sizeof(*nl));
	int one = 1, err;

	if (!nl)
		return NULL;
	nl->rx = malloc(DACC_NL_RXBUF);
	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->rx || !nl->sk)
		goto fail;
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	/* Error text from the kernel, and ACKs without a copy of the request. */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (uint32_t)getpid() << 12;
	err = resolve_family(nl);
	if (err) {
		errno = -err;
		goto fail;
	}
	return nl;
fail:
	err = errno;
	dacc_nl_close(nl);
	errno = err;
	return NULL;
}

void dacc_nl_close(struct dacc_nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		mnl_socket_close(nl->sk);
	free(nl->rx);
	free(nl->evbuf);
	free(nl);
}

int dacc_profile_add(struct dacc_nl *nl, const struct dacc_profile *p, bool excl)
{
	struct nlmsghdr *nlh;

	nlh = req_start(nl, DACC_CMD_PROFILE_ADD, excl ? NLM_F_CREATE | NLM_F_EXCL :
			NLM_F_CREATE | NLM_F_REPLACE);
	dacc_msg_put_profile(nlh, p, DACC_PUT_KEY | DACC_PUT_VALUES);
	return run_request(nl, NULL, NULL);
}

int dacc_profile_del(struct dacc_nl *nl, const struct dacc_prefix *prefix)
{
	struct dacc_profile p = { .prefix = *prefix };
	struct nlmsghdr *nlh;

	nlh = req_start(nl, DACC_CMD_PROFILE_DEL, 0);
	dacc_msg_put_profile(nlh, &p, DACC_PUT_KEY);
	return run_request(nl, NULL, NULL);
}

struct profile_arg {
	struct dacc_profile *out;
	int (*cb)(const struct dacc_profile *p, void *arg);
	void *arg;
	bool found;
};

static int profile_reply_cb(struct dacc_nl *nl, const struct nlmsghdr *nlh, void *arg)
{
	struct profile_arg *pa = arg;
	struct dacc_profile p;
	int err;

	err = dacc_msg_parse_profile(nlh, &p);
	if (err) {
		set_error(nl, err, "malformed profile in the kernel's reply");
		return err;
	}
	pa->found = true;
	if (pa->out) {
		*pa->out = p;
		return 0;
	}
	return pa->cb(&p, pa->arg);
}

int dacc_profile_get(struct dacc_nl *nl, const struct dacc_prefix *addr,
		     struct dacc_profile *out)
{
	struct profile_arg pa = { .out = out };
	struct dacc_profile p = { .prefix = *addr };
	struct nlmsghdr *nlh;
	int err;

	p.prefix.plen = addr->family == AF_INET ? 32 : 128;
	nlh = req_start(nl, DACC_CMD_PROFILE_GET, 0);
	dacc_msg_put_profile(nlh, &p, DACC_PUT_KEY);
	err = run_request(nl, profile_reply_cb, &pa);
	if (!err && !pa.found) {
		set_error(nl, -ENOENT, "no reply from the kernel");
		err = -ENOENT;
	}
	return err;
}

int dacc_profile_dump(struct dacc_nl *nl,
		      int (*cb)(const struct dacc_profile *p, void *arg), void *arg)
{
	struct profile_arg pa = { .cb = cb, .arg = arg };

	req_start(nl, DACC_CMD_PROFILE_GET, NLM_F_DUMP);
	return run_request(nl, profile_reply_cb, &pa);
}

int dacc_profile_flush(struct dacc_nl *nl, int source)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = req_start(nl, DACC_CMD_PROFILE_FLUSH, 0);
	if (source >= 0) {
		nest = mnl_attr_nest_start(nlh, DACC_A_PROFILE);
		mnl_attr_put_u8(nlh, DACC_A_PROFILE_SOURCE, (uint8_t)source);
		mnl_attr_nest_end(nlh, nest);
	}
	return run_request(nl, NULL, NULL);
}

struct stats_arg {
	struct dacc_stats *out;
	bool found;
};

static int stats_reply_cb(struct dacc_nl *nl, const struct nlmsghdr *nlh, void *arg)
{
	struct stats_arg *sa = arg;
	int err = dacc_msg_parse_stats(nlh, sa->out);

	if (err) {
		set_error(nl, err, "malformed statistics in the kernel's reply");
		return err;
	}
	sa->found = true;
	return 0;
}

int dacc_stats_get(struct dacc_nl *nl, struct dacc_stats *out)
{
	struct stats_arg sa = { .out = out };
	int err;

	req_start(nl, DACC_CMD_STATS_GET, 0);
	err = run_request(nl, stats_reply_cb, &sa);
	if (!err && !sa.found) {
		set_error(nl, -ENOENT, "no reply from the kernel");
		err = -ENOENT;
	}
	return err;
}

int dacc_nl_subscribe(struct dacc_nl *nl)
{
	int grp = (int)nl->events_group;

	if (!grp) {
		set_error(nl, -ENOENT, "the kernel's dacc family has no events group");
		return -ENOENT;
	}
	if (!nl->evbuf) {
		nl->evbuf = malloc(DACC_NL_RXBUF);
		if (!nl->evbuf)
			return -ENOMEM;
	}
	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0) {
		int err = -errno;

		set_error(nl, err, NULL);
		return err;
	}
	return 0;
}

int dacc_nl_recv_event(struct dacc_nl *nl, struct dacc_event *ev)
{
	for (;;) {
		const struct nlmsghdr *nlh;
		int left;

		if (nl->ev_off >= nl->ev_len) {
			ssize_t n = mnl_socket_recvfrom(nl->sk, nl->evbuf, DACC_NL_RXBUF);

			if (n < 0) {
				int err = -errno;

				set_error(nl, err, err == -ENOBUFS ?
					  "events were lost: the socket's buffer overflowed" : NULL);
				return err;
			}
			nl->ev_len = (size_t)n;
			nl->ev_off = 0;
		}
		nlh = (const struct nlmsghdr *)(nl->evbuf + nl->ev_off);
		left = (int)(nl->ev_len - nl->ev_off);
		if (!mnl_nlmsg_ok(nlh, left)) {
			nl->ev_off = nl->ev_len;
			continue;
		}
		nl->ev_off += NLMSG_ALIGN(nlh->nlmsg_len);
		if (nlh->nlmsg_type != nl->family_id)
			continue;
		if (dacc_msg_parse_event(nlh, ev) == 0)
			return 0;
	}
}

int dacc_prefix_parse(const char *word, struct dacc_prefix *out, bool allow_host_bits)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = word ? strchr(word, '/') : NULL;
	struct dacc_prefix p = { 0 };
	size_t alen, bits, i;
	unsigned long plen;

	if (!word)
		return -EINVAL;
	alen = slash ? (size_t)(slash - word) : strlen(word);
	if (alen == 0 || alen >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, word, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, &p.addr.v4) == 1) {
		p.family = AF_INET;
		bits = 32;
	} else if (inet_pton(AF_INET6, addr, &p.addr.v6) == 1) {
		p.family = AF_INET6;
		bits = 128;
	} else {
		return -EINVAL;
	}
	plen = bits;
	if (slash) {
		const char *d = slash + 1;

		/* Plain decimal only: no sign, no spaces, no "0x", at most 3 digits. */
		if (!*d || strspn(d, "0123456789") != strlen(d) || strlen(d) > 3)
			return -EINVAL;
		plen = strtoul(d, NULL, 10);
		if (plen > bits)
			return -EINVAL;
	}
	p.plen = (uint8_t)plen;
	for (i = plen; i < bits; i++) {
		uint8_t mask = 0x80 >> (i % 8);

		if (!(p.addr.raw[i / 8] & mask))
			continue;
		if (!allow_host_bits)
			return -EINVAL;
		p.addr.raw[i / 8] &= ~mask;
	}
	*out = p;
	return 0;
}

const char *dacc_prefix_format(const struct dacc_prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(p->family, p->addr.raw, a, sizeof(a)))
		snprintf(a, sizeof(a), "?family%u", p->family);
	snprintf(buf, len, "%s/%u", a, p->plen);
	return buf;
}
