// SPDX-License-Identifier: GPL-2.0
/* dacc: set and show the distance profiles of the tcp_dacc module, in the
 * grammar of iproute2 (dacc [OPTIONS] OBJECT { COMMAND | help }).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dacc.h"

#define BATCH_MAX_WORDS 64

static int enter_netns(const char *name)
{
	char path[4096];
	int fd;

	if (!*name || strchr(name, '/')) {
		fprintf(stderr, "Error: argument \"%s\" is wrong: not a namespace name\n", name);
		return -1;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "Cannot open network namespace \"%s\": %s\n", name,
			strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "Cannot enter network namespace \"%s\": %s\n", name,
			strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* One command a line; stop at the first that fails and name its line
 * (with -force, as iproute2's: name it and go on; the status is still 1).
 */
static int run_batch(struct cli *c, const char *name)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	char *line = NULL, *argv[BATCH_MAX_WORDS];
	const char *why;
	size_t cap = 0;
	int lineno = 0, argc, rc = 0, failed = 0;

	if (!f) {
		fprintf(stderr, "Cannot open file \"%s\" for reading: %s\n", name,
			strerror(errno));
		return 1;
	}
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		argc = split_line(line, argv, BATCH_MAX_WORDS, &why);
		if (argc < 0) {
			fprintf(stderr, "Error: %s.\n", why);
			rc = 1;
		} else if (argc) {
			rc = cli_run(c, argc, argv);
		}
		if (rc) {
			fprintf(stderr, "Command failed %s:%d\n", name, lineno);
			failed = 1;
			if (!c->force)
				break;
			rc = 0;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return failed;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "stats", no_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ "netns", required_argument, NULL, 'n' },
		{ "batch", required_argument, NULL, 'b' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .err = stderr };
	const char *batch = NULL;
	int opt, rc, i;

	/* iproute2 spells the long options with one dash too, shortened or
	 * not: -batch, -json, -ver.  A word that is the prefix of exactly one
	 * long option is that option: "-js" is -json (not -j -s), as in
	 * iproute2.  What names no long option is left to getopt as short
	 * ones ("-jp" is -j -p).
	 */
	for (i = 1; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
		const struct option *hit = NULL;
		int hits = 0;

		if (argv[i][1] == '-' || strlen(argv[i]) <= 2)
			goto next;
		for (const struct option *o = opts; o->name; o++) {
			if (!strncmp(o->name, argv[i] + 1, strlen(argv[i] + 1))) {
				hit = o;
				hits++;
			}
		}
		if (hits == 1) {
			char s[3] = { '-', (char)hit->val, '\0' };

			argv[i] = strdup(s);
		}
next:
		if (!strcmp(argv[i], "-n") || !strcmp(argv[i], "-b") ||
		    !strcmp(argv[i], "--netns") || !strcmp(argv[i], "--batch"))
			i++;
	}
	while ((opt = getopt_long(argc, argv, "+jpsVn:b:fh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			c.json = true;
			break;
		case 'p':
			c.pretty = true;
			break;
		case 's':
			c.stats = true;
			break;
		case 'V':
			printf("dacc %s\n", DACC_VERSION);
			return 0;
		case 'n':
			c.netns = optarg;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'f':
			c.force = true;
			break;
		case 'h':
			cli_usage(stdout);
			return 0;
		default:
			cli_usage(stderr);
			return 1;
		}
	}
	if (c.netns && enter_netns(c.netns))
		return 1;
	out_init(&c.out, stdout, c.json, c.pretty);
	if (batch) {
		if (optind < argc) {
			fprintf(stderr, "Error: argument \"%s\" is wrong: -batch takes the "
				"commands from its file\n", argv[optind]);
			return 1;
		}
		rc = run_batch(&c, batch);
	} else {
		rc = cli_run(&c, argc - optind, argv + optind);
	}
	dacc_nl_close(c.nl);
	if (fflush(stdout) && !rc) {
		fprintf(stderr, "dacc: writing the output failed: %s\n", strerror(errno));
		rc = 1;
	}
	return rc;
}
