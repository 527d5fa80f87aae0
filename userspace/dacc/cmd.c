// SPDX-License-Identifier: GPL-2.0
/* The objects of the dacc command: profile, stats, monitor, help. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dacc.h"
#include "dacc_msg.h"

/* Show the whole dump again when the table changed under it, at most this
 * many times; then print it with a warning.
 */
#define DUMP_TRIES 3

void cli_usage(FILE *f)
{
	fprintf(f,
		"Usage: dacc [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       dacc [ OPTIONS ] -batch FILE\n"
		"where  OBJECT := { profile | stats | monitor | help }\n"
		"       OPTIONS := { -V[ersion] | -j[son] | -p[retty] | -s[tats] |\n"
		"                    -n[etns] NAME | -b[atch] FILE | -f[orce] | -h[elp] }\n");
}

static void profile_usage(FILE *f)
{
	fprintf(f,
		"Usage: dacc profile { add | replace } PREFIX rtt TIME [ jitter TIME ]\n"
		"                          [ bw RATE ] [ loss LOSS ] [ source SOURCE ]\n"
		"       dacc profile del PREFIX\n"
		"       dacc profile get ADDRESS\n"
		"       dacc profile show [ PREFIX ] [ source SOURCE ]\n"
		"       dacc profile flush [ source SOURCE ]\n"
		"where  PREFIX := { IPV4_ADDRESS/LEN | IPV6_ADDRESS/LEN | ADDRESS }\n"
		"       TIME := NUMBER[s|ms|us]   rtt 1us..10s, jitter 0..10s\n"
		"       RATE := NUMBER[bit|kbit|mbit|gbit|tbit|bps|kbps|mbps|gbps]\n"
		"       LOSS := { NUMBER[ppm] | NUMBER%% }   0..100000ppm (10%%)\n"
		"       SOURCE := { static | learned }\n");
}

/* Print a failed request's error the way iproute2 prints extack. */
static int nl_fail(struct cli *c, int err)
{
	const char *msg = dacc_nl_error(c->nl);
	size_t n = strlen(msg);

	if (!n)
		msg = strerror(-err), n = strlen(msg);
	fprintf(c->err, "Error: %s%s\n", msg, n && msg[n - 1] == '.' ? "" : ".");
	return 1;
}

static int need_nl(struct cli *c)
{
	if (c->nl)
		return 0;
	c->nl = dacc_nl_open();
	if (c->nl)
		return 0;
	if (errno == ENOENT)
		fprintf(c->err, "dacc: the dacc family is not available (is tcp_dacc loaded?)\n");
	else
		fprintf(c->err, "dacc: cannot talk to the kernel over generic netlink: %s\n",
			strerror(errno));
	return -1;
}

struct collect {
	struct dacc_profile *v;
	size_t n, cap;
};

static int collect_cb(const struct dacc_profile *p, void *arg)
{
	struct collect *col = arg;

	if (col->n == col->cap) {
		size_t cap = col->cap ? col->cap * 2 : 256;
		struct dacc_profile *v = realloc(col->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		col->v = v;
		col->cap = cap;
	}
	col->v[col->n++] = *p;
	return 0;
}

static bool same_prefix(const struct dacc_prefix *a, const struct dacc_prefix *b)
{
	size_t len = a->family == AF_INET ? 4 : 16;

	return a->family == b->family && a->plen == b->plen &&
		!memcmp(a->addr.raw, b->addr.raw, len);
}

static int profile_show(struct cli *c, const struct profile_req *r)
{
	struct collect col = { 0 };
	int err, tries = 0;
	size_t i;

	do {
		col.n = 0;
		err = dacc_profile_dump(c->nl, collect_cb, &col);
	} while (!err && dacc_nl_dump_interrupted(c->nl) && ++tries < DUMP_TRIES);
	if (err) {
		free(col.v);
		if (err == -ENOMEM) {
			fprintf(c->err, "Error: out of memory.\n");
			return 1;
		}
		return nl_fail(c, err);
	}
	if (dacc_nl_dump_interrupted(c->nl))
		fprintf(c->err, "Warning: the table kept changing during the dump; "
			"it may be inconsistent.\n");
	out_open(&c->out, NULL, true);
	for (i = 0; i < col.n; i++) {
		if (r->has_prefix && !same_prefix(&col.v[i].prefix, &r->p.prefix))
			continue;
		if (r->source >= 0 && col.v[i].source != r->source)
			continue;
		print_profile(c, &col.v[i], NULL, PRINT_AGE);
	}
	out_close(&c->out);
	free(col.v);
	return 0;
}

static int cmd_profile(struct cli *c, int argc, char **argv)
{
	struct dacc_profile p;
	struct profile_req r;
	int err = 0;

	if (profile_parse(c, argc, argv, &r))
		return 1;
	if (r.cmd == PROFILE_HELP) {
		profile_usage(stdout);
		return 0;
	}
	if (need_nl(c))
		return 1;
	switch (r.cmd) {
	case PROFILE_ADD:
	case PROFILE_REPLACE:
		err = dacc_profile_add(c->nl, &r.p, r.cmd == PROFILE_ADD);
		break;
	case PROFILE_DEL:
		err = dacc_profile_del(c->nl, &r.p.prefix);
		break;
	case PROFILE_GET:
		err = dacc_profile_get(c->nl, &r.p.prefix, &p);
		if (err)
			break;
		out_open(&c->out, NULL, true);
		print_profile(c, &p, NULL, PRINT_AGE);
		out_close(&c->out);
		break;
	case PROFILE_SHOW:
		return profile_show(c, &r);
	case PROFILE_FLUSH:
		err = dacc_profile_flush(c->nl, r.source);
		break;
	case PROFILE_HELP:
		break;
	}
	return err ? nl_fail(c, err) : 0;
}

static int cmd_stats(struct cli *c, int argc, char **argv)
{
	static const struct keyword kws[] = {
		{ "show", 0 }, { "list", 0 }, { "help", 1 }, { NULL, 0 },
	};
	struct dacc_stats s;
	int id = argc ? kw_match(kws, argv[0]) : 0, err;

	if (id < 0 || argc > 1) {
		fprintf(c->err, "Command \"%s\" is unknown, try \"dacc stats help\".\n",
			argv[id < 0 ? 0 : 1]);
		return 1;
	}
	if (id == 1) {
		printf("Usage: dacc stats [ show ]\n");
		return 0;
	}
	if (need_nl(c))
		return 1;
	err = dacc_stats_get(c->nl, &s);
	if (err)
		return nl_fail(c, err);
	print_stats(c, &s);
	return 0;
}

static int cmd_monitor(struct cli *c, int argc, char **argv)
{
	struct dacc_event ev;
	int err;

	if (argc) {
		if (!strcmp(argv[0], "help")) {
			printf("Usage: dacc monitor\n"
			       "Prints one line per change of the profile table until killed.\n");
			return 0;
		}
		fprintf(c->err, "Command \"%s\" is unknown, try \"dacc monitor help\".\n",
			argv[0]);
		return 1;
	}
	if (need_nl(c))
		return 1;
	err = dacc_nl_subscribe(c->nl);
	if (err)
		return nl_fail(c, err);
	for (;;) {
		err = dacc_nl_recv_event(c->nl, &ev);
		if (err == -ENOBUFS) {
			fprintf(c->err, "Warning: %s\n", dacc_nl_error(c->nl));
			continue;
		}
		if (err)
			return nl_fail(c, err);
		switch (ev.cmd) {
		case DACC_CMD_PROFILE_NTF:
			print_profile(c, &ev.profile, "add", 0);
			break;
		case DACC_CMD_PROFILE_DEL_NTF:
			print_profile(c, &ev.profile, "del", 0);
			break;
		case DACC_CMD_FLUSH_NTF:
			out_open(&c->out, NULL, false);
			out_string(&c->out, "event", "%s", "flush");
			if (ev.flush_source >= 0)
				out_string(&c->out, "source", "source %s",
					   dacc_source_name(ev.flush_source));
			out_nl(&c->out);
			out_close(&c->out);
			break;
		}
		fflush(c->out.f);
	}
}

enum { OBJ_PROFILE, OBJ_STATS, OBJ_MONITOR, OBJ_HELP };

int cli_run(struct cli *c, int argc, char **argv)
{
	static const struct keyword objs[] = {
		{ "profile", OBJ_PROFILE }, { "stats", OBJ_STATS },
		{ "monitor", OBJ_MONITOR }, { "help", OBJ_HELP }, { NULL, 0 },
	};
	int id;

	if (!argc) {
		cli_usage(c->err);
		return 1;
	}
	id = kw_match(objs, argv[0]);
	switch (id) {
	case OBJ_PROFILE:
		return cmd_profile(c, argc - 1, argv + 1);
	case OBJ_STATS:
		return cmd_stats(c, argc - 1, argv + 1);
	case OBJ_MONITOR:
		return cmd_monitor(c, argc - 1, argv + 1);
	case OBJ_HELP:
		cli_usage(stdout);
		return 0;
	}
	fprintf(c->err, "Object \"%s\" is %s, try \"dacc help\".\n", argv[0],
		id == -2 ? "ambiguous" : "unknown");
	return 1;
}
