// SPDX-License-Identifier: GPL-2.0
/* Messages of the dacc family built in a buffer as the kernel would send
 * them: parsed by libdacc, printed by the CLI in text and JSON (and the JSON
 * read back), error ACKs turned into text naming the attribute.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "../dacc/dacc.h"
#include "dacc_msg.h"

#define FAMILY_ID 0x1a

static char buf[4096] __attribute__((aligned(8)));

/* A PROFILE_GET reply as the kernel sends it: every field, u64s padded. */
static struct nlmsghdr *kernel_reply(uint8_t cmd, const char *prefix)
{
	struct dacc_prefix p;
	struct nlmsghdr *nlh = dacc_msg_start(buf, FAMILY_ID, cmd, 0);
	struct nlattr *nest;

	assert_int_equal(dacc_prefix_parse(prefix, &p, false), 0);
	nest = mnl_attr_nest_start(nlh, DACC_A_PROFILE);
	mnl_attr_put_u16(nlh, DACC_A_PROFILE_FAMILY, p.family);
	mnl_attr_put(nlh, DACC_A_PROFILE_ADDR, p.family == AF_INET ? 4 : 16, p.addr.raw);
	mnl_attr_put_u8(nlh, DACC_A_PROFILE_PREFIXLEN, p.plen);
	mnl_attr_put_u32(nlh, DACC_A_PROFILE_RTT_US, 48000);
	mnl_attr_put_u32(nlh, DACC_A_PROFILE_RTTVAR_US, 2000);
	mnl_attr_put(nlh, DACC_A_PROFILE_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, DACC_A_PROFILE_BW_BPS, 100000000000ULL);
	mnl_attr_put_u32(nlh, DACC_A_PROFILE_LOSS_PPM, 100);
	mnl_attr_put_u8(nlh, DACC_A_PROFILE_SOURCE, DACC_SOURCE_STATIC);
	mnl_attr_put_u64(nlh, DACC_A_PROFILE_AGE_MS, 12345);
	mnl_attr_put_u64(nlh, DACC_A_PROFILE_FLOWS, 3);
	mnl_attr_put_u64(nlh, DACC_A_PROFILE_BYTES_ACKED, 123);
	mnl_attr_put_u64(nlh, DACC_A_PROFILE_RETRANS, 0);
	mnl_attr_put_u32(nlh, DACC_A_PROFILE_MIN_RTT_US, 48200);
	mnl_attr_put_u32(nlh, DACC_A_PROFILE_SRTT_US, 50100);
	mnl_attr_put_u32(nlh, 200, 7);	/* from a newer kernel: ignored */
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/* Print with the CLI's code into a string (freed by the caller). */
static char *print(const struct dacc_profile *p, bool json, bool pretty, bool stats)
{
	struct cli c = { .err = stderr, .stats = stats };
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	out_init(&c.out, f, json, pretty);
	out_open(&c.out, NULL, true);
	print_profile(&c, p, NULL, PRINT_AGE);
	out_close(&c.out);
	fclose(f);
	return s;
}

static void test_parse_reply(void **state)
{
	struct dacc_profile p;

	assert_int_equal(dacc_msg_parse_profile(kernel_reply(DACC_CMD_PROFILE_GET,
							     "10.20.0.0/16"), &p), 0);
	assert_int_equal(p.prefix.family, AF_INET);
	assert_int_equal(p.prefix.plen, 16);
	assert_int_equal(ntohl(p.prefix.addr.v4.s_addr), 0x0a140000);
	assert_int_equal(p.rtt_us, 48000);
	assert_int_equal(p.rttvar_us, 2000);
	assert_int_equal(p.bw_bps, 100000000000ULL);
	assert_int_equal(p.loss_ppm, 100);
	assert_true(p.has_rttvar && p.has_bw && p.has_loss);
	assert_int_equal(p.age_ms, 12345);
	assert_int_equal(p.flows, 3);
	assert_int_equal(p.bytes_acked, 123);
	assert_int_equal(p.min_rtt_us, 48200);
	assert_int_equal(p.srtt_us, 50100);
}

static void test_text(void **state)
{
	struct dacc_profile p;
	char *s;

	dacc_msg_parse_profile(kernel_reply(DACC_CMD_PROFILE_GET, "10.20.0.0/16"), &p);
	s = print(&p, false, false, false);
	assert_string_equal(s, "10.20.0.0/16 rtt 48ms jitter 2ms bw 100Gbit loss 100ppm "
			    "source static age 12.345s\n");
	free(s);
	s = print(&p, false, false, true);
	assert_string_equal(s, "10.20.0.0/16 rtt 48ms jitter 2ms bw 100Gbit loss 100ppm "
			    "source static age 12.345s\n"
			    "    flows 3 bytes_acked 123 retrans 0 min_rtt 48.2ms srtt 50.1ms\n");
	free(s);
	/* Unset optional values and counters are left out of the text. */
	p.rttvar_us = 0;
	p.bw_bps = 0;
	p.loss_ppm = 0;
	p.min_rtt_us = p.srtt_us = 0;
	p.source = DACC_SOURCE_LEARNED;
	s = print(&p, false, false, true);
	assert_string_equal(s, "10.20.0.0/16 rtt 48ms source learned age 12.345s\n"
			    "    flows 3 bytes_acked 123 retrans 0\n");
	free(s);
}

static void test_json(void **state)
{
	struct dacc_profile p;
	json_object *doc, *o, *v;
	char *s;

	dacc_msg_parse_profile(kernel_reply(DACC_CMD_PROFILE_GET, "fd00:1::/32"), &p);
	s = print(&p, true, false, false);
	assert_string_equal(s,
		"[{\"prefix\":\"fd00:1::/32\",\"rtt_us\":48000,\"rttvar_us\":2000,"
		"\"bw_bps\":100000000000,\"loss_ppm\":100,\"source\":\"static\","
		"\"age_ms\":12345,\"stats\":{\"flows\":3,\"bytes_acked\":123,\"retrans\":0,"
		"\"min_rtt_us\":48200,\"srtt_us\":50100}}]\n");
	free(s);

	/* Pretty: the same document, read back. */
	s = print(&p, true, true, false);
	assert_non_null(strchr(s, '\n'));
	assert_true(strchr(s, '\n') < s + strlen(s) - 1);
	doc = json_tokener_parse(s);
	assert_non_null(doc);
	assert_int_equal(json_object_array_length(doc), 1);
	o = json_object_array_get_idx(doc, 0);
	assert_true(json_object_object_get_ex(o, "prefix", &v));
	assert_string_equal(json_object_get_string(v), "fd00:1::/32");
	assert_true(json_object_object_get_ex(o, "bw_bps", &v));
	assert_int_equal(json_object_get_uint64(v), 100000000000ULL);
	assert_true(json_object_object_get_ex(o, "stats", &v));
	assert_true(json_object_object_get_ex(v, "srtt_us", &v));
	assert_int_equal(json_object_get_int(v), 50100);
	json_object_put(doc);
	free(s);
}

static void test_events(void **state)
{
	struct dacc_event ev;
	struct nlmsghdr *nlh;

	assert_int_equal(dacc_msg_parse_event(kernel_reply(DACC_CMD_PROFILE_NTF,
							   "10.0.0.0/8"), &ev), 0);
	assert_int_equal(ev.cmd, DACC_CMD_PROFILE_NTF);
	assert_int_equal(ev.profile.prefix.plen, 8);
	assert_int_equal(dacc_msg_parse_event(kernel_reply(DACC_CMD_PROFILE_DEL_NTF,
							   "::/0"), &ev), 0);
	assert_int_equal(ev.cmd, DACC_CMD_PROFILE_DEL_NTF);
	assert_int_equal(ev.profile.prefix.family, AF_INET6);
	nlh = dacc_msg_start(buf, FAMILY_ID, DACC_CMD_FLUSH_NTF, 0);
	assert_int_equal(dacc_msg_parse_event(nlh, &ev), 0);
	assert_int_equal(ev.cmd, DACC_CMD_FLUSH_NTF);
	assert_int_equal(ev.flush_source, -1);
	/* A flush limited to one source carries it in a profile nest. */
	nlh = dacc_msg_start(buf, FAMILY_ID, DACC_CMD_FLUSH_NTF, 0);
	{
		struct nlattr *nest = mnl_attr_nest_start(nlh, DACC_A_PROFILE);

		mnl_attr_put_u8(nlh, DACC_A_PROFILE_SOURCE, DACC_SOURCE_LEARNED);
		mnl_attr_nest_end(nlh, nest);
	}
	assert_int_equal(dacc_msg_parse_event(nlh, &ev), 0);
	assert_int_equal(ev.flush_source, DACC_SOURCE_LEARNED);
	nlh = dacc_msg_start(buf, FAMILY_ID, DACC_CMD_PROFILE_ADD, 0);
	assert_int_equal(dacc_msg_parse_event(nlh, &ev), -ENOENT);
}

/* Replies the library must refuse rather than print garbage. */
static void test_malformed(void **state)
{
	struct dacc_profile p;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint8_t a16[16] = { 0xfd };

	/* family says IPv6, address has 4 bytes */
	nlh = dacc_msg_start(buf, FAMILY_ID, DACC_CMD_PROFILE_GET, 0);
	nest = mnl_attr_nest_start(nlh, DACC_A_PROFILE);
	mnl_attr_put_u16(nlh, DACC_A_PROFILE_FAMILY, AF_INET6);
	mnl_attr_put(nlh, DACC_A_PROFILE_ADDR, 4, a16);
	mnl_attr_put_u8(nlh, DACC_A_PROFILE_PREFIXLEN, 8);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(dacc_msg_parse_profile(nlh, &p), -EINVAL);

	/* prefix length beyond the address */
	nlh = dacc_msg_start(buf, FAMILY_ID, DACC_CMD_PROFILE_GET, 0);
	nest = mnl_attr_nest_start(nlh, DACC_A_PROFILE);
	mnl_attr_put_u16(nlh, DACC_A_PROFILE_FAMILY, AF_INET);
	mnl_attr_put(nlh, DACC_A_PROFILE_ADDR, 4, a16);
	mnl_attr_put_u8(nlh, DACC_A_PROFILE_PREFIXLEN, 33);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(dacc_msg_parse_profile(nlh, &p), -EINVAL);

	/* a u32 sent as u16 */
	nlh = dacc_msg_start(buf, FAMILY_ID, DACC_CMD_PROFILE_GET, 0);
	nest = mnl_attr_nest_start(nlh, DACC_A_PROFILE);
	mnl_attr_put_u16(nlh, DACC_A_PROFILE_FAMILY, AF_INET);
	mnl_attr_put(nlh, DACC_A_PROFILE_ADDR, 4, a16);
	mnl_attr_put_u8(nlh, DACC_A_PROFILE_PREFIXLEN, 8);
	mnl_attr_put_u16(nlh, DACC_A_PROFILE_RTT_US, 5);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(dacc_msg_parse_profile(nlh, &p), -EINVAL);

	/* no prefix length, no nest */
	nlh = dacc_msg_start(buf, FAMILY_ID, DACC_CMD_PROFILE_GET, 0);
	nest = mnl_attr_nest_start(nlh, DACC_A_PROFILE);
	mnl_attr_put_u16(nlh, DACC_A_PROFILE_FAMILY, AF_INET);
	mnl_attr_put(nlh, DACC_A_PROFILE_ADDR, 4, a16);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(dacc_msg_parse_profile(nlh, &p), -EINVAL);
	nlh = dacc_msg_start(buf, FAMILY_ID, DACC_CMD_PROFILE_GET, 0);
	assert_int_equal(dacc_msg_parse_profile(nlh, &p), -EINVAL);
}

/* What a request carries, read back with the reply parser. */
static void test_request(void **state)
{
	struct dacc_profile in = { .rtt_us = 5000, .has_bw = true, .bw_bps = 1ULL << 40,
				   .source = DACC_SOURCE_LEARNED }, out;
	struct nlmsghdr *nlh;
	const struct nlattr *a;
	int n = 0;

	assert_int_equal(dacc_prefix_parse("2001:db8::/32", &in.prefix, false), 0);
	nlh = dacc_msg_start(buf, FAMILY_ID, DACC_CMD_PROFILE_ADD, NLM_F_EXCL);
	dacc_msg_put_profile(nlh, &in, DACC_PUT_KEY | DACC_PUT_VALUES);
	assert_int_equal(nlh->nlmsg_type, FAMILY_ID);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_EXCL);
	assert_int_equal(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd,
			 DACC_CMD_PROFILE_ADD);
	assert_int_equal(dacc_msg_parse_profile(nlh, &out), 0);
	assert_memory_equal(&out.prefix, &in.prefix, sizeof(in.prefix));
	assert_int_equal(out.rtt_us, 5000);
	assert_int_equal(out.bw_bps, 1ULL << 40);
	assert_int_equal(out.source, DACC_SOURCE_LEARNED);
	assert_false(out.has_rttvar || out.has_loss);	/* not sent when unset */

	/* A delete carries the key only. */
	nlh = dacc_msg_start(buf, FAMILY_ID, DACC_CMD_PROFILE_DEL, 0);
	dacc_msg_put_profile(nlh, &in, DACC_PUT_KEY);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		const struct nlattr *b;

		mnl_attr_for_each_nested(b, a) {
			assert_true(mnl_attr_get_type(b) <= DACC_A_PROFILE_PREFIXLEN);
			n++;
		}
	}
	assert_int_equal(n, 3);
}

/* An error ACK for req with the given extack attributes. */
static struct nlmsghdr *error_ack(const struct nlmsghdr *req, int err, bool capped,
				  const char *msg, int offs, int miss, int miss_nest)
{
	static char ack[2048] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(ack);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err;
	e->msg = *req;
	if (!capped) {
		size_t n = req->nlmsg_len - NLMSG_HDRLEN;

		memcpy(mnl_nlmsg_put_extra_header(nlh, MNL_ALIGN(n)),
		       (const char *)req + NLMSG_HDRLEN, n);
	}
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	if (offs >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offs);
	if (miss >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, miss);
	if (miss_nest >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_NEST, miss_nest);
	return nlh;
}

static void test_extack(void **state)
{
	struct dacc_profile p = { .rtt_us = 1, .has_loss = true, .loss_ppm = 5 };
	static char req_buf[DACC_MSG_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *req;
	const struct nlattr *a, *b;
	int rtt_off = -1, nest_off = -1;
	char text[256];

	dacc_prefix_parse("10.0.0.0/8", &p.prefix, false);
	req = dacc_msg_start(req_buf, FAMILY_ID, DACC_CMD_PROFILE_ADD, 0);
	dacc_msg_put_profile(req, &p, DACC_PUT_KEY | DACC_PUT_VALUES);
	mnl_attr_for_each(a, req, GENL_HDRLEN) {
		nest_off = (const char *)a - (const char *)req;
		mnl_attr_for_each_nested(b, a)
			if (mnl_attr_get_type(b) == DACC_A_PROFILE_RTT_US)
				rtt_off = (const char *)b - (const char *)req;
	}
	assert_true(rtt_off > 0 && nest_off > 0);

	assert_int_equal(dacc_msg_parse_ack(error_ack(req, -EINVAL, true,
		"integer out of range", rtt_off, -1, -1), req, text, sizeof(text)), -EINVAL);
	assert_string_equal(text, "integer out of range (attribute \"rtt-us\")");
	/* The same, with the request copied into the ACK. */
	assert_int_equal(dacc_msg_parse_ack(error_ack(req, -EINVAL, false,
		"integer out of range", rtt_off, -1, -1), req, text, sizeof(text)), -EINVAL);
	assert_string_equal(text, "integer out of range (attribute \"rtt-us\")");
	/* A message that names the attribute itself is left alone. */
	dacc_msg_parse_ack(error_ack(req, -EINVAL, true, "rtt-us must be 1..10000000",
				     rtt_off, -1, -1), req, text, sizeof(text));
	assert_string_equal(text, "rtt-us must be 1..10000000");
	dacc_msg_parse_ack(error_ack(req, -EINVAL, true, NULL, rtt_off, -1, -1), req,
			   text, sizeof(text));
	assert_string_equal(text, "invalid attribute \"rtt-us\"");
	dacc_msg_parse_ack(error_ack(req, -EINVAL, true, NULL, nest_off, -1, -1), req,
			   text, sizeof(text));
	assert_string_equal(text, "invalid attribute \"profile\"");
	/* Missing attributes, in the nest and at the top. */
	dacc_msg_parse_ack(error_ack(req, -EINVAL, true, NULL, -1,
				     DACC_A_PROFILE_PREFIXLEN, nest_off), req, text, sizeof(text));
	assert_string_equal(text, "missing attribute \"prefixlen\"");
	dacc_msg_parse_ack(error_ack(req, -EINVAL, true, "Missing attribute", -1,
				     DACC_A_PROFILE, -1), req, text, sizeof(text));
	assert_string_equal(text, "Missing attribute (missing attribute \"profile\")");
	/* As the kernel words it: text and type both, said once. */
	dacc_msg_parse_ack(error_ack(req, -EINVAL, true, "missing attribute: prefixlen", -1,
				     DACC_A_PROFILE_PREFIXLEN, nest_off), req, text, sizeof(text));
	assert_string_equal(text, "missing attribute: prefixlen");
	/* Plain errors and the ACK of success. */
	assert_int_equal(dacc_msg_parse_ack(error_ack(req, -EEXIST, true, "profile exists",
		-1, -1, -1), req, text, sizeof(text)), -EEXIST);
	assert_string_equal(text, "profile exists");
	assert_int_equal(dacc_msg_parse_ack(error_ack(req, -ENOENT, true, NULL, -1, -1, -1),
					    NULL, text, sizeof(text)), -ENOENT);
	assert_string_equal(text, "");
	assert_int_equal(dacc_msg_parse_ack(error_ack(req, 0, true, NULL, -1, -1, -1),
					    req, text, sizeof(text)), 0);
	/* An offset outside the request names nothing. */
	dacc_msg_parse_ack(error_ack(req, -EINVAL, true, "bad", 4000, -1, -1), req,
			   text, sizeof(text));
	assert_string_equal(text, "bad");
}

static void test_done(void **state)
{
	static char done[64] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(done);
	int *err;
	char text[64];

	nlh->nlmsg_type = NLMSG_DONE;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	*err = 0;
	assert_int_equal(dacc_msg_parse_ack(nlh, NULL, text, sizeof(text)), 0);
	*err = -EMSGSIZE;
	assert_int_equal(dacc_msg_parse_ack(nlh, NULL, text, sizeof(text)), -EMSGSIZE);
	assert_string_equal(text, "");
}

static void test_stats(void **state)
{
	struct cli c = { .err = stderr };
	struct nlmsghdr *nlh = dacc_msg_start(buf, FAMILY_ID, DACC_CMD_STATS_GET, 0);
	struct dacc_stats s;
	struct nlattr *nest;
	char *out = NULL;
	size_t n = 0;
	FILE *f;

	nest = mnl_attr_nest_start(nlh, DACC_A_STATS);
	mnl_attr_put_u32(nlh, DACC_A_STATS_PROFILES, 3);
	mnl_attr_put_u32(nlh, DACC_A_STATS_MAX_PROFILES, 65536);
	mnl_attr_put_u64(nlh, DACC_A_STATS_LOOKUPS, 10);
	mnl_attr_put_u64(nlh, DACC_A_STATS_HITS, 5);
	mnl_attr_put_u64(nlh, DACC_A_STATS_ADDS, 7);
	mnl_attr_put_u64(nlh, DACC_A_STATS_DELS, 4);
	mnl_attr_put_u32(nlh, DACC_A_STATS_GENERATION, 11);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(dacc_msg_parse_stats(nlh, &s), 0);

	f = open_memstream(&out, &n);
	out_init(&c.out, f, false, false);
	print_stats(&c, &s);
	out_init(&c.out, f, true, false);
	print_stats(&c, &s);
	fclose(f);
	assert_string_equal(out,
		"profiles 3 max_profiles 65536 generation 11\n"
		"lookups 10 hits 5 adds 7 dels 4\n"
		"{\"profiles\":3,\"max_profiles\":65536,\"generation\":11,\"lookups\":10,"
		"\"hits\":5,\"adds\":7,\"dels\":4}\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_reply),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_extack),
		cmocka_unit_test(test_done),
		cmocka_unit_test(test_stats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
