// SPDX-License-Identifier: GPL-2.0
/* daccd: passive learning.  A sock_diag dump of the namespace's established
 * TCP sockets; each socket's tcpi_min_rtt (the kernel's windowed minimum of
 * its RTT samples) is a free sample for the destination prefix it talks to.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <libmnl/libmnl.h>

#include "daccd.h"

#define TCP_ESTABLISHED_STATE 1

/* One sample per peer address per dump: the lowest min_rtt of its
 * sockets.  A peer with a thousand connections must not fill a prefix's
 * window on its own, and every dump would repeat the same sockets.
 */
#define PEERS_MAX	4096

struct peer {
	uint8_t addr[16];
	uint8_t family;
	uint32_t min_rtt;
	struct dest *d;
};

struct pctx {
	unsigned int samples;
	struct peer peers[PEERS_MAX];
	unsigned int npeers;
	unsigned int dropped;	/* peers beyond PEERS_MAX this dump */
	int16_t slot[PEERS_MAX * 2];	/* open addressing: index + 1, 0 free */
};

static unsigned int peer_hash(int family, const uint8_t *a, size_t alen)
{
	uint32_t h = 2166136261U ^ (uint32_t)family;	/* FNV-1a */
	size_t i;

	for (i = 0; i < alen; i++)
		h = (h ^ a[i]) * 16777619U;
	return h % (PEERS_MAX * 2);
}

static void peer_note(struct pctx *x, int family, const void *addr, struct dest *d,
		      uint32_t rtt)
{
	size_t alen = family == AF_INET ? 4 : 16;
	unsigned int h = peer_hash(family, addr, alen);

	for (; x->slot[h]; h = (h + 1) % (PEERS_MAX * 2)) {
		struct peer *p = &x->peers[x->slot[h] - 1];

		if (p->family == family && !memcmp(p->addr, addr, alen)) {
			if (rtt < p->min_rtt)
				p->min_rtt = rtt;
			return;
		}
	}
	if (x->npeers == PEERS_MAX) {
		x->dropped++;
		return;
	}
	x->slot[h] = (int16_t)(x->npeers + 1);
	x->peers[x->npeers].family = (uint8_t)family;
	memset(x->peers[x->npeers].addr, 0, sizeof(x->peers[0].addr));
	memcpy(x->peers[x->npeers].addr, addr, alen);
	x->peers[x->npeers].min_rtt = rtt;
	x->peers[x->npeers].d = d;
	x->npeers++;
}

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type == INET_DIAG_INFO)
		tb[type] = a;
	return MNL_CB_OK;
}

static int diag_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[INET_DIAG_MAX + 1] = { 0 };
	const struct tcp_info *ti;
	struct pctx *x = data;
	const void *dst = m->id.idiag_dst;
	int family = m->idiag_family;
	struct dest *d;
	uint32_t min_rtt;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return MNL_CB_OK;
	if (m->idiag_state != TCP_ESTABLISHED_STATE)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*m), attr_cb, tb);
	if (!tb[INET_DIAG_INFO] ||
	    mnl_attr_get_payload_len(tb[INET_DIAG_INFO]) <
	    offsetof(struct tcp_info, tcpi_min_rtt) + sizeof(ti->tcpi_min_rtt))
		return MNL_CB_OK;
	ti = mnl_attr_get_payload(tb[INET_DIAG_INFO]);
	memcpy(&min_rtt, (const char *)ti + offsetof(struct tcp_info, tcpi_min_rtt),
	       sizeof(min_rtt));
	if (!min_rtt || min_rtt == ~0U || min_rtt > DACC_RTT_MAX_US)
		return MNL_CB_OK;
	if (family == AF_INET6 && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)dst)) {
		family = AF_INET;
		dst = (const uint8_t *)dst + 12;
	}
	d = dest_lookup(family, dst);
	if (!d)
		return MNL_CB_OK;
	peer_note(x, family, dst, d, min_rtt);
	return MNL_CB_OK;
}

static int dump_family(struct mnl_socket *nl, int family, struct pctx *x)
{
	char buf[MNL_SOCKET_BUFFER_SIZE * 4];
	struct nlmsghdr *nlh;
	struct inet_diag_req_v2 *req;
	unsigned int seq = (unsigned int)time(NULL), portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int ret;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_states = 1U << TCP_ESTABLISHED_STATE;
	req->idiag_ext = 1U << (INET_DIAG_INFO - 1);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, diag_cb, x);
		if (ret == MNL_CB_STOP)
			return 0;
		if (ret < 0)
			return -errno;
	}
}

int passive_dump(void)
{
	static struct pctx x;
	struct mnl_socket *nl;
	unsigned int i;
	int err;

	x.samples = 0;
	x.npeers = 0;
	x.dropped = 0;
	memset(x.slot, 0, sizeof(x.slot));
	nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		if (nl)
			mnl_socket_close(nl);
		D.c.passive_errors++;
		return err;
	}
	err = dump_family(nl, AF_INET, &x);
	if (!err)
		err = dump_family(nl, AF_INET6, &x);
	mnl_socket_close(nl);
	if (err) {
		D.c.passive_errors++;
		return err;
	}
	for (i = 0; i < x.npeers; i++) {
		struct dest *d = x.peers[i].d;

		d->passive_samples++;
		D.c.passive_samples++;
		x.samples++;
		dest_sample(d, x.peers[i].min_rtt, "tcp");
	}
	if (x.dropped)
		log_debug("msg=\"passive: peers beyond the per-dump limit\" peers=%u limit=%d",
			  x.dropped, PEERS_MAX);
	D.c.passive_dumps++;
	return (int)x.samples;
}
