// SPDX-License-Identifier: GPL-2.0
/* daccperf: bulk TCP flows measured at the receiver's application.
 *
 *   daccperf -s -p PORT -n FLOWS [-i MS] [-o FILE]
 *   daccperf -c ADDR -p PORT [-C ALGO] (-b BYTES | -t SECONDS) [-I ID]
 *            [-S MS -o FILE] [-X ALGO@SECONDS]
 *
 * The client takes CLOCK_MONOTONIC just before connect() and sends it in a
 * 16-byte header; the server (same host, another namespace, same clock)
 * records when each byte arrives, so a flow's completion time is "connect()
 * to the last byte read", and its goodput per interval is what the
 * application saw.  When FLOWS flows have closed the server prints one JSON
 * object.  The client can sample its socket's TCP_INFO every MS
 * milliseconds into FILE, a line each: seconds since connect(), cwnd,
 * pacing rate (bit/s), RTT (us), delivery rate (bit/s), retransmissions,
 * then the congestion state (0 Open ... 4 Loss), packets in flight and
 * packets delivered, and for bbr and dacc their TCP_CC_INFO (see
 * sample_cc()).  -X switches the connection to ALGO (TCP_CONGESTION)
 * SECONDS after connect(), mid-flow.
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

#define MAGIC 0x64616363u	/* "dacc" */
#define MAX_FLOWS 64
#define MAX_BUCKETS 6000

struct hdr {
	uint32_t magic;
	uint32_t id;
	uint64_t t_connect_ns;
};

struct flow {
	int fd;
	int done;
	size_t hdr_got;
	struct hdr h;
	uint64_t bytes;
	uint64_t t_first_ns, t_last_ns;
	uint32_t nb;
	uint64_t *bucket;
};

static int usage(void)
{
	fprintf(stderr,
		"usage: daccperf -s -p PORT -n FLOWS [-i MS] [-o FILE]\n"
		"       daccperf -c ADDR -p PORT [-C ALGO] (-b BYTES | -t SECONDS) [-I ID]\n"
		"                [-S MS -o FILE] [-X ALGO@SECONDS]\n");
	return 2;
}

static int server(int port, int nflows, unsigned int interval_ms, FILE *out)
{
	static struct flow fl[MAX_FLOWS];
	static char buf[1 << 16];
	struct pollfd pfd[MAX_FLOWS + 1];
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	uint64_t iv = (uint64_t)interval_ms * 1000000ull;
	int ls, one = 1, n = 0, closed = 0;

	ls = socket(AF_INET6, SOCK_STREAM, 0);
	if (ls < 0)
		die("socket");
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 64))
		die("bind/listen");
	while (closed < nflows) {
		int np = 0;

		pfd[np++] = (struct pollfd){ .fd = n < nflows ? ls : -1, .events = POLLIN };
		for (int i = 0; i < n; i++)
			pfd[np++] = (struct pollfd){ .fd = fl[i].done ? -1 : fl[i].fd, .events = POLLIN };
		if (poll(pfd, np, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (pfd[0].revents & POLLIN) {
			int fd = accept(ls, NULL, NULL);

			if (fd >= 0) {
				fl[n] = (struct flow){ .fd = fd };
				fl[n].bucket = calloc(MAX_BUCKETS, sizeof(uint64_t));
				if (!fl[n].bucket)
					die("calloc");
				n++;
			}
		}
		for (int i = 0; i < n; i++) {
			struct flow *f = &fl[i];
			ssize_t r;
			uint64_t t;

			if (f->done || !(pfd[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = read(f->fd, buf, sizeof(buf));
			t = now_ns();
			if (r <= 0) {
				f->done = 1;
				closed++;
				close(f->fd);
				continue;
			}
			if (f->hdr_got < sizeof(f->h)) {
				size_t k = sizeof(f->h) - f->hdr_got;

				if (k > (size_t)r)
					k = (size_t)r;
				memcpy((char *)&f->h + f->hdr_got, buf, k);
				f->hdr_got += k;
				r -= (ssize_t)k;
				if (f->hdr_got == sizeof(f->h) && f->h.magic != MAGIC) {
					fprintf(stderr, "daccperf: flow %d: bad header\n", i);
					f->h.t_connect_ns = t;
				}
			}
			if (r > 0 && f->hdr_got == sizeof(f->h)) {
				uint64_t b = (t - f->h.t_connect_ns) / iv;

				if (!f->bytes)
					f->t_first_ns = t;
				f->bytes += (uint64_t)r;
				f->t_last_ns = t;
				if (b < MAX_BUCKETS) {
					f->bucket[b] += (uint64_t)r;
					if (b + 1 > f->nb)
						f->nb = (uint32_t)b + 1;
				}
			}
		}
	}
	fprintf(out, "{\"interval_ms\": %u, \"flows\": [", interval_ms);
	for (int i = 0; i < n; i++) {
		struct flow *f = &fl[i];

		fprintf(out, "%s\n {\"id\": %u, \"t_connect_ns\": %llu, \"t_first_ns\": %llu, "
			"\"t_last_ns\": %llu, \"bytes\": %llu, \"fct_s\": %.6f, \"series_bytes\": [",
			i ? "," : "", f->h.id, (unsigned long long)f->h.t_connect_ns,
			(unsigned long long)f->t_first_ns, (unsigned long long)f->t_last_ns,
			(unsigned long long)f->bytes,
			f->bytes ? (double)(f->t_last_ns - f->h.t_connect_ns) / 1e9 : 0.0);
		for (uint32_t b = 0; b < f->nb; b++)
			fprintf(out, "%s%llu", b ? "," : "", (unsigned long long)f->bucket[b]);
		fprintf(out, "]}");
		free(f->bucket);
	}
	fprintf(out, "\n]}\n");
	return 0;
}

/* The algorithm's own view where it reports bbr's struct (bbr, dacc):
 * bandwidth (bit/s), minimum or base RTT (us), pacing and window gains
 * (x256; dacc's window gain is its alpha, packets x256); "-" otherwise.
 */
static void sample_cc(int fd, FILE *out)
{
	struct tcp_bbr_info bi;
	socklen_t len = sizeof(bi);
	char name[16] = "";
	socklen_t nlen = sizeof(name) - 1;

	if (getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &nlen) ||
	    (strcmp(name, "bbr") && strcmp(name, "dacc")) ||
	    getsockopt(fd, IPPROTO_TCP, TCP_CC_INFO, &bi, &len) || len < sizeof(bi)) {
		fputs(" - - - -", out);
		return;
	}
	fprintf(out, " %llu %u %u %u",
		(unsigned long long)(((uint64_t)bi.bbr_bw_hi << 32 | bi.bbr_bw_lo) * 8),
		bi.bbr_min_rtt, bi.bbr_pacing_gain, bi.bbr_cwnd_gain);
}

static void sample(int fd, uint64_t t0, FILE *out)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (!out || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return;
	fprintf(out, "%.3f %u %llu %u %llu %u %u %u %u", (double)(now_ns() - t0) / 1e9,
		ti.tcpi_snd_cwnd, (unsigned long long)ti.tcpi_pacing_rate * 8, ti.tcpi_rtt,
		(unsigned long long)ti.tcpi_delivery_rate * 8, ti.tcpi_total_retrans,
		ti.tcpi_ca_state, ti.tcpi_unacked - ti.tcpi_sacked - ti.tcpi_lost + ti.tcpi_retrans,
		ti.tcpi_delivered);
	sample_cc(fd, out);
	fputc('\n', out);
}

static int client(const char *addr, int port, const char *cc, uint64_t bytes, double secs,
		  uint32_t id, unsigned int sample_ms, FILE *out, const char *sw)
{
	char sw_cc[32] = "";
	double sw_at = -1;
	static char buf[1 << 16];
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	char ps[16];
	struct hdr h = { .magic = MAGIC, .id = id };
	uint64_t sent = 0, t_end, t_next;
	int fd;

	snprintf(ps, sizeof(ps), "%d", port);
	if (getaddrinfo(addr, ps, &hints, &ai))
		die("getaddrinfo");
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (cc && setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, strlen(cc)))
		die("TCP_CONGESTION");
	h.t_connect_ns = now_ns();
	if (connect(fd, ai->ai_addr, ai->ai_addrlen))
		die("connect");
	freeaddrinfo(ai);
	if (write(fd, &h, sizeof(h)) != sizeof(h))
		die("write");
	memset(buf, 'd', sizeof(buf));
	t_end = secs > 0 ? h.t_connect_ns + (uint64_t)(secs * 1e9) : UINT64_MAX;
	if (sw && sscanf(sw, "%31[^@]@%lf", sw_cc, &sw_at) != 2)
		die("-X ALGO@SECONDS");
	t_next = h.t_connect_ns;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		uint64_t t = now_ns();
		size_t k = sizeof(buf);
		ssize_t w;

		if (sample_ms && t >= t_next) {
			sample(fd, h.t_connect_ns, out);
			t_next += (uint64_t)sample_ms * 1000000ull;
		}
		if (t >= t_end || (bytes && sent >= bytes))
			break;
		if (sw_at >= 0 && t >= h.t_connect_ns + (uint64_t)(sw_at * 1e9)) {
			if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, sw_cc, strlen(sw_cc)))
				die("TCP_CONGESTION (-X)");
			if (out)
				fprintf(out, "# %.3f switched to %s\n", (double)(t - h.t_connect_ns) / 1e9,
					sw_cc);
			sw_at = -1;
		}
		if (poll(&p, 1, sample_ms ? (int)sample_ms : 100) <= 0)
			continue;
		if (bytes && bytes - sent < k)
			k = (size_t)(bytes - sent);
		w = send(fd, buf, k, MSG_DONTWAIT);
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			die("send");
		if (w > 0)
			sent += (uint64_t)w;
	}
	shutdown(fd, SHUT_WR);
	/* Wait for the receiver to close: everything was read. */
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (sample_ms) {
			sample(fd, h.t_connect_ns, out);
			if (poll(&p, 1, (int)sample_ms) == 0)
				continue;
		}
		if (read(fd, buf, sizeof(buf)) <= 0)
			break;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *addr = NULL, *cc = NULL, *outf = NULL, *sw = NULL;
	int port = 5500, nflows = 1, srv = 0, c;
	unsigned int interval_ms = 100, sample_ms = 0;
	uint64_t bytes = 0;
	double secs = 0;
	uint32_t id = 0;
	FILE *out = stdout;

	while ((c = getopt(argc, argv, "sc:p:n:i:o:C:b:t:I:S:X:")) != -1) {
		switch (c) {
		case 's': srv = 1; break;
		case 'c': addr = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'n': nflows = atoi(optarg); break;
		case 'i': interval_ms = (unsigned int)atoi(optarg); break;
		case 'o': outf = optarg; break;
		case 'C': cc = optarg; break;
		case 'b': bytes = strtoull(optarg, NULL, 0); break;
		case 't': secs = atof(optarg); break;
		case 'I': id = (uint32_t)atoi(optarg); break;
		case 'S': sample_ms = (unsigned int)atoi(optarg); break;
		case 'X': sw = optarg; break;
		default: return usage();
		}
	}
	if (outf) {
		out = fopen(outf, "w");
		if (!out)
			die(outf);
	}
	if (srv) {
		if (nflows < 1 || nflows > MAX_FLOWS || !interval_ms)
			return usage();
		c = server(port, nflows, interval_ms, out);
	} else {
		if (!addr || (!bytes && secs <= 0))
			return usage();
		c = client(addr, port, cc, bytes, secs, id, sample_ms, outf ? out : NULL, sw);
	}
	if (outf)
		fclose(out);
	return c;
}
