// SPDX-License-Identifier: GPL-2.0
/* daccd: learns per-destination latency profiles (STAMP and ICMP probes,
 * TCP sockets) and keeps the dacc module's profile table current.  One
 * thread, one poll loop; SIGHUP reloads the config, SIGTERM saves and exits.
 */
#include <errno.h>
#include <stdint.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daccd.h"

#define DACCD_VERSION	"0.1"
#define MAX_POLLFDS	32

struct daccd D;

static const char *state_dir_override;

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* offset: restored samples from before boot stay positive */
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000 + (1ULL << 40);
}

uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static const char *state_dir(void)
{
	return state_dir_override ? state_dir_override : D.cfg->state_dir;
}

struct dest *dest_lookup(int family, const void *addr)
{
	struct dest *best = NULL;
	unsigned int i;

	for (i = 0; i < D.ndests; i++) {
		struct dest *d = &D.dests[i];

		if (dacc_prefix_contains(&d->prefix, family, addr) &&
		    (!best || d->prefix.plen > best->prefix.plen))
			best = d;
	}
	return best;
}

void dest_sample(struct dest *d, uint32_t rtt_us, const char *source)
{
	const struct est_params *p = &D.cfg->est;
	int flags = est_add(&d->est, p, now_ms(), rtt_us);

	log_debug("msg=sample prefix=%s source=%s rtt_us=%u base_us=%u", d->name, source,
		  rtt_us, d->est.base_us);
	if (flags & EST_F_CHANGE) {
		D.c.path_changes++;
		log_info("msg=\"path change\" prefix=%s base_us=%u jitter_us=%u", d->name,
			 d->est.base_us, d->est.jitter_us);
	}
	if (d->stale) {
		d->stale = false;
		log_info("msg=\"samples again\" prefix=%s", d->name);
	}
	D.state_dirty = true;
	if (est_trusted(&d->est, p))
		kernel_push_dest(d);
}

/* Destinations for cfg, keeping what old ones (same prefix) learned. */
static struct dest *dests_build(const struct dcfg *cfg, const struct dest *old, unsigned int nold)
{
	struct dest *v = calloc(cfg->ndests ? cfg->ndests : 1, sizeof(*v));
	uint64_t now = now_ms();
	unsigned int i, k;

	if (!v)
		return NULL;
	for (i = 0; i < cfg->ndests; i++) {
		struct dest *d = &v[i];

		for (k = 0; k < nold; k++)
			if (dacc_prefix_equal(&old[k].prefix, &cfg->dests[i].prefix))
				break;
		if (k < nold) {
			*d = old[k];
		} else {
			est_init(&d->est);
			d->prefix = cfg->dests[i].prefix;
			dacc_prefix_format(&d->prefix, d->name, sizeof(d->name));
			d->added_ms = now;
		}
		d->cfg = &cfg->dests[i];
		d->use_icmp = cfg->dests[i].method == DCFG_METHOD_ICMP;
		d->stamp_misses = 0;
		/* spread the first probes over one interval */
		d->next_probe_ms = now + 50 + (uint64_t)d->cfg->interval_ms * i /
				   (cfg->ndests ? cfg->ndests : 1);
	}
	return v;
}

/* Open the sockets c needs that old's differ from, and only then let go of
 * the old ones: a reload that cannot have all of them changes nothing.  A
 * port our own old socket holds (same port, other addresses) is the one
 * case where the old one must go first; if the new one still fails, the
 * old one is opened again.
 */
static int reload_sockets(const struct dcfg *old, const struct dcfg *c)
{
	bool do_refl = !refl_same(old, c), do_snd = !probe_sockets_same(old, c),
	     do_m = strcmp(old->metrics_listen, c->metrics_listen) != 0;
	bool refl_closed = false, snd_closed = false, m_closed = false;
	struct refl_set rs = { .n = 0 };
	struct snd_set ss = { .fd = { -1, -1, -1, -1 } };
	struct metrics_srv *ms = NULL;
	int err = 0;

	if (do_refl) {
		err = refl_open(c, &rs);
		if (err == -EADDRINUSE) {
			refl_swap(&rs, old);	/* rs: the old ones, closed */
			refl_close(&rs);
			refl_closed = true;
			err = refl_open(c, &rs);
		}
		if (err)
			goto undo;
	}
	if (do_snd) {
		err = probe_sockets_open(c, &ss);
		if (err == -EADDRINUSE) {
			probe_swap(&ss, old);
			probe_sockets_close(&ss);
			snd_closed = true;
			err = probe_sockets_open(c, &ss);
		}
		if (err)
			goto undo;
	}
	if (do_m) {
		err = metrics_srv_open(c->metrics_listen, &ms);
		if (err == -EADDRINUSE) {
			metrics_srv_close(metrics_srv_swap(NULL));
			m_closed = true;
			err = metrics_srv_open(c->metrics_listen, &ms);
		}
		if (err) {
			log_err("msg=\"cannot listen for metrics\" address=\"%s\" error=\"%s\"",
				log_esc(c->metrics_listen), strerror(-err));
			goto undo;
		}
	}
	/* all there: commit */
	if (do_refl) {
		refl_swap(&rs, c);
		refl_close(&rs);
	} else {
		refl_set_cfg(c);
	}
	if (do_snd) {
		probe_swap(&ss, c);
		probe_sockets_close(&ss);
	} else {
		probe_set_cfg(c);
	}
	if (do_m)
		metrics_srv_close(metrics_srv_swap(ms));
	return 0;

undo:
	refl_close(&rs);
	probe_sockets_close(&ss);
	metrics_srv_close(ms);
	if (refl_closed) {
		if (refl_open(old, &rs) < 0)
			log_err("msg=\"the old reflector sockets could not be reopened\"");
		refl_swap(&rs, old);
	}
	if (snd_closed) {
		if (probe_sockets_open(old, &ss) < 0)
			log_err("msg=\"the old sender sockets could not be reopened\"");
		probe_swap(&ss, old);
	}
	if (m_closed) {
		if (metrics_srv_open(old->metrics_listen, &ms) < 0)
			log_err("msg=\"the old metrics listener could not be reopened\"");
		metrics_srv_swap(ms);
	}
	return err;
}

static void reload(void)
{
	struct dcfg *old = D.cfg, *c;
	struct dest *v;
	unsigned int i;
	char err[512];
	int r;

	c = dcfg_load(D.cfg_path, err, sizeof(err));
	if (!c) {
		D.c.config_reload_errors++;
		log_err("msg=\"reload refused, keeping the old config\" error=\"%s\"", log_esc(err));
		return;
	}
	v = dests_build(c, D.dests, D.ndests);
	if (!v) {
		dcfg_free(c);
		D.c.config_reload_errors++;
		log_err("msg=\"reload refused: out of memory\"");
		return;
	}
	r = reload_sockets(old, c);
	if (r) {
		free(v);
		dcfg_free(c);
		D.c.config_reload_errors++;
		log_err("msg=\"reload refused, keeping the old config: its sockets cannot be opened\" error=\"%s\"",
			strerror(-r));
		return;
	}
	/* learned profiles of destinations no longer configured go away */
	for (i = 0; i < D.ndests; i++)
		if (dcfg_find_dest(c, &D.dests[i].prefix) < 0)
			kernel_forget(&D.dests[i]);
	probe_forget();
	free(D.dests);
	D.dests = v;
	D.ndests = c->ndests;
	D.cfg = c;
	dcfg_free(old);
	D.c.config_reloads++;
	D.state_dirty = true;
	log_info("msg=\"config reloaded\" destinations=%u", D.ndests);
	kernel_poll();
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: daccd [OPTIONS]\n"
		"Learn per-destination latency profiles and push them to the dacc module.\n\n"
		"  -c, --config FILE      configuration (default " DCFG_PATH_DEFAULT ")\n"
		"  -t, --check-config     validate the configuration and exit\n"
		"  -f, --foreground       stay in the foreground (daccd never forks;\n"
		"                         accepted for service managers' habits)\n"
		"  -s, --state-dir DIR    where learned state is kept (overrides state_dir)\n"
		"  -v, --verbose          log every sample (level debug)\n"
		"  -q, --quiet            log warnings and errors only\n"
		"  -V, --version          print the version\n"
		"  -h, --help             this text\n\n"
		"Signals: SIGHUP reloads the configuration (a bad one is refused and the\n"
		"old one kept), SIGTERM and SIGINT save the state and exit.\n");
}

static void tick_stale(uint64_t now)
{
	unsigned int i;

	for (i = 0; i < D.ndests; i++) {
		struct dest *d = &D.dests[i];

		uint64_t since = d->est.last_ms ? d->est.last_ms : d->added_ms;

		est_expire(&d->est, &D.cfg->est, now);
		/* never a sample: stale once stale_ms passed since it was configured */
		if (!d->stale && now > since + D.cfg->est.stale_ms) {
			d->stale = true;
			log_warn("msg=\"destination stale: no samples\" prefix=%s since_ms=%llu%s",
				 d->name, (unsigned long long)(now - since),
				 d->est.last_ms ? "" : " never=true");
		}
	}
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static int run(int sfd)
{
	uint64_t now = now_ms(), next_passive = now, next_kernel = now, next_save = now,
		 next_metrics = now, next_second = now;
	struct pollfd pfd[MAX_POLLFDS];

	for (;;) {
		uint64_t next, t;
		int n = 0, np, nr, nm;

		now = now_ms();
		next = probe_tick(now);
		if (D.cfg->passive_enabled && now >= next_passive) {
			int r = passive_dump();

			if (r < 0)
				log_warn("msg=\"sock_diag dump failed\" error=\"%s\"", strerror(-r));
			next_passive = now + D.cfg->passive_interval_ms;
		}
		if (now >= next_kernel) {
			kernel_poll();
			next_kernel = now + D.cfg->kernel_poll_ms;
		}
		if (now >= next_second) {
			tick_stale(now);
			next_second = now + 1000;
		}
		if (D.state_dirty && now >= next_save) {
			state_save(state_dir());
			next_save = now + D.cfg->save_interval_ms;
		}
		if (D.cfg->metrics_file[0] && now >= next_metrics) {
			int r = metrics_write_file(D.cfg->metrics_file);

			if (r < 0)
				log_warn("msg=\"cannot write metrics file\" path=\"%s\" error=\"%s\"",
					 log_esc(D.cfg->metrics_file), strerror(-r));
			next_metrics = now + D.cfg->metrics_interval_ms;
		}

		pfd[n].fd = sfd;
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
		np = probe_pollfds(pfd + n, MAX_POLLFDS - n);
		n += np;
		nr = refl_pollfds(pfd + n, MAX_POLLFDS - n);
		n += nr;
		nm = metrics_pollfds(pfd + n, MAX_POLLFDS - n);
		n += nm;

		next = min_u64(next, next_kernel);
		next = min_u64(next, next_second);
		if (D.cfg->passive_enabled)
			next = min_u64(next, next_passive);
		if (D.state_dirty)
			next = min_u64(next, next_save);
		if (D.cfg->metrics_file[0])
			next = min_u64(next, next_metrics);
		t = now_ms();
		if (metrics_timeout_ms() != UINT64_MAX)
			next = min_u64(next, t + metrics_timeout_ms());
		if (poll(pfd, (nfds_t)n, next > t ? (int)min_u64(next - t, 60000) : 0) < 0 &&
		    errno != EINTR) {
			log_err("msg=\"poll failed\" error=\"%s\"", strerror(errno));
			return 1;
		}
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					reload();
					continue;	/* the poll set changed */
				}
				log_info("msg=\"exiting\" signal=%u", si.ssi_signo);
				state_save(state_dir());
				return 0;
			}
		}
		probe_input(pfd + 1, np);
		refl_input(pfd + 1 + np, nr);
		metrics_input(pfd + 1 + np + nr, nm);
		/* a push happened: make it durable now, a crash must not lose it */
		if (D.c.pushes != D.pushes_saved) {
			D.pushes_saved = D.c.pushes;
			next_save = 0;
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 't' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool check = false;
	char err[512];
	sigset_t mask;
	int opt, sfd, rc, r;

	D.cfg_path = DCFG_PATH_DEFAULT;
	while ((opt = getopt_long(argc, argv, "c:tfs:vqVh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			D.cfg_path = optarg;
			break;
		case 't':
			check = true;
			break;
		case 'f':
			break;
		case 's':
			if (optarg[0] != '/') {
				fprintf(stderr, "daccd: --state-dir \"%s\" must be an absolute path\n",
					optarg);
				return 2;
			}
			state_dir_override = optarg;
			break;
		case 'v':
			log_level = LOG_DEBUG_;
			break;
		case 'q':
			log_level = LOG_WARN_;
			break;
		case 'V':
			printf("daccd %s\n", DACCD_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "daccd: unexpected argument \"%s\", try \"daccd --help\"\n",
			argv[optind]);
		return 2;
	}

	D.cfg = dcfg_load(D.cfg_path, err, sizeof(err));
	if (!D.cfg) {
		fprintf(stderr, "daccd: %s\n", err);
		return 1;
	}
	if (check) {
		printf("daccd: %s: OK, %u destination%s\n", D.cfg_path, D.cfg->ndests,
		       D.cfg->ndests == 1 ? "" : "s");
		dcfg_free(D.cfg);
		return 0;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		fprintf(stderr, "daccd: signalfd: %s\n", strerror(errno));
		return 1;
	}

	D.start_ms = now_ms();
	D.dests = dests_build(D.cfg, NULL, 0);
	D.ndests = D.cfg->ndests;
	if (!D.dests)
		return 1;
	log_info("msg=starting version=%s config=\"%s\" destinations=%u state_dir=\"%s\"",
		 DACCD_VERSION, log_esc(D.cfg_path), D.ndests, log_esc(state_dir()));
	if (mkdir(state_dir(), 0755) < 0 && errno != EEXIST)
		log_warn("msg=\"cannot create the state directory\" dir=\"%s\" error=\"%s\"",
			 log_esc(state_dir()), strerror(errno));
	probe_init(D.cfg);
	refl_set_cfg(D.cfg);
	{
		struct refl_set rs;
		struct snd_set ss;
		struct metrics_srv *ms;

		if (refl_open(D.cfg, &rs) < 0)
			return 1;
		refl_swap(&rs, D.cfg);
		if (probe_sockets_open(D.cfg, &ss) < 0)
			return 1;
		probe_swap(&ss, D.cfg);
		r = metrics_srv_open(D.cfg->metrics_listen, &ms);
		if (r < 0) {
			log_err("msg=\"cannot listen for metrics\" address=\"%s\" error=\"%s\"",
				log_esc(D.cfg->metrics_listen), strerror(-r));
			return 1;
		}
		if (ms)
			log_info("msg=\"metrics listening\" address=\"%s\"",
				 log_esc(D.cfg->metrics_listen));
		metrics_srv_swap(ms);
	}
	/* What was learned before goes to the kernel before the first probe. */
	state_load(state_dir());
	kernel_poll();
	log_info("msg=\"ready, probing starts\" kernel=%s pushes=%llu",
		 D.kernel_up ? "up" : "absent", (unsigned long long)D.c.pushes);
	D.pushes_saved = D.c.pushes;

	rc = run(sfd);
	{
		struct refl_set rs = { .n = 0 };
		struct snd_set ss = { .fd = { -1, -1, -1, -1 } };

		refl_swap(&rs, D.cfg);
		refl_close(&rs);
		probe_swap(&ss, D.cfg);
		probe_sockets_close(&ss);
		metrics_srv_close(metrics_srv_swap(NULL));
	}
	kernel_close();
	free(D.dests);
	dcfg_free(D.cfg);
	return rc;
}
