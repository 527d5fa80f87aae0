// SPDX-License-Identifier: GPL-2.0
/* daccd: the active probes.  A STAMP Session-Sender (one UDP socket per
 * family), a stateless STAMP Session-Reflector on the STAMP port, and ICMP
 * echo for destinations without a reflector.  Receive times are the
 * kernel's (SO_TIMESTAMPNS); every reply is matched against an outstanding
 * probe by sequence number, the sender's own timestamp and the peer's
 * address before it becomes a sample.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>

#include "daccd.h"
#include "stamp.h"

/* Outstanding probes, indexed by sequence number modulo the size. */
#define NSLOTS		4096
#define ICMP_PAYLOAD	16	/* seq (4), t1 (8), magic (4) */
#define ICMP_MAGIC	0x64616363U	/* "dacc" */

enum sock_kind { SK_SND4, SK_SND6, SK_ICMP4, SK_ICMP6, __SK_MAX };

struct slot {
	bool used, lost, icmp;
	uint32_t seq;
	uint64_t t1;			/* NTP, as sent (and matched) */
	uint64_t t1_tx;			/* NTP, the kernel's TX timestamp (0: none) */
	uint64_t tx_mono_ns;
	uint64_t sent_ms;
	unsigned int dest;		/* index into D.dests */
	unsigned int gen;		/* D.dests generation it belongs to */
	struct sockaddr_storage peer;
};

static struct {
	struct snd_set s;
	uint16_t ping_id;
	struct slot slots[NSLOTS];
	uint32_t seq;
	unsigned int gen;
	/* token buckets, in milli-tokens */
	uint64_t tb_probe, tb_probe_ms;
	uint16_t err_est;
	uint64_t err_est_ms;
	const struct dcfg *cfg;
} P = { .s = { .fd = { -1, -1, -1, -1 } } };

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t ntp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ntp_from_timespec(&ts);
}

/* Token bucket: rate per second, burst tokens; true when one is taken. */
bool tb_take(uint64_t *tokens, uint64_t *last_ms, uint32_t rate, uint32_t burst)
{
	uint64_t now = now_ms(), cap = (uint64_t)burst * 1000;

	if (*last_ms) {
		*tokens += (now - *last_ms) * rate;
		if (*tokens > cap)
			*tokens = cap;
	} else {
		*tokens = cap;
	}
	*last_ms = now;
	if (*tokens < 1000)
		return false;
	*tokens -= 1000;
	return true;
}

static const char *addr_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	if (ss->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, buf, len);
	else
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, buf, len);
	return buf;
}

static socklen_t ss_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b,
		      bool port)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_addr.s_addr == y->sin_addr.s_addr &&
		       (!port || x->sin_port == y->sin_port);
	}
	{
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

		return !memcmp(&x->sin6_addr, &y->sin6_addr, 16) &&
		       (!port || x->sin6_port == y->sin6_port);
	}
}

static void fd_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* A Session-Sender socket. */
static int udp_open(int family, uint16_t port)
{
	/* t1 from the kernel too: when the packet entered the device's queue
	 * (as TCP's send time, a local qdisc's delay counts), not when we asked
	 */
	int tsf = SOF_TIMESTAMPING_TX_SCHED | SOF_TIMESTAMPING_SOFTWARE;
	int one = 1, ttl = 255, fd;

	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &tsf, sizeof(tsf));
	/* RFC 8762 4.2: test packets leave with TTL 255 */
	if (family == AF_INET)
		setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	else
		setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
	if (port) {
		struct sockaddr_storage ss = { .ss_family = (sa_family_t)family };

		if (family == AF_INET)
			((struct sockaddr_in *)&ss)->sin_port = htons(port);
		else
			((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		if (bind(fd, (struct sockaddr *)&ss, ss_len(&ss)) < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
	}
	return fd;
}

static int icmp_open(int family, bool *raw)
{
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6, one = 1, fd;

	*raw = false;
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0) {
		fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
		if (fd < 0)
			return -errno;
		*raw = true;
		if (family == AF_INET6) {
			struct icmp6_filter f;

			ICMP6_FILTER_SETBLOCKALL(&f);
			ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
			setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
		}
	}
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	return fd;
}

static bool needs_icmp(const struct dcfg *c)
{
	unsigned int i;

	if (!c->probe_enabled)
		return false;
	for (i = 0; i < c->ndests; i++)
		if (c->dests[i].method == DCFG_METHOD_ICMP || c->dests[i].method == DCFG_METHOD_AUTO)
			return true;
	return false;
}

void probe_sockets_close(struct snd_set *s)
{
	int i;

	for (i = 0; i < __SK_MAX; i++)
		fd_close(&s->fd[i]);
}

int probe_sockets_open(const struct dcfg *c, struct snd_set *s)
{
	int i, fd;

	for (i = 0; i < __SK_MAX; i++)
		s->fd[i] = -1;
	if (!c->probe_enabled)
		return 0;
	fd = udp_open(AF_INET, c->source_port);
	if (fd < 0) {
		log_err("msg=\"cannot open the STAMP sender socket\" family=ipv4 port=%u error=\"%s\"",
			c->source_port, strerror(-fd));
		return fd;
	}
	s->fd[SK_SND4] = fd;
	fd = udp_open(AF_INET6, c->source_port);
	if (fd >= 0)	/* IPv6 may be disabled */
		s->fd[SK_SND6] = fd;
	if (needs_icmp(c)) {
		fd = icmp_open(AF_INET, &s->icmp_raw[0]);
		if (fd < 0)
			log_warn("msg=\"no ICMP echo (needs CAP_NET_RAW or ping_group_range)\" error=\"%s\"",
				 strerror(-fd));
		else
			s->fd[SK_ICMP4] = fd;
		fd = icmp_open(AF_INET6, &s->icmp_raw[1]);
		if (fd >= 0)
			s->fd[SK_ICMP6] = fd;
	}
	return 0;
}

bool probe_sockets_same(const struct dcfg *a, const struct dcfg *b)
{
	return a->probe_enabled == b->probe_enabled && a->source_port == b->source_port &&
	       needs_icmp(a) == needs_icmp(b);
}

void probe_init(const struct dcfg *c)
{
	uint32_t r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (uint32_t)mono_ns();
	P.seq = r;
	P.ping_id = (uint16_t)(r >> 16 ^ getpid());
	P.cfg = c;
}

void probe_swap(struct snd_set *s, const struct dcfg *c)
{
	struct snd_set old = P.s;

	P.s = *s;
	*s = old;
	P.cfg = c;
}

void probe_set_cfg(const struct dcfg *c)
{
	P.cfg = c;
}

void probe_forget(void)
{
	memset(P.slots, 0, sizeof(P.slots));
	P.gen++;
}

int probe_pollfds(struct pollfd *p, int max)
{
	int i, n = 0;

	for (i = 0; i < __SK_MAX && n < max; i++) {
		if (P.s.fd[i] < 0)
			continue;
		p[n].fd = P.s.fd[i];
		p[n].events = POLLIN;
		p[n].revents = 0;
		n++;
	}
	return n;
}

/* Receive one datagram with its kernel timestamp and TTL. */
static ssize_t recv_ts(int fd, uint8_t *buf, size_t len, struct sockaddr_storage *peer,
		       uint64_t *rx_ntp, int *ttl)
{
	char cbuf[CMSG_SPACE(sizeof(struct timespec)) + CMSG_SPACE(sizeof(int)) * 2 + 64];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = {
		.msg_name = peer, .msg_namelen = sizeof(*peer),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	bool have_ts = false;
	ssize_t n;

	memset(peer, 0, sizeof(*peer));
	n = recvmsg(fd, &m, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0)
		return -errno;
	*ttl = -1;
	for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
			*rx_ntp = ntp_from_timespec(&ts);
			have_ts = true;
		} else if ((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL) ||
			   (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_HOPLIMIT)) {
			memcpy(ttl, CMSG_DATA(cm), sizeof(*ttl));
		}
	}
	if (!have_ts) {
		D.c.no_kernel_ts++;
		*rx_ntp = ntp_now();
	}
	return n;
}

/* The Error Estimate we send: synchronized or not, about 1 ms or the
 * kernel's maximum error.
 */
uint16_t stamp_err_now(void)
{
	uint64_t now = now_ms();

	if (!P.err_est || now - P.err_est_ms > 60000) {
		struct timex tx = { .modes = 0 };
		int st = adjtimex(&tx);
		bool synced = st >= 0 && st != TIME_ERROR && !(tx.status & STA_UNSYNC);
		uint64_t err_ns = synced && tx.maxerror > 0 ? (uint64_t)tx.maxerror * 1000 : 1000000;

		P.err_est = stamp_err_estimate(synced, err_ns);
		P.err_est_ms = now;
	}
	return P.err_est;
}

/* One packet the kernel looped back on a socket's error queue, with its
 * TX timestamp: its length, 0 when it cannot be used (no timestamp, shorter
 * than a STAMP packet, truncated), -1 when the queue is empty.
 */
ssize_t errqueue_txts(int fd, uint8_t *buf, size_t len, struct timespec *ts)
{
	char cbuf[512];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct scm_timestamping tss;
	struct cmsghdr *cm;
	bool have_ts = false;
	ssize_t n;

	n = recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT);
	if (n < 0)
		return -1;
	for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPING) {
			memcpy(&tss, CMSG_DATA(cm), sizeof(tss));
			have_ts = tss.ts[0].tv_sec || tss.ts[0].tv_nsec;
		}
	if (!have_ts || n < STAMP_PKT_LEN || (m.msg_flags & MSG_TRUNC))
		return 0;
	*ts = tss.ts[0];
	return n;
}

static struct slot *slot_match(uint32_t seq, uint64_t t1, const struct sockaddr_storage *peer,
			       bool icmp, enum drop_reason *why)
{
	struct slot *s = &P.slots[seq % NSLOTS];

	if (!s->used || s->seq != seq || s->t1 != t1 || s->icmp != icmp ||
	    s->gen != P.gen || !same_addr(&s->peer, peer, !icmp)) {
		*why = DROP_UNMATCHED;
		return NULL;
	}
	if (s->lost) {
		*why = DROP_LATE;
		return NULL;
	}
	return s;
}

/* A reply matched slot s, sent at t1, answered with turnaround (t3 - t2). */
static bool slot_complete(struct slot *s, int64_t rtt_ns, uint64_t *drops)
{
	uint64_t elapsed = mono_ns() - s->tx_mono_ns;
	struct dest *d;

	/* The wall clock may have stepped: trust the RTT only when the
	 * monotonic clock agrees (it counts our scheduling delay on top).
	 */
	if (rtt_ns <= 0 || (uint64_t)rtt_ns > elapsed + 1000000ULL ||
	    (uint64_t)rtt_ns > (uint64_t)P.cfg->timeout_ms * 1000000ULL) {
		drops[DROP_BAD_TIME]++;
		return false;
	}
	s->used = false;
	if (s->dest >= D.ndests)
		return false;
	d = &D.dests[s->dest];
	d->replies++;
	D.c.replies++;
	if (!s->icmp)	/* an ICMP answer says nothing of STAMP */
		d->stamp_misses = 0;
	dest_sample(d, (uint32_t)((rtt_ns + 500) / 1000) ?: 1, s->icmp ? "icmp" : "stamp");
	return true;
}

/* A TX timestamp from a sender socket's error queue.  The kernel loops the
 * packet back with it: its last 44 bytes are our test packet, whose
 * sequence number and timestamp say which probe it was.  False when the
 * queue is empty.
 */
static bool sender_txts(int fd)
{
	uint8_t buf[512];
	struct timespec ts;
	struct stamp_test t;
	struct slot *s;
	ssize_t n;

	n = errqueue_txts(fd, buf, sizeof(buf), &ts);
	if (n <= 0)
		return n == 0;
	if (stamp_test_decode(buf + n - STAMP_PKT_LEN, STAMP_PKT_LEN, &t) != STAMP_OK)
		return true;
	s = &P.slots[t.seq % NSLOTS];
	if (s->used && !s->icmp && s->seq == t.seq && s->t1 == t.ts)
		s->t1_tx = ntp_from_timespec(&ts);
	return true;
}

static void sender_one(int fd)
{
	uint8_t buf[STAMP_PKT_MAX];
	struct sockaddr_storage peer;
	enum drop_reason why;
	struct stamp_refl r;
	struct slot *s;
	uint64_t t4;
	int64_t rtt;
	ssize_t n;
	int ttl, err;

	n = recv_ts(fd, buf, sizeof(buf), &peer, &t4, &ttl);
	if (n < 0)
		return;
	err = stamp_refl_decode(buf, (size_t)n, &r);
	if (err == STAMP_E_SHORT) {
		D.c.sender_drops[DROP_SHORT]++;
		return;
	}
	if (err) {
		D.c.sender_drops[DROP_MALFORMED]++;
		return;
	}
	s = slot_match(r.ss_seq, r.ss_ts, &peer, false, &why);
	if (!s) {
		D.c.sender_drops[why]++;
		return;
	}
	/* A turnaround over a second is no reflector we want to believe.
	 * The kernel's TX time is the better t1; it can only be later.
	 */
	if (s->t1_tx && ntp_diff_ns(s->t1, s->t1_tx) >= 0 &&
	    ntp_diff_ns(s->t1, s->t1_tx) < 50000000LL)
		D.c.kernel_tx_ts++;
	else
		s->t1_tx = s->t1;
	if (!stamp_rtt_ns(s->t1_tx, r.rx_ts, r.ts, t4, &rtt) ||
	    ntp_diff_ns(r.rx_ts, r.ts) > 1000000000LL) {
		D.c.sender_drops[DROP_BAD_TIME]++;
		return;
	}
	slot_complete(s, rtt, D.c.sender_drops);
}

static void icmp_one(int fd, int family, bool raw)
{
	uint8_t buf[1500], *p = buf;
	struct sockaddr_storage peer;
	enum drop_reason why;
	uint32_t seq, magic;
	uint64_t t1, t4;
	struct slot *s;
	ssize_t n;
	int ttl;

	n = recv_ts(fd, buf, sizeof(buf), &peer, &t4, &ttl);
	if (n < 0)
		return;
	if (family == AF_INET && raw) {
		size_t ihl;

		if (n < 20)
			goto short_pkt;
		ihl = (size_t)(buf[0] & 0x0f) * 4;
		if (ihl < 20 || (size_t)n < ihl)
			goto short_pkt;
		p += ihl;
		n -= (ssize_t)ihl;
	}
	if (n < 8 + ICMP_PAYLOAD)
		goto short_pkt;
	if (p[0] != (family == AF_INET ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY))
		return;		/* other ICMP traffic on a raw socket: not ours */
	if (raw && (uint16_t)(p[4] << 8 | p[5]) != P.ping_id)
		return;		/* another pinger's reply */
	memcpy(&seq, p + 8, 4);
	memcpy(&t1, p + 12, 8);
	memcpy(&magic, p + 20, 4);
	seq = ntohl(seq);
	t1 = be64toh(t1);
	if (ntohl(magic) != ICMP_MAGIC) {
		D.c.sender_drops[DROP_MALFORMED]++;
		return;
	}
	s = slot_match(seq, t1, &peer, true, &why);
	if (!s) {
		D.c.sender_drops[why]++;
		return;
	}
	slot_complete(s, ntp_diff_ns(t1, t4), D.c.sender_drops);
	return;
short_pkt:
	D.c.sender_drops[DROP_SHORT]++;
}

void probe_input(const struct pollfd *p, int n)
{
	int i, k, budget;

	for (i = 0; i < n; i++) {
		for (k = 0; k < __SK_MAX; k++)
			if (P.s.fd[k] == p[i].fd)
				break;
		/* TX timestamps before replies: a reply needs its probe's */
		if ((p[i].revents & POLLERR) && (k == SK_SND4 || k == SK_SND6))
			for (budget = 0; budget < 64 && sender_txts(p[i].fd); budget++)
				;
		if (!(p[i].revents & POLLIN))
			continue;
		/* a bounded batch per socket, so a flood cannot starve the rest */
		for (budget = 0; budget < 64; budget++) {
			int avail = 0;

			switch (k) {
			case SK_SND4:
			case SK_SND6:
				sender_one(p[i].fd);
				break;
			case SK_ICMP4:
				icmp_one(p[i].fd, AF_INET, P.s.icmp_raw[0]);
				break;
			case SK_ICMP6:
				icmp_one(p[i].fd, AF_INET6, P.s.icmp_raw[1]);
				break;
			default:
				budget = 64;
				continue;
			}
			if (recv(p[i].fd, &avail, 1, MSG_PEEK | MSG_DONTWAIT) < 0)
				break;
		}
	}
}

static int send_stamp(struct dest *d, const struct sockaddr_storage *tgt, struct slot *s)
{
	struct sockaddr_storage to = *tgt;
	int fd = P.s.fd[to.ss_family == AF_INET ? SK_SND4 : SK_SND6];
	uint8_t buf[STAMP_PKT_LEN];
	struct stamp_test t;

	if (fd < 0)
		return -EAFNOSUPPORT;
	if (to.ss_family == AF_INET)
		((struct sockaddr_in *)&to)->sin_port = htons(d->cfg->port);
	else
		((struct sockaddr_in6 *)&to)->sin6_port = htons(d->cfg->port);
	s->peer = to;
	t.seq = s->seq;
	t.err = stamp_err_now();
	s->tx_mono_ns = mono_ns();
	t.ts = s->t1 = ntp_now();
	stamp_test_encode(&t, buf);
	if (sendto(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&to, ss_len(&to)) < 0)
		return -errno;
	D.c.stamp_sent++;
	return 0;
}

static uint16_t csum16(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int send_icmp(const struct sockaddr_storage *tgt, struct slot *s)
{
	int v6 = tgt->ss_family == AF_INET6;
	int fd = P.s.fd[v6 ? SK_ICMP6 : SK_ICMP4];
	uint8_t pkt[8 + ICMP_PAYLOAD] = { 0 };
	uint32_t seq = htonl(s->seq), magic = htonl(ICMP_MAGIC);
	uint64_t t1;
	uint16_t c;

	if (fd < 0)
		return -EAFNOSUPPORT;
	s->peer = *tgt;
	pkt[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	pkt[4] = P.ping_id >> 8;
	pkt[5] = P.ping_id & 0xff;
	pkt[6] = (s->seq >> 8) & 0xff;
	pkt[7] = s->seq & 0xff;
	memcpy(pkt + 8, &seq, 4);
	memcpy(pkt + 20, &magic, 4);
	s->tx_mono_ns = mono_ns();
	s->t1 = ntp_now();
	t1 = htobe64(s->t1);
	memcpy(pkt + 12, &t1, 8);
	if (!v6 && P.s.icmp_raw[0]) {
		c = csum16(pkt, sizeof(pkt));
		pkt[2] = c >> 8;
		pkt[3] = c & 0xff;
	}
	if (sendto(fd, pkt, sizeof(pkt), MSG_DONTWAIT, (const struct sockaddr *)tgt, ss_len(tgt)) < 0)
		return -errno;
	D.c.icmp_sent++;
	return 0;
}

/* Send d's next probe; false when the global limit allows none now. */
static bool probe_send(struct dest *d, unsigned int idx, uint64_t now)
{
	const struct sockaddr_storage *tgt = &d->cfg->targets[d->next_target % d->cfg->ntargets];
	bool icmp = d->cfg->method == DCFG_METHOD_ICMP ||
		    (d->cfg->method == DCFG_METHOD_AUTO && d->use_icmp);
	struct slot *s;
	char a[INET6_ADDRSTRLEN];
	int err;

	if (!tb_take(&P.tb_probe, &P.tb_probe_ms, P.cfg->max_pps, P.cfg->max_pps)) {
		D.c.probes_ratelimited++;
		return false;
	}
	d->next_target++;
	s = &P.slots[P.seq % NSLOTS];
	if (s->used && !s->lost) {
		/* the table is full of outstanding probes: count the old one lost */
		D.c.probes_lost++;
		if (s->dest < D.ndests && s->gen == P.gen)
			D.dests[s->dest].probes_lost++;
	}
	memset(s, 0, sizeof(*s));
	s->used = true;
	s->icmp = icmp;
	s->seq = P.seq++;
	s->dest = idx;
	s->gen = P.gen;
	s->sent_ms = now;
	err = icmp ? send_icmp(tgt, s) : send_stamp(d, tgt, s);
	if (err) {
		s->used = false;
		D.c.send_errors++;
		log_debug("msg=\"probe not sent\" prefix=%s target=%s error=\"%s\"", d->name,
			  addr_str(tgt, a, sizeof(a)), strerror(-err));
		return true;
	}
	d->probes_sent++;
	if (icmp)
		d->icmp_probes++;
	return true;
}

/* Auto: after 3 unanswered STAMP probes use ICMP, retry STAMP every 30. */
static void probe_lost(struct slot *s)
{
	struct dest *d;

	s->lost = true;
	D.c.probes_lost++;
	if (s->gen != P.gen || s->dest >= D.ndests)
		return;
	d = &D.dests[s->dest];
	d->probes_lost++;
	if (!s->icmp && d->cfg->method == DCFG_METHOD_AUTO && ++d->stamp_misses >= 3 &&
	    !d->use_icmp) {
		d->use_icmp = true;
		d->icmp_probes = 0;
		log_info("msg=\"no STAMP reflector answers, probing with ICMP echo\" prefix=%s",
			 d->name);
	}
}

uint64_t probe_tick(uint64_t now)
{
	uint64_t next = now + 1000, timeout = P.cfg ? P.cfg->timeout_ms : 1000;
	bool limited = false;
	unsigned int i;

	for (i = 0; i < NSLOTS; i++) {
		struct slot *s = &P.slots[i];

		if (s->used && !s->lost && now >= s->sent_ms + timeout)
			probe_lost(s);
	}
	if (!P.cfg || !P.cfg->probe_enabled)
		return next;
	for (i = 0; i < D.ndests; i++) {
		struct dest *d = &D.dests[i];

		if (d->use_icmp && d->icmp_probes >= 30) {
			d->use_icmp = false;	/* give STAMP another chance */
			d->stamp_misses = 0;
		}
	}
	/* The most overdue destination first; one the global limit holds back
	 * stays due, so under the limit every destination gets its share.
	 */
	for (;;) {
		struct dest *best = NULL;
		unsigned int bi = 0;

		for (i = 0; i < D.ndests; i++) {
			struct dest *d = &D.dests[i];

			if (d->cfg->method == DCFG_METHOD_PASSIVE || !d->cfg->ntargets)
				continue;
			if (now >= d->next_probe_ms &&
			    (!best || d->next_probe_ms < best->next_probe_ms)) {
				best = d;
				bi = i;
			}
		}
		if (!best)
			break;
		if (!probe_send(best, bi, now)) {
			limited = true;
			break;
		}
		best->next_probe_ms += best->cfg->interval_ms;
		if (best->next_probe_ms <= now)
			best->next_probe_ms = now + best->cfg->interval_ms;
	}
	for (i = 0; i < D.ndests; i++) {
		struct dest *d = &D.dests[i];

		if (d->cfg->method == DCFG_METHOD_PASSIVE || !d->cfg->ntargets)
			continue;
		if (d->next_probe_ms < next)
			next = d->next_probe_ms;
	}
	/* held back: try again when the bucket has a token */
	if (limited && next < now + 1000 / P.cfg->max_pps + 1)
		next = now + 1000 / P.cfg->max_pps + 1;
	return next;
}
