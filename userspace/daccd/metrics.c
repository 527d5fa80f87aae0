// SPDX-License-Identifier: GPL-2.0
/* daccd: its own metrics in the Prometheus text format, served over HTTP
 * on a local address and/or written atomically to a file (node_exporter's
 * textfile collector reads such files).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libgen.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daccd.h"

#define MAX_CLIENTS	8
#define CLIENT_TIMEOUT_MS 2000

static int lfd = -1;
static struct {
	int fd;
	uint64_t since_ms;
} clients[MAX_CLIENTS] = { [0 ... MAX_CLIENTS - 1] = { .fd = -1 } };

struct out {
	char *buf;
	size_t len, pos;
};

static void __attribute__((format(printf, 2, 3))) put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->pos >= o->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
	if (o->pos >= o->len)
		o->pos = o->len;
}

static void counter(struct out *o, const char *name, const char *help, uint64_t v)
{
	put(o, "# HELP daccd_%s %s\n# TYPE daccd_%s counter\ndaccd_%s %llu\n", name, help, name,
	    name, (unsigned long long)v);
}

static const char *const drop_names[__DROP_MAX] = {
	[DROP_SHORT] = "short", [DROP_MALFORMED] = "malformed",
	[DROP_UNMATCHED] = "unmatched", [DROP_LATE] = "late",
	[DROP_BAD_TIME] = "bad_time", [DROP_RATELIMIT] = "ratelimit",
	[DROP_LOOP] = "loop",
};

size_t metrics_render(char *buf, size_t len)
{
	struct out o = { .buf = buf, .len = len };
	const struct counters *c = &D.c;
	uint64_t now = now_ms();
	unsigned int i;
	int k;

	put(&o, "# HELP daccd_probes_sent_total Probes sent, by method.\n"
		"# TYPE daccd_probes_sent_total counter\n"
		"daccd_probes_sent_total{method=\"stamp\"} %llu\n"
		"daccd_probes_sent_total{method=\"icmp\"} %llu\n",
	    (unsigned long long)c->stamp_sent, (unsigned long long)c->icmp_sent);
	counter(&o, "probes_lost_total", "Probes without a valid answer in time.", c->probes_lost);
	counter(&o, "probe_replies_total", "Valid answers to probes.", c->replies);
	counter(&o, "probes_ratelimited_total", "Times a due probe was held back by max_pps.",
		c->probes_ratelimited);
	counter(&o, "send_errors_total", "Packets the kernel refused to send.", c->send_errors);
	put(&o, "# HELP daccd_dropped_total Received packets dropped, by socket and reason.\n"
		"# TYPE daccd_dropped_total counter\n");
	for (k = 0; k < __DROP_MAX; k++)
		put(&o, "daccd_dropped_total{socket=\"sender\",reason=\"%s\"} %llu\n"
			"daccd_dropped_total{socket=\"reflector\",reason=\"%s\"} %llu\n",
		    drop_names[k], (unsigned long long)c->sender_drops[k], drop_names[k],
		    (unsigned long long)c->refl_drops[k]);
	counter(&o, "reflector_received_total", "STAMP packets received by the reflector.",
		c->refl_rx);
	counter(&o, "reflector_sent_total", "STAMP packets reflected.", c->refl_tx);
	counter(&o, "no_kernel_timestamp_total", "Packets without a kernel RX timestamp.",
		c->no_kernel_ts);
	counter(&o, "kernel_tx_timestamps_total", "Replies whose probe had a kernel TX timestamp.",
		c->kernel_tx_ts);
	counter(&o, "passive_dumps_total", "sock_diag dumps of TCP sockets.", c->passive_dumps);
	counter(&o, "passive_samples_total", "RTT samples from TCP sockets.", c->passive_samples);
	counter(&o, "passive_errors_total", "Failed sock_diag dumps.", c->passive_errors);
	counter(&o, "pushes_total", "Profiles pushed to the kernel.", c->pushes);
	counter(&o, "push_errors_total", "Pushes the kernel refused.", c->push_errors);
	counter(&o, "push_skipped_static_total", "Pushes not done: a static profile is there.",
		c->push_skipped_static);
	counter(&o, "kernel_resyncs_total", "Profiles pushed again after the kernel lost them.",
		c->kernel_resyncs);
	counter(&o, "path_changes_total", "Path changes the estimator followed.", c->path_changes);
	counter(&o, "state_saves_total", "State files written.", c->state_saves);
	counter(&o, "state_save_errors_total", "State files not written.", c->state_save_errors);
	counter(&o, "config_reloads_total", "Configurations reloaded.", c->config_reloads);
	counter(&o, "config_reload_errors_total", "Reloads refused (old config kept).",
		c->config_reload_errors);
	put(&o, "# HELP daccd_kernel_up The dacc module answers.\n# TYPE daccd_kernel_up gauge\n"
		"daccd_kernel_up %d\n", D.kernel_up);
	put(&o, "# HELP daccd_uptime_seconds Since start.\n# TYPE daccd_uptime_seconds gauge\n"
		"daccd_uptime_seconds %llu\n", (unsigned long long)((now - D.start_ms) / 1000));

	put(&o, "# HELP daccd_dest_base_rtt_us Estimated base RTT.\n"
		"# TYPE daccd_dest_base_rtt_us gauge\n");
	for (i = 0; i < D.ndests; i++)
		put(&o, "daccd_dest_base_rtt_us{prefix=\"%s\"} %u\n", D.dests[i].name,
		    D.dests[i].est.base_us);
	put(&o, "# HELP daccd_dest_jitter_us Estimated RTT variation (median absolute deviation).\n"
		"# TYPE daccd_dest_jitter_us gauge\n");
	for (i = 0; i < D.ndests; i++)
		put(&o, "daccd_dest_jitter_us{prefix=\"%s\"} %u\n", D.dests[i].name,
		    D.dests[i].est.jitter_us);
	put(&o, "# HELP daccd_dest_max_rtt_us Highest sample in the window (outliers show here).\n"
		"# TYPE daccd_dest_max_rtt_us gauge\n");
	for (i = 0; i < D.ndests; i++) {
		uint32_t mx = 0;
		unsigned int j;

		for (j = 0; j < D.dests[i].est.n; j++)
			if (est_sample_at(&D.dests[i].est, j)->rtt_us > mx)
				mx = est_sample_at(&D.dests[i].est, j)->rtt_us;
		put(&o, "daccd_dest_max_rtt_us{prefix=\"%s\"} %u\n", D.dests[i].name, mx);
	}
	put(&o, "# HELP daccd_dest_samples Samples in the estimator's window.\n"
		"# TYPE daccd_dest_samples gauge\n");
	for (i = 0; i < D.ndests; i++)
		put(&o, "daccd_dest_samples{prefix=\"%s\"} %u\n", D.dests[i].name, D.dests[i].est.n);
	put(&o, "# HELP daccd_dest_samples_total Samples ever taken.\n"
		"# TYPE daccd_dest_samples_total counter\n");
	for (i = 0; i < D.ndests; i++)
		put(&o, "daccd_dest_samples_total{prefix=\"%s\"} %llu\n", D.dests[i].name,
		    (unsigned long long)D.dests[i].est.total);
	put(&o, "# HELP daccd_dest_trusted Enough samples to push.\n"
		"# TYPE daccd_dest_trusted gauge\n");
	for (i = 0; i < D.ndests; i++)
		put(&o, "daccd_dest_trusted{prefix=\"%s\"} %d\n", D.dests[i].name,
		    est_trusted(&D.dests[i].est, &D.cfg->est));
	put(&o, "# HELP daccd_dest_stale No sample for estimator.stale_ms.\n"
		"# TYPE daccd_dest_stale gauge\n");
	for (i = 0; i < D.ndests; i++)
		put(&o, "daccd_dest_stale{prefix=\"%s\"} %d\n", D.dests[i].name, D.dests[i].stale);
	put(&o, "# HELP daccd_dest_pushed_rtt_us The base RTT the kernel was given (0: none).\n"
		"# TYPE daccd_dest_pushed_rtt_us gauge\n");
	for (i = 0; i < D.ndests; i++)
		put(&o, "daccd_dest_pushed_rtt_us{prefix=\"%s\"} %u\n", D.dests[i].name,
		    D.dests[i].pushed ? D.dests[i].pushed_rtt_us : 0);
	put(&o, "# HELP daccd_dest_static The kernel holds the operator's static profile.\n"
		"# TYPE daccd_dest_static gauge\n");
	for (i = 0; i < D.ndests; i++)
		put(&o, "daccd_dest_static{prefix=\"%s\"} %d\n", D.dests[i].name,
		    D.dests[i].static_seen);
	put(&o, "# HELP daccd_dest_pushes_total Pushes of this destination.\n"
		"# TYPE daccd_dest_pushes_total counter\n");
	for (i = 0; i < D.ndests; i++)
		put(&o, "daccd_dest_pushes_total{prefix=\"%s\"} %llu\n", D.dests[i].name,
		    (unsigned long long)D.dests[i].pushes);
	put(&o, "# HELP daccd_dest_probes_sent_total Probes sent to this destination.\n"
		"# TYPE daccd_dest_probes_sent_total counter\n");
	for (i = 0; i < D.ndests; i++)
		put(&o, "daccd_dest_probes_sent_total{prefix=\"%s\"} %llu\n", D.dests[i].name,
		    (unsigned long long)D.dests[i].probes_sent);
	put(&o, "# HELP daccd_dest_probes_lost_total Probes to this destination lost.\n"
		"# TYPE daccd_dest_probes_lost_total counter\n");
	for (i = 0; i < D.ndests; i++)
		put(&o, "daccd_dest_probes_lost_total{prefix=\"%s\"} %llu\n", D.dests[i].name,
		    (unsigned long long)D.dests[i].probes_lost);
	return o.pos;
}

int metrics_write_file(const char *path)
{
	char *buf = malloc(1 << 20), dir[PATH_MAX], base[PATH_MAX];
	int err;

	if (!buf)
		return -ENOMEM;
	metrics_render(buf, 1 << 20);
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(base, sizeof(base), "%s", path);
	err = atomic_write(dirname(dir), basename(base), buf);
	free(buf);
	return err;
}

int metrics_open(const char *listen_addr)
{
	struct sockaddr_storage ss = { 0 };
	char host[128];
	const char *colon;
	int one = 1, fd;
	socklen_t sl;

	metrics_close();
	if (!listen_addr[0])
		return 0;
	colon = strrchr(listen_addr, ':');
	if (!colon)
		return -EINVAL;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - listen_addr), listen_addr);
	if (host[0] == '[') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = 0;
	}
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		ss.ss_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)atoi(colon + 1));
		sl = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		ss.ss_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)atoi(colon + 1));
		sl = sizeof(struct sockaddr_in6);
	} else {
		return -EINVAL;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 8) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	lfd = fd;
	log_info("msg=\"metrics listening\" address=%s", listen_addr);
	return 0;
}

static void client_close(int i)
{
	close(clients[i].fd);
	clients[i].fd = -1;
}

void metrics_close(void)
{
	int i;

	if (lfd >= 0)
		close(lfd);
	lfd = -1;
	for (i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].fd >= 0)
			client_close(i);
}

int metrics_pollfds(struct pollfd *p, int max)
{
	uint64_t now = now_ms();
	int i, n = 0;

	if (lfd >= 0 && n < max) {
		p[n].fd = lfd;
		p[n].events = POLLIN;
		p[n++].revents = 0;
	}
	for (i = 0; i < MAX_CLIENTS && n < max; i++) {
		if (clients[i].fd < 0)
			continue;
		if (now - clients[i].since_ms > CLIENT_TIMEOUT_MS) {
			client_close(i);
			continue;
		}
		p[n].fd = clients[i].fd;
		p[n].events = POLLIN;
		p[n++].revents = 0;
	}
	return n;
}

static void client_serve(int i)
{
	static char body[1 << 20];
	char req[2048], hdr[256];
	size_t blen;
	ssize_t n;
	int h;

	n = recv(clients[i].fd, req, sizeof(req) - 1, MSG_DONTWAIT);
	if (n <= 0) {
		if (n == 0 || errno != EAGAIN)
			client_close(i);
		return;
	}
	req[n] = 0;
	if (strncmp(req, "GET ", 4)) {
		h = snprintf(hdr, sizeof(hdr), "HTTP/1.0 405 Method Not Allowed\r\n"
			     "Content-Length: 0\r\nConnection: close\r\n\r\n");
		send(clients[i].fd, hdr, (size_t)h, MSG_DONTWAIT | MSG_NOSIGNAL);
		client_close(i);
		return;
	}
	blen = metrics_render(body, sizeof(body));
	h = snprintf(hdr, sizeof(hdr), "HTTP/1.0 200 OK\r\n"
		     "Content-Type: text/plain; version=0.0.4\r\n"
		     "Content-Length: %zu\r\nConnection: close\r\n\r\n", blen);
	/* small enough for the socket buffer; a client that does not read
	 * gets a truncated answer rather than stalling the daemon
	 */
	send(clients[i].fd, hdr, (size_t)h, MSG_DONTWAIT | MSG_NOSIGNAL | MSG_MORE);
	send(clients[i].fd, body, blen, MSG_DONTWAIT | MSG_NOSIGNAL);
	shutdown(clients[i].fd, SHUT_WR);
	client_close(i);
}

void metrics_input(const struct pollfd *p, int n)
{
	int i, k;

	for (i = 0; i < n; i++) {
		if (!p[i].revents)
			continue;
		if (p[i].fd == lfd) {
			int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

			if (fd < 0)
				continue;
			for (k = 0; k < MAX_CLIENTS && clients[k].fd >= 0; k++)
				;
			if (k == MAX_CLIENTS) {
				close(fd);	/* busy: the scraper retries */
				continue;
			}
			clients[k].fd = fd;
			clients[k].since_ms = now_ms();
			continue;
		}
		for (k = 0; k < MAX_CLIENTS; k++)
			if (clients[k].fd == p[i].fd)
				client_serve(k);
	}
}
