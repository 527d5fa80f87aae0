// SPDX-License-Identifier: GPL-2.0
/* daccd: its own metrics in the Prometheus text format, served over HTTP
 * (libmicrohttpd) on a local address and/or written atomically to a file
 * (node_exporter's textfile collector reads such files).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <microhttpd.h>

#include "daccd.h"

struct out {
	FILE *f;
};

static void __attribute__((format(printf, 2, 3))) put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
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
	[DROP_LOOP] = "loop", [DROP_NOT_UNICAST] = "not_unicast",
	[DROP_DENIED] = "denied", [DROP_RATELIMIT_SOURCE] = "ratelimit_source",
};

/* The kernel's telemetry, dumped at most once a second whatever the
 * scrape rate (a dump of a full table is 65536 messages).
 */
static struct ktel ktel;
static uint64_t ktel_at_ms;
static bool ktel_ready;

static const struct ktel *kernel_part(uint64_t now)
{
	unsigned int max = D.cfg->metrics_kernel_profiles_max;

	if (ktel_ready && ktel.max == max && now - ktel_at_ms < 1000)
		return &ktel;
	if (!ktel_ready || ktel.max != max) {
		ktel_free(&ktel);
		ktel_ready = !ktel_init(&ktel, max);
		if (!ktel_ready)
			return NULL;
	}
	kernel_telemetry(&ktel);
	ktel_at_ms = now;
	return &ktel;
}

char *metrics_render(size_t *len)
{
	char *buf = NULL;
	struct out o = { .f = open_memstream(&buf, len) };
	const struct counters *c = &D.c;
	const struct ktel *k_tel;
	uint64_t now = now_ms();
	unsigned int i;
	int k;

	if (!o.f)
		return NULL;
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
	k_tel = kernel_part(now);
	if (k_tel)
		ktel_render(o.f, k_tel);
	if (ferror(o.f)) {
		fclose(o.f);
		free(buf);
		return NULL;
	}
	if (fclose(o.f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

int metrics_write_file(const char *path)
{
	char dir[PATH_MAX], base[PATH_MAX], *buf;
	size_t len;
	int err;

	buf = metrics_render(&len);
	if (!buf)
		return -ENOMEM;
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(base, sizeof(base), "%s", path);
	err = atomic_write(dirname(dir), basename(base), buf);
	free(buf);
	return err;
}

/* ---- HTTP: libmicrohttpd, driven from daccd's poll loop ---------------- */

/* Connections at once, from one address, and how long one may idle. */
#define HTTP_MAX_CONNS		512
#define HTTP_MAX_PER_IP		64
#define HTTP_TIMEOUT_S		5

struct metrics_srv {
	struct MHD_Daemon *mhd;
	int epoll_fd;
};

static struct metrics_srv *srv;

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status,
			     const char *text, const char *allow)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* GET or HEAD /metrics, nothing else.  MHD assembles requests split over
 * segments, writes the body as the client reads it (no truncation), and
 * closes idle connections.
 */
static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_len, void **con_cls)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len;
	char *body;

	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n",
			     "GET, HEAD");
	if (*upload_len)	/* a body with a GET: not ours to read */
		return reply(conn, MHD_HTTP_BAD_REQUEST, "no body expected\n", NULL);
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND, "daccd serves /metrics only\n", NULL);
	body = metrics_render(&len);
	if (!body)
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n", NULL);
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; version=0.0.4; charset=utf-8");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

int metrics_srv_open(const char *listen_addr, struct metrics_srv **out)
{
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	struct metrics_srv *m;
	int one = 1, fd, err;
	socklen_t sl;

	*out = NULL;
	if (!listen_addr[0])
		return 0;
	err = dcfg_parse_hostport(listen_addr, &ss, &sl);
	if (err)
		return err;
	/* our own socket, so a busy port is an errno, not a NULL from MHD */
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 64) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		close(fd);
		return -ENOMEM;
	}
	m->mhd = MHD_start_daemon(MHD_USE_EPOLL | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
				  0, NULL, NULL, handle, NULL,
				  MHD_OPTION_LISTEN_SOCKET, fd,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTP_MAX_CONNS,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)HTTP_MAX_PER_IP,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTP_TIMEOUT_S,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
				  MHD_OPTION_END);
	if (!m->mhd) {
		close(fd);
		free(m);
		return -ENOMEM;
	}
	info = MHD_get_daemon_info(m->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info) {
		MHD_stop_daemon(m->mhd);
		free(m);
		return -EINVAL;
	}
	m->epoll_fd = info->epoll_fd;
	*out = m;
	return 0;
}

void metrics_srv_close(struct metrics_srv *m)
{
	if (!m)
		return;
	/* MHD_stop_daemon closes the listening socket it was given */
	MHD_stop_daemon(m->mhd);
	free(m);
}

struct metrics_srv *metrics_srv_swap(struct metrics_srv *m)
{
	struct metrics_srv *old = srv;

	srv = m;
	return old;
}

int metrics_pollfds(struct pollfd *p, int max)
{
	if (!srv || max < 1)
		return 0;
	p[0].fd = srv->epoll_fd;
	p[0].events = POLLIN;
	p[0].revents = 0;
	return 1;
}

uint64_t metrics_timeout_ms(void)
{
	MHD_UNSIGNED_LONG_LONG t;

	if (!srv || MHD_get_timeout(srv->mhd, &t) != MHD_YES)
		return UINT64_MAX;
	return t;
}

void metrics_input(const struct pollfd *p, int n)
{
	/* also when nothing is readable: connection timeouts are MHD's */
	if (srv)
		MHD_run(srv->mhd);
}
