// SPDX-License-Identifier: GPL-2.0
/* daccd's configuration parser on any file: it accepts it with every value
 * in its range, or refuses it with a message, and frees what it allocated
 * either way (ASan's leak check runs at exit and on -runs).
 *
 * Input: the text of the file, any bytes (a NUL in it must be refused).
 */
#include <string.h>

#include "fuzz.h"
#include "../userspace/daccd/config.h"

static void check_dest(const struct dcfg_dest *d)
{
	unsigned int i;

	FUZZ_CHECK(d->prefix.family == AF_INET || d->prefix.family == AF_INET6,
		   "family %u", d->prefix.family);
	FUZZ_CHECK(d->prefix.plen <= (d->prefix.family == AF_INET ? 32 : 128),
		   "plen %u", d->prefix.plen);
	FUZZ_CHECK(d->ntargets <= DCFG_MAX_TARGETS, "%u targets", d->ntargets);
	for (i = 0; i < d->ntargets; i++)
		FUZZ_CHECK(d->targets[i].ss_family == AF_INET ||
			   d->targets[i].ss_family == AF_INET6,
			   "target family %u", d->targets[i].ss_family);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[512];
	struct dcfg *c;
	unsigned int i;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* No NUL in it: a message that was not written shows. */
	memset(err, 'X', sizeof(err));
	c = dcfg_parse_len(text, size, "fuzz.conf", err, sizeof(err));
	if (c) {
		FUZZ_CHECK(c->ndests <= DCFG_MAX_DESTS, "%u destinations", c->ndests);
		FUZZ_CHECK(c->nbind <= DCFG_MAX_BIND, "%u bind addresses", c->nbind);
		FUZZ_CHECK(c->nallow <= DCFG_MAX_ALLOW, "%u allow prefixes", c->nallow);
		FUZZ_CHECK(memchr(c->state_dir, 0, sizeof(c->state_dir)), "state_dir unterminated");
		FUZZ_CHECK(memchr(c->metrics_listen, 0, sizeof(c->metrics_listen)),
			   "metrics.listen unterminated");
		FUZZ_CHECK(memchr(c->metrics_file, 0, sizeof(c->metrics_file)),
			   "metrics.file unterminated");
		for (i = 0; i < c->ndests; i++) {
			check_dest(&c->dests[i]);
			FUZZ_CHECK(dcfg_find_dest(c, &c->dests[i].prefix) == (int)i,
				   "destination %u is not found by its prefix", i);
		}
		dcfg_free(c);
	} else {
		FUZZ_CHECK(memchr(err, 0, sizeof(err)), "the error message is not terminated");
		FUZZ_CHECK(err[0] != '\0', "refused without a message");
		FUZZ_CHECK(!strncmp(err, "fuzz.conf", 9), "the message does not name the file: %s",
			   err);
	}
	free(text);
	return 0;
}
