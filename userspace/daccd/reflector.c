// SPDX-License-Identifier: GPL-2.0
/* daccd: the STAMP Session-Reflector (RFC 8762, stateless, unauthenticated
 * mode).  It listens on the STAMP port of every address, or of the
 * addresses listen.bind names, and answers a test packet only when:
 *
 *   - it was sent to a unicast address of this host (not to a broadcast or
 *     multicast address: one spoofed packet must not draw a reply from
 *     every daccd of a LAN), from a unicast address;
 *   - the source is in listen.allow (when the list is set);
 *   - the source port is 1024 or above and not the reflector's own: below
 *     are the services that answer anything (echo, chargen, daytime...);
 *   - it is a Session-Sender's packet, not a reflection: a reflected packet
 *     carries its Receive Timestamp where a test packet has zeros (MBZ), so
 *     two reflectors, or a reflector and an echo service, cannot bounce a
 *     packet between them;
 *   - its source is within listen.reflector_max_pps_per_source, and all
 *     sources together within listen.reflector_max_pps.  Both are charged
 *     only for packets that passed the checks above: junk costs a sender
 *     nothing but its own drops.
 *
 * The answer has the size of the question (no amplification) and leaves
 * from the address the question was sent to (IP_PKTINFO), so a multi-homed
 * host answers from its secondary addresses too.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/net_tstamp.h>

#include "daccd.h"
#include "stamp.h"

/* The per-source limiter: a set-associative table of token buckets, keyed
 * by a hash of the source address with a random key.  A source that falls
 * out (the table is full) comes back with a full bucket: the global limit
 * bounds what many sources can draw.
 */
#define SRC_SETS	256
#define SRC_WAYS	4

struct src_ent {
	uint8_t addr[16];
	uint8_t family;
	uint64_t tokens, last_ms;
};

static struct {
	struct refl_set cur;
	const struct dcfg *cfg;
	uint64_t tb, tb_ms;		/* the global bucket */
	struct src_ent src[SRC_SETS][SRC_WAYS];
	uint64_t key[2];
	/* The userspace t3 of recent reflections, and the lowest send
	 * latency (kernel TX time - userspace t3) of the last ones; it is
	 * added to t3, so t3 says when the packet left, not when we asked.
	 */
	struct refl_tx {
		uint32_t seq;
		uint64_t ss_ts, t3_raw;
	} tx[256];
	int64_t tx_lat_ns[32];
	unsigned int tx_lat_n, tx_lat_i;
	int64_t tx_corr_ns;
} R = { .cur = { .n = 0 } };

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static struct src_ent *src_bucket(int family, const uint8_t *addr)
{
	size_t alen = family == AF_INET ? 4 : 16;
	uint64_t w[2] = { 0, 0 };
	struct src_ent *set, *e, *oldest;
	unsigned int i;

	memcpy(w, addr, alen);
	set = R.src[mix64(mix64(w[0] ^ R.key[0]) ^ w[1] ^ R.key[1] ^ (uint64_t)family) %
		    SRC_SETS];
	oldest = &set[0];
	for (i = 0; i < SRC_WAYS; i++) {
		e = &set[i];
		if (e->family == family && !memcmp(e->addr, addr, alen))
			return e;
		if (e->last_ms < oldest->last_ms)
			oldest = e;
	}
	memset(oldest, 0, sizeof(*oldest));
	oldest->family = (uint8_t)family;
	memcpy(oldest->addr, addr, alen);
	/* last_ms 0: tb_take fills the new bucket */
	return oldest;
}

/* ---- sockets ----------------------------------------------------------- */

static int refl_socket(int family, const struct sockaddr_storage *bind_to, uint16_t port)
{
	struct sockaddr_storage ss = { .ss_family = (sa_family_t)family };
	int one = 1, fd, err;
	/* how long our sends take to reach the device queue, to put t3
	 * where the packet leaves
	 */
	int tsf = SOF_TIMESTAMPING_TX_SCHED | SOF_TIMESTAMPING_SOFTWARE;
	socklen_t sl;

	if (bind_to)
		ss = *bind_to;
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &tsf, sizeof(tsf));
	if (family == AF_INET) {
		/* the TTL for the reply, the address it was sent to */
		setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one));
		err = setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
		sl = sizeof(struct sockaddr_in);
	} else {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one));
		err = setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		sl = sizeof(struct sockaddr_in6);
	}
	/* without the destination address no packet could be checked */
	if (err < 0 || bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

void refl_close(struct refl_set *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (s->fd[i] >= 0)
			close(s->fd[i]);
	s->n = 0;
}

int refl_open(const struct dcfg *c, struct refl_set *s)
{
	char a[INET6_ADDRSTRLEN];
	unsigned int i;
	int fd;

	s->n = 0;
	if (!c->reflector)
		return 0;
	if (!c->nbind) {
		fd = refl_socket(AF_INET, NULL, c->stamp_port);
		if (fd < 0) {
			log_err("msg=\"cannot listen for STAMP\" family=ipv4 port=%u error=\"%s\"",
				c->stamp_port, strerror(-fd));
			return fd;
		}
		s->fd[s->n++] = fd;
		fd = refl_socket(AF_INET6, NULL, c->stamp_port);
		if (fd < 0)	/* IPv6 may be disabled: IPv4 alone is fine */
			log_warn("msg=\"no IPv6 STAMP reflector\" port=%u error=\"%s\"",
				 c->stamp_port, strerror(-fd));
		else
			s->fd[s->n++] = fd;
		log_info("msg=\"STAMP reflector listening\" address=* port=%u", c->stamp_port);
		return 0;
	}
	for (i = 0; i < c->nbind; i++) {
		const struct sockaddr_storage *b = &c->bind[i];

		if (b->ss_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)b)->sin_addr, a, sizeof(a));
		else
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)b)->sin6_addr, a,
				  sizeof(a));
		fd = refl_socket(b->ss_family, b, c->stamp_port);
		if (fd < 0) {
			log_err("msg=\"cannot listen for STAMP\" address=%s port=%u error=\"%s\"", a,
				c->stamp_port, strerror(-fd));
			refl_close(s);
			return fd;
		}
		s->fd[s->n++] = fd;
		log_info("msg=\"STAMP reflector listening\" address=%s port=%u", a, c->stamp_port);
	}
	return 0;
}

bool refl_same(const struct dcfg *a, const struct dcfg *b)
{
	return a->reflector == b->reflector && a->stamp_port == b->stamp_port &&
	       a->nbind == b->nbind && !memcmp(a->bind, b->bind, sizeof(a->bind[0]) * a->nbind);
}

void refl_swap(struct refl_set *s, const struct dcfg *c)
{
	struct refl_set old = R.cur;

	R.cur = *s;
	*s = old;
	R.cfg = c;
}

void refl_set_cfg(const struct dcfg *c)
{
	if (!R.key[0] && getrandom(R.key, sizeof(R.key), 0) != sizeof(R.key)) {
		R.key[0] = mix64(now_ms());
		R.key[1] = mix64((uint64_t)getpid());
	}
	R.cfg = c;
}

int refl_pollfds(struct pollfd *p, int max)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < R.cur.n && n < max; i++) {
		p[n].fd = R.cur.fd[i];
		p[n].events = POLLIN;
		p[n++].revents = 0;
	}
	return n;
}

/* ---- packets ----------------------------------------------------------- */

/* Send latencies above this are scheduling noise, not the send path. */
#define TX_LAT_MAX_NS	2000000LL

static void tx_note(int64_t lat_ns)
{
	unsigned int i;
	int64_t m;

	if (lat_ns < 0 || lat_ns > TX_LAT_MAX_NS)
		return;
	R.tx_lat_ns[R.tx_lat_i++ % 32] = lat_ns;
	if (R.tx_lat_n < 32)
		R.tx_lat_n++;
	m = R.tx_lat_ns[0];
	for (i = 1; i < R.tx_lat_n; i++)
		if (R.tx_lat_ns[i] < m)
			m = R.tx_lat_ns[i];
	R.tx_corr_ns = m;
}

/* A TX timestamp from the error queue: the looped packet ends with our
 * reflection (sender's sequence number and timestamp identify it).  False
 * when the queue is empty.
 */
static bool refl_txts(int fd)
{
	uint8_t buf[STAMP_PKT_MAX + 128];
	struct timespec ts;
	struct stamp_refl r;
	struct refl_tx *e;
	ssize_t n;

	n = errqueue_txts(fd, buf, sizeof(buf), &ts);
	if (n <= 0)
		return n == 0;
	/* the reflection is at the start of the payload, zeros after it */
	for (ssize_t off = n - STAMP_PKT_LEN; off >= 0; off--) {
		if (stamp_refl_decode(buf + off, STAMP_PKT_LEN, &r) != STAMP_OK)
			continue;
		e = &R.tx[r.ss_seq % 256];
		if (e->seq == r.ss_seq && e->ss_ts == r.ss_ts && e->t3_raw) {
			tx_note(ntp_diff_ns(e->t3_raw, ntp_from_timespec(&ts)));
			e->t3_raw = 0;
			break;
		}
	}
	return true;
}

struct rx_info {
	struct sockaddr_storage peer;
	uint64_t rx_ntp;
	int ttl;
	bool have_dst;
	int family;
	uint8_t dst[16];		/* the address it was sent to */
	int ifindex;
	struct in_addr spec_dst;	/* IPv4: the local address it reached */
};

static ssize_t refl_recv(int fd, uint8_t *buf, size_t len, struct rx_info *x)
{
	char cbuf[CMSG_SPACE(sizeof(struct timespec)) + CMSG_SPACE(sizeof(int)) +
		  CMSG_SPACE(sizeof(struct in6_pktinfo)) + 64];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = {
		.msg_name = &x->peer, .msg_namelen = sizeof(x->peer),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	bool have_ts = false;
	ssize_t n;

	memset(x, 0, sizeof(*x));
	x->ttl = -1;
	n = recvmsg(fd, &m, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0)
		return -errno;
	x->family = x->peer.ss_family;
	for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
			x->rx_ntp = ntp_from_timespec(&ts);
			have_ts = true;
		} else if ((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL) ||
			   (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_HOPLIMIT)) {
			memcpy(&x->ttl, CMSG_DATA(cm), sizeof(x->ttl));
		} else if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			memcpy(x->dst, &pi.ipi_addr, 4);
			x->spec_dst = pi.ipi_spec_dst;
			x->ifindex = pi.ipi_ifindex;
			x->have_dst = true;
		} else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			memcpy(x->dst, &pi.ipi6_addr, 16);
			x->ifindex = (int)pi.ipi6_ifindex;
			x->have_dst = true;
		}
	}
	if (!have_ts) {
		D.c.no_kernel_ts++;
		x->rx_ntp = ntp_now();
	}
	return n;
}

/* Was it sent to one of our unicast addresses, from a unicast address? */
static bool unicast_both(const struct rx_info *x, const uint8_t **src)
{
	if (x->family == AF_INET) {
		const struct sockaddr_in *p = (const struct sockaddr_in *)&x->peer;

		*src = (const uint8_t *)&p->sin_addr;
		/* The kernel's local address for the packet (ipi_spec_dst) is
		 * the destination itself only for a local unicast route; a
		 * subnet's broadcast address gets the interface's instead.
		 */
		return x->have_dst && dcfg_unicast(AF_INET, x->dst) &&
		       !memcmp(x->dst, &x->spec_dst, 4) && dcfg_unicast(AF_INET, *src);
	}
	if (x->family == AF_INET6) {
		const struct sockaddr_in6 *p = (const struct sockaddr_in6 *)&x->peer;

		*src = (const uint8_t *)&p->sin6_addr;
		return x->have_dst && dcfg_unicast(AF_INET6, x->dst) &&
		       dcfg_unicast(AF_INET6, *src);
	}
	return false;
}

static bool is_reflection(const uint8_t *pkt)
{
	static const uint8_t zero[8];

	/* where a reflection carries its Receive Timestamp (never zero), a
	 * Session-Sender's packet has MBZ octets (RFC 8762 4.2.1)
	 */
	return memcmp(pkt + 16, zero, sizeof(zero)) != 0;
}

/* Send the answer from the address the question reached. */
static ssize_t refl_send(int fd, const uint8_t *out, size_t len, const struct rx_info *x)
{
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))] = { 0 };
	struct iovec iov = { .iov_base = (void *)out, .iov_len = len };
	struct msghdr m = {
		.msg_name = (void *)&x->peer,
		.msg_namelen = x->family == AF_INET ? sizeof(struct sockaddr_in) :
						      sizeof(struct sockaddr_in6),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf,
	};
	struct cmsghdr *cm = (struct cmsghdr *)cbuf;

	if (x->family == AF_INET) {
		struct in_pktinfo pi = { .ipi_ifindex = 0 };

		memcpy(&pi.ipi_spec_dst, x->dst, 4);
		m.msg_controllen = CMSG_SPACE(sizeof(pi));
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = { .ipi6_ifindex = (unsigned int)x->ifindex };

		memcpy(&pi.ipi6_addr, x->dst, 16);
		m.msg_controllen = CMSG_SPACE(sizeof(pi));
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
	return sendmsg(fd, &m, MSG_DONTWAIT);
}

static uint16_t peer_port(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET ? ((const struct sockaddr_in *)ss)->sin_port :
						((const struct sockaddr_in6 *)ss)->sin6_port);
}

static void reflect_one(int fd)
{
	const struct dcfg *c = R.cfg;
	uint8_t buf[STAMP_PKT_MAX], out[STAMP_PKT_MAX];
	const uint8_t *src;
	struct src_ent *e;
	struct stamp_test t;
	struct stamp_refl r;
	struct rx_info x;
	uint16_t port;
	ssize_t n;
	size_t len;

	n = refl_recv(fd, buf, sizeof(buf), &x);
	if (n < 0)
		return;
	D.c.refl_rx++;
	if (!unicast_both(&x, &src)) {
		D.c.refl_drops[DROP_NOT_UNICAST]++;
		return;
	}
	if (!dcfg_allowed(c, x.family, src)) {
		D.c.refl_drops[DROP_DENIED]++;
		return;
	}
	port = peer_port(&x.peer);
	if (port < 1024 || port == c->stamp_port) {
		D.c.refl_drops[DROP_LOOP]++;
		return;
	}
	if (stamp_test_decode(buf, (size_t)n > sizeof(buf) ? sizeof(buf) : (size_t)n, &t) !=
	    STAMP_OK) {
		D.c.refl_drops[DROP_SHORT]++;
		return;
	}
	if (is_reflection(buf)) {
		D.c.refl_drops[DROP_LOOP]++;
		return;
	}
	e = src_bucket(x.family, src);
	if (!tb_take(&e->tokens, &e->last_ms, c->reflector_max_pps_source,
		     c->reflector_max_pps_source / 4 + 10)) {
		D.c.refl_drops[DROP_RATELIMIT_SOURCE]++;
		return;
	}
	if (!tb_take(&R.tb, &R.tb_ms, c->reflector_max_pps, c->reflector_max_pps / 4 + 10)) {
		D.c.refl_drops[DROP_RATELIMIT]++;
		return;
	}
	/* Symmetric size (RFC 8762 4.3), extra bytes zero. */
	len = (size_t)n > sizeof(out) ? sizeof(out) : (size_t)n;
	memset(out, 0, len);
	stamp_reflect(&t, x.ttl < 0 ? 0 : (uint8_t)x.ttl, x.rx_ntp, 0, stamp_err_now(), &r);
	{
		struct refl_tx *tx = &R.tx[t.seq % 256];
		uint64_t raw = ntp_now();

		tx->seq = t.seq;
		tx->ss_ts = t.ts;
		tx->t3_raw = raw;
		/* never before t2, whatever the correction */
		r.ts = raw + (uint64_t)(((unsigned __int128)R.tx_corr_ns << 32) / 1000000000ULL);
	}
	stamp_refl_encode(&r, out);
	if (refl_send(fd, out, len, &x) < 0)
		D.c.send_errors++;
	else
		D.c.refl_tx++;
}

void refl_input(const struct pollfd *p, int n)
{
	int i, budget;

	for (i = 0; i < n; i++) {
		if (p[i].revents & POLLERR)
			for (budget = 0; budget < 64 && refl_txts(p[i].fd); budget++)
				;
		if (!(p[i].revents & POLLIN))
			continue;
		/* a bounded batch per socket, so a flood cannot starve the rest */
		for (budget = 0; budget < 64; budget++) {
			int avail = 0;

			reflect_one(p[i].fd);
			if (recv(p[i].fd, &avail, 1, MSG_PEEK | MSG_DONTWAIT) < 0)
				break;
		}
	}
}
