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

struct pctx {
	unsigned int samples;
};

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
	d->passive_samples++;
	D.c.passive_samples++;
	x->samples++;
	dest_sample(d, min_rtt, "tcp");
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
	struct pctx x = { 0 };
	struct mnl_socket *nl;
	int err;

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
	D.c.passive_dumps++;
	return (int)x.samples;
}
