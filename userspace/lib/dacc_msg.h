/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libdacc internals made visible for the unit tests and for tools that want
 * the messages without the socket: build requests of the dacc family,
 * parse its replies and events, turn an error ACK into text.
 */
#ifndef DACC_MSG_H
#define DACC_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "dacc_nl.h"

/* Enough for any request of the family and for an error ACK carrying it. */
#define DACC_MSG_REQ_SIZE	512

/* What dacc_msg_put_profile() puts into the DACC_A_PROFILE nest. */
#define DACC_PUT_KEY		0x1	/* FAMILY, ADDR, PREFIXLEN */
#define DACC_PUT_VALUES		0x2	/* RTT, optional RTTVAR/BW/LOSS, SOURCE */

/* Start a request of the dacc family in buf (DACC_MSG_REQ_SIZE bytes):
 * netlink header with NLM_F_REQUEST | flags, generic netlink header.
 */
struct nlmsghdr *dacc_msg_start(void *buf, uint16_t family_id, uint8_t cmd,
				uint16_t flags);
/* Append a DACC_A_PROFILE nest with the parts named by what. */
void dacc_msg_put_profile(struct nlmsghdr *nlh, const struct dacc_profile *p,
			  unsigned int what);

/* Parse a message of the family carrying a DACC_A_PROFILE nest (a reply to
 * PROFILE_GET, a dump entry or an event).  Unknown attributes are ignored;
 * a missing key or an attribute of the wrong size is -EINVAL.
 */
int dacc_msg_parse_profile(const struct nlmsghdr *nlh, struct dacc_profile *out);
int dacc_msg_parse_stats(const struct nlmsghdr *nlh, struct dacc_stats *out);
/* An event (PROFILE_NTF, PROFILE_DEL_NTF, FLUSH_NTF); -ENOENT for any other
 * command of the family.
 */
int dacc_msg_parse_event(const struct nlmsghdr *nlh, struct dacc_event *ev);

/* An NLMSG_ERROR or NLMSG_DONE message: return its error (0 for an ACK,
 * -errno) and put the extended ACK into msg as text: the kernel's message,
 * the attribute it points at (named from req, the request it answers, when
 * given) or the attribute it says is missing.  msg is "" when the kernel
 * said nothing more than the error number.
 */
int dacc_msg_parse_ack(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		       char *msg, size_t len);

/* Name of an attribute of the DACC_A_PROFILE nest ("rtt-us"), as in
 * Documentation/netlink/dacc.yaml; NULL when unknown.
 */
const char *dacc_profile_attr_name(unsigned int type);
/* "static", "learned"; NULL when unknown. */
const char *dacc_source_name(unsigned int source);

#endif
