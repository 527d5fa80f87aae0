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
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>

#include "daccd.h"

#define STATE_FILE	"daccd.state"
#define STATE_VERSION	1

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

/* Write text to dir/name atomically. */
int atomic_write(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	int fd, dfd, err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	err = write_all(fd, text, strlen(text));
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
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
		log_err("msg=\"cannot save state\" dir=%s error=\"%s\"", dir, strerror(-err));
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
		est_restore_sample(&d->est, (uint64_t)t - wall + mono, (uint32_t)rtt);
	}
	est_expire(&d->est, &D.cfg->est, mono);
	est_refresh(&d->est, &D.cfg->est);
}

int state_load(const char *dir)
{
	char path[PATH_MAX];
	uint64_t mono = now_ms(), wall = wall_ms();
	json_object *root, *a, *v;
	unsigned int restored = 0;
	size_t i, n;

	snprintf(path, sizeof(path), "%s/%s", dir, STATE_FILE);
	if (access(path, F_OK) < 0) {
		log_info("msg=\"no saved state\" path=%s", path);
		return 0;
	}
	root = json_object_from_file(path);
	if (!root) {
		log_err("msg=\"saved state unreadable, starting afresh\" path=%s error=\"%s\"",
			path, json_util_get_last_err() ?: "?");
		return -EINVAL;
	}
	if (get_i64(root, "version") != STATE_VERSION ||
	    !json_object_object_get_ex(root, "destinations", &a) ||
	    !json_object_is_type(a, json_type_array)) {
		log_err("msg=\"saved state has an unknown layout, starting afresh\" path=%s", path);
		json_object_put(root);
		return -EINVAL;
	}
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(a, i);
		struct dacc_prefix p;
		struct dest *d;
		int k;

		if (!json_object_object_get_ex(o, "prefix", &v) ||
		    dacc_prefix_parse(json_object_get_string(v), &p, false) < 0)
			continue;
		k = dcfg_find_dest(D.cfg, &p);
		if (k < 0 || (unsigned int)k >= D.ndests)
			continue;	/* no longer configured */
		d = &D.dests[k];
		dest_from_json(d, o, mono, wall);
		restored++;
	}
	json_object_put(root);
	log_info("msg=\"state restored\" path=%s destinations=%u", path, restored);
	return (int)restored;
}
