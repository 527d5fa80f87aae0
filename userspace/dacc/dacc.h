/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dacc command: shared state, the output layer (one path for text and
 * JSON), argument parsing and the commands of each object.
 */
#ifndef DACC_CLI_H
#define DACC_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

#include "dacc_nl.h"

#ifndef DACC_VERSION
#define DACC_VERSION "0.1"
#endif

/* ---- output: text and JSON through the same calls (out.c) ---- */

#define OUT_MAX_DEPTH 8

struct out {
	FILE *f;
	bool json, pretty;
	json_object *stack[OUT_MAX_DEPTH];
	int depth;
	char line[1024];	/* the text line being built */
	size_t len;
};

void out_init(struct out *o, FILE *f, bool json, bool pretty);
/* Open a JSON object (array when array is true) under key, or as the next
 * element of the enclosing array when key is NULL.  Text: nothing.  Closing
 * the outermost one prints the document.
 */
void out_open(struct out *o, const char *key, bool array);
void out_close(struct out *o);
/* A field: key names it in JSON (NULL: text only), fmt prints it in text
 * (NULL: JSON only).  Text fields are separated by one space.
 */
void out_string(struct out *o, const char *key, const char *fmt, const char *v);
void out_u64(struct out *o, const char *key, const char *fmt, uint64_t v);
/* Text only, no separator: indentation. */
void out_raw(struct out *o, const char *text);
/* End the text line (JSON: nothing). */
void out_nl(struct out *o);

/* ---- the command's state ---- */

struct cli {
	FILE *err;		/* messages; stderr */
	struct out out;
	bool json, pretty, stats;
	bool force;		/* -force: a batch goes on past failed lines */
	const char *netns;
	struct dacc_nl *nl;	/* opened on first use */
};

/* ---- argument parsing (args.c) ---- */

struct keyword {
	const char *name;
	int id;
};

/* The id of the keyword word names exactly or as an unambiguous prefix
 * ("sh" for "show"); -1 when none, -2 when several.
 */
int kw_match(const struct keyword *kws, const char *word);

enum profile_cmd {
	PROFILE_ADD, PROFILE_REPLACE, PROFILE_DEL, PROFILE_GET, PROFILE_SHOW,
	PROFILE_FLUSH, PROFILE_HELP,
};

struct profile_req {
	enum profile_cmd cmd;
	struct dacc_profile p;
	bool has_prefix;
	int source;		/* show/flush filter; -1: any */
};

/* Parse "COMMAND ARGS..." of the profile object (argv[0] is the command;
 * argc 0 means show).  0, or -1 after printing an error that names the bad
 * word to c->err.
 */
int profile_parse(struct cli *c, int argc, char **argv, struct profile_req *r);
/* Parse a prefix; the error says what is wrong with it. */
int parse_prefix(struct cli *c, const char *word, struct dacc_prefix *out);

/* Split a -batch line into words in place: blanks separate, '...' and "..."
 * quote, '#' at the start of a word comments out the rest.  The number of
 * words, or -1 with *why set.
 */
int split_line(char *line, char **argv, int max, const char **why);

void cli_invarg(struct cli *c, const char *word, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- printing (print.c) ---- */

#define PRINT_AGE	0x1	/* age, telemetry: not for events */
void print_profile(struct cli *c, const struct dacc_profile *p, const char *event,
		   unsigned int flags);
void print_stats(struct cli *c, const struct dacc_stats *s);

/* ---- commands (cmd.c) ---- */

/* Run one command line "OBJECT COMMAND ARGS..."; 0 or 1 (the exit status). */
int cli_run(struct cli *c, int argc, char **argv);
void cli_usage(FILE *f);

#endif
