// SPDX-License-Identifier: GPL-2.0
/* daccring: one rank of a ring all-reduce over TCP, timed as nccl-tests does.
 *
 *   daccring -r RANK -a ADDR0,ADDR1,... [-p BASEPORT] [-C ALGO] [-s BYTES]
 *            [-w WARMUP] [-i ITERS] [-g GAP_MS] [-o FILE]
 *
 * Rank r listens on BASEPORT + r and connects to rank r + 1.  The buffer of
 * BYTES is cut in n chunks; reduce-scatter (n - 1 steps, sum of bytes modulo
 * 256) then all-gather (n - 1 steps), pipelined as NCCL does: a byte of step
 * k goes out as soon as the byte it depends on, of step k - 1, has arrived,
 * so the ring streams.  Between iterations the rank "computes" for GAP_MS
 * (the connections idle).  Every rank checks the result.
 *
 * Every iteration starts with a barrier, as nccl-tests' do: "ready" goes
 * round the ring, then "go", and each rank starts as "go" passes it (the
 * bytes travel in the data streams, which are idle then).  Without it a
 * rank that finished the previous iteration early would start early too,
 * and its first chunk would wait in the next rank's socket before that
 * rank started its clock: per-rank times came out above the link's rate.
 *
 * The time of an iteration is the collective's: from the first rank's
 * start to the last rank's end (the "go" wave, one ring trip, included).
 * After the last iteration the ranks exchange their start and end times
 * with one more all-reduce (each rank's slot is zero elsewhere, so the
 * byte sums are a gather); this needs one clock for all ranks, which the
 * network namespaces of one host (the bench's VM) share.  Rank 0 prints
 * JSON: the collective time of each timed iteration, its own, each rank's
 * span, and the bus bandwidth 2 (n - 1) / n x BYTES / mean collective time.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

#define MAX_RANKS 16

static int connect_next(const char *addr, int port, const char *cc)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	uint64_t deadline = now_ns() + 30000000000ull;
	char ps[16];

	snprintf(ps, sizeof(ps), "%d", port);
	if (getaddrinfo(addr, ps, &hints, &ai))
		die("getaddrinfo");
	for (;;) {
		int fd = socket(ai->ai_family, SOCK_STREAM, 0);

		if (fd < 0)
			die("socket");
		if (cc && setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, strlen(cc)))
			die("TCP_CONGESTION");
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen)) {
			freeaddrinfo(ai);
			return fd;
		}
		close(fd);
		if (now_ns() > deadline)
			die("connect");
		usleep(20000);
	}
}

static size_t mod(long a, long n)
{
	return (size_t)(((a % n) + n) % n);
}

static void put_byte(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		die("barrier write");
}

static void get_byte(int fd, char want)
{
	char c;
	ssize_t rd = read(fd, &c, 1);

	if (rd != 1 || c != want) {
		errno = rd == 1 ? EPROTO : rd ? errno : EPIPE;
		die("barrier read");
	}
}

/* Rank 0 sends "ready" once it is; the others pass it on once they are.
 * Back at rank 0, it sends "go", and every rank starts as "go" passes.
 */
static void barrier(int r, int out, int in)
{
	if (r == 0) {
		put_byte(out, 'R');
		get_byte(in, 'R');
		put_byte(out, 'G');
		get_byte(in, 'G');
	} else {
		get_byte(in, 'R');
		put_byte(out, 'R');
		get_byte(in, 'G');
		put_byte(out, 'G');
	}
}

/* One all-reduce over the ring, in place. */
static void allreduce(uint8_t *data, size_t chunk, int r, int n, int out, int in)
{
	static uint8_t buf[1 << 16];
	size_t total = 2 * (size_t)(n - 1) * chunk, sent = 0, got = 0;

	while (sent < total || got < total) {
		struct pollfd p[2] = {
			{ .fd = sent < total ? out : -1, .events = POLLOUT },
			{ .fd = got < total ? in : -1, .events = POLLIN },
		};
		size_t allowed = got + chunk < total ? got + chunk : total;

		/* Nothing may go out before what it depends on came in. */
		if (sent >= allowed)
			p[0].fd = -1;
		if (poll(p, 2, 1000) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			size_t k = (size_t)(got / chunk), o = got % chunk, len = chunk - o;
			ssize_t rd;

			if (len > sizeof(buf))
				len = sizeof(buf);
			rd = read(in, buf, len);
			if (rd <= 0) {
				errno = rd ? errno : EPIPE;
				die("read");
			}
			if (k < (size_t)n - 1) {	/* reduce-scatter: add */
				uint8_t *d = data + mod(r - (long)k - 1, n) * chunk + o;

				for (ssize_t i = 0; i < rd; i++)
					d[i] += buf[i];
			} else {			/* all-gather: copy */
				long s = (long)k - (n - 1);

				memcpy(data + mod(r - s, n) * chunk + o, buf, (size_t)rd);
			}
			got += (size_t)rd;
		}
		if (p[0].revents & POLLOUT) {
			size_t k = sent / chunk, o = sent % chunk, len = chunk - o, idx;
			ssize_t w;

			if (len > allowed - sent)
				len = allowed - sent;
			if (k < (size_t)n - 1)
				idx = mod(r - (long)k, n);
			else
				idx = mod(r + 1 - ((long)k - (n - 1)), n);
			w = send(out, data + idx * chunk + o, len, MSG_DONTWAIT);
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				die("send");
			if (w > 0)
				sent += (size_t)w;
		}
	}
}

/* Timestamp IDX of rank K in the gathered table. */
static uint64_t stamp(const uint64_t *tab, size_t slot, int k, int idx)
{
	uint64_t v;

	memcpy(&v, (const uint8_t *)tab + (size_t)k * slot + (size_t)idx * sizeof(v), sizeof(v));
	return v;
}

int main(int argc, char **argv)
{
	const char *addrs[MAX_RANKS], *cc = NULL, *outf = NULL;
	int r = -1, n = 0, port = 5600, warm = 1, iters = 3, gap_ms = 0, c, ls, one = 1;
	size_t bytes = 16u << 20, chunk;
	char *alist = NULL;
	uint8_t *data;
	uint64_t *st, *tab;
	size_t slot;
	FILE *out = stdout;
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };
	int fd_out, fd_in;

	while ((c = getopt(argc, argv, "r:a:p:C:s:w:i:g:o:")) != -1) {
		switch (c) {
		case 'r': r = atoi(optarg); break;
		case 'a': alist = strdup(optarg); break;
		case 'p': port = atoi(optarg); break;
		case 'C': cc = optarg; break;
		case 's': bytes = strtoull(optarg, NULL, 0); break;
		case 'w': warm = atoi(optarg); break;
		case 'i': iters = atoi(optarg); break;
		case 'g': gap_ms = atoi(optarg); break;
		case 'o': outf = optarg; break;
		default:
			fprintf(stderr, "usage: daccring -r RANK -a ADDR0,ADDR1,... [-p BASEPORT] "
				"[-C ALGO] [-s BYTES] [-w WARMUP] [-i ITERS] [-g GAP_MS] [-o FILE]\n");
			return 2;
		}
	}
	for (char *s = alist ? strtok(alist, ",") : NULL; s && n < MAX_RANKS; s = strtok(NULL, ","))
		addrs[n++] = s;
	if (n < 2 || r < 0 || r >= n || iters < 1 || warm < 0) {
		fprintf(stderr, "daccring: need -r RANK and -a with at least two addresses\n");
		return 2;
	}
	chunk = bytes / (size_t)n;
	bytes = chunk * (size_t)n;
	data = malloc(bytes);
	/* Per rank: a start and an end per timed iteration. */
	slot = 2 * (size_t)iters * sizeof(uint64_t);
	st = calloc(2 * (size_t)iters, sizeof(*st));
	tab = calloc((size_t)n, slot);
	if (!data || !st || !tab)
		die("malloc");

	ls = socket(AF_INET6, SOCK_STREAM, 0);
	if (ls < 0)
		die("socket");
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin6_port = htons((uint16_t)(port + r));
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 4))
		die("bind/listen");
	fd_out = connect_next(addrs[(r + 1) % n], port + (r + 1) % n, cc);
	fd_in = accept(ls, NULL, NULL);
	if (fd_in < 0)
		die("accept");
	close(ls);

	for (int it = 0; it < warm + iters; it++) {
		uint64_t t0;

		for (size_t j = 0; j < bytes; j++)
			data[j] = (uint8_t)(r + j);
		if (it && gap_ms)
			usleep((useconds_t)gap_ms * 1000);
		barrier(r, fd_out, fd_in);
		t0 = now_ns();
		allreduce(data, chunk, r, n, fd_out, fd_in);
		if (it >= warm) {
			st[2 * (it - warm)] = t0;
			st[2 * (it - warm) + 1] = now_ns();
		}
		/* Every byte j is now the sum over ranks of (rank + j). */
		for (size_t j = 0; j < bytes; j++) {
			uint8_t want = (uint8_t)(n * j + n * (n - 1) / 2);

			if (data[j] != want) {
				fprintf(stderr, "daccring: rank %d: byte %zu is %u, want %u\n",
					r, j, data[j], want);
				return 1;
			}
		}
	}
	memcpy((uint8_t *)tab + (size_t)r * slot, st, slot);
	allreduce((uint8_t *)tab, slot, r, n, fd_out, fd_in);
	if (r == 0) {
		double sum = 0, t[iters];
		uint64_t first[iters];

		for (int i = 0; i < iters; i++) {
			uint64_t last = 0;

			first[i] = UINT64_MAX;
			for (int k = 0; k < n; k++) {
				uint64_t s0 = stamp(tab, slot, k, 2 * i), s1 = stamp(tab, slot, k, 2 * i + 1);

				first[i] = s0 < first[i] ? s0 : first[i];
				last = s1 > last ? s1 : last;
			}
			t[i] = (double)(last - first[i]) / 1e9;
			sum += t[i];
		}

		if (outf) {
			out = fopen(outf, "w");
			if (!out)
				die(outf);
		}
		fprintf(out, "{\"ranks\": %d, \"bytes\": %zu, \"algo\": \"%s\", \"gap_ms\": %d, "
			"\"time_s\": [", n, bytes, cc ? cc : "default", gap_ms);
		for (int i = 0; i < iters; i++)
			fprintf(out, "%s%.6f", i ? ", " : "", t[i]);
		fprintf(out, "], \"rank0_time_s\": [");
		for (int i = 0; i < iters; i++)
			fprintf(out, "%s%.6f", i ? ", " : "", (double)(st[2 * i + 1] - st[2 * i]) / 1e9);
		/* Each rank's start and end, from the iteration's first start. */
		fprintf(out, "], \"spans_s\": [");
		for (int i = 0; i < iters; i++) {
			fprintf(out, "%s[", i ? ", " : "");
			for (int k = 0; k < n; k++)
				fprintf(out, "%s[%.6f, %.6f]", k ? ", " : "",
					(double)(stamp(tab, slot, k, 2 * i) - first[i]) / 1e9,
					(double)(stamp(tab, slot, k, 2 * i + 1) - first[i]) / 1e9);
			fprintf(out, "]");
		}
		fprintf(out, "], \"busbw_mbps\": %.3f}\n",
			2.0 * (n - 1) / n * (double)bytes * 8 / (sum / iters) / 1e6);
		if (outf)
			fclose(out);
	}
	close(fd_out);
	close(fd_in);
	free(data);
	free(st);
	free(tab);
	return 0;
}
