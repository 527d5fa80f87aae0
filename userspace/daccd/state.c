// SPDX-License-Identifier: GPL-2.0
/* daccd: learned state on disk (JSON), so a restart or a crash loses
 * nothing: written to a temporary file, fsync'ed, renamed over the old one,
 * and the directory fsync'ed.  Times are stored as wall-clock milliseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>

#include "daccd.h"

#define STATE_FILE	"daccd.state"
#define STATE_VERSION	1
/* 1024 destinations of 256 samples are about 7 MB of JSON. */
#define STATE_MAX_BYTES	(32ULL << 20)

static json_object *dest_to_json(const struct dest *d, uint64_t mono, uint64_t wall)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	unsigned int i;

	json_object_object_add(o, "prefix", json_object_new_string(d->name));
	json_object_object_add(o, "base_us", json_object_new_int64(d->est.base_us));
	json_object_object_add(o, "jitter_us", json_object_new_int64(d->est.jitter_us));
	json_object_object_add(o, "pushed", json_object_new_boolean(d->pushed));
	json_object_object_add(o, "pushed_rtt_us", json_object_new_int64(d->pushed_rtt_us));
	json_object_object_add(o, "pushed_rttvar_us", json_object_new_int64(d->pushed_rttvar_us));
	json_object_object_add(o, "total", json_object_new_int64((int64_t)d->est.total));
	json_object_object_add(o, "changes", json_object_new_int64(d->est.changes));
	for (i = 0; i < d->est.n; i++) {
		const struct est_sample *s = est_sample_at(&d->est, i);
		json_object *pair = json_object_new_array();

		json_object_array_add(pair, json_object_new_int64((int64_t)(s->t_ms - mono + wall)));
		json_object_array_add(pair, json_object_new_int64(s->rtt_us));
		json_object_array_add(a, pair);
	}
	json_object_object_add(o, "samples", a);
	return o;
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write text to dir/name atomically: a new file of a random name, created
 * with O_EXCL and O_NOFOLLOW inside the directory (opened once, so a
 * directory swapped underneath cannot redirect it), fsync'ed and renamed
 * over the old one; rename replaces a symlink at NAME, never its target.
 * Then the directory is fsync'ed.  Nobody who can write the directory can
 * make this write anywhere else.
 */
int atomic_write(const char *dir, const char *name, const char *text)
{
	char tmp[NAME_MAX + 1];
	int fd = -1, dfd, err = 0, tries;

	if (!name[0] || strchr(name, '/') || strlen(name) + 9 > NAME_MAX)
		return -EINVAL;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	for (tries = 0; tries < 16 && fd < 0; tries++) {
		uint32_t r;

		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (uint32_t)now_ms() ^ (uint32_t)getpid() << 8 ^ (uint32_t)tries;
		snprintf(tmp, sizeof(tmp), ".%s.%08x", name, r);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST) {
			err = -errno;
			break;
		}
	}
	if (fd < 0) {
		close(dfd);
		return err ?: -EEXIST;
	}
	/* the umask must not make a metrics file unreadable to its collector */
	if (fchmod(fd, 0644) < 0)
		err = -errno;
	if (!err)
		err = write_all(fd, text, strlen(text));
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && renameat(dfd, tmp, dfd, name) < 0)
		err = -errno;
	if (err)
		unlinkat(dfd, tmp, 0);
	else if (fsync(dfd) < 0)
		err = -errno;
	close(dfd);
	return err;
}

int state_save(const char *dir)
{
	json_object *root = json_object_new_object(), *a = json_object_new_array();
	uint64_t mono = now_ms(), wall = wall_ms();
	unsigned int i;
	int err;

	json_object_object_add(root, "version", json_object_new_int(STATE_VERSION));
	json_object_object_add(root, "saved_ms", json_object_new_int64((int64_t)wall));
	for (i = 0; i < D.ndests; i++)
		json_object_array_add(a, dest_to_json(&D.dests[i], mono, wall));
	json_object_object_add(root, "destinations", a);
	err = atomic_write(dir, STATE_FILE,
			   json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
	if (err) {
		D.c.state_save_errors++;
		log_err("msg=\"cannot save state\" dir=\"%s\" error=\"%s\"", log_esc(dir),
			strerror(-err));
		return err;
	}
	D.c.state_saves++;
	D.state_dirty = false;
	return 0;
}

static int64_t get_i64(json_object *o, const char *k)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v))
		return -1;
	return json_object_get_int64(v);
}

static void dest_from_json(struct dest *d, json_object *o, uint64_t mono, uint64_t wall)
{
	json_object *a, *v;
	int64_t r, vr;
	size_t i, n;

	if (json_object_object_get_ex(o, "pushed", &v) && json_object_get_boolean(v)) {
		r = get_i64(o, "pushed_rtt_us");
		vr = get_i64(o, "pushed_rttvar_us");
		if (r >= DACC_RTT_MIN_US && r <= DACC_RTT_MAX_US && vr >= 0 && vr <= DACC_RTT_MAX_US) {
			d->pushed = true;
			d->pushed_rtt_us = (uint32_t)r;
			d->pushed_rttvar_us = (uint32_t)vr;
		}
	}
	r = get_i64(o, "total");
	d->est.total = r > 0 ? (uint64_t)r : 0;
	r = get_i64(o, "changes");
	d->est.changes = r > 0 ? (uint32_t)r : 0;
	if (!json_object_object_get_ex(o, "samples", &a) || !json_object_is_type(a, json_type_array))
		return;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		json_object *pair = json_object_array_get_idx(a, i);
		int64_t t, rtt;

		if (!json_object_is_type(pair, json_type_array) ||
		    json_object_array_length(pair) != 2)
			continue;
		t = json_object_get_int64(json_object_array_get_idx(pair, 0));
		rtt = json_object_get_int64(json_object_array_get_idx(pair, 1));
		/* only the past, and RTTs the kernel would take */
		if (t <= 0 || (uint64_t)t > wall || wall - (uint64_t)t > mono ||
		    rtt < DACC_RTT_MIN_US || rtt > DACC_RTT_MAX_US)
			continue;
		/* oldest first, as saved: one out of order would outlive the
		 * window (est_expire drops from the oldest end)
		 */
		if (d->est.n && (uint64_t)t - wall + mono < d->est.last_ms)
			continue;
		est_restore_sample(&d->est, (uint64_t)t - wall + mono, (uint32_t)rtt);
	}
	est_expire(&d->est, &D.cfg->est, mono);
	est_refresh(&d->est, &D.cfg->est);
}

/* The saved state in root, if it is recent enough: restored into D. */
static int state_restore(json_object *root, const char *name)
{
	uint64_t mono = now_ms(), wall = wall_ms(), max_age = D.cfg->state_max_age_ms;
	json_object *a, *v;
	unsigned int restored = 0;
	int64_t saved;
	size_t i, n;

	if (!json_object_is_type(root, json_type_object) ||
	    get_i64(root, "version") != STATE_VERSION ||
	    !json_object_object_get_ex(root, "destinations", &a) ||
	    !json_object_is_type(a, json_type_array)) {
		log_err("msg=\"saved state has an unknown layout, starting afresh\" path=\"%s\"",
			log_esc(name));
		return -EINVAL;
	}
	/* A state of unknown age, from the future (the clock was set back, or
	 * is not set yet) or older than state_max_age_ms describes paths that
	 * may have changed since: start afresh rather than push it.
	 */
	saved = get_i64(root, "saved_ms");
	if (saved <= 0 || (uint64_t)saved > wall + 60000 || wall - (uint64_t)saved > max_age) {
		log_warn("msg=\"saved state too old or of unknown age, starting afresh\" path=\"%s\" saved_ms=%lld now_ms=%llu max_age_ms=%llu",
			 log_esc(name), (long long)saved, (unsigned long long)wall,
			 (unsigned long long)max_age);
		return -ESTALE;
	}
	for (i = 0; i < D.ndests; i++)
		D.dests[i].restored = false;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(a, i);
		struct dacc_prefix p;
		struct dest *d;
		int k;

		if (!json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, "prefix", &v) ||
		    !json_object_is_type(v, json_type_string) ||
		    dacc_prefix_parse(json_object_get_string(v), &p, false) < 0)
			continue;
		k = dcfg_find_dest(D.cfg, &p);
		if (k < 0 || (unsigned int)k >= D.ndests)
			continue;	/* no longer configured */
		d = &D.dests[k];
		if (d->restored)
			continue;	/* listed twice: the first one counts */
		d->restored = true;
		dest_from_json(d, o, mono, wall);
		restored++;
	}
	log_info("msg=\"state restored\" path=\"%s\" destinations=%u", log_esc(name), restored);
	return (int)restored;
}

int state_load_buf(const char *text, size_t len, const char *name)
{
	struct json_tokener *tok;
	json_object *root;
	int r;

	if (len > STATE_MAX_BYTES || len > INT_MAX) {
		log_err("msg=\"saved state too large, starting afresh\" path=\"%s\" bytes=%zu",
			log_esc(name), len);
		return -EFBIG;
	}
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) < len) {
		log_err("msg=\"saved state unreadable, starting afresh\" path=\"%s\" error=\"%s\"",
			log_esc(name), log_esc(json_tokener_error_desc(json_tokener_get_error(tok))));
		json_object_put(root);
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);
	r = state_restore(root, name);
	json_object_put(root);
	return r;
}

int state_load(const char *dir)
{
	char path[PATH_MAX], *buf;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, STATE_FILE);
	r = dcfg_read_file(path, O_NOFOLLOW, STATE_MAX_BYTES, &buf, &len);
	if (r == -ENOENT) {
		log_info("msg=\"no saved state\" path=\"%s\"", log_esc(path));
		return 0;
	}
	if (r) {
		log_err("msg=\"saved state unreadable, starting afresh\" path=\"%s\" error=\"%s\"",
			log_esc(path), r == -EINVAL || r == -EISDIR ? "not a regular file" :
			r == -EFBIG ? "larger than 32 MiB" : strerror(-r));
		return r;
	}
	r = state_load_buf(buf, len, path);
	free(buf);
	return r;
}
