/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daccd: the daemon's shared state (destinations, counters) and the entry
 * points of its parts: probes, passive learning, kernel push, state, metrics.
 */
#ifndef DACCD_H
#define DACCD_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/types.h>

#include "config.h"
#include "estimator.h"
#include "dacc_nl.h"
#include "ktel.h"

/* A destination being learned: its config, estimator and push state. */
struct dest {
	struct dacc_prefix prefix;
	char name[DACC_PREFIX_STRLEN];
	const struct dcfg_dest *cfg;
	struct est est;
	/* what the kernel was last given */
	bool pushed;
	uint32_t pushed_rtt_us, pushed_rttvar_us;
	uint64_t pushed_at_ms;
	uint64_t push_retry_ms;	/* after a refused push, not before this */
	bool static_seen;	/* the kernel holds a static profile for it */
	bool stale;
	uint64_t added_ms;	/* configured since (stale without any sample) */
	bool restored;		/* state_load: taken from the file already */
	/* probing */
	uint64_t next_probe_ms;
	unsigned int next_target;
	bool use_icmp;		/* auto: STAMP gets no answer, ICMP does */
	unsigned int stamp_misses;
	unsigned int icmp_probes;
	/* counters */
	uint64_t probes_sent, probes_lost, replies, passive_samples;
	uint64_t pushes;
};

/* Why a received packet was dropped (metrics label). */
enum drop_reason {
	DROP_SHORT,		/* truncated: fewer bytes than the format */
	DROP_MALFORMED,		/* a field that cannot be (zero timestamp ...) */
	DROP_UNMATCHED,		/* no outstanding probe with that seq/timestamp/peer */
	DROP_LATE,		/* matched a probe already counted lost */
	DROP_BAD_TIME,		/* timestamps inconsistent (negative turnaround ...) */
	DROP_RATELIMIT,		/* reflector over its packets-per-second limit */
	DROP_LOOP,		/* a reflection, or from a port below 1024 or our own */
	DROP_NOT_UNICAST,	/* to a broadcast/multicast address, or from one */
	DROP_DENIED,		/* source not in listen.allow */
	DROP_RATELIMIT_SOURCE,	/* source over reflector_max_pps_per_source */
	__DROP_MAX,
};

struct counters {
	uint64_t stamp_sent, icmp_sent, probes_lost, replies;
	uint64_t probes_ratelimited;
	uint64_t send_errors;
	uint64_t sender_drops[__DROP_MAX];
	uint64_t refl_rx, refl_tx, refl_drops[__DROP_MAX];
	uint64_t no_kernel_ts, kernel_tx_ts;
	uint64_t passive_dumps, passive_samples, passive_errors;
	uint64_t pushes, push_errors, push_skipped_static, kernel_resyncs;
	uint64_t state_saves, state_save_errors;
	uint64_t config_reloads, config_reload_errors;
	uint64_t path_changes;
};

struct daccd {
	struct dcfg *cfg;
	const char *cfg_path;
	struct dest *dests;
	unsigned int ndests;
	struct counters c;
	bool kernel_up;
	bool state_dirty;
	uint64_t pushes_saved;	/* D.c.pushes at the last save trigger */
	uint64_t start_ms;
};

extern struct daccd D;

/* Milliseconds of a monotonic clock that never starts near zero. */
uint64_t now_ms(void);
/* Wall clock in milliseconds since the Unix epoch. */
uint64_t wall_ms(void);

/* log.c */
enum { LOG_ERR_, LOG_WARN_, LOG_INFO_, LOG_DEBUG_ };
extern int log_level;
void dlog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_err(...)	dlog(LOG_ERR_, __VA_ARGS__)
#define log_warn(...)	dlog(LOG_WARN_, __VA_ARGS__)
#define log_info(...)	dlog(LOG_INFO_, __VA_ARGS__)
#define log_debug(...)	dlog(LOG_DEBUG_, __VA_ARGS__)
/* s fit for a quoted logfmt value: '"', '\\' and control bytes escaped,
 * cut at 256 bytes.  The buffer is one of 8 used in turn: at most 8 per
 * log line.
 */
const char *log_esc(const char *s);

/* A new RTT sample for destination d (from a probe or a TCP socket). */
void dest_sample(struct dest *d, uint32_t rtt_us, const char *source);
/* The destination whose prefix holds addr (longest match), or NULL. */
struct dest *dest_lookup(int family, const void *addr);

/* state.c: save atomically (tmp, fsync, rename, fsync dir); load at start. */
int state_save(const char *dir);
int state_load(const char *dir);
/* The same from a buffer (name for messages); the restored count or -errno. */
int state_load_buf(const char *text, size_t len, const char *name);
int atomic_write(const char *dir, const char *name, const char *text);

/* kernel.c */
void kernel_poll(void);			/* open/reopen, reconcile, push */
void kernel_push_all(void);
void kernel_push_dest(struct dest *d);
void kernel_close(void);
/* The kernel's table and telemetry into t (reset first); false: no module. */
bool kernel_telemetry(struct ktel *t);
void kernel_forget(const struct dest *d);	/* delete our learned profile */

struct pollfd;
/* metrics.c */
struct metrics_srv;
/* An HTTP server on "ADDRESS:PORT" (NULL in *out for ""); 0 or -errno. */
int metrics_srv_open(const char *listen, struct metrics_srv **out);
void metrics_srv_close(struct metrics_srv *m);
/* Make m the one served; returns the previous one (to close). */
struct metrics_srv *metrics_srv_swap(struct metrics_srv *m);
int metrics_pollfds(struct pollfd *p, int max);
void metrics_input(const struct pollfd *p, int n);
/* Milliseconds until the server needs metrics_input() (UINT64_MAX: never). */
uint64_t metrics_timeout_ms(void);
int metrics_write_file(const char *path);
/* The metrics text, malloc'ed (*len bytes), or NULL when out of memory. */
char *metrics_render(size_t *len);

/* passive.c */
int passive_dump(void);


/* probe.c: the STAMP sender and ICMP echo.  Sockets come in sets, so a
 * reload can open the new ones before it lets go of the old.
 */
struct pollfd;
struct snd_set {
	int fd[4];
	bool icmp_raw[2];	/* raw socket (needs CAP_NET_RAW), else ping socket */
};
void probe_init(const struct dcfg *c);
/* All or nothing: 0, or -errno with nothing left open. */
int probe_sockets_open(const struct dcfg *c, struct snd_set *s);
void probe_sockets_close(struct snd_set *s);
/* Would c's sockets be the same as a's? */
bool probe_sockets_same(const struct dcfg *a, const struct dcfg *c);
/* Install s and c; s gets the sockets that were in use. */
void probe_swap(struct snd_set *s, const struct dcfg *c);
void probe_set_cfg(const struct dcfg *c);
/* Forget outstanding probes (the destinations changed). */
void probe_forget(void);
int probe_pollfds(struct pollfd *p, int max);
void probe_input(const struct pollfd *p, int n);
/* Send what is due and time out what is late; returns the next deadline. */
uint64_t probe_tick(uint64_t now);
/* Shared with the reflector. */
uint64_t ntp_now(void);
uint16_t stamp_err_now(void);
/* Token bucket in milli-tokens: rate per second, burst tokens; true when
 * one is taken (last_ms 0: a new, full bucket).
 */
bool tb_take(uint64_t *tokens, uint64_t *last_ms, uint32_t rate, uint32_t burst);
struct timespec;
ssize_t errqueue_txts(int fd, uint8_t *buf, size_t len, struct timespec *ts);

/* reflector.c: the STAMP Session-Reflector. */
struct refl_set {
	int fd[DCFG_MAX_BIND + 2];
	unsigned int n;
};
void refl_set_cfg(const struct dcfg *c);
int refl_open(const struct dcfg *c, struct refl_set *s);
void refl_close(struct refl_set *s);
bool refl_same(const struct dcfg *a, const struct dcfg *c);
void refl_swap(struct refl_set *s, const struct dcfg *c);
int refl_pollfds(struct pollfd *p, int max);
void refl_input(const struct pollfd *p, int n);
#endif
