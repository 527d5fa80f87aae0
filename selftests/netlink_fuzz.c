// SPDX-License-Identifier: GPL-2.0
/*
 * netlink_fuzz: a structure-aware fuzzer of the dacc generic netlink family,
 * with a reference model of the table.
 *
 *   netlink_fuzz [-n MESSAGES] [-s SEED] [-u MESSAGES] [-c MESSAGES]
 *
 * Each message is built from a valid request of a random command (add with
 * random and boundary values, optional and duplicated attributes and every
 * combination of NLM_F_CREATE/EXCL/REPLACE/ECHO; del; get; flush; stats;
 * dumps, some abandoned after their first part) and, for a quarter of them,
 * one mutation that makes it invalid (values out of range, wrong lengths and
 * types, unknown, read-only, missing and padding attributes, host bits, a
 * nest without NLA_F_NESTED, a nest in the nest, the reserved header field,
 * unsupported flags, unknown and event commands, a truncated header, random
 * bytes).  The model predicts the answer of every valid request (its errno,
 * and for get the profile matched) and that every invalid one is refused;
 * after the run the kernel's dump must equal the model, value for value.
 * Then -u messages from an unprivileged user (changes: EPERM; reads: the
 * same table) and -c from a child user+net namespace of that user (its own
 * table, modelled and compared the same way).  TAP on stdout; the last test
 * line gives messages per second.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <stdarg.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/dacc.h>

#define NKEYS	40		/* the key space: collisions are the point */
#define BUFSZ	(1 << 16)

struct key {
	uint8_t family, plen;
	uint8_t addr[16];
};

struct entry {
	bool present;
	uint32_t rtt, rttvar, loss;
	uint64_t bw;
	bool has_loss;
	uint8_t source;
};

struct fuzz {
	struct mnl_socket *nl;
	uint16_t fam;
	uint32_t seq, portid;
	struct key keys[NKEYS];
	struct entry model[NKEYS];
	uint64_t sent, accepted, refused;
	int failures;
	char buf[BUFSZ];
	char rx[BUFSZ];
};

static int tap_n;

static void tap(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static uint64_t rnd(void)
{
	return ((uint64_t)random() << 31) ^ (uint64_t)random();
}

static uint64_t pick(uint64_t lo, uint64_t hi)
{
	switch (rnd() % 8) {	/* boundaries often */
	case 0: return lo;
	case 1: return hi;
	default: return lo + rnd() % (hi - lo + 1);
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void make_keys(struct fuzz *f)
{
	for (int i = 0; i < NKEYS; i++) {
		struct key *k = &f->keys[i];

		memset(k, 0, sizeof(*k));
		if (i < 24) {		/* 10.K.0.0/16, 10.K.M.0/24, 0/0 */
			k->family = AF_INET;
			k->addr[0] = 10;
			k->addr[1] = (uint8_t)(i % 8);
			k->plen = i < 8 ? 16 : 24;
			k->addr[2] = i < 8 ? 0 : (uint8_t)(i / 8);
			if (i == 23) {
				memset(k->addr, 0, 4);
				k->plen = 0;
			}
		} else {		/* fd00:K::/32, fd00:K:M::/48, ::/0 */
			k->family = AF_INET6;
			k->addr[0] = 0xfd;
			k->addr[3] = (uint8_t)(i % 8);
			k->plen = i < 32 ? 32 : 48;
			k->addr[5] = i < 32 ? 0 : (uint8_t)(i - 31);
			if (i == NKEYS - 1) {
				memset(k->addr, 0, 16);
				k->plen = 0;
			}
		}
	}
}

static int key_len(const struct key *k)
{
	return k->family == AF_INET ? 4 : 16;
}

/* Longest prefix of the model matching a full address, -1: none. */
static int model_match(const struct fuzz *f, uint8_t family, const uint8_t *addr)
{
	int best = -1;

	for (int i = 0; i < NKEYS; i++) {
		const struct key *k = &f->keys[i];
		int b, ok = 1;

		if (!f->model[i].present || k->family != family)
			continue;
		for (b = 0; b < k->plen && ok; b++)
			ok = ((addr[b / 8] ^ k->addr[b / 8]) & (0x80 >> (b % 8))) == 0;
		if (ok && (best < 0 || k->plen > f->keys[best].plen))
			best = i;
	}
	return best;
}

static struct nlmsghdr *msg_start(struct fuzz *f, uint8_t cmd, uint16_t flags, uint8_t reserved)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(f->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = f->fam;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++f->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = DACC_GENL_VERSION;
	g->reserved = reserved;
	return nlh;
}

/* Send, read to the ACK; returns the errno (0, or positive), or -1 when
 * no answer came.  *reply gets the genl payload of a unicast reply of the
 * request's command (get), echoed notifications are counted in *echoes.
 */
static int transact(struct fuzz *f, struct nlmsghdr *nlh, char *reply, size_t rlen,
		    int *echoes)
{
	bool got_reply = false;

	f->sent++;
	if (mnl_socket_sendto(f->nl, nlh, nlh->nlmsg_len) < 0)
		return errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(f->nl, f->rx, sizeof(f->rx));
		struct nlmsghdr *r;
		int left;

		if (n < 0)
			return errno == EAGAIN ? -1 : errno;
		left = (int)n;
		for (r = (struct nlmsghdr *)f->rx; mnl_nlmsg_ok(r, left); r = mnl_nlmsg_next(r, &left)) {
			if (r->nlmsg_seq != nlh->nlmsg_seq)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(r);

				return -e->error;
			}
			if (r->nlmsg_type == f->fam) {
				const struct genlmsghdr *g = mnl_nlmsg_get_payload(r);

				if (g->cmd == DACC_CMD_PROFILE_GET && reply && !got_reply &&
				    r->nlmsg_len <= rlen) {
					memcpy(reply, r, r->nlmsg_len);
					got_reply = true;
				} else if (echoes && g->cmd != DACC_CMD_PROFILE_GET) {
					(*echoes)++;
				}
			}
		}
	}
}

static void put_key(struct nlmsghdr *nlh, const struct key *k, bool plen)
{
	mnl_attr_put_u16(nlh, DACC_A_PROFILE_FAMILY, k->family);
	mnl_attr_put(nlh, DACC_A_PROFILE_ADDR, key_len(k), k->addr);
	if (plen)
		mnl_attr_put_u8(nlh, DACC_A_PROFILE_PREFIXLEN, k->plen);
}

enum mut {
	MUT_NONE,
	MUT_RANGE,		/* a value out of its range */
	MUT_LENGTH,		/* an attribute of the wrong length */
	MUT_UNKNOWN,		/* an attribute type the family does not have */
	MUT_READ_ONLY,		/* telemetry in a request */
	MUT_MISSING,		/* a required attribute left out */
	MUT_HOST_BITS,
	MUT_NOT_NESTED,		/* the nest without NLA_F_NESTED */
	MUT_NEST_IN_NEST,
	MUT_PAD,
	MUT_RESERVED,
	MUT_FLAGS,		/* flags add does not take */
	MUT_COMMAND,		/* unknown or event command */
	MUT_TRUNCATED,		/* nlmsg_len inside the genl header */
	MUT_GARBAGE,		/* random bytes as attributes */
	MUT_MAX,
};

/* An add (or its mutation).  Returns the errno expected, -2: "some error". */
static int build_add(struct fuzz *f, int ki, enum mut mut, struct entry *e, uint16_t *flags)
{
	const struct key *k = &f->keys[ki];
	static const uint16_t fl[] = { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_ECHO };
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct key hk = *k;
	int missing = (int)(rnd() % 4);
	uint8_t cmd = DACC_CMD_PROFILE_ADD;
	bool range = false;	/* MUT_RANGE wrote a value out of range */

	*flags = NLM_F_ACK;
	for (unsigned int i = 0; i < 4; i++)
		if (rnd() % 2)
			*flags |= fl[i];
	if (mut == MUT_FLAGS)
		*flags |= (uint16_t[]){ NLM_F_APPEND, NLM_F_MULTI, 0x1000, 0x4000 }[rnd() % 4];
	if (mut == MUT_COMMAND)
		cmd = (uint8_t)(rnd() % 2 ? DACC_CMD_PROFILE_NTF + rnd() % 3 : 10 + rnd() % 200);
	nlh = msg_start(f, cmd, *flags, mut == MUT_RESERVED ? (uint8_t)(1 + rnd() % 255) : 0);
	if (mut == MUT_GARBAGE) {
		size_t n = 1 + rnd() % 64;
		char *p = mnl_nlmsg_get_payload_tail(nlh);

		for (size_t i = 0; i < n; i++)
			p[i] = (char)rnd();
		nlh->nlmsg_len += (uint32_t)MNL_ALIGN(n);
		return -2;
	}

	memset(e, 0, sizeof(*e));
	e->present = true;
	e->rtt = (uint32_t)pick(DACC_RTT_MIN_US, DACC_RTT_MAX_US);
	nest = mnl_attr_nest_start(nlh, DACC_A_PROFILE);
	if (mut == MUT_NOT_NESTED)
		nest->nla_type &= (uint16_t)~NLA_F_NESTED;
	if (mut == MUT_HOST_BITS && k->plen < 8 * key_len(k)) {
		hk.addr[key_len(k) - 1] |= 1;
		put_key(nlh, &hk, true);
	} else if (mut == MUT_MISSING && missing < 3) {
		if (missing != 0)
			mnl_attr_put_u16(nlh, DACC_A_PROFILE_FAMILY, k->family);
		if (missing != 1)
			mnl_attr_put(nlh, DACC_A_PROFILE_ADDR, key_len(k), k->addr);
		if (missing != 2)
			mnl_attr_put_u8(nlh, DACC_A_PROFILE_PREFIXLEN, k->plen);
	} else if (mut == MUT_RANGE && rnd() % 3 == 0) {
		range = true;
		mnl_attr_put_u16(nlh, DACC_A_PROFILE_FAMILY,
				 (uint16_t)(rnd() % 2 ? 0 : 11 + rnd() % 1000));
		mnl_attr_put(nlh, DACC_A_PROFILE_ADDR, key_len(k), k->addr);
		mnl_attr_put_u8(nlh, DACC_A_PROFILE_PREFIXLEN, k->plen);
	} else if (mut == MUT_RANGE && rnd() % 2 == 0) {
		range = true;
		mnl_attr_put_u16(nlh, DACC_A_PROFILE_FAMILY, k->family);
		mnl_attr_put(nlh, DACC_A_PROFILE_ADDR, key_len(k), k->addr);
		mnl_attr_put_u8(nlh, DACC_A_PROFILE_PREFIXLEN,
				(uint8_t)(8 * key_len(k) + 1 + rnd() % (256 - 8 * key_len(k) - 1)));
	} else {
		put_key(nlh, k, true);
	}
	if (!(mut == MUT_MISSING && missing == 3)) {
		if (mut == MUT_RANGE && !range && rnd() % 2) {
			range = true;
			mnl_attr_put_u32(nlh, DACC_A_PROFILE_RTT_US,
					 rnd() % 2 ? 0 : DACC_RTT_MAX_US + 1 + (uint32_t)(rnd() % 1000));
		} else if (mut == MUT_LENGTH)
			mnl_attr_put_u16(nlh, DACC_A_PROFILE_RTT_US, 1000);
		else
			mnl_attr_put_u32(nlh, DACC_A_PROFILE_RTT_US, e->rtt);
	}
	if (rnd() % 2) {
		e->rttvar = (uint32_t)pick(0, DACC_RTT_MAX_US);
		mnl_attr_put_u32(nlh, DACC_A_PROFILE_RTTVAR_US, e->rttvar);
	}
	if (rnd() % 2) {
		e->bw = pick(1, DACC_BW_MAX_BPS);
		range = range || mut == MUT_RANGE;
		mnl_attr_put_u64(nlh, DACC_A_PROFILE_BW_BPS, mut != MUT_RANGE ? e->bw :
				 rnd() % 2 ? 0 :
				 DACC_BW_MAX_BPS + 1 + rnd() % (UINT64_MAX - DACC_BW_MAX_BPS - 1));
	}
	if (rnd() % 2) {
		e->loss = (uint32_t)pick(0, DACC_LOSS_MAX_PPM);
		e->has_loss = true;
		range = range || mut == MUT_RANGE;
		mnl_attr_put_u32(nlh, DACC_A_PROFILE_LOSS_PPM,
				 mut == MUT_RANGE ? DACC_LOSS_MAX_PPM + 1 + (uint32_t)(rnd() % 1000000) :
				 e->loss);
	}
	if (rnd() % 2) {
		e->source = (uint8_t)(rnd() % __DACC_SOURCE_MAX);
		range = range || mut == MUT_RANGE;
		mnl_attr_put_u8(nlh, DACC_A_PROFILE_SOURCE,
				mut == MUT_RANGE ? (uint8_t)(__DACC_SOURCE_MAX + rnd() % 200) : e->source);
	}
	if (mut != MUT_MISSING && rnd() % 8 == 0) {	/* a duplicate: the last one counts */
		e->rtt = (uint32_t)pick(DACC_RTT_MIN_US, DACC_RTT_MAX_US);
		mnl_attr_put_u32(nlh, DACC_A_PROFILE_RTT_US, e->rtt);
	}
	switch (mut) {
	case MUT_UNKNOWN:
		mnl_attr_put_u32(nlh, (uint16_t)(DACC_A_PROFILE_MAX + 1 + rnd() % 200), (uint32_t)rnd());
		break;
	case MUT_READ_ONLY:
		mnl_attr_put_u64(nlh, (uint16_t)(DACC_A_PROFILE_AGE_MS +
				 rnd() % (DACC_A_PROFILE_MAX - DACC_A_PROFILE_AGE_MS + 1)), rnd());
		break;
	case MUT_PAD:
		mnl_attr_put(nlh, DACC_A_PROFILE_PAD, 0, NULL);
		break;
	case MUT_NEST_IN_NEST: {
		struct nlattr *in = mnl_attr_nest_start(nlh, DACC_A_PROFILE);

		put_key(nlh, k, true);
		mnl_attr_nest_end(nlh, in);
		break;
	}
	default:
		break;
	}
	mnl_attr_nest_end(nlh, nest);
	if (mut == MUT_TRUNCATED)
		nlh->nlmsg_len = (uint32_t)(MNL_NLMSG_HDRLEN + rnd() % sizeof(struct genlmsghdr));
	if ((mut == MUT_HOST_BITS && k->plen == 8 * key_len(k)) || (mut == MUT_RANGE && !range))
		mut = MUT_NONE;		/* nothing made it invalid after all */
	if (mut != MUT_NONE)
		return -2;
	/* EXCL|REPLACE is NLM_F_DUMP's bits (ROOT|MATCH): generic netlink
	 * takes it for a dump, which add has not.
	 */
	if ((*flags & NLM_F_DUMP) == NLM_F_DUMP)
		return EOPNOTSUPP;
	if (f->model[ki].present && (*flags & NLM_F_EXCL))
		return EEXIST;
	if (f->model[ki].present && !(*flags & NLM_F_REPLACE))
		return EEXIST;
	if (!f->model[ki].present && !(*flags & NLM_F_CREATE))
		return ENOENT;
	return 0;
}

static bool parse_profile(const struct nlmsghdr *nlh, struct key *k, struct entry *e)
{
	const struct nlattr *a, *nest = NULL;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == DACC_A_PROFILE)
			nest = a;
	if (!nest)
		return false;
	memset(k, 0, sizeof(*k));
	memset(e, 0, sizeof(*e));
	e->present = true;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case DACC_A_PROFILE_FAMILY: k->family = (uint8_t)mnl_attr_get_u16(a); break;
		case DACC_A_PROFILE_ADDR:
			memcpy(k->addr, mnl_attr_get_payload(a),
			       mnl_attr_get_payload_len(a) > 16 ? 16 : mnl_attr_get_payload_len(a));
			break;
		case DACC_A_PROFILE_PREFIXLEN: k->plen = mnl_attr_get_u8(a); break;
		case DACC_A_PROFILE_RTT_US: e->rtt = mnl_attr_get_u32(a); break;
		case DACC_A_PROFILE_RTTVAR_US: e->rttvar = mnl_attr_get_u32(a); break;
		case DACC_A_PROFILE_BW_BPS: e->bw = mnl_attr_get_u64(a); break;
		case DACC_A_PROFILE_LOSS_PPM: e->loss = mnl_attr_get_u32(a); e->has_loss = true; break;
		case DACC_A_PROFILE_SOURCE: e->source = mnl_attr_get_u8(a); break;
		}
	}
	return true;
}

static bool same(const struct entry *a, const struct entry *b)
{
	return a->rtt == b->rtt && a->rttvar == b->rttvar && a->bw == b->bw &&
	       a->has_loss == b->has_loss && (!a->has_loss || a->loss == b->loss) &&
	       a->source == b->source;
}

static int key_index(const struct fuzz *f, const struct key *k)
{
	for (int i = 0; i < NKEYS; i++)
		if (f->keys[i].family == k->family && f->keys[i].plen == k->plen &&
		    !memcmp(f->keys[i].addr, k->addr, 16))
			return i;
	return -1;
}

/* A dump; abandon: stop after the first part (the rest is never read:
 * the socket goes).  Returns the mismatches with the model, -1: failed.
 */
static int dump(struct fuzz *f, bool abandon, bool verbose)
{
	struct mnl_socket *nl = f->nl;
	bool seen[NKEYS] = { false };
	struct nlmsghdr *nlh;
	int bad = 0;

	if (abandon) {
		nl = mnl_socket_open(NETLINK_GENERIC);
		if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
			return -1;
	}
	nlh = msg_start(f, DACC_CMD_PROFILE_GET, NLM_F_DUMP, 0);
	f->sent++;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, f->rx, sizeof(f->rx));
		struct nlmsghdr *r;
		int left;

		if (n <= 0)
			return -1;
		if (abandon) {
			mnl_socket_close(nl);
			return 0;
		}
		left = (int)n;
		for (r = (struct nlmsghdr *)f->rx; mnl_nlmsg_ok(r, left); r = mnl_nlmsg_next(r, &left)) {
			struct key k;
			struct entry e;
			int i;

			if (r->nlmsg_seq != nlh->nlmsg_seq)
				continue;
			if (r->nlmsg_type == NLMSG_DONE)
				goto done;
			if (r->nlmsg_type == NLMSG_ERROR)
				return -1;
			if (!parse_profile(r, &k, &e))
				continue;
			i = key_index(f, &k);
			if (i < 0 || !f->model[i].present || !same(&f->model[i], &e) || seen[i]) {
				if (verbose)
					printf("#   dump: unexpected %s profile /%u rtt %u (model: %s)\n",
					       k.family == AF_INET ? "IPv4" : "IPv6", k.plen, e.rtt,
					       i < 0 ? "no such key" : !f->model[i].present ? "absent" :
					       seen[i] ? "seen twice" : "other values");
				bad++;
			}
			if (i >= 0)
				seen[i] = true;
		}
	}
done:
	for (int i = 0; i < NKEYS; i++) {
		if (f->model[i].present && !seen[i]) {
			if (verbose)
				printf("#   dump: missing key %d (/%u)\n", i, f->keys[i].plen);
			bad++;
		}
	}
	return bad;
}

/* One random request checked against the model; priv: may change it. */
static void one(struct fuzz *f, bool priv)
{
	unsigned int r = (unsigned int)(rnd() % 100);
	enum mut mut = rnd() % 4 == 0 ? (enum mut)(1 + rnd() % (MUT_MAX - 1)) : MUT_NONE;
	int ki = (int)(rnd() % NKEYS), exp, err, echoes = 0;
	struct nlmsghdr *nlh;
	struct entry e;
	uint16_t flags;
	static char reply[BUFSZ];

	if (r < 45) {
		exp = build_add(f, ki, mut, &e, &flags);
		nlh = (struct nlmsghdr *)f->buf;
		if (!priv && exp != -2)
			exp = EPERM;
	} else if (r < 60) {
		flags = NLM_F_ACK | (rnd() % 2 ? NLM_F_ECHO : 0);
		nlh = msg_start(f, DACC_CMD_PROFILE_DEL, flags, mut == MUT_RESERVED ? 1 : 0);
		{
			struct nlattr *nest = mnl_attr_nest_start(nlh, DACC_A_PROFILE);

			if (mut == MUT_MISSING)
				mnl_attr_put_u16(nlh, DACC_A_PROFILE_FAMILY, f->keys[ki].family);
			else
				put_key(nlh, &f->keys[ki], true);
			if (mut == MUT_UNKNOWN)
				mnl_attr_put_u8(nlh, (uint16_t)(DACC_A_PROFILE_MAX + 1), 1);
			mnl_attr_nest_end(nlh, nest);
		}
		if (mut != MUT_NONE && mut != MUT_RESERVED && mut != MUT_MISSING && mut != MUT_UNKNOWN)
			mut = MUT_NONE;
		exp = mut != MUT_NONE ? -2 : !priv ? EPERM : f->model[ki].present ? 0 : ENOENT;
	} else if (r < 75) {
		uint8_t addr[16];
		int m;

		for (int i = 0; i < 16; i++)
			addr[i] = (uint8_t)rnd();
		memcpy(addr, f->keys[ki].addr, (size_t)f->keys[ki].plen / 8);
		nlh = msg_start(f, DACC_CMD_PROFILE_GET, NLM_F_ACK, 0);
		{
			struct nlattr *nest = mnl_attr_nest_start(nlh, DACC_A_PROFILE);

			mnl_attr_put_u16(nlh, DACC_A_PROFILE_FAMILY, f->keys[ki].family);
			mnl_attr_put(nlh, DACC_A_PROFILE_ADDR,
				     mut == MUT_LENGTH ? 5 : key_len(&f->keys[ki]), addr);
			mnl_attr_nest_end(nlh, nest);
		}
		m = model_match(f, f->keys[ki].family, addr);
		exp = mut == MUT_LENGTH ? -2 : m < 0 ? ENOENT : 0;
		err = transact(f, nlh, reply, sizeof(reply), NULL);
		if (exp == 0 && err == 0) {
			struct key k;

			if (!parse_profile((struct nlmsghdr *)reply, &k, &e) ||
			    key_index(f, &k) != m || !same(&e, &f->model[m])) {
				printf("#   get matched another profile than the model's (key %d)\n", m);
				f->failures++;
			}
		}
		goto judge;
	} else if (r < 77) {
		int src = rnd() % 2 ? (int)(rnd() % __DACC_SOURCE_MAX) : -1;

		nlh = msg_start(f, DACC_CMD_PROFILE_FLUSH, NLM_F_ACK, 0);
		if (src >= 0 || mut == MUT_RANGE) {
			struct nlattr *nest = mnl_attr_nest_start(nlh, DACC_A_PROFILE);

			mnl_attr_put_u8(nlh, DACC_A_PROFILE_SOURCE,
					mut == MUT_RANGE ? (uint8_t)(__DACC_SOURCE_MAX + rnd() % 100) :
					(uint8_t)src);
			mnl_attr_nest_end(nlh, nest);
		}
		exp = mut == MUT_RANGE ? -2 : !priv ? EPERM : 0;
		if (exp == 0)
			for (int i = 0; i < NKEYS; i++)
				if (src < 0 || f->model[i].source == src)
					f->model[i].present = false;
		err = transact(f, nlh, NULL, 0, NULL);
		goto judge;
	} else if (r < 85) {
		nlh = msg_start(f, DACC_CMD_STATS_GET, NLM_F_ACK, 0);
		if (mut == MUT_READ_ONLY) {
			struct nlattr *nest = mnl_attr_nest_start(nlh, DACC_A_STATS);

			mnl_attr_put_u32(nlh, DACC_A_STATS_PROFILES, 1);
			mnl_attr_nest_end(nlh, nest);
		}
		exp = mut == MUT_READ_ONLY ? -2 : 0;
		err = transact(f, nlh, NULL, 0, NULL);
		goto judge;
	} else {
		int bad = dump(f, rnd() % 2, true);

		if (bad) {
			printf("#   a dump differed from the model: %d\n", bad);
			f->failures++;
		}
		return;
	}
	err = transact(f, nlh, NULL, 0, &echoes);
	if (exp == 0 && err == 0) {
		if (r < 45)
			f->model[ki] = e;
		else
			f->model[ki].present = false;
		if ((flags & NLM_F_ECHO) && echoes != 1) {
			printf("#   NLM_F_ECHO: %d notifications came back, expected 1\n", echoes);
			f->failures++;
		}
	}
judge:
	if (err == -1) {
		printf("#   no answer to a request (cmd %u)\n",
		       ((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd);
		f->failures++;
		return;
	}
	err ? f->refused++ : f->accepted++;
	if ((exp == -2 && err == 0) || (exp >= 0 && exp != err)) {
		if (f->failures < 20)
			printf("#   request %llu (r %u, mutation %d, key %d, flags %#x): expected %s, got %s\n",
			       (unsigned long long)f->sent, r, mut, ki, nlh->nlmsg_flags,
			       exp == -2 ? "an error" : exp ? strerror(exp) : "success",
			       err ? strerror(err) : "success");
		f->failures++;
	}
}

static int fuzz_open(struct fuzz *f)
{
	struct timeval tv = { .tv_sec = 5 };
	int one_ = 1;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	f->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!f->nl || mnl_socket_bind(f->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -1;
	mnl_socket_setsockopt(f->nl, NETLINK_EXT_ACK, &one_, sizeof(one_));
	mnl_socket_setsockopt(f->nl, NETLINK_CAP_ACK, &one_, sizeof(one_));
	setsockopt(mnl_socket_get_fd(f->nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	f->portid = mnl_socket_get_portid(f->nl);
	nlh = mnl_nlmsg_put_header(f->buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++f->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, DACC_GENL_NAME);
	if (mnl_socket_sendto(f->nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(f->nl, f->rx, sizeof(f->rx));
		struct nlmsghdr *r = (struct nlmsghdr *)f->rx;
		const struct nlattr *a;

		if (n <= 0 || r->nlmsg_type == NLMSG_ERROR)
			return -1;
		mnl_attr_for_each(a, r, sizeof(struct genlmsghdr))
			if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
				f->fam = mnl_attr_get_u16(a);
		return f->fam ? 0 : -1;
	}
}

/* Empty the table (the model starts empty). */
static int fuzz_reset(struct fuzz *f)
{
	struct nlmsghdr *nlh = msg_start(f, DACC_CMD_PROFILE_FLUSH, NLM_F_ACK, 0);

	memset(f->model, 0, sizeof(f->model));
	return transact(f, nlh, NULL, 0, NULL);
}

/* n messages; returns the failures.  priv: may change the table. */
static int run(struct fuzz *f, uint64_t n, bool priv, const char *who)
{
	double t0 = now_s(), dt;
	uint64_t sent0 = f->sent;
	int bad;

	f->failures = 0;
	while (f->sent - sent0 < n)
		one(f, priv);
	dt = now_s() - t0;
	tap(f->failures == 0, "%s: %llu messages, %.0f/s, %llu accepted, %llu refused, each as the model said",
	    who, (unsigned long long)(f->sent - sent0), (double)(f->sent - sent0) / dt,
	    (unsigned long long)f->accepted, (unsigned long long)f->refused);
	bad = dump(f, false, true);
	{
		int cnt = 0;

		for (int i = 0; i < NKEYS; i++)
			cnt += f->model[i].present;
		tap(bad == 0, "%s: after the run the table equals the model (%d profiles)", who, cnt);
	}
	return f->failures + (bad != 0);
}

/* In a child: drop to nobody, optionally in a new user+net namespace. */
static int child(struct fuzz *parent, uint64_t n, bool userns, unsigned int seed)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct fuzz *f = calloc(1, sizeof(*f));

		if (!f || setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(2);
		if (userns && unshare(CLONE_NEWUSER | CLONE_NEWNET)) {
			printf("ok %d - child user+net namespace # SKIP unshare: %s\n", ++tap_n,
			       strerror(errno));
			fflush(stdout);
			_exit(4);
		}
		srandom(seed);
		make_keys(f);
		if (fuzz_open(f))
			_exit(3);
		if (userns) {
			/* Its own table: empty, and ours to change. */
			_exit(run(f, n, true, "child user+net namespace, as nobody") ? 1 : 0);
		}
		memcpy(f->model, parent->model, sizeof(f->model));
		_exit(run(f, n, false, "unprivileged user, root's namespace") ? 1 : 0);
	}
	fflush(stdout);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	/* Its TAP lines went on from our count: run() prints two, a skip one. */
	if (WEXITSTATUS(st) <= 1)
		tap_n += 2;
	else if (WEXITSTATUS(st) == 4)
		tap_n += 1;
	return WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
	uint64_t n = 100000, nu = 5000, nc = 20000;
	unsigned int seed = (unsigned int)time(NULL);
	struct fuzz *f = calloc(1, sizeof(*f));
	int c, rc = 0, s;

	while ((c = getopt(argc, argv, "n:s:u:c:")) != -1) {
		switch (c) {
		case 'n': n = strtoull(optarg, NULL, 0); break;
		case 's': seed = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'u': nu = strtoull(optarg, NULL, 0); break;
		case 'c': nc = strtoull(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: %s [-n MESSAGES] [-s SEED] [-u MESSAGES] [-c MESSAGES]\n",
				argv[0]);
			return 2;
		}
	}
	printf("TAP version 13\n# netlink_fuzz: seed %u (-s %u repeats this run)\n", seed, seed);
	srandom(seed);
	make_keys(f);
	if (!f || fuzz_open(f) || fuzz_reset(f)) {
		printf("not ok 1 - the dacc family answers (is tcp_dacc loaded?)\n1..1\n");
		return 1;
	}
	rc |= run(f, n, true, "root");
	if (nu) {
		s = child(f, nu, false, seed + 1);
		rc |= s != 0;
		if (s < 0 || s > 1)
			tap(false, "the unprivileged child ran (status %d)", s);
	}
	if (nc) {
		s = child(f, nc, true, seed + 2);
		if (s != 4) {
			rc |= s != 0;
			if (s < 0 || s > 1)
				tap(false, "the namespaced child ran (status %d)", s);
		}
	}
	/* The children left root's table alone. */
	s = dump(f, false, true);
	tap(s == 0, "root's table is still the model's after the children ran");
	rc |= s != 0;
	fuzz_reset(f);
	printf("1..%d\n", tap_n);
	return rc ? 1 : 0;
}
